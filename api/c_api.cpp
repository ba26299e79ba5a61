// The C API (include/demarche/demarche.h): handles wrap the C++ objects; every entry
// point catches everything, so no exception crosses into C.
#include <demarche/demarche.h>

#include <demarche/compile.hpp>
#include <demarche/json.hpp>
#include <demarche/session.hpp>

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

    void on_assert(const demarche::FactInfo& f) override { send("assert", fact_text(f)); }
    void on_retract(const demarche::FactInfo& f) override { send("retract", fact_text(f)); }
    void on_activate(const demarche::ActivationInfo& a) override {
        send("activate", demarche::format_activation(a));
    }
    void on_deactivate(const demarche::ActivationInfo& a) override {
        send("deactivate", demarche::format_activation(a));
    }
    void on_fire(std::uint64_t n, const demarche::ActivationInfo& a) override {
        send("fire", std::to_string(n) + " " + demarche::format_activation(a));
    }
    void on_print(const std::string& line) override { send("print", line); }

private:
    static std::string fact_text(const demarche::FactInfo& f) {
        return "f-" + std::to_string(f.id) + " " + demarche::format_fact(f);
    }
    void send(const char* kind, const std::string& text) const { fn(user_data, kind, text.c_str()); }
};

}  // namespace

struct demarche_session {
    demarche::Session session;
    demarche::RunResult result;
    bool ran = false;
    CallbackObserver observer;
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
    }
    return "unknown status";
}

const char* demarche_last_error(void) { return last_error.c_str(); }

void demarche_string_free(char* text) { std::free(text); }

demarche_status demarche_compile_paths(const char* const* paths, size_t count, demarche_program** out_program,
                                       demarche_diagnostics** out_diagnostics) {
    clear(out_program);
    clear(out_diagnostics);
    return guarded([&] {
        demarche_status status = DEMARCHE_OK;
        if (!out_program) return fail(DEMARCHE_ERROR_INVALID_ARGUMENT, "out_program is NULL");
        std::vector<std::string> list;
        if (!read_list(paths, count, "a path", list, status)) return status;
        return finish_compile(demarche::compile_paths(list), out_program, out_diagnostics);
    });
}

demarche_status demarche_compile_string(const char* text, const char* name, demarche_program** out_program,
                                        demarche_diagnostics** out_diagnostics) {
    clear(out_program);
    clear(out_diagnostics);
    return guarded([&] {
        demarche_status status = DEMARCHE_OK;
        if (!out_program) return fail(DEMARCHE_ERROR_INVALID_ARGUMENT, "out_program is NULL");
        if (!check_text(text, "the rule text", status)) return status;
        if (name && !check_text(name, "the name", status)) return status;
        return finish_compile(demarche::compile_string(text, name ? name : "<string>"), out_program,
                              out_diagnostics);
    });
}

void demarche_program_free(demarche_program* program) { delete program; }

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
        *out_session = new demarche_session{demarche::Session(program->program, facts ? facts->facts : nullptr),
                                            {}, false, {}};
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
        if (session->ran) return fail(DEMARCHE_ERROR_STATE, "the session has already run; create a new one");
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
        if (session->observer.fn) options.observer = &session->observer;
        session->ran = true;
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

}  // extern "C"
