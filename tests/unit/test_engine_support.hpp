// Hand-built programs for the engine unit tests: the engine is tested apart from the
// parser and checker, so these helpers make dsl::Program pieces directly.
#pragma once

#include "dsl/program.hpp"

#include <demarche/value.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace demarche::test {

using namespace demarche::dsl;

/// A small deterministic generator for the randomized tests: the same sequence on every
/// run and platform.
class Lcg {
public:
    explicit Lcg(std::uint32_t seed) : state_(seed) {}
    /// A number in [0, n).
    std::uint32_t next(std::uint32_t n) {
        state_ = state_ * 1103515245u + 12345u;
        return (state_ >> 16) % n;
    }

private:
    std::uint32_t state_;
};

inline Value sym(const char* s) { return Value(Symbol::intern(s)); }
inline Value num(std::int64_t i) { return Value(i); }

inline FieldTest bind(FieldIndex f, VarSlot s) {
    FieldTest t;
    t.kind = FieldTest::Kind::Bind;
    t.field = f;
    t.slot = s;
    return t;
}
inline FieldTest eq(FieldIndex f, Value v) {
    FieldTest t;
    t.field = f;
    t.operands = {std::move(v)};
    return t;
}
inline FieldTest eqv(FieldIndex f, VarSlot s, CompareOp op = CompareOp::Eq) {
    FieldTest t;
    t.field = f;
    t.op = op;
    t.operands = {VarRef{s}};
    return t;
}
inline Condition pat(TemplateId tmpl, std::vector<FieldTest> tests, std::optional<VarSlot> fact_var = {}) {
    Condition c;
    c.kind = Condition::Kind::Pattern;
    c.pattern.tmpl = tmpl;
    c.pattern.tests = std::move(tests);
    c.pattern.fact_var = fact_var;
    return c;
}
inline Condition group(Condition::Kind k, std::vector<Condition> body) {
    Condition c;
    c.kind = k;
    c.group = std::move(body);
    return c;
}
inline Condition not_(std::vector<Condition> body) { return group(Condition::Kind::Not, std::move(body)); }
inline Condition exists_(std::vector<Condition> body) { return group(Condition::Kind::Exists, std::move(body)); }

inline Expr lit(Value v) {
    Expr e;
    e.kind = Expr::Kind::Literal;
    e.literal = std::move(v);
    return e;
}
inline Expr var(VarSlot s) {
    Expr e;
    e.kind = Expr::Kind::Variable;
    e.var = s;
    return e;
}
inline Expr bin(BinaryOp op, Expr a, Expr b) {
    Expr e;
    e.kind = Expr::Kind::Binary;
    e.binary = op;
    e.args.push_back(std::move(a));
    e.args.push_back(std::move(b));
    return e;
}
inline Expr call(Builtin fn, std::vector<Expr> args) {
    Expr e;
    e.kind = Expr::Kind::Call;
    e.builtin = fn;
    e.args = std::move(args);
    return e;
}
inline Condition where(Expr e) {
    Condition c;
    c.kind = Condition::Kind::Where;
    c.test = std::move(e);
    return c;
}

inline Action assert_(TemplateId tmpl, std::vector<Expr> values, bool logical = false) {
    Action a;
    a.kind = Action::Kind::Assert;
    a.tmpl = tmpl;
    a.values = std::move(values);
    a.logical = logical;
    return a;
}
inline Action retract_(VarSlot s) {
    Action a;
    a.kind = Action::Kind::Retract;
    a.target = s;
    return a;
}
inline Action modify_(TemplateId tmpl, VarSlot s, std::vector<std::pair<FieldIndex, Expr>> changes) {
    Action a;
    a.kind = Action::Kind::Modify;
    a.tmpl = tmpl;
    a.target = s;
    a.changes = std::move(changes);
    return a;
}
inline Action print_(std::vector<Expr> values) {
    Action a;
    a.kind = Action::Kind::Print;
    a.values = std::move(values);
    return a;
}
inline Action halt_() { return Action{}; }

/// A program under construction; templates have fields of type `any` unless typed.
struct Builder {
    std::shared_ptr<Program> p = std::make_shared<Program>();

    Builder() {
        auto sources = std::make_shared<SourceSet>();
        sources->add("test.rules", "rule r\n");
        p->sources = sources;
    }

    TemplateId tmpl(const std::string& name, std::vector<std::string> fields,
                    FieldType type = FieldType::Any) {
        Template t;
        t.id = static_cast<TemplateId>(p->templates.size());
        t.name = name;
        for (auto& f : fields) t.fields.push_back({f, type, std::nullopt, {}});
        p->template_ids[name] = t.id;
        p->templates.push_back(std::move(t));
        return p->templates.back().id;
    }

    RuleId rule(const std::string& name, std::vector<Condition> conds, std::vector<Action> acts,
                std::size_t variables, std::int64_t salience = 0) {
        Rule r;
        r.id = static_cast<RuleId>(p->rules.size());
        r.name = name;
        r.salience = salience;
        r.conditions = std::move(conds);
        r.actions = std::move(acts);
        for (std::size_t i = 0; i < variables; ++i) r.variables.push_back({"v" + std::to_string(i), false, {}});
        p->rule_ids[name] = r.id;
        p->rules.push_back(std::move(r));
        return p->rules.back().id;
    }

    void fact(TemplateId t, std::vector<Value> values) { p->initial_facts.push_back({t, std::move(values), {}}); }
};

}  // namespace demarche::test
