// The alpha network's dispatch: equality tests on constants are reached through hash
// tables, the other tests are evaluated for every fact, and a fact must still land in
// exactly the memories whose tests it passes, visited in memory id order.
#include "test_engine_support.hpp"

#include "engine/engine.hpp"

#include <demarche/session.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

using namespace demarche;
using namespace demarche::test;
using engine::Engine;

namespace {

FieldTest cmp(FieldIndex f, CompareOp op, Value v) {
    FieldTest t = eq(f, std::move(v));
    t.op = op;
    return t;
}

FieldTest in(FieldIndex f, std::vector<Value> options) {
    FieldTest t;
    t.kind = FieldTest::Kind::Member;
    t.field = f;
    for (Value& v : options) t.operands.emplace_back(std::move(v));
    return t;
}

std::vector<std::string> sorted_names(const std::vector<ActivationInfo>& acts) {
    std::vector<std::string> out;
    for (const auto& a : acts) out.push_back(format_activation(a));
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

TEST_CASE("alpha dispatch: a fact reaches exactly the memories whose tests it passes", "[engine][alpha]") {
    Builder b;
    TemplateId t = b.tmpl("t", {"a", "b", "c"});
    // Memory ids follow first use: r8 shares r0's memory, r10 shares r6's (same tests in
    // another order), so r9's memory is 8.
    b.rule("r0", {pat(t, {eq(0, num(1))})}, {}, 0);
    b.rule("r1", {pat(t, {eq(0, num(1)), eq(1, num(7))})}, {}, 0);
    b.rule("r2", {pat(t, {cmp(0, CompareOp::Ne, num(1))})}, {}, 0);
    b.rule("r3", {pat(t, {cmp(1, CompareOp::Lt, num(5))})}, {}, 0);
    b.rule("r4", {pat(t, {in(0, {num(1), num(2)})})}, {}, 0);
    b.rule("r5", {pat(t, {bind(0, 0), eqv(1, 0)})}, {}, 1);  // same fact: b == a
    b.rule("r6", {pat(t, {eq(0, num(2)), eq(2, num(3))})}, {}, 0);
    b.rule("r7", {pat(t, {})}, {}, 0);
    b.rule("r8", {pat(t, {eq(0, num(1))})}, {}, 0);
    b.rule("r9", {pat(t, {eq(1, num(1))})}, {}, 0);
    b.rule("r10", {pat(t, {eq(2, num(3)), eq(0, num(2))})}, {}, 0);
    Engine e(b.p, nullptr);
    REQUIRE(e.network().alpha_memory_count() == 9);

    struct Case {
        std::vector<Value> values;
        std::vector<std::uint32_t> memories;  // in the order the fact must visit them
        std::vector<std::string> rules;
    };
    const std::vector<Case> cases = {
        {{num(1), num(7), num(3)}, {0, 1, 4, 7}, {"r0", "r1", "r4", "r7", "r8"}},
        {{num(2), num(2), num(3)}, {2, 3, 4, 5, 6, 7}, {"r10", "r2", "r3", "r4", "r5", "r6", "r7"}},
        // 1.0 is not 1: a float must not pass integer equality tests, nor `in [1, 2]`.
        {{Value(1.0), num(1), num(0)}, {2, 3, 7, 8}, {"r2", "r3", "r7", "r9"}},
        {{sym("q"), num(9), num(3)}, {2, 7}, {"r2", "r7"}},
        {{num(1), num(1), num(3)}, {0, 3, 4, 5, 7, 8}, {"r0", "r3", "r4", "r5", "r7", "r8", "r9"}},
    };
    for (const Case& c : cases) {
        engine::FactId id = e.assert_input(t, c.values);
        const engine::Fact* f = e.memory().get(id);
        REQUIRE(f);
        CHECK(e.network().memories_of(*f) == c.memories);
        std::vector<std::string> expected;
        for (const std::string& r : c.rules) expected.push_back(r + ": f-" + std::to_string(id));
        std::sort(expected.begin(), expected.end());
        const std::string suffix = ": f-" + std::to_string(id);
        std::vector<std::string> got;
        for (const std::string& n : sorted_names(e.pending()))
            if (n.size() > suffix.size() && n.compare(n.size() - suffix.size(), suffix.size(), suffix) == 0)
                got.push_back(n);
        CHECK(got == expected);
    }

    // Retracting leaves every memory; asserting the same values again finds the same ones
    // (in the retracted fact's record, which must start with no memories).
    const engine::Fact* retracted = e.memory().get(2);
    CHECK(e.network().memories_of(*retracted).size() == 6);
    e.retract(2);
    CHECK(e.memory().get(2) == nullptr);
    CHECK(sorted_names(e.pending()).size() == 5 + 4 + 2 + 7);
    engine::FactId again = e.assert_input(t, {num(2), num(2), num(3)});
    CHECK(e.memory().get(again) == retracted);
    CHECK(e.network().memories_of(*e.memory().get(again)) == std::vector<std::uint32_t>{2, 3, 4, 5, 6, 7});
    CHECK(sorted_names(e.pending()).size() == 5 + 4 + 2 + 7 + 7);
}

TEST_CASE("alpha dispatch: rules sharing tests on several fields", "[engine][alpha]") {
    Builder b;
    TemplateId t = b.tmpl("t", {"k", "v"});
    // Every rule tests k == 1 (shared by all) and v against its own constant, so each
    // memory is keyed on v, the rarer test; one more rule tests only k == 1.
    for (int i = 0; i < 50; ++i) b.rule("v" + std::to_string(i), {pat(t, {eq(0, num(1)), eq(1, num(i))})}, {}, 0);
    b.rule("k", {pat(t, {eq(0, num(1))})}, {}, 0);
    Engine e(b.p, nullptr);
    REQUIRE(e.network().alpha_memory_count() == 51);

    engine::FactId hit = e.assert_input(t, {num(1), num(17)});
    CHECK(e.network().memories_of(*e.memory().get(hit)) == std::vector<std::uint32_t>{17, 50});
    engine::FactId wrong_k = e.assert_input(t, {num(2), num(17)});
    CHECK(e.network().memories_of(*e.memory().get(wrong_k)).empty());
    engine::FactId no_v = e.assert_input(t, {num(1), num(99)});
    CHECK(e.network().memories_of(*e.memory().get(no_v)) == std::vector<std::uint32_t>{50});
    CHECK(sorted_names(e.pending()) == std::vector<std::string>{"k: f-1", "k: f-3", "v17: f-1"});
}

TEST_CASE("alpha memories: retracting from a bucket keeps every other fact findable", "[engine][alpha]") {
    Builder b;
    TemplateId u = b.tmpl("u", {"k"});
    TemplateId t = b.tmpl("t", {"k", "v", "id"});
    // One memory for t (no tests) with two indexes, on k and on v; every bucket holds
    // many facts, so a retraction moves another fact into the gap it leaves.
    b.rule("on_k", {pat(u, {bind(0, 0)}), pat(t, {eqv(0, 0)})}, {}, 1);
    b.rule("on_v", {pat(u, {bind(0, 0)}), pat(t, {eqv(1, 0)})}, {}, 1);
    Engine e(b.p, nullptr);
    struct T {
        engine::FactId id;
        int k, v;
    };
    std::vector<T> live;
    for (int i = 0; i < 40; ++i) {
        const int k = 1 + i % 2, v = 1 + (i / 2) % 2;
        live.push_back({e.assert_input(t, {num(k), num(v), num(i)}), k, v});
    }
    std::vector<engine::FactId> us;
    std::mt19937 rng(3);
    while (!live.empty()) {
        const std::size_t i = rng() % live.size();
        e.retract(live[i].id);
        live.erase(live.begin() + static_cast<std::ptrdiff_t>(i));
        // Fresh u facts join through the buckets as they are now.
        for (engine::FactId id : us) e.retract(id);
        us = {e.assert_input(u, {num(1)}), e.assert_input(u, {num(2)})};
        std::vector<std::string> want;
        for (const T& f : live) {
            want.push_back("on_k: f-" + std::to_string(us[f.k - 1]) + ",f-" + std::to_string(f.id));
            want.push_back("on_v: f-" + std::to_string(us[f.v - 1]) + ",f-" + std::to_string(f.id));
        }
        std::sort(want.begin(), want.end());
        REQUIRE(sorted_names(e.pending()) == want);
    }
}

TEST_CASE("a fact's alpha places grow past the inline room and empty again", "[engine][alpha]") {
    engine::AlphaPlaces places;
    for (std::uint32_t i = 0; i < 11; ++i) {
        places.push_back(100 + i);
        REQUIRE(places.size() == i + 1);
        // Every earlier entry survives each move from the fact to the heap and on.
        for (std::uint32_t j = 0; j <= i; ++j) CHECK(places[j] == 100 + j);
    }
    places[7] = 7;
    CHECK(places.view()[7] == 7);
    places.clear();
    CHECK(places.size() == 0);
    places.push_back(5);
    CHECK(places.view().size() == 1);
    CHECK(places[0] == 5);
}
