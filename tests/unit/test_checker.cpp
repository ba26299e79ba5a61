// Checker on hand-built syntax trees (program shape, scoping) and JSON fact files
// (positions of every problem). Rule-text tables are in test_checker_rules.cpp.
#include "dsl/checker.hpp"
#include "dsl/suggest.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

using namespace demarche;
using namespace demarche::dsl;

namespace {

ast::Identifier ident(std::string name) {
    return {std::move(name), {}};
}
ast::Variable var(std::string name) {
    return {std::move(name), {}};
}
ast::Literal lit(Value v) {
    return {std::move(v), {}};
}
Value sym(std::string_view s) {
    return Symbol::intern(s);
}

struct FieldSpec {
    std::string name;
    std::string type;
    std::optional<Value> default_value;
};

ast::Template make_template(std::string name, std::vector<FieldSpec> fields) {
    ast::Template t;
    t.name = ident(std::move(name));
    for (FieldSpec& f : fields) {
        ast::FieldDecl d;
        d.name = ident(f.name);
        d.type = ident(f.type);
        if (f.default_value) d.default_value = lit(*f.default_value);
        t.fields.push_back(std::move(d));
    }
    return t;
}

ast::Constraint term(ast::Term t) {
    return {ast::TermConstraint{std::move(t)}, {}};
}
ast::Constraint compare(CompareOp op, ast::Term t) {
    return {ast::CompareConstraint{op, std::move(t)}, {}};
}

ast::PatternArg arg(std::string field, std::vector<ast::Constraint> cs) {
    return {ident(std::move(field)), std::move(cs), {}};
}

ast::Condition pattern(std::string tmpl, std::vector<ast::PatternArg> args,
                       std::optional<std::string> bind = std::nullopt) {
    ast::Pattern p;
    if (bind) p.fact_binding = var(*bind);
    p.template_name = ident(std::move(tmpl));
    p.args = std::move(args);
    return {std::move(p), {}};
}

ast::Condition negated(ast::Condition body) {
    ast::NotCondition n;
    n.body.push_back(std::move(body));
    return {std::move(n), {}};
}

ast::Expr var_expr(std::string name) {
    return {ast::VariableExpr{std::move(name)}, {}};
}
ast::Expr lit_expr(Value v) {
    return {lit(std::move(v)), {}};
}

ast::Action assert_action(std::string tmpl, std::vector<std::pair<std::string, ast::Expr>>&& args) {
    ast::AssertAction a;
    a.template_name = ident(std::move(tmpl));
    for (auto& [field, value] : args) a.args.push_back({ident(field), std::move(value), {}});
    return {std::move(a), {}};
}

std::vector<std::pair<std::string, ast::Expr>> values(std::string f1, ast::Expr e1) {
    std::vector<std::pair<std::string, ast::Expr>> out;
    out.emplace_back(std::move(f1), std::move(e1));
    return out;
}

std::vector<std::pair<std::string, ast::Expr>> values(std::string f1, ast::Expr e1, std::string f2,
                                                      ast::Expr e2) {
    auto out = values(std::move(f1), std::move(e1));
    out.emplace_back(std::move(f2), std::move(e2));
    return out;
}

ast::Rule make_rule(std::string name, std::vector<ast::Condition> conds, std::vector<ast::Action> acts) {
    ast::Rule r;
    r.name = ident(std::move(name));
    r.conditions = std::move(conds);
    r.actions = std::move(acts);
    return r;
}

/// A checked program over hand-built declarations, with the diagnostic messages.
struct Checked {
    std::shared_ptr<SourceSet> sources = std::make_shared<SourceSet>();
    Diagnostics diags{*sources};
    std::optional<Program> program;
    std::vector<std::string> messages() const {
        std::vector<std::string> out;
        for (const Diagnostic& d : diags.all()) out.push_back(d.message);
        return out;
    }
};

std::unique_ptr<Checked> run_check(std::vector<ast::Declaration> decls) {
    auto c = std::make_unique<Checked>();
    c->sources->add("hand.rules", "");
    std::vector<ast::File> files(1);
    files[0].declarations = std::move(decls);
    c->program = check(files, c->sources, c->diags);
    return c;
}

std::vector<ast::Declaration> person_templates() {
    std::vector<ast::Declaration> decls;
    decls.emplace_back(make_template(
        "person", {{"name", "symbol", {}}, {"age", "int", {}}, {"score", "float", Value(std::int64_t{0})}}));
    decls.emplace_back(make_template("pair", {{"a", "symbol", {}}, {"b", "symbol", sym("none")}}));
    return decls;
}

}  // namespace

