// The provenance recorder and the explanations built on it: what each fact records, and
// the outcomes `why` and `why-not` report.
#include "explain/record.hpp"

#include <demarche/compile.hpp>
#include <demarche/explain.hpp>
#include <demarche/session.hpp>

#include <catch2/catch.hpp>

#include <algorithm>

namespace {

using namespace demarche;
using namespace demarche::explain;

constexpr const char* plant = R"(
template reading { sensor: symbol  value: int }
template overheated { sensor: symbol }
template shutdown { sensor: symbol }
template maintenance { sensor: symbol }

facts {
  reading(sensor: pump, value: 95)
  reading(sensor: pump, value: 95)
  reading(sensor: valve, value: 99)
  reading(sensor: stale, value: 1)
}

rule overheat "Hot." source "S1"
when
  reading(sensor: ?s, value: ?v)
  where ?v > 90
then
  assert logical overheated(sensor: ?s)
end

rule shut_down "Shut down." source "S2"
when
  overheated(sensor: ?s)
  not maintenance(sensor: ?s)
then
  assert logical shutdown(sensor: ?s)
end

rule service_valve
when
  shutdown(sensor: valve)
then
  assert maintenance(sensor: valve)
end

rule cool_pump salience -10
when
  ?r <- reading(sensor: pump, value: ?v & > 85)
then
  modify ?r(value: ?v - 10)
end

rule discard_stale
when
  ?r <- reading(sensor: stale)
then
  retract ?r
end
)";

struct Recorded {
    ProgramPtr program;
    std::unique_ptr<Recorder> recorder;
};

Recorded record(const char* text) {
    CompileResult c = compile_string(text, "plant.rules");
    REQUIRE(c.ok());
    Recorded r{c.program, std::make_unique<Recorder>(c.program, nullptr)};
    Session s(c.program);
    RunOptions o;
    o.observer = r.recorder.get();
    RunResult result = s.run(o);
    REQUIRE(result.complete);
    return r;
}

const FactRecord& find(const RecordedRun& run, const std::string& text) {
    for (const FactRecord& f : run.facts)
        if (f.id && fact_text(run.prog(), f) == text) return f;
    FAIL("no fact " << text);
    return run.facts.front();
}

}  // namespace

TEST_CASE("given facts map to their source, skipping duplicates that raised no event", "[explain]") {
    Recorded r = record(plant);
    const RecordedRun& run = r.recorder->recorded();
    const FactRecord& valve = find(run, "reading(sensor: valve, value: 99)");
    REQUIRE(valve.given);
    CHECK(*valve.given == 2);  // the duplicate pump reading (index 1) asserted nothing
    CHECK(given_text(run, valve) == "given in plant.rules:10");
}

TEST_CASE("a derived fact records its firing, and bindings are recomputed from it", "[explain]") {
    Recorded r = record(plant);
    const RecordedRun& run = r.recorder->recorded();
    const FactRecord& hot = find(run, "overheated(sensor: valve)");
    REQUIRE(hot.derived);
    const FiringRecord* firing = run.firing(hot.firing);
    REQUIRE(firing);
    CHECK(run.prog().rules.at(firing->rule).name == "overheat");
    Bindings b = run.bindings(*firing);
    CHECK(bindings_text(run.prog().rules.at(firing->rule).variables, b) == "?s = valve, ?v = 99");
}

TEST_CASE("removals record retract, modify and lost support with its cause", "[explain]") {
    Recorded r = record(plant);
    const RecordedRun& run = r.recorder->recorded();
    const FactRecord& stale = find(run, "reading(sensor: stale, value: 1)");
    CHECK(stale.removal.kind == RemovalKind::Retracted);

    const FactRecord& pump = find(run, "reading(sensor: pump, value: 95)");
    CHECK(pump.removal.kind == RemovalKind::Modified);
    const FactRecord& cooled = find(run, "reading(sensor: pump, value: 85)");
    CHECK(pump.removal.replaced_by == cooled.id);
    CHECK(cooled.modified_from == pump.id);

    const FactRecord& hot_pump = find(run, "overheated(sensor: pump)");
    CHECK(hot_pump.removal.kind == RemovalKind::Unsupported);
    CHECK(hot_pump.removal.cause == pump.id);
    CHECK(hot_pump.removal.cause_retracted);

    const FactRecord& valve_down = find(run, "shutdown(sensor: valve)");
    CHECK(valve_down.removal.kind == RemovalKind::Unsupported);
    CHECK(valve_down.removal.cause == find(run, "maintenance(sensor: valve)").id);
    CHECK_FALSE(valve_down.removal.cause_retracted);
}

