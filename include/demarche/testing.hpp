// Running the tests written in the rule language (`test name ... end` declarations):
// each on a fresh session, every failed expectation explained. docs/testing-rules.md
// describes the language side and the reports.
#pragma once

#include <demarche/compile.hpp>
#include <demarche/export.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

namespace demarche {

/// How `run_tests` writes its report.
enum class TestFormat {
    Text,   ///< one line per test, explanations of failures, `N passed, M failed`
    Junit,  ///< JUnit XML: one testsuite per file, one testcase per test
    Json,   ///< one JSON object
};

/// What to run and how to report it.
struct TestOptions {
    /// Run only the tests whose name contains this text; empty: every test.
    std::string filter;
    /// Each test's run stops after this many firings and the test fails: a rule base that
    /// loops must not hang the test command.
    std::uint64_t max_fires = 1'000'000;
    /// Also report, per rule, whether the tests made it fire and whether each of its
    /// conditions was both satisfied and not satisfied (text and JSON only).
    bool coverage = false;
    TestFormat format = TestFormat::Text;
};

/// The outcome of a test run.
struct TestSummary {
    std::string report;        ///< in the format asked for
    std::string text;          ///< the text report, whatever the format asked for
    std::size_t passed = 0;
    std::size_t failed = 0;
    std::size_t selected = 0;  ///< tests that matched the filter (passed + failed)
};

/// Number of `test` declarations in a program.
DEMARCHE_API std::size_t test_count(const dsl::Program& program) noexcept;

/// Runs the program's tests in load order, each on a new Session holding the program's
/// `facts` blocks and the test's `given` facts, and checks its expectations against the
/// facts present at the end of the run. `program` must not be null. Never throws for a
/// failing rule base: runtime errors and fire limits make the test fail.
DEMARCHE_API TestSummary run_tests(const ProgramPtr& program, const TestOptions& options);

}  // namespace demarche
