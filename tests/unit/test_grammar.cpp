// The grammar rule by rule (accept/reject tables), the trees the parser builds, its error
// messages and positions, recovery after errors, and the nesting limit.
#include "dsl/grammar.hpp"
#include "dsl/grammar_errors.hpp"
#include "dsl/parser.hpp"
#include "dsl/printer.hpp"

#include <tao/pegtl/contrib/analyze.hpp>

#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

using namespace demarche;
using namespace demarche::dsl;
namespace g = demarche::dsl::grammar;
namespace pegtl = tao::pegtl;
using boost::variant2::get;
using boost::variant2::get_if;
using boost::variant2::holds_alternative;

namespace {

// True when `Rule` matches all of `text` (a must<> failure counts as a rejection).
template <typename Rule>
bool accepts(std::string_view text) {
    pegtl::memory_input in(text.data(), text.size(), "test");
    try {
        return pegtl::parse<pegtl::seq<Rule, pegtl::eof>>(in);
    } catch (const pegtl::parse_error&) {
        return false;
    }
}

template <typename Rule>
void check_table(std::initializer_list<std::string_view> good, std::initializer_list<std::string_view> bad) {
    for (std::string_view text : good) {
        INFO("should accept: " << text);
        CHECK(accepts<Rule>(text));
    }
    for (std::string_view text : bad) {
        INFO("should reject: " << text);
        CHECK_FALSE(accepts<Rule>(text));
    }
}

struct Parsed {
    std::unique_ptr<SourceSet> sources = std::make_unique<SourceSet>();
    std::unique_ptr<Diagnostics> diags = std::make_unique<Diagnostics>(*sources);
    ast::File file;
    std::vector<ast::Fact> facts;

    // "line:column: message" for every diagnostic, in order.
    std::vector<std::string> errors() const {
        std::vector<std::string> out;
        for (const Diagnostic& d : diags->all())
            out.push_back(std::to_string(d.location.line) + ":" + std::to_string(d.location.column) + ": " +
                          d.message);
        return out;
    }
    template <typename T>
    const T& decl(std::size_t i) const {
        REQUIRE(i < file.declarations.size());
        REQUIRE(holds_alternative<T>(file.declarations[i]));
        return get<T>(file.declarations[i]);
    }
};

Parsed parse(std::string text) {
    Parsed p;
    FileId id = p.sources->add("test.rules", std::move(text));
    p.file = parse_rules(p.sources->file(id), *p.diags);
    return p;
}

Parsed parse_facts_text(std::string text) {
    Parsed p;
    FileId id = p.sources->add("test.facts", std::move(text));
    p.facts = parse_facts(p.sources->file(id), *p.diags);
    return p;
}

// The first error of `text`, as "line:column: message".
std::string first_error(std::string text) {
    Parsed p = parse(std::move(text));
    std::vector<std::string> errors = p.errors();
    return errors.empty() ? "(no error)" : errors.front();
}

// Parses `rule r when where EXPR then end` and returns the expression printed back.
std::string where_expr(const std::string& expr) {
    Parsed p = parse("rule r when where " + expr + " then end");
    INFO(expr);
    REQUIRE(p.errors().empty());
    const ast::Rule& r = p.decl<ast::Rule>(0);
    REQUIRE(r.conditions.size() == 1);
    return print_expr(get<ast::WhereCondition>(r.conditions[0].node).test);
}

const ast::Expr& where_tree(const Parsed& p) {
    return get<ast::WhereCondition>(p.decl<ast::Rule>(0).conditions.at(0).node).test;
}

std::string text_of(const Parsed& p, SourceRange r) {
    return p.sources->file(r.file).text.substr(r.begin, r.end - r.begin);
}

}  // namespace

TEST_CASE("the grammar has no rule that can loop without consuming input", "[grammar]") {
    CHECK(pegtl::analyze<g::rules_file>() == 0);
    CHECK(pegtl::analyze<g::facts_file>() == 0);
}

