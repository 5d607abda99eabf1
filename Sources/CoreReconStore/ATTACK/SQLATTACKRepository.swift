import CoreRecon
import Foundation
import SQLKit

/// ``ATTACKRepository`` over SQL, the same statements on SQLite and PostgreSQL.
public struct SQLATTACKRepository: ATTACKRepository {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    private var backend: DatabaseBackend { database.backend }

    // MARK: - Storing

    public func store(_ bundles: [ATTACKBundle], importedAt: Date) async throws -> [ATTACKImportSummary] {
        guard !bundles.isEmpty else { return [] }
        return try await database.transaction { sql in
            var summaries: [ATTACKImportSummary] = []
            for bundle in bundles {
                summaries.append(
                    try await ATTACKBundleWriter(sql: sql, backend: backend, bundle: bundle, importedAt: importedAt)
                        .write())
            }
            return summaries
        }
    }

    // MARK: - Reading

    public func imports() async throws -> [ATTACKImportRecord] {
        try await database.withConnection { sql in
            try await sql.raw(
                """
                SELECT domain, attack_version, spec_version, bundle_id, source, imported_at, object_count,
                       relationship_count, technique_count, skipped_count
                FROM attack_imports
                """
            ).all().compactMap { row in
                guard let domain = ATTACKDomain(rawValue: try row.decode(column: "domain", as: String.self)) else {
                    return nil
                }
                return ATTACKImportRecord(
                    domain: domain,
                    attackVersion: try row.decode(column: "attack_version", as: String?.self),
                    specVersion: try row.decode(column: "spec_version", as: String.self),
                    bundleID: try row.decode(column: "bundle_id", as: String.self),
                    source: try row.decode(column: "source", as: String.self),
                    importedAt: Date(milliseconds: try row.decode(column: "imported_at", as: Int64.self)),
                    objectCount: try row.decode(column: "object_count", as: Int.self),
                    relationshipCount: try row.decode(column: "relationship_count", as: Int.self),
                    techniqueCount: try row.decode(column: "technique_count", as: Int.self),
                    skippedCount: try row.decode(column: "skipped_count", as: Int.self))
            }.sorted { $0.domain < $1.domain }
        }
    }

    public func tactics(in domains: [ATTACKDomain]) async throws -> [ATTACKTactic] {
        let rows = try await database.withConnection { sql in
            try await sql.raw(
                """
                SELECT external_id, short_name, name, domains, position FROM attack_objects
                WHERE type = 'x-mitre-tactic' AND revoked = 0 AND deprecated = 0 AND external_id IS NOT NULL
                """
            ).all()
        }
        var tactics: [(tactic: ATTACKTactic, position: Int)] = []
        for row in rows {
            guard
                let domain = Self.domains(try row.decode(column: "domains", as: String.self)).first(
                    where: domains.contains)
            else { continue }
            let id = try row.decode(column: "external_id", as: String.self)
            let tactic = ATTACKTactic(
                id: id, shortName: try row.decode(column: "short_name", as: String?.self) ?? "",
                name: try row.decode(column: "name", as: String.self), domain: domain)
            tactics.append((tactic, try row.decode(column: "position", as: Int?.self) ?? Int.max))
        }
        return tactics.sorted {
            ($0.tactic.domain, $0.position, $0.tactic.id) < ($1.tactic.domain, $1.position, $1.tactic.id)
        }.map(\.tactic)
    }

    public func techniques(in domains: [ATTACKDomain]) async throws -> [ATTACKTechnique] {
        try await database.withConnection { sql in
            var replacements: [String: String] = [:]
            for row in try await sql.raw(
                """
                SELECT r.source_ref, o.external_id FROM attack_relationships r
                JOIN attack_objects o ON o.stix_id = r.target_ref
                WHERE r.relationship_type = 'revoked-by' AND o.external_id IS NOT NULL
                """
            ).all() {
                replacements[try row.decode(column: "source_ref", as: String.self)] = try row.decode(
                    column: "external_id", as: String.self)
            }
            let rows = try await sql.raw(
                """
                SELECT \(unsafeRaw: Self.techniqueColumns) FROM attack_objects o
                WHERE o.type = 'attack-pattern' AND o.external_id IS NOT NULL
                """
            ).all()
            var techniques: [ATTACKTechnique] = []
            for row in rows {
                var technique = try Self.decodeTechnique(row)
                guard technique.domains.contains(where: domains.contains) else { continue }
                technique.replacedBy = replacements[try row.decode(column: "stix_id", as: String.self)]
                techniques.append(technique)
            }
            // Revoked duplicates of an id sort after the active one, so look-ups find the active one.
            return techniques.sorted { ($0.id, $0.isActive ? 0 : 1) < ($1.id, $1.isActive ? 0 : 1) }
        }
    }

