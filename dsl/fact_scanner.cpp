// The `.facts` fast path; see fact_scanner.hpp. Each function below follows one rule of
// grammar.hpp and answers false wherever that rule would fail or raise an error.
#include "fact_scanner.hpp"

#include "grammar.hpp"
#include "literals.hpp"

#include <array>
#include <cstring>
#include <string_view>

namespace demarche::dsl::detail {
namespace {

// Character classes, looked up in a table: a chain of comparisons per byte cost more
// than the rest of the scanning together.
enum : unsigned char { space = 1, digit = 2, word_first = 4, word_char = 8 };

constexpr std::array<unsigned char, 256> classes = [] {
    std::array<unsigned char, 256> t{};
    // PEGTL's ascii::space, which `ws` is made of.
    for (unsigned char c : {' ', '\n', '\r', '\t', '\v', '\f'}) t[c] = space;
    for (int c = '0'; c <= '9'; ++c) t[static_cast<unsigned char>(c)] = digit | word_char;
    for (int c = 'a'; c <= 'z'; ++c) t[static_cast<unsigned char>(c)] = word_first | word_char;
    for (int c = 'A'; c <= 'Z'; ++c) t[static_cast<unsigned char>(c)] = word_first | word_char;
    t['_'] = word_first | word_char;
    return t;
}();

bool is(char c, unsigned char cls) { return (classes[static_cast<unsigned char>(c)] & cls) != 0; }
bool is_space(char c) { return is(c, space); }
bool is_digit(char c) { return is(c, digit); }
bool is_word_first(char c) { return is(c, word_first); }
bool is_word_char(char c) { return is(c, word_char); }

// Facts in a file mostly repeat the names of the one before: comparing is cheaper than
// copying.
void assign(std::string& to, std::string_view from) {
    if (to != from) to.assign(from);
}

class Scanner {
public:
    explicit Scanner(const SourceFile& file)
        : file_(file.id), base_(file.text.data()), p_(base_), end_(base_ + file.text.size()) {}

    std::size_t offset() const { return static_cast<std::size_t>(p_ - base_); }
    bool at_end() const { return p_ == end_; }

    // ws: blanks, and comments from '#' up to and including the line break. A comment
    // ends at the first '\n' whether or not a '\r' comes before it, as `until<eolf>` does.
    void skip_ws() {
        while (p_ != end_) {
            if (is_space(*p_)) {
                ++p_;
            } else if (*p_ == '#') {
                const void* nl = std::memchr(p_, '\n', static_cast<std::size_t>(end_ - p_));
                p_ = nl == nullptr ? end_ : static_cast<const char*>(nl) + 1;
            } else {
                return;
            }
        }
    }

    // fact: name ws '(' ws [ fact_arg { ws ',' ws fact_arg } ] ws ')'
    bool fact(ast::Fact& f) {
        const char* const begin = p_;
        const std::string_view name = word();
        if (name.empty() || grammar::is_keyword(name)) return false;
        assign(f.template_name.name, name);
        f.template_name.range = range(begin, p_);
        skip_ws();
        if (!take('(')) return false;
        skip_ws();
        std::size_t n = 0;
        if (p_ != end_ && *p_ != ')') {
            for (;;) {
                if (n == f.args.size()) f.args.push_back({std::nullopt, {Value(false), {}}, {}});
                if (!fact_arg(f.args[n++])) return false;
                skip_ws();
                if (!take(',')) break;
                skip_ws();
            }
        }
        if (!take(')')) return false;
        f.args.erase(f.args.begin() + static_cast<std::ptrdiff_t>(n), f.args.end());
        f.range = range(begin, p_);
        return true;
    }

private:
    bool take(char c) {
        if (p_ == end_ || *p_ != c) return false;
        ++p_;
        return true;
    }

    // An identifier (letters, digits, '_', not starting with a digit), or empty.
    std::string_view word() {
        const char* const begin = p_;
        if (p_ == end_ || !is_word_first(*p_)) return {};
        ++p_;
        while (p_ != end_ && is_word_char(*p_)) ++p_;
        return {begin, static_cast<std::size_t>(p_ - begin)};
    }

