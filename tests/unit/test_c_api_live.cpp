// The C API of a live session: facts changed as JSON between runs, user functions with
// C callbacks, and explanations from a recorded session.
#include "c_api_support.hpp"

#include <demarche/demarche.h>

#include <catch2/catch.hpp>

#include <cstring>
#include <string>
#include <vector>

namespace {

using demarche::test::Handles;
using demarche::test::Text;

const char* rules = R"(
template item { name: symbol  price: int  weight: float = 1.0  note: string = "" }
template cheap { name: symbol }
rule find_cheap when item(name: ?n, price: ?p) where ?p < 10 then
  assert logical cheap(name: ?n)
  print "cheap: ", ?n
end
)";

std::string facts_of(const demarche_session* s) {
    Text t;
    REQUIRE(demarche_session_facts_json(s, &t.p) == DEMARCHE_OK);
    return t.str();
}

// discount(price: int, percent: float) -> float; fails for a negative percent.
void discount(void*, const demarche_value* args, size_t count, demarche_result* result) {
    if (count != 2 || args[0].type != DEMARCHE_TYPE_INT || args[1].type != DEMARCHE_TYPE_FLOAT) {
        demarche_result_error(result, "unexpected arguments");
        return;
    }
    if (args[1].float_value < 0) {
        demarche_result_error(result, "negative percent");
        return;
    }
    demarche_result_float(result, static_cast<double>(args[0].int_value) * (1.0 - args[1].float_value / 100.0));
}

// label(name: symbol) -> string, counting its calls in user_data.
void label(void* user_data, const demarche_value* args, size_t, demarche_result* result) {
    ++*static_cast<int*>(user_data);
    std::string text = std::string("<") + args[0].text + ">";
    demarche_result_string(result, text.c_str());
}

void no_result(void*, const demarche_value*, size_t, demarche_result*) {}

}  // namespace

TEST_CASE("C API: assert, retract and modify as JSON between runs", "[api][c][session]") {
    Handles h;
    REQUIRE(demarche_compile_string(rules, "shop.rules", &h.program, nullptr) == DEMARCHE_OK);
    REQUIRE(demarche_session_new(h.program, nullptr, &h.session) == DEMARCHE_OK);

    uint64_t id = 99;
    REQUIRE(demarche_session_assert_json(h.session, R"({"template": "item", "slots": {"name": "pen", "price": 3}})",
                                         &id) == DEMARCHE_OK);
    CHECK(id == 1);
    demarche_run_result r{};
    REQUIRE(demarche_session_run(h.session, nullptr, -1, &r) == DEMARCHE_OK);
    CHECK(r.fired == 1);
    REQUIRE(demarche_session_output_count(h.session) == 1);
    CHECK(std::string(demarche_session_output_line(h.session, 0)) == "cheap: pen");

    // The same fact again: nothing new, its id comes back.
    REQUIRE(demarche_session_assert_json(
                h.session, R"({"template": "item", "slots": {"price": 3, "name": "pen", "weight": 1}})", &id) ==
            DEMARCHE_OK);
    CHECK(id == 1);

    uint64_t made = 0;
    REQUIRE(demarche_session_modify_json(h.session, 1, R"({"price": 30, "note": "dearer"})", &made) == DEMARCHE_OK);
    CHECK(made == 3);
    CHECK(facts_of(h.session) ==
          R"([{"id":3,"template":"item","slots":{"name":"pen","price":30,"weight":1.0,"note":"dearer"},"derived":false}])");
    REQUIRE(demarche_session_run(h.session, "breadth", -1, &r) == DEMARCHE_OK);
    CHECK(r.fired == 0);
    CHECK(demarche_session_output_count(h.session) == 0);

    REQUIRE(demarche_session_retract(h.session, 3) == DEMARCHE_OK);
    CHECK(facts_of(h.session) == "[]");

    SECTION("bad facts and ids are fact errors with a message, and change nothing") {
        CHECK(demarche_session_assert_json(h.session, R"({"template": "iten", "slots": {}})", &id) == DEMARCHE_ERROR_FACT);
        CHECK(id == 0);
        CHECK(std::string(demarche_last_error()) == "unknown template 'iten'; did you mean 'item'?");
        CHECK(demarche_session_assert_json(h.session, R"({"template": "item", "slots": {"name": "x", "price": "3"}})",
                                           &id) == DEMARCHE_ERROR_FACT);
        CHECK(std::string(demarche_last_error()) == "field 'price' of 'item' is int, got string");
        CHECK(demarche_session_assert_json(h.session, R"({"template": "item", "slots": {"name": [1]}})", &id) ==
              DEMARCHE_ERROR_FACT);
        CHECK(std::string(demarche_last_error()) == "field 'name': JSON array is not a fact value");
        CHECK(demarche_session_assert_json(
                  h.session, R"({"template": "item", "slots": {"name": "x", "price": 18446744073709551615}})", &id) ==
              DEMARCHE_ERROR_FACT);
        CHECK(std::string(demarche_last_error()) == "field 'price': 18446744073709551615 is out of the int64 range");
        CHECK(demarche_session_assert_json(h.session, R"({"template": "item", "slots": {"name": "x", "price": 1e999}})",
                                           &id) == DEMARCHE_ERROR_INVALID_ARGUMENT);
        CHECK(demarche_session_assert_json(h.session, R"({"template": "item", "extra": 1})", &id) == DEMARCHE_ERROR_FACT);
        CHECK(demarche_session_assert_json(h.session, R"(["item"])", &id) == DEMARCHE_ERROR_FACT);
        CHECK(demarche_session_assert_json(h.session, R"({"template": )", &id) == DEMARCHE_ERROR_INVALID_ARGUMENT);
        CHECK(std::string(demarche_last_error()).rfind("invalid JSON: ", 0) == 0);
        CHECK(demarche_session_assert_json(h.session, nullptr, &id) == DEMARCHE_ERROR_INVALID_ARGUMENT);
        CHECK(demarche_session_assert_json(h.session, "\xff", &id) == DEMARCHE_ERROR_INVALID_ARGUMENT);
        CHECK(demarche_session_retract(h.session, 3) == DEMARCHE_ERROR_FACT);
        CHECK(std::string(demarche_last_error()) == "fact f-3 was retracted");
        CHECK(demarche_session_retract(h.session, 42) == DEMARCHE_ERROR_FACT);
        CHECK(demarche_session_modify_json(h.session, 42, "{}", &made) == DEMARCHE_ERROR_FACT);
        CHECK(made == 0);
        CHECK(demarche_session_retract(nullptr, 1) == DEMARCHE_ERROR_INVALID_ARGUMENT);
        CHECK(facts_of(h.session) == "[]");
    }
    SECTION("facts parsed as .facts text join a running session") {
        demarche_facts* more = nullptr;
        REQUIRE(demarche_parse_facts(h.program, "item(name: cup, price: 2)\n", nullptr, &more, nullptr) == DEMARCHE_OK);
        CHECK(demarche_session_assert_facts(h.session, more) == DEMARCHE_OK);
        demarche_facts_free(more);
        REQUIRE(demarche_session_run(h.session, nullptr, -1, &r) == DEMARCHE_OK);
        CHECK(std::string(demarche_session_output_line(h.session, 0)) == "cheap: cup");
        CHECK(demarche_session_assert_facts(h.session, nullptr) == DEMARCHE_ERROR_INVALID_ARGUMENT);
    }
}

