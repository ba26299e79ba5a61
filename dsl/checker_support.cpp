// Template lookup, argument mapping and literal type checks shared by every kind of fact
// input (facts blocks, `.facts` files, JSON) and by patterns and actions.
#include "checker_support.hpp"

#include "checker.hpp"
#include "suggest.hpp"

namespace demarche::dsl::detail {

namespace {

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
    return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

}  // namespace

const Template* lookup_template(const Program& program, std::string_view name, SourceRange range,
                                Diagnostics& diags) {
    if (const Template* t = program.find_template(name)) return t;
    std::vector<std::string_view> known;
    known.reserve(program.templates.size());
    for (const Template& t : program.templates) known.push_back(t.name);
    diags.error(range, "unknown template '" + std::string(name) + "'" + did_you_mean(name, known));
    return nullptr;
}

void report_unknown_field(const Template& tmpl, std::string_view name, SourceRange range,
                          Diagnostics& diags) {
    std::vector<std::string_view> known;
    known.reserve(tmpl.fields.size());
    for (const Field& f : tmpl.fields) known.push_back(f.name);
    Diagnostic& d = diags.error(range, "template '" + tmpl.name + "' has no field '" + std::string(name) +
                                           "'" + did_you_mean(name, known));
    diags.note(d, tmpl.range, "template '" + tmpl.name + "' declared here");
}

std::string kind_with_article(ValueKind k) {
    const std::string_view name = kind_name(k);
    const bool vowel = !name.empty() && std::string_view("aeiou").find(name[0]) != std::string_view::npos;
    return std::string(vowel ? "an " : "a ") + std::string(name);
}

std::optional<Value> fit_value(const Template& tmpl, FieldIndex f, const Value& v, SourceRange range,
                               Diagnostics& diags, std::string_view what) {
    const Field& field = tmpl.fields[f];
    const ValueKind k = kind_of(v);
    if (!accepts(field.type, k)) {
        Diagnostic& d =
            diags.error(range, "field '" + field.name + "' of '" + tmpl.name + "' is " +
                                   std::string(to_string(field.type)) + ", but " + std::string(what) +
                                   to_source(v) + " is " + kind_with_article(k));
        if (what.empty()) diags.note(d, field.range, "field '" + field.name + "' declared here");
        return std::nullopt;
    }
    // Float fields hold doubles only, so facts compare and print alike however written.
    if (field.type == FieldType::Float && k == ValueKind::Int)
        return Value(static_cast<double>(boost::variant2::get<std::int64_t>(v)));
    return v;
}

void map_arguments(const Template& tmpl, const std::vector<ArgShape>& args, SourceRange name_range,
                   Diagnostics& diags, ArgMapping& out) {
    out.fields.assign(args.size(), std::nullopt);
    out.complete = true;
    if (args.empty()) return;

    const bool positional = args.front().field == nullptr;
    for (const ArgShape& a : args) {
        if ((a.field == nullptr) != positional) {
            diags.error(a.range, "cannot mix named and positional arguments");
            out.complete = false;
            break;
        }
    }

    if (positional) {
        const std::size_t n = tmpl.fields.size();
        if (args.size() != n) {
            const SourceRange at = args.size() > n ? args[n].range : name_range;
            diags.error(at, "'" + tmpl.name + "' has " + plural(n, "field", "fields") + ", but " +
                                plural(args.size(), "value was", "values were") + " given");
            out.complete = false;
        }
        for (std::size_t i = 0; i < args.size() && i < n; ++i)
            if (args[i].field == nullptr) out.fields[i] = static_cast<FieldIndex>(i);
        return;
    }

    out.by_field.assign(tmpl.fields.size(), nullptr);
    for (std::size_t i = 0; i < args.size(); ++i) {
        const ast::Identifier* name = args[i].field;
        if (name == nullptr) continue;
        const auto index = tmpl.field_index(name->name);
        if (!index) {
            report_unknown_field(tmpl, name->name, name->range, diags);
            // The misspelt field is most likely a required one: don't report it missing.
            out.complete = false;
            continue;
        }
        if (const ArgShape* first = out.by_field[*index]) {
            Diagnostic& d = diags.error(name->range, "field '" + name->name + "' is given twice");
            diags.note(d, first->field->range, "first given here");
            continue;
        }
        out.by_field[*index] = &args[i];
        out.fields[i] = *index;
    }
}

bool check_required(const Template& tmpl, const std::vector<bool>& given, std::string_view what,
                    SourceRange at, Diagnostics& diags) {
    bool ok = true;
    for (std::size_t i = 0; i < tmpl.fields.size(); ++i) {
        const Field& f = tmpl.fields[i];
        if (given[i] || f.default_value) continue;
        Diagnostic& d = diags.error(
            at, std::string(what) + " '" + tmpl.name + "' is missing required field '" + f.name + "'");
        diags.note(d, f.range, "field '" + f.name + "' declared here");
        ok = false;
    }
    return ok;
}

std::optional<InitialFact> FactChecker::check(const ast::Fact& fact) {
    const Template* tmpl =
        lookup_template(program_, fact.template_name.name, fact.template_name.range, diags_);
    if (tmpl == nullptr) return std::nullopt;

    shapes_.clear();
    for (const ast::FactArg& a : fact.args) shapes_.push_back({a.field ? &*a.field : nullptr, a.range});
    map_arguments(*tmpl, shapes_, fact.template_name.range, diags_, mapping_);

    bool ok = mapping_.complete;
    values_.assign(tmpl->fields.size(), std::nullopt);
    given_.assign(tmpl->fields.size(), false);
    for (std::size_t i = 0; i < fact.args.size(); ++i) {
        const auto f = mapping_.fields[i];
        if (!f) {
            ok = false;
            continue;
        }
        given_[*f] = true;
        values_[*f] = fit_value(*tmpl, *f, fact.args[i].value.value, fact.args[i].value.range, diags_);
        if (!values_[*f]) ok = false;
    }
    if (mapping_.complete && !check_required(*tmpl, given_, "fact", fact.template_name.range, diags_))
        ok = false;
    if (!ok) return std::nullopt;

    InitialFact result;
    result.tmpl = tmpl->id;
    result.range = fact.range;
    result.values.reserve(values_.size());
    for (std::size_t i = 0; i < values_.size(); ++i)
        result.values.push_back(values_[i] ? std::move(*values_[i]) : *tmpl->fields[i].default_value);
    return result;
}

}  // namespace demarche::dsl::detail
