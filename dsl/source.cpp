// Line tables and byte-offset to line/column resolution.
#include "source.hpp"

#include <algorithm>
#include <cstring>
#include <tuple>

namespace demarche::dsl {

namespace {

bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

std::uint32_t count_code_points(std::string_view s) {
    return static_cast<std::uint32_t>(
        std::count_if(s.begin(), s.end(), [](char c) { return !is_continuation(static_cast<unsigned char>(c)); }));
}

// Lines longer than this are shown as a window around the column, so a 10 MB line
// gives a readable diagnostic instead of 10 MB of output.
constexpr std::size_t max_shown_line = 240;
constexpr std::size_t window_before = 80;

}  // namespace

FileId SourceSet::add(std::string path, std::string text) {
    auto f = std::make_shared<SourceFile>();
    f->id = static_cast<FileId>(files_.size());
    f->path = std::move(path);
    f->text = std::move(text);
    f->line_starts.push_back(0);
    const char* begin = f->text.data();
    const char* end = begin + f->text.size();
    for (const char* p = begin; (p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p))));)
        f->line_starts.push_back(static_cast<std::uint32_t>(++p - begin));
    FileId id = f->id;
    files_.push_back(std::move(f));
    return id;
}

SourceLocation SourceSet::locate(SourceRange r) const {
    const SourceFile& f = file(r.file);
    SourceLocation loc;
    loc.path = f.path;
    auto pos_of = [&](std::uint32_t offset, std::uint32_t& line, std::uint32_t& column) {
        offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(f.text.size()));
        auto it = std::upper_bound(f.line_starts.begin(), f.line_starts.end(), offset);
        std::size_t index = static_cast<std::size_t>(it - f.line_starts.begin()) - 1;
        line = static_cast<std::uint32_t>(index + 1);
        std::uint32_t start = f.line_starts[index];
        column = count_code_points(std::string_view(f.text).substr(start, offset - start)) + 1;
        return start;
    };
    std::uint32_t start = pos_of(r.begin, loc.line, loc.column);
    pos_of(std::max(r.end, r.begin), loc.end_line, loc.end_column);

    std::string_view rest = std::string_view(f.text).substr(start);
    std::string_view line = rest.substr(0, rest.find('\n'));
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() > max_shown_line) {
        // Cut on code-point boundaries around the error's byte offset.
        std::size_t at = std::min<std::size_t>(r.begin - start, line.size());
        std::size_t from = at > window_before ? at - window_before : 0;
        while (from > 0 && is_continuation(static_cast<unsigned char>(line[from]))) --from;
        std::size_t to = std::min(line.size(), from + max_shown_line);
        while (to < line.size() && is_continuation(static_cast<unsigned char>(line[to]))) ++to;
        loc.text_column = count_code_points(line.substr(0, from)) + 1;
        line = line.substr(from, to - from);
    }
    loc.line_text = std::string(line);
    return loc;
}

Diagnostic& Diagnostics::error(SourceRange r, std::string message) {
    ++errors_;
    return list_.emplace_back(Diagnostic{Severity::Error, std::move(message), sources_->locate(r), {}});
}

Diagnostic& Diagnostics::error_in_file(std::string path, std::string message) {
    ++errors_;
    SourceLocation loc;
    loc.path = std::move(path);
    return list_.emplace_back(Diagnostic{Severity::Error, std::move(message), std::move(loc), {}});
}

Diagnostic& Diagnostics::warning(SourceRange r, std::string message) {
    return list_.emplace_back(Diagnostic{Severity::Warning, std::move(message), sources_->locate(r), {}});
}

void Diagnostics::note(Diagnostic& d, SourceRange r, std::string message) const {
    d.notes.push_back(DiagnosticNote{std::move(message), sources_->locate(r)});
}

void Diagnostics::sort_by_position(std::size_t first) {
    std::stable_sort(list_.begin() + static_cast<std::ptrdiff_t>(first), list_.end(),
                     [](const Diagnostic& a, const Diagnostic& b) {
                         return std::tie(a.location.line, a.location.column) <
                                std::tie(b.location.line, b.location.column);
                     });
}

std::vector<Diagnostic> Diagnostics::take() {
    std::vector<Diagnostic> out(std::make_move_iterator(list_.begin()), std::make_move_iterator(list_.end()));
    list_.clear();
    return out;
}

}  // namespace demarche::dsl
