// DEMARCHE_API marks the declarations the shared library exports; everything else is
// built with hidden visibility, so the engine's internals stay out of its symbol table.
#pragma once

#if defined(_WIN32)
#define DEMARCHE_API
#else
/// Gives a public declaration default visibility in libdemarche.so (harmless in the static library).
#define DEMARCHE_API __attribute__((visibility("default")))
#endif
