import CoreRecon
import Foundation
import SQLKit

/// ``AlertRepository`` over SQL, the same statements on SQLite and PostgreSQL.
public struct SQLAlertRepository: AlertRepository {
    let database: Database
    /// The policies new alerts' SLA clocks start by.
    let sla: SLASettings

    public init(database: Database, sla: SLASettings = SLASettings()) {
        self.database = database
        self.sla = sla
    }

    private var backend: DatabaseBackend { database.backend }

    /// The columns every alert read selects.
    var alertColumns: String { Self.alertColumns(backend) }

    static func alertColumns(_ backend: DatabaseBackend) -> String {
        """
        alerts.id, alerts.fingerprint, alerts.source, alerts.product, alerts.vendor, alerts.rule_uid, alerts.title,
        alerts.description, alerts.severity_id, alerts.status, alerts.assignee, alerts.close_reason,
        alerts.occurrences, alerts.first_seen, alerts.last_seen, alerts.created_at, alerts.updated_at,
        (SELECT \(backend.commaAggregate("t.technique_id")) FROM alert_techniques t WHERE t.alert_id = alerts.id)
            AS techniques
        """
    }

    // MARK: - Storing

    public func store(_ batch: [NormalizedAlert], receivedAt: Date, dedupWindow: Duration, by actor: String)
        async throws -> [StoreOutcome]
    {
        guard !batch.isEmpty else { return [] }
        let documents = try await database.storedDocuments(of: batch, now: receivedAt)
        return try await database.transaction { sql in
            let outcomes = try await AlertBatchWriter(
                sql: sql, backend: backend, batch: batch, documents: documents, receivedAt: receivedAt,
                window: dedupWindow.milliseconds
            ).write()
            try await startClocks(for: outcomes, at: receivedAt, on: sql)
            let event = AuditEvent(ingestBatch: batch, outcomes: outcomes, actor: actor, at: receivedAt)
            try await SQLAuditLog.append([event], on: sql, backend: backend)
            try await Self.appendEvents(for: outcomes, at: receivedAt, on: sql, backend: backend)
            return outcomes
        }
    }

    /// The stored form replaces the document's text (`ocsf` becomes empty): a prepared batch waiting for its turn
    /// holds a frame of a few hundred bytes an alert instead of kilobytes of JSON.
    public func prepare(_ batch: [NormalizedAlert], at: Date) async throws -> [NormalizedAlert] {
        guard let documents = try await database.storedDocuments(of: batch, now: at) else { return batch }
        var prepared = batch
        for index in prepared.indices {
            prepared[index].storedDocument = documents[index]
            prepared[index].ocsf = ""
        }
        return prepared
    }

    /// Starts the SLA clocks of the alerts a batch created (nothing to do when no policy covers alerts).
    private func startClocks(for outcomes: [StoreOutcome], at: Date, on sql: any SQLDatabase) async throws {
        guard sla.policies.contains(where: { $0.target == .alert }) else { return }
        let created = outcomes.compactMap { outcome -> Alert.ID? in
            if case .created(let id) = outcome { return id }
            return nil
        }
        var subjects: [SLAClockWriter.Subject] = []
        for start in stride(from: 0, to: created.count, by: backend.maximumBinds) {
            let chunk = Array(created[start..<min(start + backend.maximumBinds, created.count)])
            subjects += try await sql.raw(
                "SELECT id, severity_id, source FROM alerts WHERE id IN (\(binds: chunk))"
            ).all().map { row in
                SLAClockWriter.Subject(
                    id: try row.decode(column: "id", as: Int64.self),
                    severity: Severity(rawValue: try row.decode(column: "severity_id", as: Int.self)) ?? .unknown,
                    source: try row.decode(column: "source", as: String.self))
            }
        }
        try await SLAClockWriter(sql: sql, backend: backend, settings: sla).start(.alert, subjects, at: at)
    }

