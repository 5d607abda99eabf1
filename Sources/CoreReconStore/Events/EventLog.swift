import CoreRecon
import Foundation
import SQLKit

/// One event of the stream, as stored: its id is the cursor.
public struct StoredEvent: Sendable, Equatable {
    public var id: Int64
    public var at: Date
    /// `alert.created`, `incident.updated`, ...
    public var type: String
    /// `alerts`, `incidents` or `playbooks` (runs).
    public var channel: String
    public var severity: Severity?
    public var source: String?
    public var assignee: String?
    /// The resource, as JSON.
    public var payload: String

    public init(
        id: Int64 = 0, at: Date, type: String, channel: String, severity: Severity?, source: String?,
        assignee: String?, payload: String
    ) {
        self.id = id
        self.at = at
        self.type = type
        self.channel = channel
        self.severity = severity
        self.source = source
        self.assignee = assignee
        self.payload = payload
    }

    /// The event for a committed change, its resource serialized once.
    public init(_ change: ChangeEvent, at: Date) {
        switch change {
        case .alert(let event):
            var bytes: [UInt8] = []
            event.alert.jsonObject().write(to: &bytes)
            self.init(
                at: at, type: event.kind.rawValue, channel: "alerts", severity: event.alert.severity,
                source: event.alert.source, assignee: event.alert.assignee,
                payload: String(decoding: bytes, as: UTF8.self))
        case .incident(let event):
            let payload = (try? Self.encoder.encode(event.incident)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
            self.init(
                at: at, type: event.kind.rawValue, channel: "incidents", severity: event.incident.severity,
                source: nil, assignee: event.incident.assignee, payload: payload)
        }
    }

    static let encoder = JSONEncoder.rfc3339Encoder()

    /// The message sent to stream clients: `{"type":..., "cursor":..., "at":..., "alert"|"incident"|"run": {...}}`.
    public var message: String {
        let resource = channel == "alerts" ? "alert" : channel == "playbooks" ? "run" : "incident"
        return
            #"{"type":"\#(type)","cursor":"\#(id)","at":"\#(ISO8601Format.string(from: at))","\#(resource)":\#(payload)}"#
    }
}

/// The events table, a transactional outbox: every change writes its event rows in its own transaction (see
/// ``append(_:at:on:backend:)``); each server instance delivers new rows to its stream clients in id order, and
/// clients resume from a cursor.
public struct EventLog: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// How long events are kept for stream clients resuming with `since=`.
    public static let retention: TimeInterval = 86_400

    /// The PostgreSQL channel that announces new events to every instance.
    public static let channel = "corerecon_events"

    /// Writes the events of `changes` inside the transaction that makes them (the transactional outbox): the
    /// change and its events commit together or not at all, whichever process makes the change.
    ///
    /// Call it last in the transaction, after the audit row: on PostgreSQL it takes the events' advisory lock,
    /// held to commit, and every writer must take the audit head's row lock before it, never after.
    static func append(
        _ changes: [ChangeEvent], at: Date, on sql: any SQLDatabase, backend: DatabaseBackend
    ) async throws {
        guard !changes.isEmpty else { return }
        _ = try await append(changes.map { StoredEvent($0, at: at) }, on: sql, backend: backend)
    }

    /// Appends `events` inside the caller's transaction and returns them with their ids. On PostgreSQL the
    /// appends of all processes are serialized (an advisory lock held to commit), so ids become visible in order
    /// and a reader that has seen id N never later finds a smaller one; the commit is announced with NOTIFY. On
    /// SQLite the database's single writer gives the same order.
    static func append(_ events: [StoredEvent], on sql: any SQLDatabase, backend: DatabaseBackend) async throws
        -> [StoredEvent]
    {
        guard !events.isEmpty else { return [] }
        if backend == .postgres {
            try await sql.raw("SELECT pg_advisory_xact_lock(\(unsafeRaw: String(Self.lockKey)))").run()
        }
        var stored: [StoredEvent] = []
        stored.reserveCapacity(events.count)
        let perStatement = PlainStatement.rowsPerStatement(backend, columns: 7)
        var start = 0
        while start < events.count {
            let chunk = events[start..<min(start + perStatement, events.count)]
            var statement = PlainStatement(
                backend, "INSERT INTO events (at, type, channel, severity_id, source, assignee, payload) ")
            // The payload is a zstd frame (``EventDictionary``) on both backends (PostgreSQL from migration 18).
            let frames = try EventDictionary.encode(chunk.map(\.payload))
            statement.bindColumns(
                [.int8, .text, .text, .int8, .text, .text, .bytea],
                rows: zip(chunk, frames).map { event, frame in
                    [
                        PlainValue(event.at.milliseconds), PlainValue(event.type), PlainValue(event.channel),
                        event.severity.map { PlainValue($0.rawValue) } ?? .null, PlainValue(event.source),
                        PlainValue(event.assignee), PlainValue(frame),
                    ]
                })
            statement.append(" RETURNING id")
            let ids = try await sql.run(statement).map { try $0.int64(0) }.sorted()
            for (event, id) in zip(chunk, ids) {
                var event = event
                event.id = id
                stored.append(event)
            }
            start += perStatement
        }
        if backend == .postgres {
            try await sql.raw("SELECT pg_notify(\(bind: Self.channel), \(bind: String(stored.last?.id ?? 0)))").run()
        }
        return stored
    }

