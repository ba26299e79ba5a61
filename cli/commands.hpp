// Subcommands of the `demarche` tool. Each registers its options on the root app and
// returns the function that runs it and gives the exit status.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace demarche::cli {

/// Exit statuses shared by every subcommand (see docs/cli.md).
inline constexpr int exit_ok = 0;
inline constexpr int exit_runtime = 1;  ///< runtime error or limit reached
inline constexpr int exit_input = 2;    ///< bad input: nothing was run

using CommandRunner = std::function<int()>;

CommandRunner add_check_command(CLI::App& root);
CommandRunner add_lint_command(CLI::App& root);
CommandRunner add_fmt_command(CLI::App& root);
CommandRunner add_run_command(CLI::App& root);
CommandRunner add_query_command(CLI::App& root);
CommandRunner add_why_command(CLI::App& root);
CommandRunner add_why_not_command(CLI::App& root);
CommandRunner add_test_command(CLI::App& root);

}  // namespace demarche::cli
