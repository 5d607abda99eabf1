import CoreRecon
import Foundation
import SQLKit

/// An at-risk or breach record the sweep made (or, in a dry run, would make).
public struct SLARecord: Sendable, Equatable {
    /// `at_risk` or `breached`.
    public var kind: SLAState
    public var clock: SLAClock
    public var at: Date

    public init(kind: SLAState, clock: SLAClock, at: Date) {
        self.kind = kind
        self.clock = clock
        self.at = at
    }
}

extension SLAService {
    /// Clocks looked at per transaction of a sweep.
    static let sweepBatch = 2_000

    /// Records every running clock that has newly passed its at-risk point or deadline, once: the record's unique
    /// key (clock, kind) lets two sweeps, or a sweep and `serve`, run at the same moment and still record, and
    /// so notify, each breach once. Each record writes a history line on its alert or incident and an
    /// `sla.at_risk` or `sla.breached` event in the same transaction; a breach whose policy changes the target
    /// leaves its actions pending for ``applyPendingActions(escalate:)``.
    public func sweep(dryRun: Bool = false) async throws -> [SLARecord] {
        let at = now()
        if dryRun { return try await due(at: at) }
        // A read first: an idle sweep (the server runs one every 30 s) takes no write lock.
        let anythingDue = try await database.read { sql in
            let atRisk = try await sql.raw(
                """
                SELECT id FROM sla_clocks
                WHERE state = 'running' AND at_risk_noted = 0 AND at_risk_at <= \(bind: at.milliseconds) LIMIT 1
                """
            ).first()
            if atRisk != nil { return true }
            return try await sql.raw(
                """
                SELECT id FROM sla_clocks
                WHERE state = 'running' AND breach_noted = 0 AND deadline_at <= \(bind: at.milliseconds) LIMIT 1
                """
            ).first() != nil
        }
        guard anythingDue else { return [] }
        var records: [SLARecord] = []
        while true {
            let (batch, looked) = try await database.transaction { sql in try await sweepBatch(at: at, on: sql) }
            records += batch
            if looked < Self.sweepBatch { break }
        }
        return records
    }

    /// What a sweep now would record.
    private func due(at: Date) async throws -> [SLARecord] {
        try await database.read { sql in
            let atRisk = try await sql.raw(
                """
                SELECT \(unsafeRaw: Self.columns) \(unsafeRaw: Self.joins)
                WHERE c.state = 'running' AND c.at_risk_noted = 0 AND c.at_risk_at <= \(bind: at.milliseconds)
                    AND c.deadline_at > \(bind: at.milliseconds)
                ORDER BY c.at_risk_at
                """
            ).all().map(Self.decode)
            let breached = try await sql.raw(
                """
                SELECT \(unsafeRaw: Self.columns) \(unsafeRaw: Self.joins)
                WHERE c.state = 'running' AND c.breach_noted = 0 AND c.deadline_at <= \(bind: at.milliseconds)
                ORDER BY c.deadline_at
                """
            ).all().map(Self.decode)
            return breached.map { SLARecord(kind: .breached, clock: $0, at: at) }
                + atRisk.map { SLARecord(kind: .atRisk, clock: $0, at: at) }
        }
    }

