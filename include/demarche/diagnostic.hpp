// Diagnostics as data: what went wrong, where, and how to show it like a compiler.
#pragma once

#include <demarche/export.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace demarche {

/// A resolved position range in one file. Lines and columns count from 1; columns
/// count characters (UTF-8 code points), not bytes. `end_*` is exclusive and lies on
/// the same line as the start when the range is shown with an underline.
struct SourceLocation {
    std::string path;        ///< the file as the user named it (or "<string>")
    std::uint32_t line = 0;  ///< 0 when the problem has no position (e.g. a missing file)
    std::uint32_t column = 0;
    std::uint32_t end_line = 0;
    std::uint32_t end_column = 0;
    /// The source line without its newline, for the caret display. A very long line is
    /// cut to a window around the column; `text_column` is the column of its first character.
    std::string line_text;
    std::uint32_t text_column = 1;
};

/// How bad a diagnostic is: only errors stop a compile or a fact load.
enum class Severity { Error, Warning, Note };

/// A secondary message attached to a diagnostic ("template declared here").
struct DiagnosticNote {
    std::string message;
    SourceLocation location;
};

/// One problem in the input, with everything needed to print it without the source.
struct Diagnostic {
    Severity severity = Severity::Error;
    std::string message;
    SourceLocation location;
    std::vector<DiagnosticNote> notes;
};

/// Renders `path:line:col: error: message`, the source line and a caret underline,
/// then each note the same way. `color` adds ANSI colours (use only on a terminal).
DEMARCHE_API std::string render_diagnostic(const Diagnostic& d, bool color = false);

/// Renders one diagnostic as a JSON object text: file, line, column, end_line,
/// end_column, severity, message, notes.
DEMARCHE_API std::string diagnostic_to_json(const Diagnostic& d);

/// "error", "warning" or "note".
DEMARCHE_API const char* severity_name(Severity s) noexcept;

}  // namespace demarche
