import CoreRecon
import Foundation
import SQLKit

/// ``IncidentRepository`` over SQL, the same statements on SQLite and PostgreSQL.
public struct SQLIncidentRepository: IncidentRepository {
    let database: Database
    /// The policies SLA clocks start by.
    let sla: SLASettings

    public init(database: Database, sla: SLASettings = SLASettings()) {
        self.database = database
        self.sla = sla
    }

    public func write<Result: Sendable>(_ body: (any IncidentStore) async throws -> Result) async throws -> Result {
        try await database.transaction { sql in
            try await body(SQLIncidentStore(sql: sql, backend: database.backend, sla: sla))
        }
    }

    public func read<Result: Sendable>(_ body: (any IncidentStore) async throws -> Result) async throws -> Result {
        try await database.read { sql in
            try await body(SQLIncidentStore(sql: sql, backend: database.backend, sla: sla))
        }
    }
}

/// The incident operations on one connection.
struct SQLIncidentStore: IncidentStore {
    let sql: any SQLDatabase
    let backend: DatabaseBackend
    var sla = SLASettings()

    private var clocks: SLAClockWriter { SLAClockWriter(sql: sql, backend: backend, settings: sla) }

    static let columns = """
        id, year, number, title, description, type, severity_id, state, assignee, resolution, summary, lessons,
        created_by, created_at, updated_at, acknowledged_at, investigating_at, contained_at, eradicated_at,
        recovered_at, closed_at
        """

    // MARK: - Incidents

    func incident(key: IncidentKey) async throws -> Incident? {
        try await sql.raw(
            "SELECT \(unsafeRaw: Self.columns) FROM incidents WHERE year = \(bind: key.year) AND number = \(bind: key.number)"
        ).first().map(Self.decodeIncident)
    }

    func incidentForUpdate(key: IncidentKey) async throws -> Incident? {
        try await sql.raw(
            """
            SELECT \(unsafeRaw: Self.columns) FROM incidents WHERE year = \(bind: key.year) AND number = \(bind: key.number)\(unsafeRaw: backend.lockForUpdate)
            """
        ).first().map(Self.decodeIncident)
    }

    func list(_ query: IncidentQuery) async throws -> [Incident] {
        var conditions: [SQLQueryString] = ["1 = 1"]
        if !query.states.isEmpty { conditions.append("state IN (\(binds: query.states.map(\.rawValue)))") }
        if let minimum = query.minimumSeverity {
            conditions.append("severity_id >= \(bind: minimum.rawValue) AND severity_id <= 6")
        }
        if let assignee = query.assignee {
            conditions.append(assignee == "none" ? "assignee IS NULL" : "assignee = \(bind: assignee)")
        }
        if let since = query.since { conditions.append("created_at >= \(bind: since.milliseconds)") }
        if let until = query.until { conditions.append("created_at <= \(bind: until.milliseconds)") }
        if let type = query.type { conditions.append("type = \(bind: type)") }
        if let technique = query.technique?.uppercased() {
            conditions.append(
                """
                EXISTS (SELECT 1 FROM incident_techniques t WHERE t.incident_id = incidents.id
                        AND (t.technique_id = \(bind: technique)
                             OR (t.technique_id >= \(bind: technique + ".") AND t.technique_id < \(bind: technique + "/"))))
                """)
        }
        for word in (query.search ?? "").lowercased().split(whereSeparator: \.isWhitespace) {
            // Incidents number in the thousands, not millions: a scan with LIKE answers in milliseconds.
            let pattern = "%" + Self.escapeLike(String(word)) + "%"
            conditions.append(
                """
                (LOWER(title) LIKE \(bind: pattern) ESCAPE '\\' OR LOWER(COALESCE(description, '')) LIKE \(bind: pattern) ESCAPE '\\'
                 OR LOWER(COALESCE(summary, '')) LIKE \(bind: pattern) ESCAPE '\\'
                 OR EXISTS (SELECT 1 FROM incident_observables o WHERE o.incident_id = incidents.id
                            AND LOWER(o.value) LIKE \(bind: pattern) ESCAPE '\\'))
                """)
        }
        var statement: SQLQueryString = "SELECT \(unsafeRaw: Self.columns) FROM incidents WHERE "
        statement.appendInterpolation(conditions.map { "(\($0))" as SQLQueryString }.joined(separator: " AND "))
        statement.appendLiteral(" ORDER BY created_at DESC, id DESC")
        if query.limit > 0 { statement.appendLiteral(" LIMIT \(query.limit)") }
        if query.offset > 0 {
            if query.limit <= 0 { statement.appendLiteral(backend == .sqlite ? " LIMIT -1" : "") }
            statement.appendLiteral(" OFFSET \(query.offset)")
        }
        return try await sql.raw(statement).all().map(Self.decodeIncident)
    }

