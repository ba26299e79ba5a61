// Checker tables: rule text -> every diagnostic (line:column: message), and the shape of
// the checked program for accepted rule files.
#include "dsl/checker.hpp"
#include "dsl/parser.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace demarche;
using namespace demarche::dsl;

namespace {

// Three lines every case starts with; case text begins on line 4.
constexpr const char* prelude =
    "template person { name: symbol  age: int  score: float = 0 }\n"
    "template offer { kind: symbol  legally_binding: bool = false }\n"
    "template edge { from: symbol  to: symbol }\n";

std::string where(const SourceLocation& loc) {
    return std::to_string(loc.line) + ":" + std::to_string(loc.column);
}

struct Result {
    std::shared_ptr<SourceSet> sources = std::make_shared<SourceSet>();
    Diagnostics diags{*sources};
    std::optional<Program> program;
    bool parsed = false;

    /// "line:col: message" per error, followed by "  note line:col: message" per note.
    std::vector<std::string> lines(bool with_notes = false) const {
        std::vector<std::string> out;
        for (const Diagnostic& d : diags.all()) {
            out.push_back(where(d.location) + ": " + d.message);
            if (with_notes)
                for (const DiagnosticNote& n : d.notes)
                    out.push_back("  note " + where(n.location) + ": " + n.message);
        }
        return out;
    }
};

std::unique_ptr<Result> check_text(const std::string& text, bool with_prelude = true) {
    auto r = std::make_unique<Result>();
    const FileId id = r->sources->add("case.rules", (with_prelude ? prelude : "") + text);
    std::vector<ast::File> files;
    files.push_back(parse_rules(r->sources->file(id), r->diags));
    r->parsed = !r->diags.has_errors();
    r->program = check(files, r->sources, r->diags);
    return r;
}

struct Case {
    const char* text;
    std::vector<std::string> expected;
};

void run_cases(const std::vector<Case>& cases, bool with_notes = false) {
    for (const Case& c : cases) {
        INFO(c.text);
        auto r = check_text(c.text);
        REQUIRE(r->parsed);
        CHECK(r->lines(with_notes) == c.expected);
        CHECK(r->program.has_value() == c.expected.empty());
    }
}

}  // namespace

TEST_CASE("unknown templates and fields, with did-you-mean", "[checker]") {
    run_cases({
        {"facts { ofer(kind: a) }", {"4:9: unknown template 'ofer'; did you mean 'offer'?"}},
        {"facts { offer(kidn: a) }", {"4:15: template 'offer' has no field 'kidn'; did you mean 'kind'?"}},
        {"facts { zebra(kind: a) }", {"4:9: unknown template 'zebra'"}},
        // After an unknown template, neither its fields nor its variables cause more errors.
        {"rule r when ?o <- ofer(knd: ?k) then retract ?o print ?k end",
         {"4:19: unknown template 'ofer'; did you mean 'offer'?"}},
        {"rule r when person(nme: ?n) then print ?n end",
         {"4:20: template 'person' has no field 'nme'; did you mean 'name'?"}},
        {"rule r when person() then assert ofer(kind: a) end",
         {"4:34: unknown template 'ofer'; did you mean 'offer'?"}},
        {"rule r when person() then assert offer(knd: a) end",
         {"4:40: template 'offer' has no field 'knd'; did you mean 'kind'?"}},
        {"rule r when ?p <- person() then modify ?p(agee: 3) end",
         {"4:43: template 'person' has no field 'agee'; did you mean 'age'?"}},
    });
}

TEST_CASE("template declarations: field types, defaults, duplicates", "[checker]") {
    run_cases({
        {"template t { age: int = \"thirty\" }",
         {"4:25: field 'age' of 't' is int, but its default \"thirty\" is a string"}},
        {"template t { ok: bool = 1 }", {"4:25: field 'ok' of 't' is bool, but its default 1 is an int"}},
        {"template t { a: int  b: symbol  a: symbol }", {"4:33: duplicate field 'a' in template 't'"}},
    });
}

TEST_CASE("duplicate names, with a note at the first declaration", "[checker]") {
    run_cases(
        {
            {"template person { x: int }",
             {"4:10: duplicate template 'person'", "  note 1:10: first declared here"}},
            {"rule r when person() then halt end\nrule r when person() then halt end",
             {"5:6: duplicate rule 'r'", "  note 4:6: first declared here"}},
            {"query q(?n) when person(name: ?n) end\nquery q(?n) when person(name: ?n) end",
             {"5:7: duplicate query 'q'", "  note 4:7: first declared here"}},
        },
        true);
    // Templates, rules and queries have separate name spaces.
    auto r = check_text("rule person when person() then halt end\nquery person() when person() end");
    CHECK(r->lines().empty());
}

