// Expressions of `where` tests and action arguments, and the comparisons of pattern
// constraints: the value semantics of the language contract in one place.
#pragma once

#include "dsl/program.hpp"

#include <demarche/value.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>

namespace demarche::engine {

/// A runtime error in an expression: division by zero, overflow or a type mismatch.
/// `rule` is filled in by whoever knows which rule was evaluating.
struct EvalError {
    std::string message;
    dsl::SourceRange range;
    std::optional<std::uint32_t> rule;
};

/// Where an expression finds the values of its variables.
class VariableSource {
public:
    virtual Value value(dsl::VarSlot slot) const = 0;
    /// The value of `slot` where it is kept (a field of a fact), to be read without a
    /// copy; null when it is not kept anywhere (the source makes it, or cannot find it).
    virtual const Value* stored(dsl::VarSlot slot) const noexcept {
        (void)slot;
        return nullptr;
    }

protected:
    ~VariableSource() = default;
};

/// Evaluates `e`; throws EvalError.
Value evaluate(const dsl::Expr& e, const VariableSource& vars);

/// Evaluates a `where` test, which must give a bool; throws EvalError.
bool evaluate_test(const dsl::Expr& e, const VariableSource& vars);

/// A pattern constraint `field op operand`. Equality is `same_value` (kinds must agree,
/// as for literals); ordering compares numbers across int and float and symbols or
/// strings by text; an ordering of values that cannot be ordered is simply false.
bool constraint_holds(dsl::CompareOp op, const Value& field, const Value& operand) noexcept;

/// `a op b` for an arithmetic operator (+ - * / %) on two ints, or nullopt when only the
/// general evaluation can say what happens: overflow, division by zero, INT64_MIN / -1
/// and INT64_MIN % -1. Shared by the integer fast paths of `where` tests, which must
/// decide exactly the same cases; inline because they run it per operation.
inline std::optional<std::int64_t> int_arithmetic(dsl::BinaryOp op, std::int64_t a, std::int64_t b) noexcept {
    std::int64_t r = 0;
    switch (op) {
    case dsl::BinaryOp::Add:
        return __builtin_add_overflow(a, b, &r) ? std::nullopt : std::optional<std::int64_t>(r);
    case dsl::BinaryOp::Sub:
        return __builtin_sub_overflow(a, b, &r) ? std::nullopt : std::optional<std::int64_t>(r);
    case dsl::BinaryOp::Mul:
        return __builtin_mul_overflow(a, b, &r) ? std::nullopt : std::optional<std::int64_t>(r);
    case dsl::BinaryOp::Div:
    case dsl::BinaryOp::Mod:
        if (b == 0 || (a == std::numeric_limits<std::int64_t>::min() && b == -1)) return std::nullopt;
        return op == dsl::BinaryOp::Div ? a / b : a % b;
    default: return std::nullopt;
    }
}

/// Number of code points in UTF-8 text.
std::int64_t code_points(std::string_view text) noexcept;

}  // namespace demarche::engine
