#!/usr/bin/env python3
"""Embedding Demarche from Python through its C API, with ctypes only.

Usage: demarche_ctypes.py [RULES_PATH [FACTS_FILE...]]
(defaults: rules/korea and examples/korea/binding_treaty.facts of the source tree).
Runs the rules, lists the derived facts, then keeps the session live: retracts the
first input fact, runs again and explains the first derived fact still present.
The library is found through $DEMARCHE_LIBRARY, else as "libdemarche.so" on the
loader's path (e.g. LD_LIBRARY_PATH=/usr/local/lib).
"""
import ctypes
import json
import os
import sys


class Error(Exception):
    """A failed call: the status name and the library's message."""


class RunResult(ctypes.Structure):
    _fields_ = [("fired", ctypes.c_uint64), ("halted", ctypes.c_int), ("complete", ctypes.c_int)]


def load_library(path=None):
    lib = ctypes.CDLL(path or os.environ.get("DEMARCHE_LIBRARY") or "libdemarche.so")
    p, pp = ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p)
    strs = ctypes.POINTER(ctypes.c_char_p)
    status = ctypes.c_int
    sigs = {
        "demarche_version": (ctypes.c_char_p, []),
        "demarche_status_name": (ctypes.c_char_p, [status]),
        "demarche_last_error": (ctypes.c_char_p, []),
        # Strings the caller must free come back as void* so ctypes does not copy and lose them.
        "demarche_string_free": (None, [p]),
        "demarche_compile_paths": (status, [strs, ctypes.c_size_t, pp, pp]),
        "demarche_compile_string": (status, [ctypes.c_char_p, ctypes.c_char_p, pp, pp]),
        "demarche_program_free": (None, [p]),
        "demarche_diagnostics_count": (ctypes.c_size_t, [p]),
        "demarche_diagnostics_text": (p, [p]),
        "demarche_diagnostics_free": (None, [p]),
        "demarche_load_facts": (status, [p, strs, ctypes.c_size_t, pp, pp]),
        "demarche_facts_free": (None, [p]),
        "demarche_session_new": (status, [p, p, pp]),
        "demarche_session_free": (None, [p]),
        "demarche_session_run": (status, [p, ctypes.c_char_p, ctypes.c_int64, ctypes.POINTER(RunResult)]),
        "demarche_session_output_count": (ctypes.c_size_t, [p]),
        "demarche_session_output_line": (ctypes.c_char_p, [p, ctypes.c_size_t]),
        "demarche_session_facts_json": (status, [p, ctypes.POINTER(p)]),
        "demarche_session_query_json": (status, [p, ctypes.c_char_p, strs, ctypes.c_size_t, ctypes.POINTER(p)]),
        "demarche_session_assert_json": (status, [p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_uint64)]),
        "demarche_session_retract": (status, [p, ctypes.c_uint64]),
        "demarche_session_modify_json": (status, [p, ctypes.c_uint64, ctypes.c_char_p, ctypes.POINTER(ctypes.c_uint64)]),
        "demarche_session_set_recording": (status, [p, ctypes.c_int]),
        "demarche_session_why": (status, [p, ctypes.c_char_p, ctypes.c_char_p, ctypes.POINTER(p)]),
        "demarche_session_why_not": (status, [p, ctypes.c_char_p, ctypes.c_char_p, ctypes.POINTER(p)]),
    }
    for name, (res, args) in sigs.items():
        fn = getattr(lib, name)
        fn.restype, fn.argtypes = res, args
    return lib


def take_string(lib, ptr):
    """Copies a string the library allocated, then frees it."""
    if not ptr:
        return None
    try:
        return ctypes.string_at(ptr).decode("utf-8")
    finally:
        lib.demarche_string_free(ptr)


def check(lib, status):
    if status != 0:
        raise Error(f"{lib.demarche_status_name(status).decode()}: {lib.demarche_last_error().decode('utf-8')}")


def c_strings(items):
    arr = (ctypes.c_char_p * max(len(items), 1))()
    for i, s in enumerate(items):
        arr[i] = s.encode("utf-8")
    return arr


def diagnostics_text(lib, diags):
    if not diags or lib.demarche_diagnostics_count(diags) == 0:
        return ""
    return take_string(lib, lib.demarche_diagnostics_text(diags)) or ""


