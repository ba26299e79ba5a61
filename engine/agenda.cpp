// Conflict resolution. Every comparison ends in a total order, so the same input always
// fires the same activations in the same order.
#include "agenda.hpp"

#include <algorithm>

namespace demarche::engine {

std::span<FactId> ActivationIds::reset(std::uint32_t positions) {
    // Room for the recency list too: at most one id per position.
    const std::uint32_t need = 2 * positions;
    if (need > capacity_) {
        if (capacity_ > inline_capacity) delete[] heap_;
        heap_ = new FactId[need];
        capacity_ = need;
    }
    facts_ = positions;
    recency_ = 0;
    return {data(), positions};
}

void ActivationIds::sort_recency() noexcept {
    FactId* ids = data();
    FactId* out = ids + facts_;
    // Insertion sort: a rule has a handful of positions.
    for (std::uint32_t i = 0; i < facts_; ++i) {
        const FactId id = ids[i];
        if (id == 0) continue;
        std::uint32_t j = recency_++;
        for (; j > 0 && out[j - 1] < id; --j) out[j] = out[j - 1];
        out[j] = id;
    }
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
        if (int r = compare_recency(a.recency(), b.recency()); r != 0) return r > 0;
        if (a.moment != b.moment) return a.moment > b.moment;
        break;
    }
    if (int r = compare_recency(a.recency(), b.recency()); r != 0) return r > 0;
    if (a.rule != b.rule) return a.rule < b.rule;
    // Beyond the contract: one rule matching the same facts in another arrangement (a
    // permutation) is ordered by the facts in condition order, newest first, so the order
    // never depends on how the network happened to find the matches.
    if (int r = compare_recency(a.facts(), b.facts()); r != 0) return r > 0;
    return a.sequence < b.sequence;
}

bool Agenda::before(const Entry& x, const Entry& y) const noexcept {
    if (x.salience != y.salience) return x.salience > y.salience;
    // The keys fires_before reads first under depth and breadth, from the entries.
    if (strategy_ == Strategy::Depth || strategy_ == Strategy::Breadth) {
        if (x.moment != y.moment) return strategy_ == Strategy::Depth ? x.moment > y.moment : x.moment < y.moment;
        for (std::size_t i = 0; i < x.newest.size(); ++i)
            if (x.newest[i] != y.newest[i]) return x.newest[i] > y.newest[i];
    }
    return fires_before(*x.activation, *y.activation, strategy_);
}

void Agenda::sift_up(std::size_t i) noexcept {
    const Entry e = heap_[i];
    while (i > 0) {
        std::size_t parent = (i - 1) / 2;
        if (!before(e, heap_[parent])) break;
        place(i, heap_[parent]);
        i = parent;
    }
    place(i, e);
}

void Agenda::sift_down(std::size_t i) noexcept {
    const Entry e = heap_[i];
    const std::size_t n = heap_.size();
    for (;;) {
        std::size_t child = 2 * i + 1;
        if (child >= n) break;
        if (child + 1 < n && before(heap_[child + 1], heap_[child])) ++child;
        if (!before(heap_[child], e)) break;
        place(i, heap_[child]);
        i = child;
    }
    place(i, e);
}

void Agenda::add(Activation& a) {
    a.queued = true;
    Entry e{a.salience, a.moment, {}, &a};
    const std::span<const FactId> recency = a.recency();
    for (std::size_t i = 0; i < e.newest.size() && i < recency.size(); ++i) e.newest[i] = recency[i];
    heap_.push_back(e);
    sift_up(heap_.size() - 1);
}

void Agenda::remove(Activation& a) {
    a.queued = false;
    const std::size_t i = a.heap_pos;
    const Entry last = heap_.back();
    heap_.pop_back();
    if (i == heap_.size()) return;
    place(i, last);
    if (i > 0 && before(last, heap_[(i - 1) / 2]))
        sift_up(i);
    else
        sift_down(i);
}

// The last entry, which replaces the first, usually belongs near the bottom: the hole
// goes down along the better children to a leaf (one comparison a level) and the entry
// comes up from there, about half the comparisons of sifting it down from the top.
Activation& Agenda::pop() {
    Activation& a = *heap_.front().activation;
    a.queued = false;
    const Entry last = heap_.back();
    heap_.pop_back();
    const std::size_t n = heap_.size();
    if (n == 0) return a;
    std::size_t hole = 0;
    for (std::size_t child = 1; child < n; child = 2 * hole + 1) {
        if (child + 1 < n && before(heap_[child + 1], heap_[child])) ++child;
        place(hole, heap_[child]);
        hole = child;
    }
    place(hole, last);
    sift_up(hole);
    return a;
}

void Agenda::set_strategy(Strategy strategy) {
    if (strategy == strategy_) return;
    strategy_ = strategy;
    for (std::size_t i = heap_.size() / 2; i-- > 0;) sift_down(i);
}

std::vector<const Activation*> Agenda::in_order() const {
    std::vector<Entry> entries = heap_;
    std::sort(entries.begin(), entries.end(), [this](const Entry& x, const Entry& y) { return before(x, y); });
    std::vector<const Activation*> out;
    for (const Entry& e : entries) out.push_back(e.activation);
    return out;
}

}  // namespace demarche::engine
