import CoreRecon
import Foundation
import SQLKit

/// Stores one ATT&CK bundle inside the caller's transaction, replacing its domain's earlier import in place.
///
/// Objects and relationships are upserted by STIX id in multi-row statements (a handful of round trips for the
/// 20,000 rows of Enterprise). An object shared between domains is stored once, with every domain listed; rows
/// of this domain missing from the bundle lose the domain and are deleted when no other domain has them.
struct ATTACKBundleWriter {
    let sql: any SQLDatabase
    let backend: DatabaseBackend
    let bundle: ATTACKBundle
    let importedAt: Date

    private var domain: String { bundle.domain.rawValue }

    static let objectColumns = [
        "stix_id", "type", "external_id", "name", "domains", "description", "detection", "platforms", "tactics",
        "short_name", "is_subtechnique", "revoked", "deprecated", "modified", "version", "position",
    ]
    static let relationshipColumns = [
        "stix_id", "relationship_type", "source_ref", "target_ref", "description", "domains", "revoked",
        "deprecated", "modified",
    ]

    /// What a table write did.
    private struct Changes {
        var added = 0
        var updated = 0
        var removed = 0
    }

    func write() async throws -> ATTACKImportSummary {
        // Later duplicates of an id win: one statement must not upsert a row twice.
        let objects = Self.lastByID(bundle.objects, id: \.stixID)
        let relationships = Self.lastByID(bundle.relationships, id: \.stixID)

        let objectDomains = try await existingDomains(in: "attack_objects")
        let objectChanges = try await replace(
            table: "attack_objects", ids: objects.map(\.stixID), existing: objectDomains
        ) { statement, offset, domains in
            let object = objects[offset]
            statement.appendInterpolation(
                """
                (\(bind: object.stixID), \(bind: object.type), \(bind: object.externalID), \(bind: object.name),
                 \(bind: domains), \(bind: object.description), \(bind: object.detection),
                 \(bind: object.platforms.joined(separator: ",")), \(bind: object.tactics.joined(separator: ",")),
                 \(bind: object.shortName), \(bind: object.isSubtechnique ? 1 : 0), \(bind: object.isRevoked ? 1 : 0),
                 \(bind: object.isDeprecated ? 1 : 0), \(bind: object.modified), \(bind: object.version),
                 \(bind: object.position))
                """ as SQLQueryString)
        }
        let relationshipDomains = try await existingDomains(in: "attack_relationships")
        let relationshipChanges = try await replace(
            table: "attack_relationships", ids: relationships.map(\.stixID), existing: relationshipDomains
        ) { statement, offset, domains in
            let relationship = relationships[offset]
            statement.appendInterpolation(
                """
                (\(bind: relationship.stixID), \(bind: relationship.type), \(bind: relationship.sourceRef),
                 \(bind: relationship.targetRef), \(bind: relationship.description), \(bind: domains),
                 \(bind: relationship.isRevoked ? 1 : 0), \(bind: relationship.isDeprecated ? 1 : 0),
                 \(bind: relationship.modified))
                """ as SQLQueryString)
        }

        let counts = bundle.counts
        let record = ATTACKImportRecord(
            domain: bundle.domain, attackVersion: bundle.attackVersion, specVersion: bundle.specVersion,
            bundleID: bundle.bundleID, source: bundle.source, importedAt: importedAt, objectCount: objects.count,
            relationshipCount: relationships.count, techniqueCount: counts["attack-pattern"] ?? 0,
            skippedCount: bundle.skipped.values.reduce(0, +))
        try await recordImport(record, counts: counts)
        return ATTACKImportSummary(
            record: record, counts: counts,
            added: objectChanges.added + relationshipChanges.added,
            updated: objectChanges.updated + relationshipChanges.updated,
            removed: objectChanges.removed + relationshipChanges.removed,
            revoked: objects.filter(\.isRevoked).count,
            deprecated: objects.filter { $0.isDeprecated && !$0.isRevoked }.count,
            skipped: bundle.skipped)
    }

