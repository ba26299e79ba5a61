// `demarche test`: runs the `test` declarations of a program, each on a fresh session with
// a provenance recorder attached, so that a failed expectation is explained with the same
// `why` and `why-not` analyses a user would ask for; optionally measures rule coverage.
#include <demarche/testing.hpp>

#include "record.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace demarche {

namespace {

using Json = nlohmann::ordered_json;
using explain::Bindings;
using explain::FactsAt;

/// Fact tests one expectation or coverage search may make, as in why-not.
constexpr std::uint64_t search_budget = 2'000'000;

/// One failed expectation (or a run that went wrong).
struct Failure {
    dsl::SourceRange range;  ///< the expectation; the test's name for a failed run
    std::string message;     ///< one line
    std::string explanation; ///< may span lines; "" when the message says it all
};

struct TestOutcome {
    const dsl::Test* test = nullptr;
    std::uint64_t fired = 0;
    std::vector<Failure> failures;
};

/// Per rule, across the tests: firings, and per top-level condition whether some test
/// had it satisfied and some test had it not satisfied (see docs/testing-rules.md).
struct RuleCoverage {
    std::uint64_t firings = 0;
    std::size_t tests_fired = 0;
    std::vector<bool> satisfied;
    std::vector<bool> unsatisfied;
};

/// Counts the firings of each rule in one run.
class FiringCounter final : public Observer {
public:
    explicit FiringCounter(const dsl::Program& program)
        : Observer(EventKind::Fire), counts_(program.rules.size(), 0) {}
    void on_fire(std::uint64_t, const ActivationView& activation) override {
        if (activation.rule_index() < counts_.size()) ++counts_[activation.rule_index()];
    }
    const std::vector<std::uint64_t>& counts() const noexcept { return counts_; }

private:
    std::vector<std::uint64_t> counts_;
};

std::string source_text(const dsl::Program& p, dsl::SourceRange r) {
    const std::string& text = p.sources->file(r.file).text;
    if (r.begin >= text.size() || r.end > text.size() || r.end < r.begin) return {};
    std::string out = text.substr(r.begin, r.end - r.begin);
    // An expectation written over several lines reads as one in a report.
    std::string flat;
    bool space = false;
    for (char c : out) {
        if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
            space = true;
            continue;
        }
        if (space && !flat.empty()) flat += ' ';
        space = false;
        flat += c;
    }
    return flat;
}

std::string indent(const std::string& text, const std::string& prefix) {
    std::string out;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t nl = text.find('\n', start);
        if (nl == std::string::npos) nl = text.size();
        if (nl > start) out += prefix;
        out.append(text, start, nl - start);
        out += '\n';
        start = nl + 1;
    }
    return out;
}

