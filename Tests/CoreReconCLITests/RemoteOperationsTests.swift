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

/// `corerecon user` and `corerecon token` over the API, for an admin.
@Suite("Remote mode: users and API keys")
struct RemoteAccountTests {
    @Test("user add/list/disable/enable/passwd and token create/list/revoke print the same over the API")
    func sameAccounts() async throws {
        // The laptop signs in as an admin with a password: an API key of its own would be listed, used, on the
        // server's side only.
        let local = try CoreReconProcess(environment: ["CORERECON_USER": "root"])
        let served = try CoreReconProcess(environment: ["CORERECON_JWT_SECRET": RemoteModeEndToEndTests.secret])
        for cli in [local, served] {
            let added = try cli.run(
                ["user", "add", "root", "--role", "admin", "--password-stdin"], input: "root password here\n")
            #expect(added.exitCode == 0, "\(added.stderr)")
        }
        let (server, port, _, _) = try await offPool { try served.startServer() }
        let laptop = try CoreReconProcess(environment: ["CORERECON_SERVER": "http://127.0.0.1:\(port)"])
        let stores = RemoteIntelAndSLATests.Stores(local: local, served: served, laptop: laptop, server: server)
        defer { stores.stop() }
        let login = try laptop.run(["login", "--user", "root", "--password-stdin"], input: "root password here\n")
        #expect(login.exitCode == 0, "\(login.stderr)")
        let password = "correct horse battery\n"
        // API keys are random and shown once: their text and prefixes are cut out.
        let keyless: (String) -> String = { text in
            RemotePlaybookTests.untimed(text)
                .replacingOccurrences(of: #"crk_[A-Za-z0-9_-]+"#, with: "KEY", options: .regularExpression)
        }
        try RemoteIntelAndSLATests.compare(
            [
                (["user", "add", "ana", "--role", "analyst", "--password-stdin"], password),
                (["user", "add", "bob", "--role", "lead", "--password-stdin", "--format", "json"], password),
                (["user", "add", "ana", "--role", "viewer", "--password-stdin"], password),
                (["user", "add", "eve", "--role", "viewer", "--password-stdin"], "short\n"),
                (["user", "add", "bad name", "--role", "viewer", "--password-stdin"], password),
                (["user", "list"], nil),
                (["user", "disable", "ana"], nil),
                (["user", "disable", "nobody"], nil),
                (["user", "list", "--format", "csv"], nil),
                (["user", "enable", "ana"], nil),
                (["user", "passwd", "bob", "--password-stdin"], "another long password\n"),
                (["user", "passwd", "bob", "--password-stdin"], "tiny\n"),
                (["user", "list", "--format", "json"], nil),
                (["token", "create", "--name", "splunk", "--role", "ingest", "--expires", "90d"], nil),
                (["token", "create", "--name", "ci", "--role", "analyst", "--format", "json"], nil),
                (["token", "create", "--name", "ci", "--role", "analyst"], nil),
                (["token", "list"], nil),
                (["token", "revoke", "ci"], nil),
                (["token", "revoke", "ci"], nil),
                (["token", "list", "--format", "json"], nil),
            ], local: local, laptop: laptop, normalize: keyless)
        // What the API made works: the new key signs requests, the new password signs in, the revoked key does not.
        let created = try JSONParser.parse(
            try laptop.run(["token", "create", "--name", "wall", "--role", "viewer", "--format", "json"]).stdout)
        let key = try #require(created[key: "key"]?.text)
        let wall = try CoreReconProcess(environment: [
            "CORERECON_SERVER": "http://127.0.0.1:\(port)", "CORERECON_TOKEN": key,
        ])
        defer { wall.remove() }
        #expect(try wall.run(["alert", "list"]).exitCode == 0)
        #expect(try wall.run(["user", "list"]).exitCode == 77, "a viewer may not list users")
        // A key revoked through a server is refused by that server at once (others within their 5-second cache).
        #expect(try laptop.run(["token", "revoke", "wall"]).exitCode == 0)
        #expect(try wall.run(["alert", "list"]).exitCode == 77)
        let signIn = try wall.run(["login", "--user", "bob", "--password-stdin"], input: "another long password\n")
        #expect(signIn.exitCode == 0, "\(signIn.stderr)")
        // Neither the password nor a key is ever in the server's audit log.
        let audit = try served.run(["audit", "list", "--limit", "1000", "--format", "json"]).stdout
        #expect(audit.contains("user.passwd") && !audit.contains("another long password") && !audit.contains(key))
    }
}

/// `corerecon ioc feed`, `ioc update` and `ioc hunt` over the API: the server pulls the feeds.
@Suite("Remote mode: indicator feeds, edits and hunts")
struct RemoteFeedTests {
    @Test("ioc feed add/list/pull/remove, ioc update and ioc hunt print the same over the API")
    func sameFeeds() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("feed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "# bad hosts\n203.0.113.3\n198.51.100.7\nevil[.]example\nnot an indicator\n".write(
            to: directory.appendingPathComponent("list.txt"), atomically: true, encoding: .utf8)
        let web = try StaticWebServer(directory: directory.path)
        defer { web.stop() }
        let closed = try LoopbackPort.free()
        let stores = try await RemoteIntelAndSLATests.stores(role: "admin")
        defer { stores.stop() }
        let (local, served, laptop) = (stores.local, stores.served, stores.laptop)
        try RemoteIntelAndSLATests.ingest(into: [local, served])
        // A log of 2,500 lines, three of them with hits: over the API it goes up in batches of 1,000 lines.
        var log = (1...2_500).map { "line \($0) from 10.1.\($0 / 250).\($0 % 250) to 10.0.0.2" }
        log[1_099] = "GET http://evil[.]example/x from 203.0.113.3"
        log[2_399] = "dns query evil.example"
        log[2_499] = "198.51.100.7 again"
        let dns =
            #"{"name":"dns","description":"Public resolvers","version":3,"type":"cidr","list":["198.51.100.0/28","8.8.8.8"],"matching_attributes":["ip-src","ip-dst"]}"#
        for cli in [local, laptop] {
            try (log.joined(separator: "\n") + "\n").write(
                toFile: cli.home.path + "/big.log", atomically: true, encoding: .utf8)
            try FileManager.default.createDirectory(
                atPath: cli.home.path + "/lists", withIntermediateDirectories: true)
            try dns.write(toFile: cli.home.path + "/lists/dns.json", atomically: true, encoding: .utf8)
            try "{\"name\": 3}".write(toFile: cli.home.path + "/broken.json", atomically: true, encoding: .utf8)
        }
        var steps: [(arguments: [String], input: String?)] = [
            (["ioc", "feed", "list"], nil),
            (
                [
                    // No --every: a server pulls a feed with one in the background, at once when it was never pulled.
                    "ioc", "feed", "add", "hosts", "--url", "http://127.0.0.1:\(web.port)/list.txt", "--tag", "feed",
                    "--tlp", "amber", "--confidence", "80",
                ], nil
            ),
            (["ioc", "feed", "add", "down", "--url", "http://127.0.0.1:\(closed)/list.txt"], nil),
            (["ioc", "feed", "add", "bad name!", "--url", "http://127.0.0.1:\(closed)/x"], nil),
            (["ioc", "feed", "list", "--format", "json"], nil),
            (["ioc", "feed", "pull", "hosts"], nil),
            (["ioc", "feed", "pull", "hosts", "--format", "json", "--full"], nil),
            (["ioc", "feed", "pull", "nope"], nil),
            (["ioc", "feed", "pull", "down"], nil),
            (["ioc", "feed", "pull", "--due"], nil),
            (["ioc", "list", "--source", "hosts"], nil),
            (["ioc", "match", "big.log"], nil),
            (["ioc", "match", "-c", "big.log", "-"], "nothing\n203.0.113.3\n"),
            (["ioc", "match", "-o", "-"], "src=203.0.113.3 dst=10.0.0.2\nhxxp://evil[.]example/login\n"),
            (["ioc", "match", "-"], "nothing to see\n"),
            (["ioc", "match", "missing.log"], nil),
            (
                [
                    "ioc", "update", "198.51.100.7", "--tlp", "red", "--confidence", "10", "--tag", "x", "--untag",
                    "feed", "--expires", "2d", "--description", "seen in the lab",
                ], nil
            ),
            (["ioc", "update", "198.51.100.7", "--no-expiry", "--format", "json"], nil),
            (["ioc", "revoke", "evil.example"], nil),
            (["ioc", "update", "evil.example", "--unrevoke"], nil),
            (["ioc", "update", "nope.example", "--tlp", "red"], nil),
            (["ioc", "hunt", "--dry-run"], nil),
            (["ioc", "hunt", "--since", "1h"], nil),
            (["ioc", "add", "203.0.113.6"], nil),
            (["ioc", "hunt", "--since", "1h", "--dry-run", "--format", "json"], nil),
            (["ioc", "warninglist", "list"], nil),
            (["ioc", "warninglist", "import", "lists"], nil),
            (["ioc", "warninglist", "import", "broken.json"], nil),
            (["ioc", "warninglist", "list", "--format", "json"], nil),
            (["ioc", "warninglist", "check", "198.51.100.7"], nil),
            (["ioc", "warninglist", "check", "evil[.]example", "--format", "json"], nil),
            (["ioc", "warninglist", "check", "x", "--type", "ipv4"], nil),
            (["ioc", "show", "198.51.100.7"], nil),
            (["ioc", "match", "-"], "198.51.100.7 is on a list now\n"),
            (["ioc", "feed", "remove", "down"], nil),
            (["ioc", "feed", "remove", "down"], nil),
            (["ioc", "feed", "list"], nil),
        ]
        if SharedData.isAvailable {
            steps.append((["ioc", "warninglist", "import", SharedData.url("misp/warninglists").path], nil))
            steps.append((["ioc", "warninglist", "check", "8.8.8.8"], nil))
        } else {
            print("note: ../shared/data is not beside the repository; MISP's warninglists were not imported remotely")
        }
        // The feed's address differs in its port only from run to run; times are cut out.
        try RemoteIntelAndSLATests.compare(steps, local: local, laptop: laptop, normalize: RemotePlaybookTests.untimed)
        // The server fetched the feed: its indicators are in the server's store, from the feed's source, and the
        // retro-hunt found the stored alert that carries one.
        // The warninglist sent is the server's, and flags the indicator on it.
        let lists = try served.run(["ioc", "warninglist", "list", "--format", "csv"]).stdout
        #expect(lists.contains("dns,cidr,3,2"), "\(lists)")
        let again = try laptop.run(["ioc", "warninglist", "import", "lists", "--format", "csv"], in: laptop.home.path)
        #expect(again.stdout.contains("dns,cidr,2,1"), "198.51.100.7 is on it: \(again.stdout)")
        let matched = try served.run(["ioc", "show", "203.0.113.3"]).stdout
        #expect(matched.contains("source:        hosts") && matched.contains("alert:3"), "\(matched)")
        // A lead may pull, not add feeds (they make the server fetch a URL).
        let leadKey = try served.run(["token", "create", "--name", "lead", "--role", "lead"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let lead = try CoreReconProcess(environment: [
            "CORERECON_SERVER": laptop.environment["CORERECON_SERVER"] ?? "", "CORERECON_TOKEN": leadKey,
        ])
        defer { lead.remove() }
        #expect(try lead.run(["ioc", "feed", "pull", "hosts"]).exitCode == 0)
        #expect(try lead.run(["ioc", "feed", "remove", "hosts"]).exitCode == 77)
    }
}

/// `corerecon mitre sync`, `mitre import` and `mitre layer import` over the API: the server downloads, stores and
/// compares.
@Suite("Remote mode: ATT&CK sync and layers")
struct RemoteATTACKTests {
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("CoreReconStoreTests/Fixtures/attack")

