// Values that facts hold and expressions compute: symbol, string, int, float, bool.
#pragma once

#include <demarche/export.hpp>

#include <boost/variant2/variant.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace demarche {

/// An interned name such as `US` or `peace_treaty`. Two symbols with the same
/// name share one stored string, so equality and hashing cost one pointer compare.
/// Interned text lives for the whole process; interning is thread-safe.
class DEMARCHE_API Symbol {
public:
    /// Returns the symbol for `name`, creating it on first use.
    static Symbol intern(std::string_view name);

    /// The symbol's name.
    const std::string& name() const noexcept { return *text_; }

    /// Same name (one pointer compare).
    friend bool operator==(Symbol a, Symbol b) noexcept { return a.text_ == b.text_; }
    /// Orders by name, so comparisons never depend on interning order.
    friend bool operator<(Symbol a, Symbol b) noexcept { return *a.text_ < *b.text_; }
    /// Hash of the interned pointer: stable within a process, not across processes.
    std::size_t hash() const noexcept { return std::hash<const void*>{}(text_); }

private:
    explicit Symbol(const std::string* text) : text_(text) {}
    const std::string* text_;
};

/// The five kinds of value, in the order of `Value`'s alternatives.
enum class ValueKind { Symbol, String, Int, Float, Bool };

/// One value. Symbols and strings are distinct types: `US` never equals `"US"`.
using Value = boost::variant2::variant<Symbol, std::string, std::int64_t, double, bool>;

/// The kind of `v`.
inline ValueKind kind_of(const Value& v) noexcept { return static_cast<ValueKind>(v.index()); }

/// Lower-case kind name as used in messages and templates: "symbol", "int", ...
DEMARCHE_API std::string_view kind_name(ValueKind k) noexcept;

/// Same kind and same value. Ints and floats never compare equal here; this is the
/// identity used for duplicate detection and for pattern literals.
DEMARCHE_API bool same_value(const Value& a, const Value& b) noexcept;

/// Hash consistent with `same_value`.
DEMARCHE_API std::size_t hash_value(const Value& v) noexcept;

/// The printed form used by `print` and `str`: symbols by name, strings without quotes,
/// numbers in shortest decimal form, booleans as `true`/`false`.
DEMARCHE_API std::string to_display(const Value& v);

/// The form used in source text and fact listings: like `to_display`, but strings are
/// quoted and escaped, and floats always show a decimal point or exponent.
DEMARCHE_API std::string to_source(const Value& v);

/// Shortest decimal text that reads back as exactly `d` (always contains '.', 'e',
/// "inf" or "nan" so it never reads as an int).
DEMARCHE_API std::string format_float(double d);

}  // namespace demarche
