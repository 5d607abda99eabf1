import CoreRecon
import CoreReconStore
import CoreReconTestSupport
import Foundation
import Testing

@Suite("ioc feeds, retro-hunts, updates and exports end to end")
struct IocFeedEndToEndTests {
    static let medallionReason: Comment =
        "medallion, OASIS's TAXII 2.1 server, is not installed (python3 -m pip install --user medallion): TAXII pulls were not tested"
    /// Under CI a missing server is a failure, not a skip.
    static let canRunTAXII = TAXIIServer.executable != nil || ProcessInfo.processInfo.environment["CI"] != nil

    static func objects(_ path: String) throws -> [JSONValue] {
        try JSONParser.parse(Array(try Data(contentsOf: SharedData.url(path))))[key: "objects"]?.arrayValue ?? []
    }

    static let eve =
        #"{"timestamp":"2026-11-20T10:00:00.000000+0000","flow_id":78,"event_type":"alert","src_ip":"198.51.100.99","src_port":4904,"dest_ip":"10.0.0.2","dest_port":443,"proto":"TCP","alert":{"signature_id":2001220,"signature":"ET POLICY outbound TLS","category":"Policy","severity":3}}"#

    /// The command's JSON output; a failure to parse it shows what the command said.
    static func json(_ result: CoreReconProcess.Result) throws -> JSONValue {
        do {
            return try JSONParser.parse(result.stdout)
        } catch {
            throw CoreReconError.failed(
                "exit \(result.exitCode), not JSON (\(error)): stdout \(result.stdout.prefix(500)) stderr \(result.stderr.prefix(1_000))"
            )
        }
    }

