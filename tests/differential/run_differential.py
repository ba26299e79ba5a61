#!/usr/bin/env python3
"""Differential tests: run each case through Demarche and through CLIPS, compare the
final facts.

A case folder holds program.rules (our language, optionally with input.facts) and
program.clp (the same program in CLIPS: deftemplates with the same slot names,
deffacts, defrules). Demarche runs `run program.rules [--facts input.facts] --format
json`; CLIPS runs a generated batch file that loads program.clp, does (reset) and
(run), and prints every fact. Both fact lists become multisets of (template, field
values) -- fact ids differ between engines, so they are left out -- and must be equal.
When program.rules holds the line `# differential: fired-must-agree`, the numbers of
rules fired must be equal too (the case's comment says why the count cannot depend on
the agenda order); with `# differential: output-must-agree`, so must the lines printed
(`print` here, `printout t ... crlf` there). Each --strategy (default depth) runs both
engines with that strategy: (set-strategy S) in CLIPS, --strategy S here.

Value kinds line up as follows: our symbol = CLIPS SYMBOL, our string = CLIPS STRING,
int = INTEGER, float = FLOAT (compared to 15 significant digits), our bool true/false
= the CLIPS symbols TRUE/FALSE. The JSON output writes symbols and strings alike as
JSON strings, so the kind of a text value is taken from the field's declared type in
the program's templates; in an `any` field only the text is compared.

Usage: run_differential.py --demarche BIN [--clips clips] [--strategy S]... CASE_DIR...
Prints one line per case and strategy, then `N passed, M failed`; exits 1 if any case
failed. A missing `clips` executable fails every case: it never passes silently.
"""

import argparse
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

FIRED_MARKER = re.compile(r"^#\s*differential:\s*fired-must-agree\s*$", re.MULTILINE)
OUTPUT_MARKER = re.compile(r"^#\s*differential:\s*output-must-agree\s*$", re.MULTILINE)
STRATEGIES = ("depth", "breadth", "lex", "mea")
CLIPS_ERROR = re.compile(r"^\[[A-Z]+[0-9]+\]", re.MULTILINE)
CLIPS_FIRED = re.compile(r"^([0-9]+) rules? fired", re.MULTILINE)

# Prints each fact as `@@FACT relation` followed by one `@@SLOT name TYPE value` line per
# slot; a string also carries its length so a value that does not fit on one line is
# caught rather than misread. Floats are printed with 17 digits so they read back exactly.
CLIPS_DUMP = r"""
(deffunction demarche-diff-dump ()
  (printout t "@@BEGIN" crlf)
  (progn$ (?f (get-fact-list))
    (printout t "@@FACT " (fact-relation ?f) crlf)
    (progn$ (?s (fact-slot-names ?f))
      (bind ?v (fact-slot-value ?f ?s))
      (bind ?t (type ?v))
      (if (eq ?t STRING) then
        (printout t "@@SLOT " ?s " STRING " (str-length ?v) " " ?v crlf)
       else (if (eq ?t FLOAT) then
        (printout t "@@SLOT " ?s " FLOAT " (format nil "%.17g" ?v) crlf)
       else
        (printout t "@@SLOT " ?s " " ?t " " ?v crlf)))))
  (printout t "@@END" crlf))
"""


class CaseError(Exception):
    """The case could not be run or its output could not be read."""


# --- templates of program.rules: the declared type of every field -------------------

TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>"(?:[^"\\\n]|\\.)*")
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<number>[0-9][0-9A-Za-z_.+-]*)
  | (?P<punct>.)
