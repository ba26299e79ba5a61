// Source positions, diagnostic rendering, value printing, and file loading.
#include "dsl/loader.hpp"
#include "dsl/source.hpp"

#include <demarche/diagnostic.hpp>
#include <demarche/value.hpp>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

using namespace demarche;
using namespace demarche::dsl;

TEST_CASE("locate resolves byte offsets to lines and code-point columns", "[source]") {
    SourceSet set;
    FileId id = set.add("a.rules", "first\nsécond line\n\nlast");
    SourceLocation loc = set.locate({id, 9, 15});  // "cond l" on line 2, after the 2-byte é
    CHECK(loc.path == "a.rules");
    CHECK(loc.line == 2);
    CHECK(loc.column == 3);
    CHECK(loc.end_line == 2);
    CHECK(loc.end_column == 9);
    CHECK(loc.line_text == "sécond line");

    SourceLocation end = set.locate({id, 24, 24});
    CHECK(end.line == 4);
    CHECK(end.column == 5);
    CHECK(end.line_text == "last");
}

TEST_CASE("a very long line is shown as a window around the column", "[source]") {
    SourceSet set;
    std::string text(1'000'000, 'x');
    text[500'000] = '!';
    FileId id = set.add("long.rules", text);
    SourceLocation loc = set.locate({id, 500'000, 500'001});
    CHECK(loc.column == 500'001);
    CHECK(loc.line_text.size() <= 240);
    CHECK(loc.text_column > 1);
    CHECK(loc.line_text[loc.column - loc.text_column] == '!');
}

TEST_CASE("render_diagnostic prints location, line and underline", "[diagnostic]") {
    SourceSet set;
    FileId id = set.add("case.rules", "rule r when\n  ?o <- ofer(kind: x)\nthen end\n");
    Diagnostics diags(set);
    Diagnostic& d = diags.error({id, 20, 24}, "unknown template 'ofer'; did you mean 'offer'?");
    diags.note(d, {id, 0, 4}, "in this rule");
    CHECK(render_diagnostic(d) ==
          "case.rules:2:9: error: unknown template 'ofer'; did you mean 'offer'?\n"
          " 2 |   ?o <- ofer(kind: x)\n"
          "   |         ^~~~\n"
          "case.rules:1:1: note: in this rule\n"
          " 1 | rule r when\n"
          "   | ^~~~\n");
    CHECK(diags.has_errors());
    CHECK(diags.error_count() == 1);
}

TEST_CASE("render_diagnostic keeps tabs and marks a spot past the end of the line", "[diagnostic]") {
    SourceSet set;
    FileId id = set.add("t.rules", "\tab");
    Diagnostics diags(set);
    Diagnostic& d = diags.error({id, 3, 3}, "expected 'end'");
    CHECK(render_diagnostic(d) == "t.rules:1:4: error: expected 'end'\n 1 | \tab\n   | \t  ^\n");
}

TEST_CASE("diagnostics without a position print only the header", "[diagnostic]") {
    SourceSet set;
    Diagnostics diags(set);
    Diagnostic& d = diags.error_in_file("missing.rules", "no such file or folder");
    CHECK(render_diagnostic(d) == "missing.rules: error: no such file or folder\n");
    CHECK(diagnostic_to_json(d) ==
          R"({"column":0,"end_column":0,"end_line":0,"file":"missing.rules","line":0,"message":"no such file or folder","notes":[],"severity":"error"})");
}

TEST_CASE("values print as the contract says", "[value]") {
    CHECK(to_display(Value{Symbol::intern("US")}) == "US");
    CHECK(to_display(Value{std::string("a \"b\"")}) == "a \"b\"");
    CHECK(to_source(Value{std::string("a \"b\"\n")}) == "\"a \\\"b\\\"\\n\"");
    CHECK(to_display(Value{std::int64_t{-7}}) == "-7");
    CHECK(to_display(Value{0.75}) == "0.75");
    CHECK(to_display(Value{2.0}) == "2.0");
    CHECK(to_display(Value{-1.5e300}) == "-1.5e+300");
    CHECK(to_display(Value{true}) == "true");
}

TEST_CASE("symbols and strings never compare equal", "[value]") {
    Value sym{Symbol::intern("US")};
    Value str{std::string("US")};
    CHECK_FALSE(same_value(sym, str));
    CHECK(same_value(sym, Value{Symbol::intern("US")}));
    CHECK(hash_value(sym) == hash_value(Value{Symbol::intern("US")}));
    CHECK_FALSE(same_value(Value{std::int64_t{1}}, Value{1.0}));
}

namespace {
std::string write_temp(const std::string& name, const std::string& text) {
    auto dir = std::filesystem::temp_directory_path() / "demarche_unit";
    std::filesystem::create_directories(dir);
    auto path = dir / name;
    std::ofstream(path, std::ios::binary) << text;
    return path.string();
}
}  // namespace

TEST_CASE("read_source rejects invalid UTF-8 at the first bad byte", "[loader]") {
    SourceSet set;
    Diagnostics diags(set);
    for (const char* bad : {"ok\n\xff", "ok\n\xC0\x80", "ok\n\xED\xA0\x80", "ok\n\xE2\x82"}) {
        std::string path = write_temp("bad.rules", bad);
        CHECK(read_source(path, set, diags) == nullptr);
        REQUIRE(!diags.all().empty());
        CHECK(diags.all().back().location.line == 2);
        CHECK(diags.all().back().location.column == 1);
    }
    std::string good = write_temp("good.rules", "caf\xC3\xA9 \xF0\x9F\x98\x80\n");
    CHECK(read_source(good, set, diags) != nullptr);
}

TEST_CASE("read_source reports missing files and folders", "[loader]") {
    SourceSet set;
    Diagnostics diags(set);
    CHECK(read_source("/nonexistent/x.rules", set, diags) == nullptr);
    CHECK(read_source(std::filesystem::temp_directory_path().string(), set, diags) == nullptr);
    CHECK(diags.error_count() == 2);
}