TEST_CASE("identifiers, names and keywords", "[grammar]") {
    check_table<g::name>(
        {"a", "_x", "offer", "peace_treaty", "A1_b2", "rules", "ended", "notice", "in_force", "orx"},
        {"", "1a", "rule", "end", "not", "in", "true", "false", "and", "or", "logical", "a-b", "é"});
    check_table<g::keyword>(
        {"import",   "template", "facts",   "rule",   "query",   "when",   "then",  "end",
         "not",      "exists",   "where",   "assert", "retract", "modify", "print", "halt",
         "salience", "source",   "logical", "in",     "true",    "false",  "and",   "or"},
        {"symbol", "int", "none", "rule_x", "ends"});
    for (std::string_view word : {"import", "template", "facts", "rule", "query", "when", "then", "end", "not",
                                  "exists", "where", "assert", "retract", "modify", "print", "halt", "salience",
                                  "source", "logical", "in", "true", "false", "and", "or", "i", "ruler", "Rule",
                                  "halts", "x", "templates", "saliences", "an", "ands", "sourc"}) {
        INFO(word);
        CHECK(g::is_keyword(word) == accepts<g::keyword>(word));
    }
    check_table<g::variable>({"?x", "?_", "?holder2", "?end"}, {"?", "? x", "x", "?1"});
}

TEST_CASE("string literals", "[grammar]") {
    check_table<g::string_lit>({R"("")", R"("abc")", R"("a \"b\" c")", R"("back\\slash")", R"("tab\tnew\n")",
                                "\"caf\xC3\xA9\"", "\"# not a comment\""},
                               {R"("abc)", R"("a\qb")", "\"line\nbreak\"", R"(abc)", R"("\")"});
}

TEST_CASE("number literals", "[grammar]") {
    check_table<g::number>(
        {"0", "42", "-7", "0.75", "-1.5e3", "1e9", "2E-3", "1.5e+10", "-9223372036854775808"},
        {"", "-", "1.", ".5", "1e", "1e+", "- 1", "+1"});
}

TEST_CASE("literals", "[grammar]") {
    check_table<g::literal>({"US", "peace_treaty", "\"UNC\"", "42", "-0.5", "true", "false", "none"},
                            {"?x", "rule", "(1)", "[a]"});
}

TEST_CASE("constraints", "[grammar]") {
    check_table<g::constraints>(
        {"peace_treaty", "30", "?n", "> 30", "!= ?n", "<= ?limit", "== \"x\"", ">= -5", "< 1.5",
         "in [China, Russia]", "in []", "in [?a, 3, \"s\"]", "?a & >= 18 & < 65", "!= ?first & != ?second",
         "> 1 & ?x", "in [a] & != b"},
        {"", ">", "in", "in [", "in [a,]", "?a &", "& ?a", "== ==", "in (a)", "=< 3", "?a & & ?b"});
}

TEST_CASE("patterns", "[grammar]") {
    check_table<g::pattern>({"offer()", "offer(kind: peace_treaty)", "edge(a, b)", "?o <- offer(kind: x)",
                             "?o<-offer()", "person(age: ?a & >= 18, name: != ?n)", "t(who: in [a, b])",
                             "offer( kind : x , unilateral : true )", "t(a: 1, 2)"},
                            {"offer", "offer(", "offer(kind:)", "?o offer()", "?o <- ()", "rule()",
                             "offer(kind: x,)", "?o <- rule()"});
}

TEST_CASE("conditions", "[grammar]") {
    check_table<g::condition>(
        {"not offer()", "not { offer() }", "not {}", "exists offer(kind: x)",
         "exists { a() b() where ?x > 1 }", "not { a() not { b() exists c() } }", "where ?a > 30",
         "where not ?flag", "?x <- offer()", "not{a()}"},
        {"not", "not where ?x", "exists", "where", "not { a() ", "not not a()", "where ?a <", "exists ?x"});
}

TEST_CASE("expressions", "[grammar]") {
    check_table<g::expr>(
        {"1",
         "?a",
         "sym",
         "\"s\"",
         "true",
         "1 + 2 * 3",
         "(1 + 2) * 3",
         "-?x",
         "- 5",
         "--?x",
         "?a and ?b or not ?c",
         "?a == ?b",
         "not ?a == ?b",
         "max(?a, 3)",
         "str()",
         "abs(-1)",
         "len(\"abc\") % 2",
         "?a <= -1.5e3",
         "1 - -1",
         "f(g(h(1)))",
         "a or b",
         "not not ?x"},
        {"", "1 +", "(1", "1 < 2 < 3", "f(1,", "f(1,)", "?a ==", "and ?b", "()", "not", "1 = 2", "?a <> 1"});
}