    /// The stream events of a stored batch, in the same transaction: `alert.created` for each new alert and
    /// `alert.updated` once for each alert that records merged into, with the state as committed (one query).
    static func appendEvents(
        for outcomes: [StoreOutcome], at: Date, on sql: any SQLDatabase, backend: DatabaseBackend
    ) async throws {
        var created: [Alert.ID] = []
        var updated: [Alert.ID] = []
        var seen = Set<Alert.ID>()
        for outcome in outcomes {
            switch outcome {
            case .created(let id):
                if seen.insert(id).inserted { created.append(id) }
            case .merged(let id):
                if seen.insert(id).inserted { updated.append(id) }
            case .redelivered:
                break
            }
        }
        let ids = created + updated
        guard !ids.isEmpty else { return }
        var byID: [Alert.ID: Alert] = [:]
        for start in stride(from: 0, to: ids.count, by: backend.maximumBinds) {
            let chunk = Array(ids[start..<min(start + backend.maximumBinds, ids.count)])
            for alert in try await Self.alerts(
                "SELECT \(unsafeRaw: alertColumns(backend)) FROM alerts WHERE alerts.id IN (\(binds: chunk))", on: sql
            ) {
                byID[alert.id] = alert
            }
        }
        let changes =
            created.compactMap { byID[$0].map { ChangeEvent.alert(AlertEvent(kind: .created, alert: $0)) } }
            + updated.compactMap { byID[$0].map { ChangeEvent.alert(AlertEvent(kind: .updated, alert: $0)) } }
        try await EventLog.append(changes, at: at, on: sql, backend: backend)
    }

    // MARK: - Reading

    public func alert(id: Alert.ID) async throws -> Alert? {
        try await database.read { sql in try await Self.alert(id: id, on: sql, backend: backend) }
    }

    public func alerts(ids: [Alert.ID]) async throws -> [Alert] {
        guard !ids.isEmpty else { return [] }
        var alerts: [Alert] = []
        for start in stride(from: 0, to: ids.count, by: backend.maximumBinds) {
            let chunk = Array(ids[start..<min(start + backend.maximumBinds, ids.count)])
            alerts += try await database.read { sql in
                try await Self.alerts(
                    "SELECT \(unsafeRaw: alertColumns) FROM alerts WHERE alerts.id IN (\(binds: chunk))", on: sql
                )
            }
        }
        return alerts
    }

    /// Alert `id` read on a connection the caller holds (inside its transaction).
    static func alert(id: Alert.ID, on sql: any SQLDatabase, backend: DatabaseBackend) async throws -> Alert? {
        try await alerts(
            "SELECT \(unsafeRaw: alertColumns(backend)) FROM alerts WHERE alerts.id = \(bind: id)", on: sql
        ).first
    }

    public func list(_ query: AlertQuery) async throws -> AlertPage {
        let (orderColumn, filter) = try whereClause(for: query)
        let pageSize = query.limit > 0 ? query.limit : Int.max
        let hint = try await isBroadSearch(query) ? backend.newestFirstHint : ""
        var statement: SQLQueryString =
            "SELECT \(unsafeRaw: alertColumns) FROM alerts\(unsafeRaw: hint) WHERE \(filter)"
        statement.appendLiteral(" ORDER BY \(orderColumn) DESC, alerts.id DESC")
        if query.limit > 0 {
            // One extra row tells whether there is a next page.
            statement.appendLiteral(" LIMIT \(query.limit + 1)")
            if query.cursor == nil && query.offset > 0 { statement.appendLiteral(" OFFSET \(query.offset)") }
        } else if query.cursor == nil && query.offset > 0 {
            statement.appendLiteral(backend == .sqlite ? " LIMIT -1 OFFSET \(query.offset)" : " OFFSET \(query.offset)")
        }
        var alerts = try await database.read { sql in
            try await Self.alerts(statement, on: sql)
        }
        var next: AlertCursor?
        if alerts.count > pageSize {
            alerts.removeLast(alerts.count - pageSize)
            next = alerts.last.map { AlertCursor.after($0, sort: query.sort) }
        }
        return AlertPage(alerts: alerts, nextCursor: next)
    }

    /// Searches matching more alerts than this are answered by walking alerts newest-first.
    static let broadSearchMatches = 5_000

    /// True when `query` searches text that many alerts match and lists newest first.
    private func isBroadSearch(_ query: AlertQuery) async throws -> Bool {
        guard query.sort == .lastSeen, let search = query.search,
            let count = backend.searchMatchCount(search, upTo: Self.broadSearchMatches)
        else {
            return false
        }
        let matches = try await database.read { sql in
            try await sql.raw(count).first(decodingColumn: "n", as: Int.self) ?? 0
        }
        return matches > Self.broadSearchMatches
    }

