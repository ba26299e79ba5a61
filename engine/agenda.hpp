// The agenda: activations waiting to fire, ordered by salience, then by the conflict
// resolution strategy, then by the contract's deterministic tie-breaks.
#pragma once

#include "working_memory.hpp"

#include <demarche/session.hpp>

#include <cstdint>
#include <set>
#include <vector>

namespace demarche::engine {

/// A rule and the facts that matched it (one terminal token). It lives as long as the
/// match: after firing it stays, off the agenda, to hold its logical support.
struct Activation {
    std::uint32_t rule = 0;
    std::int64_t salience = 0;
    std::uint64_t moment = 0;    ///< the assertion or retraction that created it
    std::uint64_t sequence = 0;  ///< creation order, the last resort of the ordering
    std::vector<FactId> facts;   ///< per condition position; 0 for not/exists
    std::vector<FactId> recency; ///< the matched fact ids, newest first
    Token* token = nullptr;      ///< null once the match has gone
    bool queued = false;         ///< on the agenda
    std::vector<FactId> supports;  ///< facts asserted logically by this activation
};

/// -1, 0 or 1: which of two newest-first id lists is more recent. Compared position by
/// position; where one list is a prefix of the other, the longer is more recent.
int compare_recency(const std::vector<FactId>& a, const std::vector<FactId>& b) noexcept;

/// True when `a` fires before `b` under `strategy`.
bool fires_before(const Activation& a, const Activation& b, Strategy strategy) noexcept;

class Agenda {
public:
    explicit Agenda(Strategy strategy = Strategy::Depth) : order_{strategy}, set_(order_) {}

    void add(Activation& a) { set_.insert(&a); }
    void remove(Activation& a) { set_.erase(&a); }
    /// Removes and returns the activation to fire next; the agenda must not be empty.
    Activation& pop() {
        Activation* a = *set_.begin();
        set_.erase(set_.begin());
        return *a;
    }
    /// Reorders the waiting activations for `strategy` (a session may change strategy
    /// between runs; activations left by a halt or a limit keep waiting).
    void set_strategy(Strategy strategy) {
        if (strategy == order_.strategy) return;
        order_ = Order{strategy};
        std::set<Activation*, Order> reordered(set_.begin(), set_.end(), order_);
        set_ = std::move(reordered);
    }
    bool empty() const noexcept { return set_.empty(); }
    std::size_t size() const noexcept { return set_.size(); }

private:
    struct Order {
        Strategy strategy;
        bool operator()(const Activation* a, const Activation* b) const noexcept {
            return fires_before(*a, *b, strategy);
        }
    };
    Order order_;
    std::set<Activation*, Order> set_;
};

}  // namespace demarche::engine
