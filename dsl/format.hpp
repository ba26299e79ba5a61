// Rule text to canonical rule text with every comment kept (`demarche fmt`). The layout
// is the printer's (printer.hpp); this file puts the comments back beside the lines
// that stand for the code they were written next to.
#pragma once

#include "ast.hpp"
#include "source.hpp"

#include <optional>
#include <string>

namespace demarche::dsl {

/// The canonical text of `file`, parsed without errors from `src`, with every comment of
/// `src` kept. Where each comment goes:
/// - a comment after code on its line stays at the end of the line printed for that code
///   (two spaces, then the comment); when that line already has one, it goes on its own
///   line before the next line;
/// - a comment on a line of its own goes on its own line before the line printed for the
///   code that follows it (indented like that line, or one level deeper before `}`,
///   `when`, `then` and `end`), or at the end of the file;
/// - a comment inside a construct that is always printed on one line (an expression,
///   a single argument) goes on its own line before that line;
/// - an empty line before a comment, or between a comment and the code after it, is kept
///   (one, however many there were); other empty lines follow the canonical layout.
/// A pattern, fact, `assert`, `modify` or `print` with a comment between its arguments
/// is broken one argument per line so each comment stays beside its argument.
std::string format_rules(const ast::File& file, const SourceFile& src);

/// Parses `src` and formats it; nullopt (with the syntax errors in `diags`) when it does
/// not parse.
std::optional<std::string> format_source(const SourceFile& src, Diagnostics& diags);

}  // namespace demarche::dsl
