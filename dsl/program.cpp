// Small queries on the checked program.
#include "program.hpp"

namespace demarche::dsl {

std::string_view to_string(FieldType t) noexcept {
    switch (t) {
    case FieldType::Symbol: return "symbol";
    case FieldType::String: return "string";
    case FieldType::Int: return "int";
    case FieldType::Float: return "float";
    case FieldType::Bool: return "bool";
    case FieldType::Any: return "any";
    }
    return "?";
}


std::optional<FieldIndex> Template::field_index(std::string_view field) const noexcept {
    for (std::size_t i = 0; i < fields.size(); ++i)
        if (fields[i].name == field) return static_cast<FieldIndex>(i);
    return std::nullopt;
}

const Template* Program::find_template(std::string_view name) const {
    auto it = template_ids.find(name);
    return it == template_ids.end() ? nullptr : &templates[it->second];
}

}  // namespace demarche::dsl