TEST_CASE("actions", "[grammar]") {
    check_table<g::action>(
        {"assert a()", "assert logical a(x: 1)",
         "assert legal_instrument(holder: DPRK, against: us_alliance)", "assert edge(?a, ?b)",
         "assert t(n: ?n + 1)", "retract ?o", "modify ?o(kind: x, age: ?a + 1)", "modify ?o()",
         "print \"a\", ?b, 3", "print str(?x)", "halt"},
        {"assert", "assert a", "assert a(", "assert logical", "assert rule()", "retract o", "retract",
         "modify ?o", "modify o(x: 1)", "print", "print a,", "assert a(x:)", "assert a(x: 1,)"});
}

TEST_CASE("templates", "[grammar]") {
    check_table<g::template_decl>(
        {"template t {}", "template edge { from: symbol  to: symbol }",
         "template offer {\n kind: symbol\n legally_binding: bool = false\n conditional_on: symbol = none\n}",
         "template t { a: int = -3, b: float = 0.5, c: string = \"x\", d: any }", "template t { a: int, }"},
        {"template {}", "template t", "template t {", "template t { a }", "template t { a: }",
         "template t { a: integer }", "template t { a: int = }", "template rule {}",
         "template t { end: int }", "template t { a: int = ?x }"});
}

TEST_CASE("facts blocks", "[grammar]") {
    check_table<g::facts_decl>(
        {"facts {}", "facts scenario {}", "facts { edge(a, b) }",
         "facts scenario {\n offer(kind: peace_treaty, legally_binding: true)\n edge(a, b)\n}",
         "facts { n(v: -9223372036854775808) p(x: 1.5e3, s: \"a\\\"b\") }"},
        {"facts", "facts {", "facts { edge(a, b) ", "facts { edge(?a) }", "facts { edge(1 + 2) }",
         "facts { edge(a b) }", "facts x y {}", "facts { rule() }"});
}

TEST_CASE("rules", "[grammar]") {
    check_table<g::rule_decl>(
        {"rule r when then end", "rule r \"desc\" when a() then halt end",
         "rule r salience 10 source \"C9\" when then end", "rule r source \"C9\" salience -5 when then end",
         "rule r \"d\" salience 1 when ?o <- a()\n not b()\n where ?x > 1\nthen\n retract ?o\n print 1\nend",
         "rule r\nwhen\n a()\nthen\nend"},
        {"rule when then end", "rule r then end", "rule r when then", "rule r when a() end",
         "rule r salience when then end", "rule r source when then end", "rule r when a() then b() end",
         "rule end when then end", "rule r \"a\" \"b\" when then end"});
}

TEST_CASE("queries", "[grammar]") {
    check_table<g::query_decl>(
        {"query q when end", "query q(?a) when a(x: ?a) end",
         "query instruments(?holder, ?x)\nwhen\n legal_instrument(holder: ?holder)\nend",
         "query q() when end"},
        {"query q", "query q(?a when end", "query q(a) when end", "query q when then end", "query when end",
         "query q(?a,) when end"});
}

TEST_CASE("imports and whole files", "[grammar]") {
    check_table<g::import_decl>({"import \"common.rules\"", "import \"a b/c.rules\""},
                                {"import", "import common.rules", "import \"x"});
    check_table<g::rules_file>({"", "   \n\n", "# only a comment", "# c\nimport \"a\" # trailing\n",
                                "template t {} rule r when t() then end query q when t() end facts {}"},
                               {"x", "rule", "template t {} junk"});
    check_table<g::facts_file>(
        {"", "edge(a, b)", "edge(a, b)\nedge(b, c)\n# comment\nperson(name: \"x\", age: 42)", "a() b() c()"},
        {"edge(a, b", "edge", "1", "facts { a() }"});
}

TEST_CASE("the parser builds templates with types and defaults", "[parser]") {
    Parsed p = parse(
        "template offer {\n  kind: symbol\n  legally_binding: bool = false\n"
        "  timing: symbol = opening, n: int = -3 r: float = 1e9 s: string = \"a\\tb\"\n}");
    REQUIRE(p.errors().empty());
    const auto& t = p.decl<ast::Template>(0);
    CHECK(t.name.name == "offer");
    REQUIRE(t.fields.size() == 6);
    CHECK(t.fields[0].name.name == "kind");
    CHECK(t.fields[0].type.name == "symbol");
    CHECK_FALSE(t.fields[0].default_value);
    CHECK(get<bool>(t.fields[1].default_value->value) == false);
    CHECK(get<Symbol>(t.fields[2].default_value->value).name() == "opening");
    CHECK(get<std::int64_t>(t.fields[3].default_value->value) == -3);
    CHECK(get<double>(t.fields[4].default_value->value) == 1e9);
    CHECK(get<String>(t.fields[5].default_value->value) == "a\tb");
    CHECK(text_of(p, t.fields[1].range) == "legally_binding: bool = false");
    CHECK(text_of(p, t.name.range) == "offer");
    CHECK(t.range.begin == 0);
    CHECK(t.range.end == p.sources->file(0).text.size());
}

