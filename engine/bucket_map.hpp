// Lists of places by hash, for the network's memories: a join node's tokens by the hash
// of their key, an alpha index's facts by the hash of the indexed fields.
#pragma once

#include "value_ops.hpp"

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <utility>
#include <vector>

namespace demarche::engine {

/// Open addressing with linear probing over buckets that hold their first two entries in
/// place. A std::unordered_map of std::vector cost two allocations for every new key and
/// two releases when its list emptied (Waltz keys most joins on a point that one or two
/// facts share: 16% of its instructions were malloc and free), and about 90 bytes a key
/// where a slot takes 16.
///
/// Entries are 32-bit places (a token's in its pool, a fact's record's), not pointers:
/// two fit in a slot where one pointer did, and a list of two, common in Waltz, no
/// longer takes a block of the heap.
///
/// A Bucket reference stays valid until the next operator[] (which may move the slots) or
/// erase of that bucket; find and the lists' own changes move nothing.
class BucketMap {
public:
    class Bucket {
    public:
        std::size_t size() const noexcept { return state_ & size_mask; }
        bool empty() const noexcept { return size() == 0; }
        std::uint32_t operator[](std::size_t i) const noexcept { return data()[i]; }
        std::uint32_t& operator[](std::size_t i) noexcept { return data()[i]; }
        std::uint32_t back() const noexcept { return data()[size() - 1]; }
        const std::uint32_t* begin() const noexcept { return data(); }
        const std::uint32_t* end() const noexcept { return data() + size(); }
        void push_back(std::uint32_t x) {
            const std::uint32_t n = state_ & size_mask;
            if (n == room()) grow();
            data()[n] = x;
            ++state_;
        }
        void pop_back() noexcept { --state_; }

    private:
        friend class BucketMap;
        // state_ holds the list's size in its low 27 bits and, in its top 5, the log2 of
        // its room: 0 two entries in place, 2 to `max_log` a list on the heap, `no_bucket`
        // a slot without a bucket (size 0: never used, 1: erased).
        static constexpr std::uint32_t size_bits = 27;
        static constexpr std::uint32_t size_mask = (std::uint32_t{1} << size_bits) - 1;
        static constexpr std::uint32_t max_log = size_bits - 1;  // so a size always fits
        static constexpr std::uint32_t no_bucket = 31;
        static constexpr std::uint32_t never_used = no_bucket << size_bits;
        static constexpr std::uint32_t erased = never_used | 1;

        std::uint32_t room_log() const noexcept { return state_ >> size_bits; }
        bool live() const noexcept { return room_log() != no_bucket; }
        std::uint32_t room() const noexcept { return room_log() == 0 ? 2 : std::uint32_t{1} << room_log(); }
        // For a live bucket: its room is 2, in place, unless the top bits say otherwise.
        std::uint32_t* data() noexcept { return state_ > size_mask ? heap_ : two_; }
        const std::uint32_t* data() const noexcept { return state_ > size_mask ? heap_ : two_; }
        void grow() {
            const std::uint32_t log = room_log() == 0 ? 2 : room_log() + 1;
            if (log > max_log) throw std::length_error("more than 67,108,864 entries under one key");
            auto* bigger = new std::uint32_t[std::size_t{1} << log];
            std::copy(data(), data() + size(), bigger);
            release();
            heap_ = bigger;
            state_ = (log << size_bits) | (state_ & size_mask);
        }
        void release() noexcept {
            if (live() && room_log() != 0) delete[] heap_;
        }

        std::uint32_t hash_ = 0;  ///< the key's hash folded to 32 bits (see fold)
        std::uint32_t state_ = never_used;
        union {
            std::uint32_t two_[2] = {};
            std::uint32_t* heap_;
        };
    };
    // Two places in place and a 32-bit hash keep a slot at 16 bytes: Waltz 800 cubes
    // holds 400,000 slots at its peak (with two pointers in place, 24 bytes, it had
    // taken 55.4 MiB instead of 53.0).
    static_assert(sizeof(void*) != 8 || sizeof(Bucket) == 16);

    BucketMap() = default;
    BucketMap(const BucketMap&) = delete;
    BucketMap& operator=(const BucketMap&) = delete;
    BucketMap(BucketMap&& o) noexcept
        : slots_(std::move(o.slots_)), live_(std::exchange(o.live_, 0)), used_(std::exchange(o.used_, 0)) {}
    BucketMap& operator=(BucketMap&& o) noexcept {
        if (this != &o) {
            free_lists();
            slots_ = std::move(o.slots_);
            live_ = std::exchange(o.live_, 0);
            used_ = std::exchange(o.used_, 0);
        }
        return *this;
    }
    ~BucketMap() { free_lists(); }

