// The compiler of integer programs (int_program.hpp).
#include "int_program.hpp"

#include <utility>

namespace demarche::engine {

namespace {

class IntCompiler {
public:
    explicit IntCompiler(const std::vector<Binding>& bindings) : bindings_(bindings) {}

    bool test(const dsl::Expr& e) {
        using dsl::BinaryOp;
        if (e.kind == dsl::Expr::Kind::Unary && e.unary == dsl::UnaryOp::Not)
            return test(e.args[0]) && emit({.op = Op::Not}, 0);
        if (e.kind != dsl::Expr::Kind::Binary) return false;
        switch (e.binary) {
        case BinaryOp::And:
        case BinaryOp::Or: {
            if (!test(e.args[0])) return false;
            const std::size_t jump = out_.code.size();
            emit({.op = e.binary == BinaryOp::And ? Op::AndJump : Op::OrJump}, -1);
            if (!test(e.args[1])) return false;
            out_.code[jump].target = static_cast<std::uint32_t>(out_.code.size());
            return true;
        }
        case BinaryOp::Eq:
        case BinaryOp::Ne:
        case BinaryOp::Lt:
        case BinaryOp::Le:
        case BinaryOp::Gt:
        case BinaryOp::Ge: return operands(e) && emit({.op = op_of(e.binary)}, -1);
        default: return false;
        }
    }

    /// An arithmetic expression, whose value the program leaves on the stack.
    bool expression(const dsl::Expr& e) { return value(e); }

    IntProgram take() { return std::move(out_); }

private:
    using Op = IntProgram::Op;

    /// The instruction of an arithmetic or comparison operator.
    static Op op_of(dsl::BinaryOp b) noexcept {
        using dsl::BinaryOp;
        switch (b) {
        case BinaryOp::Add: return Op::Add;
        case BinaryOp::Sub: return Op::Sub;
        case BinaryOp::Mul: return Op::Mul;
        case BinaryOp::Div: return Op::Div;
        case BinaryOp::Mod: return Op::Mod;
        case BinaryOp::Eq: return Op::Eq;
        case BinaryOp::Ne: return Op::Ne;
        case BinaryOp::Lt: return Op::Lt;
        case BinaryOp::Le: return Op::Le;
        case BinaryOp::Gt: return Op::Gt;
        default: return Op::Ge;
        }
    }

    bool value(const dsl::Expr& e) {
        using dsl::BinaryOp;
        switch (e.kind) {
        case dsl::Expr::Kind::Literal: {
            const auto* i = boost::variant2::get_if<std::int64_t>(&e.literal);
            return i && emit({.op = Op::Literal, .literal = *i}, 1);
        }
        case dsl::Expr::Kind::Variable: {
            if (e.var >= bindings_.size()) return false;
            const Binding& b = bindings_[e.var];
            return b.bound && !b.whole_fact && emit({.op = Op::Load, .depth = b.depth, .field = b.field}, 1);
        }
        case dsl::Expr::Kind::Unary:
            return e.unary == dsl::UnaryOp::Neg && value(e.args[0]) && emit({.op = Op::Neg}, 0);
        case dsl::Expr::Kind::Binary:
            switch (e.binary) {
            case BinaryOp::Add:
            case BinaryOp::Sub:
            case BinaryOp::Mul:
            case BinaryOp::Div:
            case BinaryOp::Mod: return operands(e) && emit({.op = op_of(e.binary)}, -1);
            default: return false;
            }
        case dsl::Expr::Kind::Call: return false;
        }
        return false;
    }

    bool operands(const dsl::Expr& e) { return value(e.args[0]) && value(e.args[1]); }

    /// Appends `i`, which changes the stack's height by `change`; false if it gets too deep.
    bool emit(IntProgram::Instr i, int change) {
        out_.code.push_back(i);
        height_ += change;
        return height_ <= static_cast<int>(IntProgram::max_stack);
    }

    const std::vector<Binding>& bindings_;
    IntProgram out_;
    int height_ = 0;
};

}  // namespace

std::optional<IntProgram> IntProgram::compile_test(const dsl::Expr& test,
                                                   const std::vector<Binding>& bindings) {
    IntCompiler c(bindings);
    if (!c.test(test)) return std::nullopt;
    return c.take();
}

std::optional<IntProgram> IntProgram::compile_value(const dsl::Expr& e,
                                                    const std::vector<Binding>& bindings) {
    IntCompiler c(bindings);
    if (!c.expression(e)) return std::nullopt;
    return c.take();
}

}  // namespace demarche::engine
