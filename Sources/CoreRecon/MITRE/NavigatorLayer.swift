import Foundation

/// An ATT&CK Navigator layer, as `mitre layer export` writes it (layer format 4.5).
public struct NavigatorLayer: Sendable, Equatable, Codable {
    public struct Versions: Sendable, Equatable, Codable {
        public var attack: String
        public var navigator: String
        public var layer: String
    }

    public struct Technique: Sendable, Equatable, Codable {
        public var techniqueID: String
        public var tactic: String?
        public var score: Int?
        public var color: String
        public var comment: String
        public var enabled: Bool
        public var metadata: [Metadata]
        public var links: [Link]
        public var showSubtechniques: Bool
    }

    public struct Gradient: Sendable, Equatable, Codable {
        public var colors: [String]
        public var minValue: Int
        public var maxValue: Int
    }

    public struct LegendItem: Sendable, Equatable, Codable {
        public var label: String
        public var color: String
    }

    public struct Metadata: Sendable, Equatable, Codable {
        public var name: String
        public var value: String
    }

    public struct Link: Sendable, Equatable, Codable {
        public var label: String
        public var url: String
    }

    public var name: String
    public var versions: Versions
    public var domain: String
    public var description: String
    public var sorting: Int
    public var hideDisabled: Bool
    public var techniques: [Technique]
    public var gradient: Gradient
    public var legendItems: [LegendItem]
    public var metadata: [Metadata]
    public var links: [Link]
    public var showTacticRowBackground: Bool
    public var tacticRowBackground: String
    public var selectTechniquesAcrossTactics: Bool
    public var selectSubtechniquesWithParent: Bool
    public var selectVisibleTechniques: Bool

    /// The layer format written, and the Navigator release that reads it.
    public static let layerVersion = "4.5"
    public static let navigatorVersion = "4.9.1"
    static let seenColor = "#ff6666"

    /// A heat map of `coverage`: one entry per technique and tactic, scored with its count; parents of seen
    /// sub-techniques get an unscored entry that expands them.
    public init(coverage: ATTACKCoverage, domain: ATTACKDomain, name: String, generator: String) {
        var entries: [Technique] = []
        var scored = Set<String>()
        for column in coverage.tactics {
            for cell in column.techniques {
                let noun = coverage.source == .alerts ? "alert" : "incident"
                entries.append(
                    Technique(
                        techniqueID: cell.id, tactic: column.tactic.shortName, score: cell.count, color: "",
                        comment: "\(cell.count) \(noun)\(cell.count == 1 ? "" : "s")", enabled: true, metadata: [],
                        links: [], showSubtechniques: false))
                scored.insert(cell.id + "/" + column.tactic.shortName)
            }
        }
        // Navigator shows a sub-technique only under an expanded parent.
        for index in entries.indices {
            let entry = entries[index]
            guard let dot = entry.techniqueID.firstIndex(of: ".") else { continue }
            let parent = String(entry.techniqueID[..<dot])
            let key = parent + "/" + (entry.tactic ?? "")
            if let parentIndex = entries.firstIndex(where: { $0.techniqueID == parent && $0.tactic == entry.tactic }) {
                entries[parentIndex].showSubtechniques = true
            } else if scored.insert(key).inserted {
                entries.append(
                    Technique(
                        techniqueID: parent, tactic: entry.tactic, score: nil, color: "", comment: "", enabled: true,
                        metadata: [], links: [], showSubtechniques: true))
            }
        }
        let since = coverage.since.map { " since " + ISO8601DateFormatter().string(from: $0) } ?? ""
        self.name = name
        versions = Versions(attack: coverage.attackVersion, navigator: Self.navigatorVersion, layer: Self.layerVersion)
        self.domain = domain.rawValue
        description = "Techniques seen in CoreRecon \(coverage.source.rawValue)\(since), scored by count."
        sorting = 3
        hideDisabled = false
        techniques = entries
        gradient = Gradient(
            colors: ["#ffffff", Self.seenColor], minValue: 0, maxValue: max(1, entries.compactMap(\.score).max() ?? 1))
        legendItems = [LegendItem(label: "seen in \(coverage.source.rawValue)", color: Self.seenColor)]
        metadata = [
            Metadata(name: "generator", value: generator), Metadata(name: "source", value: coverage.source.rawValue),
            Metadata(name: "catalog", value: coverage.catalog),
        ]
        links = []
        showTacticRowBackground = false
        tacticRowBackground = "#dddddd"
        selectTechniquesAcrossTactics = true
        selectSubtechniquesWithParent = false
        selectVisibleTechniques = false
    }
}

