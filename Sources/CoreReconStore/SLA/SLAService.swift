import CoreRecon
import Crypto
import Foundation
import Logging
import SQLKit

/// SLA clocks: reading them, pausing and resuming, the sweep that records at-risk and breached clocks once, and
/// the actions a breach triggers. The clocks themselves start and stop in the transactions that change alerts
/// and incidents (``SLAClockWriter``).
public struct SLAService: Sendable {
    let database: Database
    public let settings: SLASettings
    let logger: Logger
    let now: @Sendable () -> Date

    public init(database: Database, settings: SLASettings, logger: Logger, now: @escaping @Sendable () -> Date) {
        self.database = database
        self.settings = settings
        self.logger = logger
        self.now = now
    }

    var backend: DatabaseBackend { database.backend }

    static let columns = """
        c.id, c.target, c.target_id, c.metric, c.cycle, c.policy, c.calendar, c.goal_ms, c.at_risk_ms, c.started_at,
        c.deadline_at, c.at_risk_at, c.state, c.paused_at, c.remaining_ms, c.stopped_at, c.outcome,
        COALESCE(a.severity_id, i.severity_id) AS severity_id, COALESCE(a.assignee, i.assignee) AS assignee,
        COALESCE(a.title, i.title) AS title, i.year, i.number, a.source, i.type
        """
    static let joins = """
        FROM sla_clocks c
        LEFT JOIN alerts a ON c.target = 'alert' AND a.id = c.target_id
        LEFT JOIN incidents i ON c.target = 'incident' AND i.id = c.target_id
        """

    static func decode(_ row: any SQLRow) throws -> SLAClock {
        let target = SLATarget(rawValue: try row.decode(column: "target", as: String.self)) ?? .alert
        let targetID = try row.decode(column: "target_id", as: Int64.self)
        var reference = String(targetID)
        if target == .incident, let year = try row.decode(column: "year", as: Int?.self),
            let number = try row.decode(column: "number", as: Int?.self)
        {
            reference = IncidentKey(year: year, number: number).description
        }
        let state = try row.decode(column: "state", as: String.self)
        return SLAClock(
            id: try row.decode(column: "id", as: Int64.self), target: target, targetID: targetID,
            reference: reference,
            metric: SLAMetric(rawValue: try row.decode(column: "metric", as: String.self)) ?? .resolve,
            cycle: try row.decode(column: "cycle", as: Int.self),
            policy: try row.decode(column: "policy", as: String.self),
            calendar: try row.decode(column: "calendar", as: String.self),
            goal: Double(try row.decode(column: "goal_ms", as: Int64.self)) / 1_000,
            startedAt: Date(milliseconds: try row.decode(column: "started_at", as: Int64.self)),
            deadline: Date(milliseconds: try row.decode(column: "deadline_at", as: Int64.self)),
            atRiskAt: Date(milliseconds: try row.decode(column: "at_risk_at", as: Int64.self)),
            pausedAt: state == "paused"
                ? try row.decode(column: "paused_at", as: Int64?.self).map(Date.init(milliseconds:)) : nil,
            remaining: try row.decode(column: "remaining_ms", as: Int64?.self).map { Double($0) / 1_000 },
            stoppedAt: try row.decode(column: "stopped_at", as: Int64?.self).map(Date.init(milliseconds:)),
            outcome: try row.decode(column: "outcome", as: String?.self).flatMap(SLAState.init(rawValue:)),
            severity: try row.decode(column: "severity_id", as: Int?.self).flatMap(Severity.init(rawValue:)),
            assignee: try row.decode(column: "assignee", as: String?.self),
            title: try row.decode(column: "title", as: String?.self))
    }

    // MARK: - Reading

    /// Every clock of one alert or incident, oldest first.
    public func clocks(of target: SLATarget, id: Int64) async throws -> [SLAClock] {
        try await database.read { sql in
            try await sql.raw(
                """
                SELECT \(unsafeRaw: Self.columns) \(unsafeRaw: Self.joins)
                WHERE c.target = \(bind: target.rawValue) AND c.target_id = \(bind: id) ORDER BY c.id
                """
            ).all().map(Self.decode)
        }
    }

    /// What `sla status` lists.
    public struct StatusFilter: Sendable {
        public var target: SLATarget?
        public var atRiskOnly = false
        public var breachedOnly = false
        public var assignee: String?
        public var limit = 100

        public init() {}
    }

