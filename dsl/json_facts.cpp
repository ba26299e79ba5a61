// JSON fact files to initial facts: a small recursive-descent JSON reader that keeps the
// byte offset of every element, so each problem is reported where it is.
//
// Shape: an array of {"template": NAME, "slots": {FIELD: VALUE}}. A fact may leave out
// "slots" when every field has a default. A JSON string becomes a symbol in a `symbol`
// field and a string in a `string` field; an `any` field takes it as a string (JSON has
// no separate symbol type, and the JSON output writes both as strings, so "string" is the
// reading that loses nothing). Integers in `any` fields stay ints, other numbers floats.
#include "checker.hpp"
#include "checker_support.hpp"
#include "literals.hpp"

#include <cstdint>

namespace demarche::dsl {

namespace {

/// Facts need three levels (array, fact, slots); anything much deeper is a mistake, and
/// the bound keeps hostile input from exhausting the stack.
constexpr unsigned max_json_depth = 64;

/// The text of a string or number: a view into the file when it needed no decoding (a
/// number's lexeme, a string without escapes), which costs no allocation.
class JsonText {
public:
    JsonText() = default;
    explicit JsonText(std::string_view source) : source_(source) {}
    explicit JsonText(std::string decoded) : decoded_(std::move(decoded)), is_decoded_(true) {}
    std::string_view view() const noexcept { return is_decoded_ ? std::string_view(decoded_) : source_; }
    std::string str() const { return std::string(view()); }

private:
    std::string_view source_;
    std::string decoded_;
    bool is_decoded_ = false;
};

struct JsonMember;

struct JsonValue {
    enum class Type { Null, Bool, Number, String, Array, Object };
    Type type = Type::Null;
    SourceRange range;
    bool boolean = false;
    JsonText text;  ///< String: the decoded text; Number: the lexeme
    std::vector<JsonValue> items;
    std::vector<JsonMember> members;
};

struct JsonMember {
    JsonText key;
    SourceRange key_range;
    JsonValue value;
};

struct JsonSyntaxError {
    std::uint32_t at;
    std::string message;
};

/// Whether a JSON number is stored as a float in `field`: it has a fraction or an
/// exponent, or the field is a float field (an int given to it is stored as a double).
bool json_number_is_float(std::string_view lexeme, const Field& field) noexcept {
    return detail::is_float_literal(lexeme) || field.type == FieldType::Float;
}

/// A JSON number as `field` stores it, or nothing when it is out of range.
std::optional<Value> json_number(std::string_view lexeme, const Field& field) {
    return detail::number_value(lexeme, json_number_is_float(lexeme, field));
}

class JsonReader {
public:
    explicit JsonReader(const SourceFile& file) : file_(file), text_(file.text) {}

    SourceRange range(std::uint32_t begin, std::uint32_t end) const { return {file_.id, begin, end}; }
    std::uint32_t pos() const { return static_cast<std::uint32_t>(pos_); }

