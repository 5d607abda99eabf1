#!/usr/bin/env bash
# The main job on the embedded default database: create (or upgrade) the schema and show its status.
# Needs `corerecon` on PATH (after `swift build -c release`: PATH="$PWD/.build/release:$PATH").
set -euo pipefail

corerecon migrate
corerecon migrate status