/// A Navigator layer read for comparison: layer formats 3.0 to 4.5.
public struct NavigatorLayerDocument: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var techniqueID: String
        public var tactic: String?
        public var score: Double?
        /// True when the entry says something (a score, color or comment) and is not disabled; entries that only
        /// expand a parent's sub-techniques are not.
        public var isAnnotated: Bool
    }

    public var name: String
    /// `3.0`, `4.0` ... `4.5`.
    public var layerVersion: String
    public var domain: ATTACKDomain
    public var entries: [Entry]

    /// Technique ids the layer marks, upper case, sorted.
    public var annotatedIDs: [String] {
        Array(Set(entries.filter(\.isAnnotated).map(\.techniqueID))).sorted()
    }

    /// Parses a layer; errors name `source` (not JSON, with the byte position; not a layer; an unsupported
    /// version).
    public static func parse(_ bytes: [UInt8], source: String) throws(CoreReconError) -> NavigatorLayerDocument {
        let document = try JSONParser.parse(bytes, source: source)
        guard document.members != nil, let items = document[key: "techniques"]?.arrayValue else {
            throw .invalidInput(
                location: source,
                reason: "not an ATT&CK Navigator layer: expected a JSON object with a \"techniques\" array.")
        }
        // Layer 4.x: versions.layer; layer 3.x: a top-level "version".
        guard let version = document["versions.layer"]?.text ?? document[key: "version"]?.text else {
            throw .invalidInput(
                location: source, reason: "no layer version (\"versions\": {\"layer\": ...} or \"version\").")
        }
        let parts = version.split(separator: ".").compactMap { Int($0) }
        guard let major = parts.first, major == 3 || (major == 4 && (parts.count < 2 || parts[1] <= 5)) else {
            throw .invalidInput(
                location: source, reason: "layer format \(version) is not supported; corerecon reads 3.0 to 4.5.")
        }
        let domainName = document[key: "domain"]?.text ?? ATTACKDomain.enterprise.rawValue
        guard let domain = ATTACKDomain(name: domainName) else {
            throw .invalidInput(
                location: source,
                reason: "unknown domain '\(domainName)'; expected enterprise-attack, mobile-attack or ics-attack.")
        }
        var entries: [Entry] = []
        for (index, item) in items.enumerated() {
            guard let id = item[key: "techniqueID"]?.text, !id.isEmpty else {
                throw .invalidInput(location: source, reason: "techniques[\(index)] has no techniqueID.")
            }
            let score = item[key: "score"]?.double
            let color = item[key: "color"]?.text ?? ""
            let comment = item[key: "comment"]?.text ?? ""
            let enabled = item[key: "enabled"]?.bool ?? true
            entries.append(
                Entry(
                    techniqueID: id.uppercased(), tactic: item[key: "tactic"]?.text, score: score,
                    isAnnotated: enabled && (score != nil || !color.isEmpty || !comment.isEmpty)))
        }
        return NavigatorLayerDocument(
            name: document[key: "name"]?.text ?? "", layerVersion: version, domain: domain, entries: entries)
    }
}

/// A layer against current coverage: techniques only in the layer, only seen, and in both.
public struct LayerComparison: Sendable, Equatable, Codable {
    public struct Item: Sendable, Equatable, Codable {
        public var id: String
        public var name: String
        /// How many alerts or incidents carried it; 0 for layer-only techniques.
        public var count: Int
        public var score: Double?
    }

    public var layer: String
    public var layerVersion: String
    public var domain: ATTACKDomain
    public var catalog: String
    public var source: ATTACKCoverageSource
    public var since: Date?
    public var layerOnly: [Item]
    public var seenOnly: [Item]
    public var both: [Item]
    /// Layer techniques that ATT&CK has revoked or deprecated since, with their replacement when known.
    public var outdated: [String]

    public var isSame: Bool { layerOnly.isEmpty && seenOnly.isEmpty }
}

extension ATTACKService {
    /// Coverage as a Navigator layer of `domain`.
    public func exportLayer(
        from source: ATTACKCoverageSource, since: Date?, domain: ATTACKDomain, name: String?, generator: String
    ) async throws -> NavigatorLayer {
        let coverage = try await coverage(from: source, since: since, domain: domain)
        return NavigatorLayer(
            coverage: coverage, domain: domain, name: name ?? "CoreRecon \(source.rawValue) coverage",
            generator: generator)
    }

    /// Checks every technique id of `layer` against the catalog of its domain and compares the layer with
    /// coverage. Unknown ids are refused, all of them named, as ``CoreReconError/invalidInput(location:reason:)``.
    public func compare(
        _ layer: NavigatorLayerDocument, source name: String, from source: ATTACKCoverageSource, since: Date?
    ) async throws -> LayerComparison {
        let catalog = try await catalog(domain: layer.domain)
        let ids = Set(layer.entries.map(\.techniqueID))
        let unknown = ids.filter { catalog.technique($0) == nil }.sorted()
        guard unknown.isEmpty else {
            throw CoreReconError.invalidInput(
                location: name,
                reason: "\(unknown.count) technique id\(unknown.count == 1 ? "" : "s") not in the \(catalog.source) "
                    + "catalog: \(unknown.joined(separator: ", ")).")
        }
        let observed = try await repository.observedTechniques(from: source, since: since)
        let coverage = ATTACKCoverage(observed: observed, catalog: catalog, source: source, since: since)
        var counts: [String: Int] = [:]
        for technique in coverage.techniques where technique.isKnown { counts[technique.id] = technique.count }
        var scores: [String: Double] = [:]
        for entry in layer.entries where entry.isAnnotated {
            if let score = entry.score { scores[entry.techniqueID] = max(scores[entry.techniqueID] ?? score, score) }
        }
        let marked = Set(layer.annotatedIDs)
        func item(_ id: String) -> LayerComparison.Item {
            LayerComparison.Item(
                id: id, name: catalog.technique(id)?.name ?? "", count: counts[id] ?? 0, score: scores[id])
        }
        let outdated = marked.sorted().compactMap { id -> String? in
            guard let technique = catalog.technique(id), !technique.isActive else { return nil }
            return id
                + (technique.replacedBy.map { " → \($0)" } ?? (technique.isRevoked ? " (revoked)" : " (deprecated)"))
        }
        return LayerComparison(
            layer: layer.name, layerVersion: layer.layerVersion, domain: layer.domain, catalog: catalog.source,
            source: source, since: since,
            layerOnly: marked.subtracting(counts.keys).sorted().map(item),
            seenOnly: Set(counts.keys).subtracting(marked).sorted().map(item),
            both: marked.intersection(counts.keys).sorted().map(item),
            outdated: outdated)
    }
}