    /// The ORDER BY column and the WHERE condition for `query`; shared by lists and bulk `--where`.
    func whereClause(for query: AlertQuery) throws -> (String, SQLQueryString) {
        var conditions: [SQLQueryString] = ["1 = 1"]
        if !query.statuses.isEmpty {
            conditions.append("alerts.status IN (\(binds: query.statuses.map(\.rawValue)))")
        }
        if let minimum = query.minimumSeverity {
            // `other` (99) has no rank on the scale and never meets a minimum.
            // A literal, not a bind: the planners match it to the partial index of that threshold.
            conditions.append(
                "alerts.severity_id >= \(unsafeRaw: String(minimum.rawValue)) AND alerts.severity_id <= 6")
        }
        if !query.sources.isEmpty {
            conditions.append("alerts.source IN (\(binds: query.sources))")
        }
        if let since = query.since { conditions.append("alerts.last_seen >= \(bind: since.milliseconds)") }
        if let until = query.until { conditions.append("alerts.last_seen <= \(bind: until.milliseconds)") }
        if let receivedSince = query.receivedSince {
            // `created_at` is when CoreRecon stored the alert, whatever time its events carry.
            conditions.append("alerts.created_at >= \(bind: receivedSince.milliseconds)")
        }
        if let assignee = query.assignee {
            conditions.append(assignee == "none" ? "alerts.assignee IS NULL" : "alerts.assignee = \(bind: assignee)")
        }
        if let search = query.search, !search.trimmingCharacters(in: .whitespaces).isEmpty {
            conditions.append(backend.alertTextMatch(search))
        }
        if let technique = query.technique {
            let id = technique.uppercased()
            // A technique also matches its sub-techniques: T1059 finds T1059.001 ('/' sorts right after '.').
            // A correlated probe lets the newest-first walk stop as soon as a page is full.
            conditions.append(
                """
                EXISTS (SELECT 1 FROM alert_techniques t WHERE t.alert_id = alerts.id
                        AND (t.technique_id = \(bind: id)
                             OR (t.technique_id >= \(bind: id + ".") AND t.technique_id < \(bind: id + "/"))))
                """
            )
        }
        if let state = query.sla {
            let at = (query.slaAt ?? Date()).milliseconds
            let clause: SQLQueryString =
                switch state {
                case .atRisk: "c.state = 'running' AND c.at_risk_at <= \(bind: at) AND c.deadline_at > \(bind: at)"
                case .paused: "c.state = 'paused'"
                default: "c.state = 'running' AND c.deadline_at <= \(bind: at)"
                }
            conditions.append(
                "EXISTS (SELECT 1 FROM sla_clocks c WHERE c.target = 'alert' AND c.target_id = alerts.id AND \(clause))"
            )
        }
        let column = Self.sortColumn(query.sort)
        if let cursor = query.cursor {
            try query.checkCursor()
            conditions.append(
                "(\(unsafeRaw: column) < \(bind: cursor.value) OR (\(unsafeRaw: column) = \(bind: cursor.value) AND alerts.id < \(bind: cursor.id)))"
            )
        }
        return (column, conditions.map { "(\($0))" as SQLQueryString }.joined(separator: " AND "))
    }

    static func sortColumn(_ sort: AlertSort) -> String {
        switch sort {
        case .lastSeen: "alerts.last_seen"
        case .firstSeen: "alerts.first_seen"
        case .severity: "alerts.severity_id"
        case .occurrences: "alerts.occurrences"
        case .id: "alerts.id"
        }
    }

    public func ocsf(id: Alert.ID) async throws -> String? {
        try await database.withConnection { sql in try await database.alertDocument(id: id, on: sql) }
    }

