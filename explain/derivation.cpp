// `why`: the derivation of facts down to the given ones, as text, JSON or Graphviz.
#include "record.hpp"

#include <algorithm>
#include <set>

namespace demarche::explain {

namespace {

using Json = nlohmann::ordered_json;

/// A derivation printed deeper than this is cut and referred to its own `why`, so a
/// long chain of modifications cannot exhaust the stack.
constexpr std::size_t max_text_depth = 24;
/// Fact tests allowed when looking for the fact that satisfied an `exists`.
constexpr std::uint64_t witness_budget = 1'000'000;

/// One condition of a firing, as it held.
struct Item {
    dsl::Condition::Kind kind = dsl::Condition::Kind::Pattern;
    std::string text;           ///< the condition, bound variables substituted (not/exists)
    FactId fact = 0;            ///< Pattern: the matched fact; Exists: a fact that satisfied it
    std::string where_values;   ///< Where: the values of its variables
};

/// The step that produced a derived fact.
struct Step {
    const FiringRecord* firing = nullptr;
    const dsl::Rule* rule = nullptr;
    Bindings bindings;
    std::vector<Item> items;
};

class Explainer {
public:
    explicit Explainer(const RecordedRun& run) : run_(run), p_(run.prog()) {}

    std::optional<Step> step(const FactRecord& f) const {
        const FiringRecord* firing = f.derived ? run_.firing(f.firing) : nullptr;
        if (!firing) return std::nullopt;
        Step s;
        s.firing = firing;
        s.rule = &p_.rules.at(firing->rule);
        s.bindings = run_.bindings(*firing);
        std::size_t pos = 0;
        for (const dsl::Condition& c : s.rule->conditions) {
            Item item;
            item.kind = c.kind;
            switch (c.kind) {
            case dsl::Condition::Kind::Pattern:
                item.fact = pos < firing->facts.size() ? firing->facts[pos] : 0;
                item.text = pattern_text(p_, c.pattern, s.rule->variables, {});
                ++pos;
                break;
            case dsl::Condition::Kind::Not: item.text = condition_text(p_, c, s.rule->variables, s.bindings); ++pos; break;
            case dsl::Condition::Kind::Exists: {
                item.text = condition_text(p_, c, s.rule->variables, s.bindings);
                Bindings b = s.bindings;
                std::vector<FactId> found;
                std::uint64_t budget = witness_budget;
                if (find_match(c.group, 0, FactsAt{&run_, firing->moment}, b, found, budget))
                    for (FactId id : found)
                        if (id) {
                            item.fact = id;
                            break;
                        }
                ++pos;
                break;
            }
            case dsl::Condition::Kind::Where: {
                item.text = condition_text(p_, c, s.rule->variables, {});
                std::vector<dsl::VarSlot> used;
                expr_variables(c.test, used);
                Bindings shown(s.bindings.size());
                for (dsl::VarSlot v : used)
                    if (v < shown.size()) shown[v] = s.bindings[v];
                item.where_values = bindings_text(s.rule->variables, shown);
                break;
            }
            }
            s.items.push_back(std::move(item));
        }
        return s;
    }

    // ---- text

    std::string text(const std::vector<FactId>& roots) {
        std::string out;
        for (std::size_t i = 0; i < roots.size(); ++i) {
            if (i) out += "\n";
            fact_block(*run_.fact(roots[i]), "", "", 0, out);
        }
        return out;
    }

