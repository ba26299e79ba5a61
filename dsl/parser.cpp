// Text to syntax tree: the PEGTL actions that build ast:: nodes from grammar.hpp, the control
// class that bounds nesting and words the errors, and the recovery loops.
#include "parser.hpp"

#include "fact_scanner.hpp"
#include "grammar.hpp"
#include "grammar_errors.hpp"
#include "literals.hpp"

#include <tao/pegtl.hpp>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace demarche::dsl {
namespace {

namespace g = grammar;
namespace pegtl = tao::pegtl;

// A syntax error with its byte range. Thrown out of the grammar and caught by the
// recovery loop, which records it and resumes at the next declaration.
struct SyntaxError {
    std::uint32_t begin;
    std::uint32_t end;
    std::string message;
};

using g::is_keyword;

bool is_declaration_keyword(std::string_view word) {
    return word == "import" || word == "template" || word == "facts" || word == "rule" || word == "query" ||
           word == "test";
}

// True when the word at `pos` is followed (after blanks) by `c`.
bool followed_by(std::string_view text, std::size_t pos, char c) {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) ++pos;
    return pos < text.size() && text[pos] == c;
}

// True when the word at `pos` is followed (after blanks) by ':', as a field name is.
bool followed_by_colon(std::string_view text, std::size_t pos) { return followed_by(text, pos, ':'); }

// True when `word` at `pos` begins a declaration: a declaration keyword that is not a field
// name (`facts: int`) and, for `test`, which is not reserved, not a fact or pattern (`test(...)`).
bool starts_declaration_at(std::string_view text, std::string_view word, std::size_t pos) {
    if (!is_declaration_keyword(word) || followed_by_colon(text, pos + word.size())) return false;
    return word != "test" || !followed_by(text, pos + word.size(), '(');
}

bool is_identifier_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// The identifier starting at `pos` (empty when there is none).
std::string_view identifier_at(std::string_view text, std::size_t pos) {
    if (pos >= text.size() || !is_identifier_char(text[pos]) || (text[pos] >= '0' && text[pos] <= '9'))
        return {};
    std::size_t end = pos;
    while (end < text.size() && is_identifier_char(text[end])) ++end;
    return text.substr(pos, end - pos);
}

