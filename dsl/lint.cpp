// Static warnings over the checked program: unused templates, patterns that can never
// match, duplicated rules, pairs of rules whose outcome depends on agenda order.
#include "lint.hpp"

#include <optional>
#include <string>

namespace demarche::dsl {

namespace {

namespace v2 = boost::variant2;

// What each template is used for across the program.
struct Uses {
    std::vector<bool> matched;   // by some pattern or query
    std::vector<bool> produced;  // asserted by a rule, or given as a fact
};

void mark_matched(const std::vector<Condition>& conds, Uses& uses) {
    for (const Condition& c : conds) {
        if (c.kind == Condition::Kind::Pattern) uses.matched[c.pattern.tmpl] = true;
        mark_matched(c.group, uses);
    }
}

Uses collect_uses(const Program& program, const std::vector<InitialFact>* inputs) {
    Uses uses{std::vector<bool>(program.templates.size()), std::vector<bool>(program.templates.size())};
    for (const Rule& r : program.rules) {
        mark_matched(r.conditions, uses);
        for (const Action& a : r.actions)
            if (a.kind == Action::Kind::Assert || a.kind == Action::Kind::Modify) uses.produced[a.tmpl] = true;
    }
    for (const Query& q : program.queries) mark_matched(q.conditions, uses);
    for (const InitialFact& f : program.initial_facts) uses.produced[f.tmpl] = true;
    if (inputs != nullptr)
        for (const InitialFact& f : *inputs) uses.produced[f.tmpl] = true;
    return uses;
}

// ---- Contradictions among the literal tests on one field ----

std::optional<double> as_number(const Value& v) {
    if (const auto* i = v2::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
    if (const auto* d = v2::get_if<double>(&v)) return *d;
    return std::nullopt;
}

// Whether `v` passes `op bound` (comparisons of numbers only; other kinds are left alone).
std::optional<bool> passes(const Value& v, CompareOp op, const Value& bound) {
    if (op == CompareOp::Eq) return same_value(v, bound);
    if (op == CompareOp::Ne) return !same_value(v, bound);
    auto a = as_number(v), b = as_number(bound);
    if (!a || !b) return std::nullopt;
    switch (op) {
    case CompareOp::Lt: return *a < *b;
    case CompareOp::Le: return *a <= *b;
    case CompareOp::Gt: return *a > *b;
    case CompareOp::Ge: return *a >= *b;
    default: return std::nullopt;
    }
}

const Value* literal_operand(const FieldTest& t) {
    if (t.operands.size() != 1) return nullptr;
    return v2::get_if<Value>(&t.operands.front());
}

// A range on one field, narrowed test by test; empty once a lower bound passes the upper.
struct Interval {
    std::optional<double> low, high;
    bool low_open = false, high_open = false;

    void add(CompareOp op, double x) {
        if ((op == CompareOp::Gt || op == CompareOp::Ge) && (!low || x > *low || (x == *low && op == CompareOp::Gt))) {
            low = x;
            low_open = op == CompareOp::Gt;
        }
        if ((op == CompareOp::Lt || op == CompareOp::Le) && (!high || x < *high || (x == *high && op == CompareOp::Lt))) {
            high = x;
            high_open = op == CompareOp::Lt;
        }
    }
    bool empty() const { return low && high && (*low > *high || (*low == *high && (low_open || high_open))); }
};

// The first test of a pattern that, together with the literal tests on the same field
// before it, no value can pass; null when there is none.
const FieldTest* first_contradiction(const Pattern& p) {
    for (std::size_t i = 0; i < p.tests.size(); ++i) {
        const FieldTest& t = p.tests[i];
        if (t.kind == FieldTest::Kind::Bind) continue;
        // Candidate values this field could hold, judged by the literal tests so far.
        std::vector<const Value*> required;  // equalities and `in` lists pin the value down
        Interval range;
        std::vector<const FieldTest*> others;
        for (std::size_t j = 0; j <= i; ++j) {
            const FieldTest& u = p.tests[j];
            if (u.field != t.field || u.kind == FieldTest::Kind::Bind) continue;
            if (u.kind == FieldTest::Kind::Compare) {
                const Value* lit = literal_operand(u);
                if (lit == nullptr) continue;
                if (u.op == CompareOp::Eq) required.push_back(lit);
                else if (auto x = as_number(*lit); x && u.op != CompareOp::Ne) range.add(u.op, *x);
                others.push_back(&u);
            } else {
                others.push_back(&u);
            }
        }
        if (range.empty()) return &t;
        // With a pinned value, every other literal test must accept it.
        for (const Value* v : required) {
            for (const FieldTest* u : others) {
                if (u->kind == FieldTest::Kind::Member) {
                    bool any = false, all_literal = true;
                    for (const Operand& o : u->operands) {
                        const Value* opt = v2::get_if<Value>(&o);
                        if (opt == nullptr) all_literal = false;
                        else any = any || same_value(*v, *opt);
                    }
                    if (all_literal && !any) return &t;
                } else if (const Value* lit = literal_operand(*u)) {
                    if (passes(*v, u->op, *lit) == false) return &t;
                }
            }
        }
    }
    return nullptr;
}

// ---- Structural equality of conditions, ignoring source ranges ----

bool same_operands(const std::vector<Operand>& a, const std::vector<Operand>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].index() != b[i].index()) return false;
        if (const auto* x = v2::get_if<Value>(&a[i])) {
            if (!same_value(*x, v2::get<Value>(b[i]))) return false;
        } else if (v2::get<VarRef>(a[i]).slot != v2::get<VarRef>(b[i]).slot) {
            return false;
        }
    }
    return true;
}

