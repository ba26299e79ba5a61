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

Value stored_value(const Field& field, const Value& v) {
    if (field.type == FieldType::Float && kind_of(v) == ValueKind::Int)
        return Value(static_cast<double>(boost::variant2::get<std::int64_t>(v)));
    return v;
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
    return stored_value(field, v);
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
    const Template* tmpl = find_template(fact.template_name);
    if (tmpl == nullptr) return std::nullopt;
    if (tmpl->id < shapes_.size()) {
        const Shape& shape = shapes_[tmpl->id];
        if (has_shape(shape, *tmpl, fact))
            if (auto result = check_shaped(shape, *tmpl, fact)) return result;
    }
    // Facts that do not check go this way too, so every problem is reported as it always was.
    return check_in_full(*tmpl, fact);
}

const Template* FactChecker::find_template(const ast::Identifier& name) {
    // Fact files usually hold runs of facts of one template.
    if (last_template_ == nullptr || last_template_->name != name.name)
        last_template_ = lookup_template(program_, name.name, name.range, diags_);
    return last_template_;
}

bool FactChecker::has_shape(const Shape& shape, const Template& tmpl, const ast::Fact& fact) const {
    if (!shape.known || fact.args.size() != shape.field_of_arg.size()) return false;
    for (std::size_t i = 0; i < fact.args.size(); ++i) {
        const std::optional<ast::Identifier>& field = fact.args[i].field;
        if (field.has_value() != shape.named) return false;
        if (field && field->name != tmpl.fields[shape.field_of_arg[i]].name) return false;
    }
    return true;
}

// Nothing when a value does not fit its field; check_in_full then reports it.
std::optional<InitialFact> FactChecker::check_shaped(const Shape& shape, const Template& tmpl,
                                                     const ast::Fact& fact) const {
    InitialFact result;
    result.tmpl = tmpl.id;
    result.range = fact.range;
    result.values.reserve(tmpl.fields.size());
    for (std::size_t f = 0; f < tmpl.fields.size(); ++f) {
        const Field& field = tmpl.fields[f];
        const std::optional<std::size_t> arg = shape.arg_of_field[f];
        if (!arg) {
            result.values.push_back(*field.default_value);
            continue;
        }
        const Value& v = fact.args[*arg].value.value;
        if (!accepts(field.type, kind_of(v))) return std::nullopt;
        result.values.push_back(stored_value(field, v));
    }
    return result;
}

std::optional<InitialFact> FactChecker::check_in_full(const Template& tmpl, const ast::Fact& fact) {
    arg_shapes_.clear();
    for (const ast::FactArg& a : fact.args) arg_shapes_.push_back({a.field ? &*a.field : nullptr, a.range});
    map_arguments(tmpl, arg_shapes_, fact.template_name.range, diags_, mapping_);

    bool ok = mapping_.complete;
    values_.assign(tmpl.fields.size(), std::nullopt);
    given_.assign(tmpl.fields.size(), false);
    for (std::size_t i = 0; i < fact.args.size(); ++i) {
        const auto f = mapping_.fields[i];
        if (!f) {
            ok = false;
            continue;
        }
        given_[*f] = true;
        values_[*f] = fit_value(tmpl, *f, fact.args[i].value.value, fact.args[i].value.range, diags_);
        if (!values_[*f]) ok = false;
    }
    if (mapping_.complete && !check_required(tmpl, given_, "fact", fact.template_name.range, diags_))
        ok = false;
    if (!ok) return std::nullopt;

    // Every argument went to a field of its own and no required field is missing.
    if (tmpl.id >= shapes_.size()) shapes_.resize(tmpl.id + 1);
    Shape& shape = shapes_[tmpl.id];
    shape.known = true;
    shape.named = !fact.args.empty() && fact.args.front().field.has_value();
    shape.field_of_arg.clear();
    shape.arg_of_field.assign(tmpl.fields.size(), std::nullopt);
    for (std::size_t i = 0; i < fact.args.size(); ++i) {
        shape.field_of_arg.push_back(*mapping_.fields[i]);
        shape.arg_of_field[*mapping_.fields[i]] = i;
    }

    InitialFact result;
    result.tmpl = tmpl.id;
    result.range = fact.range;
    result.values.reserve(values_.size());
    for (std::size_t i = 0; i < values_.size(); ++i)
        result.values.push_back(values_[i] ? std::move(*values_[i]) : *tmpl.fields[i].default_value);
    return result;
}

}  // namespace demarche::dsl::detail
