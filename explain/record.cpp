// The provenance recorder (an Observer), the naive matcher and the printers that `why`
// and `why-not` share, and the reading of target patterns.
#include "record.hpp"

#include "dsl/checker.hpp"
#include "dsl/parser.hpp"
#include "engine/evaluator.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace demarche::explain {

namespace v2 = boost::variant2;

namespace {

bool same_values(std::span<const Value> a, std::span<const Value> b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), same_value);
}

Value fact_symbol(FactId id) { return Value(Symbol::intern("f-" + std::to_string(id))); }

/// Variables of a rule's expressions, read from recorded bindings.
class BindingSource final : public engine::VariableSource {
public:
    explicit BindingSource(const Bindings& b) : b_(b) {}
    Value value(dsl::VarSlot slot) const override {
        if (slot < b_.size() && b_[slot]) return *b_[slot];
        throw engine::EvalError{"a variable has no value here", {}, std::nullopt};
    }

private:
    const Bindings& b_;
};

int precedence(dsl::BinaryOp op) {
    switch (op) {
    case dsl::BinaryOp::Or: return 0;
    case dsl::BinaryOp::And: return 1;
    case dsl::BinaryOp::Add:
    case dsl::BinaryOp::Sub: return 4;
    case dsl::BinaryOp::Mul:
    case dsl::BinaryOp::Div:
    case dsl::BinaryOp::Mod: return 5;
    default: return 3;  // comparisons; `not` sits at 2
    }
}

int precedence(const dsl::Expr& e) {
    if (e.kind == dsl::Expr::Kind::Binary) return precedence(e.binary);
    if (e.kind == dsl::Expr::Kind::Unary && e.unary == dsl::UnaryOp::Not) return 2;
    return 6;
}

std::string var_text(dsl::VarSlot slot, const std::vector<dsl::VariableInfo>& vars, const Bindings& b) {
    if (slot < b.size() && b[slot]) return to_source(*b[slot]);
    return "?" + (slot < vars.size() ? vars[slot].name : std::string("_"));
}

std::string operand_text(const dsl::Operand& o, const std::vector<dsl::VariableInfo>& vars, const Bindings& b) {
    if (const Value* v = v2::get_if<Value>(&o)) return to_source(*v);
    return var_text(v2::get<dsl::VarRef>(o).slot, vars, b);
}

const Value* operand_value(const dsl::Operand& o, const Bindings& b) {
    if (const Value* v = v2::get_if<Value>(&o)) return v;
    dsl::VarSlot s = v2::get<dsl::VarRef>(o).slot;
    return s < b.size() && b[s] ? &*b[s] : nullptr;
}

std::string test_text(const dsl::FieldTest& t, const std::vector<dsl::VariableInfo>& vars, const Bindings& b) {
    switch (t.kind) {
    case dsl::FieldTest::Kind::Bind: return var_text(t.slot, vars, b);
    case dsl::FieldTest::Kind::Compare: {
        std::string rhs = t.operands.empty() ? "?" : operand_text(t.operands[0], vars, b);
        return t.op == dsl::CompareOp::Eq ? rhs : std::string(dsl::to_string(t.op)) + " " + rhs;
    }
    case dsl::FieldTest::Kind::Member: {
        std::string out = "in [";
        for (std::size_t i = 0; i < t.operands.size(); ++i)
            out += (i ? ", " : "") + operand_text(t.operands[i], vars, b);
        return out + "]";
    }
    }
    return "?";
}

std::string group_text(const dsl::Program& p, const std::vector<dsl::Condition>& group,
                       const std::vector<dsl::VariableInfo>& vars, const Bindings& b) {
    if (group.size() == 1 && group[0].kind == dsl::Condition::Kind::Pattern)
        return pattern_text(p, group[0].pattern, vars, b);
    std::string out = "{";
    for (const dsl::Condition& c : group) out += " " + condition_text(p, c, vars, b);
    return out + " }";
}

}  // namespace

// ---- the record

std::size_t RecordedRun::initial_count() const {
    return program->initial_facts.size() + (input ? input->facts.size() : 0);
}

