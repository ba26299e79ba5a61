/* The C API of Demarche: compile rules, load facts, run a session, read results.
 *
 * Contracts, for every function below:
 * - Strings in and out are NUL-terminated UTF-8. An input that is not valid UTF-8 is
 *   refused with DEMARCHE_ERROR_INVALID_ARGUMENT.
 * - A function that can fail returns a demarche_status; on failure,
 *   demarche_last_error() describes it. No C++ exception ever crosses this boundary.
 * - Every handle or `char*` the API gives you is yours and must be released with the
 *   matching free function: demarche_program_free, demarche_facts_free,
 *   demarche_session_free, demarche_diagnostics_free, demarche_functions_free,
 *   demarche_string_free. Every free
 *   function accepts NULL. A `const char*` the API returns is borrowed: do not free it.
 * - Output parameters are set to NULL (or zero) first, so they are safe to free even
 *   when a call fails.
 * - Threads: programs and fact sets are immutable and may be shared by any number of
 *   threads and sessions; a program stays alive while a session or fact set made from it
 *   lives, even after demarche_program_free. A session must be used by one thread at a
 *   time. demarche_last_error() is per thread.
 */
#ifndef DEMARCHE_DEMARCHE_H
#define DEMARCHE_DEMARCHE_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#define DEMARCHE_C_API
#else
#define DEMARCHE_C_API __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/** What a call did. */
typedef enum demarche_status {
    DEMARCHE_OK = 0,
    DEMARCHE_ERROR_INVALID_ARGUMENT = 1, /**< a NULL handle or pointer, bad UTF-8, unknown strategy */
    DEMARCHE_ERROR_COMPILE = 2,          /**< the rules or facts have errors: see the diagnostics */
    DEMARCHE_ERROR_RUNTIME = 3,          /**< a run stopped on a runtime error (a rule divided by zero...) */
    DEMARCHE_ERROR_QUERY = 4,            /**< unknown query or unusable argument */
    DEMARCHE_ERROR_STATE = 5,            /**< the call does not fit the session's state (e.g. recording turned on after the first run) */
    DEMARCHE_ERROR_INTERNAL = 6,         /**< out of memory or an unexpected failure */
    DEMARCHE_ERROR_FACT = 7              /**< a fact change was refused: unknown template, field or id, a wrong type */
} demarche_status;

/** A checked, immutable program. */
typedef struct demarche_program demarche_program;
/** An immutable set of input facts checked against one program. */
typedef struct demarche_facts demarche_facts;
/** A live working memory over a program: facts changed between runs, run again and again. */
typedef struct demarche_session demarche_session;
/** The diagnostics of a compile or fact load, as data. */
typedef struct demarche_diagnostics demarche_diagnostics;

/** What a run did. */
typedef struct demarche_run_result {
    uint64_t fired; /**< number of rule firings */
    int halted;     /**< 1 when a rule ran `halt` */
    int complete;   /**< 0 when the fire limit or a runtime error stopped the run */
} demarche_run_result;

/** The library version, e.g. "0.1.0". Static storage. */
DEMARCHE_C_API const char* demarche_version(void);

/** A constant name for a status: "ok", "invalid argument", ... Static storage. */
DEMARCHE_C_API const char* demarche_status_name(demarche_status status);

/** The message of the last failed call on this thread ("" if none). Valid until the
 *  next API call on this thread. */
DEMARCHE_C_API const char* demarche_last_error(void);

/** Releases a string returned by the API. */
DEMARCHE_C_API void demarche_string_free(char* text);

/* ---- user functions */

/** The type of a function parameter, result or value, as the field types of templates.
 *  DEMARCHE_TYPE_FLOAT accepts an int (converted); DEMARCHE_TYPE_ANY accepts every value
 *  and never describes a value itself. */
typedef enum demarche_type {
    DEMARCHE_TYPE_SYMBOL = 0,
    DEMARCHE_TYPE_STRING = 1,
    DEMARCHE_TYPE_INT = 2,
    DEMARCHE_TYPE_FLOAT = 3,
    DEMARCHE_TYPE_BOOL = 4,
    DEMARCHE_TYPE_ANY = 5,
    /* Not a type: makes every int a value of the enum, so that an out-of-range number
       from a caller (or another language's binding) is reported as an invalid argument
       instead of being undefined behaviour in C++. */
    DEMARCHE_TYPE_INVALID_ = 0x7FFFFFFF
} demarche_type;

