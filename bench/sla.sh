#!/usr/bin/env bash
# SLA sweeps at scale: N open alerts (two clocks each: acknowledge and resolve) in an SQLite database, then
#   1. an idle sweep (nothing due) — what cron or `serve` pays every interval;
#   2. a sweep that records 1,000 new breaches (history lines, stream events, outbox rows);
#   3. routing and delivering those 1,000 notifications to a webhook receiver on loopback (Python);
#   4. `sla status --breached` and `sla report` over every clock;
#   5. a sweep that records every acknowledge clock breached at once (N records);
#   6. what starting the clocks costs ingest: the same alerts ingested with and without policies.
#
#   bench/sla.sh [ALERTS] [RUNS]        # default 100000 alerts, 10 runs of each timed command
#
# Needs a release build (swift build -c release --product corerecon), python3, sqlite3 and hyperfine.
set -euo pipefail
cd "$(dirname "$0")/.."

alerts=${1:-100000}
runs=${2:-10}
bin=${CORERECON_BIN:-.build/release/corerecon}
[ -x "$bin" ] || { echo "error: $bin not found; run swift build -c release --product corerecon" >&2; exit 69; }
work=$(mktemp -d /tmp/corerecon-sla.XXXXXX)
trap 'rm -rf "$work"' EXIT

# Every record a distinct alert (no repeats), so N alerts have 2N clocks.
python3 bench/generate_alerts.py "$alerts" "$work/alerts.ndjson" --repeat-share 0 >/dev/null
cat >"$work/config.yaml" <<'YAML'
sla:
  calendars:
    office: {timeZone: Europe/Berlin, days: [mon, tue, wed, thu, fri], hours: "09:00-17:00"}
  policies:
    - {name: urgent, target: alert, severity: [high, critical], acknowledge: 1h, resolve: 1d}
    - {name: other, target: alert, acknowledge: 1d, resolve: 5d, calendar: office}
YAML
# The same policies with a webhook for every breach, for the delivery step.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cp "$work/config.yaml" "$work/notify.yaml"
cat >>"$work/notify.yaml" <<YAML
notify:
  channels:
    hook: {type: webhook, url: "http://127.0.0.1:$port/hook", secretEnv: HOOK_SECRET}
  rules:
    - {on: [sla.breached], channels: [hook]}
YAML
export HOOK_SECRET=bench-secret
printf 'notify:\n  channels: {}\n' >"$work/none.yaml"
db="$work/sla.db"
export CORERECON_DATABASE_URL="sqlite://$db"
run() { "$bin" "$@" --config "$work/config.yaml" --quiet; }

echo "== ingest $alerts alerts: without policies, then with (clocks started in the same transactions), best of 3"
plain=999999
with=999999
for round in 1 2 3; do
    rm -f "$work/plain.db"* "$db"*
    start=$(date +%s.%N)
    CORERECON_DATABASE_URL="sqlite://$work/plain.db" "$bin" ingest --config "$work/none.yaml" --quiet "$work/alerts.ndjson"
    took=$(echo "$(date +%s.%N) - $start" | bc)
    plain=$(echo "if ($took < $plain) $took else $plain" | bc)
    start=$(date +%s.%N)
    run ingest "$work/alerts.ndjson"
    took=$(echo "$(date +%s.%N) - $start" | bc)
    with=$(echo "if ($took < $with) $took else $with" | bc)
done
clocks=$(sqlite3 "$db" "SELECT COUNT(*) FROM sla_clocks")
printf 'without policies %.2f s, with %.2f s (%d clocks): %+.1f %%\n' "$plain" "$with" "$clocks" \
    "$(echo "($with - $plain) * 100 / $plain" | bc -l)"
rm -f "$work/plain.db"*
# Record the policies once, so later sweeps time only the sweep.
run sla sweep >/dev/null || true

echo "== idle sweep over $clocks open clocks, nothing due"
hyperfine --warmup 2 --runs "$runs" --export-json "$work/idle.json" "$bin sla sweep --config $work/config.yaml --quiet"

echo "== a sweep recording 1,000 new breaches (history lines, stream events)"
prepare="sqlite3 $db \"DELETE FROM sla_records; DELETE FROM notifications; UPDATE sla_clocks SET breach_noted = 0, at_risk_noted = 1, deadline_at = CASE WHEN id IN (SELECT id FROM sla_clocks WHERE metric = 'acknowledge' ORDER BY id LIMIT 1000) THEN 0 ELSE 9000000000000 END, at_risk_at = 0\""
hyperfine --runs "$runs" --prepare "$prepare" -i --export-json "$work/thousand.json" \
    "$bin sla sweep --config $work/config.yaml --quiet"

echo "== 1,000 breach notifications routed and delivered to a webhook on loopback (signed, one POST each)"
python3 - "$port" <<'PY' &
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
class H(BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200); self.send_header("Content-Length", "2"); self.end_headers(); self.wfile.write(b"ok")
    def log_message(self, *a): pass
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
PY
receiver=$!
trap 'kill $receiver 2>/dev/null; rm -rf "$work"' EXIT
sleep 1
eval "$prepare"
# The sweep (without channels) moves the router's cursor past its events; put it back before them.
before=$(sqlite3 "$db" "SELECT MAX(id) FROM events")
"$bin" sla sweep --config "$work/config.yaml" --quiet >/dev/null || true
sqlite3 "$db" "UPDATE notify_state SET cursor = $before"
start=$(date +%s.%N)
"$bin" notify flush --config "$work/notify.yaml"
flush=$(echo "$(date +%s.%N) - $start" | bc)
delivered=$(sqlite3 "$db" "SELECT COUNT(*) FROM notifications WHERE state = 'delivered'")
printf '%d delivered in %.2f s (%.0f a second)\n' "$delivered" "$flush" "$(echo "$delivered / $flush" | bc -l)"

echo "== sla status --breached (first 100) and sla report over every clock"
hyperfine --warmup 1 --runs "$runs" \
    "$bin sla status --breached --limit 100 --config $work/config.yaml --quiet" \
    "$bin sla report --since 30d --config $work/config.yaml --quiet"

echo "== every acknowledge clock breached at once: one sweep records $alerts breaches"
sqlite3 "$db" "DELETE FROM sla_records; DELETE FROM notifications; UPDATE sla_clocks SET breach_noted = 0, at_risk_noted = 1, deadline_at = CASE WHEN metric = 'acknowledge' THEN 0 ELSE 9000000000000 END, at_risk_at = 0"
start=$(date +%s.%N)
run sla sweep >/dev/null || true
all=$(echo "$(date +%s.%N) - $start" | bc)
recorded=$(sqlite3 "$db" "SELECT COUNT(*) FROM sla_records WHERE kind = 'breached'")
printf '%d breaches recorded in %.2f s (%.0f a second)\n' "$recorded" "$all" "$(echo "$recorded / $all" | bc -l)"
ls -l "$db" | awk '{printf "database: %.0f MB\n", $5 / 1048576}'
