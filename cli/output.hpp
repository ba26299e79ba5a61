// Printing diagnostics for the subcommands: text on stderr (coloured on a terminal), or JSON.
#pragma once

#include <demarche/compile.hpp>
#include <demarche/diagnostic.hpp>

#include <CLI/CLI.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace demarche::cli {

enum class ColorMode { Auto, Always, Never };

/// Adds `--color auto|always|never` to a subcommand.
void add_color_option(CLI::App& cmd, ColorMode& mode);

/// True when `mode` asks for colour on stderr: `auto` means a terminal, no NO_COLOR, TERM not dumb.
bool use_color(ColorMode mode);

/// Writes every diagnostic to stderr in compiler style, then a count line when there are errors.
void print_diagnostics(const std::vector<Diagnostic>& diags, bool color);

/// A JSON array text of the diagnostics, for `--format json`.
std::string diagnostics_json(const std::vector<Diagnostic>& diags);

/// The rules and facts a command works on, with every diagnostic found reading them.
struct Inputs {
    ProgramPtr program;                    ///< null when the rules have errors
    std::shared_ptr<const FactSet> facts;  ///< null without fact files or when they have errors
    std::vector<Diagnostic> diagnostics;
};

/// Compiles PATHs and, when that succeeds, reads the fact files against the program.
Inputs load_inputs(const std::vector<std::string>& paths, const std::vector<std::string>& fact_files);

/// "1 fact", "3 facts".
std::string plural(std::uint64_t n, const char* word);

/// Number of errors (not warnings) in `diags`.
std::size_t count_errors(const std::vector<Diagnostic>& diags);

}  // namespace demarche::cli
