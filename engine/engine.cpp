// The fire loop, the actions of a rule's right-hand side, and truth maintenance.
#include "engine.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <limits>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

namespace demarche::engine {

namespace {

namespace v2 = boost::variant2;

std::vector<RuleSpec> rule_specs(const dsl::Program& p) {
    std::vector<RuleSpec> specs;
    for (const dsl::Rule& r : p.rules) specs.push_back({&r.conditions, r.variables.size()});
    return specs;
}

/// Variables of a firing activation, read from its matched facts by depth.
class ChainVars final : public VariableSource {
public:
    ChainVars(const std::vector<Binding>& bindings, const std::vector<const Fact*>& chain)
        : bindings_(bindings), chain_(chain) {}
    Value value(dsl::VarSlot slot) const override {
        const Binding& b = bindings_.at(slot);
        const Fact* f = fact_of(b);
        if (!f) throw std::logic_error("action reads a variable bound to no fact");
        if (b.whole_fact) return Value(Symbol::intern("f-" + std::to_string(f->id)));
        return f->values[b.field];
    }

    const Value* stored(dsl::VarSlot slot) const noexcept override {
        if (slot >= bindings_.size() || bindings_[slot].whole_fact) return nullptr;
        const Fact* f = fact_of(bindings_[slot]);
        return f ? &f->values[bindings_[slot].field] : nullptr;
    }

private:
    const Fact* fact_of(const Binding& b) const noexcept {
        return b.bound && b.depth < chain_.size() ? chain_[b.depth] : nullptr;
    }

