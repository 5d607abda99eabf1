#!/usr/bin/env bash
# The main job on the embedded default database: ingest the bundled example alerts (Suricata, Wazuh and a
# generic JSON feed), then list the queue and show how two alerts are related.
# Needs `corerecon` on PATH (after `swift build -c release`: PATH="$PWD/.build/release:$PATH").
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

corerecon migrate -q
corerecon ingest "$here/alerts" --source examples
# The example events happened on 2026-11-24: `alert list --since 24h` compares that event time, while
# `--received-since 24h` compares when CoreRecon received them.
corerecon alert list
corerecon alert related "$(corerecon alert list --search bastion-01 --format csv --json id | sed -n 2p)"
