// The C API (include/demarche/demarche.h): handles wrap the C++ objects; every entry
// point catches everything, so no exception crosses into C.
#include <demarche/demarche.h>

#include <demarche/compile.hpp>
#include <demarche/explain.hpp>
#include <demarche/function.hpp>
#include <demarche/json.hpp>
#include <demarche/session.hpp>

#include "dsl/program.hpp"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <string_view>
#include <vector>

struct demarche_program {
    demarche::ProgramPtr program;
};

struct demarche_facts {
    demarche::ProgramPtr program;  // the facts' template ids mean something only with it
    std::shared_ptr<const demarche::FactSet> facts;
};

namespace {

// Turns the C++ observer events into the C callback's (kind, text) pairs.
class CallbackObserver final : public demarche::Observer {
public:
    demarche_event_fn fn = nullptr;
    void* user_data = nullptr;

    void on_assert(const demarche::FactView& f) override { send("assert", fact_text(f)); }
    void on_retract(const demarche::FactView& f) override { send("retract", fact_text(f)); }
    void on_activate(const demarche::ActivationView& a) override {
        send("activate", demarche::format_activation(a));
    }
    void on_deactivate(const demarche::ActivationView& a) override {
        send("deactivate", demarche::format_activation(a));
    }
    void on_fire(std::uint64_t n, const demarche::ActivationView& a) override {
        send("fire", std::to_string(n) + " " + demarche::format_activation(a));
    }
    void on_print(const std::string& line) override { send("print", line); }

private:
    static std::string fact_text(const demarche::FactView& f) {
        return "f-" + std::to_string(f.id()) + " " + demarche::format_fact(f);
    }
    // Null-safe: a recording session forwards to it whether a callback is set or not.
    void send(const char* kind, const std::string& text) const {
        if (fn) fn(user_data, kind, text.c_str());
    }
};

}  // namespace

struct demarche_session {
    demarche_session(demarche::ProgramPtr program, std::shared_ptr<const demarche::FactSet> input)
        : session(program, input), facts(std::move(input)) {}
    demarche::Session session;
    std::shared_ptr<const demarche::FactSet> facts;  // for the recorder
    demarche::RunResult result;                      // of the last run
    bool started = false;                            // a run or change happened
    bool recording = false;
    std::unique_ptr<demarche::explain::Recorder> recorder;
    CallbackObserver observer;
};

struct demarche_functions {
    std::shared_ptr<demarche::FunctionRegistry> registry = std::make_shared<demarche::FunctionRegistry>();
};

struct demarche_result {
    std::optional<demarche::Value> value;
    std::optional<std::string> error;
    bool set = false;
};

struct demarche_diagnostics {
    std::vector<demarche::Diagnostic> list;
};

