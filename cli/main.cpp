// The `demarche` command: subcommands, help, version, exit statuses.
#include "commands.hpp"

#include <exception>
#include <iostream>
#include <map>

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

    std::map<CLI::App*, CommandRunner> runners;
    auto add = [&](CommandRunner runner) { runners[app.get_subcommands({}).back()] = std::move(runner); };
    add(add_check_command(app));
    add(add_lint_command(app));
    add(add_fmt_command(app));
    add(add_run_command(app));
    add(add_query_command(app));
    add(add_why_command(app));
    add(add_why_not_command(app));
    add(add_test_command(app));

    std::string help_topic;
    CLI::App* help = app.add_subcommand("help", "Show help for demarche or one of its commands");
    help->add_option("COMMAND", help_topic, "The command to describe");

    // CLI11 would answer "A subcommand is required" to a misspelt command; name it instead.
    if (argc > 1 && argv[1][0] != '-') {
        std::string word = argv[1];
        bool known = false;
        for (const CLI::App* sub : app.get_subcommands({})) known = known || sub->get_name() == word;
        if (!known) {
            std::cerr << "demarche: '" << word << "' is not a command; see 'demarche --help'\n";
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

    if (help->parsed()) {
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