    void fact_block(const FactRecord& f, const std::string& indent, const std::string& bullet, std::size_t depth,
                    std::string& out) {
        std::string head = indent + bullet + fact_line(p_, f);
        // Under a bullet, details line up with the fact; under a root, they are indented.
        std::string inner = indent + std::string(bullet.size(), ' ') + (bullet.empty() ? "  " : "");
        std::optional<Step> s = step(f);
        if (s && shown_.count(f.id)) {
            out += head + ", shown above\n";
            return;
        }
        out += head + "\n";
        if (f.removal.kind != RemovalKind::None) out += inner + "(" + removal_text(run_, f) + ")\n";
        if (!s) {
            out += inner + given_text(run_, f) + "\n";
            return;
        }
        shown_.insert(f.id);
        if (depth >= max_text_depth) {
            out += inner + "derived by rule " + s->rule->name + "; run `demarche why f-" + std::to_string(f.id) +
                   "` for the rest\n";
            return;
        }
        std::string verb = f.modified_from ? "modified f-" + std::to_string(f.modified_from) : std::string("fired");
        out += inner + "because rule " + rule_heading(run_, *s->rule) + " " + verb + " (firing " +
               std::to_string(s->firing->number) + "):\n";
        std::string body = inner + "  ";
        if (!s->rule->description.empty()) out += body + "\"" + s->rule->description + "\"\n";
        std::string with = bindings_text(s->rule->variables, s->bindings);
        if (!with.empty()) out += body + "with " + with + "\n";
        for (const Item& item : s->items) {
            switch (item.kind) {
            case dsl::Condition::Kind::Pattern:
                if (const FactRecord* m = run_.fact(item.fact)) fact_block(*m, body, "- ", depth + 1, out);
                break;
            case dsl::Condition::Kind::Not:
                out += body + "- " + item.text + "\n" + body + "  held: no such fact when the rule fired\n";
                break;
            case dsl::Condition::Kind::Exists:
                out += body + "- " + item.text + "\n";
                if (const FactRecord* w = run_.fact(item.fact)) {
                    out += body + "  held; for instance:\n";
                    fact_block(*w, body + "  ", "- ", depth + 1, out);
                } else {
                    out += body + "  held when the rule fired\n";
                }
                break;
            case dsl::Condition::Kind::Where:
                out += body + "- " + item.text + "\n" + body + "  held" +
                       (item.where_values.empty() ? std::string() : " with " + item.where_values) + "\n";
                break;
            }
        }
    }

    // ---- the graph of every fact reached, for JSON and DOT

    /// Facts reachable from the roots, in id order; iterative, so depth does not matter.
    std::vector<const FactRecord*> reachable(const std::vector<FactId>& roots) const {
        std::set<FactId> seen(roots.begin(), roots.end());
        std::vector<FactId> work(roots.begin(), roots.end());
        while (!work.empty()) {
            const FactRecord* f = run_.fact(work.back());
            work.pop_back();
            if (!f) continue;
            if (std::optional<Step> s = step(*f))
                for (const Item& item : s->items)
                    if (item.fact && seen.insert(item.fact).second) work.push_back(item.fact);
        }
        std::vector<const FactRecord*> out;
        for (FactId id : seen)
            if (const FactRecord* f = run_.fact(id)) out.push_back(f);
        return out;
    }

