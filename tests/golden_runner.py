#!/usr/bin/env python3
"""Runs golden test cases: a folder per case, compared exactly.

A case folder holds `args` (one line: the arguments after `demarche`, split like a
shell would) and the files it names. The case runs in a scratch copy of its folder,
which is the working directory; an input too big to keep in the repository is written
there first by the case's `make_input.py`, if it has one. A link `repo` in the scratch
folder leads to the repository, so a case can run shipped files: `run repo/rules/korea`. Expected results, each compared exactly:
  expected.out   stdout (absent: stdout must be empty)
  expected.err   stderr (absent: stderr must be empty)
  expected.exit  exit status (absent: 0)
  expected.files/NAME  (optional) the file NAME in the case folder after the run,
                 e.g. what `--output NAME` wrote, or a file that must stay as it was
  expected.new   (optional) the names of the files the run added to the case folder,
                 one a line, sorted (empty: it must add none, no temporary file either)
With --quiet (or -q) among the arguments, the seconds in a summary line read
"<seconds>", the only part of the output that changes from run to run.

Usage: golden_runner.py --demarche BIN [--bless] CASE_OR_FOLDER...
A folder without `args` is searched for cases. `--bless` writes the expected files
from the actual results, for review with `git diff`.
"""
import argparse
import difflib
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

TIMEOUT_SECONDS = 120
REPO_ROOT = Path(__file__).resolve().parent.parent


def find_cases(paths):
    cases = []
    for p in map(Path, paths):
        if (p / "args").is_file():
            cases.append(p)
        else:
            cases.extend(sorted(a.parent for a in p.rglob("args")))
    return cases


def run_case(demarche, case):
    args = shlex.split((case / "args").read_text(encoding="utf-8"))
    env = dict(os.environ, NO_COLOR="1", LC_ALL="C.UTF-8")
    with tempfile.TemporaryDirectory(prefix="demarche-golden-") as scratch:
        work = Path(scratch) / "case"
        shutil.copytree(case, work, ignore=shutil.ignore_patterns("expected.*"))
        # Cases about shipped files (rules/, examples/) name them as repo/..., so the
        # paths they print are the same on every machine.
        (work / "repo").symlink_to(REPO_ROOT, target_is_directory=True)
        if (work / "make_input.py").is_file():
            subprocess.run([sys.executable, "make_input.py"], cwd=work, check=True)
        before = set(os.listdir(work))
        try:
            proc = subprocess.run([demarche] + args, cwd=work, env=env, capture_output=True,
                                  timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            return None
        files = {}
        if (case / "expected.files").is_dir():
            for f in sorted((case / "expected.files").iterdir()):
                written = work / f.name
                files[f"expected.files/{f.name}"] = (
                    written.read_bytes().decode("utf-8", "replace") if written.is_file()
                    else "<missing>\n")
        if (case / "expected.new").is_file():
            files["expected.new"] = "".join(
                f"{name}\n" for name in sorted(set(os.listdir(work)) - before))
    stdout = proc.stdout.decode("utf-8", "replace")
    if "--quiet" in args or "-q" in args:
        # The one variable part of a summary line: the seconds the command took.
        stdout = re.sub(r"; [0-9]+\.[0-9]+ s\.$", "; <seconds> s.", stdout, flags=re.M)
    return {
        "expected.out": stdout,
        "expected.err": proc.stderr.decode("utf-8", "replace"),
        "expected.exit": f"{proc.returncode}\n",
        **files,
    }


def expected_of(case, name):
    f = case / name
    if f.is_file():
        return f.read_text(encoding="utf-8")
    return "0\n" if name == "expected.exit" else ""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demarche", required=True, help="the demarche binary")
    parser.add_argument("--bless", action="store_true", help="rewrite expected files")
    parser.add_argument("paths", nargs="+")
    opts = parser.parse_args()
    demarche = str(Path(opts.demarche).resolve())

    cases = find_cases(opts.paths)
    if not cases:
        print("no golden cases found", file=sys.stderr)
        return 1
    passed = failed = 0
    for case in cases:
        actual = run_case(demarche, case)
        if actual is None:
            print(f"FAIL {case}: timed out after {TIMEOUT_SECONDS} s")
            failed += 1
            continue
        if opts.bless:
            for name, text in actual.items():
                f = case / name
                default = "0\n" if name == "expected.exit" else ""
                if text == default and name.startswith("expected.") and "/" not in name \
                        and name != "expected.new":
                    f.unlink(missing_ok=True)
                else:
                    f.write_text(text, encoding="utf-8")
            passed += 1
            continue
        problems = []
        for name, text in actual.items():
            want = expected_of(case, name)
            if text != want:
                diff = difflib.unified_diff(want.splitlines(True), text.splitlines(True),
                                            f"{name} (expected)", f"{name} (actual)")
                problems.append("".join(diff))
        if problems:
            failed += 1
            print(f"FAIL {case}")
            for p in problems:
                print(p)
        else:
            passed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
