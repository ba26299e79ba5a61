// Canonical layout of `test` declarations (see printer_tests.hpp).
#include "printer_tests.hpp"

#include <algorithm>

namespace demarche::dsl {

namespace {

// The token starting at or after `from`, as source bytes; nothing when printing a tree
// that was not read from text.
std::pair<std::uint32_t, std::uint32_t> token_after(const Layout& layout, std::uint32_t from) {
    if (layout.source() == nullptr) return {0, 0};
    return layout.source()->token_at(from);
}

}  // namespace

void layout_test(Layout& layout, const ast::Test& test) {
    const std::uint32_t name_end = test.name.range.end;
    layout.add(0, "test " + test.name.name, test.range.begin, name_end);
    std::uint32_t header_end = name_end;
    if (test.description) {
        const auto at = token_after(layout, name_end);
        layout.add(1, to_source(Value(*test.description)), at.first, at.second);
        header_end = std::max(header_end, at.second);
    }
    if (test.strategy) {
        const std::uint32_t at = layout.find(header_end, "strategy");
        layout.add(1, "strategy " + test.strategy->name, at, test.strategy->range.end);
        header_end = test.strategy->range.end;
    }
    // An empty `given` means nothing, so the canonical form leaves it out.
    if (!test.given.empty()) {
        const std::uint32_t at = layout.find(header_end, "given");
        layout.add(0, "given", at, at + 5, true);
        for (const ast::Fact& f : test.given) layout_fact(layout, f, 1);
        header_end = test.given.back().range.end;
    }
    const std::uint32_t expect = layout.find(header_end, "expect");
    layout.add(0, "expect", expect, expect + 6, true);
    for (const ast::Expectation& e : test.expectations) {
        switch (e.kind) {
            case ast::Expectation::Kind::Present:
            case ast::Expectation::Kind::Absent:
                layout_conditions(layout, e.condition, 1);
                break;
            case ast::Expectation::Kind::Printed:
                layout.add(1, "printed " + to_source(e.value.value), e.range.begin, e.range.end);
                break;
            case ast::Expectation::Kind::Fired:
                layout.add(1, "fired " + to_source(e.value.value), e.range.begin, e.range.end);
                break;
        }
    }
    layout.add(0, "end", test.range.end >= 3 ? test.range.end - 3 : 0, test.range.end, true);
}

}  // namespace demarche::dsl
