import Foundation

/// A security incident: alerts escalated for investigation, worked through the NIST SP 800-61 lifecycle.
public struct Incident: Sendable, Equatable {
    /// The database row id; people use ``key``.
    public typealias ID = Int64

    public var id: ID
    /// `IR-2026-0001`.
    public var key: IncidentKey
    public var title: String
    public var description: String?
    /// `phishing`, `malware`, ...: chooses the task template loaded on create.
    public var type: String?
    public var severity: Severity
    public var state: IncidentState
    public var assignee: String?
    public var resolution: IncidentResolution?
    public var summary: String?
    public var lessons: String?
    public var createdBy: String
    public var createdAt: Date
    public var updatedAt: Date
    /// When the incident first left `new` (time to acknowledge).
    public var acknowledgedAt: Date?
    /// When the incident first reached `investigating` or a later state.
    public var investigatingAt: Date?
    public var containedAt: Date?
    public var eradicatedAt: Date?
    public var recoveredAt: Date?
    /// When it was closed, the last time; nil while open.
    public var closedAt: Date?

    public init(
        id: ID, key: IncidentKey, title: String, description: String? = nil, type: String? = nil,
        severity: Severity, state: IncidentState = .new, assignee: String? = nil,
        resolution: IncidentResolution? = nil, summary: String? = nil, lessons: String? = nil, createdBy: String,
        createdAt: Date, updatedAt: Date, acknowledgedAt: Date? = nil, investigatingAt: Date? = nil,
        containedAt: Date? = nil, eradicatedAt: Date? = nil, recoveredAt: Date? = nil, closedAt: Date? = nil
    ) {
        self.id = id
        self.key = key
        self.title = title
        self.description = description
        self.type = type
        self.severity = severity
        self.state = state
        self.assignee = assignee
        self.resolution = resolution
        self.summary = summary
        self.lessons = lessons
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.acknowledgedAt = acknowledgedAt
        self.investigatingAt = investigatingAt
        self.containedAt = containedAt
        self.eradicatedAt = eradicatedAt
        self.recoveredAt = recoveredAt
        self.closedAt = closedAt
    }

    /// Seconds from creation to acknowledgement, investigation and resolution, when reached.
    public var timeToAcknowledge: Double? { acknowledgedAt.map { $0.timeIntervalSince(createdAt) } }
    public var timeToInvestigate: Double? { investigatingAt.map { $0.timeIntervalSince(createdAt) } }
    public var timeToResolve: Double? { closedAt.map { $0.timeIntervalSince(createdAt) } }

    /// The fields kept in the field-level history, with their values as text.
    var trackedFields: [(String, String?)] {
        [
            ("title", title), ("description", description), ("type", type), ("severity", severity.name),
            ("state", state.rawValue), ("assignee", assignee), ("resolution", resolution?.rawValue),
            ("summary", summary), ("lessons", lessons),
        ]
    }
}

/// An incident's human-readable id: `IR-2026-0001`, numbered per year.
public struct IncidentKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var number: Int

    public init(year: Int, number: Int) {
        self.year = year
        self.number = number
    }

    /// `IR-2026-0001`; at least four digits, more past 9999.
    public var description: String {
        let digits = String(number)
        return "IR-\(year)-" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// Parses `IR-2026-0001`, or the short form `IR-0001` for `currentYear` (any case).
    public init(parsing text: String, currentYear: Int) throws(CoreReconError) {
        let parts = text.trimmingCharacters(in: .whitespaces).uppercased().split(
            separator: "-", omittingEmptySubsequences: false)
        func number(_ part: Substring) -> Int? {
            guard !part.isEmpty, part.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), part.count <= 9 else {
                return nil
            }
            return Int(part)
        }
        switch parts.count {
        case 3 where parts[0] == "IR":
            if let year = number(parts[1]), parts[1].count == 4, let value = number(parts[2]), value > 0 {
                self.init(year: year, number: value)
                return
            }
        case 2 where parts[0] == "IR":
            if let value = number(parts[1]), value > 0 {
                self.init(year: currentYear, number: value)
                return
            }
        default:
            break
        }
        throw .invalidInput(
            location: "incident id",
            reason:
                "'\(text)' is not an incident id. Use IR-YYYY-NNNN (IR-\(currentYear)-0001) or IR-NNNN for this year."
        )
    }

    public static func < (lhs: IncidentKey, rhs: IncidentKey) -> Bool {
        (lhs.year, lhs.number) < (rhs.year, rhs.number)
    }
}

/// Where an incident is in the NIST SP 800-61 lifecycle.
///
/// Work moves forward: `new → triage → investigating → contained → eradicated → recovered → closed`. Forward
/// skips are allowed (an incident contained on sight skips investigating; a false positive closes from triage).
/// A later stage may go back to `investigating` when containment or eradication turns out incomplete, as the
/// NIST cycle loops from containment back to analysis. `closed` is reached only by `close` (which requires a
/// resolution), and left only by `reopen`, which goes back to `investigating`.
public enum IncidentState: String, Sendable, Codable, CaseIterable, Comparable {
    case new
    case triage
    case investigating
    case contained
    case eradicated
    case recovered
    case closed

    private var order: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    public static func < (lhs: IncidentState, rhs: IncidentState) -> Bool { lhs.order < rhs.order }

    /// The states `incident status` may move to from this one (`closed` goes through `close`, leaving it through
    /// `reopen`).
    public var allowedNext: [IncidentState] {
        switch self {
        case .closed: [.investigating]
        default:
            IncidentState.allCases.filter { $0 > self && $0 != .closed }
                + (self > .investigating ? [.investigating] : [])
        }
    }

    public var isOpen: Bool { self != .closed }

    /// The refusal of a plain state change to `closed` for incident `key`: closing needs a resolution and a
    /// summary, so only `incident close` closes. A conflict, like every refused move (exit 1, HTTP 409).
    public static func closingByMoveRefusal(_ key: IncidentKey) -> CoreReconError {
        .conflict(
            "\(key) cannot become closed by a state change; close it with `corerecon incident close \(key) "
                + "--resolution ... --summary ...` (or POST /api/v1/incidents/\(key)/close).")
    }
}

/// How an incident ended.
public enum IncidentResolution: String, Sendable, Codable, CaseIterable {
    case truePositiveWithImpact = "true_positive_with_impact"
    case truePositiveWithoutImpact = "true_positive_without_impact"
    case falsePositive = "false_positive"
    case benign
    case duplicate
    case other

    /// What closing the incident means for its escalated alerts.
    public var alertCloseReason: CloseReason {
        switch self {
        case .truePositiveWithImpact, .truePositiveWithoutImpact: .truePositive
        case .falsePositive: .falsePositive
        case .benign: .benignPositive
        case .duplicate: .duplicate
        case .other: .other
        }
    }
}

/// Incident types CoreRecon knows; task templates may add more.
public enum IncidentTypes {
    public static let known = [
        "phishing", "malware", "ransomware", "account_compromise", "unauthorized_access", "data_exfiltration",
        "denial_of_service", "web_attack", "insider_threat", "policy_violation", "vulnerability_exploitation",
        "other",
    ]
}
