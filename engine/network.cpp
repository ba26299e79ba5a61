// Building the Rete network from the checked program, and propagating facts through it.
//
// Token levels: the root token has depth 0; a join adds one level holding a fact; a
// filter, a group (not/exists), a group's output, a partner and a terminal each add a
// level holding no fact, except a counting group right after a join (its state is kept
// in the join's tokens, see Node::hosts) and the outputs that pass their group's tokens
// on. A variable is found as (depth, field) by walking up parents.
#include "network.hpp"

#include "bucket_map.hpp"
#include "evaluator.hpp"
#include "int_program.hpp"
#include "value_ops.hpp"

#include <algorithm>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>

namespace demarche::engine {

namespace {

constexpr std::size_t hash_seed = 0x51ed270b27cc5e3bULL;

inline std::size_t combine(std::size_t h, std::size_t v) noexcept {
    return h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
}

/// A test on one fact alone, evaluated in the alpha network.
struct AlphaTest {
    enum class Kind { Compare, Member, SameFact };
    Kind kind = Kind::Compare;
    dsl::FieldIndex field = 0;
    dsl::CompareOp op = dsl::CompareOp::Eq;
    std::vector<Value> values;   ///< Compare: one; Member: the options
    dsl::FieldIndex other = 0;   ///< SameFact: `field op other` within the fact

    bool same_as(const AlphaTest& o) const {
        if (kind != o.kind || field != o.field || op != o.op || other != o.other ||
            values.size() != o.values.size())
            return false;
        for (std::size_t i = 0; i < values.size(); ++i)
            if (!values_equal(values[i], o.values[i])) return false;
        return true;
    }

    /// Consistent with `same_as`: finds a shared test without comparing against every one.
    std::size_t hash() const noexcept {
        std::size_t h = combine(hash_seed, static_cast<std::size_t>(kind));
        h = combine(combine(combine(h, field), static_cast<std::size_t>(op)), other);
        for (const Value& v : values) h = combine(h, value_hash(v));
        return h;
    }

    /// `field == constant`: a fact passes only if its field's value hashes like the constant.
    bool constant_equality() const noexcept { return kind == Kind::Compare && op == dsl::CompareOp::Eq; }

    bool holds(const Fact& f) const {
        const Value& v = f.values[field];
        switch (kind) {
        case Kind::Compare: return constraint_holds(op, v, values[0]);
        case Kind::Member:
            return std::any_of(values.begin(), values.end(),
                               [&](const Value& x) { return values_equal(v, x); });
        case Kind::SameFact: return constraint_holds(op, v, f.values[other]);
        }
        return false;
    }
};

/// `right.field op left` where left is a value bound earlier.
struct JoinTest {
    dsl::CompareOp op = dsl::CompareOp::Eq;
    dsl::FieldIndex field = 0;
    KeyPart left;
    friend bool operator==(const JoinTest&, const JoinTest&) = default;
};

/// `field: in [...]` with variables among the options.
struct MemberTest {
    dsl::FieldIndex field = 0;
    std::vector<Value> values;
    std::vector<KeyPart> vars;  ///< a part at the join's own depth reads the candidate fact

