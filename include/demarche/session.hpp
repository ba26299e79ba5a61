// Running a checked program: a Session owns one working memory and one Rete network,
// runs the rules to quiescence, then lists facts and answers queries.
#pragma once

#include <demarche/compile.hpp>
#include <demarche/diagnostic.hpp>
#include <demarche/export.hpp>
#include <demarche/value.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace demarche {

namespace engine {
class Engine;
}

/// How the agenda orders activations of equal salience.
enum class Strategy {
    Depth,    ///< newest activation first (the default)
    Breadth,  ///< oldest activation first
    Lex,      ///< OPS5 LEX: most recent matched facts first
    Mea,      ///< OPS5 MEA: most recent fact of the first pattern first, then as LEX
};

/// "depth", "breadth", "lex", "mea".
DEMARCHE_API std::string_view to_string(Strategy s) noexcept;
/// Parses a strategy name as written on the command line; nothing for an unknown name.
DEMARCHE_API std::optional<Strategy> strategy_named(std::string_view name) noexcept;

/// Fact ids count from 1 in assertion order and are never reused.
using FactId = std::uint64_t;

/// A fact as shown to users: `f-3 offer(kind: peace_treaty, ...)`.
struct FactInfo {
    FactId id = 0;
    std::string template_name;
    std::vector<std::string> field_names;  ///< in template order
    std::vector<Value> values;             ///< one per field
    bool derived = false;                  ///< asserted by a rule rather than given as input
};

/// How many facts are present, without copying them out as `facts()` does.
struct FactCounts {
    std::size_t present = 0;
    std::size_t derived = 0;  ///< of those present, the ones asserted by a rule
};

/// `offer(kind: peace_treaty, legally_binding: true)`: values in source form.
DEMARCHE_API std::string format_fact(const FactInfo& fact);

/// An activation: a rule and the facts that matched its conditions, in condition order.
struct ActivationInfo {
    std::string rule;
    std::vector<FactId> facts;  ///< 0 for a `not` or `exists` condition
};

/// `rule: f-1,f-2,*` as in a CLIPS watch trace.
DEMARCHE_API std::string format_activation(const ActivationInfo& activation);

/// What made a fact enter or leave working memory.
enum class ChangeOrigin : std::uint8_t {
    Input,    ///< an initial fact, or a change through Session (assert_fact, retract, modify)
    Rule,     ///< an action (assert, retract, modify) of the firing in progress
    Support,  ///< truth maintenance: the fact's last logical support went away
};

/// A fact as an Observer event shows it: read in place, nothing copied. Ids, values and
/// the derived flag cost nothing to read; names are looked up only when asked for.
/// Valid only during the event call that receives it: copy what you keep (`info()`, or
/// the values). Names and the template index refer to the session's program.
class DEMARCHE_API FactView {
public:
    /// For the engine: `values` (one per field of template `template_index` of
    /// `program`) must stay valid as long as the view.
    FactView(const dsl::Program& program, FactId id, std::uint32_t template_index, std::span<const Value> values,
             bool derived, ChangeOrigin origin) noexcept
        : program_(&program), id_(id), template_(template_index), values_(values), derived_(derived),
          origin_(origin) {}

    FactId id() const noexcept { return id_; }
    /// The template's position among the program's templates, in declaration order.
    std::uint32_t template_index() const noexcept { return template_; }
    /// One value per field, in template order.
    std::span<const Value> values() const noexcept { return values_; }
    /// Asserted by a rule rather than given as input.
    bool derived() const noexcept { return derived_; }
    /// What made the change this event reports: an input, a rule's action, or truth
    /// maintenance (retractions only).
    ChangeOrigin origin() const noexcept { return origin_; }
    /// The template's name; lives as long as the program.
    std::string_view template_name() const noexcept;
    /// The name of field `i` (i < values().size()); lives as long as the program.
    std::string_view field_name(std::size_t i) const noexcept;
    /// A copy with every name, to keep after the call.
    FactInfo info() const;

private:
    const dsl::Program* program_;
    FactId id_;
    std::uint32_t template_;
    std::span<const Value> values_;
    bool derived_;
    ChangeOrigin origin_;
};