namespace {

thread_local std::string last_error;

demarche_status fail(demarche_status status, std::string message) {
    last_error = std::move(message);
    return status;
}

bool valid_utf8(std::string_view s) noexcept {
    std::size_t i = 0;
    while (i < s.size()) {
        auto c = static_cast<unsigned char>(s[i]);
        std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        if (len == 0 || i + len > s.size()) return false;
        std::uint32_t cp = len == 1 ? c : len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07;
        for (std::size_t k = 1; k < len; ++k) {
            auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (cc & 0x3F);
        }
        // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
        static constexpr std::uint32_t min_for_len[5] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < min_for_len[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        i += len;
    }
    return true;
}

// Checks one input string; `what` names it in the message.
bool check_text(const char* text, const char* what, demarche_status& status) {
    if (!text) {
        status = fail(DEMARCHE_ERROR_INVALID_ARGUMENT, std::string(what) + " is NULL");
        return false;
    }
    if (!valid_utf8(text)) {
        status = fail(DEMARCHE_ERROR_INVALID_ARGUMENT, std::string(what) + " is not valid UTF-8");
        return false;
    }
    return true;
}

bool read_list(const char* const* items, std::size_t count, const char* what, std::vector<std::string>& out,
               demarche_status& status) {
    if (count > 0 && !items) {
        status = fail(DEMARCHE_ERROR_INVALID_ARGUMENT, std::string(what) + " is NULL");
        return false;
    }
    for (std::size_t i = 0; i < count; ++i) {
        if (!check_text(items[i], what, status)) return false;
        out.emplace_back(items[i]);
    }
    return true;
}

char* copy_string(const std::string& s) {
    auto* out = static_cast<char*>(std::malloc(s.size() + 1));
    if (!out) throw std::bad_alloc();
    std::memcpy(out, s.data(), s.size() + 1);
    return out;
}

std::size_t count_errors(const std::vector<demarche::Diagnostic>& list) {
    std::size_t n = 0;
    for (const auto& d : list) n += d.severity == demarche::Severity::Error;
    return n;
}

std::string first_error(const std::vector<demarche::Diagnostic>& list) {
    for (const auto& d : list)
        if (d.severity == demarche::Severity::Error) return demarche::render_diagnostic(d);
    return "errors found";
}

// Runs `body`, turning any escaping exception into a status.
template <typename F>
demarche_status guarded(F&& body) noexcept {
    try {
        return body();
    } catch (const std::bad_alloc&) {
        return fail(DEMARCHE_ERROR_INTERNAL, "out of memory");
    } catch (const std::exception& e) {
        return fail(DEMARCHE_ERROR_INTERNAL, std::string("internal error: ") + e.what());
    } catch (...) {
        return fail(DEMARCHE_ERROR_INTERNAL, "internal error");
    }
}

void give_diagnostics(std::vector<demarche::Diagnostic> list, demarche_diagnostics** out) {
    if (out) *out = new demarche_diagnostics{std::move(list)};
}

demarche_status finish_compile(demarche::CompileResult r, demarche_program** out_program,
                               demarche_diagnostics** out_diagnostics) {
    std::string message = r.ok() ? std::string() : first_error(r.diagnostics);
    std::size_t errors = count_errors(r.diagnostics);
    demarche::ProgramPtr program = std::move(r.program);
    give_diagnostics(std::move(r.diagnostics), out_diagnostics);
    if (!program)
        return fail(DEMARCHE_ERROR_COMPILE, std::to_string(errors) + (errors == 1 ? " error" : " errors") +
                                                " found; first: " + message);
    *out_program = new demarche_program{std::move(program)};
    return DEMARCHE_OK;
}

demarche_status finish_facts(const demarche_program* program, demarche::FactsResult r, demarche_facts** out_facts,
                             demarche_diagnostics** out_diagnostics) {
    std::string message = r.ok() ? std::string() : first_error(r.diagnostics);
    std::size_t errors = count_errors(r.diagnostics);
    std::shared_ptr<const demarche::FactSet> facts = std::move(r.facts);
    give_diagnostics(std::move(r.diagnostics), out_diagnostics);
    if (!facts)
        return fail(DEMARCHE_ERROR_COMPILE, std::to_string(errors) + (errors == 1 ? " error" : " errors") +
                                                " found; first: " + message);
    *out_facts = new demarche_facts{program->program, std::move(facts)};
    return DEMARCHE_OK;
}

template <typename T>
void clear(T** out) {
    if (out) *out = nullptr;
}

// The first run or change fixes how the session is observed: a recorder (which passes the
// events on to the callback) when recording, else the callback alone.
void prepare(demarche_session& s) {
    if (!s.started) {
        s.started = true;
        if (s.recording)
            s.recorder = std::make_unique<demarche::explain::Recorder>(s.session.program(), s.facts, &s.observer);
    }
    demarche::Observer* observer = s.recorder ? static_cast<demarche::Observer*>(s.recorder.get())
                                              : (s.observer.fn ? &s.observer : nullptr);
    s.session.set_observer(observer);
}

demarche_status change_failed(const demarche_session& s, const std::string& message) {
    return fail(s.session.failure() ? DEMARCHE_ERROR_RUNTIME : DEMARCHE_ERROR_FACT, message);
}

// A JSON value for a field: a string is a symbol or a string as the field's type says.
bool json_to_value(const nlohmann::json& j, demarche::ValueType type, const std::string& field, demarche::Value& out,
                   std::string& error) {
    if (j.is_string()) {
        const auto& text = j.get_ref<const std::string&>();
        if (type == demarche::ValueType::Symbol)
            out = demarche::Symbol::intern(text);
        else
            out = text;
        return true;
    }
    if (j.is_boolean()) {
        out = j.get<bool>();
        return true;
    }
    if (j.is_number_unsigned() && j.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
        error = "field '" + field + "': " + j.dump() + " is out of the int64 range";
        return false;
    }
    if (j.is_number_integer()) {
        out = j.get<std::int64_t>();
        return true;
    }
    if (j.is_number_float()) {
        out = j.get<double>();
        return true;
    }
    error = "field '" + field + "': JSON " + std::string(j.type_name()) + " is not a fact value";
    return false;
}

// Reads {FIELD: VALUE, ...} for template `t` (null when unknown: strings become strings,
// and the session reports the template).
bool json_fields(const nlohmann::json& slots, const demarche::dsl::Template* t, demarche::FieldValues& out,
                 std::string& error) {
    if (!slots.is_object()) {
        error = "the fields must be a JSON object {FIELD: VALUE, ...}";
        return false;
    }
    for (const auto& item : slots.items()) {
        demarche::ValueType type = demarche::ValueType::Any;
        if (t) {
            if (auto i = t->field_index(item.key()))
                type = static_cast<demarche::ValueType>(t->fields[*i].type);
        }
        demarche::Value v(false);
        if (!json_to_value(item.value(), type, item.key(), v, error)) return false;
        out.emplace_back(item.key(), std::move(v));
    }
    return true;
}

// A JSON argument: present, UTF-8 and well-formed, or `status` says which it is not.
bool read_json(const char* text, const char* what, nlohmann::json& out, demarche_status& status) {
    if (!check_text(text, what, status)) return false;
    try {
        out = nlohmann::json::parse(text);
        return true;
    } catch (const nlohmann::json::exception& e) {
        status = fail(DEMARCHE_ERROR_INVALID_ARGUMENT, std::string("invalid JSON: ") + e.what());
        return false;
    }
}

demarche_value c_value(const demarche::Value& v) {
    demarche_value out{DEMARCHE_TYPE_ANY, nullptr, 0, 0.0, 0};
    out.type = static_cast<demarche_type>(demarche::kind_of(v));
    if (auto* sym = boost::variant2::get_if<demarche::Symbol>(&v)) out.text = sym->name().c_str();
    if (auto* str = boost::variant2::get_if<demarche::String>(&v)) out.text = str->c_str();
    if (auto* i = boost::variant2::get_if<std::int64_t>(&v)) out.int_value = *i;
    if (auto* d = boost::variant2::get_if<double>(&v)) out.float_value = *d;
    if (auto* b = boost::variant2::get_if<bool>(&v)) out.bool_value = *b ? 1 : 0;
    return out;
}

void set_result(demarche_result* r, demarche::Value v) {
    if (!r) return;
    if (r->set) {
        r->error = "the function set its result twice";
        return;
    }
    r->set = true;
    r->value = std::move(v);
}

bool set_text_result(demarche_result* r, const char* text) {
    if (!r) return false;
    if (!text || !valid_utf8(text)) {
        r->set = true;
        r->error = "the function's result text is NULL or not valid UTF-8";
        return false;
    }
    return true;
}

demarche_status explain(const demarche_session* session, const char* target, const char* format, bool why,
                        char** out_text) {
    clear(out_text);
    return guarded([&] {
        demarche_status status = DEMARCHE_OK;
        if (!session) return fail(DEMARCHE_ERROR_INVALID_ARGUMENT, "session is NULL");
        if (!out_text) return fail(DEMARCHE_ERROR_INVALID_ARGUMENT, "out_text is NULL");
        if (!check_text(target, why ? "the target" : "the pattern", status)) return status;
        if (format && !check_text(format, "the format", status)) return status;
        std::optional<demarche::explain::Format> f = demarche::explain::format_named(format ? format : "text");
        if (!f || (!why && *f == demarche::explain::Format::Dot))
            return fail(DEMARCHE_ERROR_INVALID_ARGUMENT, std::string("unknown format '") + format + "' (expected text, json" +
                                                             (why ? " or dot)" : ")"));
        if (!session->recorder)
            return fail(DEMARCHE_ERROR_STATE, session->recording ? "nothing was recorded yet: run the session first"
                                                                 : "recording is off: call demarche_session_set_recording "
                                                                   "before the first run");
        demarche::explain::Report r = why ? demarche::explain::why(*session->recorder, target, *f)
                                          : demarche::explain::why_not(*session->recorder, target, *f);
        if (r.status == 2) return fail(DEMARCHE_ERROR_QUERY, first_error(r.diagnostics));
        if (r.status != 0) return fail(DEMARCHE_ERROR_QUERY, r.output.empty() ? "no fact matches" : r.output);
        *out_text = copy_string(r.output);
        return DEMARCHE_OK;
    });
}

}  // namespace

extern "C" {

const char* demarche_version(void) { return DEMARCHE_VERSION; }

const char* demarche_status_name(demarche_status status) {
    switch (status) {
    case DEMARCHE_OK: return "ok";
    case DEMARCHE_ERROR_INVALID_ARGUMENT: return "invalid argument";
    case DEMARCHE_ERROR_COMPILE: return "compile error";
    case DEMARCHE_ERROR_RUNTIME: return "runtime error";
    case DEMARCHE_ERROR_QUERY: return "query error";
    case DEMARCHE_ERROR_STATE: return "invalid state";
    case DEMARCHE_ERROR_INTERNAL: return "internal error";
    case DEMARCHE_ERROR_FACT: return "fact error";
    }
    return "unknown status";
}

const char* demarche_last_error(void) { return last_error.c_str(); }

void demarche_string_free(char* text) { std::free(text); }

demarche_status demarche_compile_paths(const char* const* paths, size_t count, demarche_program** out_program,
                                       demarche_diagnostics** out_diagnostics) {
    return demarche_compile_paths_with(paths, count, nullptr, out_program, out_diagnostics);
}

demarche_status demarche_compile_string(const char* text, const char* name, demarche_program** out_program,
                                        demarche_diagnostics** out_diagnostics) {
    return demarche_compile_string_with(text, name, nullptr, out_program, out_diagnostics);
}

demarche_status demarche_compile_paths_with(const char* const* paths, size_t count,
                                            const demarche_functions* functions, demarche_program** out_program,
                                            demarche_diagnostics** out_diagnostics) {
    clear(out_program);
    clear(out_diagnostics);
    return guarded([&] {
        demarche_status status = DEMARCHE_OK;
        if (!out_program) return fail(DEMARCHE_ERROR_INVALID_ARGUMENT, "out_program is NULL");
        std::vector<std::string> list;
        if (!read_list(paths, count, "a path", list, status)) return status;
        demarche::CompileOptions options;
        if (functions) options.functions = functions->registry;
        return finish_compile(demarche::compile_paths(list, options), out_program, out_diagnostics);
    });
}

demarche_status demarche_compile_string_with(const char* text, const char* name, const demarche_functions* functions,
                                             demarche_program** out_program, demarche_diagnostics** out_diagnostics) {
    clear(out_program);
    clear(out_diagnostics);
    return guarded([&] {
        demarche_status status = DEMARCHE_OK;
        if (!out_program) return fail(DEMARCHE_ERROR_INVALID_ARGUMENT, "out_program is NULL");
        if (!check_text(text, "the rule text", status)) return status;
        if (name && !check_text(name, "the name", status)) return status;
        demarche::CompileOptions options;
        if (functions) options.functions = functions->registry;
        return finish_compile(demarche::compile_string(text, name ? name : "<string>", options), out_program,
                              out_diagnostics);
    });
}

void demarche_program_free(demarche_program* program) { delete program; }

demarche_status demarche_functions_new(demarche_functions** out_functions) {
    clear(out_functions);
    return guarded([&] {
        if (!out_functions) return fail(DEMARCHE_ERROR_INVALID_ARGUMENT, "out_functions is NULL");
        *out_functions = new demarche_functions;
        return DEMARCHE_OK;
    });
}

void demarche_functions_free(demarche_functions* functions) { delete functions; }

demarche_status demarche_functions_add(demarche_functions* functions, const char* name, const demarche_type* params,
                                       size_t param_count, demarche_type result, demarche_function_fn fn,
                                       void* user_data) {
    return guarded([&] {
        demarche_status status = DEMARCHE_OK;
        if (!functions) return fail(DEMARCHE_ERROR_INVALID_ARGUMENT, "functions is NULL");
        if (!check_text(name, "the function name", status)) return status;
        if (param_count > 0 && !params) return fail(DEMARCHE_ERROR_INVALID_ARGUMENT, "params is NULL");
        if (!fn) return fail(DEMARCHE_ERROR_INVALID_ARGUMENT, "fn is NULL");
        auto valid_type = [](demarche_type t) { return t >= DEMARCHE_TYPE_SYMBOL && t <= DEMARCHE_TYPE_ANY; };
        std::vector<demarche::ValueType> types;
        for (std::size_t i = 0; i < param_count; ++i) {
            if (!valid_type(params[i]))
                return fail(DEMARCHE_ERROR_INVALID_ARGUMENT, "parameter " + std::to_string(i + 1) + " has no valid type");
            types.push_back(static_cast<demarche::ValueType>(params[i]));
        }
        if (!valid_type(result)) return fail(DEMARCHE_ERROR_INVALID_ARGUMENT, "the result has no valid type");
        // The C function never throws; whatever it sets becomes the call's result.
        auto call = [fn, user_data](std::span<const demarche::Value> args) -> demarche::FunctionResult {
            std::vector<demarche_value> c_args;
            c_args.reserve(args.size());
            for (const demarche::Value& v : args) c_args.push_back(c_value(v));
            demarche_result r;
            fn(user_data, c_args.data(), c_args.size(), &r);
            if (r.error) return demarche::FunctionResult::error(*r.error);
            if (!r.value) return demarche::FunctionResult::error("the function set no result");
            return *r.value;
        };
        if (auto error = functions->registry->add(name, std::move(types), static_cast<demarche::ValueType>(result), call))
            return fail(DEMARCHE_ERROR_INVALID_ARGUMENT, *error);
        return DEMARCHE_OK;
    });
}

void demarche_result_symbol(demarche_result* result, const char* text) {
    if (set_text_result(result, text)) set_result(result, demarche::Symbol::intern(text));
}

void demarche_result_string(demarche_result* result, const char* text) {
    if (set_text_result(result, text)) set_result(result, std::string(text));
}

void demarche_result_int(demarche_result* result, int64_t value) { set_result(result, value); }

void demarche_result_float(demarche_result* result, double value) { set_result(result, value); }

void demarche_result_bool(demarche_result* result, int value) { set_result(result, value != 0); }

void demarche_result_error(demarche_result* result, const char* message) {
    if (!result) return;
    result->set = true;
    result->error = message && valid_utf8(message) ? message : "the function failed (no valid message)";
}

size_t demarche_diagnostics_count(const demarche_diagnostics* diagnostics) {
    return diagnostics ? diagnostics->list.size() : 0;
}

size_t demarche_diagnostics_error_count(const demarche_diagnostics* diagnostics) {
    return diagnostics ? count_errors(diagnostics->list) : 0;
}

char* demarche_diagnostics_text(const demarche_diagnostics* diagnostics) {
    char* out = nullptr;
    demarche_status status = guarded([&] {
        if (!diagnostics) return fail(DEMARCHE_ERROR_INVALID_ARGUMENT, "diagnostics is NULL");
        std::string text;
        for (const auto& d : diagnostics->list) text += demarche::render_diagnostic(d);
        out = copy_string(text);
        return DEMARCHE_OK;
    });
    return status == DEMARCHE_OK ? out : nullptr;
}

char* demarche_diagnostics_json(const demarche_diagnostics* diagnostics) {
    char* out = nullptr;
    demarche_status status = guarded([&] {
        if (!diagnostics) return fail(DEMARCHE_ERROR_INVALID_ARGUMENT, "diagnostics is NULL");
        out = copy_string(demarche::diagnostics_to_json(diagnostics->list));
        return DEMARCHE_OK;
    });
    return status == DEMARCHE_OK ? out : nullptr;
}

void demarche_diagnostics_free(demarche_diagnostics* diagnostics) { delete diagnostics; }

demarche_status demarche_load_facts(const demarche_program* program, const char* const* paths, size_t count,
                                    demarche_facts** out_facts, demarche_diagnostics** out_diagnostics) {
    clear(out_facts);
    clear(out_diagnostics);
    return guarded([&] {
        demarche_status status = DEMARCHE_OK;
        if (!program) return fail(DEMARCHE_ERROR_INVALID_ARGUMENT, "program is NULL");
        if (!out_facts) return fail(DEMARCHE_ERROR_INVALID_ARGUMENT, "out_facts is NULL");
        std::vector<std::string> list;
        if (!read_list(paths, count, "a path", list, status)) return status;
        return finish_facts(program, demarche::load_facts(program->program, list), out_facts, out_diagnostics);
    });
}

demarche_status demarche_parse_facts(const demarche_program* program, const char* text, const char* name,
                                     demarche_facts** out_facts, demarche_diagnostics** out_diagnostics) {
    clear(out_facts);
    clear(out_diagnostics);
    return guarded([&] {
        demarche_status status = DEMARCHE_OK;
        if (!program) return fail(DEMARCHE_ERROR_INVALID_ARGUMENT, "program is NULL");
        if (!out_facts) return fail(DEMARCHE_ERROR_INVALID_ARGUMENT, "out_facts is NULL");
        if (!check_text(text, "the fact text", status)) return status;
        if (name && !check_text(name, "the name", status)) return status;
        return finish_facts(program, demarche::parse_facts(program->program, text, name ? name : "<facts>"),
                            out_facts, out_diagnostics);
    });
}

size_t demarche_facts_count(const demarche_facts* facts) {
    return facts && facts->facts ? demarche::fact_count(*facts->facts) : 0;
}

void demarche_facts_free(demarche_facts* facts) { delete facts; }

demarche_status demarche_session_new(const demarche_program* program, const demarche_facts* facts,
                                     demarche_session** out_session) {
    clear(out_session);
    return guarded([&] {
        if (!program) return fail(DEMARCHE_ERROR_INVALID_ARGUMENT, "program is NULL");
        if (!out_session) return fail(DEMARCHE_ERROR_INVALID_ARGUMENT, "out_session is NULL");
        if (facts && facts->program != program->program)
            return fail(DEMARCHE_ERROR_INVALID_ARGUMENT, "the facts were loaded for another program");
        *out_session = new demarche_session(program->program, facts ? facts->facts : nullptr);
        return DEMARCHE_OK;
    });
}

void demarche_session_free(demarche_session* session) { delete session; }

demarche_status demarche_session_run(demarche_session* session, const char* strategy, int64_t max_fires,
                                     demarche_run_result* out_result) {
    if (out_result) *out_result = demarche_run_result{0, 0, 0};
    return guarded([&] {
        demarche_status status = DEMARCHE_OK;
        if (!session) return fail(DEMARCHE_ERROR_INVALID_ARGUMENT, "session is NULL");
        demarche::RunOptions options;
        if (strategy) {
            if (!check_text(strategy, "the strategy", status)) return status;
            std::optional<demarche::Strategy> s = demarche::strategy_named(strategy);
            if (!s)
                return fail(DEMARCHE_ERROR_INVALID_ARGUMENT, std::string("unknown strategy '") + strategy +
                                                                 "' (expected depth, breadth, lex or mea)");
            options.strategy = *s;
        }
        if (max_fires >= 0) options.max_fires = static_cast<std::uint64_t>(max_fires);
        prepare(*session);
        session->result = session->session.run(options);
        const demarche::RunResult& r = session->result;
        if (out_result) *out_result = demarche_run_result{r.fired, r.halted ? 1 : 0, r.complete ? 1 : 0};
        if (r.error) return fail(DEMARCHE_ERROR_RUNTIME, demarche::render_diagnostic(*r.error));
        return DEMARCHE_OK;
    });
}

demarche_status demarche_session_set_event_callback(demarche_session* session, demarche_event_fn callback,
                                                   void* user_data) {
    if (!session) return fail(DEMARCHE_ERROR_INVALID_ARGUMENT, "session is NULL");
    session->observer.fn = callback;
    session->observer.user_data = user_data;
    return DEMARCHE_OK;
}

size_t demarche_session_output_count(const demarche_session* session) {
    return session ? session->result.output.size() : 0;
}

const char* demarche_session_output_line(const demarche_session* session, size_t index) {
    if (!session || index >= session->result.output.size()) return nullptr;
    return session->result.output[index].c_str();
}

demarche_status demarche_session_result_json(const demarche_session* session, char** out_json) {
    clear(out_json);
    return guarded([&] {
        if (!session) return fail(DEMARCHE_ERROR_INVALID_ARGUMENT, "session is NULL");
        if (!out_json) return fail(DEMARCHE_ERROR_INVALID_ARGUMENT, "out_json is NULL");
        *out_json = copy_string(demarche::run_result_to_json(session->result));
        return DEMARCHE_OK;
    });
}

demarche_status demarche_session_facts_json(const demarche_session* session, char** out_json) {
    clear(out_json);
    return guarded([&] {
        if (!session) return fail(DEMARCHE_ERROR_INVALID_ARGUMENT, "session is NULL");
        if (!out_json) return fail(DEMARCHE_ERROR_INVALID_ARGUMENT, "out_json is NULL");
        *out_json = copy_string(demarche::facts_to_json(session->session.facts()));
        return DEMARCHE_OK;
    });
}

demarche_status demarche_session_query_json(const demarche_session* session, const char* name,
                                            const char* const* args, size_t count, char** out_json) {
    clear(out_json);
    return guarded([&] {
        demarche_status status = DEMARCHE_OK;
        if (!session) return fail(DEMARCHE_ERROR_INVALID_ARGUMENT, "session is NULL");
        if (!out_json) return fail(DEMARCHE_ERROR_INVALID_ARGUMENT, "out_json is NULL");
        if (!check_text(name, "the query name", status)) return status;
        std::vector<std::string> list;
        if (!read_list(args, count, "a query argument", list, status)) return status;
        demarche::QueryResult q = session->session.query(name, list);
        if (q.error) return fail(DEMARCHE_ERROR_QUERY, *q.error);
        *out_json = copy_string(demarche::query_to_json(name, q));
        return DEMARCHE_OK;
    });
}

demarche_status demarche_session_assert_json(demarche_session* session, const char* fact_json, uint64_t* out_id) {
    if (out_id) *out_id = 0;
    return guarded([&] {
        demarche_status status = DEMARCHE_OK;
        if (!session) return fail(DEMARCHE_ERROR_INVALID_ARGUMENT, "session is NULL");
        nlohmann::json j;
        if (!read_json(fact_json, "the fact", j, status)) return status;
        std::string error;
        if (!j.is_object() || !j.contains("template") || !j["template"].is_string())
            return fail(DEMARCHE_ERROR_FACT, R"(expected a fact object {"template": NAME, "slots": {FIELD: VALUE}})");
        for (const auto& item : j.items())
            if (item.key() != "template" && item.key() != "slots")
                return fail(DEMARCHE_ERROR_FACT, "unexpected key \"" + item.key() + "\" in the fact object");
        const auto& name = j["template"].get_ref<const std::string&>();
        demarche::FieldValues fields;
        const demarche::dsl::Template* t = session->session.program()->find_template(name);
        if (j.contains("slots") && !json_fields(j["slots"], t, fields, error)) return fail(DEMARCHE_ERROR_FACT, error);
        prepare(*session);
        demarche::FactResult r = session->session.assert_fact(name, fields);
        if (!r.ok()) return change_failed(*session, *r.error);
        if (out_id) *out_id = r.id;
        return DEMARCHE_OK;
    });
}

demarche_status demarche_session_assert_facts(demarche_session* session, const demarche_facts* facts) {
    return guarded([&] {
        if (!session) return fail(DEMARCHE_ERROR_INVALID_ARGUMENT, "session is NULL");
        if (!facts) return fail(DEMARCHE_ERROR_INVALID_ARGUMENT, "facts is NULL");
        if (facts->program != session->session.program())
            return fail(DEMARCHE_ERROR_INVALID_ARGUMENT, "the facts were loaded for another program");
        prepare(*session);
        demarche::FactsAsserted r = session->session.assert_facts(*facts->facts);
        if (!r.ok()) return change_failed(*session, *r.error);
        return DEMARCHE_OK;
    });
}

demarche_status demarche_session_retract(demarche_session* session, uint64_t id) {
    return guarded([&] {
        if (!session) return fail(DEMARCHE_ERROR_INVALID_ARGUMENT, "session is NULL");
        prepare(*session);
        demarche::FactResult r = session->session.retract(id);
        if (!r.ok()) return change_failed(*session, *r.error);
        return DEMARCHE_OK;
    });
}

demarche_status demarche_session_modify_json(demarche_session* session, uint64_t id, const char* changes_json,
                                             uint64_t* out_id) {
    if (out_id) *out_id = 0;
    return guarded([&] {
        demarche_status status = DEMARCHE_OK;
        if (!session) return fail(DEMARCHE_ERROR_INVALID_ARGUMENT, "session is NULL");
        nlohmann::json j;
        if (!read_json(changes_json, "the changes", j, status)) return status;
        std::string error;
        prepare(*session);
        std::optional<demarche::FactInfo> old = session->session.fact(id);
        const demarche::dsl::Template* t =
            old ? session->session.program()->find_template(old->template_name) : nullptr;
        demarche::FieldValues changes;
        if (!json_fields(j, t, changes, error)) return fail(DEMARCHE_ERROR_FACT, error);
        demarche::FactResult r = session->session.modify(id, changes);
        if (!r.ok()) return change_failed(*session, *r.error);
        if (out_id) *out_id = r.id;
        return DEMARCHE_OK;
    });
}

demarche_status demarche_session_set_recording(demarche_session* session, int on) {
    if (!session) return fail(DEMARCHE_ERROR_INVALID_ARGUMENT, "session is NULL");
    if (session->started)
        return fail(DEMARCHE_ERROR_STATE, "recording must be set before the first run or change");
    session->recording = on != 0;
    return DEMARCHE_OK;
}

demarche_status demarche_session_why(const demarche_session* session, const char* target, const char* format,
                                     char** out_text) {
    return explain(session, target, format, true, out_text);
}

demarche_status demarche_session_why_not(const demarche_session* session, const char* pattern, const char* format,
                                         char** out_text) {
    return explain(session, pattern, format, false, out_text);
}

}  // extern "C"
