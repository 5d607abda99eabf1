import CoreRecon
import Foundation
import SQLKit

/// Writes one batch of normalized alerts inside a transaction: skips re-deliveries, merges repeated
/// fingerprints into open alerts, creates the rest, and records deliveries, observables and techniques.
///
/// Statements are multi-row so a batch costs a handful of round trips, not one per record.
struct AlertBatchWriter {
    let sql: any SQLDatabase
    let backend: DatabaseBackend
    let batch: [NormalizedAlert]
    /// Each alert's stored document (``Database/storedDocuments(of:now:)``), or nil to store the JSON text's bytes
    /// (read as an uncompressed document).
    let documents: [Data]?
    let receivedAt: Date
    /// Dedup window, milliseconds.
    let window: Int64

    /// An alert this batch merges into: one already stored, or one the batch creates.
    private struct Target {
        var existingID: Alert.ID?
        /// Index into `creations` for alerts this batch creates.
        var creation: Int?
        var firstSeen: Int64
        var lastSeen: Int64
    }

    private struct Creation {
        var record: Int
        var occurrences = 1
        var firstSeen: Int64
        var lastSeen: Int64
    }

    private struct Merge {
        var occurrences = 0
        var firstSeen: Int64
        var lastSeen: Int64
    }

    func write() async throws -> [StoreOutcome] {
        let now = receivedAt.milliseconds

        // 1. Re-deliveries: keys already stored, and repeats within the batch.
        let stored = try await existingDeliveries(Array(Set(batch.map(\.deliveryKey))))
        var firstIndexOfKey: [String: Int] = [:]

        // 2. Open alerts for the batch's fingerprints, the most recently seen first.
        var targets: [String: Target] = try await openAlerts(Array(Set(batch.map(\.fingerprint))))

        // 3. Decide, record by record, in input order.
        enum Decision {
            case redelivered(Alert.ID), redeliveredInBatch(Int), create(Int), mergeExisting(Alert.ID), mergeCreated(Int)
        }
        var decisions: [Decision] = []
        var creations: [Creation] = []
        var merges: [Alert.ID: Merge] = [:]
        decisions.reserveCapacity(batch.count)
        for (index, alert) in batch.enumerated() {
            if let id = stored[alert.deliveryKey] {
                decisions.append(.redelivered(id))
                continue
            }
            if let first = firstIndexOfKey[alert.deliveryKey] {
                decisions.append(.redeliveredInBatch(first))
                continue
            }
            firstIndexOfKey[alert.deliveryKey] = index
            let time = alert.eventTime.milliseconds
            if var target = targets[alert.fingerprint],
                abs(time - target.lastSeen) <= window || (time >= target.firstSeen && time <= target.lastSeen)
            {
                target.firstSeen = min(target.firstSeen, time)
                target.lastSeen = max(target.lastSeen, time)
                targets[alert.fingerprint] = target
                if let creation = target.creation {
                    creations[creation].occurrences += 1
                    creations[creation].firstSeen = target.firstSeen
                    creations[creation].lastSeen = target.lastSeen
                    decisions.append(.mergeCreated(creation))
                } else if let id = target.existingID {
                    var merge = merges[id] ?? Merge(firstSeen: time, lastSeen: time)
                    merge.occurrences += 1
                    merge.firstSeen = min(merge.firstSeen, time)
                    merge.lastSeen = max(merge.lastSeen, time)
                    merges[id] = merge
                    decisions.append(.mergeExisting(id))
                }
                continue
            }
            creations.append(Creation(record: index, firstSeen: time, lastSeen: time))
            targets[alert.fingerprint] = Target(creation: creations.count - 1, firstSeen: time, lastSeen: time)
            decisions.append(.create(creations.count - 1))
        }

        // 4. Write.
        let createdIDs = try await insertAlerts(creations, now: now)
        try await indexWords(of: creations, ids: createdIDs)
        try await updateMerged(merges, now: now)

        var outcomes: [StoreOutcome] = []
        var deliveries: [(String, Alert.ID, Int64)] = []
        var observed: [(Alert.ID, Int)] = []
        for (index, decision) in decisions.enumerated() {
            let outcome: StoreOutcome
            switch decision {
            case .redelivered(let id):
                outcome = .redelivered(id)
            case .redeliveredInBatch(let first):
                outcome = .redelivered(outcomes[first].alertID)
            case .create(let creation):
                outcome = .created(createdIDs[creation])
            case .mergeCreated(let creation):
                outcome = .merged(createdIDs[creation])
            case .mergeExisting(let id):
                outcome = .merged(id)
            }
            outcomes.append(outcome)
            switch decision {
            case .redelivered, .redeliveredInBatch:
                break
            default:
                deliveries.append((batch[index].deliveryKey, outcome.alertID, batch[index].eventTime.milliseconds))
                observed.append((outcome.alertID, index))
            }
        }
        try await insertDeliveries(deliveries, now: now)
        try await insertObservables(observed, stored: Set(merges.keys))
        try await insertTechniques(observed)
        return outcomes
    }