const dsl::InitialFact& RecordedRun::initial(std::size_t i) const {
    if (i < program->initial_facts.size()) return program->initial_facts[i];
    return input->facts.at(i - program->initial_facts.size());
}

const FactRecord* RecordedRun::fact(FactId id) const {
    if (id == 0 || id > facts.size() || facts[id - 1].id != id) return nullptr;
    return &facts[id - 1];
}

const FiringRecord* RecordedRun::firing(std::uint64_t number) const {
    auto it = std::lower_bound(firings.begin(), firings.end(), number,
                               [](const FiringRecord& f, std::uint64_t n) { return f.number < n; });
    return it != firings.end() && it->number == number ? &*it : nullptr;
}

const FiringRecord& RecordedRun::keep_current() {
    if (!current_kept) {
        FiringRecord& kept = firings.emplace_back(current);
        kept.facts = matched.add(current_facts);
        current_kept = true;
    }
    return firings.back();
}

std::vector<std::size_t> position_conditions(const dsl::Rule& rule) {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < rule.conditions.size(); ++i)
        if (rule.conditions[i].kind != dsl::Condition::Kind::Where) out.push_back(i);
    return out;
}

Bindings RecordedRun::bindings(const FiringRecord& f) const {
    const dsl::Rule& rule = program->rules.at(f.rule);
    Bindings b(rule.variables.size());
    std::size_t pos = 0;
    for (const dsl::Condition& c : rule.conditions) {
        if (c.kind == dsl::Condition::Kind::Where) continue;
        const FactRecord* fr = pos < f.facts.size() ? fact(f.facts[pos]) : nullptr;
        ++pos;
        if (c.kind != dsl::Condition::Kind::Pattern || !fr) continue;
        if (c.pattern.fact_var) b.at(*c.pattern.fact_var) = fact_symbol(fr->id);
        for (const dsl::FieldTest& t : c.pattern.tests)
            if (t.kind == dsl::FieldTest::Kind::Bind && !b.at(t.slot) && t.field < fr->values.size())
                b[t.slot] = fr->values[t.field];
    }
    return b;
}

// ---- the recorder

namespace {

std::vector<RecordedRun::RemovalAction> removal_actions(const dsl::Rule& rule) {
    std::vector<RecordedRun::RemovalAction> out;
    for (std::size_t a = 0; a < rule.actions.size(); ++a) {
        const dsl::Action& act = rule.actions[a];
        if (act.kind != dsl::Action::Kind::Retract && act.kind != dsl::Action::Kind::Modify) continue;
        std::size_t pos = 0;
        for (const dsl::Condition& c : rule.conditions) {
            if (c.kind == dsl::Condition::Kind::Where) continue;
            if (c.kind == dsl::Condition::Kind::Pattern && c.pattern.fact_var == act.target) {
                out.push_back({pos, act.kind == dsl::Action::Kind::Modify, a});
                break;
            }
            ++pos;
        }
    }
    return out;
}

}  // namespace

namespace {

/// What a Recorder asks for: activations only matter to a `next` that wants them.
EventMask recorder_events(const Observer* next) {
    EventMask own = EventKind::Assert | EventKind::Retract | EventKind::Fire;
    return next ? own | next->events() : own;
}

}  // namespace

Recorder::Recorder(ProgramPtr program, std::shared_ptr<const FactSet> facts, Observer* next)
    : Observer(recorder_events(next)), run_(std::make_unique<RecordedRun>()), next_(next) {
    run_->program = std::move(program);
    run_->input = std::move(facts);
    for (const dsl::Rule& rule : run_->program->rules) run_->removal_actions.push_back(removal_actions(rule));
}

Recorder::~Recorder() = default;

