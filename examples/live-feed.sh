#!/usr/bin/env bash
# A live feed: follow Suricata's EVE log and store its alerts as they are written (each pause of 200 ms commits
# what has arrived), keeping rejected lines for later. Stop with Ctrl-C; whatever was committed stays.
#
#   examples/live-feed.sh [EVE_FILE] [SOURCE]      # defaults: /var/log/suricata/eve.json, suricata
#
# Needs `corerecon` on PATH. Non-alert EVE events (flow, dns, http, ...) are skipped by the grep, not rejected.
set -euo pipefail
eve=${1:-/var/log/suricata/eve.json}
source=${2:-suricata}

corerecon migrate -q
tail -n 0 -F "$eve" \
    | grep --line-buffered '"event_type":"alert"' \
    | corerecon ingest - --input-format suricata --source "$source" --reject-file "rejected-$source.ndjson"