    static func escapeLike(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
    }

    func nextNumber(year: Int) async throws -> Int {
        // The upsert locks the year's row until commit on PostgreSQL; SQLite's write transaction is exclusive.
        try await sql.raw(
            """
            INSERT INTO incident_sequences (year, last_number) VALUES (\(bind: year), 1)
            ON CONFLICT (year) DO UPDATE SET last_number = incident_sequences.last_number + 1
            RETURNING last_number
            """
        ).first(decodingColumn: "last_number", as: Int.self) ?? 1
    }

    func insert(_ incident: Incident, autoAssigned: Bool) async throws -> Incident {
        let id = try await sql.raw(
            """
            INSERT INTO incidents (year, number, title, description, type, severity_id, state, assignee, auto_assigned,
                created_by, created_at, updated_at)
            VALUES (\(bind: incident.key.year), \(bind: incident.key.number), \(bind: incident.title),
                \(bind: incident.description), \(bind: incident.type), \(bind: incident.severity.rawValue),
                \(bind: incident.state.rawValue), \(bind: incident.assignee), \(bind: autoAssigned ? 1 : 0),
                \(bind: incident.createdBy), \(bind: incident.createdAt.milliseconds),
                \(bind: incident.updatedAt.milliseconds))
            RETURNING id
            """
        ).first(decodingColumn: "id", as: Int64.self)
        var stored = incident
        stored.id = id ?? 0
        try await clocks.start(
            .incident, [.init(id: stored.id, severity: stored.severity, source: nil, type: stored.type)],
            at: stored.createdAt)
        if stored.state != .new {
            try await clocks.update(
                .incident, id: stored.id, reached: SLAMetric.reached(by: stored.state), at: stored.createdAt)
        }
        return stored
    }

    func save(_ incident: Incident) async throws {
        try await sql.raw(
            """
            UPDATE incidents SET title = \(bind: incident.title), description = \(bind: incident.description),
                type = \(bind: incident.type), severity_id = \(bind: incident.severity.rawValue),
                state = \(bind: incident.state.rawValue), assignee = \(bind: incident.assignee),
                resolution = \(bind: incident.resolution?.rawValue), summary = \(bind: incident.summary),
                lessons = \(bind: incident.lessons), updated_at = \(bind: incident.updatedAt.milliseconds),
                acknowledged_at = \(bind: incident.acknowledgedAt?.milliseconds),
                investigating_at = \(bind: incident.investigatingAt?.milliseconds),
                contained_at = \(bind: incident.containedAt?.milliseconds),
                eradicated_at = \(bind: incident.eradicatedAt?.milliseconds),
                recovered_at = \(bind: incident.recoveredAt?.milliseconds),
                closed_at = \(bind: incident.closedAt?.milliseconds)
            WHERE id = \(bind: incident.id)
            """
        ).run()
        try await clocks.update(
            .incident, id: incident.id, reached: SLAMetric.reached(by: incident.state), at: incident.updatedAt)
    }

    func incidentsWithTechniques(createdIn range: ClosedRange<Date>) async throws -> [(Incident, [String])] {
        let incidents = try await sql.raw(
            """
            SELECT \(unsafeRaw: Self.columns) FROM incidents
            WHERE created_at >= \(bind: range.lowerBound.milliseconds) AND created_at <= \(bind: range.upperBound.milliseconds)
            ORDER BY id
            """
        ).all().map(Self.decodeIncident)
        var techniques: [Incident.ID: [String]] = [:]
        for row in try await sql.raw(
            """
            SELECT t.incident_id, t.technique_id FROM incident_techniques t JOIN incidents i ON i.id = t.incident_id
            WHERE i.created_at >= \(bind: range.lowerBound.milliseconds) AND i.created_at <= \(bind: range.upperBound.milliseconds)
            """
        ).all() {
            techniques[try row.decode(column: "incident_id", as: Int64.self), default: []].append(
                try row.decode(column: "technique_id", as: String.self))
        }
        return incidents.map { ($0, techniques[$0.id] ?? []) }
    }

