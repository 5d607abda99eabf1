#!/usr/bin/env bash
# Mutual TLS: a private CA made with openssl signs the server's certificate and an analyst's client certificate;
# `corerecon serve --tls-client-ca` then answers only clients that show a certificate it signed (and a token, as
# always). The laptop keeps the server, the CA and its certificate in a context. Needs `corerecon` on PATH, curl,
# openssl and python3; everything is made in a temporary directory and removed.
set -euo pipefail

export CORERECON_JWT_SECRET=${CORERECON_JWT_SECRET:-$(openssl rand -base64 48)}
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
pki=$(mktemp -d)
trap 'rm -rf "$pki"' EXIT

# The CA, the server's certificate (for localhost) and the analyst's, each valid for a day.
openssl req -x509 -newkey rsa:2048 -nodes -subj "/CN=Example SOC CA" -days 1 \
    -keyout "$pki/ca.key" -out "$pki/ca.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$pki/server.key" -out "$pki/server.csr" 2>/dev/null
openssl x509 -req -in "$pki/server.csr" -CA "$pki/ca.pem" -CAkey "$pki/ca.key" -CAcreateserial -days 1 \
    -extfile <(printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n') -out "$pki/server.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=ana" -keyout "$pki/ana.key" -out "$pki/ana.csr" 2>/dev/null
openssl x509 -req -in "$pki/ana.csr" -CA "$pki/ca.pem" -CAkey "$pki/ca.key" -CAcreateserial -days 1 \
    -out "$pki/ana.pem" 2>/dev/null

key=$(corerecon token create --name "example-laptop-$$" --role analyst --expires 1h 2>/dev/null)
log="$pki/serve.log"
corerecon serve --port "$port" --tls-cert "$pki/server.pem" --tls-key "$pki/server.key" \
    --tls-client-ca "$pki/ca.pem" 2>"$log" &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null || true; rm -rf "$pki"' EXIT
for attempt in $(seq 300); do
    curl -sf --max-time 2 --cacert "$pki/ca.pem" --cert "$pki/ana.pem" --key "$pki/ana.key" \
        "https://localhost:$port/readyz" >/dev/null && break
    if ! kill -0 "$server" 2>/dev/null || [ "$attempt" = 300 ]; then
        echo "error: corerecon serve did not become ready on port $port:" >&2
        cat "$log" >&2
        exit 1
    fi
    sleep 0.1
done

# Without a client certificate the handshake itself is refused (exit 69), before any request.
if CORERECON_TOKEN=$key corerecon alert list --server "https://localhost:$port" --ca-file "$pki/ca.pem"; then
    echo "error: the server answered a client without a certificate" >&2
    exit 1
fi

# The laptop's context: the server, the CA to trust and the certificate to show. Its own config directory here,
# so the example leaves the caller's contexts alone.
export XDG_CONFIG_HOME="$pki/config"
corerecon context add soc --server "https://localhost:$port" --ca-file "$pki/ca.pem" \
    --client-cert "$pki/ana.pem" --client-key "$pki/ana.key" --use
CORERECON_TOKEN=$key corerecon status | grep -E '^(mode|clientCertificate|ready):' | sed "s|$pki|PKI|"
CORERECON_TOKEN=$key corerecon alert list --format csv --json id,severity,title | head -n 3