// End of the token an error points at, so its range covers at least one character when
// there is one: a whole word, or one UTF-8 code point.
std::size_t token_end(std::string_view text, std::size_t pos) {
    if (pos >= text.size()) return text.size();
    if (is_identifier_char(text[pos])) {
        while (pos < text.size() && is_identifier_char(text[pos])) ++pos;
        return pos;
    }
    ++pos;
    while (pos < text.size() && (static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80) ++pos;
    return pos;
}

std::string fill_in(std::string_view message, std::string_view context) {
    std::string out(message);
    if (auto at = out.find("{}"); at != std::string::npos) out.replace(at, 2, context);
    return out;
}

// Everything the actions build, and the stacks for the nested parts.
struct ParseState {
    ParseState(const SourceFile& f, Diagnostics& d) : file(f), diags(d), text(f.text), base(f.text.data()) {}

    const SourceFile& file;
    Diagnostics& diags;
    std::string_view text;
    const char* base;

    // Position bookkeeping for errors and recovery.
    unsigned depth = 0;
    const char* string_start = nullptr;
    const char* unit_start = nullptr;  // start of the declaration (or .facts fact) being parsed
    std::string declaration_name;      // the rule, query or template, for messages
    std::string context;               // the innermost named construct, for messages

    // Leaves, read by the rule that contains them.
    ast::Literal lit{Value(false), {}};
    ast::Term term{ast::Variable{}};
    std::optional<ast::Identifier> pending_field;

    // Patterns and conditions.
    std::vector<ast::Constraint> conjuncts;
    std::vector<ast::Term> in_terms;
    std::vector<ast::PatternArg> pattern_args;
    std::optional<ast::Variable> binding;
    ast::Identifier pattern_name;
    std::vector<std::vector<ast::Condition>> conditions;  // one level per open not/exists

    // Expressions and actions.
    std::vector<ast::Expr> exprs;
    std::vector<unsigned> heights;        // height of each tree in `exprs`
    std::vector<std::size_t> call_marks;  // exprs.size() where each open call's arguments start
    std::vector<ast::ActionArg> action_args;
    std::vector<ast::Action> actions;
    bool logical = false;
    ast::Identifier action_template;
    ast::Variable target;

    // Declarations.
    ast::Rule rule;
    ast::Query query;
    ast::Test test;
    ast::Template tmpl;
    ast::Identifier field_name;
    ast::Identifier field_type;
    std::optional<ast::Literal> field_default;
    std::optional<ast::Identifier> block_name;
    ast::Identifier fact_name;
    std::vector<ast::FactArg> fact_args;
    std::vector<ast::Fact> facts;
    const FactSink* fact_sink = nullptr;  // when set, facts go here instead of into `facts`
    ast::Fact streamed_fact;
    std::vector<ast::Declaration>* declarations = nullptr;

    std::uint32_t offset(const char* p) const { return static_cast<std::uint32_t>(p - base); }
    SourceRange range(const char* b, const char* e) const { return {file.id, offset(b), offset(e)}; }
    template <typename ActionInput>
    SourceRange range(const ActionInput& in) const {
        return range(in.begin(), in.end());
    }

    [[noreturn]] void fail(const char* at, std::string message) const {
        const std::uint32_t b = offset(at);
        throw SyntaxError{b, static_cast<std::uint32_t>(token_end(text, b)), std::move(message)};
    }
    [[noreturn]] void fail(SourceRange r, std::string message) const {
        throw SyntaxError{r.begin, r.end, std::move(message)};
    }

    // Forgets the half-built parts of a declaration that failed.
    void reset() {
        depth = 0;
        declaration_name.clear();
        context.clear();
        pending_field.reset();
        conjuncts.clear();
        in_terms.clear();
        pattern_args.clear();
        binding.reset();
        conditions.clear();
        exprs.clear();
        heights.clear();
        call_marks.clear();
        action_args.clear();
        actions.clear();
        logical = false;
        fact_args.clear();
    }

    // `name :` heads of arguments: the name, checked against the reserved words.
    template <typename ActionInput>
    ast::Identifier field_head(const ActionInput& in) const {
        const std::string_view word = identifier_at(text, offset(in.begin()));
        const SourceRange r{file.id, offset(in.begin()),
                            offset(in.begin()) + static_cast<std::uint32_t>(word.size())};
        if (is_keyword(word))
            fail(r, "'" + std::string(word) + "' is a reserved word and cannot name a field");
        return {std::string(word), r};
    }
    template <typename ActionInput>
    ast::Identifier identifier(const ActionInput& in) const {
        return {std::string(in.string_view()), range(in)};
    }
    template <typename ActionInput>
    ast::Variable variable(const ActionInput& in) const {
        return {std::string(in.string_view().substr(1)), range(in)};
    }
    void add_condition(ast::Condition c) { conditions.back().push_back(std::move(c)); }
    // Trees are kept no taller than max_nesting_depth, so every later pass over them (the
    // checker, the evaluator, the printer, even the destructors) may recurse safely.
    void push_expr(ast::Expr e, unsigned height) {
        if (height > max_nesting_depth)
            fail(e.range, "expressions nest too deeply (limit " + std::to_string(max_nesting_depth) + ")");
        exprs.push_back(std::move(e));
        heights.push_back(height);
    }
    ast::Expr pop_expr(unsigned* height = nullptr) {
        ast::Expr e = std::move(exprs.back());
        if (height != nullptr) *height = heights.back();
        exprs.pop_back();
        heights.pop_back();
        return e;
    }
    void push_binary(BinaryOp op, const char* end) {
        unsigned hr = 0;
        unsigned hl = 0;
        ast::Expr rhs = pop_expr(&hr);
        ast::Expr lhs = pop_expr(&hl);
        const SourceRange r{file.id, lhs.range.begin, offset(end)};
        push_expr(ast::Expr{ast::BinaryExpr{op, std::make_unique<ast::Expr>(std::move(lhs)),
                                            std::make_unique<ast::Expr>(std::move(rhs))},
                            r},
                  std::max(hl, hr) + 1);
    }
    template <typename ActionInput>
    void push_unary(UnaryOp op, const ActionInput& in) {
        unsigned h = 0;
        ast::Expr operand = pop_expr(&h);
        push_expr(ast::Expr{ast::UnaryExpr{op, std::make_unique<ast::Expr>(std::move(operand))}, range(in)},
                  h + 1);
    }
};

CompareOp compare_op(std::string_view text) {
    if (text.starts_with("==")) return CompareOp::Eq;
    if (text.starts_with("!=")) return CompareOp::Ne;
    if (text.starts_with("<=")) return CompareOp::Le;
    if (text.starts_with(">=")) return CompareOp::Ge;
    if (text.starts_with("<")) return CompareOp::Lt;
    return CompareOp::Gt;
}

BinaryOp binary_op(CompareOp op) {
    switch (op) {
        case CompareOp::Eq:
            return BinaryOp::Eq;
        case CompareOp::Ne:
            return BinaryOp::Ne;
        case CompareOp::Lt:
            return BinaryOp::Lt;
        case CompareOp::Le:
            return BinaryOp::Le;
        case CompareOp::Gt:
            return BinaryOp::Gt;
        case CompareOp::Ge:
            return BinaryOp::Ge;
    }
    return BinaryOp::Eq;
}

// ---- Actions ----

template <typename Rule>
struct action : pegtl::nothing<Rule> {};

// Literals: each leaf leaves its value in `st.lit` for the rule around it.

template <>
struct action<g::number> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        const std::string_view t = in.string_view();
        const bool is_float = detail::is_float_literal(t);
        std::optional<Value> v = detail::number_value(t, is_float);
        if (!v && is_float)
            st.fail(st.range(in), "number '" + std::string(t) + "' is out of range for a float");
        if (!v)
            st.fail(st.range(in), "integer '" + std::string(t) +
                                      "' is out of range (64-bit integers go from "
                                      "-9223372036854775808 to 9223372036854775807)");
        st.lit = {std::move(*v), st.range(in)};
    }
};

