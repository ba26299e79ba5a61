// The agenda: activations waiting to fire, ordered by salience, then by the conflict
// resolution strategy, then by the contract's deterministic tie-breaks.
#pragma once

#include "working_memory.hpp"

#include <demarche/session.hpp>

#include <array>
#include <cstdint>
#include <deque>
#include <limits>
#include <memory>
#include <span>
#include <utility>
#include <vector>

namespace demarche::engine {

/// The fact ids of an activation: one per condition position (0 for not/exists), and
/// the matched ones (not the zeros) newest first. Up to `inline_capacity` positions live
/// inside the activation with their order kept as indexes, so creating one costs no
/// allocation in the usual case; more go to the heap, with the order as a second list.
class ActivationIds {
public:
    ActivationIds() = default;
    ActivationIds(const ActivationIds&) = delete;
    ActivationIds& operator=(const ActivationIds&) = delete;
    ~ActivationIds() {
        if (capacity_ > inline_capacity) delete[] heap_;
    }

    /// Room for `positions` fact ids, to be written before sort_recency(); the previous
    /// contents are dropped.
    std::span<FactId> reset(std::uint32_t positions);
    /// Derives the newest-first order from the facts written after reset().
    void sort_recency() noexcept;

    std::span<const FactId> facts() const noexcept { return {data(), facts_}; }
    /// Number of matched facts (the positions that are not not/exists).
    std::size_t matched() const noexcept { return recency_; }
    /// The i-th newest matched fact id, for i < matched().
    FactId newest(std::size_t i) const noexcept {
        return capacity_ > inline_capacity ? heap_[facts_ + i] : in_.ids[in_.order[i]];
    }

private:
    // Seven positions (Miss Manners' find_seating has seven, five of them facts) and
    // their order as byte indexes fill the 64 bytes that eight ids took before, when the
    // order was a second list of ids and seven positions went to the heap.
    static constexpr std::uint32_t inline_capacity = 7;
    struct Inline {
        FactId ids[inline_capacity];
        std::uint8_t order[inline_capacity + 1];
    };
    FactId* data() noexcept { return capacity_ > inline_capacity ? heap_ : in_.ids; }
    const FactId* data() const noexcept { return capacity_ > inline_capacity ? heap_ : in_.ids; }

    std::uint32_t facts_ = 0;
    std::uint32_t recency_ = 0;
    std::uint32_t capacity_ = inline_capacity;  ///< above inline_capacity: ids on the heap
    union {
        Inline in_ = {};
        FactId* heap_;
    };
};

/// The facts an activation asserted logically. Most activations assert none, so the
/// list takes one pointer and no allocation until it has an entry; once made, it stays
/// with the activation's record for the next activation (clear keeps it).
class Supports {
public:
    void push_back(FactId id) {
        if (!list_) list_ = std::make_unique<std::vector<FactId>>();
        list_->push_back(id);
    }
    void clear() noexcept {
        if (list_) list_->clear();
    }
    bool empty() const noexcept { return !list_ || list_->empty(); }
    const FactId* begin() const noexcept { return list_ ? list_->data() : nullptr; }
    const FactId* end() const noexcept { return list_ ? list_->data() + list_->size() : nullptr; }

private:
    std::unique_ptr<std::vector<FactId>> list_;
};

/// A rule and the facts that matched it (one terminal token). After firing it stays, off
/// the agenda, as long as the match if it holds logical support; otherwise it is
/// recycled at once. Waltz 800 cubes holds 17,000 at once; a record is 128 bytes, four
/// to a block of the engine's deque.
struct Activation {
    std::uint32_t rule = 0;
    std::uint32_t group : 30 = 0;  ///< the agenda's group of it, while queued
    std::uint32_t queued : 1 = 0;    ///< on the agenda
    std::uint32_t deferred : 1 = 0;  ///< made during a firing, queued when it is over
    std::int64_t salience = 0;
    std::uint64_t moment = 0;    ///< the assertion or retraction that created it
    std::uint64_t sequence = 0;  ///< creation order, the last resort of the ordering
    ActivationIds ids;
    union {
        Token* token = nullptr;  ///< null once the match has gone
        Activation* next_free;   ///< while in a FreeActivations list
    };
    Supports supports;