void Recorder::on_assert(const FactView& info) {
    RecordedRun& r = *run_;
    ++r.moment;
    // Ids come in order; a gap only when the recorder was attached to a session late.
    if (r.facts.empty()) r.facts.reserve(r.initial_count() * 2);
    if (r.facts.size() + 1 < info.id()) r.facts.resize(info.id() - 1);
    FactRecord& rec = r.facts.emplace_back();
    rec.id = info.id();
    rec.tmpl = info.template_index();
    rec.values = r.values.add(info.values());
    rec.derived = info.derived();
    rec.asserted_at = r.moment;
    if (!rec.derived && !r.started) {
        // Initial facts come in load order; one equal to a fact already present raises
        // no event, so skip forward to the first that matches.
        while (r.next_initial < r.initial_count()) {
            const dsl::InitialFact& f = r.initial(r.next_initial++);
            if (f.tmpl == rec.tmpl && same_values(f.values, rec.values)) {
                rec.given = r.next_initial - 1;
                break;
            }
        }
    }
    if (!rec.derived && r.started) r.in_firing = false;  // asserted through the Session
    if (rec.derived && r.started) {
        rec.firing = r.keep_current().number;
        if (r.modify_source && r.modify_values && same_values(*r.modify_values, rec.values) &&
            r.facts[r.modify_source - 1].tmpl == rec.tmpl) {
            rec.modified_from = r.modify_source;
            r.facts[r.modify_source - 1].removal.replaced_by = rec.id;
        }
        r.modify_source = 0;
        r.modify_values.reset();
    }
    r.last_asserted = rec.id;
    if (next_ && next_->wants(EventKind::Assert)) next_->on_assert(info);
}

void Recorder::on_retract(const FactView& info) {
    RecordedRun& r = *run_;
    ++r.moment;
    const FactId id = info.id();
    if (id == 0 || id > r.facts.size() || r.facts[id - 1].id != id) {
        if (next_ && next_->wants(EventKind::Retract)) next_->on_retract(info);
        return;
    }
    FactRecord& rec = r.facts[id - 1];
    rec.removed_at = r.moment;
    if (info.origin() == ChangeOrigin::Input) r.in_firing = false;
    // Outside a firing, the last firing had nothing to do with it.
    const FiringRecord* current = r.in_firing ? &r.keep_current() : nullptr;
    rec.removal.firing = current ? current->number : 0;
    auto hit = std::find_if(r.pending.begin(), r.pending.end(),
                            [&](const RecordedRun::PendingRemoval& p) { return p.fact == id; });
    if (info.origin() == ChangeOrigin::Input) {
        rec.removal.kind = RemovalKind::Input;
    } else if (current && info.origin() == ChangeOrigin::Rule && hit != r.pending.end()) {
        rec.removal.kind = hit->modify ? RemovalKind::Modified : RemovalKind::Retracted;
        if (hit->modify) {
            // The fact `modify` asserts next: the old values with the changes applied,
            // computed as the engine did, so it can be told apart from other assertions.
            const dsl::Rule& rule = r.program->rules.at(current->rule);
            const dsl::Action& act = rule.actions.at(hit->action);
            const dsl::Template& tmpl = r.program->templates.at(rec.tmpl);
            Bindings b = r.bindings(*current);
            std::vector<Value> values(rec.values.begin(), rec.values.end());
            try {
                for (const auto& [field, e] : act.changes) {
                    values.at(field) = engine::evaluate(e, BindingSource(b));
                    if (tmpl.fields.at(field).type == dsl::FieldType::Float && kind_of(values[field]) == ValueKind::Int)
                        values[field] = Value(static_cast<double>(v2::get<std::int64_t>(values[field])));
                }
                r.modify_values = std::move(values);
                r.modify_source = id;
            } catch (const engine::EvalError&) {
                r.modify_values.reset();
            }
        }
        r.pending.erase(hit);
    } else {
        // Not the target of one of the firing's actions: truth maintenance removed it.
        rec.removal.kind = RemovalKind::Unsupported;
        const FiringRecord* support = r.firing(rec.firing);
        std::uint64_t latest = 0;
        if (support) {
            for (FactId matched : support->facts) {
                const FactRecord* m = r.fact(matched);
                if (m && m->removed_at && m->removed_at < rec.removed_at && m->removed_at > latest) {
                    latest = m->removed_at;
                    rec.removal.cause = matched;
                    rec.removal.cause_retracted = true;
                }
            }
        }
        if (!latest && support && r.last_asserted) {
            const FactRecord* a = r.fact(r.last_asserted);
            if (a && a->asserted_at > support->moment) rec.removal.cause = a->id;
        }
    }
    if (next_ && next_->wants(EventKind::Retract)) next_->on_retract(info);
}