/// `offer(kind: peace_treaty, legally_binding: true)`, as format_fact(view.info()).
DEMARCHE_API std::string format_fact(const FactView& fact);

/// An activation as an Observer event shows it: read in place, nothing copied. Valid only
/// during the event call that receives it; names refer to the session's program.
class DEMARCHE_API ActivationView {
public:
    /// For the engine: `facts` must stay valid as long as the view.
    ActivationView(const dsl::Program& program, std::uint32_t rule_index, std::span<const FactId> facts) noexcept
        : program_(&program), rule_(rule_index), facts_(facts) {}

    /// The rule's position among the program's rules, in declaration order.
    std::uint32_t rule_index() const noexcept { return rule_; }
    /// The rule's name; lives as long as the program.
    std::string_view rule_name() const noexcept;
    /// The facts that matched, in condition order; 0 for a `not` or `exists` condition.
    std::span<const FactId> facts() const noexcept { return facts_; }
    /// A copy with the rule's name, to keep after the call.
    ActivationInfo info() const;

private:
    const dsl::Program* program_;
    std::uint32_t rule_;
    std::span<const FactId> facts_;
};

/// `rule: f-1,f-2,*`, as format_activation(view.info()).
DEMARCHE_API std::string format_activation(const ActivationView& activation);

/// The kinds of Observer events, one bit each, to combine into an EventMask.
enum class EventKind : std::uint8_t {
    Assert = 1U << 0U,      ///< on_assert
    Retract = 1U << 1U,     ///< on_retract
    Activate = 1U << 2U,    ///< on_activate
    Deactivate = 1U << 3U,  ///< on_deactivate
    Fire = 1U << 4U,        ///< on_fire
    Print = 1U << 5U,       ///< on_print
};

/// A set of event kinds: `EventKind::Assert | EventKind::Fire`.
class EventMask {
public:
    /// The empty set.
    constexpr EventMask() noexcept = default;
    /// The set of one kind (implicit, so a single kind can be passed where a set is expected).
    constexpr EventMask(EventKind kind) noexcept : bits_(static_cast<std::uint8_t>(kind)) {}
    /// Every kind.
    static constexpr EventMask all() noexcept { return EventMask(0x3FU); }
    /// Is `kind` in the set?
    constexpr bool has(EventKind kind) const noexcept { return (bits_ & static_cast<std::uint8_t>(kind)) != 0; }
    /// The union.
    friend constexpr EventMask operator|(EventMask a, EventMask b) noexcept {
        return EventMask(static_cast<std::uint8_t>(a.bits_ | b.bits_));
    }

private:
    constexpr explicit EventMask(std::uint8_t bits) noexcept : bits_(bits) {}
    std::uint8_t bits_ = 0;
};

/// The union of two kinds.
constexpr EventMask operator|(EventKind a, EventKind b) noexcept { return EventMask(a) | EventMask(b); }

/// Receives the events of a run as they happen, e.g. to print a trace or record
/// provenance. Every method does nothing by default. Called on the thread that runs the
/// session. The views passed are valid only during the call.
///
/// From inside a call an observer may read the session it observes (facts, fact,
/// count_facts, query) but not change or run it: the change or run is refused with an
/// error and changes nothing, since the session is in the middle of one already.
///
/// An observer declares the kinds of event it wants when it is constructed (all by
/// default); the engine builds and sends no event of the other kinds, so an observer that
/// needs only assertions, retractions and firings does not pay for activations.
class DEMARCHE_API Observer {
public:
    /// `events`: the kinds of event this observer is sent.
    explicit Observer(EventMask events = EventMask::all()) noexcept : events_(events) {}
    virtual ~Observer() = default;
    Observer(const Observer&) = default;
    Observer& operator=(const Observer&) = default;

    /// The kinds of event this observer is sent; fixed at construction.
    EventMask events() const noexcept { return events_; }
    /// Is this observer sent events of `kind`?
    bool wants(EventKind kind) const noexcept { return events_.has(kind); }

