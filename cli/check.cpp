// `demarche check PATH... [--facts FILE]...`: parse and check, report every problem.
#include "commands.hpp"
#include "output.hpp"

#include <demarche/compile.hpp>

#include <iostream>

namespace demarche::cli {

namespace {

struct CheckOptions {
    std::vector<std::string> paths;
    std::vector<std::string> facts;
    std::string format = "text";
    ColorMode color = ColorMode::Auto;
    bool quiet = false;
};

int run_check(const CheckOptions& opt) {
    Inputs in = load_inputs(opt.paths, opt.facts);
    std::vector<Diagnostic> diags = std::move(in.diagnostics);
    const std::size_t fact_count = in.facts ? demarche::fact_count(*in.facts) : 0;
    bool ok = count_errors(diags) == 0;

    if (opt.format == "json") {
        std::cout << "{\"ok\": " << (ok ? "true" : "false") << ", \"diagnostics\": " << diagnostics_json(diags);
        if (ok) {
            ProgramSummary s = summarize(*in.program);
            std::cout << ", \"summary\": {\"files\": " << s.files << ", \"templates\": " << s.templates
                      << ", \"rules\": " << s.rules << ", \"queries\": " << s.queries
                      << ", \"facts\": " << s.facts + fact_count << "}";
        }
        std::cout << "}\n";
    } else {
        print_diagnostics(diags, use_color(opt.color));
        if (ok && !opt.quiet) {
            ProgramSummary s = summarize(*in.program);
            std::cout << "ok: " << plural(s.files, "file") << ", " << plural(s.templates, "template") << ", "
                      << plural(s.rules, "rule") << ", " << (s.queries == 1 ? std::string("1 query") : std::to_string(s.queries) + " queries")
                      << ", " << plural(s.facts + fact_count, "fact") << "\n";
        }
    }
    return ok ? exit_ok : exit_input;
}

}  // namespace

CommandRunner add_check_command(CLI::App& root) {
    auto opt = std::make_shared<CheckOptions>();
    CLI::App* cmd = root.add_subcommand("check", "Parse and check rule files; report every problem");
    cmd->footer("Exit status: 0 when clean, 2 when any error was found.");
    cmd->add_option("PATH", opt->paths, "Rule files, or folders holding .rules files")->required();
    cmd->add_option("--facts", opt->facts, "Also check a fact file (.facts or .json); repeatable");
    cmd->add_option("--format", opt->format, "Output format")
        ->check(CLI::IsMember({"text", "json"}))
        ->default_str("text");
    add_color_option(*cmd, opt->color);
    cmd->add_flag("-q,--quiet", opt->quiet, "Print nothing when the input is clean");
    return [opt] { return run_check(*opt); };
}

}  // namespace demarche::cli