    func openIncidentCounts(assignees: [String]) async throws -> [String: Int] {
        guard !assignees.isEmpty else { return [:] }
        var counts: [String: Int] = [:]
        for row in try await sql.raw(
            """
            SELECT assignee, COUNT(*) AS n FROM incidents
            WHERE state <> 'closed' AND assignee IN (\(binds: assignees)) GROUP BY assignee
            """
        ).all() {
            counts[try row.decode(column: "assignee", as: String.self)] = try row.decode(column: "n", as: Int.self)
        }
        return counts
    }

    func lastAutoAssignee() async throws -> String? {
        try await sql.raw(
            "SELECT assignee FROM incidents WHERE auto_assigned = 1 ORDER BY id DESC LIMIT 1"
        ).first(decodingColumn: "assignee", as: String?.self) ?? nil
    }

    // MARK: - Alerts

    func alerts(of incident: Incident.ID) async throws -> [Alert] {
        try await sql.raw(
            """
            SELECT \(unsafeRaw: SQLAlertRepository.alertColumns(backend)) FROM alerts
            JOIN incident_alerts l ON l.alert_id = alerts.id
            WHERE l.incident_id = \(bind: incident) ORDER BY alerts.first_seen, alerts.id
            """
        ).all().map(SQLAlertRepository.decodeAlert)
    }

    func link(alert: Alert.ID, to incident: Incident.ID, by actor: String, at: Date) async throws -> Bool {
        if let current = try await sql.raw(
            """
            SELECT i.id, i.year, i.number FROM incident_alerts l JOIN incidents i ON i.id = l.incident_id
            WHERE l.alert_id = \(bind: alert)
            """
        ).first() {
            guard try current.decode(column: "id", as: Int64.self) != incident else { return false }
            let key = IncidentKey(
                year: try current.decode(column: "year", as: Int.self),
                number: try current.decode(column: "number", as: Int.self))
            throw CoreReconError.conflict("alert \(alert) is already escalated to \(key).")
        }
        try await sql.raw(
            """
            INSERT INTO incident_alerts (alert_id, incident_id, added_by, added_at)
            VALUES (\(bind: alert), \(bind: incident), \(bind: actor), \(bind: at.milliseconds))
            """
        ).run()
        return true
    }

    func alertForEscalation(_ id: Alert.ID) async throws -> (Alert, [Observable], [(id: String, tactic: String?)])? {
        guard let alert = try await SQLAlertRepository.alert(id: id, on: sql, backend: backend) else { return nil }
        let observables = try await sql.raw(
            "SELECT type, value FROM alert_observables WHERE alert_id = \(bind: id) ORDER BY type, value"
        ).all().compactMap { row -> Observable? in
            guard let kind = Observable.Kind(rawValue: try row.decode(column: "type", as: String.self)) else {
                return nil
            }
            return Observable(kind: kind, value: try row.decode(column: "value", as: String.self), name: kind.rawValue)
        }
        let techniques = try await sql.raw(
            "SELECT technique_id, tactic FROM alert_techniques WHERE alert_id = \(bind: id) ORDER BY technique_id"
        ).all().map {
            (
                id: try $0.decode(column: "technique_id", as: String.self),
                tactic: try $0.decode(column: "tactic", as: String?.self)
            )
        }
        return (alert, observables, techniques)
    }

    func setAlertStatus(
        _ id: Alert.ID, from old: AlertStatus, to status: AlertStatus, closeReason: CloseReason?, actor: String,
        at: Date, message: String
    ) async throws {
        try await sql.raw(
            """
            UPDATE alerts SET status = \(bind: status.rawValue), close_reason = \(bind: closeReason?.rawValue),
                updated_at = \(bind: at.milliseconds)
            WHERE id = \(bind: id)
            """
        ).run()
        try await sql.raw(
            """
            INSERT INTO alert_history (alert_id, at, actor, action, field, old_value, new_value, message)
            VALUES (\(bind: id), \(bind: at.milliseconds), \(bind: actor), \(bind: status == .escalated ? "escalate" : "incident"),
                    'status', \(bind: old.rawValue), \(bind: status.rawValue), \(bind: message))
            """
        ).run()
        try await clocks.update(.alert, id: id, reached: SLAMetric.reached(by: status), at: at)
    }

    // MARK: - Observables and techniques