std::string plural(std::uint64_t n, const char* word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

std::string quoted(const std::string& line) { return to_source(Value(line)); }

void check_expectation(const dsl::Program& program, const explain::Recorder& recorder, const RunResult& result,
                       const dsl::Expectation& e, std::vector<Failure>& failures) {
    const FactsAt view{&recorder.recorded(), 0};
    const std::string text = source_text(program, e.range);
    switch (e.kind) {
        case dsl::Expectation::Kind::Present: {
            Bindings b(e.variables.size());
            std::vector<FactId> facts;
            std::uint64_t budget = search_budget;
            if (explain::find_match(e.conditions, 0, view, b, facts, budget)) return;
            if (budget == 0) {
                failures.push_back({e.range, "expected " + text + ", but the search for a match gave up", ""});
                return;
            }
            explain::Report why_not = explain::why_not(recorder, text, explain::Format::Text);
            failures.push_back({e.range, "expected " + text + ", but no fact matches it at the end of the run",
                                why_not.output});
            return;
        }
        case dsl::Expectation::Kind::Absent: {
            Bindings b(e.variables.size());
            std::vector<FactId> facts;
            std::uint64_t budget = search_budget;
            if (!explain::find_match(e.conditions, 0, view, b, facts, budget)) return;
            std::string lines;
            std::string explanation;
            std::set<FactId> shown;
            for (FactId id : facts) {
                if (id == 0 || !shown.insert(id).second) continue;
                if (const explain::FactRecord* f = recorder.recorded().fact(id)) {
                    lines += (lines.empty() ? "" : ", ") + explain::fact_line(program, *f);
                    explanation += explain::why(recorder, "f-" + std::to_string(id), explain::Format::Text).output;
                }
            }
            failures.push_back({e.range, "expected " + text + ", but " + lines + " is present", explanation});
            return;
        }
        case dsl::Expectation::Kind::Printed: {
            if (std::find(result.output.begin(), result.output.end(), e.line) != result.output.end()) return;
            std::string printed;
            for (const std::string& line : result.output) printed += quoted(line) + "\n";
            failures.push_back({e.range, "expected the run to print " + quoted(e.line) + ", but it did not",
                                result.output.empty() ? "The run printed nothing.\n"
                                                      : "The run printed " + plural(result.output.size(), "line") +
                                                            ":\n" + indent(printed, "  ")});
            return;
        }
        case dsl::Expectation::Kind::Fired:
            if (result.fired == e.count) return;
            failures.push_back({e.range,
                                "expected " + plural(e.count, "firing") + ", but the run made " +
                                    std::to_string(result.fired),
                                ""});
            return;
    }
}

/// Calls `visit` with the bindings of every combination of facts (in id order) matching
/// conds[i..end) under `b`, until `visit` returns false or the budget runs out; returns
/// false when stopped.
template <typename Visit>
bool each_match(const std::vector<dsl::Condition>& conds, std::size_t i, const FactsAt& view, const Bindings& b,
                std::uint64_t& budget, Visit&& visit) {
    if (i == conds.size()) return visit(b);
    const dsl::Condition& c = conds[i];
    switch (c.kind) {
        case dsl::Condition::Kind::Pattern:
            for (const explain::FactRecord* f : view.of_template(c.pattern.tmpl)) {
                if (budget == 0) return false;
                --budget;
                Bindings nb = b;
                if (!explain::match_pattern(c.pattern, *f, nb).empty()) continue;
                if (!each_match(conds, i + 1, view, nb, budget, visit)) return false;
            }
            return true;
        case dsl::Condition::Kind::Not:
        case dsl::Condition::Kind::Exists: {
            Bindings inner = b;
            std::vector<FactId> facts;
            const bool found = explain::find_match(c.group, 0, view, inner, facts, budget);
            if (found != (c.kind == dsl::Condition::Kind::Exists)) return true;
            return each_match(conds, i + 1, view, b, budget, visit);
        }
        case dsl::Condition::Kind::Where:
            if (!explain::evaluate_where(c.test, b).holds) return true;
            return each_match(conds, i + 1, view, b, budget, visit);
    }
    return true;
}

/// Coverage of one test's run. Condition k of a rule counts as satisfied in the run when
/// some combination of the facts present at the end that matches conditions 1..k-1 also
/// satisfies k (or when the rule fired: then all its conditions held at once), and as not
/// satisfied when some such combination does not satisfy k.
void measure_coverage(const dsl::Program& program, const explain::Recorder& recorder,
                      const std::vector<std::vector<std::vector<dsl::Condition>>>& prefixes,
                      const std::vector<std::uint64_t>& fired, std::vector<RuleCoverage>& coverage) {
    const FactsAt view{&recorder.recorded(), 0};
    for (const dsl::Rule& rule : program.rules) {
        RuleCoverage& c = coverage[rule.id];
        c.firings += fired[rule.id];
        if (fired[rule.id] > 0) {
            ++c.tests_fired;
            std::fill(c.satisfied.begin(), c.satisfied.end(), true);
        }
        for (std::size_t k = 0; k < rule.conditions.size(); ++k) {
            if (c.satisfied[k] && c.unsatisfied[k]) continue;
            // prefixes[k] holds the conditions before k; prefixes[k + 1], searched from k,
            // tests condition k alone under the bindings of a match of them.
            const std::vector<dsl::Condition>& before = prefixes[rule.id][k];
            const std::vector<dsl::Condition>& upto = prefixes[rule.id][k + 1];
            std::uint64_t budget = search_budget;
            each_match(before, 0, view, Bindings(rule.variables.size()), budget, [&](const Bindings& b) {
                Bindings nb = b;
                std::vector<FactId> facts;
                if (explain::find_match(upto, k, view, nb, facts, budget))
                    c.satisfied[k] = true;
                else if (budget > 0)
                    c.unsatisfied[k] = true;
                return !(c.satisfied[k] && c.unsatisfied[k]);
            });
        }
    }
}

std::string location(const dsl::Program& p, dsl::SourceRange r) {
    const SourceLocation loc = p.sources->locate(r);
    return loc.path + ":" + std::to_string(loc.line);
}

std::string condition_status(bool satisfied, bool unsatisfied) {
    if (satisfied && unsatisfied) return "satisfied and not satisfied";
    if (satisfied) return "always satisfied";
    if (unsatisfied) return "never satisfied";
    return "never reached";
}

std::string coverage_text(const dsl::Program& p, const std::vector<RuleCoverage>& coverage, std::size_t tests) {
    std::size_t rules_fired = 0;
    std::size_t conds = 0;
    std::size_t both = 0;
    std::string body;
    for (const dsl::Rule& rule : p.rules) {
        const RuleCoverage& c = coverage[rule.id];
        if (c.firings > 0) ++rules_fired;
        body += "rule " + rule.name + " (" + location(p, rule.range) + "): ";
        body += c.firings > 0 ? "fired " + plural(c.firings, "time") + " in " + plural(c.tests_fired, "test")
                              : std::string("NEVER FIRED");
        body += '\n';
        for (std::size_t i = 0; i < rule.conditions.size(); ++i) {
            ++conds;
            if (c.satisfied[i] && c.unsatisfied[i]) ++both;
            body += "  " + std::to_string(i + 1) + ". " +
                    explain::condition_text(p, rule.conditions[i], rule.variables, Bindings(rule.variables.size())) +
                    ": " + condition_status(c.satisfied[i], c.unsatisfied[i]) + "\n";
        }
    }
    return "Coverage over " + plural(tests, "test") + ": " + std::to_string(rules_fired) + " of " +
           plural(p.rules.size(), "rule") + " fired; " + std::to_string(both) + " of " + plural(conds, "condition") +
           " both satisfied and not satisfied.\n" + body;
}

Json coverage_json(const dsl::Program& p, const std::vector<RuleCoverage>& coverage) {
    Json rules = Json::array();
    for (const dsl::Rule& rule : p.rules) {
        const RuleCoverage& c = coverage[rule.id];
        const SourceLocation loc = p.sources->locate(rule.range);
        Json conds = Json::array();
        for (std::size_t i = 0; i < rule.conditions.size(); ++i) {
            conds.push_back({{"index", i + 1},
                             {"condition", explain::condition_text(p, rule.conditions[i], rule.variables,
                                                                   Bindings(rule.variables.size()))},
                             {"satisfied", static_cast<bool>(c.satisfied[i])},
                             {"unsatisfied", static_cast<bool>(c.unsatisfied[i])}});
        }
        rules.push_back({{"rule", rule.name},
                         {"file", loc.path},
                         {"line", loc.line},
                         {"fired", c.firings},
                         {"tests", c.tests_fired},
                         {"conditions", std::move(conds)}});
    }
    return rules;
}

// ---- reports

std::string failure_text(const dsl::Program& p, const Failure& f) {
    const SourceLocation loc = p.sources->locate(f.range);
    std::string out = "  " + loc.path + ":" + std::to_string(loc.line) + ": " + f.message + "\n";
    return out + indent(f.explanation, "    ");
}

std::string text_report(const dsl::Program& p, const std::vector<TestOutcome>& outcomes, std::size_t passed,
                        std::size_t failed) {
    std::string out;
    for (const TestOutcome& o : outcomes) {
        if (o.failures.empty()) {
            out += "pass " + o.test->name + "\n";
            continue;
        }
        out += "FAIL " + o.test->name + " (" + location(p, o.test->range) + ")\n";
        for (const Failure& f : o.failures) out += failure_text(p, f);
    }
    return out + std::to_string(passed) + " passed, " + std::to_string(failed) + " failed\n";
}

Json json_report(const dsl::Program& p, const std::vector<TestOutcome>& outcomes, std::size_t passed,
                 std::size_t failed) {
    Json tests = Json::array();
    for (const TestOutcome& o : outcomes) {
        const SourceLocation loc = p.sources->locate(o.test->range);
        Json failures = Json::array();
        for (const Failure& f : o.failures) {
            const SourceLocation at = p.sources->locate(f.range);
            failures.push_back({{"line", at.line},
                                {"column", at.column},
                                {"message", f.message},
                                {"explanation", f.explanation}});
        }
        tests.push_back({{"name", o.test->name},
                         {"description", o.test->description},
                         {"file", loc.path},
                         {"line", loc.line},
                         {"passed", o.failures.empty()},
                         {"fired", o.fired},
                         {"failures", std::move(failures)}});
    }
    return Json{{"passed", passed}, {"failed", failed}, {"tests", std::move(tests)}};
}

/// Text for an XML attribute or element: markup escaped, and the control characters
/// XML 1.0 cannot hold dropped.
std::string xml_escape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        switch (ch) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&apos;"; break;
            default:
                if (c >= 0x20 || ch == '\n' || ch == '\t' || ch == '\r') out += ch;
        }
    }
    return out;
}