template <>
struct action<g::string_lit> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        st.lit = {Value(detail::unescape(in.string_view())), st.range(in)};
    }
};

template <>
struct action<g::kw_true> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        st.lit = {Value(true), st.range(in)};
    }
};

template <>
struct action<g::kw_false> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        st.lit = {Value(false), st.range(in)};
    }
};

template <>
struct action<g::symbol_lit> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        st.lit = {Value(Symbol::intern(in.string_view())), st.range(in)};
    }
};

// Expressions: a stack of finished operands; operators pop theirs and push the result.

template <>
struct action<g::expr_literal> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        st.push_expr(ast::Expr{st.lit, st.range(in)}, 1);
    }
};

template <>
struct action<g::expr_variable> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        st.push_expr(ast::Expr{ast::VariableExpr{std::string(in.string_view().substr(1))}, st.range(in)}, 1);
    }
};

// A name is a symbol until a `(` turns it into a call (see call_args).
template <>
struct action<g::callee> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        st.push_expr(
            ast::Expr{ast::Literal{Value(Symbol::intern(in.string_view())), st.range(in)}, st.range(in)}, 1);
    }
};

template <>
struct action<g::call_args> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        const std::size_t mark = st.call_marks.back();
        ast::CallExpr call;
        unsigned height = 1;
        for (std::size_t i = mark; i < st.exprs.size(); ++i) {
            call.args.push_back(std::make_unique<ast::Expr>(std::move(st.exprs[i])));
            height = std::max(height, st.heights[i] + 1);
        }
        st.exprs.erase(st.exprs.begin() + static_cast<std::ptrdiff_t>(mark), st.exprs.end());
        st.heights.resize(mark);
        if (height > max_nesting_depth)
            st.fail(st.range(in),
                    "expressions nest too deeply (limit " + std::to_string(max_nesting_depth) + ")");
        st.heights.back() = height;
        ast::Expr& callee = st.exprs.back();
        const ast::Literal& name = boost::variant2::get<ast::Literal>(callee.node);
        call.function = {boost::variant2::get<Symbol>(name.value).name(), name.range};
        callee.range.end = st.offset(in.end());
        callee.node = std::move(call);
    }
};

template <>
struct action<g::paren_expr> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        st.exprs.back().range = st.range(in);
    }
};

template <>
struct action<g::neg_expr> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        st.push_unary(UnaryOp::Neg, in);
    }
};

