// Bytes as rule text: parse and check, render every diagnostic, lint what checks. Where
// the text checks, the canonical printer is the oracle: its output must check too, and
// printing that again must give the same text.
#include <demarche/compile.hpp>
#include <demarche/diagnostic.hpp>
#include <demarche/lint.hpp>

#include "dsl/parser.hpp"
#include "dsl/printer.hpp"
#include "dsl/source.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

void render_all(const std::vector<demarche::Diagnostic>& diagnostics) {
    for (const auto& d : diagnostics) {
        (void)demarche::render_diagnostic(d);
        (void)demarche::diagnostic_to_json(d);
    }
}

// Parses `text` alone and prints it canonically; the caller knows it parses.
std::string reprint(std::string_view text) {
    demarche::dsl::SourceSet sources;
    demarche::dsl::Diagnostics diags(sources);
    demarche::dsl::FileId id = sources.add("fuzz.rules", std::string(text));
    demarche::dsl::ast::File file = demarche::dsl::parse_rules(sources.file(id), diags);
    if (diags.has_errors()) {
        std::fprintf(stderr, "text that compiled does not parse alone:\n%.*s\n", static_cast<int>(text.size()),
                     text.data());
        std::abort();
    }
    return demarche::dsl::print_file(file);
}

[[noreturn]] void fail(const char* what, const std::string& a, const std::string& b) {
    std::fprintf(stderr, "%s\n--- first:\n%s\n--- second:\n%s\n", what, a.c_str(), b.c_str());
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    demarche::CompileResult result = demarche::compile_string(text, "fuzz.rules");
    render_all(result.diagnostics);
    if (!result.ok()) return 0;
    render_all(demarche::lint(result.program));

    std::string printed = reprint(text);
    demarche::CompileResult again = demarche::compile_string(printed, "printed.rules");
    if (!again.ok()) {
        std::string messages;
        for (const auto& d : again.diagnostics) messages += demarche::render_diagnostic(d) + "\n";
        fail("the printed program does not compile", printed, messages);
    }
    std::string printed_again = reprint(printed);
    if (printed_again != printed) fail("printing the printed program changes it", printed, printed_again);
    return 0;
}
