import CoreRecon
import CoreReconStore
import Foundation
import Logging

/// Temporary databases for tests: a fresh SQLite file, or a fresh schema on the PostgreSQL server named by
/// `CORERECON_TEST_POSTGRES_URL` (CI always sets it). Each is removed when the test ends.
public enum TestDatabases {
    /// The PostgreSQL server for tests, when configured.
    public static var postgresURL: String? {
        ProcessInfo.processInfo.environment["CORERECON_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The backends store tests run on: SQLite always, PostgreSQL when `CORERECON_TEST_POSTGRES_URL` is set.
    public static var backends: [DatabaseBackend] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    /// A logger that drops everything, so tests stay quiet without touching the global logging system.
    public static let quietLogger = Logger(label: "corerecon.test") { _ in SwiftLogNoOpLogHandler() }

    /// Runs `body` with the configuration of a new, empty database of `backend`, then deletes the database.
    public static func withEmptyDatabase<Result: Sendable>(
        _ backend: DatabaseBackend,
        autoMigrate: Bool = false,
        _ body: (AppConfig) async throws -> Result
    ) async throws -> Result {
        switch backend {
        case .sqlite:
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let config = AppConfig(database: .sqliteFile(path: directory.path + "/test.db"), autoMigrate: autoMigrate)
            return try await body(config)
        case .postgres:
            guard let url = postgresURL else {
                throw CoreReconError.configuration("CORERECON_TEST_POSTGRES_URL is not set.")
            }
            let admin = AppConfig(database: try DatabaseLocation(url: url), autoMigrate: false)
            let schema = "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            try await execute("CREATE SCHEMA \(schema)", on: admin)
            do {
                guard case .postgres(var location) = admin.database else { preconditionFailure() }
                location.parameters["search_path"] = schema
                // Pooled, as `serve` runs: store tests exercise real concurrency (one-shot commands use one
                // connection, and the CLI tests run those).
                var config = AppConfig(database: .postgres(location), autoMigrate: autoMigrate)
                config.connectionPool = true
                let result = try await body(config)
                try await execute("DROP SCHEMA \(schema) CASCADE", on: admin)
                return result
            } catch {
                try? await execute("DROP SCHEMA \(schema) CASCADE", on: admin)
                throw error
            }
        }
    }

    /// The URL of `config`'s database, for a `corerecon` process beside the test.
    public static func url(_ config: AppConfig) -> String {
        switch config.database {
        case .sqliteFile(let path): "sqlite://\(path)"
        case .sqliteMemory: "sqlite::memory:"
        case .postgres(let location): location.connectionURL
        }
    }

    /// Runs `body` with services over a new, migrated database of `backend`.
    public static func withServices<Result: Sendable>(
        _ backend: DatabaseBackend,
        now: @escaping @Sendable () -> Date = Date.init,
        configure: (inout AppConfig) -> Void = { _ in },
        _ body: (AppServices) async throws -> Result
    ) async throws -> Result {
        try await withEmptyDatabase(backend) { config in
            var config = config
            configure(&config)
            return try await Database.withDatabase(config, logger: quietLogger) { database in
                let services = AppServices(config: config, database: database, logger: quietLogger, now: now)
                try await services.migrator.migrate()
                return try await body(services)
            }
        }
    }

    private static func execute(_ statement: String, on config: AppConfig) async throws {
        try await Database.withDatabase(config, logger: quietLogger) { database in
            try await database.execute(statement)
        }
    }
}

/// A directory under the system's temporary directory, removed by ``remove()``.
public struct TemporaryDirectory: Sendable {
    public let path: String

    public init() throws {
        path = NSTemporaryDirectory() + "corerecon-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// A clock tests move by hand, for durations that must come out exact.
public final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    public init(_ start: Date = Date(timeIntervalSince1970: 1_795_000_000)) {
        current = start
    }

    public var now: Date { lock.withLock { current } }

    public func advance(_ seconds: TimeInterval) {
        lock.withLock { current += seconds }
    }

    /// The clock as the `now` closure services take.
    public var closure: @Sendable () -> Date { { [self] in now } }
}
