// Paths named by the user to parsed files in load order, following imports.
#pragma once

#include "ast.hpp"
#include "source.hpp"

#include <string>
#include <vector>

namespace demarche::dsl {

/// Reads and parses the `.rules` files named by `paths` (files, or folders whose
/// `*.rules` files are taken in name order) and everything they import. The result is
/// in load order: an imported file comes before the file that imports it, and each
/// file appears once however often it is imported (so import cycles are harmless).
///
/// Imports resolve relative to the importing file and must stay inside the folder of
/// the path the user named (the folder itself, or a named file's folder): a rule file
/// cannot make Demarche read anything the user did not point it at.
std::vector<ast::File> load_rules(const std::vector<std::string>& paths, SourceSet& sources,
                                  Diagnostics& diags);

/// Reads a whole file into `sources`; reports unreadable files and invalid UTF-8.
/// Returns nullptr (after reporting) when the file cannot be used.
const SourceFile* read_source(const std::string& path, SourceSet& sources, Diagnostics& diags);

}  // namespace demarche::dsl
