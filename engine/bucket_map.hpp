// Lists of pointers by hash, for the network's memories: a join node's tokens by the hash
// of their key, an alpha index's facts by the hash of the indexed fields.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace demarche::engine {

/// Open addressing with linear probing over buckets that hold their first pointer in
/// place. A std::unordered_map of std::vector cost two allocations for every new key and
/// two releases when its list emptied (Waltz keys most joins on a point that one or two
/// facts share: 16% of its instructions were malloc and free), and about 90 bytes a key
/// where a slot takes 24.
///
/// A Bucket reference stays valid until the next operator[] (which may move the slots) or
/// erase of that bucket; find and the lists' own changes move nothing.
template <typename T>
class BucketMap {
public:
    class Bucket {
    public:
        std::size_t size() const noexcept { return size_; }
        bool empty() const noexcept { return size_ == 0; }
        T* operator[](std::size_t i) const noexcept { return data()[i]; }
        T*& operator[](std::size_t i) noexcept { return data()[i]; }
        T* back() const noexcept { return data()[size_ - 1]; }
        T* const* begin() const noexcept { return data(); }
        T* const* end() const noexcept { return data() + size_; }
        void push_back(T* x) {
            if (size_ == capacity_) grow();
            data()[size_++] = x;
        }
        void pop_back() noexcept { --size_; }

    private:
        friend class BucketMap;
        // capacity_ also says what the slot is: 0 never used, 1 a list of one in place,
        // more a list on the heap, `erased` an erased bucket.
        static constexpr std::uint32_t never_used = 0;
        static constexpr std::uint32_t in_place = 1;
        static constexpr std::uint32_t erased = 0xFFFFFFFF;

        bool live() const noexcept { return capacity_ != never_used && capacity_ != erased; }
        T** data() noexcept { return capacity_ > in_place ? heap_ : inline_; }
        T* const* data() const noexcept { return capacity_ > in_place ? heap_ : inline_; }
        void grow() {
            T** bigger = new T*[2 * std::size_t{capacity_}];
            std::copy(data(), data() + size_, bigger);
            release();
            heap_ = bigger;
            capacity_ *= 2;
        }
        void release() noexcept {
            if (capacity_ > in_place && capacity_ != erased) delete[] heap_;
        }

        std::size_t hash_ = 0;
        std::uint32_t size_ = 0;
        std::uint32_t capacity_ = never_used;
        union {
            T* inline_[in_place] = {};
            T** heap_;
        };
    };
    // One pointer in place keeps a slot at 24 bytes; room for two took Waltz 800 from 53.0
    // to 55.4 MiB for 2% fewer instructions.
    static_assert(sizeof(void*) != 8 || sizeof(Bucket) == 24);

    BucketMap() = default;
    BucketMap(const BucketMap&) = delete;
    BucketMap& operator=(const BucketMap&) = delete;
    BucketMap(BucketMap&& o) noexcept
        : slots_(std::move(o.slots_)), shift_(std::exchange(o.shift_, 64)), live_(std::exchange(o.live_, 0)),
          used_(std::exchange(o.used_, 0)) {}
    BucketMap& operator=(BucketMap&& o) noexcept {
        if (this != &o) {
            free_lists();
            slots_ = std::move(o.slots_);
            shift_ = std::exchange(o.shift_, 64);
            live_ = std::exchange(o.live_, 0);
            used_ = std::exchange(o.used_, 0);
        }
        return *this;
    }
    ~BucketMap() { free_lists(); }

    /// The bucket of `hash`, or null.
    Bucket* find(std::size_t hash) noexcept {
        if (live_ == 0) return nullptr;
        for (std::size_t i = home(hash);; i = (i + 1) & (slots_.size() - 1)) {
            Bucket& b = slots_[i];
            if (b.capacity_ == Bucket::never_used) return nullptr;
            if (b.live() && b.hash_ == hash) return &b;
        }
    }
    const Bucket* find(std::size_t hash) const noexcept { return const_cast<BucketMap*>(this)->find(hash); }

    /// The bucket of `hash`, made empty if there was none.
    Bucket& operator[](std::size_t hash) {
        if (Bucket* b = find(hash)) return *b;
        // At most three quarters of the slots used, erased ones included.
        if (4 * (used_ + 1) > 3 * slots_.size()) rehash();
        std::size_t i = home(hash);
        while (slots_[i].live()) i = (i + 1) & (slots_.size() - 1);
        Bucket& b = slots_[i];
        if (b.capacity_ == Bucket::never_used) ++used_;
        b.hash_ = hash;
        b.size_ = 0;
        b.capacity_ = Bucket::in_place;
        ++live_;
        return b;
    }

    /// Removes a bucket (found in this map) and gives back its list's memory.
    void erase(Bucket& b) noexcept {
        b.release();
        b.size_ = 0;
        b.capacity_ = Bucket::erased;
        --live_;
    }

    /// Number of buckets.
    std::size_t size() const noexcept { return live_; }

private:
    /// Fibonacci hashing: the top bits of hash × 2^64/φ, so hashes that differ only in
    /// high bits still spread.
    std::size_t home(std::size_t hash) const noexcept {
        return static_cast<std::size_t>((static_cast<std::uint64_t>(hash) * 0x9e3779b97f4a7c15ULL) >> shift_);
    }

    /// Doubles the slots when over five eighths of them hold buckets, else only drops
    /// the erased ones.
    void rehash() {
        std::size_t n = slots_.empty() ? 8 : slots_.size();
        if (8 * (live_ + 1) > 5 * n) n *= 2;
        std::vector<Bucket> old(n);
        old.swap(slots_);
        shift_ = 64;
        for (std::size_t s = n; s > 1; s >>= 1) --shift_;
        used_ = live_;
        for (const Bucket& b : old) {
            if (!b.live()) continue;
            std::size_t i = home(b.hash_);
            while (slots_[i].capacity_ != Bucket::never_used) i = (i + 1) & (n - 1);
            slots_[i] = b;  // the list, in place or on the heap, moves with it
        }
    }

    void free_lists() noexcept {
        for (Bucket& b : slots_)
            if (b.live()) b.release();
    }

    std::vector<Bucket> slots_;
    unsigned shift_ = 64;    // 64 - log2(slots_.size())
    std::size_t live_ = 0;   // buckets
    std::size_t used_ = 0;   // buckets and erased slots
};

}  // namespace demarche::engine
