import CoreRecon
import CoreReconTestSupport
import Foundation
import SQLKit
import Testing

@testable import CoreReconStore

@Suite("Migrations")
struct MigratorTests {
    @Test("An empty database has every migration pending", arguments: TestDatabases.backends)
    func emptyDatabase(backend: DatabaseBackend) async throws {
        try await TestDatabases.withEmptyDatabase(backend) { config in
            try await Database.withDatabase(config, logger: TestDatabases.quietLogger) { database in
                let status = try await Migrator(database: database, logger: TestDatabases.quietLogger).status()
                #expect(status.backend == backend)
                #expect(status.currentVersion == 0)
                #expect(status.pending.map(\.version) == Migrations.all.map(\.version))
                #expect(!status.isCurrent)
            }
        }
    }

    @Test(
        "migrate applies everything once, records checksums, and a second run is a no-op",
        arguments: TestDatabases.backends)
    func migrateTwice(backend: DatabaseBackend) async throws {
        try await TestDatabases.withEmptyDatabase(backend) { config in
            try await Database.withDatabase(config, logger: TestDatabases.quietLogger) { database in
                let migrator = Migrator(database: database, logger: TestDatabases.quietLogger)
                let first = try await migrator.migrate()
                #expect(first.map(\.version) == Migrations.all.map(\.version))
                let second = try await migrator.migrate()
                #expect(second.isEmpty)

                let status = try await migrator.status()
                #expect(status.isCurrent)
                #expect(status.currentVersion == Migrations.latestVersion)
                for (state, migration) in zip(status.migrations, Migrations.all) {
                    #expect(state.checksum == migration.checksum(for: backend))
                    #expect(state.appliedAt != nil)
                }
                // The schema is really there: the alert tables accept rows.
                let count = try await database.withConnection { sql in
                    try await sql.raw("SELECT COUNT(*) AS n FROM alerts").first(decodingColumn: "n", as: Int.self)
                }
                #expect(count == 0)
                if backend == .sqlite {
                    // The full-text index merges 16 segments a level, not FTS5's default 4, incrementally: a
                    // whole level at once only at 64 (FTS5's default 16 would merge every level at once).
                    let settings = try await database.withConnection { sql in
                        try await sql.raw("SELECT k, v FROM alerts_fts_config WHERE k IN ('automerge', 'crisismerge')")
                            .all().map {
                                (try $0.decode(column: "k", as: String.self), try $0.decode(column: "v", as: Int.self))
                            }
                    }
                    #expect(Dictionary(uniqueKeysWithValues: settings) == ["automerge": 16, "crisismerge": 64])
                }
            }
        }
    }

    @Test("Concurrent migrate runs apply each migration exactly once", arguments: TestDatabases.backends)
    func concurrentMigrate(backend: DatabaseBackend) async throws {
        try await TestDatabases.withEmptyDatabase(backend) { given in
            var patient = given
            // Exactly once is the point, not speed: on a loaded machine the first run can hold SQLite's write
            // lock past the default five seconds.
            patient.busyTimeout = .seconds(60)
            let config = patient
            // Separate Database instances: separate connections, as two `corerecon migrate` processes would have.
            let applied = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        try await Database.withDatabase(config, logger: TestDatabases.quietLogger) { database in
                            try await Migrator(database: database, logger: TestDatabases.quietLogger).migrate().count
                        }
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(applied == Migrations.all.count)
        }
    }

