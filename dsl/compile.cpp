// The public compile API: the front-end pipeline (load, parse, check) behind one call.
#include <demarche/compile.hpp>

#include "checker.hpp"
#include "loader.hpp"
#include "parser.hpp"

#include <filesystem>

namespace demarche {

namespace {

CompileResult check_files(std::vector<dsl::ast::File> files, std::shared_ptr<dsl::SourceSet> sources,
                          dsl::Diagnostics& diags, const CompileOptions& options) {
    CompileResult result;
    // After a syntax error or a missing file, a declaration is missing, and checking
    // would bury the real error under "unknown template" cascades: stop here.
    if (diags.has_errors()) {
        result.diagnostics = diags.take();
        return result;
    }
    // A copy: the program must not see functions added to the caller's registry later.
    std::shared_ptr<const FunctionRegistry> functions;
    if (options.functions) functions = std::make_shared<const FunctionRegistry>(*options.functions);
    std::optional<dsl::Program> program = dsl::check(files, sources, diags, std::move(functions));
    if (program && !diags.has_errors()) result.program = std::make_shared<const dsl::Program>(std::move(*program));
    result.diagnostics = diags.take();
    return result;
}

}  // namespace

CompileResult compile_paths(const std::vector<std::string>& paths) { return compile_paths(paths, CompileOptions{}); }

CompileResult compile_paths(const std::vector<std::string>& paths, const CompileOptions& options) {
    auto sources = std::make_shared<dsl::SourceSet>();
    dsl::Diagnostics diags(*sources);
    std::vector<dsl::ast::File> files = dsl::load_rules(paths, *sources, diags);
    return check_files(std::move(files), sources, diags, options);
}

CompileResult compile_string(std::string_view text, std::string name) {
    return compile_string(text, std::move(name), CompileOptions{});
}

CompileResult compile_string(std::string_view text, std::string name, const CompileOptions& options) {
    auto sources = std::make_shared<dsl::SourceSet>();
    dsl::Diagnostics diags(*sources);
    dsl::FileId id = sources->add(std::move(name), std::string(text));
    std::vector<dsl::ast::File> files;
    files.push_back(dsl::parse_rules(sources->file(id), diags));
    for (const auto& decl : files.back().declarations)
        if (auto* imp = boost::variant2::get_if<dsl::ast::Import>(&decl))
            diags.error(imp->range, "imports need a file to resolve against; compile files instead");
    return check_files(std::move(files), sources, diags, options);
}

FactsResult load_facts(const ProgramPtr& program, const std::vector<std::string>& paths) {
    // Notes point into the rules ("field declared here"), so the fact files join a
    // copy of the program's source set.
    auto sources = std::make_shared<dsl::SourceSet>(*program->sources);
    dsl::Diagnostics diags(*sources);
    auto set = std::make_shared<FactSet>();
    for (const auto& path : paths) {
        std::size_t first_diag = diags.all().size();
        const dsl::SourceFile* src = dsl::read_source(path, *sources, diags);
        if (!src) continue;
        std::vector<dsl::InitialFact> facts;
        if (std::filesystem::path(path).extension() == ".json") {
            facts = dsl::read_json_facts(*program, *src, diags);
        } else {
            facts = dsl::read_facts_file(*program, *src, diags);
        }
        // The first file's facts are taken whole: appending would hold two copies at once.
        if (set->facts.empty())
            set->facts = std::move(facts);
        else
            set->facts.insert(set->facts.end(), std::make_move_iterator(facts.begin()),
                              std::make_move_iterator(facts.end()));
        // Syntax errors are found in a first pass and type errors in a second; a reader
        // wants them in file order.
        diags.sort_by_position(first_diag);
    }
    FactsResult result;
    if (!diags.has_errors()) {
        set->sources = sources;
        result.facts = std::move(set);
    }
    result.diagnostics = diags.take();
    return result;
}

std::size_t fact_count(const FactSet& facts) noexcept { return facts.facts.size(); }

ProgramSummary summarize(const dsl::Program& program) {
    ProgramSummary s;
    // Test files (`*.test.rules`) are not counted: adding tests leaves the summary of the
    // rule base itself as it was.
    if (program.sources)
        for (dsl::FileId id = 0; id < program.sources->size(); ++id)
            if (!program.sources->file(id).path.ends_with(".test.rules")) ++s.files;
    s.templates = program.templates.size();
    s.rules = program.rules.size();
    s.queries = program.queries.size();
    s.facts = program.initial_facts.size();
    return s;
}

}  // namespace demarche
