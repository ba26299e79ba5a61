// `why-not`: for a fact that did not follow, each rule that could have asserted it, how
// far its conditions got over the final facts, and the first one that failed.
#include "record.hpp"

#include "engine/evaluator.hpp"

#include <algorithm>
#include <memory>
#include <set>

namespace demarche::explain {

namespace {

namespace v2 = boost::variant2;
using Json = nlohmann::ordered_json;

/// Fact tests one rule's search may make; a search that runs out says so.
constexpr std::uint64_t search_budget = 2'000'000;
/// `--depth` beyond this is taken as this: each level multiplies the output.
constexpr unsigned max_depth = 8;

enum class Reason { NoFact, FieldMismatch, NotBlocked, ExistsUnmet, WhereFalse, WhereError, AllHeld, SearchLimit };

const char* reason_name(Reason r) {
    switch (r) {
    case Reason::NoFact: return "no_fact";
    case Reason::FieldMismatch: return "field_mismatch";
    case Reason::NotBlocked: return "not_blocked";
    case Reason::ExistsUnmet: return "exists_unmet";
    case Reason::WhereFalse: return "where_false";
    case Reason::WhereError: return "where_error";
    case Reason::AllHeld: return "all_held";
    case Reason::SearchLimit: return "search_limit";
    }
    return "?";
}

struct Held {
    std::size_t index = 0;  ///< condition number, from 1
    std::string text;
    FactId fact = 0;
};

struct Analysis;

struct Failure {
    Reason reason = Reason::NoFact;
    std::size_t index = 0;  ///< condition number, from 1
    std::string text;       ///< the condition, bound variables substituted
    std::vector<std::string> details;  ///< one line each
    FactId candidate = 0;              ///< FieldMismatch: the closest fact
    struct FieldMiss {
        std::string field, value, needed;
    };
    std::vector<FieldMiss> mismatches;  ///< the closest fact's failed tests
    std::vector<FactId> blocking;      ///< NotBlocked
    std::optional<dsl::Pattern> missing;  ///< a pattern no fact matched, to look into
    std::unique_ptr<Analysis> deeper;
    std::string note;  ///< why `deeper` is absent, when it matters
};

struct RuleAnalysis {
    const dsl::Rule* rule = nullptr;
    std::string asserts;  ///< the action, as written
    std::vector<Held> held;
    Bindings bindings;
    Failure failure;
};

struct Analysis {
    std::string pattern;
    std::string tmpl;  ///< the template's name
    std::vector<FactId> present;
    std::vector<FactId> retracted;
    std::vector<RuleAnalysis> rules;
    std::vector<std::string> cannot;  ///< rules asserting the template, but never a match
    bool derivable = false;           ///< some rule asserts the template at all
};

std::string needed_text(const dsl::FieldTest& t, const std::vector<dsl::VariableInfo>& vars, const Bindings& b) {
    auto operand = [&](const dsl::Operand& o) {
        if (const Value* v = v2::get_if<Value>(&o)) return to_source(*v);
        dsl::VarSlot s = v2::get<dsl::VarRef>(o).slot;
        std::string name = "?" + (s < vars.size() ? vars[s].name : std::string("_"));
        return s < b.size() && b[s] ? to_source(*b[s]) + " (" + name + ")" : name;
    };
    switch (t.kind) {
    case dsl::FieldTest::Kind::Bind: {
        std::string name = "?" + (t.slot < vars.size() ? vars[t.slot].name : std::string("_"));
        return t.slot < b.size() && b[t.slot] ? to_source(*b[t.slot]) + " (" + name + ")" : name;
    }
    case dsl::FieldTest::Kind::Compare:
        if (t.operands.empty()) return "?";
        if (t.op == dsl::CompareOp::Eq) return operand(t.operands[0]);
        return "a value " + std::string(dsl::to_string(t.op)) + " " + operand(t.operands[0]);
    case dsl::FieldTest::Kind::Member: {
        std::string out = "one of [";
        for (std::size_t i = 0; i < t.operands.size(); ++i) out += (i ? ", " : "") + operand(t.operands[i]);
        return out + "]";
    }
    }
    return "?";
}

/// The pattern with every bound variable replaced by its value: what a missing fact
/// would have to look like.
dsl::Pattern substituted(const dsl::Pattern& p, const Bindings& b) {
    dsl::Pattern out = p;
    out.fact_var.reset();
    for (dsl::FieldTest& t : out.tests) {
        if (t.kind == dsl::FieldTest::Kind::Bind) {
            if (t.slot < b.size() && b[t.slot]) {
                t.kind = dsl::FieldTest::Kind::Compare;
                t.op = dsl::CompareOp::Eq;
                t.operands = {*b[t.slot]};
            }
            continue;
        }
        for (dsl::Operand& o : t.operands)
            if (auto* r = v2::get_if<dsl::VarRef>(&o))
                if (r->slot < b.size() && b[r->slot]) o = *b[r->slot];
    }
    return out;
}

class WhyNot {
public:
    WhyNot(const RecordedRun& run, unsigned depth) : run_(run), p_(run.prog()), depth_(std::min(depth, max_depth)) {}

