#!/usr/bin/env bash
# What matching at ingest costs: the same alerts ingested into a database without indicators (nothing to match)
# and into one holding N indicators (every alert's observables looked up; a share of them match), in one run.
# The goal is under 10 % slower with matching on.
#
#   bench/ioc-ingest.sh [ALERTS] [INDICATORS] [RUNS]     # default 200000 alerts, 1000000 indicators, 3 runs
#
# Needs a release build (swift build -c release --product corerecon), python3 and GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."

alerts=${1:-200000}
count=${2:-1000000}
runs=${3:-3}
bin=${CORERECON_BIN:-.build/release/corerecon}
[ -x "$bin" ] || { echo "error: $bin not found; run swift build -c release --product corerecon" >&2; exit 69; }
work=$(mktemp -d /tmp/corerecon-ioc-ingest.XXXXXX)
trap 'rm -rf "$work"' EXIT

python3 bench/generate_alerts.py "$alerts" "$work/alerts.ndjson" >/dev/null
# Indicators: random addresses and names, plus 1 % of the addresses the alerts carry, so some alerts match.
python3 - "$count" "$work/alerts.ndjson" "$work/indicators.txt" <<'PY'
import json, random, re, sys
count, alerts, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
rng = random.Random(11)
seen = set()
with open(alerts) as f:
    for line in f:
        seen.update(re.findall(r'"(\d+\.\d+\.\d+\.\d+)"', line))
seen = sorted(seen)
with open(out, "w") as f:
    for address in seen[: max(1, len(seen) // 100)]:
        f.write(address + "\n")
    for i in range(count):
        if i % 2:
            f.write(f"{rng.randrange(1, 224)}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}\n")
        else:
            f.write(f"c2-{i}.evil{rng.randrange(100000)}.example\n")
PY

best() { sort -n | head -n 1; }
measure() {  # measure LABEL WITH_INDICATORS: the best wall time of RUNS fresh ingests
    local label=$1 with=$2 times=()
    for run in $(seq "$runs"); do
        rm -f "$work"/db*
        export CORERECON_DATABASE_URL="sqlite:$work/db.sqlite"
        "$bin" migrate -q
        [ "$with" = 1 ] && "$bin" ioc import -q "$work/indicators.txt" --source bench >/dev/null 2>&1 || true
        /usr/bin/time -f "%e %M" -o "$work/time" "$bin" ingest -q "$work/alerts.ndjson" 2>"$work/stderr" >/dev/null
        read -r seconds rss <"$work/time"
        times+=("$seconds")
        echo "  $label run $run: $seconds s, peak RSS $((rss / 1024)) MB $(grep -o 'matched.*' "$work/stderr" | head -n 1)" >&2
    done
    printf '%s\n' "${times[@]}" | best
}
off=$(measure "without indicators" 0)
on=$(measure "with $count indicators" 1)
python3 - "$alerts" "$off" "$on" <<'PY'
import sys
alerts, off, on = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
print(f"ingest without indicators: {alerts / off:,.0f} alerts/s ({off:.2f} s, best run)")
print(f"ingest with matching:      {alerts / on:,.0f} alerts/s ({on:.2f} s, best run)")
print(f"matching costs {100 * (on - off) / off:+.1f} % (goal: under +10 %)")
PY
