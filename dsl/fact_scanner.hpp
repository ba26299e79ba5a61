// A hand-written reader for `.facts` files, the fast path of parse_facts (parser.hpp).
// Internal to dsl/.
//
// It reads the facts_file rule of grammar.hpp byte by byte, without PEGTL's machinery,
// and stops at the first fact it cannot read whole: anything malformed, and anything it
// would have to word an error for (a reserved word as a name, a number out of range).
// The grammar then reads the file from the start of that fact on. It builds the same
// ast::Fact, ranges included, that the grammar's actions build, and the grammar carries
// nothing from one fact to the next that the next one's reading depends on, so the
// facts and diagnostics that come out are exactly those of the grammar alone.
#pragma once

#include "ast.hpp"
#include "parser.hpp"
#include "source.hpp"

#include <cstddef>

namespace demarche::dsl::detail {

/// Reads the facts of `file` from its start, handing each to `sink` in `fact` (refilled
/// for the next one, so its buffers are reused). Returns the size of the text when it
/// read every fact, else the offset of the first fact it did not read, past the blanks
/// and comments before it: where the grammar must go on.
std::size_t scan_facts(const SourceFile& file, ast::Fact& fact, const FactSink& sink);

}  // namespace demarche::dsl::detail