    private func sweepBatch(at: Date, on sql: any SQLDatabase) async throws -> ([SLARecord], Int) {
        let limit = Self.sweepBatch
        var atRiskIDs = try await sql.raw(
            """
            SELECT id FROM sla_clocks
            WHERE state = 'running' AND at_risk_noted = 0 AND at_risk_at <= \(bind: at.milliseconds)
            ORDER BY at_risk_at LIMIT \(unsafeRaw: String(limit))
            """
        ).all(decodingColumn: "id", as: Int64.self)
        var breachIDs = try await sql.raw(
            """
            SELECT id FROM sla_clocks
            WHERE state = 'running' AND breach_noted = 0 AND deadline_at <= \(bind: at.milliseconds)
            ORDER BY deadline_at LIMIT \(unsafeRaw: String(limit))
            """
        ).all(decodingColumn: "id", as: Int64.self)
        guard !atRiskIDs.isEmpty || !breachIDs.isEmpty else { return ([], 0) }
        let policies = Dictionary(settings.policies.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var clocks: [Int64: SLAClock] = [:]
        let ids = Array(Set(atRiskIDs + breachIDs))
        for start in stride(from: 0, to: ids.count, by: backend.maximumBinds) {
            let chunk = Array(ids[start..<min(start + backend.maximumBinds, ids.count)])
            for clock in try await sql.raw(
                "SELECT \(unsafeRaw: Self.columns) \(unsafeRaw: Self.joins) WHERE c.id IN (\(binds: chunk))"
            ).all().map(Self.decode) {
                clocks[clock.id] = clock
            }
        }
        // On PostgreSQL, lock what the records touch in the order every writer does: incidents, then alerts, then
        // clocks, each in id order (a change of state locks its alert or incident, then its clocks). A clock stopped
        // since it was found due drops out here.
        if backend == .postgres {
            let targets = Dictionary(grouping: clocks.values, by: \.target)
            for (table, target) in [("incidents", SLATarget.incident), ("alerts", SLATarget.alert)] {
                let rowIDs = Array(Set((targets[target] ?? []).map(\.targetID))).sorted()
                for start in stride(from: 0, to: rowIDs.count, by: backend.maximumBinds) {
                    let chunk = Array(rowIDs[start..<min(start + backend.maximumBinds, rowIDs.count)])
                    _ = try await sql.raw(
                        "SELECT id FROM \(unsafeRaw: table) WHERE id IN (\(binds: chunk)) ORDER BY id FOR UPDATE"
                    ).all()
                }
            }
            var running = Set<Int64>()
            let all = ids.sorted()
            for start in stride(from: 0, to: all.count, by: backend.maximumBinds) {
                let chunk = Array(all[start..<min(start + backend.maximumBinds, all.count)])
                running.formUnion(
                    try await sql.raw(
                        """
                        SELECT id FROM sla_clocks WHERE id IN (\(binds: chunk)) AND state = 'running'
                        ORDER BY id FOR NO KEY UPDATE
                        """
                    ).all(decodingColumn: "id", as: Int64.self))
            }
            atRiskIDs = atRiskIDs.filter(running.contains)
            breachIDs = breachIDs.filter(running.contains)
        }
        // Insert the records; only those this transaction created come back.
        var rows: [SQLQueryString] = []
        for id in breachIDs {
            let pending = policies[clocks[id]?.policy ?? ""]?.onBreach.changesTarget ?? false
            rows.append("(\(bind: id), 'breached', \(bind: at.milliseconds), \(bind: pending ? "pending" : nil))")
        }
        for id in atRiskIDs {
            rows.append("(\(bind: id), 'at_risk', \(bind: at.milliseconds), NULL)")
        }
        var created: [(Int64, SLAState)] = []
        for start in stride(from: 0, to: rows.count, by: backend.maximumBinds / 4) {
            var statement: SQLQueryString = "INSERT INTO sla_records (clock_id, kind, at, actions) VALUES "
            for (index, row) in rows[start..<min(start + backend.maximumBinds / 4, rows.count)].enumerated() {
                if index > 0 { statement.appendLiteral(", ") }
                statement.appendInterpolation(row)
            }
            statement.appendLiteral(" ON CONFLICT (clock_id, kind) DO NOTHING RETURNING clock_id, kind")
            created += try await sql.raw(statement).all().map {
                (
                    try $0.decode(column: "clock_id", as: Int64.self),
                    SLAState(rawValue: try $0.decode(column: "kind", as: String.self)) ?? .breached
                )
            }
        }
        for (column, list) in [("at_risk_noted", atRiskIDs), ("breach_noted", breachIDs)] where !list.isEmpty {
            for start in stride(from: 0, to: list.count, by: backend.maximumBinds) {
                let chunk = Array(list[start..<min(start + backend.maximumBinds, list.count)])
                try await sql.raw("UPDATE sla_clocks SET \(unsafeRaw: column) = 1 WHERE id IN (\(binds: chunk))").run()
            }
        }
        // A clock found at risk and breached in one sweep is reported as breached only.
        let breachedNow = Set(created.filter { $0.1 == .breached }.map(\.0))
        var records: [SLARecord] = []
        var events: [StoredEvent] = []
        for (id, kind) in created.sorted(by: { ($0.1 == .breached ? 0 : 1, $0.0) < ($1.1 == .breached ? 0 : 1, $1.0) })
        {
            guard let clock = clocks[id] else { continue }
            if kind == .atRisk && breachedNow.contains(id) { continue }
            records.append(SLARecord(kind: kind, clock: clock, at: at))
            let word = kind == .breached ? "breached" : "at risk"
            try await recordHistory(
                clock.target, id: clock.targetID, actor: "sla", at: at, action: "sla.\(kind.rawValue)",
                field: clock.metric.rawValue, newValue: kind.rawValue,
                message:
                    "\(clock.metric.rawValue) SLA \(word): goal \(SLAClock.describe(seconds: clock.goal)) "
                    + "(policy \(clock.policy)), deadline \(ISO8601Format.forPeople(clock.deadline))",
                on: sql)
            if let event = try await event(for: clock, type: "sla.\(kind.rawValue)", at: at, on: sql) {
                events.append(event)
            }
        }
        _ = try await EventLog.append(events, on: sql, backend: backend)
        return (records, atRiskIDs.count + breachIDs.count)
    }

    /// The stream event of an SLA record: the alert or incident as committed, with the clock under `sla`.
    func event(for clock: SLAClock, type: String, at: Date, on sql: any SQLDatabase) async throws -> StoredEvent? {
        var event: StoredEvent
        switch clock.target {
        case .alert:
            guard let alert = try await SQLAlertRepository.alert(id: clock.targetID, on: sql, backend: backend)
            else { return nil }
            event = StoredEvent(.alert(AlertEvent(kind: .updated, alert: alert)), at: at)
        case .incident:
            guard let key = IncidentKey(reference: clock.reference),
                let incident = try await SQLIncidentStore(sql: sql, backend: backend).incident(key: key)
            else { return nil }
            event = StoredEvent(.incident(IncidentEvent(kind: .updated, incident: incident)), at: at)
        }
        event.type = type
        event.payload = Self.merging("sla", clock.jsonObject(at: at).jsonString, into: event.payload)
        return event
    }

    /// `{"a":1}` with `"key":value` first.
    static func merging(_ key: String, _ value: String, into object: String) -> String {
        guard object.hasPrefix("{") else { return object }
        let rest = object.dropFirst()
        return "{\"\(key)\":\(value)" + (rest.hasPrefix("}") ? "" : ",") + rest
    }

    // MARK: - Breach actions

    /// A breach action done, for the sweep's report.
    public struct ActionResult: Sendable, Equatable, Codable {
        public var reference: String
        public var action: String

        public init(reference: String, action: String) {
            self.reference = reference
            self.action = action
        }
    }

    /// Carries out the actions of breaches recorded with pending actions: raising severity and reassigning in one
    /// transaction with marking them done (so each happens once), then escalations through `escalate`, each
    /// claimed for five minutes so a crash in between leaves it for the next sweep.
    public func applyPendingActions(
        escalate: @Sendable (Alert.ID, String) async throws -> String
    ) async throws -> [ActionResult] {
        let at = now()
        let policies = Dictionary(settings.policies.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var results: [ActionResult] = []
        let pending = try await database.read { sql in
            try await sql.raw(
                """
                SELECT r.id AS record_id, r.actions, \(unsafeRaw: Self.columns) \(unsafeRaw: Self.joins)
                JOIN sla_records r ON r.clock_id = c.id
                WHERE r.actions IN ('pending', 'escalate')
                    AND (r.actions_claimed_until IS NULL OR r.actions_claimed_until < \(bind: at.milliseconds))
                ORDER BY r.id LIMIT 1000
                """
            ).all().map {
                (
                    record: try $0.decode(column: "record_id", as: Int64.self),
                    state: try $0.decode(column: "actions", as: String.self), clock: try Self.decode($0)
                )
            }
        }
        for (record, state, clock) in pending {
            let actions = policies[clock.policy]?.onBreach ?? SLABreachActions()
            if state == "pending" {
                results += try await database.transaction { sql in
                    let next = actions.escalate && clock.target == .alert ? "escalate" : "done"
                    let claimed = try await sql.raw(
                        """
                        UPDATE sla_records SET actions = \(bind: next)
                        WHERE id = \(bind: record) AND actions = 'pending' RETURNING id
                        """
                    ).all()
                    guard !claimed.isEmpty else { return [] }
                    return try await applyInPlace(actions, to: clock, at: at, on: sql)
                }
                guard actions.escalate && clock.target == .alert else { continue }
            }
            // Escalation: claimed, done through the incident service, then marked.
            let claimed = try await database.transaction { sql in
                try await sql.raw(
                    """
                    UPDATE sla_records SET actions_claimed_until = \(bind: at.addingTimeInterval(300).milliseconds)
                    WHERE id = \(bind: record) AND actions = 'escalate'
                        AND (actions_claimed_until IS NULL OR actions_claimed_until < \(bind: at.milliseconds))
                    RETURNING id
                    """
                ).all().isEmpty == false
            }
            guard claimed else { continue }
            var outcome: String
            do {
                outcome = try await escalate(clock.targetID, clock.title ?? "alert \(clock.reference)")
                results.append(ActionResult(reference: clock.reference, action: "escalated into \(outcome)"))
            } catch let error as CoreReconError {
                // Already escalated or closed: nothing left to do.
                outcome = "not escalated: \(error)"
                logger.notice("SLA breach of alert \(clock.reference): \(outcome)")
            }
            let result = outcome
            try await database.transaction { sql in
                try await sql.raw(
                    "UPDATE sla_records SET actions = 'done', actions_result = \(bind: result) WHERE id = \(bind: record)"
                ).run()
            }
        }
        return results
    }

    /// Raises severity and reassigns, with history lines and update events, inside the caller's transaction.
    private func applyInPlace(_ actions: SLABreachActions, to clock: SLAClock, at: Date, on sql: any SQLDatabase)
        async throws -> [ActionResult]
    {
        let table = clock.target == .alert ? "alerts" : "incidents"
        guard
            let row = try await sql.raw(
                "SELECT severity_id, assignee FROM \(unsafeRaw: table) WHERE id = \(bind: clock.targetID)"
            ).first()
        else { return [] }
        var results: [ActionResult] = []
        let severity = Severity(rawValue: try row.decode(column: "severity_id", as: Int.self)) ?? .unknown
        let assignee = try row.decode(column: "assignee", as: String?.self)
        if let raise = actions.raiseSeverity, severity < raise || severity == .other || severity == .unknown {
            try await sql.raw(
                """
                UPDATE \(unsafeRaw: table) SET severity_id = \(bind: raise.rawValue), updated_at = \(bind: at.milliseconds)
                WHERE id = \(bind: clock.targetID)
                """
            ).run()
            try await recordHistory(
                clock.target, id: clock.targetID, actor: "sla", at: at, action: "severity", field: "severity",
                oldValue: severity.name, newValue: raise.name,
                message:
                    "severity raised from \(severity.name) to \(raise.name) on the \(clock.metric.rawValue) SLA breach",
                on: sql)
            results.append(
                ActionResult(reference: clock.reference, action: "severity \(severity.name) → \(raise.name)"))
        }
        if let next = actions.nextAssignee(after: assignee), next != assignee {
            try await sql.raw(
                """
                UPDATE \(unsafeRaw: table) SET assignee = \(bind: next), updated_at = \(bind: at.milliseconds)
                WHERE id = \(bind: clock.targetID)
                """
            ).run()
            try await recordHistory(
                clock.target, id: clock.targetID, actor: "sla", at: at, action: "assign", field: "assignee",
                oldValue: assignee, newValue: next,
                message:
                    "reassigned from \(assignee ?? "nobody") to \(next) on the \(clock.metric.rawValue) SLA breach",
                on: sql)
            results.append(ActionResult(reference: clock.reference, action: "assigned to \(next)"))
        }
        if !results.isEmpty, var event = try await event(for: clock, type: "", at: at, on: sql) {
            event.type = clock.target == .alert ? "alert.updated" : "incident.updated"
            event.payload = StoredEvent.stripping("sla", from: event.payload)
            _ = try await EventLog.append([event], on: sql, backend: backend)
        }
        return results
    }
}

extension IncidentKey {
    /// `IR-2026-0007`, nil for anything else.
    init?(reference: String) {
        let parts = reference.split(separator: "-")
        guard parts.count == 3, parts[0] == "IR", let year = Int(parts[1]), let number = Int(parts[2]) else {
            return nil
        }
        self.init(year: year, number: number)
    }
}

extension StoredEvent {
    /// The payload without the member `key` that ``SLAService/merging(_:_:into:)`` put first.
    static func stripping(_ key: String, from payload: String) -> String {
        guard let value = try? JSONParser.parse(payload), let members = value.members else { return payload }
        return JSONValue.object(members.filter { $0.key != key }).jsonString
    }
}