    @Test(
        "ioc import --taxii over the API: the server pulls, prints the same as a pull on the database, and remembers",
        .enabled(if: SharedData.isAvailable, SharedData.skipReason), .enabled(if: canRunTAXII, medallionReason))
    func taxiiPullOverTheAPI() async throws {
        let taxii = try TAXIIServer(pageSize: 5)
        defer { taxii.stop() }
        try await taxii.add(try Self.objects("stix/oasis-examples/apt1.json"))
        // The credentials are in the environment of whoever pulls: here, the database's command and the server.
        let password = ["CORERECON_FEED_PASSWORD": TAXIIServer.password]
        let local = try CoreReconProcess(environment: password.merging(["CORERECON_USER": "key:laptop"]) { $1 })
        let served = try CoreReconProcess(
            environment: password.merging(["CORERECON_JWT_SECRET": RemoteModeEndToEndTests.secret]) { $1 })
        defer { [local, served].forEach { $0.remove() } }
        func key(_ name: String, _ role: String) throws -> String {
            try served.run(["token", "create", "--name", name, "--role", role]).stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let admin = try key("laptop", "admin")
        let analyst = try key("ana", "analyst")
        let (server, port, _, _) = try await offPool { try served.startServer() }
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        let url = "http://127.0.0.1:\(port)"
        let laptop = try CoreReconProcess(environment: ["CORERECON_SERVER": url, "CORERECON_TOKEN": admin])
        defer { laptop.remove() }
        let closed = try LoopbackPort.free()
        let pull = ["ioc", "import", "--taxii", taxii.apiRoot, "--collection", TAXIIServer.collection]
        let steps: [(arguments: [String], input: String?)] = [
            (pull + ["--user", TAXIIServer.user, "--source", "partner", "--tag", "apt1", "--format", "json"], nil),
            // Remembered where it stopped: nothing new.
            (pull + ["--user", TAXIIServer.user, "--source", "partner"], nil),
            (pull + ["--user", TAXIIServer.user, "--added-after", "2000-01-01T00:00:00Z", "--format", "json"], nil),
            (["ioc", "list", "--source", "partner", "--limit", "5", "--format", "csv"], nil),
            (["ioc", "feed", "list", "--format", "json"], nil),
            (["ioc", "import", "--taxii", "http://127.0.0.1:\(closed)/api1/", "--collection", "c"], nil),
        ]
        try await offPool {
            try RemoteIntelAndSLATests.compare(
                steps, local: local, laptop: laptop, normalize: RemoteIntelAndSLATests.clockless)
        }
        // It makes the server fetch a URL with its credentials: for admins only, as feeds are.
        let analystLaptop = try CoreReconProcess(environment: ["CORERECON_SERVER": url, "CORERECON_TOKEN": analyst])
        defer { analystLaptop.remove() }
        let refused = try await offPool { try analystLaptop.run(pull + ["--user", TAXIIServer.user]) }
        #expect(refused.exitCode == 77)
        #expect(refused.stderr.contains("admin"), "\(refused.stderr)")
    }

    @Test(
        "A TAXII 2.1 pull (real server, 5 objects a page) stores what the same bundles store from files, then only what is new",
        .enabled(if: SharedData.isAvailable, SharedData.skipReason), .enabled(if: canRunTAXII, medallionReason))
    func taxiiPull() async throws {
        let server = try TAXIIServer(pageSize: 5)
        defer { server.stop() }
        let first = [
            "stix/oasis-examples/apt1.json", "stix/misp-stix-tests/test_events_collection_stix21.json",
        ]
        let later = "stix/oasis-examples/indicators-for-C2-with-COA.json"
        var sent = 0
        for path in first {
            let objects = try Self.objects(path)
            sent += objects.count
            try await server.add(objects)
        }
        let cli = try CoreReconProcess(environment: ["CORERECON_FEED_PASSWORD": TAXIIServer.password])
        defer { cli.remove() }
        let pull = [
            "ioc", "import", "--taxii", server.apiRoot, "--collection", TAXIIServer.collection, "--user",
            TAXIIServer.user, "--source", "partner", "--format", "json",
        ]
        let pulled = try await offPool { try cli.run(pull) }
        #expect(pulled.exitCode == 0, "\(pulled.stderr)")
        let result = try Self.json(pulled)
        #expect(result[key: "fetched"]?.int == sent, "every page was followed: \(sent) objects sent 5 at a time")
        let viaTAXII = result[key: "summary"]?[key: "new"]?.int ?? 0
        #expect(viaTAXII > 10)

        // The same bundles from files, into a database of their own, give the same indicators.
        let files = try CoreReconProcess()
        defer { files.remove() }
        let imported = try await offPool {
            try files.run(
                ["ioc", "import", "--source", "partner", "--format", "json"] + first.map { SharedData.url($0).path })
        }
        #expect(try Self.json(imported)[key: "new"]?.int == viaTAXII)
        let exportTAXII = try await offPool { try cli.run(["ioc", "export", "--to", "csv"]) }.stdout
        let exportFiles = try await offPool { try files.run(["ioc", "export", "--to", "csv"]) }.stdout
        func values(_ csv: String) -> [String] {
            csv.split(separator: "\n").dropFirst().map { $0.split(separator: ",").prefix(2).joined(separator: ",") }
                .sorted()
        }
        #expect(values(exportTAXII) == values(exportFiles))

        // The cursor is remembered: the same command fetches nothing, then only what was added since.
        let again = try await offPool { try cli.run(pull) }
        #expect(again.exitCode == 0, "\(again.stderr)")
        #expect(try Self.json(again)[key: "changed"]?.bool == false)
        let added = try Self.objects(later)
        try await server.add(added)
        let third = try await offPool { try cli.run(pull) }
        #expect(try Self.json(third)[key: "fetched"]?.int == added.count)

        // A named feed with a schedule: due once, then not until its interval has passed.
        let feed = try await offPool {
            try cli.run([
                "ioc", "feed", "add", "partner", "--taxii", server.apiRoot, "--collection", TAXIIServer.collection,
                "--user", TAXIIServer.user, "--every", "1h",
            ])
        }
        #expect(feed.exitCode == 0, "\(feed.stderr)")
        let due = try await offPool { try cli.run(["ioc", "feed", "pull", "--due", "--format", "json"]) }
        #expect(due.exitCode == 0, "\(due.stderr)")
        let dueResults = try Self.json(due).arrayValue ?? []
        #expect(dueResults.first?[key: "fetched"]?.int == sent + added.count)
        #expect(dueResults.first?[key: "summary"]?[key: "new"]?.int == 0)
        let notDue = try await offPool { try cli.run(["ioc", "feed", "pull", "--due"]) }
        #expect(notDue.stderr.contains("no feed is due"), "\(notDue.stderr)")
        let listed = try await offPool { try cli.run(["ioc", "feed", "list", "--format", "json"]) }
        let partner = try Self.json(listed).arrayValue?.first { $0[key: "name"]?.text == "partner" }
        #expect(partner?[key: "lastStatus"]?.text == "ok")
        #expect(partner?[key: "every"]?.text == "1h")

        // Wrong credentials: exit 69, named; nothing stored, the cursor left where it was.
        let refused = try await offPool {
            try CoreReconProcess(environment: ["CORERECON_FEED_PASSWORD": "wrong"]).run(pull)
        }
        #expect(refused.exitCode == 69)
        #expect(refused.stderr.contains("refused the credentials"), "\(refused.stderr)")
        let unreachable = try await offPool {
            try cli.run([
                "ioc", "import", "--taxii", "http://127.0.0.1:9/api1/", "--collection", TAXIIServer.collection,
            ])
        }
        #expect(unreachable.exitCode == 69, "\(unreachable.stderr)")
    }

    @Test(
        "A MISP feed (manifest.json and events) pulls over HTTP only the events whose timestamp moved; as a directory it imports the same",
        .enabled(if: SharedData.isAvailable, SharedData.skipReason))
    func mispFeed() async throws {
        let cli = try CoreReconProcess()
        defer { cli.remove() }
        let feedDirectory = cli.home.path + "/misp-feed"
        try FileManager.default.createDirectory(atPath: feedDirectory, withIntermediateDirectories: true)
        var manifest: [JSONMember] = []
        for file in SharedData.files(in: "misp/events", suffixes: [".json"]).prefix(4) {
            let root = try JSONParser.parse(Array(try Data(contentsOf: file)))
            let event =
                root[key: "Event"] ?? root[key: "response"]?.arrayValue?.first?[key: "Event"] ?? root
            guard let uuid = event[key: "uuid"]?.text else { continue }
            try JSONValue.object([JSONMember("Event", event)]).jsonString.write(
                toFile: "\(feedDirectory)/\(uuid).json", atomically: true, encoding: .utf8)
            manifest.append(
                JSONMember(
                    uuid,
                    .object([
                        JSONMember("info", event[key: "info"] ?? .null),
                        JSONMember("timestamp", .string(event[key: "timestamp"]?.text ?? "1")),
                    ])))
        }
        #expect(manifest.count == 4)
        func writeManifest() throws {
            try JSONValue.object(manifest).jsonString.write(
                toFile: feedDirectory + "/manifest.json", atomically: true, encoding: .utf8)
        }
        try writeManifest()
        // A hashes.csv beside the events, as MISP publishes, is not an event.
        try "md5,uuid\n".write(toFile: feedDirectory + "/hashes.csv", atomically: true, encoding: .utf8)

        let web = try StaticWebServer(directory: feedDirectory)
        defer { web.stop() }
        let added = try await offPool {
            try cli.run([
                "ioc", "feed", "add", "circl", "--misp", "http://127.0.0.1:\(web.port)/", "--tag", "feed:circl",
            ])
        }
        #expect(added.exitCode == 0, "\(added.stderr)")
        let pulled = try await offPool { try cli.run(["ioc", "feed", "pull", "circl", "--format", "json"]) }
        // Some attributes of real events are not indicators (imphash, email-attachment): rejected, exit 65.
        #expect(pulled.exitCode == 65, "\(pulled.stderr)")
        let first = try Self.json(pulled).arrayValue?.first
        #expect(first?[key: "fetched"]?.int == 4)
        let viaHTTP = first?[key: "summary"]?[key: "new"]?.int ?? 0
        #expect(viaHTTP > 100)

        let directory = try CoreReconProcess()
        defer { directory.remove() }
        let local = try await offPool {
            try directory.run(["ioc", "import", feedDirectory, "--source", "circl", "--format", "json"])
        }
        #expect(try Self.json(local)[key: "new"]?.int == viaHTTP, "\(local.stderr)")

        let unchanged = try await offPool { try cli.run(["ioc", "feed", "pull", "circl", "--format", "json"]) }
        #expect(unchanged.exitCode == 0)
        #expect(try Self.json(unchanged).arrayValue?.first?[key: "changed"]?.bool == false)
        // The publisher updates one event: only it is fetched.
        manifest[0].value = .object([JSONMember("timestamp", .string("9999999999"))])
        try writeManifest()
        let updated = try await offPool { try cli.run(["ioc", "feed", "pull", "circl", "--format", "json"]) }
        #expect(try Self.json(updated).arrayValue?.first?[key: "fetched"]?.int == 1, "\(updated.stderr)")
    }

    @Test(
        "An import looks back: a stored alert the new indicators match is recorded and, by policy, raised",
        arguments: TestDatabases.backends)
    func retroHuntAndPolicy(backend: DatabaseBackend) async throws {
        try await TestDatabases.withEmptyDatabase(backend) { config in
            try await Self.retroHuntAndPolicy(databaseURL: TestDatabases.url(config))
        }
    }

    static func retroHuntAndPolicy(databaseURL: String) async throws {
        do {
            let cli = try CoreReconProcess(environment: [
                "CORERECON_DATABASE_URL": databaseURL, "CORERECON_IOC_MATCH_POLICY_RAISE_TO": "critical",
                "CORERECON_IOC_MATCH_POLICY_MIN_SCORE": "60",
            ])
            defer { cli.remove() }
            #expect(try await offPool { try cli.run(["migrate", "-q"]) }.exitCode == 0)
            let ingested = try cli.run(["ingest", "-"], input: Self.eve + "\n")
            #expect(ingested.exitCode == 0 && ingested.stderr.contains("1 new alert"), "\(ingested.stderr)")
            let before = try Self.json(try await offPool { try cli.run(["alert", "show", "1", "--format", "json"]) })
            #expect(before[key: "severity"]?.text == "Low")

            // A low-confidence indicator matches but is under the policy's score: recorded, not raised.
            let weak = try cli.run(
                ["ioc", "import", "-", "--source", "osint", "--confidence", "40", "--format", "json"],
                input: "198.51.100.0/24\n")
            #expect(try Self.json(weak)[key: "retroMatches"]?.int == 1, "\(weak.stderr)")
            #expect(weak.exitCode == 0)
            let middle = try Self.json(try await offPool { try cli.run(["alert", "show", "1", "--format", "json"]) })
            #expect(middle[key: "severity"]?.text == before[key: "severity"]?.text)

            let strong = try cli.run(
                ["ioc", "import", "-", "--source", "partner", "--confidence", "90"], input: "198.51.100.99\n")
            #expect(strong.stderr.contains("retro-hunt: 1 stored alert matched"), "\(strong.stderr)")
            let after = try Self.json(try await offPool { try cli.run(["alert", "show", "1", "--format", "json"]) })
            // The column and the stored finding agree.
            #expect(after[key: "severity"]?.text == "Critical", "\(after)")
            #expect(after[key: "severity_id"]?.int == 5)
            let critical = try await offPool {
                try cli.run(["alert", "list", "--severity", "critical", "--format", "json"])
            }
            #expect(critical.stdout.contains("ET POLICY outbound TLS"), "\(critical.stdout)")
            let text = try await offPool { try cli.run(["alert", "show", "1"]) }.stdout
            #expect(text.components(separatedBy: "ioc match:").count == 3, "\(text)")

            // Nothing is left to find, and a hunt says so; the match gave the indicator a sighting.
            let hunt = try await offPool { try cli.run(["ioc", "hunt", "--since", "3650d"]) }
            #expect(hunt.exitCode == 0)
            #expect(hunt.stderr.contains("recorded 0 matches"), "\(hunt.stderr)")
            let shown = try Self.json(
                try await offPool { try cli.run(["ioc", "show", "198.51.100.99", "--format", "json"]) })
            #expect(shown[key: "indicator"]?[key: "sightings"]?.int == 1, "\(shown)")
        }
    }

    @Test("An incident's observable marked --ioc becomes an indicator of the incident, matched from then on")
    func observablePromotion() throws {
        let cli = try CoreReconProcess()
        defer { cli.remove() }
        #expect(try cli.run(["incident", "create", "--title", "Beacon", "--severity", "high"]).exitCode == 0)
        let added = try cli.run([
            "incident", "observable", "add", "IR-0001", "c2.evil[.]example", "--ioc", "--tlp", "amber", "--tag", "c2",
        ])
        #expect(added.exitCode == 0, "\(added.stderr)")
        #expect(added.stderr.contains("matched from now on"), "\(added.stderr)")
        let year = Calendar(identifier: .gregorian).component(.year, from: Date())
        let shown = try Self.json(try cli.run(["ioc", "show", "c2.evil.example", "--format", "json"]))
        let indicator = shown[key: "indicator"]
        #expect(indicator?[key: "tlp"]?.text == "amber")
        #expect(
            indicator?[key: "sources"]?.arrayValue?.first?[key: "name"]?.text == "incident:IR-\(year)-0001", "\(shown)")
        #expect(indicator?[key: "tags"]?.arrayValue?.compactMap(\.text) == ["c2", "incident:IR-\(year)-0001"])
        // A user name is an observable only; without --ioc nothing is promoted.
        #expect(try cli.run(["incident", "observable", "add", "IR-0001", "CORP\\alice", "--ioc"]).exitCode == 0)
        #expect(try cli.run(["incident", "observable", "add", "IR-0001", "198.51.100.9"]).exitCode == 0)
        let stats = try Self.json(try cli.run(["ioc", "stats", "--format", "json"]))
        #expect(stats[key: "total"]?.int == 1)
        let matched = try cli.run(["ioc", "match", "-"], input: "GET http://www.c2.evil.example/x\n")
        #expect(matched.exitCode == 0)
    }