std::string junit_report(const dsl::Program& p, const std::vector<TestOutcome>& outcomes, std::size_t failed) {
    // One testsuite per file, in the order the files' first tests ran.
    std::vector<std::pair<std::string, std::vector<const TestOutcome*>>> suites;
    for (const TestOutcome& o : outcomes) {
        const std::string path = p.sources->file(o.test->range.file).path;
        if (suites.empty() || suites.back().first != path) suites.push_back({path, {}});
        suites.back().second.push_back(&o);
    }
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out += "<testsuites name=\"demarche\" tests=\"" + std::to_string(outcomes.size()) + "\" failures=\"" +
           std::to_string(failed) + "\">\n";
    for (const auto& [path, tests] : suites) {
        std::size_t suite_failed = 0;
        for (const TestOutcome* o : tests) suite_failed += o->failures.empty() ? 0 : 1;
        out += "  <testsuite name=\"" + xml_escape(path) + "\" tests=\"" + std::to_string(tests.size()) +
               "\" failures=\"" + std::to_string(suite_failed) + "\">\n";
        for (const TestOutcome* o : tests) {
            const SourceLocation loc = p.sources->locate(o->test->range);
            out += "    <testcase name=\"" + xml_escape(o->test->name) + "\" classname=\"" + xml_escape(path) +
                   "\" file=\"" + xml_escape(path) + "\" line=\"" + std::to_string(loc.line) + "\"";
            if (o->failures.empty()) {
                out += "/>\n";
                continue;
            }
            std::string body;
            for (const Failure& f : o->failures) body += failure_text(p, f);
            out += ">\n      <failure message=\"" + xml_escape(o->failures.front().message) + "\" type=\"expectation\">" + xml_escape(body) +
                   "</failure>\n    </testcase>\n";
        }
        out += "  </testsuite>\n";
    }
    return out + "</testsuites>\n";
}

}  // namespace