    func observables(of incident: Incident.ID) async throws -> [IncidentObservable] {
        try await sql.raw(
            """
            SELECT id, type, value, is_ioc, tlp, tags, origin, added_by, added_at FROM incident_observables
            WHERE incident_id = \(bind: incident) ORDER BY id
            """
        ).all().map { row in
            IncidentObservable(
                id: try row.decode(column: "id", as: Int64.self),
                type: ObservableType(rawValue: try row.decode(column: "type", as: String.self)) ?? .user,
                value: try row.decode(column: "value", as: String.self),
                isIOC: try row.decode(column: "is_ioc", as: Int.self) != 0,
                tlp: try row.decode(column: "tlp", as: String?.self).flatMap(TLP.init(rawValue:)),
                tags: try row.decode(column: "tags", as: String.self).split(separator: ",").map(String.init),
                origin: try row.decode(column: "origin", as: String.self),
                addedBy: try row.decode(column: "added_by", as: String.self),
                addedAt: Date(milliseconds: try row.decode(column: "added_at", as: Int64.self)))
        }
    }

    func add(observable: IncidentObservable, to incident: Incident.ID) async throws -> IncidentObservable? {
        let id = try await sql.raw(
            """
            INSERT INTO incident_observables (incident_id, type, value, is_ioc, tlp, tags, origin, added_by, added_at)
            VALUES (\(bind: incident), \(bind: observable.type.rawValue), \(bind: observable.value),
                    \(bind: observable.isIOC ? 1 : 0), \(bind: observable.tlp?.rawValue),
                    \(bind: observable.tags.joined(separator: ",")), \(bind: observable.origin),
                    \(bind: observable.addedBy), \(bind: observable.addedAt.milliseconds))
            ON CONFLICT (incident_id, type, value) DO NOTHING
            RETURNING id
            """
        ).first(decodingColumn: "id", as: Int64.self)
        guard let id else { return nil }
        var stored = observable
        stored.id = id
        return stored
    }

    func update(observable: IncidentObservable) async throws {
        try await sql.raw(
            """
            UPDATE incident_observables SET is_ioc = \(bind: observable.isIOC ? 1 : 0), tlp = \(bind: observable.tlp?.rawValue),
                tags = \(bind: observable.tags.joined(separator: ","))
            WHERE id = \(bind: observable.id)
            """
        ).run()
    }

    func removeObservable(type: ObservableType, value: String, from incident: Incident.ID) async throws -> Bool {
        try await sql.raw(
            """
            DELETE FROM incident_observables
            WHERE incident_id = \(bind: incident) AND type = \(bind: type.rawValue) AND value = \(bind: value)
            RETURNING id
            """
        ).first() != nil
    }

    func techniques(of incident: Incident.ID) async throws -> [IncidentTechnique] {
        try await sql.raw(
            """
            SELECT technique_id, tactic, origin FROM incident_techniques WHERE incident_id = \(bind: incident)
            ORDER BY technique_id
            """
        ).all().map { row in
            IncidentTechnique(
                techniqueID: try row.decode(column: "technique_id", as: String.self),
                tactic: try row.decode(column: "tactic", as: String?.self),
                origin: try row.decode(column: "origin", as: String.self))
        }
    }

    func add(technique: IncidentTechnique, to incident: Incident.ID, at: Date) async throws -> Bool {
        try await sql.raw(
            """
            INSERT INTO incident_techniques (incident_id, technique_id, tactic, origin, added_at)
            VALUES (\(bind: incident), \(bind: technique.techniqueID), \(bind: technique.tactic),
                    \(bind: technique.origin), \(bind: at.milliseconds))
            ON CONFLICT (incident_id, technique_id) DO NOTHING
            RETURNING technique_id
            """
        ).first() != nil
    }

    // MARK: - Tasks

    func tasks(of incident: Incident.ID) async throws -> [IncidentTask] {
        try await sql.raw(
            """
            SELECT number, title, description, phase, state, assignee, origin, created_at, updated_at, completed_at
            FROM incident_tasks WHERE incident_id = \(bind: incident) ORDER BY number
            """
        ).all().map { row in
            IncidentTask(
                number: try row.decode(column: "number", as: Int.self),
                title: try row.decode(column: "title", as: String.self),
                description: try row.decode(column: "description", as: String?.self),
                phase: try row.decode(column: "phase", as: String?.self),
                state: TaskState(rawValue: try row.decode(column: "state", as: String.self)) ?? .open,
                assignee: try row.decode(column: "assignee", as: String?.self),
                origin: try row.decode(column: "origin", as: String.self),
                createdAt: Date(milliseconds: try row.decode(column: "created_at", as: Int64.self)),
                updatedAt: Date(milliseconds: try row.decode(column: "updated_at", as: Int64.self)),
                completedAt: try row.decode(column: "completed_at", as: Int64?.self).map(Date.init(milliseconds:)))
        }
    }