    /// The basis as stored: inside the document's frame (``StoredDocument``), or in its column for rows stored
    /// before migration 20 and not converted since.
    public func fingerprintBasis(id: Alert.ID) async throws -> [FingerprintPart] {
        let text = try await database.withConnection { sql -> String? in
            guard
                let row = try await sql.raw(
                    """
                    SELECT fingerprint_basis, \(unsafeRaw: database.documentColumn("ocsf")) AS ocsf
                    FROM alerts WHERE id = \(bind: id)
                    """
                ).first()
            else { return nil }
            let column = try row.decode(column: "fingerprint_basis", as: String.self)
            guard column.isEmpty else { return column }
            return try await database.storedDocument(row, column: "ocsf", on: sql).fingerprintBasis
        }
        guard let text else { return [] }
        return try Self.fingerprintBasis(text)
    }

    /// The fields and values a fingerprint was made of, as stored: an object of field to value, in order
    /// (`{"product":"Wazuh","rule":"5712"}`), or, as releases before migration 17 wrote it, an array of
    /// `{"field": ..., "value": ...}` objects.
    static func fingerprintBasis(_ text: String) throws -> [FingerprintPart] {
        if case .object(let members) = try JSONParser.parse(text) {
            return members.map { FingerprintPart(field: $0.key, value: $0.value.text ?? "") }
        }
        return try JSONDecoder().decode([FingerprintPart].self, from: Data(text.utf8))
    }

    /// The stored form of a fingerprint's basis (see ``fingerprintBasis(_:)``): an object of field to value.
    static func basisObject(_ parts: [FingerprintPart]) -> JSONValue {
        .object(parts.map { JSONMember($0.field, .string($0.value)) })
    }

    public func deliveries(id: Alert.ID) async throws -> [AlertDelivery] {
        try await database.withConnection { sql in
            try await sql.raw(
                """
                SELECT delivery_key, received_at, event_time FROM alert_deliveries
                WHERE alert_id = \(bind: id) ORDER BY event_time, delivery_key
                """
            ).all().map { row in
                AlertDelivery(
                    key: try row.decode(column: "delivery_key", as: String.self),
                    receivedAt: Date(milliseconds: try row.decode(column: "received_at", as: Int64.self)),
                    eventTime: Date(milliseconds: try row.decode(column: "event_time", as: Int64.self))
                )
            }
        }
    }