template <>
struct action<g::not_prefix> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        st.push_unary(UnaryOp::Not, in);
    }
};

template <>
struct action<g::mul_tail> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        const char c = in.string_view().front();
        st.push_binary(c == '*' ? BinaryOp::Mul : c == '/' ? BinaryOp::Div : BinaryOp::Mod, in.end());
    }
};

template <>
struct action<g::add_tail> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        st.push_binary(in.string_view().front() == '+' ? BinaryOp::Add : BinaryOp::Sub, in.end());
    }
};

template <>
struct action<g::cmp_tail> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        st.push_binary(binary_op(compare_op(in.string_view())), in.end());
    }
};

template <>
struct action<g::and_tail> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        st.push_binary(BinaryOp::And, in.end());
    }
};

template <>
struct action<g::or_tail> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        st.push_binary(BinaryOp::Or, in.end());
    }
};

// Constraints and patterns.

template <>
struct action<g::term_variable> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        st.term = st.variable(in);
    }
};

template <>
struct action<g::term_literal> {
    template <typename ActionInput>
    static void apply(const ActionInput&, ParseState& st) {
        st.term = st.lit;
    }
};

template <>
struct action<g::term_constraint> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        st.conjuncts.push_back({ast::TermConstraint{std::move(st.term)}, st.range(in)});
    }
};

template <>
struct action<g::compare_constraint> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        st.conjuncts.push_back(
            {ast::CompareConstraint{compare_op(in.string_view()), std::move(st.term)}, st.range(in)});
    }
};

struct push_in_term {
    template <typename ActionInput>
    static void apply(const ActionInput&, ParseState& st) {
        st.in_terms.push_back(std::move(st.term));
    }
};
template <>
struct action<g::in_item> : push_in_term {};
template <>
struct action<g::in_item_next> : push_in_term {};

template <>
struct action<g::in_constraint> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        st.conjuncts.push_back({ast::InConstraint{std::move(st.in_terms)}, st.range(in)});
        st.in_terms.clear();
    }
};

struct set_field_head {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        st.pending_field = st.field_head(in);
    }
};
template <>
struct action<g::arg_field> : set_field_head {};
template <>
struct action<g::action_field> : set_field_head {};
template <>
struct action<g::fact_field> : set_field_head {};

template <>
struct action<g::pattern_arg> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        st.pattern_args.push_back({std::move(st.pending_field), std::move(st.conjuncts), st.range(in)});
        st.pending_field.reset();
        st.conjuncts.clear();
    }
};

template <>
struct action<g::binding_variable> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        st.binding = st.variable(in);
    }
};

template <>
struct action<g::bound_template> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        st.pattern_name = st.identifier(in);
        st.context = in.string_view();
        st.pattern_args.clear();
    }
};

template <>
struct action<g::pattern_template> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        st.binding.reset();
        action<g::bound_template>::apply(in, st);
    }
};

template <>
struct action<g::pattern> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        ast::Pattern p{std::move(st.binding), std::move(st.pattern_name), std::move(st.pattern_args),
                       st.range(in)};
        st.binding.reset();
        st.pattern_args.clear();
        st.add_condition({std::move(p), st.range(in)});
    }
};

// Conditions: `not` and `exists` open a level that their body fills.

struct open_condition_level {
    template <typename ActionInput>
    static void apply(const ActionInput&, ParseState& st) {
        st.conditions.emplace_back();
    }
};
template <>
struct action<g::not_keyword> : open_condition_level {};
template <>
struct action<g::exists_keyword> : open_condition_level {};

template <typename Node>
struct close_condition_level {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        std::vector<ast::Condition> body = std::move(st.conditions.back());
        st.conditions.pop_back();
        // A body ends where its last token does: '}' for a group, ')' for a pattern.
        const bool grouped = in.string_view().back() == '}';
        st.add_condition({Node{std::move(body), grouped}, st.range(in)});
    }
};
template <>
struct action<g::not_condition> : close_condition_level<ast::NotCondition> {};
template <>
struct action<g::exists_condition> : close_condition_level<ast::ExistsCondition> {};

template <>
struct action<g::where_condition> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        st.add_condition({ast::WhereCondition{st.pop_expr()}, st.range(in)});
    }
};

// Actions of the right-hand side.

