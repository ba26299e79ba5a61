// JSON renderings for embedders (include/demarche/json.hpp).
#include <demarche/json.hpp>

#include <nlohmann/json.hpp>

#include <cmath>

namespace demarche {

namespace {

namespace v2 = boost::variant2;
using Json = nlohmann::ordered_json;

Json to_json(const Value& v) {
    switch (kind_of(v)) {
    case ValueKind::Symbol: return v2::get<Symbol>(v).name();
    case ValueKind::String: return v2::get<String>(v).view();
    case ValueKind::Int: return v2::get<std::int64_t>(v);
    case ValueKind::Float: {
        double d = v2::get<double>(v);
        return std::isfinite(d) ? Json(d) : Json(nullptr);
    }
    case ValueKind::Bool: return v2::get<bool>(v);
    }
    return nullptr;
}

Json facts_json(const std::vector<FactInfo>& facts) {
    Json list = Json::array();
    for (const FactInfo& f : facts) {
        Json slots = Json::object();
        for (std::size_t i = 0; i < f.values.size() && i < f.field_names.size(); ++i)
            slots[f.field_names[i]] = to_json(f.values[i]);
        list.push_back(Json{{"id", f.id}, {"template", f.template_name}, {"slots", std::move(slots)},
                            {"derived", f.derived}});
    }
    return list;
}

// Values come from user input, which may hold invalid UTF-8; dump() would throw.
std::string dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

}  // namespace

std::string value_to_json(const Value& value) { return dump(to_json(value)); }

std::string facts_to_json(const std::vector<FactInfo>& facts) { return dump(facts_json(facts)); }

std::string run_to_json(const RunResult& result, const std::vector<FactInfo>& facts) {
    Json out;
    out["fired"] = result.fired;
    out["halted"] = result.halted;
    out["complete"] = result.complete;
    // Beyond the contract's keys: which limit (or error) ended an incomplete run.
    out["stop_reason"] = std::string(to_string(result.stop_reason));
    out["output"] = result.output;
    out["facts"] = facts_json(facts);
    return dump(out);
}

std::string query_to_json(std::string_view name, const QueryResult& result) {
    Json out;
    out["query"] = std::string(name);
    if (result.error) {
        out["error"] = *result.error;
        return dump(out);
    }
    Json answers = Json::array();
    for (const auto& row : result.rows) {
        Json a = Json::object();
        for (std::size_t k = 0; k < row.size() && k < result.variables.size(); ++k)
            a[result.variables[k]] = to_json(row[k]);
        answers.push_back(std::move(a));
    }
    out["variables"] = result.variables;
    out["answers"] = std::move(answers);
    out["count"] = result.rows.size();
    return dump(out);
}

std::string run_result_to_json(const RunResult& result) {
    Json out;
    out["fired"] = result.fired;
    out["halted"] = result.halted;
    out["complete"] = result.complete;
    out["output"] = result.output;
    out["error"] = nullptr;
    if (result.error) {
        Json error = Json::parse(diagnostic_to_json(*result.error), nullptr, false);
        out["error"] = error.is_discarded() ? Json(result.error->message) : std::move(error);
    }
    return dump(out);
}

std::string diagnostics_to_json(const std::vector<Diagnostic>& diagnostics) {
    std::string out = "[";
    for (std::size_t i = 0; i < diagnostics.size(); ++i) {
        if (i) out += ',';
        out += diagnostic_to_json(diagnostics[i]);
    }
    return out + "]";
}

}  // namespace demarche
