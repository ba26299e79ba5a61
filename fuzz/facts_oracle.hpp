// The differential oracle for `.facts` reading: the same text read with the scanner and
// with the grammar alone (parser.hpp's FactsReader), each fact checked as
// read_facts_file checks it, and each result written out in full, every range and value
// kind included, so that two strings say whether the readers agree. Used by the
// fuzz_facts target and by the unit tests.
#pragma once

#include "dsl/ast.hpp"
#include "dsl/checker_support.hpp"
#include "dsl/parser.hpp"
#include "dsl/program.hpp"
#include "dsl/source.hpp"

#include <demarche/diagnostic.hpp>
#include <demarche/value.hpp>

#include <bit>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace demarche::fuzz {

inline std::string describe(dsl::SourceRange r) {
    return std::to_string(r.file) + ":" + std::to_string(r.begin) + "-" + std::to_string(r.end);
}

// The kind and the exact value: floats by their bits, so that -0.0 and 0.0 differ.
inline std::string describe(const Value& v) {
    std::string out(kind_name(kind_of(v)));
    if (const auto* d = boost::variant2::get_if<double>(&v))
        return out + " " + std::to_string(std::bit_cast<std::uint64_t>(*d));
    return out + " " + to_source(v);
}

inline std::string describe(const dsl::ast::Fact& f) {
    std::string out = "fact " + f.template_name.name + " " + describe(f.template_name.range) + " in " +
                      describe(f.range) + "\n";
    for (const dsl::ast::FactArg& a : f.args) {
        out += "  arg " + describe(a.range) + ": ";
        if (a.field) out += "field " + a.field->name + " " + describe(a.field->range) + ", ";
        out += describe(a.value.value) + " " + describe(a.value.range) + "\n";
    }
    return out;
}

/// Reads `text` as the `.facts` file `name` against `program` with `reader`, checking each
/// fact as read_facts_file does, and writes out every fact read, what checking made of
/// it, then every diagnostic as rendered. With `checker_per_fact`, each fact has a
/// checker of its own, so that nothing a checker remembers from one fact bears on the next.
inline std::string read_facts_with(const dsl::Program& program, std::string_view text, dsl::FactsReader reader,
                                   bool checker_per_fact = false, std::string name = "test.facts") {
    dsl::SourceSet sources(*program.sources);
    const dsl::FileId id = sources.add(std::move(name), std::string(text));
    dsl::Diagnostics diags(sources);
    auto shared = std::make_unique<dsl::detail::FactChecker>(program, diags);
    std::string out;
    dsl::parse_facts(
        sources.file(id), diags,
        [&](const dsl::ast::Fact& f) {
            out += describe(f);
            if (checker_per_fact) shared = std::make_unique<dsl::detail::FactChecker>(program, diags);
            if (auto checked = shared->check(f)) {
                out += "  checked as template " + std::to_string(checked->tmpl) + " in " +
                       describe(checked->range) + ":";
                for (const Value& v : checked->values) out += " " + describe(v) + ";";
                out += "\n";
            } else {
                out += "  rejected\n";
            }
        },
        reader);
    for (const Diagnostic& d : diags.all()) out += render_diagnostic(d) + "\n";
    return out;
}

}  // namespace demarche::fuzz