template <>
struct action<g::action_arg> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        st.action_args.push_back({std::move(st.pending_field), st.pop_expr(), st.range(in)});
        st.pending_field.reset();
    }
};

template <>
struct action<g::logical_keyword> {
    template <typename ActionInput>
    static void apply(const ActionInput&, ParseState& st) {
        st.logical = true;
    }
};

template <>
struct action<g::assert_template> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        st.action_template = st.identifier(in);
        st.context = in.string_view();
        st.action_args.clear();
    }
};

template <>
struct action<g::assert_action> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        st.actions.push_back(
            {ast::AssertAction{st.logical, std::move(st.action_template), std::move(st.action_args)},
             st.range(in)});
        st.logical = false;
        st.action_args.clear();
    }
};

template <>
struct action<g::retract_target> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        st.target = st.variable(in);
    }
};

template <>
struct action<g::retract_action> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        st.actions.push_back({ast::RetractAction{std::move(st.target)}, st.range(in)});
    }
};

template <>
struct action<g::modify_target> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        st.target = st.variable(in);
        st.context = in.string_view();
        st.action_args.clear();
    }
};

template <>
struct action<g::modify_action> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        st.actions.push_back(
            {ast::ModifyAction{std::move(st.target), std::move(st.action_args)}, st.range(in)});
        st.action_args.clear();
    }
};

template <>
struct action<g::print_action> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        ast::PrintAction print;
        print.args = std::move(st.exprs);
        st.exprs.clear();
        st.heights.clear();
        st.actions.push_back({std::move(print), st.range(in)});
    }
};

template <>
struct action<g::halt_action> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        st.actions.push_back({ast::HaltAction{}, st.range(in)});
    }
};

// Declarations.

template <>
struct action<g::import_decl> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        st.declarations->push_back(
            ast::Import{boost::variant2::get<String>(st.lit.value).str(), st.range(in)});
    }
};

template <>
struct action<g::template_name> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        st.tmpl = ast::Template{st.identifier(in), {}, {}};
        st.declaration_name = in.string_view();
    }
};

template <>
struct action<g::field_name> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        st.field_name = st.identifier(in);
        st.field_default.reset();
    }
};

template <>
struct action<g::field_type> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        st.field_type = st.identifier(in);
    }
};

template <>
struct action<g::default_value> {
    template <typename ActionInput>
    static void apply(const ActionInput&, ParseState& st) {
        st.field_default = st.lit;
    }
};

template <>
struct action<g::field_decl> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        st.tmpl.fields.push_back(
            {std::move(st.field_name), std::move(st.field_type), std::move(st.field_default), st.range(in)});
        st.field_default.reset();
    }
};

template <>
struct action<g::template_decl> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        st.tmpl.range = st.range(in);
        st.declarations->push_back(std::move(st.tmpl));
    }
};

template <>
struct action<g::fact_template> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        st.fact_name = st.identifier(in);
        st.context = in.string_view();
        st.fact_args.clear();
    }
};

template <>
struct action<g::fact_arg> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        st.fact_args.push_back({std::move(st.pending_field), std::move(st.lit), st.range(in)});
        st.pending_field.reset();
    }
};

template <>
struct action<g::fact> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        if (st.fact_sink != nullptr) {
            // Streaming: hand the fact over in place and keep every buffer for the next one.
            ast::Fact& fact = st.streamed_fact;
            fact.template_name = std::move(st.fact_name);
            fact.args.swap(st.fact_args);
            fact.range = st.range(in);
            (*st.fact_sink)(fact);
            fact.args.swap(st.fact_args);
            st.fact_args.clear();
            return;
        }
        // Copy out of the scratch vector (exact size, one allocation) and keep its capacity.
        st.facts.push_back(
            {std::move(st.fact_name),
             {std::make_move_iterator(st.fact_args.begin()), std::make_move_iterator(st.fact_args.end())},
             st.range(in)});
        st.fact_args.clear();
    }
};

template <>
struct action<g::facts_keyword> {
    template <typename ActionInput>
    static void apply(const ActionInput&, ParseState& st) {
        st.block_name.reset();
        st.facts.clear();
    }
};

template <>
struct action<g::facts_name> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        st.block_name = st.identifier(in);
    }
};