/** One argument passed to a user function. Only the member of its type is meaningful;
 *  `text` (SYMBOL, STRING: UTF-8, NUL-terminated) is borrowed for the call. */
typedef struct demarche_value {
    demarche_type type;
    const char* text;
    int64_t int_value;
    double float_value;
    int bool_value;
} demarche_value;

/** Where a user function puts its result: call exactly one demarche_result_* setter. */
typedef struct demarche_result demarche_result;

/** Sets the result; text is copied at once (it may be freed right after). A string
 *  that is not UTF-8, or a second setter call, turns the result into an error. */
DEMARCHE_C_API void demarche_result_symbol(demarche_result* result, const char* text);
DEMARCHE_C_API void demarche_result_string(demarche_result* result, const char* text);
DEMARCHE_C_API void demarche_result_int(demarche_result* result, int64_t value);
DEMARCHE_C_API void demarche_result_float(demarche_result* result, double value);
DEMARCHE_C_API void demarche_result_bool(demarche_result* result, int value);
/** Fails the call: the run stops with a runtime error naming the rule, the call's
 *  position and `message` (copied). */
DEMARCHE_C_API void demarche_result_error(demarche_result* result, const char* message);

/** A user function: `args` holds `count` arguments checked against (and converted to)
 *  the declared parameter types. It must set `result` (no setter called is an error).
 *  It may be called from several threads at once (sessions on different threads share a
 *  program) and should be pure: the same result for the same arguments. */
typedef void (*demarche_function_fn)(void* user_data, const demarche_value* args, size_t count,
                                     demarche_result* result);

/** A set of user functions to compile with. */
typedef struct demarche_functions demarche_functions;

DEMARCHE_C_API demarche_status demarche_functions_new(demarche_functions** out_functions);
DEMARCHE_C_API void demarche_functions_free(demarche_functions* functions);

/** Registers `name(params...) -> result`. DEMARCHE_ERROR_INVALID_ARGUMENT for a name that
 *  is not an identifier, a keyword, a builtin's name (abs min max len str), a name
 *  registered already, or a NULL `fn`. `user_data` is passed back unchanged; it must
 *  stay valid as long as any program compiled with these functions. */
DEMARCHE_C_API demarche_status demarche_functions_add(demarche_functions* functions, const char* name,
                                                      const demarche_type* params, size_t param_count,
                                                      demarche_type result, demarche_function_fn fn,
                                                      void* user_data);

/* ---- compiling */

/** Compiles `.rules` files and folders (`count` paths). On success *out_program is the
 *  program; on DEMARCHE_ERROR_COMPILE it is NULL. When `out_diagnostics` is not NULL it
 *  receives every diagnostic (warnings come with a program too) and must be freed. */
DEMARCHE_C_API demarche_status demarche_compile_paths(const char* const* paths, size_t count,
                                                      demarche_program** out_program,
                                                      demarche_diagnostics** out_diagnostics);

/** Compiles rule text held in memory; `name` (may be NULL: "<string>") names it in
 *  diagnostics. Imports are refused. Otherwise as demarche_compile_paths. */
DEMARCHE_C_API demarche_status demarche_compile_string(const char* text, const char* name,
                                                       demarche_program** out_program,
                                                       demarche_diagnostics** out_diagnostics);

/** As demarche_compile_paths and demarche_compile_string, with user functions (may be
 *  NULL: none). The program takes a copy: `functions` may be freed right after. */
DEMARCHE_C_API demarche_status demarche_compile_paths_with(const char* const* paths, size_t count,
                                                           const demarche_functions* functions,
                                                           demarche_program** out_program,
                                                           demarche_diagnostics** out_diagnostics);
DEMARCHE_C_API demarche_status demarche_compile_string_with(const char* text, const char* name,
                                                            const demarche_functions* functions,
                                                            demarche_program** out_program,
                                                            demarche_diagnostics** out_diagnostics);

DEMARCHE_C_API void demarche_program_free(demarche_program* program);

