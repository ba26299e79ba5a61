// Formatting rule files into the one canonical layout (`demarche fmt`).
#pragma once

#include <demarche/diagnostic.hpp>
#include <demarche/export.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace demarche {

/// The outcome of formatting one rule file.
struct FormatResult {
    std::optional<std::string> text;      ///< the canonical text; absent when the file has errors
    std::vector<Diagnostic> diagnostics;  ///< why it could not be formatted (syntax errors, unreadable file)
    /// True when the file was formatted.
    bool ok() const noexcept { return text.has_value(); }
};

/// Formats rule text held in memory; `name` is used in diagnostics. The result parses to
/// the same syntax tree as `text` and keeps every comment (docs/lint-and-fmt.md says
/// where each goes); formatting it again changes nothing. Text with syntax errors is not
/// formatted: the errors come back as diagnostics. Never throws for bad input. Imports
/// are not followed: each file is formatted on its own.
DEMARCHE_API FormatResult format_rules_text(std::string_view text, std::string name = "<string>");

/// Reads a rule file and formats it as format_rules_text does; the file is not changed.
/// An unreadable file or one that is not UTF-8 is an error, as for `check`.
DEMARCHE_API FormatResult format_rules_file(const std::string& path);

/// The rule files `paths` name, in order, each once: a file as named, a folder's `*.rules`
/// files (subfolders included) sorted by path. A missing path, or a folder without
/// `.rules` files, adds an error to `diagnostics`.
DEMARCHE_API std::vector<std::string> list_rule_files(const std::vector<std::string>& paths,
                                                      std::vector<Diagnostic>& diagnostics);

}  // namespace demarche
