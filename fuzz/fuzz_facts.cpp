// Bytes as a `.facts` file read against the fixture's templates; what loads is run.
#include "fuzz/fixture.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const demarche::ProgramPtr& program = demarche::fuzz::fixture_program();
    std::string_view text(reinterpret_cast<const char*>(data), size);
    demarche::FactsResult facts = demarche::parse_facts(program, text, "fuzz.facts");
    demarche::fuzz::render_all(facts.diagnostics);
    if (facts.ok()) demarche::fuzz::run_briefly(program, facts.facts);
    return 0;
}
