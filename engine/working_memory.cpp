// Working memory: facts by id plus a hash index over (template, values).
#include "working_memory.hpp"

namespace demarche::engine {

std::size_t WorkingMemory::hash_of(dsl::TemplateId tmpl, const std::vector<Value>& values) noexcept {
    std::size_t h = std::hash<std::uint32_t>{}(tmpl) + 0x9e3779b97f4a7c15ULL;
    for (const Value& v : values) h ^= hash_value(v) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    return h;
}

Fact* WorkingMemory::find(dsl::TemplateId tmpl, const std::vector<Value>& values,
                          std::size_t hash) const {
    auto [it, end] = index_.equal_range(hash);
    for (; it != end; ++it) {
        Fact* f = it->second;
        if (f->tmpl != tmpl || f->values.size() != values.size()) continue;
        bool same = true;
        for (std::size_t i = 0; same && i < values.size(); ++i) same = same_value(f->values[i], values[i]);
        if (same) return f;
    }
    return nullptr;
}

Fact& WorkingMemory::add(dsl::TemplateId tmpl, std::vector<Value> values, std::size_t hash) {
    Fact& f = facts_.emplace_back();
    f.id = facts_.size();
    f.tmpl = tmpl;
    f.values = std::move(values);
    f.hash = hash;
    index_.emplace(hash, &f);
    ++alive_;
    return f;
}

void WorkingMemory::remove(Fact& fact) {
    if (!fact.alive) return;
    fact.alive = false;
    --alive_;
    auto [it, end] = index_.equal_range(fact.hash);
    for (; it != end; ++it) {
        if (it->second == &fact) {
            index_.erase(it);
            return;
        }
    }
}

}  // namespace demarche::engine