    /// Open clocks (running or paused), most urgent first: the earliest deadline, paused clocks last.
    public func status(_ filter: StatusFilter) async throws -> [SLAClock] {
        let at = now().milliseconds
        var conditions: [SQLQueryString] = ["c.state <> 'stopped'"]
        if let target = filter.target { conditions.append("c.target = \(bind: target.rawValue)") }
        if filter.breachedOnly && filter.atRiskOnly {
            conditions.append("c.state = 'running' AND c.at_risk_at <= \(bind: at)")
        } else if filter.breachedOnly {
            conditions.append("c.state = 'running' AND c.deadline_at <= \(bind: at)")
        } else if filter.atRiskOnly {
            conditions.append(
                "c.state = 'running' AND c.at_risk_at <= \(bind: at) AND c.deadline_at > \(bind: at)")
        }
        if let assignee = filter.assignee {
            conditions.append(
                assignee == "none"
                    ? "COALESCE(a.assignee, i.assignee) IS NULL"
                    : "COALESCE(a.assignee, i.assignee) = \(bind: assignee)")
        }
        var query: SQLQueryString = "SELECT \(unsafeRaw: Self.columns) \(unsafeRaw: Self.joins) WHERE "
        for (index, condition) in conditions.enumerated() {
            if index > 0 { query.appendLiteral(" AND ") }
            query.appendInterpolation(condition)
        }
        query.appendLiteral(
            " ORDER BY CASE WHEN c.state = 'paused' THEN 1 ELSE 0 END, c.deadline_at, c.id LIMIT \(filter.limit)")
        let finalQuery = query
        return try await database.read { sql in try await sql.raw(finalQuery).all().map(Self.decode) }
    }

    // MARK: - Pausing

    /// Pauses the running clocks of an alert (`42`) or incident (`IR-2026-0007`); paused time does not count.
    public func pause(_ target: SLATarget, id: Int64, reference: String, reason: String, by actor: String)
        async throws -> [SLAClock]
    {
        let at = now()
        return try await database.transaction { sql in
            let clocks = try await lockedClocks(target, id: id, on: sql).filter { $0.isOpen && $0.pausedAt == nil }
            guard !clocks.isEmpty else {
                throw CoreReconError.conflict("\(target.rawValue) \(reference) has no running SLA clock to pause.")
            }
            for clock in clocks {
                let calendar = settings.calendar(named: clock.calendar)
                let remaining = calendar.workingSeconds(from: at, to: clock.deadline)
                try await sql.raw(
                    """
                    UPDATE sla_clocks SET state = 'paused', paused_at = \(bind: at.milliseconds),
                        remaining_ms = \(bind: Int64(remaining * 1_000))
                    WHERE id = \(bind: clock.id) AND state = 'running'
                    """
                ).run()
            }
            let metrics = clocks.map(\.metric.rawValue).joined(separator: ", ")
            try await recordHistory(
                target, id: id, actor: actor, at: at, action: "sla.pause", newValue: metrics,
                message: "SLA paused (\(metrics)): \(reason)", on: sql)
            return try await lockedClocks(target, id: id, on: sql)
        }
    }

    /// Resumes paused clocks: each gets its working time left from now on, in its calendar.
    public func resume(_ target: SLATarget, id: Int64, reference: String, reason: String?, by actor: String)
        async throws -> [SLAClock]
    {
        let at = now()
        return try await database.transaction { sql in
            let clocks = try await lockedClocks(target, id: id, on: sql).filter { $0.isOpen && $0.pausedAt != nil }
            guard !clocks.isEmpty else {
                throw CoreReconError.conflict("\(target.rawValue) \(reference) has no paused SLA clock to resume.")
            }
            for clock in clocks {
                let calendar = settings.calendar(named: clock.calendar)
                let remaining = clock.remaining ?? 0
                let atRiskRow =
                    try await sql.raw("SELECT at_risk_ms FROM sla_clocks WHERE id = \(bind: clock.id)")
                    .first(decodingColumn: "at_risk_ms", as: Int64.self) ?? 0
                let untilAtRisk = remaining - (clock.goal - Double(atRiskRow) / 1_000)
                let deadline = remaining > 0 ? calendar.adding(remaining, to: at) : clock.deadline
                let atRiskAt = untilAtRisk > 0 ? calendar.adding(untilAtRisk, to: at) : min(at, deadline)
                try await sql.raw(
                    """
                    UPDATE sla_clocks SET state = 'running', paused_at = NULL, remaining_ms = NULL,
                        deadline_at = \(bind: deadline.milliseconds), at_risk_at = \(bind: atRiskAt.milliseconds)
                    WHERE id = \(bind: clock.id) AND state = 'paused'
                    """
                ).run()
            }
            let metrics = clocks.map(\.metric.rawValue).joined(separator: ", ")
            try await recordHistory(
                target, id: id, actor: actor, at: at, action: "sla.resume", newValue: metrics,
                message: "SLA resumed (\(metrics))" + (reason.map { ": \($0)" } ?? ""), on: sql)
            return try await lockedClocks(target, id: id, on: sql)
        }
    }

