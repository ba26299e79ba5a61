// Canonical layout of `test` declarations, kept apart from printer.cpp (which lays out the
// declarations of the core language) and called from its declaration dispatch.
#pragma once

#include "ast.hpp"
#include "printer.hpp"

namespace demarche::dsl {

/// Lays out `test name`, its description and strategy indented below, `given` with one
/// fact per line, `expect` with one expectation per line, and `end`.
void layout_test(Layout& layout, const ast::Test& test);

}  // namespace demarche::dsl