void Recorder::on_activate(const ActivationView& a) {
    if (next_ && next_->wants(EventKind::Activate)) next_->on_activate(a);
}

void Recorder::on_deactivate(const ActivationView& a) {
    if (next_ && next_->wants(EventKind::Deactivate)) next_->on_deactivate(a);
}

void Recorder::on_fire(std::uint64_t number, const ActivationView& a) {
    RecordedRun& r = *run_;
    FiringRecord& f = r.current;
    f.number = number;
    f.rule = a.rule_index();
    r.current_facts.assign(a.facts().begin(), a.facts().end());
    f.facts = r.current_facts;
    f.moment = r.moment;
    r.current_kept = false;
    r.started = true;
    r.in_firing = true;
    r.pending.clear();
    r.modify_source = 0;
    r.modify_values.reset();
    for (const RecordedRun::RemovalAction& ra : r.removal_actions.at(f.rule))
        if (ra.position < f.facts.size()) r.pending.push_back({f.facts[ra.position], ra.modify, ra.action});
    if (next_ && next_->wants(EventKind::Fire)) next_->on_fire(number, a);
}

void Recorder::on_print(const std::string& line) {
    if (next_ && next_->wants(EventKind::Print)) next_->on_print(line);
}

// ---- matching

std::vector<const FactRecord*> FactsAt::of_template(dsl::TemplateId t) const {
    std::vector<const FactRecord*> out;
    for (const FactRecord& f : run->facts) {
        if (f.id == 0 || f.tmpl != t) continue;
        if (moment == 0 ? f.removed_at == 0 : run->present_at(f, moment)) out.push_back(&f);
    }
    return out;
}

bool test_holds(const dsl::FieldTest& t, const FactRecord& f, Bindings& b) {
    return t.field < f.values.size() && test_holds_value(t, f.values[t.field], b);
}

bool test_holds_value(const dsl::FieldTest& t, const Value& v, Bindings& b) {
    switch (t.kind) {
    case dsl::FieldTest::Kind::Bind:
        if (t.slot < b.size() && b[t.slot]) return same_value(v, *b[t.slot]);
        if (t.slot < b.size()) b[t.slot] = v;
        return true;
    case dsl::FieldTest::Kind::Compare: {
        const Value* o = t.operands.empty() ? nullptr : operand_value(t.operands[0], b);
        return !o || engine::constraint_holds(t.op, v, *o);
    }
    case dsl::FieldTest::Kind::Member:
        for (const dsl::Operand& op : t.operands) {
            const Value* o = operand_value(op, b);
            if (o && same_value(v, *o)) return true;
        }
        return false;
    }
    return false;
}

std::vector<Mismatch> match_pattern(const dsl::Pattern& p, const FactRecord& f, Bindings& b) {
    std::vector<Mismatch> out;
    for (const dsl::FieldTest& t : p.tests)
        if (!test_holds(t, f, b)) out.push_back({&t});
    if (p.fact_var && *p.fact_var < b.size()) b[*p.fact_var] = fact_symbol(f.id);
    return out;
}

bool find_match(const std::vector<dsl::Condition>& conds, std::size_t i, const FactsAt& view, Bindings& b,
                std::vector<FactId>& facts, std::uint64_t& budget) {
    if (i == conds.size()) return true;
    const dsl::Condition& c = conds[i];
    switch (c.kind) {
    case dsl::Condition::Kind::Pattern:
        for (const FactRecord* f : view.of_template(c.pattern.tmpl)) {
            if (budget == 0) return false;
            --budget;
            Bindings nb = b;
            if (!match_pattern(c.pattern, *f, nb).empty()) continue;
            facts.push_back(f->id);
            if (find_match(conds, i + 1, view, nb, facts, budget)) {
                b = std::move(nb);
                return true;
            }
            facts.pop_back();
        }
        return false;
    case dsl::Condition::Kind::Not:
    case dsl::Condition::Kind::Exists: {
        Bindings inner = b;
        std::vector<FactId> inner_facts;
        bool found = find_match(c.group, 0, view, inner, inner_facts, budget);
        if (found != (c.kind == dsl::Condition::Kind::Exists)) return false;
        facts.push_back(0);
        if (find_match(conds, i + 1, view, b, facts, budget)) return true;
        facts.pop_back();
        return false;
    }
    case dsl::Condition::Kind::Where:
        return evaluate_where(c.test, b).holds && find_match(conds, i + 1, view, b, facts, budget);
    }
    return false;
}

