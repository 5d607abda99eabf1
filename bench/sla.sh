#!/usr/bin/env bash
# SLA sweeps at scale: N open alerts (two clocks each: acknowledge and resolve) in an SQLite database, then
#   1. an idle sweep (nothing due) — what cron or `serve` pays every interval;
#   2. a sweep that records 1,000 new breaches (history lines, stream events, outbox rows);
#   3. `sla status --breached` and `sla report` over every clock;
#   4. a sweep that records every acknowledge clock breached at once (N records);
#   5. what starting the clocks costs ingest: the same alerts ingested with and without policies.
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
    - {name: urgent, target: alert, severity: [high, critical], acknowledge: 1h, resolve: 1d,
       onBreach: {notify: [hook]}}
    - {name: other, target: alert, acknowledge: 1d, resolve: 5d, calendar: office}
notify:
  channels:
    hook: {type: webhook, url: "http://127.0.0.1:9/unreachable"}
  rules:
    - {on: [sla.breached], channels: [hook]}
YAML
printf 'notify:\n  channels: {}\n' >"$work/none.yaml"
db="$work/sla.db"
export CORERECON_DATABASE_URL="sqlite://$db"
run() { "$bin" "$@" --config "$work/config.yaml" --quiet; }

echo "== ingest $alerts alerts: without policies, then with (clocks started in the same transactions)"
start=$(date +%s.%N)
CORERECON_DATABASE_URL="sqlite://$work/plain.db" "$bin" ingest --config "$work/none.yaml" --quiet "$work/alerts.ndjson"
plain=$(echo "$(date +%s.%N) - $start" | bc)
start=$(date +%s.%N)
run ingest "$work/alerts.ndjson"
with=$(echo "$(date +%s.%N) - $start" | bc)
clocks=$(sqlite3 "$db" "SELECT COUNT(*) FROM sla_clocks")
printf 'without policies %.2f s, with %.2f s (%d clocks): %+.1f %%\n' "$plain" "$with" "$clocks" \
    "$(echo "($with - $plain) * 100 / $plain" | bc -l)"
rm -f "$work/plain.db"*
# Record the policies once, so later sweeps time only the sweep.
run sla sweep >/dev/null || true

echo "== idle sweep over $clocks open clocks, nothing due"
hyperfine --warmup 2 --runs "$runs" --export-json "$work/idle.json" "$bin sla sweep --config $work/config.yaml --quiet"

echo "== a sweep recording 1,000 new breaches (history, stream events, outbox rows; delivery excluded: the"
echo "   receiver refuses at once, and the sweep does not wait for retries)"
prepare="sqlite3 $db \"DELETE FROM sla_records; DELETE FROM notifications; UPDATE sla_clocks SET breach_noted = 0, at_risk_noted = 1, deadline_at = CASE WHEN id IN (SELECT id FROM sla_clocks WHERE metric = 'acknowledge' ORDER BY id LIMIT 1000) THEN 0 ELSE 9000000000000 END, at_risk_at = 0\""
hyperfine --runs "$runs" --prepare "$prepare" -i --export-json "$work/thousand.json" \
    "$bin sla sweep --config $work/config.yaml --quiet"

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
