// Syntax tree back to canonical text (`demarche fmt`): 4-space indent, one condition or
// action per line, minimal parentheses, arguments broken one per line when a line would
// pass max_line_width. Printing a parsed file and parsing the result gives the same tree,
// so printing again gives the same text.
//
// The printer lays a file out as a list of lines, each remembering the bytes of the
// source it stands for; the formatter (format.hpp) uses those anchors to put the
// comments, which the tree does not hold, back next to the code they were written beside.
#pragma once

#include "ast.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace demarche::dsl {

/// Widest line (in characters, indent included, trailing comment excluded) the printer
/// writes by choice: a pattern, fact, `assert`, `modify` or `print` wider than this is
/// broken one argument per line. A line holding one string (a rule's description), an
/// expression or a single argument can still be wider: those are never split.
inline constexpr std::size_t max_line_width = 100;

/// One `#` comment of a source file.
struct Comment {
    std::uint32_t begin = 0;    ///< offset of the `#`
    std::uint32_t end = 0;      ///< end of the comment text, trailing blanks excluded
    std::uint32_t code_before = 0;  ///< offset just past the last code byte before it
    bool own_line = false;      ///< nothing but blanks before it on its line
    bool blank_before = false;  ///< own_line, and an empty line lies between it and what precedes it
};

/// What the printer needs of the source text when formatting it (rather than printing a
/// tree built some other way): its comments, and where the tokens the tree keeps no range
/// for (`when`, `then`, `{`, a rule's description) start. Built by the scanner in format.cpp.
class SourceMap {
public:
    /// Scans `text`, which must stay alive as long as the map. Strings are skipped as
    /// tokens, so a `#` inside one is not a comment.
    explicit SourceMap(std::string_view text);

    std::string_view text() const noexcept { return text_; }
    const std::vector<Comment>& comments() const noexcept { return comments_; }
    /// True when a comment starts in [begin, end).
    bool has_comment(std::uint32_t begin, std::uint32_t end) const;
    /// Start of the first code token at or after `from` that reads `word`; `fallback` if none.
    std::uint32_t find(std::uint32_t from, std::string_view word, std::uint32_t fallback) const;
    /// [begin, end) of the first code token at or after `from`; {from, from} at the end.
    std::pair<std::uint32_t, std::uint32_t> token_at(std::uint32_t from) const;

private:
    std::string_view text_;
    std::vector<Comment> comments_;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> tokens_;  // [begin, end) of each code token
};

/// One printed line and the source bytes it stands for.
struct Line {
    int depth = 0;  ///< indent, in units of four spaces
    std::string text;
    std::uint32_t begin = 0;  ///< source bytes [begin, end) it stands for (0, 0 without a SourceMap)
    std::uint32_t end = 0;
    bool blank_before = false;  ///< the first line of a declaration other than the first
    bool closing = false;       ///< `}`, `when`, `then`, `end`: comments before it belong to the block above
};

/// The lines of a file being printed. With a SourceMap, a node with a comment inside
/// is broken over lines so the comment can stay beside its part.
class Layout {
public:
    explicit Layout(const SourceMap* source = nullptr) : source_(source) {}

    /// The next line begins a declaration (a blank line before it unless it is the first).
    void begin_declaration() { next_blank_ = !lines_.empty(); }
    /// Adds a line standing for the source bytes [begin, end).
    void add(int depth, std::string text, std::uint32_t begin, std::uint32_t end, bool closing = false);
    /// True when `one_line` at `depth` would pass max_line_width.
    static bool too_wide(int depth, std::string_view one_line) noexcept;
    /// True when formatting and a comment lies inside the source bytes [begin, end) (after
    /// their first byte), so the node there must be broken over lines to keep it in place.
    bool has_comment_inside(std::uint32_t begin, std::uint32_t end) const;
    /// SourceMap::find, or 0 when printing without a source.
    std::uint32_t find(std::uint32_t from, std::string_view word) const;
    const SourceMap* source() const noexcept { return source_; }

    const std::vector<Line>& lines() const noexcept { return lines_; }
    std::vector<Line> take() { return std::move(lines_); }

private:
    const SourceMap* source_;
    std::vector<Line> lines_;
    bool next_blank_ = false;
};

/// Lays out every declaration of `file`, in order.
void layout_file(Layout& layout, const ast::File& file);

/// Lays out the conditions of a rule, query or group, one per line at `depth`.
void layout_conditions(Layout& layout, const std::vector<ast::Condition>& conds, int depth);

/// Lays out one action at `depth`.
void layout_action(Layout& layout, const ast::Action& action, int depth);

/// Lays out one fact at `depth`, as inside `facts { }`.
void layout_fact(Layout& layout, const ast::Fact& fact, int depth);

/// The lines joined, four spaces per indent level, each ending in a newline, with one
/// blank line before each declaration but the first.
std::string join_lines(const std::vector<Line>& lines);

/// The whole file in canonical form; declarations separated by one blank line.
/// Comments are not part of the tree and do not survive (see format.hpp for that).
std::string print_file(const ast::File& file);

/// One fact on one line, as in a `.facts` file: `edge(a, b)`, `person(name: "x", age: 42)`.
std::string print_fact(const ast::Fact& fact);

/// One expression with the fewest parentheses that keep its tree.
std::string print_expr(const ast::Expr& expr);

/// Number of characters (UTF-8 code points) in `s`.
std::size_t display_width(std::string_view s) noexcept;

}  // namespace demarche::dsl
