#!/usr/bin/env bash
# What response playbooks cost `corerecon serve`, in one sitting:
#   1. webhook ingest throughput (wrk, single Suricata alerts) with no playbooks, then with 10 enabled playbooks
#      whose conditions never match: the runner reads every event and evaluates 10 conditions on it;
#   2. how soon a trivial matching playbook (acknowledge the alert) has run after its event: the time from the
#      event's commit (events.at) to the run's end (playbook_runs.finished_at), for alerts sent one at a time.
#
#   bench/playbooks.sh [DURATION] [ALERTS]     # default 20s of wrk per round, 200 alerts for the latency
#
# SQLite in a temporary directory. Needs a release build, wrk, curl, python3 and sqlite3. Load stays on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."

duration=${1:-20s}
alerts=${2:-200}
connections=${BENCH_CONNECTIONS:-64}
bin=$(realpath "${CORERECON_BIN:-.build/release/corerecon}")
work=$(mktemp -d /tmp/corerecon-bench-playbooks.XXXXXX)
server=""
stop() { [ -n "$server" ] && kill -TERM "$server" 2>/dev/null && wait "$server" 2>/dev/null || true; server=""; }
trap 'stop; rm -rf "$work"' EXIT
export CORERECON_JWT_SECRET=$(head -c 48 /dev/urandom | base64)
export CORERECON_SERVER_RATE_LIMIT_PER_ADDRESS=0 CORERECON_SERVER_RATE_LIMIT_PER_TOKEN=0


# start NAME: a fresh database and config in $work/NAME, serve on a free port; sets port, key, dir.
start() {
    dir=$work/$1
    mkdir -p "$dir/playbooks"
    printf 'database:\n  url: sqlite:%s/db.sqlite\n' "$dir" >"$dir/config.yaml"
    "$bin" migrate --config "$dir/config.yaml" -q >/dev/null
    key=$("$bin" token create --config "$dir/config.yaml" --name bench --role admin 2>/dev/null)
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    "$bin" serve --config "$dir/config.yaml" --port "$port" --log-level error 2>"$dir/server.log" &
    server=$!
    for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
}
rate() { grep 'Requests/sec' "$1" | awk '{print $2}'; }

echo "== webhook ingest, no playbooks ($duration, $connections connections)" >&2
start none
INGEST_KEY=$key wrk -t2 -c"$connections" -d"$duration" -s bench/webhook.lua "http://127.0.0.1:$port" >"$work/none.txt"
stop
echo "== webhook ingest, 10 enabled playbooks that never match" >&2
start ten
for n in $(seq "${BENCH_PLAYBOOKS:-10}"); do
    cat >"$dir/playbooks/never-$n.yaml" <<YAML
name: never-$n
on:
  alert.created:
    if: alert.severity >= "critical" && contains(lower(alert.title), "never-$n") && cidrMatch(alert.observables.src_ip, "192.0.2.0/24")
  alert.updated:
    if: alert.status == "closed" && "T9999" in alert.techniques
steps:
  - uses: alert.comment
    with: { alert: "\${{ alert.id }}", text: never }
YAML
done
kill -TERM "$server"; wait "$server" 2>/dev/null || true
"$bin" serve --config "$dir/config.yaml" --port "$port" --log-level error 2>"$dir/server.log" &
server=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
INGEST_KEY=$key wrk -t2 -c"$connections" -d"$duration" -s bench/webhook.lua "http://127.0.0.1:$port" >"$work/ten.txt"
sleep 2  # let the runner finish the backlog before counting
stored=$(sqlite3 "$dir/db.sqlite" "SELECT COUNT(*) FROM alerts")
cursor=$(sqlite3 "$dir/db.sqlite" "SELECT cursor FROM playbook_state WHERE name = 'events'")
newest=$(sqlite3 "$dir/db.sqlite" "SELECT MAX(id) FROM events")
runs=$(sqlite3 "$dir/db.sqlite" "SELECT COUNT(*) FROM playbook_runs")
stop
none=$(rate "$work/none.txt"); ten=$(rate "$work/ten.txt")
python3 - "$none" "$ten" <<'PY'
import sys
none, ten = float(sys.argv[1]), float(sys.argv[2])
print(f"webhook ingest, no playbooks:          {none:10,.0f} requests/s")
print(f"webhook ingest, 10 playbooks (no match): {ten:8,.0f} requests/s  ({(ten / none - 1) * 100:+.1f} %)")
PY
echo "   runner: cursor $cursor of $newest events after the load, $runs runs (none expected), $stored alerts stored"

echo "== latency: a matching playbook, $alerts alerts sent one at a time" >&2
start latency
cat >"$dir/playbooks/ack.yaml" <<'YAML'
name: ack-scans
on:
  alert.created:
    if: contains(alert.title, "SSH Scan")
steps:
  - uses: alert.set
    with: { alert: "${{ alert.id }}", status: acknowledged }
YAML
kill -TERM "$server"; wait "$server" 2>/dev/null || true
"$bin" serve --config "$dir/config.yaml" --port "$port" --log-level error 2>"$dir/server.log" &
server=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
for n in $(seq "$alerts"); do
    curl -sf -o /dev/null -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
        --data "{\"timestamp\":\"2026-11-25T10:00:00.000000+0000\",\"flow_id\":$n,\"event_type\":\"alert\",\"src_ip\":\"203.0.113.$((n % 250 + 1))\",\"src_port\":4904,\"dest_ip\":\"10.0.0.2\",\"dest_port\":22,\"proto\":\"TCP\",\"alert\":{\"signature_id\":$((2001219 + n)),\"signature\":\"ET SCAN Potential SSH Scan $n\",\"category\":\"Attempted Information Leak\",\"severity\":2}}" \
        "http://127.0.0.1:$port/api/v1/webhooks/suricata"
    sleep 0.05
done
sleep 2
stop
sqlite3 "$dir/db.sqlite" "SELECT r.started_at - e.at, r.finished_at - e.at FROM playbook_runs r JOIN events e ON e.id = r.event_id WHERE r.status = 'succeeded'" >"$work/latency.txt"
python3 - "$work/latency.txt" "$alerts" <<'PY'
import statistics, sys
rows = [tuple(int(x) for x in line.split("|")) for line in open(sys.argv[1]) if line.strip()]
start = sorted(r[0] for r in rows); end = sorted(r[1] for r in rows)
def p(values, q): return values[min(len(values) - 1, int(q * len(values)))]
print(f"runs succeeded: {len(rows)} of {sys.argv[2]} alerts")
print(f"event -> run started:  median {statistics.median(start):.0f} ms, p95 {p(start, .95)} ms, max {max(start)} ms")
print(f"event -> run finished: median {statistics.median(end):.0f} ms, p95 {p(end, .95)} ms, max {max(end)} ms")
PY