TEST_CASE("why reports found, not found and bad targets by status", "[explain]") {
    Recorded r = record(plant);
    CHECK(why(*r.recorder, "maintenance", Format::Text).status == 0);
    CHECK(why(*r.recorder, "f-3", Format::Text).status == 0);
    CHECK(why(*r.recorder, "3", Format::Json).status == 0);
    CHECK(why(*r.recorder, "f-99", Format::Text).status == 1);
    Report bad = why(*r.recorder, "maintenanc(sensor: valve)", Format::Text);
    CHECK(bad.status == 2);
    REQUIRE(bad.diagnostics.size() == 1);
    CHECK(bad.diagnostics[0].location.path == "pattern");
    CHECK(bad.diagnostics[0].location.line == 1);
    CHECK(why(*r.recorder, "a() b()", Format::Text).status == 2);
    CHECK(check_target(r.program, "shutdown(sensor: pump)").empty());
    CHECK(check_target(r.program, "f-12").empty());
    CHECK(check_target(r.program, "shutdown(sensor: 3)").size() == 1);
}

TEST_CASE("why prints a shared step once and refers to it afterwards", "[explain]") {
    Recorded r = record(R"(
template a { x: int }
template b { x: int }
template c { x: int }
facts { a(x: 1) }
rule ab when a(x: ?x) then assert b(x: ?x) end
rule bc when b(x: ?x) a(x: ?x) then assert c(x: ?x) end
rule cc when c(x: ?x) b(x: ?x) then assert c(x: 2) end
)");
    std::string out = why(*r.recorder, "c(x: 2)", Format::Text).output;
    CHECK(out.find("f-2 b(x: 1), shown above") != std::string::npos);
}

TEST_CASE("why-not names the first failed condition", "[explain]") {
    Recorded r = record(plant);
    SECTION("a where test, with its values") {
        std::string out = why_not(*r.recorder, "overheated(sensor: pump)", Format::Text).output;
        CHECK(out.find("failed: 2. where ?v > 90") != std::string::npos);
        CHECK(out.find("is false with ?v = 85") != std::string::npos);
    }
    SECTION("a not blocked by a fact") {
        std::string out = why_not(*r.recorder, "shutdown(sensor: valve)", Format::Text).output;
        CHECK(out.find("blocked by f-") != std::string::npos);
    }
    SECTION("a field that differs, in JSON") {
        std::string out = why_not(*r.recorder, "overheated(sensor: stale)", Format::Json).output;
        CHECK(out.find("\"reason\": \"field_mismatch\"") != std::string::npos);
    }
    SECTION("a template only given") {
        std::string out = why_not(*r.recorder, "reading(sensor: boiler)", Format::Text).output;
        CHECK(out.find("No rule can assert") != std::string::npos);
    }
}

TEST_CASE("a run without a recorder is unaffected by one", "[explain]") {
    CompileResult c = compile_string(plant, "plant.rules");
    REQUIRE(c.ok());
    Session plain(c.program);
    RunResult a = plain.run();
    Session watched(c.program);
    Recorder rec(c.program, nullptr);
    RunOptions o;
    o.observer = &rec;
    RunResult b = watched.run(o);
    CHECK(a.fired == b.fired);
    CHECK(plain.facts().size() == watched.facts().size());
}