    // MARK: - Queries

    private func existingDeliveries(_ keys: [String]) async throws -> [String: Alert.ID] {
        var found: [String: Alert.ID] = [:]
        for chunk in keys.chunked(into: 1_000) {
            for row in try await sql.run(Self.deliveryLookup(backend, chunk)) {
                found[try row.text(0)] = try row.int64(1)
            }
        }
        return found
    }

    private func openAlerts(_ fingerprints: [String]) async throws -> [String: Target] {
        var targets: [String: Target] = [:]
        for chunk in fingerprints.chunked(into: 1_000) {
            for row in try await sql.run(Self.openAlertLookup(backend, chunk)) {
                let fingerprint = try row.text(1)
                let lastSeen = try row.int64(3)
                if let current = targets[fingerprint], current.lastSeen >= lastSeen { continue }
                targets[fingerprint] = Target(
                    existingID: try row.int64(0), firstSeen: try row.int64(2), lastSeen: lastSeen)
            }
        }
        return targets
    }

    /// The stored deliveries among `keys`: `(delivery_key, alert_id)` rows.
    ///
    /// On PostgreSQL, for a batch of ``PlainStatement/arrayRows`` keys or more, each key is looked up through the
    /// primary key on its own (a lateral subquery with `LIMIT 1`, which the planner cannot fold into a join).
    /// Given `delivery_key IN (...)` with a thousand keys, it scanned the whole table instead, in parallel,
    /// whenever that looked cheaper than a thousand index probes: 240 scans of up to 200,000 rows in an ingest of
    /// 200,000 records, 26 ms a batch against about 3 for the probes, the scan growing with the table until it is
    /// too big to be chosen.
    static func deliveryLookup(_ backend: DatabaseBackend, _ keys: some Collection<String>) -> PlainStatement {
        if !PlainStatement.bindsArrays(backend, rows: keys.count) {
            return PlainStatement(
                backend, "SELECT delivery_key, alert_id FROM alert_deliveries WHERE delivery_key IN ",
                in: keys.map(PlainValue.init))
        } else {
            var statement = PlainStatement(backend, "SELECT k.key, d.alert_id FROM unnest(")
            statement.bind(.array(PlainArray(element: .text, values: keys.map(PlainValue.init))))
            statement.append(
                """
                ::text[]) AS k (key) CROSS JOIN LATERAL (SELECT alert_id FROM alert_deliveries
                WHERE delivery_key = k.key LIMIT 1) AS d
                """)
            return statement
        }
    }

    /// The open alerts of `fingerprints`: `(id, fingerprint, first_seen, last_seen)` rows. On PostgreSQL, for many
    /// fingerprints, each is looked up through the open-alert index on its own (`OFFSET 0` keeps the lateral
    /// subquery from being folded into a join the planner may run as a scan of every alert), as in
    /// ``deliveryLookup(_:_:)``.
    static func openAlertLookup(_ backend: DatabaseBackend, _ fingerprints: some Collection<String>)
        -> PlainStatement
    {
        if !PlainStatement.bindsArrays(backend, rows: fingerprints.count) {
            return PlainStatement(
                backend, "SELECT id, fingerprint, first_seen, last_seen FROM alerts WHERE fingerprint IN ",
                in: fingerprints.map(PlainValue.init), " AND status <> 'closed'")
        } else {
            var statement = PlainStatement(
                backend, "SELECT a.id, a.fingerprint, a.first_seen, a.last_seen FROM unnest(")
            statement.bind(.array(PlainArray(element: .text, values: fingerprints.map(PlainValue.init))))
            statement.append(
                """
                ::text[]) AS f (fingerprint) CROSS JOIN LATERAL (SELECT id, fingerprint, first_seen, last_seen
                FROM alerts WHERE alerts.fingerprint = f.fingerprint AND status <> 'closed' OFFSET 0) AS a
                """)
            return statement
        }
    }