    std::unique_ptr<Analysis> analyse(const dsl::Pattern& pattern, const std::vector<dsl::VariableInfo>& vars,
                                      unsigned level) {
        auto a = std::make_unique<Analysis>();
        a->pattern = pattern_text(p_, pattern, vars, {});
        a->tmpl = p_.templates.at(pattern.tmpl).name;
        seen_.insert(a->pattern);
        for (const FactRecord& f : run_.facts) {
            if (f.id == 0 || f.tmpl != pattern.tmpl) continue;
            Bindings b(vars.size());
            if (!match_pattern(pattern, f, b).empty()) continue;
            (f.removed_at == 0 ? a->present : a->retracted).push_back(f.id);
        }
        if (!a->present.empty()) return a;
        for (const dsl::Rule& rule : p_.rules) {
            for (const dsl::Action& act : rule.actions) {
                bool asserting = act.kind == dsl::Action::Kind::Assert || act.kind == dsl::Action::Kind::Modify;
                if (!asserting || act.tmpl != pattern.tmpl) continue;
                a->derivable = true;
                Bindings seed(rule.variables.size());
                std::string written = action_text(rule, act);
                if (!compatible(pattern, vars, rule, act, seed)) {
                    a->cannot.push_back(rule.name + " " + written);
                    continue;
                }
                a->rules.push_back(analyse_rule(rule, written, std::move(seed), level));
                break;  // one entry per rule, for its first fitting action
            }
        }
        return a;
    }

    const RecordedRun& run() const { return run_; }

private:
    std::string action_text(const dsl::Rule& rule, const dsl::Action& act) const {
        const dsl::Template& t = p_.templates.at(act.tmpl);
        std::string out;
        if (act.kind == dsl::Action::Kind::Modify) {
            out = "modifies ?" + rule.variables.at(act.target).name + "(";
            for (std::size_t i = 0; i < act.changes.size(); ++i)
                out += (i ? ", " : "") + t.fields.at(act.changes[i].first).name + ": " +
                       expr_text(act.changes[i].second, rule.variables, {});
            return out + ")";
        }
        out = std::string("asserts ") + (act.logical ? "logical " : "") + t.name + "(";
        for (std::size_t i = 0; i < act.values.size() && i < t.fields.size(); ++i)
            out += (i ? ", " : "") + t.fields[i].name + ": " + expr_text(act.values[i], rule.variables, {});
        return out + ")";
    }

