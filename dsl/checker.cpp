// Syntax tree to checked program: templates first (so declaration order across files does
// not matter for them), then facts blocks, rules and queries in load order.
#include "checker.hpp"
#include "parser.hpp"

#include "checker_support.hpp"
#include "suggest.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <utility>

namespace demarche::dsl {

namespace {

namespace v2 = boost::variant2;
using detail::ArgShape;

/// Deeper expressions get a diagnostic rather than exhausting the stack here or in the
/// engine. Parentheses are bounded by the parser; long operator chains are not.
constexpr unsigned max_expression_depth = 1000;

constexpr std::array<std::pair<std::string_view, FieldType>, 6> field_types{{
    {"symbol", FieldType::Symbol},
    {"string", FieldType::String},
    {"int", FieldType::Int},
    {"float", FieldType::Float},
    {"bool", FieldType::Bool},
    {"any", FieldType::Any},
}};

struct Arity {
    std::size_t min;
    std::size_t max;  // SIZE_MAX: no upper bound
};

Arity arity_of(Builtin fn) {
    switch (fn) {
        case Builtin::Abs:
        case Builtin::Len:
            return {1, 1};
        case Builtin::Min:
        case Builtin::Max:
            return {1, SIZE_MAX};
        case Builtin::Str:
            return {0, SIZE_MAX};
    }
    return {0, SIZE_MAX};
}

std::string count_text(std::size_t n, std::string_view one, std::string_view many) {
    return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

/// What the checker knows about one variable name while it walks a rule or query.
struct VarState {
    enum class Status {
        Unbound,  ///< a query parameter no pattern has bound yet
        Bound,    ///< visible from here on
        Inner,    ///< first bound inside a `not`/`exists` that has ended
    };
    VarSlot slot = 0;
    Status status = Status::Unbound;
    bool is_fact = false;
    const Template* fact_tmpl = nullptr;  ///< `?v <-` on a known template
    SourceRange bound_at;
    unsigned depth = 0;           ///< how many `not`/`exists` groups enclose the binding
    std::string_view inner_kind;  ///< "not" or "exists", for Inner
};

/// Checks the conditions and actions of one rule or query, numbering its variables.
class BodyChecker {
public:
    BodyChecker(const Program& program, Diagnostics& diags) : program_(program), diags_(diags) {}

    void declare_param(const ast::Variable& v, std::vector<VarSlot>& params);
    void require_params_bound(const std::vector<ast::Variable>& params);
    std::vector<Condition> conditions(const std::vector<ast::Condition>& conds);
    /// One condition on its own (a test's expectation).
    Condition single(const ast::Condition& c) { return condition(c); }
    std::vector<Action> actions(const std::vector<ast::Action>& acts);
    std::vector<VariableInfo> take_variables() { return std::move(variables_); }

private:
    Condition condition(const ast::Condition& c);
    std::vector<Condition> group(const std::vector<ast::Condition>& body, std::string_view kind);
    void empty_group(const ast::Condition& c, std::string_view kind);
    Pattern pattern(const ast::Pattern& p);
    void constraint(const ast::Constraint& c, const Template* tmpl, std::optional<FieldIndex> f,
                    std::vector<FieldTest>& tests);
    std::optional<Operand> operand(const ast::Term& term, const Template* tmpl, std::optional<FieldIndex> f);
    Expr expr(const ast::Expr& e, unsigned depth);
    Expr value_expr(const ast::Expr& e, const Template* tmpl, std::optional<FieldIndex> f);
    void user_call(const ast::CallExpr& call, const FunctionSignature& fn, Expr& out);
    std::optional<FieldType> static_type(const Expr& e) const;
    Action assert_action(const ast::AssertAction& a);
    Action modify_action(const ast::ModifyAction& m);
    std::optional<FieldIndex> modify_field(const ast::ActionArg& arg, const Template* tmpl,
                                           std::vector<const ast::Identifier*>& given, bool& reported_positional);

    VarState& state_for(const std::string& name, SourceRange range);
    VarSlot bind_value(const ast::Variable& v);
    VarSlot bind_fact(const ast::Variable& v, const Template* tmpl);
    std::optional<VarSlot> use_value(const std::string& name, SourceRange range);
    const VarState* fact_target(const ast::Variable& v);
    void report_not_visible(const std::string& name, SourceRange range, const VarState* st);

    const Program& program_;
    Diagnostics& diags_;
    std::vector<VariableInfo> variables_;
    std::map<std::string, VarState, std::less<>> vars_;
    std::set<std::string, std::less<>> reported_;  // one report per misused name
    std::map<VarSlot, FieldType> var_types_;  // the field type a value variable is bound to
    unsigned depth_ = 0;
    bool reported_too_deep_ = false;
};

VarState& BodyChecker::state_for(const std::string& name, SourceRange range) {
    auto it = vars_.find(name);
    if (it == vars_.end()) {
        VarState st;
        st.slot = static_cast<VarSlot>(variables_.size());
        variables_.push_back({name, false, range});
        it = vars_.emplace(name, st).first;
    }
    return it->second;
}

void BodyChecker::declare_param(const ast::Variable& v, std::vector<VarSlot>& params) {
    if (auto it = vars_.find(v.name); it != vars_.end()) {
        Diagnostic& d = diags_.error(v.range, "parameter ?" + v.name + " is given twice");
        diags_.note(d, variables_[it->second.slot].first_use, "first given here");
        return;
    }
    params.push_back(state_for(v.name, v.range).slot);
}

void BodyChecker::require_params_bound(const std::vector<ast::Variable>& params) {
    for (const ast::Variable& p : params) {
        const VarState& st = vars_.at(p.name);
        // Only the first of a repeated parameter: the repeat was reported already.
        const bool first = variables_[st.slot].first_use.begin == p.range.begin;
        if (first && st.status != VarState::Status::Bound)
            diags_.error(p.range, "query parameter ?" + p.name + " is not bound by any pattern of the query");
    }
}

VarSlot BodyChecker::bind_value(const ast::Variable& v) {
    VarState& st = state_for(v.name, v.range);
    st.status = VarState::Status::Bound;
    st.is_fact = false;
    st.fact_tmpl = nullptr;
    st.bound_at = v.range;
    st.depth = depth_;
    variables_[st.slot].is_fact = false;
    return st.slot;
}

VarSlot BodyChecker::bind_fact(const ast::Variable& v, const Template* tmpl) {
    if (auto it = vars_.find(v.name); it != vars_.end() && it->second.status == VarState::Status::Bound) {
        Diagnostic& d = diags_.error(v.range, "variable ?" + v.name + " is already bound");
        diags_.note(d, it->second.bound_at, "first bound here");
        return it->second.slot;
    }
    VarState& st = state_for(v.name, v.range);
    st.status = VarState::Status::Bound;
    st.is_fact = true;
    st.fact_tmpl = tmpl;
    st.bound_at = v.range;
    st.depth = depth_;
    variables_[st.slot].is_fact = true;
    return st.slot;
}

void BodyChecker::report_not_visible(const std::string& name, SourceRange range, const VarState* st) {
    if (!reported_.insert(name).second) return;
    if (st != nullptr && st->status == VarState::Status::Inner) {
        Diagnostic& d = diags_.error(range, "variable ?" + name + " is bound only inside '" +
                                                std::string(st->inner_kind) + "' and cannot be used here");
        diags_.note(d, st->bound_at, "bound here");
        return;
    }
    diags_.error(range, "variable ?" + name + " is used before it is bound");
}

std::optional<VarSlot> BodyChecker::use_value(const std::string& name, SourceRange range) {
    auto it = vars_.find(name);
    const VarState* st = it == vars_.end() ? nullptr : &it->second;
    if (st == nullptr || st->status != VarState::Status::Bound) {
        report_not_visible(name, range, st);
        return std::nullopt;
    }
    if (st->is_fact) {
        if (reported_.insert(name).second) {
            Diagnostic& d = diags_.error(
                range, "variable ?" + name + " is bound to a fact and cannot be used as a value");
            diags_.note(d, st->bound_at, "bound to a fact here");
        }
        return std::nullopt;
    }
    return st->slot;
}

const VarState* BodyChecker::fact_target(const ast::Variable& v) {
    auto it = vars_.find(v.name);
    const VarState* st = it == vars_.end() ? nullptr : &it->second;
    if (st != nullptr && st->status == VarState::Status::Inner) {
        report_not_visible(v.name, v.range, st);
        return nullptr;
    }
    if (st == nullptr || st->status != VarState::Status::Bound) {
        diags_.error(v.range, "variable ?" + v.name + " is not bound to a fact (bind one with '?" + v.name +
                                  " <- template(...)')");
        return nullptr;
    }
    if (!st->is_fact) {
        Diagnostic& d =
            diags_.error(v.range, "variable ?" + v.name + " is bound to a field value, not to a fact");
        diags_.note(d, st->bound_at, "bound here; bind a fact with '?" + v.name + " <- template(...)'");
        return nullptr;
    }
    return st;
}

std::vector<Condition> BodyChecker::conditions(const std::vector<ast::Condition>& conds) {
    std::vector<Condition> out;
    out.reserve(conds.size());
    for (const ast::Condition& c : conds) out.push_back(condition(c));
    return out;
}

Condition BodyChecker::condition(const ast::Condition& c) {
    Condition out;
    out.range = c.range;
    if (const auto* p = v2::get_if<ast::Pattern>(&c.node)) {
        out.kind = Condition::Kind::Pattern;
        out.pattern = pattern(*p);
    } else if (const auto* n = v2::get_if<ast::NotCondition>(&c.node)) {
        out.kind = Condition::Kind::Not;
        out.group = group(n->body, "not");
        if (n->body.empty()) empty_group(c, "not");
    } else if (const auto* e = v2::get_if<ast::ExistsCondition>(&c.node)) {
        out.kind = Condition::Kind::Exists;
        out.group = group(e->body, "exists");
        if (e->body.empty()) empty_group(c, "exists");
    } else if (const auto* w = v2::get_if<ast::WhereCondition>(&c.node)) {
        out.kind = Condition::Kind::Where;
        out.test = expr(w->test, 0);
    }
    return out;
}

// An empty body is almost always conditions commented out or not yet written; read
// literally it would make `not { }` never hold and `exists { }` always hold, silently.
void BodyChecker::empty_group(const ast::Condition& c, std::string_view kind) {
    diags_.error(c.range, "'" + std::string(kind) +
                              " { }' has no conditions; put a pattern or a 'where' test inside the braces, "
                              "or remove it");
}

std::vector<Condition> BodyChecker::group(const std::vector<ast::Condition>& body, std::string_view kind) {
    ++depth_;
    std::vector<Condition> out = conditions(body);
    // Variables first bound inside this group stay inside it.
    for (auto& entry : vars_) {
        VarState& st = entry.second;
        if (st.status == VarState::Status::Bound && st.depth == depth_) {
            st.status = VarState::Status::Inner;
            st.inner_kind = kind;
        }
    }
    --depth_;
    return out;
}

Pattern BodyChecker::pattern(const ast::Pattern& p) {
    Pattern out;
    out.range = p.range;
    const Template* tmpl =
        detail::lookup_template(program_, p.template_name.name, p.template_name.range, diags_);
    if (tmpl != nullptr) out.tmpl = tmpl->id;
    if (p.fact_binding) out.fact_var = bind_fact(*p.fact_binding, tmpl);

    // After an unknown template or field the constraints are still walked, so the
    // variables they bind do not cause "used before it is bound" reports later on.
    std::vector<std::optional<FieldIndex>> fields(p.args.size());
    if (tmpl != nullptr) {
        std::vector<ArgShape> shapes;
        shapes.reserve(p.args.size());
        for (const ast::PatternArg& a : p.args) shapes.push_back({a.field ? &*a.field : nullptr, a.range});
        detail::ArgMapping mapping;
        detail::map_arguments(*tmpl, shapes, p.template_name.range, diags_, mapping);
        fields = std::move(mapping.fields);
    }
    for (std::size_t i = 0; i < p.args.size(); ++i)
        for (const ast::Constraint& c : p.args[i].conjuncts) constraint(c, tmpl, fields[i], out.tests);
    return out;
}

void BodyChecker::constraint(const ast::Constraint& c, const Template* tmpl, std::optional<FieldIndex> f,
                             std::vector<FieldTest>& tests) {
    const bool known = tmpl != nullptr && f.has_value();
    FieldTest test;
    test.field = f.value_or(0);
    test.range = c.range;
    if (const auto* t = v2::get_if<ast::TermConstraint>(&c.node)) {
        if (const auto* var = v2::get_if<ast::Variable>(&t->term)) {
            auto it = vars_.find(var->name);
            if (it != vars_.end() && it->second.status == VarState::Status::Bound) {
                // A later use of a bound variable: equality (this is how patterns join).
                auto slot = use_value(var->name, var->range);
                if (!known || !slot) return;
                test.kind = FieldTest::Kind::Compare;
                test.op = CompareOp::Eq;
                test.operands.emplace_back(VarRef{*slot});
            } else {
                // A name bound only inside an earlier `not`/`exists` cannot be bound afresh
                // outside it: `not blocked(who: ?p)  person(name: ?p)` reads as if the two
                // ?p were one, and silently meaning "nobody is blocked" would be a trap.
                // A sibling group at the same depth may reuse the name for its own binding.
                if (it != vars_.end() && it->second.status == VarState::Status::Inner &&
                    depth_ < it->second.depth) {
                    report_not_visible(var->name, var->range, &it->second);
                    return;
                }
                const VarSlot slot = bind_value(*var);
                // A name bound again (in a sibling group) to another type has no one type.
                const FieldType type = known ? tmpl->fields[*f].type : FieldType::Any;
                auto [entry, fresh] = var_types_.emplace(slot, type);
                if (!fresh && entry->second != type) entry->second = FieldType::Any;
                if (!known) return;
                test.kind = FieldTest::Kind::Bind;
                test.slot = slot;
            }
        } else {
            auto value = operand(t->term, tmpl, f);
            if (!known || !value) return;
            test.kind = FieldTest::Kind::Compare;
            test.op = CompareOp::Eq;
            test.operands.push_back(std::move(*value));
        }
    } else if (const auto* cmp = v2::get_if<ast::CompareConstraint>(&c.node)) {
        auto value = operand(cmp->rhs, tmpl, f);
        if (!known || !value) return;
        test.kind = FieldTest::Kind::Compare;
        test.op = cmp->op;
        test.operands.push_back(std::move(*value));
    } else if (const auto* in = v2::get_if<ast::InConstraint>(&c.node)) {
        bool ok = true;
        test.kind = FieldTest::Kind::Member;
        for (const ast::Term& option : in->options) {
            auto value = operand(option, tmpl, f);
            if (value)
                test.operands.push_back(std::move(*value));
            else
                ok = false;
        }
        if (!known || !ok) return;
    }
    tests.push_back(std::move(test));
}

std::optional<Operand> BodyChecker::operand(const ast::Term& term, const Template* tmpl,
                                            std::optional<FieldIndex> f) {
    if (const auto* var = v2::get_if<ast::Variable>(&term)) {
        if (auto slot = use_value(var->name, var->range)) return Operand(VarRef{*slot});
        return std::nullopt;
    }
    const auto& lit = v2::get<ast::Literal>(term);
    if (tmpl == nullptr || !f) return Operand(lit.value);
    if (auto v = detail::fit_value(*tmpl, *f, lit.value, lit.range, diags_)) return Operand(std::move(*v));
    return std::nullopt;
}

Expr BodyChecker::expr(const ast::Expr& e, unsigned depth) {
    Expr out;
    out.range = e.range;
    if (depth > max_expression_depth) {
        if (!reported_too_deep_)
            diags_.error(e.range, "expression is nested too deeply (more than " +
                                      std::to_string(max_expression_depth) + " levels)");
        reported_too_deep_ = true;
        return out;
    }
    if (const auto* lit = v2::get_if<ast::Literal>(&e.node)) {
        out.kind = Expr::Kind::Literal;
        out.literal = lit->value;
    } else if (const auto* var = v2::get_if<ast::VariableExpr>(&e.node)) {
        out.kind = Expr::Kind::Variable;
        if (auto slot = use_value(var->name, e.range)) out.var = *slot;
    } else if (const auto* u = v2::get_if<ast::UnaryExpr>(&e.node)) {
        out.kind = Expr::Kind::Unary;
        out.unary = u->op;
        if (u->operand) out.args.push_back(expr(*u->operand, depth + 1));
    } else if (const auto* b = v2::get_if<ast::BinaryExpr>(&e.node)) {
        out.kind = Expr::Kind::Binary;
        out.binary = b->op;
        if (b->lhs) out.args.push_back(expr(*b->lhs, depth + 1));
        if (b->rhs) out.args.push_back(expr(*b->rhs, depth + 1));
    } else if (const auto* call = v2::get_if<ast::CallExpr>(&e.node)) {
        out.kind = Expr::Kind::Call;
        const std::string& name = call->function.name;
        const auto fn = builtin_named(name);
        const FunctionSignature* user = !fn && program_.functions ? program_.functions->find(name) : nullptr;
        if (user) {
            user_call(*call, *user, out);
            for (const ast::ExprPtr& arg : call->args)
                if (arg) out.args.push_back(expr(*arg, depth + 1));
            for (std::size_t i = 0; i < out.args.size() && i < user->params.size(); ++i) {
                const std::optional<FieldType> type = static_type(out.args[i]);
                const FieldType param = field_type(user->params[i]);
                if (type && !accepts(param, static_cast<ValueKind>(*type)))
                    diags_.error(out.args[i].range, "argument " + std::to_string(i + 1) + " of '" + name +
                                                        "' must be " + std::string(to_string(param)) + ", got " +
                                                        std::string(to_string(*type)));
            }
            return out;
        }
        if (!fn) {
            std::vector<std::string_view> known{"abs", "min", "max", "len", "str"};
            if (program_.functions)
                for (const FunctionSignature& f : program_.functions->functions()) known.push_back(f.name);
            diags_.error(call->function.range, "unknown function '" + name + "'" + did_you_mean(name, known));
        } else {
            out.builtin = *fn;
            const Arity arity = arity_of(*fn);
            const std::size_t n = call->args.size();
            if (n < arity.min || n > arity.max) {
                std::string expected = arity.min == arity.max ? "" : "at least ";
                expected += count_text(arity.min, "argument", "arguments");
                diags_.error(call->function.range, "'" + name + "' takes " + expected + ", but " +
                                                       count_text(n, "was", "were") + " given");
            }
        }
        for (const ast::ExprPtr& arg : call->args)
            if (arg) out.args.push_back(expr(*arg, depth + 1));
    }
    return out;
}

void BodyChecker::user_call(const ast::CallExpr& call, const FunctionSignature& fn, Expr& out) {
    out.function = &fn;
    const std::size_t n = call.args.size();
    if (n != fn.params.size())
        diags_.error(call.function.range, "'" + fn.name + "' takes " +
                                              count_text(fn.params.size(), "argument", "arguments") + ", but " +
                                              count_text(n, "was", "were") + " given");
}

// The type an expression is known to have before running, where it is known: literals,
// variables bound to typed fields, and calls with a declared result. Nothing for the rest
// (arithmetic may give an int or a float), which the evaluator checks when it runs.
std::optional<FieldType> BodyChecker::static_type(const Expr& e) const {
    switch (e.kind) {
    case Expr::Kind::Literal: return static_cast<FieldType>(kind_of(e.literal));
    case Expr::Kind::Variable: {
        auto it = var_types_.find(e.var);
        if (it == var_types_.end() || it->second == FieldType::Any) return std::nullopt;
        return it->second;
    }
    case Expr::Kind::Unary:
        if (e.unary == UnaryOp::Not) return FieldType::Bool;
        return std::nullopt;
    case Expr::Kind::Binary:
        switch (e.binary) {
        case BinaryOp::Add:
        case BinaryOp::Sub:
        case BinaryOp::Mul:
        case BinaryOp::Div:
        case BinaryOp::Mod: return std::nullopt;
        default: return FieldType::Bool;
        }
    case Expr::Kind::Call:
        if (e.function) {
            if (e.function->result == ValueType::Any) return std::nullopt;
            return field_type(e.function->result);
        }
        if (e.builtin == Builtin::Str) return FieldType::String;
        if (e.builtin == Builtin::Len) return FieldType::Int;
        return std::nullopt;
    }
    return std::nullopt;
}

Expr BodyChecker::value_expr(const ast::Expr& e, const Template* tmpl, std::optional<FieldIndex> f) {
    Expr out = expr(e, 0);
    if (out.kind == Expr::Kind::Call && out.function && tmpl != nullptr && f) {
        const Field& field = tmpl->fields[*f];
        const std::optional<FieldType> type = static_type(out);
        if (type && !accepts(field.type, static_cast<ValueKind>(*type)))
            diags_.error(out.range, "'" + out.function->name + "' returns " + std::string(to_string(*type)) +
                                        ", but field '" + field.name + "' of '" + tmpl->name + "' is " +
                                        std::string(to_string(field.type)));
    }
    if (out.kind == Expr::Kind::Literal && tmpl != nullptr && f) {
        const auto* lit = v2::get_if<ast::Literal>(&e.node);
        if (auto v = detail::fit_value(*tmpl, *f, out.literal, lit->range, diags_))
            out.literal = std::move(*v);
    }
    return out;
}

std::vector<Action> BodyChecker::actions(const std::vector<ast::Action>& acts) {
    std::vector<Action> out;
    out.reserve(acts.size());
    for (const ast::Action& a : acts) {
        Action action;
        if (const auto* as = v2::get_if<ast::AssertAction>(&a.node)) {
            action = assert_action(*as);
        } else if (const auto* r = v2::get_if<ast::RetractAction>(&a.node)) {
            action.kind = Action::Kind::Retract;
            if (fact_target(r->target)) action.target = vars_.at(r->target.name).slot;
        } else if (const auto* m = v2::get_if<ast::ModifyAction>(&a.node)) {
            action = modify_action(*m);
        } else if (const auto* p = v2::get_if<ast::PrintAction>(&a.node)) {
            action.kind = Action::Kind::Print;
            for (const ast::Expr& e : p->args) action.values.push_back(expr(e, 0));
        } else {
            action.kind = Action::Kind::Halt;
        }
        action.range = a.range;
        out.push_back(std::move(action));
    }
    return out;
}

Action BodyChecker::assert_action(const ast::AssertAction& a) {
    Action out;
    out.kind = Action::Kind::Assert;
    out.logical = a.logical;
    const Template* tmpl =
        detail::lookup_template(program_, a.template_name.name, a.template_name.range, diags_);
    if (tmpl == nullptr) {
        // Still check the values: their variables may be misused too.
        for (const ast::ActionArg& arg : a.args) expr(arg.value, 0);
        return out;
    }
    out.tmpl = tmpl->id;
    std::vector<ArgShape> shapes;
    shapes.reserve(a.args.size());
    for (const ast::ActionArg& arg : a.args) shapes.push_back({arg.field ? &*arg.field : nullptr, arg.range});
    detail::ArgMapping mapping;
    detail::map_arguments(*tmpl, shapes, a.template_name.range, diags_, mapping);

    std::vector<std::optional<Expr>> values(tmpl->fields.size());
    std::vector<bool> given(tmpl->fields.size(), false);
    for (std::size_t i = 0; i < a.args.size(); ++i) {
        const auto f = mapping.fields[i];
        Expr e = value_expr(a.args[i].value, tmpl, f);
        if (!f) continue;
        given[*f] = true;
        values[*f] = std::move(e);
    }
    if (mapping.complete)
        detail::check_required(*tmpl, given, "asserted fact", a.template_name.range, diags_);

    out.values.reserve(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (values[i]) {
            out.values.push_back(std::move(*values[i]));
            continue;
        }
        const Field& field = tmpl->fields[i];
        Expr def;
        def.kind = Expr::Kind::Literal;
        if (field.default_value) def.literal = *field.default_value;
        def.range = field.range;
        out.values.push_back(std::move(def));
    }
    return out;
}

std::optional<FieldIndex> BodyChecker::modify_field(const ast::ActionArg& arg, const Template* tmpl,
                                                    std::vector<const ast::Identifier*>& given,
                                                    bool& reported_positional) {
    if (!arg.field) {
        if (!reported_positional) diags_.error(arg.range, "modify takes named fields ('field: value')");
        reported_positional = true;
        return std::nullopt;
    }
    if (tmpl == nullptr) return std::nullopt;
    std::optional<FieldIndex> f = tmpl->field_index(arg.field->name);
    if (!f) {
        detail::report_unknown_field(*tmpl, arg.field->name, arg.field->range, diags_);
        return std::nullopt;
    }
    if (const ast::Identifier* first = given[*f]) {
        Diagnostic& d = diags_.error(arg.field->range, "field '" + arg.field->name + "' is given twice");
        diags_.note(d, first->range, "first given here");
        return std::nullopt;
    }
    given[*f] = &*arg.field;
    return f;
}

Action BodyChecker::modify_action(const ast::ModifyAction& m) {
    Action out;
    out.kind = Action::Kind::Modify;
    const VarState* st = fact_target(m.target);
    const Template* tmpl = st != nullptr ? st->fact_tmpl : nullptr;
    if (st != nullptr) out.target = st->slot;
    if (tmpl != nullptr) out.tmpl = tmpl->id;

    std::vector<const ast::Identifier*> given(tmpl != nullptr ? tmpl->fields.size() : 0, nullptr);
    bool reported_positional = false;
    for (const ast::ActionArg& arg : m.args) {
        // The field, when it is known and given once. Computed in one expression: g++ 12
        // at -O3 reports a std::optional assigned in branches as maybe-uninitialized.
        const std::optional<FieldIndex> f = modify_field(arg, tmpl, given, reported_positional);
        Expr e = value_expr(arg.value, tmpl, f);
        if (f) out.changes.emplace_back(*f, std::move(e));
    }
    return out;
}

/// Checks every declaration of every file and builds the program.
class Checker {
public:
    Checker(const std::vector<ast::File>& files, Diagnostics& diags, std::shared_ptr<const FunctionRegistry> functions)
        : files_(files), diags_(diags) {
        program_.functions = std::move(functions);
    }

    Program run() {
        for (const ast::File& file : files_)
            for (const ast::Declaration& decl : file.declarations)
                if (const auto* t = v2::get_if<ast::Template>(&decl)) declare_template(*t);
        detail::FactChecker fact_checker(program_, diags_);
        for (const ast::File& file : files_) {
            for (const ast::Declaration& decl : file.declarations) {
                if (const auto* facts = v2::get_if<ast::FactsBlock>(&decl)) {
                    for (const ast::Fact& f : facts->facts)
                        if (auto fact = fact_checker.check(f))
                            program_.initial_facts.push_back(std::move(*fact));
                } else if (const auto* r = v2::get_if<ast::Rule>(&decl)) {
                    check_rule(*r);
                } else if (const auto* q = v2::get_if<ast::Query>(&decl)) {
                    check_query(*q);
                } else if (const auto* t = v2::get_if<ast::Test>(&decl)) {
                    check_test(*t, fact_checker);
                }
            }
        }
        return std::move(program_);
    }

private:
    void declare_template(const ast::Template& decl);
    void check_rule(const ast::Rule& decl);
    void check_query(const ast::Query& decl);
    void check_test(const ast::Test& decl, detail::FactChecker& fact_checker);
    Expectation check_expectation(const ast::Expectation& e);

    /// Records `name` in `ids`, or reports it as a duplicate; false for a duplicate.
    template <class Id>
    bool declare_name(std::map<std::string, Id, std::less<>>& ids,
                      std::map<std::string, SourceRange, std::less<>>& first, const ast::Identifier& name,
                      Id id, std::string_view what) {
        auto [it, fresh] = first.try_emplace(name.name, name.range);
        if (!fresh) {
            Diagnostic& d =
                diags_.error(name.range, "duplicate " + std::string(what) + " '" + name.name + "'");
            diags_.note(d, it->second, "first declared here");
            return false;
        }
        ids.emplace(name.name, id);
        return true;
    }

    const std::vector<ast::File>& files_;
    Diagnostics& diags_;
    Program program_;
    std::map<std::string, SourceRange, std::less<>> template_names_, rule_names_, query_names_, test_names_;
    std::map<std::string, std::size_t, std::less<>> test_ids_;
};

void Checker::declare_template(const ast::Template& decl) {
    Template tmpl;
    tmpl.id = static_cast<TemplateId>(program_.templates.size());
    tmpl.name = decl.name.name;
    // Notes point at the template's name: the whole declaration may span many lines.
    tmpl.range = decl.name.range;
    const bool fresh = declare_name(program_.template_ids, template_names_, decl.name, tmpl.id, "template");

    for (const ast::FieldDecl& fd : decl.fields) {
        if (auto dup = tmpl.field_index(fd.name.name)) {
            Diagnostic& d = diags_.error(
                fd.name.range, "duplicate field '" + fd.name.name + "' in template '" + tmpl.name + "'");
            diags_.note(d, tmpl.fields[*dup].range, "first declared here");
            continue;
        }
        Field field;
        field.name = fd.name.name;
        field.range = fd.range;
        bool type_known = false;
        for (const auto& [type_name, type] : field_types) {
            if (fd.type.name == type_name) {
                field.type = type;
                type_known = true;
            }
        }
        if (!type_known) {
            std::vector<std::string_view> known;
            for (const auto& entry : field_types) known.push_back(entry.first);
            diags_.error(fd.type.range, "unknown field type '" + fd.type.name + "'" +
                                            did_you_mean(fd.type.name, known) +
                                            " (field types: symbol string int float bool any)");
        }
        tmpl.fields.push_back(std::move(field));
        if (fd.default_value && type_known) {
            const auto index = static_cast<FieldIndex>(tmpl.fields.size() - 1);
            tmpl.fields.back().default_value = detail::fit_value(
                tmpl, index, fd.default_value->value, fd.default_value->range, diags_, "its default ");
        } else if (fd.default_value) {
            tmpl.fields.back().default_value = fd.default_value->value;
        }
    }
    if (fresh) program_.templates.push_back(std::move(tmpl));
}

void Checker::check_rule(const ast::Rule& decl) {
    Rule rule;
    rule.id = static_cast<RuleId>(program_.rules.size());
    rule.name = decl.name.name;
    rule.description = decl.description.value_or("");
    rule.salience = decl.salience.value_or(0);
    rule.source = decl.source.value_or("");
    rule.range = decl.range;
    declare_name(program_.rule_ids, rule_names_, decl.name, rule.id, "rule");
    BodyChecker body(program_, diags_);
    rule.conditions = body.conditions(decl.conditions);
    rule.actions = body.actions(decl.actions);
    rule.variables = body.take_variables();
    program_.rules.push_back(std::move(rule));
}

void Checker::check_query(const ast::Query& decl) {
    Query query;
    query.id = static_cast<QueryId>(program_.queries.size());
    query.name = decl.name.name;
    query.range = decl.range;
    declare_name(program_.query_ids, query_names_, decl.name, query.id, "query");
    BodyChecker body(program_, diags_);
    for (const ast::Variable& p : decl.params) body.declare_param(p, query.params);
    query.conditions = body.conditions(decl.conditions);
    body.require_params_bound(decl.params);
    query.variables = body.take_variables();
    program_.queries.push_back(std::move(query));
}

void Checker::check_test(const ast::Test& decl, detail::FactChecker& fact_checker) {
    Test test;
    test.name = decl.name.name;
    test.description = decl.description.value_or("");
    test.range = decl.range;
    declare_name(test_ids_, test_names_, decl.name, program_.tests.size(), "test");
    if (decl.strategy) {
        static constexpr std::array<std::string_view, 4> strategies{"depth", "breadth", "lex", "mea"};
        if (std::find(strategies.begin(), strategies.end(), decl.strategy->name) == strategies.end()) {
            diags_.error(decl.strategy->range,
                         "unknown strategy '" + decl.strategy->name + "'" +
                             did_you_mean(decl.strategy->name, {strategies.begin(), strategies.end()}) +
                             " (strategies: depth breadth lex mea)");
        }
        test.strategy = decl.strategy->name;
    }
    for (const ast::Fact& f : decl.given)
        if (auto fact = fact_checker.check(f)) test.given.push_back(std::move(*fact));
    // A test without expectations passes whatever the rules do, so it tests nothing.
    if (decl.expectations.empty())
        diags_.error(decl.name.range, "test '" + test.name + "' expects nothing; add an expectation after 'expect'");
    for (const ast::Expectation& e : decl.expectations) test.expectations.push_back(check_expectation(e));
    program_.tests.push_back(std::move(test));
}

Expectation Checker::check_expectation(const ast::Expectation& e) {
    Expectation out;
    out.range = e.range;
    switch (e.kind) {
        case ast::Expectation::Kind::Present: {
            out.kind = Expectation::Kind::Present;
            const auto& p = v2::get<ast::Pattern>(e.condition.front().node);
            if (p.fact_binding)
                diags_.error(p.fact_binding->range,
                             "an expectation cannot bind a fact variable; write the pattern alone");
            BodyChecker body(program_, diags_);
            out.conditions.push_back(body.single(e.condition.front()));
            out.variables = body.take_variables();
            break;
        }
        case ast::Expectation::Kind::Absent: {
            out.kind = Expectation::Kind::Absent;
            BodyChecker body(program_, diags_);
            out.conditions = std::move(body.single(e.condition.front()).group);
            out.variables = body.take_variables();
            break;
        }
        case ast::Expectation::Kind::Printed:
            out.kind = Expectation::Kind::Printed;
            out.line = v2::get<String>(e.value.value).str();
            break;
        case ast::Expectation::Kind::Fired: {
            out.kind = Expectation::Kind::Fired;
            const auto* n = v2::get_if<std::int64_t>(&e.value.value);
            if (n == nullptr || *n < 0)
                diags_.error(e.value.range, "'fired' needs a whole number of firings, 0 or more");
            else
                out.count = static_cast<std::uint64_t>(*n);
            break;
        }
    }
    return out;
}

}  // namespace

std::optional<Program> check(const std::vector<ast::File>& files, std::shared_ptr<const SourceSet> sources,
                             Diagnostics& diags, std::shared_ptr<const FunctionRegistry> functions) {
    Program program = Checker(files, diags, std::move(functions)).run();
    if (diags.has_errors()) return std::nullopt;
    program.sources = std::move(sources);
    return program;
}

std::vector<InitialFact> check_facts(const Program& program, const std::vector<ast::Fact>& facts,
                                     Diagnostics& diags) {
    std::vector<InitialFact> out;
    out.reserve(facts.size());
    detail::FactChecker fact_checker(program, diags);
    for (const ast::Fact& f : facts)
        if (auto fact = fact_checker.check(f)) out.push_back(std::move(*fact));
    return out;
}

std::vector<InitialFact> read_facts_file(const Program& program, const SourceFile& file, Diagnostics& diags) {
    std::vector<InitialFact> out;
    // Usually one fact a line; capped by size so a file of blank lines reserves little.
    // The line table has the count already: counting again cost 200 instructions a fact.
    out.reserve(std::min(file.line_starts.size(), file.text.size() / 8 + 1));
    detail::FactChecker fact_checker(program, diags);
    parse_facts(file, diags, [&](const ast::Fact& f) {
        if (auto fact = fact_checker.check(f)) out.push_back(std::move(*fact));
    });
    return out;
}

}  // namespace demarche::dsl