    Json json(const std::string& target, const std::vector<FactId>& roots) const {
        Json out;
        out["target"] = target;
        out["roots"] = roots;
        Json facts = Json::array();
        for (const FactRecord* f : reachable(roots)) {
            const dsl::Template& t = p_.templates.at(f->tmpl);
            Json j;
            j["id"] = f->id;
            j["template"] = t.name;
            Json slots = Json::object();
            for (std::size_t i = 0; i < f->values.size() && i < t.fields.size(); ++i)
                slots[t.fields[i].name] = json_value(f->values[i]);
            j["slots"] = std::move(slots);
            j["present"] = f->removal.kind == RemovalKind::None;
            if (std::optional<Step> s = step(*f)) {
                Json d;
                d["firing"] = s->firing->number;
                d["rule"] = s->rule->name;
                d["description"] = s->rule->description;
                d["source"] = s->rule->source;
                SourceLocation loc = run_.sources().locate(s->rule->range);
                d["file"] = loc.path;
                d["line"] = loc.line;
                if (f->modified_from) d["modified"] = f->modified_from;
                Json b = Json::object();
                for (std::size_t v = 0; v < s->bindings.size() && v < s->rule->variables.size(); ++v)
                    if (s->bindings[v] && !s->rule->variables[v].is_fact)
                        b[s->rule->variables[v].name] = json_value(*s->bindings[v]);
                d["bindings"] = std::move(b);
                Json conds = Json::array();
                for (const Item& item : s->items) {
                    Json c;
                    c["kind"] = item.kind == dsl::Condition::Kind::Pattern ? "pattern"
                                : item.kind == dsl::Condition::Kind::Not   ? "not"
                                : item.kind == dsl::Condition::Kind::Exists ? "exists"
                                                                            : "where";
                    c["condition"] = item.text;
                    if (item.fact) c["fact"] = item.fact;
                    if (!item.where_values.empty()) c["values"] = item.where_values;
                    conds.push_back(std::move(c));
                }
                d["conditions"] = std::move(conds);
                j["derived"] = std::move(d);
            } else if (f->given) {
                const dsl::InitialFact& init = run_.initial(*f->given);
                SourceLocation loc = run_.sources().locate(init.range);
                j["given"] = Json{{"file", loc.path}, {"line", loc.line}};
                if (std::optional<std::size_t> element = json_element(run_, *f)) j["given"]["element"] = *element;
            } else {
                j["given"] = nullptr;
            }
            if (f->removal.kind != RemovalKind::None) {
                const Removal& rm = f->removal;
                Json r;
                r["by"] = rm.kind == RemovalKind::Retracted ? "retract"
                          : rm.kind == RemovalKind::Modified ? "modify"
                          : rm.kind == RemovalKind::Input    ? "input"
                                                             : "truth_maintenance";
                if (rm.firing) r["firing"] = rm.firing;  // 0: the change came from outside any firing
                if (const FiringRecord* by = run_.firing(rm.firing)) r["rule"] = p_.rules.at(by->rule).name;
                if (rm.replaced_by) r["replaced_by"] = rm.replaced_by;
                if (rm.cause) r[rm.cause_retracted ? "support_retracted" : "blocked_by"] = rm.cause;
                r["text"] = removal_text(run_, *f);
                j["removed"] = std::move(r);
            }
            facts.push_back(std::move(j));
        }
        out["facts"] = std::move(facts);
        return out;
    }