    /// Could `act` produce a fact matching `pattern`? Fields the action sets to a literal
    /// must pass the pattern's tests; a field set to a plain variable takes the value the
    /// pattern asks for (seeded into the rule's bindings), so the search looks for the
    /// very fact that is missing.
    bool compatible(const dsl::Pattern& pattern, const std::vector<dsl::VariableInfo>& vars, const dsl::Rule& rule,
                    const dsl::Action& act, Bindings& seed) const {
        Bindings tb(vars.size());
        // `modify` keeps the fields it does not change: the pattern that matched the
        // modified fact says what they can be.
        const dsl::Pattern* source = nullptr;
        if (act.kind == dsl::Action::Kind::Modify)
            for (const dsl::Condition& c : rule.conditions)
                if (c.kind == dsl::Condition::Kind::Pattern && c.pattern.fact_var == act.target) source = &c.pattern;
        for (const dsl::FieldTest& t : pattern.tests) {
            const dsl::Expr* e = nullptr;
            if (act.kind == dsl::Action::Kind::Assert) {
                if (t.field < act.values.size()) e = &act.values[t.field];
            } else {
                for (const auto& [field, expr] : act.changes)
                    if (field == t.field) e = &expr;
            }
            if (!e && source) {
                for (const dsl::FieldTest& kept : source->tests) {
                    if (kept.field != t.field || kept.kind != dsl::FieldTest::Kind::Compare ||
                        kept.op != dsl::CompareOp::Eq || kept.operands.empty())
                        continue;
                    const Value* v = v2::get_if<Value>(&kept.operands[0]);
                    Bindings probe = tb;
                    if (v && !test_holds_value(t, *v, probe)) return false;
                }
            }
            if (!e) continue;
            if (e->kind == dsl::Expr::Kind::Literal) {
                if (!test_holds_value(t, e->literal, tb)) return false;
            } else if (e->kind == dsl::Expr::Kind::Variable && e->var < seed.size() &&
                       !rule.variables.at(e->var).is_fact && t.kind == dsl::FieldTest::Kind::Compare &&
                       t.op == dsl::CompareOp::Eq && !t.operands.empty()) {
                if (const Value* v = v2::get_if<Value>(&t.operands[0])) {
                    if (seed[e->var] && !same_value(*seed[e->var], *v)) return false;
                    seed[e->var] = *v;
                }
            }
        }
        return true;
    }

    struct Search {
        const dsl::Rule* rule = nullptr;
        FactsAt view;
        std::uint64_t budget = search_budget;
        long best = -1;  // conditions held on the best branch
        RuleAnalysis result;
        bool done = false;
        std::vector<Held> held;
    };

    RuleAnalysis analyse_rule(const dsl::Rule& rule, std::string written, Bindings seed, unsigned level) {
        Search s;
        s.rule = &rule;
        s.view = FactsAt{&run_, 0};
        s.result.rule = &rule;
        s.result.asserts = std::move(written);
        dfs(s, 0, seed);
        if (s.budget == 0 && !s.done) {
            s.result.failure.reason = Reason::SearchLimit;
            s.result.failure.details.push_back("the search gave up after " + std::to_string(search_budget) +
                                               " fact tests; the partial match shown is the longest found");
        }
        Failure& f = s.result.failure;
        if (f.missing) {
            std::string text = pattern_text(p_, *f.missing, rule.variables, {});
            bool derivable = std::any_of(p_.rules.begin(), p_.rules.end(), [&](const dsl::Rule& other) {
                return std::any_of(other.actions.begin(), other.actions.end(), [&](const dsl::Action& act) {
                    return (act.kind == dsl::Action::Kind::Assert || act.kind == dsl::Action::Kind::Modify) &&
                           act.tmpl == f.missing->tmpl;
                });
            });
            if (!derivable)
                f.note = p_.templates.at(f.missing->tmpl).name + " facts are only given, never derived by a rule";
            else if (seen_.count(text))
                f.note = "why " + text + " did not follow is shown above";
            else if (level < depth_)
                f.deeper = analyse(*f.missing, rule.variables, level + 1);
            else
                f.note = "--depth " + std::to_string(depth_) + " reached; run why-not on " + text + " to go further";
        }
        return std::move(s.result);
    }

    void fail(Search& s, std::size_t i, const Bindings& b, Failure f) {
        if (static_cast<long>(i) <= s.best) return;
        s.best = static_cast<long>(i);
        f.index = i + 1;
        // A `where` is shown as written; its details give the values it was false with.
        const dsl::Condition& c = s.rule->conditions[i];
        f.text = condition_text(p_, c, s.rule->variables, c.kind == dsl::Condition::Kind::Where ? Bindings{} : b);
        s.result.held = s.held;
        s.result.bindings = b;
        s.result.failure = std::move(f);
    }

