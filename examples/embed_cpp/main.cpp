// Embedding Demarche from C++: compile a rule base, load facts, run, list what was derived.
// Usage: embed_cpp RULES_PATH [FACTS_FILE...]
#include <demarche/demarche.hpp>

#include <iostream>

int main(int argc, char** argv) {
    if (argc < 2) return std::cerr << "usage: embed_cpp RULES_PATH [FACTS_FILE...]\n", 2;
    demarche::CompileResult compiled = demarche::compile_paths({argv[1]});
    for (const demarche::Diagnostic& d : compiled.diagnostics) std::cerr << demarche::render_diagnostic(d);
    if (!compiled.ok()) return 2;

    demarche::FactsResult facts = demarche::load_facts(compiled.program, {argv + 2, argv + argc});
    for (const demarche::Diagnostic& d : facts.diagnostics) std::cerr << demarche::render_diagnostic(d);
    if (!facts.ok()) return 2;

    demarche::Session session(compiled.program, facts.facts);  // shares the program
    demarche::RunOptions options;
    options.max_fires = 10000;  // a runaway rule set stops instead of running forever
    demarche::RunResult result = session.run(options);
    for (const std::string& line : result.output) std::cout << line << "\n";
    if (result.error) return std::cerr << demarche::render_diagnostic(*result.error), 1;
    for (const demarche::FactInfo& f : session.facts())
        if (f.derived) std::cout << "f-" << f.id << " " << demarche::format_fact(f) << "\n";
    std::cout << "fired " << result.fired << (result.complete ? "" : " (incomplete)") << "\n";
    return 0;
}
