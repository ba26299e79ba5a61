// The engine behind demarche::Session: working memory, network, agenda, the fire loop,
// actions and truth maintenance.
#pragma once

#include "agenda.hpp"
#include "evaluator.hpp"
#include "int_program.hpp"
#include "network.hpp"
#include "working_memory.hpp"

#include <demarche/compile.hpp>
#include <demarche/session.hpp>

#include <atomic>
#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <string_view>

namespace demarche::engine {

class Engine final : private MatchListener {
public:
    Engine(ProgramPtr program, std::shared_ptr<const FactSet> facts);
    ~Engine();

    /// Fires until done; the first call (or the first change, whichever comes first)
    /// asserts the initial facts. See Session::run.
    RunResult run(const RunOptions& options);

    const dsl::Program& program() const noexcept { return *program_; }
    /// Asserts the program's `facts` blocks, then the input FactSet; only the first call
    /// does anything. Throws EvalError.
    void load();
    /// Observes changes made between runs, and runs whose options name no observer.
    /// Borrowed; may be null.
    void set_observer(Observer* observer) noexcept;
    /// The runtime error that ended the session: afterwards nothing changes any more.
    const std::optional<Diagnostic>& failure() const noexcept { return failure_; }
    /// Runs `body` (a change by Session through assert_input and retract, returning a
    /// FactResult) after loading the initial facts. A runtime error while propagating (a
    /// `where` test) ends the session and becomes the result's error.
    template <typename F>
    FactResult change(F&& body) {
        if (failure_) return {0, "the session stopped on a runtime error: " + failure_->message};
        if (busy_) return {0, std::string(busy_message)};
        Busy busy(busy_);
        try {
            load();
            return body();
        } catch (const EvalError& e) {
            failure_ = to_diagnostic(e);
            return {0, failure_->message};
        }
    }
    /// "" when `id` names a present fact, else why not.
    std::string check_present(FactId id) const;

    std::vector<FactInfo> facts() const;
    FactCounts count_facts() const noexcept;
    std::optional<FactInfo> fact(FactId id) const;
    QueryResult query(std::string_view name, const std::vector<std::string>& args) const;

    // Direct access for tests and embedders of the engine itself. They throw EvalError
    // only through where tests.
    /// Asserts a fact as an input would be (not derived, unconditional); returns its id,
    /// or the id of the equal fact already present.
    FactId assert_input(dsl::TemplateId tmpl, std::vector<Value> values);
    /// Retracts a fact if it is present.
    void retract(FactId id);
    /// Creates the root token; call once before asserting anything.
    void start();
    /// Fires up to `limit` activations; returns the number fired.
    std::uint64_t fire(std::uint64_t limit);
    const WorkingMemory& memory() const noexcept { return wm_; }
    const Agenda& agenda() const noexcept { return agenda_; }
    const Network& network() const noexcept { return network_; }
    /// The agenda's activations in firing order (for tests and traces).
    std::vector<ActivationInfo> pending() const;
    /// Activation records ever allocated (live, fired or waiting for reuse).
    std::size_t activations_allocated() const noexcept { return activations_.size(); }

private:
    static constexpr std::string_view busy_message =
        "the session is in the middle of a run or change: an observer may read it, not change or run it";
    /// Marks a run or change in progress for its scope.
    struct Busy {
        explicit Busy(bool& flag) noexcept : flag_(flag) { flag_ = true; }
        ~Busy() { flag_ = false; }
        Busy(const Busy&) = delete;
        Busy& operator=(const Busy&) = delete;
        bool& flag_;
    };

    void on_match(std::uint32_t spec, Token& token) override;
    void on_unmatch(std::uint32_t spec, Token& token) override;

