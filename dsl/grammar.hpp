// The rule language as PEGTL rules, in the order of docs/language.md. Rules only: the
// actions that build the syntax tree live in parser.cpp, the error texts in grammar_errors.hpp.
//
// Design notes:
// - Rules own the padding *inside* them, never around them: a caller puts `ws` between parts.
// - Every point where the input must go on in one way is a `must<x>` on a rule of its own,
//   so each failure has its own message (style guide 3.5, item 1).
// - The grammar is written so that once a rule with an action has matched, no enclosing rule
//   backtracks over it: the actions build the tree as they go and are never undone.
// - Rules that recurse (parentheses, calls, unary operators, `{ }` groups) are counted by the
//   parser's control class, which stops at max_nesting_depth instead of exhausting the stack.
#pragma once

#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/analyze_traits.hpp>

#include <cstring>
#include <string_view>

namespace demarche::dsl::grammar {

using tao::pegtl::at;
using tao::pegtl::eof;
using tao::pegtl::eolf;
using tao::pegtl::must;
using tao::pegtl::not_at;
using tao::pegtl::not_one;
using tao::pegtl::one;
using tao::pegtl::opt;
using tao::pegtl::plus;
using tao::pegtl::raise;
using tao::pegtl::seq;
using tao::pegtl::sor;
using tao::pegtl::star;
using tao::pegtl::string;
using tao::pegtl::until;
using tao::pegtl::ascii::digit;
using tao::pegtl::ascii::identifier;
using tao::pegtl::ascii::identifier_other;
using tao::pegtl::ascii::space;

// ---- Lexical structure ----

// comment ::= '#' { any character but a newline } ( newline | end of file )
struct comment : seq<one<'#'>, until<eolf>> {};
// ws ::= { whitespace | comment }
struct ws : star<sor<space, comment>> {};

// Reserved words: import template facts rule query when then end not exists where assert
// retract modify print halt salience source logical in true false and or
struct kw_import : TAO_PEGTL_KEYWORD("import") {};
struct kw_template : TAO_PEGTL_KEYWORD("template") {};
struct kw_facts : TAO_PEGTL_KEYWORD("facts") {};
struct kw_rule : TAO_PEGTL_KEYWORD("rule") {};
struct kw_query : TAO_PEGTL_KEYWORD("query") {};
struct kw_when : TAO_PEGTL_KEYWORD("when") {};
struct kw_then : TAO_PEGTL_KEYWORD("then") {};
struct kw_end : TAO_PEGTL_KEYWORD("end") {};
struct kw_not : TAO_PEGTL_KEYWORD("not") {};
struct kw_exists : TAO_PEGTL_KEYWORD("exists") {};
struct kw_where : TAO_PEGTL_KEYWORD("where") {};
struct kw_assert : TAO_PEGTL_KEYWORD("assert") {};
struct kw_retract : TAO_PEGTL_KEYWORD("retract") {};
struct kw_modify : TAO_PEGTL_KEYWORD("modify") {};
struct kw_print : TAO_PEGTL_KEYWORD("print") {};
struct kw_halt : TAO_PEGTL_KEYWORD("halt") {};
struct kw_salience : TAO_PEGTL_KEYWORD("salience") {};
struct kw_source : TAO_PEGTL_KEYWORD("source") {};
struct kw_logical : TAO_PEGTL_KEYWORD("logical") {};
struct kw_in : TAO_PEGTL_KEYWORD("in") {};
struct kw_true : TAO_PEGTL_KEYWORD("true") {};
struct kw_false : TAO_PEGTL_KEYWORD("false") {};
struct kw_and : TAO_PEGTL_KEYWORD("and") {};
struct kw_or : TAO_PEGTL_KEYWORD("or") {};

// keyword ::= any reserved word (not followed by a letter, digit or '_'). `name` below uses
// the same list through is_keyword(); this PEG form is the reference the tests check it against.
struct keyword : sor<kw_import, kw_template, kw_facts, kw_rule, kw_query, kw_when, kw_then, kw_end, kw_not,
                     kw_exists, kw_where, kw_assert, kw_retract, kw_modify, kw_print, kw_halt, kw_salience,
                     kw_source, kw_logical, kw_in, kw_true, kw_false, kw_and, kw_or> {};

// Compares a word already known to have N - 1 characters; a constant length lets the
// compiler turn the comparison into a couple of integer compares.
template <std::size_t N>
bool same_word(std::string_view w, const char (&k)[N]) noexcept {
    return std::memcmp(w.data(), k, N - 1) == 0;
}

/// True for the reserved words listed above (the `keyword` rule in plain C++).
inline bool is_keyword(std::string_view w) noexcept {
    switch (w.size()) {
        case 2:
            return same_word(w, "in") || same_word(w, "or");
        case 3:
            return same_word(w, "end") || same_word(w, "not") || same_word(w, "and");
        case 4:
            return same_word(w, "rule") || same_word(w, "when") || same_word(w, "then") ||
                   same_word(w, "halt") || same_word(w, "true");
        case 5:
            return same_word(w, "facts") || same_word(w, "query") || same_word(w, "where") ||
                   same_word(w, "print") || same_word(w, "false");
        case 6:
            return same_word(w, "import") || same_word(w, "exists") || same_word(w, "assert") ||
                   same_word(w, "modify") || same_word(w, "source");
        case 7:
            return same_word(w, "retract") || same_word(w, "logical");
        case 8:
            return same_word(w, "template") || same_word(w, "salience");
        default:
            return false;
    }
}

// name ::= identifier that is not a keyword
// Written by hand rather than as seq<not_at<keyword>, identifier>: names are the most
// frequent token of a .facts file, and trying the 24 keywords one by one first took about a
// quarter of the time spent parsing one.
struct name {
    using rule_t = name;
    using subs_t = tao::pegtl::empty_list;

