// The C API: statuses and messages, ownership of returned data, JSON results, and the
// facts-from-values and in-memory fact additions of the C++ API it is built on.
#include "c_api_support.hpp"

#include <demarche/demarche.h>
#include <demarche/demarche.hpp>

#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

namespace {

using demarche::test::Handles;
using demarche::test::Text;

const char* rules = R"(
template item { name: symbol  price: int  weight: float = 1.0 }
template cheap { name: symbol }
rule find_cheap when item(name: ?n, price: ?p) where ?p < 10 then
  assert cheap(name: ?n)
  print "cheap: ", ?n
end
rule divide when item(name: broken, price: ?p) then print 100 / ?p end
query cheap_items() when cheap(name: ?n) end
query priced(?p) when item(name: ?n, price: ?p) end
)";

}  // namespace

TEST_CASE("C API: compile, load facts, run, read output, facts and queries", "[api][c]") {
    Handles h;
    REQUIRE(demarche_compile_string(rules, "shop.rules", &h.program, &h.diags) == DEMARCHE_OK);
    CHECK(demarche_diagnostics_count(h.diags) == 0);
    REQUIRE(demarche_parse_facts(h.program, "item(name: pen, price: 3)\nitem(name: desk, price: 120)\n",
                                 "shop.facts", &h.facts, nullptr) == DEMARCHE_OK);
    CHECK(demarche_facts_count(h.facts) == 2);
    REQUIRE(demarche_session_new(h.program, h.facts, &h.session) == DEMARCHE_OK);
    // The session keeps the program and facts alive on its own.
    demarche_facts_free(h.facts);
    h.facts = nullptr;
    demarche_program_free(h.program);
    h.program = nullptr;

    CHECK(demarche_session_output_count(h.session) == 0);
    demarche_run_result r{};
    REQUIRE(demarche_session_run(h.session, "breadth", -1, &r) == DEMARCHE_OK);
    CHECK(r.fired == 1);
    CHECK(r.complete == 1);
    CHECK(r.halted == 0);
    REQUIRE(demarche_session_output_count(h.session) == 1);
    CHECK(std::string(demarche_session_output_line(h.session, 0)) == "cheap: pen");
    CHECK(demarche_session_output_line(h.session, 1) == nullptr);

    Text facts;
    REQUIRE(demarche_session_facts_json(h.session, &facts.p) == DEMARCHE_OK);
    CHECK(facts.str() ==
          R"([{"id":1,"template":"item","slots":{"name":"pen","price":3,"weight":1.0},"derived":false},)"
          R"({"id":2,"template":"item","slots":{"name":"desk","price":120,"weight":1.0},"derived":false},)"
          R"({"id":3,"template":"cheap","slots":{"name":"pen"},"derived":true}])");

    Text answers;
    REQUIRE(demarche_session_query_json(h.session, "cheap_items", nullptr, 0, &answers.p) == DEMARCHE_OK);
    CHECK(answers.str() == R"({"query":"cheap_items","variables":["n"],"answers":[{"n":"pen"}],"count":1})");

    const char* args[] = {"120"};
    Text priced;
    REQUIRE(demarche_session_query_json(h.session, "priced", args, 1, &priced.p) == DEMARCHE_OK);
    CHECK(priced.str() == R"({"query":"priced","variables":["p","n"],"answers":[{"p":120,"n":"desk"}],"count":1})");

    Text result;
    REQUIRE(demarche_session_result_json(h.session, &result.p) == DEMARCHE_OK);
    CHECK(result.str() == R"({"fired":1,"halted":false,"complete":true,"output":["cheap: pen"],"error":null})");

    SECTION("a second run fires only what is new, and reports only itself") {
        CHECK(demarche_session_run(h.session, nullptr, -1, &r) == DEMARCHE_OK);
        CHECK(r.fired == 0);
        CHECK(r.complete == 1);
        CHECK(demarche_session_output_count(h.session) == 0);
    }
    SECTION("query errors are statuses with a message and no output") {
        Text none;
        none.p = reinterpret_cast<char*>(&r);  // must be overwritten with NULL
        CHECK(demarche_session_query_json(h.session, "nope", nullptr, 0, &none.p) == DEMARCHE_ERROR_QUERY);
        CHECK(none.p == nullptr);
        CHECK(std::string(demarche_last_error()) == "unknown query 'nope'");
        const char* bad[] = {"cheap"};
        CHECK(demarche_session_query_json(h.session, "priced", bad, 1, &none.p) == DEMARCHE_ERROR_QUERY);
        CHECK(std::string(demarche_last_error()).find("not an int") != std::string::npos);
    }
}