    /// The clocks of one alert or incident, locked to the end of the transaction on PostgreSQL (SQLite's write
    /// transaction is exclusive), in id order as every writer of clocks locks them.
    private func lockedClocks(_ target: SLATarget, id: Int64, on sql: any SQLDatabase) async throws -> [SLAClock] {
        if backend == .postgres {
            // The alert or incident first, then its clocks: the order of every writer of clocks.
            let table = target == .alert ? "alerts" : "incidents"
            _ = try await sql.raw("SELECT id FROM \(unsafeRaw: table) WHERE id = \(bind: id) FOR UPDATE").all()
        }
        return try await sql.raw(
            """
            SELECT \(unsafeRaw: Self.columns) \(unsafeRaw: Self.joins)
            WHERE c.target = \(bind: target.rawValue) AND c.target_id = \(bind: id) ORDER BY c.id\(unsafeRaw: backend == .postgres ? " FOR NO KEY UPDATE OF c" : "")
            """
        ).all().map(Self.decode)
    }

    /// A line in the alert's or incident's history (and, for incidents, timeline).
    func recordHistory(
        _ target: SLATarget, id: Int64, actor: String, at: Date, action: String, field: String? = nil,
        oldValue: String? = nil, newValue: String?, message: String, on sql: any SQLDatabase
    ) async throws {
        switch target {
        case .alert:
            try await SQLAlertRepository.insertHistory(
                AlertHistoryEntry(
                    alertID: id, at: at, actor: actor, action: action, field: field, oldValue: oldValue,
                    newValue: newValue, message: message), on: sql)
        case .incident:
            try await sql.raw(
                """
                INSERT INTO incident_history (incident_id, at, actor, action, field, old_value, new_value)
                VALUES (\(bind: id), \(bind: at.milliseconds), \(bind: actor), \(bind: action), \(bind: field),
                        \(bind: oldValue), \(bind: newValue))
                """
            ).run()
            try await sql.raw(
                """
                INSERT INTO incident_timeline (incident_id, at, category, message, actor, kind, recorded_at)
                VALUES (\(bind: id), \(bind: at.milliseconds), NULL, \(bind: message), \(bind: actor), 'sla',
                        \(bind: at.milliseconds))
                """
            ).run()
        }
    }

    // MARK: - Policy changes

    /// Records the policies in force when they differ from the last ones recorded (clocks keep the goal they
    /// started with; this is the record of when later clocks began to follow new ones). Returns true when a
    /// change was recorded.
    @discardableResult
    public func recordPolicyChange() async throws -> Bool {
        let fingerprint = Hex.encode(SHA256.hash(data: Data(settings.fingerprint.utf8)))
        let recorded = try await database.read { sql in
            try await sql.raw("SELECT fingerprint FROM sla_policy_changes ORDER BY id DESC LIMIT 1")
                .first(decodingColumn: "fingerprint", as: String.self)
        }
        guard recorded != fingerprint else { return false }
        return try await database.transaction { sql in
            let last = try await sql.raw("SELECT fingerprint FROM sla_policy_changes ORDER BY id DESC LIMIT 1")
                .first(decodingColumn: "fingerprint", as: String.self)
            guard last != fingerprint else { return false }
            if backend == .postgres {
                try await sql.raw("LOCK TABLE sla_policy_changes IN EXCLUSIVE MODE").run()
                let again = try await sql.raw("SELECT fingerprint FROM sla_policy_changes ORDER BY id DESC LIMIT 1")
                    .first(decodingColumn: "fingerprint", as: String.self)
                guard again != fingerprint else { return false }
            }
            let at = now()
            try await sql.raw(
                """
                INSERT INTO sla_policy_changes (at, fingerprint, description)
                VALUES (\(bind: at.milliseconds), \(bind: fingerprint), \(bind: settings.fingerprint))
                """
            ).run()
            try await SQLAuditLog.append(
                [
                    AuditEvent(
                        at: at, actor: "sla", action: "sla.policy.change", target: "sla:\(fingerprint.prefix(12))",
                        summary: AuditSummary(after: ["policies": settings.fingerprint]))
                ], on: sql, backend: backend)
            return true
        }
    }

    /// The recorded policy sets, newest first.
    public func policyChanges(limit: Int = 20) async throws -> [(at: Date, description: String)] {
        try await database.read { sql in
            try await sql.raw(
                "SELECT at, description FROM sla_policy_changes ORDER BY id DESC LIMIT \(unsafeRaw: String(limit))"
            ).all().map {
                (
                    Date(milliseconds: try $0.decode(column: "at", as: Int64.self)),
                    try $0.decode(column: "description", as: String.self)
                )
            }
        }
    }
}
