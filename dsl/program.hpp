// The checked program: every name resolved to an id or index, every type known.
// Immutable once built; this is all the engine sees of the rule text.
#pragma once

#include "operators.hpp"
#include "source.hpp"

#include <demarche/function.hpp>
#include <demarche/value.hpp>

#include <boost/variant2/variant.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace demarche::dsl {

using TemplateId = std::uint32_t;
using FieldIndex = std::uint32_t;
using RuleId = std::uint32_t;
using QueryId = std::uint32_t;
/// A rule's (or query's) variables are numbered 0..n-1 in order of first appearance.
using VarSlot = std::uint32_t;

enum class FieldType { Symbol, String, Int, Float, Bool, Any };
std::string_view to_string(FieldType t) noexcept;
/// True when a value of kind `k` may be stored in a field of type `t` (float accepts int).
/// Inline: every value a rule asserts is checked.
inline bool accepts(FieldType t, ValueKind k) noexcept {
    switch (t) {
    case FieldType::Symbol: return k == ValueKind::Symbol;
    case FieldType::String: return k == ValueKind::String;
    case FieldType::Int: return k == ValueKind::Int;
    case FieldType::Float: return k == ValueKind::Float || k == ValueKind::Int;
    case FieldType::Bool: return k == ValueKind::Bool;
    case FieldType::Any: return true;
    }
    return false;
}

/// `name: type = default`
struct Field {
    std::string name;
    FieldType type = FieldType::Any;
    std::optional<Value> default_value;  ///< absent: the field must be given
    SourceRange range;
};

/// A fact schema: `template offer { kind: symbol ... }`.
struct Template {
    TemplateId id = 0;
    std::string name;
    std::vector<Field> fields;
    SourceRange range;

    std::optional<FieldIndex> field_index(std::string_view field) const noexcept;
};

/// A reference to a variable bound earlier (or earlier in the same pattern).
struct VarRef {
    VarSlot slot;
};
/// What a constraint or `in` list compares against.
using Operand = boost::variant2::variant<Value, VarRef>;

/// One test on one field of the fact a pattern matches, in source order.
struct FieldTest {
    enum class Kind {
        Bind,     ///< first use of a variable: the field's value is bound to `slot`
        Compare,  ///< field `op` operand (equality with a literal or bound variable included)
        Member,   ///< field equals one of `operands`
    };
    Kind kind = Kind::Compare;
    FieldIndex field = 0;
    VarSlot slot = 0;                ///< Bind only
    CompareOp op = CompareOp::Eq;    ///< Compare only
    std::vector<Operand> operands;   ///< Compare: exactly one; Member: the options
    SourceRange range;
};

/// Matches one fact of template `tmpl` that passes every test.
struct Pattern {
    TemplateId tmpl = 0;
    std::vector<FieldTest> tests;
    std::optional<VarSlot> fact_var;  ///< `?v <-`
    SourceRange range;
};

/// A checked expression. A flat node: `kind` says which members are meaningful.
struct Expr {
    enum class Kind { Literal, Variable, Unary, Binary, Call };
    Kind kind = Kind::Literal;
    Value literal{false};
    VarSlot var = 0;
    UnaryOp unary = UnaryOp::Neg;
    BinaryOp binary = BinaryOp::Add;
    Builtin builtin = Builtin::Abs;
    /// Call of a user function (then `builtin` means nothing); it lives in the program's
    /// `functions`, so as long as the program.
    const FunctionSignature* function = nullptr;
    std::vector<Expr> args;  ///< Unary: 1, Binary: 2, Call: the arguments
    SourceRange range;
};

/// The name a call expression calls: a user function's or a builtin's.
inline std::string_view call_name(const Expr& e) noexcept {
    return e.function ? std::string_view(e.function->name) : to_string(e.builtin);
}

/// The field type spelled like a public ValueType (the two enums list the same types).
inline FieldType field_type(ValueType t) noexcept { return static_cast<FieldType>(t); }
static_assert(static_cast<int>(ValueType::Any) == static_cast<int>(FieldType::Any) &&
              static_cast<int>(ValueType::Float) == static_cast<int>(FieldType::Float));