    const std::vector<Binding>& bindings_;
    const std::vector<const Fact*>& chain_;
};

/// A query's matches: the tokens at its terminal node (a `not` in the query can take
/// one back as later facts arrive).
class MatchCollector final : public MatchListener {
public:
    void on_match(std::uint32_t, Token& token) override { matches.insert(&token); }
    void on_unmatch(std::uint32_t, Token& token) override { matches.erase(&token); }
    std::unordered_set<const Token*> matches;
};

/// The value of a literal, or of a variable bound to a field, where it is stored: most
/// asserted values are one or the other, and copying them in place of evaluate()'s
/// result saves a dispatch and a move. Null for anything to evaluate.
const Value* plain_value(const dsl::Expr& e, const ChainVars& vars) noexcept {
    if (e.kind == dsl::Expr::Kind::Literal) return &e.literal;
    if (e.kind == dsl::Expr::Kind::Variable) return vars.stored(e.var);
    return nullptr;
}

/// An expression that may have an integer program (rhs_programs_): a unary or binary
/// operation.
bool is_arithmetic(const dsl::Expr& e) noexcept {
    return e.kind == dsl::Expr::Kind::Unary || e.kind == dsl::Expr::Kind::Binary;
}

/// The value of a field that is neither a literal nor a field (those, most values, are
/// copied in place): the expression's program when it has one and decides, else the
/// general evaluation (which also raises the errors).
Value computed(const dsl::Expr& e, const std::optional<IntProgram>& program,
               const std::vector<const Fact*>& chain, const ChainVars& vars) {
    if (program) {
        auto fact_at = [&](std::uint32_t d) { return d < chain.size() ? chain[d] : nullptr; };
        if (std::optional<std::int64_t> r = program->run(fact_at)) return Value(*r);
    }
    return evaluate(e, vars);
}

[[noreturn, gnu::cold]] void wrong_kind(const dsl::Template& t, const dsl::Field& f, const Value& v, const dsl::Expr& e) {
    throw EvalError{"field '" + f.name + "' of '" + t.name + "' is " + std::string(dsl::to_string(f.type)) + ", got " +
                        std::string(kind_name(kind_of(v))),
                    e.range, std::nullopt};
}

/// Checks a value computed for a field and converts an int to float for a float field.
/// The message is built apart (wrong_kind) so that the check, run on every asserted
/// value, is small enough to inline.
[[gnu::always_inline]] inline void fit_field(const dsl::Template& t, dsl::FieldIndex i, Value& v, const dsl::Expr& e) {
    const dsl::Field& f = t.fields.at(i);
    if (!dsl::accepts(f.type, kind_of(v))) wrong_kind(t, f, v, e);
    if (f.type == dsl::FieldType::Float && kind_of(v) == ValueKind::Int)
        v = Value(static_cast<double>(v2::get<std::int64_t>(v)));
}

}  // namespace

Engine::Engine(ProgramPtr program, std::shared_ptr<const FactSet> facts)
    : program_(std::move(program)), input_(std::move(facts)), specs_(rule_specs(*program_)),
      network_(*program_, specs_, *this, wm_.records()) {
    slots_.reserve(specs_.size());
    for (std::uint32_t spec = 0; spec < specs_.size(); ++spec) {
        Slots& slots = slots_.emplace_back();
        slots.by_depth.assign(network_.terminal_depth(spec) + 1, -1);
        const std::vector<std::uint32_t>& positions = network_.positions(spec);
        for (std::uint32_t i = 0; i < positions.size(); ++i) {
            if (positions[i] == 0)
                slots.without_level.push_back(i);
            else
                slots.by_depth[positions[i]] = static_cast<std::int32_t>(i);
        }
    }
    // Arithmetic on right-hand sides runs as the `where` tests' programs do: through the
    // expression tree it was Waltz 50 cubes' 1.9 % (four edge directions a firing of
    // reverse_edges).
    rhs_programs_.resize(program_->rules.size());
    for (std::uint32_t r = 0; r < program_->rules.size(); ++r) {
        for (const dsl::Action& act : program_->rules[r].actions) {
            std::vector<std::optional<IntProgram>>& programs = rhs_programs_[r].emplace_back();
            auto add = [&](const dsl::Expr& e) {
                programs.push_back(is_arithmetic(e) ? IntProgram::compile_value(e, network_.bindings(r))
                                                    : std::nullopt);
            };
            if (act.kind == dsl::Action::Kind::Assert)
                for (const dsl::Expr& e : act.values) add(e);
            else if (act.kind == dsl::Action::Kind::Modify)
                for (const auto& change : act.changes) add(change.second);
        }
    }
    const bool logical = std::any_of(program_->rules.begin(), program_->rules.end(), [](const dsl::Rule& r) {
        return std::any_of(r.actions.begin(), r.actions.end(), [](const dsl::Action& a) { return a.logical; });
    });
    may_hold_ = !logical && !network_.may_raise();
}

Engine::~Engine() = default;

void Engine::start() {
    if (started_) return;
    started_ = true;
    network_.start();
}

// ---- working memory changes; each assertion or retraction is one moment

Fact* Engine::assert_fact(dsl::TemplateId tmpl, std::span<Value> values, bool derived, Activation* support) {
    std::size_t h = WorkingMemory::hash_of(tmpl, values);
    if (Fact* existing = wm_.find(tmpl, values, h)) return assert_existing(*existing, support);
    return assert_added(wm_.add(tmpl, values, h), derived, support);
}

void Engine::assert_initial(const dsl::InitialFact& fact) {
    // The program and the input fact set live as long as the engine, so the working
    // memory borrows their values instead of copying a million of them.
    std::size_t h = WorkingMemory::hash_of(fact.tmpl, fact.values);
    if (Fact* existing = wm_.find(fact.tmpl, fact.values, h))
        assert_existing(*existing, nullptr);
    else
        assert_added(wm_.add_borrowed(fact.tmpl, fact.values, h), false, nullptr);
}

Fact* Engine::assert_existing(Fact& existing, Activation* support) {
    if (support) {
        // Each support is an entry in a live activation's list: 2^27 of them would take
        // gigabytes before the count ran out.
        if (existing.support == Fact::max_support)
            throw std::length_error("more than 2^27 - 1 logical supports of one fact");
        ++existing.support;
        support->supports.push_back(existing.id);
    } else {
        existing.unconditional = true;
    }
    return &existing;
}

Fact* Engine::assert_added(Fact& f, bool derived, Activation* support) {
    ++moment_;
    f.derived = derived;
    f.unconditional = support == nullptr;
    if (support) {
        f.support = 1;
        support->supports.push_back(f.id);
    }
    if (observer_ && observer_->wants(EventKind::Assert)) observer_->on_assert(view(f, f.derived ? ChangeOrigin::Rule : ChangeOrigin::Input));
    if (holding_) {
        f.held = true;
        held_.push_back({&f, moment_});
    } else {
        network_.assert_fact(f);
    }
    return &f;
}

void Engine::retract_fact(Fact& f, ChangeOrigin origin) {
    if (!f.alive) return;
    ++moment_;
    wm_.remove(f);
    if (observer_ && observer_->wants(EventKind::Retract)) observer_->on_retract(view(f, origin));
    // Retracting a fact of a not/exists can make a match, which must find the network as
    // it was at this moment.
    if (f.held || network_.grouped(f.tmpl)) push_held();
    network_.retract_fact(f);
    retracted_.push_back(&f);
}

// A firing's assertions wait for its end, or for a retraction that needs them in the
// network first, and its other retractions go through the network at once. Miss Manners'
// find_seating modifies `count`, then the `context` every find_seating match joins: in
// written order the new count fact remakes all those matches and the context change then
// removes them all again; with the count's assertion held back it meets no context.
//
// Nothing can tell, under the conditions fire() holds in. Retracting a fact that no
// not/exists matches only takes matches away, so done early it removes matches the
// written order would have removed later; the matches made by a held assertion at the end
// are those the written order made at its moment and kept, made with that moment. Only
// the activations made and removed within the firing, which nobody sees (they are
// deferred, see on_match), and the creation sequence, which decides nothing between two
// different matches, differ. Two things could tell and rule holding out: a logical
// support lost at a different point of the firing would retract its fact at a different
// moment, and a `where` test met by a match the written order makes and drops could raise
// an error the held order never raises.
void Engine::push_held() {
    const std::uint64_t now = moment_;
    for (const Held& h : held_) {
        if (!h.fact->held) continue;
        h.fact->held = false;
        moment_ = h.moment;
        network_.assert_fact(*h.fact);
    }
    held_.clear();
    moment_ = now;
}

// A long run that modifies facts would otherwise keep every version's values and record
// (Waltz 800 cubes: 19 MiB of values for 24,000 facts alive at the end).
void Engine::reclaim_retracted() {
    for (Fact* f : retracted_) wm_.reclaim(*f);
    retracted_.clear();
}

// Facts that lost their last logical support are retracted once the change that
// removed it has finished propagating, each as its own moment.
void Engine::settle() {
    while (!unsupported_.empty()) {
        Fact* f = wm_.get(unsupported_.front());
        unsupported_.pop_front();
        if (f && f->alive && f->support == 0 && !f->unconditional) retract_fact(*f, ChangeOrigin::Support);
    }
    // A firing's later actions may read the facts its earlier ones retracted; fire()
    // reclaims them when the firing is over.
    if (!firing_) reclaim_retracted();
}

FactId Engine::assert_input(dsl::TemplateId tmpl, std::vector<Value> values) {
    start();
    Fact* f = assert_fact(tmpl, values, false, nullptr);
    settle();
    return f->id;
}

void Engine::retract(FactId id) {
    if (Fact* f = wm_.get(id)) retract_fact(*f, ChangeOrigin::Input);
    settle();
}

// ---- the agenda side of the network

void Engine::on_match(std::uint32_t spec, Token& token) {
    Activation* a;
    if (free_activations_.empty()) agenda_.reclaim(free_activations_);
    if (free_activations_.empty())
        a = &activations_.emplace_back();
    else
        a = &free_activations_.pop();  // release() emptied its supports but kept their capacity
    const dsl::Rule& rule = program_->rules[spec];
    a->rule = spec;
    a->salience = rule.salience;
    a->moment = moment_;
    a->sequence = ++sequence_;
    a->token = &token;
    token.payload = a;
    // A match made by a firing often goes again before the firing is over (Miss Manners:
    // modifying `count` remakes every find_seating match, modifying `context` then
    // removes them all, half of its 172,000 activations). Unless an observer watches
    // activations come and go, such an activation waits for the end of the firing
    // (flush_deferred) to be queued; its moment and sequence, taken now, keep its place.
    if (firing_ && !(observer_ && observer_->wants(EventKind::Activate))) {
        a->deferred = true;
        deferred_.push_back(a);
        return;
    }
    queue(*a);
}

void Engine::queue(Activation& a) {
    // One walk up the token chain fills the positions: the join order need not be the
    // order of the conditions, so each depth knows its position.
    const std::vector<std::int32_t>& slots = slots_[a.rule].by_depth;
    std::span<FactId> ids = a.ids.reset(static_cast<std::uint32_t>(network_.positions(a.rule).size()));
    for (std::uint32_t i : slots_[a.rule].without_level) ids[i] = 0;
    const Token* t = a.token;
    for (std::size_t d = slots.size() - 1; d > 0; --d, t = network_.parent(*t))
        if (const std::int32_t slot = slots[d]; slot >= 0) ids[static_cast<std::size_t>(slot)] = t->fact ? t->fact->id : 0;
    a.ids.sort_recency();
    agenda_.add(a);
    if (observer_ && observer_->wants(EventKind::Activate)) observer_->on_activate(view(a));
}

void Engine::flush_deferred() {
    for (Activation* a : deferred_) {
        a->deferred = false;
        if (a->token)
            queue(*a);
        else
            release(*a);
    }
    deferred_.clear();
}

void Engine::on_unmatch(std::uint32_t, Token& token) {
    auto* a = static_cast<Activation*>(token.payload);
    if (!a) return;  // fired, supporting nothing: already recycled
    a->token = nullptr;
    if (a->deferred) return;  // flush_deferred recycles it
    const bool queued = a->queued;
    if (queued) {
        // The agenda recycles it (reclaim) once its entry is gone.
        agenda_.remove(*a);
        if (observer_ && observer_->wants(EventKind::Deactivate)) observer_->on_deactivate(view(*a));
    }
    for (FactId id : a->supports) {
        Fact* f = wm_.get(id);
        if (f && --f->support == 0 && !f->unconditional && f->alive) unsupported_.push_back(id);
    }
    a->supports.clear();
    if (!queued && a != firing_) release(*a);
}

void Engine::release(Activation& a) {
    a.supports.clear();
    free_activations_.push(a);
}

// ---- firing

const std::optional<IntProgram>& Engine::rhs_program(std::uint32_t rule, const dsl::Action& act,
                                                     std::size_t i) const {
    const std::size_t action = static_cast<std::size_t>(&act - program_->rules[rule].actions.data());
    return rhs_programs_[rule][action][i];
}

void Engine::fire_one(Activation& a) {
    const dsl::Rule& rule = program_->rules[a.rule];
    const std::vector<Binding>& bindings = network_.bindings(a.rule);
    std::uint32_t depth = network_.terminal_depth(a.rule);
    std::vector<const Fact*>& chain = fire_chain_;
    chain.assign(depth + 1, nullptr);
    const Token* t = a.token;
    for (std::uint32_t d = depth; d > 0; --d, t = network_.parent(*t)) chain[d] = t->fact;
    ChainVars vars(bindings, chain);

    for (const dsl::Action& act : rule.actions) {
        switch (act.kind) {
        case dsl::Action::Kind::Assert: {
            const dsl::Template& tmpl = program_->templates.at(act.tmpl);
            std::vector<Value>& values = fire_values_;
            values.clear();
            for (std::size_t i = 0; i < act.values.size(); ++i) {
                if (const Value* plain = plain_value(act.values[i], vars))
                    values.push_back(*plain);
                else
                    values.push_back(computed(act.values[i], rhs_program(a.rule, act, i), chain, vars));
                fit_field(tmpl, static_cast<dsl::FieldIndex>(i), values.back(), act.values[i]);
            }
            // A logical assertion whose match is already gone has no support to rest on.
            if (act.logical && !a.token) break;
            assert_fact(act.tmpl, values, true, act.logical ? &a : nullptr);
            break;
        }
        case dsl::Action::Kind::Retract: {
            const Fact* f = chain.at(bindings.at(act.target).depth);
            if (Fact* live = wm_.get(f->id); live && live->alive) retract_fact(*live, ChangeOrigin::Rule);
            break;
        }
        case dsl::Action::Kind::Modify: {
            const Fact* old = chain.at(bindings.at(act.target).depth);
            const dsl::Template& tmpl = program_->templates.at(old->tmpl);
            std::vector<Value>& values = fire_values_;
            values.assign(old->values.begin(), old->values.end());
            for (std::size_t i = 0; i < act.changes.size(); ++i) {
                const auto& [field, e] = act.changes[i];
                if (const Value* plain = plain_value(e, vars))
                    values.at(field) = *plain;
                else
                    values.at(field) = computed(e, rhs_program(a.rule, act, i), chain, vars);
                fit_field(tmpl, field, values[field], e);
            }
            Fact* live = wm_.get(old->id);
            if (!live || !live->alive) break;  // already retracted by an earlier action
            retract_fact(*live, ChangeOrigin::Rule);
            settle();
            assert_fact(old->tmpl, values, true, nullptr);
            break;
        }
        case dsl::Action::Kind::Print: {
            std::string line;
            for (const dsl::Expr& e : act.values) line += to_display(evaluate(e, vars));
            if (observer_ && observer_->wants(EventKind::Print)) observer_->on_print(line);
            output_.push_back(std::move(line));
            break;
        }
        case dsl::Action::Kind::Halt: halted_ = true; break;
        }
        settle();
    }
}

std::uint64_t Engine::fire(std::uint64_t limit) {
    start();
    // An observer of activations would see them come and go at other points.
    const bool hold = may_hold_ && !(observer_ && (observer_->wants(EventKind::Activate) ||
                                                   observer_->wants(EventKind::Deactivate)));
    std::uint64_t n = 0;
    while (n < limit && !halted_ && !agenda_.empty()) {
        // Between firings, so a limit never leaves a firing half done.
        if ((stopped_ = limit_reached())) break;
        Activation& a = agenda_.pop();
        ++n;
        ++fired_;
        if (observer_ && observer_->wants(EventKind::Fire)) observer_->on_fire(fired_, view(a));
        firing_ = &a;
        holding_ = hold;
        try {
            fire_one(a);
        } catch (EvalError& e) {
            if (!e.rule) e.rule = a.rule;
            push_held();  // the firing's changes stand, and so do their matches
            holding_ = false;
            firing_ = nullptr;
            flush_deferred();
            throw;
        }
        push_held();
        holding_ = false;
        firing_ = nullptr;
        flush_deferred();
        reclaim_retracted();
        // A fired activation stays only to hold the facts it supports logically; one
        // that supports nothing is recycled now (closure 8,000: 2.6M of them), with its
        // terminal token, which nothing reads any more.
        if (a.token && a.supports.empty()) {
            Token* t = a.token;
            t->payload = nullptr;
            a.token = nullptr;
            network_.drop_match(*t);
        }
        if (!a.token) release(a);
    }
    return n;
}

void Engine::load() {
    start();
    // Resumable: a limit may stop the run between two initial facts; the next run or
    // change goes on from there, so the initial facts still get the first ids.
    const std::size_t own = program_->initial_facts.size();
    const std::size_t total = own + (input_ ? input_->facts.size() : 0);
    while (loaded_ < total) {
        if ((stopped_ = limit_reached())) return;
        const dsl::InitialFact& f = loaded_ < own ? program_->initial_facts[loaded_] : input_->facts[loaded_ - own];
        ++loaded_;
        assert_initial(f);
        settle();
    }
}

std::optional<StopReason> Engine::limit_reached() const {
    if (limits_.cancel && limits_.cancel->load(std::memory_order_relaxed)) return StopReason::Interrupted;
    if (limits_.max_facts && wm_.alive() > *limits_.max_facts) return StopReason::FactLimit;
    if (limits_.deadline && std::chrono::steady_clock::now() >= *limits_.deadline) return StopReason::Timeout;
    return std::nullopt;
}

Engine::Limits Engine::limits_of(const RunOptions& options) {
    Limits limits{std::nullopt, options.max_facts, options.cancel};
    if (options.timeout) {
        using Clock = std::chrono::steady_clock;
        const Clock::time_point now = Clock::now();
        // A timeout too large to add to the clock is no limit at all.
        if (*options.timeout <= std::chrono::nanoseconds::zero())
            limits.deadline = now;
        else if (std::chrono::duration_cast<Clock::duration>(*options.timeout) < Clock::time_point::max() - now)
            limits.deadline = now + std::chrono::duration_cast<Clock::duration>(*options.timeout);
    }
    return limits;
}

RunResult Engine::run(const RunOptions& options) {
    RunResult result;
    if (failure_) {
        result.complete = false;
        result.stop_reason = StopReason::RuntimeError;
        result.error = failure_;
        return result;
    }
    if (busy_) {
        // Refused, not failed: the session goes on once the call returns.
        result.complete = false;
        result.stop_reason = StopReason::RuntimeError;
        result.error = Diagnostic{Severity::Error, std::string(busy_message), {}, {}};
        return result;
    }
    Busy busy(busy_);
    // Activations left by a halt or a limit keep waiting, in the order of this run.
    agenda_.set_strategy(options.strategy);
    observer_ = options.observer ? options.observer : default_observer_;
    halted_ = false;
    output_.clear();
    const std::uint64_t fired_before = fired_;
    try {
        limits_ = limits_of(options);
        stopped_.reset();
        load();
        if (!stopped_) fire(options.max_fires.value_or(std::numeric_limits<std::uint64_t>::max()));
        // The fire limit stopped the run only if something was left to fire.
        result.stop_reason = stopped_   ? *stopped_
                             : halted_  ? StopReason::Halted
                             : agenda_.empty() ? StopReason::Completed
                                               : StopReason::FireLimit;
        result.complete = result.stop_reason == StopReason::Completed || result.stop_reason == StopReason::Halted;
    } catch (const EvalError& e) {
        result.complete = false;
        result.stop_reason = StopReason::RuntimeError;
        result.error = to_diagnostic(e);
        failure_ = result.error;
    }
    result.fired = fired_ - fired_before;
    result.halted = halted_;
    limits_ = {};
    result.output = std::move(output_);
    output_.clear();
    observer_ = default_observer_;
    return result;
}

void Engine::set_observer(Observer* observer) noexcept {
    default_observer_ = observer;
    observer_ = observer;
}

std::string Engine::check_present(FactId id) const {
    const Fact* f = wm_.get(id);
    if (id < 1 || id > wm_.issued()) return "there is no fact f-" + std::to_string(id);
    if (!f || !f->alive) return "fact f-" + std::to_string(id) + " was retracted";
    return "";
}

Diagnostic Engine::to_diagnostic(const EvalError& e) const {
    Diagnostic d;
    d.severity = Severity::Error;
    std::string who = e.rule && *e.rule < program_->rules.size()
                          ? "rule '" + program_->rules[*e.rule].name + "'"
                          : std::string("a rule");
    d.message = "runtime error in " + who + ": " + e.message;
    d.location = program_->sources->locate(e.range);
    return d;
}

// ---- views

FactView Engine::view(const Fact& f, ChangeOrigin origin) const {
    return {*program_, f.id, f.tmpl, f.values, f.derived, origin};
}

ActivationView Engine::view(const Activation& a) const { return {*program_, a.rule, a.facts()}; }

FactInfo Engine::info(const Fact& f) const { return view(f, ChangeOrigin::Input).info(); }

ActivationInfo Engine::info(const Activation& a) const { return view(a).info(); }

std::vector<FactInfo> Engine::facts() const {
    std::vector<FactInfo> out;
    for (FactId id = 1; id <= wm_.issued(); ++id)
        if (const Fact* f = wm_.get(id); f && f->alive) out.push_back(info(*f));
    return out;
}

FactCounts Engine::count_facts() const noexcept {
    FactCounts counts;
    for (FactId id = 1; id <= wm_.issued(); ++id) {
        const Fact* f = wm_.get(id);
        counts.present += f && f->alive;
        counts.derived += f && f->alive && f->derived;
    }
    return counts;
}

std::optional<FactInfo> Engine::fact(FactId id) const {
    const Fact* f = wm_.get(id);
    if (!f || !f->alive) return std::nullopt;
    return info(*f);
}

std::vector<ActivationInfo> Engine::pending() const {
    std::vector<ActivationInfo> out;
    for (const Activation* a : agenda_.in_order()) out.push_back(info(*a));
    return out;
}

// ---- queries

namespace {

std::optional<Value> read_arg(const std::string& text, dsl::FieldType type) {
    auto read_int = [&]() -> std::optional<Value> {
        std::int64_t i = 0;
        auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), i);
        if (ec != std::errc{} || p != text.data() + text.size()) return std::nullopt;
        return Value(i);
    };
    auto read_float = [&]() -> std::optional<Value> {
        if (text.empty()) return std::nullopt;
        char* end = nullptr;
        double d = std::strtod(text.c_str(), &end);
        if (end != text.c_str() + text.size()) return std::nullopt;
        return Value(d);
    };
    auto read_bool = [&]() -> std::optional<Value> {
        if (text == "true") return Value(true);
        if (text == "false") return Value(false);
        return std::nullopt;
    };
    switch (type) {
    case dsl::FieldType::Symbol: return Value(Symbol::intern(text));
    case dsl::FieldType::String: return Value(text);
    case dsl::FieldType::Int: return read_int();
    case dsl::FieldType::Float: return read_float();
    case dsl::FieldType::Bool: return read_bool();
    case dsl::FieldType::Any:
        if (auto v = read_int()) return v;
        if (auto v = read_float()) return v;
        if (auto v = read_bool()) return v;
        if (text.size() >= 2 && text.front() == '"' && text.back() == '"')
            return Value(text.substr(1, text.size() - 2));
        return Value(Symbol::intern(text));
    }
    return std::nullopt;
}

