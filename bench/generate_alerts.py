#!/usr/bin/env python3
"""Writes N synthetic SIEM alerts as NDJSON, in the shapes of real sources (Suricata EVE, Wazuh, Elastic
Security, generic JSON), about 1 KB each. Every record is a distinct delivery; a share of them repeat the
fingerprint of an earlier one (same rule, host and addresses), as real alert floods do.

    bench/generate_alerts.py 100000 /tmp/alerts.ndjson [--repeat-share 0.3] [--seed 1] [--first 1]

--first numbers the records from that flow on (ids and times continue), so that a large set can be written in
chunks; give each chunk its own --seed. The output `-` is stdout.
"""
import argparse
import json
import random
import sys
import uuid
from datetime import datetime, timedelta, timezone

RULES = [
    (2001219, "ET SCAN Potential SSH Scan", "Attempted Information Leak", 2, "T1046", "TA0007"),
    (2024897, "ET TROJAN NanoCore C2 Beacon", "A Network Trojan was detected", 1, "T1071.001", "TA0011"),
    (2013028, "ET POLICY curl User-Agent Outbound", "Attempted Information Leak", 3, None, None),
    (2027865, "ET INFO Observed DNS Query to .onion proxy Domain", "Potentially Bad Traffic", 2, "T1090.003", "TA0011"),
    (2019401, "ET WEB_SERVER Possible SQL Injection Attempt UNION SELECT", "Web Application Attack", 1, "T1190", "TA0001"),
]
WAZUH_RULES = [
    (5710, 5, "sshd: Attempt to login using a non-existent user", ["T1110"], ["Credential Access"]),
    (5712, 10, "sshd: brute force trying to get access to the system.", ["T1110"], ["Credential Access"]),
    (550, 7, "Integrity checksum changed.", ["T1565.001"], ["Impact"]),
    (92052, 12, "Windows command prompt started by an abnormal process", ["T1059.003"], ["Execution"]),
]
ELASTIC_RULES = [
    ("Suspicious PowerShell Encoded Command", "high", 73, "T1059.001", "TA0002", "Execution"),
    ("Potential Credential Access via LSASS Memory Dump", "critical", 99, "T1003.001", "TA0006", "Credential Access"),
    ("Unusual Parent-Child Relationship", "medium", 47, "T1055", "TA0004", "Privilege Escalation"),
]


def ip(rng, private=False):
    if private:
        return f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
    return f"{rng.choice([45, 89, 103, 185, 193, 203])}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"


def padding(rng, size):
    words = ["GET", "/api/v2/items", "Mozilla/5.0", "session", "token", "cache", "accept", "gzip", "keep-alive"]
    return " ".join(rng.choice(words) for _ in range(size))


def suricata(rng, time, key, flow):
    sid, signature, category, severity, technique, tactic = key["rule"]
    record = {
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S.%f+0000"), "flow_id": flow, "in_iface": "eth0",
        "event_type": "alert", "src_ip": key["src"], "src_port": rng.randrange(1024, 65535), "dest_ip": key["dst"],
        "dest_port": rng.choice([22, 80, 443, 8080]), "proto": "TCP", "host": key["host"],
        "alert": {"action": "allowed", "gid": 1, "signature_id": sid, "rev": 3, "signature": signature,
                  "category": category, "severity": severity},
        "http": {"hostname": f"www.example{rng.randrange(50)}.com", "url": "/" + padding(rng, 4).replace(" ", "/"),
                 "http_user_agent": padding(rng, 6), "http_method": "GET", "protocol": "HTTP/1.1", "status": 200,
                 "length": rng.randrange(100000)},
        "app_proto": "http",
        "flow": {"pkts_toserver": rng.randrange(1, 50), "pkts_toclient": rng.randrange(50),
                 "bytes_toserver": rng.randrange(100000), "bytes_toclient": rng.randrange(100000),
                 "start": time.strftime("%Y-%m-%dT%H:%M:%S.%f+0000")},
        "payload_printable": padding(rng, 25),
    }
    if technique:
        record["alert"]["metadata"] = {"mitre_technique_id": [technique], "mitre_tactic_id": [tactic]}
    return record


