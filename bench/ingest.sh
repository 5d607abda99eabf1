#!/usr/bin/env bash
# Ingest throughput against the cost of merely storing the same bytes, side by side in one run.
#
#   bench/ingest.sh [N]          # default N = 200000 synthetic ~1 KB alerts
#
# Needs a release build (swift build -c release), python3, sqlite3, psql and PostgreSQL server binaries
# (apt-get install sqlite3 postgresql), and GNU time (apt-get install time) for peak memory.
# Prints one line per measurement: records/s and peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."

count=${1:-200000}
bin=${CORERECON_BIN:-.build/release/corerecon}
[ -x "$bin" ] || { echo "error: $bin not found; run swift build -c release --product corerecon" >&2; exit 69; }
work=$(mktemp -d /tmp/corerecon-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

echo "generating $count alerts..." >&2
python3 bench/generate_alerts.py "$count" "$work/alerts.ndjson"
bytes=$(stat -c %s "$work/alerts.ndjson")
echo "input: $count records, $((bytes / 1024 / 1024)) MB" >&2

rate() { python3 -c "import sys; print(f'{int(sys.argv[1]) / float(sys.argv[2]):,.0f}')" "$1" "$2"; }
timed() {  # timed LABEL COMMAND...: wall seconds and peak RSS of COMMAND
    local label=$1; shift
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>"$work/stderr" || { cat "$work/stderr" >&2; return 1; }
    read -r seconds rss <"$work/time"
    printf '%-44s %10s records/s  %6.1f s  peak RSS %4d MB\n' "$label" "$(rate "$count" "$seconds")" "$seconds" $((rss / 1024))
}

# SQLite: the sqlite3 shell's .import of the same lines into a one-column table.
sqlite3 "$work/baseline.db" "PRAGMA journal_mode=WAL; CREATE TABLE raw(line TEXT);" >/dev/null
# ASCII mode with the unit separator (octal 037) as column separator: each line is one value, quotes untouched.
printf '.mode ascii\n.separator "\\037" "\\n"\n.import %s raw\n' "$work/alerts.ndjson" >"$work/import.sql"
timed "sqlite3 .import (baseline)" sh -c "sqlite3 '$work/baseline.db' <'$work/import.sql'"
timed "corerecon ingest -> SQLite" env CORERECON_DATABASE_URL="sqlite:$work/corerecon.db" "$bin" ingest -q "$work/alerts.ndjson"

# PostgreSQL: psql \copy of the lines into a text column, then corerecon ingest, on one throwaway server.
CORERECON_PG_DURABLE=1 scripts/postgres-throwaway bash -c '
    set -euo pipefail
    work='"$work"'; count='"$count"'; bin='"$bin"'
    rate() { python3 -c "import sys; print(f\"{int(sys.argv[1]) / float(sys.argv[2]):,.0f}\")" "$1" "$2"; }
    timed() {
        local label=$1; shift
        /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>"$work/stderr" || { cat "$work/stderr" >&2; return 1; }
        read -r seconds rss <"$work/time"
        printf "%-44s %10s records/s  %6.1f s  peak RSS %4d MB\n" "$label" "$(rate "$count" "$seconds")" "$seconds" $((rss / 1024))
    }
    psql -q "$CORERECON_TEST_POSTGRES_URL" -c "CREATE TABLE raw(line text)"
    timed "psql \\copy (baseline)" psql -q "$CORERECON_TEST_POSTGRES_URL" \
        -c "\\copy raw(line) FROM '"'"'$work/alerts.ndjson'"'"' WITH (FORMAT csv, QUOTE E'"'"'\\x01'"'"', DELIMITER E'"'"'\\x02'"'"')"
    CORERECON_DATABASE_URL="$CORERECON_TEST_POSTGRES_URL" "$bin" migrate -q >/dev/null
    timed "corerecon ingest -> PostgreSQL" env CORERECON_DATABASE_URL="$CORERECON_TEST_POSTGRES_URL" "$bin" ingest -q "$work/alerts.ndjson"
'
