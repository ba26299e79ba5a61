// `test` declarations: the trees the parser builds, the words of tests staying ordinary
// names, the canonical layout, and run_tests on programs compiled from strings.
#include "dsl/parser.hpp"
#include "dsl/printer.hpp"

#include <demarche/compile.hpp>
#include <demarche/testing.hpp>

#include <catch2/catch.hpp>

#include <string>

using namespace demarche;
using namespace demarche::dsl;
using boost::variant2::get;
using boost::variant2::get_if;

namespace {

struct Parsed {
    SourceSet sources;
    Diagnostics diags{sources};
    ast::File file;
    explicit Parsed(const std::string& text) {
        const FileId id = sources.add("t.rules", text);
        file = parse_rules(sources.file(id), diags);
    }
};

std::string print(const std::string& text) {
    Parsed p(text);
    INFO(text);
    for (const Diagnostic& d : p.diags.all()) FAIL_CHECK(d.message << " at " << d.location.line);
    return print_file(p.file);
}

const std::string templates = "template offer { kind: symbol  binding: bool = false }\n"
                              "template done { kind: symbol }\n"
                              "rule r when offer(kind: ?k, binding: true) then assert done(kind: ?k) "
                              "print \"done \", ?k end\n";

TestSummary run(const std::string& text, TestOptions options = {}) {
    CompileResult c = compile_string(templates + text, "t.rules");
    for (const Diagnostic& d : c.diagnostics) FAIL_CHECK(d.message << " at " << d.location.line);
    REQUIRE(c.ok());
    return run_tests(c.program, options);
}

}  // namespace

TEST_CASE("a test declaration parses into its parts", "[tests][grammar]") {
    Parsed p("test t \"what\" strategy lex given offer(kind: a) offer(kind: b)\n"
             "expect done(kind: ?k) not done(kind: c) not { done(kind: ?x) offer(kind: ?x) } "
             "printed \"line\" fired 3 end");
    REQUIRE(p.diags.all().empty());
    REQUIRE(p.file.declarations.size() == 1);
    const auto& t = get<ast::Test>(p.file.declarations[0]);
    CHECK(t.name.name == "t");
    CHECK(t.description == "what");
    REQUIRE(t.strategy);
    CHECK(t.strategy->name == "lex");
    CHECK(t.given.size() == 2);
    REQUIRE(t.expectations.size() == 5);
    CHECK(t.expectations[0].kind == ast::Expectation::Kind::Present);
    CHECK(t.expectations[1].kind == ast::Expectation::Kind::Absent);
    CHECK(t.expectations[2].kind == ast::Expectation::Kind::Absent);
    CHECK(get<ast::NotCondition>(t.expectations[2].condition.front().node).body.size() == 2);
    CHECK(t.expectations[3].kind == ast::Expectation::Kind::Printed);
    CHECK(get<String>(t.expectations[3].value.value) == "line");
    CHECK(t.expectations[4].kind == ast::Expectation::Kind::Fired);
    CHECK(get<std::int64_t>(t.expectations[4].value.value) == 3);
}

TEST_CASE("the words of tests are not reserved", "[tests][grammar]") {
    // A fact or pattern of a template named like a word of tests: '(' follows the word.
    Parsed p("template test { given: int }\n"
             "template expect { fired: int }\n"
             "facts { test(given: 1) }\n"
             "rule given when test(given: ?g) then assert expect(fired: ?g) end\n"
             "test test given expect(fired: 1) test(given: 2) expect expect(fired: 2) fired(x) end\n");
    REQUIRE(p.diags.all().empty());
    REQUIRE(p.file.declarations.size() == 5);
    const auto& t = get<ast::Test>(p.file.declarations[4]);
    CHECK(t.name.name == "test");
    REQUIRE(t.given.size() == 2);
    CHECK(t.given[0].template_name.name == "expect");
    REQUIRE(t.expectations.size() == 2);
    CHECK(t.expectations[1].kind == ast::Expectation::Kind::Present);
    CHECK(get<ast::Pattern>(t.expectations[1].condition.front().node).template_name.name == "fired");
}