TEST_CASE("C API: user functions are called from rules through C callbacks", "[api][c][functions]") {
    Handles h;
    REQUIRE(demarche_functions_new(&h.functions) == DEMARCHE_OK);
    const demarche_type discount_params[] = {DEMARCHE_TYPE_INT, DEMARCHE_TYPE_FLOAT};
    REQUIRE(demarche_functions_add(h.functions, "discount", discount_params, 2, DEMARCHE_TYPE_FLOAT, discount,
                                   nullptr) == DEMARCHE_OK);
    int calls = 0;
    const demarche_type label_params[] = {DEMARCHE_TYPE_SYMBOL};
    REQUIRE(demarche_functions_add(h.functions, "label", label_params, 1, DEMARCHE_TYPE_STRING, label, &calls) ==
            DEMARCHE_OK);
    REQUIRE(demarche_functions_add(h.functions, "nothing", nullptr, 0, DEMARCHE_TYPE_INT, no_result, nullptr) ==
            DEMARCHE_OK);
    CHECK(demarche_functions_add(h.functions, "max", nullptr, 0, DEMARCHE_TYPE_INT, no_result, nullptr) ==
          DEMARCHE_ERROR_INVALID_ARGUMENT);
    CHECK(std::string(demarche_last_error()) == "'max' is a builtin function");
    CHECK(demarche_functions_add(h.functions, "f", nullptr, 0, static_cast<demarche_type>(9), no_result, nullptr) ==
          DEMARCHE_ERROR_INVALID_ARGUMENT);
    CHECK(demarche_functions_add(h.functions, "g", nullptr, 0, DEMARCHE_TYPE_INT, nullptr, nullptr) ==
          DEMARCHE_ERROR_INVALID_ARGUMENT);

    const char* priced = R"(
template item { name: symbol  price: int  percent: int = 10 }
rule show when item(name: ?n, price: ?p, percent: ?c) then print label(?n), " ", discount(?p, ?c) end
rule never when item(name: nothing) then print nothing() end
)";
    demarche_diagnostics* diags = nullptr;
    REQUIRE(demarche_compile_string_with(priced, "priced.rules", h.functions, &h.program, &diags) == DEMARCHE_OK);
    demarche_diagnostics_free(diags);
    demarche_functions_free(h.functions);  // the program keeps its own copy
    h.functions = nullptr;
    REQUIRE(demarche_session_new(h.program, nullptr, &h.session) == DEMARCHE_OK);
    REQUIRE(demarche_session_assert_json(h.session, R"({"template": "item", "slots": {"name": "pen", "price": 50}})",
                                         nullptr) == DEMARCHE_OK);
    demarche_run_result r{};
    REQUIRE(demarche_session_run(h.session, nullptr, -1, &r) == DEMARCHE_OK);
    CHECK(std::string(demarche_session_output_line(h.session, 0)) == "<pen> 45.0");
    CHECK(calls == 1);

    SECTION("an error set by the callback stops the run") {
        REQUIRE(demarche_session_assert_json(
                    h.session, R"({"template": "item", "slots": {"name": "cup", "price": 5, "percent": -1}})",
                    nullptr) == DEMARCHE_OK);
        CHECK(demarche_session_run(h.session, nullptr, -1, &r) == DEMARCHE_ERROR_RUNTIME);
        std::string message = demarche_last_error();
        CHECK(message.find("priced.rules:3:") != std::string::npos);
        CHECK(message.find("runtime error in rule 'show': 'discount' failed: negative percent") != std::string::npos);
        // The session ended: changes report the runtime error.
        CHECK(demarche_session_retract(h.session, 1) == DEMARCHE_ERROR_RUNTIME);
    }
    SECTION("a callback that sets no result is an error") {
        REQUIRE(demarche_session_assert_json(h.session, R"({"template": "item", "slots": {"name": "nothing", "price": 1}})",
                                             nullptr) == DEMARCHE_OK);
        CHECK(demarche_session_run(h.session, nullptr, -1, &r) == DEMARCHE_ERROR_RUNTIME);
        CHECK(std::string(demarche_last_error()).find("'nothing' failed: the function set no result") !=
              std::string::npos);
    }
    SECTION("compiling without the functions does not know them") {
        demarche_program* plain = nullptr;
        CHECK(demarche_compile_string_with(priced, nullptr, nullptr, &plain, nullptr) == DEMARCHE_ERROR_COMPILE);
        CHECK(std::string(demarche_last_error()).find("unknown function 'label'") != std::string::npos);
        CHECK(plain == nullptr);
    }
}

