import CoreRecon
import CoreReconTestSupport
import Foundation
import Testing

/// Every file in examples/ is exercised here, so none can rot.
@Suite("examples/")
struct ExamplesTests {
    static let examples = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples")

    @Test("quickstart.sh runs the main job on the embedded default")
    func quickstart() throws {
        let binDirectory = CoreReconProcess.executable.deletingLastPathComponent().path
        let cli = try CoreReconProcess(environment: ["PATH": binDirectory + ":/usr/bin:/bin"])
        defer { cli.remove() }
        let result = try cli.runScript(Self.examples.appendingPathComponent("quickstart.sh").path)
        #expect(result.exitCode == 0, "\(result.stderr)")
        // Five example records: the two SSH scans from one attacker merge into one alert.
        #expect(result.stderr.contains("ingested 5 records"))
        #expect(result.stderr.contains("4 new alerts, 1 duplicates merged"))
        #expect(result.stdout.contains("ET SCAN Potential SSH Scan"))
        #expect(result.stdout.contains("Impossible travel for j.doe"))
        // The Wazuh brute-force alert on bastion-01 shares the attacker's IP with the scan and the sign-in.
        #expect(result.stdout.contains("ip:203.0.113.77"))
        #expect(FileManager.default.fileExists(atPath: cli.home.path + "/data/corerecon/corerecon.db"))
    }

    @Test("incident-response.sh works an incident from escalation to report, with the example playbooks")
    func incidentResponse() throws {
        let binDirectory = CoreReconProcess.executable.deletingLastPathComponent().path
        let cli = try CoreReconProcess(environment: ["PATH": binDirectory + ":/usr/bin:/bin"])
        defer { cli.remove() }
        let quickstart = try cli.runScript(Self.examples.appendingPathComponent("quickstart.sh").path)
        #expect(quickstart.exitCode == 0, "\(quickstart.stderr)")
        let result = try cli.runScript(Self.examples.appendingPathComponent("incident-response.sh").path)
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stderr.contains("escalated to IR-"))
        #expect(result.stdout.contains("# IR-"))
        #expect(result.stdout.contains("| Resolution | true_positive_without_impact |"))
        #expect(result.stdout.contains("| T1110.001 | Password Guessing | credential-access |"))
        // The three alerts sharing the attacker's IP were escalated, and closed with the incident.
        let alerts = try cli.run(["alert", "list", "--status", "closed", "--format", "csv", "--json", "id,closeReason"])
        #expect(alerts.stdout.split(separator: "\n").dropFirst().count == 3, "\(alerts.stdout)")
        #expect(alerts.stdout.contains("true_positive"))