    /// Values too common to say anything (`127.0.0.1`, `unknown`, ...; ``Observable/isLinkable``) stay on the
    /// alerts but link nothing: the alert's own observables are read and filtered first, and only the rest are
    /// looked up in the index.
    public func related(id: Alert.ID, window: Duration, limit: Int) async throws -> [RelatedAlert] {
        let kinds = Observable.Kind.allCases.filter(\.correlates).map(\.rawValue)
        let windowMilliseconds = window.milliseconds
        return try await database.withConnection { sql in
            let links = try await sql.raw(
                "SELECT type, value FROM alert_observables WHERE alert_id = \(bind: id) AND type IN (\(binds: kinds))"
            ).all().compactMap { row -> Observable? in
                guard let kind = Observable.Kind(rawValue: try row.decode(column: "type", as: String.self)) else {
                    return nil
                }
                let observable = Observable(
                    kind: kind, value: try row.decode(column: "value", as: String.self), name: kind.rawValue)
                return observable.isLinkable ? observable : nil
            }
            guard !links.isEmpty else { return [] }
            /// True for rows of `alert_observables` named `table` that hold one of the links.
            func holdsLink(_ table: String) -> SQLQueryString {
                links.map { link -> SQLQueryString in
                    "(\(unsafeRaw: table).type = \(bind: link.kind.rawValue) AND \(unsafeRaw: table).value = \(bind: link.value))"
                }.joined(separator: " OR ")
            }
            let rows: [any SQLRow]
            switch backend {
            case .postgres:
                rows = try await sql.raw(
                    """
                    SELECT o2.alert_id, o1.type, o1.value, MAX(a2.last_seen) AS last_seen
                    FROM alerts a1
                    JOIN alert_observables o1 ON o1.alert_id = a1.id
                    JOIN alert_observables o2
                        ON o2.type = o1.type AND o2.value = o1.value AND o2.alert_id <> o1.alert_id
                    JOIN alerts a2 ON a2.id = o2.alert_id
                    WHERE a1.id = \(bind: id) AND (\(holdsLink("o1")))
                      AND a2.last_seen >= a1.first_seen - \(bind: windowMilliseconds)
                      AND a2.first_seen <= a1.last_seen + \(bind: windowMilliseconds)
                    GROUP BY o2.alert_id, o1.type, o1.value
                    ORDER BY last_seen DESC, o2.alert_id DESC
                    """
                ).all()
            case .sqlite:
                // The alerts whose documents in the observable index (migration 22) hold one of the keys, then
                // their rows that match a link on type and value.
                let keys = ObservableKey.anyOf(links.map { ObservableKey.key(type: $0.kind.rawValue, value: $0.value) })
                rows = try await sql.raw(
                    """
                    SELECT o2.alert_id, o2.type, o2.value, MAX(a2.last_seen) AS last_seen
                    FROM alerts a1, alert_observable_keys k
                    JOIN alert_observables o2 ON o2.alert_id = k.rowid
                    JOIN alerts a2 ON a2.id = o2.alert_id
                    WHERE a1.id = \(bind: id) AND alert_observable_keys MATCH \(bind: keys) AND k.rowid <> a1.id
                      AND (\(holdsLink("o2")))
                      AND a2.last_seen >= a1.first_seen - \(bind: windowMilliseconds)
                      AND a2.first_seen <= a1.last_seen + \(bind: windowMilliseconds)
                    GROUP BY o2.alert_id, o2.type, o2.value
                    ORDER BY last_seen DESC, o2.alert_id DESC
                    """
                ).all()
            }
            var shared: [Alert.ID: [Observable]] = [:]
            var order: [Alert.ID] = []
            for row in rows {
                let other = try row.decode(column: "alert_id", as: Int64.self)
                guard let kind = Observable.Kind(rawValue: try row.decode(column: "type", as: String.self)) else {
                    continue
                }
                if shared[other] == nil {
                    guard order.count < limit else { continue }
                    order.append(other)
                }
                shared[other, default: []].append(
                    Observable(kind: kind, value: try row.decode(column: "value", as: String.self), name: kind.rawValue)
                )
            }
            guard !order.isEmpty else { return [] }
            let alerts = try await Self.alerts(
                "SELECT \(unsafeRaw: alertColumns) FROM alerts WHERE alerts.id IN (\(binds: order))", on: sql
            )
            let byID = Dictionary(uniqueKeysWithValues: alerts.map { ($0.id, $0) })
            return order.compactMap { other in
                byID[other].map { RelatedAlert(alert: $0, shared: shared[other] ?? []) }
            }
        }
    }

    public func history(id: Alert.ID) async throws -> [AlertHistoryEntry] {
        try await database.withConnection { sql in
            try await sql.raw(
                """
                SELECT alert_id, at, actor, action, field, old_value, new_value, message
                FROM alert_history WHERE alert_id = \(bind: id) ORDER BY id
                """
            ).all().map { row in
                AlertHistoryEntry(
                    alertID: try row.decode(column: "alert_id", as: Int64.self),
                    at: Date(milliseconds: try row.decode(column: "at", as: Int64.self)),
                    actor: try row.decode(column: "actor", as: String.self),
                    action: try row.decode(column: "action", as: String.self),
                    field: try row.decode(column: "field", as: String?.self),
                    oldValue: try row.decode(column: "old_value", as: String?.self),
                    newValue: try row.decode(column: "new_value", as: String?.self),
                    message: try row.decode(column: "message", as: String?.self)
                )
            }
        }
    }

    // MARK: - Changing

    public func update(id: Alert.ID, _ change: (inout Alert) throws -> [AlertHistoryEntry]) async throws -> Alert? {
        try await database.transaction { sql in
            guard
                var alert = try await Self.alerts(
                    """
                    SELECT \(unsafeRaw: alertColumns) FROM alerts
                    WHERE alerts.id = \(bind: id)\(unsafeRaw: backend.lockForUpdate)
                    """, on: sql
                ).first
            else { return nil }
            let entries = try change(&alert)
            try await sql.raw(
                """
                UPDATE alerts SET status = \(bind: alert.status.rawValue), assignee = \(bind: alert.assignee),
                    close_reason = \(bind: alert.closeReason?.rawValue), updated_at = \(bind: alert.updatedAt.milliseconds)
                WHERE id = \(bind: id)
                """
            ).run()
            for entry in entries {
                try await Self.insertHistory(entry, on: sql)
            }
            try await SLAClockWriter(sql: sql, backend: backend, settings: sla).update(
                .alert, id: id, reached: SLAMetric.reached(by: alert.status), at: alert.updatedAt)
            if let event = AuditEvent(alertChange: entries) {
                try await SQLAuditLog.append([event], on: sql, backend: backend)
            }
            if !entries.isEmpty {
                try await EventLog.append(
                    [.alert(AlertEvent(kind: .updated, alert: alert))], at: alert.updatedAt, on: sql, backend: backend)
            }
            return alert
        }
    }

