// `demarche run` and `demarche query`: compile, assert the facts, fire the rules, and
// report the conclusions as text for people or as JSON for programs.
#include "commands.hpp"
#include "output.hpp"

#include <demarche/compile.hpp>
#include <demarche/explain.hpp>
#include <demarche/json.hpp>
#include <demarche/session.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>

namespace demarche::cli {

namespace {


struct RunCliOptions {
    std::vector<std::string> paths;
    std::vector<std::string> facts;
    std::string strategy = "depth";
    RunLimits limits;
    std::string format = "text";
    std::optional<std::string> output;
    bool trace = false;
    bool quiet = false;
    std::optional<std::string> explain;  ///< `--explain TARGET`
    ColorMode color = ColorMode::Auto;
};

struct QueryCliOptions {
    std::vector<std::string> items;  ///< PATH... NAME ARG...
    std::vector<std::string> facts;
    RunLimits limits;
    std::string format = "text";
    std::optional<std::string> output;
    ColorMode color = ColorMode::Auto;
};

std::string fact_line(const FactInfo& f) { return "f-" + std::to_string(f.id) + " " + format_fact(f); }

/// Prints the events of a run in the style of CLIPS's `watch facts activations rules`.
/// Lines printed by rules go to stdout with the results, so it does not ask for them.
class TracePrinter final : public Observer {
public:
    TracePrinter()
        : Observer(EventKind::Assert | EventKind::Retract | EventKind::Activate | EventKind::Deactivate |
                   EventKind::Fire) {}
    void on_assert(const FactView& f) override { std::cerr << "==> f-" << f.id() << " " << format_fact(f) << "\n"; }
    void on_retract(const FactView& f) override { std::cerr << "<== f-" << f.id() << " " << format_fact(f) << "\n"; }
    void on_activate(const ActivationView& a) override { std::cerr << "+A " << format_activation(a) << "\n"; }
    void on_deactivate(const ActivationView& a) override { std::cerr << "-A " << format_activation(a) << "\n"; }
    void on_fire(std::uint64_t n, const ActivationView& a) override {
        std::cerr << "FIRE " << n << " " << format_activation(a) << "\n";
    }
};

// Compiles and loads; prints the diagnostics. `program_out` and `facts_out`, when given,
// receive what the session runs on (an explanation recorder needs them). The session,
// with the program and facts it holds, is kept until the process ends (keep_until_exit);
// null after errors in the input.
Session* open_session(const std::vector<std::string>& paths, const std::vector<std::string>& facts,
                      bool color, ProgramPtr* program_out = nullptr,
                      std::shared_ptr<const FactSet>* facts_out = nullptr) {
    Inputs in = load_inputs(paths, facts);
    print_diagnostics(in.diagnostics, color);
    if (count_errors(in.diagnostics) > 0) return nullptr;
    if (program_out != nullptr) *program_out = in.program;
    if (facts_out != nullptr) *facts_out = in.facts;
    auto session = std::make_shared<Session>(in.program, in.facts);
    keep_until_exit(session);
    return session.get();
}

// How the run ended, as the end of the "Fired N activations" line.
std::string ending(const RunResult& r, const RunCliOptions& opt) {
    if (!r.complete) return "; incomplete: " + stop_description(r, opt.limits);
    if (r.halted) return " (halted)";
    return "";
}

void print_text(const RunResult& r, const std::vector<FactInfo>& facts, const RunCliOptions& opt) {
    for (const std::string& line : r.output) std::cout << line << "\n";
    std::map<std::string, std::vector<const FactInfo*>> derived;  // by template name
    for (const FactInfo& f : facts)
        if (f.derived) derived[f.template_name].push_back(&f);
    if (derived.empty()) {
        std::cout << "No derived facts.\n";
    } else {
        std::cout << "Derived facts:\n";
        for (const auto& [name, list] : derived) {
            std::cout << "  " << name << " (" << list.size() << ")\n";
            for (const FactInfo* f : list) std::cout << "    " << fact_line(*f) << "\n";
        }
    }
    std::cout << "Fired " << plural(r.fired, "activation") << ending(r, opt) << ".\n";
}

// `--quiet`: one line for benchmarks and scripts, so timing is not bound by output.
void print_summary(const RunResult& r, FactCounts facts, const RunCliOptions& opt,
                   std::chrono::steady_clock::duration elapsed) {
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.3f", std::chrono::duration<double>(elapsed).count());
    std::cout << "Fired " << plural(r.fired, "activation") << ending(r, opt) << "; " << plural(facts.present, "fact")
              << " (" << facts.derived << " derived); " << seconds << " s.\n";
}

int run_run(const RunCliOptions& opt) {
    const auto start = std::chrono::steady_clock::now();
    bool color = use_color(opt.color);
    ProgramPtr program;
    std::shared_ptr<const FactSet> fact_set;
    Session* session = open_session(opt.paths, opt.facts, color, &program, &fact_set);
    if (!session) return exit_input;
    if (opt.explain) {
        // A bad target is bad input: report it before anything runs.
        std::vector<Diagnostic> target_errors = explain::check_target(program, *opt.explain);
        print_diagnostics(target_errors, color);
        if (count_errors(target_errors) > 0) return exit_input;
    }
    RunOptions options;
    options.strategy = strategy_named(opt.strategy).value_or(Strategy::Depth);
    apply_limits(opt.limits, options);
    TracePrinter trace;
    if (opt.trace) options.observer = &trace;
    // Recording costs time, so it happens only when an explanation is asked for.
    std::optional<explain::Recorder> recorder;
    if (opt.explain) {
        recorder.emplace(program, fact_set, options.observer);
        options.observer = &*recorder;
    }
    RunResult result;
    {
        InterruptScope interrupt;
        result = session->run(options);
    }
    if (opt.trace)
        std::cerr << "END fired=" << result.fired << " halted=" << (result.halted ? "true" : "false")
                  << " complete=" << (result.complete ? "true" : "false") << "\n";
    if (result.error) std::cerr << render_diagnostic(*result.error, color);
    if (opt.quiet)
        // Counts only: a million facts copied out as FactInfo would double the peak memory.
        print_summary(result, session->count_facts(), opt, std::chrono::steady_clock::now() - start);
    else if (opt.format == "json" && !recorder)
        std::cout << run_to_json(result, session->facts()) << "\n";
    else if (opt.format == "json") {
        // One object on stdout: the contract's, with the explanation added under its own key.
        std::string out = run_to_json(result, session->facts());
        out.pop_back();
        explain::Report report = explain::why(*recorder, *opt.explain, explain::Format::Json);
        print_diagnostics(report.diagnostics, color);
        std::cout << out << ",\"explanation\":" << (report.output.empty() ? "null" : report.output) << "}\n";
    } else {
        print_text(result, session->facts(), opt);
    }
    if (recorder && opt.format != "json") {
        explain::Report report = explain::why(*recorder, *opt.explain, explain::Format::Text);
        print_diagnostics(report.diagnostics, color);
        std::cout << "\n" << report.output;
    }
    return result.complete ? exit_ok : exit_runtime;
}

bool looks_like_rules(const std::string& item) {
    std::error_code ec;
    return item.ends_with(".rules") || std::filesystem::is_directory(item, ec);
}

int run_query(const QueryCliOptions& opt) {
    bool color = use_color(opt.color);
    std::vector<std::string> paths;
    std::size_t i = 0;
    while (i < opt.items.size() && looks_like_rules(opt.items[i])) paths.push_back(opt.items[i++]);
    if (paths.empty() || i == opt.items.size()) {
        std::cerr << "demarche query: expected PATH... NAME [ARG...] (paths are .rules files or folders)\n";
        return exit_input;
    }
    std::string name = opt.items[i++];
    std::vector<std::string> args(opt.items.begin() + static_cast<std::ptrdiff_t>(i), opt.items.end());

    Session* session = open_session(paths, opt.facts, color);
    if (!session) return exit_input;
    RunOptions options;
    apply_limits(opt.limits, options);
    RunResult run;
    {
        InterruptScope interrupt;
        run = session->run(options);
    }
    if (run.error) {
        std::cerr << render_diagnostic(*run.error, color);
        return exit_runtime;
    }
    QueryResult q = session->query(name, args);
    if (q.error) {
        std::cerr << "demarche query: " << *q.error << "\n";
        return exit_input;
    }
    // Answers over the facts so far still help, but the status says they may be partial.
    const int status = run.complete ? exit_ok : exit_runtime;
    if (!run.complete)
        std::cerr << "demarche query: incomplete run, " << stop_description(run, opt.limits)
                  << "; the answers cover the facts derived so far\n";
    if (opt.format == "json") {
        std::cout << query_to_json(name, q) << "\n";
        return status;
    }
    for (const auto& row : q.rows) {
        for (std::size_t k = 0; k < row.size(); ++k)
            std::cout << (k ? ", " : "") << "?" << q.variables[k] << " = " << to_source(row[k]);
        std::cout << (row.empty() ? "yes\n" : "\n");
    }
    std::cout << plural(q.rows.size(), "answer") << ".\n";
    return status;
}

}  // namespace

CommandRunner add_run_command(CLI::App& root) {
    auto opt = std::make_shared<RunCliOptions>();
    CLI::App* cmd = root.add_subcommand("run", "Run the rules over the facts and print the conclusions");
    cmd->footer("Exit status: 0 when the run completed, 1 on a runtime error or when a limit or\n"
                "Ctrl-C stopped it (the facts so far are printed), 2 when the input has errors\n"
                "(nothing is run then).");
    cmd->add_option("PATH", opt->paths, "Rule files, or folders holding .rules files")->required();
    cmd->add_option("--facts", opt->facts, "A fact file (.facts or .json) to assert; repeatable");
    cmd->add_option("--strategy", opt->strategy, "Conflict resolution: depth, breadth, lex or mea")
        ->check(CLI::IsMember({"depth", "breadth", "lex", "mea"}))
        ->default_str("depth");
    add_limit_options(*cmd, opt->limits);
    cmd->add_option("--format", opt->format, "Output format: text or json")
        ->check(CLI::IsMember({"text", "json"}))
        ->default_str("text");
    cmd->add_flag("--trace", opt->trace, "Print every assertion, retraction, activation and firing to stderr");
    cmd->add_option("--explain", opt->explain,
                    "After the run, explain TARGET as 'demarche why' does (a fact id, template or pattern)");
    cmd->add_flag("-q,--quiet", opt->quiet,
                  "Print only one summary line: firings, facts, and the seconds the command took");
    add_output_option(*cmd, opt->output);
    add_color_option(*cmd, opt->color);
    return [opt] { return with_output(opt->output, [&opt] { return run_run(*opt); }); };
}

CommandRunner add_query_command(CLI::App& root) {
    auto opt = std::make_shared<QueryCliOptions>();
    CLI::App* cmd = root.add_subcommand("query", "Run the rules, then answer a query over the final facts");
    cmd->footer("Usage: demarche query PATH... [--facts FILE]... NAME [ARG...]\n"
                "PATHs are .rules files or folders; the first other word names the query.");
    cmd->add_option("PATH... NAME [ARG...]", opt->items, "Rule files or folders, then the query's name and arguments")->required();
    cmd->add_option("--facts", opt->facts, "A fact file (.facts or .json) to assert; repeatable");
    cmd->add_option("--format", opt->format, "Output format: text or json")
        ->check(CLI::IsMember({"text", "json"}))
        ->default_str("text");
    add_limit_options(*cmd, opt->limits);
    add_output_option(*cmd, opt->output);
    add_color_option(*cmd, opt->color);
    return [opt] { return with_output(opt->output, [&opt] { return run_query(*opt); }); };
}

}  // namespace demarche::cli