TEST_CASE("edit distance counts an adjacent swap as one edit", "[suggest]") {
    CHECK(edit_distance("kind", "kind") == 0);
    CHECK(edit_distance("kidn", "kind") == 1);
    CHECK(edit_distance("ofer", "offer") == 1);
    CHECK(edit_distance("", "abc") == 3);
    CHECK(edit_distance("kitten", "sitting") == 3);
}

TEST_CASE("closest_name suggests only close names, earliest on ties", "[suggest]") {
    const std::vector<std::string_view> known{"offer", "order", "kind"};
    CHECK(closest_name("ofer", known) == std::optional<std::string_view>("offer"));
    CHECK(closest_name("oxder", known) == std::optional<std::string_view>("order"));
    CHECK(closest_name("offr", known) == std::optional<std::string_view>("offer"));
    // "orfer" is one edit from both "offer" and "order": declaration order decides.
    CHECK(closest_name("orfer", known) == std::optional<std::string_view>("offer"));
    CHECK_FALSE(closest_name("zebra", known));
    CHECK(did_you_mean("kidn", known) == "; did you mean 'kind'?");
    CHECK(did_you_mean("xyz", known).empty());
}

TEST_CASE("patterns bind on first use and compare on later uses, in source order", "[checker]") {
    auto decls = person_templates();
    std::vector<ast::Condition> conds;
    conds.push_back(
        pattern("person",
                {arg("name", {term(var("n"))}),
                 arg("age", {term(var("a")), compare(CompareOp::Ge, lit(Value(std::int64_t{18})))})},
                "p"));
    conds.push_back(pattern("pair", {arg("a", {term(var("n"))}), arg("b", {term(var("n"))})}));
    conds.push_back(negated(pattern(
        "person", {arg("name", {term(var("other"))}), arg("age", {compare(CompareOp::Gt, var("a"))})})));
    std::vector<ast::Action> acts;
    acts.push_back(
        assert_action("person", values("name", var_expr("n"), "age", lit_expr(Value(std::int64_t{3})))));
    decls.emplace_back(make_rule("r", std::move(conds), std::move(acts)));

    auto c = run_check(std::move(decls));
    INFO(Catch::Detail::stringify(c->messages()));
    REQUIRE(c->program);
    const Rule& rule = c->program->rules.at(0);
    REQUIRE(rule.variables.size() == 4);
    CHECK(rule.variables[0].name == "p");
    CHECK(rule.variables[0].is_fact);
    CHECK(rule.variables[1].name == "n");
    CHECK(rule.variables[2].name == "a");
    CHECK(rule.variables[3].name == "other");

    const Pattern& first = rule.conditions.at(0).pattern;
    CHECK(first.fact_var == std::optional<VarSlot>(0));
    REQUIRE(first.tests.size() == 3);
    CHECK(first.tests[0].kind == FieldTest::Kind::Bind);
    CHECK(first.tests[0].field == 0);
    CHECK(first.tests[0].slot == 1);
    CHECK(first.tests[1].kind == FieldTest::Kind::Bind);
    CHECK(first.tests[1].field == 1);
    CHECK(first.tests[2].kind == FieldTest::Kind::Compare);
    CHECK(first.tests[2].op == CompareOp::Ge);

    const Pattern& second = rule.conditions.at(1).pattern;
    CHECK(second.tmpl == 1);
    REQUIRE(second.tests.size() == 2);
    for (const FieldTest& t : second.tests) {
        CHECK(t.kind == FieldTest::Kind::Compare);
        CHECK(t.op == CompareOp::Eq);
        CHECK(boost::variant2::get<VarRef>(t.operands.at(0)).slot == 1);
    }

    const Condition& neg = rule.conditions.at(2);
    CHECK(neg.kind == Condition::Kind::Not);
    REQUIRE(neg.group.size() == 1);
    CHECK(neg.group[0].pattern.tests.at(0).kind == FieldTest::Kind::Bind);
    CHECK(neg.group[0].pattern.tests.at(1).kind == FieldTest::Kind::Compare);

    const Action& a = rule.actions.at(0);
    CHECK(a.kind == Action::Kind::Assert);
    REQUIRE(a.values.size() == 3);
    CHECK(a.values[0].kind == Expr::Kind::Variable);
    CHECK(a.values[0].var == 1);
    CHECK(a.values[1].kind == Expr::Kind::Literal);
    // The omitted float field takes its default, stored as a double.
    CHECK(a.values[2].kind == Expr::Kind::Literal);
    CHECK(boost::variant2::get<double>(a.values[2].literal) == 0.0);
}

