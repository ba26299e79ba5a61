// Bytes as a `.facts` file read against the fixture's templates; what loads is run.
// The scanner is held to the grammar (facts_oracle.hpp): both readers must give the same
// facts, checked values and diagnostics, the scanner's with one checker for the file and
// the grammar's with a checker per fact.
#include "fuzz/facts_oracle.hpp"
#include "fuzz/fixture.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const demarche::ProgramPtr& program = demarche::fuzz::fixture_program();
    std::string_view text(reinterpret_cast<const char*>(data), size);

    using demarche::dsl::FactsReader;
    const std::string scanned = demarche::fuzz::read_facts_with(*program, text, FactsReader::Scanner);
    const std::string reference = demarche::fuzz::read_facts_with(*program, text, FactsReader::Grammar, true);
    if (scanned != reference) {
        std::fprintf(stderr, "the scanner and the grammar disagree\n--- scanner:\n%s--- grammar:\n%s",
                     scanned.c_str(), reference.c_str());
        std::abort();
    }

    demarche::FactsResult facts = demarche::parse_facts(program, text, "fuzz.facts");
    demarche::fuzz::render_all(facts.diagnostics);
    if (facts.ok()) demarche::fuzz::run_briefly(program, facts.facts);
    return 0;
}
