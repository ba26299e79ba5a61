// demarche::Session and the small public helpers of session.hpp.
#include "engine.hpp"

#include <demarche/session.hpp>

namespace demarche {

std::string_view to_string(Strategy s) noexcept {
    switch (s) {
    case Strategy::Depth: return "depth";
    case Strategy::Breadth: return "breadth";
    case Strategy::Lex: return "lex";
    case Strategy::Mea: return "mea";
    }
    return "?";
}

std::optional<Strategy> strategy_named(std::string_view name) noexcept {
    for (Strategy s : {Strategy::Depth, Strategy::Breadth, Strategy::Lex, Strategy::Mea})
        if (to_string(s) == name) return s;
    return std::nullopt;
}

std::string format_fact(const FactInfo& fact) {
    std::string out = fact.template_name + "(";
    for (std::size_t i = 0; i < fact.values.size(); ++i) {
        if (i) out += ", ";
        if (i < fact.field_names.size()) out += fact.field_names[i] + ": ";
        out += to_source(fact.values[i]);
    }
    return out + ")";
}

std::string format_activation(const ActivationInfo& activation) {
    std::string out = activation.rule + ":";
    for (std::size_t i = 0; i < activation.facts.size(); ++i) {
        out += i ? "," : " ";
        out += activation.facts[i] ? "f-" + std::to_string(activation.facts[i]) : "*";
    }
    return out;
}

Session::Session(ProgramPtr program, std::shared_ptr<const FactSet> facts)
    : engine_(std::make_unique<engine::Engine>(std::move(program), std::move(facts))) {}

Session::~Session() = default;

RunResult Session::run(const RunOptions& options) { return engine_->run(options); }

std::vector<FactInfo> Session::facts() const { return engine_->facts(); }

QueryResult Session::query(std::string_view name, const std::vector<std::string>& args) const {
    return engine_->query(name, args);
}

}  // namespace demarche
