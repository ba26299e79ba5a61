// JSON renderings of run results, facts and query answers: the shapes the CLI prints
// with `--format json`, for embedders that hand results to other languages.
#pragma once

#include <demarche/export.hpp>
#include <demarche/session.hpp>
#include <demarche/value.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace demarche {

/// One value as JSON: a symbol or string as a JSON string, an int or float as a number
/// (a float that is not finite as null), a bool as true/false.
DEMARCHE_API std::string value_to_json(const Value& value);

/// `[{"id": 1, "template": "offer", "slots": {"kind": "peace_treaty"}, "derived": false}, ...]`
/// in the order given. Invalid UTF-8 in strings is replaced by U+FFFD; never throws
/// except std::bad_alloc.
DEMARCHE_API std::string facts_to_json(const std::vector<FactInfo>& facts);

/// The object `demarche run --format json` prints, exactly as the language contract
/// specifies: `{"fired": N, "halted": B, "complete": B, "output": [...], "facts": [...]}`,
/// plus `"stop_reason"` after `"complete"`: to_string(RunResult::stop_reason).
DEMARCHE_API std::string run_to_json(const RunResult& result, const std::vector<FactInfo>& facts);

/// `{"query": NAME, "variables": [...], "answers": [{VAR: VALUE, ...}], "count": N}`, or
/// `{"query": NAME, "error": MESSAGE}` when the query failed.
DEMARCHE_API std::string query_to_json(std::string_view name, const QueryResult& result);

/// `{"fired": N, "halted": B, "complete": B, "output": [...], "error": DIAGNOSTIC|null}`.
DEMARCHE_API std::string run_result_to_json(const RunResult& result);

/// A JSON array of `diagnostic_to_json` objects.
DEMARCHE_API std::string diagnostics_to_json(const std::vector<Diagnostic>& diagnostics);

}  // namespace demarche
