#!/usr/bin/env bash
# The API on the embedded default database: a user and an ingest key, `corerecon serve` on a free port, a
# Suricata alert sent as a signed webhook and as a keyed POST, the queue read back with an access token and with
# `corerecon alert list --server` and `alert watch --server` (remote mode), API keys listed by an admin's key
# over the API, then a clean stop. Needs `corerecon`
# on PATH, curl, openssl and python3.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

export CORERECON_JWT_SECRET=${CORERECON_JWT_SECRET:-$(openssl rand -base64 48)}
export CORERECON_WEBHOOK_SECRET_SURICATA=example-shared-secret
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
api="http://127.0.0.1:$port/api/v1"

corerecon user list --format csv | grep -q '^ana,' \
    || echo 'correct horse battery staple' | corerecon user add ana --role analyst --password-stdin >/dev/null
key=$(corerecon token create --name "example-siem-$$" --role ingest --expires 1d 2>/dev/null)

log="${TMPDIR:-/tmp}/corerecon-serve-$$.log"
corerecon serve --port "$port" 2>"$log" &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
# Wait for it to be ready, but not forever: a server that exits or stays unready for 30 s is an error, with its log.
for attempt in $(seq 300); do
    curl -sf --max-time 2 "http://127.0.0.1:$port/readyz" >/dev/null && break
    if ! kill -0 "$server" 2>/dev/null || [ "$attempt" = 300 ]; then
        echo "error: corerecon serve did not become ready on port $port:" >&2
        cat "$log" >&2
        exit 1
    fi
    sleep 0.1
done

# A SIEM signing its webhook body: t=UNIX_SECONDS, v1=HMAC-SHA256(secret, "t.body").
body=$(head -n 1 "$here/alerts/suricata-eve.ndjson")
t=$(date +%s)
signature=$(printf '%s.%s' "$t" "$body" | openssl dgst -sha256 -hmac "$CORERECON_WEBHOOK_SECRET_SURICATA" -r | cut -d' ' -f1)
curl -sS --max-time 30 -X POST "$api/webhooks/suricata" -H "X-CoreRecon-Signature: t=$t,v1=$signature" --data-binary "$body"
echo

# A CI job or SIEM with an API key: NDJSON, several records in one request.
curl -sS --max-time 30 -X POST "$api/ingest?source=examples" -H "Authorization: Bearer $key" \
    --data-binary @"$here/alerts/wazuh.ndjson"
echo

# An analyst signs in and reads the queue.
access=$(curl -sS --max-time 30 -d 'grant_type=password&username=ana&password=correct+horse+battery+staple' "$api/auth/token" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])')
# What arrived in the last hour: receivedSince is when CoreRecon received an alert, while since/until compare the
# time its events happened (2026-11-24 for the example data).
curl -sS --max-time 30 -H "Authorization: Bearer $access" "$api/alerts?severity=medium&receivedSince=1h&limit=5" \
    | python3 -c 'import json, sys; [print(a["id"], a["severity"], a["title"]) for a in json.load(sys.stdin)["alerts"]]'

# The same queue from the command line over the API (remote mode): no database here, a sign-in instead.
server_url="http://127.0.0.1:$port"
echo 'correct horse battery staple' | corerecon login --server "$server_url" --user ana --password-stdin
corerecon alert list --server "$server_url" --severity medium --format csv --json id,severity,title
# The stream of what happened, from the first event, as JSON lines (a live watch leaves out --since and --count).
corerecon alert watch --server "$server_url" --since 0 --count 1 --format ndjson | sed 's/^{"type":"\([^"]*\)".*/event \1/'
corerecon incident list --server "$server_url"
corerecon logout --server "$server_url"

# An admin's key on a host without the database: API keys (and users, notifications, playbooks) over the API too.
admin=$(corerecon token create --name "example-admin-$$" --role admin --expires 1h 2>/dev/null)
CORERECON_TOKEN=$admin corerecon token list --server "$server_url" --format csv | cut -d, -f1,2 | grep '^example-siem'
CORERECON_TOKEN=$admin corerecon token revoke --server "$server_url" "example-admin-$$"