WhereOutcome evaluate_where(const dsl::Expr& e, const Bindings& b) {
    WhereOutcome out;
    try {
        out.holds = engine::evaluate_test(e, BindingSource(b));
    } catch (const engine::EvalError& err) {
        out.error = err.message;
    }
    return out;
}

// ---- printing

std::string fact_text(const dsl::Program& p, const FactRecord& f) {
    const dsl::Template& t = p.templates.at(f.tmpl);
    std::string out = t.name + "(";
    for (std::size_t i = 0; i < f.values.size() && i < t.fields.size(); ++i)
        out += (i ? ", " : "") + t.fields[i].name + ": " + to_source(f.values[i]);
    return out + ")";
}

std::string fact_line(const dsl::Program& p, const FactRecord& f) {
    return "f-" + std::to_string(f.id) + " " + fact_text(p, f);
}

std::string pattern_text(const dsl::Program& p, const dsl::Pattern& pat, const std::vector<dsl::VariableInfo>& vars,
                         const Bindings& b) {
    const dsl::Template& t = p.templates.at(pat.tmpl);
    std::string out;
    if (pat.fact_var && !(*pat.fact_var < b.size() && b[*pat.fact_var])) out += var_text(*pat.fact_var, vars, b) + " <- ";
    out += t.name + "(";
    // Tests on one field join with `&`, fields in the order they were first written.
    std::vector<dsl::FieldIndex> order;
    for (const dsl::FieldTest& test : pat.tests)
        if (std::find(order.begin(), order.end(), test.field) == order.end()) order.push_back(test.field);
    for (std::size_t i = 0; i < order.size(); ++i) {
        out += (i ? ", " : "") + t.fields.at(order[i]).name + ": ";
        bool first = true;
        for (const dsl::FieldTest& test : pat.tests) {
            if (test.field != order[i]) continue;
            out += (first ? "" : " & ") + test_text(test, vars, b);
            first = false;
        }
    }
    return out + ")";
}

std::string condition_text(const dsl::Program& p, const dsl::Condition& c, const std::vector<dsl::VariableInfo>& vars,
                           const Bindings& b) {
    switch (c.kind) {
    case dsl::Condition::Kind::Pattern: return pattern_text(p, c.pattern, vars, b);
    case dsl::Condition::Kind::Not: return "not " + group_text(p, c.group, vars, b);
    case dsl::Condition::Kind::Exists: return "exists " + group_text(p, c.group, vars, b);
    case dsl::Condition::Kind::Where: return "where " + expr_text(c.test, vars, b);
    }
    return "?";
}

std::string expr_text(const dsl::Expr& e, const std::vector<dsl::VariableInfo>& vars, const Bindings& b) {
    switch (e.kind) {
    case dsl::Expr::Kind::Literal: return to_source(e.literal);
    case dsl::Expr::Kind::Variable: return var_text(e.var, vars, b);
    case dsl::Expr::Kind::Unary: {
        const dsl::Expr& a = e.args.at(0);
        std::string inner = expr_text(a, vars, b);
        if (precedence(a) < 6) inner = "(" + inner + ")";
        return e.unary == dsl::UnaryOp::Neg ? "-" + inner : "not " + inner;
    }
    case dsl::Expr::Kind::Binary: {
        int mine = precedence(e.binary);
        std::string lhs = expr_text(e.args.at(0), vars, b);
        std::string rhs = expr_text(e.args.at(1), vars, b);
        if (precedence(e.args[0]) < mine) lhs = "(" + lhs + ")";
        if (precedence(e.args[1]) <= mine) rhs = "(" + rhs + ")";
        return lhs + " " + std::string(dsl::to_string(e.binary)) + " " + rhs;
    }
    case dsl::Expr::Kind::Call: {
        std::string out = std::string(dsl::call_name(e)) + "(";
        for (std::size_t i = 0; i < e.args.size(); ++i) out += (i ? ", " : "") + expr_text(e.args[i], vars, b);
        return out + ")";
    }
    }
    return "?";
}

