import Foundation

/// One ATT&CK object as stored: a technique, tactic, group, software, mitigation, data source, ...
public struct ATTACKObject: Sendable, Equatable {
    public var stixID: String
    /// The STIX type: `attack-pattern`, `x-mitre-tactic`, `intrusion-set`, `malware`, `tool`, ...
    public var type: String
    /// The ATT&CK id: `T1059.001`, `TA0002`, `G0016`, `S0154`, `M1036`, `DS0009`; nil for objects without one.
    public var externalID: String?
    public var name: String
    public var description: String?
    public var detection: String?
    public var platforms: [String]
    /// For techniques: the tactic short names of the bundle's kill chain (`execution`).
    public var tactics: [String]
    /// For tactics: the short name techniques refer to (`x_mitre_shortname`).
    public var shortName: String?
    public var isSubtechnique: Bool
    public var isRevoked: Bool
    public var isDeprecated: Bool
    public var modified: String?
    public var version: String?
    /// For tactics: their place in the domain's matrix, from 0.
    public var position: Int?

    public init(
        stixID: String, type: String, externalID: String? = nil, name: String, description: String? = nil,
        detection: String? = nil, platforms: [String] = [], tactics: [String] = [], shortName: String? = nil,
        isSubtechnique: Bool = false, isRevoked: Bool = false, isDeprecated: Bool = false, modified: String? = nil,
        version: String? = nil, position: Int? = nil
    ) {
        self.stixID = stixID
        self.type = type
        self.externalID = externalID
        self.name = name
        self.description = description
        self.detection = detection
        self.platforms = platforms
        self.tactics = tactics
        self.shortName = shortName
        self.isSubtechnique = isSubtechnique
        self.isRevoked = isRevoked
        self.isDeprecated = isDeprecated
        self.modified = modified
        self.version = version
        self.position = position
    }
}

/// A STIX relationship between two ATT&CK objects: `uses`, `mitigates`, `subtechnique-of`, `revoked-by`, `detects`.
public struct ATTACKRelationship: Sendable, Equatable {
    public var stixID: String
    public var type: String
    public var sourceRef: String
    public var targetRef: String
    public var description: String?
    public var isRevoked: Bool
    public var isDeprecated: Bool
    public var modified: String?
}

/// A parsed ATT&CK STIX bundle (STIX 2.0 or 2.1) of one domain, ready to store.
public struct ATTACKBundle: Sendable {
    public var domain: ATTACKDomain
    /// The ATT&CK release (`15.1`, `18.1`) when the bundle or its file name says so.
    public var attackVersion: String?
    /// `2.0` or `2.1`.
    public var specVersion: String
    public var bundleID: String
    /// Where it came from: a file path or a URL.
    public var source: String
    public var objects: [ATTACKObject]
    public var relationships: [ATTACKRelationship]
    /// Objects of types CoreRecon does not keep (`identity`, `marking-definition`, unknown types), by type.
    public var skipped: [String: Int]

    /// The STIX types kept; others are counted in ``skipped``.
    public static let keptTypes: Set<String> = [
        "attack-pattern", "x-mitre-tactic", "intrusion-set", "malware", "tool", "course-of-action", "campaign",
        "x-mitre-data-source", "x-mitre-data-component", "x-mitre-matrix", "x-mitre-collection", "x-mitre-asset",
        "x-mitre-detection-strategy", "x-mitre-analytic",
    ]

    /// Objects by STIX type.
    public var counts: [String: Int] {
        var counts: [String: Int] = [:]
        for object in objects { counts[object.type, default: 0] += 1 }
        return counts
    }
}

extension ATTACKBundle {
    /// Parses a bundle from its bytes. `source` names the file or URL in errors.
    ///
    /// Errors are ``CoreReconError/invalidInput(location:reason:)`` naming `source`: not JSON (with the byte
    /// position), not a STIX bundle, or no ATT&CK domain.
    public static func parse(_ bytes: [UInt8], source: String) throws(CoreReconError) -> ATTACKBundle {
        let document = try JSONParser.parse(bytes, source: source)
        guard document[key: "type"]?.text == "bundle", let items = document[key: "objects"]?.arrayValue else {
            throw .invalidInput(
                location: source,
                reason: "not a STIX bundle: expected a JSON object with \"type\": \"bundle\" and an \"objects\" "
                    + "array, as MITRE publishes ATT&CK (enterprise-attack.json).")
        }
        var reader = BundleReader(source: source)
        for (index, item) in items.enumerated() {
            try reader.read(item, index: index)
        }
        return try reader.finish(document: document)
    }
}

