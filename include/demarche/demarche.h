/* The C API of Demarche: compile rules, load facts, run a session, read results.
 *
 * Contracts, for every function below:
 * - Strings in and out are NUL-terminated UTF-8. An input that is not valid UTF-8 is
 *   refused with DEMARCHE_ERROR_INVALID_ARGUMENT.
 * - A function that can fail returns a demarche_status; on failure,
 *   demarche_last_error() describes it. No C++ exception ever crosses this boundary.
 * - Every handle or `char*` the API gives you is yours and must be released with the
 *   matching free function: demarche_program_free, demarche_facts_free,
 *   demarche_session_free, demarche_diagnostics_free, demarche_string_free. Every free
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
    DEMARCHE_ERROR_STATE = 5,            /**< the call does not fit the session's state (it already ran) */
    DEMARCHE_ERROR_INTERNAL = 6          /**< out of memory or an unexpected failure */
} demarche_status;

/** A checked, immutable program. */
typedef struct demarche_program demarche_program;
/** An immutable set of input facts checked against one program. */
typedef struct demarche_facts demarche_facts;
/** One run of a program over its facts: working memory, agenda, output. */
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

/** Asserts the input facts and fires rules until the agenda is empty, a rule halts,
 *  `max_fires` firings happened (negative: no limit) or a runtime error occurs.
 *  `strategy` is "depth" (also for NULL), "breadth", "lex" or "mea". A session runs
 *  once; a second call gives DEMARCHE_ERROR_STATE. On DEMARCHE_ERROR_RUNTIME,
 *  `*out_result` still tells what ran and demarche_last_error() holds the rendered
 *  diagnostic. `out_result` may be NULL. */
DEMARCHE_C_API demarche_status demarche_session_run(demarche_session* session, const char* strategy,
                                                    int64_t max_fires, demarche_run_result* out_result);

/** Number of lines printed by `print` during the run (0 before it). */
DEMARCHE_C_API size_t demarche_session_output_count(const demarche_session* session);

/** Output line `index` (0-based), borrowed: valid until the session is freed. NULL when
 *  out of range. */
DEMARCHE_C_API const char* demarche_session_output_line(const demarche_session* session, size_t index);

/** The run as JSON: {"fired", "halted", "complete", "output": [...], "error": {...}|null};
 *  before the run, {"fired": 0, ...}. A new string in *out_json. */
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

#ifdef __cplusplus
}
#endif

#endif
