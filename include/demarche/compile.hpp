// Compiling rule files into a checked program, and reading fact files against it.
#pragma once

#include <demarche/diagnostic.hpp>
#include <demarche/export.hpp>
#include <demarche/function.hpp>
#include <demarche/value.hpp>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
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
    /// True when compiling produced a program (no errors).
    bool ok() const noexcept { return program != nullptr; }
};

/// How to compile.
struct CompileOptions {
    /// The user functions rule expressions may call besides the builtins (null: none).
    /// Compiling copies the registry into the program, which keeps the functions alive
    /// as long as any session runs it; later additions to the registry reach no program
    /// compiled before. A call to an unknown function, with the wrong number of
    /// arguments, or with an argument whose type is known and does not fit, is a
    /// compile error.
    std::shared_ptr<const FunctionRegistry> functions;
};

/// Compiles `.rules` files and folders (a folder's `*.rules` in name order), following
/// imports. Never throws for bad input: problems come back as diagnostics.
DEMARCHE_API CompileResult compile_paths(const std::vector<std::string>& paths);
/// As above, with options (user functions).
DEMARCHE_API CompileResult compile_paths(const std::vector<std::string>& paths, const CompileOptions& options);

/// Compiles rule text held in memory; `name` is used in diagnostics. Imports are
/// refused, as there is no folder to resolve them in.
DEMARCHE_API CompileResult compile_string(std::string_view text, std::string name = "<string>");
/// As above, with options (user functions).
DEMARCHE_API CompileResult compile_string(std::string_view text, std::string name, const CompileOptions& options);

/// Facts read from `.facts` and `.json` files, checked against a program's templates.
/// Opaque here; it keeps the text of the files so diagnostics and explanations can quote them.
struct FactSet;

/// Number of facts in a set.
DEMARCHE_API std::size_t fact_count(const FactSet& facts) noexcept;

/// The outcome of reading facts: a set when there were no errors, and every diagnostic.
struct FactsResult {
    std::shared_ptr<const FactSet> facts;  ///< null when any error was reported
    std::vector<Diagnostic> diagnostics;
    /// True when the facts were read without errors.
    bool ok() const noexcept { return facts != nullptr; }
};

/// Reads fact files in the given order; `.json` files as JSON, anything else as `.facts`.
DEMARCHE_API FactsResult load_facts(const ProgramPtr& program, const std::vector<std::string>& paths);

/// Counts that `demarche check` reports.
struct ProgramSummary {
    std::size_t files = 0;
    std::size_t templates = 0;
    std::size_t rules = 0;
    std::size_t queries = 0;
    std::size_t facts = 0;  ///< initial facts from `facts` blocks
};
/// Counts the files, templates, rules, queries and initial facts of a program.
DEMARCHE_API ProgramSummary summarize(const dsl::Program& program);

/// One fact given as C++ values: a template name and `field: value` pairs in any order.
/// Fields left out take their template defaults; a field without a default must be given.
struct FactInput {
    std::string template_name;
    std::vector<std::pair<std::string, Value>> fields;
};

/// Checks `facts` against the program's templates as a fact file would be (the template
/// exists, every field exists once, every value fits its field's type; an int given for a
/// float field becomes a float) and returns a new set: `base`'s facts (may be null)
/// followed by these, in order. Pass the set to `Session` to assert it before the run.
/// Never throws for bad input: each problem is a diagnostic without a position, in a
/// file named "<input>". `program` must not be null.
DEMARCHE_API FactsResult make_facts(const ProgramPtr& program, const std::vector<FactInput>& facts,
                                    const std::shared_ptr<const FactSet>& base = nullptr);

/// Reads `.facts` text held in memory (the syntax of a `.facts` file); `name` is the file
/// name used in diagnostics. The result holds `base`'s facts (may be null), then these.
/// `program` must not be null.
DEMARCHE_API FactsResult parse_facts(const ProgramPtr& program, std::string_view text,
                                     std::string name = "<facts>",
                                     const std::shared_ptr<const FactSet>& base = nullptr);

}  // namespace demarche
