#!/usr/bin/env bash
# An incident from escalation to report, on the embedded default database (run quickstart.sh first, or any
# ingest). Uses the task templates in examples/task-templates through examples/config.yaml's incidents.taskTemplates.
# Needs `corerecon` on PATH.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export CORERECON_INCIDENTS_TASK_TEMPLATES="$here/task-templates"
export CORERECON_USER=${CORERECON_USER:-analyst1}

# Escalate every alert that touched bastion-01's attacker into one new incident.
ids=$(corerecon alert list --search 203.0.113.77 --format ndjson --json id | sed 's/[^0-9]//g')
incident=$(echo "$ids" | corerecon alert escalate - --title "Brute force and sign-in from 203.0.113.77" \
    --format csv | sed -n 2p | cut -d, -f1)
echo "escalated to $incident" >&2

corerecon incident update "$incident" --type account_compromise
corerecon incident status "$incident" triage -m "Same source IP across SSH and IdP alerts"
corerecon incident assign "$incident" --to alice
corerecon incident observable add "$incident" 203.0.113.77 --ioc --tlp amber --tag brute-force
corerecon incident map "$incident" T1110.001 --tactic credential-access
corerecon incident timeline add "$incident" --at 2026-11-24T22:25:00Z --category initial-access \
    -m "First failed SSH logins on bastion-01"
corerecon incident task add "$incident" "Block 203.0.113.77 at the edge firewall"
corerecon incident status "$incident" contained
corerecon incident task done "$incident" 1
corerecon incident close "$incident" --resolution true_positive_without_impact \
    --summary "Password spraying blocked; no successful login." --lessons "Rate-limit SSH on bastions."
corerecon incident report "$incident"