template <>
struct action<g::facts_decl> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        st.declarations->push_back(
            ast::FactsBlock{std::move(st.block_name), std::move(st.facts), st.range(in)});
        st.block_name.reset();
        st.facts.clear();
    }
};

template <>
struct action<g::rule_name> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        st.rule = ast::Rule{};
        st.rule.name = st.identifier(in);
        st.declaration_name = in.string_view();
        st.conditions.clear();
        st.conditions.emplace_back();
        st.actions.clear();
    }
};

template <>
struct action<g::rule_description> {
    template <typename ActionInput>
    static void apply(const ActionInput&, ParseState& st) {
        st.rule.description = boost::variant2::get<String>(st.lit.value).str();
    }
};

template <>
struct action<g::salience_clause> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        const std::int64_t* value = boost::variant2::get_if<std::int64_t>(&st.lit.value);
        if (value == nullptr) st.fail(st.lit.range, "salience must be an integer");
        if (st.rule.salience) {
            Diagnostic& d =
                st.diags.error(st.range(in), "rule '" + st.rule.name.name + "' has more than one 'salience'");
            st.diags.note(d, st.rule.salience_range, "first 'salience' here");
            return;
        }
        st.rule.salience = *value;
        st.rule.salience_range = st.range(in);
    }
};

template <>
struct action<g::source_clause> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        if (st.rule.source) {
            st.diags.error(st.range(in), "rule '" + st.rule.name.name + "' has more than one 'source'");
            return;
        }
        st.rule.source = boost::variant2::get<String>(st.lit.value).str();
    }
};

template <>
struct action<g::rule_decl> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        st.rule.conditions = std::move(st.conditions.front());
        st.rule.actions = std::move(st.actions);
        st.rule.range = st.range(in);
        st.declarations->push_back(std::move(st.rule));
        st.conditions.clear();
        st.actions.clear();
    }
};

template <>
struct action<g::query_name> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        st.query = ast::Query{st.identifier(in), {}, {}, {}};
        st.declaration_name = in.string_view();
        st.conditions.clear();
        st.conditions.emplace_back();
    }
};

struct add_query_param {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        st.query.params.push_back(st.variable(in));
    }
};
template <>
struct action<g::query_param> : add_query_param {};
template <>
struct action<g::query_param_next> : add_query_param {};

template <>
struct action<g::query_decl> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        st.query.conditions = std::move(st.conditions.front());
        st.query.range = st.range(in);
        st.declarations->push_back(std::move(st.query));
        st.conditions.clear();
    }
};

// Tests: the given facts collect in `facts`, the expectations' conditions in `conditions`.

template <>
struct action<g::test_name> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        st.test = ast::Test{};
        st.test.name = st.identifier(in);
        st.declaration_name = in.string_view();
        st.conditions.clear();
        st.conditions.emplace_back();
        st.facts.clear();
    }
};

template <>
struct action<g::test_description> {
    template <typename ActionInput>
    static void apply(const ActionInput&, ParseState& st) {
        st.test.description = boost::variant2::get<String>(st.lit.value).str();
    }
};

template <>
struct action<g::strategy_value> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        st.test.strategy = st.identifier(in);
    }
};

template <>
struct action<g::given_section> {
    template <typename ActionInput>
    static void apply(const ActionInput&, ParseState& st) {
        st.test.given = std::move(st.facts);
        st.facts.clear();
    }
};

template <>
struct action<g::printed_expectation> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        st.test.expectations.push_back({ast::Expectation::Kind::Printed, {}, st.lit, st.range(in)});
    }
};

template <>
struct action<g::fired_expectation> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        st.test.expectations.push_back({ast::Expectation::Kind::Fired, {}, st.lit, st.range(in)});
    }
};

template <>
struct action<g::expectation> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        std::vector<ast::Condition>& conds = st.conditions.back();
        if (conds.empty()) return;  // `printed` and `fired` added themselves
        const auto kind = boost::variant2::holds_alternative<ast::NotCondition>(conds.back().node)
                              ? ast::Expectation::Kind::Absent
                              : ast::Expectation::Kind::Present;
        st.test.expectations.push_back({kind, std::move(conds), ast::Literal{Value(false), {}}, st.range(in)});
        conds.clear();
    }
};

