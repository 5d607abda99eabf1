/// OCSF severity (`severity_id`), shared by alerts and incidents.
///
/// Ordered so that `--severity high` means "high and above".
public enum Severity: Int, Sendable, Codable, CaseIterable, Comparable {
    case unknown = 0
    case informational = 1
    case low = 2
    case medium = 3
    case high = 4
    case critical = 5
    case fatal = 6
    case other = 99

    /// The OCSF caption: "Informational", "High", ...
    public var caption: String {
        switch self {
        case .unknown: "Unknown"
        case .informational: "Informational"
        case .low: "Low"
        case .medium: "Medium"
        case .high: "High"
        case .critical: "Critical"
        case .fatal: "Fatal"
        case .other: "Other"
        }
    }

    /// The lowercase name used on the command line and in JSON.
    public var name: String { caption.lowercased() }

    /// Parses a name ("high", "Critical", "info") or an OCSF id ("4").
    public init?(name: String) {
        let lowered = name.lowercased()
        if let id = Int(lowered), let severity = Severity(rawValue: id) {
            self = severity
            return
        }
        if lowered == "info" {
            self = .informational
            return
        }
        guard let match = Severity.allCases.first(where: { $0.name == lowered }) else { return nil }
        self = match
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool {
        // `other` (99) has no place on the scale; keep it below `informational` so it never passes a minimum.
        lhs.rank < rhs.rank
    }

    private var rank: Int { self == .other ? 0 : rawValue }
}
