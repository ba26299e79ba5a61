// Run limits through the public API: timeout, fact limit, cancellation, and the stop
// reason every run reports.
#include <demarche/compile.hpp>
#include <demarche/session.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <thread>

namespace {

using namespace std::chrono_literals;
using demarche::StopReason;

// Asserts ever-new facts: only a limit ends a run of it.
constexpr const char* endless = R"(
template tick { n: int }
facts { tick(n: 0) }
rule next when tick(n: ?n) then assert tick(n: ?n + 1) end
)";

demarche::ProgramPtr compile(const char* text) {
    demarche::CompileResult c = demarche::compile_string(text, "limits.rules");
    REQUIRE(c.ok());
    return c.program;
}

}  // namespace

TEST_CASE("every stop reason has its JSON name", "[limits]") {
    CHECK(demarche::to_string(StopReason::Completed) == "completed");
    CHECK(demarche::to_string(StopReason::Halted) == "halted");
    CHECK(demarche::to_string(StopReason::FireLimit) == "fire_limit");
    CHECK(demarche::to_string(StopReason::Timeout) == "timeout");
    CHECK(demarche::to_string(StopReason::FactLimit) == "fact_limit");
    CHECK(demarche::to_string(StopReason::Interrupted) == "interrupted");
    CHECK(demarche::to_string(StopReason::RuntimeError) == "runtime_error");
}

TEST_CASE("complete and halted agree with the stop reason", "[limits]") {
    SECTION("an empty agenda completes") {
        demarche::Session s(compile("template a { x: int }\nfacts { a(x: 1) }\n"));
        demarche::RunResult r = s.run();
        CHECK(r.stop_reason == StopReason::Completed);
        CHECK(r.complete);
        CHECK_FALSE(r.halted);
    }
    SECTION("halt") {
        demarche::Session s(compile("template a { x: int }\nfacts { a(x: 1) }\nrule h when a(x: 1) then halt end\n"));
        demarche::RunResult r = s.run();
        CHECK(r.stop_reason == StopReason::Halted);
        CHECK(r.complete);
        CHECK(r.halted);
    }
    SECTION("the fire limit") {
        demarche::Session s(compile(endless));
        demarche::RunOptions o;
        o.max_fires = 4;
        demarche::RunResult r = s.run(o);
        CHECK(r.stop_reason == StopReason::FireLimit);
        CHECK_FALSE(r.complete);
        CHECK(r.fired == 4);
    }
    SECTION("a runtime error") {
        demarche::Session s(compile("template a { x: int }\ntemplate b { x: int }\nfacts { a(x: 0) }\n"
                                    "rule d when a(x: ?x) then assert b(x: 1 / ?x) end\n"));
        demarche::RunResult r = s.run();
        CHECK(r.stop_reason == StopReason::RuntimeError);
        CHECK_FALSE(r.complete);
        CHECK(r.error.has_value());
    }
}

TEST_CASE("the fact limit stops between firings", "[limits]") {
    demarche::Session s(compile(endless));
    demarche::RunOptions o;
    o.max_facts = 10;
    demarche::RunResult r = s.run(o);
    CHECK(r.stop_reason == StopReason::FactLimit);
    CHECK_FALSE(r.complete);
    // Each firing asserts one fact, so the run stops as the 11th appears.
    CHECK(r.fired == 10);
    CHECK(s.facts().size() == 11);
}

TEST_CASE("a fact limit met by the initial facts stops their assertion; a later run goes on", "[limits]") {
    demarche::Session s(compile("template a { x: int }\nfacts { a(x: 1) a(x: 2) a(x: 3) a(x: 4) a(x: 5) }\n"));
    demarche::RunOptions o;
    o.max_facts = 2;
    demarche::RunResult r = s.run(o);
    CHECK(r.stop_reason == StopReason::FactLimit);
    CHECK(s.facts().size() == 3);
    demarche::RunResult rest = s.run();
    CHECK(rest.stop_reason == StopReason::Completed);
    std::vector<demarche::FactInfo> facts = s.facts();
    REQUIRE(facts.size() == 5);
    for (std::size_t i = 0; i < facts.size(); ++i) CHECK(facts[i].id == i + 1);
}

TEST_CASE("a timeout stops an endless run", "[limits]") {
    SECTION("zero: nothing is asserted") {
        demarche::Session s(compile(endless));
        demarche::RunOptions o;
        o.timeout = 0ns;
        demarche::RunResult r = s.run(o);
        CHECK(r.stop_reason == StopReason::Timeout);
        CHECK(r.fired == 0);
        CHECK(s.facts().empty());
    }
    SECTION("50 ms") {
        demarche::Session s(compile(endless));
        demarche::RunOptions o;
        o.timeout = 50ms;
        auto began = std::chrono::steady_clock::now();
        demarche::RunResult r = s.run(o);
        auto took = std::chrono::steady_clock::now() - began;
        CHECK(r.stop_reason == StopReason::Timeout);
        CHECK(r.fired > 0);
        CHECK(took >= 50ms);
        CHECK(took < 10s);
    }
    SECTION("too large to add to the clock: no limit") {
        demarche::Session s(compile(endless));
        demarche::RunOptions o;
        o.timeout = std::chrono::nanoseconds::max();
        o.max_fires = 3;
        CHECK(s.run(o).stop_reason == StopReason::FireLimit);
    }
}

TEST_CASE("cancel stops a run, also from another thread", "[limits]") {
    SECTION("set before the run") {
        std::atomic<bool> cancel{true};
        demarche::Session s(compile(endless));
        demarche::RunOptions o;
        o.cancel = &cancel;
        demarche::RunResult r = s.run(o);
        CHECK(r.stop_reason == StopReason::Interrupted);
        CHECK_FALSE(r.complete);
        CHECK(r.fired == 0);
    }
    SECTION("set by another thread during the run") {
        std::atomic<bool> cancel{false};
        demarche::Session s(compile(endless));
        demarche::RunOptions o;
        o.cancel = &cancel;
        std::thread setter([&cancel] {
            std::this_thread::sleep_for(30ms);
            cancel.store(true);
        });
        demarche::RunResult r = s.run(o);
        setter.join();
        CHECK(r.stop_reason == StopReason::Interrupted);
        CHECK(r.fired > 0);
        // The facts so far are all there: one per firing, plus the first.
        CHECK(s.facts().size() == r.fired + 1);
    }
}
