// Checks shared by the rule checker, `.facts` files and JSON facts: template lookup,
// argument-to-field mapping, literal types, required fields. Internal to dsl/.
#pragma once

#include "ast.hpp"
#include "program.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace demarche::dsl::detail {

/// The template named `name`, or nullptr after reporting it as unknown (with a
/// suggestion drawn from the templates in declaration order).
const Template* lookup_template(const Program& program, std::string_view name, SourceRange range,
                                Diagnostics& diags);

/// Reports that `tmpl` has no field `name` (with a suggestion and a note at the template).
void report_unknown_field(const Template& tmpl, std::string_view name, SourceRange range, Diagnostics& diags);

/// "a string", "an int", ...
std::string kind_with_article(ValueKind k);

/// The value to store for `v`, which `field` accepts: `v` itself, or `v` as a double for
/// an int given to a float field (float fields hold doubles only, so facts compare and
/// print alike however written).
Value stored_value(const Field& field, const Value& v);

/// The value to store for `v` in field `f` of `tmpl` (see stored_value). Reports a
/// mismatch at `range` and returns nothing.
/// `what` prefixes the value in the message ("" or "its default "); a note points at the
/// field's declaration unless the value is the declaration's own default.
std::optional<Value> fit_value(const Template& tmpl, FieldIndex f, const Value& v, SourceRange range,
                               Diagnostics& diags, std::string_view what = "");

/// One argument as written: `field: x` (named) or `x` (positional).
struct ArgShape {
    const ast::Identifier* field = nullptr;  ///< null in the positional form
    SourceRange range;
};

/// Where each argument goes.
struct ArgMapping {
    std::vector<std::optional<FieldIndex>> fields;  ///< per argument; empty optional on error
    /// False after an error that makes the argument list unusable as a whole (mixed
    /// forms, wrong positional arity, an unknown field name); a required-field report
    /// would only repeat it.
    bool complete = true;
    std::vector<const ArgShape*> by_field;  ///< scratch: the argument given for each field
};

/// Maps arguments to fields into `out` (whose buffers are reused: fact files may hold
/// millions of facts). Positional arguments must give every field; named ones must
/// exist and appear once; the two forms cannot mix. Reports each problem once.
void map_arguments(const Template& tmpl, const std::vector<ArgShape>& args, SourceRange name_range,
                   Diagnostics& diags, ArgMapping& out);

/// Reports every required field (no default) of `tmpl` that `given` leaves out, as
/// "<what> 'tmpl' is missing required field 'f'" at `at`. Returns true when none is missing.
bool check_required(const Template& tmpl, const std::vector<bool>& given, std::string_view what,
                    SourceRange at, Diagnostics& diags);

/// Checks facts (from `facts` blocks or `.facts` files) one at a time and fills in
/// defaults, reusing its buffers from one fact to the next.
class FactChecker {
public:
    FactChecker(const Program& program, Diagnostics& diags) : program_(program), diags_(diags) {}

    /// The checked fact, or nothing after reporting every problem it has.
    std::optional<InitialFact> check(const ast::Fact& fact);

private:
    // How the last fact of a template that checked without error was written: the field
    // each argument gave, and for each field the argument that gave it. A fact written
    // the same way (same form, same field names in the same order) maps onto the fields
    // alike and leaves out no required field, so only its values remain to be checked.
    struct Shape {
        bool known = false;
        bool named = false;
        std::vector<FieldIndex> field_of_arg;
        std::vector<std::optional<std::size_t>> arg_of_field;
    };

    const Template* find_template(const ast::Identifier& name);
    bool has_shape(const Shape& shape, const Template& tmpl, const ast::Fact& fact) const;
    std::optional<InitialFact> check_shaped(const Shape& shape, const Template& tmpl, const ast::Fact& fact) const;
    std::optional<InitialFact> check_in_full(const Template& tmpl, const ast::Fact& fact);

    const Program& program_;
    Diagnostics& diags_;
    const Template* last_template_ = nullptr;
    std::vector<Shape> shapes_;  // by template id
    std::vector<ArgShape> arg_shapes_;
    ArgMapping mapping_;
    std::vector<std::optional<Value>> values_;
    std::vector<bool> given_;
};

}  // namespace demarche::dsl::detail