    /// Asserts (tmpl, values) unless an equal fact is present; a new fact takes the
    /// values, leaving them moved-from.
    Fact* assert_fact(dsl::TemplateId tmpl, std::span<Value> values, bool derived, Activation* support);
    /// An initial fact: its values stay where the program or the input fact set hold them.
    void assert_initial(const dsl::InitialFact& fact);
    /// The rest of an assertion once the duplicate check is done: `existing` or `added`.
    Fact* assert_existing(Fact& existing, Activation* support);
    Fact* assert_added(Fact& added, bool derived, Activation* support);
    void retract_fact(Fact& fact, ChangeOrigin origin);
    void settle();
    /// Gives back the values of the facts retracted since the last call.
    void reclaim_retracted();
    void fire_one(Activation& a);
    /// The program of the `i`th value (assert) or change (modify) of `act`, an action of
    /// rule `rule`.
    const std::optional<IntProgram>& rhs_program(std::uint32_t rule, const dsl::Action& act, std::size_t i) const;
    void release(Activation& a);
    /// Fills an activation's fact ids and puts it on the agenda.
    void queue(Activation& a);
    /// Queues the activations made during the firing just over whose match is still
    /// there, and recycles the others.
    void flush_deferred();
    /// Pushes the held assertions through the network, each at its own moment.
    void push_held();

    /// The limits of the run in progress; empty between runs, so changes never stop.
    struct Limits {
        std::optional<std::chrono::steady_clock::time_point> deadline;
        std::optional<std::uint64_t> max_facts;
        const std::atomic<bool>* cancel = nullptr;
    };
    /// The limit that says stop now, if any; read between firings and initial facts.
    std::optional<StopReason> limit_reached() const;
    static Limits limits_of(const RunOptions& options);

    // What observers see: views, built on the stack, with names looked up only on demand.
    FactView view(const Fact& f, ChangeOrigin origin) const;
    ActivationView view(const Activation& a) const;
    FactInfo info(const Fact& f) const;
    ActivationInfo info(const Activation& a) const;
    Diagnostic to_diagnostic(const EvalError& e) const;

    ProgramPtr program_;
    std::shared_ptr<const FactSet> input_;
    std::vector<RuleSpec> specs_;
    WorkingMemory wm_;
    Network network_;
    Agenda agenda_;
    Observer* observer_ = nullptr;
    std::uint64_t moment_ = 0;
    std::uint64_t sequence_ = 0;
    std::uint64_t fired_ = 0;
    std::deque<Activation> activations_;
    FreeActivations free_activations_;
    Activation* firing_ = nullptr;
    std::vector<Activation*> deferred_;  ///< made during the firing in progress
    /// Whether a firing may hold its assertions back (see push_held): no `where` test, no
    /// logical assertion.
    bool may_hold_ = false;
    bool holding_ = false;  ///< the firing in progress holds its assertions back
    struct Held {
        Fact* fact;
        std::uint64_t moment;  ///< of the assertion
    };
    std::vector<Held> held_;
    // fire_one's scratch, kept to save two allocations a firing: the matched facts by
    // depth, and the values of a fact being asserted.
    std::vector<const Fact*> fire_chain_;
    std::vector<Value> fire_values_;
    /// Per spec: by token depth, the condition position whose fact that level adds, or
    /// -1; and the not/exists positions that have no level (Network::positions).
    struct Slots {
        std::vector<std::int32_t> by_depth;
        std::vector<std::uint32_t> without_level;
    };
    std::vector<Slots> slots_;
    /// Per rule, per action, per value of an `assert` or change of a `modify`: the
    /// integer program of a unary or binary expression, or null (rhs_program).
    std::vector<std::vector<std::vector<std::optional<IntProgram>>>> rhs_programs_;
    std::deque<FactId> unsupported_;
    /// Retracted facts whose values the firing or change in progress may still read.
    std::vector<Fact*> retracted_;
    std::vector<std::string> output_;
    bool halted_ = false;
    bool started_ = false;
    std::size_t loaded_ = 0;  ///< initial facts asserted so far
    Limits limits_;
    std::optional<StopReason> stopped_;  ///< the limit that stopped the run in progress
    Observer* default_observer_ = nullptr;
    std::optional<Diagnostic> failure_;
    /// A run or change is in progress: an observer it calls must not start another, which
    /// would find activations deferred, assertions held and a firing half done.
    bool busy_ = false;
};

}  // namespace demarche::engine
