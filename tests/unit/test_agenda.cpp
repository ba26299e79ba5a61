// The agenda as a data structure: grouped heaps with lazy removal must pop exactly the
// order of fires_before, whatever was added, removed, reclaimed and reused, or re-sorted
// in between.
#include "engine/agenda.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <deque>
#include <random>

using demarche::Strategy;
using demarche::engine::Activation;
using demarche::engine::FactId;
using demarche::engine::Agenda;
using demarche::engine::fires_before;
using demarche::engine::FreeActivations;

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
        // Up to 5 positions, more than fit inline at the largest; 0 stands for a not.
        std::span<FactId> facts = a.ids.reset(static_cast<std::uint32_t>(rng() % 6));
        for (FactId& id : facts) id = rng() % 6;
        a.ids.sort_recency();
    }

    /// A filled activation in reclaimed storage when there is some (stale entries must
    /// stay dead), in new storage otherwise.
    Activation& take(Agenda& agenda) {
        agenda.reclaim(free);  // only what the agenda no longer refers to
        Activation* a = free.empty() ? &storage.emplace_back() : &free.pop();
        fill(*a);
        return *a;
    }

    /// Pops the agenda's first activation, checks it is the first of `queued` under `s`,
    /// and moves it from `queued` to `free`.
    void pop_first(Agenda& agenda, Strategy s) {
        const auto earlier = [s](const Activation* x, const Activation* y) {
            return fires_before(*x, *y, s);
        };
        auto first = std::min_element(queued.begin(), queued.end(), earlier);
        Activation* want = *first;
        queued.erase(first);
        REQUIRE(&agenda.pop() == want);
        free.push(*want);
    }

    std::vector<Activation*> queued;  ///< what the agenda should hold
    FreeActivations free;             ///< storage the agenda gave back
};

/// Empties `list`, last pushed first.
std::vector<const Activation*> taken(FreeActivations& list) {
    std::vector<const Activation*> out;
    while (!list.empty()) out.push_back(&list.pop());
    return out;
}

std::vector<const Activation*> expected_order(std::vector<const Activation*> live, Strategy s) {
    std::sort(live.begin(), live.end(), [s](const Activation* x, const Activation* y) { return fires_before(*x, *y, s); });
    return live;
}

}  // namespace

TEST_CASE("agenda pops in fires_before order through removals and reuse", "[engine][agenda]") {
    for (Strategy s : {Strategy::Depth, Strategy::Breadth, Strategy::Lex, Strategy::Mea}) {
        Pool pool;
        Agenda agenda(s);
        for (int step = 0; step < 2000; ++step) {
            const unsigned r = pool.rng() % 10;
            if (r < 6 || pool.queued.empty()) {
                Activation& a = pool.take(agenda);
                agenda.add(a);
                pool.queued.push_back(&a);
            } else {
                std::size_t i = pool.rng() % pool.queued.size();
                agenda.remove(*pool.queued[i]);
                CHECK_FALSE(pool.queued[i]->queued);
                pool.queued.erase(pool.queued.begin() + static_cast<std::ptrdiff_t>(i));
            }
            REQUIRE(agenda.size() == pool.queued.size());
        }
        std::vector<const Activation*> live(pool.queued.begin(), pool.queued.end());
        std::vector<const Activation*> want = expected_order(live, s);
        CHECK(agenda.in_order() == want);
        std::vector<const Activation*> popped;
        while (!agenda.empty()) popped.push_back(&agenda.pop());
        CHECK(popped == want);
        CHECK(std::none_of(pool.queued.begin(), pool.queued.end(),
                           [](const Activation* a) { return a->queued; }));
        // Every removed activation comes back exactly once, and none that fired.
        agenda.reclaim(pool.free);
        std::vector<const Activation*> back = taken(pool.free);
        back.insert(back.end(), popped.begin(), popped.end());
        std::sort(back.begin(), back.end());
        CHECK(std::adjacent_find(back.begin(), back.end()) == back.end());
        CHECK(back.size() == pool.storage.size());
    }
}

TEST_CASE("agenda pops the first activation through many moments and emptied groups", "[engine][agenda]") {
    // Moments mostly grow, as in a session, with some older ones, and removals empty
    // groups between others, so groups are created, reused, trimmed and compacted.
    for (Strategy s : {Strategy::Depth, Strategy::Breadth, Strategy::Lex}) {
        Pool pool;
        Agenda agenda(s);
        std::uint64_t clock = 10;
        for (int step = 0; step < 20000; ++step) {
            const unsigned r = pool.rng() % 10;
            if (r < 6 || pool.queued.empty()) {
                Activation& a = pool.take(agenda);
                if (pool.rng() % 4 != 0) ++clock;
                a.moment = pool.rng() % 10 == 0 ? clock - pool.rng() % 10 : clock;
                agenda.add(a);
                pool.queued.push_back(&a);
            } else if (r < 9) {
                std::size_t i = pool.rng() % pool.queued.size();
                agenda.remove(*pool.queued[i]);
                pool.queued.erase(pool.queued.begin() + static_cast<std::ptrdiff_t>(i));
            } else {
                pool.pop_first(agenda, s);
            }
            REQUIRE(agenda.size() == pool.queued.size());
        }
        std::vector<const Activation*> popped;
        while (!agenda.empty()) popped.push_back(&agenda.pop());
        const std::vector<const Activation*> live(pool.queued.begin(), pool.queued.end());
        CHECK(popped == expected_order(live, s));
    }
}