bool same_expr(const Expr& a, const Expr& b) {
    if (a.kind != b.kind || a.args.size() != b.args.size()) return false;
    switch (a.kind) {
    case Expr::Kind::Literal:
        if (!same_value(a.literal, b.literal)) return false;
        break;
    case Expr::Kind::Variable:
        if (a.var != b.var) return false;
        break;
    case Expr::Kind::Unary:
        if (a.unary != b.unary) return false;
        break;
    case Expr::Kind::Binary:
        if (a.binary != b.binary) return false;
        break;
    case Expr::Kind::Call:
        if (a.builtin != b.builtin || a.function != b.function) return false;
        break;
    }
    for (std::size_t i = 0; i < a.args.size(); ++i)
        if (!same_expr(a.args[i], b.args[i])) return false;
    return true;
}

bool same_conditions(const std::vector<Condition>& a, const std::vector<Condition>& b);

bool same_condition(const Condition& a, const Condition& b) {
    if (a.kind != b.kind) return false;
    switch (a.kind) {
    case Condition::Kind::Pattern: {
        const Pattern& p = a.pattern;
        const Pattern& q = b.pattern;
        if (p.tmpl != q.tmpl || p.fact_var != q.fact_var || p.tests.size() != q.tests.size()) return false;
        for (std::size_t i = 0; i < p.tests.size(); ++i) {
            const FieldTest& s = p.tests[i];
            const FieldTest& t = q.tests[i];
            if (s.kind != t.kind || s.field != t.field) return false;
            if (s.kind == FieldTest::Kind::Bind ? s.slot != t.slot
                                                : (s.kind == FieldTest::Kind::Compare && s.op != t.op) ||
                                                      !same_operands(s.operands, t.operands))
                return false;
        }
        return true;
    }
    case Condition::Kind::Not:
    case Condition::Kind::Exists: return same_conditions(a.group, b.group);
    case Condition::Kind::Where: return same_expr(a.test, b.test);
    }
    return false;
}

bool same_conditions(const std::vector<Condition>& a, const std::vector<Condition>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (!same_condition(a[i], b[i])) return false;
    return true;
}

// ---- The checks ----

void check_patterns(const Program& program, const Rule& rule, const std::vector<Condition>& conds,
                    const Uses* uses, bool positive, Diagnostics& diags) {
    for (const Condition& c : conds) {
        if (c.kind == Condition::Kind::Pattern) {
            const Template& t = program.templates[c.pattern.tmpl];
            if (const FieldTest* bad = first_contradiction(c.pattern)) {
                diags.warning(bad->range, "the constraints on field '" + t.fields[bad->field].name +
                                              "' contradict each other, so this pattern never matches");
            } else if (uses != nullptr && positive && !uses->produced[t.id]) {
                diags.warning(c.pattern.range, "rule '" + rule.name + "' can never fire: no rule asserts a '" +
                                                   t.name + "' fact and no fact file gives one");
            }
        }
        // Inside not/exists a pattern that never matches is a different story (the
        // condition is simply always true or false); only contradictions are reported.
        check_patterns(program, rule, c.group, nullptr, false, diags);
    }
}

