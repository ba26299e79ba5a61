// Conflict resolution. Every comparison ends in a total order, so the same input always
// fires the same activations in the same order.
#include "agenda.hpp"

#include <algorithm>
#include <stdexcept>

namespace demarche::engine {

std::span<FactId> ActivationIds::reset(std::uint32_t positions) {
    // On the heap, room for the newest-first list too: at most one id per position.
    const bool on_heap = capacity_ > inline_capacity;
    if (on_heap ? 2 * positions > capacity_ : positions > inline_capacity) {
        if (on_heap) delete[] heap_;
        capacity_ = 2 * positions;
        heap_ = new FactId[capacity_];
    }
    facts_ = positions;
    recency_ = 0;
    return {data(), positions};
}

void ActivationIds::sort_recency() noexcept {
    // Insertion sort: a rule has a handful of positions.
    if (capacity_ > inline_capacity) {
        FactId* out = heap_ + facts_;
        for (std::uint32_t i = 0; i < facts_; ++i) {
            const FactId id = heap_[i];
            if (id == 0) continue;
            std::uint32_t j = recency_++;
            for (; j > 0 && out[j - 1] < id; --j) out[j] = out[j - 1];
            out[j] = id;
        }
        return;
    }
    for (std::uint32_t i = 0; i < facts_; ++i) {
        const FactId id = in_.ids[i];
        if (id == 0) continue;
        std::uint32_t j = recency_++;
        for (; j > 0 && in_.ids[in_.order[j - 1]] < id; --j) in_.order[j] = in_.order[j - 1];
        in_.order[j] = static_cast<std::uint8_t>(i);
    }
}

int compare_recency(const ActivationIds& a, const ActivationIds& b) noexcept {
    const std::size_t n = std::min(a.matched(), b.matched());
    for (std::size_t i = 0; i < n; ++i)
        if (const FactId x = a.newest(i), y = b.newest(i); x != y) return x > y ? 1 : -1;
    if (a.matched() != b.matched()) return a.matched() > b.matched() ? 1 : -1;
    return 0;
}

int compare_recency(std::span<const FactId> a, std::span<const FactId> b) noexcept {
    std::size_t n = std::min(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i)
        if (a[i] != b[i]) return a[i] > b[i] ? 1 : -1;
    if (a.size() != b.size()) return a.size() > b.size() ? 1 : -1;
    return 0;
}

bool fires_before(const Activation& a, const Activation& b, Strategy strategy) noexcept {
    if (a.salience != b.salience) return a.salience > b.salience;
    switch (strategy) {
    case Strategy::Depth:
        if (a.moment != b.moment) return a.moment > b.moment;
        break;
    case Strategy::Breadth:
        if (a.moment != b.moment) return a.moment < b.moment;
        break;
    case Strategy::Mea: {
        // MEA looks first at the fact matching the first condition.
        FactId fa = a.facts().empty() ? 0 : a.facts().front();
        FactId fb = b.facts().empty() ? 0 : b.facts().front();
        if (fa != fb) return fa > fb;
        [[fallthrough]];
    }
    case Strategy::Lex:
        if (int r = compare_recency(a.ids, b.ids); r != 0) return r > 0;
        if (a.moment != b.moment) return a.moment > b.moment;
        break;
    }
    if (int r = compare_recency(a.ids, b.ids); r != 0) return r > 0;
    if (a.rule != b.rule) return a.rule < b.rule;
    // Beyond the contract: one rule matching the same facts in another arrangement (a
    // permutation) is ordered by the facts in condition order, newest first, so the order
    // never depends on how the network happened to find the matches.
    if (int r = compare_recency(a.facts(), b.facts()); r != 0) return r > 0;
    return a.sequence < b.sequence;
}

bool Agenda::before(const Entry& x, const Entry& y) const noexcept {
    // The keys fires_before reads first under depth and breadth, from the entries (the
    // moment, which it reads before them, is the group's).
    if (strategy_ == Strategy::Depth || strategy_ == Strategy::Breadth) {
        for (std::size_t i = 0; i < x.newest.size(); ++i) {
            if (x.newest[i] != y.newest[i]) return x.newest[i] > y.newest[i];
            if (x.newest[i] == saturated) break;  // equal here, not necessarily in full
        }
    }
    return fires_before(*x.activation, *y.activation, strategy_);
}

void Agenda::sift_up(Heap& heap, std::size_t i) const noexcept {
    const Entry e = heap[i];
    while (i > 0) {
        std::size_t parent = (i - 1) / 2;
        if (!before(e, heap[parent])) break;
        heap[i] = heap[parent];
        i = parent;
    }
    heap[i] = e;
}

void Agenda::sift_down(Heap& heap, std::size_t i) const noexcept {
    const Entry e = heap[i];
    const std::size_t n = heap.size();
    for (;;) {
        std::size_t child = 2 * i + 1;
        if (child >= n) break;
        if (child + 1 < n && before(heap[child + 1], heap[child])) ++child;
        if (!before(heap[child], e)) break;
        heap[i] = heap[child];
        i = child;
    }
    heap[i] = e;
}

// The last entry, which replaces the first, usually belongs near the bottom: the hole
// goes down along the better children to a leaf (one comparison a level) and the entry
// comes up from there, about half the comparisons of sifting it down from the top.
void Agenda::pop_heap(Heap& heap) const noexcept {
    const Entry last = heap.back();
    heap.pop_back();
    const std::size_t n = heap.size();
    if (n == 0) return;
    std::size_t hole = 0;
    for (std::size_t child = 1; child < n; child = 2 * hole + 1) {
        if (child + 1 < n && before(heap[child + 1], heap[child])) ++child;
        heap[hole] = heap[child];
        hole = child;
    }
    heap[hole] = last;
    sift_up(heap, hole);
}

std::vector<Agenda::Level>::iterator Agenda::find_level(std::int64_t salience) {
    return std::lower_bound(levels_.begin(), levels_.end(), salience,
                            [](const Level& l, std::int64_t s) { return l.salience > s; });
}

std::uint32_t Agenda::group_for(Level& level, std::uint64_t key, std::int64_t salience) {
    std::deque<std::uint32_t>& order = level.order;
    // Activations arrive in moment order, so the group is almost always the last one.
    if (!order.empty() && groups_[order.back()].key == key) return order.back();
    auto it = order.end();
    if (!order.empty() && groups_[order.back()].key > key)
        it = std::lower_bound(order.begin(), order.end(), key,
                              [this](std::uint32_t g, std::uint64_t k) { return groups_[g].key < k; });
    if (it != order.end() && groups_[*it].key == key) {
        if (groups_[*it].waiting == 0) --level.empty_groups;  // an emptied group between the ends
        return *it;
    }
    std::uint32_t g;
    if (free_groups_.empty()) {
        // Activation::group has 30 bits; each group holds waiting activations, so 2^30
        // of them would take tens of gigabytes first.
        if (groups_.size() == std::size_t{1} << 30) throw std::length_error("more than 2^30 agenda groups");
        g = static_cast<std::uint32_t>(groups_.size());
        groups_.emplace_back();
    } else {
        g = free_groups_.back();
        free_groups_.pop_back();
    }
    groups_[g].key = key;
    groups_[g].salience = salience;
    if (it == order.end())
        order.push_back(g);  // the usual case, without the deque's general insertion
    else
        order.insert(it, g);
    return g;
}

void Agenda::add(Activation& a) {
    a.queued = true;
    Entry e{{}, &a};
    for (std::size_t i = 0; i < e.newest.size() && i < a.ids.matched(); ++i) {
        const FactId id = a.ids.newest(i);
        e.newest[i] = id < saturated ? static_cast<std::uint32_t>(id) : saturated;
    }
    auto level = find_level(a.salience);
    if (level == levels_.end() || level->salience != a.salience) level = levels_.insert(level, Level{a.salience, {}, 0});
    a.group = group_for(*level, key_of(a), a.salience);
    Group& group = groups_[a.group];
    insert(group, e);
    ++group.waiting;
    ++size_;
}

void Agenda::insert(Group& group, const Entry& e) {
    Heap& heap = group.heap;
    if (heap.size() == heap.capacity()) make_room(heap);
    if (group.sorted && heap.size() < sorted_limit) {
        heap.push_back(e);
        std::size_t i = heap.size() - 1;
        for (; i > 0 && before(heap[i - 1], e); --i) heap[i] = heap[i - 1];
        heap[i] = e;
        return;
    }
    if (group.sorted) {
        // In firing order, first to fire first, a list is a heap.
        std::reverse(heap.begin(), heap.end());
        group.sorted = false;
    }
    heap.push_back(e);
    sift_up(heap, heap.size() - 1);
}

void Agenda::drop_top(Group& group) const noexcept {
    if (group.sorted)
        group.heap.pop_back();
    else
        pop_heap(group.heap);
}

void Agenda::after_removal(std::uint32_t g) {
    --size_;
    Group& group = groups_[g];
    --group.waiting;
    Heap& heap = group.heap;
    if (group.waiting > 0) {
        // Removed entries cost memory and comparisons until they go. Most groups lose
        // all their entries soon enough; one that keeps four times as many removed as
        // waiting is rebuilt from the waiting ones, a linear cost spread over them.
        if (heap.size() - group.waiting <= 4 * group.waiting + 8) return;
        std::erase_if(heap, [this](const Entry& e) {
            if (e.activation->queued) return false;
            removed_.push(*e.activation);
            return true;
        });
        if (!group.sorted)
            for (std::size_t i = heap.size() / 2; i-- > 0;) sift_down(heap, i);
        return;
    }
    for (const Entry& e : heap) removed_.push(*e.activation);
    heap.clear();
    group.sorted = true;
    auto level = find_level(group.salience);
    ++level->empty_groups;
    std::deque<std::uint32_t>& order = level->order;
    while (!order.empty() && groups_[order.front()].waiting == 0) {
        free_group(order.front());
        order.pop_front();
        --level->empty_groups;
    }
    while (!order.empty() && groups_[order.back()].waiting == 0) {
        free_group(order.back());
        order.pop_back();
        --level->empty_groups;
    }
    if (order.empty()) {
        levels_.erase(level);
        return;
    }
    // Emptied groups between the ends cost a little on every search; dropping them once
    // they are half the groups keeps that bounded at a linear cost spread over them.
    if (level->empty_groups > 16 && 2 * level->empty_groups > order.size()) compact(*level);
}

void Agenda::compact(Level& level) {
    std::erase_if(level.order, [this](std::uint32_t g) {
        if (groups_[g].waiting > 0) return false;
        free_group(g);
        return true;
    });
    level.empty_groups = 0;
}

void Agenda::free_group(std::uint32_t g) {
    Heap& heap = groups_[g].heap;
    if (heap.capacity() > sorted_limit) {
        if (heap.capacity() > spare_.capacity()) spare_.swap(heap);
        Heap{}.swap(heap);
    }
    free_groups_.push_back(g);
}

void Agenda::make_room(Heap& heap) {
    if (spare_.capacity() <= heap.size()) return;
    spare_.assign(heap.begin(), heap.end());
    heap.swap(spare_);
    Heap{}.swap(spare_);
}

void Agenda::remove(Activation& a) {
    a.queued = false;
    after_removal(a.group);
}

Activation& Agenda::pop() {
    const std::uint32_t g = first_group(levels_.front());
    Group& group = groups_[g];
    // A group with waiting activations has one on top once the removed entries above
    // it are gone.
    while (!top(group).activation->queued) {
        removed_.push(*top(group).activation);
        drop_top(group);
    }
    Activation& a = *top(group).activation;
    a.queued = false;
    drop_top(group);
    after_removal(g);
    return a;
}

void Agenda::set_strategy(Strategy strategy) {
    if (strategy == strategy_) return;
    std::vector<Activation*> waiting;
    waiting.reserve(size_);
    each_entry([&](const Entry& e) {
        if (e.activation->queued)
            waiting.push_back(e.activation);
        else
            removed_.push(*e.activation);
    });
    levels_.clear();
    groups_.clear();
    free_groups_.clear();
    size_ = 0;
    strategy_ = strategy;
    // In key order every group is appended, never inserted between others.
    std::sort(waiting.begin(), waiting.end(), [this](const Activation* x, const Activation* y) {
        return key_of(*x) < key_of(*y);
    });
    for (Activation* a : waiting) add(*a);
}

std::vector<const Activation*> Agenda::in_order() const {
    std::vector<const Activation*> out;
    out.reserve(size_);
    each_entry([&](const Entry& e) {
        if (e.activation->queued) out.push_back(e.activation);
    });
    std::sort(out.begin(), out.end(),
              [this](const Activation* x, const Activation* y) { return fires_before(*x, *y, strategy_); });
    return out;
}

}  // namespace demarche::engine