TEST_CASE("a variable first bound inside not cannot be used after it", "[checker]") {
    auto decls = person_templates();
    std::vector<ast::Condition> conds;
    conds.push_back(negated(pattern("pair", {arg("a", {term(var("y"))})})));
    std::vector<ast::Action> acts;
    acts.push_back(assert_action("pair", values("a", var_expr("y"))));
    decls.emplace_back(make_rule("r", std::move(conds), std::move(acts)));
    auto c = run_check(std::move(decls));
    CHECK_FALSE(c->program);
    CHECK(c->messages() ==
          std::vector<std::string>{"variable ?y is bound only inside 'not' and cannot be used here"});
}

TEST_CASE("hand-built facts are checked and filled in", "[checker]") {
    auto decls = person_templates();
    ast::FactsBlock block;
    ast::Fact good;
    good.template_name = ident("person");
    good.args.push_back({ident("age"), lit(Value(std::int64_t{40})), {}});
    good.args.push_back({ident("name"), lit(sym("ann")), {}});
    block.facts.push_back(std::move(good));
    ast::Fact bad;
    bad.template_name = ident("persn");
    block.facts.push_back(std::move(bad));
    decls.emplace_back(std::move(block));
    auto c = run_check(std::move(decls));
    CHECK(c->messages() == std::vector<std::string>{"unknown template 'persn'; did you mean 'person'?"});
}

TEST_CASE("unknown field types are reported with a suggestion", "[checker]") {
    // The grammar only accepts the six type names, so this guards hand-built trees and
    // any future grammar that reads the type as a plain identifier.
    std::vector<ast::Declaration> decls;
    decls.emplace_back(make_template("t", {{"x", "strng", {}}, {"y", "number", Value(std::int64_t{1})}}));
    auto c = run_check(std::move(decls));
    CHECK_FALSE(c->program);
    CHECK(c->messages() ==
          std::vector<std::string>{
              "unknown field type 'strng'; did you mean 'string'? (field types: symbol string int "
              "float bool any)",
              "unknown field type 'number' (field types: symbol string int float bool any)"});
}

// ---- JSON facts ----

namespace {

/// Templates for the JSON cases, checked once; `read` adds a JSON file and reads it.
struct JsonFixture {
    std::shared_ptr<SourceSet> sources = std::make_shared<SourceSet>();
    Diagnostics diags{*sources};
    Program program;

    JsonFixture() {
        sources->add("t.rules", "");
        std::vector<ast::File> files(1);
        files[0].declarations.emplace_back(
            make_template("person", {{"name", "symbol", {}},
                                     {"nick", "string", Value(std::string("-"))},
                                     {"age", "int", Value(std::int64_t{0})},
                                     {"score", "float", Value(1.5)},
                                     {"ok", "bool", Value(false)},
                                     {"extra", "any", Value(std::int64_t{0})}}));
        auto p = check(files, sources, diags);
        REQUIRE(p);
        program = std::move(*p);
    }

    std::vector<InitialFact> read(std::string text, bool plain_first = true) {
        const FileId id = sources->add("in.json", std::move(text));
        return read_json_facts(program, sources->file(id), diags, plain_first);
    }

    /// "line:column: message" for each diagnostic.
    std::vector<std::string> where() const {
        std::vector<std::string> out;
        for (const Diagnostic& d : diags.all())
            out.push_back(std::to_string(d.location.line) + ":" + std::to_string(d.location.column) + ": " +
                          d.message);
        return out;
    }
};

}  // namespace

