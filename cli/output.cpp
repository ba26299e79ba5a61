#include "output.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <unistd.h>

namespace demarche::cli {

void add_color_option(CLI::App& cmd, ColorMode& mode) {
    cmd.add_option_function<std::string>(
           "--color",
           [&mode](const std::string& v) {
               mode = v == "always" ? ColorMode::Always : v == "never" ? ColorMode::Never : ColorMode::Auto;
           },
           "Colour diagnostics: auto (only on a terminal), always or never")
        ->check(CLI::IsMember({"auto", "always", "never"}))
        ->default_str("auto");
}

bool use_color(ColorMode mode) {
    if (mode != ColorMode::Auto) return mode == ColorMode::Always;
    const char* term = std::getenv("TERM");
    return isatty(STDERR_FILENO) && std::getenv("NO_COLOR") == nullptr && term != nullptr &&
           std::strcmp(term, "dumb") != 0;
}

Inputs load_inputs(const std::vector<std::string>& paths, const std::vector<std::string>& fact_files) {
    CompileResult compiled = compile_paths(paths);
    Inputs in{compiled.program, nullptr, std::move(compiled.diagnostics)};
    if (compiled.ok() && !fact_files.empty()) {
        FactsResult loaded = load_facts(compiled.program, fact_files);
        in.diagnostics.insert(in.diagnostics.end(), loaded.diagnostics.begin(), loaded.diagnostics.end());
        in.facts = loaded.facts;
    }
    return in;
}

std::string plural(std::uint64_t n, const char* word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

std::size_t count_errors(const std::vector<Diagnostic>& diags) {
    std::size_t n = 0;
    for (const auto& d : diags) n += d.severity == Severity::Error;
    return n;
}

void print_diagnostics(const std::vector<Diagnostic>& diags, bool color) {
    for (const auto& d : diags) std::cerr << render_diagnostic(d, color);
    std::size_t errors = count_errors(diags);
    if (errors > 0) std::cerr << errors << (errors == 1 ? " error" : " errors") << " found\n";
}

std::string diagnostics_json(const std::vector<Diagnostic>& diags) {
    std::string out = "[";
    for (std::size_t i = 0; i < diags.size(); ++i) {
        if (i) out += ',';
        out += diagnostic_to_json(diags[i]);
    }
    return out + "]";
}

}  // namespace demarche::cli
