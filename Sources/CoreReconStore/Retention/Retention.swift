import CoreRecon
import Foundation
import SQLKit

/// What a purge removed (or, dry, would remove).
public struct PurgeSummary: Codable, Sendable, Equatable {
    /// `alerts` or `incidents`.
    public var kind: String
    /// Alerts last seen, or incidents closed, before this.
    public var cutoff: Date
    public var statuses: [String]?
    public var purged: Int
    /// Alerts old enough but linked to an incident that is not closed: never purged.
    public var keptForOpenIncidents: Int
    /// The oldest and newest alert last seen (incident closed) among those purged.
    public var oldest: Date?
    public var newest: Date?
    /// Evidence files no incident holds any more, removed with the incidents.
    public var evidenceFiles: Int
    public var batches: Int
    public var dryRun: Bool
    public var seconds: Double

    /// Counts one batch of `count` rows whose times (milliseconds) ran from `oldest` to `newest`.
    mutating func add(_ count: Int, from oldest: Int64, to newest: Int64) {
        purged += count
        batches += 1
        self.oldest = min(self.oldest ?? Date(milliseconds: oldest), Date(milliseconds: oldest))
        self.newest = max(self.newest ?? Date(milliseconds: newest), Date(milliseconds: newest))
    }
}

/// Ages data out: alerts last seen before a cutoff (optionally only in some statuses, never one linked to an
/// incident that is not closed), and closed incidents with their evidence, observables, timeline, tasks and
/// history.
///
/// Deletes go in batches, each its own short transaction with its audit entry (the count and time range, not the
/// rows), sized by a ``PurgePacing`` so that writers wait at most one short batch; the audit log itself is never
/// purged.
public struct Retention: Sendable {
    let database: Database
    let now: @Sendable () -> Date
    let pacing: PurgePacing

    public init(
        database: Database, now: @escaping @Sendable () -> Date = Date.init, pacing: PurgePacing = PurgePacing()
    ) {
        self.database = database
        self.now = now
        self.pacing = pacing
    }

    /// Alerts no open incident holds: `alerts a` in the statements below.
    static let notInOpenIncident = """
        NOT EXISTS (SELECT 1 FROM incident_alerts ia JOIN incidents i ON i.id = ia.incident_id
                    WHERE ia.alert_id = a.id AND i.state <> 'closed')
        """

    public func purgeAlerts(
        olderThan cutoff: Date, statuses: [AlertStatus]? = nil, dryRun: Bool = false, actor: String
    ) async throws -> PurgeSummary {
        let started = ContinuousClock.now
        let statusNames = statuses.map { $0.map(\.rawValue) }
        var filter = SQLQueryString("a.last_seen < \(bind: cutoff.milliseconds)")
        if let statusNames {
            filter.appendInterpolation(unsafeRaw: " AND a.status IN (")
            for (index, status) in statusNames.enumerated() {
                if index > 0 { filter.appendInterpolation(unsafeRaw: ", ") }
                filter.appendInterpolation(bind: status)
            }
            filter.appendInterpolation(unsafeRaw: ")")
        }
        let kept =
            try await database.withConnection { sql in
                try await sql.raw(
                    "SELECT COUNT(*) AS n FROM alerts a WHERE \(filter) AND NOT (\(unsafeRaw: Self.notInOpenIncident))"
                ).first(decodingColumn: "n", as: Int.self)
            } ?? 0
        var summary = PurgeSummary(
            kind: "alerts", cutoff: cutoff, statuses: statusNames, purged: 0, keptForOpenIncidents: kept, oldest: nil,
            newest: nil, evidenceFiles: 0, batches: 0, dryRun: dryRun, seconds: 0)
        if dryRun {
            try await count(
                into: &summary,
                """
                SELECT COUNT(*) AS n, MIN(a.last_seen) AS oldest, MAX(a.last_seen) AS newest FROM alerts a
                WHERE \(filter) AND \(unsafeRaw: Self.notInOpenIncident)
                """)
        } else {
            var pacer = pacing.start(backend: database.backend)
            while true {
                let size = pacer.size
                let began = ContinuousClock.now
                let batch = try await database.transaction { sql -> (count: Int, oldest: Int64, newest: Int64)? in
                    let rows = try await sql.raw(
                        """
                        SELECT a.id, a.last_seen FROM alerts a WHERE \(filter) AND \(unsafeRaw: Self.notInOpenIncident)
                        ORDER BY a.last_seen LIMIT \(unsafeRaw: String(size))
                        """
                    ).all()
                    let ids = try rows.map { try $0.decode(column: "id", as: Int64.self) }
                    let seen = try rows.map { try $0.decode(column: "last_seen", as: Int64.self) }
                    guard !ids.isEmpty, let oldest = seen.min(), let newest = seen.max() else { return nil }
                    let list = SQLList(ids.map { SQLBind($0) })
                    try await sql.raw("DELETE FROM sla_clocks WHERE target = 'alert' AND target_id IN (\(list))").run()
                    // The rest goes with the alert (ON DELETE CASCADE; the full-text index by its trigger). Counted
                    // as deleted here: another server purging at once may have taken some.
                    let deleted = try await sql.raw("DELETE FROM alerts WHERE id IN (\(list)) RETURNING id").all().count
                    guard deleted > 0 else { return (0, oldest, newest) }
                    try await SQLAuditLog.append(
                        [
                            AuditEvent(
                                at: now(), actor: actor, action: "alert.purge", target: "alerts",
                                summary: AuditSummary(after: [
                                    "count": "\(deleted)",
                                    "lastSeenFrom": ISO8601Format.string(milliseconds: oldest),
                                    "lastSeenTo": ISO8601Format.string(milliseconds: newest),
                                    "olderThan": ISO8601Format.string(from: cutoff),
                                    "statuses": statusNames?.joined(separator: ",") ?? "any",
                                ]))
                        ], on: sql, backend: database.backend)
                    return (deleted, oldest, newest)
                }
                guard let batch else { break }
                if batch.count > 0 { summary.add(batch.count, from: batch.oldest, to: batch.newest) }
                try await pacer.finished(after: ContinuousClock.now - began)
            }
        }
        summary.seconds = (ContinuousClock.now - started).seconds
        return summary
    }

