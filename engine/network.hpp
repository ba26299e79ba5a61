// The Rete network: rules compiled into an alpha network of constant tests and a beta
// network of join, filter and group (not/exists) nodes; facts are pushed through it
// incrementally, and terminal nodes report matches to a listener (the agenda).
// docs/engine.md describes the design.
#pragma once

#include "chunks.hpp"
#include "working_memory.hpp"

#include "dsl/program.hpp"

#include <cstdint>
#include <limits>
#include <span>
#include <unordered_map>
#include <vector>

namespace demarche::engine {

inline constexpr std::uint32_t no_node = std::numeric_limits<std::uint32_t>::max();

/// A partial match: the chain of facts matched so far, one token per level. A token is
/// stored in the memory of the node that made it; it knows its parent (the match one
/// level up), its children (extensions of it) and the fact it adds, so retracting a
/// fact deletes exactly the tokens built on it.
///
/// Tokens link to each other by place in the pool, not by pointer, and fields that some
/// tokens never use share a place, so that a token takes 48 bytes (72 with pointers):
/// there are hundreds of thousands of them (Waltz 800 cubes: 150,000 at once), and the
/// large runs wait on memory. Pointers to tokens stay valid while the token lives.
struct Token {
    Fact* fact = nullptr;  ///< null for levels that add no fact (not/exists, filters)
    /// What a token that may have children keeps.
    struct Below {
        TokenRef first_child = 0;
        /// Nodes that keep memory: the output key's hash, folded as the memory's
        /// buckets fold it (BucketMap::fold), so that it finds the token's bucket.
        std::uint32_t key_hash = 0;
    };
    // Only match tokens carry a payload: a terminal's, or those of a node whose terminal
    // borrows them. Those have no children and are in no memory.
    union {
        Below below{};
        void* payload;  ///< match tokens: the listener's activation
    };
    TokenRef parent = 0;
    TokenRef self = 0;  ///< this token's own place
    TokenRef prev_sibling = 0;
    TokenRef next_sibling = 0;
    /// The list of tokens ending in `fact`, for tokens that add a fact.
    struct InFact {
        TokenRef prev = 0;
        TokenRef next = 0;
    };
    /// Where a group's token is in its output's memory, when the output passes it on to a
    /// join (see Network::Node::pass_through): a second bucket, besides the group's own.
    struct OutPlace {
        std::uint32_t key_hash;
        std::uint32_t pos;
    };
    union {
        InFact in_fact{};
        /// Tokens of a group that is not counting (which add no fact): the number of
        /// matches of the group's body.
        std::uint32_t count;
        OutPlace out;  ///< tokens of a counting group, while `passed`
    };
    std::uint32_t node = no_node;
    /// Position in the node memory's bucket (a BucketMap list stays under 2^26 entries).
    std::uint32_t bucket_pos : 27 = 0;
    std::uint32_t dying : 1 = 0;        ///< being deleted: nothing may extend it or react to it
    std::uint32_t ready : 1 = 0;        ///< group tokens (see `counted`): the body has been evaluated
    /// Reported to the listener as a match: `payload` is in use, there are no children.
    std::uint32_t match : 1 = 0;
    /// Tokens of a counting group, or the join tokens that stand in for them (see
    /// Node::hosts): some fact matches the body. It is set by the first match found (a
    /// `not` on `>` stops there instead of checking every fact), later matches are not
    /// counted, and when a matching fact goes the body is looked at again.
    std::uint32_t counted : 1 = 0;
    /// In its group's output's memory, at `out`.
    std::uint32_t passed : 1 = 0;
};
static_assert(sizeof(void*) != 8 || sizeof(Token) == 48, "Token layout: see the unions");

/// Where the tokens live (see Chunks). Freed tokens are reused first.
class TokenPool {
public:
    /// The token at `place`; place 0 is a token that is never used, whose `self` is 0.
    Token* at(TokenRef place) const noexcept { return chunks_.at(place); }
    /// A token in its initial state, with `self` set.
    Token* make() {
        if (!free_) return make_new();
        Token* t = at(free_);
        free_ = t->parent;
        const TokenRef self = t->self;
        *t = Token{};
        t->self = self;
        return t;
    }
    /// Fact at `depth` in the chain ending at `token` (whose depth is `token_depth`).
    const Fact* fact_at(const Token* token, std::uint32_t token_depth, std::uint32_t depth) const noexcept {
        for (std::uint32_t d = token_depth; d > depth; --d) token = at(token->parent);
        return token->fact;
    }
    /// Gives a token back (its fields are then the pool's).
    void free(Token* t) noexcept {
        t->parent = free_;
        free_ = t->self;
    }

private:
    Token* make_new() {
        const TokenRef place = chunks_.add();
        Token* t = at(place);
        t->self = place;
        return t;
    }

