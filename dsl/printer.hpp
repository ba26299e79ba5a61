// Syntax tree back to canonical text (`demarche fmt`): 4-space indent, one condition or
// action per line, minimal parentheses. Printing a parsed file and parsing the result
// gives the same tree, so printing again gives the same text.
#pragma once

#include "ast.hpp"

#include <string>

namespace demarche::dsl {

/// The whole file in canonical form; declarations separated by one blank line.
/// Comments are not part of the tree and do not survive.
std::string print_file(const ast::File& file);

/// One fact on one line, as in a `.facts` file: `edge(a, b)`, `person(name: "x", age: 42)`.
std::string print_fact(const ast::Fact& fact);

/// One expression with the fewest parentheses that keep its tree.
std::string print_expr(const ast::Expr& expr);

}  // namespace demarche::dsl