TEST_CASE("the parser builds facts blocks, named and positional", "[parser]") {
    Parsed p = parse(
        "facts scenario {\n  offer(kind: peace_treaty, legally_binding: true)\n  edge(a, -2.5)\n}\n"
        "facts { n(v: -9223372036854775808) }");
    REQUIRE(p.errors().empty());
    const auto& b = p.decl<ast::FactsBlock>(0);
    REQUIRE(b.name);
    CHECK(b.name->name == "scenario");
    REQUIRE(b.facts.size() == 2);
    CHECK(b.facts[0].template_name.name == "offer");
    REQUIRE(b.facts[0].args.size() == 2);
    CHECK(b.facts[0].args[0].field->name == "kind");
    CHECK(get<Symbol>(b.facts[0].args[0].value.value).name() == "peace_treaty");
    CHECK(text_of(p, b.facts[0].args[1].range) == "legally_binding: true");
    CHECK_FALSE(b.facts[1].args[0].field);
    CHECK(get<double>(b.facts[1].args[1].value.value) == -2.5);
    CHECK(text_of(p, b.facts[1].range) == "edge(a, -2.5)");
    const auto& unnamed = p.decl<ast::FactsBlock>(1);
    CHECK_FALSE(unnamed.name);
    CHECK(get<std::int64_t>(unnamed.facts.at(0).args.at(0).value.value) == INT64_MIN);
}

TEST_CASE("the parser builds rules with header, conditions and actions", "[parser]") {
    Parsed p = parse(R"(rule treaty_is_legal_instrument
  "A unilateral treaty."
  salience -10
  source "C9"
when
  ?o <- offer(kind: peace_treaty, age: ?a & >= 18 & < 65, who: in [China, ?x])
  not reciprocal_step(verified: true)
  exists { a(?a) where ?a > 1 not b() }
  where ?a != 3
then
  assert logical legal_instrument(holder: DPRK, ?a + 1)
  retract ?o
  modify ?o(kind: x)
  print "n = ", ?a
  halt
end)");
    REQUIRE(p.errors().empty());
    const auto& r = p.decl<ast::Rule>(0);
    CHECK(r.name.name == "treaty_is_legal_instrument");
    CHECK(r.description == std::optional<std::string>("A unilateral treaty."));
    CHECK(r.salience == std::optional<std::int64_t>(-10));
    CHECK(text_of(p, r.salience_range) == "salience -10");
    CHECK(r.source == std::optional<std::string>("C9"));
    REQUIRE(r.conditions.size() == 4);

    const auto& pat = get<ast::Pattern>(r.conditions[0].node);
    CHECK(pat.fact_binding->name == "o");
    CHECK(pat.template_name.name == "offer");
    REQUIRE(pat.args.size() == 3);
    REQUIRE(pat.args[1].conjuncts.size() == 3);
    CHECK(get<ast::Variable>(get<ast::TermConstraint>(pat.args[1].conjuncts[0].node).term).name == "a");
    const auto& ge = get<ast::CompareConstraint>(pat.args[1].conjuncts[1].node);
    CHECK(ge.op == CompareOp::Ge);
    CHECK(get<std::int64_t>(get<ast::Literal>(ge.rhs).value) == 18);
    CHECK(text_of(p, pat.args[1].conjuncts[2].range) == "< 65");
    const auto& in = get<ast::InConstraint>(pat.args[2].conjuncts[0].node);
    REQUIRE(in.options.size() == 2);
    CHECK(get<ast::Variable>(in.options[1]).name == "x");
    CHECK(text_of(p, pat.range).rfind("?o <- offer(", 0) == 0);

    const auto& no = get<ast::NotCondition>(r.conditions[1].node);
    CHECK_FALSE(no.grouped);
    REQUIRE(no.body.size() == 1);
    CHECK(get<ast::Pattern>(no.body[0].node).template_name.name == "reciprocal_step");
    const auto& ex = get<ast::ExistsCondition>(r.conditions[2].node);
    CHECK(ex.grouped);
    REQUIRE(ex.body.size() == 3);
    CHECK(holds_alternative<ast::WhereCondition>(ex.body[1].node));
    CHECK(holds_alternative<ast::NotCondition>(ex.body[2].node));
    CHECK(holds_alternative<ast::WhereCondition>(r.conditions[3].node));

    REQUIRE(r.actions.size() == 5);
    const auto& as = get<ast::AssertAction>(r.actions[0].node);
    CHECK(as.logical);
    CHECK(as.template_name.name == "legal_instrument");
    REQUIRE(as.args.size() == 2);
    CHECK(as.args[0].field->name == "holder");
    CHECK_FALSE(as.args[1].field);
    CHECK(holds_alternative<ast::BinaryExpr>(as.args[1].value.node));
    CHECK(get<ast::RetractAction>(r.actions[1].node).target.name == "o");
    CHECK(get<ast::ModifyAction>(r.actions[2].node).args.size() == 1);
    CHECK(get<ast::PrintAction>(r.actions[3].node).args.size() == 2);
    CHECK(holds_alternative<ast::HaltAction>(r.actions[4].node));
    CHECK(text_of(p, r.actions[2].range) == "modify ?o(kind: x)");
}