TEST_CASE("literal types must fit their field", "[checker]") {
    run_cases({
        {"facts { person(name: bob, age: \"thirty\") }",
         {"4:32: field 'age' of 'person' is int, but \"thirty\" is a string"}},
        {"facts { person(name: \"bob\", age: 3) }",
         {"4:22: field 'name' of 'person' is symbol, but \"bob\" is a string"}},
        {"facts { person(name: bob, age: 1.5) }",
         {"4:32: field 'age' of 'person' is int, but 1.5 is a float"}},
        {"rule r when person(age: > \"x\") then halt end",
         {"4:27: field 'age' of 'person' is int, but \"x\" is a string"}},
        {"rule r when person(age: ?a & < true) then halt end",
         {"4:32: field 'age' of 'person' is int, but true is a bool"}},
        {"rule r when person(name: in [a, 3, b]) then halt end",
         {"4:33: field 'name' of 'person' is symbol, but 3 is an int"}},
        {"rule r when person() then assert person(name: a, age: \"x\") end",
         {"4:55: field 'age' of 'person' is int, but \"x\" is a string"}},
        {"rule r when ?p <- person() then modify ?p(age: 2.5) end",
         {"4:48: field 'age' of 'person' is int, but 2.5 is a float"}},
    });
    run_cases({{"facts { person(name: bob, age: \"x\") }",
                {"4:32: field 'age' of 'person' is int, but \"x\" is a string",
                 "  note 1:33: field 'age' declared here"}}},
              true);
}

TEST_CASE("required fields, arity, named and positional arguments", "[checker]") {
    run_cases({
        {"facts { offer(legally_binding: true) }", {"4:9: fact 'offer' is missing required field 'kind'"}},
        {"facts { person() }",
         {"4:9: fact 'person' is missing required field 'name'",
          "4:9: fact 'person' is missing required field 'age'"}},
        {"rule r when person() then assert offer(legally_binding: true) end",
         {"4:34: asserted fact 'offer' is missing required field 'kind'"}},
        {"facts { edge(a, b, c) }", {"4:20: 'edge' has 2 fields, but 3 values were given"}},
        {"facts { edge(a) }", {"4:9: 'edge' has 2 fields, but 1 value was given"}},
        {"rule r when edge(a) then halt end", {"4:13: 'edge' has 2 fields, but 1 value was given"}},
        {"rule r when edge(a, b) then assert edge(a, b, c) end",
         {"4:47: 'edge' has 2 fields, but 3 values were given"}},
        {"facts { edge(from: a, b) }", {"4:23: cannot mix named and positional arguments"}},
        {"facts { edge(a, to: b) }", {"4:17: cannot mix named and positional arguments"}},
        {"rule r when edge(from: ?x, ?y) then halt end", {"4:28: cannot mix named and positional arguments"}},
        {"facts { edge(from: a, from: b, to: c) }", {"4:23: field 'from' is given twice"}},
        {"rule r when ?e <- edge() then modify ?e(to: a, to: b) end", {"4:48: field 'to' is given twice"}},
        {"rule r when ?e <- edge() then modify ?e(a) end",
         {"4:41: modify takes named fields ('field: value')"}},
    });
}

TEST_CASE("variables must be bound by a positive pattern before use", "[checker]") {
    run_cases({
        {"rule r when where ?x > 1  person(age: ?x) then halt end",
         {"4:19: variable ?x is used before it is bound"}},
        {"rule r when person(age: > ?x) then halt end", {"4:27: variable ?x is used before it is bound"}},
        {"rule r when person(name: in [a, ?x]) then halt end",
         {"4:33: variable ?x is used before it is bound"}},
        {"rule r when person() then print ?x end", {"4:33: variable ?x is used before it is bound"}},
        // One report per name, however often it is misused.
        {"rule r when person() then print ?x, ?x end", {"4:33: variable ?x is used before it is bound"}},
        {"rule r when not person(name: ?y) then print ?y end",
         {"4:45: variable ?y is bound only inside 'not' and cannot be used here"}},
        {"rule r when exists { person(name: ?y) } where ?y == a then halt end",
         {"4:47: variable ?y is bound only inside 'exists' and cannot be used here"}},
        {"rule r when not { person(name: ?y) } person(age: > ?y) then halt end",
         {"4:52: variable ?y is bound only inside 'not' and cannot be used here"}},
        {"query q(?n, ?m) when person(name: ?n) end",
         {"4:13: query parameter ?m is not bound by any pattern of the query"}},
        {"query q(?n) when not person(name: ?n) end",
         {"4:9: query parameter ?n is not bound by any pattern of the query"}},
        {"query q(?n, ?n) when person(name: ?n) end", {"4:13: parameter ?n is given twice"}},
    });
    run_cases({{"rule r when not person(name: ?y) then print ?y end",
                {"4:45: variable ?y is bound only inside 'not' and cannot be used here",
                 "  note 4:30: bound here"}}},
              true);
}