    /// The bucket of `hash`, or null.
    Bucket* find(std::size_t hash) noexcept {
        if (live_ == 0) return nullptr;
        const std::uint32_t h = fold(hash);
        Bucket* const slots = slots_.data();
        // The hash first: most slots probed on the way hold another key's bucket.
        for (std::size_t i = home(h);; i = next(i)) {
            Bucket& b = slots[i];
            if (b.hash_ == h && b.live()) return &b;
            if (b.state_ == Bucket::never_used) return nullptr;
        }
    }
    const Bucket* find(std::size_t hash) const noexcept { return const_cast<BucketMap*>(this)->find(hash); }

    /// The bucket of `hash`, made empty if there was none. Inlined by request: GCC had
    /// stopped inlining it into make_token, which took closure 500 0.4 M more
    /// instructions and Waltz 400 2 M.
    [[gnu::always_inline]] Bucket& operator[](std::size_t hash) {
        if (Bucket* b = find(hash)) return *b;
        // At most 13 slots in 16 used, erased ones included. The slots are the largest
        // part of Waltz's memories after the tokens: at three quarters, doubling past
        // five eighths, Waltz 200 cubes held 1.34 MB of them at its peak.
        if (16 * (used_ + 1) > 13 * slots_.size()) rehash();
        const std::uint32_t h = fold(hash);
        std::size_t i = home(h);
        while (slots_[i].live()) i = next(i);
        Bucket& b = slots_[i];
        if (b.state_ == Bucket::never_used) ++used_;
        b.hash_ = h;
        b.state_ = 0;
        b.two_[0] = b.two_[1] = 0;
        ++live_;
        return b;
    }

    /// Removes a bucket (found in this map) and gives back its list's memory.
    void erase(Bucket& b) noexcept {
        b.release();
        b.state_ = Bucket::erased;
        --live_;
    }

    /// Number of buckets.
    std::size_t size() const noexcept { return live_; }

    /// What a bucket keeps of its hash. Hashes that fold alike share a bucket, which is
    /// only slower: whoever reads a bucket compares the keys themselves (a join its
    /// values, a count its tests); removals go by place.
    static std::uint32_t fold(std::size_t hash) noexcept { return fold_hash(hash); }

private:
    /// Fibonacci hashing (hash × 2^32/φ, whose high bits mix all of the hash's), scaled
    /// to the number of slots, which need not be a power of two.
    std::size_t home(std::uint32_t hash) const noexcept {
        const std::uint32_t mixed = hash * 0x9e3779b9u;
        return static_cast<std::size_t>((std::uint64_t{mixed} * slots_.size()) >> 32);
    }
    std::size_t next(std::size_t i) const noexcept { return i + 1 == slots_.size() ? 0 : i + 1; }

    /// Grows the slots when over 11 in 16 of them hold buckets, else only drops the
    /// erased ones. Small tables double; from 4,096 slots sizes go 2^k, 1.5 × 2^k,
    /// 2^(k+1), so a large table is at most a third larger than the step before needs,
    /// where doubling made it up to twice as large (Miss Manners 128's `not path`
    /// memory: 16,000 buckets in 32,768 slots, now 24,576). Small ones double: Waltz
    /// makes many, and with 1.5 steps from the start took 1.9 % more instructions.
    void rehash() {
        std::size_t n = slots_.empty() ? 8 : slots_.size();
        if (16 * (live_ + 1) > 11 * n) n += n < 4096 ? n : std::has_single_bit(n) ? n / 2 : n / 3;
        std::vector<Bucket> old(n);
        old.swap(slots_);
        used_ = live_;
        for (const Bucket& b : old) {
            if (!b.live()) continue;
            std::size_t i = home(b.hash_);
            while (slots_[i].state_ != Bucket::never_used) i = next(i);
            slots_[i] = b;  // the list, in place or on the heap, moves with it
        }
    }

    void free_lists() noexcept {
        for (Bucket& b : slots_)
            if (b.live()) b.release();
    }

    std::vector<Bucket> slots_;
    std::size_t live_ = 0;   // buckets
    std::size_t used_ = 0;   // buckets and erased slots
};

}  // namespace demarche::engine
