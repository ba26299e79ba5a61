// Functions the embedder registers for rule expressions to call, next to the builtins
// `abs min max len str`. Registered before compiling: the checker checks every call.
#pragma once

#include <demarche/export.hpp>
#include <demarche/value.hpp>

#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace demarche {

/// The type of a parameter or result, spelled as a field type. `Float` accepts an int
/// (converted to float); `Any` accepts every value.
enum class ValueType { Symbol, String, Int, Float, Bool, Any };

/// "symbol", "string", "int", "float", "bool", "any".
DEMARCHE_API std::string_view to_string(ValueType t) noexcept;

/// What a user function gives back: a value, or an error message that stops the run as
/// a runtime error (like a division by zero), reported with the rule and the call.
class FunctionResult {
public:
    /// A value. Its kind must fit the declared result type.
    FunctionResult(Value value) : value_(std::move(value)) {}
    /// An error; `message` says what went wrong (e.g. "no rate for country 'XY'").
    static FunctionResult error(std::string message) {
        FunctionResult r(Value(false));
        r.error_ = std::move(message);
        return r;
    }
    /// True for a value.
    bool ok() const noexcept { return !error_; }
    /// The value; meaningful only when ok().
    const Value& value() const noexcept { return value_; }
    /// The error message; empty when ok().
    const std::string& message() const noexcept {
        static const std::string none;
        return error_ ? *error_ : none;
    }

private:
    Value value_;
    std::optional<std::string> error_;
};

/// A user function: receives the arguments, already checked against (and converted to)
/// the declared parameter types, and returns a value or an error. It must be safe to call
/// from several threads at once (sessions on different threads share a program and its
/// functions) and should be pure, giving the same result for the same arguments: rules
/// may evaluate a `where` test more than once, and runs are only deterministic if the
/// functions are. An exception it throws becomes a runtime error as an error result does.
using Function = std::function<FunctionResult(std::span<const Value> args)>;

/// One registered function and its signature.
struct FunctionSignature {
    std::string name;
    std::vector<ValueType> params;
    ValueType result = ValueType::Any;
    Function fn;
};

/// The functions a program may call. Build it, then pass it in CompileOptions; compiling
/// takes a copy, so adding to the registry later changes no compiled program. Not
/// thread-safe while being built.
class DEMARCHE_API FunctionRegistry {
public:
    /// Registers `name(params...) -> result`. Returns the error, or nothing when it was
    /// added: a name that is not an identifier (a letter or `_`, then letters, digits or
    /// `_`), a keyword, a builtin's name (`abs min max len str`), a name registered
    /// already, or an empty `fn`.
    std::optional<std::string> add(std::string name, std::vector<ValueType> params, ValueType result, Function fn);

    /// The function named `name`, or null.
    const FunctionSignature* find(std::string_view name) const noexcept;

    /// Every function, in registration order.
    const std::vector<FunctionSignature>& functions() const noexcept { return functions_; }

private:
    std::vector<FunctionSignature> functions_;
    std::map<std::string, std::size_t, std::less<>> index_;
};

}  // namespace demarche
