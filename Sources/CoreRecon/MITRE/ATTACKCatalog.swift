/// An ATT&CK tactic: `TA0002 execution Execution`.
public struct ATTACKTactic: Sendable, Equatable, Codable {
    public var id: String
    /// The kill-chain phase name techniques use: `execution`, `credential-access`.
    public var shortName: String
    public var name: String
    /// The matrix the tactic belongs to.
    public var domain: ATTACKDomain = .enterprise

    public init(id: String, shortName: String, name: String, domain: ATTACKDomain = .enterprise) {
        self.id = id
        self.shortName = shortName
        self.name = name
        self.domain = domain
    }
}

/// An ATT&CK technique or sub-technique.
public struct ATTACKTechnique: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    /// Tactic short names, in ATT&CK's order.
    public var tactics: [String]
    public var platforms: [String]
    public var isRevoked: Bool
    public var isDeprecated: Bool
    /// The technique that replaced a revoked one, when ATT&CK names it.
    public var replacedBy: String?
    /// The matrices the technique belongs to.
    public var domains: [ATTACKDomain] = [.enterprise]

    public init(
        id: String, name: String, tactics: [String], platforms: [String], isRevoked: Bool = false,
        isDeprecated: Bool = false, replacedBy: String? = nil, domains: [ATTACKDomain] = [.enterprise]
    ) {
        self.id = id
        self.name = name
        self.tactics = tactics
        self.platforms = platforms
        self.isRevoked = isRevoked
        self.isDeprecated = isDeprecated
        self.replacedBy = replacedBy
        self.domains = domains
    }

    public var isSubtechnique: Bool { id.contains(".") }
    /// `T1059` for `T1059.001`; the id itself for a technique.
    public var parentID: String { String(id.prefix { $0 != "." }) }
    public var isActive: Bool { !isRevoked && !isDeprecated }
}

/// The ATT&CK Enterprise tactics and techniques compiled into corerecon, so ATT&CK look-ups work offline.
///
/// Generated from MITRE's bundle by `scripts/generate-attack-catalog`. © 2025 The MITRE Corporation; reproduced
/// and distributed with the permission of The MITRE Corporation (see `ATTACKCatalog+Data.swift`).
public struct ATTACKCatalog: Sendable {
    public let version: String
    /// Where the catalog comes from, for people: `embedded ATT&CK 15`, `imported enterprise-attack 15`.
    public let source: String
    /// True for the catalog compiled into corerecon, false for imported data.
    public let isEmbedded: Bool
    /// Tactics in matrix order.
    public let tactics: [ATTACKTactic]
    /// Techniques and sub-techniques, in id order (T1001, T1001.001, ..., T1002).
    public let techniques: [ATTACKTechnique]
    private let index: [String: Int]

    /// The catalog compiled into this binary, parsed on first use.
    public static let embedded = ATTACKCatalog(version: embeddedVersion, text: embeddedData)

    /// A catalog over imported data.
    public init(version: String, source: String, tactics: [ATTACKTactic], techniques: [ATTACKTechnique]) {
        self.version = version
        self.source = source
        self.isEmbedded = false
        self.tactics = tactics
        self.techniques = techniques
        index = Self.makeIndex(techniques)
    }

    init(version: String, text: String) {
        var tactics: [ATTACKTactic] = []
        var techniques: [ATTACKTechnique] = []
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            switch fields.first {
            case "A" where fields.count >= 4:
                tactics.append(ATTACKTactic(id: fields[1], shortName: fields[2], name: fields[3]))
            case "T" where fields.count >= 7:
                techniques.append(
                    ATTACKTechnique(
                        id: fields[1], name: fields[2], tactics: Self.list(fields[3]), platforms: Self.list(fields[4]),
                        isRevoked: fields[5].contains("r"), isDeprecated: fields[5].contains("d"),
                        replacedBy: fields[6].isEmpty ? nil : fields[6]))
            default:
                continue
            }
        }
        self.version = version
        self.source = "embedded ATT&CK \(version)"
        self.isEmbedded = true
        self.tactics = tactics
        self.techniques = techniques
        index = Self.makeIndex(techniques)
    }

    private static func makeIndex(_ techniques: [ATTACKTechnique]) -> [String: Int] {
        Dictionary(techniques.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    private static func list(_ text: String) -> [String] {
        text.split(separator: ",").map(String.init)
    }

    /// The technique with this id (any case: `t1059.001`).
    public func technique(_ id: String) -> ATTACKTechnique? {
        index[id.uppercased()].map { techniques[$0] }
    }

    /// A tactic by id (`TA0002`), short name (`execution`) or name (`Execution`).
    public func tactic(_ key: String) -> ATTACKTactic? {
        let lowered = key.lowercased()
        return tactics.first {
            $0.id.lowercased() == lowered || $0.shortName == lowered || $0.name.lowercased() == lowered
                || $0.shortName == lowered.replacingOccurrences(of: " ", with: "-")
        }
    }

    /// Active techniques, filtered by tactic, platform (case-insensitive) and words in the id or name.
    public func techniques(tactic: ATTACKTactic? = nil, platform: String? = nil, search: String? = nil)
        -> [ATTACKTechnique]
    {
        let words = search?.lowercased().split(whereSeparator: \.isWhitespace) ?? []
        return techniques.filter { technique in
            guard technique.isActive else { return false }
            if let tactic,
                !technique.tactics.contains(tactic.shortName) || !technique.domains.contains(tactic.domain)
            {
                return false
            }
            if let platform, !technique.platforms.contains(where: { $0.lowercased() == platform.lowercased() }) {
                return false
            }
            let text = (technique.id + " " + technique.name).lowercased()
            return words.allSatisfy { text.contains($0) }
        }
    }

    /// Checks that `id` names an active technique; a revoked or deprecated one is refused naming its
    /// replacement when ATT&CK gives one.
    public func validate(_ id: String) throws(CoreReconError) -> ATTACKTechnique {
        guard let technique = technique(id) else {
            throw .invalidInput(
                location: id,
                reason: "not an ATT&CK technique in the \(source) catalog. "
                    + "Look ids up with `corerecon mitre techniques --search WORDS`."
            )
        }
        if technique.isRevoked || technique.isDeprecated {
            let state = technique.isRevoked ? "revoked" : "deprecated"
            let replacement = technique.replacedBy.flatMap(self.technique).map { " Use \($0.id) (\($0.name))." } ?? ""
            throw .invalidInput(
                location: technique.id, reason: "\(technique.name) is \(state) in ATT&CK.\(replacement)")
        }
        return technique
    }
}
