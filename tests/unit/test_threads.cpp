// One compiled program shared by many sessions on many threads: every session must reach
// the same conclusions as a session run alone, also when it calls a registered function
// and is fed facts between runs. Built with -fsanitize=thread (`make tsan`), this also
// checks that sessions share nothing mutable (symbols are interned under a mutex).
#include <demarche/demarche.hpp>

#include <catch2/catch.hpp>

#include <memory>
#include <span>
#include <string>
#include <thread>
#include <vector>

namespace {

// Transitive closure plus printing and a query: joins, negation, string building and
// new symbols interned while the threads run.
const char* closure_rules = R"(
template edge { from: symbol  to: symbol }
template path { from: symbol  to: symbol }
template report { text: string }
rule base when edge(from: ?a, to: ?b) then assert path(from: ?a, to: ?b) end
rule step
when
  path(from: ?a, to: ?b)
  edge(from: ?b, to: ?c)
  not path(from: ?a, to: ?c)
then
  assert path(from: ?a, to: ?c)
  print ?a, "->", ?c
end
rule count when path(from: ?a, to: ?a) then assert report(text: str("cycle at ", ?a)) end
rule weigh when edge(from: ?a, to: ?b) where weight(?a, ?b) > 20 then print "heavy ", ?a, ?b end
query reach(?from) when path(from: ?from, to: ?to) end
)";

// weight(symbol, symbol) -> int: the sum of the digits of both names (only n5 -> n99 is
// over 20); a pure function, called from every thread.
std::shared_ptr<const demarche::FunctionRegistry> functions() {
    auto r = std::make_shared<demarche::FunctionRegistry>();
    auto weight = [](std::span<const demarche::Value> args) -> demarche::FunctionResult {
        std::int64_t w = 0;
        for (const demarche::Value& v : args)
            for (char c : boost::variant2::get<demarche::Symbol>(v).name())
                if (c >= '0' && c <= '9') w += c - '0';
        return demarche::Value(w);
    };
    if (r->add("weight", {demarche::ValueType::Symbol, demarche::ValueType::Symbol}, demarche::ValueType::Int, weight))
        return nullptr;
    return r;
}

demarche::CompileResult compile_closure() {
    demarche::CompileOptions options;
    options.functions = functions();
    return demarche::compile_string(closure_rules, "closure.rules", options);
}

std::string node(int i) { return "n" + std::to_string(i); }

// A summary of everything a session produced, to compare sessions exactly.
std::string run_once(const demarche::ProgramPtr& program, const std::shared_ptr<const demarche::FactSet>& facts,
                     demarche::Strategy strategy) {
    demarche::Session session(program, facts);
    demarche::RunOptions options;
    options.strategy = strategy;
    demarche::RunResult r = session.run(options);
    std::string out = "fired " + std::to_string(r.fired) + (r.complete ? " complete\n" : " incomplete\n");
    for (const std::string& line : r.output) out += line + "\n";
    // Live: a new edge out of the ring and a retracted one, then a second run.
    demarche::FactResult added = session.assert_fact(
        "edge", {{"from", demarche::Symbol::intern("n5")}, {"to", demarche::Symbol::intern("n99")}});
    out += added.ok() ? "added f-" + std::to_string(added.id) + "\n" : *added.error + "\n";
    demarche::FactResult gone = session.retract(1);
    out += gone.ok() ? "retracted f-1\n" : *gone.error + "\n";
    demarche::RunResult again = session.run(options);
    out += "again fired " + std::to_string(again.fired) + "\n";
    for (const std::string& line : again.output) out += line + "\n";
    out += demarche::facts_to_json(session.facts()) + "\n";
    out += demarche::query_to_json("reach", session.query("reach", {"n0"})) + "\n";
    return out;
}

}  // namespace

TEST_CASE("sessions on many threads over one program give identical results", "[api][threads]") {
    demarche::CompileResult compiled = compile_closure();
    REQUIRE(compiled.ok());
    // A ring of 12 nodes plus a chord: 144 paths, every node on a cycle.
    std::vector<demarche::FactInput> edges;
    for (int i = 0; i < 12; ++i)
        edges.push_back({"edge", {{"from", demarche::Symbol::intern(node(i))},
                                  {"to", demarche::Symbol::intern(node((i + 1) % 12))}}});
    edges.push_back({"edge", {{"from", demarche::Symbol::intern("n3")}, {"to", demarche::Symbol::intern("n9")}}});
    demarche::FactsResult facts = demarche::make_facts(compiled.program, edges);
    REQUIRE(facts.ok());

    for (demarche::Strategy strategy : {demarche::Strategy::Depth, demarche::Strategy::Breadth}) {
        const std::string expected = run_once(compiled.program, facts.facts, strategy);
        REQUIRE(expected.find("\"count\":13") != std::string::npos);  // n0 reaches every node and n99
        REQUIRE(expected.find("heavy n5n99") != std::string::npos);     // the function ran, after the change
        // 12 new paths to n99, the heavy edge, and (by strategy) a duplicate path.
        REQUIRE((expected.find("again fired 13\n") != std::string::npos ||
                 expected.find("again fired 14\n") != std::string::npos));

        constexpr int thread_count = 8;
        constexpr int rounds = 3;
        std::vector<std::vector<std::string>> results(thread_count);
        std::vector<std::thread> threads;
        for (int t = 0; t < thread_count; ++t)
            threads.emplace_back([&, t] {
                // Each thread also interns symbols of its own while the others run.
                demarche::Symbol::intern("thread_" + std::to_string(t));
                for (int round = 0; round < rounds; ++round)
                    results[static_cast<std::size_t>(t)].push_back(run_once(compiled.program, facts.facts, strategy));
            });
        for (std::thread& th : threads) th.join();
        for (const auto& per_thread : results) {
            REQUIRE(per_thread.size() == rounds);
            for (const std::string& r : per_thread) CHECK(r == expected);
        }
    }
}

TEST_CASE("compiling on many threads at once gives the same program", "[api][threads]") {
    constexpr int thread_count = 4;
    std::vector<std::string> results(thread_count);
    std::vector<std::thread> threads;
    for (int t = 0; t < thread_count; ++t)
        threads.emplace_back([&, t] {
            demarche::CompileResult c = compile_closure();
            if (!c.ok()) return;
            demarche::FactsResult f = demarche::parse_facts(c.program, "edge(a, b)\nedge(b, c)\n");
            if (!f.ok()) return;
            results[static_cast<std::size_t>(t)] = run_once(c.program, f.facts, demarche::Strategy::Depth);
        });
    for (std::thread& th : threads) th.join();
    REQUIRE_FALSE(results[0].empty());
    CHECK(results[0].find("a->c") != std::string::npos);
    for (const std::string& r : results) CHECK(r == results[0]);
}