namespace {

/// Counts events by kind, and keeps each fact and activation as text.
class Counting final : public Observer {
public:
    explicit Counting(EventMask events = EventMask::all()) : Observer(events) {}
    void on_assert(const FactView& f) override { lines.push_back("+" + std::to_string(f.id()) + " " + format_fact(f)); }
    void on_retract(const FactView& f) override { lines.push_back("-" + std::to_string(f.id())); }
    void on_activate(const ActivationView& a) override { lines.push_back("A " + format_activation(a)); }
    void on_deactivate(const ActivationView& a) override { lines.push_back("D " + format_activation(a)); }
    void on_fire(std::uint64_t n, const ActivationView& a) override {
        lines.push_back("F" + std::to_string(n) + " " + std::string(a.rule_name()));
    }
    std::size_t count(char kind) const {
        return static_cast<std::size_t>(std::count_if(lines.begin(), lines.end(), [&](const std::string& l) {
            return l.front() == kind;
        }));
    }
    std::vector<std::string> lines;
};

}  // namespace

TEST_CASE("event views render as FactInfo and ActivationInfo do, names looked up on demand", "[explain][observer]") {
    CompileResult c = compile_string(plant);
    REQUIRE(c.ok());
    Session s(c.program);
    struct Views final : Observer {
        std::vector<std::pair<std::string, std::string>> facts;  // view text, info text
        std::vector<std::pair<std::string, std::string>> activations;
        void on_assert(const FactView& f) override {
            facts.emplace_back(format_fact(f), format_fact(f.info()));
            CHECK(f.info().template_name == f.template_name());
            CHECK(f.info().values.size() == f.values().size());
        }
        void on_activate(const ActivationView& a) override {
            activations.emplace_back(format_activation(a), format_activation(a.info()));
        }
    } views;
    RunOptions o;
    o.observer = &views;
    s.run(o);
    REQUIRE(views.facts.size() >= 4);
    CHECK(views.facts.front().first == "reading(sensor: pump, value: 95)");
    for (const auto& [view, info] : views.facts) CHECK(view == info);
    REQUIRE(!views.activations.empty());
    CHECK(views.activations.front().first == "overheat: f-1");
    for (const auto& [view, info] : views.activations) CHECK(view == info);
}

TEST_CASE("an observer is sent only the kinds of event it asks for", "[explain][observer]") {
    CompileResult c = compile_string(plant);
    REQUIRE(c.ok());
    Counting all;
    Counting some(EventKind::Assert | EventKind::Fire);
    for (Counting* o : {&all, &some}) {
        Session s(c.program);
        RunOptions opt;
        opt.observer = o;
        s.run(opt);
    }
    REQUIRE(all.count('A') > 0);
    REQUIRE(all.count('-') > 0);
    CHECK(some.count('A') == 0);
    CHECK(some.count('-') == 0);
    CHECK(some.count('+') == all.count('+'));
    CHECK(some.count('F') == all.count('F'));
    CHECK(EventMask().has(EventKind::Print) == false);
    CHECK(EventMask::all().has(EventKind::Print));
}

TEST_CASE("watching activations changes nothing that fires", "[explain][observer]") {
    // Unless an observer asks for activation events, an activation made during a firing
    // is queued when the firing is over, and not at all when its match went first (here
    // every `take` remakes all its matches by modifying `step`, then removes them by
    // closing the gate). Its moment and sequence keep its place (`closed`, made when the
    // gate closes, fires before `announce`, made earlier in the firing from newer facts):
    // the firings, their facts and the output are the same either way, under every
    // strategy.
    const char* rules = R"(
template step { n: int }
template gate { open: bool }
template item { id: int  group: int }
template done { id: int }
rule take
when
    ?g <- gate(open: true)
    ?s <- step(n: ?n)
    item(id: ?i, group: ?k)
    not done(id: ?i)
then
    assert done(id: ?i)
    modify ?s(n: ?n + 1)
    modify ?g(open: false)
    print ?n, " ", ?i
end
rule announce when done(id: ?i) then print "done ", ?i end
rule closed when item(id: ?i, group: 1) not gate(open: true) then print "closed ", ?i end
rule reopen
    salience -1
when
    ?g <- gate(open: false)
    item(group: ?k)
    not done(id: ?k)
then
    modify ?g(open: true)
end
facts {
    gate(open: true) step(n: 0)
    item(1, 2) item(2, 3) item(3, 1) item(4, 2) item(5, 5) item(6, 1) item(7, 4) item(8, 8)
}
)";
    CompileResult c = compile_string(rules);
    REQUIRE(c.ok());
    struct Firings final : Observer {
        explicit Firings(EventMask events) : Observer(events) {}
        void on_fire(std::uint64_t n, const ActivationView& a) override {
            lines.push_back(std::to_string(n) + " " + format_activation(a));
        }
        void on_activate(const ActivationView&) override { ++activations; }
        std::vector<std::string> lines;
        std::size_t activations = 0;
    };
    for (Strategy strategy : {Strategy::Depth, Strategy::Breadth, Strategy::Lex, Strategy::Mea}) {
        INFO("strategy " << static_cast<int>(strategy));
        Firings deferred(EventKind::Fire);
        Firings watched(EventKind::Fire | EventKind::Activate);
        std::vector<RunResult> results;
        std::vector<std::vector<FactInfo>> facts;
        for (Firings* o : {&deferred, &watched}) {
            Session s(c.program);
            RunOptions opt;
            opt.strategy = strategy;
            opt.observer = o;
            results.push_back(s.run(opt));
            facts.push_back(s.facts());
        }
        CHECK(watched.activations > deferred.lines.size());
        CHECK(deferred.lines.size() > 8);
        CHECK(deferred.lines == watched.lines);
        CHECK(results[0].output == results[1].output);
        REQUIRE(facts[0].size() == facts[1].size());
        for (std::size_t i = 0; i < facts[0].size(); ++i) CHECK(format_fact(facts[0][i]) == format_fact(facts[1][i]));
    }
}

