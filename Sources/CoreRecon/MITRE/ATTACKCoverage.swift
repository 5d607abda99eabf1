import Foundation

/// Which techniques alerts (or incidents) carried, per tactic, against an ATT&CK catalog.
public struct ATTACKCoverage: Sendable, Equatable, Codable {
    /// A technique seen, with how many alerts or incidents carried it.
    public struct Technique: Sendable, Equatable, Codable {
        public var id: String
        /// Nil for ids the catalog does not know.
        public var name: String?
        public var count: Int
        /// Tactic short names the technique is counted under.
        public var tactics: [String]
        public var isKnown: Bool { name != nil }
    }

    /// One matrix column: a tactic and the techniques seen under it, most frequent first.
    public struct Column: Sendable, Equatable, Codable {
        public struct Cell: Sendable, Equatable, Codable {
            public var id: String
            public var name: String
            public var count: Int
        }

        public var tactic: ATTACKTactic
        public var techniques: [Cell]
    }

    public var source: ATTACKCoverageSource
    public var since: Date?
    /// The catalog techniques were resolved against.
    public var catalog: String
    public var attackVersion: String
    /// Every technique seen, most frequent first (unknown ids included, without a name).
    public var techniques: [Technique]
    /// Tactics in matrix order, only those with techniques seen.
    public var tactics: [Column]

    /// Builds coverage from observed counts. A count mapped with a tactic goes to that tactic; one without goes
    /// to every tactic of the technique.
    public init(
        observed: [ObservedTechnique], catalog: ATTACKCatalog, source: ATTACKCoverageSource, since: Date?
    ) {
        var totals: [String: Int] = [:]
        var cells: [String: [String: Int]] = [:]  // tactic short name → technique id → count
        var tacticsOf: [String: [String]] = [:]
        for row in observed {
            let id = row.techniqueID.uppercased()
            totals[id, default: 0] += row.count
            let known = catalog.technique(id)
            let mapped = row.tactic.flatMap { text in catalog.tactic(text) }.map { [$0.shortName] }
            for tactic in mapped ?? known?.tactics ?? [] {
                cells[tactic, default: [:]][id, default: 0] += row.count
                if !(tacticsOf[id]?.contains(tactic) ?? false) { tacticsOf[id, default: []].append(tactic) }
            }
        }
        techniques = totals.map { id, count in
            Technique(id: id, name: catalog.technique(id)?.name, count: count, tactics: tacticsOf[id] ?? [])
        }.sorted { ($0.count, $1.id) > ($1.count, $0.id) }
        var columns: [Column] = []
        var placed = Set<String>()
        for tactic in catalog.tactics where placed.insert(tactic.shortName).inserted {
            guard let seen = cells[tactic.shortName] else { continue }
            let column = seen.compactMap { id, count in
                catalog.technique(id).map { Column.Cell(id: id, name: $0.name, count: count) }
            }.sorted { ($0.count, $1.id) > ($1.count, $0.id) }
            if !column.isEmpty { columns.append(Column(tactic: tactic, techniques: column)) }
        }
        tactics = columns
        self.source = source
        self.since = since
        self.catalog = catalog.source
        attackVersion = catalog.version
    }
}

extension ATTACKService {
    /// Techniques seen in alerts or incidents since `since`, per tactic of `domain`'s catalog (all imported
    /// domains, or the embedded catalog, when nil).
    public func coverage(
        from source: ATTACKCoverageSource, since: Date?, domain: ATTACKDomain? = nil
    ) async throws -> ATTACKCoverage {
        let catalog = try await catalog(domain: domain)
        let observed = try await repository.observedTechniques(from: source, since: since)
        return ATTACKCoverage(observed: observed, catalog: catalog, source: source, since: since)
    }
}