TEST_CASE("the parser builds queries and imports", "[parser]") {
    Parsed p = parse(
        "import \"common.rules\"\nquery instruments(?holder, ?b) when x(holder: ?holder) end\n"
        "query all when x() end");
    REQUIRE(p.errors().empty());
    CHECK(p.decl<ast::Import>(0).path == "common.rules");
    const auto& q = p.decl<ast::Query>(1);
    CHECK(q.name.name == "instruments");
    REQUIRE(q.params.size() == 2);
    CHECK(q.params[1].name == "b");
    CHECK(q.conditions.size() == 1);
    CHECK(p.decl<ast::Query>(2).params.empty());
}

TEST_CASE("an empty file and a comment-only file have no declarations", "[parser]") {
    CHECK(parse("").file.declarations.empty());
    CHECK(parse("").errors().empty());
    Parsed p = parse("# nothing here\n   \n# at all");
    CHECK(p.file.declarations.empty());
    CHECK(p.errors().empty());
}

TEST_CASE("expressions follow the contract's precedence", "[parser]") {
    {
        Parsed p = parse("rule r when where 1 + 2 * 3 then end");
        REQUIRE(p.errors().empty());
        const auto& add = get<ast::BinaryExpr>(where_tree(p).node);
        CHECK(add.op == BinaryOp::Add);
        CHECK(get<std::int64_t>(get<ast::Literal>(add.lhs->node).value) == 1);
        CHECK(get<ast::BinaryExpr>(add.rhs->node).op == BinaryOp::Mul);
    }
    {
        Parsed p = parse("rule r when where ?a or ?b and not ?c == 1 then end");
        REQUIRE(p.errors().empty());
        const auto& orr = get<ast::BinaryExpr>(where_tree(p).node);
        CHECK(orr.op == BinaryOp::Or);
        const auto& andd = get<ast::BinaryExpr>(orr.rhs->node);
        CHECK(andd.op == BinaryOp::And);
        const auto& nott = get<ast::UnaryExpr>(andd.rhs->node);
        CHECK(nott.op == UnaryOp::Not);
        CHECK(get<ast::BinaryExpr>(nott.operand->node).op == BinaryOp::Eq);
    }
    {
        Parsed p = parse("rule r when where 10 - 3 - 2 then end");
        const auto& sub = get<ast::BinaryExpr>(where_tree(p).node);
        CHECK(get<ast::BinaryExpr>(sub.lhs->node).op == BinaryOp::Sub);  // left-associative
        CHECK(text_of(p, where_tree(p).range) == "10 - 3 - 2");
    }
    {
        Parsed p = parse("rule r when where -?x * 2 then end");
        const auto& mul = get<ast::BinaryExpr>(where_tree(p).node);
        CHECK(get<ast::UnaryExpr>(mul.lhs->node).op == UnaryOp::Neg);
    }
    {
        Parsed p = parse("rule r when where max(?a, (1 + 2)) then end");
        const auto& call = get<ast::CallExpr>(where_tree(p).node);
        CHECK(call.function.name == "max");
        REQUIRE(call.args.size() == 2);
        CHECK(text_of(p, call.args[1]->range) == "(1 + 2)");
        CHECK(text_of(p, where_tree(p).range) == "max(?a, (1 + 2))");
    }
    {
        Parsed p = parse("rule r when where peace_treaty then end");
        CHECK(get<Symbol>(get<ast::Literal>(where_tree(p).node).value).name() == "peace_treaty");
    }
    CHECK(where_expr("(1 + 2) * 3") == "(1 + 2) * 3");
    CHECK(where_expr("((?a))") == "?a");
    CHECK(where_expr("1 - (2 - 3)") == "1 - (2 - 3)");
    CHECK(where_expr("(1 - 2) - 3") == "1 - 2 - 3");
    CHECK(where_expr("not (?a and ?b)") == "not (?a and ?b)");
    CHECK(where_expr("(not ?a) and ?b") == "not ?a and ?b");
    CHECK(where_expr("(?a == ?b) == ?c") == "(?a == ?b) == ?c");
    CHECK(where_expr("-(?a + 1)") == "-(?a + 1)");
    CHECK(where_expr("1 + (not ?a)") == "1 + (not ?a)");
    CHECK(where_expr("?a or (?b or ?c)") == "?a or (?b or ?c)");
}