    func add(task: IncidentTask, to incident: Incident.ID) async throws -> IncidentTask {
        let number =
            try await sql.raw(
                "SELECT COALESCE(MAX(number), 0) + 1 AS next FROM incident_tasks WHERE incident_id = \(bind: incident)"
            ).first(decodingColumn: "next", as: Int.self) ?? 1
        var stored = task
        stored.number = number
        try await sql.raw(
            """
            INSERT INTO incident_tasks (incident_id, number, title, description, phase, state, assignee, origin,
                created_at, updated_at, completed_at)
            VALUES (\(bind: incident), \(bind: number), \(bind: task.title), \(bind: task.description),
                    \(bind: task.phase), \(bind: task.state.rawValue), \(bind: task.assignee), \(bind: task.origin),
                    \(bind: task.createdAt.milliseconds), \(bind: task.updatedAt.milliseconds),
                    \(bind: task.completedAt?.milliseconds))
            """
        ).run()
        return stored
    }

    func save(task: IncidentTask, of incident: Incident.ID) async throws {
        try await sql.raw(
            """
            UPDATE incident_tasks SET title = \(bind: task.title), description = \(bind: task.description),
                state = \(bind: task.state.rawValue), assignee = \(bind: task.assignee),
                updated_at = \(bind: task.updatedAt.milliseconds), completed_at = \(bind: task.completedAt?.milliseconds)
            WHERE incident_id = \(bind: incident) AND number = \(bind: task.number)
            """
        ).run()
    }

    // MARK: - Evidence

    func evidence(of incident: Incident.ID) async throws -> [IncidentEvidence] {
        try await sql.raw(
            """
            SELECT id, sha256, size, file_name, description, added_by, added_at FROM incident_evidence
            WHERE incident_id = \(bind: incident) ORDER BY id
            """
        ).all().map { row in
            IncidentEvidence(
                id: try row.decode(column: "id", as: Int64.self),
                sha256: try row.decode(column: "sha256", as: String.self),
                size: try row.decode(column: "size", as: Int64.self),
                fileName: try row.decode(column: "file_name", as: String.self),
                description: try row.decode(column: "description", as: String?.self),
                addedBy: try row.decode(column: "added_by", as: String.self),
                addedAt: Date(milliseconds: try row.decode(column: "added_at", as: Int64.self)))
        }
    }

    func evidenceContent(sha256: String) async throws -> Data? {
        try await sql.raw("SELECT content FROM evidence_blobs WHERE sha256 = \(bind: sha256)")
            .first(decodingColumn: "content", as: Data.self)
    }

    func storeBlob(sha256: String, content: Data) async throws {
        try await sql.raw(
            """
            INSERT INTO evidence_blobs (sha256, size, content) VALUES (\(bind: sha256), \(bind: Int64(content.count)), \(bind: content))
            ON CONFLICT (sha256) DO NOTHING
            """
        ).run()
    }

    func add(evidence: IncidentEvidence, to incident: Incident.ID) async throws -> IncidentEvidence {
        let id = try await sql.raw(
            """
            INSERT INTO incident_evidence (incident_id, sha256, size, file_name, description, added_by, added_at)
            VALUES (\(bind: incident), \(bind: evidence.sha256), \(bind: evidence.size), \(bind: evidence.fileName),
                    \(bind: evidence.description), \(bind: evidence.addedBy), \(bind: evidence.addedAt.milliseconds))
            RETURNING id
            """
        ).first(decodingColumn: "id", as: Int64.self)
        var stored = evidence
        stored.id = id ?? 0
        return stored
    }

    func custody(of evidence: Int64) async throws -> [CustodyEntry] {
        try await sql.raw(
            "SELECT action, actor, at, detail FROM evidence_custody WHERE evidence_id = \(bind: evidence) ORDER BY id"
        ).all().map { row in
            CustodyEntry(
                action: try row.decode(column: "action", as: String.self),
                actor: try row.decode(column: "actor", as: String.self),
                at: Date(milliseconds: try row.decode(column: "at", as: Int64.self)),
                detail: try row.decode(column: "detail", as: String?.self))
        }
    }

    func add(custody: CustodyEntry, to evidence: Int64) async throws {
        try await sql.raw(
            """
            INSERT INTO evidence_custody (evidence_id, action, actor, at, detail)
            VALUES (\(bind: evidence), \(bind: custody.action), \(bind: custody.actor), \(bind: custody.at.milliseconds),
                    \(bind: custody.detail))
            """
        ).run()
    }

