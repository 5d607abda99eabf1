import Foundation

/// An alert in the triage queue: one OCSF Detection Finding, possibly seen several times (`occurrences`).
public struct Alert: Sendable, Equatable, Identifiable {
    public typealias ID = Int64

    public var id: ID
    public var fingerprint: String
    /// The feed label given at ingest (`--source`), or the format name.
    public var source: String
    public var product: String
    public var vendor: String?
    public var ruleUID: String?
    public var title: String
    public var description: String?
    public var severity: Severity
    public var status: AlertStatus
    public var assignee: String?
    public var closeReason: CloseReason?
    public var occurrences: Int
    public var firstSeen: Date
    public var lastSeen: Date
    public var createdAt: Date
    public var updatedAt: Date
    /// ATT&CK technique ids, when known.
    public var techniques: [String]

    public init(
        id: ID, fingerprint: String, source: String, product: String, vendor: String?, ruleUID: String?,
        title: String, description: String?, severity: Severity, status: AlertStatus, assignee: String?,
        closeReason: CloseReason?, occurrences: Int, firstSeen: Date, lastSeen: Date, createdAt: Date,
        updatedAt: Date, techniques: [String] = []
    ) {
        self.id = id
        self.fingerprint = fingerprint
        self.source = source
        self.product = product
        self.vendor = vendor
        self.ruleUID = ruleUID
        self.title = title
        self.description = description
        self.severity = severity
        self.status = status
        self.assignee = assignee
        self.closeReason = closeReason
        self.occurrences = occurrences
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.techniques = techniques
    }
}

/// Where an alert is in triage: `new → acknowledged → in_progress → closed`, and `reopen` back to `in_progress`.
/// An open alert taken into an incident (`alert escalate`) becomes `escalated` and follows its incident: it closes
/// when the incident does.
public enum AlertStatus: String, Sendable, Codable, CaseIterable {
    case new
    case acknowledged
    case inProgress = "in_progress"
    case escalated
    case closed

    /// The statuses an alert may move to from this one (`escalated` only through escalation).
    public var allowedNext: [AlertStatus] {
        switch self {
        case .new: [.acknowledged, .inProgress, .escalated, .closed]
        case .acknowledged: [.inProgress, .escalated, .closed]
        case .inProgress: [.escalated, .closed]
        case .escalated: [.closed]
        case .closed: [.inProgress]
        }
    }

    public var isOpen: Bool { self != .closed }
}

/// Why an alert was closed.
public enum CloseReason: String, Sendable, Codable, CaseIterable {
    case falsePositive = "false_positive"
    case truePositive = "true_positive"
    case benignPositive = "benign_positive"
    case duplicate
    case other
}

/// One recorded change to an alert.
public struct AlertHistoryEntry: Sendable, Equatable {
    public var alertID: Alert.ID
    public var at: Date
    public var actor: String
    /// `created`, `status`, `assign`, `comment`, `close`, `reopen`.
    public var action: String
    public var field: String?
    public var oldValue: String?
    public var newValue: String?
    public var message: String?

    public init(
        alertID: Alert.ID, at: Date, actor: String, action: String, field: String? = nil,
        oldValue: String? = nil, newValue: String? = nil, message: String? = nil
    ) {
        self.alertID = alertID
        self.at = at
        self.actor = actor
        self.action = action
        self.field = field
        self.oldValue = oldValue
        self.newValue = newValue
        self.message = message
    }
}

/// One source record merged into an alert.
public struct AlertDelivery: Sendable, Equatable {
    public var key: String
    public var receivedAt: Date
    public var eventTime: Date?

    public init(key: String, receivedAt: Date, eventTime: Date?) {
        self.key = key
        self.receivedAt = receivedAt
        self.eventTime = eventTime
    }
}

/// An alert related to another through shared observables.
public struct RelatedAlert: Sendable, Equatable {
    public var alert: Alert
    public var shared: [Observable]

    public init(alert: Alert, shared: [Observable]) {
        self.alert = alert
        self.shared = shared
    }
}
