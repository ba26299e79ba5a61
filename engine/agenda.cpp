// Conflict resolution. Every comparison ends in a total order, so the same input always
// fires the same activations in the same order.
#include "agenda.hpp"

namespace demarche::engine {

int compare_recency(const std::vector<FactId>& a, const std::vector<FactId>& b) noexcept {
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
        FactId fa = a.facts.empty() ? 0 : a.facts.front();
        FactId fb = b.facts.empty() ? 0 : b.facts.front();
        if (fa != fb) return fa > fb;
        [[fallthrough]];
    }
    case Strategy::Lex:
        if (int r = compare_recency(a.recency, b.recency); r != 0) return r > 0;
        if (a.moment != b.moment) return a.moment > b.moment;
        break;
    }
    if (int r = compare_recency(a.recency, b.recency); r != 0) return r > 0;
    if (a.rule != b.rule) return a.rule < b.rule;
    // Beyond the contract: one rule matching the same facts in another arrangement (a
    // permutation) is ordered by the facts in condition order, newest first, so the order
    // never depends on how the network happened to find the matches.
    if (int r = compare_recency(a.facts, b.facts); r != 0) return r > 0;
    return a.sequence < b.sequence;
}

}  // namespace demarche::engine