    // MARK: - Timeline and history

    func timeline(of incident: Incident.ID) async throws -> [TimelineEntry] {
        try await sql.raw(
            """
            SELECT at, category, message, actor, kind, recorded_at FROM incident_timeline
            WHERE incident_id = \(bind: incident) ORDER BY at, id
            """
        ).all().map { row in
            TimelineEntry(
                at: Date(milliseconds: try row.decode(column: "at", as: Int64.self)),
                category: try row.decode(column: "category", as: String?.self),
                message: try row.decode(column: "message", as: String.self),
                actor: try row.decode(column: "actor", as: String.self),
                kind: try row.decode(column: "kind", as: String.self),
                recordedAt: Date(milliseconds: try row.decode(column: "recorded_at", as: Int64.self)))
        }
    }

    func add(timeline entry: TimelineEntry, to incident: Incident.ID) async throws {
        try await sql.raw(
            """
            INSERT INTO incident_timeline (incident_id, at, category, message, actor, kind, recorded_at)
            VALUES (\(bind: incident), \(bind: entry.at.milliseconds), \(bind: entry.category), \(bind: entry.message),
                    \(bind: entry.actor), \(bind: entry.kind), \(bind: entry.recordedAt.milliseconds))
            """
        ).run()
    }

    func history(of incident: Incident.ID) async throws -> [IncidentHistoryEntry] {
        try await sql.raw(
            """
            SELECT at, actor, action, field, old_value, new_value FROM incident_history
            WHERE incident_id = \(bind: incident) ORDER BY id
            """
        ).all().map { row in
            IncidentHistoryEntry(
                at: Date(milliseconds: try row.decode(column: "at", as: Int64.self)),
                actor: try row.decode(column: "actor", as: String.self),
                action: try row.decode(column: "action", as: String.self),
                field: try row.decode(column: "field", as: String?.self),
                oldValue: try row.decode(column: "old_value", as: String?.self),
                newValue: try row.decode(column: "new_value", as: String?.self))
        }
    }

    func add(history entries: [IncidentHistoryEntry], to incident: Incident.ID) async throws {
        for entry in entries {
            try await sql.raw(
                """
                INSERT INTO incident_history (incident_id, at, actor, action, field, old_value, new_value)
                VALUES (\(bind: incident), \(bind: entry.at.milliseconds), \(bind: entry.actor), \(bind: entry.action),
                        \(bind: entry.field), \(bind: entry.oldValue), \(bind: entry.newValue))
                """
            ).run()
        }
    }

    func append(audit events: [AuditEvent]) async throws {
        try await SQLAuditLog.append(events, on: sql, backend: backend)
    }

    func append(events changes: [ChangeEvent], at: Date) async throws {
        try await EventLog.append(changes, at: at, on: sql, backend: backend)
    }

    // MARK: - Decoding

    static func decodeIncident(_ row: any SQLRow) throws -> Incident {
        func date(_ column: String) throws -> Date? {
            try row.decode(column: column, as: Int64?.self).map(Date.init(milliseconds:))
        }
        return Incident(
            id: try row.decode(column: "id", as: Int64.self),
            key: IncidentKey(
                year: try row.decode(column: "year", as: Int.self),
                number: try row.decode(column: "number", as: Int.self)),
            title: try row.decode(column: "title", as: String.self),
            description: try row.decode(column: "description", as: String?.self),
            type: try row.decode(column: "type", as: String?.self),
            severity: Severity(rawValue: try row.decode(column: "severity_id", as: Int.self)) ?? .unknown,
            state: IncidentState(rawValue: try row.decode(column: "state", as: String.self)) ?? .new,
            assignee: try row.decode(column: "assignee", as: String?.self),
            resolution: try row.decode(column: "resolution", as: String?.self).flatMap(
                IncidentResolution.init(rawValue:)),
            summary: try row.decode(column: "summary", as: String?.self),
            lessons: try row.decode(column: "lessons", as: String?.self),
            createdBy: try row.decode(column: "created_by", as: String.self),
            createdAt: Date(milliseconds: try row.decode(column: "created_at", as: Int64.self)),
            updatedAt: Date(milliseconds: try row.decode(column: "updated_at", as: Int64.self)),
            acknowledgedAt: try date("acknowledged_at"),
            investigatingAt: try date("investigating_at"),
            containedAt: try date("contained_at"),
            eradicatedAt: try date("eradicated_at"),
            recoveredAt: try date("recovered_at"),
            closedAt: try date("closed_at"))
    }
}