template <>
struct action<g::test_decl> {
    template <typename ActionInput>
    static void apply(const ActionInput& in, ParseState& st) {
        st.test.range = st.range(in);
        st.declarations->push_back(std::move(st.test));
        st.conditions.clear();
    }
};

// ---- Control: nesting limit, positions and wording of errors ----

template <typename Rule, typename... Rules>
inline constexpr bool is_one_of = (std::is_same_v<Rule, Rules> || ...);

// The rules through which the grammar recurses; each level costs stack.
template <typename Rule>
inline constexpr bool nests =
    is_one_of<Rule, g::paren_expr, g::call_args, g::neg_expr, g::not_prefix, g::cond_group>;

template <typename Rule>
struct control : g::error_control<Rule> {
    template <typename ParseInput>
    static void start(const ParseInput& in, ParseState& st) {
        if constexpr (nests<Rule>) {
            if (++st.depth > max_nesting_depth)
                st.fail(in.current(),
                        "expressions nest too deeply (limit " + std::to_string(max_nesting_depth) + ")");
        }
        if constexpr (std::is_same_v<Rule, g::call_args>) st.call_marks.push_back(st.exprs.size());
        if constexpr (std::is_same_v<Rule, g::string_lit>) st.string_start = in.current();
        if constexpr (is_one_of<Rule, g::declaration, g::facts_file_item>) st.unit_start = in.current();
    }

    template <typename ParseInput>
    static void success(const ParseInput&, ParseState& st) {
        leave(st);
    }

    template <typename ParseInput>
    static void failure(const ParseInput&, ParseState& st) {
        leave(st);
    }

    template <typename ParseInput>
    [[noreturn]] static void raise(const ParseInput& in, ParseState& st) {
        const char* at = in.current();
        std::string context = st.context;
        if constexpr (is_one_of<Rule, g::rule_when, g::rule_then, g::rule_end, g::query_params_close,
                                g::query_when, g::query_end, g::template_field, g::template_close, g::given_fact,
                                g::test_expect, g::test_end>)
            context = st.declaration_name;
        if constexpr (std::is_same_v<Rule, g::call_close>) {
            const ast::Expr& callee = st.exprs[st.call_marks.back() - 1];
            context =
                boost::variant2::get<Symbol>(boost::variant2::get<ast::Literal>(callee.node).value).name();
        }
        if constexpr (std::is_same_v<Rule, g::string_close>) at = st.string_start;
        if constexpr (std::is_same_v<Rule, g::escape_code>) at = in.current() - 1;  // the backslash
        if constexpr (g::name_role<Rule> != nullptr) {
            const std::string_view word = identifier_at(st.text, st.offset(at));
            const bool starts_declaration = starts_declaration_at(st.text, word, st.offset(at));
            if (starts_declaration && std::is_same_v<Rule, g::template_field>)
                st.fail(at, fill_in(g::error_message<g::template_close>, context));
            if (starts_declaration && std::is_same_v<Rule, g::facts_item>)
                st.fail(at, g::error_message<g::facts_close>);
            if (is_keyword(word))
                st.fail(at, "'" + std::string(word) + "' is a reserved word and cannot name " +
                                g::name_role<Rule>);
        }
        if constexpr (g::error_message<Rule> != nullptr) {
            st.fail(at, fill_in(g::error_message<Rule>, context));
        } else {
            st.fail(at, "syntax error");
        }
    }

private:
    static void leave(ParseState& st) {
        if constexpr (nests<Rule>) --st.depth;
        if constexpr (std::is_same_v<Rule, g::call_args>) st.call_marks.pop_back();
    }
};

// ---- Recovery ----

// The first declaration keyword at or after `from` that starts its line (after blanks) and
// is not a field name misusing a reserved word (`facts: int`), or npos. Declarations written
// at the start of a line are where a reader would resume too.
std::size_t next_declaration(std::string_view text, std::size_t from) {
    std::size_t line = text.rfind('\n', from == 0 ? 0 : from - 1);
    line = (line == std::string_view::npos || from == 0) ? 0 : line + 1;
    while (line < text.size()) {
        std::size_t first = line;
        while (first < text.size() && (text[first] == ' ' || text[first] == '\t' || text[first] == '\r'))
            ++first;
        const std::string_view word = identifier_at(text, first);
        if (first >= from && starts_declaration_at(text, word, first)) return first;
        const std::size_t nl = text.find('\n', first);
        if (nl == std::string_view::npos) break;
        line = nl + 1;
    }
    return std::string_view::npos;
}

