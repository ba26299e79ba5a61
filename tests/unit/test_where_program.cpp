// Compiled `where` tests: the network runs the integer part of a test as a flat program
// over the facts of a match and leaves everything else to the general evaluator. The
// network's verdicts (matches and errors) are checked against the general evaluator
// alone, on random tests over variables bound in two patterns.
#include "test_engine_support.hpp"

#include "engine/engine.hpp"
#include "engine/evaluator.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

using namespace demarche;
using namespace demarche::test;
using engine::Engine;

namespace {

constexpr std::int64_t int_min = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t int_max = std::numeric_limits<std::int64_t>::max();

/// Values by slot, read only through `value`: the general evaluation, without the
/// integer path (no `stored`).
struct Plain final : engine::VariableSource {
    explicit Plain(const std::vector<Value>& v) : values(v) {}
    Value value(VarSlot s) const override { return values.at(s); }
    const std::vector<Value>& values;
};

std::string error_text(const engine::EvalError& e) {
    return "error at " + std::to_string(e.range.begin) + " in rule " +
           (e.rule ? std::to_string(*e.rule) : std::string("?")) + ": " + e.message;
}

/// Random `where` tests over slots 0-3, mostly integer arithmetic; each node's range
/// is its own, so that an error names the node that raised it.
class TestMaker {
public:
    explicit TestMaker(Lcg& random) : random_(random) {}

    Expr test(int depth) {
        const std::uint32_t pick = depth == 0 ? 0 : random_.next(20);
        if (pick < 11) return node(bin(comparisons[random_.next(6)], value(depth - 1), value(depth - 1)));
        if (pick < 16) {
            const BinaryOp op = random_.next(2) ? BinaryOp::And : BinaryOp::Or;
            return node(bin(op, test(depth - 1), test(depth - 1)));
        }
        if (pick < 19) return node(unary(dsl::UnaryOp::Not, test(depth - 1)));
        return value(0);  // not a bool, or a bool variable: the general evaluator decides
    }

private:
    static constexpr BinaryOp comparisons[] = {BinaryOp::Eq, BinaryOp::Ne, BinaryOp::Lt,
                                               BinaryOp::Le, BinaryOp::Gt, BinaryOp::Ge};
    static constexpr BinaryOp arithmetic[] = {BinaryOp::Add, BinaryOp::Sub, BinaryOp::Mul, BinaryOp::Div,
                                              BinaryOp::Mod};

    Expr value(int depth) {
        const std::uint32_t pick = depth <= 0 ? random_.next(10) : random_.next(20);
        if (pick < 6) return node(var(random_.next(4)));
        if (pick < 10) {
            const Value literals[] = {num(0),  num(1),       num(-1),      num(2),         num(7),
                                      num(-3), num(int_min), num(int_max), num(3037000500), Value(1.5)};
            return node(lit(literals[random_.next(10)]));
        }
        if (pick < 12) return node(unary(dsl::UnaryOp::Neg, value(depth - 1)));
        if (pick < 19) return node(bin(arithmetic[random_.next(5)], value(depth - 1), value(depth - 1)));
        return test(depth - 1);  // a bool where a number is needed
    }

    static Expr unary(dsl::UnaryOp op, Expr arg) {
        Expr e;
        e.kind = Expr::Kind::Unary;
        e.unary = op;
        e.args.push_back(std::move(arg));
        return e;
    }

    Expr node(Expr e) {
        e.range.begin = ++next_range_;
        e.range.end = e.range.begin;
        return e;
    }

