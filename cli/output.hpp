// What the subcommands share: printing diagnostics (text on stderr, coloured on a
// terminal, or JSON), loading inputs, the run limits and Ctrl-C, and `--output FILE`.
#pragma once

#include <demarche/compile.hpp>
#include <demarche/diagnostic.hpp>
#include <demarche/session.hpp>

#include <CLI/CLI.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
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

/// The limits of every command that runs the rules (run, query, why, why-not).
struct RunLimits {
    std::optional<std::uint64_t> max_fires;
    std::optional<double> timeout;  ///< seconds, finite and not negative
    std::optional<std::uint64_t> max_facts;
};

/// Adds `--max-fires N`, `--timeout SECONDS` and `--max-facts N` to a subcommand.
void add_limit_options(CLI::App& cmd, RunLimits& limits);

/// Copies `limits` into `options` and points `options.cancel` at the flag that Ctrl-C
/// sets while an InterruptScope is alive.
void apply_limits(const RunLimits& limits, RunOptions& options);

/// While alive, the first Ctrl-C (SIGINT) only sets the flag that apply_limits hands to
/// the run, which then stops between two firings; a second Ctrl-C ends the process as
/// usual. The previous handler comes back at the end of the scope. One scope at a time.
class InterruptScope {
public:
    InterruptScope();
    ~InterruptScope();
    InterruptScope(const InterruptScope&) = delete;
    InterruptScope& operator=(const InterruptScope&) = delete;
};

/// Why an incomplete run stopped, for messages: "stopped at the fire limit of 5",
/// "stopped by the timeout of 0.5 s", ...; empty for a complete run.
std::string stop_description(const RunResult& result, const RunLimits& limits);

/// Keeps `what` until the process ends and never destroys it: the system takes a run's
/// memory back at once, where destroying its facts, tokens and program freed it one
/// allocation at a time (loading 100,000 facts: 6 % of the command's instructions).
/// Only for objects whose destructors do nothing but free memory. Leak checkers do not
/// count them: they stay reachable from a global.
void keep_until_exit(std::shared_ptr<const void> what);

/// Adds `--output FILE` to a subcommand.
void add_output_option(CLI::App& cmd, std::optional<std::string>& file);

/// Runs `command` and returns its exit status. With a file, everything the command (or a
/// program it starts) writes to stdout goes to a new temporary file in the file's folder,
/// renamed over the file once the command is done, so readers see the old file or the
/// whole new one. When the command returns exit status 2 (bad input: nothing ran) the
/// temporary file is removed and the file is left as it was. A file that cannot be
/// created gives a message and status 2 before the command runs.
int with_output(const std::optional<std::string>& file, const std::function<int()>& command);

}  // namespace demarche::cli