    /// Per condition position; 0 for not/exists.
    std::span<const FactId> facts() const noexcept { return ids.facts(); }
};
static_assert(sizeof(void*) != 8 || sizeof(Activation) == 128, "Activation layout: see the flags");

/// Activations no one refers to any more, ready for reuse: a stack linked through the
/// records themselves. Lists of pointers to them (the engine's and the agenda's) took
/// 165 KB at Miss Manners 128's peak, a 16th of what its network held.
class FreeActivations {
public:
    bool empty() const noexcept { return top_ == nullptr; }
    void push(Activation& a) noexcept {
        a.next_free = top_;
        if (!top_) bottom_ = &a;
        top_ = &a;
    }
    /// The activation pushed last (the list must not be empty), with a null `token`.
    Activation& pop() noexcept {
        Activation& a = *top_;
        top_ = a.next_free;
        a.token = nullptr;
        return a;
    }
    /// Puts `other`'s activations on top of these, in their order, and empties it.
    void take_all(FreeActivations& other) noexcept {
        if (other.empty()) return;
        other.bottom_->next_free = top_;
        if (!top_) bottom_ = other.bottom_;
        top_ = std::exchange(other.top_, nullptr);
    }

private:
    Activation* top_ = nullptr;
    Activation* bottom_ = nullptr;  ///< valid while the list is not empty
};

/// -1, 0 or 1: which of two newest-first id lists is more recent. Compared position by
/// position; where one list is a prefix of the other, the longer is more recent.
int compare_recency(std::span<const FactId> a, std::span<const FactId> b) noexcept;
/// The same for the matched facts of two activations, newest first.
int compare_recency(const ActivationIds& a, const ActivationIds& b) noexcept;

/// True when `a` fires before `b` under `strategy`.
bool fires_before(const Activation& a, const Activation& b, Strategy strategy) noexcept;

/// The waiting activations in firing order (the total order of `fires_before`, so the
/// structure's shape never decides which activation fires next).
///
/// They are kept by salience, then, under depth and breadth, by the moment that created
/// them: a new activation belongs to the newest moment, so under depth it lands in the
/// group that fires next instead of climbing a heap of every waiting activation. Within
/// a group (and under lex and MEA, within a salience) a sorted list orders a few of them
/// and a binary heap more; entries keep the leading sort keys by value, so most
/// comparisons read no activation.
///
/// Removal is lazy. Most activations leave unfired, when a change undoes their match,
/// and usually with the rest of their group (the alternatives a rule did not choose);
/// a removed activation only stops counting, and its entry stays in the heap until the
/// group empties, reaches the top, or holds over four times as many removed entries as
/// waiting ones (plus 8). So that an entry left behind still compares as it did, the
/// agenda, not the caller, recycles removed activations: it hands them back through
/// reclaim() once no entry refers to them.
class Agenda {
public:
    explicit Agenda(Strategy strategy = Strategy::Depth) : strategy_{strategy} {}

    /// Queues `a` (sets `a.queued`).
    void add(Activation& a);
    /// Takes `a`, which must be queued, off the agenda (clears `a.queued`). The caller
    /// must leave the fields the order reads (salience, moment, ids, rule, sequence) as
    /// they are and must not reuse `a` until reclaim() returns it.
    void remove(Activation& a);
    /// Removes and returns the activation to fire next; the agenda must not be empty.
    Activation& pop();
    /// Adds to `out` the removed activations no entry refers to any more.
    void reclaim(FreeActivations& out) { out.take_all(removed_); }
    /// Reorders the waiting activations for `strategy` (a session may change strategy
    /// between runs; activations left by a halt or a limit keep waiting).
    void set_strategy(Strategy strategy);
    /// The waiting activations in firing order, the agenda unchanged.
    std::vector<const Activation*> in_order() const;
    bool empty() const noexcept { return size_ == 0; }
    std::size_t size() const noexcept { return size_; }

private:
    /// Entries are compared only within their group, which has one salience and, under
    /// depth and breadth (the strategies that read the entries' keys), one moment.
    struct Entry {
        /// The first ids of `recency`, 0 past its end (ids start at 1, so a shorter list
        /// compares as less recent, as compare_recency has it), in 32 bits: an id from
        /// `saturated` on is kept as `saturated`, and the activations decide. 24 bytes,
        /// where 64-bit keys took 32 (Miss Manners 128 waits on 8,020 activations at
        /// once); a fourth key, which would fit, took more instructions than it saved.
        std::array<std::uint32_t, 3> newest;
        Activation* activation;  ///< removed when no longer queued
    };
    static_assert(sizeof(void*) != 8 || sizeof(Entry) == 24);
    static constexpr std::uint32_t saturated = std::numeric_limits<std::uint32_t>::max();
    using Heap = std::vector<Entry>;  ///< heap[0] fires first
    /// The activations of one salience with one group key (see key_of).
    struct Group {
        std::uint64_t key = 0;
        std::int64_t salience = 0;
        std::size_t waiting = 0;  ///< entries whose activation is still queued
        /// Up to `sorted_limit` entries, `heap` is sorted with the first to fire last;
        /// past that it becomes a heap until the group empties.
        bool sorted = true;
        Heap heap;
    };
    /// Most groups hold a few activations (closure: one moment makes one per child of a
    /// node), and a sorted list costs them fewer comparisons and moves than a heap.
    static constexpr std::size_t sorted_limit = 8;
    /// One salience: its groups (indexes into groups_) in increasing key order. The first
    /// and the last always have waiting activations; emptied groups between them wait
    /// for compact().
    struct Level {
        std::int64_t salience;
        std::deque<std::uint32_t> order;
        std::size_t empty_groups = 0;
    };

