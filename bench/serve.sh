#!/usr/bin/env bash
# `corerecon serve` under load, with wrk on loopback: webhook POSTs of single alerts, and
# GET /api/v1/alerts?severity=high on a large queue (default 1,000,000 alerts); then the WebSocket fan-out
# (bench/ws_fanout.c, one epoll loop) beside the kernel's own cost of the same fan-out (bench/loopback_floor.c),
# and the server's RSS.
#
#   bench/serve.sh [N] [WS_CLIENTS]
#
# SQLite by default (the queue is built once with `corerecon ingest`, as bench/list.sh does, and copied);
# set CORERECON_DATABASE_URL to a PostgreSQL database to measure that instead (seed it yourself with
# `corerecon ingest`). BENCH_STREAM_ONLY=1 skips the wrk runs, BENCH_DURATION sets their length (20s).
# BENCH_CONNECTIONS sets wrk's connections (64). Needs a release build, wrk, python3 and a C compiler.
# Load stays on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."

count=${1:-1000000}
clients=${2:-20000}
bin=$(realpath "${CORERECON_BIN:-.build/release/corerecon}")
duration=${BENCH_DURATION:-20s}
connections=${BENCH_CONNECTIONS:-64}
work=$(mktemp -d /tmp/corerecon-bench-serve.XXXXXX)
cc -O2 -o "$work/ws_fanout" bench/ws_fanout.c
cc -O2 -o "$work/loopback_floor" bench/loopback_floor.c
server=""
cleanup() {
    [ -n "$server" ] && kill -TERM "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

if [ -z "${CORERECON_DATABASE_URL:-}" ]; then
    seed=/tmp/corerecon-bench-list-$count.db
    if [ ! -s "$seed" ]; then
        python3 bench/generate_alerts.py "$count" "$work/seed.ndjson" --repeat-share 0.1
        CORERECON_DATABASE_URL="sqlite:$seed" "$bin" ingest -q "$work/seed.ndjson"
        rm -f "$work/seed.ndjson"
    fi
    cp "$seed" "$work/bench.db"
    sync  # the copy's gigabytes of dirty pages would otherwise be written back during the measurements
    export CORERECON_DATABASE_URL="sqlite:$work/bench.db"
fi
"$bin" migrate -q >/dev/null
export CORERECON_JWT_SECRET=$(head -c 48 /dev/urandom | base64)
# All load comes from one address and two keys: measure the server, not its rate limits.
export CORERECON_SERVER_RATE_LIMIT_PER_ADDRESS=0 CORERECON_SERVER_RATE_LIMIT_PER_TOKEN=0
ingest_key=$("$bin" token create --name "bench-ingest-$$" --role ingest 2>/dev/null)
viewer_key=$("$bin" token create --name "bench-viewer-$$" --role viewer 2>/dev/null)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# Every stream client is a file descriptor of the server: raise the limit as far as this machine allows.
ulimit -n 1048576 2>/dev/null || ulimit -n "$(ulimit -Hn)"
limit=$(ulimit -n)
if [ "$clients" -gt $((limit - 200)) ]; then
    echo "note: the open-file limit here is $limit (hard); measuring $((limit - 200)) stream clients instead of $clients" >&2
    clients=$((limit - 200))
fi
"$bin" serve --port "$port" --log-level error 2>"$work/server.log" &
server=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
echo "serve on 127.0.0.1:$port over ${CORERECON_DATABASE_URL%%\?*}" >&2


if [ -z "${BENCH_STREAM_ONLY:-}" ]; then
echo "== webhook POSTs of single alerts ($duration, $connections connections)" >&2
INGEST_KEY=$ingest_key wrk -t2 -c"$connections" -d"$duration" --latency -s bench/webhook.lua "http://127.0.0.1:$port" | tee "$work/webhook.txt"

echo "== GET /api/v1/alerts?severity=high&limit=50 ($duration, $connections connections)" >&2
wrk -t2 -c"$connections" -d"$duration" --latency -H "Authorization: Bearer $viewer_key" \
    "http://127.0.0.1:$port/api/v1/alerts?severity=high&limit=50" | tee "$work/list.txt"

echo "== the same list at 8 connections (latency under moderate load)" >&2
wrk -t2 -c8 -d"$duration" --latency -H "Authorization: Bearer $viewer_key" \
    "http://127.0.0.1:$port/api/v1/alerts?severity=high&limit=50" | tee "$work/list8.txt"

fi

echo "== WebSocket fan-out: $clients clients, 20 alerts 0.5 s apart" >&2
"$work/ws_fanout" "$port" "$clients" "$viewer_key" "$ingest_key" 20 500

echo "== the kernel alone: one message to $((clients / 2)) loopback connections (both ends in one process)" >&2
"$work/loopback_floor" $((clients / 2)) 1400

echo "server RSS: $(( $(ps -o rss= -p "$server") / 1024 )) MB" >&2
