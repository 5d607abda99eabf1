import CoreRecon
import CoreReconStore
import CoreReconTestSupport
import Foundation
import Testing

@Suite("backup and restore, end to end")
struct BackupEndToEndTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples/alerts").path

    /// Rows of `table` in a SQLite file, read beside whoever is writing it (WAL), by Python's sqlite3.
    static func count(_ table: String, in path: String, cli: CoreReconProcess) throws -> Int {
        let result = try cli.runPython(
            "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT COUNT(*) FROM \(table)').fetchone()[0])",
            arguments: [path])
        return Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    @Test("SQLite: plain, gzip and zstd backups restore to the same data; checksums, refusals and damage are caught")
    func roundTrip() throws {
        let cli = try CoreReconProcess()
        defer { cli.remove() }
        #expect(try cli.run(["ingest", Self.examples, "-q"]).exitCode == 0)
        #expect(try cli.run(["incident", "create", "--title", "Phish", "--from-alert", "1"]).exitCode == 0)
        let listing = try cli.run(["alert", "list", "--format", "csv"]).stdout
        let home = cli.home.path
        for name in ["backup.db", "backup.db.gz", "backup.db.zst"] {
            let file = home + "/" + name
            let made = try cli.run(["backup", "--out", file, "--format", "json"])
            #expect(made.exitCode == 0, "\(made.stderr)")
            let summary = try JSONParser.parse(made.stdout)
            #expect(summary[key: "alerts"]?.int == 4 && summary[key: "incidents"]?.int == 1, "\(made.stdout)")
            #expect(
                summary[key: "compression"]?.text
                    == ["db": "none", "gz": "gzip", "zst": "zstd"][
                        (name as NSString).pathExtension])
            // The checksum file is the one sha256sum reads; the backup is for its owner only.
            #expect(try Self.checksumChecks(file))
            let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(name): \(String(mode ?? 0, radix: 8))")
            #expect(!FileManager.default.fileExists(atPath: file + ".partial"))

            let target = "sqlite:\(home)/restored-\(name).db"
            let restored = try cli.run(["restore", file, "--database-url", target])
            #expect(restored.exitCode == 0, "\(restored.stderr)")
            #expect(try cli.run(["alert", "list", "--format", "csv", "--database-url", target]).stdout == listing)
            #expect(try cli.run(["audit", "verify", "--database-url", target]).exitCode == 0)
            // A database with data is replaced only with --force.
            let again = try cli.run(["restore", file, "--database-url", target])
            #expect(again.exitCode == 1)
            #expect(again.stderr.contains("give --force"), "\(again.stderr)")
            #expect(try cli.run(["restore", file, "--database-url", target, "--force"]).exitCode == 0)
        }
        // A backup made before documents were compressed (as the release before it would have made it) comes back
        // migrated forward; one from a newer corerecon is refused.
        let older = home + "/older.db"
        try FileManager.default.copyItem(atPath: home + "/backup.db", toPath: older)
        let latest = Migrations.latestVersion
        // This test undoes migrations 17, 20, 22 and 24 by hand (dropping the full-text index undoes 21, a setting of
        // it; 23 re-creates an index, which it does on either form of it); the others after 17 change nothing on
        // SQLite.
        let compression = try #require(Migrations.all.first { $0.name == "document_dictionaries" }).version
        #expect(compression == 17)
        #expect(
            Migrations.all.filter { $0.version > compression && !$0.statements(for: .sqlite).isEmpty }.map(\.version)
                == [20, 21, 22, 23, 24])
        // Migration 20's contentless full-text index and migration 22's observable index are beyond the sqlite3
        // module Python has here (3.40): their entries go from the schema by hand, then their tables.
        let unlisted = try cli.runPython(
            "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('PRAGMA writable_schema = ON'); "
                + "c.execute(\"DELETE FROM sqlite_master WHERE name IN ('alerts_fts', 'alert_observable_keys')\"); c.commit()",
            arguments: [older])
        #expect(unlisted.exitCode == 0, "\(unlisted.stderr)")
        // The release before it stored documents as JSON text, which a restore compresses, and indexed one column
        // holding title, description and observables; each row kept its fingerprint's basis.
        let undo = [
            "UPDATE alerts SET ocsf = json_object('class_uid', 2004, 'message', title), "
                + "search_text = title || ' ' || IFNULL(description, ''), fingerprint_basis = json_object('rule', title)",
            "DROP TABLE document_dictionaries", "DROP TABLE document_conversion", "DROP TRIGGER alerts_fts_delete",
            "DROP TABLE alerts_fts_data", "DROP TABLE alerts_fts_idx", "DROP TABLE alerts_fts_docsize",
            "DROP TABLE alerts_fts_config", "DROP TRIGGER alert_observable_keys_delete",
            "DROP TABLE alert_observable_keys_data", "DROP TABLE alert_observable_keys_idx",
            "DROP TABLE alert_observable_keys_docsize", "DROP TABLE alert_observable_keys_config",
            "CREATE INDEX alert_observables_value ON alert_observables (type, value)", "DROP INDEX alerts_assignee",
            "CREATE INDEX alerts_assignee ON alerts (assignee, last_seen DESC)",
            "CREATE INDEX events_at ON events (at)",
            "CREATE VIRTUAL TABLE alerts_fts USING fts5(search_text, content = 'alerts', content_rowid = 'id', "
                + "tokenize = 'unicode61')",
            "INSERT INTO alerts_fts (alerts_fts) VALUES ('rebuild')",
            "CREATE TRIGGER alerts_fts_insert AFTER INSERT ON alerts BEGIN INSERT INTO alerts_fts (rowid, search_text) "
                + "VALUES (new.id, new.search_text); END",
            "CREATE TRIGGER alerts_fts_delete AFTER DELETE ON alerts BEGIN INSERT INTO alerts_fts (alerts_fts, rowid, "
                + "search_text) VALUES ('delete', old.id, old.search_text); END",
            "CREATE TRIGGER alerts_fts_update AFTER UPDATE OF search_text ON alerts BEGIN INSERT INTO alerts_fts "
                + "(alerts_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); INSERT INTO alerts_fts "
                + "(rowid, search_text) VALUES (new.id, new.search_text); END",
            "DELETE FROM schema_migrations WHERE version >= \(compression)",
        ]
        let undone = try cli.runPython(
            "import sqlite3, sys, json; c = sqlite3.connect(sys.argv[1]); "
                + "[c.execute(s) for s in json.loads(sys.argv[2])]; c.commit()",
            arguments: [older, JSONValue.array(undo.map(JSONValue.string)).jsonString])
        #expect(undone.exitCode == 0, "\(undone.stderr)")
        let forward = try cli.run(["restore", older, "--database-url", "sqlite:\(home)/forward.db", "--format", "json"])
        #expect(forward.exitCode == 0, "\(forward.stderr)")
        let document = try JSONParser.parse(forward.stdout)
        #expect(document[key: "schemaVersion"]?.int == compression - 1)
        #expect(document[key: "migrated"]?.arrayValue?.compactMap(\.int) == Array(compression...latest))
        let stored = try cli.runPython(
            "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
                + "print(c.execute('SELECT group_concat(DISTINCT typeof(ocsf)) FROM alerts').fetchone()[0])",
            arguments: [home + "/forward.db"])
        #expect(stored.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "blob", "\(stored.stdout)")
        let shown = try cli.run([
            "alert", "show", "1", "--format", "json", "--database-url", "sqlite:\(home)/forward.db",
        ])
        let finding: JSONValue? = try JSONParser.parse(shown.stdout)
        #expect(finding?[key: "class_uid"]?.int == 2004 && finding?[key: "message"]?.text != nil, "\(shown.stdout)")
        // The basis moved into the frame, and explains the alert as before.
        let explained = try cli.run([
            "alert", "explain", "1", "--format", "json", "--database-url", "sqlite:\(home)/forward.db",
        ])
        #expect(explained.exitCode == 0, "\(explained.stderr)")
        let title = finding?[key: "message"]?.text ?? "?"
        #expect(explained.stdout.contains(#""rule""#) && explained.stdout.contains(title), "\(explained.stdout)")
        #expect(
            try cli.run([
                "alert", "list", "--search", String(title.split(separator: " ").first ?? ""), "--format", "csv",
                "--database-url", "sqlite:\(home)/forward.db",
            ]).stdout.contains(title))
        #expect(
            try cli.run(["alert", "list", "--format", "csv", "--database-url", "sqlite:\(home)/forward.db"]).stdout
                == listing)
        let newer = home + "/newer.db"
        try FileManager.default.copyItem(atPath: home + "/backup.db", toPath: newer)
        _ = try cli.runPython(
            "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute(\"INSERT INTO schema_migrations VALUES "
                + "(\(latest + 1), 'future', 'x', 0, 0)\"); c.commit()",
            arguments: [newer])
        let future = try cli.run(["restore", newer, "--database-url", "sqlite:\(home)/future.db"])
        #expect(future.exitCode == 78, "\(future.stderr)")
        #expect(!FileManager.default.fileExists(atPath: home + "/future.db"))

        // No database, no backup: nor an empty database made on the way.
        let missing = try cli.run(["backup", "--out", home + "/none.db", "--database-url", "sqlite:\(home)/absent.db"])
        #expect(missing.exitCode == 69)
        #expect(missing.stderr.contains("no database at"), "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: home + "/absent.db"))

        // An existing backup is not overwritten without --force.
        let twice = try cli.run(["backup", "--out", home + "/backup.db.zst"])
        #expect(twice.exitCode == 1)
        #expect(try cli.run(["backup", "--out", home + "/backup.db.zst", "--force"]).exitCode == 0)

        // A byte changed after the backup: refused by the checksum file, and without it by zstd's own checksum;
        // a truncated gzip is refused too. Nothing is written where the restore would have gone.
        var damaged = try Data(contentsOf: URL(fileURLWithPath: home + "/backup.db.zst"))
        damaged[damaged.count / 2] ^= 0xFF
        try damaged.write(to: URL(fileURLWithPath: home + "/damaged.db.zst"))
        try FileManager.default.copyItem(
            atPath: home + "/backup.db.zst.sha256", toPath: home + "/damaged.db.zst.sha256")
        let fresh = "sqlite:\(home)/fresh.db"
        let byChecksum = try cli.run(["restore", home + "/damaged.db.zst", "--database-url", fresh])
        #expect(byChecksum.exitCode == 65)
        #expect(byChecksum.stderr.contains("was damaged or changed after the backup"), "\(byChecksum.stderr)")
        try FileManager.default.removeItem(atPath: home + "/damaged.db.zst.sha256")
        let byArchive = try cli.run(["restore", home + "/damaged.db.zst", "--database-url", fresh])
        #expect(byArchive.exitCode == 65, "\(byArchive.stderr)")
        let gzip = try Data(contentsOf: URL(fileURLWithPath: home + "/backup.db.gz"))
        try gzip.prefix(gzip.count / 2).write(to: URL(fileURLWithPath: home + "/cut.db.gz"))
        let cut = try cli.run(["restore", home + "/cut.db.gz", "--database-url", fresh])
        #expect(cut.exitCode == 65)
        #expect(cut.stderr.contains("truncated"), "\(cut.stderr)")
        let notOurs = home + "/notes.txt"
        try "not a database\n".write(toFile: notOurs, atomically: true, encoding: .utf8)
        #expect(try cli.run(["restore", notOurs, "--database-url", fresh]).exitCode == 65)
        #expect(!FileManager.default.fileExists(atPath: home + "/fresh.db"))
    }

    @Test("SQLite: a backup taken while ingest writes holds a prefix of what was committed, whole")
    func backupDuringIngest() async throws {
        let cli = try CoreReconProcess()
        defer { cli.remove() }
        let home = cli.home.path
        let database = home + "/live.db"
        #expect(try cli.run(["migrate", "--database-url", "sqlite:\(database)", "-q"]).exitCode == 0)

        // An ingest fed through a pipe: it runs until the pipe is closed, so the backup is sure to meet it.
        let ingest = Process()
        ingest.executableURL = CoreReconProcess.executable
        ingest.arguments = ["ingest", "-", "-q", "--database-url", "sqlite:\(database)"]
        ingest.environment = cli.environment
        let input = Pipe()
        ingest.standardInput = input
        ingest.standardOutput = FileHandle.nullDevice
        ingest.standardError = FileHandle.nullDevice
        try ingest.run()
        let writing = Task.detached {
            var index = 0
            while !Task.isCancelled {
                var chunk = ""
                for _ in 0..<500 {
                    chunk +=
                        #"{"@timestamp":"2026-12-01T10:00:00Z","rule":{"name":"rule \#(index % 50)"},"host":{"name":"host-\#(index)"}}"#
                        + "\n"
                    index += 1
                }
                try input.fileHandleForWriting.write(contentsOf: Data(chunk.utf8))
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        var before = 0
        for _ in 0..<1_200 where before < 2_000 {
            try await Task.sleep(for: .milliseconds(50))
            before = try Self.count("alerts", in: database, cli: cli)
        }
        let made = try await offPool {
            try cli.run(["backup", "--out", home + "/during.db.zst", "--database-url", "sqlite:\(database)"])
        }
        let after = try Self.count("alerts", in: database, cli: cli)
        writing.cancel()
        _ = await writing.result
        try input.fileHandleForWriting.close()
        try await offPool { ingest.waitUntilExit() }
        #expect(made.exitCode == 0, "\(made.stderr)")
        #expect(ingest.terminationStatus == 0, "the ingest went on undisturbed")
        #expect(before >= 2_000, "\(before) alerts before the backup began")

        let target = "sqlite:\(home)/restored.db"
        let restored = try cli.run(["restore", home + "/during.db.zst", "--database-url", target, "--format", "json"])
        #expect(restored.exitCode == 0, "\(restored.stderr)")
        let alerts = try JSONParser.parse(restored.stdout)[key: "alerts"]?.int ?? -1
        #expect((before...after).contains(alerts), "restored \(alerts), committed \(before) to \(after)")
        // Never torn: the alerts in the copy are exactly the first ones committed, ids 1 to n without a gap.
        let highest = try cli.runPython(
            "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT MAX(id) FROM alerts').fetchone()[0])",
            arguments: [home + "/restored.db"])
        #expect(Int(highest.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) == alerts)
        #expect(try cli.run(["audit", "verify", "--database-url", target]).exitCode == 0)
    }

    @Test(
        "PostgreSQL: pg_dump and pg_restore through backup and restore: the schema named, the checksum, --force",
        .enabled(if: TestDatabases.postgresURL != nil, "CORERECON_TEST_POSTGRES_URL is not set"))
    func postgres() async throws {
        try await TestDatabases.withEmptyDatabase(.postgres) { source in
            try await TestDatabases.withEmptyDatabase(.postgres) { other in
                let cli = try CoreReconProcess()
                defer { cli.remove() }
                let url = TestDatabases.url(source)
                #expect(try cli.run(["migrate", "--database-url", url, "-q"]).exitCode == 0)
                #expect(try cli.run(["ingest", Self.examples, "-q", "--database-url", url]).exitCode == 0)
                let listing = try cli.run(["alert", "list", "--format", "csv", "--database-url", url]).stdout
                let file = cli.home.path + "/soc.dump"
                let made = try cli.run(["backup", "--out", file, "--database-url", url])
                #expect(made.exitCode == 0, "\(made.stderr)")
                #expect(try Self.checksumChecks(file))
                let compressed = try cli.run(["backup", "--out", file + ".zst", "--database-url", url])
                #expect(compressed.exitCode == 78, "pg_dump's format is compressed already")

                // What came after the backup is gone once it is restored, over the data, with --force only.
                let later = #"{"@timestamp":"2026-12-02T10:00:00Z","rule":{"name":"later"},"host":{"name":"h9"}}"#
                #expect(try cli.run(["ingest", "-", "-q", "--database-url", url], input: later + "\n").exitCode == 0)
                let refused = try cli.run(["restore", file, "--database-url", url])
                #expect(refused.exitCode == 1)
                #expect(refused.stderr.contains("give --force"), "\(refused.stderr)")
                let restored = try cli.run(["restore", file, "--database-url", url, "--force", "--format", "json"])
                #expect(restored.exitCode == 0, "\(restored.stderr)")
                #expect(try JSONParser.parse(restored.stdout)[key: "checksumVerified"]?.bool == true)
                #expect(try cli.run(["alert", "list", "--format", "csv", "--database-url", url]).stdout == listing)
                #expect(try cli.run(["audit", "verify", "--database-url", url]).exitCode == 0)
                // A dump of one schema goes back into that schema, not another.
                let elsewhere = try cli.run(["restore", file, "--database-url", TestDatabases.url(other)])
                #expect(elsewhere.exitCode == 78)
                #expect(elsewhere.stderr.contains("search_path"), "\(elsewhere.stderr)")
            }
        }
    }

    /// `sha256sum -c FILE.sha256` in the backup's directory, as an operator would run it.
    static func checksumChecks(_ file: String) throws -> Bool {
        let directory = (file as NSString).deletingLastPathComponent
        let name = (file as NSString).lastPathComponent
        return try ServeEndToEndTests.tool("/bin/sh", ["-c", "cd '\(directory)' && sha256sum -c '\(name).sha256'"]).0
            == 0
    }
}
