// User-registered functions: registration errors, checking calls at compile time, and
// calling them during a run (values, errors, exceptions, declared types).
#include <demarche/demarche.hpp>

#include <catch2/catch.hpp>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using demarche::FunctionResult;
using demarche::Value;
using demarche::ValueType;
namespace v2 = boost::variant2;

// tax(amount: float, country: symbol) -> float; shout(any) -> string; fail(int) -> int.
std::shared_ptr<demarche::FunctionRegistry> registry() {
    auto r = std::make_shared<demarche::FunctionRegistry>();
    REQUIRE_FALSE(r->add("tax", {ValueType::Float, ValueType::Symbol}, ValueType::Float,
                         [](std::span<const Value> args) -> FunctionResult {
                             double amount = v2::get<double>(args[0]);
                             const std::string& country = v2::get<demarche::Symbol>(args[1]).name();
                             if (country == "FR") return Value(amount * 0.2);
                             if (country == "DE") return Value(std::int64_t{0});  // an int for a float: converted
                             return FunctionResult::error("no rate for " + country);
                         }));
    REQUIRE_FALSE(r->add("shout", {ValueType::Any}, ValueType::String, [](std::span<const Value> args) {
        return FunctionResult(Value(demarche::to_display(args[0]) + "!"));
    }));
    REQUIRE_FALSE(r->add("fail", {ValueType::Int}, ValueType::Int, [](std::span<const Value> args) -> FunctionResult {
        if (v2::get<std::int64_t>(args[0]) == 1) throw std::runtime_error("thrown on purpose");
        return Value(std::string("not an int"));
    }));
    return r;
}

const char* shop = R"(
template sale { amount: int  country: symbol  note: any = 0 }
template taxed { amount: float  text: string }
rule tax_it when sale(amount: ?a, country: ?c) where tax(?a, ?c) >= 0.0 then
  assert taxed(amount: tax(?a, ?c), text: shout(?c))
end
)";

demarche::CompileResult compile(const std::string& text, std::shared_ptr<const demarche::FunctionRegistry> functions) {
    demarche::CompileOptions options;
    options.functions = std::move(functions);
    return demarche::compile_string(text, "shop.rules", options);
}

std::string first_error(const demarche::CompileResult& c) {
    REQUIRE_FALSE(c.diagnostics.empty());
    const demarche::Diagnostic& d = c.diagnostics.front();
    return std::to_string(d.location.line) + ":" + std::to_string(d.location.column) + ": " + d.message;
}

demarche::RunResult run_with(const demarche::ProgramPtr& program, const std::string& facts) {
    demarche::FactsResult f = demarche::parse_facts(program, facts);
    REQUIRE(f.ok());
    demarche::Session s(program, f.facts);
    return s.run();
}

}  // namespace

TEST_CASE("functions: registration refuses clashes and bad names", "[api][functions]") {
    demarche::FunctionRegistry r;
    auto noop = [](std::span<const Value>) { return FunctionResult(Value(true)); };
    CHECK(r.add("abs", {}, ValueType::Bool, noop) == "'abs' is a builtin function");
    CHECK(r.add("str", {}, ValueType::Bool, noop) == "'str' is a builtin function");
    CHECK(r.add("rule", {}, ValueType::Bool, noop) == "'rule' is a keyword of the rule language");
    CHECK(r.add("2fast", {}, ValueType::Bool, noop) ==
          "'2fast' is not a function name (a letter or '_', then letters, digits or '_')");
    CHECK(r.add("", {}, ValueType::Bool, noop).has_value());
    CHECK(r.add("has-dash", {}, ValueType::Bool, noop).has_value());
    CHECK(r.add("empty", {}, ValueType::Bool, nullptr) == "function 'empty' has no implementation");
    CHECK_FALSE(r.add("ok_1", {}, ValueType::Bool, noop));
    CHECK(r.add("ok_1", {}, ValueType::Bool, noop) == "function 'ok_1' is registered already");
    REQUIRE(r.functions().size() == 1);
    CHECK(r.find("ok_1") == &r.functions()[0]);
    CHECK(r.find("abs") == nullptr);
    CHECK(demarche::to_string(ValueType::Float) == "float");
}

TEST_CASE("functions: calls are evaluated in where tests and actions", "[api][functions]") {
    demarche::CompileResult c = compile(shop, registry());
    REQUIRE(c.ok());
    demarche::FactsResult f = demarche::parse_facts(c.program, "sale(amount: 100, country: FR)\nsale(amount: 50, country: DE)\n");
    REQUIRE(f.ok());
    demarche::Session s(c.program, f.facts);
    demarche::RunResult r = s.run();
    REQUIRE_FALSE(r.error);
    CHECK(r.fired == 2);
    std::vector<std::string> taxed;
    for (const demarche::FactInfo& fact : s.facts())
        if (fact.derived) taxed.push_back(demarche::format_fact(fact));
    CHECK(taxed == std::vector<std::string>{R"(taxed(amount: 0.0, text: "DE!"))", R"(taxed(amount: 20.0, text: "FR!"))"});
}

