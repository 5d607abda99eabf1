#!/usr/bin/env bash
# Retention under load: webhook p99 of `corerecon serve` on SQLite, first alone, then while `corerecon alert purge`
# deletes the oldest 70 % of a queue of N alerts (default 200,000) beside it; with the purge's own time.
#
#   bench/purge.sh [N]
#
# Needs a release build, wrk, python3 and sqlite3. BENCH_DURATION sets each wrk run's length (20s),
# BENCH_CONNECTIONS its connections (64). The queue is built once and kept as BENCH_SEED
# (/tmp/corerecon-bench-purge-N.db): name another when comparing binaries (CORERECON_BIN) of different schemas.
# Load stays on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."

count=${1:-200000}
bin=$(realpath "${CORERECON_BIN:-.build/release/corerecon}")
duration=${BENCH_DURATION:-20s}
connections=${BENCH_CONNECTIONS:-64}
work=$(mktemp -d /tmp/corerecon-bench-purge.XXXXXX)
server=""
cleanup() {
    [ -n "$server" ] && kill -TERM "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

seed=${BENCH_SEED:-/tmp/corerecon-bench-purge-$count.db}
if [ ! -s "$seed" ]; then
    echo "building a queue of $count alerts..." >&2
    python3 bench/generate_alerts.py "$count" "$work/seed.ndjson" --repeat-share 0.1
    CORERECON_DATABASE_URL="sqlite:$seed" "$bin" ingest -q "$work/seed.ndjson"
    rm -f "$work/seed.ndjson"
fi
cp "$seed" "$work/bench.db"
sync
export CORERECON_DATABASE_URL="sqlite:$work/bench.db"
"$bin" migrate -q >/dev/null
alerts=$(sqlite3 "$work/bench.db" "SELECT COUNT(*) FROM alerts")
# The cutoff: the last_seen below which 70 % of the alerts lie, as a time `--older-than` takes.
cutoff=$(sqlite3 "$work/bench.db" "SELECT strftime('%Y-%m-%dT%H:%M:%fZ', last_seen / 1000.0, 'unixepoch')
    FROM alerts ORDER BY last_seen LIMIT 1 OFFSET $((alerts * 7 / 10))")
echo "queue: $alerts alerts, $(($(stat -c %s "$work/bench.db") / 1048576)) MB; purging those last seen before $cutoff" >&2

export CORERECON_JWT_SECRET=$(head -c 48 /dev/urandom | base64)
export CORERECON_SERVER_RATE_LIMIT_PER_ADDRESS=0 CORERECON_SERVER_RATE_LIMIT_PER_TOKEN=0
ingest_key=$("$bin" token create --name "bench-ingest-$$" --role ingest 2>/dev/null)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$bin" serve --port "$port" --log-level error 2>"$work/server.log" &
server=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

webhook() {  # webhook LABEL: one wrk run; prints requests/s and latency percentiles
    INGEST_KEY=$ingest_key wrk -t2 -c"$connections" -d"$duration" --latency -s bench/webhook.lua \
        "http://127.0.0.1:$port" >"$work/wrk.txt"
    printf '%-34s %10s req/s  p50 %8s  p99 %8s\n' "$1" "$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")" \
        "$(awk '$1 == "50%" {print $2}' "$work/wrk.txt")" "$(awk '$1 == "99%" {print $2}' "$work/wrk.txt")"
}

webhook "webhook alone"
# The purge starts with the second run and goes on beside it for as long as it takes.
start=$(date +%s.%N)
"$bin" alert purge --older-than "$cutoff" --format json >"$work/purge.json" 2>"$work/purge.err" &
purge=$!
webhook "webhook during the purge"
wait "$purge" || { cat "$work/purge.err" >&2; exit 1; }
end=$(date +%s.%N)
python3 - "$work/purge.json" "$start" "$end" <<'PY'
import json, sys
summary = json.load(open(sys.argv[1]))
seconds = float(sys.argv[3]) - float(sys.argv[2])
purged, batches = summary["purged"], max(summary["batches"], 1)
print(f"purge: {purged:,} alerts in {batches} batches of {purged / batches:,.0f} on average, {seconds:.1f} s "
      f"({purged / seconds:,.0f} alerts/s; {summary['seconds'] * 1000 / batches:.0f} ms a batch, pauses and waits included)")
PY