TEST_CASE("retract and modify need a fact variable", "[checker]") {
    run_cases({
        {"rule r when person() then retract ?p end",
         {"4:35: variable ?p is not bound to a fact (bind one with '?p <- template(...)')"}},
        {"rule r when person(name: ?n) then retract ?n end",
         {"4:43: variable ?n is bound to a field value, not to a fact"}},
        {"rule r when not ?p <- person() then retract ?p end",
         {"4:45: variable ?p is bound only inside 'not' and cannot be used here"}},
        {"rule r when person() then modify ?p(age: 1) end",
         {"4:34: variable ?p is not bound to a fact (bind one with '?p <- template(...)')"}},
        {"rule r when ?p <- person() then print ?p end",
         {"4:39: variable ?p is bound to a fact and cannot be used as a value"}},
        {"rule r when ?p <- person()  edge(from: ?p) then halt end",
         {"4:40: variable ?p is bound to a fact and cannot be used as a value"}},
        {"rule r when ?p <- person()  person(age: > ?p) then halt end",
         {"4:43: variable ?p is bound to a fact and cannot be used as a value"}},
        {"rule r when ?p <- person()  ?p <- edge() then halt end", {"4:29: variable ?p is already bound"}},
        {"rule r when person(name: ?p)  ?p <- edge() then halt end", {"4:31: variable ?p is already bound"}},
    });
}

TEST_CASE("functions: known names and argument counts", "[checker]") {
    run_cases({
        {"rule r when person(age: ?a) where mx(?a, 1) > 2 then halt end",
         {"4:35: unknown function 'mx'; did you mean 'max'?"}},
        {"rule r when person(age: ?a) then print foo(?a) end", {"4:40: unknown function 'foo'"}},
        {"rule r when person(age: ?a) then print abs(?a, 1) end",
         {"4:40: 'abs' takes 1 argument, but 2 were given"}},
        {"rule r when person(age: ?a) then print len() end",
         {"4:40: 'len' takes 1 argument, but 0 were given"}},
        {"rule r when person(age: ?a) then print min() end",
         {"4:40: 'min' takes at least 1 argument, but 0 were given"}},
        {"rule r when person(age: ?a) then print max() end",
         {"4:40: 'max' takes at least 1 argument, but 0 were given"}},
        {"rule r when person(age: ?a) then print str(), str(?a, 1, \"x\"), min(?a), max(1, 2, ?a) end", {}},
    });
}

TEST_CASE("every error in a file is reported", "[checker]") {
    auto r = check_text(
        "facts { ofer(kind: a)  edge(a) }\n"
        "rule r1 when person(nme: ?n) then print ?z end\n"
        "rule r1 when edge(from: ?a) then retract ?a end\n");
    CHECK(r->lines() == std::vector<std::string>{
                            "4:9: unknown template 'ofer'; did you mean 'offer'?",
                            "4:24: 'edge' has 2 fields, but 1 value was given",
                            "5:21: template 'person' has no field 'nme'; did you mean 'name'?",
                            "5:41: variable ?z is used before it is bound",
                            "6:6: duplicate rule 'r1'",
                            "6:42: variable ?a is bound to a field value, not to a fact",
                        });
}

