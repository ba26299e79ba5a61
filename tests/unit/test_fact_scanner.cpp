// The `.facts` scanner against the grammar: the same facts, ranges, checked values and
// diagnostics from both readers, and the scanner reading the well-formed forms itself
// rather than leaving them to the grammar.
#include "dsl/fact_scanner.hpp"
#include "dsl/parser.hpp"
#include "fuzz/facts_oracle.hpp"
#include "fuzz/fixture.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <vector>

using namespace demarche;
using namespace demarche::dsl;
using namespace std::string_literals;

namespace {

// The fixture's templates: person(name: string, age: int = 0, score: float = 0.5,
// alive: bool = true, tag: symbol = none, extra: any = 0), edge(from: symbol, to: symbol),
// note(text: string = "").
const Program& program() { return *fuzz::fixture_program(); }

// Where the scanner stops in `text`: its size when it reads every fact.
std::size_t scanned_up_to(const std::string& text) {
    SourceSet sources;
    const FileId id = sources.add("test.facts", text);
    ast::Fact fact;
    return detail::scan_facts(sources.file(id), fact, [](const ast::Fact&) {});
}

// Every fact of the vector form of parse_facts, and the diagnostics.
std::string parse_all(const std::string& text, FactsReader reader) {
    SourceSet sources;
    const FileId id = sources.add("test.facts", text);
    Diagnostics diags(sources);
    std::string out;
    for (const ast::Fact& f : parse_facts(sources.file(id), diags, reader)) out += fuzz::describe(f);
    for (const Diagnostic& d : diags.all()) out += render_diagnostic(d) + "\n";
    return out;
}

void check_same(const std::string& text) {
    INFO("input: " << text);
    const std::string reference = fuzz::read_facts_with(program(), text, FactsReader::Grammar, true);
    CHECK(fuzz::read_facts_with(program(), text, FactsReader::Scanner) == reference);
    CHECK(fuzz::read_facts_with(program(), text, FactsReader::Grammar) == reference);
    CHECK(parse_all(text, FactsReader::Scanner) == parse_all(text, FactsReader::Grammar));
}

// Well-formed files, some with facts the checker rejects: the scanner reads them whole.
const std::vector<std::string> well_formed = {
    "",
    "\n\n  \t",
    "# only a comment",
    "# a comment without a line break, then the end",
    "edge(a, b)",
    "edge(a,b)edge(c,d)",
    "edge ( a , b ) ",
    "edge(from: a, to: b)\n",
    "edge(to: b, from: a)\nedge(from: c, to: d)\n",
    "# c\nedge( # c\n  from # c\n  : # c\n  a # c\n  , # c\n  to: b # c\n  ) # c\n# c",
    "edge(a, b)\r\nedge(c, d)\r\n# comment\r\nedge(e, f)",
    "# comment with a lone \r in it\nedge(a, b)",
    "\v\f edge(a, b)\t",
    "person(name: \"x\", age: -7, score: -1.5e3, alive: false, tag: t, extra: 1E+2)",
    "person(\"x\", 0, 0.0, true, sym_1, \"s\")",
    "person(\"x\", -0, -0.0, false, _, 1e-2)",
    "person(name: \"\\\"\\\\\\n\\t\")",
    "person(name: \"unicode: é ✓ 漢字 🙂\")",
    "person(name: \"a carriage \r return and a # hash\")",
    "person(name: \"a\\tb\", score: 1)",
    "person(name: \"x\", age: 9223372036854775807)\nperson(name: \"y\", age: -9223372036854775808)",
    "person(name: \"x\", score: 2.5e-310, extra: 1.7976931348623157e308)",
    "person(name: \"x\", score: 0.1, extra: 123456789012345678901234567890.5)",
    "person(name: \"x\", age: 007, score: 00.50)",
    "edge(true_, false1)\nedge(iff, nott)\nedge(Rule, END)",
    "person(name: \"x\", extra: true)\nperson(name: \"y\", extra: sym)\nperson(name: \"z\", extra: \"s\")",
    "edge(\"a\0b\", c)"s,
    "note()\nnote(\"\")\nnote(text: \"t\")",
    // Facts the checker rejects, some after a fact of the same shape that checked.
    "edge(a)",
    "edge()",
    "edge(a, b, c)",
    "edge(from: a, from: b)",
    "edge(a, to: b)",
    "edge(fro: a, to: b)",
    "nosuch(a)\nnosuch(b)\nedge(a, b)\nnosuch(c)",
    "person(age: 1)",
    "person(name: sym)",
    "person(name: \"x\", score: \"s\", alive: 1, tag: \"t\")",
    "edge(a, b)\nedge(a, 1)\nedge(c, d)\nedge(1.5, \"s\")",
    "person(name: \"a\")\nperson(name: 1)\nperson(name: \"b\", age: 2.0)\nperson(name: \"c\")",
    "edge(from: a, to: b)\nedge(a, b)\nedge(from: a, to: b)\nedge(to: a, from: b)",
    "person(name: \"a\", age: 1)\nperson(name: \"b\", tag: x)\nperson(age: 3, name: \"c\")",
};

// Files the scanner leaves to the grammar from the given offset: errors, and facts it
// would have to report something about.
const std::vector<std::pair<std::string, std::size_t>> left_to_grammar = {
    {"edge(a, b)\nedge(a,)\nedge(c, d)", 11},
    {"edge(a, b\nedge(c, d)\n", 0},
    {"edge(a, b)\nrule(x)\nedge(c, d)", 11},
    {"edge(a, b)\n  edge(?x)", 13},
    {"edge(1e)", 0},
    {"edge(1e+)", 0},
    {"edge(1.)", 0},
    {"edge(1.e5)", 0},
    {"edge(.5)", 0},
    {"edge(-a)", 0},
    {"edge(- 1)", 0},
    {"edge(1abc)", 0},
    {"person(name: \"unterminated", 0},
    {"person(name: \"bad \\q escape\")", 0},
    {"person(name: \"escape at the end\\", 0},
    {"person(name: \"a line\nbreak\")", 0},
    {"person(name: \"x\", age: 9223372036854775808)", 0},
    {"person(name: \"x\", age: -9223372036854775809)", 0},
    {"person(name: \"x\", score: 1e400)", 0},
    {"person(name: \"x\", score: 12345678901234567890)", 0},
    {"edge(when: a, to: b)", 0},
    {"edge(true: a, to: b)", 0},
    {"edge(a, end)", 0},
    {"edge(a, b)\nfacts { edge(a, b) }", 11},
    {"true(a, b)", 0},
    {"edge a, b)", 0},
    {"edge(a b)", 0},
    {"edge(a:b:c)", 0},
    {"edge(from: , to: b)", 0},
    {"edge(a, b", 0},
    {"edge(", 0},
    {"edge", 0},
    {"édge(a, b)", 0},
    {"edge(a, b)\n\xEF\xBB\xBF", 11},
    {"edge(a, b) # c\n  )", 17},
    {"edge(a, b)\n\x01", 11},
    {"edge(a, b)\n(a, b)", 11},
    {"edge(a, b)\nedge(a, b\n\nedge(c, d)\nedge(e f)\nedge(g, h)", 11},
};

}  // namespace

TEST_CASE("the scanner reads well-formed .facts files whole, as the grammar does", "[facts][scanner]") {
    for (const std::string& text : well_formed) {
        INFO("input: " << text);
        CHECK(scanned_up_to(text) == text.size());
        check_same(text);
    }
}

TEST_CASE("the scanner leaves the rest to the grammar at the first fact it cannot read", "[facts][scanner]") {
    for (const auto& [text, offset] : left_to_grammar) {
        INFO("input: " << text);
        CHECK(scanned_up_to(text) == offset);
        check_same(text);
    }
}

TEST_CASE("the scanner and the grammar agree on every prefix of a mixed file", "[facts][scanner]") {
    // Cutting a file anywhere makes every kind of unfinished token, at every position.
    const std::string text =
        "# readings\r\nperson(name: \"a\\\"b\", age: -12, score: 3.5e-2, alive: false, tag: t1)\n"
        "edge(from: a, to: b) edge(c,d)#c\nnote(\"x\")\nperson(\"y\", 1, 2, true, z, 1E3)\n";
    for (std::size_t n = 0; n <= text.size(); ++n) check_same(text.substr(0, n));
}
