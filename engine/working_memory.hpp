// Working memory: the facts by id, and the duplicate index that makes asserting an
// existing fact a no-op. Ids count from 1 and are never reused.
#pragma once

#include "dsl/program.hpp"

#include <demarche/value.hpp>

#include <cstdint>
#include <deque>
#include <unordered_map>
#include <vector>

namespace demarche::engine {

using FactId = std::uint64_t;
struct Token;

/// One fact. Facts are never freed during a session (a retracted fact keeps its values,
/// so an activation that retracted a fact can still read it), and never move.
struct Fact {
    FactId id = 0;
    dsl::TemplateId tmpl = 0;
    std::vector<Value> values;  ///< one per field, in template order
    std::size_t hash = 0;       ///< of template and values, for the duplicate index
    bool alive = true;
    bool derived = false;        ///< asserted by a rule
    bool unconditional = false;  ///< asserted without `logical`: truth maintenance keeps it
    std::uint32_t support = 0;   ///< number of logical supports (activations)
    Token* tokens = nullptr;     ///< tokens that end in this fact (intrusive list)
    std::vector<std::uint32_t> alpha;  ///< alpha memories holding it
};

class WorkingMemory {
public:
    /// Hash of a fact's identity, consistent with `same_value`.
    static std::size_t hash_of(dsl::TemplateId tmpl, const std::vector<Value>& values) noexcept;

    /// The live fact equal to (tmpl, values), if any.
    Fact* find(dsl::TemplateId tmpl, const std::vector<Value>& values, std::size_t hash) const;

    /// Adds a new fact (the caller checked for duplicates) with the next id.
    Fact& add(dsl::TemplateId tmpl, std::vector<Value> values, std::size_t hash);

    /// Marks a fact retracted and drops it from the duplicate index.
    void remove(Fact& fact);

    /// The fact with id `id`, alive or not; null for an id never given.
    Fact* get(FactId id) {
        return id >= 1 && id <= facts_.size() ? &facts_[id - 1] : nullptr;
    }
    const Fact* get(FactId id) const {
        return id >= 1 && id <= facts_.size() ? &facts_[id - 1] : nullptr;
    }
    /// Number of ids handed out so far (alive or not).
    std::size_t issued() const noexcept { return facts_.size(); }
    std::size_t alive() const noexcept { return alive_; }

private:
    std::deque<Fact> facts_;  // facts_[id - 1]
    std::unordered_multimap<std::size_t, Fact*> index_;
    std::size_t alive_ = 0;
};

}  // namespace demarche::engine