    /// Closed incidents closed before `cutoff`, with what they hold; the alerts they held stay (alert purge ages
    /// those out by their own dates).
    public func purgeIncidents(closedBefore cutoff: Date, dryRun: Bool = false, actor: String) async throws
        -> PurgeSummary
    {
        let started = ContinuousClock.now
        let filter = SQLQueryString("state = 'closed' AND closed_at < \(bind: cutoff.milliseconds)")
        var summary = PurgeSummary(
            kind: "incidents", cutoff: cutoff, statuses: ["closed"], purged: 0, keptForOpenIncidents: 0, oldest: nil,
            newest: nil, evidenceFiles: 0, batches: 0, dryRun: dryRun, seconds: 0)
        if dryRun {
            try await count(
                into: &summary,
                "SELECT COUNT(*) AS n, MIN(closed_at) AS oldest, MAX(closed_at) AS newest FROM incidents WHERE \(filter)"
            )
        } else {
            var pacer = pacing.start(backend: database.backend)
            while true {
                let size = pacer.size
                let began = ContinuousClock.now
                let batch = try await database.transaction {
                    sql -> (count: Int, oldest: Int64, newest: Int64, files: Int)? in
                    let rows = try await sql.raw(
                        """
                        SELECT id, closed_at FROM incidents WHERE \(filter)
                        ORDER BY closed_at LIMIT \(unsafeRaw: String(size))
                        """
                    ).all()
                    let ids = try rows.map { try $0.decode(column: "id", as: Int64.self) }
                    let closed = try rows.map { try $0.decode(column: "closed_at", as: Int64.self) }
                    guard !ids.isEmpty, let oldest = closed.min(), let newest = closed.max() else { return nil }
                    let list = SQLList(ids.map { SQLBind($0) })
                    let hashes = try await sql.raw(
                        "SELECT DISTINCT sha256 FROM incident_evidence WHERE incident_id IN (\(list))"
                    ).all(decodingColumn: "sha256", as: String.self)
                    try await sql.raw("DELETE FROM sla_clocks WHERE target = 'incident' AND target_id IN (\(list))")
                        .run()
                    try await sql.raw("DELETE FROM incidents WHERE id IN (\(list))").run()
                    // Content is shared between incidents: a file goes when no incident holds it any more.
                    var files = 0
                    if !hashes.isEmpty {
                        let hashList = SQLList(hashes.map { SQLBind($0) })
                        files =
                            try await sql.raw(
                                """
                                DELETE FROM evidence_blobs WHERE sha256 IN (\(hashList))
                                AND NOT EXISTS (SELECT 1 FROM incident_evidence e WHERE e.sha256 = evidence_blobs.sha256)
                                RETURNING sha256
                                """
                            ).all().count
                    }
                    try await SQLAuditLog.append(
                        [
                            AuditEvent(
                                at: now(), actor: actor, action: "incident.purge", target: "incidents",
                                summary: AuditSummary(after: [
                                    "count": "\(ids.count)",
                                    "closedFrom": ISO8601Format.string(milliseconds: oldest),
                                    "closedTo": ISO8601Format.string(milliseconds: newest),
                                    "closedBefore": ISO8601Format.string(from: cutoff),
                                    "evidenceFiles": "\(files)",
                                ]))
                        ], on: sql, backend: database.backend)
                    return (ids.count, oldest, newest, files)
                }
                guard let batch else { break }
                summary.add(batch.count, from: batch.oldest, to: batch.newest)
                summary.evidenceFiles += batch.files
                if batch.count < size { break }
                try await pacer.finished(after: ContinuousClock.now - began)
            }
        }
        summary.seconds = (ContinuousClock.now - started).seconds
        return summary
    }

