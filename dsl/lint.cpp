// Static warnings over the checked program: unused templates, patterns that can never
// match, duplicated rules.
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
        if (a.builtin != b.builtin) return false;
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
}

}  // namespace demarche::dsl
