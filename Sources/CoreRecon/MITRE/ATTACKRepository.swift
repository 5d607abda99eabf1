import Foundation

/// Stores imported ATT&CK data. Implemented once over SQL for SQLite and PostgreSQL (`SQLATTACKRepository`).
public protocol ATTACKRepository: Sendable {
    /// Stores `bundles` in one transaction, in order. Each replaces its domain's earlier import in place:
    /// objects are upserted by STIX id; objects and relationships of that domain missing from the new bundle
    /// lose the domain, and are deleted when no other imported domain has them.
    func store(_ bundles: [ATTACKBundle], importedAt: Date) async throws -> [ATTACKImportSummary]

    /// The last import of each domain, in domain order; empty when nothing was imported.
    func imports() async throws -> [ATTACKImportRecord]

    /// Active tactics of `domains`, in matrix order.
    func tactics(in domains: [ATTACKDomain]) async throws -> [ATTACKTactic]

    /// Techniques and sub-techniques of `domains` (revoked and deprecated ones included), in id order.
    func techniques(in domains: [ATTACKDomain]) async throws -> [ATTACKTechnique]

    /// The technique with this ATT&CK id (upper case), with its replacement when revoked.
    func technique(id: String) async throws -> ATTACKTechnique?

    /// A technique with everything related to it: tactics, mitigations, groups, software, sub-techniques.
    func techniqueDetail(id: String) async throws -> ATTACKTechniqueDetail?

    /// How many alerts (or incidents) carry each technique, by the tactic they were mapped with.
    func observedTechniques(from source: ATTACKCoverageSource, since: Date?) async throws -> [ObservedTechnique]
}

/// What one import stored, as recorded in the database.
public struct ATTACKImportRecord: Sendable, Equatable, Codable {
    public var domain: ATTACKDomain
    public var attackVersion: String?
    public var specVersion: String
    public var bundleID: String
    public var source: String
    public var importedAt: Date
    public var objectCount: Int
    public var relationshipCount: Int
    public var techniqueCount: Int
    public var skippedCount: Int

    public init(
        domain: ATTACKDomain, attackVersion: String?, specVersion: String, bundleID: String, source: String,
        importedAt: Date, objectCount: Int, relationshipCount: Int, techniqueCount: Int, skippedCount: Int
    ) {
        self.domain = domain
        self.attackVersion = attackVersion
        self.specVersion = specVersion
        self.bundleID = bundleID
        self.source = source
        self.importedAt = importedAt
        self.objectCount = objectCount
        self.relationshipCount = relationshipCount
        self.techniqueCount = techniqueCount
        self.skippedCount = skippedCount
    }

    /// `enterprise-attack 15` for messages.
    public var label: String { domain.rawValue + (attackVersion.map { " " + $0 } ?? "") }
}

/// The outcome of importing one bundle.
public struct ATTACKImportSummary: Sendable, Equatable, Codable {
    public var record: ATTACKImportRecord
    /// Stored objects by STIX type.
    public var counts: [String: Int]
    /// Objects and relationships new to the database, already there (updated in place), and removed because
    /// the new bundle no longer has them.
    public var added: Int
    public var updated: Int
    public var removed: Int
    public var revoked: Int
    public var deprecated: Int
    /// Objects not kept, by STIX type.
    public var skipped: [String: Int]

    public init(
        record: ATTACKImportRecord, counts: [String: Int], added: Int, updated: Int, removed: Int, revoked: Int,
        deprecated: Int, skipped: [String: Int]
    ) {
        self.record = record
        self.counts = counts
        self.added = added
        self.updated = updated
        self.removed = removed
        self.revoked = revoked
        self.deprecated = deprecated
        self.skipped = skipped
    }
}

/// Another ATT&CK object named by its id: a mitigation, group, software, sub-technique.
public struct ATTACKReference: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    public var type: String

    public init(id: String, name: String, type: String) {
        self.id = id
        self.name = name
        self.type = type
    }
}

/// Everything `mitre show` prints about a technique.
public struct ATTACKTechniqueDetail: Sendable, Equatable, Codable {
    public var technique: ATTACKTechnique
    public var description: String?
    public var detection: String?
    public var tactics: [ATTACKTactic]
    public var parent: ATTACKReference?
    public var subtechniques: [ATTACKReference]
    public var mitigations: [ATTACKReference]
    /// Intrusion sets that use the technique.
    public var groups: [ATTACKReference]
    public var campaigns: [ATTACKReference]
    /// Malware and tools that use the technique.
    public var software: [ATTACKReference]
    public var replacedBy: ATTACKReference?
    public var url: String
    /// Which catalog answered: `imported enterprise-attack 15` or `embedded ATT&CK 15`.
    public var catalog: String

    public init(
        technique: ATTACKTechnique, description: String? = nil, detection: String? = nil, tactics: [ATTACKTactic],
        parent: ATTACKReference? = nil, subtechniques: [ATTACKReference] = [], mitigations: [ATTACKReference] = [],
        groups: [ATTACKReference] = [], campaigns: [ATTACKReference] = [], software: [ATTACKReference] = [],
        replacedBy: ATTACKReference? = nil, catalog: String
    ) {
        self.technique = technique
        self.description = description
        self.detection = detection
        self.tactics = tactics
        self.parent = parent
        self.subtechniques = subtechniques
        self.mitigations = mitigations
        self.groups = groups
        self.campaigns = campaigns
        self.software = software
        self.replacedBy = replacedBy
        self.url = Self.url(technique.id)
        self.catalog = catalog
    }

    /// `https://attack.mitre.org/techniques/T1059/001`.
    public static func url(_ id: String) -> String {
        "https://attack.mitre.org/techniques/" + id.replacingOccurrences(of: ".", with: "/")
    }
}

/// Where coverage counts come from.
public enum ATTACKCoverageSource: String, Sendable, Codable, CaseIterable {
    case alerts
    case incidents
}

/// One technique seen in alerts or incidents, with the tactic it was mapped with (nil when none was given).
public struct ObservedTechnique: Sendable, Equatable {
    public var techniqueID: String
    public var tactic: String?
    public var count: Int

    public init(techniqueID: String, tactic: String?, count: Int) {
        self.techniqueID = techniqueID
        self.tactic = tactic
        self.count = count
    }
}
