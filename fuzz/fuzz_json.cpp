// Bytes as a JSON fact file read against the fixture's templates; what loads is run.
// The public API reads JSON facts only from files, so this calls the reader behind
// load_facts directly, the same way load_facts does. The file is read twice, with and
// without the reader's direct path for plainly written facts: the facts, their ranges
// and the diagnostics must be the same (abort otherwise).
#include "fuzz/fixture.hpp"

#include "dsl/checker.hpp"
#include "dsl/program.hpp"
#include "dsl/source.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

namespace {

std::vector<std::string> rendered(const std::vector<demarche::Diagnostic>& diagnostics) {
    std::vector<std::string> out;
    for (const auto& d : diagnostics) out.push_back(demarche::render_diagnostic(d));
    return out;
}

bool same_facts(const std::vector<demarche::dsl::InitialFact>& a, const std::vector<demarche::dsl::InitialFact>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].tmpl != b[i].tmpl || a[i].range.begin != b[i].range.begin || a[i].range.end != b[i].range.end ||
            a[i].values.size() != b[i].values.size())
            return false;
        for (std::size_t v = 0; v < a[i].values.size(); ++v)
            if (!demarche::same_value(a[i].values[v], b[i].values[v])) return false;
    }
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const demarche::ProgramPtr& program = demarche::fuzz::fixture_program();
    auto sources = std::make_shared<demarche::dsl::SourceSet>(*program->sources);
    demarche::dsl::FileId id =
        sources->add("fuzz.json", std::string(reinterpret_cast<const char*>(data), size));
    demarche::dsl::Diagnostics diags(*sources);
    demarche::dsl::Diagnostics full_diags(*sources);
    auto set = std::make_shared<demarche::FactSet>();
    set->facts = demarche::dsl::read_json_facts(*program, sources->file(id), diags);
    const std::vector<demarche::dsl::InitialFact> full =
        demarche::dsl::read_json_facts(*program, sources->file(id), full_diags, false);
    diags.sort_by_position(0);
    full_diags.sort_by_position(0);
    bool ok = !diags.has_errors();
    const std::vector<demarche::Diagnostic> found = diags.take();
    if (!same_facts(set->facts, full) || rendered(found) != rendered(full_diags.take())) std::abort();
    demarche::fuzz::render_all(found);
    if (!ok) return 0;
    set->sources = sources;
    demarche::fuzz::run_briefly(program, set);
    return 0;
}
