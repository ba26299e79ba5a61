// Values that facts hold and expressions compute: symbol, string, int, float, bool.
#pragma once

#include <demarche/export.hpp>

#include <boost/variant2/variant.hpp>

#include <atomic>
#include <compare>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>

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

/// The text of a string value. It is one pointer wide, which keeps `Value` at 16 bytes
/// where `std::string` made it 40: values are a large share of a session's memory.
/// The text is immutable and shared: a copy takes a reference (one atomic increment, no
/// allocation), so copies in the network's inner loops stay cheap and copies made on
/// different threads are safe. Compares and orders by bytes, as `std::string` does.
class DEMARCHE_API String {
public:
    /// The empty string (no allocation).
    String() noexcept = default;
    /// Copies `text` (which may hold NUL bytes) once; copies of the String then share it.
    String(std::string_view text);
    // Implicit conversion allows one user-defined step, which the string_view constructor
    // cannot give a std::string or a C string; these two let them convert to String (and
    // a std::string to Value) directly.
    String(const std::string& text) : String(std::string_view(text)) {}
    String(const char* text) : String(std::string_view(text)) {}

    String(const String& other) noexcept : block_(other.block_) { retain(); }
    // noexcept moves let boost::variant2 keep a single buffer, hence the 16 bytes.
    String(String&& other) noexcept : block_(std::exchange(other.block_, nullptr)) {}
    String& operator=(const String& other) noexcept {
        other.retain();  // first, so that assigning a String to itself keeps its text
        release();
        block_ = other.block_;
        return *this;
    }
    String& operator=(String&& other) noexcept {
        if (this != &other) {
            release();
            block_ = std::exchange(other.block_, nullptr);
        }
        return *this;
    }
    ~String() { release(); }

    std::string_view view() const noexcept { return {data(), size()}; }
    operator std::string_view() const noexcept { return view(); }
    /// A copy of the text, for code that needs to own or change it.
    std::string str() const { return std::string(view()); }
    /// NUL-terminated (the text itself may hold NUL bytes; `size()` counts them).
    const char* c_str() const noexcept { return data(); }
    const char* data() const noexcept { return block_ ? reinterpret_cast<const char*>(block_ + 1) : ""; }
    std::size_t size() const noexcept { return block_ ? block_->size : 0; }
    bool empty() const noexcept { return block_ == nullptr; }

    /// Equals std::hash<std::string> of the same text.
    std::size_t hash() const noexcept { return std::hash<std::string_view>{}(view()); }

    friend bool operator==(const String& a, const String& b) noexcept {
        return a.block_ == b.block_ || a.view() == b.view();
    }
    friend std::strong_ordering operator<=>(const String& a, const String& b) noexcept {
        return a.view() <=> b.view();
    }
    // Templates, so that comparing with a C string or a std::string matches them exactly
    // instead of being ambiguous between converting either side.
    template <class T>
        requires(!std::same_as<T, String> && std::convertible_to<const T&, std::string_view>)
    friend bool operator==(const String& a, const T& b) noexcept {
        return a.view() == std::string_view(b);
    }
    template <class T>
        requires(!std::same_as<T, String> && std::convertible_to<const T&, std::string_view>)
    friend std::strong_ordering operator<=>(const String& a, const T& b) noexcept {
        return a.view() <=> std::string_view(b);
    }

private:
    // The characters and a terminating NUL follow the header in the same allocation.
    struct Block {
        std::atomic<std::size_t> refs;
        std::size_t size;
    };

    void retain() const noexcept {
        // Relaxed: taking a reference needs no ordering, only the release of the last one does.
        if (block_) block_->refs.fetch_add(1, std::memory_order_relaxed);
    }
    void release() noexcept {
        if (block_ && block_->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) destroy(block_);
    }
    static void destroy(Block* block) noexcept;

    Block* block_ = nullptr;
};

/// The five kinds of value, in the order of `Value`'s alternatives.
enum class ValueKind { Symbol, String, Int, Float, Bool };

/// One value. Symbols and strings are distinct types: `US` never equals `"US"`.
/// A string literal converts to bool, not String (variant2 prefers the built-in
/// conversion): write `Value(String("text"))`.
using Value = boost::variant2::variant<Symbol, String, std::int64_t, double, bool>;
static_assert(sizeof(void*) != 8 || sizeof(Value) == 16, "Value: see String");

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
