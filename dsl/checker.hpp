// Syntax tree to checked program: names resolved once, types and variable scopes
// checked, every error reported.
#pragma once

#include "ast.hpp"
#include "program.hpp"

#include <memory>
#include <optional>
#include <vector>

namespace demarche::dsl {

/// Checks the parsed files (in load order) and builds the program. Returns nothing when
/// any error was reported; all errors found are in `diags` either way.
/// `functions` (may be null) are the user functions calls may name besides the builtins;
/// the program keeps it.
std::optional<Program> check(const std::vector<ast::File>& files,
                             std::shared_ptr<const SourceSet> sources, Diagnostics& diags,
                             std::shared_ptr<const FunctionRegistry> functions = nullptr);

/// Checks facts read from a `.facts` file against the program's templates: fields
/// exist, types fit, required fields are given, defaults fill the rest.
std::vector<InitialFact> check_facts(const Program& program, const std::vector<ast::Fact>& facts,
                                     Diagnostics& diags);

/// Parses and checks a `.facts` file fact by fact (the same checks as `check_facts`),
/// keeping only the checked facts: the way to read large fact files.
std::vector<InitialFact> read_facts_file(const Program& program, const SourceFile& file, Diagnostics& diags);

/// Reads a JSON fact file: an array of `{"template": NAME, "slots": {FIELD: VALUE}}`.
/// JSON strings become symbols or strings as the field's type says (an `any` field
/// takes a string). Every problem is reported with its line and column in the file.
/// A fact written the usual way is read straight into values; any other is read as a
/// JSON tree first, which reports its problems. `plain_first` false reads every fact
/// the second way: the results are the same, which tests and the fuzzer check.
std::vector<InitialFact> read_json_facts(const Program& program, const SourceFile& file,
                                         Diagnostics& diags, bool plain_first = true);

}  // namespace demarche::dsl
