// The engine behind demarche::Session: working memory, network, agenda, the fire loop,
// actions and truth maintenance.
#pragma once

#include "agenda.hpp"
#include "evaluator.hpp"
#include "network.hpp"
#include "working_memory.hpp"

#include <demarche/compile.hpp>
#include <demarche/session.hpp>

#include <deque>
#include <memory>
#include <optional>

namespace demarche::engine {

class Engine final : private MatchListener {
public:
    Engine(ProgramPtr program, std::shared_ptr<const FactSet> facts);
    ~Engine();

    /// Asserts the initial facts, then fires until done; see Session::run.
    RunResult run(const RunOptions& options);

    std::vector<FactInfo> facts() const;
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

private:
    void on_match(std::uint32_t spec, Token& token) override;
    void on_unmatch(std::uint32_t spec, Token& token) override;

    Fact* assert_fact(dsl::TemplateId tmpl, std::vector<Value> values, bool derived, Activation* support);
    void retract_fact(Fact& fact);
    void settle();
    void fire_one(Activation& a);
    void release(Activation& a);

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
    std::vector<Activation*> free_activations_;
    Activation* firing_ = nullptr;
    std::deque<FactId> unsupported_;
    std::vector<std::string> output_;
    bool halted_ = false;
    bool started_ = false;
};

}  // namespace demarche::engine