TEST_CASE("a recorder asks for no activations itself, but forwards what its next observer wants", "[explain][observer]") {
    CompileResult c = compile_string(plant);
    REQUIRE(c.ok());
    Recorder alone(c.program, nullptr);
    CHECK(alone.wants(EventKind::Assert));
    CHECK(alone.wants(EventKind::Retract));
    CHECK(alone.wants(EventKind::Fire));
    CHECK_FALSE(alone.wants(EventKind::Activate));
    CHECK_FALSE(alone.wants(EventKind::Deactivate));

    Counting direct;
    {
        Session s(c.program);
        RunOptions opt;
        opt.observer = &direct;
        s.run(opt);
    }
    Counting behind;
    Recorder chained(c.program, nullptr, &behind);
    CHECK(chained.wants(EventKind::Activate));
    Session s(c.program);
    RunOptions opt;
    opt.observer = &chained;
    s.run(opt);
    CHECK(behind.lines == direct.lines);
    CHECK(chained.recorded().facts.size() == behind.count('+'));
}

TEST_CASE("changes through the Session between runs are not blamed on the last firing", "[explain][session]") {
    const char* text = R"(
template order { id: symbol }
template approved { id: symbol }
template noted { id: symbol }
facts { order(id: a) order(id: b) }
rule approve when order(id: ?i) then assert logical approved(id: ?i) end
rule note when order(id: ?i) then assert noted(id: ?i) end
)";
    CompileResult c = compile_string(text, "orders.rules");
    REQUIRE(c.ok());
    Recorder rec(c.program, nullptr);
    Session s(c.program);
    s.set_observer(&rec);
    REQUIRE(s.run().complete);
    std::optional<FactId> order_a;
    for (const FactInfo& f : s.facts())
        if (f.template_name == "order" && to_source(f.values.at(0)) == "a") order_a = f.id;
    REQUIRE(order_a);
    REQUIRE(s.retract(*order_a).ok());
    REQUIRE(s.run().complete);

    const RecordedRun& run = rec.recorded();
    const FactRecord& order = find(run, "order(id: a)");
    CHECK(order.removal.kind == RemovalKind::Input);
    CHECK(order.removal.firing == 0);
    CHECK(removal_text(run, order) == "retracted by the program that ran the rules");

    const FactRecord& approved = find(run, "approved(id: a)");
    CHECK(approved.removal.kind == RemovalKind::Unsupported);
    CHECK(approved.removal.firing == 0);
    CHECK(approved.removal.cause == order.id);
    CHECK(removal_text(run, approved) ==
          "retracted by truth maintenance after a change by the program that ran the rules: no longer supported, "
          "since f-1 order(id: a), on which it rested, was retracted");
}