    bool same_as(const MemberTest& o) const {
        if (field != o.field || vars != o.vars || values.size() != o.values.size()) return false;
        for (std::size_t i = 0; i < values.size(); ++i)
            if (!values_equal(values[i], o.values[i])) return false;
        return true;
    }
};

struct WhereTest {
    const dsl::Expr* expr = nullptr;
    std::uint32_t spec = 0;
    std::optional<IntProgram> program;  ///< set once the network is built
};

void collect_vars(const dsl::Expr& e, std::vector<dsl::VarSlot>& out) {
    if (e.kind == dsl::Expr::Kind::Variable) out.push_back(e.var);
    for (const dsl::Expr& a : e.args) collect_vars(a, out);
}

bool has_where(const std::vector<dsl::Condition>& conds) {
    return std::any_of(conds.begin(), conds.end(), [](const dsl::Condition& c) {
        return c.kind == dsl::Condition::Kind::Where || has_where(c.group);
    });
}

/// Variables a condition reads (not binds), inside groups too.
void collect_reads(const dsl::Condition& c, std::vector<dsl::VarSlot>& out) {
    for (const dsl::FieldTest& t : c.pattern.tests)
        if (t.kind != dsl::FieldTest::Kind::Bind)
            for (const dsl::Operand& o : t.operands)
                if (const auto* v = boost::variant2::get_if<dsl::VarRef>(&o)) out.push_back(v->slot);
    for (const dsl::Condition& g : c.group) collect_reads(g, out);
}

std::vector<dsl::VarSlot> binds_of(const dsl::Pattern& p) {
    std::vector<dsl::VarSlot> out;
    for (const dsl::FieldTest& t : p.tests)
        if (t.kind == dsl::FieldTest::Kind::Bind) out.push_back(t.slot);
    return out;
}

/// Marks the templates of the patterns in `conds`, and inside their groups.
void mark_templates(const std::vector<dsl::Condition>& conds, std::vector<bool>& out) {
    for (const dsl::Condition& c : conds) {
        if (c.kind == dsl::Condition::Kind::Pattern) out.at(c.pattern.tmpl) = true;
        mark_templates(c.group, out);
    }
}

/// Templates whose facts some not/exists of `specs` matches.
std::vector<bool> grouped_templates(const dsl::Program& program, const std::vector<RuleSpec>& specs) {
    std::vector<bool> out(program.templates.size(), false);
    for (const RuleSpec& spec : specs)
        for (const dsl::Condition& c : *spec.conditions) mark_templates(c.group, out);
    return out;
}

/// Templates whose facts some rule modifies or retracts.
std::vector<bool> changing_templates(const dsl::Program& program) {
    std::vector<bool> out(program.templates.size(), false);
    for (const dsl::Rule& r : program.rules) {
        for (const dsl::Action& a : r.actions) {
            if (a.kind == dsl::Action::Kind::Modify) out.at(a.tmpl) = true;
            if (a.kind != dsl::Action::Kind::Retract) continue;
            for (const dsl::Condition& c : r.conditions)
                if (c.kind == dsl::Condition::Kind::Pattern && c.pattern.fact_var == a.target) out.at(c.pattern.tmpl) = true;
        }
    }
    return out;
}

/// The order in which a rule's top-level conditions are joined. Rete rebuilds every
/// partial match below a fact that goes away, so a pattern on facts that rules modify or
/// retract (a phase or control fact, a counter) placed early costs a rebuild of all
/// the joins after it each time its fact changes, while placed last it costs a rebuild
/// of the last level only. Such a pattern moves to the end, in written order, when
/// nothing can tell: no condition reads a variable it binds (it may still read earlier
/// ones), the rule has no `where` test (a test evaluated on other partial matches could
/// raise an error the written order never reaches; field comparisons cannot fail), and
/// the patterns left in front still form a chain where each joins an earlier one on an
/// equal value (so moving never creates a cross product that was not there). A `not` or
/// `exists` that joins no earlier pattern on an equal value (Waltz's `not junction(base_point:
/// > ?bp)`) scans its whole alpha memory for every partial match and every partial match
/// for each new fact: the patterns moved from in front of it stay in front of it, so that
/// a phase fact keeps that scan to its phase. The matches, their activations and their
/// order are the same in any join order.
std::vector<std::size_t> join_order(const std::vector<dsl::Condition>& conds, const std::vector<bool>& changing) {
    using CK = dsl::Condition::Kind;
    std::vector<std::size_t> order(conds.size());
    for (std::size_t i = 0; i < conds.size(); ++i) order[i] = i;
    if (has_where(conds)) return order;
    std::vector<dsl::VarSlot> read;
    std::vector<std::vector<dsl::VarSlot>> reads(conds.size());
    for (std::size_t i = 0; i < conds.size(); ++i) collect_reads(conds[i], reads[i]);
    std::vector<bool> moves(conds.size(), false);
    for (std::size_t i = 0; i < conds.size(); ++i) {
        if (conds[i].kind != CK::Pattern || !changing.at(conds[i].pattern.tmpl)) continue;
        bool read_elsewhere = false;
        for (dsl::VarSlot v : binds_of(conds[i].pattern))
            for (std::size_t j = 0; j < conds.size(); ++j)
                if (j != i && std::find(reads[j].begin(), reads[j].end(), v) != reads[j].end()) read_elsewhere = true;
        moves[i] = !read_elsewhere;
    }
    std::vector<std::size_t> front;
    std::vector<dsl::VarSlot> bound;
    auto joins = [&](const dsl::Pattern& p) {
        return std::any_of(p.tests.begin(), p.tests.end(), [&](const dsl::FieldTest& t) {
            if (t.kind != dsl::FieldTest::Kind::Compare || t.op != dsl::CompareOp::Eq) return false;
            const auto* v = boost::variant2::get_if<dsl::VarRef>(&t.operands.at(0));
            return v && std::find(bound.begin(), bound.end(), v->slot) != bound.end();
        });
    };
    std::size_t kept = 0;  // moved patterns before this index are already in `front`
    for (std::size_t i = 0; i < conds.size(); ++i) {
        if (moves[i]) continue;
        if (conds[i].kind == CK::Pattern) {
            if (!front.empty() && !joins(conds[i].pattern)) return order;
            for (dsl::VarSlot v : binds_of(conds[i].pattern)) bound.push_back(v);
        } else if (front.empty()) {
            return order;  // a group would open the rule
        } else if (std::none_of(conds[i].group.begin(), conds[i].group.end(), [&](const dsl::Condition& g) {
                       return g.kind == CK::Pattern && joins(g.pattern);
                   })) {
            for (; kept < i; ++kept)
                if (moves[kept]) front.push_back(kept);
        }
        front.push_back(i);
    }
    for (; kept < conds.size(); ++kept)
        if (moves[kept]) front.push_back(kept);
    if (front.empty() || std::is_sorted(front.begin(), front.end())) return order;
    return front;
}

}  // namespace

struct Network::Step {
    enum class Kind { Pattern, Filter, Group };
    Kind kind = Kind::Pattern;
    dsl::TemplateId tmpl = 0;
    std::vector<AlphaTest> alpha_tests;
    std::vector<KeyPart> left_key;
    std::vector<dsl::FieldIndex> right_key;
    std::vector<JoinTest> tests;
    std::vector<MemberTest> members;
    std::vector<WhereTest> wheres;
    std::vector<dsl::VarSlot> binds;
    bool negated = false;
    /// Group: the group's output adds no level (see Node::pass_through).
    bool pass_through = false;
    /// Group: counting, right after a join whose tokens stand in for its own (see
    /// Node::hosts); Pattern: that join.
    bool hosted = false;
    bool hosts = false;
    std::vector<Step> sub;
};

enum class NodeKind { Root, Join, Filter, Group, GroupOut, Partner, Terminal };

struct Network::Node {
    NodeKind kind = NodeKind::Root;
    std::uint32_t parent = no_node;
    std::uint32_t depth = 0;  ///< depth of the tokens this node makes
    std::vector<std::uint32_t> children;
    /// The key the children look tokens up by (the left key of the child joins).
    std::vector<KeyPart> out_key;
    /// Whether a join reads this node's tokens (right activation). Most nodes' tokens
    /// are reached only through their parents and facts, and storing them would be work
    /// on every token for nothing; a terminal's go to the listener, which keeps what it
    /// needs (the engine an activation, a query its rows).
    bool keeps_memory = false;
    /// The node whose memory holds this node's tokens: itself if it keeps memory, the
    /// group it hosts (see `hosts`), or none.
    std::uint32_t kept_in = no_node;
    /// Tokens made by this node, bucketed by the hash of `out_key`'s values.
    BucketMap memory;

    // Join
    std::uint32_t alpha = no_node;
    std::uint32_t alpha_index = 0;
    std::vector<KeyPart> left_key;
    std::vector<dsl::FieldIndex> right_key;
    std::vector<JoinTest> tests;
    std::vector<MemberTest> members;
    std::vector<WhereTest> wheres;  ///< Join and Filter
    /// A counting group that makes no tokens: this join's tokens are its tokens too, kept
    /// in the group's memory (not this node's) with the body's state in `counted`. Only
    /// when the group is this join's one child, so that every child of a token is below
    /// the group; such a join is not shared. A group token per partial match was a
    /// third of Miss Manners' tokens (`find_seating`'s `not path`: 16,000 at once).
    std::uint32_t hosts = no_node;

    // Group: `sub` is the first node of the body, `out` the node that carries tokens on
    bool negated = false;
    /// A body of one pattern without `where`: whether it matches is kept on the group
    /// token, not its matches (`sub` is a join that makes no tokens, and there is no
    /// partner).
    bool counting = false;
    /// Counting, with its tokens those of the join above (see `hosts`): adds no level.
    bool hosted = false;
    std::uint32_t sub = no_node;
    std::uint32_t out = no_node;
    /// GroupOut: the group's token itself goes on, at the group's depth, instead of a
    /// token of its own under it (one token less per partial match that passes a `not`
    /// or `exists`). Where a join reads the output, the token is also kept in this
    /// node's memory (Token::out, in room a counting group's token does not use): only
    /// for counting groups that have tokens of their own (not `hosted`).
    bool pass_through = false;
    /// Join: its parent is a GroupOut that passes tokens on, whose key hash for this
    /// join is then Token::out's.
    bool reads_passed = false;
    // Partner: the group whose body ends here
    std::uint32_t group = no_node;
    // Terminal
    std::uint32_t spec = no_node;
    /// Its matches are its parent's tokens, which then report to the listener.
    bool borrows = false;
    // The parent of a borrowing terminal (a join, filter or group output)
    /// The spec whose matches this node's tokens are.
    std::uint32_t reports = no_node;
};

/// One hash index of an alpha memory over some fields (the right key of its joins). A
/// fact's place in its bucket is kept in the fact's own `alpha` list (see Fact::alpha),
/// which costs no allocation of its own, unlike a map from fact to place.
struct AlphaIndex {
    std::vector<dsl::FieldIndex> fields;
    BucketMap buckets;
};

struct Network::AlphaMemory {
    dsl::TemplateId tmpl = 0;
    std::vector<std::uint32_t> tests;  ///< ids into the template's test table, sorted
    std::vector<AlphaIndex> indexes;
    /// A join fed by this memory, with what its right activation reads before anything
    /// else, so that a join with no tokens to its left costs a look at its parent only.
    struct Successor {
        std::uint32_t node = 0;
        std::uint32_t left = 0;   ///< the join's parent: its memory holds the tokens to join
        std::uint32_t index = 0;  ///< the join's alpha index
    };
    /// Joins fed by this memory, latest-built first: a node is built after every node
    /// upstream of it, so this order right-activates downstream joins before the joins
    /// whose new tokens flow into them, and no (token, fact) pair is made twice.
    std::vector<Successor> successors;
    /// While building: the joins fed by this memory, by parent node, in creation order, so
    /// that a rule finds a join to share without scanning every child of its parent (the
    /// root has one child per rule). Emptied once the network is built.
    std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> joins_by_parent;
};

/// The memories keyed on one field: the value of the field's constant, hashed, to the
/// memories (in id order) whose key test compares that field with that constant.
struct KeyedField {
    dsl::FieldIndex field = 0;
    std::unordered_map<std::size_t, std::vector<std::uint32_t>> memories;
};

/// The alpha network of one template. Every memory with at least one `field == constant`
/// test is keyed on one of them (the one fewest memories share) and reached through the
/// hash of the fact's value for that field; the others (only !=, <, in, same-fact tests,
/// or none) are visited for every fact. A fact therefore visits the memories its
/// equality constants allow, plus the unkeyed ones, in memory id order, and each test
/// is evaluated at most once per fact (memoised by stamp).
struct Network::TemplateAlpha {
    std::vector<AlphaTest> tests;         ///< distinct tests on this template
    std::vector<std::uint32_t> memories;  ///< in id order

