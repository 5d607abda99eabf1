#!/usr/bin/env bash
# SQLite at scale: ingest N synthetic records (default 10,000,000) in chunks, with the rate and the database's size
# after each chunk; then `alert list` filters and full-text search at that size (p50/p99 of 40 runs each, process
# start included), then a purge of the oldest 1,000,000 alerts (a tenth of sets under 2 million).
#
#   bench/scale.sh [N] [CHUNK]              # CHUNK: records per ingest run (500,000)
#
# BENCH_MEMORY=2G (root only) runs every step inside a memory cgroup of that size. The cgroup's limit counts the
# page cache, so the database outgrows memory long before it outgrows this machine's RAM, as a 90-day store does on
# a real host. BENCH_DIR keeps the database (default /tmp/corerecon-scale); an existing database is reused and the
# ingest skipped, so the queries and the purge can be rerun. Needs a release build, python3 and sqlite3;
# about 2.2 GB of disk a million alerts. Long: about 70 minutes for 10M on 2 cores (BENCHMARKS.md, "Scale").
set -euo pipefail
cd "$(dirname "$0")/.."

count=${1:-10000000}
chunk=${2:-500000}
bin=$(realpath "${CORERECON_BIN:-.build/release/corerecon}")
dir=${BENCH_DIR:-/tmp/corerecon-scale}
db=$dir/scale.db
mkdir -p "$dir"
export CORERECON_DATABASE_URL="sqlite:$db"

if [ -n "${BENCH_MEMORY:-}" ]; then
    # The limit applies to this shell and everything it starts from here on.
    if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
        group=/sys/fs/cgroup/corerecon-scale-$$
        mkdir "$group"
        echo "$BENCH_MEMORY" >"$group/memory.max"
    else
        group=/sys/fs/cgroup/memory/corerecon-scale-$$
        mkdir "$group"
        echo "$BENCH_MEMORY" >"$group/memory.limit_in_bytes"
    fi
    echo $$ >"$group/cgroup.procs"
    trap 'echo $$ >"$(dirname "$group")/cgroup.procs"; rmdir "$group" 2>/dev/null || true' EXIT
    echo "memory limit (page cache included): $BENCH_MEMORY" >&2
fi

size_mb() { echo $((($(stat -c %s "$db") + $(stat -c %s "$db-wal" 2>/dev/null || echo 0)) / 1048576)); }

if [ ! -s "$db" ]; then
    echo "# ingest: $count records in chunks of $chunk ($(git rev-parse --short HEAD 2>/dev/null || echo '?'))"
    printf '%12s %12s %10s %9s %12s\n' records alerts "db MB" seconds "records/s"
    total=0
    alerts=0
    first=1
    seed=1
    while [ "$first" -le "$count" ]; do
        n=$((count - first + 1 < chunk ? count - first + 1 : chunk))
        python3 bench/generate_alerts.py "$n" "$dir/chunk.ndjson" --repeat-share 0.1 --first "$first" --seed "$seed"
        summary=$("$bin" ingest -q --format json "$dir/chunk.ndjson")
        rm -f "$dir/chunk.ndjson"
        read -r created seconds < <(python3 -c 'import json, sys; s = json.load(sys.stdin); print(s["created"], s["seconds"])' <<<"$summary")
        total=$((total + n))
        alerts=$((alerts + created))
        printf '%12d %12d %10d %9.1f %12.0f\n' "$total" "$alerts" "$(size_mb)" "$seconds" \
            "$(python3 -c "print($n / $seconds)")"
        first=$((first + n))
        seed=$((seed + 1))
    done
fi

alerts=$(sqlite3 "$db" "SELECT COUNT(*) FROM alerts")
echo "# $alerts alerts, $(size_mb) MB"

echo "# alert list at this size: 40 runs each after 3 warm-up runs, process start included (ms)"
python3 - "$bin" <<'EOF'
import shlex, subprocess, sys, time
queries = ["--severity high", "--status new --source suricata", "--technique T1059",
           "--since 2026-11-20T00:00:00Z --until 2026-11-21T00:00:00Z", "--search nanocore", "--search host-4242",
           "--severity critical --search lsass"]
print(f"{'alert list … --limit 50':<62} {'p50':>8} {'p99':>8} {'max':>8} {'rows':>5}")
for query in queries:
    command = [sys.argv[1], "alert", "list", *shlex.split(query), "--limit", "50", "--format", "ndjson"]
    times = []
    for run in range(43):
        start = time.perf_counter()
        rows = subprocess.run(command, check=True, capture_output=True).stdout.count(b"\n")
        if run >= 3:
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    print(f"{query:<62} {times[len(times) // 2]:8.1f} {times[int(0.99 * len(times))]:8.1f} {times[-1]:8.1f} {rows:5d}")
EOF

purge=$((alerts >= 2000000 ? 1000000 : alerts / 10))
cutoff=$(sqlite3 "$db" "SELECT strftime('%Y-%m-%dT%H:%M:%fZ', last_seen / 1000.0, 'unixepoch')
    FROM alerts ORDER BY last_seen LIMIT 1 OFFSET $purge")
echo "# purge of the oldest $purge alerts (last seen before $cutoff)"
/usr/bin/time -f "%e s, max RSS %M KB" "$bin" alert purge --older-than "$cutoff" 2>&1 | tail -n 3
echo "# after the purge: $(sqlite3 "$db" "SELECT COUNT(*) FROM alerts") alerts, $(size_mb) MB"
