// The canonical printer: exact layout for each construct, and parse -> print -> parse ->
// print giving the same text.
#include "dsl/parser.hpp"
#include "dsl/printer.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace demarche;
using namespace demarche::dsl;

namespace {

// Parses `text` (which must be free of errors) and prints it.
std::string format(const std::string& text) {
    SourceSet sources;
    Diagnostics diags(sources);
    FileId id = sources.add("test.rules", text);
    ast::File file = parse_rules(sources.file(id), diags);
    INFO(text);
    for (const Diagnostic& d : diags.all())
        FAIL_CHECK(d.message << " at " << d.location.line << ":" << d.location.column);
    return print_file(file);
}

// Printing is canonical: formatting the output again changes nothing.
void check_round_trip(const std::string& text, const std::string& expected) {
    const std::string once = format(text);
    CHECK(once == expected);
    CHECK(format(once) == once);
}

}  // namespace

TEST_CASE("imports and templates print canonically", "[printer]") {
    check_round_trip("import   \"common.rules\"", "import \"common.rules\"\n");
    check_round_trip("import \"we\\\"ird\\\\path\"", "import \"we\\\"ird\\\\path\"\n");
    check_round_trip("template edge { from: symbol  to: symbol }",
                     "template edge {\n    from: symbol\n    to: symbol\n}\n");
    check_round_trip("template t {}", "template t {\n}\n");
    check_round_trip(
        "template offer { kind: symbol, legally_binding: bool = false, n: int = -3,\n"
        "  r: float = 2, f: float = 0.75, e: float = -1.5e3, big: float = 1e300, s: string = \"a\\tb\\n\", "
        "a: any = none }",
        "template offer {\n"
        "    kind: symbol\n"
        "    legally_binding: bool = false\n"
        "    n: int = -3\n"
        "    r: float = 2\n"
        "    f: float = 0.75\n"
        "    e: float = -1500.0\n"
        "    big: float = 1e+300\n"
        "    s: string = \"a\\tb\\n\"\n"
        "    a: any = none\n"
        "}\n");
}

TEST_CASE("facts print canonically", "[printer]") {
    check_round_trip(
        "facts scenario { offer(kind: peace_treaty, legally_binding: true) edge(a,b) }",
        "facts scenario {\n    offer(kind: peace_treaty, legally_binding: true)\n    edge(a, b)\n}\n");
    check_round_trip("facts {}", "facts {\n}\n");
    check_round_trip("facts { n(-9223372036854775808, 1.0, \"q\\\"\", false) }",
                     "facts {\n    n(-9223372036854775808, 1.0, \"q\\\"\", false)\n}\n");
}

TEST_CASE("rules print canonically", "[printer]") {
    check_round_trip(R"(rule treaty_is_legal_instrument "A unilateral treaty." source "C9" salience 10
when ?o <- offer(kind: peace_treaty, age: ?a & >= 18 & < 65, who: in [China, ?x], other: != "s")
  not reciprocal_step(verified: true)   not { a(?a) where ?a > 1 }
  exists b()  exists { c() }
  not { x() not { y() exists { z() } } }
  where ?a != 3 and not (?b or ?c)
then assert logical legal_instrument(holder: DPRK, ?a + 1) retract ?o modify ?o(kind: x, n: -?a)
  print "n = ", ?a, str(?a, "x") halt assert t()
end)",
                     R"(rule treaty_is_legal_instrument
    "A unilateral treaty."
    salience 10
    source "C9"
when
    ?o <- offer(kind: peace_treaty, age: ?a & >= 18 & < 65, who: in [China, ?x], other: != "s")
    not reciprocal_step(verified: true)
    not {
        a(?a)
        where ?a > 1
    }
    exists b()
    exists {
        c()
    }
    not {
        x()
        not {
            y()
            exists {
                z()
            }
        }
    }
    where ?a != 3 and not (?b or ?c)
then
    assert logical legal_instrument(holder: DPRK, ?a + 1)
    retract ?o
    modify ?o(kind: x, n: -?a)
    print "n = ", ?a, str(?a, "x")
    halt
    assert t()
end
)");
    check_round_trip("rule r when then end", "rule r\nwhen\nthen\nend\n");
    check_round_trip("rule r salience -5 when not {} then end",
                     "rule r\n    salience -5\nwhen\n    not {\n    }\nthen\nend\n");
}

TEST_CASE("queries print canonically, declarations separated by a blank line", "[printer]") {
    check_round_trip(
        "query instruments(?holder,?x) when legal_instrument(holder: ?holder) end query all() when a() end",
        "query instruments(?holder, ?x)\nwhen\n    legal_instrument(holder: ?holder)\nend\n\n"
        "query all\nwhen\n    a()\nend\n");
}

TEST_CASE("expressions print with minimal parentheses that keep the tree", "[printer]") {
    auto where = [](const std::string& expr) {
        const std::string printed = format("rule r when where " + expr + " then end");
        const std::string head = "rule r\nwhen\n    where ";
        REQUIRE(printed.rfind(head, 0) == 0);
        return printed.substr(head.size(), printed.find('\n', head.size()) - head.size());
    };
    CHECK(where("1 + 2 * 3") == "1 + 2 * 3");
    CHECK(where("(1 + 2) * 3") == "(1 + 2) * 3");
    CHECK(where("((1 * 2)) + 3") == "1 * 2 + 3");
    CHECK(where("1 - (2 + 3)") == "1 - (2 + 3)");
    CHECK(where("1 / (2 * 3) % 4") == "1 / (2 * 3) % 4");
    CHECK(where("?a > 1 and (?b < 2 or ?c)") == "?a > 1 and (?b < 2 or ?c)");
    CHECK(where("(?a or ?b) or ?c") == "?a or ?b or ?c");
    CHECK(where("not not ?a") == "not not ?a");
    CHECK(where("not (?a == 1)") == "not ?a == 1");
    CHECK(where("- 5") == "-5");
    CHECK(where("- -5") == "--5");
    CHECK(where("-(-?x)") == "--?x");
    CHECK(where("?a - -1") == "?a - -1");
    CHECK(where("-(1 + ?a) * 2") == "-(1 + ?a) * 2");
    CHECK(where("max(abs(?a - 1), (2), len(\"x\\ty\"))") == "max(abs(?a - 1), 2, len(\"x\\ty\"))");
    CHECK(where("?f == 2.0") == "?f == 2.0");
    CHECK(where("?f == 1e-7") == "?f == 1e-07");
    CHECK(where("sym == true") == "sym == true");
    CHECK(where("(?a < 1) == false") == "(?a < 1) == false");
}

TEST_CASE("print_fact writes one fact on one line", "[printer]") {
    SourceSet sources;
    Diagnostics diags(sources);
    FileId id = sources.add("x.facts", "person(name: \"x\", age: 42)\nedge(n1, n2)\n");
    std::vector<ast::Fact> facts = parse_facts(sources.file(id), diags);
    REQUIRE(facts.size() == 2);
    CHECK(print_fact(facts[0]) == "person(name: \"x\", age: 42)");
    CHECK(print_fact(facts[1]) == "edge(n1, n2)");
}