    Chunks<Token, 10> chunks_;
    /// Freed tokens, linked through their `parent`.
    TokenRef free_ = 0;
};

/// Where a variable's value lives in a token chain: the fact at `depth` (1 = first
/// level), field `field`, or the whole fact for `?v <-` variables.
struct Binding {
    std::uint32_t depth = 0;
    dsl::FieldIndex field = 0;
    bool whole_fact = false;
    bool bound = false;
};

/// One rule (or query) to compile: its conditions must outlive the network.
struct RuleSpec {
    const std::vector<dsl::Condition>* conditions = nullptr;
    std::size_t variable_count = 0;
};

/// Told about matches that appear and disappear at terminal nodes.
class MatchListener {
public:
    virtual void on_match(std::uint32_t spec, Token& token) = 0;
    virtual void on_unmatch(std::uint32_t spec, Token& token) = 0;

protected:
    ~MatchListener() = default;
};

/// A value location on the left side of a join: field of the fact at a depth.
struct KeyPart {
    std::uint32_t depth = 0;
    dsl::FieldIndex field = 0;
    friend bool operator==(const KeyPart&, const KeyPart&) = default;
};

class Network {
public:
    /// Compiles `specs` (spec index = rule id for rules). Where-test errors raised while
    /// matching carry the spec index as their rule. Every fact pushed through it must be
    /// a record of `facts` (its memories hold facts by place).
    Network(const dsl::Program& program, std::vector<RuleSpec> specs, MatchListener& listener,
            const FactRecords& facts);
    ~Network();
    Network(const Network&) = delete;
    Network& operator=(const Network&) = delete;

    /// Creates the root token, which matches rules that need no fact (e.g. only `not`).
    void start();
    /// Pushes a new fact through the network.
    void assert_fact(Fact& fact);
    /// Removes a fact from every memory and deletes every token built on it.
    void retract_fact(Fact& fact);
    /// Deletes a match token (see terminal_depth) whose match the listener no longer needs (it reports
    /// the unmatch as usual), and the partial matches above it that only led to it.
    /// The match does not come back: a token is only made when its parent is, or when
    /// a fact arrives.
    void drop_match(Token& terminal);

    /// Depths of a spec's visible positions: its patterns and not/exists conditions (0,
    /// the root's, for a not/exists that adds no level).
    const std::vector<std::uint32_t>& positions(std::uint32_t spec) const { return positions_[spec]; }
    /// Where each variable of a spec is bound (unbound for variables inside groups).
    const std::vector<Binding>& bindings(std::uint32_t spec) const { return bindings_[spec]; }
    /// Depth of the tokens that are a spec's matches: its terminal's, or, when the
    /// terminal's parent feeds nothing else and keeps no memory, the parent's (the
    /// terminal then makes no token of its own).
    std::uint32_t terminal_depth(std::uint32_t spec) const;

    /// Fact at `depth` in the chain ending at `token` (whose depth is `token_depth`).
    const Fact* fact_at(const Token* token, std::uint32_t token_depth, std::uint32_t depth) const noexcept {
        return tokens_.fact_at(token, token_depth, depth);
    }
    /// The token one level up from `token` (above the root: a token whose `self` is 0).
    const Token* parent(const Token& token) const noexcept { return tokens_.at(token.parent); }

    /// The alpha memories holding `fact`, in the order it entered them.
    std::vector<std::uint32_t> memories_of(const Fact& fact) const;

    /// Whether facts of `tmpl` take part in some not/exists: only then can asserting one
    /// take a match away, or retracting one make a match.
    bool grouped(dsl::TemplateId tmpl) const { return grouped_.at(tmpl); }
    /// Whether matching can raise an error (some spec has a `where` test); pattern tests
    /// cannot.
    bool may_raise() const noexcept { return may_raise_; }

    std::size_t node_count() const noexcept;
    std::size_t alpha_memory_count() const noexcept;
    std::size_t token_count() const noexcept { return live_tokens_; }
    /// Tokens made since the network was built: the work of matching.
    std::uint64_t tokens_made() const noexcept { return tokens_made_; }

