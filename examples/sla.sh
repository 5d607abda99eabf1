#!/usr/bin/env bash
# SLA clocks from the command line: ingest alerts under a policy with short goals, watch the clocks, pause one,
# let one breach, and sweep as cron would. Runs against a throwaway SQLite database unless
# CORERECON_DATABASE_URL is set.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CORERECON_DATABASE_URL=${CORERECON_DATABASE_URL:-sqlite://$work/sla.db}
cat > "$work/config.yaml" <<'YAML'
sla:
  policies:
    - name: demo-high
      target: alert
      severity: [high, critical]
      acknowledge: 2s
      resolve: 1h
      onBreach: {raiseSeverity: critical, reassign: [oncall-lead]}
    - name: demo-other
      target: alert
      acknowledge: 1d
      resolve: 5d
YAML
config=(--config "$work/config.yaml")

corerecon ingest "${config[@]}" --quiet "$here/alerts/"
echo "== open clocks, most urgent first"
corerecon sla status "${config[@]}"

first=$(corerecon sla status "${config[@]}" --format json | jq -r '[.[] | select(.metric == "acknowledge" and .policy == "demo-other")][0].ref')
echo "== pause alert $first while waiting on the customer"
corerecon sla pause "$first" --reason "waiting on customer" "${config[@]}" > /dev/null
corerecon alert show "$first" "${config[@]}" | grep '^sla'

sleep 3
echo "== the sweep cron runs: exit 3 when it records new breaches"
set +e
corerecon sla sweep "${config[@]}" --format json | jq -c '.[] | {record, ref, metric, policy}'
status=${PIPESTATUS[0]}
set -e
echo "sla sweep exited $status"
echo "== breached alerts, raised and reassigned by the policy"
corerecon alert list --sla breached "${config[@]}"
corerecon sla report "${config[@]}" --format md
