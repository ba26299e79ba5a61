#!/usr/bin/env python3
"""Seeds the fuzz corpora from the repository's own inputs.

Collects every .rules, .facts and .json file under tests/, rules/ and examples/ into one
corpus folder per target (OUT/fuzz_rules, OUT/fuzz_facts, OUT/fuzz_json, OUT/fuzz_run),
each file named by the SHA-1 of its content as libFuzzer names its own finds. fuzz_run
takes rule text, a NUL byte, then fact text: each rule file alone, each rule file with each
fact file of its folder, and each folder of rule files joined into one text (imports
removed: the fuzzer compiles from memory, where imports are refused) with the fact files
of examples/<same name>/. Files over MAX_BYTES are left out: they slow every mutation.
"""
import argparse
import hashlib
import pathlib
import re

MAX_BYTES = 64 * 1024

# The repository's fact files name other templates: these fit the fixture of
# fuzz/fixture.hpp, so mutations start from facts that load and run.
FIXTURE_FACTS = b"""person(name: "Ann", age: 30, score: 1.5, alive: true, tag: x, extra: "e")
person("Bob", 17)
edge(a, b)
edge(b, c)
edge(from: c, to: a)
note()
"""
FIXTURE_JSON = b"""[{"template": "person", "slots": {"name": "Ann", "age": 30, "score": 1.5, "alive": true,
   "tag": "x", "extra": 2}},
 {"template": "edge", "slots": {"from": "a", "to": "b"}},
 {"template": "edge", "slots": {"from": "b", "to": "c"}},
 {"template": "note", "slots": {}}]
"""
SOURCES = ("tests", "rules", "examples")


def inputs(root, suffix):
    found = []
    for top in SOURCES:
        found += [p for p in (root / top).rglob("*" + suffix)
                  if p.is_file() and p.stat().st_size <= MAX_BYTES]
    return sorted(found)


def put(folder, data):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", default=pathlib.Path(__file__).resolve().parent.parent, type=pathlib.Path)
    parser.add_argument("out", type=pathlib.Path, help="folder to hold one corpus folder per target")
    args = parser.parse_args()

    rules = inputs(args.repo, ".rules")
    facts = inputs(args.repo, ".facts")
    jsons = inputs(args.repo, ".json")
    run = args.out / "fuzz_run"
    for path in rules:
        text = path.read_bytes()
        put(args.out / "fuzz_rules", text)
        put(run, text)
        for fact_file in (f for f in facts if f.parent == path.parent):
            put(run, text + b"\0" + fact_file.read_bytes())
    put(args.out / "fuzz_facts", FIXTURE_FACTS)
    put(args.out / "fuzz_json", FIXTURE_JSON)
    for path in facts:
        put(args.out / "fuzz_facts", path.read_bytes())
    for path in jsons:
        put(args.out / "fuzz_json", path.read_bytes())

    # Whole rule bases (rules/<name>/), joined, with the scenarios of examples/<name>/.
    import_line = re.compile(rb"^\s*import\b.*$", re.MULTILINE)
    for folder in sorted(p for p in (args.repo / "rules").iterdir() if p.is_dir()):
        joined = b"\n".join(import_line.sub(b"", f.read_bytes()) for f in sorted(folder.glob("*.rules")))
        put(args.out / "fuzz_rules", joined)
        put(run, joined)
        for fact_file in sorted((args.repo / "examples" / folder.name).glob("*.facts")):
            put(run, joined + b"\0" + fact_file.read_bytes())

    for target in ("fuzz_rules", "fuzz_facts", "fuzz_json", "fuzz_run"):
        folder = args.out / target
        folder.mkdir(parents=True, exist_ok=True)
        print(f"{target}: {sum(1 for _ in folder.iterdir())} seed files in {folder}")


if __name__ == "__main__":
    main()
