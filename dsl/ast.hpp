// The syntax tree the parser builds: plain structs and variants, one per construct of
// docs/language.md, each with the source range it came from. Names are still text here;
// the checker resolves them into ids (program.hpp).
#pragma once

#include "operators.hpp"
#include "source.hpp"

#include <demarche/value.hpp>

#include <boost/variant2/variant.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace demarche::dsl::ast {

/// A name as written: `offer`, `kind`, `treaty_is_legal_instrument`.
struct Identifier {
    std::string name;
    SourceRange range;
};

/// A variable reference `?x`; `name` holds `x` without the `?`.
struct Variable {
    std::string name;
    SourceRange range;
};

/// A literal value: `peace_treaty`, `"text"`, `42`, `-1.5e3`, `true`.
struct Literal {
    Value value;
    SourceRange range;
};

// ---- Expressions (in `where` and action arguments) ----

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

/// `?x`
struct VariableExpr {
    std::string name;
};
/// `-e`, `not e`
struct UnaryExpr {
    UnaryOp op;
    ExprPtr operand;
};
/// `a + b`, `a and b`, `a <= b`, ...
struct BinaryExpr {
    BinaryOp op;
    ExprPtr lhs;
    ExprPtr rhs;
};
/// `max(?a, 3)`: any identifier followed by `(`; the checker knows which functions exist.
struct CallExpr {
    Identifier function;
    std::vector<ExprPtr> args;
};
/// Parentheses leave no node of their own; `range` covers them.
struct Expr {
    boost::variant2::variant<Literal, VariableExpr, UnaryExpr, BinaryExpr, CallExpr> node;
    SourceRange range;
};

// ---- Conditions (left-hand side) ----

/// A literal or a variable, as used inside constraints.
using Term = boost::variant2::variant<Literal, Variable>;

/// `peace_treaty` or `?n` alone: equality with a literal, or bind/test a variable.
struct TermConstraint {
    Term term;
};
/// `> 30`, `!= ?n`
struct CompareConstraint {
    CompareOp op;
    Term rhs;
};
/// `in [China, Russia, ?other]`
struct InConstraint {
    std::vector<Term> options;
};
/// One conjunct of `?a & >= 18 & < 65`.
struct Constraint {
    boost::variant2::variant<TermConstraint, CompareConstraint, InConstraint> node;
    SourceRange range;
};

/// One argument of a pattern: `field: c1 & c2` (named) or `c1 & c2` (positional).
struct PatternArg {
    std::optional<Identifier> field;  ///< absent in the positional form
    std::vector<Constraint> conjuncts;  ///< at least one
    SourceRange range;
};

/// `?v <- tmpl(arg, ...)`: matches one fact.
struct Pattern {
    std::optional<Variable> fact_binding;  ///< `?v <-`
    Identifier template_name;
    std::vector<PatternArg> args;
    SourceRange range;
};

struct Condition;
/// `not tmpl(...)` or `not { ... }`
struct NotCondition {
    std::vector<Condition> body;
    bool grouped = false;  ///< written with braces
};
/// `exists tmpl(...)` or `exists { ... }`
struct ExistsCondition {
    std::vector<Condition> body;
    bool grouped = false;
};
/// `where EXPR`
struct WhereCondition {
    Expr test;
};
struct Condition {
    boost::variant2::variant<Pattern, NotCondition, ExistsCondition, WhereCondition> node;
    SourceRange range;
};

// ---- Actions (right-hand side) ----

/// One argument of `assert` or `modify`: `field: expr` or a positional `expr`.
struct ActionArg {
    std::optional<Identifier> field;
    Expr value;
    SourceRange range;
};
/// `assert tmpl(...)` or `assert logical tmpl(...)`
struct AssertAction {
    bool logical = false;
    Identifier template_name;
    std::vector<ActionArg> args;
};
/// `retract ?v`
struct RetractAction {
    Variable target;
};
/// `modify ?v(field: expr, ...)`
struct ModifyAction {
    Variable target;
    std::vector<ActionArg> args;
};
/// `print e1, e2, ...`
struct PrintAction {
    std::vector<Expr> args;
};
/// `halt`
struct HaltAction {};
struct Action {
    boost::variant2::variant<AssertAction, RetractAction, ModifyAction, PrintAction, HaltAction>
        node;
    SourceRange range;
};

// ---- Declarations ----

/// `import "common.rules"`
struct Import {
    std::string path;  ///< as written, unescaped
    SourceRange range;
};

/// `name: type = default` inside a template.
struct FieldDecl {
    Identifier name;
    Identifier type;  ///< checked against symbol/string/int/float/bool/any
    std::optional<Literal> default_value;
    SourceRange range;
};
/// `template name { fields }`
struct Template {
    Identifier name;
    std::vector<FieldDecl> fields;
    SourceRange range;
};

/// One argument of a fact: `field: literal` or a positional literal.
struct FactArg {
    std::optional<Identifier> field;
    Literal value;
    SourceRange range;
};
/// `tmpl(arg, ...)` inside `facts { }` or a `.facts` file.
struct Fact {
    Identifier template_name;
    std::vector<FactArg> args;
    SourceRange range;
};
/// `facts [name] { fact... }`
struct FactsBlock {
    std::optional<Identifier> name;
    std::vector<Fact> facts;
    SourceRange range;
};

/// `rule name ["description"] [salience N] [source "text"] when conds then actions end`
struct Rule {
    Identifier name;
    std::optional<std::string> description;
    std::optional<std::int64_t> salience;
    SourceRange salience_range;
    std::optional<std::string> source;
    std::vector<Condition> conditions;
    std::vector<Action> actions;
    SourceRange range;
};

/// `query name(?p, ...) when conds end`
struct Query {
    Identifier name;
    std::vector<Variable> params;
    std::vector<Condition> conditions;
    SourceRange range;
};

/// One line of a test's `expect` section.
struct Expectation {
    enum class Kind {
        Present,  ///< `tmpl(...)`: some fact matches at the end of the run
        Absent,   ///< `not tmpl(...)` or `not { ... }`: no fact (combination) matches
        Printed,  ///< `printed "line"`: the run printed this line
        Fired,    ///< `fired 7`: the run made this many firings
    };
    Kind kind = Kind::Present;
    /// Present: one Pattern; Absent: one NotCondition (a vector so that the printer can lay
    /// it out like the conditions of a rule); empty for Printed and Fired.
    std::vector<Condition> condition;
    Literal value{Value(false), {}};      ///< Printed: the line; Fired: the count as written
    SourceRange range;
};

/// `test name ["description"] [strategy s] [given facts...] expect expectations... end`
/// (an extension of the contract; see docs/language.md, "Tests").
struct Test {
    Identifier name;
    std::optional<std::string> description;
    std::optional<Identifier> strategy;
    std::vector<Fact> given;
    std::vector<Expectation> expectations;
    SourceRange range;
};

using Declaration = boost::variant2::variant<Import, Template, FactsBlock, Rule, Query, Test>;

/// One parsed `.rules` file (or the facts of a `.facts` file, as one unnamed block).
struct File {
    FileId file = 0;
    std::vector<Declaration> declarations;
};

}  // namespace demarche::dsl::ast
