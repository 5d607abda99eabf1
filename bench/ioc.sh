#!/usr/bin/env bash
# Threat-intel throughput beside the tools that do only part of the job, in one run:
#   - `ioc import` of N plain-list indicators against sqlite3's .import of the same lines;
#   - `ioc match` over M log lines against `grep -F -f` of the same values on the same input.
#
#   bench/ioc.sh [N] [M]        # default N = 1000000 indicators, M = 1000000 log lines (about 100 MB)
#
# Needs a release build (swift build -c release --product corerecon), python3, sqlite3 and GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."

count=${1:-1000000}
lines=${2:-1000000}
bin=${CORERECON_BIN:-.build/release/corerecon}
[ -x "$bin" ] || { echo "error: $bin not found; run swift build -c release --product corerecon" >&2; exit 69; }
work=$(mktemp -d /tmp/corerecon-ioc-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

echo "generating $count indicators and $lines log lines..." >&2
python3 - "$count" "$lines" "$work" <<'PY'
import random, sys
count, lines, work = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rng = random.Random(7)
values = []
with open(f"{work}/indicators.txt", "w") as out:
    for i in range(count):
        kind = i % 4
        if kind == 0:
            value = f"{rng.randrange(1, 224)}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
        elif kind == 1:
            value = f"host{i}.evil{rng.randrange(100000)}.example"
        elif kind == 2:
            value = "%032x" % rng.getrandbits(128)
        else:
            value = "%064x" % rng.getrandbits(256)
        values.append(value)
        out.write(value + "\n")
hits = 0
with open(f"{work}/access.log", "w") as out:
    for i in range(lines):
        if i % 1000 == 0:
            seen = values[rng.randrange(len(values))]
            hits += 1
        else:
            seen = f"{rng.randrange(1, 224)}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(256)}"
        out.write(f'2026-12-04T10:00:00Z GET https://www.benign{i % 997}.example/a/b?q={i} from {seen} '
                  f'ua="Mozilla/5.0 (X11; Linux x86_64)" status=200 bytes={i % 65536}\n')
print(f"{hits} lines carry an indicator", file=sys.stderr)
PY
bytes=$(stat -c %s "$work/access.log")
echo "log: $lines lines, $((bytes / 1024 / 1024)) MB" >&2

rate() { python3 -c "import sys; print(f'{int(sys.argv[1]) / float(sys.argv[2]):,.0f}')" "$1" "$2"; }
timed() {  # timed LABEL UNITS COUNT COMMAND...: wall seconds, rate and peak RSS of COMMAND
    local label=$1 units=$2 n=$3; shift 3
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/stdout" 2>"$work/stderr" || true
    read -r seconds rss <"$work/time"
    printf '%-44s %12s %s/s  %7.1f s  peak RSS %5d MB\n' "$label" "$(rate "$n" "$seconds")" "$units" "$seconds" $((rss / 1024))
    echo "$seconds" >"$work/last"
}

sqlite3 "$work/baseline.db" "PRAGMA journal_mode=WAL; CREATE TABLE raw(line TEXT);" >/dev/null
printf '.mode ascii\n.separator "\\037" "\\n"\n.import %s raw\n' "$work/indicators.txt" >"$work/import.sql"
timed "sqlite3 .import (baseline)" indicators "$count" sh -c "sqlite3 '$work/baseline.db' <'$work/import.sql'"
floor=$(cat "$work/last")
export CORERECON_DATABASE_URL="sqlite:$work/corerecon.db"
"$bin" migrate -q
timed "corerecon ioc import -> SQLite" indicators "$count" "$bin" ioc import -q "$work/indicators.txt" --source bench
ours=$(cat "$work/last")
python3 -c "import sys; print(f'import ratio (corerecon / sqlite3 .import throughput): {float(sys.argv[1]) / float(sys.argv[2]):.3f}')" "$floor" "$ours"
echo "database: $(($(stat -c %s "$work/corerecon.db") / 1024 / 1024)) MB for $count indicators" >&2

timed "grep -F -c -f values (baseline)" lines "$lines" grep -F -c -f "$work/indicators.txt" "$work/access.log"
floor=$(cat "$work/last"); grep_hits=$(cat "$work/stdout")
timed "corerecon ioc match -c" lines "$lines" "$bin" ioc match -c "$work/access.log"
ours=$(cat "$work/last"); our_hits=$(cat "$work/stdout")
echo "matching lines: grep $grep_hits, corerecon $our_hits"
python3 -c "import sys; print(f'match ratio (corerecon / grep -F throughput): {float(sys.argv[1]) / float(sys.argv[2]):.3f}')" "$floor" "$ours"