std::string bindings_text(const std::vector<dsl::VariableInfo>& vars, const Bindings& b) {
    std::string out;
    for (std::size_t s = 0; s < vars.size() && s < b.size(); ++s) {
        if (!b[s] || vars[s].is_fact) continue;
        out += (out.empty() ? "?" : ", ?") + vars[s].name + " = " + to_source(*b[s]);
    }
    return out;
}

std::string location_text(const dsl::SourceSet& s, dsl::SourceRange r) {
    SourceLocation loc = s.locate(r);
    return loc.path + ":" + std::to_string(loc.line);
}

std::optional<std::size_t> json_element(const RecordedRun& run, const FactRecord& f) {
    if (!f.given) return std::nullopt;
    const dsl::InitialFact& init = run.initial(*f.given);
    if (!run.sources().file(init.range.file).path.ends_with(".json")) return std::nullopt;
    std::size_t element = 1;
    for (std::size_t i = 0; i < *f.given; ++i)
        if (run.initial(i).range.file == init.range.file) ++element;
    return element;
}

std::string given_text(const RecordedRun& run, const FactRecord& f) {
    if (!f.given) return "given by the program that ran the rules";
    std::string out = "given in " + location_text(run.sources(), run.initial(*f.given).range);
    if (std::optional<std::size_t> element = json_element(run, f))
        out += " (element " + std::to_string(*element) + ")";
    return out;
}

std::string removal_text(const RecordedRun& run, const FactRecord& f) {
    const dsl::Program& p = run.prog();
    const Removal& rm = f.removal;
    const FiringRecord* by = run.firing(rm.firing);
    std::string rule = by ? p.rules.at(by->rule).name : "?";
    std::string when = by ? " in firing " + std::to_string(rm.firing) : std::string();
    switch (rm.kind) {
    case RemovalKind::None: return "";
    case RemovalKind::Input: return "retracted by the program that ran the rules";
    case RemovalKind::Retracted: return "retracted by rule " + rule + when;
    case RemovalKind::Modified:
        return "modified" + (rm.replaced_by ? " into f-" + std::to_string(rm.replaced_by) : std::string()) +
               " by rule " + rule + when;
    case RemovalKind::Unsupported: {
        std::string out = by ? "retracted by truth maintenance" + when + " (rule " + rule + "): no longer supported"
                             : "retracted by truth maintenance after a change by the program that ran the rules: "
                               "no longer supported";
        const FactRecord* cause = run.fact(rm.cause);
        if (cause && rm.cause_retracted)
            out += ", since " + fact_line(p, *cause) + ", on which it rested, was retracted";
        else if (cause)
            out += ", since " + fact_line(p, *cause) + " now matches one of its `not` conditions";
        return out;
    }
    }
    return "";
}

std::string rule_heading(const RecordedRun& run, const dsl::Rule& r) {
    std::string where = location_text(run.sources(), r.range);
    return r.name + " (" + (r.source.empty() ? "" : r.source + ", ") + where + ")";
}

void expr_variables(const dsl::Expr& e, std::vector<dsl::VarSlot>& out) {
    if (e.kind == dsl::Expr::Kind::Variable && std::find(out.begin(), out.end(), e.var) == out.end())
        out.push_back(e.var);
    for (const dsl::Expr& a : e.args) expr_variables(a, out);
}

