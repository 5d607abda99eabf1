import CoreRecon
import CoreReconTestSupport
import Foundation
import Testing

/// Commands over the API of a running `corerecon serve`: signing in, the same output as on the database, and
/// errors a person can act on.
@Suite("Remote mode")
struct RemoteModeEndToEndTests {
    static let secret = String(repeating: "k", count: 40)

    /// Suricata alerts of three severities and two sources, so that filters and pages have something to cut.
    static var alerts: String {
        (1...12).map { index in
            #"{"timestamp":"2026-11-20T10:\#(String(format: "%02d", index)):00.000000+0000","flow_id":\#(index),"event_type":"alert","src_ip":"203.0.113.\#(index)","src_port":4904,"dest_ip":"10.0.0.2","dest_port":22,"proto":"TCP","alert":{"action":"allowed","gid":1,"signature_id":\#(2_001_000 + index % 3),"rev":1,"signature":"ET SCAN probe \#(index % 3)","category":"Attempted Information Leak","severity":\#(index % 3 + 1)}}"#
        }.joined(separator: "\n") + "\n"
    }

    @Test("alert list prints the same bytes and exits the same over the API as on the database, in every format")
    func sameOutput() async throws {
        let cli = try CoreReconProcess(environment: ["CORERECON_JWT_SECRET": Self.secret])
        defer { cli.remove() }
        #expect(try cli.run(["ingest", "-", "--source", "sensor-a"], input: Self.alerts).exitCode == 0)
        #expect(
            try cli.run(
                ["user", "add", "ana", "--role", "analyst", "--password-stdin"], input: "correct horse battery\n"
            ).exitCode == 0)
        let (server, port, _, _) = try await offPool { try cli.startServer() }
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        let url = "http://127.0.0.1:\(port)"

        let login = try cli.run(
            ["login", "--server", url, "--user", "ana", "--password-stdin"], input: "correct horse battery\n")
        #expect(login.exitCode == 0, "\(login.stderr)")
        #expect(login.stderr.contains("signed in to \(url) as ana (role analyst)"))
        let credentials = cli.home.path + "/config/corerecon/credentials.yaml"
        let mode = try FileManager.default.attributesOfItem(atPath: credentials)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        let cases: [[String]] = [
            ["alert", "list"],
            ["alert", "list", "--format", "json"],
            ["alert", "list", "--format", "ndjson", "--limit", "0"],
            ["alert", "list", "--format", "csv", "--severity", "high"],
            ["alert", "list", "--format", "md", "--sort", "severity", "--limit", "4"],
            ["alert", "list", "--json", "id,title,severity", "--limit", "5", "--offset", "2"],
            [
                "alert", "list", "--status", "new,acknowledged", "--source", "sensor-a", "--since",
                "2026-11-20T10:05:00Z",
            ],
            ["alert", "list", "--search", "nothing-matches-this"],
            ["alert", "list", "--format", "ndjson", "--cursor", "id~7~7"],
            ["alert", "list", "--technique", "not-a-technique"],
        ]
        // The remote side runs where there is no database at all: a laptop with an API key.
        let key = try cli.run(["token", "create", "--name", "laptop", "--role", "viewer"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let laptop = try CoreReconProcess(environment: ["CORERECON_TOKEN": key])
        defer { laptop.remove() }
        for arguments in cases {
            let local = try cli.run(arguments)
            let remote = try laptop.run(arguments + ["--server", url])
            #expect(remote.stdout == local.stdout, "\(arguments)")
            #expect(remote.stderr == local.stderr, "\(arguments)")
            #expect(remote.exitCode == local.exitCode, "\(arguments)")
        }
        #expect(!FileManager.default.fileExists(atPath: laptop.home.path + "/data/corerecon"), "no database was made")
        // A page smaller than the queue says where the next one starts, on both sides.
        let page = try cli.run(["alert", "list", "--limit", "5", "--server", url])
        #expect(page.stderr.contains("more alerts follow: --cursor"))

        // A command that does not work over the API yet says so instead of touching a database.
        let pending = try cli.run(["playbook", "run-pending", "--once", "--server", url])
        #expect(pending.exitCode == 78)
        #expect(
            pending.stderr.contains("`corerecon playbook run-pending` works on the database only"), "\(pending.stderr)")

        // An access token the server no longer takes is renewed with the refresh token, and stored.
        let stored = try String(contentsOfFile: credentials, encoding: .utf8)
        let access = try #require(stored.split(separator: "\n").first { $0.contains("accessToken:") })
        let indent = access.prefix { $0 == " " }
        try stored.replacingOccurrences(of: String(access), with: "\(indent)accessToken: expired.garbage.token")
            .write(toFile: credentials, atomically: true, encoding: .utf8)
        chmod(credentials, 0o600)
        let renewed = try cli.run(["alert", "list", "--limit", "1", "--server", url])
        #expect(renewed.exitCode == 0, "\(renewed.stderr)")
        #expect(try !String(contentsOfFile: credentials, encoding: .utf8).contains("expired.garbage.token"))

        // Processes of one user refresh one at a time, and one that waited uses what the other stored: the server
        // revokes a whole sign-in when a refresh token is used twice (`alert list | alert ack -` starts two).
        func field(_ name: String, in text: String) -> String {
            text.split(separator: "\n").first { $0.contains("\(name):") }.map {
                String($0.split(separator: ":", maxSplits: 1)[1]).trimmingCharacters(in: .whitespaces)
            } ?? ""
        }
        let before = try String(contentsOfFile: credentials, encoding: .utf8)
        try before.replacingOccurrences(
            of: #"expiresAt: .*"#, with: "expiresAt: 2000-01-01T00:00:00Z", options: .regularExpression
        ).write(toFile: credentials, atomically: true, encoding: .utf8)
        chmod(credentials, 0o600)
        let lock = open(credentials + ".lock", O_RDWR | O_CREAT, 0o600)
        #expect(flock(lock, LOCK_EX) == 0)
        let waiting = Task { try await offPool { try cli.run(["alert", "list", "--limit", "1", "--server", url]) } }
        try await Task.sleep(for: .seconds(1))  // the command has read the expired sign-in and waits for the lock
        // Meanwhile "another process" uses the refresh token and stores what it got.
        let rotated = try await LoopbackHTTP.send(
            .POST, "\(url)/api/v1/auth/token", headers: [("Content-Type", "application/x-www-form-urlencoded")],
            body: Array("grant_type=refresh_token&refresh_token=\(field("refreshToken", in: before))".utf8))
        #expect(rotated.status == 200)
        let answer = try JSONParser.parse(rotated.body)
        try before.replacingOccurrences(
            of: #"accessToken: .*"#, with: "accessToken: \(answer[key: "access_token"]?.text ?? "")",
            options: .regularExpression
        ).replacingOccurrences(
            of: #"refreshToken: .*"#, with: "refreshToken: \(answer[key: "refresh_token"]?.text ?? "")",
            options: .regularExpression
        ).write(toFile: credentials, atomically: true, encoding: .utf8)
        chmod(credentials, 0o600)
        flock(lock, LOCK_UN)
        close(lock)
        let afterWait = try await waiting.value
        #expect(afterWait.exitCode == 0, "\(afterWait.stderr)")
        #expect(try cli.run(["alert", "list", "--limit", "1", "--server", url]).exitCode == 0, "the sign-in lives")

        // Tokens others could read are refused, not used.
        chmod(credentials, 0o644)
        let exposed = try cli.run(["alert", "list", "--server", url])
        #expect(exposed.exitCode == 78)
        #expect(exposed.stderr.contains("chmod 600"))
        chmod(credentials, 0o600)

        let logout = try cli.run(["logout", "--server", url])
        #expect(logout.exitCode == 0)
        let signedOut = try cli.run(["alert", "list", "--server", url])
        #expect(signedOut.exitCode == 77)
        #expect(signedOut.stderr.contains("corerecon login --server \(url)"), "\(signedOut.stderr)")
    }

