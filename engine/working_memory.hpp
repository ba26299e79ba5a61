// Working memory: the facts by id, and the duplicate index that makes asserting an
// existing fact a no-op. Ids count from 1 and are never reused.
#pragma once

#include "chunks.hpp"
#include "value_ops.hpp"

#include "dsl/program.hpp"

#include <demarche/value.hpp>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

namespace demarche::engine {

using FactId = std::uint64_t;
struct Token;
/// A token's place in its network's token pool (TokenPool::at); 0 is no token.
using TokenRef = std::uint32_t;

/// A fact's places in the alpha memories (see Fact::alpha): a short list of numbers kept
/// inside the fact up to `inline_capacity` entries, on the heap beyond. Most facts enter
/// one or two memories with an index or two each, and a std::vector cost every fact an
/// allocation and a release (closure 8,000: 1.2 million facts).
class AlphaPlaces {
public:
    AlphaPlaces() = default;
    AlphaPlaces(const AlphaPlaces&) = delete;
    AlphaPlaces& operator=(const AlphaPlaces&) = delete;
    ~AlphaPlaces() { clear(); }

    std::size_t size() const noexcept { return size_; }
    std::uint32_t& operator[](std::size_t i) noexcept { return data()[i]; }
    std::uint32_t operator[](std::size_t i) const noexcept { return data()[i]; }
    std::span<const std::uint32_t> view() const noexcept { return {data(), size_}; }
    void push_back(std::uint32_t v) {
        if (size_ == capacity_) grow();
        data()[size_++] = v;
    }
    /// Empties the list and gives back its heap memory.
    void clear() noexcept {
        if (capacity_ > inline_capacity) delete[] heap_;
        capacity_ = inline_capacity;
        size_ = 0;
    }

private:
    static constexpr std::uint32_t inline_capacity = 4;
    std::uint32_t* data() noexcept { return capacity_ > inline_capacity ? heap_ : inline_; }
    const std::uint32_t* data() const noexcept { return capacity_ > inline_capacity ? heap_ : inline_; }
    void grow() {
        auto* bigger = new std::uint32_t[2 * capacity_];
        std::copy(data(), data() + size_, bigger);
        if (capacity_ > inline_capacity) delete[] heap_;
        heap_ = bigger;
        capacity_ *= 2;
    }

    std::uint32_t size_ = 0;
    std::uint32_t capacity_ = inline_capacity;
    union {
        std::uint32_t inline_[inline_capacity] = {};
        std::uint32_t* heap_;
    };
};

/// One fact. Facts never move; a retracted fact keeps its values and its record until
/// the firing or change that retracted it is over (its later actions may still read
/// them), then gives both back (WorkingMemory::reclaim) for later facts.
struct Fact {
    FactId id = 0;
    /// One per field, in template order. Owned by the working memory's value store, or
    /// by the program or fact set the fact was loaded from, which the engine keeps alive.
    /// Its hash for the duplicate index is not kept (8 bytes a fact; closure 8,000 holds
    /// 1.16 million): retracting computes it again from the values.
    std::span<const Value> values;
    TokenRef tokens = 0;         ///< tokens that end in this fact (intrusive list)
    std::uint32_t place = 0;     ///< of its record in the working memory (see Chunks)
    /// The alpha memories holding it, each id followed by the fact's place in each of
    /// that memory's indexes (in index order).
    AlphaPlaces alpha;
    dsl::TemplateId tmpl = 0;
    // The count and the flags share a word, so that a fact takes 64 bytes, not 72.
    /// Number of logical supports (activations, one per logical assertion they made).
    std::uint32_t support : 27 = 0;
    static constexpr std::uint32_t max_support = (1u << 27) - 1;
    bool alive : 1 = true;
    bool derived : 1 = false;        ///< asserted by a rule
    bool unconditional : 1 = false;  ///< asserted without `logical`: truth maintenance keeps it
    bool stored : 1 = false;         ///< `values` live in the working memory's value store
    /// Asserted during the firing in progress and not yet pushed through the network: see
    /// Engine::push_held.
    bool held : 1 = false;
};
static_assert(sizeof(void*) != 8 || sizeof(Fact) == 64, "Fact layout: see the flags");

/// Storage for the values of facts: values are moved into large blocks, so a fact costs
/// no allocation of its own, and never move, so spans into it stay valid until they are
/// released. A released place goes to the next fact with as many values.
class ValueStore {
public:
    /// Moves the elements of `values` into the store (the caller keeps the moved-from
    /// buffer to reuse); the span returned stays valid until it is released.
    std::span<const Value> add(std::span<Value> values);
    /// Takes back values that `add` returned: they are cleared at once (a string gives
    /// back its memory) and their place is reused.
    void release(std::span<const Value> values);
    /// How many values the store has room for, in use or not.
    std::size_t capacity() const noexcept;

private:
    static constexpr std::size_t block_size = 4096;
    std::vector<std::vector<Value>> blocks_;  // each filled up to its first reserve()
    std::vector<std::vector<Value*>> free_;   // released places, by number of values
};

/// The facts' records, by place.
using FactRecords = Chunks<Fact, 8>;

/// The live facts by (template, values): open addressing with linear probing over the
/// places of the facts' records, with 32 bits of each fact's hash compared before the
/// fact is read. A slot takes 8 bytes: the table is read at random, once per fact a rule
/// asserts, and it is the largest thing read that way (closure 8,000: 2 million slots).
class FactIndex {
public:
    /// The fact in the index equal to (tmpl, values), if any.
    Fact* find(const FactRecords& records, dsl::TemplateId tmpl, std::span<const Value> values,
               std::size_t hash) const;
    /// Adds `fact` (not in the index yet), whose hash (WorkingMemory::hash_of) is `hash`.
    void insert(const Fact& fact, std::size_t hash);
    /// Removes `fact`, whose hash is `hash`, if it is in the index.
    void erase(const Fact& fact, std::size_t hash);
    std::size_t size() const noexcept { return size_; }

private:
    void grow();
    /// The hash bits a slot keeps: what decides the slot too, so growing reads no fact.
    static std::uint32_t key_of(std::size_t hash) noexcept { return fold_hash(hash); }
    /// The first slot to probe: Fibonacci hashing takes the top bits of key × 2^64/φ, so
    /// keys that differ only in high bits still spread.
    std::size_t home(std::uint32_t key) const noexcept {
        return static_cast<std::size_t>((std::uint64_t{key} * 0x9e3779b97f4a7c15ULL) >> shift_);
    }
    static constexpr std::uint32_t never_used = 0;  ///< no record has place 0
    static constexpr std::uint32_t erased = std::numeric_limits<std::uint32_t>::max();
    struct Slot {
        std::uint32_t place = never_used;  ///< the fact's record, or never_used, or erased
        std::uint32_t key = 0;
    };
    std::vector<Slot> slots_;
    unsigned shift_ = 64;       // 64 - log2(slots_.size())
    std::size_t size_ = 0;
    std::size_t used_ = 0;      // size_ plus erased slots
};

class WorkingMemory {
public:
    /// Hash of a fact's identity, consistent with `same_value`.
    static std::size_t hash_of(dsl::TemplateId tmpl, std::span<const Value> values) noexcept;

