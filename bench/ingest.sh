#!/usr/bin/env bash
# Ingest throughput against the cost of merely storing the same bytes, side by side in one run.
#
#   bench/ingest.sh [N]          # default N = 200000 synthetic ~1 KB alerts
#   INPUT=real bench/ingest.sh [N]   # the vendor records of ../shared/data/alerts, copied with new ids (generate_real.py)
#
# Needs a release build (swift build -c release), python3, sqlite3, a C compiler, psql and PostgreSQL server
# binaries (apt-get install sqlite3 gcc postgresql), and GNU time (apt-get install time) for peak memory.
# Prints one line per measurement: records/s and peak RSS. The "storage floor" lines copy the rows ingest stored
# into a fresh schema with the database's own INSERT ... SELECT: the cost of storing the result alone.
set -euo pipefail
cd "$(dirname "$0")/.."

count=${1:-200000}
bin=${CORERECON_BIN:-.build/release/corerecon}
[ -x "$bin" ] || { echo "error: $bin not found; run swift build -c release --product corerecon" >&2; exit 69; }
work=$(mktemp -d /tmp/corerecon-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

echo "generating $count alerts..." >&2
if [ "${INPUT:-synthetic}" = real ]; then
    python3 bench/generate_real.py "$count" "$work/alerts.ndjson"
else
    python3 bench/generate_alerts.py "$count" "$work/alerts.ndjson"
fi
bytes=$(stat -c %s "$work/alerts.ndjson")
echo "input: $count records, $((bytes / 1024 / 1024)) MB" >&2

rate() { python3 -c "import sys; print(f'{int(sys.argv[1]) / float(sys.argv[2]):,.0f}')" "$1" "$2"; }
timed() {  # timed LABEL COMMAND...: wall seconds and peak RSS of COMMAND
    local label=$1; shift
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>"$work/stderr" || { cat "$work/stderr" >&2; return 1; }
    read -r seconds rss <"$work/time"
    printf '%-52s %10s records/s  %6.1f s  peak RSS %4d MB\n' "$label" "$(rate "$count" "$seconds")" "$seconds" $((rss / 1024))
}

# SQLite: the sqlite3 shell's .import of the same lines into a one-column table.
sqlite3 "$work/baseline.db" "PRAGMA journal_mode=WAL; CREATE TABLE raw(line TEXT);" >/dev/null
# ASCII mode with the unit separator (octal 037) as column separator: each line is one value, quotes untouched.
printf '.mode ascii\n.separator "\\037" "\\n"\n.import %s raw\n' "$work/alerts.ndjson" >"$work/import.sql"
timed "sqlite3 .import (baseline)" sh -c "sqlite3 '$work/baseline.db' <'$work/import.sql'"
timed "corerecon ingest -> SQLite" env CORERECON_DATABASE_URL="sqlite:$work/corerecon.db" "$bin" ingest -q "$work/alerts.ndjson"
# Storage: the database's bytes against the input's, whole, and without the stream's events (kept a day, then
# pruned, so a database holding months of alerts holds only a day of them).
storage() {  # storage LABEL DATABASE_BYTES EVENT_BYTES
    python3 -c "import sys; b, d, e = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]); \
print(f'{sys.argv[1]:<52} {d / 1048576:8.1f} MB  {d / b:5.2f}x the input; {(d - e) / b:5.2f}x without the day of events')" \
        "$1" "$bytes" "$2" "$3"
}
storage "storage: SQLite database" "$(stat -c %s "$work/corerecon.db")" \
    "$(sqlite3 "$work/corerecon.db" "SELECT SUM(pgsize) FROM dbstat WHERE name = 'events' OR name = 'events_at'")"

# The storage floor: the rows that ingest stored (alerts with their OCSF records, deliveries, observables,
# techniques, the words of the full-text index and the observables' keys), copied by SQLite itself into a new
# database with the same schema, in one transaction. No parsing, no normalization, no dedup: what storing the
# result costs. The contentless indexes of schemas 20 and 22 need SQLite 3.43 or later (and the observables' keys
# corerecon's key function), so this runs on the SQLite corerecon links (bench/sqlite-run.c, built once into
# .build/bench/), not the system's sqlite3 shell.
amalgamation=.build/checkouts/sqlite-nio/Sources/VaporCSQLite
runner=.build/bench/sqlite-run
if [ ! -x "$runner" ] || [ bench/sqlite-run.c -nt "$runner" ] || [ "$amalgamation/sqlite_nio_sqlite3.c" -nt "$runner" ]; then
    echo "building $runner (SQLite as corerecon links it, half a minute)..." >&2
    mkdir -p .build/bench
    cc -O2 -DSQLITE_ENABLE_FTS5 -DSQLITE_ENABLE_DBSTAT_VTAB -DSQLITE_THREADSAFE=0 -DSQLITE_DQS=0 \
        -I "$amalgamation/include" bench/sqlite-run.c "$amalgamation/sqlite_nio_sqlite3.c" -o "$runner" -lm
fi
CORERECON_DATABASE_URL="sqlite:$work/floor.db" "$bin" migrate -q >/dev/null
cat >"$work/floor.sql" <<SQL
PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536; PRAGMA wal_autocheckpoint=16384;
ATTACH '$work/corerecon.db' AS done;
BEGIN;
INSERT INTO alerts SELECT * FROM done.alerts;
INSERT INTO alerts_fts (rowid, title, description, search_text)
    SELECT id, title, description, (SELECT group_concat(value, ' ') FROM done.alert_observables WHERE alert_id = id)
    FROM done.alerts;
INSERT INTO alert_deliveries SELECT * FROM done.alert_deliveries;
INSERT INTO alert_observables SELECT * FROM done.alert_observables;
INSERT INTO alert_observable_keys (rowid, keys)
    SELECT alert_id, group_concat(corerecon_observable_key(type, value), ' ') FROM alert_observables GROUP BY alert_id;
INSERT INTO alert_techniques SELECT * FROM done.alert_techniques;
COMMIT;
SQL
timed "storage floor: the stored rows copied by SQLite" "$runner" "$work/floor.db" "$work/floor.sql"

# PostgreSQL: psql \copy of the lines into a text column, then corerecon ingest, on one throwaway server.
CORERECON_PG_DURABLE=1 scripts/postgres-throwaway bash -c '
    set -euo pipefail
    work='"$work"'; count='"$count"'; bin='"$bin"'
    rate() { python3 -c "import sys; print(f\"{int(sys.argv[1]) / float(sys.argv[2]):,.0f}\")" "$1" "$2"; }
    timed() {
        local label=$1; shift
        /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>"$work/stderr" || { cat "$work/stderr" >&2; return 1; }
        read -r seconds rss <"$work/time"
        printf "%-52s %10s records/s  %6.1f s  peak RSS %4d MB\n" "$label" "$(rate "$count" "$seconds")" "$seconds" $((rss / 1024))
    }
    psql -q "$CORERECON_TEST_POSTGRES_URL" -c "CREATE TABLE raw(line text)"
    timed "psql \\copy (baseline)" psql -q "$CORERECON_TEST_POSTGRES_URL" \
        -c "\\copy raw(line) FROM '"'"'$work/alerts.ndjson'"'"' WITH (FORMAT csv, QUOTE E'"'"'\\x01'"'"', DELIMITER E'"'"'\\x02'"'"')"
    CORERECON_DATABASE_URL="$CORERECON_TEST_POSTGRES_URL" "$bin" migrate -q >/dev/null
    # Each timed step starts with the log of the steps before it written out, so that no checkpoint owed to them
    # runs during it.
    psql -q "$CORERECON_TEST_POSTGRES_URL" -c "CHECKPOINT"
    timed "corerecon ingest -> PostgreSQL" env CORERECON_DATABASE_URL="$CORERECON_TEST_POSTGRES_URL" "$bin" ingest -q "$work/alerts.ndjson"
    # Storage: every relation of the schema (tables with their TOAST and indexes), and the events among them;
    # printed after this server stops.
    psql -q "$CORERECON_TEST_POSTGRES_URL" -c "VACUUM ANALYZE"
    psql -qAt "$CORERECON_TEST_POSTGRES_URL" -c "SELECT SUM(pg_total_relation_size(c.oid)) FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND c.relkind = '"'"'r'"'"' AND c.relname <> '"'"'raw'"'"'" >"$work/pg-bytes"
    psql -qAt "$CORERECON_TEST_POSTGRES_URL" -c "SELECT pg_total_relation_size('"'"'events'"'"')" >"$work/pg-events"
    # The storage floor: the stored rows copied by the server itself into the same schema made anew.
    psql -q "$CORERECON_TEST_POSTGRES_URL" -c "CREATE SCHEMA floor"
    CORERECON_DATABASE_URL="${CORERECON_TEST_POSTGRES_URL}&options=-c%20search_path%3Dfloor" "$bin" migrate -q >/dev/null
    columns=$(psql -qAt "$CORERECON_TEST_POSTGRES_URL" -c "SELECT string_agg(column_name, '"'"','"'"' ORDER BY ordinal_position)
        FROM information_schema.columns WHERE table_schema = '"'"'public'"'"' AND table_name = '"'"'alerts'"'"' AND is_generated = '"'"'NEVER'"'"'")
    psql -q "$CORERECON_TEST_POSTGRES_URL" -c "CHECKPOINT"
    timed "storage floor: the stored rows copied by PostgreSQL" psql -q "$CORERECON_TEST_POSTGRES_URL" -c "BEGIN;
        INSERT INTO floor.alerts ($columns) SELECT $columns FROM public.alerts;
        INSERT INTO floor.alert_deliveries SELECT * FROM public.alert_deliveries;
        INSERT INTO floor.alert_observables SELECT * FROM public.alert_observables;
        INSERT INTO floor.alert_techniques SELECT * FROM public.alert_techniques;
        COMMIT;"
'
storage "storage: PostgreSQL schema" "$(cat "$work/pg-bytes")" "$(cat "$work/pg-events")"
