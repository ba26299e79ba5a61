#!/usr/bin/env python3
"""Differential test against CLIPS: each `clips_*` case folder here holds the same
program as `case.rules` (Demarche) and `case.clp` (CLIPS, ending in `(reset) (run)
(facts)`). Both are run and their final fact sets compared, ignoring fact ids; symbols
and strings are both shown bare, so the programs avoid strings.

Usage: clips_compare.py --demarche BIN [CASE...]   (default: every clips_* folder here)
Needs `clips` on PATH (Debian package `clips`). Exit status 1 when any case differs.
"""
import argparse
import json
import re
import shlex
import subprocess
import sys
from collections import Counter
from pathlib import Path

FACT_LINE = re.compile(r"^f-\d+\s+\((.*)\)\s*$")
SLOT = re.compile(r"\((\S+) ([^()]*)\)")


def clips_facts(case):
    out = subprocess.run(["clips", "-f2", "case.clp"], cwd=case, capture_output=True, text=True,
                         timeout=300).stdout
    facts = Counter()
    for line in out.splitlines():
        m = FACT_LINE.match(line)
        if not m or m.group(1) == "initial-fact":
            continue
        body = m.group(1)
        name = body.split(" ", 1)[0]
        slots = sorted((k, v.strip('"')) for k, v in SLOT.findall(body))
        facts[(name, tuple(slots))] += 1
    return facts


def show(v):
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    return str(v)


def demarche_facts(demarche, case):
    args = shlex.split((case / "args").read_text())
    out = subprocess.run([demarche] + args + ["--format", "json"], cwd=case, capture_output=True,
                         text=True, timeout=300).stdout
    facts = Counter()
    for f in json.loads(out)["facts"]:
        slots = sorted((k, show(v)) for k, v in f["slots"].items())
        facts[(f["template"], tuple(slots))] += 1
    return facts


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--demarche", required=True)
    parser.add_argument("cases", nargs="*")
    opts = parser.parse_args()
    here = Path(__file__).resolve().parent
    cases = [Path(c) for c in opts.cases] or sorted(here.glob("clips_*/"))
    failed = 0
    for case in cases:
        ours, theirs = demarche_facts(str(Path(opts.demarche).resolve()), case), clips_facts(case)
        if ours == theirs:
            print(f"same   {case.name}: {sum(ours.values())} facts")
            continue
        failed += 1
        print(f"DIFFER {case.name}")
        for fact in sorted((ours - theirs).keys()):
            print("  only demarche:", fact)
        for fact in sorted((theirs - ours).keys()):
            print("  only clips:   ", fact)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
