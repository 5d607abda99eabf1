import CoreRecon
import CoreReconTestSupport
import Foundation
import Testing

/// `corerecon playbook` over the API of a running server: the server's playbooks, dry runs and runs carried out by
/// its runner print what the same commands print on the database.
@Suite("Remote mode: playbooks")
struct RemotePlaybookTests {
    /// Playbooks in one directory both stores name, so that their files are the same paths.
    static let playbooks: [String: String] = [
        "triage-note.yaml": """
        name: triage-note
        description: Leave a note on an alert and list its relatives
        on:
          manual:
        inputs:
          note: { required: true, description: what was checked }
        steps:
          - id: related
            uses: alert.related
            with: { alert: ${{ alert.id }}, window: 1d }
          - uses: alert.comment
            with:
              alert: ${{ alert.id }}
              text: "${{ inputs.note }} (${{ steps.related.count }} related)"
        """,
        "watcher.yaml": """
        name: watcher
        on:
          alert.created:
            if: alert.severity >= "high"
        steps:
          - id: related
            uses: alert.related
            with: { alert: ${{ alert.id }} }
          - uses: alert.comment
            if: steps.related.count > 0
            for_each: ${{ [1, 2] }}
            with: { alert: ${{ alert.id }}, text: "seen ${{ item }}" }
        """,
        "failing.yaml": """
        name: failing
        on:
          manual:
        steps:
          - uses: alert.comment
            with: { alert: 999999, text: never }
        """,
    ]

    static let draft = """
        name: watcher
        description: a draft of the watcher, tried before it replaces the loaded one
        on:
          alert.created:
        steps:
          - uses: alert.comment
            with: { alert: ${{ alert.id }}, text: draft }
        """

