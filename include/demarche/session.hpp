// Running a checked program: a Session owns one working memory and one Rete network,
// runs the rules to quiescence, then lists facts and answers queries.
#pragma once

#include <demarche/compile.hpp>
#include <demarche/diagnostic.hpp>
#include <demarche/export.hpp>
#include <demarche/value.hpp>

#include <cstdint>
#include <memory>
#include <optional>
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

/// `offer(kind: peace_treaty, legally_binding: true)`: values in source form.
DEMARCHE_API std::string format_fact(const FactInfo& fact);

/// An activation: a rule and the facts that matched its conditions, in condition order.
struct ActivationInfo {
    std::string rule;
    std::vector<FactId> facts;  ///< 0 for a `not` or `exists` condition
};

/// `rule: f-1,f-2,*` as in a CLIPS watch trace.
DEMARCHE_API std::string format_activation(const ActivationInfo& activation);

/// Receives the events of a run as they happen, e.g. to print a trace. Every method does
/// nothing by default. Called on the thread that runs the session.
class DEMARCHE_API Observer {
public:
    virtual ~Observer() = default;
    /// A fact entered working memory (input, rule action or modify).
    virtual void on_assert(const FactInfo& /*fact*/) {}
    /// A fact left working memory (retract, modify, or lost logical support).
    virtual void on_retract(const FactInfo& /*fact*/) {}
    /// An activation joined the agenda.
    virtual void on_activate(const ActivationInfo& /*activation*/) {}
    /// An activation left the agenda without firing (its match went away).
    virtual void on_deactivate(const ActivationInfo& /*activation*/) {}
    /// The `number`-th firing of the run (counting from 1) starts.
    virtual void on_fire(std::uint64_t /*number*/, const ActivationInfo& /*activation*/) {}
    /// A rule printed `line` (also collected in RunResult::output).
    virtual void on_print(const std::string& /*line*/) {}
};

/// Options of one run.
struct RunOptions {
    Strategy strategy = Strategy::Depth;
    /// Stop after this many firings; the run is then incomplete if activations remain.
    std::optional<std::uint64_t> max_fires;
    /// Not owned; may be null. Must outlive the run.
    Observer* observer = nullptr;
};

/// What a run did.
struct RunResult {
    std::uint64_t fired = 0;
    bool halted = false;    ///< a rule ran `halt`
    bool complete = true;   ///< false when the fire limit or a runtime error stopped the run
    std::vector<std::string> output;  ///< lines printed by `print`, in order
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

/// One run of a program over its initial facts. Not thread-safe; use one session per
/// thread (the program itself may be shared).
class DEMARCHE_API Session {
public:
    /// `facts` (may be null) is asserted after the program's own `facts` blocks.
    explicit Session(ProgramPtr program, std::shared_ptr<const FactSet> facts = nullptr);
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    /// Asserts the initial facts and fires rules until the agenda is empty, a rule halts,
    /// the fire limit is reached or a runtime error occurs. Call once per session.
    RunResult run(const RunOptions& options = {});

    /// The facts present now, in id order.
    std::vector<FactInfo> facts() const;

    /// Evaluates query `name` over the facts present now. `args` are the parameter values
    /// as text; each is read according to the type of the field the parameter is bound to
    /// (a symbol, a string without quotes, a number, `true`/`false`).
    QueryResult query(std::string_view name, const std::vector<std::string>& args) const;

private:
    std::unique_ptr<engine::Engine> engine_;
};

}  // namespace demarche