TEST_CASE("functions: an error result stops the run at the call, naming the rule", "[api][functions]") {
    demarche::CompileResult c = compile(shop, registry());
    REQUIRE(c.ok());
    demarche::RunResult r = run_with(c.program, "sale(amount: 100, country: XY)\n");
    REQUIRE(r.error);
    CHECK(r.error->message == "runtime error in rule 'tax_it': 'tax' failed: no rate for XY");
    CHECK(r.error->location.line == 4);
    CHECK(r.error->location.column == 54);  // the call `tax(?a, ?c)` in the where test
    CHECK_FALSE(r.complete);
}

TEST_CASE("functions: exceptions and undeclared result types are runtime errors", "[api][functions]") {
    std::string rules = R"(
template n { v: int }
template out { v: int }
rule call when n(v: ?v) then assert out(v: fail(?v)) end
)";
    demarche::CompileResult c = compile(rules, registry());
    REQUIRE(c.ok());
    demarche::RunResult thrown = run_with(c.program, "n(1)\n");
    REQUIRE(thrown.error);
    CHECK(thrown.error->message == "runtime error in rule 'call': 'fail' failed: thrown on purpose");
    demarche::RunResult wrong = run_with(c.program, "n(2)\n");
    REQUIRE(wrong.error);
    CHECK(wrong.error->message ==
          "runtime error in rule 'call': 'fail' returned string, but it is declared to return int");
}

TEST_CASE("functions: argument types only known at run time are checked then", "[api][functions]") {
    std::string rules = R"(
template sale { amount: any  country: symbol }
rule r when sale(amount: ?a, country: ?c) where tax(?a, ?c) > 0.0 then halt end
)";
    demarche::CompileResult c = compile(rules, registry());
    REQUIRE(c.ok());
    demarche::RunResult r = run_with(c.program, "sale(amount: \"ten\", country: FR)\n");
    REQUIRE(r.error);
    CHECK(r.error->message == "runtime error in rule 'r': argument 1 of 'tax' must be float, got string");
    CHECK(run_with(c.program, "sale(amount: 10, country: FR)\n").halted);  // an int for a float parameter is converted
}

TEST_CASE("functions: the checker checks names, counts and known types", "[api][functions]") {
    auto with = [](const std::string& action) {
        return compile("template sale { amount: int  country: symbol  note: string = \"\" }\n"
                       "template t { x: int }\n"
                       "rule r when sale(amount: ?a, country: ?c, note: ?n) then " + action + " end\n",
                       registry());
    };
    CHECK(first_error(with("print taxx(?a, ?c)")) == "3:64: unknown function 'taxx'; did you mean 'tax'?");
    CHECK(first_error(with("print tax(?a)")) == "3:64: 'tax' takes 2 arguments, but 1 was given");
    CHECK(first_error(with("print tax(?a, ?c, ?c)")) == "3:64: 'tax' takes 2 arguments, but 3 were given");
    CHECK(first_error(with("print tax(\"10\", ?c)")) == "3:68: argument 1 of 'tax' must be float, got string");
    CHECK(first_error(with("print tax(?a, ?n)")) == "3:72: argument 2 of 'tax' must be symbol, got string");
    CHECK(first_error(with("print tax(?a, str(?c))")) == "3:72: argument 2 of 'tax' must be symbol, got string");
    CHECK(first_error(with("assert t(x: shout(?a))")) == "3:70: 'shout' returns string, but field 'x' of 't' is int");
    CHECK(with("print tax(?a + 1, ?c), shout(tax(1, ?c))").ok());  // arithmetic: checked when it runs

    // Without the registry, only the builtins exist.
    demarche::CompileResult plain = demarche::compile_string("template t { x: int }\n"
                                                             "rule r when t(x: ?x) then print tax(?x) end\n");
    CHECK(first_error(plain) == "2:33: unknown function 'tax'; did you mean 'max'?");
    demarche::CompileResult near = demarche::compile_string("template t { x: int }\n"
                                                            "rule r when t(x: ?x) then print abz(?x) end\n");
    CHECK(first_error(near) == "2:33: unknown function 'abz'; did you mean 'abs'?");
}

TEST_CASE("functions: the program keeps its own copy of the registry", "[api][functions]") {
    auto r = registry();
    demarche::CompileResult c = compile(shop, r);
    REQUIRE(c.ok());
    auto later = [](std::span<const Value>) { return FunctionResult(Value(true)); };
    REQUIRE_FALSE(r->add("later", {}, ValueType::Bool, later));
    r.reset();  // the program still runs its functions
    demarche::RunResult run = run_with(c.program, "sale(amount: 100, country: FR)\n");
    CHECK_FALSE(run.error);
    CHECK(run.fired == 1);
    CHECK_FALSE(compile("template t { x: int }\nrule q when t(x: ?x) where later() then halt end\n", nullptr).ok());
}
