// Bytes as a JSON fact file read against the fixture's templates; what loads is run.
// The public API reads JSON facts only from files, so this calls the reader behind
// load_facts directly, the same way load_facts does.
#include "fuzz/fixture.hpp"

#include "dsl/checker.hpp"
#include "dsl/program.hpp"
#include "dsl/source.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const demarche::ProgramPtr& program = demarche::fuzz::fixture_program();
    auto sources = std::make_shared<demarche::dsl::SourceSet>(*program->sources);
    demarche::dsl::Diagnostics diags(*sources);
    demarche::dsl::FileId id =
        sources->add("fuzz.json", std::string(reinterpret_cast<const char*>(data), size));
    auto set = std::make_shared<demarche::FactSet>();
    set->facts = demarche::dsl::read_json_facts(*program, sources->file(id), diags);
    diags.sort_by_position(0);
    bool ok = !diags.has_errors();
    demarche::fuzz::render_all(diags.take());
    if (!ok) return 0;
    set->sources = sources;
    demarche::fuzz::run_briefly(program, set);
    return 0;
}