TEST_CASE("number literals are 64-bit integers or doubles", "[parser]") {
    Parsed p = parse("facts { n(9223372036854775807, -9223372036854775808, 0.75, -1.5e3, 1e9, 7) }");
    REQUIRE(p.errors().empty());
    const auto& args = p.decl<ast::FactsBlock>(0).facts.at(0).args;
    CHECK(get<std::int64_t>(args[0].value.value) == INT64_MAX);
    CHECK(get<std::int64_t>(args[1].value.value) == INT64_MIN);
    CHECK(get<double>(args[2].value.value) == 0.75);
    CHECK(get<double>(args[3].value.value) == -1500.0);
    CHECK(get<double>(args[4].value.value) == 1e9);
    CHECK(get<std::int64_t>(args[5].value.value) == 7);
}

TEST_CASE("syntax errors name the problem and point at it", "[parser][errors]") {
    CHECK(first_error("rule r when a() then halt") == "1:26: expected 'end' to close rule 'r'");
    CHECK(first_error("rule r when\n  a()\nthen\n  assert offer(kind: x\nend") ==
          "5:1: expected ')' after the arguments of 'offer'");
    CHECK(first_error("template t {\n  a: integer\n}") ==
          "2:6: expected a field type (symbol, string, int, float, bool or any)");
    CHECK(first_error("facts { p(name: \"abc) }") == "1:17: unterminated string");
    CHECK(first_error("facts { p(name: \"a\\qb\") }") ==
          "1:19: unknown escape sequence in string (use \\\" \\\\ \\n or \\t)");
    CHECK(first_error("template rule { a: int }") ==
          "1:10: 'rule' is a reserved word and cannot name a template");
    CHECK(first_error("rule end when then end") == "1:6: 'end' is a reserved word and cannot name a rule");
    CHECK(first_error("template t { source: string }") ==
          "1:14: 'source' is a reserved word and cannot name a field");
    CHECK(first_error("rule r when a(in: 1) then end") ==
          "1:15: 'in' is a reserved word and cannot name a field");
    CHECK(first_error("facts { n(v: 9223372036854775808) }") ==
          "1:14: integer '9223372036854775808' is out of range (64-bit integers go from "
          "-9223372036854775808 to 9223372036854775807)");
    CHECK(first_error("rule r when where ?a < ?b < ?c then end") ==
          "1:27: comparisons do not chain; combine them with 'and'");
    CHECK(first_error("rule r when offer kind: x) then end") == "1:19: expected '(' after 'offer'");
    CHECK(first_error("rule r\nwhen\n  a()\n  assert b()\nend") ==
          "4:3: expected a condition or 'then' in rule 'r'");
    CHECK(first_error("rule r salience high when then end") == "1:17: expected an integer after 'salience'");
    CHECK(first_error("rule r salience 1.5 when then end") == "1:17: salience must be an integer");
    CHECK(first_error("query q(?a when end") == "1:12: expected ')' after the parameters of query 'q'");
    CHECK(first_error("rule r when where max(1, 2 then end") ==
          "1:28: expected ')' after the arguments of 'max'");
    CHECK(first_error("junk") == "1:1: expected a declaration (import, template, facts, rule or query)");
    CHECK(first_error("rule r when not then end") == "1:17: expected a pattern or '{' after 'not'");
    CHECK(first_error("rule r when not { a() then end") == "1:23: expected '}' to close the group");
    CHECK(first_error("template t {\n  a: int\nrule r when then end") ==
          "3:1: expected '}' to close template 't'");
    CHECK(first_error("import common") == "1:8: expected a file name in quotes after 'import'");
}

