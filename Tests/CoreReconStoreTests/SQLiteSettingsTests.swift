import CoreRecon
import CoreReconStore
import CoreReconTestSupport
import Foundation
import SQLKit
import Testing

@Suite("SQLite connection settings")
struct SQLiteSettingsTests {
    @Test("The writer runs in WAL mode with the configured page cache; readers cannot write")
    func writerAndReaders() async throws {
        for cacheMiB in [64, 32] {
            try await TestDatabases.withEmptyDatabase(.sqlite) { config in
                var config = config
                config.sqliteWriterCacheMiB = cacheMiB
                config.sqliteReaders = 1
                config.busyTimeout = .milliseconds(1_500)
                let (writer, reader, readerWrote) = try await Database.withDatabase(
                    config, logger: TestDatabases.quietLogger
                ) { database in
                    let writer = try await database.withConnection { sql in
                        try await Self.pragmas(["journal_mode", "synchronous", "cache_size", "busy_timeout"], on: sql)
                    }
                    let (reader, readerWrote) = try await database.read { sql in
                        let reader = try await Self.pragmas(["query_only"], on: sql)
                        let wrote = (try? await sql.raw("CREATE TABLE written (x)").run()) != nil
                        return (reader, wrote)
                    }
                    return (writer, reader, readerWrote)
                }
                #expect(writer == ["wal", "1", String(-cacheMiB * 1024), "1500"])
                #expect(reader == ["1"])
                #expect(!readerWrote)
            }
        }
    }

    private static func pragmas(_ names: [String], on sql: any SQLDatabase) async throws -> [String] {
        var values: [String] = []
        for name in names {
            guard let row = try await sql.raw(SQLQueryString("PRAGMA \(name)")).first() else { continue }
            let column = row.allColumns[0]
            if let text = try? row.decode(column: column, as: String.self) {
                values.append(text)
            } else {
                values.append(try row.decode(column: column, as: Int.self).description)
            }
        }
        return values
    }
}