    struct Node;
    struct AlphaMemory;
    struct Step;

private:
    struct TemplateAlpha;

    std::vector<Step> plan_scope(std::uint32_t spec, const std::vector<dsl::Condition>& conds,
                                 std::uint32_t depth, std::vector<std::uint32_t>* visible);
    Step plan_pattern(std::uint32_t spec, const dsl::Pattern& p, std::uint32_t depth);
    std::uint32_t build_scope(std::uint32_t spec, std::vector<Step>& steps, std::uint32_t parent);
    std::uint32_t alpha_memory_for(const Step& step);
    std::uint32_t add_node(Node node);

    void left_activate(std::uint32_t node, Token* token);
    /// `key_hash`: of the fact's values in the join's right key.
    void right_activate(std::uint32_t node, Fact* fact, std::size_t key_hash);
    void join(Node& n, std::uint32_t id, Token* token, Fact* fact);
    bool passes(const Node& n, const Token* token, const Fact* fact) const;
    /// The token values `n` compares with each fact: its left key, then its tests'
    /// left operands (valid until the next call).
    std::span<const Value* const> read_left(const Node& n, const Token* token) const;
    /// same_key and passes, with the token's side read by read_left.
    bool passes_with(const Node& n, std::span<const Value* const> left, const Token* token, const Fact* fact) const;
    /// The member and where tests of passes.
    bool passes_rest(const Node& n, const Token* token, const Fact* fact) const;
    Token* make_token(std::uint32_t node, Token* parent, Fact* fact);
    /// Tells the listener of a match, marked as one first (see Token::match).
    void report(std::uint32_t spec, Token& t);
    void schedule(std::uint32_t node, Token* token) { work_.push_back({node, token->self}); }
    void drain(std::size_t mark);
    void delete_token(Token* token);
    void destroy_token(Token* token);
    void delete_main_children(const Node& group, Token* owner);
    /// Puts a group's token in its (passing) output's memory, or takes it out.
    void keep_passed(Node& out, Token* token);
    void forget_passed(Node& out, Token* token);
    void group_count_changed(std::uint32_t partner, Token* token, bool added);
    void owner_count_changed(std::uint32_t group, Token* owner, bool added);
    /// Whether some fact in the alpha index matches a counting group's body for `owner`.
    bool any_match(const Node& body, const Token* owner) const;
    void uncount(std::uint32_t body, const Fact* fact);
    bool same_key(const Node& join, const Token* token, const Fact* fact) const;
    std::size_t key_hash(const Token* token, std::uint32_t depth, const std::vector<KeyPart>& key) const;
    /// In a fact's alpha list, where the memory after the one at `j` starts.
    std::size_t next_memory(std::span<const std::uint32_t> places, std::size_t j) const;

    const dsl::Program& program_;
    std::vector<RuleSpec> specs_;
    MatchListener& listener_;
    const FactRecords& facts_;
    std::vector<Node> nodes_;
    std::vector<AlphaMemory> alphas_;
    std::vector<TemplateAlpha> by_template_;
    std::vector<std::vector<std::uint32_t>> positions_;
    std::vector<std::vector<Binding>> bindings_;
    std::vector<std::uint32_t> terminals_;
    std::vector<bool> changing_;  ///< per template: some rule modifies or retracts its facts
    std::vector<bool> grouped_;   ///< per template: see grouped()
    bool may_raise_ = false;

    /// Pending left activations (or, with `ready_bit`, a group token whose body has been
    /// evaluated): propagation runs from this stack, not by recursion.
    struct Work {
        /// A node, or a group's id with `ready_bit` (add_node keeps ids under 2^31).
        std::uint32_t node;
        TokenRef token;  ///< a place, not a pointer: 8 bytes, not 24 (Manners: 8,000 at once)
    };
    static constexpr std::uint32_t ready_bit = std::uint32_t{1} << 31;
    std::vector<Work> work_;
    std::vector<Token*> doomed_;  ///< tokens being deleted, parents below children
    mutable std::vector<const Value*> left_reads_;  ///< read_left's result
    std::vector<std::size_t> index_hashes_;  ///< assert_fact's bucket hashes, a stack

    TokenPool tokens_;
    std::size_t live_tokens_ = 0;
    std::uint64_t tokens_made_ = 0;
    Token* root_token_ = nullptr;
};

}  // namespace demarche::engine