    /// "corerecon_events" as a 64-bit advisory lock key.
    static let lockKey: Int64 = 0x636F_7265_6576_656E

    /// Events after `cursor`, oldest first, at most `limit`.
    public func events(after cursor: Int64, limit: Int = 1_000) async throws -> [StoredEvent] {
        try await database.withConnection { sql in try await Self.events(after: cursor, limit: limit, on: sql) }
    }

    /// Events after `cursor` read on a connection the caller holds (inside its transaction).
    static func events(after cursor: Int64, limit: Int, on sql: any SQLDatabase) async throws -> [StoredEvent] {
        // SQLite: as bytes even where an older row holds text.
        let payload = sql.dialect.name == "sqlite" ? "CAST(payload AS BLOB)" : "payload"
        return try await sql.raw(
            """
            SELECT id, at, type, channel, severity_id, source, assignee, \(unsafeRaw: payload) AS payload FROM events
            WHERE id > \(bind: cursor) ORDER BY id LIMIT \(unsafeRaw: String(limit))
            """
        ).all().map { row in
            StoredEvent(
                id: try row.decode(column: "id", as: Int64.self),
                at: Date(milliseconds: try row.decode(column: "at", as: Int64.self)),
                type: try row.decode(column: "type", as: String.self),
                channel: try row.decode(column: "channel", as: String.self),
                severity: try row.decode(column: "severity_id", as: Int?.self).flatMap(Severity.init(rawValue:)),
                source: try row.decode(column: "source", as: String?.self),
                assignee: try row.decode(column: "assignee", as: String?.self),
                payload: try EventDictionary.decode(Array(try row.decode(column: "payload", as: Data.self))))
        }
    }

    /// The oldest and newest ids kept, or nil when there are none.
    public func bounds() async throws -> (oldest: Int64, newest: Int64)? {
        try await database.withConnection { sql in
            guard let row = try await sql.raw("SELECT MIN(id) AS oldest, MAX(id) AS newest FROM events").first(),
                let oldest = try row.decode(column: "oldest", as: Int64?.self),
                let newest = try row.decode(column: "newest", as: Int64?.self)
            else { return nil }
            return (oldest, newest)
        }
    }

    /// Deletes events older than `date` from the oldest on, up to the first that is not, but none after
    /// `keepingAfter` (the lowest cursor of a consumer that has still to read them: the notification router, the
    /// playbook runner); returns how many.
    ///
    /// Ids follow commits and `at` each batch's clock, so times may step back a little between processes; an event
    /// stamped older than one before it then waits for that one, a minute later. Finding where to stop walks the
    /// primary key from its start and reads only what is deleted, with no index on `at` to keep up at every write.
    @discardableResult
    public func prune(before date: Date, keepingAfter bound: Int64? = nil) async throws -> Int {
        try await database.withConnection { sql in
            let unread: SQLQueryString = bound.map { " AND id <= \(bind: $0)" } ?? ""
            return try await sql.raw(
                """
                DELETE FROM events WHERE id < COALESCE(
                    (SELECT id FROM events WHERE at >= \(bind: date.milliseconds) ORDER BY id LIMIT 1),
                    \(bind: Int64.max))\(unread)
                RETURNING id
                """
            ).all().count
        }
    }
}