/// Turns STIX objects into ``ATTACKObject``s and ``ATTACKRelationship``s, noting what decides the domain.
private struct BundleReader {
    let source: String
    var objects: [ATTACKObject] = []
    var relationships: [ATTACKRelationship] = []
    var skipped: [String: Int] = [:]
    var domainVotes: [ATTACKDomain: Int] = [:]
    var matrixDomain: ATTACKDomain?
    var collectionVersion: String?
    var specVersion: String?
    /// Tactic STIX ids in matrix order, from `x-mitre-matrix` `tactic_refs`.
    var tacticOrder: [String] = []
    /// Kill-chain phases by name, for techniques; resolved once the domain is known.
    var phases: [Int: [(chain: String, phase: String)]] = [:]

    init(source: String) { self.source = source }

    mutating func read(_ item: JSONValue, index: Int) throws(CoreReconError) {
        guard let members = item.members else {
            throw .invalidInput(location: source, reason: "objects[\(index)] is not a JSON object.")
        }
        var fields = Fields()
        for member in members { fields.take(member) }
        guard let type = fields.type, let id = fields.id else {
            throw .invalidInput(location: source, reason: "objects[\(index)] has no \"type\" or \"id\".")
        }
        if specVersion == nil { specVersion = fields.specVersion }
        for domain in fields.domains { domainVotes[domain, default: 0] += 1 }

        if type == "relationship" {
            guard let relationshipType = fields.relationshipType, let sourceRef = fields.sourceRef,
                let targetRef = fields.targetRef
            else {
                throw .invalidInput(
                    location: source,
                    reason: "objects[\(index)] (\(id)) is a relationship without relationship_type, source_ref "
                        + "or target_ref.")
            }
            relationships.append(
                ATTACKRelationship(
                    stixID: id, type: relationshipType, sourceRef: sourceRef, targetRef: targetRef,
                    description: fields.description, isRevoked: fields.isRevoked, isDeprecated: fields.isDeprecated,
                    modified: fields.modified))
            return
        }
        guard ATTACKBundle.keptTypes.contains(type) else {
            skipped[type, default: 0] += 1
            return
        }
        switch type {
        case "x-mitre-matrix":
            if let external = fields.externalID, let domain = ATTACKDomain(name: external) { matrixDomain = domain }
            if tacticOrder.isEmpty { tacticOrder = fields.tacticRefs }
        case "x-mitre-collection":
            collectionVersion = fields.version
        default:
            break
        }
        if !fields.phases.isEmpty { phases[objects.count] = fields.phases }
        objects.append(
            ATTACKObject(
                stixID: id, type: type, externalID: fields.externalID, name: fields.name ?? "",
                description: fields.description, detection: fields.detection, platforms: fields.platforms,
                shortName: fields.shortName, isSubtechnique: fields.isSubtechnique, isRevoked: fields.isRevoked,
                isDeprecated: fields.isDeprecated, modified: fields.modified, version: fields.version))
    }

