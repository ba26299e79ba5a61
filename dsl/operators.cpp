// Spellings of operators and builtins, for messages, the printer and traces.
#include "operators.hpp"

namespace demarche::dsl {

std::string_view to_string(CompareOp op) noexcept {
    switch (op) {
    case CompareOp::Eq: return "==";
    case CompareOp::Ne: return "!=";
    case CompareOp::Lt: return "<";
    case CompareOp::Le: return "<=";
    case CompareOp::Gt: return ">";
    case CompareOp::Ge: return ">=";
    }
    return "?";
}

std::string_view to_string(BinaryOp op) noexcept {
    switch (op) {
    case BinaryOp::Or: return "or";
    case BinaryOp::And: return "and";
    case BinaryOp::Eq: return "==";
    case BinaryOp::Ne: return "!=";
    case BinaryOp::Lt: return "<";
    case BinaryOp::Le: return "<=";
    case BinaryOp::Gt: return ">";
    case BinaryOp::Ge: return ">=";
    case BinaryOp::Add: return "+";
    case BinaryOp::Sub: return "-";
    case BinaryOp::Mul: return "*";
    case BinaryOp::Div: return "/";
    case BinaryOp::Mod: return "%";
    }
    return "?";
}

std::string_view to_string(UnaryOp op) noexcept { return op == UnaryOp::Neg ? "-" : "not"; }

std::string_view to_string(Builtin fn) noexcept {
    switch (fn) {
    case Builtin::Abs: return "abs";
    case Builtin::Min: return "min";
    case Builtin::Max: return "max";
    case Builtin::Len: return "len";
    case Builtin::Str: return "str";
    }
    return "?";
}

std::optional<Builtin> builtin_named(std::string_view name) noexcept {
    for (Builtin fn : {Builtin::Abs, Builtin::Min, Builtin::Max, Builtin::Len, Builtin::Str})
        if (to_string(fn) == name) return fn;
    return std::nullopt;
}

}  // namespace demarche::dsl