    public func technique(id: String) async throws -> ATTACKTechnique? {
        try await database.withConnection { sql in
            try await techniqueRow(id: id, extraColumns: "", on: sql).map(Self.decodeTechnique)
        }
    }

    public func techniqueDetail(id: String) async throws -> ATTACKTechniqueDetail? {
        let imports = backend.commaAggregate("i.domain || COALESCE(' ' || i.attack_version, '')")
        return try await database.withConnection { sql in
            let extra = ", o.description, o.detection, (SELECT \(imports) FROM attack_imports i) AS imports"
            guard let row = try await techniqueRow(id: id, extraColumns: extra, on: sql) else { return nil }
            let technique = try Self.decodeTechnique(row)
            let stixID = try row.decode(column: "stix_id", as: String.self)
            // One round trip for everything around the technique: incoming and outgoing relationships with the
            // object at their other end, and (direction `tactic`) its tactics, their short name in `relation`
            // and their domains in `kind`.
            let related = try await sql.raw(
                """
                SELECT 'in' AS direction, r.relationship_type AS relation, o.type AS kind, o.external_id, o.name
                FROM attack_relationships r JOIN attack_objects o ON o.stix_id = r.source_ref
                WHERE r.target_ref = \(bind: stixID) AND r.revoked = 0 AND r.deprecated = 0
                  AND o.revoked = 0 AND o.deprecated = 0 AND o.external_id IS NOT NULL
                UNION ALL
                SELECT 'out', r.relationship_type, o.type, o.external_id, o.name
                FROM attack_relationships r JOIN attack_objects o ON o.stix_id = r.target_ref
                WHERE r.source_ref = \(bind: stixID) AND r.revoked = 0 AND r.deprecated = 0
                  AND o.external_id IS NOT NULL
                UNION ALL
                SELECT 'tactic', o.short_name, o.domains, o.external_id, o.name FROM attack_objects o
                WHERE o.type = 'x-mitre-tactic' AND o.revoked = 0 AND o.deprecated = 0 AND o.external_id IS NOT NULL
                  AND o.short_name IN (\(binds: technique.tactics.isEmpty ? [""] : technique.tactics))
                """
            ).all()
            let labels = (try row.decode(column: "imports", as: String?.self) ?? "").split(separator: ",")
                .map(String.init).filter { label in technique.domains.contains { label.hasPrefix($0.rawValue) } }
            var detail = ATTACKTechniqueDetail(
                technique: technique, description: try row.decode(column: "description", as: String?.self),
                detection: try row.decode(column: "detection", as: String?.self), tactics: [],
                catalog: "imported " + labels.sorted().joined(separator: ", "))
            var tactics: [String: ATTACKTactic] = [:]
            for relation in related {
                let direction = try relation.decode(column: "direction", as: String.self)
                let kind = try relation.decode(column: "kind", as: String.self)
                let reference = ATTACKReference(
                    id: try relation.decode(column: "external_id", as: String.self),
                    name: try relation.decode(column: "name", as: String.self), type: kind)
                switch (direction, try relation.decode(column: "relation", as: String.self), kind) {
                case ("in", "mitigates", "course-of-action"): detail.mitigations.append(reference)
                case ("in", "uses", "intrusion-set"): detail.groups.append(reference)
                case ("in", "uses", "campaign"): detail.campaigns.append(reference)
                case ("in", "uses", "malware"), ("in", "uses", "tool"): detail.software.append(reference)
                case ("in", "subtechnique-of", "attack-pattern"): detail.subtechniques.append(reference)
                case ("out", "subtechnique-of", "attack-pattern"): detail.parent = reference
                case ("out", "revoked-by", _): detail.replacedBy = reference
                case ("tactic", let shortName, _):
                    // A short name can be in several domains (execution): keep the technique's domain's tactic.
                    guard let domain = Self.domains(kind).first(where: technique.domains.contains) else { break }
                    tactics[shortName] = ATTACKTactic(
                        id: reference.id, shortName: shortName, name: reference.name, domain: domain)
                default: break
                }
            }
            detail.tactics = technique.tactics.compactMap { tactics[$0] }
            detail.mitigations.sort { $0.id < $1.id }
            detail.groups.sort { $0.id < $1.id }
            detail.campaigns.sort { $0.id < $1.id }
            detail.software.sort { $0.id < $1.id }
            detail.subtechniques.sort { $0.id < $1.id }
            detail.technique.replacedBy = detail.replacedBy?.id
            return detail
        }
    }

