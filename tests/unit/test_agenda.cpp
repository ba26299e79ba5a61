// The agenda as a data structure: a heap with lazy removal must pop exactly the order of
// fires_before, whatever was added, removed, reused or re-sorted in between.
#include "engine/agenda.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <deque>
#include <random>

using demarche::Strategy;
using demarche::engine::Activation;
using demarche::engine::Agenda;
using demarche::engine::fires_before;

namespace {

/// Activations with few distinct keys, so ties on salience, moment and the newest fact
/// are common and the full comparison is exercised.
struct Pool {
    std::deque<Activation> storage;
    std::uint64_t sequence = 0;
    std::mt19937 rng{7};

    void fill(Activation& a) {
        a.rule = rng() % 3;
        a.salience = static_cast<std::int64_t>(rng() % 2);
        a.moment = rng() % 4;
        a.sequence = ++sequence;
        a.facts.clear();
        for (std::size_t i = 0, n = rng() % 3; i < n; ++i) a.facts.push_back(1 + rng() % 5);
        a.recency = a.facts;
        std::sort(a.recency.begin(), a.recency.end(), std::greater<>());
    }
};

std::vector<const Activation*> expected_order(std::vector<const Activation*> live, Strategy s) {
    std::sort(live.begin(), live.end(), [s](const Activation* x, const Activation* y) { return fires_before(*x, *y, s); });
    return live;
}

}  // namespace

TEST_CASE("agenda pops in fires_before order through removals and reuse", "[engine][agenda]") {
    for (Strategy s : {Strategy::Depth, Strategy::Breadth, Strategy::Lex, Strategy::Mea}) {
        Pool pool;
        Agenda agenda(s);
        std::vector<Activation*> queued;
        std::vector<Activation*> free;
        for (int step = 0; step < 2000; ++step) {
            const unsigned r = pool.rng() % 10;
            if (r < 6 || queued.empty()) {
                Activation* a = free.empty() ? &pool.storage.emplace_back() : free.back();
                if (!free.empty()) free.pop_back();  // reused storage: stale entries must stay dead
                pool.fill(*a);
                agenda.add(*a);
                queued.push_back(a);
            } else {
                std::size_t i = pool.rng() % queued.size();
                agenda.remove(*queued[i]);
                CHECK_FALSE(queued[i]->queued);
                free.push_back(queued[i]);
                queued.erase(queued.begin() + static_cast<std::ptrdiff_t>(i));
            }
            REQUIRE(agenda.size() == queued.size());
        }
        std::vector<const Activation*> live(queued.begin(), queued.end());
        std::vector<const Activation*> want = expected_order(live, s);
        CHECK(agenda.in_order() == want);
        std::vector<const Activation*> popped;
        while (!agenda.empty()) popped.push_back(&agenda.pop());
        CHECK(popped == want);
        CHECK(std::none_of(queued.begin(), queued.end(), [](const Activation* a) { return a->queued; }));
    }
}

TEST_CASE("agenda re-sorts its waiting activations for a new strategy", "[engine][agenda]") {
    Pool pool;
    Agenda agenda(Strategy::Depth);
    std::vector<const Activation*> all;
    for (int i = 0; i < 300; ++i) {
        Activation& a = pool.storage.emplace_back();
        pool.fill(a);
        agenda.add(a);
        all.push_back(&a);
    }
    agenda.set_strategy(Strategy::Breadth);
    std::vector<const Activation*> popped;
    while (!agenda.empty()) popped.push_back(&agenda.pop());
    CHECK(popped == expected_order(all, Strategy::Breadth));
}
