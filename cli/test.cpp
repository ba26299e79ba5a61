// `demarche test PATH... [--filter NAME] [--format text|junit|json] [--output FILE] [--coverage]`:
// runs the tests written in the rule language and explains each failed expectation.
#include "commands.hpp"
#include "output.hpp"

#include <demarche/compile.hpp>
#include <demarche/testing.hpp>

#include <fstream>
#include <iostream>

namespace demarche::cli {

namespace {

struct TestCliOptions {
    std::vector<std::string> paths;
    std::string filter;
    std::string format = "text";
    std::string output;
    std::uint64_t max_fires = TestOptions{}.max_fires;
    bool coverage = false;
    ColorMode color = ColorMode::Auto;
};

int run_test(const TestCliOptions& opt) {
    Inputs in = load_inputs(opt.paths, {});
    print_diagnostics(in.diagnostics, use_color(opt.color));
    if (count_errors(in.diagnostics) > 0) return exit_input;
    if (test_count(*in.program) == 0) {
        std::cerr << "demarche test: no tests found; write 'test NAME ... end' declarations "
                     "(see docs/testing-rules.md)\n";
        return exit_input;
    }
    TestOptions options;
    options.filter = opt.filter;
    options.max_fires = opt.max_fires;
    options.coverage = opt.coverage;
    options.format = opt.format == "junit" ? TestFormat::Junit
                     : opt.format == "json" ? TestFormat::Json
                                            : TestFormat::Text;
    TestSummary summary = run_tests(in.program, options);
    if (summary.selected == 0) {
        std::cerr << "demarche test: no test name contains '" << opt.filter << "'\n";
        return exit_input;
    }
    if (opt.output.empty()) {
        std::cout << summary.report;
    } else {
        // The report goes to the file; the terminal (or CI log) still gets the text one.
        std::ofstream file(opt.output, std::ios::binary);
        file << summary.report;
        if (!file) {
            std::cerr << "demarche test: cannot write " << opt.output << "\n";
            return exit_input;
        }
        std::cout << summary.text;
    }
    return summary.failed == 0 ? exit_ok : exit_runtime;
}

}  // namespace

CommandRunner add_test_command(CLI::App& root) {
    auto opt = std::make_shared<TestCliOptions>();
    CLI::App* cmd = root.add_subcommand("test", "Run the tests written in the rule files");
    cmd->footer(
        "Runs every 'test NAME ... end' declaration in the files named, in load order, each on a\n"
        "fresh run holding the rule base's facts blocks and the test's 'given' facts, and checks\n"
        "its expectations. A failed expectation is explained (why-not for a missing fact, why for\n"
        "one that should be absent). See docs/testing-rules.md.\n"
        "Exit status: 0 when every test passes, 1 when one fails, 2 when the input has errors.");
    cmd->add_option("PATH", opt->paths, "Rule files, or folders holding .rules files")->required();
    cmd->add_option("--filter", opt->filter, "Run only the tests whose name contains this text");
    cmd->add_option("--format", opt->format, "Output format")
        ->check(CLI::IsMember({"text", "junit", "json"}))
        ->default_str("text");
    cmd->add_option("--output,-o", opt->output,
                    "Write the report in --format to this file, and the text report to stdout");
    cmd->add_option("--max-fires", opt->max_fires, "Fail a test whose run makes more firings than this")
        ->check(CLI::PositiveNumber)
        ->default_str(std::to_string(opt->max_fires));
    cmd->add_flag("--coverage", opt->coverage,
                  "Also report which rules the tests made fire, and which conditions they exercised");
    add_color_option(*cmd, opt->color);
    return [opt] { return run_test(*opt); };
}

}  // namespace demarche::cli
