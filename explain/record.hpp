// What a Recorder keeps of a run, and the small matcher and printers that `why` and
// `why-not` share. Internal to explain/.
#pragma once

#include <demarche/explain.hpp>

#include "dsl/program.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace demarche::explain {

/// Append-only storage whose elements never move, so spans into it stay valid for its
/// lifetime: recording keeps every fact's values and every firing's matched facts in a
/// few large blocks instead of one allocation each.
template <typename T>
class Arena {
public:
    Arena() = default;
    Arena(const Arena&) = delete;  // the spans handed out point into this one
    Arena& operator=(const Arena&) = delete;
    Arena(Arena&&) noexcept = default;  // moving a block keeps its buffer
    Arena& operator=(Arena&&) noexcept = default;

    /// A copy of `items`, valid as long as the arena.
    std::span<const T> add(std::span<const T> items) {
        if (blocks_.empty() || blocks_.back().capacity() - blocks_.back().size() < items.size()) {
            // Blocks double up to a cap, so a small run allocates little and a big one rarely.
            next_block_ = std::min<std::size_t>(next_block_ * 2, 1U << 16U);
            blocks_.emplace_back().reserve(std::max(next_block_, items.size()));
        }
        std::vector<T>& block = blocks_.back();
        const std::size_t at = block.size();
        block.insert(block.end(), items.begin(), items.end());  // within capacity: nothing moves
        return {block.data() + at, items.size()};
    }

private:
    std::vector<std::vector<T>> blocks_;
    std::size_t next_block_ = 128;
};

/// What removed a fact.
enum class RemovalKind {
    None,         ///< still present
    Retracted,    ///< a firing's `retract`
    Modified,     ///< a firing's `modify` (the new fact is `replaced_by`)
    Unsupported,  ///< truth maintenance: its logical support went away
    Input,        ///< the program running the session (Session::retract or modify)
};

struct Removal {
    RemovalKind kind = RemovalKind::None;
    std::uint64_t firing = 0;  ///< the firing during which it was removed; 0 outside firings
    FactId replaced_by = 0;    ///< Modified: the fact `modify` made
    /// Unsupported: the change that took the support away, when it can be told: a fact
    /// the support had matched, now retracted (`cause_retracted`), or a fact asserted
    /// just before, which a `not` of the supporting rule now sees.
    FactId cause = 0;
    bool cause_retracted = false;
};

struct FactRecord {
    FactId id = 0;
    dsl::TemplateId tmpl = 0;
    std::span<const Value> values;  ///< one per field, in RecordedRun::values
    bool derived = false;
    std::uint64_t asserted_at = 0;  ///< moment (event count) of the assertion
    std::uint64_t removed_at = 0;   ///< moment of the retraction; 0 while present
    std::optional<std::size_t> given;  ///< index into the initial facts (program's, then the fact set's)
    std::uint64_t firing = 0;          ///< derived: the firing that asserted it
    FactId modified_from = 0;          ///< made by `modify` of this fact
    Removal removal;
};

struct FiringRecord {
    std::uint64_t number = 0;
    dsl::RuleId rule = 0;
    /// Per position (patterns, not, exists); 0 for not/exists. In RecordedRun::matched
    /// once kept; RecordedRun::current_facts for the firing under way.
    std::span<const FactId> facts;
    std::uint64_t moment = 0;
};

/// A variable's value, or nothing while unbound; indexed by VarSlot.
using Bindings = std::vector<std::optional<Value>>;

/// The whole record of one run.
struct RecordedRun {
    ProgramPtr program;
    std::shared_ptr<const FactSet> input;
    std::vector<FactRecord> facts;      ///< index = id - 1
    Arena<Value> values;                ///< what FactRecord::values point into
    Arena<FactId> matched;              ///< what kept FiringRecord::facts point into
    /// The firings that changed working memory, in order. A firing whose assertions were
    /// all duplicates explains nothing and is not kept: most firings of a join-heavy run
    /// are like that, and keeping them would make recording cost far more.
    std::vector<FiringRecord> firings;
    FiringRecord current;          ///< the firing under way (none before the first)
    std::vector<FactId> current_facts;  ///< what `current.facts` points into
    bool current_kept = false;     ///< `current` has been added to `firings`
    bool started = false;          ///< a firing has begun: assertions are no longer initial
    /// A firing is in progress: true from its on_fire until a change comes from outside
    /// (an input assertion or retraction through the Session between runs).
    bool in_firing = false;
    /// Per rule: where its `retract`/`modify` actions find their targets.
    struct RemovalAction {
        std::size_t position = 0;
        bool modify = false;
        std::size_t action = 0;
    };
    std::vector<std::vector<RemovalAction>> removal_actions;

    // Bookkeeping while the run goes on.
    std::uint64_t moment = 0;
    std::size_t next_initial = 0;
    struct PendingRemoval {
        FactId fact = 0;
        bool modify = false;
        std::size_t action = 0;
    };
    std::vector<PendingRemoval> pending;  ///< retract/modify targets of the current firing
    FactId modify_source = 0;             ///< the fact the current `modify` removed
    std::optional<std::vector<Value>> modify_values;  ///< and the values it will assert
    FactId last_asserted = 0;