/** Number of diagnostics, and of those that are errors. 0 for NULL. */
DEMARCHE_C_API size_t demarche_diagnostics_count(const demarche_diagnostics* diagnostics);
DEMARCHE_C_API size_t demarche_diagnostics_error_count(const demarche_diagnostics* diagnostics);

/** The diagnostics rendered like a compiler (`file:line:col: error: ...`, the source
 *  line and a caret). A new string (free it), or NULL on bad arguments. */
DEMARCHE_C_API char* demarche_diagnostics_text(const demarche_diagnostics* diagnostics);

/** The diagnostics as a JSON array of {file, line, column, end_line, end_column,
 *  severity, message, notes}. A new string (free it), or NULL on bad arguments. */
DEMARCHE_C_API char* demarche_diagnostics_json(const demarche_diagnostics* diagnostics);

DEMARCHE_C_API void demarche_diagnostics_free(demarche_diagnostics* diagnostics);

/* ---- facts */

/** Reads fact files (`.json` as JSON, anything else as `.facts`) against `program`.
 *  On DEMARCHE_ERROR_COMPILE *out_facts is NULL and the diagnostics say why. */
DEMARCHE_C_API demarche_status demarche_load_facts(const demarche_program* program, const char* const* paths,
                                                   size_t count, demarche_facts** out_facts,
                                                   demarche_diagnostics** out_diagnostics);

/** Reads `.facts` text held in memory; `name` (may be NULL: "<facts>") names it. */
DEMARCHE_C_API demarche_status demarche_parse_facts(const demarche_program* program, const char* text,
                                                    const char* name, demarche_facts** out_facts,
                                                    demarche_diagnostics** out_diagnostics);

/** Number of facts in a set; 0 for NULL. */
DEMARCHE_C_API size_t demarche_facts_count(const demarche_facts* facts);

DEMARCHE_C_API void demarche_facts_free(demarche_facts* facts);

/* ---- sessions */

/** A new session over `program` whose input is `facts` (may be NULL), asserted after the
 *  program's own `facts` blocks. The session keeps what it needs: the program and fact
 *  handles may be freed right after. */
DEMARCHE_C_API demarche_status demarche_session_new(const demarche_program* program, const demarche_facts* facts,
                                                    demarche_session** out_session);

DEMARCHE_C_API void demarche_session_free(demarche_session* session);

/** Receives one event of a run: `kind` is "assert", "retract", "activate",
 *  "deactivate", "fire" or "print"; `text` is the fact (`f-3 offer(kind: x, ...)`), the
 *  activation (`rule: f-1,f-2,*`), the firing (`7 rule: f-1`) or the printed line. Both
 *  strings are borrowed for the duration of the call. Called on the thread running
 *  demarche_session_run; it must not call back into the same session. */
typedef void (*demarche_event_fn)(void* user_data, const char* kind, const char* text);

/** Sets (or with NULL clears) the event callback used by the next run. `user_data` is
 *  passed back unchanged and is not owned. */
DEMARCHE_C_API demarche_status demarche_session_set_event_callback(demarche_session* session,
                                                                  demarche_event_fn callback, void* user_data);

/** Fires rules until the agenda is empty, a rule halts, `max_fires` firings happened in
 *  this call (negative: no limit) or a runtime error occurs; the first call (or the first
 *  change) asserts the input facts first. May be called again, after changes or not: it
 *  goes on with the activations waiting. `strategy` is "depth" (also for NULL),
 *  "breadth", "lex" or "mea". `*out_result` and the output lines are those of this call.
 *  On DEMARCHE_ERROR_RUNTIME, `*out_result` still tells what ran and
 *  demarche_last_error() holds the rendered diagnostic; a runtime error ends the
 *  session (later runs and changes give DEMARCHE_ERROR_RUNTIME again, reading still
 *  works). `out_result` may be NULL. */
DEMARCHE_C_API demarche_status demarche_session_run(demarche_session* session, const char* strategy,
                                                    int64_t max_fires, demarche_run_result* out_result);

/** Number of lines printed by `print` during the last run (0 before it). */
DEMARCHE_C_API size_t demarche_session_output_count(const demarche_session* session);

/** Output line `index` (0-based) of the last run, borrowed: valid until the next run
 *  or until the session is freed. NULL when out of range. */