def wazuh(rng, time, key, flow):
    rule_id, level, description, techniques, tactics = key["wazuh"]
    return {
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "+0000",
        "rule": {"level": level, "description": description, "id": str(rule_id), "firedtimes": rng.randrange(100),
                 "mail": False, "groups": ["syslog", "sshd", "authentication_failed"],
                 "mitre": {"id": techniques, "tactic": tactics, "technique": ["Brute Force"]}},
        "agent": {"id": "%03d" % (hash(key["host"]) % 1000), "name": key["host"], "ip": key["dst"]},
        "manager": {"name": "wazuh-manager"}, "id": f"{int(time.timestamp())}.{flow}",
        "full_log": f"{time:%b %d %H:%M:%S} {key['host']} sshd[{rng.randrange(99999)}]: Invalid user admin from "
                    f"{key['src']} port {rng.randrange(1024, 65535)} " + padding(rng, 20),
        "predecoder": {"program_name": "sshd", "timestamp": f"{time:%b %d %H:%M:%S}", "hostname": key["host"]},
        "decoder": {"parent": "sshd", "name": "sshd"},
        "data": {"srcip": key["src"], "srcport": str(rng.randrange(1024, 65535)), "srcuser": key["user"]},
        "location": "/var/log/auth.log",
    }


def elastic(rng, time, key, flow):
    name, severity, risk, technique, tactic, tactic_name = key["elastic"]
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    return {
        "@timestamp": stamp, "kibana.alert.uuid": str(uuid.UUID(int=rng.getrandbits(128))),
        "kibana.alert.rule.name": name, "kibana.alert.rule.uuid": str(uuid.uuid5(uuid.NAMESPACE_DNS, name)),
        "kibana.alert.severity": severity, "kibana.alert.risk_score": risk, "kibana.alert.status": "active",
        "kibana.alert.workflow_status": "open", "kibana.alert.original_time": stamp,
        "kibana.alert.reason": f"process event on {key['host']} created {severity} alert {name}.",
        "kibana.alert.rule.threat": [{"framework": "MITRE ATT&CK", "tactic": {"id": tactic, "name": tactic_name},
                                      "technique": [{"id": technique.split(".")[0], "name": "technique"}]}],
        "host": {"name": key["host"], "ip": [key["dst"]], "os": {"family": "windows"}},
        "user": {"name": key["user"]},
        "process": {"name": "powershell.exe", "pid": rng.randrange(10000), "command_line": padding(rng, 15),
                    "executable": "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"},
        "event": {"kind": "signal", "category": ["process"], "type": ["start"]},
        "agent": {"type": "endpoint", "version": "8.11.0"},
    }


def generic(rng, time, key, flow):
    return {
        "id": f"gen-{flow}", "title": f"Impossible travel for {key['user']}", "severity": rng.choice(["high", "medium"]),
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ"), "user": key["user"], "src_ip": key["src"],
        "host": key["host"], "description": padding(rng, 60), "product": "IdP", "vendor": "Example",
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("count", type=int)
    parser.add_argument("output")
    parser.add_argument("--repeat-share", type=float, default=0.3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--first", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    start = datetime(2026, 11, 1, tzinfo=timezone.utc)
    makers = [suricata, suricata, wazuh, elastic, generic]
    keys = []
    with (open(args.output, "w") if args.output != "-" else sys.stdout) as out:
        for flow in range(args.first, args.first + args.count):
            time = start + timedelta(seconds=flow * 0.5)
            if keys and rng.random() < args.repeat_share:
                maker, key = rng.choice(keys[-2000:])
            else:
                maker = rng.choice(makers)
                key = {"rule": rng.choice(RULES), "wazuh": rng.choice(WAZUH_RULES), "elastic": rng.choice(ELASTIC_RULES),
                       "src": ip(rng), "dst": ip(rng, private=True), "host": f"host-{rng.randrange(5000)}",
                       "user": f"user{rng.randrange(3000)}"}
                keys.append((maker, key))
            out.write(json.dumps(maker(rng, time, key, flow), separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