    Lcg& random_;
    std::uint32_t next_range_ = 0;
};

/// Mostly ints, the edges of int64 included; now and then a float (which the general
/// evaluator compares and computes with), a symbol or a bool.
Value random_value(Lcg& random) {
    const Value values[] = {num(0), num(1), num(-1), num(2), num(3), num(-7), num(10), num(int_max),
                            num(int_min), num(3037000500), num(-3037000500), Value(2.5), Value(-0.5),
                            sym("s"), Value(true)};
    const std::uint32_t pick = random.next(40);
    return pick < 36 ? values[pick % 11] : values[11 + pick - 36];
}

/// How the network takes `a(k: 1, x: v0, y: v1)` and `b(k: 1, x: v2, y: v3)` under a rule
/// whose where test is `test`: in a join after both patterns, or in a `not` of the second.
/// Returns the number of matches, or the error.
std::string network_outcome(const Expr& test, bool negated, bool b_first, const std::vector<Value>& v) {
    Builder builder;
    const TemplateId a = builder.tmpl("a", {"k", "x", "y"});
    const TemplateId b = builder.tmpl("b", {"k", "x", "y"});
    Condition second = pat(b, {eqv(0, 4), bind(1, 2), bind(2, 3)});
    std::vector<Condition> conds = {pat(a, {bind(0, 4), bind(1, 0), bind(2, 1)})};
    if (negated) {
        conds.push_back(not_({std::move(second), where(test)}));
    } else {
        conds.push_back(std::move(second));
        conds.push_back(where(test));
    }
    builder.rule("r", std::move(conds), {}, 5);
    Engine e(builder.p, nullptr);
    e.start();
    try {
        if (b_first) e.assert_input(b, {num(1), v[2], v[3]});
        e.assert_input(a, {num(1), v[0], v[1]});
        if (!b_first) e.assert_input(b, {num(1), v[2], v[3]});
    } catch (const engine::EvalError& err) {
        return error_text(err);
    }
    return std::to_string(e.agenda().size()) + " matches";
}

std::string general_outcome(const Expr& test, bool negated, const std::vector<Value>& v) {
    try {
        const bool holds = engine::evaluate_test(test, Plain(v));
        return std::string(holds != negated ? "1" : "0") + " matches";
    } catch (engine::EvalError& err) {
        err.rule = 0;
        return error_text(err);
    }
}

}  // namespace

TEST_CASE("compiled where tests decide as the general evaluator does, errors included", "[engine][where]") {
    Lcg random(909);
    TestMaker maker(random);
    int matched = 0, unmatched = 0, errors = 0;
    for (int i = 0; i < 1500; ++i) {
        const Expr test = maker.test(1 + static_cast<int>(random.next(4)));
        for (int trial = 0; trial < 6; ++trial) {
            std::vector<Value> v;
            for (int k = 0; k < 4; ++k) v.push_back(random_value(random));
            const bool negated = trial % 3 == 2;
            const std::string want = general_outcome(test, negated, v);
            INFO("test " << i << ", trial " << trial << ": values " << to_source(v[0]) << " "
                         << to_source(v[1]) << " " << to_source(v[2]) << " " << to_source(v[3]));
            REQUIRE(network_outcome(test, negated, trial % 2 == 0, v) == want);
            (want.rfind("error", 0) == 0 ? errors : want[0] == '1' ? matched : unmatched)++;
        }
    }
    // The sample decides both ways and fails too.
    CHECK(matched > 1000);
    CHECK(unmatched > 1000);
    CHECK(errors > 500);
}

TEST_CASE("a compiled where test leaves what it cannot compute to the general evaluator", "[engine][where]") {
    // Waltz's junction test, over ints, over a float, with an overflow and a division by zero.
    auto cross = [](VarSlot x1, VarSlot y1, VarSlot x2, VarSlot y2) {
        return bin(BinaryOp::Sub, bin(BinaryOp::Mul, var(x1), var(y2)), bin(BinaryOp::Mul, var(y1), var(x2)));
    };
    Expr test = bin(BinaryOp::Gt, bin(BinaryOp::Mul, cross(0, 1, 2, 3), cross(3, 2, 1, 0)), lit(num(0)));
    Expr quotient = bin(BinaryOp::Lt, bin(BinaryOp::Div, var(0), var(2)), var(1));
    quotient.args[0].range = {0, 5, 12};
    const std::vector<std::pair<std::vector<Value>, std::string>> cases = {
        {{num(1), num(2), num(3), num(4)}, "1 matches"},
        {{num(1), num(2), Value(3.5), num(4)}, "1 matches"},
        {{num(1), num(2), num(2), num(4)}, "0 matches"},
        {{num(int_max), num(2), num(3), num(4)}, "error at 0 in rule 0: integer overflow in '*'"},
    };
    for (const auto& [values, want] : cases) {
        CHECK(network_outcome(test, false, false, values) == want);
        CHECK(general_outcome(test, false, values) == want);
    }
    CHECK(network_outcome(quotient, false, true, {num(-7), num(-3), num(2), num(0)}) == "0 matches");
    CHECK(network_outcome(quotient, false, true, {num(-7), num(4), num(-2), num(0)}) == "1 matches");
    CHECK(network_outcome(quotient, false, true, {num(-7), Value(-2.5), num(2), num(0)}) == "1 matches");
    CHECK(network_outcome(quotient, true, false, {num(7), num(0), num(0), num(0)}) ==
          "error at 5 in rule 0: division by zero");
    CHECK(network_outcome(quotient, false, false, {sym("s"), num(0), num(1), num(0)}) ==
          "error at 5 in rule 0: operator '/' needs numbers, got symbol and int");
}
