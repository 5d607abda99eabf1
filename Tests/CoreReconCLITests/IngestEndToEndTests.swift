import CoreRecon
import CoreReconFuzzTargets
import CoreReconStore
import CoreReconTestSupport
import Foundation
import Testing

/// `corerecon ingest` and `corerecon alert` through the real binary, as a shell pipeline would use them.
@Suite("corerecon ingest and alert, end to end")
struct IngestEndToEndTests {
    static func eve(flow: Int, signature: String = "ET SCAN Potential SSH Scan", source: String = "203.0.113.9")
        -> String
    {
        #"{"timestamp":"2026-11-20T10:00:0\#(flow % 10).000000+0000","flow_id":\#(flow),"event_type":"alert","src_ip":"\#(source)","dest_ip":"10.0.0.2","proto":"TCP","alert":{"gid":1,"signature_id":\#(flow),"rev":1,"signature":"\#(signature)","category":"Attempted Information Leak","severity":1}}"#
    }

    @Test("A CSV export: header names fields, --column maps them; a bad row is named by file:line; exit 65")
    func csvExport() throws {
        let cli = try CoreReconProcess()
        defer { cli.remove() }
        let csv = cli.home.path + "/export.csv"
        try """
        AlertName,Sev,Computer,Account,SourceIP,Time
        Impossible travel,High,ws-7,ana,192.0.2.44,2026-12-05T10:00:00Z
        "Mass download, SharePoint",Medium,ws-9,bo,198.51.100.2,2026-12-05T10:05:00Z,extra
        Password spray,Low,dc-1,,203.0.113.9,2026-12-05T10:10:00Z

        """.write(toFile: csv, atomically: true, encoding: .utf8)
        let columns = [
            "--column", "title=AlertName", "--column", "severity=Sev", "--column", "host=Computer",
            "--column", "user=Account", "--column", "src_ip=SourceIP", "--column", "time=Time",
        ]
        let result = try cli.run(["ingest", csv, "--source", "casb"] + columns)
        #expect(result.exitCode == 65, "\(result.stderr)")
        #expect(
            result.stderr.contains("rejected \(csv):3: 7 fields where the header names 6 columns"), "\(result.stderr)")
        #expect(result.stderr.contains("2 new alerts"), "\(result.stderr)")
        let table = try cli.run(["alert", "list", "--format", "csv"]).stdout
        #expect(table.contains("Impossible travel,high"), "\(table)")
        #expect(table.contains("Password spray,low"), "\(table)")
        #expect(table.contains(",casb,"), "\(table)")
        // From stdin, named as CSV.
        let piped = try cli.run(
            ["ingest", "-", "--input-format", "csv", "--column", "title=name"], input: "name,host\nBeacon,ws-3\n")
        #expect(piped.exitCode == 0, "\(piped.stderr)")
        let unknown = try cli.run(["ingest", csv, "--column", "colour=Sev"])
        #expect(unknown.exitCode == 64 && unknown.stderr.contains("'colour' is not a key"), "\(unknown.stderr)")
        let notCSV = try cli.run(["ingest", cli.home.path, "--column", "title=AlertName"])
        #expect(notCSV.exitCode == 64 && notCSV.stderr.contains("--column is for CSV input"), "\(notCSV.stderr)")
    }

    @Test("Bad records are rejected with file:line, kept in the reject file, the rest stored; exit 65")
    func rejectsAndExitCode() throws {
        let cli = try CoreReconProcess()
        defer { cli.remove() }
        let feed = cli.home.path + "/feed.ndjson"
        let lines = [
            Self.eve(flow: 1), #"{"event_type":"alert","alert":{"signature":"#, #"{"nothing":"useful"}"#,
            Self.eve(flow: 4, signature: "Other"),
        ]
        try (lines.joined(separator: "\n") + "\n").write(toFile: feed, atomically: true, encoding: .utf8)
        let rejects = cli.home.path + "/rejects.ndjson"

        let result = try cli.run(["ingest", feed, "--reject-file", rejects])
        #expect(result.exitCode == 65)
        #expect(result.stderr.contains("rejected \(feed):2: invalid JSON"))
        #expect(result.stderr.contains("rejected \(feed):3:"))
        #expect(result.stderr.contains("2 new alerts"))
        #expect(result.stdout.isEmpty)

        let rejected = try String(contentsOfFile: rejects, encoding: .utf8).split(separator: "\n")
        #expect(rejected.count == 2)
        let first = try JSONParser.parse(String(rejected[0]))
        #expect(first[key: "location"]?.text == "\(feed):2")
        #expect(first[key: "record"]?.text == lines[1])

        let list = try cli.run(["alert", "list", "--format", "json"])
        let alerts = try JSONParser.parse(list.stdout).arrayValue ?? []
        #expect(alerts.count == 2)
    }

    @Test("Ingesting the same input twice stores nothing new; counts are reported as JSON with --format json")
    func idempotentRerun() throws {
        let cli = try CoreReconProcess()
        defer { cli.remove() }
        let input = (1...5).map { Self.eve(flow: $0) }.joined(separator: "\n")
        let first = try cli.run(["ingest", "--format", "json", "-q"], input: input)
        #expect(first.exitCode == 0, "\(first.stderr)")
        let summary = try JSONParser.parse(first.stdout)
        #expect(summary[key: "read"]?.int == 5)
        #expect(summary[key: "created"]?.int == 5)
        #expect(first.stderr.isEmpty)
        let second = try cli.run(["ingest", "-", "--format", "json", "-q"], input: input)
        #expect(try JSONParser.parse(second.stdout)[key: "redelivered"]?.int == 5)
        #expect(try JSONParser.parse(second.stdout)[key: "created"]?.int == 0)
    }

    @Test("gzip files and JSON arrays are read; --dry-run prints OCSF and stores nothing")
    func gzipAndDryRun() throws {
        let cli = try CoreReconProcess()
        defer { cli.remove() }
        let directory = cli.home.path + "/feeds"
        try FileManager.default.createDirectory(atPath: directory + "/nested", withIntermediateDirectories: true)
        try ("[" + [Self.eve(flow: 1), Self.eve(flow: 2, signature: "b")].joined(separator: ",\n") + "]")
            .write(toFile: directory + "/array.json", atomically: true, encoding: .utf8)
        try Self.eve(flow: 3, signature: "c").write(
            toFile: directory + "/nested/one.ndjson", atomically: true, encoding: .utf8)
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = [directory + "/nested/one.ndjson"]
        try gzip.run()
        gzip.waitUntilExit()
        try "not alerts".write(toFile: directory + "/README.md", atomically: true, encoding: .utf8)

        let dry = try cli.run(["ingest", directory, "--dry-run"])
        #expect(dry.exitCode == 0, "\(dry.stderr)")
        let findings = try dry.stdout.split(separator: "\n").map { try JSONParser.parse(String($0)) }
        #expect(findings.count == 3)
        #expect(findings.allSatisfy { $0[key: "class_uid"]?.int == 2004 && $0[key: "type_uid"]?.int == 200401 })
        #expect(try cli.run(["alert", "list", "--format", "ndjson"]).stdout.isEmpty)

        let real = try cli.run(["ingest", directory])
        #expect(real.exitCode == 0)
        #expect(real.stderr.contains("3 new alerts"))
    }

    @Test("A pipeline acknowledges the listed alerts: list --json id | ack -")
    func listToAckPipeline() throws {
        let cli = try CoreReconProcess(environment: ["CORERECON_USER": "night-shift"])
        defer { cli.remove() }
        _ = try cli.run(
            ["ingest"], input: (1...3).map { Self.eve(flow: $0, signature: "sig \($0)") }.joined(separator: "\n"))
        let ids = try cli.run(["alert", "list", "--format", "ndjson", "--json", "id"]).stdout
            .split(separator: "\n").compactMap { try? JSONParser.parse(String($0))[key: "id"]?.text }
        #expect(ids.count == 3)
        let ack = try cli.run(["alert", "ack", "-"], input: ids.joined(separator: "\n") + "\n")
        #expect(ack.exitCode == 0, "\(ack.stderr)")
        let statuses = try cli.run(["alert", "list", "--format", "csv", "--json", "id,status"]).stdout
        #expect(statuses.components(separatedBy: "acknowledged").count - 1 == 3)

        let again = try cli.run(["alert", "ack", ids[0]])
        #expect(again.exitCode == 1)
        #expect(again.stderr.contains("can become: in_progress, closed"))

        let history = try cli.run(["alert", "history", ids[0], "--format", "json"])
        #expect(history.stdout.contains("night-shift"))
    }

    @Test("--where changes every matching alert; --dry-run only says what would change")
    func bulkWhere() throws {
        let cli = try CoreReconProcess()
        defer { cli.remove() }
        _ = try cli.run(
            ["ingest"],
            input: [Self.eve(flow: 1), Self.eve(flow: 2, signature: "two", source: "198.51.100.1")]
                .joined(separator: "\n"))
        let preview = try cli.run([
            "alert", "close", "--where", "severity=high status=new", "--reason", "false_positive",
            "--dry-run",
        ])
        #expect(preview.exitCode == 0, "\(preview.stderr)")
        #expect(preview.stdout.contains("would change"))
        #expect(try cli.run(["alert", "list", "--status", "closed", "--format", "ndjson"]).stdout.isEmpty)

        let closed = try cli.run([
            "alert", "close", "--where", "search=two", "--reason", "false_positive", "--as", "ana",
        ])
        #expect(closed.exitCode == 0, "\(closed.stderr)")
        let list = try cli.run(["alert", "list", "--status", "closed", "--format", "ndjson", "--json", "title"]).stdout
        #expect(list == #"{"title":"two"}"# + "\n")
    }

    @Test("Usage and input errors exit 64 and 65 with a message naming the problem")
    func errors() throws {
        let cli = try CoreReconProcess()
        defer { cli.remove() }
        let missing = try cli.run(["ingest", cli.home.path + "/nope.json"])
        #expect(missing.exitCode == 65)
        #expect(missing.stderr.contains("nope.json: no such file or directory"))
        #expect(try cli.run(["alert", "list", "--severity", "huge"]).exitCode == 64)
        #expect(try cli.run(["alert", "list", "--sort", "color"]).exitCode == 64)
        #expect(try cli.run(["alert", "show", "42"]).stderr.contains("alert 42 not found"))
        #expect(try cli.run(["alert", "show", "42"]).exitCode == 1)
        #expect(try cli.run(["ingest", "--input-format", "splunkish", "-"]).exitCode == 64)
    }

    @Test("Hostile records are rejected naming the limit they went over; the records around them are stored")
    func hostileRecords() throws {
        let cli = try CoreReconProcess(environment: ["CORERECON_INGEST_MAX_DEPTH": "8"])
        defer { cli.remove() }
        let feed = cli.home.path + "/hostile.ndjson"
        let deep = String(repeating: #"{"a":"#, count: 9) + "1" + String(repeating: "}", count: 9)
        let long = #"{"title":"x","message":""# + String(repeating: "y", count: 600 << 10) + #""}"#
        let huge = #"{"title":"x","pad":[""# + String(repeating: "z", count: 1_100_000) + #""]}"#
        let lines = [
            Self.eve(flow: 1), deep, #""x","#, long, Self.eve(flow: 2), huge, #"{"a":1},S"#, Self.eve(flow: 3),
            #"{"timestamp":1e300,"flow_id":9,"event_type":"alert","alert":{"signature":"far future","severity":1}}"#,
        ]
        try (lines.joined(separator: "\n") + "\n").write(toFile: feed, atomically: true, encoding: .utf8)

        let result = try cli.run(["ingest", feed])
        #expect(result.exitCode == 65)
        #expect(result.stderr.contains("rejected \(feed):2: over a limit: nesting deeper than 8 levels"))
        #expect(result.stderr.contains("raise ingest.maxDepth"))
        #expect(result.stderr.contains("rejected \(feed):4: over a limit: a string longer than 524288 bytes"))
        #expect(result.stderr.contains("rejected \(feed):6: over a limit: the record is larger than 1048576 bytes"))
        let list = try cli.run(["alert", "list", "--format", "json"])
        let titles = try #require(try JSONParser.parse(list.stdout).arrayValue).compactMap { $0[key: "title"]?.text }
        #expect(titles.filter { $0 == "ET SCAN Potential SSH Scan" }.count == 3)
    }

    @Test("3,000 mutated real alerts: every record is stored or rejected with a reason, none crashes the run")
    func mutatedFeed() throws {
        let cli = try CoreReconProcess()
        defer { cli.remove() }
        let sources =
            SharedData.isAvailable
            ? SharedData.files(in: "alerts", suffixes: [".json", ".ndjson"])
            : [
                URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                    .appendingPathComponent("CoreReconTests/Fixtures/alerts/suricata/alert-ssh-scan.json")
            ]
        var originals: [String] = []
        for file in sources {
            var splitter = RecordSplitter()
            let bytes = Array(try Data(contentsOf: file))
            originals += (splitter.feed(bytes) + splitter.finish()).prefix(50)
                .map { String(decoding: $0.bytes, as: UTF8.self).replacingOccurrences(of: "\n", with: " ") }
        }
        try #require(!originals.isEmpty)
        var mutator = AlertMutator(seed: 7)
        let lines = (0..<3_000).map { index in
            index % 3 == 0
                ? originals[index % originals.count] : mutator.mutate(originals[index % originals.count]).text
        }
        let feed = cli.home.path + "/mutated.ndjson"
        try (lines.joined(separator: "\n") + "\n").write(toFile: feed, atomically: true, encoding: .utf8)

        let result = try cli.run(["ingest", feed, "--format", "json"])
        #expect([0, 65].contains(result.exitCode), "\(result.stderr.suffix(500))")
        let summary = try JSONParser.parse(result.stdout)
        func count(_ key: String) -> Int { Int(summary[key: key]?.text ?? "") ?? -1 }
        #expect(count("read") >= 3_000)
        #expect(count("read") == count("created") + count("merged") + count("redelivered") + count("rejected"))
        // The untouched third is stored (or recognized as already stored).
        #expect(count("created") + count("merged") + count("redelivered") >= 1_000)
        #expect(count("rejected") > 0)
        #expect(result.stderr.contains("rejected \(feed):"))
    }

    @Test("An ingest run writes stream events for what it stored and prunes those older than a day")
    func streamEventsPruned() async throws {
        let cli = try CoreReconProcess()
        defer { cli.remove() }
        let database = cli.home.path + "/events.db"
        let first = cli.home.path + "/first.ndjson"
        let second = cli.home.path + "/second.ndjson"
        try (Self.eve(flow: 1) + "\n").write(toFile: first, atomically: true, encoding: .utf8)
        try (Self.eve(flow: 2, signature: "Other") + "\n").write(toFile: second, atomically: true, encoding: .utf8)
        let config = AppConfig(database: .sqliteFile(path: database))
        func events() async throws -> [(type: String, at: Int64)] {
            try await Database.withDatabase(config, logger: TestDatabases.quietLogger) { db in
                try await db.withConnection { sql in
                    try await sql.raw("SELECT type, at FROM events ORDER BY id").all().map {
                        (try $0.decode(column: "type", as: String.self), try $0.decode(column: "at", as: Int64.self))
                    }
                }
            }
        }
        #expect(
            try await offPool { try cli.run(["ingest", first, "--database-url", "sqlite:\(database)"]) }.exitCode == 0)
        #expect(try await events().map(\.type) == ["alert.created"])
        // Two days pass for the first run's event.
        try await Database.withDatabase(config, logger: TestDatabases.quietLogger) { db in
            try await db.execute("UPDATE events SET at = at - 172800000")
        }
        #expect(
            try await offPool { try cli.run(["ingest", second, "--database-url", "sqlite:\(database)"]) }.exitCode == 0)
        let left = try await events()
        #expect(left.map(\.type) == ["alert.created"])
        #expect(left.allSatisfy { $0.at > Date().addingTimeInterval(-86_400).milliseconds })
    }
}