    // fact_arg: identifier ws ':' ws literal | literal
    bool fact_arg(ast::FactArg& a) {
        const char* const begin = p_;
        const std::string_view w = word();
        if (!w.empty()) {
            const char* const word_end = p_;
            skip_ws();
            if (take(':')) {
                // A reserved word before ':' is reported as such by the grammar.
                if (grammar::is_keyword(w)) return false;
                if (!a.field) a.field.emplace();
                assign(a.field->name, w);
                a.field->range = range(begin, word_end);
                skip_ws();
                if (!literal(a.value)) return false;
            } else {
                a.field.reset();
                if (!word_literal(w, a.value.value)) return false;
                a.value.range = range(begin, word_end);
                // The blanks just skipped belong to the space after the argument.
                a.range = a.value.range;
                return true;
            }
        } else {
            a.field.reset();
            if (!literal(a.value)) return false;
        }
        a.range = range(begin, p_);
        return true;
    }

    // literal: number | string | 'true' | 'false' | symbol
    bool literal(ast::Literal& lit) {
        if (p_ == end_) return false;
        const char* const begin = p_;
        if (*p_ == '"') {
            if (!string(lit.value)) return false;
        } else if (*p_ == '-' || is_digit(*p_)) {
            if (!number(lit.value)) return false;
        } else {
            if (!word_literal(word(), lit.value)) return false;
        }
        lit.range = range(begin, p_);
        return true;
    }

    // A whole word as a literal: `true`, `false` or a symbol; other reserved words (and
    // the empty word) are not literals.
    static bool word_literal(std::string_view w, Value& v) {
        if (w == "true") {
            v = true;
        } else if (w == "false") {
            v = false;
        } else if (w.empty() || grammar::is_keyword(w)) {
            return false;
        } else {
            v = Symbol::intern(w);
        }
        return true;
    }

    // number: [ '-' ] digits [ '.' digits ] [ ( 'e' | 'E' ) [ '+' | '-' ] digits ]
    bool number(Value& v) {
        const char* const begin = p_;
        take('-');
        if (!digits()) return false;
        bool is_float = false;
        if (p_ != end_ && *p_ == '.' && p_ + 1 != end_ && is_digit(p_[1])) {
            ++p_;
            digits();
            is_float = true;
        }
        if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
            ++p_;
            if (!take('+')) take('-');
            // An exponent without digits is an error of the grammar's.
            if (!digits()) return false;
            is_float = true;
        }
        std::optional<Value> value = number_value({begin, static_cast<std::size_t>(p_ - begin)}, is_float);
        if (!value) return false;
        v = std::move(*value);
        return true;
    }

    bool digits() {
        const char* const begin = p_;
        while (p_ != end_ && is_digit(*p_)) ++p_;
        return p_ != begin;
    }

    // string: '"' { any byte but '"' '\' newline | '\' ( '"' | '\' | 'n' | 't' ) } '"'
    bool string(Value& v) {
        const char* const begin = p_++;
        bool escaped = false;
        for (;;) {
            if (p_ == end_ || *p_ == '\n') return false;
            if (*p_ == '"') break;
            if (*p_ == '\\') {
                if (p_ + 1 == end_) return false;
                const char e = p_[1];
                if (e != '"' && e != '\\' && e != 'n' && e != 't') return false;
                escaped = true;
                p_ += 2;
                continue;
            }
            ++p_;
        }
        ++p_;
        const std::string_view quoted(begin, static_cast<std::size_t>(p_ - begin));
        if (escaped)
            v = String(unescape(quoted));
        else
            v = String(quoted.substr(1, quoted.size() - 2));
        return true;
    }

    SourceRange range(const char* b, const char* e) const {
        return {file_, static_cast<std::uint32_t>(b - base_), static_cast<std::uint32_t>(e - base_)};
    }

    FileId file_;
    const char* base_;
    const char* p_;
    const char* end_;
};

}  // namespace

std::size_t scan_facts(const SourceFile& file, ast::Fact& fact, const FactSink& sink) {
    Scanner scanner(file);
    for (;;) {
        scanner.skip_ws();
        if (scanner.at_end()) return file.text.size();
        const std::size_t begin = scanner.offset();
        if (!scanner.fact(fact)) return begin;
        sink(fact);
    }
}

}  // namespace demarche::dsl::detail