TEST_CASE("agenda keeps its order when groups grow large in turn", "[engine][agenda]") {
    // Phases as in Miss Manners and Waltz: one moment makes many activations, most of
    // them go again, and the next phase's group grows into the heap a freed one left.
    for (Strategy s : {Strategy::Depth, Strategy::Breadth, Strategy::Lex}) {
        Pool pool;
        Agenda agenda(s);
        std::uint64_t clock = 10;
        for (int phase = 0; phase < 60; ++phase) {
            ++clock;
            const unsigned n = 10 + pool.rng() % 300;
            for (unsigned i = 0; i < n; ++i) {
                Activation& a = pool.take(agenda);
                a.moment = pool.rng() % 20 == 0 ? clock - 1 - pool.rng() % 3 : clock;
                agenda.add(a);
                pool.queued.push_back(&a);
            }
            while (pool.queued.size() > pool.rng() % 12) {
                std::size_t i = pool.rng() % pool.queued.size();
                agenda.remove(*pool.queued[i]);
                pool.queued.erase(pool.queued.begin() + static_cast<std::ptrdiff_t>(i));
            }
            for (int k = 0; k < 2 && !pool.queued.empty(); ++k) pool.pop_first(agenda, s);
            REQUIRE(agenda.size() == pool.queued.size());
        }
        std::vector<const Activation*> live(pool.queued.begin(), pool.queued.end());
        CHECK(agenda.in_order() == expected_order(live, s));
    }
}

TEST_CASE("activation ids keep the facts and list them newest first", "[engine][agenda]") {
    Activation a;
    for (std::uint32_t n : {0u, 3u, 7u, 9u, 2u}) {  // inline (up to seven), then spilled, then reused
        std::span<FactId> facts = a.ids.reset(n);
        for (std::uint32_t i = 0; i < n; ++i) facts[i] = (i * 7) % 5;
        a.ids.sort_recency();
        std::vector<FactId> want_facts(facts.begin(), facts.end());
        std::vector<FactId> want_recency;
        for (FactId id : want_facts)
            if (id != 0) want_recency.push_back(id);
        std::sort(want_recency.begin(), want_recency.end(), std::greater<>());
        CHECK(std::vector<FactId>(a.facts().begin(), a.facts().end()) == want_facts);
        std::vector<FactId> recency;
        for (std::size_t i = 0; i < a.ids.matched(); ++i) recency.push_back(a.ids.newest(i));
        CHECK(recency == want_recency);
    }
}

TEST_CASE("agenda re-sorts its waiting activations for a new strategy", "[engine][agenda]") {
    Pool pool;
    Agenda agenda(Strategy::Depth);
    std::vector<const Activation*> all;
    std::vector<const Activation*> removed;
    for (int i = 0; i < 300; ++i) {
        Activation& a = pool.storage.emplace_back();
        pool.fill(a);
        agenda.add(a);
        // Every third one leaves again, so removed entries are still in the heaps.
        if (i % 3 == 0) {
            agenda.remove(a);
            removed.push_back(&a);
        } else {
            all.push_back(&a);
        }
    }
    for (Strategy s : {Strategy::Breadth, Strategy::Lex, Strategy::Mea, Strategy::Depth}) {
        agenda.set_strategy(s);
        CHECK(agenda.in_order() == expected_order(all, s));
    }
    std::vector<const Activation*> popped;
    while (!agenda.empty()) popped.push_back(&agenda.pop());
    CHECK(popped == expected_order(all, Strategy::Depth));
    // The removed ones come back once, whichever strategy dropped their entries.
    FreeActivations reclaimed;
    agenda.reclaim(reclaimed);
    std::vector<const Activation*> back = taken(reclaimed);
    std::sort(back.begin(), back.end());
    std::sort(removed.begin(), removed.end());
    CHECK(back == removed);
}

TEST_CASE("agenda orders fact ids past 32 bits by their whole value", "[engine][agenda]") {
    // Entries keep ids in 32 bits, saturated: two activations equal there are told apart
    // by their full ids, first position first, whatever the later positions say.
    const FactId big = FactId{1} << 32;
    const std::vector<std::vector<FactId>> ids = {
        {big + 2, 20}, {big + 3, 10}, {big - 1, 30}, {big + 7, 1}, {5, 4}, {big - 2, 99}};
    for (Strategy s : {Strategy::Depth, Strategy::Breadth, Strategy::Lex, Strategy::Mea}) {
        std::deque<Activation> storage;
        Agenda agenda(s);
        std::vector<const Activation*> all;
        std::uint64_t sequence = 0;
        for (const std::vector<FactId>& list : ids) {
            Activation& a = storage.emplace_back();
            a.moment = 1;
            a.sequence = ++sequence;
            std::span<FactId> facts = a.ids.reset(static_cast<std::uint32_t>(list.size()));
            std::copy(list.begin(), list.end(), facts.begin());
            a.ids.sort_recency();
            agenda.add(a);
            all.push_back(&a);
        }
        std::vector<const Activation*> popped;
        while (!agenda.empty()) popped.push_back(&agenda.pop());
        const std::vector<const Activation*> want = expected_order(all, s);
        CHECK(popped == want);
        // The newest first: big + 7, big + 3, big + 2, big - 1, big - 2, 5.
        CHECK(want == std::vector<const Activation*>{all[3], all[1], all[0], all[2], all[5], all[4]});
    }
}
