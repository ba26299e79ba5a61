// Literal text to values, shared by the grammar's actions (parser.cpp) and the `.facts`
// scanner (fact_scanner.cpp), so that both read every literal alike.
#pragma once

#include <demarche/value.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace demarche::dsl::detail {

/// True when a number literal is a float: it has a fraction or an exponent.
inline bool is_float_literal(std::string_view number) noexcept {
    // A loop rather than find_first_of, which calls memchr once per character.
    for (char c : number)
        if (c == '.' || c == 'e' || c == 'E') return true;
    return false;
}

/// The value of a number literal as the grammar matched it, a float or a 64-bit int as
/// `is_float` (is_float_literal) says, or nothing when it is out of range. The scanner
/// knows `is_float` from reading the number.
std::optional<Value> number_value(std::string_view number, bool is_float);

/// The text of a string literal written with its quotes, whose escapes the grammar
/// has already checked.
std::string unescape(std::string_view quoted);

}  // namespace demarche::dsl::detail
