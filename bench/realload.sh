#!/usr/bin/env bash
# `corerecon serve` under the yardstick's load (../shared/bench/yardstick): webhook POSTs of a real 4.5-KB Elastic
# Security alert (distinct alert ids, about 20 % repeating an earlier host and user, so they merge), the alert list
# (`severity >= high`, newest 50) on a large queue, and /healthz; each at every connection count asked for. Prints
# wrk's figures, the server's share of the machine's cores during each run (wrk runs on the same machine), and the
# server's RSS.
#
#   bench/realload.sh [sqlite|postgres ...]
#
# Env: BENCH_CONNECTIONS ("64 8"), BENCH_DURATION (20s), BENCH_SEED_ROWS (1000000; the list's queue, built once per
# size and backend with `corerecon ingest` and kept under /tmp for SQLite), BENCH_TESTS ("post list healthz"),
# CORERECON_BIN (.build/release/corerecon). PostgreSQL runs as a throwaway server with fsync on
# (scripts/postgres-throwaway). Needs wrk, python3 and ../shared/data (the Elastic alert). Load stays on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."

backends=${*:-sqlite postgres}
bin=$(realpath "${CORERECON_BIN:-.build/release/corerecon}")
duration=${BENCH_DURATION:-20s}
connections=${BENCH_CONNECTIONS:-64 8}
seed_rows=${BENCH_SEED_ROWS:-1000000}
tests=${BENCH_TESTS:-post list healthz}
yardstick=$(realpath ../shared/bench/yardstick 2>/dev/null || true)
sample=${BENCH_SAMPLE:-../shared/data/alerts/elastic-security/kibana-8.1.0-es_archive-alerts-docs1-2.ndjson}
[ -f "$yardstick/post-distinct.lua" ] && [ -f "$sample" ] || {
    echo "error: needs ../shared/bench/yardstick and $sample" >&2
    exit 69
}

if [ -z "${BENCH_INNER:-}" ]; then
    for backend in $backends; do
        if [ "$backend" = postgres ]; then
            CORERECON_PG_DURABLE=1 BENCH_INNER=postgres scripts/postgres-throwaway "$0"
        else
            BENCH_INNER=sqlite "$0"
        fi
    done
    exit 0
fi

backend=$BENCH_INNER
work=$(mktemp -d /tmp/corerecon-bench-realload.XXXXXX)
server=""
cleanup() {
    [ -n "$server" ] && kill -TERM "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

export PEER_BODY_TEMPLATE=$work/body.json
head -n1 "$sample" | python3 -c 'import json, sys
d = json.load(sys.stdin)["value"]["source"]
d["host"]["name"] = "__HOST__"; d["user"] = {"name": "__USER__"}; d["source"] = {"ip": "203.0.113.10"}
d["kibana.alert.uuid"] = "__UUID__"
sys.stdout.write(json.dumps(d))' >"$PEER_BODY_TEMPLATE"

if [ "$backend" = sqlite ]; then
    export CORERECON_DATABASE_URL="sqlite:$work/bench.db"
else
    export CORERECON_DATABASE_URL=$CORERECON_TEST_POSTGRES_URL
fi
export CORERECON_JWT_SECRET=$(head -c 48 /dev/urandom | base64)
export CORERECON_SERVER_RATE_LIMIT_PER_ADDRESS=0 CORERECON_SERVER_RATE_LIMIT_PER_TOKEN=0
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port
cores=$(nproc)
ticks=$(getconf CLK_TCK)

start_server() {
    "$bin" serve --port "$port" --log-level error 2>>"$work/server.log" &
    server=$!
    for _ in $(seq 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done
}
stop_server() {
    echo "server RSS at the end: $(awk '/VmRSS/{print int($2/1024)}' /proc/$server/status) MiB, peak $(awk '/VmHWM/{print int($2/1024)}' /proc/$server/status) MiB"
    kill -TERM "$server"
    wait "$server" 2>/dev/null || true
    server=""
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$server/stat"; }
# One wrk run with the server's CPU over it: NAME CONNECTIONS wrk-arguments...
measure() {
    local name=$1 conns=$2
    shift 2
    echo "--- $name ($duration, 2 threads, $conns conns) [$backend]"
    local before after started ended
    before=$(cpu_ticks)
    started=$(date +%s.%N)
    wrk -t2 -c"$conns" -d"$duration" --timeout 30s --latency "$@"
    ended=$(date +%s.%N)
    after=$(cpu_ticks)
    python3 -c "import sys; t = ($after - $before) / $ticks; w = $ended - $started; print(f'server CPU: {t:.1f} s in {w:.1f} s, {t / w:.2f} of {$cores} cores ({100 * t / w / $cores:.0f} %)')"
}

echo "=== corerecon serve under the yardstick's load, $backend, $(date -u +%FT%TZ), $cores cores; $bin"
"$bin" migrate -q >/dev/null
ingest_key=$("$bin" token create --name "realload-ingest-$$" --role ingest 2>/dev/null)
viewer_key=$("$bin" token create --name "realload-viewer-$$" --role viewer 2>/dev/null)

if [[ " $tests " == *" post "* ]]; then
    start_server
    export PEER_API_KEY=$ingest_key
    PEER_RUN_TAG=warm wrk -t2 -c64 -d5s -s "$yardstick/post-distinct.lua" "$base/api/v1/webhooks/elastic" >/dev/null
    for conns in $connections; do
        PEER_RUN_TAG=post-$conns measure "POST /api/v1/webhooks/elastic" "$conns" -s "$yardstick/post-distinct.lua" \
            "$base/api/v1/webhooks/elastic"
    done
    stop_server
fi

if [[ " $tests " == *" list "* ]]; then
    if [ "$backend" = sqlite ]; then
        seed_db=/tmp/corerecon-bench-realload-$seed_rows.db
        if [ ! -s "$seed_db" ]; then
            python3 bench/generate_alerts.py "$seed_rows" "$work/seed.ndjson" --repeat-share 0.1 >/dev/null
            CORERECON_DATABASE_URL="sqlite:$seed_db" "$bin" ingest -q "$work/seed.ndjson" || true
            rm -f "$work/seed.ndjson"
        fi
        rm -f "$work/bench.db"*
        cp "$seed_db" "$work/bench.db"
        sync
        ingest_key=$("$bin" token create --name "realload-ingest2-$$" --role ingest 2>/dev/null)
        viewer_key=$("$bin" token create --name "realload-viewer2-$$" --role viewer 2>/dev/null)
    else
        python3 bench/generate_alerts.py "$seed_rows" "$work/seed.ndjson" --repeat-share 0.1 >/dev/null
        "$bin" ingest -q "$work/seed.ndjson" || true
        rm -f "$work/seed.ndjson"
    fi
    echo "queue: $seed_rows generated records (a tenth repeat an earlier one and merge)"
fi

if [[ " $tests " == *" list "* || " $tests " == *" healthz "* ]]; then
    start_server
    export PEER_API_KEY=$viewer_key
    if [[ " $tests " == *" list "* ]]; then
        wrk -t2 -c64 -d5s -s "$yardstick/get.lua" "$base/api/v1/alerts?severity=high&limit=50" >/dev/null
        for conns in $connections; do
            measure "GET /api/v1/alerts?severity=high&limit=50" "$conns" -s "$yardstick/get.lua" \
                "$base/api/v1/alerts?severity=high&limit=50"
        done
    fi
    if [[ " $tests " == *" healthz "* ]]; then
        for conns in $connections; do
            measure "GET /healthz" "$conns" -s "$yardstick/get.lua" "$base/healthz"
        done
    fi
    stop_server
fi
echo "=== done"
