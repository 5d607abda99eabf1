import CoreRecon
import CoreReconStore
import CoreReconTestSupport
import Foundation
import Synchronization
import Testing

@Suite("Playbooks end to end: lint, dry runs on real data, a runner killed mid-run")
struct PlaybookEndToEndTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples/playbooks").path

    @Test("lint exits 0 on the examples and 65 on a broken file, each problem on a FILE:LINE:COLUMN line")
    func lint() throws {
        let cli = try CoreReconProcess()
        defer { cli.remove() }
        let clean = try cli.run(["playbook", "lint", Self.examples])
        #expect(clean.exitCode == 0, "\(clean.stderr)")
        #expect(clean.stdout.isEmpty)
        let broken = cli.home.path + "/broken.yaml"
        try "name: broken\non:\n  alert.created:\n    if: alert.severity >= \nsteps:\n  - uses: alert.comment\n"
            .write(toFile: broken, atomically: true, encoding: .utf8)
        let result = try cli.run(["playbook", "lint", Self.examples, broken])
        #expect(result.exitCode == 65)
        #expect(result.stdout.contains("\(broken):4:"), "\(result.stdout)")
        #expect(result.stdout.contains("\(broken):6:"))
        let json = try cli.run(["playbook", "lint", broken, "--format", "json"])
        #expect(json.exitCode == 65)
        #expect(try JSONParser.parse(json.stdout).arrayValue?.count == 3, "\(json.stdout)")
        #expect(try cli.run(["playbook", "lint", cli.home.path + "/missing.yaml"]).exitCode == 66)
    }

    @Test(
        "The example playbooks, dry-run against alerts from real SIEM exports, trigger on the alerts they are for",
        .enabled(if: SharedData.isAvailable, SharedData.skipReason))
    func examplesOnRealData() throws {
        let cli = try CoreReconProcess()
        defer { cli.remove() }
        func record(_ path: String, containing needle: String) throws -> String {
            let text = try String(contentsOf: SharedData.url(path), encoding: .utf8)
            let line = text.split(separator: "\n").first { $0.contains(needle) }
            let file = cli.home.path + "/\(UUID().uuidString).json"
            try String(try #require(line)).write(toFile: file, atomically: true, encoding: .utf8)
            return file
        }
        func test(_ playbook: String, _ event: String) throws -> (Int32, JSONValue) {
            let result = try cli.run([
                "playbook", "test", Self.examples + "/\(playbook).yaml", "--event", event, "--format", "json",
            ])
            return (result.exitCode, (try? JSONParser.parse(result.stdout)) ?? .null)
        }
        // Wazuh: repeated PAM failures (rule 5551) from one source.
        let wazuh = try record("alerts/wazuh/ait-lds-insect-wazuh-alerts.ndjson", containing: #""id":"5551""#)
        var (code, report) = try test("brute-force-containment", wazuh)
        #expect(code == 0 && report[key: "triggered"] == .bool(true), "\(report)")
        #expect(report[key: "concurrencyKey"]?.text?.isEmpty == false)
        // Google SCC: "Brute Force: SSH".
        (code, report) = try test(
            "brute-force-containment", SharedData.url("alerts/google-scc/ssh_brute_force-remediated.json").path)
        #expect(code == 0 && report[key: "triggered"] == .bool(true), "\(report)")
        // An ordinary Wazuh alert does not trigger it (exit 1, the reason said).
        let plain = try record("alerts/wazuh/ait-lds-insect-wazuh-alerts.ndjson", containing: #""id":"52507""#)
        (code, report) = try test("brute-force-containment", plain)
        #expect(code == 1 && report[key: "triggered"] == .bool(false))
        #expect(report[key: "reason"]?.text?.contains("does not hold") == true)
        // Microsoft 365 Defender: a phishing alert; its URLs, addresses and hosts are looked up.
        let phish = try record(
            "alerts/sekoia-intake-formats/microsoft-365-defender/microsoft-365-defender.raw-events.ndjson",
            containing: "hish")
        (code, report) = try test("phishing-triage", phish)
        #expect(code == 0 && report[key: "triggered"] == .bool(true), "\(report)")
        let lookup = report[key: "steps"]?.arrayValue?.first
        #expect(lookup?[key: "decision"]?.text == "run", "\(report)")
        #expect((lookup?[key: "outputs"]?[key: "count"]?.int ?? 0) >= 1)
        // Ransomware and SLA breaches: stream events as the API sends them.
        let ransom = cli.home.path + "/ransom.json"
        try
            #"{"type":"alert.created","alert":{"id":7,"title":"Ransomware behavior detected","severity":"critical","techniques":["T1486"],"observables":{"host":"fs01"}}}"#
            .write(toFile: ransom, atomically: true, encoding: .utf8)
        (code, report) = try test("ransomware-escalation", ransom)
        #expect(code == 0 && report[key: "concurrencyKey"]?.text == "fs01", "\(report)")
        let notify = report[key: "steps"]?.arrayValue?.last
        #expect(notify?[key: "inputs"]?[key: "text"]?.text?.contains("on fs01") == true, "\(report)")
        let breach = cli.home.path + "/breach.json"
        try
            #"{"type":"sla.breached","incident":{"id":"IR-2026-0007","title":"Intrusion","severity":"high","state":"triage","sla":{"metric":"contain","policy":"urgent","deadline":"2026-12-05T10:00:00Z"}}}"#
            .write(toFile: breach, atomically: true, encoding: .utf8)
        (code, report) = try test("sla-breach-escalation", breach)
        #expect(code == 0, "\(report)")
        let decisions = report[key: "steps"]?.arrayValue?.compactMap { $0[key: "decision"]?.text }
        #expect(decisions == ["would run", "would run", "would run"], "\(report)")
    }

    @Test(
        "A runner killed during a step: the next runner does not repeat finished steps, fails the interrupted external one, and a retry finishes the run",
        .timeLimit(.minutes(3)), arguments: TestDatabases.backends)
    func killedMidRun(backend: DatabaseBackend) async throws {
        try await TestDatabases.withEmptyDatabase(backend) { config in try Self.killedBody(config) }
    }

    static func killedBody(_ config: AppConfig) throws {
        let web = try StallingWebServer()
        defer { web.stop() }
        let cli = try CoreReconProcess(environment: ["CORERECON_DATABASE_URL": TestDatabases.url(config)])
        defer { cli.remove() }
        let directory = cli.home.path + "/config/corerecon"
        try FileManager.default.createDirectory(atPath: directory + "/playbooks", withIntermediateDirectories: true)
        try "playbooks:\n  lease: 1s\n".write(toFile: directory + "/config.yaml", atomically: true, encoding: .utf8)
        try """
        name: hand-off
        on: manual
        steps:
          - uses: alert.comment
            with: { alert: "${{ alert.id }}", text: before }
          - id: soar
            uses: http.request
            with: { url: "\(web.url("/case"))", json: { alert: "${{ alert.id }}" } }
          - uses: alert.comment
            with: { alert: "${{ alert.id }}", text: "after ${{ steps.soar.status }}" }
        """.write(toFile: directory + "/playbooks/hand-off.yaml", atomically: true, encoding: .utf8)
        #expect(try cli.run(["migrate"]).exitCode == 0)
        #expect(try cli.run(["ingest", "-"], input: NotifyEndToEndTests.alerts).exitCode == 0)

        // The run starts in a process of its own, which is killed while the request hangs.
        let process = Process()
        process.executableURL = CoreReconProcess.executable
        process.arguments = ["playbook", "run", "hand-off", "--alert", "1"]
        process.environment = cli.environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date() + 60
        while web.received == 0 && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(web.received == 1)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        func show() throws -> JSONValue {
            try JSONParser.parse(try cli.run(["playbook", "run", "show", "1", "--format", "json"]).stdout)
        }
        func comments() throws -> [String] {
            let history = try cli.run(["alert", "history", "1", "--format", "json"]).stdout
            return (try JSONParser.parse(history).arrayValue ?? []).filter { $0[key: "action"]?.text == "comment" }
                .compactMap { $0[key: "message"]?.text }
        }
        var run = try show()
        #expect(run[key: "status"]?.text == "running")
        #expect(try comments() == ["before"])

        // Once the lease lapses another runner takes the run: the comment is not repeated, the request is not
        // sent again (it may have reached the server), and the run fails naming the step.
        Thread.sleep(forTimeInterval: 1.5)
        let pending = try cli.run(["playbook", "run-pending", "--once"])
        #expect(pending.exitCode == 1, "\(pending.stderr)")
        run = try show()
        #expect(run[key: "status"]?.text == "failed")
        #expect(run[key: "error"]?.text?.contains("interrupted") == true, "\(run)")
        #expect(try comments() == ["before"])
        #expect(web.received == 1)

        // A retry sends the request again (now answered) and finishes, still without repeating the first step.
        let retried = try cli.run(["playbook", "run", "retry", "1"])
        #expect(retried.exitCode == 0, "\(retried.stderr)")
        #expect(try show()[key: "status"]?.text == "succeeded")
        #expect(try comments() == ["before", "after 200"])
        #expect(web.received == 2)
        let steps = try show()[key: "steps"]?.arrayValue ?? []
        #expect(steps.first { $0[key: "step"]?.text == "step-1" }?[key: "attempts"]?.int == 1)
    }

    @Test(
        "serve runs playbooks in the background: on alerts sent to it, and on alerts another process ingests",
        .timeLimit(.minutes(4)))
    func serveRunsPlaybooks() async throws {
        let cli = try CoreReconProcess(environment: ["CORERECON_JWT_SECRET": String(repeating: "k", count: 40)])
        defer { cli.remove() }
        let directory = cli.home.path + "/config/corerecon/playbooks"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try """
        name: ack-high
        on:
          alert.created:
            if: alert.severity >= "high"
        steps:
          - uses: alert.set
            with: { alert: "${{ alert.id }}", status: acknowledged }
        """.write(toFile: directory + "/ack-high.yaml", atomically: true, encoding: .utf8)
        let key = try await offPool { try cli.run(["token", "create", "--name", "siem", "--role", "admin"]) }.stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let (process, port, _, _) = try await offPool { try cli.startServer() }
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        let lines = NotifyEndToEndTests.alerts.split(separator: "\n").map(String.init)
        // One alert through the API (this process wakes its runner), one through `corerecon ingest` (found by
        // the runner's poll).
        let sent = try await LoopbackHTTP.send(
            .POST, "http://127.0.0.1:\(port)/api/v1/ingest", headers: [("Authorization", "Bearer \(key)")],
            body: Array(lines[0].utf8))
        #expect(sent.status == 202 || sent.status == 200, "\(sent.text)")
        let ingested = try await offPool { try cli.run(["ingest", "-"], input: lines[1] + "\n" + lines[3] + "\n") }
        #expect(ingested.exitCode == 0)
        var runs: [JSONValue] = []
        let deadline = Date() + 30
        while Date() < deadline {
            let answer = try await LoopbackHTTP.send(
                .GET, "http://127.0.0.1:\(port)/api/v1/playbook-runs?status=succeeded",
                headers: [("Authorization", "Bearer \(key)")])
            runs = (try? JSONParser.parse(answer.text).arrayValue) ?? []
            if runs.count >= 2 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        if runs.count != 2 {
            let all = try await LoopbackHTTP.send(
                .GET, "http://127.0.0.1:\(port)/api/v1/playbook-runs", headers: [("Authorization", "Bearer \(key)")])
            let listed = try await LoopbackHTTP.send(
                .GET, "http://127.0.0.1:\(port)/api/v1/playbooks", headers: [("Authorization", "Bearer \(key)")])
            Issue.record("runs: \(all.text)\nplaybooks: \(listed.text)")
        }
        #expect(runs.count == 2, "\(runs)")
        // The low alert (priority 3) started nothing; the high ones are acknowledged by the playbook.
        let list = try await offPool { try cli.run(["alert", "list", "--format", "json", "--json", "id,status"]) }
        let statuses = (try JSONParser.parse(list.stdout).arrayValue ?? []).compactMap { $0[key: "status"]?.text }
        #expect(statuses.sorted() == ["acknowledged", "acknowledged", "new"], "\(list.stdout)")
        process.terminate()
        try await offPool { process.waitUntilExit() }
        #expect(process.terminationStatus == 0)
    }

    @Test(
        "Two runner processes at once over the same events: each event one run, each step once",
        .timeLimit(.minutes(3)), arguments: TestDatabases.backends)
    func twoRunnerProcesses(backend: DatabaseBackend) async throws {
        try await TestDatabases.withEmptyDatabase(backend) { config in try Self.twoRunnersBody(config) }
    }

    static func twoRunnersBody(_ config: AppConfig) throws {
        let cli = try CoreReconProcess(environment: ["CORERECON_DATABASE_URL": TestDatabases.url(config)])
        defer { cli.remove() }
        let directory = cli.home.path + "/config/corerecon/playbooks"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try """
        name: note-every-alert
        on:
          alert.created:
        steps:
          - uses: alert.comment
            with: { alert: "${{ alert.id }}", text: "seen" }
        """.write(toFile: directory + "/note.yaml", atomically: true, encoding: .utf8)
        #expect(try cli.run(["migrate"]).exitCode == 0)
        let alerts = (1...40).map { flow in
            #"{"timestamp":"2026-11-20T10:00:00.000000+0000","flow_id":\#(flow),"event_type":"alert","src_ip":"203.0.113.\#(flow)","src_port":4904,"dest_ip":"10.0.0.5","dest_port":22,"proto":"TCP","alert":{"signature_id":\#(2_200_000 + flow),"signature":"Scan \#(flow)","category":"Attempted Information Leak","severity":2}}"#
        }.joined(separator: "\n")
        #expect(try cli.run(["ingest", "-"], input: alerts + "\n").exitCode == 0)
        // Two runners start together and race for the same 40 events and runs.
        let group = DispatchGroup()
        let results = Mutex<[Int32]>([])
        for _ in 0..<2 {
            group.enter()
            DispatchQueue.global().async {
                let code = (try? cli.run(["playbook", "run-pending", "--once", "--quiet"]))?.exitCode ?? -1
                results.withLock { $0.append(code) }
                group.leave()
            }
        }
        group.wait()
        #expect(results.withLock { $0 } == [0, 0])
        let runs = try cli.run(["playbook", "runs", "--limit", "1000", "--format", "json"])
        let list = try JSONParser.parse(runs.stdout).arrayValue ?? []
        #expect(list.count == 40, "\(runs.stdout.prefix(500))")
        #expect(list.allSatisfy { $0[key: "status"]?.text == "succeeded" })
        #expect(Set(list.compactMap { $0[key: "eventId"]?.int }).count == 40)
        // Each alert got exactly one comment.
        for id in [1, 20, 40] {
            let history = try cli.run(["alert", "history", "\(id)", "--format", "json"]).stdout
            let comments = (try JSONParser.parse(history).arrayValue ?? []).filter {
                $0[key: "action"]?.text == "comment"
            }
            #expect(comments.count == 1, "alert \(id): \(history)")
        }
    }
}