    // While building: test hash to test ids, sorted-test-ids hash to memories.
    std::unordered_map<std::size_t, std::vector<std::uint32_t>> test_lookup;
    std::unordered_map<std::size_t, std::vector<std::uint32_t>> memory_lookup;

    std::vector<KeyedField> keyed;
    std::vector<std::uint32_t> unkeyed;  ///< in id order

    std::vector<std::uint32_t> memo_stamp;  ///< per test: the stamp `memo` was computed at
    std::vector<unsigned char> memo;
    std::uint32_t stamp = 0;
    std::vector<std::uint32_t> scratch;  ///< reused candidate buffer

    /// Chooses each memory's key test and builds the dispatch tables; drops the build lookups.
    void build_dispatch(const std::vector<AlphaMemory>& alphas) {
        std::vector<std::uint32_t> users(tests.size(), 0);
        for (std::uint32_t m : memories)
            for (std::uint32_t t : alphas[m].tests) ++users[t];
        constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();
        for (std::uint32_t m : memories) {
            std::uint32_t key = none;
            for (std::uint32_t t : alphas[m].tests)
                if (tests[t].constant_equality() && (key == none || users[t] < users[key])) key = t;
            if (key == none) {
                unkeyed.push_back(m);
                continue;
            }
            const AlphaTest& k = tests[key];
            auto kf = std::find_if(keyed.begin(), keyed.end(), [&](const KeyedField& x) { return x.field == k.field; });
            if (kf == keyed.end()) {
                keyed.emplace_back().field = k.field;
                kf = keyed.end() - 1;
            }
            kf->memories[value_hash(k.values[0])].push_back(m);
        }
        memo_stamp.assign(tests.size(), 0);
        memo.assign(tests.size(), 0);
        test_lookup = {};
        memory_lookup = {};
    }

    /// A stamp no memo entry carries yet: it marks the tests evaluated for one fact.
    std::uint32_t next_stamp() {
        if (++stamp == 0) {
            std::fill(memo_stamp.begin(), memo_stamp.end(), 0);
            stamp = 1;
        }
        return stamp;
    }

    bool passes(const AlphaMemory& a, const Fact& f, std::uint32_t now) {
        for (std::uint32_t t : a.tests) {
            if (memo_stamp[t] != now) {
                memo_stamp[t] = now;
                memo[t] = tests[t].holds(f) ? 1 : 0;
            }
            if (!memo[t]) return false;
        }
        return true;
    }
};

namespace {

/// The fact at depth `at` of a partial match: the chain ending at `t` (at `depth`), or
/// the candidate fact one level below it.
inline const Fact* fact_in(const TokenPool& pool, const Token* t, std::uint32_t depth, const Fact* candidate,
                           std::uint32_t at) {
    return at == depth + 1 ? candidate : pool.fact_at(t, depth, at);
}

/// Reads variables for a where test from a token chain and an optional candidate fact
/// one level below it.
class TokenVars final : public VariableSource {
public:
    TokenVars(const std::vector<Binding>& bindings, const TokenPool& pool, const Token* token,
              std::uint32_t depth, const Fact* candidate)
        : bindings_(bindings), pool_(pool), token_(token), depth_(depth), candidate_(candidate) {}

    Value value(dsl::VarSlot slot) const override {
        const Binding& b = bindings_.at(slot);
        const Fact* f = fact_in(pool_, token_, depth_, candidate_, b.depth);
        if (!f) throw std::logic_error("variable bound to no fact");
        if (b.whole_fact) return Value(Symbol::intern("f-" + std::to_string(f->id)));
        return f->values[b.field];
    }