    const dsl::Program& prog() const { return *program; }
    const dsl::SourceSet& sources() const { return input ? *input->sources : *program->sources; }
    std::size_t initial_count() const;
    const dsl::InitialFact& initial(std::size_t i) const;
    const FactRecord* fact(FactId id) const;
    /// A kept firing by number; null for one that changed nothing.
    const FiringRecord* firing(std::uint64_t number) const;
    /// Keeps the current firing (it just changed working memory) and returns it.
    const FiringRecord& keep_current();
    /// The variables of `f`'s rule, computed from the Bind tests of its patterns applied to
    /// the matched facts (the engine keeps no bindings).
    Bindings bindings(const FiringRecord& f) const;
    /// Was the fact present at `moment`?
    bool present_at(const FactRecord& f, std::uint64_t at) const {
        return f.asserted_at <= at && (f.removed_at == 0 || f.removed_at > at);
    }
};

/// The top-level condition index of each position of a rule's activations (positions are
/// the conditions other than `where`).
std::vector<std::size_t> position_conditions(const dsl::Rule& rule);

// ---- matching rule conditions over recorded facts, naively

/// Which facts a search may use: those present at `moment` (0: at the end of the run).
struct FactsAt {
    const RecordedRun* run = nullptr;
    std::uint64_t moment = 0;
    /// Facts of template `t` visible in this view, in id order.
    std::vector<const FactRecord*> of_template(dsl::TemplateId t) const;
};

/// A test that failed on a candidate fact.
struct Mismatch {
    const dsl::FieldTest* test = nullptr;
};

/// Applies one field test to a value, binding on first use.
bool test_holds_value(const dsl::FieldTest& t, const Value& v, Bindings& b);
/// Applies one field test to a fact, binding on first use. A Bind test whose variable is
/// already bound tests equality.
bool test_holds(const dsl::FieldTest& t, const FactRecord& f, Bindings& b);
/// Applies every test of `p` to `f` in order, binding variables. Returns the failed tests
/// (all of them, each judged with the bindings made by the tests before it).
std::vector<Mismatch> match_pattern(const dsl::Pattern& p, const FactRecord& f, Bindings& b);

/// Finds the first match (in fact id order) of `conds` (a not/exists body, or a rule's
/// conditions) under `b`; fills `b` and `facts` with it. `budget` counts fact tests and
/// stops the search at zero (then it reports no match).
bool find_match(const std::vector<dsl::Condition>& conds, std::size_t i, const FactsAt& view, Bindings& b,
                std::vector<FactId>& facts, std::uint64_t& budget);

/// Evaluates a `where` test; the message on an error.
struct WhereOutcome {
    bool holds = false;
    std::optional<std::string> error;
};
WhereOutcome evaluate_where(const dsl::Expr& e, const Bindings& b);

// ---- printing

std::string fact_text(const dsl::Program& p, const FactRecord& f);
std::string fact_line(const dsl::Program& p, const FactRecord& f);  ///< `f-3 offer(...)`
/// A pattern as source text; bound variables are shown as their values.
std::string pattern_text(const dsl::Program& p, const dsl::Pattern& pat, const std::vector<dsl::VariableInfo>& vars,
                         const Bindings& b);
/// A condition as source text (`not reciprocal_step(verified: true)`), bound variables substituted.
std::string condition_text(const dsl::Program& p, const dsl::Condition& c, const std::vector<dsl::VariableInfo>& vars,
                           const Bindings& b);
std::string expr_text(const dsl::Expr& e, const std::vector<dsl::VariableInfo>& vars, const Bindings& b);
/// "?kind = peace_treaty, ?state = China" for the bound value variables.
std::string bindings_text(const std::vector<dsl::VariableInfo>& vars, const Bindings& b);
/// `path:line` of a range.
std::string location_text(const dsl::SourceSet& s, dsl::SourceRange r);
/// For a fact given in a JSON file, its position in the file's array, from 1.
std::optional<std::size_t> json_element(const RecordedRun& run, const FactRecord& f);
/// "given in path:line" (with the element number for a JSON file).
std::string given_text(const RecordedRun& run, const FactRecord& f);
/// What removed a fact ("retracted by rule r (firing 3)"); "" for a present fact.
std::string removal_text(const RecordedRun& run, const FactRecord& f);
/// `name (C9, path:line)`
std::string rule_heading(const RecordedRun& run, const dsl::Rule& r);
/// The variables an expression reads.
void expr_variables(const dsl::Expr& e, std::vector<dsl::VarSlot>& out);

// ---- targets

/// A parsed `why` target or `why-not` pattern.
struct Target {
    std::optional<FactId> id;  ///< `f-23` or `23`
    dsl::Pattern pattern;      ///< otherwise: a checked pattern
    std::vector<dsl::VariableInfo> variables;
    std::string text;
};

/// Reads a target: a fact id (when `allow_id`), a template name or a pattern, checked
/// against the program's templates with the language's own checker. Diagnostics name
/// the text as `pattern`.
std::optional<Target> parse_target(const dsl::Program& p, std::string_view text, bool allow_id,
                                   std::vector<Diagnostic>& diags);

/// A value as JSON: symbols and strings as strings.
nlohmann::ordered_json json_value(const Value& v);
/// The JSON text, invalid UTF-8 replaced rather than thrown on.
std::string json_dump(const nlohmann::ordered_json& j);

}  // namespace demarche::explain