class Session:
    """A live session: compile, load facts, then run, change facts and run again."""

    def __init__(self, lib, rules, fact_files, record=False):
        self.lib = lib
        program, diags = ctypes.c_void_p(), ctypes.c_void_p()
        status = lib.demarche_compile_paths(c_strings([rules]), 1, ctypes.byref(program), ctypes.byref(diags))
        sys.stderr.write(diagnostics_text(lib, diags))
        lib.demarche_diagnostics_free(diags)
        check(lib, status)
        facts, self.handle = ctypes.c_void_p(), ctypes.c_void_p()
        try:
            diags = ctypes.c_void_p()
            status = lib.demarche_load_facts(program, c_strings(fact_files), len(fact_files), ctypes.byref(facts),
                                             ctypes.byref(diags))
            sys.stderr.write(diagnostics_text(lib, diags))
            lib.demarche_diagnostics_free(diags)
            check(lib, status)
            check(lib, lib.demarche_session_new(program, facts, ctypes.byref(self.handle)))
            if record:
                check(lib, lib.demarche_session_set_recording(self.handle, 1))
        finally:
            lib.demarche_facts_free(facts)  # the session keeps what it needs
            lib.demarche_program_free(program)

    def close(self):
        self.lib.demarche_session_free(self.handle)
        self.handle = ctypes.c_void_p()

    def run(self, strategy="depth", max_fires=-1):
        """Runs (again); returns (result, the lines printed by this run)."""
        result = RunResult()
        check(self.lib, self.lib.demarche_session_run(self.handle, strategy.encode(), max_fires, ctypes.byref(result)))
        output = [self.lib.demarche_session_output_line(self.handle, i).decode("utf-8")
                  for i in range(self.lib.demarche_session_output_count(self.handle))]
        return result, output

    def facts(self):
        out = ctypes.c_void_p()
        check(self.lib, self.lib.demarche_session_facts_json(self.handle, ctypes.byref(out)))
        return json.loads(take_string(self.lib, out.value))

    def assert_fact(self, template, **slots):
        """Asserts template(slots...); returns the fact id."""
        fact_id = ctypes.c_uint64()
        text = json.dumps({"template": template, "slots": slots}).encode("utf-8")
        check(self.lib, self.lib.demarche_session_assert_json(self.handle, text, ctypes.byref(fact_id)))
        return fact_id.value

    def retract(self, fact_id):
        check(self.lib, self.lib.demarche_session_retract(self.handle, fact_id))

    def why(self, target, fmt="text"):
        out = ctypes.c_void_p()
        check(self.lib, self.lib.demarche_session_why(self.handle, target.encode("utf-8"), fmt.encode(),
                                                      ctypes.byref(out)))
        return take_string(self.lib, out.value)


def source_form(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    rules = argv[1] if len(argv) > 1 else os.path.join(root, "rules", "korea")
    fact_files = argv[2:] if len(argv) > 2 else [os.path.join(root, "examples", "korea", "binding_treaty.facts")]
    lib = load_library()
    try:
        session = Session(lib, rules, fact_files, record=True)
    except Error as e:
        print(f"demarche: {e}", file=sys.stderr)
        return 1
    try:
        result, output = session.run()
        for line in output:
            print(line)
        for f in session.facts():
            if f["derived"]:
                slots = ", ".join(f"{k}: {source_form(v)}" for k, v in f["slots"].items())
                print(f"f-{f['id']} {f['template']}({slots})")
        print(f"fired {result.fired}, complete {bool(result.complete)} (libdemarche {lib.demarche_version().decode()})")
        # The session stays live: take the first input fact back and run again.
        first = next((f for f in session.facts() if not f["derived"]), None)
        if first:
            session.retract(first["id"])
            again, _ = session.run()
            left = [f for f in session.facts() if f["derived"]]
            print(f"after retracting f-{first['id']}: fired {again.fired}, {len(left)} derived facts")
            if left:
                print(session.why(f"f-{left[0]['id']}"), end="")
    except Error as e:
        print(f"demarche: {e}", file=sys.stderr)
        return 1
    finally:
        session.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