    template <typename ParseInput>
    static bool match(ParseInput& in) {
        const char* const begin = in.current();
        const char* const end = in.end();
        auto first = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
        if (begin == end || !first(*begin)) return false;
        const char* p = begin + 1;
        while (p != end && (first(*p) || (*p >= '0' && *p <= '9'))) ++p;
        const auto size = static_cast<std::size_t>(p - begin);
        if (is_keyword(std::string_view(begin, size))) return false;
        in.bump_in_this_line(size);
        return true;
    }
};

// variable ::= '?' identifier
struct variable_name : identifier {};
struct variable : seq<one<'?'>, must<variable_name>> {};

// ---- Literals ----

// string ::= '"' { character but '"' '\' newline | '\' ( '"' | '\' | 'n' | 't' ) } '"'
struct escape_code : one<'"', '\\', 'n', 't'> {};
struct escape : seq<one<'\\'>, must<escape_code>> {};
struct string_chars : plus<not_one<'"', '\\', '\n'>> {};
struct string_close : one<'"'> {};
struct string_lit : seq<one<'"'>, star<sor<string_chars, escape>>, must<string_close>> {};

// number ::= [ '-' ] digit { digit } [ '.' digit { digit } ] [ ( 'e' | 'E' ) [ '+' | '-' ] digit { digit } ]
struct exponent_digits : plus<digit> {};
struct fraction : seq<one<'.'>, plus<digit>> {};
struct exponent : seq<one<'e', 'E'>, opt<one<'+', '-'>>, must<exponent_digits>> {};
struct number : seq<opt<one<'-'>>, plus<digit>, opt<fraction>, opt<exponent>> {};

// symbol ::= name
struct symbol_lit : name {};

// literal ::= number | string | 'true' | 'false' | symbol
struct literal : sor<number, string_lit, kw_true, kw_false, symbol_lit> {};

// ---- Expressions, loosest to tightest: or, and, not, comparison, + -, * / %, unary - ----

struct expr;
struct not_expr;
struct unary_expr;

// primary ::= number | string | 'true' | 'false' | variable | '(' expr ')' | name [ '(' [ expr { ',' expr } ]
// ')' ]
struct expr_literal : sor<number, string_lit, kw_true, kw_false> {};
struct expr_variable : variable {};
struct paren_inner : seq<expr> {};
struct paren_close : one<')'> {};
struct paren_expr : seq<one<'('>, ws, must<paren_inner>, ws, must<paren_close>> {};
struct call_arg : seq<expr> {};
struct call_arg_next : seq<expr> {};
struct call_close : one<')'> {};
struct call_args
    : seq<one<'('>, ws, opt<call_arg, star<ws, one<','>, ws, must<call_arg_next>>>, ws, must<call_close>> {};
struct callee : name {};
struct call_or_symbol : seq<callee, opt<ws, call_args>> {};
struct primary : sor<expr_literal, expr_variable, paren_expr, call_or_symbol> {};

// unary ::= '-' unary | primary       (a '-' written against a digit is part of the number)
struct neg_operand : seq<unary_expr> {};
struct neg_expr : seq<one<'-'>, not_at<digit>, ws, must<neg_operand>> {};
struct unary_expr : sor<neg_expr, primary> {};

// product ::= unary { ( '*' | '/' | '%' ) unary }
struct mul_op : one<'*', '/', '%'> {};
struct mul_operand : seq<unary_expr> {};
struct mul_tail : seq<mul_op, ws, must<mul_operand>> {};
struct mul_expr : seq<unary_expr, star<ws, mul_tail>> {};

// sum ::= product { ( '+' | '-' ) product }
struct add_op : one<'+', '-'> {};
struct add_operand : seq<mul_expr> {};
struct add_tail : seq<add_op, ws, must<add_operand>> {};
struct add_expr : seq<mul_expr, star<ws, add_tail>> {};

// comparison ::= sum [ ( '==' | '!=' | '<=' | '>=' | '<' | '>' ) sum ]     (does not chain)
struct cmp_op
    : sor<string<'=', '='>, string<'!', '='>, string<'<', '='>, string<'>', '='>, one<'<'>, one<'>'>> {};
struct cmp_operand : seq<add_expr> {};
struct cmp_tail : seq<cmp_op, ws, must<cmp_operand>> {};
struct chained_comparison : cmp_op {};
struct cmp_expr : seq<add_expr, opt<ws, cmp_tail, opt<ws, at<cmp_op>, raise<chained_comparison>>>> {};

// negation ::= 'not' negation | comparison
struct not_operand : seq<not_expr> {};
struct not_prefix : seq<kw_not, ws, must<not_operand>> {};
struct not_expr : sor<not_prefix, cmp_expr> {};

// conjunction ::= negation { 'and' negation }
struct and_operand : seq<not_expr> {};
struct and_tail : seq<kw_and, ws, must<and_operand>> {};
struct and_expr : seq<not_expr, star<ws, and_tail>> {};

// expr ::= conjunction { 'or' conjunction }
struct or_operand : seq<and_expr> {};
struct or_tail : seq<kw_or, ws, must<or_operand>> {};
struct expr : seq<and_expr, star<ws, or_tail>> {};

// ---- Conditions ----

// term ::= variable | literal
struct term_variable : variable {};
struct term_literal : seq<literal> {};
struct term : sor<term_variable, term_literal> {};

// constraint ::= compare_op term | 'in' '[' [ term { ',' term } ] ']' | term
struct compare_term : seq<term> {};
struct compare_constraint : seq<cmp_op, ws, must<compare_term>> {};
struct in_open : one<'['> {};
struct in_item : seq<term> {};
struct in_item_next : seq<term> {};
struct in_close : one<']'> {};
struct in_constraint : seq<kw_in, ws, must<in_open>, ws,
                           opt<in_item, star<ws, one<','>, ws, must<in_item_next>>>, ws, must<in_close>> {};
struct term_constraint : seq<term> {};
struct constraint : sor<compare_constraint, in_constraint, term_constraint> {};

// constraints ::= constraint { '&' constraint }
struct constraint_next : seq<constraint> {};
struct constraints : seq<constraint, star<ws, one<'&'>, ws, must<constraint_next>>> {};

// pattern_arg ::= identifier ':' constraints | constraints
struct arg_field : seq<identifier, ws, one<':'>> {};
struct named_constraints : seq<constraints> {};
struct pattern_arg : sor<seq<arg_field, ws, must<named_constraints>>, constraints> {};
struct pattern_arg_next : seq<pattern_arg> {};

// pattern ::= [ variable '<-' ] name '(' [ pattern_arg { ',' pattern_arg } ] ')'
struct binding_variable : variable {};
struct binding_arrow : string<'<', '-'> {};
struct fact_binding : seq<binding_variable, ws, must<binding_arrow>, ws> {};
struct pattern_template : name {};
struct bound_template : name {};
struct pattern_open : one<'('> {};
struct pattern_close : one<')'> {};
struct pattern_body
    : seq<ws, must<pattern_open>, ws, opt<pattern_arg, star<ws, one<','>, ws, must<pattern_arg_next>>>, ws,
          must<pattern_close>> {};
struct pattern
    : sor<seq<fact_binding, must<bound_template>, pattern_body>, seq<pattern_template, pattern_body>> {};

struct condition;

// group ::= '{' { condition } '}'
struct group_open : one<'{'> {};
struct group_close : one<'}'> {};
struct cond_group : seq<group_open, ws, star<condition, ws>, must<group_close>> {};

// condition ::= 'not' ( pattern | group ) | 'exists' ( pattern | group ) | 'where' expr | pattern
struct not_keyword : kw_not {};
struct not_body : sor<cond_group, pattern> {};
struct not_condition : seq<not_keyword, ws, must<not_body>> {};
struct exists_keyword : kw_exists {};
struct exists_body : sor<cond_group, pattern> {};
struct exists_condition : seq<exists_keyword, ws, must<exists_body>> {};
struct where_expr : seq<expr> {};
struct where_condition : seq<kw_where, ws, must<where_expr>> {};
struct condition : sor<not_condition, exists_condition, where_condition, pattern> {};
struct conditions : star<condition, ws> {};

// ---- Actions ----

// action_arg ::= identifier ':' expr | expr
struct action_field : seq<identifier, ws, one<':'>> {};
struct named_value : seq<expr> {};
struct action_arg : sor<seq<action_field, ws, must<named_value>>, expr> {};
struct action_arg_next : seq<action_arg> {};
struct action_args : opt<action_arg, star<ws, one<','>, ws, must<action_arg_next>>> {};

// assert ::= 'assert' [ 'logical' ] name '(' [ action_arg { ',' action_arg } ] ')'
struct logical_keyword : kw_logical {};
struct assert_template : name {};
struct assert_open : one<'('> {};
struct assert_close : one<')'> {};
struct assert_action : seq<kw_assert, ws, opt<logical_keyword, ws>, must<assert_template>, ws,
                           must<assert_open>, ws, action_args, ws, must<assert_close>> {};
// retract ::= 'retract' variable
struct retract_target : variable {};
struct retract_action : seq<kw_retract, ws, must<retract_target>> {};
// modify ::= 'modify' variable '(' [ action_arg { ',' action_arg } ] ')'
struct modify_target : variable {};
struct modify_open : one<'('> {};
struct modify_close : one<')'> {};
struct modify_action : seq<kw_modify, ws, must<modify_target>, ws, must<modify_open>, ws, action_args, ws,
                           must<modify_close>> {};
// print ::= 'print' expr { ',' expr }
struct print_arg : seq<expr> {};
struct print_arg_next : seq<expr> {};
struct print_action : seq<kw_print, ws, must<print_arg>, star<ws, one<','>, ws, must<print_arg_next>>> {};
// halt ::= 'halt'
struct halt_action : kw_halt {};
// action ::= assert | retract | modify | print | halt
struct action : sor<assert_action, retract_action, modify_action, print_action, halt_action> {};
struct actions : star<action, ws> {};

// ---- Declarations ----

// import ::= 'import' string
struct import_path : seq<string_lit> {};
struct import_decl : seq<kw_import, ws, must<import_path>> {};

// template ::= 'template' name '{' { field [ ',' ] } '}'
// field ::= name ':' type [ '=' literal ]
struct template_name : name {};
struct template_open : one<'{'> {};
struct template_close : one<'}'> {};
struct field_name : name {};
struct field_colon : one<':'> {};
struct field_type : sor<TAO_PEGTL_KEYWORD("symbol"), TAO_PEGTL_KEYWORD("string"), TAO_PEGTL_KEYWORD("int"),
                        TAO_PEGTL_KEYWORD("float"), TAO_PEGTL_KEYWORD("bool"), TAO_PEGTL_KEYWORD("any")> {};
struct default_value : seq<literal> {};
struct field_default : seq<one<'='>, ws, must<default_value>> {};
struct field_decl : seq<field_name, ws, must<field_colon>, ws, must<field_type>, opt<ws, field_default>> {};
struct template_field : seq<field_decl> {};
struct template_decl : seq<kw_template, ws, must<template_name>, ws, must<template_open>, ws,
                           star<not_at<one<'}'>>, not_at<eof>, must<template_field>, ws, opt<one<','>, ws>>,
                           must<template_close>> {};

// fact ::= name '(' [ fact_arg { ',' fact_arg } ] ')'
// fact_arg ::= identifier ':' literal | literal
struct fact_template : name {};
struct fact_open : one<'('> {};
struct fact_close : one<')'> {};
struct fact_field : seq<identifier, ws, one<':'>> {};
struct fact_value : seq<literal> {};
struct positional_value : seq<literal> {};
struct fact_arg : sor<seq<fact_field, ws, must<fact_value>>, positional_value> {};
struct fact_arg_next : seq<fact_arg> {};
struct fact : seq<fact_template, ws, must<fact_open>, ws,
                  opt<fact_arg, star<ws, one<','>, ws, must<fact_arg_next>>>, ws, must<fact_close>> {};

// facts ::= 'facts' [ name ] '{' { fact } '}'
struct facts_keyword : kw_facts {};
struct facts_name : name {};
struct facts_open : one<'{'> {};
struct facts_item : seq<fact> {};
struct facts_close : one<'}'> {};
struct facts_decl : seq<facts_keyword, ws, opt<facts_name, ws>, must<facts_open>, ws,
                        star<not_at<one<'}'>>, not_at<eof>, must<facts_item>, ws>, must<facts_close>> {};

// rule ::= 'rule' name [ string ] { 'salience' integer | 'source' string } 'when' { condition }
//          'then' { action } 'end'
struct rule_name : name {};
struct rule_description : seq<string_lit> {};
struct salience_value : seq<number> {};
struct salience_clause : seq<kw_salience, ws, must<salience_value>> {};
struct source_text : seq<string_lit> {};
struct source_clause : seq<kw_source, ws, must<source_text>> {};
struct rule_when : kw_when {};
struct rule_then : kw_then {};
struct rule_end : kw_end {};
struct rule_decl : seq<kw_rule, ws, must<rule_name>, ws, opt<rule_description, ws>,
                       star<sor<salience_clause, source_clause>, ws>, must<rule_when>, ws, conditions,
                       must<rule_then>, ws, actions, must<rule_end>> {};

// query ::= 'query' name [ '(' [ variable { ',' variable } ] ')' ] 'when' { condition } 'end'
struct query_name : name {};
struct query_param : variable {};
struct query_param_next : variable {};
struct query_params_close : one<')'> {};
struct query_params : seq<one<'('>, ws, opt<query_param, star<ws, one<','>, ws, must<query_param_next>>>, ws,
                          must<query_params_close>> {};
struct query_when : kw_when {};
struct query_end : kw_end {};
struct query_decl : seq<kw_query, ws, must<query_name>, ws, opt<query_params, ws>, must<query_when>, ws,
                        conditions, must<query_end>> {};

// ---- Tests (an extension of the contract) ----
// `test`, `strategy`, `given`, `expect`, `printed` and `fired` are not reserved words: the
// contract's list is closed, and existing rule files may use them as names. Each is read as
// a word of a test only where a test expects it and, for the words that may also begin a
// fact or pattern, only when no '(' follows (`expect(...)` is a fact of template `expect`).

template <typename Word>
struct test_word : seq<Word, not_at<ws, one<'('>>> {};
struct kw_test : TAO_PEGTL_KEYWORD("test") {};
struct kw_strategy : TAO_PEGTL_KEYWORD("strategy") {};
struct kw_given : TAO_PEGTL_KEYWORD("given") {};
struct kw_expect : TAO_PEGTL_KEYWORD("expect") {};
struct kw_printed : TAO_PEGTL_KEYWORD("printed") {};
struct kw_fired : TAO_PEGTL_KEYWORD("fired") {};

// test ::= 'test' name [ string ] [ 'strategy' name ] [ 'given' { fact } ] 'expect' { expectation } 'end'
// expectation ::= 'printed' string | 'fired' integer | 'not' ( pattern | group ) | pattern
struct test_name : name {};
struct test_description : seq<string_lit> {};
struct strategy_value : name {};
struct test_strategy : seq<test_word<kw_strategy>, ws, must<strategy_value>> {};
struct given_keyword : test_word<kw_given> {};
struct given_fact : seq<fact> {};
struct given_section
    : seq<given_keyword, ws, star<not_at<test_word<kw_expect>>, must<given_fact>, ws>> {};
struct test_expect : test_word<kw_expect> {};
struct printed_text : seq<string_lit> {};
struct printed_expectation : seq<test_word<kw_printed>, ws, must<printed_text>> {};
struct fired_count : seq<number> {};
struct fired_expectation : seq<test_word<kw_fired>, ws, must<fired_count>> {};
struct expectation : sor<printed_expectation, fired_expectation, not_condition, pattern> {};
struct test_end : kw_end {};
struct test_decl : seq<kw_test, ws, must<test_name>, ws, opt<test_description, ws>, opt<test_strategy, ws>,
                       opt<given_section>, must<test_expect>, ws, star<expectation, ws>, must<test_end>> {};

// declaration ::= import | template | facts | rule | query | test
struct declaration : sor<import_decl, template_decl, facts_decl, rule_decl, query_decl, test_decl> {};

// rules_file ::= { declaration } end-of-file
struct rules_file : seq<ws, star<not_at<eof>, must<declaration>, ws>, eof> {};

// facts_file ::= { fact } end-of-file
struct facts_file_item : seq<fact> {};
struct facts_file : seq<ws, star<not_at<eof>, must<facts_file_item>, ws>, eof> {};

}  // namespace demarche::dsl::grammar

// `name` consumes at least one character when it succeeds, which is all analyze() needs.
template <typename Name>
struct tao::pegtl::analyze_traits<Name, demarche::dsl::grammar::name> : tao::pegtl::analyze_any_traits<> {};
