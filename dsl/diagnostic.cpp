// Compiler-style rendering of diagnostics, as text for people and JSON for tools.
#include <demarche/diagnostic.hpp>

#include <nlohmann/json.hpp>

#include <string_view>

namespace demarche {

namespace {

constexpr std::string_view bold = "\033[1m";
constexpr std::string_view reset = "\033[0m";
constexpr std::string_view green = "\033[1;32m";

std::string_view severity_color(Severity s) {
    switch (s) {
    case Severity::Error: return "\033[1;31m";
    case Severity::Warning: return "\033[1;35m";
    case Severity::Note: return "\033[1;36m";
    }
    return "";
}

bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Input text reaches the terminal through messages and source lines: a NUL, a CR or an
// escape sequence from a rule file must not move the cursor or recolour the screen.
// Each control character but tab becomes U+FFFD, one code point, so carets still line up.
std::string printable(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && c != '\t') || u == 0x7F) out += "\xEF\xBF\xBD";
        else out += c;
    }
    return out;
}

// One block: `path:line:col: severity: message`, then the line and its underline.
void render_one(std::string& out, Severity severity, const std::string& message,
                const SourceLocation& raw, bool color) {
    SourceLocation loc = raw;
    loc.path = printable(raw.path);
    loc.line_text = printable(raw.line_text);
    auto paint = [&](std::string_view code, std::string_view text) {
        if (color) out.append(code);
        out.append(text);
        if (color) out.append(reset);
    };
    std::string where = loc.path;
    if (loc.line > 0) where += ":" + std::to_string(loc.line) + ":" + std::to_string(loc.column);
    paint(bold, where + ":");
    out += ' ';
    paint(severity_color(severity), std::string(severity_name(severity)) + ":");
    out += ' ';
    paint(bold, printable(message));
    out += '\n';
    if (loc.line == 0) return;

    std::string gutter = std::to_string(loc.line);
    std::string blank(gutter.size(), ' ');
    bool cut_before = loc.text_column > 1;
    out += ' ' + gutter + " | " + (cut_before ? "..." : "") + loc.line_text + '\n';
    out += ' ' + blank + " | " + (cut_before ? "   " : "");

    // Walk the shown text in code points; keep tabs so the caret lines up.
    std::string marks;
    std::uint32_t column = loc.text_column;
    std::uint32_t last = (loc.end_line == loc.line && loc.end_column > loc.column) ? loc.end_column : loc.column + 1;
    bool caret_done = false;
    for (std::size_t i = 0; i < loc.line_text.size() && column < last; ++i) {
        unsigned char c = static_cast<unsigned char>(loc.line_text[i]);
        if (is_continuation(c)) continue;
        if (column < loc.column) marks += c == '\t' ? '\t' : ' ';
        else if (!caret_done) { marks += '^'; caret_done = true; }
        else marks += '~';
        ++column;
    }
    if (!caret_done) {
        // The spot is past the end of the line (e.g. a missing `end` at end of file).
        marks.append(loc.column > column ? loc.column - column : 0, ' ');
        marks += '^';
    }
    paint(green, marks);
    out += '\n';
}

}  // namespace

const char* severity_name(Severity s) noexcept {
    switch (s) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Note: return "note";
    }
    return "error";
}

std::string render_diagnostic(const Diagnostic& d, bool color) {
    std::string out;
    render_one(out, d.severity, d.message, d.location, color);
    for (const auto& n : d.notes) render_one(out, Severity::Note, n.message, n.location, color);
    return out;
}

namespace {
nlohmann::json location_json(const SourceLocation& loc) {
    return {{"file", loc.path},        {"line", loc.line},         {"column", loc.column},
            {"end_line", loc.end_line}, {"end_column", loc.end_column}};
}
}  // namespace

std::string diagnostic_to_json(const Diagnostic& d) {
    nlohmann::json j = location_json(d.location);
    j["severity"] = severity_name(d.severity);
    j["message"] = d.message;
    j["notes"] = nlohmann::json::array();
    for (const auto& n : d.notes) {
        nlohmann::json note = location_json(n.location);
        note["message"] = n.message;
        j["notes"].push_back(std::move(note));
    }
    // Paths come from the file system and may not be UTF-8; never throw on them.
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace demarche