    /// A dry run's count and time range, from a query of `n`, `oldest` and `newest`.
    private func count(into summary: inout PurgeSummary, _ query: SQLQueryString) async throws {
        let row = try await database.withConnection { sql in try await sql.raw(query).first() }
        summary.purged = try row?.decode(column: "n", as: Int.self) ?? 0
        summary.oldest = try row?.decode(column: "oldest", as: Int64?.self).map(Date.init(milliseconds:))
        summary.newest = try row?.decode(column: "newest", as: Int64?.self).map(Date.init(milliseconds:))
    }

    /// Space freed inside a SQLite file that new data will reuse (pages on its free list); nil on PostgreSQL.
    public func reusableBytes() async throws -> Int64? {
        guard database.backend == .sqlite else { return nil }
        return try await database.withConnection { sql in
            let pages = try await sql.raw("PRAGMA freelist_count").first(
                decodingColumn: "freelist_count", as: Int64.self)
            let size = try await sql.raw("PRAGMA page_size").first(decodingColumn: "page_size", as: Int64.self)
            return (pages ?? 0) * (size ?? 0)
        }
    }
}

/// How purges size their batches and space them out.
///
/// A batch holds the database's write lock while it deletes, and every other writer waits: the webhook of a
/// running `serve`, an ingest. How long a row takes to delete depends on what it holds and on the database's
/// size, so a fixed count cannot bound that wait; instead each batch is sized from the time the one before took,
/// to hold the lock about ``lockBudget``.
///
/// On SQLite the purge then pauses as long again (at least ``minimumPause``, at most a second). A writer in another process that
/// found the lock taken sleeps in SQLite's busy handler (1, 2, 5, 10, 15, 20, 25 ms ... between tries), and a
/// purge that began its next batch at once would find it still asleep, time after time. PostgreSQL locks rows,
/// not the database, and needs no pause.
public struct PurgePacing: Sendable {
    public var lockBudget: Duration
    public var minimumPause: Duration
    /// The first batch's size, and the bounds of every later one.
    public var initialSize: Int
    public var sizes: ClosedRange<Int>

    public init(
        lockBudget: Duration = .milliseconds(25), minimumPause: Duration = .milliseconds(25), initialSize: Int = 100,
        sizes: ClosedRange<Int> = 10...2_000
    ) {
        self.lockBudget = lockBudget
        self.minimumPause = minimumPause
        self.initialSize = sizes.clamp(initialSize)
        self.sizes = sizes
    }

    /// Batches of exactly `size` rows, without pauses.
    public static func fixed(_ size: Int) -> PurgePacing {
        PurgePacing(lockBudget: .zero, minimumPause: .zero, initialSize: size, sizes: size...size)
    }

    func start(backend: DatabaseBackend) -> Pacer { Pacer(pacing: self, pauses: backend == .sqlite, size: initialSize) }

    struct Pacer {
        let pacing: PurgePacing
        let pauses: Bool
        /// Rows the next batch takes.
        private(set) var size: Int

        init(pacing: PurgePacing, pauses: Bool, size: Int) {
            self.pacing = pacing
            self.pauses = pauses
            self.size = size
        }

        /// The pause after a batch that took `elapsed`, and the next batch's size.
        mutating func next(after elapsed: Duration) -> Duration {
            if pacing.sizes.count > 1, elapsed > .zero {
                // At most doubled or halved at a step: one slow batch (a checkpoint, a cold page) is not a trend.
                let ratio = min(max(pacing.lockBudget / elapsed, 0.5), 2)
                size = pacing.sizes.clamp(Int((Double(size) * ratio).rounded()))
            }
            guard pauses, pacing.minimumPause > .zero else { return .zero }
            // A batch that waited long for the lock (other writers busy) pauses at most a second after it.
            return min(max(elapsed, pacing.minimumPause), max(pacing.minimumPause, .seconds(1)))
        }

        mutating func finished(after elapsed: Duration) async throws {
            let pause = next(after: elapsed)
            if pause > .zero { try await Task.sleep(for: pause) } else { await Task.yield() }
        }
    }
}

extension ClosedRange<Int> {
    fileprivate func clamp(_ value: Int) -> Int { Swift.min(Swift.max(value, lowerBound), upperBound) }
}