// Where a `.facts` file resumes: the error's own position when it begins a line after
// the failed fact's line (a fact whose ')' is missing), else the next line.
std::size_t next_fact_line(std::string_view text, std::size_t error, std::size_t unit) {
    const std::size_t line = error == 0 ? 0 : text.rfind('\n', error - 1);
    const std::size_t line_start = line == std::string_view::npos || error == 0 ? 0 : line + 1;
    bool first_on_line = true;
    for (std::size_t i = line_start; i < error && i < text.size(); ++i)
        if (text[i] != ' ' && text[i] != '\t' && text[i] != '\r') first_on_line = false;
    if (first_on_line && unit < line_start && error < text.size()) return error;
    const std::size_t nl = text.find('\n', error);
    return nl == std::string_view::npos ? nl : nl + 1;
}

// Parses `file` from byte `pos` on, which must be where the grammar would begin a
// declaration (or a fact of a `.facts` file) reading from the start.
template <typename Grammar, typename Resume>
void parse_with_recovery(const SourceFile& file, Diagnostics& diags, ParseState& st, Resume resume,
                         std::size_t pos = 0) {
    const std::string& text = file.text;
    while (pos <= text.size()) {
        pegtl::memory_input<pegtl::tracking_mode::lazy, pegtl::eol::lf_crlf, const char*> in(
            text.data() + pos, text.data() + text.size(), file.path.c_str());
        st.reset();
        st.unit_start = text.data() + pos;
        try {
            pegtl::parse<Grammar, action, control>(in, st);
            return;
        } catch (const SyntaxError& e) {
            diags.error(SourceRange{file.id, e.begin, e.end}, e.message);
            const std::size_t unit = st.offset(st.unit_start);
            std::size_t next = resume(std::string_view(text), std::size_t{e.begin}, unit);
            if (next == std::string_view::npos || next <= unit) return;
            pos = next;
        } catch (const pegtl::parse_error& e) {
            // Not expected (every raise goes through `control`), but never let it escape.
            const auto offset = static_cast<std::uint32_t>(e.positions().front().byte + pos);
            diags.error(SourceRange{file.id, offset, offset}, std::string(e.message()));
            return;
        }
    }
}

// The facts of `file`: the scanner's, then, from the first fact it leaves, the grammar's.
// Facts the grammar reads go to `st.fact_sink`, or into `st.facts` when there is none.
void parse_facts_with(const SourceFile& file, ParseState& st, const FactSink& scanned, FactsReader reader) {
    std::size_t from = 0;
    if (reader == FactsReader::Scanner) {
        from = detail::scan_facts(file, st.streamed_fact, scanned);
        if (from == file.text.size()) return;
    }
    parse_with_recovery<g::facts_file>(file, st.diags, st, next_fact_line, from);
}

}  // namespace

ast::File parse_rules(const SourceFile& file, Diagnostics& diags) {
    ast::File out;
    out.file = file.id;
    ParseState st(file, diags);
    st.declarations = &out.declarations;
    parse_with_recovery<g::rules_file>(file, diags, st,
                                       [](std::string_view text, std::size_t error, std::size_t unit) {
                                           return next_declaration(text, std::max(error, unit + 1));
                                       });
    return out;
}

std::vector<ast::Fact> parse_facts(const SourceFile& file, Diagnostics& diags, FactsReader reader) {
    ParseState st(file, diags);
    // Usually one fact a line: reserving up front saves moving a large vector as it grows.
    // Capped by size (a fact line rarely has fewer than 16 bytes) so that a file of blank
    // lines cannot make us reserve far more memory than its own size.
    st.facts.reserve(std::min(file.line_starts.size(), file.text.size() / 16 + 1));
    parse_facts_with(file, st, [&](const ast::Fact& f) { st.facts.push_back(f); }, reader);
    return std::move(st.facts);
}

void parse_facts(const SourceFile& file, Diagnostics& diags, const FactSink& sink, FactsReader reader) {
    ParseState st(file, diags);
    st.fact_sink = &sink;
    parse_facts_with(file, st, sink, reader);
}

}  // namespace demarche::dsl