    mutating func finish(document: JSONValue) throws(CoreReconError) -> ATTACKBundle {
        // The matrix names its domain; without one, the domain most objects declare.
        guard let domain = matrixDomain ?? domainVotes.max(by: { ($0.value, $1.key) < ($1.value, $0.key) })?.key
        else {
            throw .invalidInput(
                location: source,
                reason: "no ATT&CK domain found: no x-mitre-matrix and no object with x_mitre_domains "
                    + "(enterprise-attack, mobile-attack, ics-attack). Is this an ATT&CK bundle?")
        }
        let positions = Dictionary(
            tacticOrder.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        for (index, objectPhases) in phases {
            // A technique shared between domains lists every domain's phases; keep this bundle's.
            var names: [String] = []
            for phase in objectPhases where phase.chain == domain.killChainName && !names.contains(phase.phase) {
                names.append(phase.phase)
            }
            if names.isEmpty { names = objectPhases.map(\.phase) }
            objects[index].tactics = names
        }
        for index in objects.indices where objects[index].type == "x-mitre-tactic" {
            objects[index].position = positions[objects[index].stixID]
        }
        return ATTACKBundle(
            domain: domain,
            attackVersion: collectionVersion ?? Self.version(inFileName: source),
            specVersion: specVersion ?? document[key: "spec_version"]?.text ?? "2.0",
            bundleID: document[key: "id"]?.text ?? "",
            source: source, objects: objects, relationships: relationships, skipped: skipped)
    }

    /// `15` from `enterprise-attack-v15-stix2.0.json`, `15.1` from `enterprise-attack-15.1.json`.
    static func version(inFileName path: String) -> String? {
        let name = (path as NSString).lastPathComponent
        for part in name.split(whereSeparator: { $0 == "-" || $0 == "_" }) {
            var text = Substring(part)
            if text.hasSuffix(".json") { text = text.dropLast(5) }
            if text.first == "v" || text.first == "V" { text = text.dropFirst() }
            if !text.isEmpty, text.first?.isNumber == true, text.allSatisfy({ $0.isNumber || $0 == "." }),
                !text.hasSuffix(".")
            {
                return String(text)
            }
        }
        return nil
    }
}

/// The members of one STIX object that CoreRecon reads, taken in one pass over its members.
private struct Fields {
    var type: String?
    var id: String?
    var specVersion: String?
    var name: String?
    var description: String?
    var detection: String?
    var externalID: String?
    var platforms: [String] = []
    var domains: [ATTACKDomain] = []
    var phases: [(chain: String, phase: String)] = []
    var shortName: String?
    var isSubtechnique = false
    var isRevoked = false
    var isDeprecated = false
    var modified: String?
    var version: String?
    var relationshipType: String?
    var sourceRef: String?
    var targetRef: String?
    var tacticRefs: [String] = []

    /// The `source_name`s whose `external_id` is the ATT&CK id.
    static let attackSources: Set<String> = ["mitre-attack", "mitre-mobile-attack", "mitre-ics-attack"]

    mutating func take(_ member: JSONMember) {
        let value = member.value
        switch member.key {
        case "type": type = value.text
        case "id": id = value.text
        case "spec_version": specVersion = value.text
        case "name": name = value.text
        case "description": description = value.text
        case "x_mitre_detection": detection = value.text
        case "x_mitre_platforms": platforms = value.arrayValue?.compactMap(\.text) ?? []
        case "x_mitre_domains":
            domains = value.arrayValue?.compactMap { $0.text.flatMap { ATTACKDomain(rawValue: $0) } } ?? []
        case "x_mitre_shortname": shortName = value.text
        case "x_mitre_is_subtechnique": isSubtechnique = value.bool ?? false
        case "revoked": isRevoked = value.bool ?? false
        case "x_mitre_deprecated": isDeprecated = value.bool ?? false
        case "modified": modified = value.text
        case "x_mitre_version": version = value.text
        case "relationship_type": relationshipType = value.text
        case "source_ref": sourceRef = value.text
        case "target_ref": targetRef = value.text
        case "tactic_refs": tacticRefs = value.arrayValue?.compactMap(\.text) ?? []
        case "kill_chain_phases":
            phases = (value.arrayValue ?? []).compactMap { phase in
                guard let chain = phase[key: "kill_chain_name"]?.text, let name = phase[key: "phase_name"]?.text
                else { return nil }
                return (chain, name)
            }
        case "external_references":
            externalID =
                value.arrayValue?.lazy.compactMap { reference -> String? in
                    guard let source = reference[key: "source_name"]?.text, Self.attackSources.contains(source) else {
                        return nil
                    }
                    return reference[key: "external_id"]?.text
                }.first
        default:
            break
        }
    }
}

extension JSONParser {
    /// Parses a whole file's JSON; a syntax error is bad input naming `source` and the byte position.
    static func parse(_ bytes: [UInt8], source: String) throws(CoreReconError) -> JSONValue {
        do {
            return try parse(bytes)
        } catch {
            throw .invalidInput(location: source, reason: "not JSON: \(error).")
        }
    }
}
