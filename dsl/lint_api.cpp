// The public lint entry point over the checked program.
#include <demarche/lint.hpp>

#include "lint.hpp"

namespace demarche {

std::vector<Diagnostic> lint(const ProgramPtr& program, const FactSet* facts) {
    // A fact set's source set extends the program's, so it resolves ranges in both.
    dsl::Diagnostics diags(facts != nullptr ? *facts->sources : *program->sources);
    dsl::lint(*program, facts != nullptr ? &facts->facts : nullptr, diags);
    return diags.take();
}

}  // namespace demarche