    /// The group an activation belongs to: its moment under depth and breadth, where the
    /// moment decides first, and one group for the whole salience under lex and MEA.
    std::uint64_t key_of(const Activation& a) const noexcept {
        return strategy_ == Strategy::Depth || strategy_ == Strategy::Breadth ? a.moment : 0;
    }
    /// The group that fires first within a level: the newest under depth, the oldest
    /// under breadth (the only one under lex and MEA).
    std::uint32_t first_group(const Level& level) const noexcept {
        return strategy_ == Strategy::Depth ? level.order.back() : level.order.front();
    }
    std::vector<Level>::iterator find_level(std::int64_t salience);
    std::uint32_t group_for(Level& level, std::uint64_t key, std::int64_t salience);
    /// Called when a group has lost a waiting activation: empties it when none is left
    /// (dropping it, and its level, at the ends), or sheds its removed entries once they
    /// are over four times the waiting ones plus 8.
    void after_removal(std::uint32_t group);
    void compact(Level& level);
    /// Puts an emptied group on the free list. Beyond `sorted_limit` entries its heap's
    /// memory becomes the spare, if larger, or goes: with every freed group keeping its
    /// own largest, Waltz 200 cubes held two heaps of 8,192 entries after the groups that
    /// grew them had emptied, and closure 2,000 nodes room for ten times the entries it
    /// ever had waiting.
    void free_group(std::uint32_t group);
    /// Before an entry goes into a full `heap`: takes the spare instead if it has more room,
    /// so that the group that grows large each phase (Miss Manners: 8,000 entries) does
    /// not grow from nothing each time.
    void make_room(Heap& heap);
    /// Calls `f` on every heap entry, waiting or removed.
    template <typename F>
    void each_entry(F&& f) const {
        for (const Level& level : levels_)
            for (std::uint32_t g : level.order)
                for (const Entry& e : groups_[g].heap) f(e);
    }

    /// True when `x` fires before `y`, two entries of one group.
    bool before(const Entry& x, const Entry& y) const noexcept;
    void sift_up(Heap& heap, std::size_t i) const noexcept;
    void sift_down(Heap& heap, std::size_t i) const noexcept;
    /// Removes heap[0].
    void pop_heap(Heap& heap) const noexcept;
    void insert(Group& group, const Entry& e);
    /// The group's first entry to fire, and its removal.
    static const Entry& top(const Group& group) noexcept { return group.sorted ? group.heap.back() : group.heap.front(); }
    void drop_top(Group& group) const noexcept;

    Strategy strategy_;
    std::vector<Level> levels_;  ///< with waiting activations, by decreasing salience
    /// Every group (activations name theirs by index; a reference to one is not kept across
    /// group_for, which may add one).
    std::vector<Group> groups_;
    std::vector<std::uint32_t> free_groups_;
    Heap spare_;  ///< empty; the largest heap of a freed group (see free_group)
    FreeActivations removed_;  ///< removed activations no entry refers to
    std::size_t size_ = 0;
};

}  // namespace demarche::engine
