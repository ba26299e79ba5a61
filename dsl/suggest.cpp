// Edit distance and closest-name suggestions for diagnostics.
#include "suggest.hpp"

#include <algorithm>

namespace demarche::dsl {

std::size_t edit_distance(std::string_view a, std::string_view b) {
    // Optimal string alignment over three rolling rows: names are short, but a
    // misspelt name may be long, so memory stays linear in the shorter input.
    if (a.size() < b.size()) std::swap(a, b);
    const std::size_t n = b.size();
    std::vector<std::size_t> before(n + 1), prev(n + 1), cur(n + 1);
    for (std::size_t j = 0; j <= n; ++j) prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= n; ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                cur[j] = std::min(cur[j], before[j - 2] + 1);
        }
        std::swap(before, prev);
        std::swap(prev, cur);
    }
    return prev[n];
}

std::optional<std::string_view> closest_name(std::string_view name,
                                             const std::vector<std::string_view>& known) {
    const std::size_t limit = std::max<std::size_t>(1, name.size() / 3);
    std::optional<std::string_view> best;
    std::size_t best_distance = limit + 1;
    for (std::string_view candidate : known) {
        // A length gap larger than the limit cannot be bridged; skip the quadratic work.
        const std::size_t gap =
            candidate.size() > name.size() ? candidate.size() - name.size() : name.size() - candidate.size();
        if (gap > limit) continue;
        const std::size_t d = edit_distance(name, candidate);
        if (d < best_distance) {
            best_distance = d;
            best = candidate;
        }
    }
    return best;
}

std::string did_you_mean(std::string_view name, const std::vector<std::string_view>& known) {
    if (auto best = closest_name(name, known)) return "; did you mean '" + std::string(*best) + "'?";
    return {};
}

}  // namespace demarche::dsl
