import CoreRecon
import Foundation
import SQLKit
import Synchronization

/// ``IndicatorRepository`` over SQL, the same statements on SQLite and PostgreSQL.
public struct SQLIndicatorRepository: IndicatorRepository {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    static let columns = """
        id, type, value, tlp, confidence, tags, techniques, description, valid_from, valid_until, revoked, \
        first_seen, last_seen, sightings, false_positives, pattern, warning, created_at, updated_at
        """

    public func merge(_ reports: [IndicatorReport], at: Date, actor: String, defaultConfidence: Int) async throws
        -> IndicatorImportSummary
    {
        // One report per (type, value): later ones in the batch add to the first.
        var merged: [String: IndicatorReport] = [:]
        var order: [String] = []
        for report in reports {
            let key = report.type.rawValue + "\u{0}" + report.value
            if var existing = merged[key] {
                existing.absorb(report)
                merged[key] = existing
            } else {
                merged[key] = report
                order.append(key)
            }
        }
        let backend = database.backend
        return try await database.transaction { sql in
            var summary = IndicatorImportSummary()
            let sourcesSeen = Set(merged.values.map(\.source))
            // The batch is read and written a few statements at a time, not a statement per indicator: what
            // exists, per type; which of those already have the source; the new rows in multi-row INSERTs; the
            // sources likewise. Only indicators whose content changed get an UPDATE of their own.
            var existing: [String: Indicator] = [:]
            for (type, keys) in Dictionary(grouping: order, by: { merged[$0]?.type ?? .ipv4 }) {
                for chunk in keys.chunked(into: 500) {
                    var statement: SQLQueryString =
                        "SELECT \(unsafeRaw: Self.columns) FROM indicators WHERE type = \(bind: type.rawValue) AND value IN ("
                    statement.appendInterpolation(
                        chunk.compactMap { merged[$0]?.value }.map { "\(bind: $0)" as SQLQueryString }.joined(
                            separator: ", "))
                    statement.appendLiteral(")\(backend.lockForUpdate)")
                    for row in try await sql.raw(statement).all() {
                        let indicator = try Self.decode(row)
                        existing[indicator.type.rawValue + "\u{0}" + indicator.value] = indicator
                    }
                }
            }
            var known: Set<String> = []  // "id source" pairs already stored
            let existingIDs = existing.values.map(\.id)
            for chunk in existingIDs.chunked(into: 500) {
                var statement: SQLQueryString =
                    "SELECT indicator_id, source FROM indicator_sources WHERE indicator_id IN ("
                statement.appendInterpolation(chunk.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", "))
                statement.appendLiteral(")")
                for row in try await sql.raw(statement).all() {
                    known.insert(
                        "\(try row.decode(column: "indicator_id", as: Int64.self)) "
                            + (try row.decode(column: "source", as: String.self)))
                }
            }
            var ids: [String: Int64] = [:]
            var fresh: [String] = []
            var touched: [Int64] = []  // unchanged but for last_seen
            for key in order {
                guard let report = merged[key] else { continue }
                guard var indicator = existing[key] else {
                    fresh.append(key)
                    continue
                }
                let before = indicator
                indicator.absorb(report, at: at)
                ids[key] = indicator.id
                let sourceIsNew = !known.contains("\(indicator.id) \(report.source)")
                guard indicator.differsInContent(from: before) || sourceIsNew else {
                    summary.unchanged += 1
                    touched.append(indicator.id)
                    continue
                }
                summary.updated += 1
                summary.changed.append(indicator.id)
                try await sql.raw(
                    """
                    UPDATE indicators SET tlp = \(bind: indicator.tlp?.rawValue), confidence = \(bind: indicator.confidence),
                        tags = \(bind: Self.json(indicator.tags)), techniques = \(bind: Self.json(indicator.techniques)),
                        description = \(bind: indicator.description), valid_from = \(bind: indicator.validFrom?.milliseconds),
                        valid_until = \(bind: indicator.validUntil?.milliseconds), revoked = \(bind: indicator.revoked ? 1 : 0),
                        last_seen = \(bind: indicator.lastSeen.milliseconds), pattern = \(bind: indicator.pattern),
                        warning = \(bind: indicator.warning), updated_at = \(bind: at.milliseconds)
                    WHERE id = \(bind: indicator.id)
                    """
                ).run()
            }
            for chunk in touched.chunked(into: 500) {
                var statement: SQLQueryString =
                    "UPDATE indicators SET last_seen = \(bind: at.milliseconds), updated_at = \(bind: at.milliseconds) WHERE id IN ("
                statement.appendInterpolation(chunk.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", "))
                statement.appendLiteral(")")
                try await sql.raw(statement).run()
            }
            // 16 values a row: 100 rows keep a statement under SQLite's and PostgreSQL's limits on parameters.
            for chunk in fresh.chunked(into: 100) {
                var statement: SQLQueryString = """
                    INSERT INTO indicators (type, value, tlp, confidence, tags, techniques, description, valid_from,
                        valid_until, revoked, first_seen, last_seen, pattern, warning, created_at, updated_at) VALUES
                    """
                var rows: [SQLQueryString] = []
                for key in chunk {
                    guard let report = merged[key] else { continue }
                    rows.append(
                        """
                        (\(bind: report.type.rawValue), \(bind: report.value), \(bind: report.tlp?.rawValue),
                        \(bind: report.confidence ?? defaultConfidence), \(bind: Self.json(report.tags)),
                        \(bind: Self.json(report.techniques)), \(bind: report.description),
                        \(bind: report.validFrom?.milliseconds), \(bind: report.validUntil?.milliseconds),
                        \(bind: report.revoked ? 1 : 0), \(bind: at.milliseconds), \(bind: at.milliseconds),
                        \(bind: report.pattern), \(bind: report.warning), \(bind: at.milliseconds), \(bind: at.milliseconds))
                        """)
                }
                statement.appendInterpolation(rows.joined(separator: ", "))
                statement.appendLiteral(" RETURNING id, type, value")
                for row in try await sql.raw(statement).all() {
                    let id = try row.decode(column: "id", as: Int64.self)
                    let key =
                        (try row.decode(column: "type", as: String.self)) + "\u{0}"
                        + (try row.decode(column: "value", as: String.self))
                    ids[key] = id
                    summary.new += 1
                    summary.changed.append(id)
                }
            }
            for chunk in order.chunked(into: 300) {
                var statement: SQLQueryString =
                    "INSERT INTO indicator_sources (indicator_id, source, first_seen, last_seen) VALUES "
                var rows: [SQLQueryString] = []
                for key in chunk {
                    guard let id = ids[key], let report = merged[key] else { continue }
                    rows.append(
                        "(\(bind: id), \(bind: report.source), \(bind: at.milliseconds), \(bind: at.milliseconds))")
                }
                guard !rows.isEmpty else { continue }
                statement.appendInterpolation(rows.joined(separator: ", "))
                statement.appendLiteral(
                    " ON CONFLICT (indicator_id, source) DO UPDATE SET last_seen = excluded.last_seen")
                try await sql.raw(statement).run()
            }
            guard summary.new == fresh.count else {
                throw CoreReconError.failed("\(fresh.count - summary.new) indicators could not be stored.")
            }
            if !order.isEmpty { try await Self.bumpRevision(on: sql) }
            try await SQLAuditLog.append(
                [
                    AuditEvent(
                        at: at, actor: actor, action: "ioc.import",
                        target: "feed:" + sourcesSeen.sorted().joined(separator: ","),
                        summary: AuditSummary(after: [
                            "new": "\(summary.new)", "updated": "\(summary.updated)",
                            "unchanged": "\(summary.unchanged)",
                        ]))
                ], on: sql, backend: backend)
            return summary
        }
    }

    public func indicators(_ query: IndicatorQuery) async throws -> [Indicator] {
        var conditions: [SQLQueryString] = ["1 = 1"]
        if !query.types.isEmpty {
            var list: SQLQueryString = "type IN ("
            list.appendInterpolation(
                query.types.map { "\(bind: $0.rawValue)" as SQLQueryString }.joined(separator: ", "))
            list.appendLiteral(")")
            conditions.append(list)
        }
        if let tag = query.tag {
            conditions.append(
                "tags LIKE \(bind: "%" + Self.escapeLike(Self.json([tag]).dropFirst().dropLast()) + "%") ESCAPE '\\'")
        }
        if let source = query.source {
            conditions.append(
                "EXISTS (SELECT 1 FROM indicator_sources s WHERE s.indicator_id = indicators.id AND s.source = \(bind: source))"
            )
        }
        if let tlp = query.tlp { conditions.append("tlp = \(bind: tlp.rawValue)") }
        if let since = query.since { conditions.append("last_seen >= \(bind: since.milliseconds)") }
        if let search = query.search {
            let pattern = "%" + Self.escapeLike(search.lowercased()) + "%"
            conditions.append(
                "(LOWER(value) LIKE \(bind: pattern) ESCAPE '\\' OR LOWER(COALESCE(description, '')) LIKE \(bind: pattern) ESCAPE '\\' OR LOWER(tags) LIKE \(bind: pattern) ESCAPE '\\')"
            )
        }
        var statement: SQLQueryString = "SELECT \(unsafeRaw: Self.columns) FROM indicators WHERE "
        statement.appendInterpolation(conditions.map { "(\($0))" as SQLQueryString }.joined(separator: " AND "))
        statement.appendLiteral(" ORDER BY last_seen DESC, id DESC")
        if query.limit < Int.max { statement.appendLiteral(" LIMIT \(query.limit)") }
        if query.offset > 0 {
            // Both backends need a LIMIT before OFFSET.
            if query.limit == Int.max { statement.appendLiteral(" LIMIT \(Int64.max)") }
            statement.appendLiteral(" OFFSET \(query.offset)")
        }
        return try await database.read { sql in
            let found = try await sql.raw(statement).all().map(Self.decode)
            return try await Self.withSources(found, on: sql)
        }
    }

    public func indicator(id: Indicator.ID) async throws -> Indicator? {
        try await database.read { sql in
            guard
                let found = try await sql.raw(
                    "SELECT \(unsafeRaw: Self.columns) FROM indicators WHERE id = \(bind: id)"
                )
                .first().map(Self.decode)
            else { return nil }
            return try await Self.withSources([found], on: sql).first
        }
    }

    public func indicators(ids: [Indicator.ID]) async throws -> [Indicator] {
        guard !ids.isEmpty else { return [] }
        return try await database.read { sql in
            var found: [Indicator] = []
            for start in stride(from: 0, to: ids.count, by: 500) {
                var statement: SQLQueryString = "SELECT \(unsafeRaw: Self.columns) FROM indicators WHERE id IN ("
                statement.appendInterpolation(
                    ids[start..<min(start + 500, ids.count)].map { "\(bind: $0)" as SQLQueryString }
                        .joined(separator: ", "))
                statement.appendLiteral(")")
                found += try await sql.raw(statement).all().map(Self.decode)
            }
            return try await Self.withSources(found, on: sql)
        }
    }

    /// One pass over the table, three columns a row, decoded as they stream: a million rows in a few seconds,
    /// where reading whole indicators page by page took half a minute.
    public func matchEntries() async throws -> [IndicatorMatcher.Entry] {
        try await database.read { sql in
            let entries = Mutex<[IndicatorMatcher.Entry]>([])
            try await sql.raw(
                "SELECT id, type, value FROM indicators WHERE revoked = 0 AND warning IS NULL AND type <> 'stix-pattern'"
            ).run { row in
                guard let id = try? row.decode(column: "id", as: Int64.self),
                    let type = (try? row.decode(column: "type", as: String.self)).flatMap(
                        IndicatorType.init(rawValue:)),
                    let value = try? row.decode(column: "value", as: String.self)
                else { return }
                entries.withLock { $0.append(IndicatorMatcher.Entry(id: id, type: type, value: value)) }
            }
            return entries.withLock { $0 }
        }
    }

    public func matcherSnapshot(version: String) async throws -> Data? {
        try await database.read { sql in
            try await sql.raw("SELECT data FROM indicator_matcher_snapshot WHERE id = 1 AND version = \(bind: version)")
                .first(decodingColumn: "data", as: Data.self)
        }
    }

    public func saveMatcherSnapshot(_ data: Data, entries: Int, version: String) async throws {
        try await database.transaction { sql in
            try await sql.raw(
                """
                INSERT INTO indicator_matcher_snapshot (id, version, entries, built_at, data)
                VALUES (1, \(bind: version), \(bind: Int64(entries)), \(bind: Date().milliseconds), \(bind: data))
                ON CONFLICT (id) DO UPDATE SET version = excluded.version, entries = excluded.entries,
                  built_at = excluded.built_at, data = excluded.data
                """
            ).run()
        }
    }

    public func indicators(value: String) async throws -> [Indicator] {
        try await database.read { sql in
            let found = try await sql.raw(
                "SELECT \(unsafeRaw: Self.columns) FROM indicators WHERE value = \(bind: value) ORDER BY id"
            ).all().map(Self.decode)
            return try await Self.withSources(found, on: sql)
        }
    }

    public func sightings(of id: Indicator.ID, limit: Int) async throws -> [IndicatorSighting] {
        try await database.read { sql in
            try await sql.raw(
                """
                SELECT at, source, false_positive, alert_id FROM indicator_sightings WHERE indicator_id = \(bind: id)
                ORDER BY at DESC, id DESC LIMIT \(unsafeRaw: String(limit))
                """
            ).all().map { row in
                IndicatorSighting(
                    at: Date(milliseconds: try row.decode(column: "at", as: Int64.self)),
                    source: try row.decode(column: "source", as: String.self),
                    isFalsePositive: try row.decode(column: "false_positive", as: Int.self) != 0,
                    alertID: try row.decode(column: "alert_id", as: Int64?.self))
            }
        }
    }

    public func addSighting(_ sighting: IndicatorSighting, to id: Indicator.ID, actor: String) async throws {
        let backend = database.backend
        try await database.transaction { sql in
            try await sql.raw(
                """
                INSERT INTO indicator_sightings (indicator_id, at, source, false_positive, alert_id)
                VALUES (\(bind: id), \(bind: sighting.at.milliseconds), \(bind: sighting.source),
                        \(bind: sighting.isFalsePositive ? 1 : 0), \(bind: sighting.alertID))
                """
            ).run()
            // A true sighting is fresh evidence (the decay starts over); a false positive only counts against it.
            if sighting.isFalsePositive {
                try await sql.raw(
                    "UPDATE indicators SET false_positives = false_positives + 1, updated_at = \(bind: sighting.at.milliseconds) WHERE id = \(bind: id)"
                ).run()
            } else {
                try await sql.raw(
                    """
                    UPDATE indicators SET sightings = sightings + 1, last_seen = \(bind: sighting.at.milliseconds),
                        updated_at = \(bind: sighting.at.milliseconds) WHERE id = \(bind: id)
                    """
                ).run()
            }
            try await SQLAuditLog.append(
                [
                    AuditEvent(
                        at: sighting.at, actor: actor, action: "ioc.sight", target: "ioc:\(id)",
                        summary: AuditSummary(after: [
                            "source": sighting.source, "false_positive": sighting.isFalsePositive ? "yes" : "no",
                        ]))
                ], on: sql, backend: backend)
        }
    }

    public func setRevoked(_ revoked: Bool, id: Indicator.ID, at: Date, actor: String) async throws {
        let backend = database.backend
        try await database.transaction { sql in
            try await sql.raw(
                "UPDATE indicators SET revoked = \(bind: revoked ? 1 : 0), updated_at = \(bind: at.milliseconds) WHERE id = \(bind: id)"
            ).run()
            try await Self.bumpRevision(on: sql)
            try await SQLAuditLog.append(
                [
                    AuditEvent(
                        at: at, actor: actor, action: revoked ? "ioc.revoke" : "ioc.unrevoke", target: "ioc:\(id)",
                        summary: AuditSummary(after: ["revoked": revoked ? "yes" : "no"]))
                ], on: sql, backend: backend)
        }
    }

    public func update(_ indicator: Indicator, before: Indicator, at: Date, actor: String) async throws {
        let backend = database.backend
        try await database.transaction { sql in
            try await sql.raw(
                """
                UPDATE indicators SET tlp = \(bind: indicator.tlp?.rawValue), confidence = \(bind: indicator.confidence),
                    tags = \(bind: Self.json(indicator.tags)), description = \(bind: indicator.description),
                    valid_until = \(bind: indicator.validUntil?.milliseconds), revoked = \(bind: indicator.revoked ? 1 : 0),
                    updated_at = \(bind: at.milliseconds)
                WHERE id = \(bind: indicator.id)
                """
            ).run()
            try await Self.bumpRevision(on: sql)
            func fields(_ indicator: Indicator) -> [String: String] {
                [
                    "tlp": indicator.tlp?.rawValue ?? "", "confidence": "\(indicator.confidence)",
                    "tags": indicator.tags.joined(separator: ","), "description": indicator.description ?? "",
                    "validUntil": indicator.validUntil.map(ISO8601Format.string(from:)) ?? "",
                    "revoked": "\(indicator.revoked)",
                ]
            }
            let old = fields(before)
            let new = fields(indicator)
            let changed = new.keys.filter { old[$0] != new[$0] }
            try await SQLAuditLog.append(
                [
                    AuditEvent(
                        at: at, actor: actor, action: "ioc.update", target: "ioc:\(indicator.id)",
                        summary: AuditSummary(
                            before: old.filter { changed.contains($0.key) },
                            after: new.filter { changed.contains($0.key) }))
                ], on: sql, backend: backend)
        }
    }

    public func delete(id: Indicator.ID, at: Date, actor: String) async throws {
        let backend = database.backend
        try await database.transaction { sql in
            let row = try await sql.raw("SELECT type, value FROM indicators WHERE id = \(bind: id)").first()
            try await sql.raw("DELETE FROM indicator_sightings WHERE indicator_id = \(bind: id)").run()
            try await sql.raw("DELETE FROM indicator_sources WHERE indicator_id = \(bind: id)").run()
            try await sql.raw("DELETE FROM indicators WHERE id = \(bind: id)").run()
            try await Self.bumpRevision(on: sql)
            let value = try row.map {
                "\(try $0.decode(column: "type", as: String.self)) \(try $0.decode(column: "value", as: String.self))"
            }
            try await SQLAuditLog.append(
                [
                    AuditEvent(
                        at: at, actor: actor, action: "ioc.delete", target: "ioc:\(id)",
                        summary: AuditSummary(before: ["indicator": value ?? ""]))
                ], on: sql, backend: backend)
        }
    }

    public func version() async throws -> String {
        try await database.read { sql in
            let row = try await sql.raw("SELECT revision FROM indicator_revision WHERE id = 1").first()
            return "\(try row?.decode(column: "revision", as: Int64.self) ?? 0)"
        }
    }

    /// Moves the revision a cached matcher compares: in the transaction of every change matching must see.
    static func bumpRevision(on sql: any SQLDatabase) async throws {
        try await sql.raw("UPDATE indicator_revision SET revision = revision + 1 WHERE id = 1").run()
    }

    public func observables(of alertIDs: [Int64]) async throws -> [(Int64, String)] {
        guard !alertIDs.isEmpty else { return [] }
        return try await database.read { sql in
            var pairs: [(Int64, String)] = []
            for start in stride(from: 0, to: alertIDs.count, by: 500) {
                let chunk = alertIDs[start..<min(start + 500, alertIDs.count)]
                var statement: SQLQueryString = "SELECT alert_id, value FROM alert_observables WHERE alert_id IN ("
                statement.appendInterpolation(chunk.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", "))
                statement.appendLiteral(") ORDER BY alert_id")
                for row in try await sql.raw(statement).all() {
                    pairs.append(
                        (
                            try row.decode(column: "alert_id", as: Int64.self),
                            try row.decode(column: "value", as: String.self)
                        ))
                }
            }
            return pairs
        }
    }

    public func alertIDs(lastSeenSince since: Date) async throws -> [Int64] {
        try await database.read { sql in
            try await sql.raw("SELECT id FROM alerts WHERE last_seen >= \(bind: since.milliseconds) ORDER BY id").all()
                .map { try $0.decode(column: "id", as: Int64.self) }
        }
    }

    public func recordMatches(
        _ matches: [(alertID: Int64, indicator: Indicator, value: String)], at: Date, actor: String,
        raise: SeverityRaise?
    ) async throws -> [AlertIndicatorMatch] {
        let backend = database.backend
        return try await database.transaction { sql in
            var recorded: [AlertIndicatorMatch] = []
            for match in matches {
                let inserted = try await sql.raw(
                    """
                    INSERT INTO alert_ioc_matches (alert_id, indicator_id, value, matched_at)
                    VALUES (\(bind: match.alertID), \(bind: match.indicator.id), \(bind: match.value), \(bind: at.milliseconds))
                    ON CONFLICT (alert_id, indicator_id) DO NOTHING
                    RETURNING alert_id
                    """
                ).first()
                guard inserted != nil else { continue }
                try await sql.raw(
                    """
                    INSERT INTO indicator_sightings (indicator_id, at, source, false_positive, alert_id)
                    VALUES (\(bind: match.indicator.id), \(bind: at.milliseconds), \(bind: "alert:\(match.alertID)"), 0,
                            \(bind: match.alertID))
                    """
                ).run()
                try await sql.raw(
                    """
                    UPDATE indicators SET sightings = sightings + 1, last_seen = \(bind: at.milliseconds),
                        updated_at = \(bind: at.milliseconds) WHERE id = \(bind: match.indicator.id)
                    """
                ).run()
                recorded.append(
                    AlertIndicatorMatch(
                        alertID: match.alertID, indicatorID: match.indicator.id, value: match.value,
                        type: match.indicator.type, indicator: match.indicator.value, tags: match.indicator.tags,
                        tlp: match.indicator.tlp, sources: match.indicator.sources.map(\.name), matchedAt: at))
            }
            guard !recorded.isEmpty else { return [] }
            let alerts = Array(Set(recorded.map(\.alertID))).sorted()
            var raised: [Int64] = []
            if let raise {
                for id in alerts where raise.alerts.contains(id) {
                    let severity = raise.to
                    let updated = try await sql.raw(
                        """
                        UPDATE alerts SET severity_id = \(bind: severity.rawValue), updated_at = \(bind: at.milliseconds)
                        WHERE id = \(bind: id) AND severity_id < \(bind: severity.rawValue)
                        RETURNING id
                        """
                    ).first()
                    guard updated != nil else { continue }
                    raised.append(id)
                    // The stored finding and the column stay in agreement.
                    try await database.updateAlertDocument(id: id, on: sql, now: at) { members in
                        members.set("severity_id", .int(Int64(severity.rawValue)))
                        members.set("severity", .string(severity.caption))
                    }
                }
            }
            try await SQLAuditLog.append(
                [
                    AuditEvent(
                        at: at, actor: actor, action: "ioc.match", target: "alerts",
                        summary: AuditSummary(after: [
                            "alerts": alerts.map(String.init).joined(separator: ","),
                            "raised": raised.isEmpty
                                ? "" : raised.map(String.init).joined(separator: ",") + " to \(raise?.to.name ?? "")",
                            "indicators": Array(Set(recorded.map { String($0.indicatorID) })).sorted().joined(
                                separator: ","),
                        ]))
                ], on: sql, backend: backend)
            var events: [ChangeEvent] = []
            for id in alerts {
                if let alert = try await SQLAlertRepository.alert(id: id, on: sql, backend: backend) {
                    events.append(.alert(AlertEvent(kind: .iocMatched, alert: alert)))
                }
            }
            try await EventLog.append(events, at: at, on: sql, backend: backend)
            return recorded
        }
    }

    public func matches(ofAlert id: Int64) async throws -> [AlertIndicatorMatch] {
        try await database.read { sql in
            let rows = try await sql.raw(
                """
                SELECT m.alert_id, m.indicator_id, m.value AS matched, m.matched_at, \(unsafeRaw: Self.columns.split(separator: ",").map { "i." + $0.trimmingCharacters(in: .whitespacesAndNewlines) }.joined(separator: ", "))
                FROM alert_ioc_matches m JOIN indicators i ON i.id = m.indicator_id
                WHERE m.alert_id = \(bind: id) ORDER BY m.matched_at, m.indicator_id
                """
            ).all()
            var result: [AlertIndicatorMatch] = []
            for row in rows {
                let indicators = try await Self.withSources([try Self.decode(row)], on: sql)
                guard let indicator = indicators.first else { continue }
                result.append(
                    AlertIndicatorMatch(
                        alertID: id, indicatorID: indicator.id,
                        value: try row.decode(column: "matched", as: String.self),
                        type: indicator.type, indicator: indicator.value, tags: indicator.tags, tlp: indicator.tlp,
                        sources: indicator.sources.map(\.name),
                        matchedAt: Date(milliseconds: try row.decode(column: "matched_at", as: Int64.self))))
            }
            return result
        }
    }

    public func warninglists() async throws -> [Warninglist] {
        try await database.read { sql in
            try await sql.raw(
                "SELECT name, description, type, version, matching, entries FROM warninglists ORDER BY name"
            ).all().map { row in
                let typeName = try row.decode(column: "type", as: String.self)
                return Warninglist(
                    name: try row.decode(column: "name", as: String.self),
                    description: try row.decode(column: "description", as: String.self),
                    kind: Warninglist.Kind(rawValue: typeName) ?? .string,
                    version: try row.decode(column: "version", as: Int.self),
                    matchingAttributes: Self.strings(try row.decode(column: "matching", as: String.self)),
                    entries: Self.strings(try row.decode(column: "entries", as: String.self)))
            }
        }
    }

    public func save(_ list: Warninglist, warnings: [Indicator.ID: String?], at: Date, actor: String) async throws {
        let backend = database.backend
        try await database.transaction { sql in
            try await sql.raw("DELETE FROM warninglists WHERE name = \(bind: list.name)").run()
            try await Self.bumpRevision(on: sql)
            try await sql.raw(
                """
                INSERT INTO warninglists (name, description, type, version, matching, entries, imported_at)
                VALUES (\(bind: list.name), \(bind: list.description), \(bind: list.kind.rawValue), \(bind: list.version),
                        \(bind: Self.json(list.matchingAttributes)), \(bind: Self.json(list.entries)), \(bind: at.milliseconds))
                """
            ).run()
            for (id, warning) in warnings {
                try await sql.raw(
                    "UPDATE indicators SET warning = \(bind: warning), updated_at = \(bind: at.milliseconds) WHERE id = \(bind: id)"
                ).run()
            }
            try await SQLAuditLog.append(
                [
                    AuditEvent(
                        at: at, actor: actor, action: "ioc.warninglist.import", target: "warninglist:\(list.name)",
                        summary: AuditSummary(after: [
                            "entries": "\(list.entries.count)", "type": list.kind.rawValue,
                            "indicators_reflagged": "\(warnings.count)",
                        ]))
                ], on: sql, backend: backend)
        }
    }

    static func withSources(_ indicators: [Indicator], on sql: any SQLDatabase) async throws -> [Indicator] {
        guard !indicators.isEmpty else { return [] }
        var sources: [Int64: [IndicatorSource]] = [:]
        // In chunks, under every backend's limit on bound parameters.
        for start in stride(from: 0, to: indicators.count, by: 500) {
            let chunk = indicators[start..<min(start + 500, indicators.count)]
            var statement: SQLQueryString =
                "SELECT indicator_id, source, first_seen, last_seen FROM indicator_sources WHERE indicator_id IN ("
            statement.appendInterpolation(chunk.map { "\(bind: $0.id)" as SQLQueryString }.joined(separator: ", "))
            statement.appendLiteral(") ORDER BY first_seen, source")
            for row in try await sql.raw(statement).all() {
                sources[try row.decode(column: "indicator_id", as: Int64.self), default: []].append(
                    IndicatorSource(
                        name: try row.decode(column: "source", as: String.self),
                        firstSeen: Date(milliseconds: try row.decode(column: "first_seen", as: Int64.self)),
                        lastSeen: Date(milliseconds: try row.decode(column: "last_seen", as: Int64.self))))
            }
        }
        return indicators.map { indicator in
            var copy = indicator
            copy.sources = sources[indicator.id] ?? []
            return copy
        }
    }

    static func decode(_ row: any SQLRow) throws -> Indicator {
        let typeName = try row.decode(column: "type", as: String.self)
        guard let type = IndicatorType(rawValue: typeName) else {
            throw CoreReconError.failed("an indicator has the unknown type '\(typeName)'.")
        }
        return Indicator(
            id: try row.decode(column: "id", as: Int64.self), type: type,
            value: try row.decode(column: "value", as: String.self),
            tlp: try row.decode(column: "tlp", as: String?.self).flatMap(TLP.init(rawValue:)),
            confidence: try row.decode(column: "confidence", as: Int.self),
            tags: strings(try row.decode(column: "tags", as: String.self)),
            techniques: strings(try row.decode(column: "techniques", as: String.self)),
            description: try row.decode(column: "description", as: String?.self),
            validFrom: try row.decode(column: "valid_from", as: Int64?.self).map(Date.init(milliseconds:)),
            validUntil: try row.decode(column: "valid_until", as: Int64?.self).map(Date.init(milliseconds:)),
            revoked: try row.decode(column: "revoked", as: Int.self) != 0,
            firstSeen: Date(milliseconds: try row.decode(column: "first_seen", as: Int64.self)),
            lastSeen: Date(milliseconds: try row.decode(column: "last_seen", as: Int64.self)),
            sightings: try row.decode(column: "sightings", as: Int.self),
            falsePositives: try row.decode(column: "false_positives", as: Int.self),
            pattern: try row.decode(column: "pattern", as: String?.self),
            warning: try row.decode(column: "warning", as: String?.self),
            createdAt: Date(milliseconds: try row.decode(column: "created_at", as: Int64.self)),
            updatedAt: Date(milliseconds: try row.decode(column: "updated_at", as: Int64.self)))
    }

    static func json(_ values: [String]) -> String {
        JSONValue.array(values.map(JSONValue.string)).jsonString
    }

    static func strings(_ text: String) -> [String] {
        guard case .array(let items)? = try? JSONParser.parse(text) else { return [] }
        return items.compactMap { if case .string(let value) = $0 { value } else { nil } }
    }

    static func escapeLike(_ text: some StringProtocol) -> String {
        String(text).replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
    }
}
