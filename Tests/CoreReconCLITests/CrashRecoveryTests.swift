import CoreRecon
import CoreReconStore
import CoreReconTestSupport
import Foundation
import Testing

/// A `kill -9` in the middle of an ingest loses at most the batch in flight, and re-running the same input
/// ends with exactly the alerts a clean run makes.
@Suite("Crash recovery")
struct CrashRecoveryTests {
    /// Suricata alerts with a realistic share of repeated fingerprints (a few attackers hitting a few rules).
    static func input(count: Int) -> String {
        (1...count).map { index in
            let attacker = "203.0.113.\(index % 7)"
            let rule = 2_000_000 + index % 5
            let time = String(
                format: "2026-11-20T%02d:%02d:%02d.000000+0000", (index / 3600) % 24, (index / 60) % 60, index % 60)
            return
                #"{"timestamp":"\#(time)","flow_id":\#(index),"event_type":"alert","src_ip":"\#(attacker)","dest_ip":"10.0.0.\#(index % 3)","proto":"TCP","alert":{"gid":1,"signature_id":\#(rule),"rev":1,"signature":"rule \#(rule)","category":"Misc","severity":\#(1 + index % 3)}}"#
        }.joined(separator: "\n") + "\n"
    }

    /// The alert table as comparable rows: fingerprint, occurrences, first and last seen.
    static func snapshot(_ path: String) async throws -> [String] {
        try await Database.withDatabase(AppConfig(database: .sqliteFile(path: path)), logger: TestDatabases.quietLogger)
        { database in
            try await database.withConnection { sql in
                try await sql.raw(
                    "SELECT fingerprint, occurrences, first_seen, last_seen FROM alerts ORDER BY fingerprint, first_seen"
                )
                .all().map { row in
                    "\(try row.decode(column: "fingerprint", as: String.self)) "
                        + "\(try row.decode(column: "occurrences", as: Int.self)) "
                        + "\(try row.decode(column: "first_seen", as: Int64.self)) "
                        + "\(try row.decode(column: "last_seen", as: Int64.self))"
                }
            }
        }
    }

    /// `corerecon ingest -` into the SQLite file at `database`, running, with its stdin a pipe the test writes.
    static func ingestFromPipe(_ cli: CoreReconProcess, database: String) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = CoreReconProcess.executable
        process.arguments = ["ingest", "-", "--database-url", "sqlite:\(database)", "-q"]
        process.environment = cli.environment
        let input = try CoreReconProcess.spawn(process) { process in
            let input = CoreReconProcess.privatePipe()
            process.standardInput = input
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            return input
        }
        return (process, input)
    }

    static func deliveries(_ path: String) async throws -> Int {
        try await Database.withDatabase(AppConfig(database: .sqliteFile(path: path)), logger: TestDatabases.quietLogger)
        { database in
            try await database.withConnection { sql in
                try await sql.raw("SELECT COUNT(*) AS n FROM alert_deliveries").first(decodingColumn: "n", as: Int.self)
                    ?? 0
            }
        }
    }

    @Test("kill -9 mid-ingest, then a re-run, matches a clean run exactly")
    func killAndRerun() async throws {
        let count = 6_000
        let cli = try CoreReconProcess(environment: ["CORERECON_INGEST_BATCH_SIZE": "50"])
        defer { cli.remove() }
        let feed = cli.home.path + "/feed.ndjson"
        try Self.input(count: count).write(toFile: feed, atomically: true, encoding: .utf8)
        let clean = cli.home.path + "/clean.db"
        let crashed = cli.home.path + "/crashed.db"

        let cleanRun = try cli.run(["ingest", feed, "--database-url", "sqlite:\(clean)", "--format", "json", "-q"])
        #expect(cleanRun.exitCode == 0, "\(cleanRun.stderr)")
        #expect(try await Self.deliveries(clean) == count)

        #expect(try cli.run(["migrate", "-q", "--database-url", "sqlite:\(crashed)"]).exitCode == 0)
        // The records come through a pipe, and only the first half is sent: the run cannot finish before the kill,
        // however fast it is or however slowly this test is scheduled.
        let (process, input) = try Self.ingestFromPipe(cli, database: crashed)
        let lines = try String(contentsOfFile: feed, encoding: .utf8).split(separator: "\n")
        input.fileHandleForWriting.write(Data(lines.prefix(count / 2).map { $0 + "\n" }.joined().utf8))
        // Wait until some batches are committed, then kill without warning.
        var committed = 0
        for _ in 0..<4_000 where committed < 500 {
            try await Task.sleep(for: .milliseconds(5))
            committed = try await Self.deliveries(crashed)
        }
        kill(process.processIdentifier, SIGKILL)
        try await offPool { process.waitUntilExit() }
        #expect(process.terminationReason == .uncaughtSignal)
        let survived = try await Self.deliveries(crashed)
        #expect(survived >= 500 && survived <= count / 2, "\(survived) of the \(count / 2) sent survived")
        #expect(survived % 50 == 0, "only whole batches survive a kill: \(survived)")

        let rerun = try cli.run(["ingest", feed, "--database-url", "sqlite:\(crashed)", "--format", "json", "-q"])
        #expect(rerun.exitCode == 0, "\(rerun.stderr)")
        let summary = try JSONParser.parse(rerun.stdout)
        #expect(summary[key: "redelivered"]?.int == survived)
        #expect(try await Self.snapshot(crashed) == (try await Self.snapshot(clean)))
        #expect(try await Self.deliveries(crashed) == count)
    }

    @Test("Records piped in a few at a time are stored while the pipe stays open; closing it ends the run")
    func livePipe() async throws {
        let cli = try CoreReconProcess()
        defer { cli.remove() }
        let database = cli.home.path + "/live.db"
        #expect(try cli.run(["migrate", "-q", "--database-url", "sqlite:\(database)"]).exitCode == 0)
        let (process, input) = try Self.ingestFromPipe(cli, database: database)
        let lines = Self.input(count: 5).split(separator: "\n")
        // Three records, far fewer than a batch, and the pipe left open: they are stored once stdin goes quiet.
        input.fileHandleForWriting.write(Data(lines.prefix(3).map { $0 + "\n" }.joined().utf8))
        var stored = 0
        for _ in 0..<1_000 where stored < 3 {
            try await Task.sleep(for: .milliseconds(10))
            stored = try await Self.deliveries(database)
        }
        #expect(stored == 3)
        #expect(process.isRunning)
        input.fileHandleForWriting.write(Data(lines.dropFirst(3).map { $0 + "\n" }.joined().utf8))
        try input.fileHandleForWriting.close()
        try await offPool { process.waitUntilExit() }
        #expect(process.terminationStatus == 0)
        #expect(try await Self.deliveries(database) == 5)
    }
}
