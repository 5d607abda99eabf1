#!/usr/bin/env bash
# Remote mode beside the database, in one sitting:
#  - `corerecon alert list` on a queue of N alerts (default 1,000,000; built once and kept, as bench/serve.sh
#    does) on the database and over the API of a running `corerecon serve`, with hyperfine;
#  - `corerecon ingest --server` of M alerts (default 200,000) beside the server's own webhook throughput
#    (wrk, single alerts, 64 connections, as bench/serve.sh measures it) into a fresh database;
#  - `corerecon ioc match -c` of L log lines (default 200,000, one in 1,000 with a hit) against I indicators
#    (default 10,000) on the database and over the API (lines sent a thousand at a time), with hyperfine.
#
#   bench/remote.sh [N] [M] [L] [I]
#
# BENCH_DURATION sets wrk's run (20s). Needs a release build, hyperfine, wrk and python3. Load stays on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."

count=${1:-1000000}
alerts=${2:-200000}
lines=${3:-200000}
indicators=${4:-10000}
bin=$(realpath "${CORERECON_BIN:-.build/release/corerecon}")
duration=${BENCH_DURATION:-20s}
work=$(mktemp -d /tmp/corerecon-bench-remote.XXXXXX)
server=""
stop() { [ -n "$server" ] && kill -TERM "$server" 2>/dev/null && wait "$server" 2>/dev/null || true; server=""; }
trap 'stop; rm -rf "$work"' EXIT

export CORERECON_JWT_SECRET=$(head -c 48 /dev/urandom | base64)
export CORERECON_SERVER_RATE_LIMIT_PER_ADDRESS=0 CORERECON_SERVER_RATE_LIMIT_PER_TOKEN=0
unset CORERECON_SERVER CORERECON_TOKEN
start() {  # start DATABASE_URL: serve on a free port
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    CORERECON_DATABASE_URL=$1 "$bin" serve --port "$port" --log-level error 2>"$work/server.log" &
    server=$!
    for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
}

seed=/tmp/corerecon-bench-list-$count.db
if [ ! -s "$seed" ]; then
    python3 bench/generate_alerts.py "$count" "$work/seed.ndjson" --repeat-share 0.1
    CORERECON_DATABASE_URL="sqlite:$seed" "$bin" ingest -q "$work/seed.ndjson"
    rm -f "$work/seed.ndjson"
fi
cp "$seed" "$work/queue.db"
sync
queue="sqlite:$work/queue.db"
CORERECON_DATABASE_URL=$queue "$bin" migrate -q
viewer=$(CORERECON_DATABASE_URL=$queue "$bin" token create --name "bench-viewer-$$" --role viewer 2>/dev/null)
start "$queue"
echo "== alert list, $count alerts: on the database and over the API (keep-alive is per process: one request)" >&2
hyperfine -N --warmup 5 --runs 40 --export-json "$work/list.json" \
    -n database "$bin alert list --severity high --limit 50 --format json --database-url $queue" \
    -n api "env CORERECON_TOKEN=$viewer $bin alert list --severity high --limit 50 --format json --server http://127.0.0.1:$port" \
    >&2
stop

python3 bench/generate_alerts.py "$alerts" "$work/alerts.ndjson" >/dev/null
fresh="sqlite:$work/ingest.db"
CORERECON_DATABASE_URL=$fresh "$bin" migrate -q
ingest_key=$(CORERECON_DATABASE_URL=$fresh "$bin" token create --name "bench-ingest-$$" --role ingest 2>/dev/null)
start "$fresh"
echo "== the server's webhook throughput ($duration, 64 connections, single alerts)" >&2
INGEST_KEY=$ingest_key wrk -t2 -c64 -d"$duration" -s bench/webhook.lua "http://127.0.0.1:$port" | tee "$work/webhook.txt" >&2
echo "== corerecon ingest --server, $alerts alerts" >&2
start_time=$(date +%s.%N)
CORERECON_TOKEN=$ingest_key "$bin" ingest -q "$work/alerts.ndjson" --server "http://127.0.0.1:$port" --format json \
    >"$work/ingest.json"
end_time=$(date +%s.%N)
stop

python3 - "$work" "$lines" "$indicators" <<'PY'
import random, sys
work, lines, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(7)
values = [f"{rng.randrange(1, 224)}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
          if i % 2 == 0 else f"host{i}.evil{rng.randrange(100000)}.example" for i in range(count)]
open(f"{work}/indicators.txt", "w").write("\n".join(values) + "\n")
with open(f"{work}/access.log", "w") as out:
    for i in range(lines):
        seen = values[rng.randrange(count)] if i % 1000 == 0 else \
            f"{rng.randrange(1, 224)}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(256)}"
        out.write(f'2026-12-04T10:00:00Z GET https://www.benign{i % 997}.example/a?q={i} from {seen} status=200\n')
PY
intel="sqlite:$work/intel.db"
CORERECON_DATABASE_URL=$intel "$bin" migrate -q
CORERECON_DATABASE_URL=$intel "$bin" ioc import -q "$work/indicators.txt" --source bench >/dev/null
hunter=$(CORERECON_DATABASE_URL=$intel "$bin" token create --name "bench-hunter-$$" --role analyst 2>/dev/null)
start "$intel"
echo "== ioc match -c, $lines lines against $indicators indicators: on the database and over the API" >&2
hyperfine -N --warmup 1 --runs 5 --export-json "$work/match.json" \
    -n database "$bin ioc match -c $work/access.log --database-url $intel" \
    -n api "env CORERECON_TOKEN=$hunter $bin ioc match -c $work/access.log --server http://127.0.0.1:$port" \
    >&2
stop

python3 - "$work" "$alerts" "$start_time" "$end_time" <<'PY'
import json, re, sys
work, alerts, start, end = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
runs = {r["command"]: r for r in json.load(open(f"{work}/list.json"))["results"]}
database, api = runs["database"], runs["api"]
ms = lambda seconds: seconds * 1000
print(f"alert list on the database: mean {ms(database['mean']):.1f} ms, median {ms(database['median']):.1f} ms")
print(f"alert list over the API:    mean {ms(api['mean']):.1f} ms, median {ms(api['median']):.1f} ms")
print(f"difference: {ms(api['median'] - database['median']):+.1f} ms on medians (goal: within 10 ms)")
webhook = float(re.search(r"Requests/sec:\s+([0-9.]+)", open(f"{work}/webhook.txt").read()).group(1))
summary = json.load(open(f"{work}/ingest.json"))
rate = summary["read"] / (end - start)
print(f"webhook POSTs: {webhook:,.0f} alerts/s")
print(f"ingest --server: {rate:,.0f} alerts/s ({summary['read']:,} read, {summary['created']:,} new, {end - start:.1f} s)")
print(f"ratio: {rate / webhook:.2f} of the webhook throughput (goal: at least 0.80)")
match = {r["command"]: r for r in json.load(open(f"{work}/match.json"))["results"]}
print(f"ioc match -c on the database: median {match['database']['median']:.2f} s")
print(f"ioc match -c over the API:    median {match['api']['median']:.2f} s "
      f"({match['api']['median'] / match['database']['median']:.2f}x the database)")
PY
