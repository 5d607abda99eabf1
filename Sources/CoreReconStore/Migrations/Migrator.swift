import CoreRecon
import Foundation
import Logging
import SQLKit

/// A migration as recorded in, or missing from, a database.
public struct MigrationState: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable {
        /// Applied, with the checksum this binary expects.
        case applied
        /// Known to this binary, not applied yet.
        case pending
        /// Applied, but its statements differ from this binary's: someone edited a shipped migration.
        case modified
        /// Applied by a newer corerecon; this binary does not know it.
        case unknown
    }

    public var version: Int
    public var name: String
    public var status: Status
    public var appliedAt: Date?
    public var checksum: String
}

/// Everything `corerecon migrate status` reports.
public struct SchemaStatus: Sendable, Equatable {
    public var backend: DatabaseBackend
    public var location: String
    public var migrations: [MigrationState]

    /// The highest applied version, 0 for an empty database.
    public var currentVersion: Int {
        migrations.filter { $0.status != .pending }.map(\.version).max() ?? 0
    }
    public var latestKnownVersion: Int { migrations.filter { $0.status != .unknown }.map(\.version).max() ?? 0 }
    public var pending: [MigrationState] { migrations.filter { $0.status == .pending } }
    public var isCurrent: Bool { migrations.allSatisfy { $0.status == .applied } }
}

/// Applies migrations and reports on them. Each migration runs in its own transaction and is recorded in
/// `schema_migrations` with its checksum. On PostgreSQL an advisory lock keeps two concurrent runs from both
/// applying; on SQLite the write lock of `BEGIN IMMEDIATE` does, and each run re-checks inside its transaction.
public struct Migrator: Sendable {
    let database: Database
    let migrations: [any Migration]
    let logger: Logger
    let now: @Sendable () -> Date

    public init(
        database: Database,
        migrations: [any Migration] = Migrations.all,
        logger: Logger,
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.database = database
        self.migrations = migrations
        self.logger = logger
        self.now = now
    }

    private var backend: DatabaseBackend { database.backend }

    /// Lists applied, pending, modified and unknown migrations without changing anything.
    public func status() async throws -> SchemaStatus {
        try await database.withConnection { connection in
            try await status(on: connection)
        }
    }

    /// Applies every pending migration and returns the ones this run applied (empty when already current).
    @discardableResult
    public func migrate() async throws -> [MigrationState] {
        try await database.withConnection { connection in
            try await withMigrationLock(on: connection) {
                try await connection.raw(
                    """
                    CREATE TABLE IF NOT EXISTS schema_migrations (
                        version INTEGER PRIMARY KEY,
                        name TEXT NOT NULL,
                        checksum TEXT NOT NULL,
                        applied_at BIGINT NOT NULL,
                        duration_ms BIGINT NOT NULL
                    )
                    """
                ).run()
                try check(try await status(on: connection), allowPending: true)

                var applied: [MigrationState] = []
                for migration in migrations {
                    if let state = try await apply(migration, on: connection) {
                        applied.append(state)
                    }
                }
                return applied
            }
        }
    }

    /// Makes sure the schema is exactly what this binary expects before a command uses the database.
    ///
    /// Pending migrations are applied when `autoMigrate` is set (the embedded SQLite default); otherwise the
    /// command is refused with "run `corerecon migrate`".
    public func prepareForUse(autoMigrate: Bool) async throws {
        let status = try await status()
        try check(status, allowPending: autoMigrate)
        if !status.pending.isEmpty {
            let applied = try await migrate()
            if !applied.isEmpty {
                logger.info("Database migrated", metadata: ["schema.version": "\(applied.last?.version ?? 0)"])
            }
        }
    }

    private func check(_ status: SchemaStatus, allowPending: Bool) throws {
        if let newest = status.migrations.filter({ $0.status == .unknown }).map(\.version).max() {
            throw CoreReconError.schemaNewer(databaseVersion: newest, knownVersion: status.latestKnownVersion)
        }
        if let modified = status.migrations.first(where: { $0.status == .modified }) {
            throw CoreReconError.failed(
                "migration \(modified.version) (\(modified.name)) in the database differs from the one in this "
                    + "corerecon (checksum mismatch). The schema was changed by hand or by a modified build; restore "
                    + "the database from a backup or use the corerecon that migrated it."
            )
        }
        if !allowPending && !status.pending.isEmpty {
            throw CoreReconError.schemaBehind(pending: status.pending.map(\.version))
        }
    }

