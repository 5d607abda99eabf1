/// The alert formats `corerecon ingest` reads. Each has a mapper to an OCSF Detection Finding, documented in
/// docs/alert-mappings.md.
public enum AlertFormat: String, Sendable, CaseIterable, Codable {
    case elastic
    case wazuh
    case suricata
    case guardduty
    case asff
    case splunk
    case qradar
    case cef
    case leef
    case sentinel
    case defender
    case scc
    case crowdstrike
    case sentinelone
    case cortexxdr
    case chronicle
    case sophos
    case ocsf
    case generic

    /// The mapper for this format.
    public var mapper: any AlertMapper.Type {
        switch self {
        case .elastic: ElasticMapper.self
        case .wazuh: WazuhMapper.self
        case .suricata: SuricataMapper.self
        case .guardduty: GuardDutyMapper.self
        case .asff: ASFFMapper.self
        case .splunk: SplunkMapper.self
        case .qradar: QRadarMapper.self
        case .cef: CEFMapper.self
        case .leef: LEEFMapper.self
        case .sentinel: SentinelMapper.self
        case .defender: DefenderMapper.self
        case .scc: SCCMapper.self
        case .crowdstrike: CrowdStrikeMapper.self
        case .sentinelone: SentinelOneMapper.self
        case .cortexxdr: CortexXDRMapper.self
        case .chronicle: ChronicleMapper.self
        case .sophos: SophosMapper.self
        case .ocsf: OCSFMapper.self
        case .generic: GenericMapper.self
        }
    }

    /// Formats in the order auto-detection tries them: the most specific first, `generic` last.
    public static let detectionOrder: [AlertFormat] = [
        .ocsf, .cef, .leef, .elastic, .wazuh, .suricata, .asff, .guardduty, .scc, .splunk, .qradar, .defender,
        .sentinel, .crowdstrike, .sentinelone, .cortexxdr, .chronicle, .sophos,
        .generic,
    ]

    /// The first format whose mapper recognizes `record`, or nil.
    public static func detect(_ record: JSONValue) -> AlertFormat? {
        detectionOrder.first { $0.mapper.recognizes(record) }
    }
}

/// Maps one source record to a ``MappedAlert``. Implementations are stateless.
public protocol AlertMapper {
    /// True when `record` looks like this format (used by `--input-format auto`). Cheap: a few key look-ups.
    static func recognizes(_ record: JSONValue) -> Bool
    /// Maps the record. Throws ``MappingError`` when a record of this format lacks what an alert needs.
    static func map(_ record: FieldReader) throws(MappingError) -> MappedAlert
}

/// Why a record could not be mapped: names the field and says what was expected.
public struct MappingError: Error, Sendable, Equatable, CustomStringConvertible {
    public var field: String?
    public var reason: String

    public init(field: String? = nil, _ reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { field.map { "field '\($0)': \(reason)" } ?? reason }
}