    @Test("Commands refuse a schema that is behind unless auto-migrate is on", arguments: TestDatabases.backends)
    func schemaBehind(backend: DatabaseBackend) async throws {
        try await TestDatabases.withEmptyDatabase(backend) { config in
            await #expect(throws: CoreReconError.schemaBehind(pending: Migrations.all.map(\.version))) {
                try await AppServices.withLive(config, logger: TestDatabases.quietLogger) { _ in }
            }
            var selfMigrating = config
            selfMigrating.autoMigrate = true
            let isCurrent = try await AppServices.withLive(selfMigrating, logger: TestDatabases.quietLogger) {
                try await $0.migrator.status().isCurrent
            }
            #expect(isCurrent)
            // Now current, the strict configuration opens it too.
            try await AppServices.withLive(config, logger: TestDatabases.quietLogger) { _ in }
        }
    }

    @Test("A schema newer than this binary is refused, by migrate too", arguments: TestDatabases.backends)
    func schemaNewer(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            try await services.database.execute(
                "INSERT INTO schema_migrations (version, name, checksum, applied_at, duration_ms) "
                    + "VALUES (999, 'from_the_future', 'abc', 0, 0)"
            )
            let status = try await services.migrator.status()
            #expect(status.migrations.last?.status == .unknown)
            #expect(status.currentVersion == 999)
            let expected = CoreReconError.schemaNewer(databaseVersion: 999, knownVersion: Migrations.latestVersion)
            await #expect(throws: expected) { try await services.migrator.migrate() }
            await #expect(throws: expected) { try await services.migrator.prepareForUse(autoMigrate: true) }
        }
    }

    @Test("A migration whose checksum changed is refused", arguments: TestDatabases.backends)
    func modifiedMigration(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            try await services.database.execute("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1")
            #expect(try await services.migrator.status().migrations.first?.status == .modified)
            await #expect {
                try await services.migrator.prepareForUse(autoMigrate: true)
            } throws: { error in
                "\(error)".contains("checksum mismatch")
            }
        }
    }

    @Test("A failing transaction leaves nothing behind", arguments: TestDatabases.backends)
    func rollback(backend: DatabaseBackend) async throws {
        struct Boom: Error {}
        try await TestDatabases.withServices(backend) { services in
            await #expect(throws: Boom.self) {
                try await services.database.transaction { sql in
                    try await sql.raw(
                        """
                        INSERT INTO alerts (fingerprint, fingerprint_basis, origin_key, format, source, product, title,
                                            severity_id, first_seen, last_seen, created_at, updated_at, ocsf)
                        VALUES ('f', '[]', 'k', 'generic', 's', 'p', 't', 3, 0, 0, 0, 0, '{}')
                        """
                    ).run()
                    throw Boom()
                }
            }
            let count = try await services.database.withConnection { sql in
                try await sql.raw("SELECT COUNT(*) AS n FROM alerts").first(decodingColumn: "n", as: Int.self)
            }
            #expect(count == 0)
        }
    }

    @Test("Full-text search finds alerts by words of their search text", arguments: TestDatabases.backends)
    func fullTextSearch(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            for (index, text) in ["Suspicious PowerShell on host-7", "SSH brute force from 10.1.2.3"].enumerated() {
                try await services.database.withConnection { sql in
                    try await sql.raw(
                        """
                        INSERT INTO alerts (fingerprint, fingerprint_basis, origin_key, format, source, product, title,
                                            severity_id, first_seen, last_seen, created_at, updated_at, search_text, ocsf)
                        VALUES (\(bind: "f\(index)"), '[]', \(bind: "k\(index)"), 'generic', 's', 'p', \(bind: text), 3,
                                0, 0, 0, 0, \(bind: text), '{}')
                        """
                    ).run()
                    // SQLite's index is contentless (migration 20): the batch writer gives it the words.
                    if backend == .sqlite {
                        try await sql.raw(
                            """
                            INSERT INTO alerts_fts (rowid, title, description, search_text)
                            VALUES (\(bind: index + 1), \(bind: text), NULL, '')
                            """
                        ).run()
                    }
                }
            }
            let predicate = backend.alertTextMatch("powershell")
            let titles = try await services.database.withConnection { sql in
                try await sql.raw("SELECT title FROM alerts WHERE \(predicate)").all(
                    decodingColumn: "title", as: String.self)
            }
            #expect(titles == ["Suspicious PowerShell on host-7"])
        }
    }

    @Test(
        "PostgreSQL answers for the store tests",
        .enabled(
            if: TestDatabases.postgresURL != nil,
            "CORERECON_TEST_POSTGRES_URL is not set: store tests ran on SQLite only")
    )
    func postgresReachable() async throws {
        try await TestDatabases.withEmptyDatabase(.postgres) { config in
            try await Database.withDatabase(config, logger: TestDatabases.quietLogger) { database in
                let version = try await database.withConnection { sql in
                    try await sql.raw("SELECT current_setting('server_version_num')::int AS v")
                        .first(decodingColumn: "v", as: Int.self)
                }
                #expect((version ?? 0) >= 130_000)
            }
        }
    }
}
