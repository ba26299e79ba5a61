#!/usr/bin/env bash
# Front-end scale benchmark (issue #2): parse and check a 1,000,000-fact .facts file,
# the same facts as JSON, and a 10,000-rule file. Prints the median of N runs each.
# Usage: bench/front_end.sh [RUNS=5] [DEMARCHE=build/release/demarche]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
bin=${2:-build/release/demarche}
data=build/bench-data/front_end
[ -x "$bin" ] || { echo "build first: make release" >&2; exit 2; }
[ -f "$data/big.facts" ] || python3 bench/gen_front_end.py "$data"

measure() {  # label, then the command; prints median wall seconds and peak RSS
    local label=$1; shift
    local times=() rss=0
    for _ in $(seq "$runs"); do
        local out
        /usr/bin/time -o "$data/time.txt" -f "%e %M" "$@" >/dev/null 2>&1 || {
            echo "failed: $*" >&2; exit 1; }
        out=$(tail -1 "$data/time.txt")
        times+=("${out% *}")
        local r=${out#* }
        (( r > rss )) && rss=$r
    done
    local median
    median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    printf '%-40s median %6.2f s   peak RSS %6.1f MiB\n' "$label" "$median" "$(awk -v r="$rss" 'BEGIN {print r/1024}')"
}

facts=$(wc -l < "$data/big.facts")
echo "front end, $runs runs each, $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
measure "check schema only" "$bin" check -q "$data/schema.rules"
measure "check + $facts facts (.facts)" "$bin" check -q "$data/schema.rules" --facts "$data/big.facts"
measure "check + $facts facts (.json)" "$bin" check -q "$data/schema.rules" --facts "$data/big.json"
measure "check 10,000 rules" "$bin" check -q "$data/many.rules"