TEST_CASE("error ranges cover the offending token", "[parser][errors]") {
    Parsed p = parse("template t {\n  a: integer\n}");
    REQUIRE(p.diags->all().size() == 1);
    const SourceLocation& loc = p.diags->all().front().location;
    CHECK(loc.line == 2);
    CHECK(loc.column == 6);
    CHECK(loc.end_column == 13);  // all of `integer`
    Parsed eof = parse("rule r when");
    REQUIRE(eof.diags->all().size() == 1);
    CHECK(eof.diags->all().front().message == "expected a condition or 'then' in rule 'r'");
}

TEST_CASE("salience and source may come in either order, each once", "[parser][errors]") {
    Parsed p = parse("rule r source \"C1\" salience 3 when then end");
    REQUIRE(p.errors().empty());
    CHECK(p.decl<ast::Rule>(0).salience == std::optional<std::int64_t>(3));
    CHECK(p.decl<ast::Rule>(0).source == std::optional<std::string>("C1"));

    Parsed dup = parse("rule r salience 1 source \"a\" salience 2 source \"b\" when then end");
    CHECK(dup.errors() == std::vector<std::string>{"1:30: rule 'r' has more than one 'salience'",
                                                   "1:41: rule 'r' has more than one 'source'"});
    REQUIRE(dup.file.declarations.size() == 1);
    CHECK(dup.decl<ast::Rule>(0).salience == std::optional<std::int64_t>(1));
    CHECK(dup.decl<ast::Rule>(0).source == std::optional<std::string>("a"));
}

TEST_CASE("after an error the parser resumes at the next declaration", "[parser][errors]") {
    Parsed p = parse(
        "rule broken1 when a( then end\n"
        "\n"
        "rule good when a() then halt end\n"
        "template t { x: nope }\n"
        "query q when t() end\n");
    CHECK(p.errors() ==
          std::vector<std::string>{"1:22: expected ')' after the arguments of 'a'",
                                   "4:17: expected a field type (symbol, string, int, float, bool or any)"});
    REQUIRE(p.file.declarations.size() == 2);
    CHECK(p.decl<ast::Rule>(0).name.name == "good");
    CHECK(p.decl<ast::Query>(1).name.name == "q");

    // A missing `end` is reported at the next rule, which still parses.
    Parsed q = parse("rule a when then halt\nrule b when then end\n");
    CHECK(q.errors() == std::vector<std::string>{"2:1: expected 'end' to close rule 'a'"});
    REQUIRE(q.file.declarations.size() == 1);
    CHECK(q.decl<ast::Rule>(0).name.name == "b");

    // A reserved word used as a field name is reported once, not as a new declaration.
    Parsed f = parse("template t {\n  facts: int\n  rule: symbol\n}\nquery q when t() end\n");
    CHECK(f.errors() == std::vector<std::string>{"2:3: 'facts' is a reserved word and cannot name a field"});
    CHECK(f.file.declarations.size() == 1);

    // Garbage between declarations: one error, not one per token.
    Parsed r = parse("template t {}\nthis is not ( valid\nand neither is this\nfacts { t() }\n");
    CHECK(r.errors().size() == 1);
    CHECK(r.file.declarations.size() == 2);
}

