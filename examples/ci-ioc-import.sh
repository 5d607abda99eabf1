#!/usr/bin/env bash
# The job a CI pipeline runs when the threat-intel repository changes: import every feed file, fail the
# pipeline on a malformed record (exit 65), then export the active indicators for the sensors.
# Needs `corerecon` on PATH and CORERECON_DATABASE_URL pointing at the shared database (or the default), or,
# with no database access at all, CORERECON_SERVER and CORERECON_TOKEN (an API key of the lead role: it imports
# and reads) naming a running `corerecon serve`: every step but the log grep then goes over the API.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$(mktemp -d)}

if [ -z "${CORERECON_SERVER:-}" ]; then corerecon migrate -q; fi
# Idempotent: a re-run adds no rows, it refreshes each indicator's last seen (its decay starts over).
corerecon ioc import "$here/intel/blocklist.txt" --source edge-blocklist --tag ci --tlp green --format json
corerecon ioc import "$here/intel/partners.csv" --source partner-isac --format json
# Scripts read JSON; people read the table.
corerecon ioc list --min-score 50
# A grep for indicators over logs: exit 0 when something matched, 1 when nothing did.
# (It matches in memory here, so it needs the database.)
if [ -z "${CORERECON_SERVER:-}" ]; then
    printf 'GET http://cdn.evil-updates.example/stage2.bin from 10.0.0.7\n' | corerecon ioc match || true
fi
corerecon ioc export --to stix --tlp-max green > "$out/indicators.stix.json"
corerecon ioc export --to txt --type ipv4 --type cidr > "$out/block-addresses.txt"
corerecon ioc export --to suricata --tlp-max amber > "$out/corerecon-iocs.rules"   # for the IDS sensors
corerecon ioc export --to misp --info "CI threat-intel import" > "$out/indicators.misp.json"   # for partners' MISP
echo "exported to $out" >&2