    static func lastByID<Element>(_ elements: [Element], id: KeyPath<Element, String>) -> [Element] {
        var position: [String: Int] = [:]
        var result: [Element] = []
        result.reserveCapacity(elements.count)
        for element in elements {
            if let index = position[element[keyPath: id]] {
                result[index] = element
            } else {
                position[element[keyPath: id]] = result.count
                result.append(element)
            }
        }
        return result
    }

    /// The `domains` of every row of `table`, by STIX id.
    private func existingDomains(in table: String) async throws -> [String: String] {
        var domains: [String: String] = [:]
        for row in try await sql.raw("SELECT stix_id, domains FROM \(unsafeRaw: table)").all() {
            domains[try row.decode(column: "stix_id", as: String.self)] = try row.decode(
                column: "domains", as: String.self)
        }
        return domains
    }

    /// Upserts the bundle's rows of `table` (`values` appends row `offset` with its domains) and takes this
    /// domain off the rows the bundle no longer has.
    private func replace(
        table: String, ids: [String], existing: [String: String],
        values: (inout SQLQueryString, Int, String) -> Void
    ) async throws -> Changes {
        var changes = Changes()
        let columns = table == "attack_objects" ? Self.objectColumns : Self.relationshipColumns
        let rowsPerStatement = backend.maximumBinds / columns.count
        for start in stride(from: 0, to: ids.count, by: rowsPerStatement) {
            var statement = SQLQueryString(
                "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES")
            for offset in start..<min(start + rowsPerStatement, ids.count) {
                statement.appendLiteral(offset == start ? " " : ", ")
                var domains = [domain]
                if let current = existing[ids[offset]] {
                    changes.updated += 1
                    domains += current.split(separator: ",").map(String.init)
                } else {
                    changes.added += 1
                }
                values(&statement, offset, Self.joinDomains(domains))
            }
            statement.appendLiteral(backend.upsertClause(key: "stix_id", columns: Array(columns.dropFirst())))
            try await sql.raw(statement).run()
        }

        let kept = Set(ids)
        var deleted: [String] = []
        for (id, domains) in existing where !kept.contains(id) {
            let names = domains.split(separator: ",").map(String.init)
            guard names.contains(domain) else { continue }
            changes.removed += 1
            let remaining = names.filter { $0 != domain }
            if remaining.isEmpty {
                deleted.append(id)
            } else {
                try await sql.raw(
                    """
                    UPDATE \(unsafeRaw: table) SET domains = \(bind: Self.joinDomains(remaining))
                    WHERE stix_id = \(bind: id)
                    """
                ).run()
            }
        }
        for chunk in deleted.chunked(into: 1_000) {
            try await sql.raw("DELETE FROM \(unsafeRaw: table) WHERE stix_id IN (\(binds: Array(chunk)))").run()
        }
        return changes
    }

    /// Domain names, known ones in matrix order, without repeats.
    static func joinDomains(_ names: [String]) -> String {
        let unique = Set(names)
        let known = ATTACKDomain.allCases.map(\.rawValue).filter(unique.contains)
        return (known + unique.subtracting(known).sorted()).joined(separator: ",")
    }

    private func recordImport(_ record: ATTACKImportRecord, counts: [String: Int]) async throws {
        let countsJSON = JSONValue.object(counts.sorted { $0.key < $1.key }.map { JSONMember($0.key, .int($0.value)) })
            .jsonString
        var statement: SQLQueryString = """
            INSERT INTO attack_imports (domain, attack_version, spec_version, bundle_id, source, imported_at,
                object_count, relationship_count, technique_count, skipped_count, counts)
            VALUES (\(bind: record.domain.rawValue), \(bind: record.attackVersion), \(bind: record.specVersion),
                    \(bind: record.bundleID), \(bind: record.source), \(bind: record.importedAt.milliseconds),
                    \(bind: record.objectCount), \(bind: record.relationshipCount), \(bind: record.techniqueCount),
                    \(bind: record.skippedCount), \(bind: countsJSON))
            """
        statement.appendLiteral(
            backend.upsertClause(
                key: "domain",
                columns: [
                    "attack_version", "spec_version", "bundle_id", "source", "imported_at", "object_count",
                    "relationship_count", "technique_count", "skipped_count", "counts",
                ]))
        try await sql.raw(statement).run()
    }
}