TEST_CASE("deep nesting gets a diagnostic instead of a stack overflow", "[parser][limits]") {
    const std::string limit_message = "expressions nest too deeply (limit 256)";
    auto only_error = [&](const std::string& text) {
        Parsed p = parse(text);
        REQUIRE(p.diags->all().size() == 1);
        return p.diags->all().front().message;
    };
    const std::size_t n = 100'000;
    CHECK(only_error("rule r when where " + std::string(n, '(') + "1" + std::string(n, ')') + " then end") ==
          limit_message);
    CHECK(only_error("rule r when where " + std::string(n, '(')) == limit_message);
    std::string minus;
    for (std::size_t i = 0; i < n; ++i) minus += "- ";
    CHECK(only_error("rule r when where " + minus + "1 then end") == limit_message);
    std::string nots;
    for (std::size_t i = 0; i < n; ++i) nots += "not ";
    CHECK(only_error("rule r when where " + nots + "?x then end") == limit_message);
    std::string groups;
    for (std::size_t i = 0; i < n; ++i) groups += "not { ";
    CHECK(only_error("rule r when " + groups + " then end") == limit_message);
    std::string calls;
    for (std::size_t i = 0; i < n; ++i) calls += "f(";
    CHECK(only_error("rule r when where " + calls + "1" + std::string(n, ')') + " then end") ==
          limit_message);
    std::string sum = "1";
    for (std::size_t i = 0; i < n; ++i) sum += " + 1";
    CHECK(only_error("rule r when where " + sum + " then end") == limit_message);

    // Just below the limit parses.
    const std::size_t ok = max_nesting_depth - 1;
    Parsed p = parse("rule r when where " + std::string(ok, '(') + "1" + std::string(ok, ')') + " then end");
    CHECK(p.errors().empty());
    // And the parser goes on after the deep rule.
    Parsed after = parse("rule r when where " + std::string(n, '(') + "\nrule s when then end");
    CHECK(after.errors().size() == 1);
    REQUIRE(after.file.declarations.size() == 1);
    CHECK(after.decl<ast::Rule>(0).name.name == "s");
}

TEST_CASE("a 10 MB line parses", "[parser][limits]") {
    // Many facts on one line (1 MB keeps a Debug build quick; the bench covers volume).
    std::string line = "facts {";
    while (line.size() < 1'000'000) line += " edge(a, b) person(name: \"x\", age: 42)";
    line += " }";
    Parsed p = parse(line);
    CHECK(p.errors().empty());
    CHECK(p.decl<ast::FactsBlock>(0).facts.size() > 20'000);

    const std::string ten_mb(10'000'000, 'x');
    Parsed s = parse("facts { p(\"" + ten_mb + "\") }");
    CHECK(s.errors().empty());
    CHECK(get<String>(s.decl<ast::FactsBlock>(0).facts.at(0).args.at(0).value.value).size() ==
          ten_mb.size());
    Parsed c = parse("# " + ten_mb + "\nrule r when then end");
    CHECK(c.errors().empty());
    CHECK(c.file.declarations.size() == 1);
    Parsed w = parse("rule r when" + std::string(1'000'000, ' ') + "then end");
    CHECK(w.errors().empty());
    Parsed bad = parse("rule r when a(" + std::string(1'000'000, ' ') + "then end");
    CHECK(bad.errors() == std::vector<std::string>{"1:1000015: expected ')' after the arguments of 'a'"});
}

TEST_CASE("odd bytes never crash the parser", "[parser][limits]") {
    for (std::string text : {std::string("\0\0\0", 3), std::string("rule \xff\xfe"), std::string("\"\\"),
                             std::string("facts { p(\""), std::string("rule r when where f("),
                             std::string("template"), std::string("# fine\n?"), std::string("?"),
                             std::string("rule r when not { not {"), std::string("facts { a(1e) }")}) {
        Parsed p = parse(text);
        INFO(text);
        CHECK(p.diags->has_errors());
    }
}

TEST_CASE(".facts files hold bare facts and recover at the next line", "[parser][facts]") {
    Parsed p = parse_facts_text(
        "edge(n1, n2)\n# comment\nperson(name: \"x\", age: 42)\n\n  edge(a, b) edge(c, d)\n");
    CHECK(p.errors().empty());
    REQUIRE(p.facts.size() == 4);
    CHECK(p.facts[1].template_name.name == "person");
    CHECK(get<std::int64_t>(p.facts[1].args[1].value.value) == 42);

    Parsed bad = parse_facts_text("edge(a, b\nedge(c, d)\nedge(?x)\nrule(x)\nedge(e, f)\n");
    CHECK(bad.errors() ==
          std::vector<std::string>{"2:1: expected ')' after the arguments of 'edge'",
                                   "3:6: expected ')' after the arguments of 'edge'",
                                   "4:1: 'rule' is a reserved word and cannot name a template"});
    REQUIRE(bad.facts.size() == 2);
    CHECK(print_fact(bad.facts[0]) == "edge(c, d)");
    CHECK(print_fact(bad.facts[1]) == "edge(e, f)");

    CHECK(parse_facts_text("").facts.empty());
    CHECK(parse_facts_text("").errors().empty());
}
