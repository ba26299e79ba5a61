// `demarche lint PATH... [--facts FILE]...`: warnings about rules that are valid but
// probably wrong.
#include "commands.hpp"
#include "output.hpp"

#include <demarche/compile.hpp>
#include <demarche/lint.hpp>

#include <iostream>

namespace demarche::cli {

namespace {

struct LintOptions {
    std::vector<std::string> paths;
    std::vector<std::string> facts;
    std::string format = "text";
    ColorMode color = ColorMode::Auto;
};

int run_lint(const LintOptions& opt) {
    Inputs in = load_inputs(opt.paths, opt.facts);
    std::vector<Diagnostic> diags = std::move(in.diagnostics);
    const bool errors = count_errors(diags) > 0;
    if (!errors) {
        std::vector<Diagnostic> warnings = lint(in.program, in.facts.get());
        diags.insert(diags.end(), warnings.begin(), warnings.end());
    }
    if (opt.format == "json") {
        std::cout << "{\"diagnostics\": " << diagnostics_json(diags) << "}\n";
    } else {
        print_diagnostics(diags, use_color(opt.color));
        if (!errors) {
            std::size_t n = diags.size();
            std::cout << (n == 0 ? std::string("no warnings")
                                 : std::to_string(n) + (n == 1 ? " warning" : " warnings"))
                      << "\n";
        }
    }
    if (errors) return exit_input;
    return diags.empty() ? exit_ok : exit_runtime;
}

}  // namespace

CommandRunner add_lint_command(CLI::App& root) {
    auto opt = std::make_shared<LintOptions>();
    CLI::App* cmd = root.add_subcommand("lint", "Warn about rules that are valid but probably wrong");
    cmd->footer(
        "Warns about templates nothing uses, patterns whose constraints contradict each other and\n"
        "rules with the same conditions, and pairs of rules of equal salience where one can stop the\n"
        "other from firing, so agenda order decides the outcome; with --facts, also about rules that\n"
        "can never fire because nothing asserts or gives a fact they need (docs/lint-and-fmt.md).\n"
        "Exit status: 0 when clean, 1 when there are warnings, 2 when the input has errors.");
    cmd->add_option("PATH", opt->paths, "Rule files, or folders holding .rules files")->required();
    cmd->add_option("--facts", opt->facts, "The fact files the rules will run on (.facts or .json); repeatable");
    cmd->add_option("--format", opt->format, "Output format")
        ->check(CLI::IsMember({"text", "json"}))
        ->default_str("text");
    add_color_option(*cmd, opt->color);
    return [opt] { return run_lint(*opt); };
}

}  // namespace demarche::cli
