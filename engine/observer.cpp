// The views that Observer events carry: names are looked up in the program only when an
// observer asks for them, so an event costs the engine no string work.
#include "dsl/program.hpp"

#include <demarche/session.hpp>

namespace demarche {

std::string_view FactView::template_name() const noexcept { return program_->templates[template_].name; }

std::string_view FactView::field_name(std::size_t i) const noexcept {
    return program_->templates[template_].fields[i].name;
}

FactInfo FactView::info() const {
    const dsl::Template& t = program_->templates[template_];
    FactInfo out;
    out.id = id_;
    out.template_name = t.name;
    out.field_names.reserve(t.fields.size());
    for (const dsl::Field& field : t.fields) out.field_names.push_back(field.name);
    out.values.assign(values_.begin(), values_.end());
    out.derived = derived_;
    return out;
}

std::string format_fact(const FactView& fact) {
    std::string out(fact.template_name());
    out += '(';
    std::span<const Value> values = fact.values();
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i) out += ", ";
        out += fact.field_name(i);
        out += ": ";
        out += to_source(values[i]);
    }
    return out + ")";
}

std::string_view ActivationView::rule_name() const noexcept { return program_->rules[rule_].name; }

ActivationInfo ActivationView::info() const {
    return {std::string(rule_name()), std::vector<FactId>(facts_.begin(), facts_.end())};
}

std::string format_activation(const ActivationView& activation) {
    std::string out(activation.rule_name());
    out += ':';
    std::span<const FactId> facts = activation.facts();
    for (std::size_t i = 0; i < facts.size(); ++i) {
        out += i ? "," : " ";
        out += facts[i] ? "f-" + std::to_string(facts[i]) : "*";
    }
    return out;
}

}  // namespace demarche