TEST_CASE("C API: compile errors come back as diagnostics", "[api][c]") {
    Handles h;
    CHECK(demarche_compile_string("template t { x: int }\nrule r when u() then halt end\n", "bad.rules",
                                  &h.program, &h.diags) == DEMARCHE_ERROR_COMPILE);
    CHECK(h.program == nullptr);
    REQUIRE(demarche_diagnostics_error_count(h.diags) == 1);
    CHECK(std::string(demarche_last_error()).find("bad.rules:2:") != std::string::npos);
    Text text, json;
    text.p = demarche_diagnostics_text(h.diags);
    json.p = demarche_diagnostics_json(h.diags);
    CHECK(text.str().rfind("bad.rules:2:", 0) == 0);
    CHECK(text.str().find("unknown template 'u'") != std::string::npos);
    CHECK(json.str().rfind("[{", 0) == 0);
    CHECK(json.str().find("\"line\":2") != std::string::npos);

    demarche_program* program = nullptr;
    const char* missing[] = {"/nonexistent/demarche/x.rules"};
    CHECK(demarche_compile_paths(missing, 1, &program, nullptr) == DEMARCHE_ERROR_COMPILE);
    CHECK(program == nullptr);
    CHECK(std::string(demarche_last_error()).find("x.rules") != std::string::npos);
}

TEST_CASE("C API: bad arguments are refused without crashing", "[api][c]") {
    Handles h;
    CHECK(demarche_compile_string(nullptr, nullptr, &h.program, nullptr) == DEMARCHE_ERROR_INVALID_ARGUMENT);
    CHECK(demarche_compile_string("template t { x: int }", nullptr, nullptr, nullptr) ==
          DEMARCHE_ERROR_INVALID_ARGUMENT);
    CHECK(demarche_compile_string("# \xff\xfe\n", nullptr, &h.program, nullptr) == DEMARCHE_ERROR_INVALID_ARGUMENT);
    CHECK(std::string(demarche_last_error()) == "the rule text is not valid UTF-8");
    CHECK(demarche_compile_string("# \xc0\xaf overlong\n", nullptr, &h.program, nullptr) ==
          DEMARCHE_ERROR_INVALID_ARGUMENT);
    CHECK(demarche_session_new(nullptr, nullptr, &h.session) == DEMARCHE_ERROR_INVALID_ARGUMENT);
    CHECK(demarche_session_run(nullptr, nullptr, -1, nullptr) == DEMARCHE_ERROR_INVALID_ARGUMENT);
    CHECK(demarche_diagnostics_text(nullptr) == nullptr);
    CHECK(demarche_diagnostics_count(nullptr) == 0);

    REQUIRE(demarche_compile_string(rules, nullptr, &h.program, nullptr) == DEMARCHE_OK);
    REQUIRE(demarche_session_new(h.program, nullptr, &h.session) == DEMARCHE_OK);
    CHECK(demarche_session_run(h.session, "sideways", -1, nullptr) == DEMARCHE_ERROR_INVALID_ARGUMENT);
    CHECK(std::string(demarche_last_error()).find("unknown strategy 'sideways'") != std::string::npos);

    // Facts with errors give no handle; facts of another program are refused.
    CHECK(demarche_parse_facts(h.program, "item(name: pen)\n", "f.facts", &h.facts, &h.diags) ==
          DEMARCHE_ERROR_COMPILE);
    CHECK(h.facts == nullptr);
    CHECK(demarche_diagnostics_error_count(h.diags) == 1);
    demarche_program* other = nullptr;
    REQUIRE(demarche_compile_string(rules, nullptr, &other, nullptr) == DEMARCHE_OK);
    REQUIRE(demarche_parse_facts(other, "item(name: pen, price: 1)", nullptr, &h.facts, nullptr) == DEMARCHE_OK);
    demarche_session* s = nullptr;
    CHECK(demarche_session_new(h.program, h.facts, &s) == DEMARCHE_ERROR_INVALID_ARGUMENT);
    CHECK(s == nullptr);
    demarche_program_free(other);
}

TEST_CASE("C API: a runtime error stops the run with its diagnostic", "[api][c]") {
    Handles h;
    REQUIRE(demarche_compile_string(rules, "shop.rules", &h.program, nullptr) == DEMARCHE_OK);
    REQUIRE(demarche_parse_facts(h.program, "item(name: broken, price: 0)", nullptr, &h.facts, nullptr) ==
            DEMARCHE_OK);
    REQUIRE(demarche_session_new(h.program, h.facts, &h.session) == DEMARCHE_OK);
    demarche_run_result r{};
    CHECK(demarche_session_run(h.session, nullptr, 5, &r) == DEMARCHE_ERROR_RUNTIME);
    CHECK(r.complete == 0);
    std::string message = demarche_last_error();
    CHECK(message.find("shop.rules:8:") != std::string::npos);
    CHECK(message.find("rule 'divide'") != std::string::npos);
    Text result;
    REQUIRE(demarche_session_result_json(h.session, &result.p) == DEMARCHE_OK);
    CHECK(result.str().find(R"("complete":false)") != std::string::npos);
    CHECK(result.str().find(R"("error":{)") != std::string::npos);
}

