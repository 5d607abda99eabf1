import Foundation

/// A piece of work on an incident: typed by hand or loaded from the incident type's task template.
public struct IncidentTask: Sendable, Equatable, Codable {
    /// Numbered per incident from 1: `incident task done IR-0001 3`.
    public var number: Int
    public var title: String
    public var description: String?
    /// The lifecycle phase the task belongs to (`containment`, ...), from the template.
    public var phase: String?
    public var state: TaskState
    public var assignee: String?
    /// `manual`, or `template:phishing`.
    public var origin: String
    public var createdAt: Date
    public var updatedAt: Date
    public var completedAt: Date?

    public init(
        number: Int, title: String, description: String? = nil, phase: String? = nil, state: TaskState = .open,
        assignee: String? = nil, origin: String = "manual", createdAt: Date, updatedAt: Date,
        completedAt: Date? = nil
    ) {
        self.number = number
        self.title = title
        self.description = description
        self.phase = phase
        self.state = state
        self.assignee = assignee
        self.origin = origin
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.completedAt = completedAt
    }
}

/// `open → in_progress → done`, or `cancelled` from either open state.
public enum TaskState: String, Sendable, Codable, CaseIterable {
    case open
    case inProgress = "in_progress"
    case done
    case cancelled

    public var allowedNext: [TaskState] {
        switch self {
        case .open: [.inProgress, .done, .cancelled]
        case .inProgress: [.done, .cancelled]
        case .done, .cancelled: [.open]
        }
    }
}

/// A file kept as evidence, stored content-addressed by SHA-256.
public struct IncidentEvidence: Sendable, Equatable, Codable {
    public var id: Int64
    public var sha256: String
    public var size: Int64
    public var fileName: String
    public var description: String?
    public var addedBy: String
    public var addedAt: Date

    public init(
        id: Int64, sha256: String, size: Int64, fileName: String, description: String?, addedBy: String, addedAt: Date
    ) {
        self.id = id
        self.sha256 = sha256
        self.size = size
        self.fileName = fileName
        self.description = description
        self.addedBy = addedBy
        self.addedAt = addedAt
    }
}

/// One link in an evidence item's chain of custody: who did what with it, when.
public struct CustodyEntry: Sendable, Equatable, Codable {
    /// `added`, `verified`, `verification_failed`, `exported`.
    public var action: String
    public var actor: String
    public var at: Date
    public var detail: String?

    public init(action: String, actor: String, at: Date, detail: String? = nil) {
        self.action = action
        self.actor = actor
        self.at = at
        self.detail = detail
    }
}

/// An entry on an incident's timeline: a note with the time something happened, or a change recorded
/// automatically.
public struct TimelineEntry: Sendable, Equatable, Codable {
    /// When it happened (for notes, the time given with `--at`).
    public var at: Date
    /// An ATT&CK tactic short name (`initial-access`) for notes, or the kind of change (`state`, `task`, ...).
    public var category: String?
    public var message: String
    public var actor: String
    /// `note` for entries written by people, `change` for recorded changes.
    public var kind: String
    public var recordedAt: Date

    public init(at: Date, category: String?, message: String, actor: String, kind: String, recordedAt: Date) {
        self.at = at
        self.category = category
        self.message = message
        self.actor = actor
        self.kind = kind
        self.recordedAt = recordedAt
    }
}

/// One recorded change to an incident: a field's old and new value, or an action on a part of it.
public struct IncidentHistoryEntry: Sendable, Equatable, Codable {
    public var at: Date
    public var actor: String
    /// `create`, `update`, `observable.add`, `task.done`, `evidence.add`, `map`, `alert.link`, ...
    public var action: String
    public var field: String?
    public var oldValue: String?
    public var newValue: String?

    public init(
        at: Date, actor: String, action: String, field: String? = nil, oldValue: String? = nil,
        newValue: String? = nil
    ) {
        self.at = at
        self.actor = actor
        self.action = action
        self.field = field
        self.oldValue = oldValue
        self.newValue = newValue
    }
}

/// An ATT&CK technique on an incident.
public struct IncidentTechnique: Sendable, Equatable, Codable {
    public var techniqueID: String
    public var tactic: String?
    /// `manual`, or `alert:123`.
    public var origin: String

    public init(techniqueID: String, tactic: String?, origin: String) {
        self.techniqueID = techniqueID
        self.tactic = tactic
        self.origin = origin
    }
}

/// Everything about one incident, for `show` and `report`.
public struct IncidentDetail: Sendable {
    public var incident: Incident
    public var alerts: [IncidentAlertSummary]
    public var observables: [IncidentObservable]
    public var techniques: [IncidentTechnique]
    public var tasks: [IncidentTask]
    public var evidence: [IncidentEvidence]
    public var timeline: [TimelineEntry]

    public init(
        incident: Incident, alerts: [IncidentAlertSummary], observables: [IncidentObservable],
        techniques: [IncidentTechnique],
        tasks: [IncidentTask], evidence: [IncidentEvidence], timeline: [TimelineEntry]
    ) {
        self.incident = incident
        self.alerts = alerts
        self.observables = observables
        self.techniques = techniques
        self.tasks = tasks
        self.evidence = evidence
        self.timeline = timeline
    }
}

/// Which incidents `incident list` shows.
public struct IncidentQuery: Sendable, Equatable {
    public var states: [IncidentState] = []
    public var minimumSeverity: Severity?
    public var assignee: String?
    /// Created at or after.
    public var since: Date?
    public var until: Date?
    /// A technique; also matches its sub-techniques.
    public var technique: String?
    /// Words that must all appear in the title, description, summary or observables.
    public var search: String?
    public var type: String?
    public var limit = 50
    public var offset = 0

    public init() {}
}
