// Canonical text of a syntax tree. The layout mirrors the grammar's EBNF in grammar.hpp.
#include "printer.hpp"

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

void print_pattern(std::string& out, const ast::Pattern& p) {
    if (p.fact_binding) {
        out += '?';
        out += p.fact_binding->name;
        out += " <- ";
    }
    out += p.template_name.name;
    out += '(';
    for (std::size_t i = 0; i < p.args.size(); ++i) {
        if (i > 0) out += ", ";
        print_field_prefix(out, p.args[i].field);
        for (std::size_t j = 0; j < p.args[i].conjuncts.size(); ++j) {
            if (j > 0) out += " & ";
            print_constraint(out, p.args[i].conjuncts[j]);
        }
    }
    out += ')';
}

void print_conditions(std::string& out, const std::vector<ast::Condition>& conds, int depth);

template <typename Node>
void print_quantified(std::string& out, std::string_view keyword, const Node& n, int depth) {
    out += keyword;
    out += ' ';
    const ast::Pattern* single = n.body.size() == 1 ? get_if<ast::Pattern>(&n.body.front().node) : nullptr;
    if (!n.grouped && single != nullptr) {
        print_pattern(out, *single);
        out += '\n';
        return;
    }
    out += "{\n";
    print_conditions(out, n.body, depth + 1);
    for (int i = 0; i < depth; ++i) out += indent_unit;
    out += "}\n";
}

void print_conditions(std::string& out, const std::vector<ast::Condition>& conds, int depth) {
    for (const ast::Condition& c : conds) {
        for (int i = 0; i < depth; ++i) out += indent_unit;
        visit(
            [&out, depth](const auto& n) {
                using T = std::decay_t<decltype(n)>;
                if constexpr (std::is_same_v<T, ast::Pattern>) {
                    print_pattern(out, n);
                    out += '\n';
                } else if constexpr (std::is_same_v<T, ast::NotCondition>) {
                    print_quantified(out, "not", n, depth);
                } else if constexpr (std::is_same_v<T, ast::ExistsCondition>) {
                    print_quantified(out, "exists", n, depth);
                } else {
                    out += "where ";
                    print_expr_into(out, n.test);
                    out += '\n';
                }
            },
            c.node);
    }
}

void print_action_args(std::string& out, const std::vector<ast::ActionArg>& args) {
    out += '(';
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (i > 0) out += ", ";
        print_field_prefix(out, args[i].field);
        print_expr_into(out, args[i].value);
    }
    out += ')';
}

void print_action(std::string& out, const ast::Action& a) {
    out += indent_unit;
    visit(
        [&out](const auto& n) {
            using T = std::decay_t<decltype(n)>;
            if constexpr (std::is_same_v<T, ast::AssertAction>) {
                out += n.logical ? "assert logical " : "assert ";
                out += n.template_name.name;
                print_action_args(out, n.args);
            } else if constexpr (std::is_same_v<T, ast::RetractAction>) {
                out += "retract ?";
                out += n.target.name;
            } else if constexpr (std::is_same_v<T, ast::ModifyAction>) {
                out += "modify ?";
                out += n.target.name;
                print_action_args(out, n.args);
            } else if constexpr (std::is_same_v<T, ast::PrintAction>) {
                out += "print ";
                for (std::size_t i = 0; i < n.args.size(); ++i) {
                    if (i > 0) out += ", ";
                    print_expr_into(out, n.args[i]);
                }
            } else {
                out += "halt";
            }
        },
        a.node);
    out += '\n';
}

void print_fact_into(std::string& out, const ast::Fact& f) {
    out += f.template_name.name;
    out += '(';
    for (std::size_t i = 0; i < f.args.size(); ++i) {
        if (i > 0) out += ", ";
        print_field_prefix(out, f.args[i].field);
        print_literal(out, f.args[i].value.value);
    }
    out += ')';
}

void print_declaration(std::string& out, const ast::Declaration& d) {
    visit(
        [&out](const auto& n) {
            using T = std::decay_t<decltype(n)>;
            if constexpr (std::is_same_v<T, ast::Import>) {
                out += "import ";
                print_literal(out, Value(n.path));
                out += '\n';
            } else if constexpr (std::is_same_v<T, ast::Template>) {
                out += "template " + n.name.name + " {\n";
                for (const ast::FieldDecl& f : n.fields) {
                    out += indent_unit;
                    out += f.name.name + ": " + f.type.name;
                    if (f.default_value) {
                        out += " = ";
                        print_literal(out, f.default_value->value);
                    }
                    out += '\n';
                }
                out += "}\n";
            } else if constexpr (std::is_same_v<T, ast::FactsBlock>) {
                out += n.name ? "facts " + n.name->name + " {\n" : std::string("facts {\n");
                for (const ast::Fact& f : n.facts) {
                    out += indent_unit;
                    print_fact_into(out, f);
                    out += '\n';
                }
                out += "}\n";
            } else if constexpr (std::is_same_v<T, ast::Rule>) {
                out += "rule " + n.name.name + '\n';
                if (n.description) {
                    out += indent_unit;
                    print_literal(out, Value(*n.description));
                    out += '\n';
                }
                if (n.salience)
                    out += std::string(indent_unit) + "salience " + std::to_string(*n.salience) + '\n';
                if (n.source) {
                    out += indent_unit;
                    out += "source ";
                    print_literal(out, Value(*n.source));
                    out += '\n';
                }
                out += "when\n";
                print_conditions(out, n.conditions, 1);
                out += "then\n";
                for (const ast::Action& a : n.actions) print_action(out, a);
                out += "end\n";
            } else {
                out += "query " + n.name.name;
                if (!n.params.empty()) {
                    out += '(';
                    for (std::size_t i = 0; i < n.params.size(); ++i) {
                        if (i > 0) out += ", ";
                        out += '?' + n.params[i].name;
                    }
                    out += ')';
                }
                out += "\nwhen\n";
                print_conditions(out, n.conditions, 1);
                out += "end\n";
            }
        },
        d);
}

}  // namespace

std::string print_file(const ast::File& file) {
    std::string out;
    for (std::size_t i = 0; i < file.declarations.size(); ++i) {
        if (i > 0) out += '\n';
        print_declaration(out, file.declarations[i]);
    }
    return out;
}

std::string print_fact(const ast::Fact& fact) {
    std::string out;
    print_fact_into(out, fact);
    return out;
}

std::string print_expr(const ast::Expr& expr) {
    std::string out;
    print_expr_into(out, expr);
    return out;
}

}  // namespace demarche::dsl
