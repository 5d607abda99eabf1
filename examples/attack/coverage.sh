#!/usr/bin/env bash
# ATT&CK coverage on the embedded default database: ingest the example alerts, map one to a technique by hand,
# show the coverage matrix, export it as a Navigator layer, and compare the small example layer with it.
# Needs `corerecon` on PATH (after `swift build -c release`: PATH="$PWD/.build/release:$PATH").
# With MITRE's bundle at hand, `corerecon mitre import enterprise-attack.json` (or `corerecon mitre sync`) first
# makes every step use it instead of the embedded catalog.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

corerecon migrate -q
corerecon ingest -q "$here/../alerts" --source examples
corerecon alert map "$(corerecon alert list --search bastion-01 --format csv --json id | sed -n 2p)" T1110.001 --as analyst
corerecon mitre coverage
corerecon mitre layer export --out coverage-layer.json
corerecon mitre layer import "$here/red-team-plan.json"