""", re.VERBOSE | re.DOTALL)


def tokens(text):
    for m in TOKEN.finditer(text):
        kind = m.lastgroup
        if kind not in ("space", "comment"):
            yield kind, m.group()


def field_types(rules_path, seen=None):
    """{template: {field: type}} for every template in the file and its imports."""
    seen = set() if seen is None else seen
    path = os.path.realpath(rules_path)
    if path in seen:
        return {}
    seen.add(path)
    with open(path, encoding="utf-8") as f:
        toks = list(tokens(f.read()))
    result = {}
    i = 0
    while i < len(toks):
        kind, text = toks[i]
        if kind == "word" and text == "import" and i + 1 < len(toks) and toks[i + 1][0] == "string":
            imported = os.path.join(os.path.dirname(path), toks[i + 1][1][1:-1])
            result.update(field_types(imported, seen))
            i += 2
            continue
        if (kind == "word" and text == "template" and i + 2 < len(toks)
                and toks[i + 1][0] == "word" and toks[i + 2][1] == "{"):
            fields = {}
            j = i + 3
            while j + 2 < len(toks) and toks[j][1] != "}":
                if toks[j][0] == "word" and toks[j + 1][1] == ":" and toks[j + 2][0] == "word":
                    fields[toks[j][1]] = toks[j + 2][1]
                    j += 3
                else:
                    j += 1
            result[toks[i + 1][1]] = fields
            i = j
        i += 1
    return result


# --- normalised facts -------------------------------------------------------------

def float_key(x):
    return float("%.15g" % x)


def demarche_value(value, declared):
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int):
        return ("int", value)
    if isinstance(value, float):
        return ("float", float_key(value))
    if isinstance(value, str):
        if declared == "symbol":
            return ("symbol", value)
        if declared == "string":
            return ("string", value)
        return ("text", value)
    return ("other", json.dumps(value))


def clips_value(kind, raw, declared):
    if kind in ("SYMBOL", "STRING") and declared in (None, "any"):
        return ("text", raw)
    if kind == "SYMBOL":
        if declared == "bool" and raw in ("TRUE", "FALSE"):
            return ("bool", raw == "TRUE")
        return ("symbol", raw)
    if kind == "STRING":
        return ("string", raw)
    if kind == "INTEGER":
        return ("int", int(raw))
    if kind == "FLOAT":
        return ("float", float_key(float(raw)))
    return ("other", kind + " " + raw)


def render(fact):
    template, slots = fact
    parts = []
    for field, (kind, value) in slots:
        if kind == "string":
            text = json.dumps(value)
        elif kind == "bool":
            text = "true" if value else "false"
        elif kind == "other":
            text = "<" + value + ">"
        else:
            text = str(value)
        parts.append("%s: %s" % (field, text))
    return "%s(%s)" % (template, ", ".join(parts))


# --- running the two engines ----------------------------------------------------------

def run_demarche(binary, case_dir, types, strategy, timeout):
    cmd = [binary, "run", "program.rules"]
    if os.path.exists(os.path.join(case_dir, "input.facts")):
        cmd += ["--facts", "input.facts"]
    cmd += ["--strategy", strategy, "--format", "json"]
    try:
        proc = subprocess.run(cmd, cwd=case_dir, stdin=subprocess.DEVNULL, capture_output=True,
                              encoding="utf-8", errors="replace", timeout=timeout)
    except subprocess.TimeoutExpired:
        raise CaseError("demarche did not finish within %d s" % timeout)
    except OSError as e:
        raise CaseError("cannot run demarche: %s" % e)
    if proc.returncode != 0:
        raise CaseError("demarche exited with status %d\n%s"
                        % (proc.returncode, proc.stderr.strip()))
    try:
        out = json.loads(proc.stdout)
        if not out["complete"]:
            raise CaseError("demarche reports the run as incomplete")
        facts = []
        for fact in out["facts"]:
            declared = types.get(fact["template"], {})
            slots = tuple(sorted((field, demarche_value(v, declared.get(field)))
                                 for field, v in fact["slots"].items()))
            facts.append((fact["template"], slots))
        return facts, out["fired"], [str(line) for line in out["output"]]
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        raise CaseError("cannot read demarche's JSON output (%s): %s" % (e, proc.stdout[:500]))


def clips_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def run_clips(clips, case_dir, types, strategy, timeout):
    program = os.path.abspath(os.path.join(case_dir, "program.clp"))
    batch = CLIPS_DUMP + """
