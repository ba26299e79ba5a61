// The `demarche` command: subcommands, help, version, exit statuses.
#include "commands.hpp"

#include <algorithm>
#include <exception>
#include <iostream>
#include <iterator>
#include <map>
#include <string_view>
#include <utility>

namespace {

constexpr const char* overview =
    "Demarche: a rule engine for policy reasoning.\n"
    "Rules are written in a small language (docs/language.md); facts come from .facts or\n"
    "JSON files; every conclusion can be explained.";

}  // namespace

int main(int argc, char** argv) {
    using namespace demarche::cli;
    CLI::App app{overview, "demarche"};
    app.set_version_flag("-V,--version", std::string("demarche ") + DEMARCHE_VERSION);
    app.require_subcommand(1);
    app.fallthrough(false);
    app.footer("Run 'demarche help COMMAND' or 'demarche COMMAND --help' for a command's options.");

    // Setting up a command's options costs CLI11 60,000 to 180,000 instructions, and
    // all of them came to a quarter of a short run's (the flagship rule base: 4 M).
    // When the first argument names a command, only that one is set up; help, the
    // version and mistakes see every command.
    using AddCommand = CommandRunner (*)(CLI::App&);
    constexpr std::pair<std::string_view, AddCommand> commands[] = {
        {"check", add_check_command},     {"lint", add_lint_command},   {"fmt", add_fmt_command},
        {"run", add_run_command},         {"query", add_query_command}, {"why", add_why_command},
        {"why-not", add_why_not_command}, {"test", add_test_command}};
    const std::string_view first = argc > 1 ? argv[1] : "";
    const auto named = std::find_if(std::begin(commands), std::end(commands),
                                    [&](const auto& command) { return command.first == first; });

    std::map<CLI::App*, CommandRunner> runners;
    auto add = [&](AddCommand add_command) {
        CommandRunner runner = add_command(app);
        runners[app.get_subcommands({}).back()] = std::move(runner);
    };
    std::string help_topic;
    CLI::App* help = nullptr;
    if (named != std::end(commands)) {
        add(named->second);
    } else {
        for (const auto& command : commands) add(command.second);
        help = app.add_subcommand("help", "Show help for demarche or one of its commands");
        help->add_option("COMMAND", help_topic, "The command to describe");
        // CLI11 would answer "A subcommand is required" to a misspelt command; name it
        // instead.
        if (argc > 1 && argv[1][0] != '-' && first != "help") {
            std::cerr << "demarche: '" << first << "' is not a command; see 'demarche --help'\n";
            return exit_input;
        }
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return exit_input;  // a usage error is bad input: nothing was run
    }

    if (help && help->parsed()) {
        if (help_topic.empty()) {
            std::cout << app.help();
            return exit_ok;
        }
        try {
            std::cout << app.get_subcommand(help_topic)->help();
            return exit_ok;
        } catch (const CLI::OptionNotFound&) {
            std::cerr << "demarche: no command '" << help_topic << "'; see 'demarche --help'\n";
            return exit_input;
        }
    }
    try {
        for (auto& [cmd, runner] : runners)
            if (cmd->parsed()) return runner();
    } catch (const std::exception& e) {
        std::cerr << "demarche: internal error: " << e.what() << "\n";
        return exit_runtime;
    }
    return exit_input;
}
