// Warnings about rules that are valid but probably not what their author meant.
#pragma once

#include <demarche/compile.hpp>
#include <demarche/diagnostic.hpp>
#include <demarche/export.hpp>

#include <vector>

namespace demarche {

/// Warnings (severity Warning) about `program`: templates nothing uses, patterns whose
/// constraints contradict each other, rules with the same conditions as an earlier rule,
/// when `facts` is given (the fact files the rules will run on) positive patterns on
/// templates that no rule asserts and no fact gives, and last, pairs of rules of equal
/// salience where one can stop the other from firing (by retracting or modifying a fact
/// it matches, or asserting one its `not` rules out), so agenda order decides the outcome.
/// Each kind in declaration order; see docs/lint-and-fmt.md.
DEMARCHE_API std::vector<Diagnostic> lint(const ProgramPtr& program, const FactSet* facts = nullptr);

}  // namespace demarche
