#!/usr/bin/env bash
# `alert list` latency on a large queue (default 1,000,000 alerts) in SQLite.
#
#   bench/list.sh [N]
#
# Builds the database once with `corerecon ingest` (kept in /tmp/corerecon-bench-list-N.db for reruns), then
# times filtered lists end to end with hyperfine (process start included) and the query alone in the
# sqlite3 shell. Needs a release build, python3, sqlite3 and hyperfine.
set -euo pipefail
cd "$(dirname "$0")/.."

count=${1:-1000000}
bin=${CORERECON_BIN:-.build/release/corerecon}
db=/tmp/corerecon-bench-list-$count.db
if [ ! -s "$db" ]; then
    python3 bench/generate_alerts.py "$count" "/tmp/corerecon-bench-list-$count.ndjson" --repeat-share 0.1
    CORERECON_DATABASE_URL="sqlite:$db" "$bin" ingest -q "/tmp/corerecon-bench-list-$count.ndjson"
    rm -f "/tmp/corerecon-bench-list-$count.ndjson"
fi
export CORERECON_DATABASE_URL="sqlite:$db"
echo "alerts: $(sqlite3 "$db" 'SELECT COUNT(*) FROM alerts')" >&2

hyperfine -N --warmup 3 --runs 30 \
    "$bin alert list --severity high --limit 50 --format ndjson" \
    "$bin alert list --status new --source suricata --limit 50 --format ndjson" \
    "$bin alert list --search nanocore --limit 50 --format ndjson" \
    "$bin alert list --technique T1059 --limit 50 --format ndjson" \
    "$bin --help"

echo "query alone (sqlite3 .timer), severity >= high, newest 50:" >&2
sqlite3 "$db" ".timer on" "SELECT id FROM alerts WHERE severity_id >= 4 AND severity_id <= 6 ORDER BY last_seen DESC, id DESC LIMIT 51" | tail -n 1