    static func insertHistory(_ entry: AlertHistoryEntry, on sql: any SQLDatabase) async throws {
        try await sql.raw(
            """
            INSERT INTO alert_history (alert_id, at, actor, action, field, old_value, new_value, message)
            VALUES (\(bind: entry.alertID), \(bind: entry.at.milliseconds), \(bind: entry.actor),
                    \(bind: entry.action), \(bind: entry.field), \(bind: entry.oldValue),
                    \(bind: entry.newValue), \(bind: entry.message))
            """
        ).run()
    }

    // MARK: - Decoding

    /// The alerts `query` selects (its columns ``alertColumns(_:)``), read straight from the driver when it can.
    static func alerts(_ query: SQLQueryString, on sql: any SQLDatabase) async throws -> [Alert] {
        try await sql.rows(query, plain: decodeAlert, decoded: decodeAlert)
    }

    /// An alert from a row of ``alertColumns(_:)`` read by position.
    static func decodeAlert(_ row: PlainRow) throws -> Alert {
        Alert(
            id: try row.int64(0),
            fingerprint: try row.text(1),
            source: try row.text(2),
            product: try row.text(3),
            vendor: try row.optionalText(4),
            ruleUID: try row.optionalText(5),
            title: try row.text(6),
            description: try row.optionalText(7),
            severity: Severity(rawValue: try row.int(8)) ?? .unknown,
            status: AlertStatus(rawValue: try row.text(9)) ?? .new,
            assignee: try row.optionalText(10),
            closeReason: try row.optionalText(11).flatMap(CloseReason.init(rawValue:)),
            occurrences: try row.int(12),
            firstSeen: Date(milliseconds: try row.int64(13)),
            lastSeen: Date(milliseconds: try row.int64(14)),
            createdAt: Date(milliseconds: try row.int64(15)),
            updatedAt: Date(milliseconds: try row.int64(16)),
            techniques: try row.optionalText(17).map { $0.split(separator: ",").map(String.init).sorted() } ?? []
        )
    }

    static func decodeAlert(_ row: any SQLRow) throws -> Alert {
        let techniques = try row.decodeOptional(column: "techniques", as: String.self)
        return Alert(
            id: try row.decode(column: "id", as: Int64.self),
            fingerprint: try row.decode(column: "fingerprint", as: String.self),
            source: try row.decode(column: "source", as: String.self),
            product: try row.decode(column: "product", as: String.self),
            vendor: try row.decodeOptional(column: "vendor", as: String.self),
            ruleUID: try row.decodeOptional(column: "rule_uid", as: String.self),
            title: try row.decode(column: "title", as: String.self),
            description: try row.decodeOptional(column: "description", as: String.self),
            severity: Severity(rawValue: try row.decode(column: "severity_id", as: Int.self)) ?? .unknown,
            status: AlertStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .new,
            assignee: try row.decodeOptional(column: "assignee", as: String.self),
            closeReason: try row.decodeOptional(column: "close_reason", as: String.self).flatMap(
                CloseReason.init(rawValue:)),
            occurrences: try row.decode(column: "occurrences", as: Int.self),
            firstSeen: Date(milliseconds: try row.decode(column: "first_seen", as: Int64.self)),
            lastSeen: Date(milliseconds: try row.decode(column: "last_seen", as: Int64.self)),
            createdAt: Date(milliseconds: try row.decode(column: "created_at", as: Int64.self)),
            updatedAt: Date(milliseconds: try row.decode(column: "updated_at", as: Int64.self)),
            techniques: techniques.map { $0.split(separator: ",").map(String.init).sorted() } ?? []
        )
    }
}