    /// A fact entered working memory (input, rule action or modify).
    virtual void on_assert(const FactView& /*fact*/) {}
    /// A fact left working memory (retract, modify, or lost logical support).
    virtual void on_retract(const FactView& /*fact*/) {}
    /// An activation joined the agenda.
    virtual void on_activate(const ActivationView& /*activation*/) {}
    /// An activation left the agenda without firing (its match went away).
    virtual void on_deactivate(const ActivationView& /*activation*/) {}
    /// The `number`-th firing of the session (counting from 1) starts.
    virtual void on_fire(std::uint64_t /*number*/, const ActivationView& /*activation*/) {}
    /// A rule printed `line` (also collected in RunResult::output).
    virtual void on_print(const std::string& /*line*/) {}

private:
    EventMask events_;
};

/// Options of one run. Every limit is checked between firings (and between the initial
/// facts), never during one, so a run stops with each firing either done or not begun;
/// a run stopped by a limit while activations remain is incomplete.
struct RunOptions {
    Strategy strategy = Strategy::Depth;
    /// Stop after this many firings.
    std::optional<std::uint64_t> max_fires;
    /// Stop once this much time has passed since the run began (measured on
    /// std::chrono::steady_clock; a value too large to add to it means no limit).
    std::optional<std::chrono::nanoseconds> timeout;
    /// Stop once more than this many facts are present in working memory. The last firing
    /// completes, so the count may exceed the limit by the facts that firing asserted.
    std::optional<std::uint64_t> max_facts;
    /// Not owned; may be null. Polled between firings: once it reads true, the run stops
    /// as Interrupted. It may be set from another thread or from a signal handler
    /// (std::atomic<bool> is lock-free on every platform Demarche builds on). Must outlive
    /// the run.
    const std::atomic<bool>* cancel = nullptr;
    /// Not owned; may be null. Must outlive the run.
    Observer* observer = nullptr;
};

/// Why a run ended.
enum class StopReason {
    Completed,     ///< the agenda is empty
    Halted,        ///< a rule ran `halt`
    FireLimit,     ///< RunOptions::max_fires firings happened and activations remain
    Timeout,       ///< RunOptions::timeout passed
    FactLimit,     ///< more than RunOptions::max_facts facts are present
    Interrupted,   ///< RunOptions::cancel was set
    RuntimeError,  ///< a rule failed; see RunResult::error
};

/// "completed", "halted", "fire_limit", "timeout", "fact_limit", "interrupted",
/// "runtime_error": the `stop_reason` of the JSON renderings.
DEMARCHE_API std::string_view to_string(StopReason reason) noexcept;

/// What one call of Session::run did.
struct RunResult {
    std::uint64_t fired = 0;  ///< firings of this call
    StopReason stop_reason = StopReason::Completed;
    bool halted = false;    ///< a rule ran `halt`: stop_reason is Halted
    /// stop_reason is Completed or Halted; false when a limit, an interruption or a
    /// runtime error stopped the run before the agenda was empty.
    bool complete = true;
    std::vector<std::string> output;  ///< lines printed by `print` during this call, in order
    /// A runtime error (division by zero, overflow, type mismatch) that stopped the run;
    /// its message names the rule, its location points at the failing expression.
    std::optional<Diagnostic> error;
};

/// The answers to a query: one row per match, values in the order of `variables`.
struct QueryResult {
    std::vector<std::string> variables;      ///< names without `?`, parameters first
    std::vector<std::vector<Value>> rows;    ///< ordered by the ids of the matched facts
    std::optional<std::string> error;        ///< unknown query or unusable argument
};

/// Field values by name, in any order: `{{"kind", Symbol::intern("treaty")}, {"price", 3}}`.
using FieldValues = std::vector<std::pair<std::string, Value>>;

/// The outcome of a change to a session's facts: a fact id, or why nothing changed.
struct FactResult {
    FactId id = 0;                     ///< the fact asserted, kept, retracted or made; 0 on error
    std::optional<std::string> error;  ///< set when nothing changed
    /// True when the change was made.
    bool ok() const noexcept { return !error.has_value(); }
};