// ---- Pairs of rules whose outcome depends on which fires first ----

// Whether one fact could pass every literal test of both patterns (tests against variables
// are taken to pass: they depend on the other facts of each activation).
bool may_match_both(const Pattern& p, const Pattern& q) {
    if (p.tmpl != q.tmpl) return false;
    Pattern both = p;
    both.tests.insert(both.tests.end(), q.tests.begin(), q.tests.end());
    return first_contradiction(both) == nullptr;
}

// The fact an `assert` makes, as a pattern testing the fields whose values are literals.
Pattern asserted_pattern(const Action& a) {
    Pattern p;
    p.tmpl = a.tmpl;
    for (std::size_t f = 0; f < a.values.size(); ++f) {
        if (a.values[f].kind != Expr::Kind::Literal) continue;
        FieldTest t;
        t.field = static_cast<FieldIndex>(f);
        t.operands.emplace_back(a.values[f].literal);
        p.tests.push_back(std::move(t));
    }
    return p;
}

// The top-level positive pattern that binds fact variable `slot`.
const Pattern* bound_pattern(const Rule& r, VarSlot slot) {
    for (const Condition& c : r.conditions)
        if (c.kind == Condition::Kind::Pattern && c.pattern.fact_var == slot) return &c.pattern;
    return nullptr;
}

bool tests_field(const Pattern& p, FieldIndex f) {
    for (const FieldTest& t : p.tests)
        if (t.field == f) return true;
    return false;
}

// Whether `later` needs a fact of a template that `earlier` asserts: then `later` is
// usually activated by `earlier` firing, not alongside it.
bool needs_output_of(const Rule& later, const Rule& earlier) {
    for (const Condition& c : later.conditions) {
        if (c.kind != Condition::Kind::Pattern) continue;
        for (const Action& a : earlier.actions)
            if (a.kind == Action::Kind::Assert && a.tmpl == c.pattern.tmpl) return true;
    }
    return false;
}

// The top-level positive pattern of `r` that binds variable `slot` to a field, and the field.
const Pattern* binder(const Rule& r, VarSlot slot, FieldIndex& field) {
    for (const Condition& c : r.conditions) {
        if (c.kind != Condition::Kind::Pattern) continue;
        for (const FieldTest& t : c.pattern.tests)
            if (t.kind == FieldTest::Kind::Bind && t.slot == slot) {
                field = t.field;
                return &c.pattern;
            }
    }
    return nullptr;
}

// Whether the fact `assert_action` of `a` adds can be the one `negated` (a pattern inside a
// `not` of `b`) looks for in the same situation. Where the asserted field's value and
// the negated field's test both come from the same field of facts of one template, those
// facts must be able to be the same fact: `greet` asserting greeting(to: ?n) for a staff
// person does not rule out a greeting that `b` looks for a manager.
bool may_join(const Rule& a, const Action& assert_action, const Rule& b, const Pattern& negated) {
    for (const FieldTest& t : negated.tests) {
        if (t.kind != FieldTest::Kind::Compare || t.op != CompareOp::Eq || t.operands.size() != 1) continue;
        const auto* ref = v2::get_if<VarRef>(&t.operands.front());
        const Expr& value = assert_action.values[t.field];
        if (ref == nullptr || value.kind != Expr::Kind::Variable) continue;
        FieldIndex fa = 0, fb = 0;
        const Pattern* pa = binder(a, value.var, fa);
        const Pattern* pb = binder(b, ref->slot, fb);
        if (pa != nullptr && pb != nullptr && pa->tmpl == pb->tmpl && fa == fb && !may_match_both(*pa, *pb))
            return false;
    }
    return true;
}

