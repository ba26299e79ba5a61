// The fixed rule set the fact fuzzers read facts against, and a small run over the facts
// read, so every value that loads also goes through the engine and the JSON renderings.
#pragma once

#include <demarche/compile.hpp>
#include <demarche/diagnostic.hpp>
#include <demarche/json.hpp>
#include <demarche/session.hpp>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <utility>
#include <vector>

namespace demarche::fuzz {

// Every field type, defaults of each kind, a join and a derived string.
inline constexpr const char* fixture_rules = R"(
template person {
    name: string
    age: int = 0
    score: float = 0.5
    alive: bool = true
    tag: symbol = none
    extra: any = 0
}
template edge { from: symbol  to: symbol }
template note { text: string = "" }

rule adult
when
    person(name: ?n, age: ?a & >= 18, score: ?s)
then
    assert note(text: str(?n, " ", ?a + 1, " ", ?s * 2.0))
end

rule path
when
    edge(from: ?a, to: ?b)
    edge(from: ?b, to: ?c)
    where ?a != ?c
then
    assert edge(?a, ?c)
end
)";

/// The fixture program, compiled once per process.
inline const ProgramPtr& fixture_program() {
    static const ProgramPtr program = [] {
        CompileResult r = compile_string(fixture_rules, "fixture.rules");
        if (!r.ok()) {
            for (const auto& d : r.diagnostics) std::fprintf(stderr, "%s\n", render_diagnostic(d).c_str());
            std::abort();
        }
        return r.program;
    }();
    return program;
}

/// Renders every diagnostic both ways, as the CLI would.
inline void render_all(const std::vector<Diagnostic>& diagnostics) {
    for (const auto& d : diagnostics) {
        (void)render_diagnostic(d);
        (void)diagnostic_to_json(d);
    }
}

/// Runs `program` over `facts` with a small fire limit and renders the result as JSON.
inline void run_briefly(const ProgramPtr& program, std::shared_ptr<const FactSet> facts) {
    Session session(program, std::move(facts));
    RunOptions options;
    options.max_fires = 200;
    RunResult result = session.run(options);
    (void)run_to_json(result, session.facts());
}

}  // namespace demarche::fuzz
