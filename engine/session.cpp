// demarche::Session and the small public helpers of session.hpp.
#include "engine.hpp"

#include "dsl/suggest.hpp"

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

std::string_view to_string(StopReason reason) noexcept {
    switch (reason) {
    case StopReason::Completed: return "completed";
    case StopReason::Halted: return "halted";
    case StopReason::FireLimit: return "fire_limit";
    case StopReason::Timeout: return "timeout";
    case StopReason::FactLimit: return "fact_limit";
    case StopReason::Interrupted: return "interrupted";
    case StopReason::RuntimeError: return "runtime_error";
    }
    return "?";
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

namespace {

namespace v2 = boost::variant2;

// Checks named values against a template into `values` (the defaults for a new fact, the
// old values for a modify): each field exists, is given once, and gets a value of its type.
std::optional<std::string> apply_fields(const dsl::Template& t, const FieldValues& fields,
                                        std::vector<std::optional<Value>>& values) {
    std::vector<bool> given(t.fields.size(), false);
    for (const auto& [name, value] : fields) {
        std::optional<dsl::FieldIndex> i = t.field_index(name);
        if (!i) {
            std::vector<std::string_view> known;
            for (const dsl::Field& f : t.fields) known.push_back(f.name);
            return "template '" + t.name + "' has no field '" + name + "'" + dsl::did_you_mean(name, known);
        }
        if (given[*i]) return "field '" + name + "' is given twice";
        given[*i] = true;
        const dsl::Field& f = t.fields[*i];
        if (!dsl::accepts(f.type, kind_of(value)))
            return "field '" + name + "' of '" + t.name + "' is " + std::string(dsl::to_string(f.type)) + ", got " +
                   std::string(kind_name(kind_of(value)));
        values[*i] = f.type == dsl::FieldType::Float && kind_of(value) == ValueKind::Int
                         ? Value(static_cast<double>(v2::get<std::int64_t>(value)))
                         : value;
    }
    return std::nullopt;
}

// A fact set made for another program could name templates this one lacks.
bool fits_program(const dsl::Program& p, const dsl::InitialFact& f) {
    if (f.tmpl >= p.templates.size()) return false;
    const dsl::Template& t = p.templates[f.tmpl];
    if (f.values.size() != t.fields.size()) return false;
    for (std::size_t i = 0; i < f.values.size(); ++i)
        if (!dsl::accepts(t.fields[i].type, kind_of(f.values[i]))) return false;
    return true;
}

}  // namespace

Session::Session(ProgramPtr program, std::shared_ptr<const FactSet> facts)
    : program_(program), engine_(std::make_unique<engine::Engine>(std::move(program), std::move(facts))) {}

Session::~Session() = default;

RunResult Session::run(const RunOptions& options) { return engine_->run(options); }

FactResult Session::assert_fact(std::string_view template_name, const FieldValues& fields) {
    const dsl::Template* t = program_->find_template(template_name);
    if (!t) {
        std::vector<std::string_view> known;
        for (const dsl::Template& tmpl : program_->templates) known.push_back(tmpl.name);
        return {0, "unknown template '" + std::string(template_name) + "'" + dsl::did_you_mean(template_name, known)};
    }
    std::vector<std::optional<Value>> values(t->fields.size());
    if (auto error = apply_fields(*t, fields, values)) return {0, std::move(error)};
    std::vector<Value> checked;
    checked.reserve(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (!values[i]) values[i] = t->fields[i].default_value;
        if (!values[i])
            return {0, "field '" + t->fields[i].name + "' of '" + t->name + "' has no default and must be given"};
        checked.push_back(std::move(*values[i]));
    }
    return engine_->change([&]() -> FactResult { return {engine_->assert_input(t->id, std::move(checked)), {}}; });
}

FactsAsserted Session::assert_facts(const FactSet& facts) {
    FactsAsserted result;
    for (const dsl::InitialFact& f : facts.facts) {
        if (!fits_program(*program_, f)) {
            result.error = "the fact set was not made for this session's program";
            return result;
        }
    }
    FactResult last = engine_->change([&]() -> FactResult {
        for (const dsl::InitialFact& f : facts.facts) result.ids.push_back(engine_->assert_input(f.tmpl, f.values));
        return {};
    });
    result.error = std::move(last.error);
    return result;
}

FactResult Session::retract(FactId id) {
    return engine_->change([&]() -> FactResult {
        if (std::string why = engine_->check_present(id); !why.empty()) return {0, std::move(why)};
        engine_->retract(id);
        return {id, {}};
    });
}

FactResult Session::modify(FactId id, const FieldValues& changes) {
    return engine_->change([&]() -> FactResult {
        if (std::string why = engine_->check_present(id); !why.empty()) return {0, std::move(why)};
        const engine::Fact& old = *engine_->memory().get(id);
        const dsl::Template& t = program_->templates.at(old.tmpl);
        std::vector<std::optional<Value>> values(old.values.begin(), old.values.end());
        if (auto error = apply_fields(t, changes, values)) return {0, std::move(error)};
        std::vector<Value> changed;
        changed.reserve(values.size());
        for (auto& v : values) changed.push_back(std::move(*v));
        engine_->retract(id);
        return {engine_->assert_input(t.id, std::move(changed)), {}};
    });
}

std::vector<FactInfo> Session::facts() const { return engine_->facts(); }

FactCounts Session::count_facts() const noexcept { return engine_->count_facts(); }

std::optional<FactInfo> Session::fact(FactId id) const { return engine_->fact(id); }

QueryResult Session::query(std::string_view name, const std::vector<std::string>& args) const {
    return engine_->query(name, args);
}

void Session::set_observer(Observer* observer) noexcept { engine_->set_observer(observer); }

std::optional<Diagnostic> Session::failure() const { return engine_->failure(); }

}  // namespace demarche
