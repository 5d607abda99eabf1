import CoreRecon
import Foundation
import SQLKit

/// Starts and stops SLA clocks inside the transaction that creates or changes an alert or incident, so a clock
/// never disagrees with the state it measures, whichever process made the change.
struct SLAClockWriter {
    let sql: any SQLDatabase
    let backend: DatabaseBackend
    let settings: SLASettings

    /// What policy matching needs to know about an alert or incident.
    struct Subject {
        var id: Int64
        var severity: Severity
        var source: String?
        var type: String?
    }

    /// Starts the first clocks of new alerts or incidents, per the first policy that matches each.
    func start(_ target: SLATarget, _ subjects: [Subject], at: Date) async throws {
        guard settings.policies.contains(where: { $0.target == target }) else { return }
        var rows: [SQLQueryString] = []
        // A batch starts its clocks at one moment: each policy's deadlines are worked out once, not per alert
        // (calendar arithmetic walks days through Foundation's calendar).
        var moments: [String: (deadline: Date, atRisk: Date)] = [:]
        for subject in subjects {
            guard
                let policy = settings.policy(
                    for: target, severity: subject.severity, source: subject.source, type: subject.type)
            else { continue }
            for metric in policy.goals.keys.sorted() {
                let key = policy.name + "/" + metric.rawValue
                let times = moments[key] ?? deadlines(policy, metric, at: at)
                moments[key] = times
                rows.append(row(target, subject.id, metric: metric, cycle: 1, policy: policy, at: at, times: times))
            }
        }
        try await insert(rows)
    }

    /// After a change of state: stops the open clocks of the metrics `reached` (met when before the deadline,
    /// else breached), and starts a new cycle for a metric that is no longer reached although its last clock
    /// stopped (a reopening).
    func update(_ target: SLATarget, id: Int64, reached: Set<SLAMetric>, at: Date) async throws {
        if !reached.isEmpty {
            // Clocks are locked in id order after their alert or incident (the caller holds it), as the sweep locks
            // them, so the two never wait on each other in a circle.
            if backend == .postgres {
                _ = try await sql.raw(
                    """
                    SELECT id FROM sla_clocks WHERE target = \(bind: target.rawValue) AND target_id = \(bind: id)
                        AND state <> 'stopped' ORDER BY id FOR NO KEY UPDATE
                    """
                ).all()
            }
            try await sql.raw(
                """
                UPDATE sla_clocks SET stopped_at = \(bind: at.milliseconds),
                    outcome = CASE WHEN state = 'paused' THEN (CASE WHEN remaining_ms > 0 THEN 'met' ELSE 'breached' END)
                        WHEN deadline_at >= \(bind: at.milliseconds) THEN 'met' ELSE 'breached' END,
                    state = 'stopped', paused_at = NULL
                WHERE target = \(bind: target.rawValue) AND target_id = \(bind: id)
                    AND metric IN (\(binds: reached.map(\.rawValue))) AND state <> 'stopped'
                """
            ).run()
        }
        let unreached = Set(SLAMetric.allCases).subtracting(reached)
        guard !unreached.isEmpty, settings.policies.contains(where: { $0.target == target }) else { return }
        var last: [SLAMetric: (cycle: Int, open: Int)] = [:]
        for row in try await sql.raw(
            """
            SELECT metric, MAX(cycle) AS cycle, SUM(CASE WHEN state <> 'stopped' THEN 1 ELSE 0 END) AS open
            FROM sla_clocks WHERE target = \(bind: target.rawValue) AND target_id = \(bind: id) GROUP BY metric
            """
        ).all() {
            guard let metric = SLAMetric(rawValue: try row.decode(column: "metric", as: String.self)) else { continue }
            last[metric] = (try row.decode(column: "cycle", as: Int.self), try row.decode(column: "open", as: Int.self))
        }
        let reopened = unreached.filter { metric in last[metric].map { $0.open == 0 } ?? false }
        guard !reopened.isEmpty, let subject = try await subject(target, id: id),
            let policy = settings.policy(
                for: target, severity: subject.severity, source: subject.source, type: subject.type)
        else { return }
        try await insert(
            reopened.sorted().compactMap { metric in
                guard policy.goals[metric] != nil, let previous = last[metric] else { return nil }
                return row(target, id, metric: metric, cycle: previous.cycle + 1, policy: policy, at: at)
            })
    }

    private func subject(_ target: SLATarget, id: Int64) async throws -> Subject? {
        let query: SQLQueryString =
            target == .alert
            ? "SELECT severity_id, source, NULL AS type FROM alerts WHERE id = \(bind: id)"
            : "SELECT severity_id, NULL AS source, type FROM incidents WHERE id = \(bind: id)"
        guard let row = try await sql.raw(query).first() else { return nil }
        return Subject(
            id: id, severity: Severity(rawValue: try row.decode(column: "severity_id", as: Int.self)) ?? .unknown,
            source: try row.decode(column: "source", as: String?.self),
            type: try row.decode(column: "type", as: String?.self))
    }

    /// When a clock of `policy` for `metric` started at `at` is due, and at risk.
    private func deadlines(_ policy: SLAPolicy, _ metric: SLAMetric, at: Date) -> (deadline: Date, atRisk: Date) {
        let goal = policy.goals[metric] ?? 0
        let calendar = settings.calendar(named: policy.calendar)
        return (
            calendar.adding(goal, to: at), calendar.adding(goal * (policy.atRiskShare ?? settings.atRiskShare), to: at)
        )
    }

    private func row(
        _ target: SLATarget, _ id: Int64, metric: SLAMetric, cycle: Int, policy: SLAPolicy, at: Date,
        times: (deadline: Date, atRisk: Date)? = nil
    ) -> SQLQueryString {
        let goal = policy.goals[metric] ?? 0
        let atRisk = goal * (policy.atRiskShare ?? settings.atRiskShare)
        let (deadline, atRiskAt) = times ?? deadlines(policy, metric, at: at)
        // Numbers and enum names as literals, the configured names as binds: a batch of a thousand alerts starts
        // two thousand clocks, and binds are what such a statement spends its time on.
        let times = [
            Int64(goal * 1_000), Int64(atRisk * 1_000), at.milliseconds, deadline.milliseconds,
            atRiskAt.milliseconds,
        ].map(String.init).joined(separator: ", ")
        return """
            ('\(unsafeRaw: target.rawValue)', \(unsafeRaw: String(id)), '\(unsafeRaw: metric.rawValue)', \(unsafeRaw: String(cycle)),
             \(bind: policy.name), \(bind: policy.calendar), \(unsafeRaw: times), 'running')
            """
    }

    private func insert(_ rows: [SQLQueryString]) async throws {
        let perStatement = backend.maximumBinds / 11
        for start in stride(from: 0, to: rows.count, by: perStatement) {
            var statement: SQLQueryString = """
                INSERT INTO sla_clocks (target, target_id, metric, cycle, policy, calendar, goal_ms, at_risk_ms,
                    started_at, deadline_at, at_risk_at, state) VALUES
                """
            for (index, row) in rows[start..<min(start + perStatement, rows.count)].enumerated() {
                if index > 0 { statement.appendLiteral(", ") }
                statement.appendInterpolation(row)
            }
            statement.appendLiteral(" ON CONFLICT (target, target_id, metric, cycle) DO NOTHING")
            try await sql.raw(statement).run()
        }
    }
}
