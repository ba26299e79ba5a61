// Owners of what the C API hands out, shared by the C API tests, so every test frees
// every handle and string even when an assertion fails half-way.
#pragma once

#include <demarche/demarche.h>

#include <string>

namespace demarche::test {

/// One string the API returned.
struct Text {
    char* p = nullptr;
    ~Text() { demarche_string_free(p); }
    std::string str() const { return p ? p : ""; }
};

/// Every kind of handle a test may create; each is freed (null is fine).
struct Handles {
    demarche_program* program = nullptr;
    demarche_facts* facts = nullptr;
    demarche_session* session = nullptr;
    demarche_diagnostics* diags = nullptr;
    demarche_functions* functions = nullptr;
    ~Handles() {
        demarche_session_free(session);
        demarche_facts_free(facts);
        demarche_program_free(program);
        demarche_diagnostics_free(diags);
        demarche_functions_free(functions);
    }
};

}  // namespace demarche::test
