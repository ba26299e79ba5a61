// The working memory's storage: the value store that keeps fact values in place, the
// open-addressing duplicate index, and the borrowed values of initial facts.
#include "engine/value_ops.hpp"
#include "engine/working_memory.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

using namespace demarche;
using demarche::engine::Fact;
using demarche::engine::FactIndex;
using demarche::engine::ValueStore;
using demarche::engine::WorkingMemory;

namespace {

std::vector<Value> row(std::int64_t n) { return {Value(n), Value(std::string("s") + std::to_string(n))}; }

/// The store moves values out of a buffer its caller owns.
std::span<const Value> put(ValueStore& store, std::vector<Value> values) { return store.add(values); }

}  // namespace

TEST_CASE("the value store keeps values in place as it grows", "[working_memory]") {
    ValueStore store;
    std::vector<std::span<const Value>> spans;
    for (std::int64_t i = 0; i < 10000; ++i) spans.push_back(put(store, row(i)));
    for (std::int64_t i = 0; i < 10000; ++i) {
        REQUIRE(spans[i].size() == 2);
        CHECK(boost::variant2::get<std::int64_t>(spans[i][0]) == i);
        CHECK(boost::variant2::get<String>(spans[i][1]) == "s" + std::to_string(i));
    }
}

TEST_CASE("the value store takes a fact wider than a block and empty facts", "[working_memory]") {
    ValueStore store;
    std::span<const Value> first = put(store, row(1));
    std::vector<Value> wide(10000, Value(std::int64_t{7}));
    std::span<const Value> big = put(store, std::move(wide));
    std::span<const Value> none = put(store, {});
    std::span<const Value> after = put(store, row(2));
    CHECK(big.size() == 10000);
    CHECK(boost::variant2::get<std::int64_t>(big[9999]) == 7);
    CHECK(none.empty());
    CHECK(boost::variant2::get<std::int64_t>(first[0]) == 1);
    CHECK(boost::variant2::get<std::int64_t>(after[0]) == 2);
}

TEST_CASE("the fact index finds equal facts, forgets erased ones and survives growth", "[working_memory]") {
    WorkingMemory wm;
    const std::size_t n = 5000;
    for (std::size_t i = 0; i < n; ++i) {
        std::vector<Value> v = row(static_cast<std::int64_t>(i));
        std::size_t h = WorkingMemory::hash_of(1, v);
        REQUIRE(wm.find(1, v, h) == nullptr);
        wm.add(1, v, h);
    }
    for (std::size_t i = 0; i < n; i += 2) wm.remove(*wm.get(i + 1));
    CHECK(wm.alive() == n / 2);
    for (std::size_t i = 0; i < n; ++i) {
        std::vector<Value> v = row(static_cast<std::int64_t>(i));
        Fact* f = wm.find(1, v, WorkingMemory::hash_of(1, v));
        if (i % 2 == 0) {
            CHECK(f == nullptr);
        } else {
            REQUIRE(f != nullptr);
            CHECK(f->id == i + 1);
        }
    }
    // Same values under another template are another fact.
    std::vector<Value> v = row(1);
    CHECK(wm.find(2, v, WorkingMemory::hash_of(2, v)) == nullptr);
    // A removed fact keeps its values and can be asserted again as a new fact.
    std::vector<Value> again = row(0);
    std::size_t h = WorkingMemory::hash_of(1, again);
    Fact& f = wm.add(1, again, h);
    CHECK(f.id == n + 1);
    CHECK(wm.find(1, row(0), h) == &f);
    CHECK(boost::variant2::get<std::int64_t>(wm.get(1)->values[0]) == 0);
}

TEST_CASE("the fact index copes with many erasures and colliding hashes", "[working_memory]") {
    engine::FactRecords records;
    FactIndex index;
    std::vector<Fact*> facts;
    std::vector<std::vector<Value>> values;
    for (std::size_t i = 0; i < 64; ++i) {
        const std::uint32_t place = records.add();
        facts.push_back(records.at(place));
        facts.back()->place = place;
        values.push_back(row(static_cast<std::int64_t>(i)));
    }
    // The first half collide in the whole hash, so only the values tell them apart; the
    // second half has another hash that the index keeps alike (its 32-bit key is low ^
    // high: 43 ^ 1 == 42).
    auto hash = [](std::size_t i) { return i < 32 ? std::size_t{42} : (std::size_t{1} << 32) + 43; };
    for (int round = 0; round < 50; ++round) {
        for (std::size_t i = 0; i < facts.size(); ++i) {
            facts[i]->values = values[i];
            index.insert(*facts[i], hash(i));
        }
        REQUIRE(index.size() == facts.size());
        for (std::size_t i = 0; i < facts.size(); ++i) CHECK(index.find(records, 0, values[i], hash(i)) == facts[i]);
        CHECK(index.find(records, 0, row(1000), hash(40)) == nullptr);  // the key alone is not enough
        for (std::size_t i = 0; i < facts.size(); ++i) index.erase(*facts[i], hash(i));
        CHECK(index.size() == 0);
        CHECK(index.find(records, 0, values[3], 42) == nullptr);
    }
}

TEST_CASE("borrowed values are used in place", "[working_memory]") {
    WorkingMemory wm;
    const std::vector<Value> held = row(9);
    Fact& f = wm.add_borrowed(3, held, WorkingMemory::hash_of(3, held));
    CHECK(f.values.data() == held.data());
    CHECK(wm.find(3, row(9), WorkingMemory::hash_of(3, held)) == &f);
}

TEST_CASE("the network's inline value equality and hash agree with the library's", "[working_memory]") {
    // Index lookups mix the two (an alpha dispatch table is built with one and read with
    // the other would be wrong), so they must agree on every value.
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const std::vector<Value> values = {
        Value(std::int64_t{0}), Value(std::int64_t{-1}), Value(std::int64_t{42}),
        Value(std::numeric_limits<std::int64_t>::min()), Value(std::numeric_limits<std::int64_t>::max()),
        Value(Symbol::intern("a")), Value(Symbol::intern("b")),
        Value(std::string("a")), Value(std::string("")),
        Value(0.0), Value(-0.0), Value(42.0), Value(nan), Value(true), Value(false)};
    for (const Value& a : values) {
        CHECK(engine::value_hash(a) == hash_value(a));
        for (const Value& b : values) CHECK(engine::values_equal(a, b) == same_value(a, b));
    }
}
