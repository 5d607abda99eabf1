/// An ATT&CK matrix: Enterprise, Mobile or ICS, named as in `x_mitre_domains`.
public enum ATTACKDomain: String, Sendable, Codable, CaseIterable, Comparable {
    case enterprise = "enterprise-attack"
    case mobile = "mobile-attack"
    case ics = "ics-attack"

    /// `enterprise`, `enterprise-attack`, or a Navigator v3 name (`mitre-enterprise`); any case.
    public init?(name: String) {
        let lowered = name.lowercased()
        guard
            let domain = Self.allCases.first(where: {
                lowered == $0.rawValue || lowered == $0.shortName || lowered == "mitre-" + $0.shortName
            })
        else { return nil }
        self = domain
    }

    /// `enterprise`, `mobile`, `ics`.
    public var shortName: String { String(rawValue.prefix { $0 != "-" }) }

    /// The `kill_chain_name` of this domain's tactics in `kill_chain_phases`.
    public var killChainName: String {
        switch self {
        case .enterprise: "mitre-attack"
        case .mobile: "mitre-mobile-attack"
        case .ics: "mitre-ics-attack"
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }
}
