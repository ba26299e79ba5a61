// Literal text to values; see literals.hpp.
#include "literals.hpp"

#include <charconv>
#include <cstdint>

namespace demarche::dsl::detail {

std::optional<Value> number_value(std::string_view number, bool is_float) {
    const char* first = number.data();
    const char* last = number.data() + number.size();
    if (is_float) {
        double d = 0;
        const auto [ptr, ec] = std::from_chars(first, last, d);
        if (ec != std::errc() || ptr != last) return std::nullopt;
        return Value(d);
    }
    std::int64_t i = 0;
    const auto [ptr, ec] = std::from_chars(first, last, i);
    if (ec != std::errc() || ptr != last) return std::nullopt;
    return Value(i);
}

std::string unescape(std::string_view quoted) {
    std::string out;
    const std::string_view body = quoted.substr(1, quoted.size() - 2);
    out.reserve(body.size());
    for (std::size_t i = 0; i < body.size(); ++i) {
        if (body[i] != '\\') {
            out += body[i];
            continue;
        }
        switch (body[++i]) {
            case 'n':
                out += '\n';
                break;
            case 't':
                out += '\t';
                break;
            default:
                out += body[i];
                break;  // '"' or '\\'; the grammar admits nothing else
        }
    }
    return out;
}

}  // namespace demarche::dsl::detail
