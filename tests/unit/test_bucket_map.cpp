// The network's hash table of place lists, against std::unordered_map of std::vector
// (keyed by the folded hash the table keeps) under random insertions, removals and
// lookups, hashes chosen to collide.
#include "engine/bucket_map.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <unordered_map>
#include <vector>

using demarche::engine::BucketMap;

namespace {

/// The same numbers on every run and platform.
std::uint32_t next(std::uint32_t& state, std::uint32_t n) {
    state = state * 1103515245u + 12345u;
    return (state >> 16) % n;
}

using Model = std::unordered_map<std::size_t, std::vector<std::uint32_t>>;

void check_same(const BucketMap& map, const Model& model, std::size_t keys) {
    CHECK(map.size() == model.size());
    for (std::size_t k = 0; k < keys; ++k) {
        // Keys differ only in their high bits or only in their low bits.
        for (std::size_t h : {k << 40, k}) {
            const auto* b = map.find(h);
            auto it = model.find(BucketMap::fold(h));
            REQUIRE((b != nullptr) == (it != model.end()));
            if (!b) continue;
            CHECK(std::vector<std::uint32_t>(b->begin(), b->end()) == it->second);
        }
    }
}

}  // namespace

TEST_CASE("bucket map: lists by hash stay right through growth and removals", "[engine][bucket_map]") {
    BucketMap map;
    Model model;
    std::uint32_t state = 99;
    const std::size_t keys = 300;
    for (int step = 0; step < 20000; ++step) {
        const std::size_t k = next(state, keys);
        const std::size_t h = next(state, 2) ? k << 40 : k;
        if (next(state, 3) != 0) {
            // Append, making the bucket if need be.
            const std::uint32_t p = next(state, 64) + 1;
            map[h].push_back(p);
            model[BucketMap::fold(h)].push_back(p);
        } else if (auto* b = map.find(h)) {
            // Remove one element the way the network does: the last fills its place.
            std::vector<std::uint32_t>& m = model.at(BucketMap::fold(h));
            const std::size_t pos = next(state, static_cast<std::uint32_t>(b->size()));
            (*b)[pos] = b->back();
            b->pop_back();
            m[pos] = m.back();
            m.pop_back();
            if (b->empty()) {
                map.erase(*b);
                model.erase(BucketMap::fold(h));
            }
        } else {
            CHECK(model.count(BucketMap::fold(h)) == 0);
        }
        if (step % 2000 == 0) check_same(map, model, keys);
    }
    check_same(map, model, keys);

    // 1 << 40 folds to 256: one bucket for both keys, which its readers tell apart.
    REQUIRE(map.find(std::size_t{1} << 40) != nullptr);
    CHECK(map.find(std::size_t{1} << 40) == map.find(256));

    // A moved map keeps its lists; the one moved from is empty and usable.
    BucketMap moved(std::move(map));
    check_same(moved, model, keys);
    CHECK(map.size() == 0);  // NOLINT(bugprone-use-after-move): moved-from state is specified
    CHECK(map.find(0) == nullptr);
    map[7].push_back(1);
    CHECK(map.find(7)->size() == 1);
}

TEST_CASE("bucket map: large tables, sized 1.5 x 2^k between powers of two, keep every list",
          "[engine][bucket_map]") {
    // From 4,096 slots a table grows by half or by a third, so probes wrap around at an
    // end that is not a power of two (BucketMap::next).
    BucketMap map;
    Model model;
    std::uint32_t state = 7;
    const std::size_t keys = 30000;
    auto hash_of = [](std::size_t k) { return k * 0x9e3779b97f4a7c15ULL; };
    for (std::size_t k = 0; k < keys; ++k) {
        for (std::uint32_t n = next(state, 3) + 1; n > 0; --n) {
            map[hash_of(k)].push_back(n);
            model[BucketMap::fold(hash_of(k))].push_back(n);
        }
        if (k % 3 == 2) {
            map.erase(*map.find(hash_of(k - 1)));
            model.erase(BucketMap::fold(hash_of(k - 1)));
        }
    }
    REQUIRE(map.size() == model.size());
    for (std::size_t k = 0; k < keys; ++k) {
        const auto* b = map.find(hash_of(k));
        auto it = model.find(BucketMap::fold(hash_of(k)));
        REQUIRE((b != nullptr) == (it != model.end()));
        if (b) CHECK(std::vector<std::uint32_t>(b->begin(), b->end()) == it->second);
    }
}
