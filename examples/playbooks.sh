#!/usr/bin/env bash
# Response playbooks from the command line: lint the example playbooks, dry-run one on a real-looking alert,
# then ingest alerts and let the runner do the work, as `serve` does in the background or cron does with
# `playbook run-pending`. Runs against a throwaway SQLite database unless CORERECON_DATABASE_URL is set.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CORERECON_DATABASE_URL=${CORERECON_DATABASE_URL:-sqlite://$work/playbooks.db}
# The example playbooks, with a notification channel they name (a receiver that is not there: delivery is
# retried and dead-lettered, the runs are not held up).
mkdir -p "$work/playbooks"
cp "$here"/playbooks/*.yaml "$work/playbooks/"
cat > "$work/config.yaml" <<'YAML'
notify:
  channels:
    oncall-slack:
      type: webhook
      url: http://127.0.0.1:9/hook
YAML
config=(--config "$work/config.yaml")

echo "== lint (exit 65 on an error, for a pre-commit hook or CI)"
corerecon playbook lint "$work/playbooks"

echo "== dry run: the Wazuh brute-force alert against brute-force-containment"
grep -m1 'brute force' "$here/alerts/wazuh.ndjson" > "$work/event.json"
corerecon playbook test brute-force-containment "${config[@]}" --event "$work/event.json"

corerecon migrate "${config[@]}" > /dev/null
corerecon ingest "${config[@]}" --quiet "$here/alerts/"
echo "== one pass of the runner (cron: * * * * * corerecon playbook run-pending --once --quiet)"
corerecon playbook run-pending --once "${config[@]}"
corerecon playbook runs "${config[@]}"

run=$(corerecon playbook runs "${config[@]}" --format json | jq -r '[.[] | select(.status == "succeeded")][0].id')
echo "== run $run, step by step"
corerecon playbook run show "$run" "${config[@]}"
echo "== the incident it opened"
corerecon incident list "${config[@]}"
