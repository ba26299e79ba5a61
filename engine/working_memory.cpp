// Working memory: facts by id plus a hash index over (template, values).
#include "working_memory.hpp"

#include "value_ops.hpp"

#include <algorithm>
#include <bit>
#include <iterator>
#include <memory>
#include <utility>

namespace demarche::engine {

namespace {

bool same_fact(const Fact& f, dsl::TemplateId tmpl, std::span<const Value> values) noexcept {
    if (f.tmpl != tmpl || f.values.size() != values.size()) return false;
    for (std::size_t i = 0; i < values.size(); ++i)
        if (!values_equal(f.values[i], values[i])) return false;
    return true;
}

}  // namespace

std::span<const Value> ValueStore::add(std::span<Value> values) {
    const std::size_t n = values.size();
    if (n < free_.size() && !free_[n].empty()) {
        Value* place = free_[n].back();
        free_[n].pop_back();
        std::move(values.begin(), values.end(), place);
        return {place, n};
    }
    if (blocks_.empty() || blocks_.back().capacity() - blocks_.back().size() < n) {
        // A fact wider than a block gets a block of its own size.
        blocks_.emplace_back().reserve(std::max(n, block_size));
    }
    // Within the reserved capacity: the block never reallocates, so its values never move.
    std::vector<Value>& block = blocks_.back();
    const std::size_t first = block.size();
    block.insert(block.end(), std::make_move_iterator(values.begin()), std::make_move_iterator(values.end()));
    return {block.data() + first, n};
}

void ValueStore::release(std::span<const Value> values) {
    const std::size_t n = values.size();
    if (n == 0) return;
    // The store owns the values; the span is const only for the facts that read them.
    auto* place = const_cast<Value*>(values.data());
    std::fill_n(place, n, Value(false));
    if (free_.size() <= n) free_.resize(n + 1);
    free_[n].push_back(place);
}

std::size_t ValueStore::capacity() const noexcept {
    std::size_t n = 0;
    for (const std::vector<Value>& block : blocks_) n += block.capacity();
    return n;
}

Fact* FactIndex::find(const FactRecords& records, dsl::TemplateId tmpl, std::span<const Value> values,
                      std::size_t hash) const {
    if (slots_.empty()) return nullptr;
    const std::uint32_t key = key_of(hash);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = home(key);; i = (i + 1) & mask) {
        const Slot& s = slots_[i];
        if (s.place == never_used) return nullptr;
        if (s.key != key || s.place == erased) continue;
        Fact* f = records.at(s.place);
        if (same_fact(*f, tmpl, values)) return f;
    }
}

void FactIndex::insert(const Fact& fact, std::size_t hash) {
    // At most three quarters full (erased slots included), so every probe ends at an
    // unused slot soon; the probes read only slots, eight to a cache line.
    if (4 * (used_ + 1) > 3 * slots_.size()) grow();
    const std::size_t mask = slots_.size() - 1;
    const std::uint32_t key = key_of(hash);
    std::size_t i = home(key);
    while (slots_[i].place != never_used && slots_[i].place != erased) i = (i + 1) & mask;
    if (slots_[i].place == never_used) ++used_;
    slots_[i] = {fact.place, key};
    ++size_;
}

void FactIndex::erase(const Fact& fact, std::size_t hash) {
    if (slots_.empty()) return;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = home(key_of(hash)); slots_[i].place != never_used; i = (i + 1) & mask) {
        if (slots_[i].place == fact.place) {
            slots_[i].place = erased;
            --size_;
            return;
        }
    }
}

void FactIndex::grow() {
    // Sized for the live facts only: rehashing drops the erased slots.
    const std::size_t capacity = std::max<std::size_t>(16, std::bit_ceil(2 * (size_ + 1)));
    std::vector<Slot> old = std::exchange(slots_, std::vector<Slot>(capacity));
    shift_ = 64 - static_cast<unsigned>(std::countr_zero(capacity));
    const std::size_t mask = capacity - 1;
    for (const Slot& s : old) {
        if (s.place == never_used || s.place == erased) continue;
        std::size_t i = home(s.key);
        while (slots_[i].place != never_used) i = (i + 1) & mask;
        slots_[i] = s;
    }
    used_ = size_;
}

std::size_t WorkingMemory::hash_of(dsl::TemplateId tmpl, std::span<const Value> values) noexcept {
    std::size_t h = std::hash<std::uint32_t>{}(tmpl) + 0x9e3779b97f4a7c15ULL;
    for (const Value& v : values) h ^= value_hash(v) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    return h;
}

Fact& WorkingMemory::add(dsl::TemplateId tmpl, std::span<Value> values, std::size_t hash) {
    Fact& f = add_borrowed(tmpl, store_.add(values), hash);
    f.stored = true;
    return f;
}

Fact& WorkingMemory::add_borrowed(dsl::TemplateId tmpl, std::span<const Value> values, std::size_t hash) {
    Fact* record = nullptr;
    if (free_records_.empty()) {
        const std::uint32_t place = records_.add();
        record = records_.at(place);
        record->place = place;
    } else {
        record = free_records_.back();
        free_records_.pop_back();
        const std::uint32_t place = record->place;
        std::destroy_at(record);
        std::construct_at(record);
        record->place = place;
    }
    Fact& f = *record;
    by_id_.push_back(f.place);
    f.id = by_id_.size();
    f.tmpl = tmpl;
    f.values = values;
    index_.insert(f, hash);
    ++alive_;
    return f;
}

void WorkingMemory::remove(Fact& fact) {
    if (!fact.alive) return;
    fact.alive = false;
    --alive_;
    index_.erase(fact, hash_of(fact.tmpl, fact.values));
}

void WorkingMemory::reclaim(Fact& fact) {
    if (fact.alive || by_id_[fact.id - 1] != fact.place) return;
    if (fact.stored) store_.release(fact.values);
    by_id_[fact.id - 1] = 0;
    free_records_.push_back(&fact);
}

}  // namespace demarche::engine
