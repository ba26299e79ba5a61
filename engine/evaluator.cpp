// Expression evaluation. Integer arithmetic is checked with the __builtin_*_overflow
// family so that overflow is an error rather than undefined behaviour.
#include "evaluator.hpp"

#include <cmath>
#include <cstdint>
#include <exception>
#include <limits>
#include <new>
#include <span>
#include <vector>

namespace demarche::engine {

namespace {

namespace v2 = boost::variant2;
using dsl::BinaryOp;
using dsl::Builtin;
using dsl::Expr;
using demarche::FunctionResult;
using demarche::FunctionSignature;

[[noreturn]] void fail(const Expr& e, std::string message) {
    throw EvalError{std::move(message), e.range, std::nullopt};
}

bool is_number(const Value& v) noexcept {
    return kind_of(v) == ValueKind::Int || kind_of(v) == ValueKind::Float;
}

double as_double(const Value& v) noexcept {
    if (auto* i = v2::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
    return v2::get<double>(v);
}

bool is_text(const Value& v) noexcept {
    return kind_of(v) == ValueKind::Symbol || kind_of(v) == ValueKind::String;
}

std::string_view text_of(const Value& v) noexcept {
    if (auto* s = v2::get_if<Symbol>(&v)) return s->name();
    return v2::get<String>(v).view();
}

std::string kinds(const Value& a, const Value& b) {
    return std::string(kind_name(kind_of(a))) + " and " + std::string(kind_name(kind_of(b)));
}

// Exact comparison of an int with a double: converting a large int to double rounds.
int compare_int_double(std::int64_t i, double d) noexcept {
    if (std::isnan(d)) return 2;  // unordered
    if (d >= 9223372036854775808.0) return -1;
    if (d < -9223372036854775808.0) return 1;
    double t = std::trunc(d);
    auto ti = static_cast<std::int64_t>(t);
    if (i < ti) return -1;
    if (i > ti) return 1;
    if (d > t) return -1;
    if (d < t) return 1;
    return 0;
}

// -1, 0, 1, or 2 when the numbers are unordered (NaN).
int compare_numbers(const Value& a, const Value& b) noexcept {
    auto* ai = v2::get_if<std::int64_t>(&a);
    auto* bi = v2::get_if<std::int64_t>(&b);
    if (ai && bi) return *ai < *bi ? -1 : (*ai > *bi ? 1 : 0);
    if (ai) return compare_int_double(*ai, v2::get<double>(b));
    if (bi) {
        int c = compare_int_double(*bi, v2::get<double>(a));
        return c == 2 ? 2 : -c;
    }
    double x = v2::get<double>(a), y = v2::get<double>(b);
    if (std::isnan(x) || std::isnan(y)) return 2;
    return x < y ? -1 : (x > y ? 1 : 0);
}

bool ordered(BinaryOp op, int c) noexcept {
    if (c == 2) return false;
    switch (op) {
    case BinaryOp::Lt: return c < 0;
    case BinaryOp::Le: return c <= 0;
    case BinaryOp::Gt: return c > 0;
    case BinaryOp::Ge: return c >= 0;
    default: return false;
    }
}

// `==` in expressions: numbers compare across int and float; other kinds must agree.
bool equal_values(const Value& a, const Value& b) noexcept {
    if (is_number(a) && is_number(b)) return compare_numbers(a, b) == 0;
    return same_value(a, b);
}

Value arithmetic(const Expr& e, BinaryOp op, const Value& a, const Value& b) {
    if (!is_number(a) || !is_number(b))
        fail(e, "operator '" + std::string(dsl::to_string(op)) + "' needs numbers, got " + kinds(a, b));
    auto* ai = v2::get_if<std::int64_t>(&a);
    auto* bi = v2::get_if<std::int64_t>(&b);
    if (ai && bi) {
        std::int64_t r = 0;
        bool overflow = false;
        switch (op) {
        case BinaryOp::Add: overflow = __builtin_add_overflow(*ai, *bi, &r); break;
        case BinaryOp::Sub: overflow = __builtin_sub_overflow(*ai, *bi, &r); break;
        case BinaryOp::Mul: overflow = __builtin_mul_overflow(*ai, *bi, &r); break;
        case BinaryOp::Div:
        case BinaryOp::Mod:
            if (*bi == 0) fail(e, "division by zero");
            if (*ai == std::numeric_limits<std::int64_t>::min() && *bi == -1) {
                if (op == BinaryOp::Mod) return Value(std::int64_t{0});
                overflow = true;
                break;
            }
            r = op == BinaryOp::Div ? *ai / *bi : *ai % *bi;
            break;
        default: break;
        }
        if (overflow) fail(e, "integer overflow in '" + std::string(dsl::to_string(op)) + "'");
        return Value(r);
    }
    double x = as_double(a), y = as_double(b);
    switch (op) {
    case BinaryOp::Add: return Value(x + y);
    case BinaryOp::Sub: return Value(x - y);
    case BinaryOp::Mul: return Value(x * y);
    case BinaryOp::Div:
        if (y == 0.0) fail(e, "division by zero");
        return Value(x / y);
    case BinaryOp::Mod:
        if (y == 0.0) fail(e, "division by zero");
        return Value(std::fmod(x, y));
    default: return Value(false);
    }
}

Value compare(const Expr& e, BinaryOp op, const Value& a, const Value& b) {
    switch (op) {
    case BinaryOp::Eq: return Value(equal_values(a, b));
    case BinaryOp::Ne: return Value(!equal_values(a, b));
    default: break;
    }
    if (is_number(a) && is_number(b)) return Value(ordered(op, compare_numbers(a, b)));
    if (is_text(a) && kind_of(a) == kind_of(b)) {
        int c = text_of(a).compare(text_of(b));
        return Value(ordered(op, c < 0 ? -1 : (c > 0 ? 1 : 0)));
    }
    fail(e, "cannot order " + kinds(a, b) + " with '" + std::string(dsl::to_string(op)) + "'");
}

bool as_bool(const Expr& e, const Value& v, std::string_view what) {
    if (auto* b = v2::get_if<bool>(&v)) return *b;
    fail(e, std::string(what) + " needs a bool, got " + std::string(kind_name(kind_of(v))));
}

// Arguments are checked against the declared types (the checker could not know every
// type), and so is the result: the function sees and gives only what it declared.
Value call_user(const Expr& e, const VariableSource& vars) {
    const FunctionSignature& fn = *e.function;
    if (e.args.size() != fn.params.size()) fail(e, "'" + fn.name + "' takes " + std::to_string(fn.params.size()) + " arguments");
    std::vector<Value> args;
    args.reserve(e.args.size());
    for (std::size_t i = 0; i < e.args.size(); ++i) {
        Value v = evaluate(e.args[i], vars);
        const dsl::FieldType type = dsl::field_type(fn.params[i]);
        if (!dsl::accepts(type, kind_of(v)))
            fail(e.args[i], "argument " + std::to_string(i + 1) + " of '" + fn.name + "' must be " +
                                std::string(dsl::to_string(type)) + ", got " + std::string(kind_name(kind_of(v))));
        if (type == dsl::FieldType::Float && kind_of(v) == ValueKind::Int)
            v = Value(static_cast<double>(v2::get<std::int64_t>(v)));
        args.push_back(std::move(v));
    }
    std::optional<FunctionResult> result;
    try {
        result.emplace(fn.fn(std::span<const Value>(args)));
    } catch (const std::bad_alloc&) {
        throw;
    } catch (const std::exception& x) {
        fail(e, "'" + fn.name + "' failed: " + x.what());
    } catch (...) {
        fail(e, "'" + fn.name + "' failed with an exception");
    }
    if (!result->ok()) fail(e, "'" + fn.name + "' failed: " + result->message());
    Value out = result->value();
    const dsl::FieldType type = dsl::field_type(fn.result);
    if (!dsl::accepts(type, kind_of(out)))
        fail(e, "'" + fn.name + "' returned " + std::string(kind_name(kind_of(out))) + ", but it is declared to return " +
                    std::string(dsl::to_string(type)));
    if (type == dsl::FieldType::Float && kind_of(out) == ValueKind::Int)
        out = Value(static_cast<double>(v2::get<std::int64_t>(out)));
    return out;
}

Value call(const Expr& e, const VariableSource& vars) {
    if (e.function) return call_user(e, vars);
    std::string_view name = dsl::to_string(e.builtin);
    switch (e.builtin) {
    case Builtin::Abs: {
        if (e.args.size() != 1) fail(e, "abs takes one argument");
        Value v = evaluate(e.args[0], vars);
        if (auto* i = v2::get_if<std::int64_t>(&v)) {
            if (*i == std::numeric_limits<std::int64_t>::min()) fail(e, "integer overflow in 'abs'");
            return Value(*i < 0 ? -*i : *i);
        }
        if (auto* d = v2::get_if<double>(&v)) return Value(std::fabs(*d));
        fail(e, "abs needs a number, got " + std::string(kind_name(kind_of(v))));
    }
    case Builtin::Min:
    case Builtin::Max: {
        if (e.args.empty()) fail(e, std::string(name) + " needs at least one argument");
        bool any_float = false;
        std::optional<Value> best;
        for (const Expr& a : e.args) {
            Value v = evaluate(a, vars);
            if (!is_number(v))
                fail(a, std::string(name) + " needs numbers, got " + std::string(kind_name(kind_of(v))));
            any_float = any_float || kind_of(v) == ValueKind::Float;
            if (!best) {
                best = std::move(v);
                continue;
            }
            int c = compare_numbers(v, *best);
            if (c == 2 || (e.builtin == Builtin::Min ? c < 0 : c > 0)) best = std::move(v);
        }
        if (any_float) return Value(as_double(*best));
        return *best;
    }
    case Builtin::Len: {
        if (e.args.size() != 1) fail(e, "len takes one argument");
        Value v = evaluate(e.args[0], vars);
        if (!is_text(v)) fail(e, "len needs a string or symbol, got " + std::string(kind_name(kind_of(v))));
        return Value(code_points(text_of(v)));
    }
    case Builtin::Str: {
        std::string out;
        for (const Expr& a : e.args) out += to_display(evaluate(a, vars));
        return Value(String(out));
    }
    }
    fail(e, "unknown function");
}

}  // namespace

std::int64_t code_points(std::string_view text) noexcept {
    std::int64_t n = 0;
    for (unsigned char c : text)
        if ((c & 0xC0) != 0x80) ++n;
    return n;
}

namespace {

// The integer part of the language (literals, variables holding ints, + - * / %, unary
// minus, comparisons, and/or/not of those), computed without building a Value: the
// `where` tests of numeric rules (Waltz's cross products) were most of their matching
// work. Nothing here fails: any other kind, a call, an overflow or a division by zero
// gives nullopt, and the general evaluation then does the whole expression again,
// errors included (expressions have no side effects).
std::optional<std::int64_t> int_value(const Expr& e, const VariableSource& vars) noexcept {
    switch (e.kind) {
    case Expr::Kind::Literal: {
        const auto* i = v2::get_if<std::int64_t>(&e.literal);
        return i ? std::optional<std::int64_t>(*i) : std::nullopt;
    }
    case Expr::Kind::Variable: {
        const Value* v = vars.stored(e.var);
        const auto* i = v ? v2::get_if<std::int64_t>(v) : nullptr;
        return i ? std::optional<std::int64_t>(*i) : std::nullopt;
    }
    case Expr::Kind::Unary: {
        if (e.unary == dsl::UnaryOp::Not) return std::nullopt;
        std::optional<std::int64_t> x = int_value(e.args[0], vars);
        if (!x || *x == std::numeric_limits<std::int64_t>::min()) return std::nullopt;
        return -*x;
    }
    case Expr::Kind::Binary: {
        switch (e.binary) {
        case BinaryOp::Add:
        case BinaryOp::Sub:
        case BinaryOp::Mul:
        case BinaryOp::Div:
        case BinaryOp::Mod: break;
        default: return std::nullopt;
        }
        std::optional<std::int64_t> a = int_value(e.args[0], vars);
        if (!a) return std::nullopt;
        std::optional<std::int64_t> b = int_value(e.args[1], vars);
        if (!b) return std::nullopt;
        return int_arithmetic(e.binary, *a, *b);
    }
    case Expr::Kind::Call: return std::nullopt;
    }
    return std::nullopt;
}

std::optional<bool> int_test(const Expr& e, const VariableSource& vars) noexcept {
    if (e.kind == Expr::Kind::Unary && e.unary == dsl::UnaryOp::Not) {
        std::optional<bool> t = int_test(e.args[0], vars);
        return t ? std::optional<bool>(!*t) : std::nullopt;
    }
    if (e.kind != Expr::Kind::Binary) return std::nullopt;
    switch (e.binary) {
    case BinaryOp::And:
    case BinaryOp::Or: {
        std::optional<bool> l = int_test(e.args[0], vars);
        if (!l || *l == (e.binary == BinaryOp::Or)) return l;
        return int_test(e.args[1], vars);
    }
    case BinaryOp::Eq:
    case BinaryOp::Ne:
    case BinaryOp::Lt:
    case BinaryOp::Le:
    case BinaryOp::Gt:
    case BinaryOp::Ge: {
        std::optional<std::int64_t> a = int_value(e.args[0], vars);
        if (!a) return std::nullopt;
        std::optional<std::int64_t> b = int_value(e.args[1], vars);
        if (!b) return std::nullopt;
        switch (e.binary) {
        case BinaryOp::Eq: return *a == *b;
        case BinaryOp::Ne: return *a != *b;
        case BinaryOp::Lt: return *a < *b;
        case BinaryOp::Le: return *a <= *b;
        case BinaryOp::Gt: return *a > *b;
        default: return *a >= *b;
        }
    }
    default: return std::nullopt;
    }
}

Value evaluate_general(const Expr& e, const VariableSource& vars) {
    switch (e.kind) {
    case Expr::Kind::Literal: return e.literal;
    case Expr::Kind::Variable: return vars.value(e.var);
    case Expr::Kind::Unary: {
        Value v = evaluate_general(e.args.at(0), vars);
        if (e.unary == dsl::UnaryOp::Not) return Value(!as_bool(e, v, "'not'"));
        if (auto* i = v2::get_if<std::int64_t>(&v)) {
            if (*i == std::numeric_limits<std::int64_t>::min()) fail(e, "integer overflow in unary '-'");
            return Value(-*i);
        }
        if (auto* d = v2::get_if<double>(&v)) return Value(-*d);
        fail(e, "unary '-' needs a number, got " + std::string(kind_name(kind_of(v))));
    }
    case Expr::Kind::Binary: {
        const Expr& lhs = e.args.at(0);
        const Expr& rhs = e.args.at(1);
        if (e.binary == BinaryOp::And || e.binary == BinaryOp::Or) {
            std::string_view what = e.binary == BinaryOp::And ? "'and'" : "'or'";
            bool l = as_bool(e, evaluate_general(lhs, vars), what);
            if (l == (e.binary == BinaryOp::Or)) return Value(l);
            return Value(as_bool(e, evaluate_general(rhs, vars), what));
        }
        Value a = evaluate_general(lhs, vars);
        Value b = evaluate_general(rhs, vars);
        switch (e.binary) {
        case BinaryOp::Eq:
        case BinaryOp::Ne:
        case BinaryOp::Lt:
        case BinaryOp::Le:
        case BinaryOp::Gt:
        case BinaryOp::Ge: return compare(e, e.binary, a, b);
        default: return arithmetic(e, e.binary, a, b);
        }
    }
    case Expr::Kind::Call: return call(e, vars);
    }
    fail(e, "unknown expression");
}

}  // namespace

Value evaluate(const Expr& e, const VariableSource& vars) {
    switch (e.kind) {
    case Expr::Kind::Literal: return e.literal;
    case Expr::Kind::Variable: return vars.value(e.var);
    case Expr::Kind::Unary:
    case Expr::Kind::Binary:
        if (std::optional<std::int64_t> r = int_value(e, vars)) return Value(*r);
        break;
    case Expr::Kind::Call: break;
    }
    return evaluate_general(e, vars);
}

bool evaluate_test(const Expr& e, const VariableSource& vars) {
    if (std::optional<bool> t = int_test(e, vars)) return *t;
    Value v = evaluate_general(e, vars);
    if (auto* b = v2::get_if<bool>(&v)) return *b;
    fail(e, "a where test must give a bool, got " + std::string(kind_name(kind_of(v))));
}

bool constraint_holds(dsl::CompareOp op, const Value& field, const Value& operand) noexcept {
    switch (op) {
    case dsl::CompareOp::Eq: return same_value(field, operand);
    case dsl::CompareOp::Ne: return !same_value(field, operand);
    default: break;
    }
    int c = 2;
    if (is_number(field) && is_number(operand)) {
        c = compare_numbers(field, operand);
    } else if (is_text(field) && kind_of(field) == kind_of(operand)) {
        int t = text_of(field).compare(text_of(operand));
        c = t < 0 ? -1 : (t > 0 ? 1 : 0);
    }
    switch (op) {
    case dsl::CompareOp::Lt: return ordered(BinaryOp::Lt, c);
    case dsl::CompareOp::Le: return ordered(BinaryOp::Le, c);
    case dsl::CompareOp::Gt: return ordered(BinaryOp::Gt, c);
    case dsl::CompareOp::Ge: return ordered(BinaryOp::Ge, c);
    default: return false;
    }
}

}  // namespace demarche::engine