    /// The live fact equal to (tmpl, values), if any.
    Fact* find(dsl::TemplateId tmpl, std::span<const Value> values, std::size_t hash) const {
        return index_.find(records_, tmpl, values, hash);
    }

    /// Adds a new fact (the caller checked for duplicates) with the next id; its values
    /// move into the working memory, leaving `values` moved-from.
    Fact& add(dsl::TemplateId tmpl, std::span<Value> values, std::size_t hash);

    /// Adds a new fact like the other overload, but borrows `values`: they must outlive
    /// the working memory (the initial facts of a program or fact set the engine holds).
    Fact& add_borrowed(dsl::TemplateId tmpl, std::span<const Value> values, std::size_t hash);

    /// Marks a fact retracted and drops it from the duplicate index.
    void remove(Fact& fact);
    /// Gives back the values and the record of a retracted fact that nothing will read
    /// any more: its id no longer leads anywhere.
    void reclaim(Fact& fact);

    /// The fact with id `id`: alive, or retracted and not yet reclaimed; null for an id
    /// never given or a reclaimed fact's.
    Fact* get(FactId id) { return record(id); }
    const Fact* get(FactId id) const { return record(id); }
    /// Number of ids handed out so far (alive or not).
    std::size_t issued() const noexcept { return by_id_.size(); }
    /// Number of fact records, in use or waiting for the next fact.
    std::size_t record_count() const noexcept { return records_.size(); }
    /// The records, which the network reads facts from by place.
    const FactRecords& records() const noexcept { return records_; }
    std::size_t alive() const noexcept { return alive_; }
    /// Room for values in the value store (the values of facts asserted by rules or
    /// through the Session).
    std::size_t value_capacity() const noexcept { return store_.capacity(); }

private:
    Fact* record(FactId id) const {
        const std::uint32_t place = id >= 1 && id <= by_id_.size() ? by_id_[id - 1] : 0;
        return place ? records_.at(place) : nullptr;
    }

    // A retracted fact costs its id's place only: a run that modifies facts retracts
    // most of the facts it makes (Waltz 800 cubes: 54,000 of 78,000), and their records
    // go to the next facts asserted.
    std::vector<std::uint32_t> by_id_;  // by_id_[id - 1]: the record's place, 0 once reclaimed
    FactRecords records_;
    std::vector<Fact*> free_records_;
    ValueStore store_;
    FactIndex index_;
    std::size_t alive_ = 0;
};

}  // namespace demarche::engine
