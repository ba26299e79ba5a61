// same_value and hash_value for the network's inner loops, and the 32-bit hash its
// tables keep.
#pragma once

#include <demarche/value.hpp>

#include <cstdint>
#include <functional>

namespace demarche::engine {

/// same_value, with symbols and ints (the names and numbers rules join on) compared
/// here rather than through a call into the library; other kinds go to same_value.
inline bool values_equal(const Value& a, const Value& b) noexcept {
    if (a.index() != b.index()) return false;
    using boost::variant2::get_if;
    if (const auto* x = get_if<std::int64_t>(&a)) return *x == *get_if<std::int64_t>(&b);
    if (const auto* x = get_if<Symbol>(&a)) return *x == *get_if<Symbol>(&b);
    return same_value(a, b);
}

/// hash_value, with symbols, ints and booleans hashed here as hash_value hashes them
/// (the unit tests hold the two equal); other kinds go to hash_value. Booleans are here
/// for Waltz, whose edges have two (a call per edge fact hashed took 0.8 % of its run).
inline std::size_t value_hash(const Value& v) noexcept {
    using boost::variant2::get_if;
    if (const auto* i = get_if<std::int64_t>(&v)) return std::hash<std::int64_t>{}(*i) * 31 + v.index();
    if (const auto* s = get_if<Symbol>(&v)) return s->hash() * 31 + v.index();
    if (const auto* b = get_if<bool>(&v)) return (*b ? 1u : 2u) * 31 + v.index();
    return hash_value(v);
}

/// A hash folded to 32 bits (its halves xor-ed), for tables that keep 32 bits of each
/// key's hash beside it: the network's buckets and the duplicate index.
inline std::uint32_t fold_hash(std::size_t hash) noexcept {
    const auto h = static_cast<std::uint64_t>(hash);
    return static_cast<std::uint32_t>(h ^ (h >> 32));
}

}  // namespace demarche::engine