    const Value* stored(dsl::VarSlot slot) const noexcept override {
        if (slot >= bindings_.size() || bindings_[slot].whole_fact) return nullptr;
        const Fact* f = fact_in(pool_, token_, depth_, candidate_, bindings_[slot].depth);
        return f ? &f->values[bindings_[slot].field] : nullptr;
    }

private:
    const std::vector<Binding>& bindings_;
    const TokenPool& pool_;
    const Token* token_;
    std::uint32_t depth_;
    const Fact* candidate_;
};

/// Takes the entry at `pos` out of `memory`'s bucket of `hash` (a token's or fact's
/// place): the last entry fills the gap, and `moved(entry, pos)` records its new position.
template <class Moved>
void take_out(BucketMap& memory, std::size_t hash, std::uint32_t pos, Moved moved) {
    BucketMap::Bucket& bucket = *memory.find(hash);
    const std::uint32_t last = bucket.back();
    bucket[pos] = last;
    moved(last, pos);
    bucket.pop_back();
    if (bucket.empty()) memory.erase(bucket);
}

inline const Value& value_at(const TokenPool& pool, const Token* t, std::uint32_t depth,
                             const Fact* candidate, KeyPart p) {
    return fact_in(pool, t, depth, candidate, p.depth)->values[p.field];
}

/// constraint_holds, with two integers (ordered tests on ints are what a `not` with
/// `>` scans through, once per fact and partial match: Waltz's boundary rules) decided
/// here without the general comparison.
inline bool test_holds(dsl::CompareOp op, const Value& field, const Value& operand) noexcept {
    const auto* x = boost::variant2::get_if<std::int64_t>(&field);
    const auto* y = boost::variant2::get_if<std::int64_t>(&operand);
    if (!x || !y) return constraint_holds(op, field, operand);
    switch (op) {
    case dsl::CompareOp::Eq: return *x == *y;
    case dsl::CompareOp::Ne: return *x != *y;
    case dsl::CompareOp::Lt: return *x < *y;
    case dsl::CompareOp::Le: return *x <= *y;
    case dsl::CompareOp::Gt: return *x > *y;
    case dsl::CompareOp::Ge: return *x >= *y;
    }
    return false;
}

}  // namespace


Network::Network(const dsl::Program& program, std::vector<RuleSpec> specs, MatchListener& listener,
                 const FactRecords& facts)
    : program_(program), specs_(std::move(specs)), listener_(listener), facts_(facts),
      changing_(changing_templates(program)),
      grouped_(grouped_templates(program, specs_)) {
    for (const RuleSpec& spec : specs_) may_raise_ = may_raise_ || has_where(*spec.conditions);
    by_template_.resize(program_.templates.size());
    nodes_.push_back(Node{});  // the root
    positions_.resize(specs_.size());
    bindings_.resize(specs_.size());
    terminals_.resize(specs_.size(), no_node);
    for (std::uint32_t s = 0; s < specs_.size(); ++s) {
        bindings_[s].assign(specs_[s].variable_count, Binding{});
        std::vector<Step> steps = plan_scope(s, *specs_[s].conditions, 0, &positions_[s]);
        std::uint32_t last = build_scope(s, steps, 0);
        Node t;
        t.kind = NodeKind::Terminal;
        t.parent = last;
        t.depth = nodes_[last].depth + 1;
        t.spec = s;
        terminals_[s] = add_node(std::move(t));
    }
    for (AlphaMemory& a : alphas_) {
        std::sort(a.successors.begin(), a.successors.end(),
                  [](const AlphaMemory::Successor& x, const AlphaMemory::Successor& y) {
                      return x.node > y.node;
                  });
        for (AlphaMemory::Successor& s : a.successors) {
            s.left = nodes_[s.node].parent;
            s.index = nodes_[s.node].alpha_index;
        }
        a.joins_by_parent = {};
    }
    for (TemplateAlpha& ta : by_template_) ta.build_dispatch(alphas_);
    for (Node& n : nodes_) {
        if (n.kind == NodeKind::Join) {
            nodes_[n.parent].keeps_memory = true;
            n.reads_passed = nodes_[n.parent].kind == NodeKind::GroupOut && nodes_[n.parent].pass_through;
        }
        for (WhereTest& w : n.wheres) w.program = IntProgram::compile_test(*w.expr, bindings_[w.spec]);
    }
    for (std::uint32_t id = 0; id < nodes_.size(); ++id) {
        Node& n = nodes_[id];
        n.kept_in = n.hosts != no_node ? n.hosts : n.keeps_memory ? id : no_node;
    }
    // A terminal whose parent makes tokens that nothing else reads takes the parent's
    // token as its match rather than making one more per match, which was linked in,
    // unlinked and recycled again for every activation (closure: every firing).
    for (std::uint32_t s = 0; s < specs_.size(); ++s) {
        Node& t = nodes_[terminals_[s]];
        Node& p = nodes_[t.parent];
        const bool makes = p.kind == NodeKind::Join || p.kind == NodeKind::Filter ||
                           (p.kind == NodeKind::GroupOut && !p.pass_through);
        if (!makes || p.children.size() != 1 || p.keeps_memory) continue;
        t.borrows = true;
        t.depth = p.depth;
        p.reports = s;
    }
}

Network::~Network() = default;

std::uint32_t Network::add_node(Node node) {
    if (nodes_.size() >= std::uint32_t{1} << 31) throw std::length_error("more than 2^31 network nodes");
    auto id = static_cast<std::uint32_t>(nodes_.size());
    std::uint32_t parent = node.parent;
    nodes_.push_back(std::move(node));
    if (parent != no_node) nodes_[parent].children.push_back(id);
    return id;
}

// ---- planning: conditions to steps, where tests placed where their variables are bound

std::vector<Network::Step> Network::plan_scope(std::uint32_t spec, const std::vector<dsl::Condition>& conds,
                                               std::uint32_t depth, std::vector<std::uint32_t>* visible) {
    using CK = dsl::Condition::Kind;
    const std::size_t n = conds.size();
    std::vector<std::vector<dsl::VarSlot>> binds(n);
    for (std::size_t i = 0; i < n; ++i) {
        if (conds[i].kind != CK::Pattern) continue;
        for (const dsl::FieldTest& t : conds[i].pattern.tests)
            if (t.kind == dsl::FieldTest::Kind::Bind) binds[i].push_back(t.slot);
        if (conds[i].pattern.fact_var) binds[i].push_back(*conds[i].pattern.fact_var);
    }
    std::size_t first = 0;
    while (first < n && conds[first].kind == CK::Where) ++first;

    // Each where goes to the pattern of this scope binding the last of its variables; one
    // that reads only outer variables (or none) goes to the scope's first pattern, or to
    // a filter opening the scope when the scope starts with a group.
    std::vector<std::ptrdiff_t> target(n, -1);
    bool leading_filter = false;
    for (std::size_t i = 0; i < n; ++i) {
        if (conds[i].kind != CK::Where) continue;
        std::vector<dsl::VarSlot> vars;
        collect_vars(conds[i].test, vars);
        for (std::size_t j = 0; j < i; ++j)
            for (dsl::VarSlot v : vars)
                if (std::find(binds[j].begin(), binds[j].end(), v) != binds[j].end())
                    target[i] = static_cast<std::ptrdiff_t>(j);
        if (target[i] < 0) {
            if (first < n && conds[first].kind == CK::Pattern)
                target[i] = static_cast<std::ptrdiff_t>(first);
            else
                leading_filter = true;
        }
    }

    std::vector<Step> steps;
    std::uint32_t cur = depth;
    if (leading_filter) {
        steps.emplace_back().kind = Step::Kind::Filter;
        ++cur;
    }
    std::vector<std::size_t> order(n);
    for (std::size_t i = 0; i < n; ++i) order[i] = i;
    if (visible) order = join_order(conds, changing_);
    std::vector<std::size_t> step_of(n, 0);
    std::vector<std::uint32_t> depth_of(n, 0);  // of each condition's visible level
    std::vector<bool> pattern_next(n, false);   // the condition joined next is a pattern
    for (std::size_t k = 0, last = n; k < n; ++k) {
        const std::size_t i = order[n - 1 - k];
        if (conds[i].kind == CK::Where) continue;
        pattern_next[i] = last < n && conds[last].kind == CK::Pattern;
        last = i;
    }
    for (std::size_t i : order) {
        const dsl::Condition& c = conds[i];
        switch (c.kind) {
        case CK::Pattern:
            step_of[i] = steps.size();
            steps.push_back(plan_pattern(spec, c.pattern, cur));
            depth_of[i] = ++cur;
            break;
        case CK::Not:
        case CK::Exists: {
            Step g;
            g.kind = Step::Kind::Group;
            g.negated = c.kind == CK::Not;
            // One pattern is a counting body (see build_scope); after a join, the join's
            // tokens carry the group's state and the group adds no level.
            const bool counting = c.group.size() == 1 && c.group.front().kind == CK::Pattern;
            g.hosted = counting && !steps.empty() && steps.back().kind == Step::Kind::Pattern;
            if (g.hosted) steps.back().hosts = true;
            const std::uint32_t level = g.hosted ? cur : cur + 1;
            g.sub = plan_scope(spec, c.group, level, nullptr);
            g.pass_through = !pattern_next[i] || (counting && !g.hosted);
            steps.push_back(std::move(g));
            depth_of[i] = g.hosted ? 0 : level;  // at depth 0, the root: no fact
            cur = level + (g.pass_through ? 0 : 1);
            break;
        }
        case CK::Where: break;
        }
    }
    if (visible)
        for (std::size_t i = 0; i < n; ++i)
            if (conds[i].kind != CK::Where) visible->push_back(depth_of[i]);
    for (std::size_t i = 0; i < n; ++i) {
        if (conds[i].kind != CK::Where) continue;
        Step& s = target[i] < 0 ? steps.front() : steps[step_of[static_cast<std::size_t>(target[i])]];
        s.wheres.push_back({&conds[i].test, spec, std::nullopt});
    }
    return steps;
}

Network::Step Network::plan_pattern(std::uint32_t spec, const dsl::Pattern& p, std::uint32_t depth) {
    Step s;
    s.kind = Step::Kind::Pattern;
    s.tmpl = p.tmpl;
    const std::uint32_t d = depth + 1;
    std::vector<Binding>& bindings = bindings_[spec];
    std::vector<std::pair<dsl::VarSlot, dsl::FieldIndex>> local;  // bound in this pattern
    auto local_field = [&](dsl::VarSlot v) -> const dsl::FieldIndex* {
        for (const auto& [slot, field] : local)
            if (slot == v) return &field;
        return nullptr;
    };
    auto bound = [&](dsl::VarSlot v) -> const Binding& {
        const Binding& b = bindings.at(v);
        if (!b.bound || b.whole_fact) throw std::logic_error("pattern refers to a variable bound to no value");
        return b;
    };
    for (const dsl::FieldTest& t : p.tests) {
        switch (t.kind) {
        case dsl::FieldTest::Kind::Bind:
            bindings.at(t.slot) = Binding{d, t.field, false, true};
            local.emplace_back(t.slot, t.field);
            break;
        case dsl::FieldTest::Kind::Compare: {
            const dsl::Operand& o = t.operands.at(0);
            if (const Value* lit = boost::variant2::get_if<Value>(&o)) {
                s.alpha_tests.push_back({AlphaTest::Kind::Compare, t.field, t.op, {*lit}, 0});
                break;
            }
            dsl::VarSlot v = boost::variant2::get<dsl::VarRef>(o).slot;
            if (const dsl::FieldIndex* other = local_field(v)) {
                s.alpha_tests.push_back({AlphaTest::Kind::SameFact, t.field, t.op, {}, *other});
            } else {
                const Binding& b = bound(v);
                if (t.op == dsl::CompareOp::Eq) {
                    s.left_key.push_back({b.depth, b.field});
                    s.right_key.push_back(t.field);
                } else {
                    s.tests.push_back({t.op, t.field, {b.depth, b.field}});
                }
            }
            break;
        }
        case dsl::FieldTest::Kind::Member: {
            MemberTest m;
            m.field = t.field;
            for (const dsl::Operand& o : t.operands) {
                if (const Value* lit = boost::variant2::get_if<Value>(&o)) {
                    m.values.push_back(*lit);
                } else {
                    dsl::VarSlot v = boost::variant2::get<dsl::VarRef>(o).slot;
                    if (const dsl::FieldIndex* other = local_field(v))
                        m.vars.push_back({d, *other});
                    else
                        m.vars.push_back({bound(v).depth, bound(v).field});
                }
            }
            if (m.vars.empty())
                s.alpha_tests.push_back({AlphaTest::Kind::Member, t.field, dsl::CompareOp::Eq, std::move(m.values), 0});
            else
                s.members.push_back(std::move(m));
            break;
        }
        }
    }
    if (p.fact_var) bindings.at(*p.fact_var) = Binding{d, 0, true, true};
    return s;
}

// ---- building: steps to shared nodes

std::uint32_t Network::alpha_memory_for(const Step& step) {
    TemplateAlpha& ta = by_template_.at(step.tmpl);
    std::vector<std::uint32_t> ids;
    for (const AlphaTest& t : step.alpha_tests) {
        std::vector<std::uint32_t>& same_hash = ta.test_lookup[t.hash()];
        auto it = std::find_if(same_hash.begin(), same_hash.end(),
                               [&](std::uint32_t x) { return ta.tests[x].same_as(t); });
        if (it != same_hash.end()) {
            ids.push_back(*it);
            continue;
        }
        auto id = static_cast<std::uint32_t>(ta.tests.size());
        ta.tests.push_back(t);
        same_hash.push_back(id);
        ids.push_back(id);
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    std::size_t h = hash_seed;
    for (std::uint32_t t : ids) h = combine(h, t);
    std::vector<std::uint32_t>& same_tests = ta.memory_lookup[h];
    for (std::uint32_t m : same_tests)
        if (alphas_[m].tests == ids) return m;
    auto id = static_cast<std::uint32_t>(alphas_.size());
    AlphaMemory& a = alphas_.emplace_back();
    a.tmpl = step.tmpl;
    a.tests = std::move(ids);
    ta.memories.push_back(id);
    same_tests.push_back(id);
    return id;
}

std::uint32_t Network::build_scope(std::uint32_t spec, std::vector<Step>& steps, std::uint32_t parent) {
    std::uint32_t cur = parent;
    for (std::size_t i = 0; i < steps.size(); ++i) {
        Step& s = steps[i];
        std::vector<KeyPart> next_key;
        if (i + 1 < steps.size() && steps[i + 1].kind == Step::Kind::Pattern) next_key = steps[i + 1].left_key;
        switch (s.kind) {
        case Step::Kind::Pattern: {
            std::uint32_t a = alpha_memory_for(s);
            std::uint32_t shared = no_node;
            std::vector<std::uint32_t>& siblings = alphas_[a].joins_by_parent[cur];
            if (s.wheres.empty() && !s.hosts) {
                for (std::uint32_t c : siblings) {
                    const Node& n = nodes_[c];
                    if (n.hosts == no_node && n.left_key == s.left_key &&
                        n.right_key == s.right_key && n.tests == s.tests && n.wheres.empty() &&
                        n.out_key == next_key && n.members.size() == s.members.size() &&
                        std::equal(n.members.begin(), n.members.end(), s.members.begin(),
                                   [](const MemberTest& x, const MemberTest& y) { return x.same_as(y); })) {
                        shared = c;
                        break;
                    }
                }
            }
            if (shared != no_node) {
                cur = shared;
                break;
            }
            Node n;
            n.kind = NodeKind::Join;
            n.parent = cur;
            n.depth = nodes_[cur].depth + 1;
            n.out_key = std::move(next_key);
            n.alpha = a;
            n.left_key = s.left_key;
            n.right_key = s.right_key;
            n.tests = s.tests;
            n.members = s.members;
            n.wheres = s.wheres;
            AlphaMemory& am = alphas_[a];
            auto idx = std::find_if(am.indexes.begin(), am.indexes.end(),
                                    [&](const AlphaIndex& x) { return x.fields == s.right_key; });
            if (idx == am.indexes.end()) {
                am.indexes.emplace_back().fields = s.right_key;
                idx = am.indexes.end() - 1;
            }
            n.alpha_index = static_cast<std::uint32_t>(idx - am.indexes.begin());
            cur = add_node(std::move(n));
            alphas_[a].successors.push_back({cur});
            siblings.push_back(cur);
            break;
        }
        case Step::Kind::Filter: {
            Node n;
            n.kind = NodeKind::Filter;
            n.parent = cur;
            n.depth = nodes_[cur].depth + 1;
            n.out_key = std::move(next_key);
            n.wheres = s.wheres;
            cur = add_node(std::move(n));
            break;
        }
        case Step::Kind::Group: {
            Node g;
            g.kind = NodeKind::Group;
            g.parent = cur;
            g.depth = nodes_[cur].depth + (s.hosted ? 0 : 1);
            g.negated = s.negated;
            g.hosted = s.hosted;
            if (!s.sub.empty() && s.sub.front().kind == Step::Kind::Pattern) g.out_key = s.sub.front().left_key;
            // A `not`/`exists` of one pattern needs only how many facts match it for
            // each token from above, not which: counting keeps the group's memory linear
            // in its tokens where storing body matches grows with tokens times facts.
            const bool counting = s.sub.size() == 1 && s.sub.front().kind == Step::Kind::Pattern &&
                                  s.sub.front().wheres.empty();
            g.counting = counting;
            if ((s.hosted || (s.pass_through && !next_key.empty())) && !counting)
                throw std::logic_error("the planner took a group for counting");
            std::uint32_t gid = add_node(std::move(g));
            if (s.hosted) nodes_[cur].hosts = gid;
            std::uint32_t last = build_scope(spec, s.sub, gid);
            nodes_[gid].sub = nodes_[gid].children.at(0);
            nodes_[gid].children.clear();
            if (!counting) {
                Node p;
                p.kind = NodeKind::Partner;
                p.parent = last;
                p.depth = nodes_[last].depth + 1;
                p.group = gid;
                add_node(std::move(p));
            }
            Node o;
            o.kind = NodeKind::GroupOut;
            o.parent = gid;
            o.pass_through = s.pass_through;
            o.depth = nodes_[gid].depth + (s.pass_through ? 0 : 1);
            o.out_key = std::move(next_key);
            std::uint32_t oid = add_node(std::move(o));
            nodes_[gid].out = oid;
            cur = oid;
            break;
        }
        }
    }
    return cur;
}

// ---- propagation

std::size_t Network::key_hash(const Token* token, std::uint32_t depth, const std::vector<KeyPart>& key) const {
    std::size_t h = hash_seed;
    for (const KeyPart& p : key) h = combine(h, value_hash(fact_at(token, depth, p.depth)->values[p.field]));
    return h;
}

Token* Network::make_token(std::uint32_t node_id, Token* parent, Fact* fact) {
    Token* t = tokens_.make();
    ++live_tokens_;
    ++tokens_made_;
    t->fact = fact;
    t->node = node_id;
    if (parent) {
        t->parent = parent->self;
        t->next_sibling = parent->below.first_child;
        if (t->next_sibling) tokens_.at(t->next_sibling)->prev_sibling = t->self;
        parent->below.first_child = t->self;
    }
    if (fact) {
        t->in_fact.next = fact->tokens;
        if (fact->tokens) tokens_.at(fact->tokens)->in_fact.prev = t->self;
        fact->tokens = t->self;
    }
    const std::uint32_t kept_in = nodes_[node_id].kept_in;
    if (kept_in == no_node) return t;
    Node& n = nodes_[kept_in];
    t->below.key_hash = BucketMap::fold(key_hash(t, n.depth, n.out_key));
    BucketMap::Bucket& bucket = n.memory[t->below.key_hash];
    t->bucket_pos = static_cast<std::uint32_t>(bucket.size());
    bucket.push_back(t->self);
    return t;
}

void Network::report(std::uint32_t spec, Token& t) {
    t.match = true;
    listener_.on_match(spec, t);
}

// Deletes a token and its descendants, children before parents, with an explicit stack
// so that the depth of a rule never becomes the depth of the call stack.
void Network::delete_token(Token* root) {
    const std::size_t mark = doomed_.size();
    root->dying = true;
    doomed_.push_back(root);
    while (doomed_.size() > mark) {
        Token* t = doomed_.back();
        // A match token's first child is its payload's place: it has no children.
        if (TokenRef first = t->match ? 0 : t->below.first_child) {
            Token* c = tokens_.at(first);
            c->dying = true;
            doomed_.push_back(c);
            continue;
        }
        doomed_.pop_back();
        destroy_token(t);
    }
}

void Network::destroy_token(Token* t) {
    Node& n = nodes_[t->node];
    if (n.kind == NodeKind::Terminal)
        listener_.on_unmatch(n.spec, *t);
    else if (n.kind == NodeKind::Partner)
        group_count_changed(t->node, t, false);
    else if (n.reports != no_node)
        listener_.on_unmatch(n.reports, *t);
    else if (t->passed)
        forget_passed(nodes_[n.out], t);

    if (t->parent) {
        if (t->prev_sibling)
            tokens_.at(t->prev_sibling)->next_sibling = t->next_sibling;
        else
            tokens_.at(t->parent)->below.first_child = t->next_sibling;
        if (t->next_sibling) tokens_.at(t->next_sibling)->prev_sibling = t->prev_sibling;
    }
    if (t->fact) {
        if (t->in_fact.prev)
            tokens_.at(t->in_fact.prev)->in_fact.next = t->in_fact.next;
        else
            t->fact->tokens = t->in_fact.next;
        if (t->in_fact.next) tokens_.at(t->in_fact.next)->in_fact.prev = t->in_fact.prev;
    }
    if (n.kept_in != no_node)
        take_out(nodes_[n.kept_in].memory, t->below.key_hash, t->bucket_pos,
                 [&](TokenRef moved, std::uint32_t pos) { tokens_.at(moved)->bucket_pos = pos; });
    --live_tokens_;
    tokens_.free(t);
}

// The owner's other children are its body's tokens.
void Network::delete_main_children(const Node& group, Token* owner) {
    if (owner->passed) forget_passed(nodes_[group.out], owner);
    const bool pass_through = nodes_[group.out].pass_through;
    for (TokenRef place = owner->below.first_child; place;) {
        Token* c = tokens_.at(place);
        place = c->next_sibling;
        if (pass_through ? nodes_[c->node].parent == group.out : c->node == group.out) delete_token(c);
    }
}

void Network::keep_passed(Node& out, Token* t) {
    t->out.key_hash = BucketMap::fold(key_hash(t, out.depth, out.out_key));
    BucketMap::Bucket& bucket = out.memory[t->out.key_hash];
    t->out.pos = static_cast<std::uint32_t>(bucket.size());
    bucket.push_back(t->self);
    t->passed = true;
}

void Network::forget_passed(Node& out, Token* t) {
    take_out(out.memory, t->out.key_hash, t->out.pos,
             [&](TokenRef moved, std::uint32_t pos) { tokens_.at(moved)->out.pos = pos; });
    t->passed = false;
}

void Network::group_count_changed(std::uint32_t partner, Token* token, bool added) {
    const Node& p = nodes_[partner];
    Token* owner = token;
    for (std::uint32_t d = p.depth; d > nodes_[p.group].depth; --d) owner = tokens_.at(owner->parent);
    owner_count_changed(p.group, owner, added);
}

void Network::owner_count_changed(std::uint32_t group, Token* owner, bool added) {
    const Node& g = nodes_[group];
    for (const Token* a = owner; a->self; a = parent(*a))
        if (a->dying) return;  // the owner goes too; nothing to re-evaluate
    if (added) {
        if (g.counting)
            owner->counted = true;  // right_activate skips owners that have a match
        else if (++owner->count != 1)
            return;
        if (!owner->ready) return;
        if (g.negated)
            delete_main_children(g, owner);
        else
            schedule(g.out, owner);
    } else {
        if (g.counting)
            owner->counted = false;
        else if (--owner->count != 0)
            return;
        if (!owner->ready) return;
        // A counting group keeps no matches (see Token::counted): others may be left.
        if (g.counting && any_match(nodes_[g.sub], owner)) {
            owner->counted = true;
            return;
        }
        if (g.negated) {
            // Reached from a deletion, outside any drain: propagate now.
            const std::size_t mark = work_.size();
            schedule(g.out, owner);
            drain(mark);
        } else {
            delete_main_children(g, owner);
        }
    }
}

bool Network::passes(const Node& n, const Token* t, const Fact* f) const {
    const std::uint32_t depth = n.depth - 1;  // of `t`; `f` (if any) sits at n.depth
    for (const JoinTest& jt : n.tests)
        if (!test_holds(jt.op, f->values[jt.field], value_at(tokens_, t, depth, f, jt.left))) return false;
    return (n.members.empty() && n.wheres.empty()) || passes_rest(n, t, f);
}

// Each read walks up the token's parent chain; a token that meets a whole bucket of
// facts (a `not` on `>` meets its whole alpha memory) made the same walks once per fact.
std::span<const Value* const> Network::read_left(const Node& n, const Token* t) const {
    const std::uint32_t depth = n.depth - 1;
    left_reads_.clear();
    for (const KeyPart& p : n.left_key) left_reads_.push_back(&fact_at(t, depth, p.depth)->values[p.field]);
    for (const JoinTest& jt : n.tests) left_reads_.push_back(&fact_at(t, depth, jt.left.depth)->values[jt.left.field]);
    return left_reads_;
}

bool Network::passes_with(const Node& n, std::span<const Value* const> left, const Token* t, const Fact* f) const {
    std::size_t k = 0;
    for (dsl::FieldIndex field : n.right_key)
        if (!values_equal(*left[k++], f->values[field])) return false;
    for (const JoinTest& jt : n.tests)
        if (!test_holds(jt.op, f->values[jt.field], *left[k++])) return false;
    return (n.members.empty() && n.wheres.empty()) || passes_rest(n, t, f);
}

bool Network::passes_rest(const Node& n, const Token* t, const Fact* f) const {
    const std::uint32_t depth = n.depth - 1;
    for (const MemberTest& m : n.members) {
        const Value& v = f->values[m.field];
        bool found =
            std::any_of(m.values.begin(), m.values.end(), [&](const Value& x) { return values_equal(v, x); });
        for (std::size_t i = 0; !found && i < m.vars.size(); ++i)
            found = values_equal(v, value_at(tokens_, t, depth, f, m.vars[i]));
        if (!found) return false;
    }
    for (const WhereTest& w : n.wheres) {
        if (w.program) {
            if (std::optional<std::int64_t> r = w.program->run(
                    [&](std::uint32_t at) { return fact_in(tokens_, t, depth, f, at); })) {
                if (*r == 0) return false;
                continue;
            }
        }
        TokenVars vars(bindings_[w.spec], tokens_, t, depth, f);
        try {
            if (!evaluate_test(*w.expr, vars)) return false;
        } catch (EvalError& e) {
            e.rule = w.spec;
            throw;
        }
    }
    return true;
}

void Network::join(Node& n, std::uint32_t id, Token* token, Fact* fact) {
    Token* t = make_token(id, token, fact);
    for (std::uint32_t c : n.children) schedule(c, t);
}

// Runs scheduled left activations until the work stack is back at `mark`. The stack is
// last-in first-out, so a token's consequences are all worked out before its siblings',
// as a recursive walk would, without the call stack growing with the rule.
void Network::drain(std::size_t mark) {
    while (work_.size() > mark) {
        const Work w = work_.back();
        work_.pop_back();
        Token* token = tokens_.at(w.token);
        if (!(w.node & ready_bit)) {
            left_activate(w.node, token);
            continue;
        }
        const Node& g = nodes_[w.node & ~ready_bit];
        token->ready = true;
        if (g.negated ? token->count == 0 : token->count > 0) schedule(g.out, token);
    }
}

bool Network::same_key(const Node& n, const Token* token, const Fact* f) const {
    const std::uint32_t depth = n.depth - 1;
    for (std::size_t k = 0; k < n.right_key.size(); ++k)
        if (!values_equal(value_at(tokens_, token, depth, f, n.left_key[k]), f->values[n.right_key[k]]))
            return false;
    return true;
}

bool Network::any_match(const Node& body, const Token* owner) const {
    const AlphaIndex& index = alphas_[body.alpha].indexes[body.alpha_index];
    const BucketMap::Bucket* facts = index.buckets.find(owner->below.key_hash);
    if (!facts) return false;
    const std::span<const Value* const> left = read_left(body, owner);
    return std::any_of(facts->begin(), facts->end(),
                       [&](std::uint32_t f) { return passes_with(body, left, owner, facts_.at(f)); });
}

// A fact leaves the counts of the counting groups whose body join `body` it matched.
// The fact's own tokens are already marked dying, so owners built on it are skipped.
void Network::uncount(std::uint32_t body, const Fact* f) {
    const Node& n = nodes_[body];
    std::size_t h = hash_seed;
    for (dsl::FieldIndex field : n.right_key) h = combine(h, value_hash(f->values[field]));
    const BucketMap::Bucket* bucket = nodes_[n.parent].memory.find(h);
    if (!bucket) return;
    // Copied: a count reaching zero under `not` propagates at once, and nothing may
    // change the bucket under the loop.
    const std::vector<TokenRef> owners(bucket->begin(), bucket->end());
    for (TokenRef place : owners)
        if (Token* g = tokens_.at(place); !g->dying && same_key(n, g, f) && passes(n, g, f))
            owner_count_changed(n.parent, g, false);
}

void Network::left_activate(std::uint32_t id, Token* token) {
    Node& n = nodes_[id];
    switch (n.kind) {
    case NodeKind::Join: {
        AlphaIndex& index = alphas_[n.alpha].indexes[n.alpha_index];
        const std::uint32_t key = n.reads_passed ? token->out.key_hash : token->below.key_hash;
        const BucketMap::Bucket* found = index.buckets.find(key);
        if (!found) return;
        const BucketMap::Bucket& facts = *found;
        const std::span<const Value* const> left = read_left(n, token);
        for (std::size_t i = 0; i < facts.size(); ++i) {
            Fact* f = facts_.at(facts[i]);
            if (passes_with(n, left, token, f)) join(n, id, token, f);
        }
        return;
    }
    case NodeKind::Filter:
        if (!passes(n, token, nullptr)) return;
        [[fallthrough]];
    case NodeKind::GroupOut: {
        if (n.pass_through) {
            if (n.keeps_memory) keep_passed(n, token);
            for (std::uint32_t c : n.children) schedule(c, token);
            return;
        }
        Token* t = make_token(id, token, nullptr);
        for (std::uint32_t c : n.children) schedule(c, t);
        return;
    }
    case NodeKind::Group: {
        if (n.counting) {
            Token* g = n.hosted ? token : make_token(id, token, nullptr);
            g->counted = any_match(nodes_[n.sub], g);
            g->ready = true;
            if (n.negated != static_cast<bool>(g->counted)) schedule(n.out, g);
            return;
        }
        // The body is evaluated first (it sits above the readiness check on the stack);
        // only then does the count decide whether the token goes on.
        Token* g = make_token(id, token, nullptr);
        g->count = 0;
        schedule(id | ready_bit, g);
        schedule(n.sub, g);
        return;
    }
    case NodeKind::Partner: group_count_changed(id, make_token(id, token, nullptr), true); return;
    case NodeKind::Terminal: report(n.spec, n.borrows ? *token : *make_token(id, token, nullptr)); return;
    case NodeKind::Root: return;
    }
}

void Network::right_activate(std::uint32_t id, Fact* f, std::size_t h) {
    Node& n = nodes_[id];
    Node& parent = nodes_[n.parent];
    const BucketMap::Bucket* found = parent.memory.find(h);
    if (!found) return;
    const BucketMap::Bucket& tokens = *found;
    const bool counting = parent.kind == NodeKind::Group && parent.counting;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        Token* t = tokens_.at(tokens[i]);
        // One more match leaves a counting group token that already has one unchanged.
        if (t->dying || (counting && t->counted) || !same_key(n, t, f) || !passes(n, t, f)) continue;
        if (counting)
            owner_count_changed(n.parent, t, true);
        else
            join(n, id, t, f);
    }
}

void Network::start() {
    root_token_ = make_token(0, nullptr, nullptr);
    for (std::uint32_t c : nodes_[0].children) schedule(c, root_token_);
    drain(0);
}

void Network::assert_fact(Fact& fact) {
    TemplateAlpha& ta = by_template_.at(fact.tmpl);
    // Moved out, not borrowed, in case a listener asserts a fact of the same template.
    std::vector<std::uint32_t> keyed = std::move(ta.scratch);
    keyed.clear();
    for (const KeyedField& kf : ta.keyed) {
        auto it = kf.memories.find(value_hash(fact.values[kf.field]));
        if (it != kf.memories.end()) keyed.insert(keyed.end(), it->second.begin(), it->second.end());
    }
    std::sort(keyed.begin(), keyed.end());
    const std::uint32_t now = ta.next_stamp();
    // Keyed and unkeyed candidates merged in memory id order, the order of a full scan.
    auto u = ta.unkeyed.begin();
    std::size_t k = 0;
    while (u != ta.unkeyed.end() || k < keyed.size()) {
        const std::uint32_t m = k == keyed.size() || (u != ta.unkeyed.end() && *u < keyed[k]) ? *u++ : keyed[k++];
        AlphaMemory& a = alphas_[m];
        if (!ta.passes(a, fact, now)) continue;
        fact.alpha.push_back(m);
        // A join's right key is its index's fields: the hash of the fact's bucket is the
        // key its right activation looks tokens up by. Kept on a stack, not per memory,
        // since the joins' propagation may come back here.
        const std::size_t base = index_hashes_.size();
        for (AlphaIndex& index : a.indexes) {
            std::size_t h = hash_seed;
            for (dsl::FieldIndex field : index.fields) h = combine(h, value_hash(fact.values[field]));
            index_hashes_.push_back(h);
            BucketMap::Bucket& bucket = index.buckets[h];
            fact.alpha.push_back(static_cast<std::uint32_t>(bucket.size()));
            bucket.push_back(fact.place);
        }
        // Most joins of most facts have nothing to their left (in Waltz nine in ten: the
        // rules of the other stages), and are skipped before anything else is read.
        for (const AlphaMemory::Successor& s : a.successors) {
            if (nodes_[s.left].memory.size() == 0) continue;
            right_activate(s.node, &fact, index_hashes_[base + s.index]);
            drain(0);
        }
        index_hashes_.resize(base);
    }
    ta.scratch = std::move(keyed);
}

void Network::retract_fact(Fact& fact) {
    const AlphaPlaces& places = fact.alpha;
    for (std::size_t j = 0; j < places.size(); j = next_memory(places.view(), j)) {
        const std::uint32_t m = places[j];
        std::vector<AlphaIndex>& indexes = alphas_[m].indexes;
        for (std::size_t i = 0; i < indexes.size(); ++i) {
            AlphaIndex& index = indexes[i];
            const std::uint32_t pos = places[j + 1 + i];
            std::size_t h = hash_seed;
            for (dsl::FieldIndex field : index.fields) h = combine(h, value_hash(fact.values[field]));
            // The last fact of the bucket fills the gap, and its place says so.
            take_out(index.buckets, h, pos, [&](std::uint32_t moved, std::uint32_t at) {
                if (moved == fact.place) return;
                AlphaPlaces& theirs = facts_.at(moved)->alpha;
                std::size_t k = 0;
                while (theirs[k] != m) k = next_memory(theirs.view(), k);
                theirs[k + 1 + i] = at;
            });
        }
    }
    for (TokenRef place = fact.tokens; place;) {
        Token* t = tokens_.at(place);
        t->dying = true;
        place = t->in_fact.next;
    }
    for (std::size_t j = 0; j < places.size(); j = next_memory(places.view(), j))
        for (const AlphaMemory::Successor& s : alphas_[places[j]].successors)
            if (const Node& p = nodes_[s.left];
                p.kind == NodeKind::Group && p.counting && p.memory.size() != 0)
                uncount(s.node, &fact);
    fact.alpha.clear();  // a retracted fact never enters a memory again
    while (fact.tokens) delete_token(tokens_.at(fact.tokens));
}

void Network::drop_match(Token& terminal) {
    Token* up = tokens_.at(terminal.parent);
    // A match token has no children: nothing to walk.
    terminal.dying = true;
    destroy_token(&terminal);
    // A join or filter token in no memory is reachable only from its parent and its
    // fact; once childless it is a match record nothing will read (closure: one per
    // firing). Group tokens, and tokens in a memory (a join's that are a group's too),
    // stay.
    while (up->self && !up->below.first_child) {
        const Node& n = nodes_[up->node];
        if ((n.kind != NodeKind::Join && n.kind != NodeKind::Filter) || n.kept_in != no_node) break;
        Token* next = tokens_.at(up->parent);
        delete_token(up);
        up = next;
    }
}

std::size_t Network::next_memory(std::span<const std::uint32_t> places, std::size_t j) const {
    return j + 1 + alphas_[places[j]].indexes.size();
}

std::vector<std::uint32_t> Network::memories_of(const Fact& fact) const {
    std::vector<std::uint32_t> out;
    for (std::size_t j = 0; j < fact.alpha.size(); j = next_memory(fact.alpha.view(), j)) out.push_back(fact.alpha[j]);
    return out;
}

std::size_t Network::node_count() const noexcept { return nodes_.size(); }
std::size_t Network::alpha_memory_count() const noexcept { return alphas_.size(); }

std::uint32_t Network::terminal_depth(std::uint32_t spec) const { return nodes_[terminals_[spec]].depth; }

}  // namespace demarche::engine
