// Comments back into canonical text: a scanner that finds them (and the tokens the tree
// keeps no range for), then each comment placed beside the printed line whose source
// bytes lie nearest to it.
#include "format.hpp"

#include "parser.hpp"
#include "printer.hpp"

#include <algorithm>
#include <numeric>

namespace demarche::dsl {

namespace {

bool is_word_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

std::uint32_t to_offset(std::size_t i) { return static_cast<std::uint32_t>(i); }

// True when [a, b) holds only whitespace, with at least one empty line in it.
bool blank_line_between(std::string_view text, std::uint32_t a, std::uint32_t b) {
    if (a >= b) return false;
    int newlines = 0;
    for (std::uint32_t i = a; i < b; ++i) {
        if (!is_blank(text[i])) return false;
        if (text[i] == '\n') ++newlines;
    }
    return newlines >= 2;
}

// The line that opens the construct `closing` ends: the nearest line above at its depth
// that is not itself a closing line (`rule` for `end`, `template t {` for `}`).
std::size_t opening_line(const std::vector<Line>& lines, std::size_t closing) {
    for (std::size_t i = closing; i-- > 0;)
        if (lines[i].depth == lines[closing].depth && !lines[i].closing) return i;
    return closing;
}

}  // namespace

SourceMap::SourceMap(std::string_view text) : text_(text) {
    std::size_t i = 0;
    const std::size_t n = text.size();
    std::size_t line_start = 0;
    std::uint32_t last_code_end = 0;
    std::uint32_t last_end = 0;  // of the last token or comment
    bool seen_any = false;
    while (i < n) {
        const char c = text[i];
        if (c == '\n') {
            line_start = ++i;
            continue;
        }
        if (is_blank(c)) {
            ++i;
            continue;
        }
        if (c == '#') {
            std::size_t e = text.find('\n', i);
            if (e == std::string_view::npos) e = n;
            std::size_t trimmed = e;
            while (trimmed > i && is_blank(text[trimmed - 1])) --trimmed;
            Comment com;
            com.begin = to_offset(i);
            com.end = to_offset(trimmed);
            com.code_before = last_code_end;
            com.own_line = std::all_of(text.begin() + static_cast<std::ptrdiff_t>(line_start),
                                       text.begin() + static_cast<std::ptrdiff_t>(i), is_blank);
            com.blank_before = com.own_line && seen_any && blank_line_between(text, last_end, com.begin);
            comments_.push_back(com);
            last_end = com.end;
            seen_any = true;
            i = e;
            continue;
        }
        std::size_t e = i + 1;
        if (c == '"') {
            // A string token runs to its closing quote; escapes never end it.
            while (e < n && text[e] != '"' && text[e] != '\n') e += text[e] == '\\' ? 2 : 1;
            e = std::min(n, e + 1);
        } else if (is_word_char(c)) {
            while (e < n && is_word_char(text[e])) ++e;
        }
        tokens_.emplace_back(to_offset(i), to_offset(e));
        last_code_end = last_end = to_offset(e);
        seen_any = true;
        i = e;
    }
}

bool SourceMap::has_comment(std::uint32_t begin, std::uint32_t end) const {
    auto it = std::lower_bound(comments_.begin(), comments_.end(), begin,
                               [](const Comment& c, std::uint32_t at) { return c.begin < at; });
    return it != comments_.end() && it->begin < end;
}

std::uint32_t SourceMap::find(std::uint32_t from, std::string_view word, std::uint32_t fallback) const {
    auto it = std::lower_bound(tokens_.begin(), tokens_.end(), from,
                               [](const auto& t, std::uint32_t at) { return t.first < at; });
    for (; it != tokens_.end(); ++it)
        if (text_.substr(it->first, it->second - it->first) == word) return it->first;
    return fallback;
}

std::pair<std::uint32_t, std::uint32_t> SourceMap::token_at(std::uint32_t from) const {
    auto it = std::lower_bound(tokens_.begin(), tokens_.end(), from,
                               [](const auto& t, std::uint32_t at) { return t.first < at; });
    return it != tokens_.end() ? *it : std::pair<std::uint32_t, std::uint32_t>{from, from};
}

std::string format_rules(const ast::File& file, const SourceFile& src) {
    const SourceMap map(src.text);
    Layout layout(&map);
    layout_file(layout, file);
    const std::vector<Line> lines = layout.take();
    const std::string_view text = src.text;

    // Lines by source position (output order among equals), to find the nearest one.
    std::vector<std::size_t> by_begin(lines.size());
    std::iota(by_begin.begin(), by_begin.end(), std::size_t{0});
    std::stable_sort(by_begin.begin(), by_begin.end(),
                     [&](std::size_t a, std::size_t b) { return lines[a].begin < lines[b].begin; });
    auto first_at_or_after = [&](std::uint32_t at) {
        return std::lower_bound(by_begin.begin(), by_begin.end(), at,
                                [&](std::size_t l, std::uint32_t x) { return lines[l].begin < x; });
    };
    auto first_after = [&](std::uint32_t at) {
        return std::upper_bound(by_begin.begin(), by_begin.end(), at,
                                [&](std::uint32_t x, std::size_t l) { return x < lines[l].begin; });
    };

    std::vector<std::vector<const Comment*>> leading(lines.size());
    std::vector<const Comment*> trailing(lines.size(), nullptr);
    std::vector<const Comment*> at_end;
    // Where the last comment went, as a place in the output (2 * line, + 1 for the end of
    // the line): a comment never goes before the one written above it.
    std::size_t last_place = 0;
    auto lead = [&](std::size_t line, const Comment* c) {
        line = std::max(line, last_place / 2 + last_place % 2);
        if (line < lines.size()) leading[line].push_back(c);
        else at_end.push_back(c);
        last_place = 2 * line;
    };
    for (const Comment& c : map.comments()) {
        // Inside a line's code: it cannot stay where it was, so it goes just before.
        auto after = first_after(c.begin);
        if (after != by_begin.begin()) {
            const Line& l = lines[*std::prev(after)];
            if (l.begin < c.begin && c.begin < l.end) {
                lead(*std::prev(after), &c);
                continue;
            }
        }
        if (c.own_line || c.code_before == 0) {
            auto next = first_at_or_after(c.begin);
            lead(next != by_begin.end() ? *next : lines.size(), &c);
            continue;
        }
        auto owner = first_after(c.code_before - 1);
        std::size_t line = owner != by_begin.begin() ? *std::prev(owner) : 0;
        // After a construct written on one line, the comment is about all of it: it goes
        // on the construct's first line rather than on its closing one.
        if (line < lines.size() && lines[line].closing) {
            const std::size_t head = opening_line(lines, line);
            if (head < line && text.substr(lines[head].begin, c.begin - lines[head].begin).find('\n') ==
                                   std::string_view::npos)
                line = head;
        }
        if (line < lines.size() && trailing[line] == nullptr && 2 * line + 1 >= last_place) {
            trailing[line] = &c;
            last_place = 2 * line + 1;
        } else {
            lead(line + 1, &c);
        }
    }

    std::string out;
    bool last_blank = true;  // nothing written yet: no empty line to open the file
    auto write_indent = [&out](int depth) { out.append(static_cast<std::size_t>(depth) * 4, ' '); };
    auto write_comment = [&](const Comment& c, int depth) {
        if (c.blank_before && !last_blank) out += '\n';
        write_indent(depth);
        out += text.substr(c.begin, c.end - c.begin);
        out += '\n';
        last_blank = false;
    };
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const Line& l = lines[i];
        if (l.blank_before && !last_blank) {
            out += '\n';
            last_blank = true;
        }
        std::vector<const Comment*>& before = leading[i];
        std::sort(before.begin(), before.end(), [](const Comment* a, const Comment* b) { return a->begin < b->begin; });
        for (const Comment* c : before) write_comment(*c, l.closing ? l.depth + 1 : l.depth);
        if (!before.empty() && blank_line_between(text, before.back()->end, l.begin)) out += '\n';
        write_indent(l.depth);
        out += l.text;
        if (trailing[i] != nullptr) {
            out += "  ";
            out += text.substr(trailing[i]->begin, trailing[i]->end - trailing[i]->begin);
        }
        out += '\n';
        last_blank = false;
    }
    for (const Comment* c : at_end) write_comment(*c, 0);
    return out;
}

std::optional<std::string> format_source(const SourceFile& src, Diagnostics& diags) {
    const std::size_t errors_before = diags.error_count();
    ast::File file = parse_rules(src, diags);
    if (diags.error_count() != errors_before) return std::nullopt;
    return format_rules(file, src);
}

}  // namespace demarche::dsl