    /// PostgreSQL: the rows among `values` that the alerts `ids` hold already, `(alert_id, type, value)`; for many
    /// alerts, each read through the index on `alert_id` on its own (see ``openAlertLookup(_:_:)``).
    static func heldObservableLookup(_ ids: [Alert.ID], values: [String]) -> PlainStatement {
        if !PlainStatement.bindsArrays(.postgres, rows: max(ids.count, values.count)) {
            var statement = PlainStatement(
                .postgres, "SELECT alert_id, type, value FROM alert_observables WHERE alert_id IN ",
                in: ids.map(PlainValue.init), " AND value IN (")
            statement.bind(values.map(PlainValue.init))
            statement.append(")")
            return statement
        }
        var statement = PlainStatement(.postgres, "SELECT o.alert_id, o.type, o.value FROM unnest(")
        statement.bind(.array(PlainArray(element: .int8, values: ids.map(PlainValue.init))))
        statement.append(
            """
            ::int8[]) AS i (id) CROSS JOIN LATERAL (SELECT alert_id, type, value FROM alert_observables
            WHERE alert_id = i.id AND value = ANY(
            """)
        statement.bind(.array(PlainArray(element: .text, values: values.map(PlainValue.init))))
        statement.append("::text[]) OFFSET 0) AS o")
        return statement
    }

    // MARK: - Writes

    /// The words of the full-text index beyond title and description: the observables' values.
    private func searchText(_ alert: NormalizedAlert) -> String {
        alert.mapped.observables.map(\.value).joined(separator: " ")
    }

    /// The `search_text` column of a new row: PostgreSQL's index reads it (with title and description, since
    /// migration 19); SQLite's index keeps its own words since migration 20 (``indexWords(of:ids:)``), so the
    /// column stays empty there.
    private func storedSearchText(_ alert: NormalizedAlert) -> String {
        backend == .sqlite ? "" : searchText(alert)
    }

    /// SQLite's full-text index is contentless since migration 20: the words of new alerts (title, description,
    /// the observables' values) go into it here, in the same transaction, and are stored nowhere else.
    private func indexWords(of creations: [Creation], ids: [Alert.ID]) async throws {
        guard backend == .sqlite, !creations.isEmpty else { return }
        let rows = zip(creations, ids).map { ($1, batch[$0.record]) }
        for chunk in rows.chunked(into: backend.maximumBinds / 4) {
            var statement = PlainStatement(
                backend, "INSERT INTO alerts_fts (rowid, title, description, search_text) VALUES ",
                reservingBinds: chunk.count * 4)
            statement.bindRows(chunk) { id, alert in
                [
                    PlainValue(id), PlainValue(alert.mapped.title), PlainValue(alert.mapped.description),
                    PlainValue(searchText(alert)),
                ]
            }
            try await sql.run(statement)
        }
    }

    /// The stored document, with the alert's fingerprint basis inside (``StoredDocument``): the column
    /// `fingerprint_basis` stays empty for new rows.
    private func document(_ record: Int) -> Data {
        if let documents { return documents[record] }
        let text = StoredDocument.payload(batch[record].ocsf, extras: StoredDocument.extras(of: batch[record]))
        return Data(text.utf8)
    }

    /// Inserts new alerts with ids taken beforehand (``newIDs(_:)``) and returns them in `creations` order.
    /// `origin_key`, which once matched RETURNING rows to their records, stays empty: the first delivery's key is
    /// in `alert_deliveries` already.
    private func insertAlerts(_ creations: [Creation], now: Int64) async throws -> [Alert.ID] {
        guard !creations.isEmpty else { return [] }
        let ids = try await newIDs(creations.count)
        let types: [PlainArray.Element] = [
            .int8, .text, .text, .text, .text, .text, .text, .text, .text, .text, .text, .int8, .text, .int8, .int8,
            .int8, .int8, .int8, .text, .bytea, .text, .text,
        ]
        let perStatement = PlainStatement.rowsPerStatement(backend, columns: types.count)
        for chunk in Array(zip(creations, ids)).chunked(into: perStatement) {
            var statement = PlainStatement(
                backend,
                """
                INSERT INTO alerts (id, fingerprint, fingerprint_basis, origin_key, format, source, product, vendor,
                    rule_uid, title, description, severity_id, status, occurrences, first_seen, last_seen, created_at,
                    updated_at, search_text, ocsf, assignee, close_reason)\u{20}
                """)
            statement.bindColumns(
                types,
                rows: chunk.lazy.map { creation, id in
                    let alert = batch[creation.record]
                    return [
                        PlainValue(id), PlainValue(alert.fingerprint), .text(""), .text(""),
                        PlainValue(alert.mapped.format.rawValue), PlainValue(alert.source),
                        PlainValue(alert.mapped.product),
                        PlainValue(alert.mapped.vendor), PlainValue(alert.mapped.ruleUID),
                        PlainValue(alert.mapped.title),
                        PlainValue(alert.mapped.description), PlainValue(alert.mapped.severity.rawValue), .text("new"),
                        PlainValue(creation.occurrences), PlainValue(creation.firstSeen), PlainValue(creation.lastSeen),
                        PlainValue(now), PlainValue(now), PlainValue(storedSearchText(alert)),
                        PlainValue(document(creation.record)), .null, .null,
                    ]
                })
            try await sql.run(statement)
        }
        return ids
    }

