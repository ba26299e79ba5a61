// Compiling rule files into a checked program, and reading fact files against it.
#pragma once

#include <demarche/diagnostic.hpp>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace demarche {

namespace dsl {
struct Program;
}  // namespace dsl

/// A checked, immutable program. Share it freely between threads and sessions.
using ProgramPtr = std::shared_ptr<const dsl::Program>;

/// The outcome of compiling: a program when there were no errors, and every
/// diagnostic found (warnings may come with a program).
struct CompileResult {
    ProgramPtr program;  ///< null when any error was reported
    std::vector<Diagnostic> diagnostics;
    bool ok() const noexcept { return program != nullptr; }
};

/// Compiles `.rules` files and folders (a folder's `*.rules` in name order), following
/// imports. Never throws for bad input: problems come back as diagnostics.
CompileResult compile_paths(const std::vector<std::string>& paths);

/// Compiles rule text held in memory; `name` is used in diagnostics. Imports are
/// refused, as there is no folder to resolve them in.
CompileResult compile_string(std::string_view text, std::string name = "<string>");

/// Facts read from `.facts` and `.json` files, checked against a program's templates.
/// Opaque here; it keeps the text of the files so diagnostics and explanations can quote them.
struct FactSet;

/// Number of facts in a set.
std::size_t fact_count(const FactSet& facts) noexcept;

struct FactsResult {
    std::shared_ptr<const FactSet> facts;  ///< null when any error was reported
    std::vector<Diagnostic> diagnostics;
    bool ok() const noexcept { return facts != nullptr; }
};

/// Reads fact files in the given order; `.json` files as JSON, anything else as `.facts`.
FactsResult load_facts(const ProgramPtr& program, const std::vector<std::string>& paths);

/// Counts that `demarche check` reports.
struct ProgramSummary {
    std::size_t files = 0;
    std::size_t templates = 0;
    std::size_t rules = 0;
    std::size_t queries = 0;
    std::size_t facts = 0;  ///< initial facts from `facts` blocks
};
ProgramSummary summarize(const dsl::Program& program);

}  // namespace demarche
