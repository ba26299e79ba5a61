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

std::string plural(std::size_t n, const char* word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

int run_check(const CheckOptions& opt) {
    CompileResult compiled = compile_paths(opt.paths);
    std::vector<Diagnostic> diags = std::move(compiled.diagnostics);
    std::size_t fact_count = 0;
    if (compiled.ok() && !opt.facts.empty()) {
        FactsResult facts = load_facts(compiled.program, opt.facts);
        diags.insert(diags.end(), facts.diagnostics.begin(), facts.diagnostics.end());
        if (facts.ok()) fact_count = demarche::fact_count(*facts.facts);
    }
    bool ok = count_errors(diags) == 0;

    if (opt.format == "json") {
        std::cout << "{\"ok\": " << (ok ? "true" : "false") << ", \"diagnostics\": " << diagnostics_json(diags);
        if (ok) {
            ProgramSummary s = summarize(*compiled.program);
            std::cout << ", \"summary\": {\"files\": " << s.files << ", \"templates\": " << s.templates
                      << ", \"rules\": " << s.rules << ", \"queries\": " << s.queries
                      << ", \"facts\": " << s.facts + fact_count << "}";
        }
        std::cout << "}\n";
    } else {
        print_diagnostics(diags, use_color(opt.color));
        if (ok && !opt.quiet) {
            ProgramSummary s = summarize(*compiled.program);
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
