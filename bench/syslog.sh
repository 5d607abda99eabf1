#!/usr/bin/env bash
# Syslog intake of `corerecon serve` on SQLite: N CEF alerts (default 100,000; 20 % repeating an earlier event of
# the same signature, source and destination, so they merge) sent octet-counted over one TCP connection, timed from the first byte to the last
# alert stored; then a burst of UDP datagrams far faster than the database, counted as stored and dropped. Prints
# messages/s, the server's peak RSS and the UDP tally.
#
#   bench/syslog.sh [N]
#
# Needs a release build (CORERECON_BIN to name another binary) and python3. Load stays on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."

count=${1:-100000}
bin=$(realpath "${CORERECON_BIN:-.build/release/corerecon}")
work=$(mktemp -d /tmp/corerecon-bench-syslog.XXXXXX)
server=""
cleanup() {
    [ -n "$server" ] && kill -TERM "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
free_port() {
    python3 -c 'import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM if sys.argv[1] == "udp" else socket.SOCK_STREAM)
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' "$1"
}
port=$(free_port tcp)
tcp=$(free_port tcp)
udp=$(free_port udp)
export CORERECON_DATABASE_URL="sqlite:$work/bench.db" CORERECON_JWT_SECRET=$(head -c 48 /dev/urandom | base64)
"$bin" migrate -q >/dev/null
"$bin" serve --port "$port" --syslog "tcp://127.0.0.1:$tcp,udp://127.0.0.1:$udp" 2>"$work/serve.log" &
server=$!
for _ in $(seq 300); do
    curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break
    sleep 0.1
done

metric() {  # metric NAME: its value in /metrics, 0 when absent
    curl -s "http://127.0.0.1:$port/metrics" | awk -v name="$1" '$1 == name {print $2; found = 1} END {if (!found) print 0}'
}

# The stream, made before the clock starts.
python3 - "$count" >"$work/stream" <<'PY'
import random, sys
count = int(sys.argv[1])
random.seed(7)
out = sys.stdout.buffer
for index in range(count):
    signature = index if random.random() >= 0.2 else random.randrange(max(index, 1))
    source = f"198.51.{signature % 250}.{signature // 250 % 250}"
    message = (f"<134>1 2026-12-06T09:00:00.{index % 1000:03d}Z fw-{signature % 40:02d} CEF - - - "
               f"CEF:0|Acme|Edge FW|4.2|sig-{signature}|Port scan {signature} from outside|{1 + signature % 10}|"
               f"src={source} dst=10.0.{signature % 200}.{signature // 200 % 200} dpt=22 proto=TCP act=blocked "
               f"rt={1796547600000 + index} cs1Label=Rule cs1=edge-scan-{signature % 17}").encode()
    out.write(b"%d %s" % (len(message), message))
PY
read_before=$(metric 'corerecon_ingest_records_total{outcome="read"}')
start=$(date +%s.%N)
python3 - "$tcp" "$work/stream" <<'PY'
import socket, sys
with socket.create_connection(("127.0.0.1", int(sys.argv[1]))) as s, open(sys.argv[2], "rb") as f:
    s.sendall(f.read())
PY
sent=$(date +%s.%N)
while :; do
    read_now=$(metric 'corerecon_ingest_records_total{outcome="read"}')
    [ "$(printf '%.0f' "$read_now")" -ge $((count + ${read_before%.*})) ] && break
    sleep 0.05
done
end=$(date +%s.%N)
created=$(metric 'corerecon_ingest_records_total{outcome="created"}')
merged=$(metric 'corerecon_ingest_records_total{outcome="merged"}')
python3 -c "import sys; s, w, e, n = map(float, sys.argv[1:]); print(f'TCP: {int(n)} messages in {e - s:.2f} s: {n / (e - s):,.0f} messages/s stored (the sender was done after {w - s:.2f} s)')" \
    "$start" "$sent" "$end" "$count"
echo "TCP: ${created%.*} new alerts, ${merged%.*} merged"

# UDP: 50,000 datagrams as fast as one sender can. The kernel drops what overflows the socket's receive buffer
# (net.core.rmem_max caps the 8 MB the server asks for) before the server sees it: counted apart, from /proc.
kernel_before=$(awk '/^Udp:/ {getline; print $6 + 0}' /proc/net/snmp)
python3 - "$udp" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for index in range(50000):
    s.sendto(b"CEF:0|Acme|Edge FW|4.2|u%d|Burst %d|5|src=192.0.2.%d" % (index, index, index % 250), ("127.0.0.1", int(sys.argv[1])))
PY
sleep 2
for _ in $(seq 600); do
    [ "$(metric corerecon_syslog_queue_bytes)" = 0 ] && break
    sleep 0.1
done
sleep 1
received=$(metric 'corerecon_syslog_messages_total{transport="udp"}')
dropped=$(metric 'corerecon_syslog_dropped_total{transport="udp",reason="queue_full"}')
kernel=$(( $(awk '/^Udp:/ {getline; print $6 + 0}' /proc/net/snmp) - kernel_before ))
echo "UDP: 50000 sent, ${received%.*} read by the server, ${dropped%.*} of them dropped as queue_full (counted);" \
    "$kernel dropped by the kernel (receive buffer full; rmem_max $(cat /proc/sys/net/core/rmem_max))"
echo "server peak RSS: $(awk '/VmHWM/ {printf "%.0f MB", $2 / 1024}' "/proc/$server/status")"
