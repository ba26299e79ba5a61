// "Did you mean": the closest known name to a misspelt one, by edit distance.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace demarche::dsl {

/// Edit distance counting insertion, deletion, substitution and the swap of two
/// adjacent characters as one edit each (so `kidn` is one edit from `kind`).
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The known name closest to `name`, when it is close enough to be a likely typo:
/// at most max(1, len(name) / 3) edits. Ties go to the earliest name in `known`, so
/// pass names in declaration order.
std::optional<std::string_view> closest_name(std::string_view name,
                                             const std::vector<std::string_view>& known);

/// "; did you mean 'x'?" for the closest known name, or "" when none is close.
std::string did_you_mean(std::string_view name, const std::vector<std::string_view>& known);

}  // namespace demarche::dsl