// Where `action` of rule `a` takes away a condition of rule `b`: the pattern or `not`
// condition of `b` it defeats, or null. A retract or modify removes a fact a positive
// pattern of `b` may match (a modify only when `b` looks at a field it changes, as
// otherwise `b` matches the new fact just as well); an assert adds a fact a `not` of `b`
// may match.
const Condition* defeated_by(const Rule& a, const Action& action, const Rule& b) {
    if (action.kind == Action::Kind::Retract || action.kind == Action::Kind::Modify) {
        const Pattern* removed = bound_pattern(a, action.target);
        if (removed == nullptr) return nullptr;
        for (const Condition& c : b.conditions) {
            if (c.kind != Condition::Kind::Pattern || !may_match_both(*removed, c.pattern)) continue;
            if (action.kind == Action::Kind::Retract) return &c;
            for (const auto& change : action.changes)
                if (tests_field(c.pattern, change.first)) return &c;
        }
    } else if (action.kind == Action::Kind::Assert) {
        const Pattern added = asserted_pattern(action);
        for (const Condition& c : b.conditions) {
            if (c.kind != Condition::Kind::Not) continue;
            for (const Condition& inner : c.group)
                if (inner.kind == Condition::Kind::Pattern && may_match_both(added, inner.pattern) &&
                    may_join(a, action, b, inner.pattern))
                    return &c;
        }
    }
    return nullptr;
}

// Whether `a` and `b` each need a fact of some template and no fact can serve both:
// goal_is_to(action: walk) against goal_is_to(action: climb). Rule bases use such control
// facts to run rules in phases, so the two are taken never to be active at once.
bool in_different_phases(const Rule& a, const Rule& b) {
    for (const Condition& c : a.conditions) {
        if (c.kind != Condition::Kind::Pattern) continue;
        bool shared = false, compatible = false;
        for (const Condition& x : a.conditions) {
            if (x.kind != Condition::Kind::Pattern || x.pattern.tmpl != c.pattern.tmpl) continue;
            for (const Condition& y : b.conditions) {
                if (y.kind != Condition::Kind::Pattern || y.pattern.tmpl != c.pattern.tmpl) continue;
                shared = true;
                compatible = compatible || may_match_both(x.pattern, y.pattern);
            }
        }
        if (shared && !compatible) return true;
    }
    return false;
}

void check_agenda_order(const Program& program, Diagnostics& diags) {
    for (const Rule& a : program.rules) {
        for (const Rule& b : program.rules) {
            if (a.id == b.id || a.salience != b.salience || needs_output_of(a, b) || in_different_phases(a, b))
                continue;
            for (const Action& action : a.actions) {
                const Condition* defeated = defeated_by(a, action, b);
                if (defeated == nullptr) continue;
                const std::string& tmpl = program.templates[action.tmpl].name;
                const std::string what = action.kind == Action::Kind::Assert   ? "asserts a '" + tmpl + "' fact that"
                                         : action.kind == Action::Kind::Retract ? "retracts a '" + tmpl + "' fact that"
                                                                                : "modifies a '" + tmpl + "' fact that";
                const std::string use = defeated->kind == Condition::Kind::Not ? " rules out" : " matches";
                Diagnostic& d = diags.warning(
                    action.range, "rule '" + a.name + "' " + what + " rule '" + b.name + "'" + use +
                                      ": when both are active at once, which fires first decides whether '" + b.name +
                                      "' fires, and both have salience " + std::to_string(a.salience));
                diags.note(d, defeated->range,
                           "rule '" + b.name + (defeated->kind == Condition::Kind::Not ? "' rules it out here"
                                                                                      : "' matches it here"));
                break;  // one warning per pair
            }
        }
    }
}

}  // namespace

void lint(const Program& program, const std::vector<InitialFact>* inputs, Diagnostics& diags) {
    Uses uses = collect_uses(program, inputs);
    for (const Template& t : program.templates)
        if (!uses.matched[t.id] && !uses.produced[t.id])
            diags.warning(t.range, "template '" + t.name + "' is never used: no pattern matches it and nothing "
                                   "asserts or gives it");

    for (const Rule& r : program.rules) {
        check_patterns(program, r, r.conditions, inputs != nullptr ? &uses : nullptr, true, diags);
        for (const Rule& earlier : program.rules) {
            if (earlier.id >= r.id) break;
            if (!same_conditions(earlier.conditions, r.conditions)) continue;
            Diagnostic& d = diags.warning(r.range, "rule '" + r.name + "' has the same conditions as rule '" +
                                                       earlier.name + "'; one rule with both actions says it once");
            diags.note(d, earlier.range, "rule '" + earlier.name + "' declared here");
            break;
        }
    }
    check_agenda_order(program, diags);
}

}  // namespace demarche::dsl