TEST_CASE("JSON facts become typed values with defaults filled in", "[json]") {
    JsonFixture fx;
    auto facts = fx.read(R"([
  {"template": "person", "slots": {"name": "ann", "nick": "A\u00e9\n", "age": 41, "score": 2,
                                   "ok": true, "extra": "x"}},
  {"template": "person", "slots": {"name": "bob", "extra": 2.5}},
  {"template": "person", "slots": {"name": "cy", "extra": 7, "score": -1e3}}
])");
    INFO(Catch::Detail::stringify(fx.where()));
    REQUIRE(fx.where().empty());
    REQUIRE(facts.size() == 3);
    const auto& a = facts[0].values;
    CHECK(same_value(a[0], sym("ann")));
    CHECK(same_value(a[1], Value(std::string("A\xC3\xA9\n"))));
    CHECK(same_value(a[2], Value(std::int64_t{41})));
    CHECK(same_value(a[3], Value(2.0)));  // an int in a float field is stored as a double
    CHECK(same_value(a[4], Value(true)));
    CHECK(same_value(a[5], Value(std::string("x"))));  // any: a JSON string is a string
    const auto& b = facts[1].values;
    CHECK(same_value(b[1], Value(std::string("-"))));
    CHECK(same_value(b[3], Value(1.5)));
    CHECK(same_value(b[5], Value(2.5)));
    CHECK(same_value(facts[2].values[5], Value(std::int64_t{7})));
    CHECK(same_value(facts[2].values[3], Value(-1000.0)));
}

TEST_CASE("JSON fact problems are reported at their element", "[json]") {
    struct Case {
        const char* json;
        std::vector<std::string> expected;
    };
    const std::vector<Case> cases{
        {"[\n  {\"template\": \"persn\", \"slots\": {}}\n]",
         {"2:16: unknown template 'persn'; did you mean 'person'?"}},
        {"[{\"template\": \"person\",\n  \"slots\": {\"name\": \"a\", \"aeg\": 3}}]",
         {"2:26: template 'person' has no field 'aeg'; did you mean 'age'?"}},
        {"[{\"template\": \"person\", \"slots\": {\"name\": \"a\", \"age\": \"thirty\"}}]",
         {"1:55: field 'age' of 'person' is int, but \"thirty\" is a string"}},
        {"[{\"template\": \"person\", \"slots\": {\"name\": \"a\", \"age\": 30.0}}]",
         {"1:55: field 'age' of 'person' is int, but 30.0 is a float"}},
        {"[{\"template\": \"person\", \"slots\": {\"name\": \"a\", \"age\": 9223372036854775808}}]",
         {"1:55: number 9223372036854775808 is out of the int64 range"}},
        {"[{\"template\": \"person\", \"slots\": {\"name\": \"a\", \"ok\": 1}}]",
         {"1:54: field 'ok' of 'person' is bool, but 1 is an int"}},
        {"[{\"template\": \"person\", \"slots\": {\"name\": \"a\", \"age\": null}}]",
         {"1:55: null is not a value; leave field 'age' out to take its default"}},
        {"[{\"template\": \"person\", \"slots\": {\"age\": 3}}]",
         {"1:15: fact 'person' is missing required field 'name'"}},
        {"[{\"template\": \"person\", \"slots\": {\"name\": \"a\", \"name\": \"b\"}}]",
         {"1:48: field 'name' is given twice"}},
        {"[{\"slots\": {}}]", {"1:2: fact object is missing \"template\""}},
        {"[{\"template\": 3}]", {"1:15: \"template\" must be a string naming a template"}},
        {"[{\"template\": \"person\", \"slots\": [1]}]",
         {"1:34: \"slots\" must be an object {FIELD: VALUE, ...}"}},
        {"[{\"template\": \"person\", \"slot\": {}}]",
         {"1:25: unexpected key \"slot\" in a fact; a fact has \"template\" and \"slots\""}},
        {"[42]", {"1:2: expected a fact object {\"template\": NAME, \"slots\": {...}}"}},
        {"{\"template\": \"person\"}", {"1:1: expected a JSON array of facts at the top level"}},
        {"", {"1:1: JSON syntax error: empty JSON input; expected an array of facts"}},
        {"[\n  {\"template\": \"person\",}\n]", {"2:25: JSON syntax error: expected a string key in object"}},
        {"[{\"template\": \"pers", {"1:20: JSON syntax error: unterminated string"}},
        {"[{\"template\": \"person\", \"slots\": {\"name\": \"a\"}}",
         {"1:48: JSON syntax error: expected ',' or ']' in array"}},
        {"[] x", {"1:4: JSON syntax error: unexpected text after the JSON array"}},
        {"[\"\\q\"]", {"1:3: JSON syntax error: invalid escape in string"}},
        {"[tru]", {"1:2: JSON syntax error: unexpected character in JSON; expected a value"}},
        // Two facts, two independent problems: both reported.
        {"[{\"template\": \"persn\"},\n {\"template\": \"person\", \"slots\": {\"name\": 1}}]",
         {"1:15: unknown template 'persn'; did you mean 'person'?",
          "2:43: field 'name' of 'person' is symbol, but 1 is an int"}},
    };
    for (const Case& c : cases) {
        JsonFixture fx;
        INFO(c.json);
        auto facts = fx.read(c.json);
        CHECK(fx.where() == c.expected);
        CHECK(facts.empty());
    }
}