    /// Why no fact of `pat` matched under `b`: none of the template, or the closest one.
    Failure pattern_failure(const dsl::Pattern& pat, const std::vector<dsl::VariableInfo>& vars, const Bindings& b,
                            Reason if_mismatch) {
        Failure f;
        f.missing = substituted(pat, b);
        std::vector<const FactRecord*> facts = FactsAt{&run_, 0}.of_template(pat.tmpl);
        const std::string& name = p_.templates.at(pat.tmpl).name;
        if (facts.empty()) {
            f.reason = Reason::NoFact;
            f.details.push_back("there is no " + name + " fact");
            return f;
        }
        f.reason = if_mismatch;
        const FactRecord* best = nullptr;
        std::size_t best_miss = 0;
        for (const FactRecord* c : facts) {
            Bindings nb = b;
            std::size_t miss = match_pattern(pat, *c, nb).size();
            if (!best || miss < best_miss) {
                best = c;
                best_miss = miss;
            }
        }
        f.candidate = best->id;
        std::string count = std::to_string(facts.size()) + " " + name + " fact" + (facts.size() == 1 ? "" : "s");
        f.details.push_back(count + (facts.size() == 1 ? " exists" : " exist") + ", but none matches; the closest is " +
                            fact_line(p_, *best) + ":");
        // Each failed test is judged with the bindings made before it, as the matcher did.
        Bindings replay = b;
        for (const dsl::FieldTest& t : pat.tests) {
            Bindings before = replay;
            if (test_holds(t, *best, replay)) continue;
            const dsl::Template& tm = p_.templates.at(pat.tmpl);
            f.mismatches.push_back(
                {tm.fields.at(t.field).name, to_source(best->values[t.field]), needed_text(t, vars, before)});
        }
        return f;
    }

    void dfs(Search& s, std::size_t i, Bindings& b) {
        if (s.done || s.budget == 0) return;
        const dsl::Rule& rule = *s.rule;
        if (i == rule.conditions.size()) {
            s.done = true;
            Failure f;
            f.reason = Reason::AllHeld;
            all_held(s, b, f);
            s.best = static_cast<long>(i);
            s.result.held = s.held;
            s.result.bindings = b;
            f.index = 0;
            s.result.failure = std::move(f);
            return;
        }
        const dsl::Condition& c = rule.conditions[i];
        switch (c.kind) {
        case dsl::Condition::Kind::Pattern: {
            bool any = false;
            for (const FactRecord* f : s.view.of_template(c.pattern.tmpl)) {
                if (s.budget == 0 || s.done) return;
                --s.budget;
                Bindings nb = b;
                if (!match_pattern(c.pattern, *f, nb).empty()) continue;
                any = true;
                s.held.push_back({i + 1, pattern_text(p_, c.pattern, rule.variables, {}), f->id});
                dfs(s, i + 1, nb);
                s.held.pop_back();
            }
            if (!any && s.budget > 0) fail(s, i, b, pattern_failure(c.pattern, rule.variables, b, Reason::FieldMismatch));
            return;
        }
        case dsl::Condition::Kind::Not: {
            Bindings inner = b;
            std::vector<FactId> found;
            if (find_match(c.group, 0, s.view, inner, found, s.budget)) {
                if (static_cast<long>(i) <= s.best) return;
                Failure f;
                f.reason = Reason::NotBlocked;
                for (FactId id : found)
                    if (id) {
                        f.blocking.push_back(id);
                        f.details.push_back("blocked by " + fact_line(p_, *run_.fact(id)));
                    }
                fail(s, i, b, std::move(f));
                return;
            }
            s.held.push_back({i + 1, condition_text(p_, c, rule.variables, b), 0});
            dfs(s, i + 1, b);
            s.held.pop_back();
            return;
        }
        case dsl::Condition::Kind::Exists: {
            Bindings inner = b;
            std::vector<FactId> found;
            if (!find_match(c.group, 0, s.view, inner, found, s.budget)) {
                if (static_cast<long>(i) <= s.best || s.budget == 0) return;
                Failure f;
                if (c.group.size() == 1 && c.group[0].kind == dsl::Condition::Kind::Pattern) {
                    f = pattern_failure(c.group[0].pattern, rule.variables, b, Reason::ExistsUnmet);
                } else {
                    f.details.push_back("nothing matches it");
                }
                f.reason = f.reason == Reason::NoFact ? Reason::NoFact : Reason::ExistsUnmet;
                fail(s, i, b, std::move(f));
                return;
            }
            FactId witness = 0;
            for (FactId id : found)
                if (id && !witness) witness = id;
            s.held.push_back({i + 1, condition_text(p_, c, rule.variables, b), witness});
            dfs(s, i + 1, b);
            s.held.pop_back();
            return;
        }
        case dsl::Condition::Kind::Where: {
            WhereOutcome o = evaluate_where(c.test, b);
            if (o.holds) {
                s.held.push_back({i + 1, condition_text(p_, c, rule.variables, {}), 0});
                dfs(s, i + 1, b);
                s.held.pop_back();
                return;
            }
            if (static_cast<long>(i) <= s.best) return;
            Failure f;
            std::vector<dsl::VarSlot> used;
            expr_variables(c.test, used);
            Bindings shown(b.size());
            for (dsl::VarSlot v : used)
                if (v < shown.size()) shown[v] = b[v];
            std::string with = bindings_text(rule.variables, shown);
            std::string test = condition_text(p_, c, rule.variables, {});
            if (o.error) {
                f.reason = Reason::WhereError;
                f.details.push_back(test + " could not be evaluated" + (with.empty() ? "" : " with " + with) + ": " +
                                    *o.error);
            } else {
                f.reason = Reason::WhereFalse;
                f.details.push_back(test + " is false" + (with.empty() ? "" : " with " + with));
            }
            fail(s, i, b, std::move(f));
            return;
        }
        }
    }

