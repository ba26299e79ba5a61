// The registry of user functions (include/demarche/function.hpp).
#include <demarche/function.hpp>

#include "grammar.hpp"
#include "operators.hpp"

namespace demarche {

std::string_view to_string(ValueType t) noexcept {
    switch (t) {
    case ValueType::Symbol: return "symbol";
    case ValueType::String: return "string";
    case ValueType::Int: return "int";
    case ValueType::Float: return "float";
    case ValueType::Bool: return "bool";
    case ValueType::Any: return "any";
    }
    return "?";
}

namespace {

bool is_identifier(std::string_view s) noexcept {
    auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
    if (s.empty() || !letter(s.front())) return false;
    for (char c : s)
        if (!letter(c) && !(c >= '0' && c <= '9')) return false;
    return true;
}

}  // namespace

std::optional<std::string> FunctionRegistry::add(std::string name, std::vector<ValueType> params, ValueType result,
                                                 Function fn) {
    if (!is_identifier(name))
        return "'" + name + "' is not a function name (a letter or '_', then letters, digits or '_')";
    if (dsl::grammar::is_keyword(name)) return "'" + name + "' is a keyword of the rule language";
    if (dsl::builtin_named(name)) return "'" + name + "' is a builtin function";
    if (index_.count(name)) return "function '" + name + "' is registered already";
    if (!fn) return "function '" + name + "' has no implementation";
    index_.emplace(name, functions_.size());
    functions_.push_back({std::move(name), std::move(params), result, std::move(fn)});
    return std::nullopt;
}

const FunctionSignature* FunctionRegistry::find(std::string_view name) const noexcept {
    auto it = index_.find(name);
    return it == index_.end() ? nullptr : &functions_[it->second];
}

}  // namespace demarche
