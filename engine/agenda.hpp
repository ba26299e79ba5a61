// The agenda: activations waiting to fire, ordered by salience, then by the conflict
// resolution strategy, then by the contract's deterministic tie-breaks.
#pragma once

#include "working_memory.hpp"

#include <demarche/session.hpp>

#include <array>
#include <cstdint>
#include <span>
#include <vector>

namespace demarche::engine {

/// The fact ids of an activation: one per condition position (0 for not/exists), then
/// the same ids without the zeros, newest first. Up to `inline_capacity` ids in all live
/// inside the activation, so creating one costs no allocation in the usual case.
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
    /// Derives the newest-first list from the facts written after reset().
    void sort_recency() noexcept;

    std::span<const FactId> facts() const noexcept { return {data(), facts_}; }
    std::span<const FactId> recency() const noexcept { return {data() + facts_, recency_}; }

private:
    static constexpr std::uint32_t inline_capacity = 8;
    FactId* data() noexcept { return capacity_ > inline_capacity ? heap_ : inline_; }
    const FactId* data() const noexcept { return capacity_ > inline_capacity ? heap_ : inline_; }

    std::uint32_t facts_ = 0;
    std::uint32_t recency_ = 0;
    std::uint32_t capacity_ = inline_capacity;
    union {
        FactId inline_[inline_capacity] = {};
        FactId* heap_;
    };
};

/// A rule and the facts that matched it (one terminal token). It lives as long as the
/// match: after firing it stays, off the agenda, to hold its logical support.
struct Activation {
    std::uint32_t rule = 0;
    std::int64_t salience = 0;
    std::uint64_t moment = 0;    ///< the assertion or retraction that created it
    std::uint64_t sequence = 0;  ///< creation order, the last resort of the ordering
    ActivationIds ids;
    Token* token = nullptr;      ///< null once the match has gone
    bool queued = false;         ///< on the agenda
    std::uint32_t heap_pos = 0;  ///< the agenda's index of it, while queued
    std::vector<FactId> supports;  ///< facts asserted logically by this activation

    /// Per condition position; 0 for not/exists.
    std::span<const FactId> facts() const noexcept { return ids.facts(); }
    /// The matched fact ids, newest first.
    std::span<const FactId> recency() const noexcept { return ids.recency(); }
};

/// -1, 0 or 1: which of two newest-first id lists is more recent. Compared position by
/// position; where one list is a prefix of the other, the longer is more recent.
int compare_recency(std::span<const FactId> a, std::span<const FactId> b) noexcept;

/// True when `a` fires before `b` under `strategy`.
bool fires_before(const Activation& a, const Activation& b, Strategy strategy) noexcept;

/// The waiting activations, as a binary heap in firing order (the total order of
/// `fires_before`, so the heap's shape never decides which activation fires next). Each
/// activation knows its place in the heap, so removing one costs O(log n), and the heap
/// entries keep the leading sort keys by value, so most comparisons read no activation.
class Agenda {
public:
    explicit Agenda(Strategy strategy = Strategy::Depth) : strategy_{strategy} {}

    /// Queues `a` (sets `a.queued`).
    void add(Activation& a);
    /// Takes `a`, which must be queued, off the agenda (clears `a.queued`).
    void remove(Activation& a);
    /// Removes and returns the activation to fire next; the agenda must not be empty.
    Activation& pop();
    /// Reorders the waiting activations for `strategy` (a session may change strategy
    /// between runs; activations left by a halt or a limit keep waiting).
    void set_strategy(Strategy strategy);
    /// The waiting activations in firing order, the agenda unchanged.
    std::vector<const Activation*> in_order() const;
    bool empty() const noexcept { return heap_.empty(); }
    std::size_t size() const noexcept { return heap_.size(); }

private:
    struct Entry {
        std::int64_t salience;
        std::uint64_t moment;
        /// The first ids of `recency`, 0 past its end (ids start at 1, so a shorter list
        /// compares as less recent, as compare_recency has it).
        std::array<FactId, 3> newest;
        Activation* activation;
    };
    /// True when `x` fires before `y`.
    bool before(const Entry& x, const Entry& y) const noexcept;
    void place(std::size_t i, const Entry& e) noexcept {
        heap_[i] = e;
        e.activation->heap_pos = static_cast<std::uint32_t>(i);
    }
    void sift_up(std::size_t i) noexcept;
    void sift_down(std::size_t i) noexcept;

    Strategy strategy_;
    std::vector<Entry> heap_;  ///< heap_[0] fires next
};

}  // namespace demarche::engine