    /// Every condition holds: say whether the rule fired on these facts, and what it asserted.
    void all_held(const Search& s, const Bindings& b, Failure& f) {
        std::vector<FactId> facts;
        for (const Held& h : s.held)
            if (s.rule->conditions[h.index - 1].kind != dsl::Condition::Kind::Where)
                facts.push_back(s.rule->conditions[h.index - 1].kind == dsl::Condition::Kind::Pattern ? h.fact : 0);
        const FiringRecord* fired = nullptr;
        for (const FiringRecord& fr : run_.firings)
            if (fr.rule == s.rule->id && std::ranges::equal(fr.facts, facts)) fired = &fr;
        if (fired) {
            f.details.push_back("every condition holds, and the rule fired on these facts (firing " +
                                std::to_string(fired->number) + "); what it asserted did not last or was a different fact");
        } else {
            f.details.push_back("every condition holds, but no firing of the rule on these facts changed anything: "
                                "it fired when an equal fact was already present, or the run stopped first "
                                "(fire limit, halt or a runtime error)");
        }
        std::string with = bindings_text(s.rule->variables, b);
        if (!with.empty()) f.details.push_back("with " + with);
    }

    const RecordedRun& run_;
    const dsl::Program& p_;
    unsigned depth_;
    std::set<std::string> seen_;
};

// ---- rendering

std::string count_rules(std::size_t n) {
    static const char* const words[] = {"No rules", "One rule", "Two rules", "Three rules", "Four rules",
                                        "Five rules", "Six rules", "Seven rules", "Eight rules", "Nine rules"};
    return n < 10 ? std::string(words[n]) : std::to_string(n) + " rules";
}

void text_analysis(const WhyNot& w, const Analysis& a, const std::string& indent, bool top, std::string& out) {
    const RecordedRun& run = w.run();
    const dsl::Program& p = run.prog();
    if (!a.present.empty()) {
        for (FactId id : a.present)
            out += indent + fact_line(p, *run.fact(id)) + " is present; `demarche why` explains it.\n";
        return;
    }
    out += indent + "No fact matches " + a.pattern + (top ? " at the end of the run" : "") + ".\n";
    constexpr std::size_t shown_retracted = 10;  // a long modify chain would list thousands
    for (std::size_t i = 0; i < a.retracted.size() && i < shown_retracted; ++i) {
        const FactRecord& f = *run.fact(a.retracted[i]);
        out += indent + "  " + fact_line(p, f) + " matched, but was " + removal_text(run, f) + ".\n";
    }
    if (a.retracted.size() > shown_retracted)
        out += indent + "  ... and " + std::to_string(a.retracted.size() - shown_retracted) +
               " more that matched and were removed.\n";
    if (!a.derivable) {
        out += indent + "No rule asserts " + a.tmpl +
               " facts: they can only be given (in a facts block or a fact file).\n";
        return;
    }
    if (a.rules.empty()) {
        out += indent + "No rule can assert a fact that matches:\n";
        for (const std::string& c : a.cannot) out += indent + "  " + c + "\n";
        return;
    }
    out += indent + count_rules(a.rules.size()) + " could assert one:\n";
    for (const RuleAnalysis& r : a.rules) {
        out += "\n" + indent + "- rule " + rule_heading(run, *r.rule) + "\n";
        std::string in = indent + "  ";
        if (!r.rule->description.empty()) out += in + "\"" + r.rule->description + "\"\n";
        out += in + r.asserts + "\n";
        if (!r.held.empty()) {
            out += in + "held:\n";
            for (const Held& h : r.held) {
                out += in + "  " + std::to_string(h.index) + ". " + h.text;
                if (const FactRecord* f = run.fact(h.fact)) out += "  by " + fact_line(p, *f);
                out += "\n";
            }
        }
        const Failure& f = r.failure;
        if (f.reason == Reason::AllHeld) {
            for (const std::string& d : f.details) out += in + d + "\n";
            continue;
        }
        std::string with = bindings_text(r.rule->variables, r.bindings);
        if (!with.empty() && f.index) out += in + "with " + with + "\n";
        if (f.index) out += in + "failed: " + std::to_string(f.index) + ". " + f.text + "\n";
        for (const std::string& d : f.details) out += in + "  " + d + "\n";
        for (const Failure::FieldMiss& m : f.mismatches)
            out += in + "    field " + m.field + " is " + m.value + " where " + m.needed + " was needed\n";
        if (!f.note.empty()) out += in + "  (" + f.note + ")\n";
        if (f.deeper) {
            out += in + "  Could it have been derived?\n";
            text_analysis(w, *f.deeper, in + "    ", false, out);
        }
    }
    for (const std::string& c : a.cannot) out += "\n" + indent + "(rule " + c + ": never a match)\n";
}

Json json_analysis(const WhyNot& w, const Analysis& a) {
    const RecordedRun& run = w.run();
    Json j;
    j["pattern"] = a.pattern;
    j["present"] = a.present;
    j["retracted"] = a.retracted;
    j["derivable"] = a.derivable;
    Json rules = Json::array();
    for (const RuleAnalysis& r : a.rules) {
        Json jr;
        jr["rule"] = r.rule->name;
        jr["description"] = r.rule->description;
        jr["source"] = r.rule->source;
        SourceLocation loc = run.sources().locate(r.rule->range);
        jr["file"] = loc.path;
        jr["line"] = loc.line;
        jr["action"] = r.asserts;
        Json held = Json::array();
        for (const Held& h : r.held) {
            Json jh{{"index", h.index}, {"condition", h.text}};
            if (h.fact) jh["fact"] = h.fact;
            held.push_back(std::move(jh));
        }
        jr["held"] = std::move(held);
        Json b = Json::object();
        for (std::size_t v = 0; v < r.bindings.size() && v < r.rule->variables.size(); ++v)
            if (r.bindings[v] && !r.rule->variables[v].is_fact) b[r.rule->variables[v].name] = json_value(*r.bindings[v]);
        jr["bindings"] = std::move(b);
        const Failure& f = r.failure;
        Json jf;
        jf["reason"] = reason_name(f.reason);
        if (f.index) {
            jf["index"] = f.index;
            jf["condition"] = f.text;
        }
        jf["details"] = f.details;
        if (f.candidate) jf["closest"] = f.candidate;
        if (!f.mismatches.empty()) {
            Json ms = Json::array();
            for (const Failure::FieldMiss& m : f.mismatches)
                ms.push_back(Json{{"field", m.field}, {"value", m.value}, {"needed", m.needed}});
            jf["mismatches"] = std::move(ms);
        }
        if (!f.blocking.empty()) jf["blocked_by"] = f.blocking;
        if (!f.note.empty()) jf["note"] = f.note;
        if (f.deeper) jf["deeper"] = json_analysis(w, *f.deeper);
        jr["failed"] = std::move(jf);
        rules.push_back(std::move(jr));
    }
    j["rules"] = std::move(rules);
    j["cannot"] = a.cannot;
    return j;
}

}  // namespace

Report why_not(const Recorder& recorder, std::string_view pattern_text_in, Format format, unsigned depth) {
    const RecordedRun& run = recorder.recorded();
    Report report;
    std::optional<Target> target = parse_target(run.prog(), pattern_text_in, false, report.diagnostics);
    if (!target) {
        report.status = 2;
        return report;
    }
    WhyNot w(run, std::max(depth, 1u));
    std::unique_ptr<Analysis> a = w.analyse(target->pattern, target->variables, 1);
    if (format == Format::Json)
        report.output = json_dump(json_analysis(w, *a)) + "\n";
    else
        text_analysis(w, *a, "", true, report.output);
    return report;
}

}  // namespace demarche::explain
