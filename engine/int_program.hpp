// Integer expressions compiled once into postfix code over (depth, field): the network's
// `where` tests and the engine's right-hand sides run them instead of walking the
// expression tree.
#pragma once

#include "evaluator.hpp"
#include "network.hpp"

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <vector>

namespace demarche::engine {

/// An expression made only of the integer part of the language (int literals, variables
/// bound to fields, + - * / %, unary minus, and for tests comparisons and and/or/not),
/// compiled into postfix code whose variables are already (depth, field). Through the
/// Expr tree, with an optional per node and a virtual call per variable, Waltz's
/// junction tests took ~900 instructions each. It decides exactly what the integer path
/// of evaluate and evaluate_test would; what it cannot (a value that is not an int,
/// overflow, division by zero) is left to them, and they do the whole expression again
/// and raise its errors.
struct IntProgram {
    enum class Op : std::uint8_t {
        Literal, Load, Neg, Not, Add, Sub, Mul, Div, Mod, Eq, Ne, Lt, Le, Gt, Ge, AndJump, OrJump
    };
    struct Instr {
        Op op = Op::Literal;
        std::int64_t literal = 0;
        std::uint32_t depth = 0;     ///< Load: the fact's level
        dsl::FieldIndex field = 0;   ///< Load
        /// AndJump / OrJump: where to go, leaving the left operand as the result, when it
        /// decides the test; otherwise it is popped and the right operand follows.
        std::uint32_t target = 0;
    };
    /// Deeper expressions are not compiled, so that the stack is a fixed array.
    static constexpr std::size_t max_stack = 16;
    std::vector<Instr> code;

    /// A `where` test; null when it (or a variable it reads) is outside what a program
    /// can do.
    static std::optional<IntProgram> compile_test(const dsl::Expr& test,
                                                  const std::vector<Binding>& bindings);
    /// An arithmetic expression (not a lone literal or variable, which need no program);
    /// null as for compile_test.
    static std::optional<IntProgram> compile_value(const dsl::Expr& e,
                                                   const std::vector<Binding>& bindings);

    /// The result (a test's: 0 or 1), reading the fact at each depth from
    /// `fact_at(depth)`; nullopt when the general evaluation must decide.
    template <class FactAt>
    std::optional<std::int64_t> run(FactAt fact_at) const noexcept;
};

template <class FactAt>
std::optional<std::int64_t> IntProgram::run(FactAt fact_at) const noexcept {
    using dsl::BinaryOp;
    std::int64_t stack[max_stack];
    std::size_t n = 0;
    // A binary operator pops its right operand and replaces its left one by the result.
    auto arithmetic = [&](BinaryOp op) {
        const std::int64_t b = stack[--n];
        std::optional<std::int64_t> r = int_arithmetic(op, stack[n - 1], b);
        if (r) stack[n - 1] = *r;
        return r.has_value();
    };
    auto compare = [&](auto holds) {
        const std::int64_t b = stack[--n];
        stack[n - 1] = holds(stack[n - 1], b);
    };
    std::size_t pc = 0;
    while (pc < code.size()) {
        const Instr& i = code[pc++];
        switch (i.op) {
        case Op::Literal: stack[n++] = i.literal; break;
        case Op::Load: {
            const Fact* f = fact_at(i.depth);
            const auto* v = f ? boost::variant2::get_if<std::int64_t>(&f->values[i.field]) : nullptr;
            if (!v) return std::nullopt;
            stack[n++] = *v;
            break;
        }
        case Op::Neg:
            if (stack[n - 1] == std::numeric_limits<std::int64_t>::min()) return std::nullopt;
            stack[n - 1] = -stack[n - 1];
            break;
        case Op::Not: stack[n - 1] = !stack[n - 1]; break;
        case Op::Add: if (!arithmetic(BinaryOp::Add)) return std::nullopt; break;
        case Op::Sub: if (!arithmetic(BinaryOp::Sub)) return std::nullopt; break;
        case Op::Mul: if (!arithmetic(BinaryOp::Mul)) return std::nullopt; break;
        case Op::Div: if (!arithmetic(BinaryOp::Div)) return std::nullopt; break;
        case Op::Mod: if (!arithmetic(BinaryOp::Mod)) return std::nullopt; break;
        case Op::Eq: compare(std::equal_to<>{}); break;
        case Op::Ne: compare(std::not_equal_to<>{}); break;
        case Op::Lt: compare(std::less<>{}); break;
        case Op::Le: compare(std::less_equal<>{}); break;
        case Op::Gt: compare(std::greater<>{}); break;
        case Op::Ge: compare(std::greater_equal<>{}); break;
        case Op::AndJump:
        case Op::OrJump:
            if ((stack[n - 1] != 0) == (i.op == Op::OrJump))
                pc = i.target;
            else
                --n;
            break;
        }
    }
    return stack[0];
}

}  // namespace demarche::engine
