// Warnings about a checked program that is valid but probably not what its author meant.
#pragma once

#include "program.hpp"
#include "source.hpp"

#include <vector>

namespace demarche::dsl {

/// Adds to `diags` a warning for each of these, in declaration order:
/// - a template that nothing uses: no pattern or query matches it, no rule asserts it,
///   no fact gives it;
/// - a pattern whose constraints on one field contradict each other (`age: > 5 & < 3`,
///   `kind: a & b`), so its rule can never fire;
/// - a rule whose conditions are the same as an earlier rule's;
/// - a pair of rules of equal salience where one, by retracting or modifying a fact the
///   other matches, or asserting a fact the other's `not` rules out, can stop the other
///   from firing, so that the agenda order decides the outcome (docs/lint-and-fmt.md
///   gives the exact conditions; pairs that look like different phases are left alone);
/// - when `inputs` is given (the facts of the fact files the rules will run on): a
///   positive pattern on a template that no rule asserts and no fact gives, so its
///   rule can never fire. Without fact files every template no rule asserts is taken
///   to be an input, and this check is skipped.
/// `diags` must resolve ranges of both the program and the fact files.
void lint(const Program& program, const std::vector<InitialFact>* inputs, Diagnostics& diags);

}  // namespace demarche::dsl