TEST_CASE("C API: the fire limit leaves the run incomplete", "[api][c]") {
    Handles h;
    REQUIRE(demarche_compile_string(rules, nullptr, &h.program, nullptr) == DEMARCHE_OK);
    REQUIRE(demarche_parse_facts(h.program, "item(name: a, price: 1)\nitem(name: b, price: 2)", nullptr, &h.facts,
                                 nullptr) == DEMARCHE_OK);
    REQUIRE(demarche_session_new(h.program, h.facts, &h.session) == DEMARCHE_OK);
    demarche_run_result r{};
    CHECK(demarche_session_run(h.session, "depth", 1, &r) == DEMARCHE_OK);
    CHECK(r.fired == 1);
    CHECK(r.complete == 0);
    // Depth: the newest activation (item b) fires first.
    CHECK(std::string(demarche_session_output_line(h.session, 0)) == "cheap: b");
}

TEST_CASE("make_facts checks C++ values against the templates", "[api][facts]") {
    demarche::CompileResult c = demarche::compile_string(rules);
    REQUIRE(c.ok());
    using demarche::Symbol;
    demarche::FactsResult ok = demarche::make_facts(
        c.program, {{"item", {{"price", std::int64_t{4}}, {"name", Symbol::intern("pen")}, {"weight", std::int64_t{2}}}}});
    REQUIRE(ok.ok());
    CHECK(demarche::fact_count(*ok.facts) == 1);

    // Appended to a base set: file facts first, then these.
    demarche::FactsResult base = demarche::parse_facts(c.program, "item(name: cup, price: 2)");
    REQUIRE(base.ok());
    demarche::FactsResult both = demarche::make_facts(c.program, {{"item", {{"name", Symbol::intern("pen")},
                                                                           {"price", std::int64_t{5}}}}},
                                                      base.facts);
    REQUIRE(both.ok());
    demarche::Session session(c.program, both.facts);
    demarche::RunResult r = session.run();
    CHECK(r.output == std::vector<std::string>{"cheap: pen", "cheap: cup"});
    std::vector<demarche::FactInfo> facts = session.facts();
    REQUIRE(facts.size() == 4);
    CHECK(demarche::format_fact(facts[0]) == "item(name: cup, price: 2, weight: 1.0)");
    CHECK(demarche::format_fact(facts[1]) == "item(name: pen, price: 5, weight: 1.0)");

    demarche::FactsResult bad = demarche::make_facts(
        c.program, {{"itme", {}},
                    {"item", {{"name", std::string("pen")}, {"colour", true}}},
                    {"item", {{"name", Symbol::intern("a")}, {"name", Symbol::intern("b")}, {"price", std::int64_t{1}}}}});
    CHECK_FALSE(bad.ok());
    std::vector<std::string> messages;
    for (const demarche::Diagnostic& d : bad.diagnostics) messages.push_back(d.message);
    CHECK(messages == std::vector<std::string>{
                          "fact 1: unknown template 'itme'",
                          "fact 2: field 'name' of 'item' is symbol, got string",
                          "fact 2: template 'item' has no field 'colour'",
                          "fact 2: field 'price' of 'item' has no default and must be given",
                          "fact 3: field 'name' is given twice",
                      });
}

namespace {

void record(void* user_data, const char* kind, const char* text) {
    static_cast<std::vector<std::string>*>(user_data)->push_back(std::string(kind) + " " + text);
}

}  // namespace

TEST_CASE("C API: the event callback sees the run as it happens", "[api][c]") {
    Handles h;
    REQUIRE(demarche_compile_string(rules, nullptr, &h.program, nullptr) == DEMARCHE_OK);
    REQUIRE(demarche_parse_facts(h.program, "item(name: pen, price: 3)", nullptr, &h.facts, nullptr) == DEMARCHE_OK);
    REQUIRE(demarche_session_new(h.program, h.facts, &h.session) == DEMARCHE_OK);
    std::vector<std::string> events;
    REQUIRE(demarche_session_set_event_callback(h.session, record, &events) == DEMARCHE_OK);
    REQUIRE(demarche_session_run(h.session, nullptr, -1, nullptr) == DEMARCHE_OK);
    CHECK(events == std::vector<std::string>{
                        "assert f-1 item(name: pen, price: 3, weight: 1.0)",
                        "activate find_cheap: f-1",
                        "fire 1 find_cheap: f-1",
                        "assert f-2 cheap(name: pen)",
                        "print cheap: pen",
                    });
    CHECK(demarche_session_set_event_callback(nullptr, record, nullptr) == DEMARCHE_ERROR_INVALID_ARGUMENT);
}
