// Text to syntax tree. Grammar in grammar.hpp, messages in grammar_errors.hpp; this
// file's functions run it and recover after errors so every mistake is reported.
#pragma once

#include "ast.hpp"
#include "source.hpp"

#include <functional>
#include <vector>

namespace demarche::dsl {

/// Deepest nesting of parentheses, `not`/`exists` groups and unary operators accepted.
/// Deeper input gets a diagnostic instead of exhausting the stack.
inline constexpr unsigned max_nesting_depth = 256;

/// Parses a `.rules` file. Syntax errors go to `diags`; after each one the parser skips
/// to the next top-level keyword (`import template facts rule query`) and goes on, so
/// the result holds every declaration that parsed.
ast::File parse_rules(const SourceFile& file, Diagnostics& diags);

/// How parse_facts reads a `.facts` file. `Scanner` reads the well-formed facts by hand
/// (fact_scanner.hpp), several times faster, and leaves the rest of the file from the
/// first fact it cannot read to the grammar; `Grammar` uses the grammar alone. Both give
/// the same facts and diagnostics: `Grammar` is the reference tests and fuzzers hold
/// the scanner to.
enum class FactsReader { Scanner, Grammar };

/// Parses a `.facts` file: bare facts, one after another, as inside `facts { }`.
/// After an error the parser skips to the start of the next line that begins a fact.
std::vector<ast::Fact> parse_facts(const SourceFile& file, Diagnostics& diags,
                                   FactsReader reader = FactsReader::Scanner);

/// Receives each fact of a `.facts` file as soon as it is parsed. The fact is reused for
/// the next one: copy what must be kept.
using FactSink = std::function<void(const ast::Fact&)>;

/// Parses a `.facts` file like the function above, but hands each fact to `sink` instead
/// of keeping them all, so a million-fact file never holds a million syntax trees.
void parse_facts(const SourceFile& file, Diagnostics& diags, const FactSink& sink,
                 FactsReader reader = FactsReader::Scanner);

}  // namespace demarche::dsl