    public func observedTechniques(from source: ATTACKCoverageSource, since: Date?) async throws
        -> [ObservedTechnique]
    {
        let (table, statement) = Self.observedTechniquesQuery(from: source, since: since)
        let tableCheck = SQLQueryString(backend.tableExistsQuery(table))
        return try await database.withConnection { sql in
            guard try await !sql.raw(tableCheck).all().isEmpty else {
                throw CoreReconError.failed(
                    "this database has no \(source.rawValue) with techniques yet (no \(table) table).")
            }
            return try await sql.raw(statement).all().map { row in
                ObservedTechnique(
                    techniqueID: try row.decode(column: "technique_id", as: String.self),
                    tactic: try row.decode(column: "tactic", as: String?.self),
                    count: try row.decode(column: "n", as: Int.self))
            }
        }
    }

    /// Technique counts per mapped tactic, and the table they come from. Alerts count when last seen since
    /// `since`; incidents (`incident_techniques` joined to `incidents`) when created since `since`.
    static func observedTechniquesQuery(from source: ATTACKCoverageSource, since: Date?) -> (String, SQLQueryString) {
        let (table, owner, key, time) =
            switch source {
            case .alerts: ("alert_techniques", "alerts", "alert_id", "last_seen")
            case .incidents: ("incident_techniques", "incidents", "incident_id", "created_at")
            }
        var statement = SQLQueryString(
            "SELECT t.technique_id, t.tactic, COUNT(*) AS n FROM \(table) t JOIN \(owner) s ON s.id = t.\(key)")
        if let since {
            statement.appendInterpolation(
                " WHERE s.\(unsafeRaw: time) >= \(bind: since.milliseconds)" as SQLQueryString)
        }
        statement.appendLiteral(" GROUP BY t.technique_id, t.tactic")
        return (table, statement)
    }

    // MARK: - Decoding

    private static let techniqueColumns = """
        o.stix_id, o.external_id, o.name, o.tactics, o.platforms, o.revoked, o.deprecated, o.domains,
        (SELECT t.external_id FROM attack_relationships r JOIN attack_objects t ON t.stix_id = r.target_ref
         WHERE r.source_ref = o.stix_id AND r.relationship_type = 'revoked-by' LIMIT 1) AS replaced_by
        """

    /// The technique row for an ATT&CK id, the active one first when a revoked object shares the id.
    private func techniqueRow(id: String, extraColumns: String, on sql: any SQLDatabase) async throws
        -> (any SQLRow)?
    {
        try await sql.raw(
            """
            SELECT \(unsafeRaw: Self.techniqueColumns)\(unsafeRaw: extraColumns) FROM attack_objects o
            WHERE o.external_id = \(bind: id) AND o.type = 'attack-pattern'
            ORDER BY o.revoked, o.deprecated LIMIT 1
            """
        ).first()
    }

    private static func decodeTechnique(_ row: any SQLRow) throws -> ATTACKTechnique {
        ATTACKTechnique(
            id: try row.decode(column: "external_id", as: String.self),
            name: try row.decode(column: "name", as: String.self),
            tactics: list(try row.decode(column: "tactics", as: String.self)),
            platforms: list(try row.decode(column: "platforms", as: String.self)),
            isRevoked: try row.decode(column: "revoked", as: Int.self) != 0,
            isDeprecated: try row.decode(column: "deprecated", as: Int.self) != 0,
            replacedBy: (try? row.decode(column: "replaced_by", as: String?.self)) ?? nil,
            domains: domains(try row.decode(column: "domains", as: String.self)))
    }

    private static func list(_ text: String) -> [String] {
        text.split(separator: ",").map(String.init)
    }

    private static func domains(_ text: String) -> [ATTACKDomain] {
        text.split(separator: ",").compactMap { ATTACKDomain(rawValue: String($0)) }
    }
}
