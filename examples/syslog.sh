#!/usr/bin/env bash
# Syslog into the embedded default database: `corerecon serve --syslog` on free UDP and TCP ports, senders
# labelled from a config file, a firewall's CEF line over UDP (RFC 5424), an IDS's LEEF event octet-counted over
# TCP (RFC 6587) and a JSON alert behind an RFC 3164 header, all sent with util-linux `logger`; then the alerts
# read back with their labels, the syslog metrics, and a clean stop. Needs `corerecon` on PATH, curl, openssl,
# python3 and logger.
set -euo pipefail

export CORERECON_JWT_SECRET=${CORERECON_JWT_SECRET:-$(openssl rand -base64 48)}
free_port() {  # free_port udp|tcp
    python3 -c 'import socket, sys
kind = socket.SOCK_DGRAM if sys.argv[1] == "udp" else socket.SOCK_STREAM
s = socket.socket(socket.AF_INET, kind); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' "$1"
}
port=$(free_port tcp)
udp=$(free_port udp)
tcp=$(free_port tcp)

# Everything from this host is labelled "lab-appliances"; in production, name networks of firewalls, proxies, ...
config="${TMPDIR:-/tmp}/corerecon-syslog-$$.yaml"
cat >"$config" <<YAML
syslog:
  listen: [udp://127.0.0.1:$udp, tcp://127.0.0.1:$tcp]
  senders:
    - from: 127.0.0.0/8
      source: lab-appliances
YAML

log="${TMPDIR:-/tmp}/corerecon-syslog-$$.log"
corerecon serve --config "$config" --port "$port" 2>"$log" &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null || true; rm -f "$config" "$log"' EXIT
for attempt in $(seq 300); do
    curl -sf --max-time 2 "http://127.0.0.1:$port/readyz" >/dev/null && break
    if ! kill -0 "$server" 2>/dev/null || [ "$attempt" = 300 ]; then
        echo "error: corerecon serve did not become ready on port $port:" >&2
        cat "$log" >&2
        exit 1
    fi
    sleep 0.1
done

logger --server 127.0.0.1 --port "$udp" --udp --rfc5424 -t edge-fw \
    'CEF:0|Acme|Edge FW|4.2|100|Port scan from outside|7|src=203.0.113.5 dst=10.0.0.8 dpt=22 act=blocked'
logger --server 127.0.0.1 --port "$tcp" --tcp --octet-count --rfc5424 -t ids \
    $'LEEF:2.0|Lancope|StealthWatch|7.3|port_scan|^|src=198.51.100.7^dst=10.0.0.9^sev=8^cat=Recon^usrName=svc-backup'
logger --server 127.0.0.1 --port "$tcp" --tcp --rfc3164 -t idp \
    '{"title":"Impossible travel","severity":"high","product":"IdP","user":"ana@example.com","src_ip":"192.0.2.44"}'

# Syslog has no acknowledgement: wait (up to 30 s) until the server's metrics count the three as stored.
for attempt in $(seq 300); do
    curl -s "http://127.0.0.1:$port/metrics" | grep -q '^corerecon_ingest_records_total{outcome="created"} 3$' && break
    sleep 0.1
done
corerecon alert list --source lab-appliances --json id,severity,title,source,product
curl -s "http://127.0.0.1:$port/metrics" | grep -E '^corerecon_syslog_messages_total|^corerecon_ingest_records_total\{outcome="created"\}'
