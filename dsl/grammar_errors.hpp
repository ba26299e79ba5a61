// The message for every must<> point of grammar.hpp, kept out of the grammar so the rules
// stay readable. `{}` in a message stands for the name of the construct being parsed (the
// rule, the template, ...), which the parser fills in.
#pragma once

#include "grammar.hpp"

namespace demarche::dsl::grammar {

template <typename Rule>
inline constexpr const char* error_message = nullptr;

// For must-points where a name is expected: what the name would have named, so that a
// reserved word gets "'rule' is a reserved word and cannot name a template".
template <typename Rule>
inline constexpr const char* name_role = nullptr;

// clang-format off
template <> inline constexpr const char* error_message<variable_name> = "expected a variable name after '?'";
template <> inline constexpr const char* error_message<escape_code> = "unknown escape sequence in string (use \\\" \\\\ \\n or \\t)";
template <> inline constexpr const char* error_message<string_close> = "unterminated string";
template <> inline constexpr const char* error_message<exponent_digits> = "expected digits in the exponent of the number";

template <> inline constexpr const char* error_message<paren_inner> = "expected an expression after '('";
template <> inline constexpr const char* error_message<paren_close> = "expected ')' to close the parenthesis";
template <> inline constexpr const char* error_message<call_arg_next> = "expected an argument after ','";
template <> inline constexpr const char* error_message<call_close> = "expected ')' after the arguments of '{}'";
template <> inline constexpr const char* error_message<neg_operand> = "expected an expression after '-'";
template <> inline constexpr const char* error_message<mul_operand> = "expected an expression after the operator";
template <> inline constexpr const char* error_message<add_operand> = "expected an expression after the operator";
template <> inline constexpr const char* error_message<cmp_operand> = "expected an expression after the comparison";
template <> inline constexpr const char* error_message<chained_comparison> = "comparisons do not chain; combine them with 'and'";
template <> inline constexpr const char* error_message<not_operand> = "expected an expression after 'not'";
template <> inline constexpr const char* error_message<and_operand> = "expected an expression after 'and'";
template <> inline constexpr const char* error_message<or_operand> = "expected an expression after 'or'";

template <> inline constexpr const char* error_message<compare_term> = "expected a value or a variable after the comparison";
template <> inline constexpr const char* error_message<in_open> = "expected '[' after 'in'";
template <> inline constexpr const char* error_message<in_item_next> = "expected a value or a variable after ','";
template <> inline constexpr const char* error_message<in_close> = "expected ']' to close the 'in' list";
template <> inline constexpr const char* error_message<constraint_next> = "expected a constraint after '&'";
template <> inline constexpr const char* error_message<named_constraints> = "expected a constraint after ':' (a value, a variable, a comparison or 'in [...]')";
template <> inline constexpr const char* error_message<pattern_arg_next> = "expected an argument after ','";
template <> inline constexpr const char* error_message<binding_arrow> = "expected '<-' after the fact variable";
template <> inline constexpr const char* error_message<bound_template> = "expected a template name after '<-'";
template <> inline constexpr const char* error_message<pattern_open> = "expected '(' after '{}'";
template <> inline constexpr const char* error_message<pattern_close> = "expected ')' after the arguments of '{}'";
template <> inline constexpr const char* error_message<group_close> = "expected '}' to close the group";
template <> inline constexpr const char* error_message<not_body> = "expected a pattern or '{' after 'not'";
template <> inline constexpr const char* error_message<exists_body> = "expected a pattern or '{' after 'exists'";
template <> inline constexpr const char* error_message<where_expr> = "expected an expression after 'where'";

template <> inline constexpr const char* error_message<named_value> = "expected an expression after ':'";
template <> inline constexpr const char* error_message<action_arg_next> = "expected an argument after ','";
template <> inline constexpr const char* error_message<assert_template> = "expected a template name after 'assert'";
template <> inline constexpr const char* error_message<assert_open> = "expected '(' after '{}'";
template <> inline constexpr const char* error_message<assert_close> = "expected ')' after the arguments of '{}'";
template <> inline constexpr const char* error_message<retract_target> = "expected a fact variable after 'retract'";
template <> inline constexpr const char* error_message<modify_target> = "expected a fact variable after 'modify'";
template <> inline constexpr const char* error_message<modify_open> = "expected '(' after '{}'";
template <> inline constexpr const char* error_message<modify_close> = "expected ')' after the arguments of '{}'";
template <> inline constexpr const char* error_message<print_arg> = "expected an expression after 'print'";
template <> inline constexpr const char* error_message<print_arg_next> = "expected an expression after ','";

template <> inline constexpr const char* error_message<import_path> = "expected a file name in quotes after 'import'";
template <> inline constexpr const char* error_message<template_name> = "expected a template name after 'template'";
template <> inline constexpr const char* error_message<template_open> = "expected '{' after the template name";
template <> inline constexpr const char* error_message<template_field> = "expected a field name or '}' in template '{}'";
template <> inline constexpr const char* error_message<field_colon> = "expected ':' after the field name";
template <> inline constexpr const char* error_message<field_type> = "expected a field type (symbol, string, int, float, bool or any)";
template <> inline constexpr const char* error_message<default_value> = "expected a default value (a symbol, string, number, true or false) after '='";
template <> inline constexpr const char* error_message<template_close> = "expected '}' to close template '{}'";

template <> inline constexpr const char* error_message<fact_open> = "expected '(' after '{}'";
template <> inline constexpr const char* error_message<fact_value> = "expected a value (a symbol, string, number, true or false) after ':'";
template <> inline constexpr const char* error_message<fact_arg_next> = "expected a value after ','";
template <> inline constexpr const char* error_message<fact_close> = "expected ')' after the arguments of '{}'";
template <> inline constexpr const char* error_message<facts_open> = "expected '{' after 'facts'";
template <> inline constexpr const char* error_message<facts_item> = "expected a fact or '}' in the facts block";
template <> inline constexpr const char* error_message<facts_close> = "expected '}' to close the facts block";
template <> inline constexpr const char* error_message<facts_file_item> = "expected a fact such as 'edge(a, b)'";

template <> inline constexpr const char* error_message<rule_name> = "expected a rule name after 'rule'";
template <> inline constexpr const char* error_message<salience_value> = "expected an integer after 'salience'";
template <> inline constexpr const char* error_message<source_text> = "expected a string after 'source'";
template <> inline constexpr const char* error_message<rule_when> = "expected 'when' after the header of rule '{}'";
template <> inline constexpr const char* error_message<rule_then> = "expected a condition or 'then' in rule '{}'";
template <> inline constexpr const char* error_message<rule_end> = "expected 'end' to close rule '{}'";

template <> inline constexpr const char* error_message<query_name> = "expected a query name after 'query'";
template <> inline constexpr const char* error_message<query_param_next> = "expected a variable after ','";
template <> inline constexpr const char* error_message<query_params_close> = "expected ')' after the parameters of query '{}'";
template <> inline constexpr const char* error_message<query_when> = "expected 'when' after the header of query '{}'";
template <> inline constexpr const char* error_message<query_end> = "expected 'end' to close query '{}'";

template <> inline constexpr const char* error_message<test_name> = "expected a test name after 'test'";
template <> inline constexpr const char* error_message<strategy_value> = "expected a strategy (depth, breadth, lex or mea) after 'strategy'";
template <> inline constexpr const char* error_message<given_fact> = "expected a fact or 'expect' in test '{}'";
template <> inline constexpr const char* error_message<test_expect> = "expected 'given' or 'expect' after the header of test '{}'";
template <> inline constexpr const char* error_message<printed_text> = "expected a line in quotes after 'printed'";
template <> inline constexpr const char* error_message<fired_count> = "expected a number of firings after 'fired'";
template <> inline constexpr const char* error_message<test_end> = "expected an expectation or 'end' in test '{}'";

template <> inline constexpr const char* error_message<declaration> = "expected a declaration (import, template, facts, rule or query)";

template <> inline constexpr const char* name_role<template_name> = "a template";
template <> inline constexpr const char* name_role<bound_template> = "a template";
template <> inline constexpr const char* name_role<assert_template> = "a template";
template <> inline constexpr const char* name_role<facts_item> = "a template";
template <> inline constexpr const char* name_role<facts_file_item> = "a template";
template <> inline constexpr const char* name_role<template_field> = "a field";
template <> inline constexpr const char* name_role<rule_name> = "a rule";
template <> inline constexpr const char* name_role<query_name> = "a query";
template <> inline constexpr const char* name_role<test_name> = "a test";
// clang-format on

/// The table in the shape PEGTL's must_if expects. Failures never raise by themselves:
/// only must<> points do, so backtracking alternatives stay silent.
struct error_table {
    template <typename Rule>
    static constexpr const char* message = error_message<Rule>;
    template <typename Rule>
    static constexpr bool raise_on_failure = false;
};

template <typename Rule>
using error_control = tao::pegtl::must_if<error_table, tao::pegtl::normal, false>::control<Rule>;

}  // namespace demarche::dsl::grammar
