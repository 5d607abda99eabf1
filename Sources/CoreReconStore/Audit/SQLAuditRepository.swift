import CoreRecon
import Foundation
import SQLKit

/// ``AuditRepository`` over SQL, the same statements on SQLite and PostgreSQL.
public struct SQLAuditRepository: AuditRepository {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    static let columns = "id, at, actor, action, target, summary, prev_hash, hash"

    public func entries(_ query: AuditQuery) async throws -> [AuditEntry] {
        var conditions: [SQLQueryString] = ["1 = 1"]
        if let since = query.since { conditions.append("at >= \(bind: since.milliseconds)") }
        if let actor = query.actor { conditions.append("actor = \(bind: actor)") }
        if let action = query.action {
            conditions.append(
                "(action = \(bind: action) OR action LIKE \(bind: Self.escapeLike(action) + ".%") ESCAPE '\\')")
        }
        if let target = query.target { conditions.append("target = \(bind: target)") }
        var statement: SQLQueryString = "SELECT \(unsafeRaw: Self.columns) FROM audit_log WHERE "
        statement.appendInterpolation(conditions.map { "(\($0))" as SQLQueryString }.joined(separator: " AND "))
        statement.appendLiteral(" ORDER BY id DESC LIMIT \(query.limit)")
        return try await database.withConnection { sql in try await sql.raw(statement).all().map(Self.decode) }
    }

    public func chain(after id: Int64, through last: Int64, limit: Int) async throws -> [AuditEntry] {
        try await database.withConnection { sql in
            try await sql.raw(
                """
                SELECT \(unsafeRaw: Self.columns) FROM audit_log WHERE id > \(bind: id) AND id <= \(bind: last)
                ORDER BY id LIMIT \(unsafeRaw: String(limit))
                """
            ).all().map(Self.decode)
        }
    }

    public func head() async throws -> AuditHead {
        try await database.withConnection { sql in
            guard let row = try await sql.raw("SELECT last_id, last_hash FROM audit_head WHERE id = 1").first() else {
                throw SQLAuditLog.missingHead
            }
            return AuditHead(
                lastID: try row.decode(column: "last_id", as: Int64.self),
                lastHash: try row.decode(column: "last_hash", as: String.self))
        }
    }

    static func decode(_ row: any SQLRow) throws -> AuditEntry {
        AuditEntry(
            id: try row.decode(column: "id", as: Int64.self),
            at: Date(milliseconds: try row.decode(column: "at", as: Int64.self)),
            actor: try row.decode(column: "actor", as: String.self),
            action: try row.decode(column: "action", as: String.self),
            target: try row.decode(column: "target", as: String.self),
            summary: try row.decode(column: "summary", as: String.self),
            previousHash: try row.decode(column: "prev_hash", as: String.self),
            hash: try row.decode(column: "hash", as: String.self))
    }

    static func escapeLike(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
    }
}

/// Appends to the audit log inside a write transaction the caller holds, so the rows commit or roll back with the
/// change they record.
enum SQLAuditLog {
    static let missingHead = CoreReconError.failed(
        "the audit log has no head row; the schema is damaged. Restore the database from a backup.")

    /// Locks the head row (PostgreSQL: `FOR UPDATE`; SQLite: the write transaction already excludes other
    /// writers), chains `events` after the newest row, and moves the head. Concurrent appenders wait for each
    /// other's commit, so the chain stays linear. Call it last in a transaction: the lock is held until commit.
    static func append(_ events: [AuditEvent], on sql: any SQLDatabase, backend: DatabaseBackend) async throws {
        guard !events.isEmpty else { return }
        guard
            let head = try await sql.raw(
                "SELECT last_id, last_hash FROM audit_head WHERE id = 1\(unsafeRaw: backend.lockForUpdate)"
            ).first()
        else { throw missingHead }
        var id = try head.decode(column: "last_id", as: Int64.self)
        var previousHash = try head.decode(column: "last_hash", as: String.self)
        for event in events {
            id += 1
            let entry = AuditEntry(event, id: id, previousHash: previousHash)
            try await sql.raw(
                """
                INSERT INTO audit_log (id, at, actor, action, target, summary, prev_hash, hash)
                VALUES (\(bind: entry.id), \(bind: entry.at.milliseconds), \(bind: entry.actor), \(bind: entry.action),
                        \(bind: entry.target), \(bind: entry.summary), \(bind: entry.previousHash), \(bind: entry.hash))
                """
            ).run()
            previousHash = entry.hash
        }
        try await sql.raw(
            "UPDATE audit_head SET last_id = \(bind: id), last_hash = \(bind: previousHash) WHERE id = 1"
        ).run()
    }
}