    void skip_space() {
        while (pos_ < text_.size() &&
               (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r'))
            ++pos_;
    }
    bool at_end() const { return pos_ >= text_.size(); }
    char peek() const { return at_end() ? '\0' : text_[pos_]; }

    /// Consumes `c` (after whitespace) when it is next.
    bool accept(char c) {
        skip_space();
        if (peek() != c) return false;
        ++pos_;
        return true;
    }

    [[noreturn]] void fail(std::string message) const { throw JsonSyntaxError{pos(), std::move(message)}; }
    void rewind(std::uint32_t to) { pos_ = to; }

    /// Reads a fact written in the usual way, `{"template": NAME, "slots": {FIELD: SCALAR,
    /// ...}}`, that checks without a problem, straight into `out`, without building its
    /// JSON tree. Returns false as soon as anything is otherwise (another key order, an
    /// escape in a name, a nested value, a value the field does not take, a missing
    /// field...); the caller then rewinds and reads the element in full, which reports
    /// what is wrong. Either way the fact is the same.
    bool plain_fact(const Program& program, InitialFact& out) {
        skip_space();
        const std::uint32_t begin = pos();
        if (!accept('{') || !plain_key("template")) return false;
        const std::optional<std::string_view> name = plain_string();
        if (!name) return false;
        if (last_template_ == nullptr || last_template_->name != *name) {
            last_template_ = program.find_template(*name);
            if (last_template_ == nullptr) return false;
        }
        const Template& tmpl = *last_template_;
        const std::size_t n = tmpl.fields.size();
        given_.assign(n, false);
        out.tmpl = tmpl.id;
        out.values.assign(n, Value(false));
        if (accept(',')) {
            if (!plain_key("slots") || !accept('{')) return false;
            if (!accept('}')) {
                do {
                    const std::optional<std::string_view> key = plain_string();
                    if (!key || !accept(':')) return false;
                    const std::optional<FieldIndex> f = tmpl.field_index(*key);
                    if (!f || given_[*f]) return false;
                    given_[*f] = true;
                    if (!plain_scalar(tmpl.fields[*f], out.values[*f])) return false;
                } while (accept(','));
                if (!accept('}')) return false;
            }
        }
        if (!accept('}')) return false;
        for (std::size_t i = 0; i < n; ++i) {
            if (given_[i]) continue;
            if (!tmpl.fields[i].default_value) return false;
            out.values[i] = *tmpl.fields[i].default_value;
        }
        out.range = range(begin, pos());
        return true;
    }

    JsonValue value(unsigned depth) {
        skip_space();
        if (at_end()) fail("unexpected end of JSON input; expected a value");
        if (depth > max_json_depth)
            fail("JSON nested too deeply (more than " + std::to_string(max_json_depth) + " levels)");
        JsonValue v;
        const std::uint32_t begin = pos();
        const char c = peek();
        if (c == '[') {
            ++pos_;
            v.type = JsonValue::Type::Array;
            if (!accept(']')) {
                do v.items.push_back(value(depth + 1));
                while (accept(','));
                if (!accept(']')) fail("expected ',' or ']' in array");
            }
        } else if (c == '{') {
            ++pos_;
            v.type = JsonValue::Type::Object;
            if (!accept('}')) {
                do {
                    skip_space();
                    if (peek() != '"') fail("expected a string key in object");
                    JsonMember& m = v.members.emplace_back();
                    const std::uint32_t key_begin = pos();
                    m.key = string();
                    m.key_range = range(key_begin, pos());
                    if (!accept(':')) fail("expected ':' after object key");
                    m.value = value(depth + 1);
                } while (accept(','));
                if (!accept('}')) fail("expected ',' or '}' in object");
            }
        } else if (c == '"') {
            v.type = JsonValue::Type::String;
            v.text = string();
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            v.type = JsonValue::Type::Number;
            v.text = number();
        } else if (word("true")) {
            v.type = JsonValue::Type::Bool;
            v.boolean = true;
        } else if (word("false")) {
            v.type = JsonValue::Type::Bool;
        } else if (word("null")) {
            v.type = JsonValue::Type::Null;
        } else {
            fail("unexpected character in JSON; expected a value");
        }
        v.range = range(begin, pos());
        return v;
    }

private:
    /// A string without escapes or control characters, as a view into the file.
    std::optional<std::string_view> plain_string() {
        skip_space();
        if (peek() != '"') return std::nullopt;
        std::size_t stop = pos_ + 1;
        while (stop < text_.size() && text_[stop] != '"' && text_[stop] != '\\' &&
               static_cast<unsigned char>(text_[stop]) >= 0x20)
            ++stop;
        if (stop >= text_.size() || text_[stop] != '"') return std::nullopt;
        const std::string_view s = text_.substr(pos_ + 1, stop - pos_ - 1);
        pos_ = stop + 1;
        return s;
    }

    bool plain_key(std::string_view key) {
        const std::optional<std::string_view> k = plain_string();
        return k && *k == key && accept(':');
    }

    /// A string, number or boolean that `field` takes, as json_to_value would store it.
    bool plain_scalar(const Field& field, Value& out) {
        skip_space();
        const char c = peek();
        if (c == '"') {
            const std::optional<std::string_view> s = plain_string();
            if (!s) return false;
            if (field.type == FieldType::Symbol)
                out = Symbol::intern(*s);
            else
                out = String(*s);
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            const JsonText text = number();
            std::optional<Value> v = json_number(text.view(), field);
            if (!v) return false;
            out = std::move(*v);
        } else if (word("true")) {
            out = true;
        } else if (word("false")) {
            out = false;
        } else {
            return false;
        }
        // A number for a float field was read as a double, so a value the field
        // accepts needs no conversion (fit_value's int to float).
        return accepts(field.type, kind_of(out));
    }

    bool word(std::string_view w) {
        if (text_.substr(pos_, w.size()) != w) return false;
        pos_ += w.size();
        return true;
    }

    bool digits() {
        const std::size_t start = pos_;
        while (!at_end() && peek() >= '0' && peek() <= '9') ++pos_;
        return pos_ > start;
    }

    JsonText number() {
        const std::size_t start = pos_;
        if (peek() == '-') ++pos_;
        if (peek() == '0')
            ++pos_;
        else if (!digits())
            fail("expected digits in number");
        if (peek() == '.') {
            ++pos_;
            if (!digits()) fail("expected digits after '.' in number");
        }
        if (peek() == 'e' || peek() == 'E') {
            ++pos_;
            if (peek() == '+' || peek() == '-') ++pos_;
            if (!digits()) fail("expected digits in number exponent");
        }
        return JsonText(text_.substr(start, pos_ - start));
    }

    unsigned hex4() {
        unsigned code = 0;
        for (int i = 0; i < 4; ++i) {
            const char h = peek();
            unsigned digit = 0;
            if (h >= '0' && h <= '9')
                digit = static_cast<unsigned>(h - '0');
            else if (h >= 'a' && h <= 'f')
                digit = static_cast<unsigned>(h - 'a' + 10);
            else if (h >= 'A' && h <= 'F')
                digit = static_cast<unsigned>(h - 'A' + 10);
            else
                fail("expected four hex digits after \\u");
            code = code * 16 + digit;
            ++pos_;
        }
        return code;
    }

    static void append_utf8(std::string& out, unsigned cp) {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }

    JsonText string() {
        ++pos_;  // the opening quote
        // Most strings hold no escape: they are read as views into the file.
        const std::size_t start = pos_;
        std::size_t stop = start;
        while (stop < text_.size() && text_[stop] != '"' && text_[stop] != '\\' &&
               static_cast<unsigned char>(text_[stop]) >= 0x20)
            ++stop;
        if (stop < text_.size() && text_[stop] == '"') {
            pos_ = stop + 1;
            return JsonText(text_.substr(start, stop - start));
        }
        std::string out;
        for (;;) {
            if (at_end()) fail("unterminated string");
            const char c = text_[pos_];
            if (c == '"') {
                ++pos_;
                return JsonText(std::move(out));
            }
            if (static_cast<unsigned char>(c) < 0x20)
                fail("control character in string; write it as an escape");
            if (c != '\\') {
                // Copy the run of plain characters up to the next quote, escape or control
                // character in one step.
                std::size_t end = pos_ + 1;
                while (end < text_.size() && text_[end] != '"' && text_[end] != '\\' &&
                       static_cast<unsigned char>(text_[end]) >= 0x20)
                    ++end;
                out.append(text_, pos_, end - pos_);
                pos_ = end;
                continue;
            }
            ++pos_;
            const char e = peek();
            ++pos_;
            switch (e) {
                case '"':
                    out += '"';
                    break;
                case '\\':
                    out += '\\';
                    break;
                case '/':
                    out += '/';
                    break;
                case 'b':
                    out += '\b';
                    break;
                case 'f':
                    out += '\f';
                    break;
                case 'n':
                    out += '\n';
                    break;
                case 'r':
                    out += '\r';
                    break;
                case 't':
                    out += '\t';
                    break;
                case 'u': {
                    unsigned cp = hex4();
                    if (cp >= 0xDC00 && cp <= 0xDFFF) fail("unpaired surrogate in \\u escape");
                    if (cp >= 0xD800 && cp <= 0xDBFF) {
                        if (!word("\\u")) fail("unpaired surrogate in \\u escape");
                        const unsigned low = hex4();
                        if (low < 0xDC00 || low > 0xDFFF) fail("unpaired surrogate in \\u escape");
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                    }
                    append_utf8(out, cp);
                    break;
                }
                default:
                    pos_ -= 2;  // report at the backslash
                    fail("invalid escape in string");
            }
        }
    }

    const SourceFile& file_;
    std::string_view text_;
    std::size_t pos_ = 0;
    // plain_fact's memory: the last template named (files name one template again and
    // again) and which fields a fact gave.
    const Template* last_template_ = nullptr;
    std::vector<bool> given_;
};

/// Turns one JSON element into the value stored in `field`, or reports why it cannot be.
std::optional<Value> json_to_value(const Template& tmpl, FieldIndex f, const JsonValue& v,
                                   Diagnostics& diags) {
    const Field& field = tmpl.fields[f];
    Value value{false};
    switch (v.type) {
        case JsonValue::Type::Null:
            diags.error(v.range,
                        "null is not a value; leave field '" + field.name + "' out to take its default");
            return std::nullopt;
        case JsonValue::Type::Array:
        case JsonValue::Type::Object:
            diags.error(v.range, "field '" + field.name + "' of '" + tmpl.name +
                                     "' needs a string, number or boolean, not a JSON " +
                                     (v.type == JsonValue::Type::Array ? "array" : "object"));
            return std::nullopt;
        case JsonValue::Type::Bool:
            value = v.boolean;
            break;
        case JsonValue::Type::String:
            if (field.type == FieldType::Symbol)
                value = Symbol::intern(v.text.view());
            else
                value = String(v.text.view());
            break;
        case JsonValue::Type::Number: {
            std::optional<Value> number = json_number(v.text.view(), field);
            if (!number) {
                diags.error(v.range, "number " + v.text.str() + " is out of the " +
                                         (json_number_is_float(v.text.view(), field) ? "float" : "int64") + " range");
                return std::nullopt;
            }
            value = std::move(*number);
            break;
        }
    }
    return detail::fit_value(tmpl, f, value, v.range, diags);
}

/// Checks one element of the top-level array as a fact.
std::optional<InitialFact> json_fact(const Program& program, const JsonValue& v, Diagnostics& diags) {
    if (v.type != JsonValue::Type::Object) {
        diags.error(v.range, "expected a fact object {\"template\": NAME, \"slots\": {...}}");
        return std::nullopt;
    }
    const JsonValue* name = nullptr;
    const JsonValue* slots = nullptr;
    // A fact with a stray or repeated key is reported for that alone: its missing
    // fields would most likely be the misspelt key's.
    bool shape_ok = true;
    for (const JsonMember& m : v.members) {
        const std::string_view key = m.key.view();
        const JsonValue** target = key == "template" ? &name : key == "slots" ? &slots : nullptr;
        if (target == nullptr) {
            diags.error(m.key_range,
                        "unexpected key \"" + m.key.str() + "\" in a fact; a fact has \"template\" and \"slots\"");
            shape_ok = false;
        } else if (*target != nullptr) {
            diags.error(m.key_range, "key \"" + m.key.str() + "\" is given twice");
            shape_ok = false;
        } else {
            *target = &m.value;
        }
    }
    if (name == nullptr) {
        diags.error(v.range, "fact object is missing \"template\"");
        return std::nullopt;
    }
    if (name->type != JsonValue::Type::String) {
        diags.error(name->range, "\"template\" must be a string naming a template");
        return std::nullopt;
    }
    if (slots != nullptr && slots->type != JsonValue::Type::Object) {
        diags.error(slots->range, "\"slots\" must be an object {FIELD: VALUE, ...}");
        return std::nullopt;
    }
    const Template* tmpl = detail::lookup_template(program, name->text.view(), name->range, diags);
    if (tmpl == nullptr) return std::nullopt;

    bool ok = shape_ok;
    std::vector<std::optional<Value>> values(tmpl->fields.size());
    std::vector<const JsonMember*> given(tmpl->fields.size(), nullptr);
    if (slots != nullptr) {
        for (const JsonMember& m : slots->members) {
            const auto f = tmpl->field_index(m.key.view());
            if (!f) {
                detail::report_unknown_field(*tmpl, m.key.view(), m.key_range, diags);
                ok = false;
                continue;
            }
            if (const JsonMember* first = given[*f]) {
                Diagnostic& d = diags.error(m.key_range, "field '" + m.key.str() + "' is given twice");
                diags.note(d, first->key_range, "first given here");
                ok = false;
                continue;
            }
            given[*f] = &m;
            values[*f] = json_to_value(*tmpl, *f, m.value, diags);
            if (!values[*f]) ok = false;
        }
    }
    std::vector<bool> present(given.size());
    for (std::size_t i = 0; i < given.size(); ++i) present[i] = given[i] != nullptr;
    if (shape_ok && !detail::check_required(*tmpl, present, "fact", name->range, diags)) ok = false;
    if (!ok) return std::nullopt;

    InitialFact fact;
    fact.tmpl = tmpl->id;
    fact.range = v.range;
    fact.values.reserve(values.size());
    for (std::size_t i = 0; i < values.size(); ++i)
        fact.values.push_back(values[i] ? std::move(*values[i]) : *tmpl->fields[i].default_value);
    return fact;
}

}  // namespace

std::vector<InitialFact> read_json_facts(const Program& program, const SourceFile& file, Diagnostics& diags,
                                         bool plain_first) {
    std::vector<InitialFact> facts;
    JsonReader reader(file);
    try {
        // The top level is read one element at a time, so a large file never needs a
        // tree of all its facts at once.
        reader.skip_space();
        if (reader.at_end()) reader.fail("empty JSON input; expected an array of facts");
        if (!reader.accept('[')) {
            const JsonValue v = reader.value(1);
            diags.error(v.range, "expected a JSON array of facts at the top level");
            return facts;
        }
        if (!reader.accept(']')) {
            InitialFact plain;
            do {
                reader.skip_space();
                const std::uint32_t element = reader.pos();
                bool read = false;
                try {
                    read = plain_first && reader.plain_fact(program, plain);
                } catch (const JsonSyntaxError&) {
                    read = false;  // reported by the full reading below
                }
                if (read) {
                    facts.push_back(std::move(plain));
                    continue;
                }
                reader.rewind(element);
                const JsonValue v = reader.value(2);
                if (auto fact = json_fact(program, v, diags)) facts.push_back(std::move(*fact));
            } while (reader.accept(','));
            if (!reader.accept(']')) reader.fail("expected ',' or ']' in array");
        }
        reader.skip_space();
        if (!reader.at_end()) reader.fail("unexpected text after the JSON array");
    } catch (const JsonSyntaxError& e) {
        const std::uint32_t end = e.at < file.text.size() ? e.at + 1 : e.at;
        diags.error(SourceRange{file.id, e.at, end}, "JSON syntax error: " + e.message);
        facts.clear();  // a file that is not JSON contributes no facts at all
    }
    return facts;
}

}  // namespace demarche::dsl