    /// `count` ids for new alerts, never used before. On SQLite the batch's transaction holds the write lock
    /// (`BEGIN IMMEDIATE`), so the next ids after the highest ever handed out (AUTOINCREMENT's `sqlite_sequence`,
    /// which explicit ids advance too) are this batch's alone; on PostgreSQL they come from the column's sequence.
    private func newIDs(_ count: Int) async throws -> [Alert.ID] {
        switch backend {
        case .sqlite:
            let last =
                try await sql.raw(
                    """
                    SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'alerts'), 0),
                               COALESCE((SELECT MAX(id) FROM alerts), 0)) AS last
                    """
                ).first(decodingColumn: "last", as: Int64.self) ?? 0
            return (1...Int64(count)).map { last + $0 }
        case .postgres:
            let ids = try await sql.raw(
                """
                SELECT nextval(pg_get_serial_sequence('alerts', 'id')) AS id
                FROM generate_series(1, \(bind: count))
                """
            ).all().map { try $0.decode(column: "id", as: Int64.self) }
            guard ids.count == count else {
                throw CoreReconError.failed("the database gave \(ids.count) ids for \(count) new alerts.")
            }
            return ids
        }
    }

    /// One statement for every merged alert of the batch: a round trip per alert would dominate on
    /// PostgreSQL.
    private func updateMerged(_ merges: [Alert.ID: Merge], now: Int64) async throws {
        let rows = merges.sorted { $0.key < $1.key }
        for chunk in rows.chunked(into: PlainStatement.rowsPerStatement(backend, columns: 4) - 1) {
            var statement = PlainStatement(
                backend, "WITH merged (id, n, first_seen, last_seen) AS (")
            statement.bindColumns(
                [.int8, .int8, .int8, .int8],
                rows: chunk.lazy.map { id, merge in
                    [
                        PlainValue(id), PlainValue(merge.occurrences), PlainValue(merge.firstSeen),
                        PlainValue(merge.lastSeen),
                    ]
                })
            statement.append(
                """
                ) UPDATE alerts SET occurrences = alerts.occurrences + merged.n,
                    first_seen = CASE WHEN alerts.first_seen > merged.first_seen THEN merged.first_seen
                                      ELSE alerts.first_seen END,
                    last_seen = CASE WHEN alerts.last_seen < merged.last_seen THEN merged.last_seen
                                     ELSE alerts.last_seen END,
                    updated_at =\u{20}
                """)
            statement.bind(PlainValue(now))
            statement.append(" FROM merged WHERE alerts.id = merged.id")
            try await sql.run(statement)
        }
    }

    private func insertDeliveries(_ deliveries: [(String, Alert.ID, Int64)], now: Int64) async throws {
        for chunk in deliveries.chunked(into: PlainStatement.rowsPerStatement(backend, columns: 4)) {
            var statement = PlainStatement(
                backend, "INSERT INTO alert_deliveries (delivery_key, alert_id, received_at, event_time) ")
            statement.bindColumns(
                [.text, .int8, .int8, .int8],
                rows: chunk.lazy.map { key, id, eventTime in
                    [PlainValue(key), PlainValue(id), PlainValue(now), PlainValue(eventTime)]
                })
            try await sql.run(statement)
        }
    }