TEST_CASE("recovery resumes at a test declaration but not at a test fact", "[tests][grammar]") {
    Parsed p("rule broken when then\n"
             "test t expect fired 0 end\n");
    REQUIRE(p.diags.all().size() == 1);
    REQUIRE(p.file.declarations.size() == 1);
    CHECK(get_if<ast::Test>(&p.file.declarations[0]) != nullptr);
}

TEST_CASE("tests print canonically", "[tests][printer]") {
    const std::string canonical = "test t\n"
                                  "    \"what\"\n"
                                  "    strategy breadth\n"
                                  "given\n"
                                  "    offer(kind: a)\n"
                                  "expect\n"
                                  "    done(kind: ?k)\n"
                                  "    not done(kind: c)\n"
                                  "    printed \"x\\ty\"\n"
                                  "    fired 0\n"
                                  "end\n";
    CHECK(print("test t \"what\" strategy breadth given offer( kind : a ) expect done(kind: ?k) "
                "not done(kind: c) printed \"x\\ty\" fired 0 end") == canonical);
    CHECK(print(canonical) == canonical);
    // An empty `given` says nothing and is left out.
    CHECK(print("test t given expect fired 1 end") == "test t\nexpect\n    fired 1\nend\n");
}

TEST_CASE("run_tests: passing and failing expectations", "[tests][run]") {
    TestSummary s = run("test pass given offer(kind: a, binding: true) "
                        "expect done(kind: a) not done(kind: b) printed \"done a\" fired 1 end\n"
                        "test fail given offer(kind: a) expect done(kind: ?k) end\n");
    CHECK(s.passed == 1);
    CHECK(s.failed == 1);
    CHECK(s.report.find("pass pass\n") != std::string::npos);
    CHECK(s.report.find("FAIL fail (t.rules:5)") != std::string::npos);
    CHECK(s.report.find("field binding is false where true was needed") != std::string::npos);
    CHECK(s.report.ends_with("1 passed, 1 failed\n"));
}

TEST_CASE("run_tests: each test runs on fresh facts", "[tests][run]") {
    // The second test would see done(kind: a) if the first test's facts leaked into it.
    TestSummary s = run("test first given offer(kind: a, binding: true) expect done(kind: a) end\n"
                        "test second expect not done() fired 0 end\n");
    CHECK(s.failed == 0);
    CHECK(s.passed == 2);
}

TEST_CASE("run_tests: the filter selects by part of the name", "[tests][run]") {
    TestOptions options;
    options.filter = "ec";
    TestSummary s = run("test first expect fired 0 end\ntest second expect fired 0 end\n", options);
    CHECK(s.selected == 1);
    CHECK(s.report == "pass second\n1 passed, 0 failed\n");
}

TEST_CASE("run_tests: coverage tells satisfied from not satisfied conditions", "[tests][coverage]") {
    TestOptions options;
    options.coverage = true;
    TestSummary one = run("test t given offer(kind: a, binding: true) expect fired 1 end\n", options);
    CHECK(one.report.find("1. offer(kind: ?k, binding: true): always satisfied") != std::string::npos);
    TestSummary two = run("test t given offer(kind: a, binding: true) expect fired 1 end\n"
                          "test u given offer(kind: a) expect fired 0 end\n",
                          options);
    CHECK(two.report.find("1. offer(kind: ?k, binding: true): satisfied and not satisfied") != std::string::npos);
    TestSummary none = run("test t expect fired 0 end\n", options);
    CHECK(none.report.find("rule r (t.rules:3): NEVER FIRED") != std::string::npos);
    CHECK(none.report.find("1. offer(kind: ?k, binding: true): never satisfied") != std::string::npos);
}
