// One compiled program shared by many sessions on many threads: every session must reach
// the same conclusions as a session run alone. Built with -fsanitize=thread, this also
// checks that sessions share nothing mutable (symbols are interned under a mutex).
#include <demarche/demarche.hpp>

#include <catch2/catch.hpp>

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
query reach(?from) when path(from: ?from, to: ?to) end
)";

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
    out += demarche::facts_to_json(session.facts()) + "\n";
    out += demarche::query_to_json("reach", session.query("reach", {"n0"})) + "\n";
    return out;
}

}  // namespace

TEST_CASE("sessions on many threads over one program give identical results", "[api][threads]") {
    demarche::CompileResult compiled = demarche::compile_string(closure_rules, "closure.rules");
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
        REQUIRE(expected.find("\"count\":12") != std::string::npos);  // n0 reaches every node

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
            demarche::CompileResult c = demarche::compile_string(closure_rules, "closure.rules");
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
