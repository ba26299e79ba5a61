// `demarche why` and `demarche why-not`: run the rules with a provenance recorder, then
// explain a fact that followed or one that did not.
#include "commands.hpp"
#include "output.hpp"

#include <demarche/compile.hpp>
#include <demarche/explain.hpp>
#include <demarche/session.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <sstream>

namespace demarche::cli {

namespace {

struct WhyCliOptions {
    std::string target;
    std::vector<std::string> paths;
    std::vector<std::string> facts;
    std::string format = "text";
    std::string strategy = "depth";
    RunLimits limits;
    std::optional<std::string> output;
    unsigned depth = 2;
    ColorMode color = ColorMode::Auto;
};

/// Graphviz's `dot` on the PATH, if installed.
std::optional<std::string> find_dot() {
    const char* path = std::getenv("PATH");
    if (!path) return std::nullopt;
    std::stringstream dirs(path);
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
        std::error_code ec;
        std::filesystem::path candidate = std::filesystem::path(dir.empty() ? "." : dir) / "dot";
        if (std::filesystem::is_regular_file(candidate, ec)) return candidate.string();
    }
    return std::nullopt;
}

/// Compiles, loads the facts and runs with a recorder attached; prints diagnostics.
/// Returns the exit status so far: 0, 1 after a runtime error, 2 on bad input.
int record_run(const WhyCliOptions& opt, bool color, std::unique_ptr<explain::Recorder>& recorder) {
    Inputs in = load_inputs(opt.paths, opt.facts);
    print_diagnostics(in.diagnostics, color);
    if (count_errors(in.diagnostics) > 0) return exit_input;
    Session session(in.program, in.facts);
    recorder = std::make_unique<explain::Recorder>(in.program, in.facts);
    RunOptions options;
    options.strategy = strategy_named(opt.strategy).value_or(Strategy::Depth);
    apply_limits(opt.limits, options);
    options.observer = recorder.get();
    RunResult result;
    {
        InterruptScope interrupt;
        result = session.run(options);
    }
    if (result.error) {
        std::cerr << render_diagnostic(*result.error, color);
        return exit_runtime;
    }
    if (!result.complete) {
        // What was recorded can still be explained, but not as the whole story.
        std::cerr << "demarche: incomplete run, " << stop_description(result, opt.limits)
                  << "; the explanation covers the firings so far\n";
        return exit_runtime;
    }
    return exit_ok;
}

int finish(const explain::Report& report, int run_status, bool color) {
    print_diagnostics(report.diagnostics, color);
    std::cout << report.output;
    if (report.status == 2) return exit_input;
    return run_status != exit_ok ? run_status : report.status;
}

int run_why(const WhyCliOptions& opt) {
    bool color = use_color(opt.color);
    bool svg = opt.format == "svg";
    std::optional<std::string> dot = svg ? find_dot() : std::nullopt;
    if (svg && !dot) {
        std::cerr << "demarche why: --format svg needs Graphviz's `dot` program, which is not installed; "
                     "use --format dot and render the graph elsewhere\n";
        return exit_input;
    }
    std::unique_ptr<explain::Recorder> recorder;
    int status = record_run(opt, color, recorder);
    if (!recorder) return status;
    explain::Format format = svg ? explain::Format::Dot : *explain::format_named(opt.format);
    explain::Report report = explain::why(*recorder, opt.target, format);
    if (svg && report.status == 0) {
        std::cout.flush();
        std::FILE* pipe = popen(("'" + *dot + "' -Tsvg").c_str(), "w");
        if (!pipe) {
            std::cerr << "demarche why: could not start " << *dot << "\n";
            return exit_runtime;
        }
        std::fwrite(report.output.data(), 1, report.output.size(), pipe);
        if (pclose(pipe) != 0) {
            std::cerr << "demarche why: " << *dot << " failed\n";
            return exit_runtime;
        }
        report.output.clear();
    }
    return finish(report, status, color);
}

int run_why_not(const WhyCliOptions& opt) {
    bool color = use_color(opt.color);
    std::unique_ptr<explain::Recorder> recorder;
    int status = record_run(opt, color, recorder);
    if (!recorder) return status;
    explain::Report report =
        explain::why_not(*recorder, opt.target, *explain::format_named(opt.format), opt.depth);
    return finish(report, status, color);
}

void add_run_options(CLI::App* cmd, WhyCliOptions& opt) {
    cmd->add_option("PATH", opt.paths, "Rule files, or folders holding .rules files")->required();
    cmd->add_option("--facts", opt.facts, "A fact file (.facts or .json) to assert; repeatable");
    cmd->add_option("--strategy", opt.strategy, "Conflict resolution of the run: depth, breadth, lex or mea")
        ->check(CLI::IsMember({"depth", "breadth", "lex", "mea"}))
        ->default_str("depth");
    add_limit_options(*cmd, opt.limits);
    add_output_option(*cmd, opt.output);
    add_color_option(*cmd, opt.color);
}

}  // namespace

CommandRunner add_why_command(CLI::App& root) {
    auto opt = std::make_shared<WhyCliOptions>();
    CLI::App* cmd = root.add_subcommand("why", "Run the rules, then explain how a fact came about");
    cmd->footer("TARGET is a fact id (f-23 or 23), a template name (all its facts), or a pattern such\n"
                "as 'ceded_initiative(to: Beijing)'. Exit status: 0 explained, 1 no fact matches (or a\n"
                "runtime error, or a limit stopped the run), 2 bad input. See docs/explanations.md.");
    cmd->add_option("TARGET", opt->target, "A fact id, template name or pattern")->required();
    add_run_options(cmd, *opt);
    cmd->add_option("--format", opt->format, "Output format: text, json, dot or svg (svg needs Graphviz)")
        ->check(CLI::IsMember({"text", "json", "dot", "svg"}))
        ->default_str("text");
    return [opt] { return with_output(opt->output, [&opt] { return run_why(*opt); }); };
}

CommandRunner add_why_not_command(CLI::App& root) {
    auto opt = std::make_shared<WhyCliOptions>();
    CLI::App* cmd = root.add_subcommand("why-not", "Run the rules, then explain why no fact matches a pattern");
    cmd->footer("PATTERN is a template name or a pattern such as 'ceded_initiative(to: Beijing)'.\n"
                "Exit status: 0 analysed, 1 runtime error or a limit stopped the run, 2 bad input.\n"
                "See docs/explanations.md.");
    cmd->add_option("PATTERN", opt->target, "A template name or pattern")->required();
    add_run_options(cmd, *opt);
    cmd->add_option("--format", opt->format, "Output format: text or json")
        ->check(CLI::IsMember({"text", "json"}))
        ->default_str("text");
    cmd->add_option("--depth", opt->depth, "Levels of rules to look into for missing facts (default 2)")
        ->check(CLI::Range(1u, 8u));
    return [opt] { return with_output(opt->output, [&opt] { return run_why_not(*opt); }); };
}

}  // namespace demarche::cli
