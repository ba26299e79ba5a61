#!/usr/bin/env python3
"""Generates inputs for the front-end benchmark: a rule file with N templates-using rules
and a .facts file with M facts, deterministic for given sizes.

Usage: gen_front_end.py OUT_DIR [--facts 1000000] [--rules 10000]
Writes OUT_DIR/schema.rules, OUT_DIR/many.rules, OUT_DIR/big.facts, OUT_DIR/big.json.
"""
import argparse
import json
import random
from pathlib import Path

SCHEMA = """\
template person { name: string  age: int  city: symbol = unknown  score: float = 0.0 }
template edge { from: symbol  to: symbol }
template flag { id: int  on: bool = false }
"""


def write_rules(out: Path, n: int, rng: random.Random):
    with open(out / "many.rules", "w") as f:
        f.write('import "schema.rules"\n\n')
        for i in range(n):
            k = rng.randrange(1000)
            f.write(
                f"rule r{i}\n"
                f'  "Generated rule {i}."\n'
                f"  salience {rng.randrange(-5, 6)}\n"
                f"when\n"
                f"  ?p <- person(name: ?n, age: ?a & >= {k % 90} & < {k % 90 + 10}, city: in [c{k % 7}, c{k % 11}])\n"
                f"  edge(from: c{k % 7}, to: ?t)\n"
                f"  not flag(id: {k}, on: true)\n"
                f"  where ?a * 2 + {k} > {k % 50}\n"
                f"then\n"
                f"  assert flag(id: {k}, on: true)\n"
                f'  print "rule {i}: ", ?n, " ", str(?a + 1)\n'
                f"end\n\n")


def write_facts(out: Path, n: int, rng: random.Random):
    with open(out / "big.facts", "w") as f, open(out / "big.json", "w") as j:
        j.write("[\n")
        for i in range(n):
            r = i % 3
            if r == 0:
                fact = f'person(name: "p{i}", age: {rng.randrange(100)}, city: c{i % 13}, score: {rng.random():.3f})'
                obj = {"template": "person", "slots": {"name": f"p{i}", "age": rng.randrange(100), "city": f"c{i % 13}"}}
            elif r == 1:
                fact = f"edge(n{i}, n{rng.randrange(n)})"
                obj = {"template": "edge", "slots": {"from": f"n{i}", "to": f"n{rng.randrange(n)}"}}
            else:
                fact = f"flag(id: {i}, on: {'true' if i % 2 else 'false'})"
                obj = {"template": "flag", "slots": {"id": i, "on": bool(i % 2)}}
            f.write(fact + "\n")
            j.write(("," if i else "") + json.dumps(obj) + "\n")
        j.write("]\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--facts", type=int, default=1_000_000)
    ap.add_argument("--rules", type=int, default=10_000)
    a = ap.parse_args()
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "schema.rules").write_text(SCHEMA)
    rng = random.Random(42)
    write_rules(out, a.rules, rng)
    write_facts(out, a.facts, rng)


if __name__ == "__main__":
    main()
