import CoreRecon
import CoreReconStore
import CoreReconTestSupport
import Foundation
import Testing

/// Runs the real `corerecon` binary against real databases and checks stdout, stderr and exit codes.
@Suite("corerecon migrate, end to end")
struct MigrateEndToEndTests {
    @Test("migrate on the embedded default creates the database; a second run changes nothing")
    func migrateTwiceOnDefault() throws {
        let cli = try CoreReconProcess()
        defer { cli.remove() }

        let first = try cli.run(["migrate", "--format", "json"])
        #expect(first.exitCode == 0, "\(first.stderr)")
        let firstReport = try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any]
        #expect((firstReport?["applied"] as? [Any])?.count == Migrations.all.count)
        #expect(FileManager.default.fileExists(atPath: cli.home.path + "/data/corerecon/corerecon.db"))

        let second = try cli.run(["migrate"])
        #expect(second.exitCode == 0)
        #expect(second.stdout.contains("nothing (schema is current)"))
        #expect(second.stderr.isEmpty, "stderr should be empty on success: \(second.stderr)")
    }

    @Test("migrate -q is silent when it succeeds, whether it applies migrations or finds the schema current")
    func quietMigrate() throws {
        let cli = try CoreReconProcess()
        defer { cli.remove() }
        let url = "sqlite:\(cli.home.path)/soc.db"
        for run in 1...2 {
            let result = try cli.run(["migrate", "--database-url", url, "-q"])
            #expect(result.exitCode == 0, "run \(run): \(result.stderr)")
            #expect(result.stdout.isEmpty, "run \(run): \(result.stdout)")
            #expect(result.stderr.isEmpty, "run \(run): \(result.stderr)")
        }
        // A document a program asked for is a result, not a summary: -q keeps it.
        let json = try cli.run(["migrate", "--database-url", url, "-q", "--format", "json"])
        #expect(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) is [String: Any])
    }

    @Test("migrate status reports backend, location and migrations as JSON, CSV and NDJSON")
    func statusFormats() throws {
        let cli = try CoreReconProcess()
        defer { cli.remove() }
        let url = "sqlite:\(cli.home.path)/soc.db"

        let before = try cli.run(["migrate", "status", "--database-url", url, "--format", "json"])
        #expect(before.exitCode == 0, "\(before.stderr)")
        let pending = try JSONDecoder().decode(StatusDocument.self, from: Data(before.stdout.utf8))
        #expect(pending.backend == "sqlite")
        #expect(pending.location == "sqlite://\(cli.home.path)/soc.db")
        #expect(pending.version == 0)
        #expect(pending.pending == Migrations.all.count)
        #expect(!pending.current)

        #expect(try cli.run(["migrate", "--database-url", url, "-q"]).exitCode == 0)
        let after = try cli.run(["migrate", "status", "--database-url", url, "--format", "json"])
        let current = try JSONDecoder().decode(StatusDocument.self, from: Data(after.stdout.utf8))
        #expect(current.current)
        #expect(current.version == Migrations.latestVersion)
        #expect(current.migrations.allSatisfy { $0.status == "applied" })

        let csv = try cli.run(["migrate", "status", "--database-url", url, "--format", "csv"])
        let lines = csv.stdout.split(separator: "\n")
        #expect(lines.first == "version,name,status,applied at")
        #expect(lines.count == Migrations.all.count + 1)

        let ndjson = try cli.run(["migrate", "status", "--database-url", url, "--format", "ndjson"])
        let objects = ndjson.stdout.split(separator: "\n").map {
            try? JSONSerialization.jsonObject(with: Data($0.utf8))
        }
        #expect(objects.count == Migrations.all.count)
        #expect(objects.allSatisfy { $0 is [String: Any] })
    }

    @Test(
        "An unreachable PostgreSQL exits 69 at once (not after the connect timeout), naming host:port and not the password"
    )
    func unreachablePostgres() throws {
        // A refused connection is an answer: the command must not sit out a minute-long connect timeout.
        let cli = try CoreReconProcess(environment: ["CORERECON_DATABASE_CONNECT_TIMEOUT": "60s"])
        defer { cli.remove() }
        let port = try closedPort()
        let result = try cli.run([
            "migrate", "status", "--database-url", "postgres://soc:topsecret@127.0.0.1:\(port)/db",
        ])
        #expect(result.exitCode == 69)
        #expect(result.stderr.contains("cannot connect to PostgreSQL at 127.0.0.1:\(port)"), "\(result.stderr)")
        #expect(result.stderr.contains("--database-url"))
        #expect(!result.stderr.contains("topsecret"))
        #expect(result.stdout.isEmpty)
        // Half the timeout: a generous bound on a loaded machine, and still short of waiting it out.
        #expect(result.elapsed < .seconds(30))
    }

    @Test("A malformed database URL exits 78 and says where it came from")
    func malformedURL() throws {
        let cli = try CoreReconProcess(environment: ["CORERECON_DATABASE_URL": "mysql://root@localhost/soc"])
        defer { cli.remove() }
        let result = try cli.run(["migrate"])
        #expect(result.exitCode == 78)
        #expect(result.stderr.hasPrefix("error: CORERECON_DATABASE_URL: unsupported database URL scheme 'mysql'"))
    }

    @Test("An SQLite path that cannot be created exits 69 naming the path")
    func unwritablePath() throws {
        let cli = try CoreReconProcess()
        defer { cli.remove() }
        let blocker = cli.home.path + "/not-a-directory"
        try "x".write(toFile: blocker, atomically: true, encoding: .utf8)
        let result = try cli.run(["migrate", "--database-url", "sqlite:\(blocker)/soc.db"])
        #expect(result.exitCode == 69)
        #expect(result.stderr.contains("\(blocker)/soc.db"))
        #expect(result.stderr.contains("is not a directory"))

        let missing = try cli.run(["migrate", "--database-url", "sqlite:\(cli.home.path)/no/such/dir/soc.db"])
        #expect(missing.exitCode == 69)
        #expect(missing.stderr.contains("does not exist"))
    }

    @Test("A file that is not an SQLite database is refused and left untouched")
    func corruptFile() throws {
        let cli = try CoreReconProcess()
        defer { cli.remove() }
        let path = cli.home.path + "/notes.db"
        let content = String(repeating: "these are my case notes, not a database\n", count: 200)
        try content.write(toFile: path, atomically: true, encoding: .utf8)

        let result = try cli.run(["migrate", "--database-url", "sqlite:\(path)"])
        #expect(result.exitCode == 69)
        #expect(result.stderr.contains("\(path) is not a SQLite database"), "\(result.stderr)")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == content)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test("A schema newer than the binary is refused with exit 78; status still shows it")
    func newerSchema() async throws {
        let cli = try CoreReconProcess()
        defer { cli.remove() }
        let path = cli.home.path + "/soc.db"
        #expect(try cli.run(["migrate", "--database-url", "sqlite:\(path)"]).exitCode == 0)
        let config = AppConfig(database: .sqliteFile(path: path))
        try await Database.withDatabase(config, logger: TestDatabases.quietLogger) { database in
            try await database.execute(
                "INSERT INTO schema_migrations (version, name, checksum, applied_at, duration_ms) "
                    + "VALUES (99, 'future', 'x', 0, 0)"
            )
        }

        let migrate = try cli.run(["migrate", "--database-url", "sqlite:\(path)"])
        #expect(migrate.exitCode == 78)
        #expect(migrate.stderr.contains("schema is at version 99, newer than this corerecon knows"))

        let status = try cli.run(["migrate", "status", "--database-url", "sqlite:\(path)", "--format", "json"])
        #expect(status.exitCode == 0)
        let document = try JSONDecoder().decode(StatusDocument.self, from: Data(status.stdout.utf8))
        #expect(document.migrations.last?.status == "unknown")
    }

    @Test(
        "migrate on PostgreSQL applies once and reports the masked location",
        .enabled(if: TestDatabases.postgresURL != nil, "CORERECON_TEST_POSTGRES_URL is not set")
    )
    func postgres() async throws {
        try await TestDatabases.withEmptyDatabase(.postgres) { config in
            guard case .postgres(var location) = config.database else { return }
            location.password = "not-shown"
            let url = location.connectionURL
            let cli = try CoreReconProcess()
            defer { cli.remove() }
            let first = try cli.run(["migrate", "--database-url", url, "--format", "json"])
            #expect(first.exitCode == 0, "\(first.stderr)")
            #expect(!first.stdout.contains("not-shown"))
            let second = try cli.run(["migrate", "--database-url", url])
            #expect(second.exitCode == 0)
            #expect(second.stdout.contains("nothing (schema is current)"))
            let status = try cli.run(["migrate", "status", "--database-url", url, "--format", "json"])
            let document = try JSONDecoder().decode(StatusDocument.self, from: Data(status.stdout.utf8))
            #expect(document.backend == "postgres")
            #expect(document.current)
            #expect(document.location.contains(":***@"))
        }
    }

    /// A loopback port with nothing listening.
    private func closedPort() throws -> Int { try LoopbackPort.free() }
}

struct StatusDocument: Decodable {
    struct Row: Decodable {
        var version: Int
        var name: String
        var status: String
    }

    var backend: String
    var location: String
    var version: Int
    var latestVersion: Int
    var current: Bool
    var pending: Int
    var migrations: [Row]
}
