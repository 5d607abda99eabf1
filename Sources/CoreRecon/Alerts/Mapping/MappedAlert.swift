import Foundation

/// What a mapper extracts from one source record; ``DetectionFinding`` turns it into OCSF.
public struct MappedAlert: Sendable {
    public var format: AlertFormat
    /// `metadata.product.name`: "Suricata", "Wazuh", "GuardDuty".
    public var product: String
    /// `metadata.product.vendor_name`.
    public var vendor: String
    public var productVersion: String?
    /// The source's own id for this record (Elastic `kibana.alert.uuid`, Wazuh `id`, GuardDuty `id`), which
    /// makes a re-delivery recognizable. Nil when the source has none: then a hash of the raw record is used.
    public var sourceID: String?
    public var title: String
    public var description: String?
    public var severity: Severity
    /// The severity as the source wrote it (`rule.level 12`, `HIGH`, `8.0`), for OCSF `severity`.
    public var sourceSeverity: String?
    /// When the source detected it.
    public var time: Date?
    /// Detection rule / analytic.
    public var ruleUID: String?
    public var ruleName: String?
    /// `finding_info.types`: categories such as "Attempted Administrator Privilege Gain".
    public var types: [String]
    public var observables: [Observable]
    public var attacks: [Attack]
    /// Key entities for the dedup fingerprint.
    public var entities: Entities
    /// OCSF attributes the mapper builds itself: `evidences`, `device`, `cloud`, `resources`, `src_url`, ...
    public var attributes: [JSONMember]
    /// Source fields left over, for OCSF `unmapped`. Filled by the normalizer.
    public var unmapped: JSONValue?

    public init(format: AlertFormat, product: String, vendor: String, title: String, severity: Severity) {
        self.format = format
        self.product = product
        self.vendor = vendor
        self.title = title
        self.severity = severity
        self.types = []
        self.observables = []
        self.attacks = []
        self.entities = Entities()
        self.attributes = []
    }

    /// Adds an observable unless the value is empty or already there.
    public mutating func observe(_ kind: Observable.Kind, _ value: String?, name: String) {
        guard let value = value?.trimmingWhitespace, !value.isEmpty, value != "-" else { return }
        let observable = Observable(kind: kind, value: kind.normalize(value), name: name)
        if !observables.contains(where: { $0.kind == observable.kind && $0.value == observable.value }) {
            observables.append(observable)
        }
    }

    /// Sets the dedup entities and records each as an observable under its usual OCSF name.
    public mutating func identify(host: String?, user: String?, sourceIP: String?, destinationIP: String?) {
        entities = Entities(host: host, user: user, sourceIP: sourceIP, destinationIP: destinationIP)
        observe(.hostname, host, name: "device.hostname")
        observe(.user, user, name: "actor.user.name")
        observe(.ip, sourceIP, name: "src_endpoint.ip")
        observe(.ip, destinationIP, name: "dst_endpoint.ip")
    }

    /// An OCSF `email` object for an evidence entry; its sender, recipient, sending IP and URLs become
    /// observables.
    public mutating func emailEvidence(
        from sender: String?, to recipient: String?, subject: String?, uid: String?, messageUID: String? = nil,
        senderIP: String?, urls: [String] = []
    ) -> JSONValue? {
        observe(.email, sender, name: "evidences.email.from")
        observe(.email, recipient, name: "evidences.email.to")
        observe(.ip, senderIP, name: "evidences.email.x_originating_ip")
        for url in urls { observe(.url, url, name: "evidences.email.urls") }
        return JSONValue.compactObject([
            ("from", sender.map(JSONValue.string)),
            ("to", recipient.map { .array([.string($0)]) }),
            ("subject", subject.map(JSONValue.string)),
            ("uid", uid.map(JSONValue.string)),
            ("message_uid", messageUID.map(JSONValue.string)),
            ("x_originating_ip", senderIP.map { .array([.string($0)]) }),
        ])
    }

    /// Adds an OCSF attribute when it has content.
    public mutating func set(_ key: String, _ value: JSONValue?) {
        guard let value else { return }
        attributes.removeAll { $0.key == key }
        attributes.append(JSONMember(key, value))
    }

    public mutating func attack(
        technique: String?, name: String? = nil, tactic: String? = nil, tacticName: String? = nil
    ) {
        guard technique != nil || tactic != nil else { return }
        let attack = Attack(
            techniqueID: technique.map(Attack.normalizeID), techniqueName: name, tacticID: tactic,
            tacticName: tacticName)
        if !attacks.contains(attack) { attacks.append(attack) }
    }
}

/// The entities that identify "the same alert again" for dedup.
public struct Entities: Sendable, Equatable {
    public var host: String?
    public var user: String?
    public var sourceIP: String?
    public var destinationIP: String?

    public init(host: String? = nil, user: String? = nil, sourceIP: String? = nil, destinationIP: String? = nil) {
        self.host = host
        self.user = user
        self.sourceIP = sourceIP
        self.destinationIP = destinationIP
    }
}

/// An OCSF observable: something an analyst can pivot on.
public struct Observable: Sendable, Equatable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case ip, hostname, domain, user, email, hash, url, process, file, path, commandLine = "command_line"
        /// A cloud resource's id: an ARN, an instance id, a resource name.
        case resource = "resource_uid"

        /// OCSF `observable.type_id`.
        public var typeID: Int {
            switch self {
            case .hostname, .domain: 1
            case .ip: 2
            case .user: 4
            case .email: 5
            case .url: 6
            case .file: 7
            case .hash: 8
            case .process: 9
            case .commandLine: 13
            case .resource: 10
            case .path: 45
            }
        }

        /// OCSF `observable.type`.
        public var typeName: String {
            switch self {
            case .hostname, .domain: "Hostname"
            case .ip: "IP Address"
            case .user: "User Name"
            case .email: "Email Address"
            case .url: "URL String"
            case .file: "File Name"
            case .hash: "Hash"
            case .process: "Process Name"
            case .commandLine: "Command Line"
            case .resource: "Resource UID"
            case .path: "File Path"
            }
        }

        /// Canonical form, so the same thing from two sources correlates: lowercased names and hashes.
        func normalize(_ value: String) -> String {
            switch self {
            case .hostname, .domain, .email, .hash: value.lowercased()
            case .ip: value.hasPrefix("::ffff:") ? String(value.dropFirst(7)) : value.lowercased()
            default: value
            }
        }

        /// Kinds used to relate alerts to each other.
        public var correlates: Bool {
            switch self {
            case .ip, .hostname, .domain, .user, .email, .hash, .url, .resource: true
            default: false
            }
        }
    }

    public var kind: Kind
    public var value: String
    /// The OCSF attribute path it came from (`src_endpoint.ip`), OCSF `observable.name`.
    public var name: String

    public init(kind: Kind, value: String, name: String) {
        self.kind = kind
        self.value = value
        self.name = name
    }
}

/// An ATT&CK tactic/technique pair carried by the source.
public struct Attack: Sendable, Equatable, Codable {
    public var techniqueID: String?
    public var techniqueName: String?
    public var tacticID: String?
    public var tacticName: String?

    public init(
        techniqueID: String? = nil, techniqueName: String? = nil, tacticID: String? = nil, tacticName: String? = nil
    ) {
        self.techniqueID = techniqueID
        self.techniqueName = techniqueName
        self.tacticID = tacticID
        self.tacticName = tacticName
    }

    /// "t1059.001" → "T1059.001".
    static func normalizeID(_ id: String) -> String { id.trimmingWhitespace.uppercased() }
}
