#!/usr/bin/env bash
# A nightly backup as cron would run it, checked the way an operator checks one: a compressed online copy of the
# database beside its SHA-256, verified with sha256sum, then restored into a scratch database and compared.
# Needs `corerecon` on PATH and a database with something in it (examples/quickstart.sh makes one).
#
#   examples/backup.sh [DIRECTORY]      # default: a temporary directory, removed afterwards
set -euo pipefail

directory=${1:-}
if [ -z "$directory" ]; then
    directory=$(mktemp -d)
    trap 'rm -rf "$directory"' EXIT
fi
file="$directory/corerecon-$(date +%F).db.zst"

# Online: serve, ingest and other cron jobs may keep writing meanwhile. --force replaces today's backup if it ran
# before.
corerecon backup --out "$file" --force
(cd "$directory" && sha256sum -c "$(basename "$file").sha256")

# A backup is only as good as its restore: into a scratch database, never over the live one.
rm -f "$directory"/restore-check.db*
scratch="sqlite:$directory/restore-check.db"
corerecon restore "$file" --database-url "$scratch"
corerecon audit verify --database-url "$scratch"
live=$(corerecon alert list --format csv --json id --limit 100000 | wc -l)
restored=$(corerecon alert list --format csv --json id --limit 100000 --database-url "$scratch" | wc -l)
echo "alerts: $((live - 1)) live, $((restored - 1)) in the backup"