(if (not (load* %s)) then (printout t "@@LOADFAIL" crlf) (exit 3))
(set-strategy %s)
(reset)
(watch statistics)
(printout t "@@RUN" crlf)
(run)
(unwatch statistics)
(demarche-diff-dump)
(exit)
""" % (clips_string(program), strategy)
    with tempfile.TemporaryDirectory(prefix="demarche-diff-") as tmp:
        batch_path = os.path.join(tmp, "run.bat")
        with open(batch_path, "w", encoding="utf-8") as f:
            f.write(batch)
        try:
            proc = subprocess.run([clips, "-f2", batch_path], cwd=tmp, stdin=subprocess.DEVNULL,
                                  capture_output=True, encoding="utf-8", errors="replace",
                                  timeout=timeout)
        except subprocess.TimeoutExpired:
            raise CaseError("clips did not finish within %d s" % timeout)
        except OSError as e:
            raise CaseError("cannot run clips: %s" % e)
    out = proc.stdout
    if "@@LOADFAIL" in out or CLIPS_ERROR.search(out) or proc.returncode != 0:
        raise CaseError("clips failed (status %d):\n%s"
                        % (proc.returncode, (out + proc.stderr).strip()))
    run_start = out.find("@@RUN\n")
    fired = CLIPS_FIRED.search(out, run_start + 1) if run_start >= 0 else None
    if not fired or "@@BEGIN" not in out or "@@END" not in out:
        raise CaseError("cannot read clips's output:\n" + out.strip())
    printed = out[run_start + len("@@RUN\n"):fired.start()].splitlines()
    facts = []
    current = None
    for line in out[out.index("@@BEGIN"):out.index("@@END")].splitlines()[1:]:
        if line.startswith("@@FACT "):
            if current is not None:
                facts.append(current)
            current = [line[len("@@FACT "):], []]
        elif line.startswith("@@SLOT ") and current is not None:
            _, field, kind, raw = (line.split(" ", 3) + [""])[:4]
            declared = types.get(current[0], {}).get(field)
            if kind == "STRING":
                length, _, raw = raw.partition(" ")
                # str-length counts bytes or characters depending on the CLIPS build
                if int(length) not in (len(raw), len(raw.encode("utf-8"))):
                    raise CaseError("a string in clips's output spans lines: %r" % raw)
            current[1].append((field, clips_value(kind, raw, declared)))
        else:
            raise CaseError("unexpected line in clips's output: %r" % line)
    if current is not None:
        facts.append(current)
    normal = [(name, tuple(sorted(slots))) for name, slots in facts if name != "initial-fact"]
    return normal, int(fired.group(1)), printed


# --- one case -------------------------------------------------------------------------

def run_case(args, case_dir, strategy):
    """Returns (ok, message lines)."""
    rules = os.path.join(case_dir, "program.rules")
    for needed in (rules, os.path.join(case_dir, "program.clp")):
        if not os.path.isfile(needed):
            return False, ["missing " + needed]
    if args.clips_path is None:
        return False, ["clips not found (looked for %r): install Debian's `clips` package; "
                       "these tests never pass without it" % args.clips]
    with open(rules, encoding="utf-8") as f:
        text = f.read()
    fired_must_agree = bool(FIRED_MARKER.search(text))
    output_must_agree = bool(OUTPUT_MARKER.search(text))
    try:
        types = field_types(rules)
        ours, our_fired, our_output = run_demarche(args.demarche, case_dir, types, strategy,
                                                   args.timeout)
        theirs, their_fired, their_output = run_clips(args.clips_path, case_dir, types, strategy,
                                                      args.timeout)
    except CaseError as e:
        return False, str(e).splitlines()
    ours_c = collections.Counter(ours)
    theirs_c = collections.Counter(theirs)
    messages = []
    only_ours = sorted((ours_c - theirs_c).items())
    only_theirs = sorted((theirs_c - ours_c).items())
    for label, diff in (("only in demarche", only_ours), ("only in clips", only_theirs)):
        if diff:
            messages.append("%s (%d):" % (label, sum(n for _, n in diff)))
            for fact, n in diff[:args.max_diff]:
                messages.append("  " + render(fact) + ("  x%d" % n if n > 1 else ""))
            if len(diff) > args.max_diff:
                messages.append("  ... %d more" % (len(diff) - args.max_diff))
    if fired_must_agree and our_fired != their_fired:
        messages.append("rules fired: demarche %d, clips %d" % (our_fired, their_fired))
    if output_must_agree and our_output != their_output:
        messages.append("printed lines differ (demarche | clips):")
        for i in range(max(len(our_output), len(their_output))):
            mine = our_output[i] if i < len(our_output) else "<none>"
            other = their_output[i] if i < len(their_output) else "<none>"
            flag = "  " if mine == other else "!!"
            messages.append("  %s %3d: %s | %s" % (flag, i + 1, mine, other))
    summary = "%d facts, fired demarche %d / clips %d%s" % (
        len(ours), our_fired, their_fired, "" if fired_must_agree else " (not compared)")
    if messages:
        return False, [summary] + messages
    return True, [summary]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--demarche", required=True, help="the demarche binary")
    parser.add_argument("--clips", default="clips", help="the CLIPS executable (default: clips)")
    parser.add_argument("--strategy", action="append", choices=STRATEGIES + ("all",),
                        help="agenda strategy for both engines, repeatable; `all` = %s "
                             "(default: depth)" % ", ".join(STRATEGIES))
    parser.add_argument("--timeout", type=int, default=120, help="seconds per engine run")
    parser.add_argument("--max-diff", type=int, default=40, help="differing facts shown per side")
    parser.add_argument("cases", nargs="+", metavar="CASE_DIR")
    args = parser.parse_args()
    args.demarche = os.path.abspath(args.demarche)
    args.clips_path = shutil.which(args.clips)
    strategies = args.strategy or ["depth"]
    if "all" in strategies:
        strategies = list(STRATEGIES)

    passed = failed = 0
    for case_dir in args.cases:
        name = os.path.basename(os.path.normpath(case_dir))
        for strategy in strategies:
            ok, messages = run_case(args, case_dir, strategy)
            print("%s %s [%s]: %s" % ("PASS" if ok else "FAIL", name, strategy, messages[0]))
            for line in messages[1:]:
                print("    " + line)
            if ok:
                passed += 1
            else:
                failed += 1
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