nlohmann::ordered_json json_value(const Value& v) {
    switch (kind_of(v)) {
    case ValueKind::Symbol: return v2::get<Symbol>(v).name();
    case ValueKind::String: return v2::get<String>(v).view();
    case ValueKind::Int: return v2::get<std::int64_t>(v);
    case ValueKind::Float: return v2::get<double>(v);
    case ValueKind::Bool: return v2::get<bool>(v);
    }
    return nullptr;
}

std::string json_dump(const nlohmann::ordered_json& j) {
    return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

// ---- targets

namespace {

bool is_identifier(std::string_view s) {
    if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
    return std::all_of(s.begin(), s.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

/// The program's templates as declarations, so the language's checker can check a
/// pattern against them; ranges point at the real declarations for its notes.
dsl::ast::File template_declarations(const dsl::Program& p) {
    dsl::ast::File file;
    for (const dsl::Template& t : p.templates) {
        dsl::ast::Template decl;
        decl.name = {t.name, t.range};
        decl.range = t.range;
        for (const dsl::Field& f : t.fields) {
            dsl::ast::FieldDecl fd;
            fd.name = {f.name, f.range};
            fd.type = {std::string(dsl::to_string(f.type)), f.range};
            if (f.default_value) fd.default_value = dsl::ast::Literal{*f.default_value, f.range};
            fd.range = f.range;
            decl.fields.push_back(std::move(fd));
        }
        file.declarations.emplace_back(std::move(decl));
    }
    return file;
}

}  // namespace

std::optional<Target> parse_target(const dsl::Program& p, std::string_view text, bool allow_id,
                                   std::vector<Diagnostic>& diags) {
    std::string_view body = trim(text);
    if (allow_id) {
        std::string_view digits = body.starts_with("f-") ? body.substr(2) : body;
        if (!digits.empty() && std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
            FactId id = 0;
            auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
            if (ec == std::errc{} && ptr == digits.data() + digits.size()) {
                Target t;
                t.id = id;
                t.text = std::string(body);
                return t;
            }
        }
    }
    std::string pattern(body);
    if (is_identifier(pattern)) pattern += "()";

    // The pattern is checked as the one condition of a query, on a line of its own so
    // that a diagnostic quotes exactly what the user wrote.
    const std::string prefix = "query why_target when\n";
    auto sources = std::make_shared<dsl::SourceSet>(*p.sources);
    dsl::Diagnostics d(*sources);
    dsl::FileId fid = sources->add("pattern", prefix + pattern + "\nend\n");
    std::vector<dsl::ast::File> files;
    files.push_back(template_declarations(p));
    files.push_back(dsl::parse_rules(sources->file(fid), d));
    if (!d.has_errors()) {
        const auto& decls = files.back().declarations;
        const auto* q = decls.size() == 1 ? v2::get_if<dsl::ast::Query>(&decls[0]) : nullptr;
        if (!q || q->conditions.size() != 1 || !v2::get_if<dsl::ast::Pattern>(&q->conditions[0].node)) {
            auto begin = static_cast<std::uint32_t>(prefix.size());
            d.error({fid, begin, begin + static_cast<std::uint32_t>(pattern.size())},
                    "expected one pattern, such as ceded_initiative(to: Beijing)");
        }
    }
    std::optional<Target> out;
    if (!d.has_errors()) {
        std::optional<dsl::Program> checked = dsl::check(files, sources, d);
        if (checked && !d.has_errors()) {
            out.emplace();
            out->pattern = checked->queries.at(0).conditions.at(0).pattern;
            out->variables = checked->queries.at(0).variables;
            out->text = pattern;
        }
    }
    for (Diagnostic& diag : d.take()) {
        // Line 1 of the query is the wrapper: count lines from the pattern's own.
        if (diag.location.path == "pattern" && diag.location.line > 1) {
            --diag.location.line;
            if (diag.location.end_line > 1) --diag.location.end_line;
        }
        diags.push_back(std::move(diag));
    }
    if (!diags.empty() && std::any_of(diags.begin(), diags.end(), [](const Diagnostic& x) {
            return x.severity == Severity::Error;
        }))
        return std::nullopt;
    return out;
}

}  // namespace demarche::explain
