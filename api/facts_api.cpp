// Facts from C++ values and from in-memory `.facts` text (compile.hpp additions).
#include <demarche/compile.hpp>

#include "dsl/checker.hpp"
#include "dsl/program.hpp"
#include "dsl/source.hpp"

#include <algorithm>

namespace demarche {

namespace {

// The facts of `base` come first; the new facts' ranges point into `sources`, which
// starts as a copy of the base's (or the program's) set so older ranges stay valid.
std::shared_ptr<dsl::SourceSet> sources_for(const ProgramPtr& program, const std::shared_ptr<const FactSet>& base) {
    if (base && base->sources) return std::make_shared<dsl::SourceSet>(*base->sources);
    return std::make_shared<dsl::SourceSet>(*program->sources);
}

FactsResult finish(dsl::Diagnostics& diags, std::shared_ptr<dsl::SourceSet> sources,
                   const std::shared_ptr<const FactSet>& base, std::vector<dsl::InitialFact> facts) {
    FactsResult result;
    if (!diags.has_errors()) {
        auto set = std::make_shared<FactSet>();
        if (base) set->facts = base->facts;
        set->facts.insert(set->facts.end(), std::make_move_iterator(facts.begin()),
                          std::make_move_iterator(facts.end()));
        set->sources = std::move(sources);
        result.facts = std::move(set);
    }
    result.diagnostics = diags.take();
    return result;
}

std::string ordinal_of(std::size_t index) { return "fact " + std::to_string(index + 1); }

}  // namespace

FactsResult make_facts(const ProgramPtr& program, const std::vector<FactInput>& facts,
                       const std::shared_ptr<const FactSet>& base) {
    auto sources = sources_for(program, base);
    // The facts have no text; an empty file gives their ranges somewhere valid to point.
    dsl::FileId file = sources->add("<input>", "");
    dsl::Diagnostics diags(*sources);
    std::vector<dsl::InitialFact> out;
    for (std::size_t n = 0; n < facts.size(); ++n) {
        const FactInput& in = facts[n];
        const dsl::Template* t = program->find_template(in.template_name);
        if (!t) {
            diags.error_in_file("<input>", ordinal_of(n) + ": unknown template '" + in.template_name + "'");
            continue;
        }
        std::vector<std::optional<Value>> values(t->fields.size());
        std::vector<bool> given(t->fields.size(), false);  // a wrong value counts as given
        bool ok = true;
        for (const auto& [field, value] : in.fields) {
            std::optional<dsl::FieldIndex> i = t->field_index(field);
            if (!i) {
                diags.error_in_file("<input>", ordinal_of(n) + ": template '" + t->name + "' has no field '" +
                                                   field + "'");
                ok = false;
                continue;
            }
            const dsl::Field& f = t->fields[*i];
            if (given[*i]) {
                diags.error_in_file("<input>", ordinal_of(n) + ": field '" + field + "' is given twice");
                ok = false;
                continue;
            }
            given[*i] = true;
            if (!dsl::accepts(f.type, kind_of(value))) {
                diags.error_in_file("<input>", ordinal_of(n) + ": field '" + field + "' of '" + t->name + "' is " +
                                                   std::string(dsl::to_string(f.type)) + ", got " +
                                                   std::string(kind_name(kind_of(value))));
                ok = false;
                continue;
            }
            values[*i] = f.type == dsl::FieldType::Float && kind_of(value) == ValueKind::Int
                             ? Value(static_cast<double>(boost::variant2::get<std::int64_t>(value)))
                             : value;
        }
        for (std::size_t i = 0; i < values.size(); ++i) {
            if (given[i]) continue;
            if (t->fields[i].default_value) {
                values[i] = t->fields[i].default_value;
            } else {
                diags.error_in_file("<input>", ordinal_of(n) + ": field '" + t->fields[i].name + "' of '" + t->name +
                                                   "' has no default and must be given");
                ok = false;
            }
        }
        if (!ok) continue;
        dsl::InitialFact fact;
        fact.tmpl = t->id;
        fact.range = dsl::SourceRange{file, 0, 0};
        for (auto& v : values) fact.values.push_back(std::move(*v));
        out.push_back(std::move(fact));
    }
    return finish(diags, std::move(sources), base, std::move(out));
}

FactsResult parse_facts(const ProgramPtr& program, std::string_view text, std::string name,
                        const std::shared_ptr<const FactSet>& base) {
    auto sources = sources_for(program, base);
    dsl::FileId file = sources->add(std::move(name), std::string(text));
    dsl::Diagnostics diags(*sources);
    std::vector<dsl::InitialFact> facts = dsl::read_facts_file(*program, sources->file(file), diags);
    diags.sort_by_position(0);
    return finish(diags, std::move(sources), base, std::move(facts));
}

}  // namespace demarche
