#!/usr/bin/env python3
"""Writes N alerts as NDJSON made from the real vendor records in ../shared/data/alerts (Suricata, Wazuh, Elastic
Security, GuardDuty, CrowdStrike, Defender, Sentinel, SentinelOne, OCSF), taken in turn. Each copy gets its own
identifiers (UUIDs, hex ids, numeric ids, timestamps' fractions) so it is a new delivery, and its own addresses, so
it is a new alert, except a share (--repeat-share) that reuses an earlier copy's addresses and merges into it, as
real alert floods do. Records keep their vendor's shape, field names and sizes.

    bench/generate_real.py 50000 /tmp/real.ndjson [--data ../shared/data] [--repeat-share 0.2] [--seed 1]
"""
import argparse
import hashlib
import json
import os
import random
import re
import sys

FILES = [
    "alerts/suricata-eve/first-org-conf-2015-alerts.json",
    "alerts/suricata-eve/honeypot-2018-alerts.json",
    "alerts/wazuh/ait-lds-insect-wazuh-alerts.ndjson",
    "alerts/elastic-security/kibana-8.1.0-es_archive-alerts-docs1-2.ndjson",
    "alerts/sekoia-intake-formats/aws-guardduty/aws-guardduty.raw-events.ndjson",
    "alerts/sekoia-intake-formats/crowdstrike_falcon/crowdstrike_falcon.raw-events.ndjson",
    "alerts/sekoia-intake-formats/microsoft-365-defender/microsoft-365-defender.raw-events.ndjson",
    "alerts/sekoia-intake-formats/microsoft-sentinel/microsoft-sentinel.raw-events.ndjson",
    "alerts/sekoia-intake-formats/sentinelone/sentinelone.raw-events.ndjson",
    "alerts/sekoia-intake-formats/suricata/suricata.raw-events.ndjson",
    "alerts/sekoia-intake-formats/ocsf/ocsf.raw-events.ndjson",
]
UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
HEX_ID = re.compile(r"^[0-9a-f]{16,64}$")
IPV4 = re.compile(r"\b(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\b")
FRACTION = re.compile(r"(\d{2}:\d{2}:\d{2})\.(\d{3,9})")
ID_KEYS = re.compile(r"(^|_|\.)(id|uid|uuid|offset|flow_id|pcap_cnt|event_id|detectid|incidentid)$", re.I)


def records(root):
    for relative in FILES:
        path = os.path.join(root, relative)
        if not os.path.exists(path):
            continue
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        stripped = text.lstrip()
        if stripped.startswith("["):
            for record in json.loads(text):
                yield record
            continue
        for line in text.splitlines():
            if line.strip():
                yield json.loads(line)


def digest(text, salt, length):
    return hashlib.sha256(f"{salt}:{text}".encode()).hexdigest()[:length]


def mutate(value, key, copy, addresses):
    """The record with identifiers made unique to `copy` and addresses drawn from `addresses`."""
    if isinstance(value, dict):
        return {k: mutate(v, k, copy, addresses) for k, v in value.items()}
    if isinstance(value, list):
        return [mutate(v, key, copy, addresses) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return value + copy if ID_KEYS.search(key or "") else value
    if isinstance(value, float):
        return value
    text = value
    if HEX_ID.match(text):
        return digest(text, copy, len(text))
    text = UUID.sub(lambda m: "-".join(
        digest(m.group(0), copy, n) for n in (8, 4, 4, 4, 12)), text)
    if ID_KEYS.search(key or "") and text and not UUID.search(value):
        text = f"{text}-{copy}"
    text = IPV4.sub(lambda m: addresses(m.group(0)), text)
    text = FRACTION.sub(lambda m: f"{m.group(1)}.{str(copy % 10 ** len(m.group(2))).zfill(len(m.group(2)))}", text)
    return text


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("count", type=int)
    parser.add_argument("output")
    parser.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data"))
    parser.add_argument("--repeat-share", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    originals = list(records(arguments.data))
    if not originals:
        sys.exit(f"error: no alert records under {arguments.data}/alerts (is ../shared beside the repository?)")
    rng = random.Random(arguments.seed)
    with open(arguments.output, "w", encoding="utf-8") as out:
        for copy in range(1, arguments.count + 1):
            record = originals[copy % len(originals)]
            # A repeat takes the addresses of an earlier copy of the same record: the same hosts, so it merges.
            earlier = copy - len(originals) * rng.randint(1, 5)
            seed = earlier if earlier > 0 and rng.random() < arguments.repeat_share else copy

            def addresses(address, seed=seed):
                if address.startswith(("127.", "0.", "255.")):
                    return address
                h = hashlib.sha256(f"{seed}:{address}".encode()).digest()
                first = int(address.split(".")[0])
                return f"{first}.{h[0]}.{h[1]}.{h[2] % 254 + 1}"

            out.write(json.dumps(mutate(record, None, copy, addresses), separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