TEST_CASE("an accepted program has ids, field indexes and defaults resolved", "[checker]") {
    auto r = check_text(
        "template offer {\n"
        "  kind: symbol\n"
        "  legally_binding: bool = false\n"
        "  unilateral: bool = false\n"
        "  weight: float = 1\n"
        "}\n"
        "template edge { from: symbol  to: symbol }\n"
        "template legal_instrument { holder: symbol  against: symbol }\n"
        "facts scenario {\n"
        "  offer(kind: peace_treaty, legally_binding: true, unilateral: true)\n"
        "  edge(a, b)\n"
        "}\n"
        "rule treaty \"A description.\" salience 10 source \"C9\"\n"
        "when\n"
        "  ?o <- offer(kind: peace_treaty, legally_binding: true, weight: ?w & > 0.5)\n"
        "  edge(from: ?x, to: ?y & != ?x)\n"
        "  not edge(from: ?y, to: ?x)\n"
        "  exists { edge(from: ?x, to: ?z)  edge(from: ?z, to: ?y) }\n"
        "  where ?w * 2 >= 1\n"
        "then\n"
        "  assert logical legal_instrument(holder: ?x, against: ?y)\n"
        "  modify ?o(weight: 3)\n"
        "  print \"done \", str(?w)\n"
        "end\n"
        "rule second when edge(?a, ?b) then assert edge(?b, ?a) end\n"
        "query instruments(?holder) when legal_instrument(holder: ?holder) end\n",
        false);
    INFO(Catch::Detail::stringify(r->lines()));
    REQUIRE(r->program);
    const Program& p = *r->program;
    CHECK(p.sources == r->sources);
    CHECK(p.template_ids.at("offer") == 0);
    CHECK(p.template_ids.at("legal_instrument") == 2);
    CHECK(p.rule_ids.at("treaty") == 0);
    CHECK(p.rule_ids.at("second") == 1);
    CHECK(p.query_ids.at("instruments") == 0);
    CHECK(same_value(*p.templates[0].fields[3].default_value, Value(1.0)));

    REQUIRE(p.initial_facts.size() == 2);
    CHECK(p.initial_facts[0].tmpl == 0);
    REQUIRE(p.initial_facts[0].values.size() == 4);
    CHECK(same_value(p.initial_facts[0].values[2], Value(true)));
    CHECK(same_value(p.initial_facts[0].values[3], Value(1.0)));
    CHECK(same_value(p.initial_facts[1].values[1], Value(Symbol::intern("b"))));

    const Rule& rule = p.rules[0];
    CHECK(rule.id == 0);
    CHECK(rule.description == "A description.");
    CHECK(rule.salience == 10);
    CHECK(rule.source == "C9");
    std::vector<std::string> names;
    for (const VariableInfo& v : rule.variables) names.push_back(v.name);
    CHECK(names == std::vector<std::string>{"o", "w", "x", "y", "z"});
    CHECK(rule.variables[0].is_fact);
    CHECK_FALSE(rule.variables[1].is_fact);

    REQUIRE(rule.conditions.size() == 5);
    const Pattern& o = rule.conditions[0].pattern;
    CHECK(o.fact_var == std::optional<VarSlot>(0));
    REQUIRE(o.tests.size() == 4);
    CHECK(o.tests[2].kind == FieldTest::Kind::Bind);
    CHECK(o.tests[2].field == 3);
    CHECK(o.tests[2].slot == 1);
    CHECK(o.tests[3].kind == FieldTest::Kind::Compare);
    CHECK(o.tests[3].op == CompareOp::Gt);

    // `to: ?y & != ?x`: bind ?y, then compare with ?x (a later use in the same pattern).
    const Pattern& e = rule.conditions[1].pattern;
    REQUIRE(e.tests.size() == 3);
    CHECK(e.tests[0].kind == FieldTest::Kind::Bind);
    CHECK(e.tests[1].kind == FieldTest::Kind::Bind);
    CHECK(e.tests[1].field == 1);
    CHECK(e.tests[2].kind == FieldTest::Kind::Compare);
    CHECK(e.tests[2].op == CompareOp::Ne);
    CHECK(boost::variant2::get<VarRef>(e.tests[2].operands[0]).slot == 2);

    const Condition& n = rule.conditions[2];
    CHECK(n.kind == Condition::Kind::Not);
    REQUIRE(n.group.size() == 1);  // a single pattern is a group of one
    CHECK(n.group[0].pattern.tests[0].kind == FieldTest::Kind::Compare);

    const Condition& x = rule.conditions[3];
    CHECK(x.kind == Condition::Kind::Exists);
    REQUIRE(x.group.size() == 2);
    CHECK(x.group[0].pattern.tests[1].kind == FieldTest::Kind::Bind);     // ?z first use
    CHECK(x.group[1].pattern.tests[0].kind == FieldTest::Kind::Compare);  // ?z again, same group
    CHECK(rule.conditions[4].kind == Condition::Kind::Where);

    REQUIRE(rule.actions.size() == 3);
    CHECK(rule.actions[0].kind == Action::Kind::Assert);
    CHECK(rule.actions[0].logical);
    CHECK(rule.actions[0].tmpl == 2);
    CHECK(rule.actions[1].kind == Action::Kind::Modify);
    CHECK(rule.actions[1].target == 0);
    CHECK(rule.actions[1].tmpl == 0);
    REQUIRE(rule.actions[1].changes.size() == 1);
    CHECK(rule.actions[1].changes[0].first == 3);
    // An int written for a float field is stored as a double.
    CHECK(same_value(rule.actions[1].changes[0].second.literal, Value(3.0)));
    CHECK(rule.actions[2].kind == Action::Kind::Print);
    CHECK(rule.actions[2].values.size() == 2);
    CHECK(rule.actions[2].values[1].kind == Expr::Kind::Call);
    CHECK(rule.actions[2].values[1].builtin == Builtin::Str);

    const Rule& second = p.rules[1];
    REQUIRE(second.actions[0].values.size() == 2);
    CHECK(second.actions[0].values[0].var == 1);
    CHECK(second.actions[0].values[1].var == 0);

    const Query& q = p.queries[0];
    CHECK(q.params == std::vector<VarSlot>{0});
    CHECK(q.conditions[0].pattern.tests[0].kind == FieldTest::Kind::Bind);
}