struct ParamValues {
    const std::vector<dsl::VarSlot>& params;
    const std::vector<Value>& values;
    const Value* find(dsl::VarSlot s) const {
        for (std::size_t i = 0; i < params.size(); ++i)
            if (params[i] == s) return &values[i];
        return nullptr;
    }
};

void substitute(dsl::Expr& e, const ParamValues& pv) {
    if (e.kind == dsl::Expr::Kind::Variable) {
        if (const Value* v = pv.find(e.var)) {
            e.kind = dsl::Expr::Kind::Literal;
            e.literal = *v;
        }
    }
    for (dsl::Expr& a : e.args) substitute(a, pv);
}

// Parameters become literals: a query runs as a one-off rule over the current facts.
void substitute(std::vector<dsl::Condition>& conds, const ParamValues& pv) {
    for (dsl::Condition& c : conds) {
        substitute(c.test, pv);
        substitute(c.group, pv);
        for (dsl::FieldTest& t : c.pattern.tests) {
            if (t.kind == dsl::FieldTest::Kind::Bind) {
                if (const Value* v = pv.find(t.slot)) {
                    t.kind = dsl::FieldTest::Kind::Compare;
                    t.op = dsl::CompareOp::Eq;
                    t.operands = {*v};
                }
                continue;
            }
            for (dsl::Operand& o : t.operands)
                if (auto* r = v2::get_if<dsl::VarRef>(&o))
                    if (const Value* v = pv.find(r->slot)) o = *v;
        }
    }
}

