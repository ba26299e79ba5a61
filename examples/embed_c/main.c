/* Embedding Demarche from C: compile rules, load facts, run, print the derived facts;
 * with a TARGET, also record the run and explain TARGET (as `demarche why` does).
 * Usage: embed_c RULES_PATH FACTS_FILE [TARGET] */
#include <demarche/demarche.h>

#include <stdio.h>

int main(int argc, char** argv) {
    if (argc != 3 && argc != 4) {
        fprintf(stderr, "usage: embed_c RULES_PATH FACTS_FILE [TARGET]\n");
        return 2;
    }
    demarche_program* program = NULL;
    demarche_diagnostics* diagnostics = NULL;
    demarche_status status = demarche_compile_paths((const char* const*)&argv[1], 1, &program, &diagnostics);
    if (demarche_diagnostics_count(diagnostics) > 0) {
        char* text = demarche_diagnostics_text(diagnostics);
        fputs(text ? text : "", stderr);
        demarche_string_free(text);
    }
    demarche_diagnostics_free(diagnostics);
    if (status != DEMARCHE_OK) {
        fprintf(stderr, "compile: %s: %s\n", demarche_status_name(status), demarche_last_error());
        return 2;
    }

    demarche_facts* facts = NULL;
    status = demarche_load_facts(program, (const char* const*)&argv[2], 1, &facts, NULL);
    demarche_session* session = NULL;
    if (status == DEMARCHE_OK) status = demarche_session_new(program, facts, &session);
    if (status == DEMARCHE_OK && argc == 4) status = demarche_session_set_recording(session, 1);
    demarche_facts_free(facts);      /* the session keeps what it needs */
    demarche_program_free(program);
    if (status != DEMARCHE_OK) {
        fprintf(stderr, "%s: %s\n", demarche_status_name(status), demarche_last_error());
        return 2;
    }

    demarche_run_result result;
    status = demarche_session_run(session, "depth", 10000, &result);
    for (size_t i = 0; i < demarche_session_output_count(session); ++i)
        printf("%s\n", demarche_session_output_line(session, i));
    char* json = NULL;
    if (status == DEMARCHE_OK) status = demarche_session_facts_json(session, &json);
    if (status != DEMARCHE_OK) {
        fprintf(stderr, "%s: %s\n", demarche_status_name(status), demarche_last_error());
        demarche_session_free(session);
        return 1;
    }
    printf("fired %llu, complete %d\nfacts %s\n", (unsigned long long)result.fired, result.complete, json);
    demarche_string_free(json);

    /* The session stays live: a second run fires only what changed since (nothing). */
    status = demarche_session_run(session, "depth", 10000, &result);
    if (status == DEMARCHE_OK) printf("second run fired %llu\n", (unsigned long long)result.fired);
    if (status == DEMARCHE_OK && argc == 4) {
        char* why = NULL;
        status = demarche_session_why(session, argv[3], "text", &why);
        if (status == DEMARCHE_OK) printf("why %s:\n%s", argv[3], why);
        demarche_string_free(why);
    }
    if (status != DEMARCHE_OK) {
        fprintf(stderr, "%s: %s\n", demarche_status_name(status), demarche_last_error());
        demarche_session_free(session);
        return 1;
    }
    demarche_session_free(session);
    return 0;
}