TEST_CASE("accepted programs report nothing", "[checker]") {
    const std::vector<const char*> accepted{
        // Variables bound earlier are visible inside not/exists.
        "rule r when person(name: ?n) not { person(name: ?n, age: ?a) where ?a > 3 } then print ?n end",
        // Sibling groups may each bind the same name for themselves.
        "rule r when person(name: ?n) not edge(from: ?x, to: ?n) exists edge(from: ?n, to: ?x) then halt end",
        "rule r when ?p <- person(age: ?a) then modify ?p(age: ?a + 1, score: 2) retract ?p end",
        "rule r when person(score: 1 & ?s) then assert person(name: x, age: 2, score: ?s) end",
        "rule r when edge(?a, ?b) edge(?b, ?a) then assert edge(from: ?a, to: ?a) halt end",
        "rule r when person(name: in [a, b] & ?n, age: >= 18 & < 65) "
        "  person(name: != ?n & in [c, ?n]) then halt end",
        "template anything { v: any }\n"
        "facts { anything(1) anything(\"s\") anything(x) anything(2.5) anything(true) }",
        "facts { person(name: a, age: 1, score: 2) }",
        "query all() when person() end",
    };
    for (const char* text : accepted) {
        INFO(text);
        auto r = check_text(text);
        CHECK(r->lines().empty());
        CHECK(r->program);
    }
}

TEST_CASE("check_facts checks .facts file facts the same way", "[checker]") {
    auto r = check_text("");
    REQUIRE(r->program);
    const FileId id = r->sources->add("input.facts",
                                      "person(name: a, age: 3)\nofer(kind: x)\nedge(a, b, c)\n"
                                      "person(name: b, age: 4, score: 1)\n");
    std::vector<ast::Fact> facts = parse_facts(r->sources->file(id), r->diags);
    REQUIRE_FALSE(r->diags.has_errors());
    std::vector<InitialFact> checked = check_facts(*r->program, facts, r->diags);
    CHECK(r->lines() == std::vector<std::string>{
                            "2:1: unknown template 'ofer'; did you mean 'offer'?",
                            "3:12: 'edge' has 2 fields, but 3 values were given",
                        });
    REQUIRE(checked.size() == 2);
    CHECK(same_value(checked[0].values[2], Value(0.0)));
    CHECK(same_value(checked[1].values[2], Value(1.0)));
}

TEST_CASE("a later use inside the same pattern compares with the first", "[checker]") {
    auto r = check_text("rule loop when edge(from: ?q, to: ?q & != ?q) then halt end");
    REQUIRE(r->program);
    const Pattern& p = r->program->rules[0].conditions[0].pattern;
    REQUIRE(p.tests.size() == 3);
    CHECK(p.tests[0].kind == FieldTest::Kind::Bind);
    CHECK(p.tests[0].field == 0);
    CHECK(p.tests[1].kind == FieldTest::Kind::Compare);
    CHECK(p.tests[1].field == 1);
    CHECK(p.tests[1].op == CompareOp::Eq);
    CHECK(boost::variant2::get<VarRef>(p.tests[1].operands[0]).slot == 0);
    CHECK(p.tests[2].op == CompareOp::Ne);
    // A query's parameters take the first slots; a positive pattern binds them.
    auto q = check_text("query between(?to, ?from) when edge(from: ?from, to: ?to) end");
    REQUIRE(q->program);
    CHECK(q->program->queries[0].params == std::vector<VarSlot>{0, 1});
    const Pattern& qp = q->program->queries[0].conditions[0].pattern;
    CHECK(qp.tests[0].kind == FieldTest::Kind::Bind);
    CHECK(qp.tests[0].slot == 1);
}
