// Canonical text of a syntax tree, laid out as lines that remember their source bytes.
// The layout mirrors the grammar's EBNF in grammar.hpp.
#include "printer.hpp"
#include "printer_tests.hpp"

#include <boost/variant2/variant.hpp>

#include <string_view>

namespace demarche::dsl {
namespace {

using boost::variant2::get_if;
using boost::variant2::visit;

constexpr std::string_view indent_unit = "    ";

// Binding strength, loosest first, as in the contract.
enum Precedence : int { Or = 1, And, Not, Compare, Sum, Product, Negation, Primary };

int precedence(BinaryOp op) {
    switch (op) {
        case BinaryOp::Or:
            return Or;
        case BinaryOp::And:
            return And;
        case BinaryOp::Add:
        case BinaryOp::Sub:
            return Sum;
        case BinaryOp::Mul:
        case BinaryOp::Div:
        case BinaryOp::Mod:
            return Product;
        default:
            return Compare;
    }
}

int precedence(const ast::Expr& e) {
    if (const auto* b = get_if<ast::BinaryExpr>(&e.node)) return precedence(b->op);
    if (const auto* u = get_if<ast::UnaryExpr>(&e.node)) return u->op == UnaryOp::Not ? Not : Negation;
    return Primary;
}

void print_literal(std::string& out, const Value& v) {
    out += to_source(v);
}

void print_expr_into(std::string& out, const ast::Expr& e);

// `e` at a place that needs at least precedence `min`.
void print_operand(std::string& out, const ast::Expr& e, int min) {
    if (precedence(e) < min) {
        out += '(';
        print_expr_into(out, e);
        out += ')';
    } else {
        print_expr_into(out, e);
    }
}

void print_expr_into(std::string& out, const ast::Expr& e) {
    visit(
        [&out](const auto& n) {
            using T = std::decay_t<decltype(n)>;
            if constexpr (std::is_same_v<T, ast::Literal>) {
                print_literal(out, n.value);
            } else if constexpr (std::is_same_v<T, ast::VariableExpr>) {
                out += '?';
                out += n.name;
            } else if constexpr (std::is_same_v<T, ast::UnaryExpr>) {
                if (n.op == UnaryOp::Not) {
                    out += "not ";
                    print_operand(out, *n.operand, Not);
                } else {
                    out += '-';
                    print_operand(out, *n.operand, Negation);
                }
            } else if constexpr (std::is_same_v<T, ast::BinaryExpr>) {
                const int p = precedence(n.op);
                // Left-associative: the left side may be as loose as the operator, the right
                // side must bind tighter. Comparisons do not chain, so both sides bind tighter.
                print_operand(out, *n.lhs, p == Compare ? p + 1 : p);
                out += ' ';
                out += to_string(n.op);
                out += ' ';
                print_operand(out, *n.rhs, p + 1);
            } else {
                out += n.function.name;
                out += '(';
                for (std::size_t i = 0; i < n.args.size(); ++i) {
                    if (i > 0) out += ", ";
                    print_expr_into(out, *n.args[i]);
                }
                out += ')';
            }
        },
        e.node);
}

void print_term(std::string& out, const ast::Term& t) {
    if (const auto* v = get_if<ast::Variable>(&t)) {
        out += '?';
        out += v->name;
    } else {
        print_literal(out, get_if<ast::Literal>(&t)->value);
    }
}

void print_constraint(std::string& out, const ast::Constraint& c) {
    visit(
        [&out](const auto& n) {
            using T = std::decay_t<decltype(n)>;
            if constexpr (std::is_same_v<T, ast::TermConstraint>) {
                print_term(out, n.term);
            } else if constexpr (std::is_same_v<T, ast::CompareConstraint>) {
                out += to_string(n.op);
                out += ' ';
                print_term(out, n.rhs);
            } else {
                out += "in [";
                for (std::size_t i = 0; i < n.options.size(); ++i) {
                    if (i > 0) out += ", ";
                    print_term(out, n.options[i]);
                }
                out += ']';
            }
        },
        c.node);
}

void print_field_prefix(std::string& out, const std::optional<ast::Identifier>& field) {
    if (field) {
        out += field->name;
        out += ": ";
    }
}

std::string pattern_arg_text(const ast::PatternArg& arg) {
    std::string out;
    print_field_prefix(out, arg.field);
    for (std::size_t j = 0; j < arg.conjuncts.size(); ++j) {
        if (j > 0) out += " & ";
        print_constraint(out, arg.conjuncts[j]);
    }
    return out;
}

std::string action_arg_text(const ast::ActionArg& arg) {
    std::string out;
    print_field_prefix(out, arg.field);
    print_expr_into(out, arg.value);
    return out;
}

std::string fact_arg_text(const ast::FactArg& arg) {
    std::string out;
    print_field_prefix(out, arg.field);
    print_literal(out, arg.value.value);
    return out;
}

// A parenthesised (or, for `print`, bare) argument list and where its parts are in the source.
struct ArgList {
    std::string head;  // everything before the arguments: `?o <- offer(`, `print`
    std::string close;  // `)`, or empty for `print`
    std::vector<std::string> args;
    std::vector<SourceRange> arg_ranges;
    std::uint32_t begin = 0;  // the node's source bytes
    std::uint32_t head_end = 0;
    std::uint32_t end = 0;
};

// On one line when it fits and holds no comment; otherwise the head, one argument per
// line one level deeper, and the closing parenthesis under the head.
void layout_args(Layout& layout, int depth, const ArgList& a) {
    std::string one = a.head;
    const bool parens = !a.close.empty();
    if (!parens && !a.args.empty()) one += ' ';
    for (std::size_t i = 0; i < a.args.size(); ++i) {
        if (i > 0) one += ", ";
        one += a.args[i];
    }
    one += a.close;
    // Without arguments there is nothing to gain from breaking, unless a comment needs a
    // place. A comment within the head moves before the line anyway: only those after count.
    const bool comment = (parens || !a.args.empty()) && a.head_end > a.begin &&
                         layout.has_comment_inside(a.head_end - 1, a.end);
    if (!comment && (a.args.empty() || !Layout::too_wide(depth, one))) {
        layout.add(depth, std::move(one), a.begin, a.end);
        return;
    }
    layout.add(depth, a.head, a.begin, a.head_end);
    for (std::size_t i = 0; i < a.args.size(); ++i)
        layout.add(depth + 1, a.args[i] + (i + 1 < a.args.size() ? "," : ""), a.arg_ranges[i].begin,
                   a.arg_ranges[i].end);
    if (parens) layout.add(depth, a.close, a.end > 0 ? a.end - 1 : 0, a.end, true);
}

void layout_pattern(Layout& layout, std::string prefix, const ast::Pattern& p, std::uint32_t begin, int depth) {
    ArgList a;
    a.head = std::move(prefix);
    if (p.fact_binding) {
        a.head += '?';
        a.head += p.fact_binding->name;
        a.head += " <- ";
    }
    a.head += p.template_name.name;
    a.head += '(';
    a.close = ")";
    for (const ast::PatternArg& arg : p.args) {
        a.args.push_back(pattern_arg_text(arg));
        a.arg_ranges.push_back(arg.range);
    }
    a.begin = begin;
    a.head_end = layout.find(p.template_name.range.end, "(") + 1;
    a.end = p.range.end;
    layout_args(layout, depth, a);
}

template <typename Node>
void layout_quantified(Layout& layout, std::string_view keyword, const Node& n, const ast::Condition& c,
                       int depth) {
    const ast::Pattern* single = n.body.size() == 1 ? get_if<ast::Pattern>(&n.body.front().node) : nullptr;
    if (!n.grouped && single != nullptr) {
        layout_pattern(layout, std::string(keyword) + ' ', *single, c.range.begin, depth);
        return;
    }
    layout.add(depth, std::string(keyword) + " {", c.range.begin, layout.find(c.range.begin, "{") + 1);
    layout_conditions(layout, n.body, depth + 1);
    layout.add(depth, "}", c.range.end > 0 ? c.range.end - 1 : 0, c.range.end, true);
}

void layout_action_args(Layout& layout, std::string head, const std::vector<ast::ActionArg>& args,
                        std::uint32_t name_end, const ast::Action& action, int depth) {
    ArgList a;
    a.head = std::move(head);
    a.head += '(';
    a.close = ")";
    for (const ast::ActionArg& arg : args) {
        a.args.push_back(action_arg_text(arg));
        a.arg_ranges.push_back(arg.range);
    }
    a.begin = action.range.begin;
    a.head_end = layout.find(name_end, "(") + 1;
    a.end = action.range.end;
    layout_args(layout, depth, a);
}

// The closing token of a declaration (`}` or `end`), which ends its range.
std::uint32_t last_byte(SourceRange r) { return r.end > 0 ? r.end - 1 : 0; }

void layout_template(Layout& layout, const ast::Template& t) {
    layout.add(0, "template " + t.name.name + " {", t.range.begin, t.name.range.end);
    for (const ast::FieldDecl& f : t.fields) {
        std::string text = f.name.name + ": " + f.type.name;
        if (f.default_value) {
            text += " = ";
            print_literal(text, f.default_value->value);
        }
        layout.add(1, std::move(text), f.range.begin, f.range.end);
    }
    layout.add(0, "}", last_byte(t.range), t.range.end, true);
}

void layout_facts_block(Layout& layout, const ast::FactsBlock& b) {
    const std::uint32_t head_end = b.name ? b.name->range.end : b.range.begin + 5;
    layout.add(0, b.name ? "facts " + b.name->name + " {" : std::string("facts {"), b.range.begin, head_end);
    for (const ast::Fact& f : b.facts) layout_fact(layout, f, 1);
    layout.add(0, "}", last_byte(b.range), b.range.end, true);
}

void layout_rule(Layout& layout, const ast::Rule& r) {
    const std::uint32_t name_end = r.name.range.end;
    layout.add(0, "rule " + r.name.name, r.range.begin, name_end);
    const std::uint32_t when = layout.find(name_end, "when");
    if (r.description) {
        std::string text;
        print_literal(text, Value(*r.description));
        std::pair<std::uint32_t, std::uint32_t> at{0, 0};
        if (layout.source() != nullptr) at = layout.source()->token_at(name_end);
        layout.add(1, std::move(text), at.first, at.second);
    }
    if (r.salience)
        layout.add(1, "salience " + std::to_string(*r.salience), r.salience_range.begin, r.salience_range.end);
    if (r.source) {
        std::string text = "source ";
        print_literal(text, Value(*r.source));
        const std::uint32_t at = layout.find(name_end, "source");
        std::uint32_t end = at;
        if (layout.source() != nullptr) end = layout.source()->token_at(at + 6).second;
        layout.add(1, std::move(text), at, end);
    }
    layout.add(0, "when", when, when + 4, true);
    layout_conditions(layout, r.conditions, 1);
    const std::uint32_t then = layout.find(r.conditions.empty() ? when + 4 : r.conditions.back().range.end, "then");
    layout.add(0, "then", then, then + 4, true);
    for (const ast::Action& a : r.actions) layout_action(layout, a, 1);
    layout.add(0, "end", r.range.end >= 3 ? r.range.end - 3 : 0, r.range.end, true);
}

void layout_query(Layout& layout, const ast::Query& q) {
    std::string head = "query " + q.name.name;
    std::uint32_t head_end = q.name.range.end;
    if (!q.params.empty()) {
        head += '(';
        for (std::size_t i = 0; i < q.params.size(); ++i) {
            if (i > 0) head += ", ";
            head += '?' + q.params[i].name;
        }
        head += ')';
        head_end = q.params.back().range.end;
    }
    layout.add(0, std::move(head), q.range.begin, head_end);
    const std::uint32_t when = layout.find(head_end, "when");
    layout.add(0, "when", when, when + 4, true);
    layout_conditions(layout, q.conditions, 1);
    layout.add(0, "end", q.range.end >= 3 ? q.range.end - 3 : 0, q.range.end, true);
}

void layout_declaration(Layout& layout, const ast::Declaration& d) {
    layout.begin_declaration();
    visit(
        [&layout](const auto& n) {
            using T = std::decay_t<decltype(n)>;
            if constexpr (std::is_same_v<T, ast::Import>) {
                std::string text = "import ";
                print_literal(text, Value(n.path));
                layout.add(0, std::move(text), n.range.begin, n.range.end);
            } else if constexpr (std::is_same_v<T, ast::Template>) {
                layout_template(layout, n);
            } else if constexpr (std::is_same_v<T, ast::FactsBlock>) {
                layout_facts_block(layout, n);
            } else if constexpr (std::is_same_v<T, ast::Rule>) {
                layout_rule(layout, n);
            } else if constexpr (std::is_same_v<T, ast::Query>) {
                layout_query(layout, n);
            } else if constexpr (std::is_same_v<T, ast::Test>) {
                layout_test(layout, n);
            } else {
                static_assert(sizeof(T) == 0, "every declaration needs a layout");
            }
        },
        d);
}

}  // namespace

std::size_t display_width(std::string_view s) noexcept {
    std::size_t n = 0;
    for (char c : s)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
    return n;
}

void Layout::add(int depth, std::string text, std::uint32_t begin, std::uint32_t end, bool closing) {
    lines_.push_back(Line{depth, std::move(text), begin, end, next_blank_, closing});
    next_blank_ = false;
}

bool Layout::too_wide(int depth, std::string_view one_line) noexcept {
    return static_cast<std::size_t>(depth) * indent_unit.size() + display_width(one_line) > max_line_width;
}

bool Layout::has_comment_inside(std::uint32_t begin, std::uint32_t end) const {
    return source_ != nullptr && end > begin && source_->has_comment(begin + 1, end);
}

std::uint32_t Layout::find(std::uint32_t from, std::string_view word) const {
    return source_ != nullptr ? source_->find(from, word, from) : 0;
}

void layout_conditions(Layout& layout, const std::vector<ast::Condition>& conds, int depth) {
    for (const ast::Condition& c : conds) {
        visit(
            [&layout, &c, depth](const auto& n) {
                using T = std::decay_t<decltype(n)>;
                if constexpr (std::is_same_v<T, ast::Pattern>) {
                    layout_pattern(layout, "", n, c.range.begin, depth);
                } else if constexpr (std::is_same_v<T, ast::NotCondition>) {
                    layout_quantified(layout, "not", n, c, depth);
                } else if constexpr (std::is_same_v<T, ast::ExistsCondition>) {
                    layout_quantified(layout, "exists", n, c, depth);
                } else {
                    std::string text = "where ";
                    print_expr_into(text, n.test);
                    layout.add(depth, std::move(text), c.range.begin, c.range.end);
                }
            },
            c.node);
    }
}

void layout_action(Layout& layout, const ast::Action& action, int depth) {
    visit(
        [&layout, &action, depth](const auto& n) {
            using T = std::decay_t<decltype(n)>;
            if constexpr (std::is_same_v<T, ast::AssertAction>) {
                layout_action_args(layout, (n.logical ? "assert logical " : "assert ") + n.template_name.name,
                                   n.args, n.template_name.range.end, action, depth);
            } else if constexpr (std::is_same_v<T, ast::RetractAction>) {
                layout.add(depth, "retract ?" + n.target.name, action.range.begin, action.range.end);
            } else if constexpr (std::is_same_v<T, ast::ModifyAction>) {
                layout_action_args(layout, "modify ?" + n.target.name, n.args, n.target.range.end, action, depth);
            } else if constexpr (std::is_same_v<T, ast::PrintAction>) {
                ArgList a;
                a.head = "print";
                for (const ast::Expr& e : n.args) {
                    a.args.push_back(print_expr(e));
                    a.arg_ranges.push_back(e.range);
                }
                a.begin = action.range.begin;
                a.head_end = action.range.begin + 5;
                a.end = action.range.end;
                layout_args(layout, depth, a);
            } else {
                layout.add(depth, "halt", action.range.begin, action.range.end);
            }
        },
        action.node);
}

void layout_fact(Layout& layout, const ast::Fact& fact, int depth) {
    ArgList a;
    a.head = fact.template_name.name + "(";
    a.close = ")";
    for (const ast::FactArg& arg : fact.args) {
        a.args.push_back(fact_arg_text(arg));
        a.arg_ranges.push_back(arg.range);
    }
    a.begin = fact.range.begin;
    a.head_end = layout.find(fact.template_name.range.end, "(") + 1;
    a.end = fact.range.end;
    layout_args(layout, depth, a);
}

void layout_file(Layout& layout, const ast::File& file) {
    for (const ast::Declaration& d : file.declarations) layout_declaration(layout, d);
}

std::string join_lines(const std::vector<Line>& lines) {
    std::string out;
    for (const Line& l : lines) {
        if (l.blank_before) out += '\n';
        for (int i = 0; i < l.depth; ++i) out += indent_unit;
        out += l.text;
        out += '\n';
    }
    return out;
}

std::string print_file(const ast::File& file) {
    Layout layout;
    layout_file(layout, file);
    return join_lines(layout.lines());
}

std::string print_fact(const ast::Fact& fact) {
    std::string out = fact.template_name.name + "(";
    for (std::size_t i = 0; i < fact.args.size(); ++i) {
        if (i > 0) out += ", ";
        out += fact_arg_text(fact.args[i]);
    }
    out += ')';
    return out;
}

std::string print_expr(const ast::Expr& expr) {
    std::string out;
    print_expr_into(out, expr);
    return out;
}

}  // namespace demarche::dsl