    @Test("ioc update changes TLP, confidence, tags and validity, and takes a revocation back; each change is audited")
    func update() throws {
        let cli = try CoreReconProcess()
        defer { cli.remove() }
        #expect(
            try cli.run(["ioc", "add", "evil.example", "--tag", "c2", "--tag", "old", "--confidence", "50"]).exitCode
                == 0)
        #expect(try cli.run(["ioc", "revoke", "evil.example"]).exitCode == 0)
        let updated = try cli.run([
            "ioc", "update", "evil.example", "--tlp", "amber", "--confidence", "95", "--untag", "old", "--tag",
            "apt:x", "--expires", "7d", "--unrevoke", "--format", "json",
        ])
        #expect(updated.exitCode == 0, "\(updated.stderr)")
        let row = try #require(try Self.json(updated).arrayValue?.first)
        #expect(row[key: "tlp"]?.text == "amber")
        #expect(row[key: "confidence"]?.int == 95)
        #expect(row[key: "tags"]?.arrayValue?.compactMap(\.text) == ["c2", "apt:x"])
        #expect(row[key: "status"]?.text == "active")
        #expect(row[key: "validUntil"] != nil)
        let audit = try cli.run(["audit", "list", "--format", "json"])
        #expect(audit.stdout.contains("ioc.update"), "\(audit.stdout)")
        let bad = try cli.run(["ioc", "update", "evil.example", "--confidence", "120"])
        #expect(bad.exitCode == 64)
        let missing = try cli.run(["ioc", "update", "missing.example", "--tlp", "red"])
        #expect(missing.exitCode == 66 || missing.exitCode == 1, "\(missing.exitCode) \(missing.stderr)")
    }

    /// Whether python3 can import `module` (a validator from PyPI that scripts/test installs).
    static func hasPython(_ module: String) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import \(module)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? CoreReconProcess.spawn(process) { _ in }) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    static let validatorsReason: Comment =
        "stix2-validator and pymisp are not installed (python3 -m pip install --user stix2-validator pymisp): exports were checked without them"
    static let canValidate =
        ProcessInfo.processInfo.environment["CI"] != nil
        || (hasPython("stix2validator") && hasPython("pymisp"))

    @Test(
        "Exports: STIX passes OASIS's validator, the MISP event loads in PyMISP and imports back, Suricata rules are well formed",
        .enabled(if: SharedData.isAvailable, SharedData.skipReason), .enabled(if: canValidate, validatorsReason))
    func exports() throws {
        let cli = try CoreReconProcess()
        defer { cli.remove() }
        let feeds = ["stix/oasis-examples", "stix/misp-stix-tests", "misp/events"].map { SharedData.url($0).path }
        #expect(try cli.run(["ioc", "import", "-q"] + feeds).exitCode != 2)
        for (value, type) in [
            (#"hxxp://bad[.]example/dl;x.php?a="1""#, "url"), ("198.51.100.7:8443", "ip:port"),
            ("Mozilla/5.0 (evil|bot)", "user-agent"), ("2001:db8::/48", "cidr"), ("t1.evil.example", "hostname"),
            ("e7712f6cb8f5e1bd7a9c7bdb3e1c6a2b", "ja3"),
        ] {
            let added = try cli.run(["ioc", "add", value, "--type", type, "--tag", "apt:\"x;y\"", "--tlp", "amber"])
            #expect(added.exitCode == 0, "\(added.stderr)")
        }
        let directory = cli.home.path

        // STIX 2.1, as OASIS's validator sees it.
        let stix = try cli.run(["ioc", "export", "--to", "stix"])
        try stix.stdout.write(toFile: directory + "/export.stix.json", atomically: true, encoding: .utf8)
        let stixCheck = try cli.runPython(
            """
            import sys
            from stix2validator import validate_file
            result = validate_file(sys.argv[1])
            for o in result.object_results:
                for e in o.errors: print(o.object_id, e)
            sys.exit(0 if result.is_valid else 1)
            """, arguments: [directory + "/export.stix.json"])
        #expect(stixCheck.exitCode == 0, "\(stixCheck.stdout.prefix(2_000)) \(stixCheck.stderr.suffix(2_000))")

        // MISP, as PyMISP loads it (types and categories checked against MISP's own list).
        let misp = try cli.run(["ioc", "export", "--to", "misp", "--info", "weekly share"])
        try misp.stdout.write(toFile: directory + "/export.misp.json", atomically: true, encoding: .utf8)
        let mispCheck = try cli.runPython(
            """
            import sys
            from pymisp import MISPEvent
            event = MISPEvent()
            event.load_file(sys.argv[1])
            assert event.info == "weekly share", event.info
            print(len(event.attributes))
            """, arguments: [directory + "/export.misp.json"])
        #expect(mispCheck.exitCode == 0, "\(mispCheck.stderr.suffix(2_000))")
        let attributes = Int(mispCheck.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        let active =
            try JSONParser.parse(try cli.run(["ioc", "stats", "--format", "json"]).stdout)[key: "active"]?.int ?? 0
        #expect(attributes > 100 && attributes <= active)
        // ... and reads back as the same indicators.
        let back = try CoreReconProcess()
        defer { back.remove() }
        let reimported = try back.run(["ioc", "import", directory + "/export.misp.json", "--format", "json"])
        #expect(try Self.json(reimported)[key: "new"]?.int == attributes, "\(reimported.stderr.prefix(2_000))")
        let original = try cli.run(["ioc", "export", "--to", "csv"]).stdout
        let copied = try back.run(["ioc", "export", "--to", "csv"]).stdout
        func pairs(_ csv: String, leavingOut: Set<String>) -> Set<String> {
            Set(
                csv.split(separator: "\n").dropFirst().map { $0.split(separator: ",").prefix(2).joined(separator: ",") }
                    .filter { !leavingOut.contains(String($0.split(separator: ",")[0])) })
        }
        #expect(pairs(copied, leavingOut: []) == pairs(original, leavingOut: ["ja4"]))

        // Suricata: one rule per line, reserved characters escaped, sids unique and stable.
        let rules = try cli.run(["ioc", "export", "--to", "suricata"]).stdout
        let lines = rules.split(separator: "\n").map(String.init)
        let body = lines.filter { !$0.hasPrefix("#") }
        #expect(body.count > 100)
        let shape = #/^alert (ip|dns|tls|http) \S+ \S+ (->|<>) \S+ \S+ \(msg:"[^";\\|]*"; (.*; )?sid:(\d+); rev:1;\)$/#
        var sids: Set<String> = []
        for rule in body {
            guard let match = rule.wholeMatch(of: shape) else {
                Issue.record("not a well-formed rule: \(rule)")
                continue
            }
            #expect(sids.insert(String(match.output.4)).inserted, "duplicate sid in \(rule)")
            for content in rule.matches(of: #/content:"([^"]*)"/#) {
                #expect(!content.output.1.contains(";") && !content.output.1.contains("\\"), "\(rule)")
            }
        }
        #expect(
            rules.contains(#"http.host; content:"bad.example"; nocase; endswith; http.uri; content:"/dl|3B|x.php?a="#))
        #expect(rules.contains(#"alert ip any any <> [198.51.100.7] 8443"#))
        #expect(rules.contains(#"dns.query; dotprefix; content:".t1.evil.example"; nocase; endswith;"#))
        #expect(lines.contains { $0.hasPrefix("# left out") && $0.contains("sha256") })
        let again = try cli.run(["ioc", "export", "--to", "suricata", "--action", "drop"]).stdout
        let dropped: [String] = again.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") }
        #expect(dropped.count == body.count)
        #expect(dropped.allSatisfy { $0.hasPrefix("drop ") })
        #expect(dropped.map { "alert " + $0.dropFirst("drop ".count) } == body)
    }
}
