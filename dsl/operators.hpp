// Operator and builtin vocabularies shared by the AST and the checked program.
#pragma once

#include <optional>
#include <string_view>

namespace demarche::dsl {

/// Comparison in a constraint (`age: > 30`) or an expression (`?a > 30`).
enum class CompareOp { Eq, Ne, Lt, Le, Gt, Ge };
/// Binary expression operators, loosest first as in the contract.
enum class BinaryOp { Or, And, Eq, Ne, Lt, Le, Gt, Ge, Add, Sub, Mul, Div, Mod };
enum class UnaryOp { Neg, Not };
/// The builtin functions of the contract: `abs min max len str`.
enum class Builtin { Abs, Min, Max, Len, Str };

std::string_view to_string(CompareOp op) noexcept;
std::string_view to_string(BinaryOp op) noexcept;
std::string_view to_string(UnaryOp op) noexcept;
std::string_view to_string(Builtin fn) noexcept;
std::optional<Builtin> builtin_named(std::string_view name) noexcept;

}  // namespace demarche::dsl