    /// Times of day cut out (`2026-12-05T13:10:20Z`, with or without milliseconds, and the OCSF record's
    /// `processed_time` in milliseconds since 1970).
    static func timeless(_ text: String) -> String {
        recentless(
            text.replacingOccurrences(
                of: #"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z"#, with: "TIME",
                options: .regularExpression
            ).replacingOccurrences(
                of: #""processed_time" ?: ?[0-9]+"#, with: #""processed_time":TIME"#, options: .regularExpression))
    }

    /// Millisecond times of the last day cut out: a record without a time of its own (a CEF line without `rt`,
    /// Splunk's example webhook) takes the time each store received it, which differs by the run's seconds.
    static func recentless(_ text: String) -> String {
        let now = Date().timeIntervalSince1970 * 1_000
        var result = ""
        var rest = text[...]
        while let range = rest.range(of: #"(?<![0-9])1[0-9]{12}(?![0-9])"#, options: .regularExpression) {
            result += rest[..<range.lowerBound]
            let value = Double(rest[range]) ?? 0
            result += abs(value - now) < 86_400_000 ? "RECENT" : rest[range]
            rest = rest[range.upperBound...]
        }
        return result + rest
    }

    /// Ingest's summary line with its timing cut out: the only part that differs between two runs.
    static func untimed(_ text: String) -> String {
        text.replacingOccurrences(
            of: #" in [0-9.]+ s \([0-9,]+ alerts/s\)"#, with: " in … s (… alerts/s)", options: .regularExpression)
    }

    @Test("ingest over the API stores the same alerts and reports the same counts and rejections as on the database")
    func sameIngest() async throws {
        let local = try CoreReconProcess()
        defer { local.remove() }
        let served = try CoreReconProcess(environment: ["CORERECON_JWT_SECRET": Self.secret])
        defer { served.remove() }
        let key = try served.run(["token", "create", "--name", "shipper", "--role", "ingest"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let reader = try served.run(["token", "create", "--name", "reader", "--role", "viewer"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let (server, port, _, _) = try await offPool { try served.startServer() }
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        let url = "http://127.0.0.1:\(port)"
        // A log shipper: no database, an ingest key.
        let shipper = try CoreReconProcess(environment: ["CORERECON_SERVER": url, "CORERECON_TOKEN": key])
        defer { shipper.remove() }

        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("CoreReconTests/Fixtures/alerts").path
        var inputs = [fixtures]
        if SharedData.isAvailable { inputs.append(SharedData.url("alerts").path) }
        let broken =
            Self.alerts + "{not json\n" + #"{"title":""}"# + "\n" + #"[{"title":"one of two"},{"nope":1}]"# + "\n"
        // Indicators on both sides, so that each ingest says which alerts matched them.
        for cli in [local, served] {
            for value in ["203.0.113.5", "10.0.0.2"] { #expect(try cli.run(["ioc", "add", value]).exitCode == 0) }
        }
        let runs: [(arguments: [String], input: String?)] = [
            (["ingest"] + inputs + ["--source", "lab"], nil),
            (["ingest", "-", "--source", "pipe", "--reject-file", "rejects.ndjson"], broken),
            (["ingest", "-", "--source", "pipe", "--format", "json"], broken),
        ]
        for run in runs {
            let there = try local.run(run.arguments, input: run.input, in: local.home.path)
            let remote = try shipper.run(run.arguments, input: run.input, in: shipper.home.path)
            #expect(Self.untimed(remote.stderr) == Self.untimed(there.stderr), "\(run.arguments)")
            if run.arguments.contains("--reject-file") {
                #expect(remote.stderr.contains("alerts matched 2 indicators"), "\(remote.stderr)")
            }
            #expect(remote.exitCode == there.exitCode, "\(run.arguments)")
            let json = #""seconds" *: *[0-9.e+-]+"#
            #expect(
                remote.stdout.replacingOccurrences(of: json, with: "", options: .regularExpression)
                    == there.stdout.replacingOccurrences(of: json, with: "", options: .regularExpression),
                "\(run.arguments)")
        }
        func rejects(_ cli: CoreReconProcess) throws -> [String] {
            try String(contentsOfFile: cli.home.path + "/rejects.ndjson", encoding: .utf8).split(separator: "\n")
                .map { line in
                    let object = (try? JSONParser.parse(String(line))) ?? .null
                    return "\(object[key: "location"]?.text ?? "") \(object[key: "reason"]?.text ?? "")"
                }
        }
        #expect(try rejects(shipper) == rejects(local))
        #expect(try rejects(local).count == 3)

        // What was stored is the same: every alert, its counts and its fingerprint.
        let list = [
            "alert", "list", "--limit", "0", "--sort", "id", "--format", "csv", "--json",
            "id,title,severity,source,product,occurrences,fingerprint,techniques",
        ]
        let stored = try local.run(list)
        let storedRemotely = try CoreReconProcess(environment: ["CORERECON_SERVER": url, "CORERECON_TOKEN": reader])
        defer { storedRemotely.remove() }
        #expect(try storedRemotely.run(list).stdout == stored.stdout)
        #expect(stored.stdout.split(separator: "\n").count > 20)

        // Records too large together for the server's body limit are sent again in smaller requests.
        let (small, smallPort, _, _) = try await offPool { try served.startServer(["--body-limit", "1"]) }
        defer {
            small.terminate()
            small.waitUntilExit()
        }
        let big =
            (1...3).map { index in
                #"{"title":"large alert \#(index)","description":"\#(String(repeating: "x", count: 400_000))"}"#
            }.joined(separator: "\n") + "\n"
        let split = try shipper.run(
            ["ingest", "-", "--server", "http://127.0.0.1:\(smallPort)", "--format", "json"], input: big)
        #expect(split.exitCode == 0, "\(split.stderr)")
        #expect(split.stdout.contains(#""created" : 3"#), "\(split.stdout)")

        let dry = try shipper.run(["ingest", "-", "--dry-run"], input: Self.alerts)
        #expect(dry.exitCode == 78)
        #expect(dry.stderr.contains("--dry-run stores nothing and needs no server"))
    }

    @Test("Triage changes print the same bytes and exit the same over the API as on the database")
    func sameTriage() async throws {
        // Two stores holding the same alerts (the same ids): one changed on the database, one through a server,
        // by the same name (an API key acts as key:NAME).
        let local = try CoreReconProcess(environment: ["CORERECON_USER": "key:laptop"])
        defer { local.remove() }
        let served = try CoreReconProcess(environment: ["CORERECON_JWT_SECRET": Self.secret])
        defer { served.remove() }
        for cli in [local, served] {
            #expect(try cli.run(["ingest", "-", "--source", "sensor-a"], input: Self.alerts).exitCode == 0)
        }
        let key = try served.run(["token", "create", "--name", "laptop", "--role", "analyst"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let (server, port, _, _) = try await offPool { try served.startServer() }
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        let laptop = try CoreReconProcess(environment: [
            "CORERECON_SERVER": "http://127.0.0.1:\(port)", "CORERECON_TOKEN": key,
        ])
        defer { laptop.remove() }

        let steps: [(arguments: [String], input: String?)] = [
            (["alert", "ack", "1", "2"], nil),
            (["alert", "ack", "1"], nil),
            (["alert", "assign", "3", "--to", "bob"], nil),
            (["alert", "comment", "4", "-m", "looked at the pcap"], nil),
            (["alert", "close", "5", "--reason", "false_positive", "-m", "scanner"], nil),
            (["alert", "close", "5", "6", "--reason", "benign_positive"], nil),
            (["alert", "reopen", "5", "-m", "it came back"], nil),
            (["alert", "ack", "999", "7"], nil),
            (["alert", "ack", "-", "--format", "json"], "8\n9\n"),
            (["alert", "assign", "--where", "severity=high status=new", "--to", "ana", "--dry-run"], nil),
            (
                [
                    "alert", "close", "--where", "source=sensor-a status=new", "--reason", "duplicate", "--format",
                    "csv",
                ], nil
            ),
            (["alert", "ack", "--where", "search=nothing-matches-this"], nil),
            (["alert", "list", "--format", "csv", "--json", "id,status,assignee,closeReason", "--sort", "id"], nil),
            (["alert", "history", "5"], nil),
            (["alert", "history", "5", "--format", "json"], nil),
            (["alert", "history", "999"], nil),
            (["alert", "related", "1", "--limit", "3"], nil),
            (["alert", "related", "2", "--format", "ndjson"], nil),
            (["alert", "show", "1"], nil),
            (["alert", "show", "1", "--format", "json"], nil),
            (["alert", "show", "2", "--format", "ndjson"], nil),
            (["alert", "show", "999"], nil),
            (["alert", "explain", "1"], nil),
            (["alert", "explain", "1", "--format", "json"], nil),
            (["alert", "explain", "999"], nil),
            (["alert", "map", "2", "T1046", "--tactic", "discovery"], nil),
            (["alert", "map", "2", "T1595.001", "--format", "json"], nil),
            (["alert", "map", "2", "T9999"], nil),
            (["alert", "unmap", "2", "T1046"], nil),
            (["alert", "show", "2"], nil),
            (["alert", "escalate", "1", "2", "--dry-run"], nil),
            (["alert", "escalate", "1", "2", "--title", "SSH scanning", "--severity", "high"], nil),
            (["alert", "escalate", "3", "--to", "IR-0001", "--format", "json"], nil),
            (["alert", "escalate", "5"], nil),
            (["alert", "escalate", "4", "--to", "IR-0099"], nil),
            (["alert", "show", "3"], nil),
        ]
        for step in steps {
            let there = try local.run(step.arguments, input: step.input)
            let remote = try laptop.run(step.arguments, input: step.input)
            // The two stores made their changes seconds apart.
            #expect(Self.timeless(remote.stdout) == Self.timeless(there.stdout), "\(step.arguments)")
            #expect(remote.stderr == there.stderr, "\(step.arguments)")
            #expect(remote.exitCode == there.exitCode, "\(step.arguments)")
        }
        let acting = try laptop.run(["alert", "ack", "10", "--as", "someone-else"])
        #expect(acting.exitCode == 78)
        #expect(acting.stderr.contains("--as works on the database only"), "\(acting.stderr)")
    }

    @Test("CORERECON_TOKEN, contexts, a wrong password, a refused role and a server that is gone")
    func errors() async throws {
        let cli = try CoreReconProcess(environment: ["CORERECON_JWT_SECRET": Self.secret])
        defer { cli.remove() }
        #expect(try cli.run(["ingest", "-"], input: Self.alerts).exitCode == 0)
        #expect(
            try cli.run(
                ["user", "add", "ana", "--role", "analyst", "--password-stdin"], input: "correct horse battery\n"
            ).exitCode == 0)
        let key = try cli.run(["token", "create", "--name", "ci", "--role", "ingest"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        // A port below the kernel's ephemeral range: once this server is gone, no other test's `serve --port 0`
        // can be given it, and the gone server's address stays refused.
        let chosen = try LoopbackPort.free()
        let (server, port, _, _) = try await offPool { try cli.startServer(["--port", "\(chosen)"]) }
        let url = "http://127.0.0.1:\(port)"

        let wrong = try cli.run(["login", "--server", url, "--user", "ana", "--password-stdin"], input: "wrong\n")
        #expect(wrong.exitCode == 77)
        #expect(wrong.stderr.contains("refused the sign-in"), "\(wrong.stderr)")

        // A CI runner: its own machine, no database, a server and an API key in the environment.
        let runner = try CoreReconProcess(environment: ["CORERECON_SERVER": url, "CORERECON_TOKEN": key])
        defer { runner.remove() }
        let status = try runner.run(["status"])
        #expect(status.exitCode == 0, "\(status.stderr)")
        for line in [
            "mode: server", "server: \(url)", "chosenBy: CORERECON_SERVER", "credentials: CORERECON_TOKEN",
            "apiVersion: 1", "ready: true",
        ] {
            #expect(status.stdout.contains(line + "\n"), "\(status.stdout)")
        }
        let here = try cli.run(["status", "--format", "json"])
        #expect(here.stdout.contains(#""mode":"database""#) && here.stdout.contains(#""chosenBy":"the default""#))
        let refused = try runner.run(["alert", "list"])
        #expect(refused.exitCode == 77, "the ingest role may not read alerts")
        #expect(refused.stderr.contains("role ingest may not read"), "\(refused.stderr)")
        #expect(!refused.stderr.contains(key), "a token is never in an error")
        #expect(!FileManager.default.fileExists(atPath: runner.home.path + "/data/corerecon"), "no database was made")

        let badKey = try CoreReconProcess(environment: ["CORERECON_SERVER": url, "CORERECON_TOKEN": "crk_wrong"])
        defer { badKey.remove() }
        let unknown = try badKey.run(["alert", "list"])
        #expect(unknown.exitCode == 77)
        #expect(unknown.stderr.contains("Check CORERECON_TOKEN"), "\(unknown.stderr)")

        // Contexts: the current one is used until --database-url or `context use --none`.
        #expect(try cli.run(["context", "add", "lab", "--server", url + "/", "--use"]).exitCode == 0)
        let contexts = try cli.run(["context", "list"])
        #expect(contexts.stdout == "* lab\t\(url)\n")
        let viaContext = try cli.run(["alert", "list"])
        #expect(viaContext.exitCode == 77, "the context's server answers: not signed in there")
        #expect(
            try cli.run(["alert", "list", "--database-url", "sqlite:\(cli.home.path)/data/corerecon/corerecon.db"])
                .exitCode == 0)
        #expect(try cli.run(["context", "use", "--none"]).exitCode == 0)
        #expect(try cli.run(["alert", "list"]).exitCode == 0)
        #expect(try cli.run(["context", "use", "nowhere"]).exitCode == 1)

        #expect(try cli.run(["alert", "list", "--server", "ftp://example"]).exitCode == 78)

        server.terminate()
        try await offPool { server.waitUntilExit() }
        let gone = try runner.run(["alert", "list"])
        #expect(gone.exitCode == 69)
        let down = try runner.run(["status"])
        #expect(down.exitCode == 69)
        #expect(down.stdout.contains("ready: false"), "\(down.stdout)")
        #expect(gone.stderr.contains("cannot reach \(url)"), "\(gone.stderr)")
    }

    @Test("Mutual TLS: a server that asks for client certificates answers only a client showing one its CA signed")
    func mutualTLS() async throws {
        let cli = try CoreReconProcess(environment: ["CORERECON_JWT_SECRET": Self.secret])
        defer { cli.remove() }
        #expect(try cli.run(["ingest", "-"], input: Self.alerts).exitCode == 0)
        let key = try cli.run(["token", "create", "--name", "laptop", "--role", "analyst"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        // A private CA, the server's certificate (localhost) and a client's, both signed by it; and a client
        // certificate no CA the server knows signed.
        let directory = cli.home.path + "/pki"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        @Sendable func file(_ name: String) -> String { directory + "/" + name }
        try Data("subjectAltName=DNS:localhost,IP:127.0.0.1\n".utf8).write(to: URL(fileURLWithPath: file("san.ext")))
        let steps: [[String]] = [
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=Test CA", "-days", "1", "-keyout",
                file("ca.key"), "-out", file("ca.pem"),
            ],
            [
                "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", file("server.key"), "-out",
                file("server.csr"),
            ],
            [
                "x509", "-req", "-in", file("server.csr"), "-CA", file("ca.pem"), "-CAkey", file("ca.key"),
                "-CAcreateserial", "-days", "1", "-extfile", file("san.ext"), "-out", file("server.pem"),
            ],
            [
                "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=analyst", "-keyout", file("client.key"), "-out",
                file("client.csr"),
            ],
            [
                "x509", "-req", "-in", file("client.csr"), "-CA", file("ca.pem"), "-CAkey", file("ca.key"),
                "-CAcreateserial", "-days", "1", "-out", file("client.pem"),
            ],
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=stranger", "-days", "1", "-keyout",
                file("stranger.key"), "-out", file("stranger.pem"),
            ],
        ]
        for step in steps {
            let (made, _) = try ServeEndToEndTests.tool("/usr/bin/openssl", step)
            try #require(made == 0, "openssl \(step.prefix(2).joined(separator: " ")) failed")
        }
        let (server, port, _, _) = try await offPool {
            try cli.startServer([
                "--tls-cert", file("server.pem"), "--tls-key", file("server.key"), "--tls-client-ca", file("ca.pem"),
            ])
        }
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        let url = "https://localhost:\(port)"
        let laptop = try CoreReconProcess(environment: ["CORERECON_SERVER": url, "CORERECON_TOKEN": key])
        defer { laptop.remove() }

        let untrusted = try laptop.run(["alert", "list"])
        #expect(untrusted.exitCode == 69)
        #expect(untrusted.stderr.contains("its certificate is not trusted here"), "\(untrusted.stderr)")
        let trusting = ["--ca-file", file("ca.pem")]
        let anonymous = try laptop.run(["alert", "list"] + trusting)
        #expect(anonymous.exitCode == 69)
        #expect(anonymous.stderr.contains("asks for a client certificate"), "\(anonymous.stderr)")
        let stranger = try laptop.run(
            ["alert", "list", "--client-cert", file("stranger.pem"), "--client-key", file("stranger.key")] + trusting)
        #expect(stranger.exitCode == 69)
        #expect(stranger.stderr.contains("refused the client certificate"), "\(stranger.stderr)")
        let mismatched = try laptop.run(
            ["alert", "list", "--client-cert", file("client.pem"), "--client-key", file("stranger.key")] + trusting)
        #expect(mismatched.exitCode == 78)
        #expect(mismatched.stderr.contains("is not the one of the certificate"), "\(mismatched.stderr)")
        let half = try laptop.run(["alert", "list", "--client-cert", file("client.pem")] + trusting)
        #expect(half.exitCode == 78)
        #expect(half.stderr.contains("go together"), "\(half.stderr)")

        // Shown the certificate, the server answers as the database does; the certificate does not stand in for the
        // token.
        let local = try cli.run(["alert", "list", "--format", "csv"])
        let shown = ["--client-cert", file("client.pem"), "--client-key", file("client.key")] + trusting
        let remote = try laptop.run(["alert", "list", "--format", "csv"] + shown)
        #expect(remote.exitCode == 0, "\(remote.stderr)")
        #expect(remote.stdout == local.stdout)
        let tokenless = try CoreReconProcess(environment: ["CORERECON_SERVER": url])
        defer { tokenless.remove() }
        #expect(try tokenless.run(["alert", "list"] + shown).exitCode == 77)

        // The stream goes through the same TLS settings, here from a context.
        let viaContext = try CoreReconProcess(environment: ["CORERECON_TOKEN": key])
        defer { viaContext.remove() }
        #expect(
            try viaContext.run([
                "context", "add", "soc", "--server", url, "--ca-file", file("ca.pem"), "--client-cert",
                file("client.pem"), "--client-key", file("client.key"), "--use",
            ]).exitCode == 0)
        let status = try viaContext.run(["status"])
        #expect(status.exitCode == 0, "\(status.stderr)")
        #expect(status.stdout.contains("clientCertificate: \(file("client.pem"))\n"), "\(status.stdout)")
        let watched = try viaContext.run(["alert", "watch", "--since", "0", "--count", "1", "--format", "ndjson"])
        #expect(watched.exitCode == 0, "\(watched.stderr)")
        #expect(watched.stdout.contains(#""type":"alert.created""#), "\(watched.stdout)")
    }

    @Test("Evidence larger than the server's body limit goes both ways over the API, hashed at each end")
    func largeEvidence() async throws {
        let cli = try CoreReconProcess(environment: ["CORERECON_JWT_SECRET": Self.secret])
        defer { cli.remove() }
        #expect(try cli.run(["incident", "create", "--title", "Exfiltration"]).exitCode == 0)
        let key = try cli.run(["token", "create", "--name", "responder", "--role", "analyst"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        // A 1 MB body limit, and a 24 MB capture.
        let (server, port, _, _) = try await offPool { try cli.startServer(["--body-limit", "1"]) }
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        let url = "http://127.0.0.1:\(port)"
        let laptop = try CoreReconProcess(environment: ["CORERECON_SERVER": url, "CORERECON_TOKEN": key])
        defer { laptop.remove() }
        let random = try #require(FileHandle(forReadingAtPath: "/dev/urandom"))
        let capture = random.readData(ofLength: 24 << 20)
        try random.close()
        let file = laptop.home.path + "/capture.pcap"
        try capture.write(to: URL(fileURLWithPath: file))
        let (_, sum) = try ServeEndToEndTests.tool("/usr/bin/sha256sum", [file])
        let sha256 = String(sum.prefix(64))

        let added = try laptop.run(["incident", "evidence", "add", "IR-0001", file, "--format", "csv"])
        #expect(added.exitCode == 0, "\(added.stderr)")
        #expect(added.stdout.contains(",capture.pcap,\(capture.count),\(sha256),"), "\(added.stdout)")
        // The same content again is a conflict, said before it is stored twice.
        let again = try laptop.run(["incident", "evidence", "add", "IR-0001", file])
        #expect(again.exitCode == 1)
        #expect(again.stderr.contains("already holds this content"), "\(again.stderr)")

        let out = laptop.home.path + "/copy.pcap"
        let exported = try laptop.run(["incident", "evidence", "export", "IR-0001", "1", "--out", out])
        #expect(exported.exitCode == 0, "\(exported.stderr)")
        #expect(FileManager.default.contents(atPath: out) == capture)
        let twice = try laptop.run(["incident", "evidence", "export", "IR-0001", "1", "--out", out])
        #expect(twice.exitCode == 1)
        #expect(twice.stderr.contains("already exists"), "\(twice.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out + ".partial"))
        // The chain of custody names where the export went.
        let custody = try laptop.run(["incident", "evidence", "custody", "IR-0001", "1", "--format", "csv"])
        #expect(custody.stdout.contains("exported,") && custody.stdout.contains(out), "\(custody.stdout)")

        // Over the evidence limit (server.evidenceLimit, 64 MB) is refused from the declared length, before a byte
        // is read.
        let (status, answer) = try ServeEndToEndTests.tool(
            "/usr/bin/curl",
            [
                "-s", "--max-time", "10", "-X", "POST", "-H", "Authorization: Bearer \(key)", "-H",
                "Content-Type: application/octet-stream", "-H", "Content-Length: 300000000", "--data-binary", "x",
                "-w", "\n%{http_code}", url + "/api/v1/incidents/IR-0001/evidence?name=huge.bin",
            ])
        #expect(status == 0 || status == 28 || status == 56)
        #expect(answer.hasSuffix("\n413"), "\(answer)")
        #expect(answer.contains("limited to 64 MB (server.evidenceLimit)"), "\(answer)")
        // Other bodies still have the 1 MB limit.
        let note = laptop.home.path + "/note.json"
        try Data(#"{"message":"\#(String(repeating: "n", count: 2 << 20))"}"#.utf8).write(
            to: URL(fileURLWithPath: note))
        let (_, timeline) = try ServeEndToEndTests.tool(
            "/usr/bin/curl",
            [
                "-s", "--max-time", "10", "-X", "POST", "-H", "Authorization: Bearer \(key)", "-H",
                "Content-Type: application/json", "--data-binary", "@" + note, "-w", "\n%{http_code}",
                url + "/api/v1/incidents/IR-0001/timeline",
            ])
        #expect(timeline.hasSuffix("\n413"), "\(timeline.suffix(200))")
    }

    /// A stand-in for a server on loopback (Python's http.server): GET /api/v1/alerts answers `statuses` in turn,
    /// then 200 with an empty page; every answer carries `CoreRecon-API: api` unless `api` is nil.
    static func standIn(statuses: [Int], api: String?) throws -> StaticWebServer {
        try StaticWebServer(
            script: """
                import http.server, sys
                statuses = [\(statuses.map(String.init).joined(separator: ","))]
                class Handler(http.server.BaseHTTPRequestHandler):
                    def do_GET(self):
                        status = statuses.pop(0) if statuses else 200
                        body = b'{"alerts":[],"nextCursor":null}' if status == 200 else b'{"detail":"slow down"}'
                        self.send_response(status)
                        self.send_header("Content-Type", "application/json")
                        self.send_header("Content-Length", str(len(body)))
                        self.send_header("Retry-After", "1")
                        \(api.map { "self.send_header(\"CoreRecon-API\", \"\($0)\")" } ?? "pass")
                        self.send_header("CoreRecon-Version", "9.9.9")
                        self.end_headers()
                        self.wfile.write(body)
                    def log_message(self, *args):
                        pass
                http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
                """)
    }

    @Test("429 and 503 are waited out (Retry-After, three times, said on stderr); a server of another API is named")
    func retriesAndVersions() throws {
        let client = try CoreReconProcess(environment: ["CORERECON_TOKEN": "crk_any"])
        defer { client.remove() }
        func list(_ standIn: StaticWebServer) throws -> CoreReconProcess.Result {
            defer { standIn.stop() }
            return try client.run(["alert", "list", "--server", "http://127.0.0.1:\(standIn.port)"])
        }
        let waited = try list(try Self.standIn(statuses: [429, 503], api: "1"))
        #expect(waited.exitCode == 0, "\(waited.stderr)")
        #expect(
            waited.stderr.contains("answered 429 (too many requests); retrying in 1 s (1 of 3)"), "\(waited.stderr)")
        #expect(waited.stderr.contains("answered 503 (unavailable); retrying in 1 s (2 of 3)"), "\(waited.stderr)")
        #expect(waited.elapsed >= .seconds(2))

        let busy = try list(try Self.standIn(statuses: [503, 503, 503, 503], api: "1"))
        #expect(busy.exitCode == 69)
        #expect(
            busy.stderr.contains("(3 of 3)") && busy.stderr.contains("answered GET /api/v1/alerts with 503: slow down"))

        let newer = try list(try Self.standIn(statuses: [], api: "2"))
        #expect(newer.exitCode == 78)
        #expect(newer.stderr.contains("runs corerecon 9.9.9, API version 2"), "\(newer.stderr)")

        let other = try list(try Self.standIn(statuses: [], api: nil))
        #expect(other.exitCode == 78)
        #expect(other.stderr.contains("does not answer as a corerecon server"), "\(other.stderr)")
    }
}

/// `ioc` and `sla` over the API: the CI job that imports a feed and the cron job that sweeps need no database.
@Suite("Remote mode: ioc and sla")
struct RemoteIntelAndSLATests {
    /// Durations (`2h 5m`, `overdue 3s`) and seconds left cut out: two stores made seconds apart differ in them.
    static func clockless(_ text: String) -> String {
        // Ids that name the moment of an export first: a random segment such as `-493d-` would read as a duration.
        RemoteModeEndToEndTests.timeless(text)
            .replacingOccurrences(of: #"bundle--[0-9a-f-]{36}"#, with: "BUNDLE", options: .regularExpression)
            .replacingOccurrences(
                of: #"\{"Event":\{"uuid":"[0-9a-f-]{36}""#, with: #"{"Event":{"uuid":"EVENT""#,
                options: .regularExpression
            )
            .replacingOccurrences(
                of: #"(?<![0-9A-Za-z])-?[0-9]+[dhms]( [0-9]+[hms])?(?![0-9A-Za-z])"#, with: "DUR",
                options: .regularExpression
            ).replacingOccurrences(of: #""secondsLeft" : -?[0-9]+"#, with: "SECONDS", options: .regularExpression)
            .replacingOccurrences(of: #""(timestamp|date)" ?: ?"[0-9-]+""#, with: "STAMP", options: .regularExpression)
            // Response times in seconds, measured on each store.
            .replacingOccurrences(
                of: #""(meanSeconds|medianSeconds|p90Seconds|timeTo[A-Za-z]+Seconds)" ?: ?[0-9.e+-]+"#, with: "SECONDS",
                options: .regularExpression)
    }

    /// Two stores, one worked on the database and one through a server by a lead's API key of the same name; the
    /// same steps must print the same bytes and exit the same.
    static func compare(
        _ steps: [(arguments: [String], input: String?)], local: CoreReconProcess, laptop: CoreReconProcess,
        normalize: (String) -> String = RemoteModeEndToEndTests.timeless
    ) throws {
        for step in steps {
            let there = try local.run(step.arguments, input: step.input, in: local.home.path)
            let remote = try laptop.run(step.arguments, input: step.input, in: laptop.home.path)
            // Each side works in its own home directory; paths under it are the same paths.
            func homeless(_ text: String, _ cli: CoreReconProcess) -> String {
                normalize(text.replacingOccurrences(of: cli.home.path, with: "HOME"))
            }
            for (name, mine, theirs) in [
                ("stdout", homeless(remote.stdout, laptop), homeless(there.stdout, local)),
                ("stderr", homeless(remote.stderr, laptop), homeless(there.stderr, local)),
            ] where mine != theirs {
                Issue.record("\(step.arguments) \(name): \(firstDifference(mine, theirs))")
            }
            #expect(remote.exitCode == there.exitCode, "\(step.arguments): \(remote.stderr)")
        }
    }

    /// The first line where `remote` and `local` part, for a message that fits on a screen.
    static func firstDifference(_ remote: String, _ local: String) -> String {
        let mine = remote.split(separator: "\n", omittingEmptySubsequences: false)
        let theirs = local.split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(mine.count, theirs.count) {
            let a = index < mine.count ? String(mine[index]) : "<end>"
            let b = index < theirs.count ? String(theirs[index]) : "<end>"
            guard a != b else { continue }
            let start = zip(a, b).prefix { $0 == $1 }.count
            return
                "line \(index + 1), from character \(start): remote «\(a.dropFirst(max(0, start - 40)).prefix(160))» "
                + "local «\(b.dropFirst(max(0, start - 40)).prefix(160))»"
        }
        return "the same"
    }

    /// The same alerts into each store, so that their ids match.
    static func ingest(into stores: [CoreReconProcess]) throws {
        for cli in stores {
            let ingest = try cli.run(["ingest", "-", "--source", "sensor-a"], input: RemoteModeEndToEndTests.alerts)
            #expect(ingest.exitCode == 0, "\(ingest.stderr)")
        }
    }

    /// A store on the database, a store behind a server, and a laptop with no database that reaches the server.
    struct Stores {
        let local: CoreReconProcess
        let served: CoreReconProcess
        let laptop: CoreReconProcess
        let server: Process

        func stop() {
            server.terminate()
            server.waitUntilExit()
            for cli in [local, served, laptop] { cli.remove() }
        }
    }

    static func stores(config: String = "", role: String = "lead") async throws -> Stores {
        let local = try CoreReconProcess(environment: ["CORERECON_USER": "key:laptop"])
        let served = try CoreReconProcess(environment: ["CORERECON_JWT_SECRET": RemoteModeEndToEndTests.secret])
        for cli in [local, served] where !config.isEmpty {
            let directory = cli.home.path + "/config/corerecon"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try config.write(toFile: directory + "/config.yaml", atomically: true, encoding: .utf8)
        }
        let key = try served.run(["token", "create", "--name", "laptop", "--role", role]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let (server, port, _, _) = try await offPool { try served.startServer() }
        // The server evaluates clocks as it starts, recording the policies in force; the database's store does the
        // same, so that the two hold the same history.
        if !config.isEmpty { #expect(try local.run(["sla", "sweep"]).exitCode == 0) }
        let laptop = try CoreReconProcess(environment: [
            "CORERECON_SERVER": "http://127.0.0.1:\(port)", "CORERECON_TOKEN": key,
        ])
        return Stores(local: local, served: served, laptop: laptop, server: server)
    }

    @Test("ioc import, list, show, add, sight, revoke, delete, stats and export print the same over the API")
    func sameIntel() async throws {
        let stores = try await Self.stores()
        defer { stores.stop() }
        let (local, served, laptop) = (stores.local, stores.served, stores.laptop)
        let list = "# bad hosts\n198.51.100.7\nevil[.]example # c2\nnot an indicator at all\n203.0.113.0/24\n"
        let csv = "value,type,tags,confidence\nhttp://bad.example/x,url,phish,90\n10.9.9.9,ipv4,,150\n"
        for cli in [local, laptop] {
            try list.write(toFile: cli.home.path + "/feed.txt", atomically: true, encoding: .utf8)
            try csv.write(toFile: cli.home.path + "/feed.csv", atomically: true, encoding: .utf8)
        }
        var steps: [(arguments: [String], input: String?)] = [
            (
                ["ioc", "import", "feed.txt", "--source", "osint", "--tag", "ci", "--reject-file", "rejects.ndjson"],
                nil
            ),
            (["ioc", "import", "feed.txt", "--source", "osint", "--tag", "ci", "--format", "json"], nil),
            (["ioc", "import", "feed.csv", "--tlp", "amber", "--format", "json"], nil),
            (["ioc", "import", "-", "--type", "sha256", "--source", "hashes"], String(repeating: "ab", count: 32)),
            (["ioc", "import", "feed.txt", "--dry-run"], nil),
            (["ioc", "import", "-", "--source", "junk"], "not an indicator\nnor this one\n"),
        ]
        if SharedData.isAvailable {
            steps.append((["ioc", "import", SharedData.url("ioc").path, SharedData.url("misp/events").path], nil))
        } else {
            print("note: ../shared/data is not beside the repository; the shared feeds were not imported remotely")
        }
        steps += [
            (["ioc", "list"], nil),
            (["ioc", "list", "--format", "json", "--limit", "20"], nil),
            (["ioc", "list", "--type", "ipv4", "--type", "cidr", "--format", "csv"], nil),
            (["ioc", "list", "--tag", "ci", "--min-score", "50", "--search", "example"], nil),
            (["ioc", "list", "--source", "osint", "--since", "1d", "--all", "--format", "ndjson"], nil),
            (["ioc", "show", "evil.example"], nil),
            (["ioc", "show", "1", "--format", "json"], nil),
            (["ioc", "show", "no.such.example"], nil),
            (["ioc", "add", "c2.example", "--tag", "apt", "--confidence", "90", "--expires", "30d"], nil),
            (["ioc", "add", "not a value"], nil),
            (["ioc", "sight", "c2.example", "--source", "proxy"], nil),
            (["ioc", "sight", "198.51.100.7", "--false-positive", "--format", "json"], nil),
            (["ioc", "revoke", "2"], nil),
            (["ioc", "show", "2"], nil),
            (["ioc", "delete", "203.0.113.0/24"], nil),
            (["ioc", "delete", "203.0.113.0/24"], nil),
            (["ioc", "stats"], nil),
            (["ioc", "stats", "--format", "json"], nil),
            (["ioc", "expire", "--format", "json"], nil),
            (["ioc", "export", "--to", "csv"], nil),
            (["ioc", "export", "--to", "txt", "--type", "domain", "--type", "url"], nil),
            (["ioc", "export", "--to", "suricata", "--action", "drop", "--sid-base", "5000"], nil),
            (["ioc", "export", "--to", "stix", "--tlp-max", "green", "--min-score", "10"], nil),
            (["ioc", "export", "--to", "misp", "--info", "weekly", "--tag", "ci"], nil),
        ]
        try Self.compare(steps, local: local, laptop: laptop, normalize: Self.clockless)
        #expect(
            try String(contentsOfFile: laptop.home.path + "/rejects.ndjson", encoding: .utf8)
                == String(contentsOfFile: local.home.path + "/rejects.ndjson", encoding: .utf8))
        // What the server stored is what the database got: the same indicators, sources and tags.
        let stored = ["ioc", "list", "--all", "--limit", "100000", "--format", "csv"]
        let storedThere = RemoteModeEndToEndTests.timeless(try served.run(stored).stdout)
        let storedHere = RemoteModeEndToEndTests.timeless(try local.run(stored).stdout)
        #expect(storedThere == storedHere, "\(Self.firstDifference(storedThere, storedHere))")

        // A TAXII pull makes the server fetch a URL with its credentials: for admins, as feeds are.
        let taxii = try laptop.run(["ioc", "import", "--taxii", "https://taxii.example/api1/", "--collection", "x"])
        #expect(taxii.exitCode == 77)
        #expect(taxii.stderr.contains("roles that may: admin"), "\(taxii.stderr)")
    }

    @Test("sla status, policies, pause, resume, sweep (exit 3 on new breaches) and report print the same over the API")
    func sameSLA() async throws {
        // serve evaluates clocks by itself every sla.interval: an hour here, so that the sweeps are the API's.
        let config = """
            sla:
              interval: 1h
              policies:
                - name: urgent
                  target: alert
                  severity: [high, critical]
                  acknowledge: 2s
                  resolve: 1d
                  onBreach:
                    raiseSeverity: critical
                - name: routine
                  target: alert
                  acknowledge: 8h
                  resolve: 5d
            """
        let stores = try await Self.stores(config: config)
        defer { stores.stop() }
        let (local, served, laptop) = (stores.local, stores.served, stores.laptop)
        try Self.ingest(into: [local, served])
        let steps: [(arguments: [String], input: String?)] = [
            (["sla", "policy", "list"], nil),
            (["sla", "policy", "list", "--format", "json"], nil),
            (["sla", "policy", "show", "urgent"], nil),
            (["sla", "policy", "show", "nope"], nil),
            // The urgent clocks turn at risk within seconds: their status is compared once they are breached.
            (["sla", "status", "--target", "incident"], nil),
            (["sla", "pause", "4", "--reason", "waiting on customer"], nil),
            (["sla", "pause", "4", "--reason", "again"], nil),
            (["sla", "resume", "4", "--format", "json"], nil),
            (["sla", "resume", "999"], nil),
            (["sla", "pause", "IR-0001", "--reason", "no such incident"], nil),
        ]
        try Self.compare(steps, local: local, laptop: laptop, normalize: Self.clockless)
        try await Task.sleep(for: .milliseconds(2_500))  // the urgent clocks breach
        let sweeps: [(arguments: [String], input: String?)] = [
            (["sla", "sweep", "--dry-run"], nil),
            (["sla", "sweep", "--format", "json"], nil),
            (["sla", "sweep"], nil),
            (["sla", "status", "--breached"], nil),
            (["sla", "status"], nil),
            (["sla", "status", "--format", "json", "--limit", "5"], nil),
            (["sla", "report"], nil),
            (["sla", "report", "--by", "source", "--format", "json"], nil),
            (["sla", "report", "--since", "1h", "--format", "md"], nil),
            (["alert", "list", "--format", "csv", "--json", "id,severity", "--sort", "id"], nil),
        ]
        try Self.compare(sweeps, local: local, laptop: laptop, normalize: Self.clockless)
        let sweep = try laptop.run(["sla", "sweep", "--dry-run"])
        #expect(sweep.exitCode == 0)
        // A viewer's key may read clocks, not sweep.
        let viewer = try served.run(["token", "create", "--name", "wall", "--role", "viewer"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let wall = try CoreReconProcess(environment: [
            "CORERECON_SERVER": laptop.environment["CORERECON_SERVER"] ?? "", "CORERECON_TOKEN": viewer,
        ])
        defer { wall.remove() }
        #expect(try wall.run(["sla", "status"]).exitCode == 0)
        let refused = try wall.run(["sla", "sweep"])
        #expect(refused.exitCode == 77)
        #expect(refused.stderr.contains("triage"), "\(refused.stderr)")
    }

    @Test(
        "An incident worked over the API prints the same as on the database: escalate, triage, tasks, close, report, ATT&CK coverage and layer"
    )
    func sameIncidents() async throws {
        let stores = try await Self.stores()
        defer { stores.stop() }
        let (local, served, laptop) = (stores.local, stores.served, stores.laptop)
        try Self.ingest(into: [local, served])
        let capture = Data((0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let unknownLayer =
            #"{"name":"x","versions":{"layer":"4.5"},"domain":"enterprise-attack","techniques":[{"techniqueID":"T9999","score":1},{"techniqueID":"T1110","score":3}]}"#
        for cli in [local, laptop] {
            try capture.write(to: URL(fileURLWithPath: cli.home.path + "/capture.pcap"))
            try unknownLayer.write(toFile: cli.home.path + "/unknown.json", atomically: true, encoding: .utf8)
        }
        let steps: [(arguments: [String], input: String?)] = [
            (["alert", "escalate", "1", "2", "--title", "SSH scanning"], nil),
            (
                [
                    "incident", "create", "--title", "Phish", "--severity", "high", "--type", "phishing", "--assignee",
                    "ana", "--from-alert", "3", "--description", "A mail with a link",
                ], nil
            ),
            (["incident", "create", "--title", "   "], nil),
            (["incident", "list"], nil),
            (["incident", "list", "--format", "json"], nil),
            (["incident", "list", "--status", "new,triage", "--severity", "high", "--format", "csv"], nil),
            (["incident", "list", "--limit", "1", "--offset", "1", "--search", "phish"], nil),
            (["incident", "show", "IR-0001"], nil),
            (["incident", "show", "IR-0002", "--format", "json"], nil),
            (["incident", "show", "IR-0099"], nil),
            (["incident", "status", "IR-0001", "triage", "-m", "looking"], nil),
            (["incident", "status", "IR-0001", "investigating"], nil),
            (["incident", "status", "IR-0001", "closed"], nil),
            (["incident", "assign", "IR-0001", "--to", "bob", "--format", "json"], nil),
            (["incident", "update", "IR-0001", "--title", "SSH brute force", "--severity", "critical"], nil),
            (["incident", "update", "IR-0001", "--type", "no-such-type"], nil),
            (["incident", "map", "IR-0001", "T1110", "--tactic", "credential-access"], nil),
            (["incident", "map", "IR-0001", "T1110"], nil),
            (["incident", "map", "IR-0001", "T9999"], nil),
            (
                [
                    "incident", "timeline", "add", "IR-0001", "-m", "blocked at the edge", "--at",
                    "2026-11-20T10:30:00Z", "--category", "defense-evasion",
                ], nil
            ),
            (["incident", "timeline", "show", "IR-0001", "--format", "json"], nil),
            (["incident", "task", "add", "IR-0001", "Reset passwords", "--assignee", "ana"], nil),
            (["incident", "task", "start", "IR-0001", "1"], nil),
            (["incident", "task", "done", "IR-0001", "1", "7"], nil),
            (["incident", "task", "list", "IR-0001"], nil),
            (
                [
                    "incident", "observable", "add", "IR-0001", "198.51.100.23", "--ioc", "--tlp", "amber", "--tag",
                    "c2",
                ], nil
            ),
            (["incident", "observable", "add", "IR-0001", "198.51.100.23", "--tag", "again"], nil),
            (["incident", "observable", "add", "IR-0001", "ana", "--type", "user", "--ioc"], nil),
            (["incident", "observable", "list", "IR-0001", "--format", "json"], nil),
            (["incident", "observable", "remove", "IR-0001", "ana", "--type", "user"], nil),
            (["incident", "observable", "list", "IR-0001", "--ioc"], nil),
            (["ioc", "show", "198.51.100.23"], nil),
            (["incident", "evidence", "add", "IR-0001", "capture.pcap", "--description", "edge capture"], nil),
            (["incident", "evidence", "add", "IR-0001", "missing.pcap"], nil),
            (["incident", "evidence", "list", "IR-0001"], nil),
            (["incident", "evidence", "verify", "IR-0001"], nil),
            (["incident", "evidence", "export", "IR-0001", "1", "--out", "copy.pcap"], nil),
            (["incident", "evidence", "export", "IR-0001", "1", "--out", "copy.pcap"], nil),
            (["incident", "evidence", "export", "IR-0001", "1", "--out", "-"], nil),
            (["incident", "evidence", "export", "IR-0001", "9", "--out", "-"], nil),
            (["incident", "evidence", "custody", "IR-0001", "1"], nil),
            (["incident", "history", "IR-0001"], nil),
            (["incident", "history", "IR-0001", "--format", "json"], nil),
            (
                [
                    "incident", "close", "IR-0001", "--resolution", "true_positive_with_impact", "--summary",
                    "contained", "--lessons", "rate-limit ssh",
                ], nil
            ),
            (["incident", "close", "IR-0001", "--resolution", "false_positive", "--summary", "again"], nil),
            (["incident", "reopen", "IR-0001", "-m", "it came back"], nil),
            (["incident", "report", "IR-0001"], nil),
            (["incident", "report", "IR-0001", "--format", "json"], nil),
            (["incident", "metrics"], nil),
            (["incident", "metrics", "--format", "json", "--since", "1d"], nil),
            (["alert", "list", "--format", "csv", "--json", "id,status", "--sort", "id"], nil),
            // ATT&CK: look-ups from the answering side's catalog, coverage of what the incident was mapped to.
            (["mitre", "tactics"], nil),
            (["mitre", "tactics", "--format", "json", "--domain", "enterprise"], nil),
            (["mitre", "techniques", "--tactic", "credential-access", "--platform", "Linux"], nil),
            (["mitre", "techniques", "--search", "brute force", "--format", "csv"], nil),
            (["mitre", "techniques", "--tactic", "no-such-tactic"], nil),
            (["mitre", "show", "T1110"], nil),
            (["mitre", "show", "t1110.001", "--format", "json"], nil),
            (["mitre", "show", "T9999"], nil),
            (["mitre", "coverage"], nil),
            (["mitre", "coverage", "--from", "incidents", "--format", "json"], nil),
            (["mitre", "coverage", "--from", "incidents", "--since", "1h"], nil),
            (["mitre", "layer", "export", "--from", "incidents", "-o", "-"], nil),
            (["mitre", "layer", "export", "--from", "incidents", "-o", "layer.json", "--name", "SOC"], nil),
            // The layer written, compared with coverage again: on the database, and by the server over the API.
            (["mitre", "layer", "import", "layer.json", "--from", "incidents"], nil),
            (["mitre", "layer", "import", "layer.json", "--format", "json"], nil),
            (["mitre", "layer", "import", "unknown.json"], nil),
            (["mitre", "layer", "import", "capture.pcap"], nil),
        ]
        try Self.compare(steps, local: local, laptop: laptop, normalize: Self.clockless)
        let layers = [local, laptop].map { cli in
            RemoteModeEndToEndTests.timeless(
                (try? String(contentsOfFile: cli.home.path + "/layer.json", encoding: .utf8)) ?? "")
        }
        #expect(layers[0] == layers[1] && layers[0].contains("T1110"), "\(layers)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: laptop.home.path + "/copy.pcap")) == capture)
        // The audit log, for an admin: what the server's own database says, read over the API.
        let admin = try served.run(["token", "create", "--name", "auditor", "--role", "admin"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let auditor = try CoreReconProcess(environment: [
            "CORERECON_SERVER": laptop.environment["CORERECON_SERVER"] ?? "", "CORERECON_TOKEN": admin,
        ])
        defer { auditor.remove() }
        for arguments in [
            ["audit", "list", "--limit", "500"], ["audit", "list", "--action", "incident", "--format", "json"],
            ["audit", "list", "--actor", "key:laptop", "--since", "1h", "--format", "csv"], ["audit", "verify"],
            ["audit", "verify", "--format", "json"],
        ] {
            let there = try served.run(arguments)
            let remote = try auditor.run(arguments)
            #expect(remote.stdout == there.stdout, "\(arguments): \(Self.firstDifference(remote.stdout, there.stdout))")
            #expect(remote.exitCode == there.exitCode && there.exitCode == 0, "\(arguments): \(remote.stderr)")
        }
        #expect(try laptop.run(["audit", "list"]).exitCode == 77, "a lead may not read the audit log")
        // The report written to a file is the report.
        let written = try laptop.run(["incident", "report", "IR-0001", "--out", "report.md"], in: laptop.home.path)
        #expect(written.exitCode == 0, "\(written.stderr)")
        #expect(
            try String(contentsOfFile: laptop.home.path + "/report.md", encoding: .utf8).contains("SSH brute force"))
    }
}

@Suite("Remote mode: watching the stream")
struct RemoteWatchTests {
    /// Suricata alerts unlike those of ``RemoteModeEndToEndTests/alerts``: other flows (not re-deliveries) of other
    /// signatures and hosts (not repeats).
    static let moreAlerts = RemoteModeEndToEndTests.alerts.replacingOccurrences(
        of: "ET SCAN probe", with: "ET POLICY probe"
    )
    .replacingOccurrences(of: "203.0.113.", with: "198.51.100.").replacingOccurrences(
        of: #""flow_id":"#, with: #""flow_id":99"#)

    @Test(
        "alert watch follows the stream over the API, and resumes after the server restarts without a repeat or a loss")
    func watchResumes() async throws {
        let served = try CoreReconProcess(environment: ["CORERECON_JWT_SECRET": RemoteModeEndToEndTests.secret])
        defer { served.remove() }
        #expect(
            try served.run(["ingest", "-", "--source", "sensor-a"], input: RemoteModeEndToEndTests.alerts).exitCode == 0
        )
        let key = try served.run(["token", "create", "--name", "wall", "--role", "viewer"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        // Restarted on the same port below: one outside the ephemeral range, which no `--port 0` server can take
        // meanwhile.
        let chosen = try LoopbackPort.free()
        let (first, port, log, _) = try await offPool { try served.startServer(["--port", "\(chosen)"]) }
        var server = first
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        let wall = try CoreReconProcess(environment: [
            "CORERECON_SERVER": "http://127.0.0.1:\(port)", "CORERECON_TOKEN": key,
        ])
        defer { wall.remove() }

        // On the database: the events so far, from the first cursor.
        let local = try served.run(["alert", "watch", "--since", "0", "--count", "12", "--format", "ndjson"])
        #expect(local.exitCode == 0, "\(local.stderr)")
        let replayed = local.stdout.split(separator: "\n")
        #expect(replayed.count == 12)

        // Over the API: the same events, then live ones across a restart of the server.
        let watching = Task {
            try await offPool {
                try wall.run(["alert", "watch", "--since", "0", "--count", "24", "--format", "ndjson"])
            }
        }
        // The watch is on the stream (its upgrade is in the access log) before the server goes away.
        let connected = Date() + 30
        while Date() < connected,
            !log.text.split(separator: "\n").contains(where: {
                $0.contains(#""path":"/api/v1/stream""#) && $0.contains(#""status":200"#)
            })
        {
            try await Task.sleep(for: .milliseconds(50))
        }
        try await Task.sleep(for: .milliseconds(500))
        server.terminate()
        server.waitUntilExit()
        let samePort = port
        (server, _, _, _) = try await offPool { try served.startServer(["--port", "\(samePort)"]) }
        #expect(try served.run(["ingest", "-", "--source", "sensor-b"], input: Self.moreAlerts).exitCode == 0)
        let remote = try await watching.value
        #expect(remote.exitCode == 0, "\(remote.stderr)")
        let lines = remote.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 24, "\(remote.stdout)")
        #expect(Array(lines.prefix(12)) == replayed.map(String.init), "the replay is the database's events")
        let cursors = lines.compactMap { try? JSONParser.parse($0)[key: "cursor"]?.text }.compactMap { Int64($0) }
        #expect(cursors == cursors.sorted() && Set(cursors).count == 24, "\(cursors)")
        #expect(remote.stderr.contains("lost the stream of http://127.0.0.1:\(port)"), "\(remote.stderr)")
        #expect(remote.stderr.contains("reconnecting in 1 s after cursor"), "\(remote.stderr)")

        // For people: a line per event with the cursor to resume from.
        let people = try wall.run(["alert", "watch", "--since", "20", "--count", "1", "--severity", "informational"])
        #expect(people.stdout.hasSuffix("(cursor 21)\n"), "\(people.stdout)")
        #expect(people.stdout.contains("alert.created"), "\(people.stdout)")
        // A key that may not read the stream is told so, as every command is.
        let ingestKey = try served.run(["token", "create", "--name", "shipper", "--role", "ingest"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let shipper = try CoreReconProcess(environment: [
            "CORERECON_SERVER": "http://127.0.0.1:\(port)", "CORERECON_TOKEN": ingestKey,
        ])
        defer { shipper.remove() }
        let refused = try shipper.run(["alert", "watch", "--count", "1"])
        #expect(refused.exitCode == 77, "\(refused.stderr)")
    }
}

extension RemoteIntelAndSLATests {
    @Test(
        "One scenario both ways: ingest the shared data, triage, escalate, work the incident, report, coverage, layer"
    )
    func sharedScenario() async throws {
        let stores = try await Self.stores()
        defer { stores.stop() }
        let (local, laptop) = (stores.local, stores.laptop)
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("CoreReconTests/Fixtures/alerts").path
        var inputs = [fixtures]
        if SharedData.isAvailable {
            inputs.append(SharedData.url("alerts").path)
        } else {
            print("note: ../shared/data is not beside the repository; the scenario ran on the fixtures only")
        }
        let steps: [(arguments: [String], input: String?)] = [
            (["ingest"] + inputs + ["--source", "lab"], nil),
            (["alert", "list", "--severity", "high", "--limit", "20"], nil),
            (
                [
                    "alert", "list", "--limit", "0", "--sort", "id", "--format", "csv", "--json",
                    "id,title,severity,source,product,occurrences,techniques",
                ], nil
            ),
            (["alert", "list", "--search", "powershell", "--format", "json", "--limit", "5"], nil),
            (["alert", "ack", "1", "2", "3"], nil),
            (["alert", "assign", "4", "--to", "ana"], nil),
            (["alert", "close", "5", "--reason", "false_positive", "-m", "lab scanner"], nil),
            (
                ["alert", "close", "--where", "severity=low status=new", "--reason", "benign_positive", "--dry-run"],
                nil
            ),
            (["alert", "related", "6"], nil),
            (["alert", "show", "7"], nil),
            (["alert", "show", "7", "--format", "json"], nil),
            (["alert", "escalate", "8", "9", "--title", "Scenario intrusion"], nil),
            (["alert", "escalate", "10", "--to", "IR-0001"], nil),
            (["incident", "status", "IR-0001", "triage"], nil),
            (["incident", "status", "IR-0001", "investigating", "-m", "scoping"], nil),
            (["incident", "map", "IR-0001", "T1059.001", "--tactic", "execution"], nil),
            (["incident", "observable", "add", "IR-0001", "203.0.113.77", "--ioc", "--tag", "c2"], nil),
            (["incident", "task", "add", "IR-0001", "Isolate the host", "--assignee", "ana"], nil),
            (["incident", "task", "done", "IR-0001", "1"], nil),
            (["incident", "timeline", "add", "IR-0001", "-m", "host isolated", "--at", "2026-11-20T11:00:00Z"], nil),
            (["incident", "status", "IR-0001", "contained"], nil),
            (
                [
                    "incident", "close", "IR-0001", "--resolution", "true_positive_with_impact", "--summary",
                    "contained and cleaned", "--lessons", "block script hosts",
                ], nil
            ),
            (["incident", "show", "IR-0001"], nil),
            (["incident", "report", "IR-0001"], nil),
            (["incident", "report", "IR-0001", "--format", "json"], nil),
            (["incident", "metrics", "--format", "json"], nil),
            (["mitre", "coverage"], nil),
            (["mitre", "coverage", "--from", "incidents", "--format", "json"], nil),
            (["mitre", "layer", "export", "--from", "alerts", "-o", "-"], nil),
            (["mitre", "layer", "export", "--from", "incidents", "-o", "-", "--name", "IR-0001"], nil),
            (["alert", "list", "--format", "csv", "--json", "id,status,assignee,closeReason", "--sort", "id"], nil),
        ]
        try Self.compare(steps, local: local, laptop: laptop) { Self.clockless(RemoteModeEndToEndTests.untimed($0)) }
    }
}