    std::string dot(const std::vector<FactId>& roots) const {
        auto esc = [](const std::string& s) {
            std::string out;
            for (char c : s) {
                if (c == '"' || c == '\\') out += '\\';
                out += c;
            }
            return out;
        };
        std::string out = "digraph why {\n  rankdir=TB;\n  node [shape=box, fontname=\"Helvetica\"];\n"
                          "  edge [fontname=\"Helvetica\", fontsize=10];\n";
        for (const FactRecord* f : reachable(roots)) {
            std::string id = "f" + std::to_string(f->id);
            std::string label = "f-" + std::to_string(f->id) + "\\n" + esc(fact_text(p_, *f));
            std::vector<std::string> style;
            std::optional<Step> s = step(*f);
            if (!s) {
                label += "\\n" + esc(given_text(run_, *f));
                style.push_back("rounded");
            }
            if (f->removal.kind != RemovalKind::None) {
                label += "\\n(" + esc(removal_text(run_, *f)) + ")";
                style.push_back("dashed");
            }
            if (std::find(roots.begin(), roots.end(), f->id) != roots.end()) style.push_back("bold");
            out += "  " + id + " [label=\"" + label + "\"";
            if (!style.empty()) {
                std::string joined;
                for (const std::string& st : style) joined += (joined.empty() ? "" : ",") + st;
                out += ", style=\"" + joined + "\"";
            }
            out += "];\n";
            if (!s) continue;
            std::string r = "r" + std::to_string(f->id);
            std::string rl = esc(s->rule->name) + "\\n" + esc(rule_heading(run_, *s->rule).substr(s->rule->name.size() + 1)) +
                             "\\nfiring " + std::to_string(s->firing->number);
            out += "  " + r + " [shape=ellipse, label=\"" + rl + "\"];\n";
            out += "  " + id + " -> " + r + " [label=\"because\"];\n";
            std::size_t k = 0;
            for (const Item& item : s->items) {
                ++k;
                if (item.kind == dsl::Condition::Kind::Pattern) {
                    if (item.fact) out += "  " + r + " -> f" + std::to_string(item.fact) + ";\n";
                    continue;
                }
                std::string c = r + "c" + std::to_string(k);
                std::string text = esc(item.text) + (item.where_values.empty() ? "" : "\\nwith " + esc(item.where_values));
                out += "  " + c + " [shape=note, style=dashed, label=\"" + text + "\"];\n";
                out += "  " + r + " -> " + c + " [style=dashed, label=\"held\"];\n";
                if (item.fact) out += "  " + c + " -> f" + std::to_string(item.fact) + " [style=dashed];\n";
            }
        }
        return out + "}\n";
    }

private:
    const RecordedRun& run_;
    const dsl::Program& p_;
    std::set<FactId> shown_;
};

}  // namespace

std::optional<Format> format_named(std::string_view name) noexcept {
    if (name == "text") return Format::Text;
    if (name == "json") return Format::Json;
    if (name == "dot") return Format::Dot;
    return std::nullopt;
}

std::vector<Diagnostic> check_target(const ProgramPtr& program, std::string_view target) {
    std::vector<Diagnostic> diags;
    parse_target(*program, target, true, diags);
    return diags;
}

Report why(const Recorder& recorder, std::string_view target_text, Format format) {
    const RecordedRun& run = recorder.recorded();
    Report report;
    std::optional<Target> target = parse_target(run.prog(), target_text, true, report.diagnostics);
    if (!target) {
        report.status = 2;
        return report;
    }
    std::vector<FactId> roots;
    std::string what;
    bool only_retracted = false;
    if (target->id) {
        what = "f-" + std::to_string(*target->id);
        if (run.fact(*target->id)) roots.push_back(*target->id);
    } else {
        what = target->text;
        // Facts present at the end first; when none matches, those the run retracted.
        for (bool present : {true, false}) {
            for (const FactRecord& f : run.facts) {
                if (f.id == 0 || f.tmpl != target->pattern.tmpl || (f.removed_at == 0) != present) continue;
                Bindings b(target->variables.size());
                if (match_pattern(target->pattern, f, b).empty()) roots.push_back(f.id);
            }
            if (!roots.empty()) {
                only_retracted = !present;
                break;
            }
        }
    }
    if (roots.empty()) {
        report.status = 1;
        if (format == Format::Json) {
            report.output = json_dump(Json{{"target", what}, {"roots", Json::array()}, {"facts", Json::array()}}) + "\n";
        } else if (format == Format::Dot) {
            report.output = "digraph why {\n}\n";
        } else {
            report.output = target->id ? "No fact " + what + " in this run: it asserted " +
                                             std::to_string(run.facts.size()) + " facts.\n"
                                       : "No fact matches " + what + ". `demarche why-not '" + what +
                                             "' ...` tells which conditions failed.\n";
        }
        return report;
    }
    Explainer ex(run);
    switch (format) {
    case Format::Text:
        if (only_retracted)
            report.output = "No fact matches " + what + " at the end of the run; the run retracted " +
                            (roots.size() == 1 ? "this one" : "these") + ":\n\n";
        report.output += ex.text(roots);
        break;
    case Format::Json: report.output = json_dump(ex.json(what, roots)) + "\n"; break;
    case Format::Dot: report.output = ex.dot(roots); break;
    }
    return report;
}

}  // namespace demarche::explain