TEST_CASE("JSON facts read straight into values are the facts read as JSON trees", "[json]") {
    // read_json_facts reads a fact written the usual way without building its tree and
    // falls back to the tree for anything else; both must give the same facts, ranges
    // and diagnostics, for facts that take either way and for each way out of the first.
    const std::vector<std::string> inputs{
        R"([{"template": "person", "slots": {"name": "ann", "nick": "A", "age": 41, "score": 2, "ok": true, "extra": "x"}}])",
        R"([ {"template":"person","slots":{"name":"b"}} , {"template": "person"} ,{"template": "person", "slots": {}}])",
        R"([{"template": "person", "slots": {"name": "a\u00e9", "nick": "tab\there"}}])",
        R"([{"template": "per\u0073on", "slots": {"name": "a"}}])",
        R"([{"slots": {"name": "a"}, "template": "person"}])",
        R"([{"template": "person", "slots": {"n\u0061me": "a"}}])",
        R"([{"template": "person", "slots": {"name": "a", "score": -0, "age": -0, "extra": 1e2}}])",
        R"([{"template": "person", "slots": {"name": "a", "score": 1e400}}])",
        R"([{"template": "person", "slots": {"name": "a", "age": 9223372036854775807, "extra": -9223372036854775808}}])",
        R"([{"template": "person", "slots": {"name": "a", "age": 9223372036854775808}}])",
        R"([{"template": "person", "slots": {"name": "a", "age": 1.0}}])",
        R"([{"template": "person", "slots": {"name": "a", "ok": false, "extra": true}}])",
        R"([{"template": "person", "slots": {"name": "a", "extra": [1]}}])",
        R"([{"template": "person", "slots": {"name": "a", "extra": null}}])",
        R"([{"template": "person", "slots": {"name": "a", "name": "b"}}])",
        R"([{"template": "person", "slots": {"nme": "a"}}])",
        R"([{"template": "persn", "slots": {"name": "a"}}])",
        R"([{"template": "person", "slots": {"age": 3}}])",
        R"([{"template": "person", "slots": {"name": "a"}, "extra": 1}])",
        R"([{"template": "person", "slots": {"name": 01}}])",
        R"([{"template": "person", "slots": {"name": "a", "age": -}}])",
        R"([{"template": "person", "slots": {"name": "a"}}, {"template": "person", "slots": {"name": "a\q"}}])",
        R"([{"template": "person", "slots": {"name": "a"})",
        "[{\"template\": \"person\", \"slots\": {\"name\": \"a\x01\"}}]",
        "[\r\n\t{\"template\"\t:\r\n\"person\" ,\"slots\" :{ \"name\" :\"a\" , \"age\" : 7 } }\r\n]",
        R"([{"template": "person", "slots": {"name": "ann"}}, 42, {"template": "person", "slots": {"name": "cy", "age": 5}}])",
    };
    for (const std::string& json : inputs) {
        INFO(json);
        JsonFixture plain;
        JsonFixture full;
        const std::vector<InitialFact> a = plain.read(json, true);
        const std::vector<InitialFact> b = full.read(json, false);
        CHECK(plain.where() == full.where());
        REQUIRE(a.size() == b.size());
        for (std::size_t i = 0; i < a.size(); ++i) {
            CHECK(a[i].tmpl == b[i].tmpl);
            CHECK(a[i].range.begin == b[i].range.begin);
            CHECK(a[i].range.end == b[i].range.end);
            REQUIRE(a[i].values.size() == b[i].values.size());
            for (std::size_t v = 0; v < a[i].values.size(); ++v) CHECK(same_value(a[i].values[v], b[i].values[v]));
        }
    }
}

TEST_CASE("deeply nested JSON gives a diagnostic, not a stack overflow", "[json]") {
    JsonFixture fx;
    std::string deep = "[" + std::string(100'000, '[') + std::string(100'000, ']') + "]";
    auto facts = fx.read(deep);
    CHECK(facts.empty());
    REQUIRE(fx.where().size() == 1);
    CHECK(fx.where()[0].find("JSON nested too deeply") != std::string::npos);
}