    /// Step and run durations, measured on each side.
    static func untimed(_ text: String) -> String {
        RemoteIntelAndSLATests.clockless(text)
            .replacingOccurrences(of: #" [0-9]+ ms"#, with: " N ms", options: .regularExpression)
            .replacingOccurrences(of: #""milliseconds" ?: ?[0-9]+"#, with: "MS", options: .regularExpression)
            // A manual run's trigger key is random.
            .replacingOccurrences(of: #"manual:[0-9A-F-]{36}"#, with: "manual:KEY", options: .regularExpression)
    }

    @Test(
        "playbook list, show, enable, disable, test, run, run show, retry, cancel and runs print the same over the API")
    func samePlaybooks() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("playbooks-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, text) in Self.playbooks {
            try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let stores = try await RemoteIntelAndSLATests.stores(config: "playbooks:\n  path: \(directory.path)\n")
        defer { stores.stop() }
        let (local, served, laptop) = (stores.local, stores.served, stores.laptop)
        for cli in [local, laptop] {
            try Self.draft.write(toFile: cli.home.path + "/draft.yaml", atomically: true, encoding: .utf8)
            try "name: broken\nsteps: 3\n".write(
                toFile: cli.home.path + "/broken.yaml", atomically: true, encoding: .utf8)
            try "{not json".write(toFile: cli.home.path + "/bad.json", atomically: true, encoding: .utf8)
            try RemoteModeEndToEndTests.alerts.split(separator: "\n")[2].write(
                toFile: cli.home.path + "/event.json", atomically: true, encoding: .utf8)
        }
        // The watcher is switched off before any alert arrives, so that neither store's runs are its.
        try RemoteIntelAndSLATests.compare(
            [
                (["playbook", "list"], nil),
                (["playbook", "list", "--format", "json"], nil),
                (["playbook", "show", "triage-note"], nil),
                (["playbook", "show", "watcher", "--format", "json"], nil),
                (["playbook", "show", "nope"], nil),
                (["playbook", "disable", "watcher"], nil),
                (["playbook", "disable", "nope"], nil),
                (["playbook", "list", "--format", "csv"], nil),
            ], local: local, laptop: laptop, normalize: Self.untimed)
        try RemoteIntelAndSLATests.ingest(into: [local, served])
        let steps: [(arguments: [String], input: String?)] = [
            (["playbook", "test", "watcher", "--event", "event.json"], nil),
            (["playbook", "test", "watcher", "--alert", "3", "--format", "json"], nil),
            (["playbook", "test", "watcher", "--alert", "999"], nil),
            (["playbook", "test", "triage-note", "--alert", "1", "--input", "note=checked"], nil),
            (["playbook", "test", "draft.yaml", "--incident", "IR-0042"], nil),
            (["playbook", "test", "draft.yaml", "--alert", "2", "--type", "alert.updated"], nil),
            (["playbook", "test", "draft.yaml", "--alert", "2"], nil),
            (["playbook", "test", "broken.yaml"], nil),
            (["playbook", "test", "missing.yaml"], nil),
            (["playbook", "test", "watcher", "--event", "bad.json"], nil),
            (["playbook", "run", "triage-note", "--alert", "1", "--input", "note=checked by hand"], nil),
            (["playbook", "run", "triage-note", "--alert", "1"], nil),
            (["playbook", "run", "triage-note", "--alert", "1", "--input", "note=x", "--input", "other=y"], nil),
            (["playbook", "run", "failing", "--format", "json"], nil),
            (["playbook", "run", "nope"], nil),
            (["playbook", "run", "show", "1"], nil),
            (["playbook", "run", "show", "1", "--format", "json"], nil),
            (["playbook", "run", "show", "99"], nil),
            (["playbook", "run", "retry", "2"], nil),
            (["playbook", "run", "retry", "1"], nil),
            (["playbook", "run", "cancel", "1"], nil),
            (["playbook", "runs"], nil),
            (["playbook", "runs", "--playbook", "failing", "--format", "csv"], nil),
            (["playbook", "runs", "--alert", "1", "--status", "succeeded", "--format", "json"], nil),
            (["playbook", "enable", "watcher"], nil),
            (["playbook", "list"], nil),
            (["alert", "history", "1"], nil),
        ]
        try RemoteIntelAndSLATests.compare(steps, local: local, laptop: laptop, normalize: Self.untimed)
        // The runs did their work on the server: the note is on the alert, the failing run says why.
        let runs = try JSONParser.parse(try laptop.run(["playbook", "runs", "--format", "json"]).stdout)
        let statuses = (runs.arrayValue ?? []).compactMap { $0[key: "status"]?.text }
        #expect(statuses.sorted() == ["failed", "succeeded"], "\(statuses)")
        let history = try served.run(["alert", "history", "1"]).stdout
        #expect(history.contains("checked by hand ("), "\(history)")
        let dryRun = try laptop.run(["playbook", "test", "watcher", "--alert", "3"])
        #expect(dryRun.exitCode == 0 && dryRun.stdout.contains("would run"), "\(dryRun.stdout)")

        // A run only queued is left to the server's runner, which carries it out.
        let queued = try laptop.run([
            "playbook", "run", "triage-note", "--alert", "2", "--input", "note=later", "--queue", "--format", "json",
        ])
        #expect(queued.exitCode == 0, "\(queued.stderr)")
        let id = try #require(JSONParser.parse(queued.stdout)[key: "id"]?.int)
        var status = ""
        for _ in 0..<100 where status != "succeeded" {
            try await Task.sleep(for: .milliseconds(50))
            status =
                try JSONParser.parse(laptop.run(["playbook", "run", "show", "\(id)", "--format", "json"]).stdout)[
                    key: "status"]?.text ?? ""
        }
        #expect(status == "succeeded")

        // An analyst runs manual playbooks only, and may not switch playbooks.
        let analystKey = try served.run(["token", "create", "--name", "ana", "--role", "analyst"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let analyst = try CoreReconProcess(environment: [
            "CORERECON_SERVER": laptop.environment["CORERECON_SERVER"] ?? "", "CORERECON_TOKEN": analystKey,
        ])
        defer { analyst.remove() }
        #expect(try analyst.run(["playbook", "run", "failing"]).exitCode == 1)
        let refused = try analyst.run(["playbook", "run", "watcher", "--alert", "1"])
        #expect(refused.exitCode == 77 && refused.stderr.contains("not a manual playbook"), "\(refused.stderr)")
        #expect(try analyst.run(["playbook", "disable", "watcher"]).exitCode == 77)
        // The runner is the server's: over the API there is nothing for run-pending to do.
        let pending = try laptop.run(["playbook", "run-pending", "--once"])
        #expect(pending.exitCode == 78 && pending.stderr.contains("database only"), "\(pending.stderr)")
    }
}

/// `corerecon notify` over the API, for an admin: the server's channels, its outbox, a test message it sends.
@Suite("Remote mode: notifications")
struct RemoteNotifyTests {
    @Test("notify channels, test, list, retry and flush work over the API as on the database")
    func sameNotifications() async throws {
        let web = try RecordingWebServer()
        defer { web.stop() }
        let config = """
            notify:
              maxAttempts: 1
              channels:
                hook:
                  type: webhook
                  url: \(web.url("/hook"))
                nowhere:
                  type: webhook
                  url: http://127.0.0.1:9/hook
              rules:
                - name: everything
                  on: [alert.created]
                  minSeverity: high
                  channels: [hook, nowhere]
            """
        let stores = try await RemoteIntelAndSLATests.stores(config: config, role: "admin")
        defer { stores.stop() }
        let (local, served, laptop) = (stores.local, stores.served, stores.laptop)
        let untimed = RemotePlaybookTests.untimed
        try RemoteIntelAndSLATests.compare(
            [
                (["notify", "channels"], nil),
                (["notify", "channels", "--format", "json"], nil),
                (["notify", "test", "hook", "--format", "json"], nil),
                (["notify", "test", "nowhere"], nil),
                (["notify", "test", "nope"], nil),
                (["notify", "list"], nil),
                (["notify", "list", "--failed"], nil),
                (["notify", "retry", "x"], nil),
            ], local: local, laptop: laptop, normalize: untimed)
        #expect(web.requests.filter { $0.path == "/hook" }.count == 2, "one test message from each side")

        try RemoteIntelAndSLATests.ingest(into: [local, served])
        // The server routes and delivers in the background every two seconds; a flush here does it now. The
        // database's store has no server: its flush does the same.
        #expect(try local.run(["notify", "flush"]).exitCode == 1, "the channel that is not there makes dead letters")
        let flushed = try laptop.run(["notify", "flush", "--format", "json"])
        #expect([0, 1].contains(flushed.exitCode), "\(flushed.stderr)")
        let settled: [(arguments: [String], input: String?)] = [
            (["notify", "list", "--format", "csv"], nil),
            (["notify", "list", "--failed", "--channel", "nowhere", "--limit", "2"], nil),
            (["notify", "list", "--pending"], nil),
            (["notify", "channels", "--format", "csv"], nil),
        ]
        try RemoteIntelAndSLATests.compare(settled, local: local, laptop: laptop, normalize: untimed)
        let dead = try JSONParser.parse(try laptop.run(["notify", "list", "--failed", "--format", "json"]).stdout)
        let ids = (dead.arrayValue ?? []).compactMap { $0[key: "id"]?.int }
        #expect(ids.count == 4, "one for each high alert: \(dead)")
        // Dead letters queued again get one more round; with nowhere to go, they are dead letters again (the
        // server's own pass may have taken them first: then this flush found nothing due).
        let retried = try laptop.run(["notify", "retry", "-"], input: ids.map(String.init).joined(separator: "\n"))
        #expect(retried.exitCode == 0, "\(retried.stderr)")
        #expect(
            retried.stderr.contains("4 queued again; 0 delivered, 0 to retry, 4 failed")
                || retried.stderr.contains("4 queued again; 0 delivered, 0 to retry, 0 failed"), "\(retried.stderr)")
        var failed: [Int] = []
        for _ in 0..<60 {
            let listed = try JSONParser.parse(
                try laptop.run(["notify", "list", "--failed", "--format", "json"]).stdout)
            failed = (listed.arrayValue ?? []).compactMap { $0[key: "id"]?.int }
            if failed.count == 4 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(failed.sorted() == ids.sorted())
        #expect(
            try laptop.run(["notify", "retry", "1"]).exitCode == 1, "a delivered notification is not a dead letter")
        // An analyst may read the outbox, not test channels or deliver.
        let analystKey = try served.run(["token", "create", "--name", "ana", "--role", "analyst"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let analyst = try CoreReconProcess(environment: [
            "CORERECON_SERVER": laptop.environment["CORERECON_SERVER"] ?? "", "CORERECON_TOKEN": analystKey,
        ])
        defer { analyst.remove() }
        #expect(try analyst.run(["notify", "list"]).exitCode == 0)
        #expect(try analyst.run(["notify", "flush"]).exitCode == 77)
        #expect(try analyst.run(["notify", "test", "hook"]).exitCode == 77)
    }
}
