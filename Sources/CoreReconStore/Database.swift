import CoreRecon
import Logging
import SQLKit

/// An open CoreRecon database: SQLite or PostgreSQL behind one SQLKit interface.
///
/// Open one with ``withDatabase(_:logger:_:)``, which also closes it. Repositories get connections from
/// ``withConnection(_:)`` and ``transaction(_:)``; which backend runs underneath never shows in their SQL.
public final class Database: Sendable {
    public let backend: DatabaseBackend
    public let location: DatabaseLocation
    let connections: any ConnectionProvider
    let logger: Logger
    /// How alerts' OCSF documents are compressed, with the dictionaries this process has loaded.
    let documents: DocumentCodec

    init(location: DatabaseLocation, connections: any ConnectionProvider, logger: Logger, compressionLevel: Int32) {
        self.backend = connections.backend
        self.location = location
        self.connections = connections
        self.logger = logger
        self.documents = DocumentCodec(level: compressionLevel)
    }

    /// Opens the database named by `config`, runs `body`, and closes the database however `body` ends.
    ///
    /// Connection problems surface here as ``CoreReconError/unavailable(_:)`` naming the host or file.
    public static func withDatabase<Result: Sendable>(
        _ config: AppConfig,
        logger: Logger,
        _ body: (Database) async throws -> Result
    ) async throws -> Result {
        switch config.database {
        case .sqliteFile, .sqliteMemory:
            let provider = try await SQLiteConnectionProvider.open(config, logger: logger)
            let database = Database(
                location: config.database, connections: provider, logger: logger,
                compressionLevel: config.compressionLevel)
            do {
                let result = try await body(database)
                await provider.close()
                return result
            } catch {
                await provider.close()
                throw error
            }
        case .postgres(let location):
            return try await PostgresConnectionProvider.withProvider(location, config: config, logger: logger) {
                try await body(
                    Database(
                        location: config.database, connections: $0, logger: logger,
                        compressionLevel: config.compressionLevel))
            }
        }
    }

    /// Runs `body` with one connection to itself (no other task uses it meanwhile).
    public func withConnection<Result: Sendable>(
        _ body: (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        do {
            return try await connections.withConnection(body)
        } catch {
            throw connections.translate(error)
        }
    }

    /// Runs `body` with a connection for reading only: on SQLite with readers (`serve`), one of the read-only
    /// connections, so lists do not queue behind each other or behind writes.
    public func read<Result: Sendable>(
        _ body: (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        do {
            return try await connections.withReadConnection(body)
        } catch {
            throw connections.translate(error)
        }
    }

    /// Runs `body` in a write transaction: committed when it returns, rolled back when it throws.
    public func transaction<Result: Sendable>(
        _ body: (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        try await withConnection { connection in
            try await Self.transaction(on: connection, backend: backend, body)
        }
    }

    /// Runs `body` in a write transaction on a connection the caller already holds.
    static func transaction<Result: Sendable>(
        on connection: any SQLDatabase,
        backend: DatabaseBackend,
        _ body: (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        try await connection.raw(SQLQueryString(backend.beginWriteTransaction)).run()
        do {
            let result = try await body(connection)
            try await connection.raw("COMMIT").run()
            return result
        } catch {
            // The original error matters more than a failed rollback (the connection may already be gone).
            try? await connection.raw("ROLLBACK").run()
            throw error
        }
    }
}

/// Hands out connections of one backend and explains its driver's errors in CoreRecon's terms.
protocol ConnectionProvider: Sendable {
    var backend: DatabaseBackend { get }
    func withConnection<Result: Sendable>(_ body: (any SQLDatabase) async throws -> Result) async throws -> Result
    func withReadConnection<Result: Sendable>(_ body: (any SQLDatabase) async throws -> Result) async throws -> Result
    /// Turns a driver error into a ``CoreReconError``; other errors pass through.
    func translate(_ error: any Error) -> any Error
}

extension Database {
    /// Runs one statement that returns no rows. For administration and tests; repositories build queries with binds.
    public func execute(_ statement: String) async throws {
        try await withConnection { try await $0.raw(SQLQueryString(statement)).run() }
    }
}

extension Database {
    /// Runs `handler` for every PostgreSQL notification on `channel` until the task is cancelled. Nil on SQLite,
    /// which has no notifications (and runs one instance).
    public func listen(_ channel: String, _ handler: @escaping @Sendable (String) async -> Void) async throws -> Bool {
        guard let postgres = connections as? PostgresConnectionProvider else { return false }
        do {
            try await postgres.listen(channel, handler)
        } catch {
            throw connections.translate(error)
        }
        return true
    }
}

extension Database {
    /// Fails unless the database answers a trivial query.
    public func ping() async throws {
        try await withConnection { try await $0.raw("SELECT 1").run() }
    }
}