DEMARCHE_C_API const char* demarche_session_output_line(const demarche_session* session, size_t index);

/** The last run as JSON: {"fired", "halted", "complete", "output": [...], "error": {...}|null};
 *  before the first run, {"fired": 0, ...}. A new string in *out_json. */
DEMARCHE_C_API demarche_status demarche_session_result_json(const demarche_session* session, char** out_json);

/** The facts present now, in id order, as a JSON array of
 *  {"id", "template", "slots": {FIELD: VALUE}, "derived"}. A new string in *out_json. */
DEMARCHE_C_API demarche_status demarche_session_facts_json(const demarche_session* session, char** out_json);

/** Evaluates query `name` over the facts present now. `args` (`count` strings, may be
 *  NULL when count is 0) are read by the type of the field each parameter is bound to.
 *  On success *out_json is {"query", "variables": [...], "answers": [{VAR: VALUE}],
 *  "count"}; on DEMARCHE_ERROR_QUERY it is NULL and demarche_last_error() says why. */
DEMARCHE_C_API demarche_status demarche_session_query_json(const demarche_session* session, const char* name,
                                                           const char* const* args, size_t count,
                                                           char** out_json);

/* ---- changing facts between runs: inputs, as facts from fact files are */

/** Asserts one fact given as JSON, in the shape of a JSON fact file's elements and of
 *  demarche_session_facts_json: {"template": NAME, "slots": {FIELD: VALUE, ...}}. A JSON
 *  string is a symbol or a string as the field's type says (a string for `any`); fields
 *  left out take their defaults. *out_id (may be NULL) gets the fact's id, or the id of
 *  an equal fact already present (then nothing is asserted). DEMARCHE_ERROR_FACT with a
 *  message (with "did you mean") when the fact does not fit the templates; the session is
 *  then unchanged. Nothing fires until the next run. */
DEMARCHE_C_API demarche_status demarche_session_assert_json(demarche_session* session, const char* fact_json,
                                                            uint64_t* out_id);

/** Asserts every fact of `facts` (loaded or parsed for the session's program) in order. */
DEMARCHE_C_API demarche_status demarche_session_assert_facts(demarche_session* session,
                                                             const demarche_facts* facts);

/** Retracts fact `id`. DEMARCHE_ERROR_FACT for an id never given or already retracted. */
DEMARCHE_C_API demarche_status demarche_session_retract(demarche_session* session, uint64_t id);

/** Replaces fact `id` by a copy with the changes applied, given as a JSON object
 *  {FIELD: VALUE, ...}, like the rule language's `modify`: the new fact gets a new id,
 *  written to *out_id (may be NULL). Errors as demarche_session_assert_json, plus
 *  DEMARCHE_ERROR_FACT for an unknown or retracted id. */
DEMARCHE_C_API demarche_status demarche_session_modify_json(demarche_session* session, uint64_t id,
                                                            const char* changes_json, uint64_t* out_id);

/* ---- explanations */

/** Turns on recording of provenance for `why` and `why-not`. Call it before the first run
 *  or change (DEMARCHE_ERROR_STATE afterwards). Recording costs time and memory. */
DEMARCHE_C_API demarche_status demarche_session_set_recording(demarche_session* session, int on);

/** Explains `target` (a fact id `f-23`, a template name or a pattern such as
 *  `cheap(name: pen)`) from the facts present now: where each came from. `format` is
 *  "text" (also for NULL), "json" or "dot". A new string in *out_text. DEMARCHE_ERROR_STATE
 *  without recording; DEMARCHE_ERROR_QUERY when the target has errors or no fact
 *  matches it (demarche_last_error() says which). */
DEMARCHE_C_API demarche_status demarche_session_why(const demarche_session* session, const char* target,
                                                    const char* format, char** out_text);

/** Explains why no fact matching `pattern` is present: the rules that could assert one
 *  and the first condition of each that failed. `format` is "text" (also for NULL) or
 *  "json". Errors as demarche_session_why. */
DEMARCHE_C_API demarche_status demarche_session_why_not(const demarche_session* session, const char* pattern,
                                                        const char* format, char** out_text);

#ifdef __cplusplus
}
#endif

#endif