        // The playbooks load through the sample config: a phishing incident starts with its tasks.
        let config = Self.examples.appendingPathComponent("config.yaml").path
        let created = try cli.run(
            [
                "incident", "create", "--config", config, "--title", "Invoice phish", "--type", "phishing", "--format",
                "json",
            ])
        #expect(created.exitCode == 0, "\(created.stderr)")
        let document = try JSONSerialization.jsonObject(with: Data(created.stdout.utf8)) as? [String: Any]
        let id = try #require(document?["id"] as? String)
        #expect(document?["assignee"] as? String == "alice")  // round robin over [alice, bob]
        let tasks = try cli.run(["incident", "task", "list", id, "--config", config, "--format", "ndjson"])
        #expect(tasks.stdout.split(separator: "\n").count == 10)
        #expect(tasks.stdout.contains("template:phishing"))
    }

    @Test("serve.sh sends a signed webhook and a keyed ingest, and reads the queue with an access token")
    func serveExample() throws {
        let binDirectory = CoreReconProcess.executable.deletingLastPathComponent().path
        let cli = try CoreReconProcess(environment: ["PATH": binDirectory + ":/usr/bin:/bin"])
        defer { cli.remove() }
        let result = try cli.runScript(Self.examples.appendingPathComponent("serve.sh").path)
        #expect(result.exitCode == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count >= 3, "\(result.stdout)")
        // The webhook created its alert (202 body); the keyed NDJSON post stored the Wazuh alert.
        #expect(lines.first?.contains("\"created\":1") == true, "\(result.stdout)")
        #expect(lines.dropFirst().first?.contains("\"read\":1") == true, "\(result.stdout)")
        #expect(result.stdout.contains("medium"))
        // Remote mode: signed in, the queue as CSV over the API, signed out.
        #expect(result.stdout.contains("id,severity,title\n"), "\(result.stdout)")
        #expect(result.stdout.contains("event alert.created\n"), "\(result.stdout)")
        #expect(result.stderr.contains("No incidents match."), "\(result.stderr)")
        #expect(result.stderr.contains("signed in to http://127.0.0.1:"), "\(result.stderr)")
        #expect(result.stderr.contains("signed out of http://127.0.0.1:"), "\(result.stderr)")
        // An admin's key lists the ingest key over the API, then revokes itself.
        #expect(result.stdout.contains("example-siem-"), "\(result.stdout)")
        #expect(result.stderr.contains("Revoked example-admin-"), "\(result.stderr)")
    }

    @Test("syslog.sh sends CEF over UDP, LEEF and JSON over TCP with logger; the alerts carry the sender's label")
    func syslogExample() throws {
        let binDirectory = CoreReconProcess.executable.deletingLastPathComponent().path
        let cli = try CoreReconProcess(environment: ["PATH": binDirectory + ":/usr/bin:/bin"])
        defer { cli.remove() }
        let result = try cli.runScript(Self.examples.appendingPathComponent("syslog.sh").path)
        #expect(result.exitCode == 0, "\(result.stderr)")
        for title in ["Port scan from outside", "port_scan", "Impossible travel"] {
            #expect(result.stdout.contains("\"title\":\"\(title)\",\"source\":\"lab-appliances\""), "\(result.stdout)")
        }
        #expect(result.stdout.contains("corerecon_syslog_messages_total{transport=\"tcp\"} 2"), "\(result.stdout)")
        #expect(result.stdout.contains("corerecon_ingest_records_total{outcome=\"created\"} 3"), "\(result.stdout)")
    }

    @Test("backup.sh backs up, checks the SHA-256 and restores into a scratch database with the same alerts")
    func backupExample() throws {
        let binDirectory = CoreReconProcess.executable.deletingLastPathComponent().path
        let cli = try CoreReconProcess(environment: ["PATH": binDirectory + ":/usr/bin:/bin"])
        defer { cli.remove() }
        #expect(try cli.runScript(Self.examples.appendingPathComponent("quickstart.sh").path).exitCode == 0)
        let kept = cli.home.path + "/backups"
        try FileManager.default.createDirectory(atPath: kept, withIntermediateDirectories: true)
        let result = try cli.runScript(Self.examples.appendingPathComponent("backup.sh").path, [kept])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout.contains(".db.zst: OK\n"), "\(result.stdout)")
        #expect(result.stdout.contains("alerts: 4 live, 4 in the backup\n"), "\(result.stdout)")
        let names = try FileManager.default.contentsOfDirectory(atPath: kept)
        #expect(names.contains { $0.hasSuffix(".db.zst") } && names.contains { $0.hasSuffix(".db.zst.sha256") })
        // Run again the same day, it replaces that day's backup and checks it again.
        let again = try cli.runScript(Self.examples.appendingPathComponent("backup.sh").path, [kept])
        #expect(again.exitCode == 0, "\(again.stderr)")
    }

    @Test("mtls.sh serves with client certificates: refused without one, answered through a context with one")
    func mutualTLSExample() throws {
        let binDirectory = CoreReconProcess.executable.deletingLastPathComponent().path
        let cli = try CoreReconProcess(environment: ["PATH": binDirectory + ":/usr/bin:/bin"])
        defer { cli.remove() }
        #expect(
            try cli.run(["ingest", Self.examples.appendingPathComponent("alerts/wazuh.ndjson").path]).exitCode == 0)
        let result = try cli.runScript(Self.examples.appendingPathComponent("mtls.sh").path)
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stderr.contains("asks for a client certificate"), "\(result.stderr)")
        #expect(result.stdout.contains("mode: server\n"), "\(result.stdout)")
        #expect(result.stdout.contains("clientCertificate: PKI/ana.pem\n"), "\(result.stdout)")
        #expect(result.stdout.contains("ready: true\n"), "\(result.stdout)")
        #expect(result.stdout.contains("id,severity,title\n1,"), "\(result.stdout)")
    }

    @Test("ci-ioc-import.sh imports the example feeds, matches a log line and exports for the sensors")
    func ciIOCImport() throws {
        let binDirectory = CoreReconProcess.executable.deletingLastPathComponent().path
        let cli = try CoreReconProcess(environment: ["PATH": binDirectory + ":/usr/bin:/bin"])
        defer { cli.remove() }
        let out = cli.home.path + "/out"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let script = try cli.runScript(Self.examples.appendingPathComponent("ci-ioc-import.sh").path, [out])
        #expect(script.exitCode == 0, "\(script.stderr)")
        #expect(script.stdout.contains("\"new\" : 4"), "\(script.stdout)")
        #expect(script.stdout.contains("9e107d9d372bb6826bd81d3542a419d6"))
        // The match of cdn.evil-updates.example: the URL and its listed parent domain.
        #expect(script.stdout.contains("\"found\":\"http://cdn.evil-updates.example/stage2.bin\""), "\(script.stdout)")
        let addresses = try String(contentsOfFile: out + "/block-addresses.txt", encoding: .utf8)
        #expect(addresses.split(separator: "\n").sorted() == ["198.51.100.7", "203.0.113.0/24"])
        let bundle = try JSONParser.parse(
            Array(try Data(contentsOf: URL(fileURLWithPath: out + "/indicators.stix.json"))))
        // --tlp-max green leaves out the amber hash.
        #expect(bundle[key: "objects"]?.arrayValue?.count == 5)
        let rules = try String(contentsOfFile: out + "/corerecon-iocs.rules", encoding: .utf8)
        #expect(rules.contains("alert ip any any <> [198.51.100.7] any"), "\(rules)")
        #expect(
            rules.contains(#"dns.query; dotprefix; content:".evil-updates.example"; nocase; endswith;"#), "\(rules)")
        let event = try JSONParser.parse(
            Array(try Data(contentsOf: URL(fileURLWithPath: out + "/indicators.misp.json"))))
        #expect(event[key: "Event"]?[key: "info"]?.text == "CI threat-intel import")
        #expect((event[key: "Event"]?[key: "Attribute"]?.arrayValue?.count ?? 0) >= 6)
    }

    @Test("ci-ioc-import.sh on a runner with no database: the same imports and exports over a server's API")
    func ciIOCImportRemote() async throws {
        let binDirectory = CoreReconProcess.executable.deletingLastPathComponent().path
        let served = try CoreReconProcess(environment: ["CORERECON_JWT_SECRET": String(repeating: "k", count: 40)])
        defer { served.remove() }
        let key = try served.run(["token", "create", "--name", "ci", "--role", "lead"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let (server, port, _, _) = try await offPool { try served.startServer() }
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        let runner = try CoreReconProcess(environment: [
            "PATH": binDirectory + ":/usr/bin:/bin", "CORERECON_SERVER": "http://127.0.0.1:\(port)",
            "CORERECON_TOKEN": key,
        ])
        defer { runner.remove() }
        let out = runner.home.path + "/out"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let script = try runner.runScript(Self.examples.appendingPathComponent("ci-ioc-import.sh").path, [out])
        #expect(script.exitCode == 0, "\(script.stderr)")
        #expect(script.stdout.contains("\"new\" : 4"), "\(script.stdout)")
        let addresses = try String(contentsOfFile: out + "/block-addresses.txt", encoding: .utf8)
        #expect(addresses.split(separator: "\n").sorted() == ["198.51.100.7", "203.0.113.0/24"])
        let bundle = try JSONParser.parse(
            Array(try Data(contentsOf: URL(fileURLWithPath: out + "/indicators.stix.json"))))
        #expect(bundle[key: "objects"]?.arrayValue?.count == 5)
        #expect(!FileManager.default.fileExists(atPath: runner.home.path + "/data/corerecon"), "no database was made")
        // The server holds what the runner imported.
        let stats = try JSONParser.parse(try served.run(["ioc", "stats", "--format", "json"]).stdout)
        #expect(stats[key: "total"]?.int == 6)
        #expect(stats[key: "bySource"]?[key: "edge-blocklist"]?.int == 4)
    }

    @Test("config.yaml is a valid configuration")
    func sampleConfig() throws {
        let cli = try CoreReconProcess()
        defer { cli.remove() }
        let config = Self.examples.appendingPathComponent("config.yaml").path
        // The sample's relative sqlite:corerecon.db lands in the working directory (the test's home).
        let result = try cli.run(["migrate", "status", "--config", config, "--format", "json"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let document = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(document?["location"] as? String == "sqlite://\(cli.home.path)/corerecon.db")
    }
}

extension ExamplesTests {
    @Test("attack/coverage.sh maps an alert, shows coverage and compares the example layer")
    func attackCoverage() throws {
        let binDirectory = CoreReconProcess.executable.deletingLastPathComponent().path
        let cli = try CoreReconProcess(environment: ["PATH": binDirectory + ":/usr/bin:/bin"])
        defer { cli.remove() }
        let result = try cli.runScript(Self.examples.appendingPathComponent("attack/coverage.sh").path)
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout.contains("CREDENTIAL ACCESS"))
        #expect(result.stdout.contains("T1110.001"))
        // The plan's SSH password guessing was seen; its phishing was not.
        #expect(result.stdout.contains("difference: 2 only in the layer"))
        #expect(FileManager.default.fileExists(atPath: cli.home.path + "/coverage-layer.json"))
    }
}

extension ExamplesTests {
    @Test("playbooks.sh lints the example playbooks, dry-runs one, and a runner pass opens an incident")
    func playbooksExample() throws {
        let binDirectory = CoreReconProcess.executable.deletingLastPathComponent().path
        let cli = try CoreReconProcess(environment: ["PATH": binDirectory + ":/usr/bin:/bin"])
        defer { cli.remove() }
        let result = try cli.runScript(Self.examples.appendingPathComponent("playbooks.sh").path)
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stderr.contains("0 error(s), 0 warning(s); 4 playbook(s) fine"))
        #expect(result.stdout.contains("the condition of on.alert.created holds"))
        #expect(result.stdout.contains("run 1 brute-force-containment: succeeded"), "\(result.stdout)")
        #expect(result.stdout.contains("Brute force from 203.0.113.77"))
    }

    @Test("sla.sh starts clocks, pauses one, sweeps a breach (exit 3) and reports; the crontab's commands exist")
    func slaExample() throws {
        let binDirectory = CoreReconProcess.executable.deletingLastPathComponent().path
        let cli = try CoreReconProcess(environment: ["PATH": binDirectory + ":/usr/bin:/bin"])
        defer { cli.remove() }
        let result = try cli.runScript(Self.examples.appendingPathComponent("sla.sh").path)
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout.contains("sla sweep exited 3"), "\(result.stdout)")
        #expect(result.stdout.contains(#"{"record":"breached","ref":"1","metric":"acknowledge","policy":"demo-high"}"#))
        #expect(result.stdout.contains("sla acknowledge: paused"))
        #expect(result.stdout.contains("oncall-lead"))
        // The monthly report as Markdown: a header row, its rule, and the two breached acknowledgements.
        #expect(result.stdout.contains("| target | severity | metric | clocks | met | breached | open | met % |"))
        #expect(result.stdout.contains("| --- | --- |"))
        #expect(result.stdout.contains("| alert | critical | acknowledge | 2 | 0 | 2 | 0 | 0.0 |"), "\(result.stdout)")
        // Every corerecon command line of the crontab parses (--help stops before any work).
        let crontab = try String(
            contentsOf: Self.examples.appendingPathComponent("cron/sla-sweep.crontab"), encoding: .utf8)
        let commands = crontab.split(separator: "\n").filter { !$0.hasPrefix("#") && $0.contains("corerecon ") }
        #expect(commands.count == 4)
        for line in commands {
            let words = line.components(separatedBy: "corerecon ")[1].split(separator: " ").prefix(2).map(String.init)
            let help = try cli.run(words + ["--help"])
            #expect(help.exitCode == 0, "\(words): \(help.stderr)")
        }
    }
}