std::optional<dsl::FieldType> param_type(const dsl::Program& p, const std::vector<dsl::Condition>& conds,
                                         dsl::VarSlot slot) {
    for (const dsl::Condition& c : conds) {
        if (c.kind != dsl::Condition::Kind::Pattern) continue;
        for (const dsl::FieldTest& t : c.pattern.tests)
            if (t.kind == dsl::FieldTest::Kind::Bind && t.slot == slot)
                return p.templates.at(c.pattern.tmpl).fields.at(t.field).type;
    }
    return std::nullopt;
}

}  // namespace

QueryResult Engine::query(std::string_view name, const std::vector<std::string>& args) const {
    QueryResult result;
    auto it = program_->query_ids.find(name);
    if (it == program_->query_ids.end()) {
        result.error = "unknown query '" + std::string(name) + "'";
        return result;
    }
    const dsl::Query& q = program_->queries[it->second];
    if (args.size() != q.params.size()) {
        result.error = "query '" + q.name + "' takes " + std::to_string(q.params.size()) + " argument" +
                       (q.params.size() == 1 ? "" : "s") + ", got " + std::to_string(args.size());
        return result;
    }
    std::vector<Value> values;
    for (std::size_t i = 0; i < args.size(); ++i) {
        dsl::FieldType type = param_type(*program_, q.conditions, q.params[i]).value_or(dsl::FieldType::Any);
        std::optional<Value> v = read_arg(args[i], type);
        if (!v) {
            result.error = "argument '" + args[i] + "' for ?" + q.variables.at(q.params[i]).name + " is not " +
                           (type == dsl::FieldType::Int ? "an int" : "a " + std::string(dsl::to_string(type)));
            return result;
        }
        values.push_back(std::move(*v));
    }
    ParamValues pv{q.params, values};
    std::vector<dsl::Condition> conds = q.conditions;
    substitute(conds, pv);

    // Which variables the answer shows: parameters, then values bound at the top level.
    std::vector<dsl::VarSlot> shown = q.params;
    for (const dsl::Condition& c : q.conditions) {
        if (c.kind != dsl::Condition::Kind::Pattern) continue;
        for (const dsl::FieldTest& t : c.pattern.tests)
            if (t.kind == dsl::FieldTest::Kind::Bind && !pv.find(t.slot) &&
                std::find(shown.begin(), shown.end(), t.slot) == shown.end())
                shown.push_back(t.slot);
    }
    for (dsl::VarSlot s : shown) result.variables.push_back(q.variables.at(s).name);

    MatchCollector listener;
    FactRecords copies;  // the query network links its own tokens into facts
    Network net(*program_, {RuleSpec{&conds, q.variables.size()}}, listener, copies);
    net.start();
    for (FactId id = 1; id <= wm_.issued(); ++id) {
        const Fact* f = wm_.get(id);
        if (!f || !f->alive) continue;
        const std::uint32_t place = copies.add();
        Fact& c = *copies.at(place);
        c.place = place;
        c.id = f->id;
        c.tmpl = f->tmpl;
        c.values = f->values;
        try {
            net.assert_fact(c);
        } catch (const EvalError& e) {
            result.error = "runtime error in query '" + q.name + "': " + e.message;
            return result;
        }
    }
    std::uint32_t depth = net.terminal_depth(0);
    std::vector<std::pair<std::vector<FactId>, std::vector<Value>>> rows;
    for (const Token* t : listener.matches) {
        std::vector<FactId> ids;
        for (std::uint32_t d : net.positions(0)) {
            const Fact* f = net.fact_at(t, depth, d);
            ids.push_back(f ? f->id : 0);
        }
        std::vector<Value> row;
        for (dsl::VarSlot s : shown) {
            if (const Value* v = pv.find(s)) {
                row.push_back(*v);
                continue;
            }
            const Binding& b = net.bindings(0).at(s);
            row.push_back(net.fact_at(t, depth, b.depth)->values[b.field]);
        }
        rows.emplace_back(std::move(ids), std::move(row));
    }
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::unordered_multimap<std::size_t, std::size_t> seen;  // row hash -> index in result.rows
    for (auto& match : rows) {
        const std::vector<Value>& row = match.second;
        std::size_t h = WorkingMemory::hash_of(0, row);
        auto [first, last] = seen.equal_range(h);
        bool duplicate = std::any_of(first, last, [&](const auto& entry) {
            const std::vector<Value>& r = result.rows[entry.second];
            return std::equal(r.begin(), r.end(), row.begin(), row.end(), same_value);
        });
        if (duplicate) continue;
        seen.emplace(h, result.rows.size());
        result.rows.push_back(row);
    }
    return result;
}

}  // namespace demarche::engine