    private func status(on connection: any SQLDatabase) async throws -> SchemaStatus {
        var recorded: [Int: (name: String, checksum: String, appliedAt: Int64)] = [:]
        let hasTable = try await !connection.raw(SQLQueryString(backend.tableExistsQuery("schema_migrations")))
            .all().isEmpty
        if hasTable {
            let rows = try await connection.raw("SELECT version, name, checksum, applied_at FROM schema_migrations")
                .all()
            for row in rows {
                recorded[try row.decode(column: "version", as: Int.self)] = (
                    try row.decode(column: "name", as: String.self),
                    try row.decode(column: "checksum", as: String.self),
                    try row.decode(column: "applied_at", as: Int64.self)
                )
            }
        }

        var states: [MigrationState] = migrations.map { migration in
            let expected = migration.checksum(for: backend)
            guard let record = recorded.removeValue(forKey: migration.version) else {
                return MigrationState(
                    version: migration.version, name: migration.name, status: .pending, checksum: expected)
            }
            return MigrationState(
                version: migration.version,
                name: migration.name,
                status: record.checksum == expected ? .applied : .modified,
                appliedAt: Date(milliseconds: record.appliedAt),
                checksum: record.checksum
            )
        }
        states += recorded.map { version, record in
            MigrationState(
                version: version,
                name: record.name,
                status: .unknown,
                appliedAt: Date(milliseconds: record.appliedAt),
                checksum: record.checksum
            )
        }
        states.sort { $0.version < $1.version }
        return SchemaStatus(backend: backend, location: database.location.description, migrations: states)
    }

    /// Applies one migration unless a concurrent run got there first; returns its state when this run applied it.
    private func apply(_ migration: any Migration, on connection: any SQLDatabase) async throws -> MigrationState? {
        try await Database.transaction(on: connection, backend: backend) { connection in
            let existing = try await connection.raw(
                "SELECT 1 FROM schema_migrations WHERE version = \(bind: migration.version)"
            ).all()
            guard existing.isEmpty else { return nil }

            let started = ContinuousClock.now
            for statement in migration.statements(for: backend) {
                try await connection.raw(SQLQueryString(statement)).run()
            }
            let elapsed = ContinuousClock.now - started
            let appliedAt = now()
            let checksum = migration.checksum(for: backend)
            try await connection.raw(
                """
                INSERT INTO schema_migrations (version, name, checksum, applied_at, duration_ms)
                VALUES (\(bind: migration.version), \(bind: migration.name), \(bind: checksum),
                        \(bind: appliedAt.milliseconds), \(bind: elapsed.milliseconds))
                """
            ).run()
            logger.info(
                "Migration applied",
                metadata: ["migration.version": "\(migration.version)", "migration.name": "\(migration.name)"]
            )
            return MigrationState(
                version: migration.version, name: migration.name, status: .applied, appliedAt: appliedAt,
                checksum: checksum)
        }
    }

    /// Holds PostgreSQL's advisory lock for this schema while `body` runs; SQLite needs none (see the type doc).
    private func withMigrationLock<Result: Sendable>(
        on connection: any SQLDatabase,
        _ body: () async throws -> Result
    ) async throws -> Result {
        guard backend == .postgres else { return try await body() }
        let key = "hashtext('corerecon.migrate:' || current_schema())"
        try await connection.raw("SELECT pg_advisory_lock(\(unsafeRaw: key))").run()
        do {
            let result = try await body()
            try await connection.raw("SELECT pg_advisory_unlock(\(unsafeRaw: key))").run()
            return result
        } catch {
            try? await connection.raw("SELECT pg_advisory_unlock(\(unsafeRaw: key))").run()
            throw error
        }
    }
}
