#!/usr/bin/env bash
# Fidelity of ingest on vendor records it has not been tuned on: for each product, the share of records that
# become Detection Findings with a title, a severity, a time, a product name and at least one observable, and
# that are not mapped as "Generic". Reads parser test suites in the SEKOIA intake-formats layout
# (PRODUCT/tests/*.json, each with the vendor's raw record in input.message), as found in
# https://github.com/SEKOIA-IO/intake-formats; nothing is stored (ingest --dry-run).
#
#   bench/fidelity.sh CHECKOUT [PRODUCT_DIR ...]
#
# CHECKOUT is a clone of intake-formats; without PRODUCT_DIRs, the directories of the products CoreRecon maps
# by name (Cortex XDR, Sophos, CEF and LEEF senders, GuardDuty, CrowdStrike, SentinelOne, Defender, Sentinel).
# Prints one line per product and the total; exits 0. Needs python3 and corerecon on PATH (or CORERECON).
set -euo pipefail
checkout=${1:?usage: bench/fidelity.sh CHECKOUT [PRODUCT_DIR ...]}
shift
corerecon=${CORERECON:-corerecon}
if [ $# -eq 0 ]; then
    set -- "Palo Alto Networks/paloalto-cortex-xdr" "Sophos/sophos edr" "CEF/cef" "Checkpoint/checkpoint" \
        "CyberArk/cyberark-audit-logs" "Trend Micro/deep-security" "AWS/aws-guardduty" \
        "CrowdStrike/crowdstrike_falcon" "SentinelOne/sentinelone" "Microsoft/microsoft-365-defender" \
        "Microsoft/microsoft-sentinel"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CORERECON_DATABASE_URL="sqlite://$work/fidelity.db"

printf '%-40s %8s %9s %s\n' product records complete "missing (records)"
for product in "$@"; do
    dir="$checkout/$product/tests"
    [ -d "$dir" ] || { echo "skip: $product (no $dir)" >&2; continue; }
    # The raw records, one per line: JSON compacted, text lines as they are.
    python3 - "$dir" >"$work/records" <<'PY'
import json, os, sys
root = sys.argv[1]
for name in sorted(os.listdir(root)):
    if not name.endswith(".json"):
        continue
    try:
        message = json.load(open(os.path.join(root, name)))["input"]["message"]
    except Exception:
        continue
    try:
        print(json.dumps(json.loads(message), separators=(",", ":")))
    except Exception:
        print(" ".join(message.splitlines()))
PY
    "$corerecon" ingest "$work/records" --dry-run --quiet >"$work/findings" 2>/dev/null || true
    python3 - "$product" "$work/records" "$work/findings" <<'PY'
import json, sys
product, records, findings = sys.argv[1:4]
total = sum(1 for line in open(records) if line.strip())
complete, missing = 0, {}
for line in open(findings):
    finding = json.loads(line)
    gaps = []
    if not (finding.get("finding_info") or {}).get("title"): gaps.append("title")
    if finding.get("severity_id") in (None, 0): gaps.append("severity")
    if not finding.get("time"): gaps.append("time")
    name = ((finding.get("metadata") or {}).get("product") or {}).get("name")
    if not name or name == "Generic": gaps.append("product")
    if not finding.get("observables"): gaps.append("observables")
    for gap in gaps: missing[gap] = missing.get(gap, 0) + 1
    if not gaps: complete += 1
rejected = total - sum(1 for _ in open(findings))
if rejected: missing["rejected"] = rejected
share = 100.0 * complete / total if total else 0
print(f"{product:40s} {total:8d} {share:8.1f}% {', '.join(f'{k} ({v})' for k, v in sorted(missing.items())) or '-'}")
with open(records + ".totals", "a") as out:
    out.write(f"{total} {complete}\n")
PY
done
awk '{t += $1; c += $2} END {if (t) printf "%-40s %8d %8.1f%%\n", "all", t, 100 * c / t}' "$work/records.totals"