/// The outcome of asserting a whole fact set into a session.
struct FactsAsserted {
    std::vector<FactId> ids;           ///< per fact of the set, in order (an existing id for a duplicate)
    std::optional<std::string> error;  ///< set when the set was refused or a runtime error stopped it
    /// True when every fact was asserted.
    bool ok() const noexcept { return !error.has_value(); }
};

/// A working memory over a compiled program that you keep feeding: assert, retract and
/// modify facts, run the rules, read the facts and query them, as often as you like.
/// Not thread-safe: use one session per thread at a time (the program may be shared).
///
/// Fact changes are inputs, as facts from fact files are: not derived, and held
/// unconditionally (truth maintenance never retracts them). Changes propagate at once
/// (activations join the agenda) but nothing fires until the next `run()`. The initial
/// facts (the program's `facts` blocks, then the FactSet given here) are asserted by the
/// first `run()` or the first change, whichever comes first, so they always get the
/// first ids. A runtime error (in a run, or in a `where` test reached by a change) ends
/// the session: later changes and runs report it and change nothing; facts(), fact()
/// and query() still read the state it left.
class DEMARCHE_API Session {
public:
    /// `facts` (may be null) is asserted after the program's own `facts` blocks.
    explicit Session(ProgramPtr program, std::shared_ptr<const FactSet> facts = nullptr);
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    /// Fires rules until the agenda is empty, a rule halts, the fire limit is reached or a
    /// runtime error occurs; the first call asserts the initial facts first. May be called
    /// any number of times: each call continues with the activations waiting (also after
    /// a `halt` or a limit) and the facts changed since, and its RunResult counts the
    /// firings and holds the printed lines *of that call* (`max_fires` too is per call).
    /// The strategy may differ from one call to the next.
    RunResult run(const RunOptions& options = {});

    /// Asserts a fact of template `template_name` from C++ values, checked as a fact file
    /// would be: the template and every named field exist, each field is given once,
    /// each value fits its field's type (an int given for a float field becomes a float),
    /// fields left out take their defaults (one without a default must be given). A fact
    /// equal to one present (same template and values) is not asserted again: its id
    /// comes back (and if it rested only on logical support, it is now held as an input
    /// too). Errors (with "did you mean" for names) leave the session unchanged.
    FactResult assert_fact(std::string_view template_name, const FieldValues& fields);

    /// Asserts every fact of `facts` (from load_facts, parse_facts or make_facts for this
    /// session's program) in order. A set made for another program is refused whole.
    FactsAsserted assert_facts(const FactSet& facts);

    /// Retracts fact `id` (input or derived; the facts it supported logically may follow).
    /// An error for an id never given or already retracted.
    FactResult retract(FactId id);

    /// Replaces fact `id` by a copy with `changes` applied (named fields, checked as in
    /// assert_fact), like the language's `modify`: the old fact is retracted and the new
    /// one asserted with a new id (or the id of an equal fact already present), which the
    /// result holds. Errors for an unknown or retracted id or a bad change change nothing.
    FactResult modify(FactId id, const FieldValues& changes);

    /// The facts present now, in id order.
    std::vector<FactInfo> facts() const;

    /// The number of facts present now (as `facts().size()`), and of those derived.
    FactCounts count_facts() const noexcept;

    /// Fact `id` if it is present now.
    std::optional<FactInfo> fact(FactId id) const;

    /// Evaluates query `name` over the facts present now. `args` are the parameter values
    /// as text; each is read according to the type of the field the parameter is bound to
    /// (a symbol, a string without quotes, a number, `true`/`false`).
    QueryResult query(std::string_view name, const std::vector<std::string>& args) const;

    /// Sets the observer of the changes above and of runs whose RunOptions name no
    /// observer (null: none). Borrowed: it must outlive its use by this session. Set it
    /// before the first change or run to see the initial facts asserted.
    void set_observer(Observer* observer) noexcept;

    /// The runtime error that ended the session, if one did.
    std::optional<Diagnostic> failure() const;

    /// The program this session runs.
    const ProgramPtr& program() const noexcept { return program_; }

private:
    ProgramPtr program_;
    std::unique_ptr<engine::Engine> engine_;
};

}  // namespace demarche