    /// The observables of the records `observed` stored, each once an alert. `stored` are the alerts stored before
    /// this batch that records merged into: they may hold some of the values already.
    private func insertObservables(_ observed: [(Alert.ID, Int)], stored: Set<Alert.ID>) async throws {
        var rows: [(Alert.ID, String, String?)] = []
        var seen = Set<String>()
        for (id, index) in observed {
            for observable in batch[index].mapped.observables {
                let key = Self.observableKey(id, observable.kind.rawValue, observable.value)
                if seen.insert(key).inserted { rows.append((id, observable.kind.rawValue, observable.value)) }
            }
        }
        switch backend {
        case .sqlite:
            // The primary key `(alert_id, type, value)` keeps an alert's values distinct.
            let changed = try await insert(rows, into: "alert_observables (alert_id, type, value)", returningIDs: true)
            try await indexObservableKeys(of: changed)
        case .postgres:
            // No unique index since migration 23: of the rows for stored alerts, those already there are read and
            // left out. `updateMerged` has locked those alerts' rows, so a batch of another process merging into
            // one of them waits for this commit, and its read, a statement later and so a snapshot later, then
            // sees these rows. The read names the values too, so an alert holding thousands of values returns only
            // the few this batch brings.
            var held = Set<String>()
            for chunk in rows.filter({ stored.contains($0.0) }).chunked(into: 1_000) {
                let ids = Set(chunk.map(\.0)).sorted()
                let values = Set(chunk.map { $0.2 ?? "" }).sorted()
                for row in try await sql.run(Self.heldObservableLookup(ids, values: values)) {
                    held.insert(Self.observableKey(try row.int64(0), try row.text(1), try row.text(2)))
                }
            }
            let fresh = held.isEmpty ? rows : rows.filter { !held.contains(Self.observableKey($0.0, $0.1, $0.2 ?? "")) }
            try await insert(fresh, into: "alert_observables (alert_id, type, value)", ifAbsent: false)
        }
    }

    /// One observable of one alert, as a set's member.
    private static func observableKey(_ id: Alert.ID, _ type: String, _ value: String) -> String {
        "\(id)\u{1F}\(type)\u{1F}\(value)"
    }

    /// SQLite's observable index (migration 22) holds one document an alert: the keys of all its observables.
    /// Alerts that got an observable in this batch, new ones and those a record merged into, get theirs written
    /// anew from their rows, in the batch's transaction.
    private func indexObservableKeys(of alerts: Set<Alert.ID>) async throws {
        guard backend == .sqlite, !alerts.isEmpty else { return }
        for chunk in alerts.sorted().chunked(into: backend.maximumBinds) {
            let statement = PlainStatement(
                backend,
                """
                INSERT OR REPLACE INTO alert_observable_keys (rowid, keys)
                SELECT alert_id, group_concat(corerecon_observable_key(type, value), ' ') FROM alert_observables
                WHERE alert_id IN\u{20}
                """, in: chunk.map(PlainValue.init), " GROUP BY alert_id")
            try await sql.run(statement)
        }
    }

    private func insertTechniques(_ observed: [(Alert.ID, Int)]) async throws {
        var rows: [(Alert.ID, String, String?)] = []
        var seen = Set<String>()
        for (id, index) in observed {
            for attack in batch[index].mapped.attacks {
                guard let technique = attack.techniqueID else { continue }
                if seen.insert("\(id)\u{1F}\(technique)").inserted { rows.append((id, technique, attack.tacticName)) }
            }
        }
        try await insert(rows, into: "alert_techniques (alert_id, technique_id, tactic)")
    }

    /// Rows of an alert's id and two texts; with `ifAbsent`, a row already there (by the table's unique key) is left
    /// as it is. With `returningIDs`, returns the ids of the alerts that got a new row.
    @discardableResult
    private func insert(
        _ rows: [(Alert.ID, String, String?)], into table: String, ifAbsent: Bool = true, returningIDs: Bool = false
    ) async throws -> Set<Alert.ID> {
        var changed = Set<Alert.ID>()
        for chunk in rows.chunked(into: PlainStatement.rowsPerStatement(backend, columns: 3)) {
            var statement = PlainStatement(backend, "INSERT INTO \(table) ")
            statement.bindColumns(
                [.int8, .text, .text],
                rows: chunk.lazy.map { id, first, second in
                    [PlainValue(id), PlainValue(first), PlainValue(second)]
                })
            if ifAbsent { statement.append(" ON CONFLICT DO NOTHING") }
            if returningIDs { statement.append(" RETURNING alert_id") }
            for row in try await sql.run(statement) { changed.insert(try row.int64(0)) }
        }
        return changed
    }
}

extension Array {
    func chunked(into size: Int) -> [ArraySlice<Element>] {
        guard size > 0 else { return [self[...]] }
        return stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