/// One condition of a rule or query. `Not` and `Exists` hold their body in `group`
/// (a single pattern is a group of one).
struct Condition {
    enum class Kind { Pattern, Not, Exists, Where };
    Kind kind = Kind::Pattern;
    Pattern pattern;               ///< Pattern
    std::vector<Condition> group;  ///< Not, Exists
    Expr test;                     ///< Where
    SourceRange range;
};

/// One action of a rule's right-hand side.
struct Action {
    enum class Kind { Assert, Retract, Modify, Print, Halt };
    Kind kind = Kind::Halt;
    bool logical = false;       ///< Assert: `assert logical`
    TemplateId tmpl = 0;        ///< Assert; Modify: the template of the bound fact
    VarSlot target = 0;         ///< Retract, Modify: the fact variable
    std::vector<Expr> values;   ///< Assert: one per field in template order, defaults filled in; Print: the arguments
    std::vector<std::pair<FieldIndex, Expr>> changes;  ///< Modify
    SourceRange range;
};

/// What the checker knows about one variable of a rule or query.
struct VariableInfo {
    std::string name;       ///< without `?`
    bool is_fact = false;   ///< bound by `?v <-` rather than to a field value
    SourceRange first_use;
};

struct Rule {
    RuleId id = 0;  ///< declaration order across all files; breaks agenda ties
    std::string name;
    std::string description;
    std::int64_t salience = 0;
    std::string source;
    std::vector<Condition> conditions;
    std::vector<Action> actions;
    std::vector<VariableInfo> variables;  ///< indexed by VarSlot
    SourceRange range;
};

struct Query {
    QueryId id = 0;
    std::string name;
    std::vector<VarSlot> params;  ///< slots of the parameters, in order
    std::vector<Condition> conditions;
    std::vector<VariableInfo> variables;
    SourceRange range;
};

/// A fact given in a `facts` block or fact file, with every field filled in.
struct InitialFact {
    TemplateId tmpl = 0;
    std::vector<Value> values;  ///< one per field, in template order
    SourceRange range;
};

/// One checked line of a test's `expect` section.
struct Expectation {
    enum class Kind { Present, Absent, Printed, Fired };
    Kind kind = Kind::Present;
    /// Present: the one pattern that some fact must match. Absent: the body of the `not`,
    /// which nothing may match. Variables are local to the expectation.
    std::vector<Condition> conditions;
    std::vector<VariableInfo> variables;  ///< indexed by VarSlot
    std::string line;                     ///< Printed
    std::uint64_t count = 0;              ///< Fired
    SourceRange range;
};

/// `test name ... end`: facts to run the rules on, and what must hold afterwards.
struct Test {
    std::string name;
    std::string description;
    std::string strategy;  ///< "depth", "breadth", "lex" or "mea"; empty: the default
    std::vector<InitialFact> given;  ///< asserted after the program's `facts` blocks
    std::vector<Expectation> expectations;
    SourceRange range;
};

/// The checked program. Built once by `check`, shared read-only by any number of runs.
struct Program {
    std::shared_ptr<const SourceSet> sources;
    std::vector<Template> templates;         ///< indexed by TemplateId
    std::vector<Rule> rules;                 ///< indexed by RuleId
    std::vector<Query> queries;              ///< indexed by QueryId
    std::vector<InitialFact> initial_facts;  ///< in load order
    /// In load order. Never run by a normal run: their facts are not initial facts.
    std::vector<Test> tests;
    /// The user functions calls may name (a copy of the registry given to compile); may be null.
    std::shared_ptr<const FunctionRegistry> functions;
    std::map<std::string, TemplateId, std::less<>> template_ids;
    std::map<std::string, RuleId, std::less<>> rule_ids;
    std::map<std::string, QueryId, std::less<>> query_ids;

    const Template* find_template(std::string_view name) const;
};

}  // namespace demarche::dsl

namespace demarche {

/// Facts from fact files (see compile.hpp), in file order, then order within each file.
struct FactSet {
    std::shared_ptr<const dsl::SourceSet> sources;  ///< the fact files' text
    std::vector<dsl::InitialFact> facts;
};

}  // namespace demarche