    @Test("mitre sync and mitre import (an admin's) and mitre layer import print the same over the API")
    func sameSync() async throws {
        let web = try StaticWebServer(directory: Self.fixtures.path)
        defer { web.stop() }
        let closed = try LoopbackPort.free()
        let stores = try await RemoteIntelAndSLATests.stores(role: "admin")
        defer { stores.stop() }
        let (local, served, laptop) = (stores.local, stores.served, stores.laptop)
        let bundle = "http://127.0.0.1:\(web.port)/tiny-enterprise-stix20.json"
        var steps: [(arguments: [String], input: String?)] = [
            (["mitre", "sync", "--url", bundle], nil),
            (["mitre", "sync", "--url", bundle, "--format", "json"], nil),
            (["mitre", "sync", "--domain", "ics", "--url", bundle], nil),
            (["mitre", "sync", "--url", "http://127.0.0.1:\(closed)/enterprise-attack.json"], nil),
            (["mitre", "sync", "--url", "http://127.0.0.1:\(web.port)/missing.json"], nil),
            (["mitre", "techniques", "--format", "csv"], nil),
            (["mitre", "import", Self.fixtures.appendingPathComponent("tiny-enterprise-v2-stix21.json").path], nil),
            (
                [
                    "mitre", "import", Self.fixtures.appendingPathComponent("tiny-ics-stix21.json").path, "--format",
                    "json",
                ], nil
            ),
            (["mitre", "import", Self.fixtures.appendingPathComponent("bad-layer-v30.json").path], nil),
            (["mitre", "import", "missing.json"], nil),
            (["mitre", "tactics", "--domain", "ics", "--format", "csv"], nil),
            (["mitre", "layer", "import", Self.fixtures.appendingPathComponent("tiny-layer-v45.json").path], nil),
            (
                [
                    "mitre", "layer", "import", Self.fixtures.appendingPathComponent("tiny-layer-v45.json").path,
                    "--format", "json",
                ], nil
            ),
            (["mitre", "layer", "import", Self.fixtures.appendingPathComponent("bad-layer-v30.json").path], nil),
        ]
        let timeless: (String) -> String = { text in
            RemotePlaybookTests.untimed(text)
                .replacingOccurrences(of: #"done in [0-9.]+ s"#, with: "done in N s", options: .regularExpression)
        }
        if SharedData.isAvailable {
            steps.append((["mitre", "import", SharedData.url("attack/ics-attack-18.1.json").path], nil))
        } else {
            print("note: ../shared/data is not beside the repository; MITRE's ICS bundle was not imported remotely")
        }
        try RemoteIntelAndSLATests.compare(steps, local: local, laptop: laptop, normalize: timeless)
        // The server's catalog is the bundles it downloaded and was sent: the same as the database's.
        let listing = ["mitre", "techniques", "--domain", "ics", "--format", "csv"]
        let techniques = try served.run(listing)
        #expect(techniques.stderr.contains("catalog: imported ics-attack"), "\(techniques.stderr)")
        #expect(techniques.stdout.split(separator: "\n").count > 1, "\(techniques.stdout)")
        #expect(techniques.stdout == (try local.run(listing)).stdout)
        // A lead may compare layers, not make the server download.
        let leadKey = try served.run(["token", "create", "--name", "lead", "--role", "lead"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let lead = try CoreReconProcess(environment: [
            "CORERECON_SERVER": laptop.environment["CORERECON_SERVER"] ?? "", "CORERECON_TOKEN": leadKey,
        ])
        defer { lead.remove() }
        #expect(try lead.run(["mitre", "sync", "--url", bundle]).exitCode == 77)
        #expect(
            try lead.run(["mitre", "import", Self.fixtures.appendingPathComponent("tiny-ics-stix21.json").path])
                .exitCode == 77)
    }
}