std::size_t test_count(const dsl::Program& program) noexcept { return program.tests.size(); }

TestSummary run_tests(const ProgramPtr& program, const TestOptions& options) {
    const dsl::Program& p = *program;
    std::vector<TestOutcome> outcomes;
    std::vector<RuleCoverage> coverage(p.rules.size());
    // The first i conditions of each rule, for i = 0..n.
    std::vector<std::vector<std::vector<dsl::Condition>>> prefixes(p.rules.size());
    if (options.coverage) {
        for (const dsl::Rule& rule : p.rules) {
            coverage[rule.id].satisfied.assign(rule.conditions.size(), false);
            coverage[rule.id].unsatisfied.assign(rule.conditions.size(), false);
            for (std::size_t i = 0; i <= rule.conditions.size(); ++i)
                prefixes[rule.id].emplace_back(rule.conditions.begin(),
                                               rule.conditions.begin() + static_cast<std::ptrdiff_t>(i));
        }
    }
    TestSummary summary;
    for (const dsl::Test& test : p.tests) {
        if (!options.filter.empty() && test.name.find(options.filter) == std::string::npos) continue;
        auto given = std::make_shared<FactSet>();
        given->sources = p.sources;
        given->facts = test.given;
        Session session(program, given);
        FiringCounter counter(p);
        explain::Recorder recorder(program, given, &counter);
        RunOptions run;
        run.strategy = strategy_named(test.strategy).value_or(Strategy::Depth);
        run.max_fires = options.max_fires;
        run.observer = &recorder;
        const RunResult result = session.run(run);

        TestOutcome outcome{&test, result.fired, {}};
        if (result.error) {
            outcome.failures.push_back(
                {test.range, "the run stopped on a runtime error", render_diagnostic(*result.error)});
        } else if (!result.complete) {
            outcome.failures.push_back({test.range,
                                        "the run did not finish: it reached the limit of " +
                                            plural(options.max_fires, "firing"),
                                        ""});
        }
        for (const dsl::Expectation& e : test.expectations)
            check_expectation(p, recorder, result, e, outcome.failures);
        if (options.coverage) measure_coverage(p, recorder, prefixes, counter.counts(), coverage);
        (outcome.failures.empty() ? summary.passed : summary.failed) += 1;
        outcomes.push_back(std::move(outcome));
    }
    summary.selected = outcomes.size();
    summary.text = text_report(p, outcomes, summary.passed, summary.failed);
    if (options.coverage) summary.text += "\n" + coverage_text(p, coverage, outcomes.size());
    switch (options.format) {
        case TestFormat::Text:
            summary.report = summary.text;
            break;
        case TestFormat::Json: {
            Json j = json_report(p, outcomes, summary.passed, summary.failed);
            if (options.coverage) j["coverage"] = coverage_json(p, coverage);
            summary.report = explain::json_dump(j) + "\n";
            break;
        }
        case TestFormat::Junit:
            summary.report = junit_report(p, outcomes, summary.failed);
            break;
    }
    return summary;
}

}  // namespace demarche