TEST_CASE("C API: why and why-not over a recorded session", "[api][c][explain]") {
    Handles h;
    REQUIRE(demarche_compile_string(rules, "shop.rules", &h.program, nullptr) == DEMARCHE_OK);
    REQUIRE(demarche_session_new(h.program, nullptr, &h.session) == DEMARCHE_OK);
    Text text;
    CHECK(demarche_session_why(h.session, "cheap", nullptr, &text.p) == DEMARCHE_ERROR_STATE);
    REQUIRE(demarche_session_set_recording(h.session, 1) == DEMARCHE_OK);
    REQUIRE(demarche_session_assert_json(h.session, R"({"template": "item", "slots": {"name": "pen", "price": 3}})",
                                         nullptr) == DEMARCHE_OK);
    CHECK(demarche_session_set_recording(h.session, 0) == DEMARCHE_ERROR_STATE);
    REQUIRE(demarche_session_run(h.session, nullptr, -1, nullptr) == DEMARCHE_OK);

    REQUIRE(demarche_session_why(h.session, "cheap(name: pen)", "text", &text.p) == DEMARCHE_OK);
    CHECK(text.str().find("find_cheap") != std::string::npos);
    Text json;
    REQUIRE(demarche_session_why(h.session, "f-2", "json", &json.p) == DEMARCHE_OK);
    CHECK(json.str().front() == '{');
    Text why_not;
    REQUIRE(demarche_session_why_not(h.session, "cheap(name: desk)", nullptr, &why_not.p) == DEMARCHE_OK);
    CHECK(why_not.str().find("find_cheap") != std::string::npos);

    Text none;
    CHECK(demarche_session_why(h.session, "cheap(name: desk)", nullptr, &none.p) == DEMARCHE_ERROR_QUERY);
    CHECK(none.p == nullptr);
    CHECK(demarche_session_why(h.session, "chaep", nullptr, &none.p) == DEMARCHE_ERROR_QUERY);
    CHECK(std::string(demarche_last_error()).find("did you mean 'cheap'") != std::string::npos);
    CHECK(demarche_session_why_not(h.session, "cheap(name: desk)", "dot", &none.p) == DEMARCHE_ERROR_INVALID_ARGUMENT);
    CHECK(demarche_session_why(h.session, "cheap", "html", &none.p) == DEMARCHE_ERROR_INVALID_ARGUMENT);
}
