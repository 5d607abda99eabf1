import CoreRecon
import Foundation

/// An incident as `incident show` prints it: everything about it, and its SLA clocks.
public struct IncidentView: Sendable {
    public var detail: IncidentDetail
    public var clocks: [SLAClock]

    public init(detail: IncidentDetail, clocks: [SLAClock]) {
        self.detail = detail
        self.clocks = clocks
    }
}

/// `corerecon incident` as the commands use it, whichever side answers: the database (``LocalIncidents``) or the
/// API of a running server (``RemoteIncidents``). Incidents are named by key; `IR-0001` is this year's, worked
/// out by the command before it asks.
public protocol IncidentOperations: Sendable {
    func create(_ new: IncidentService.NewIncident, alerts: [Alert.ID], by actor: String) async throws -> Incident
    func list(_ query: IncidentQuery) async throws -> [Incident]
    func view(_ key: IncidentKey) async throws -> IncidentView
    func move(_ key: IncidentKey, to state: IncidentState, message: String?, by actor: String) async throws
        -> Incident
    func assign(_ key: IncidentKey, to assignee: String, by actor: String) async throws -> Incident
    func update(
        _ key: IncidentKey, title: String?, severity: Severity?, type: String?, description: String?, by actor: String
    ) async throws -> Incident
    func close(
        _ key: IncidentKey, resolution: IncidentResolution, summary: String, lessons: String?, by actor: String
    ) async throws -> Incident
    func reopen(_ key: IncidentKey, message: String?, by actor: String) async throws -> Incident
    /// Maps a technique; whether the mapping is new, and the incident's techniques after it.
    func map(_ key: IncidentKey, technique: String, tactic: String?, by actor: String) async throws
        -> (added: Bool, techniques: [IncidentTechnique])
    func history(_ key: IncidentKey) async throws -> [IncidentHistoryEntry]
    func metrics(since: Date, until: Date) async throws -> IncidentMetrics
    func timeline(_ key: IncidentKey) async throws -> [TimelineEntry]
    func addNote(_ key: IncidentKey, at: Date?, category: String?, message: String, by actor: String) async throws
        -> [TimelineEntry]
    func addTask(_ key: IncidentKey, title: String, description: String?, assignee: String?, by actor: String)
        async throws -> IncidentTask
    func setTask(_ key: IncidentKey, number: Int, to state: TaskState, by actor: String) async throws -> IncidentTask
}

/// Incidents in the database.
public struct LocalIncidents: IncidentOperations {
    let services: AppServices

    public init(services: AppServices) { self.services = services }

    var incidents: IncidentService { services.incidents }

    public func create(_ new: IncidentService.NewIncident, alerts: [Alert.ID], by actor: String) async throws
        -> Incident
    {
        try await incidents.create(new, alerts: alerts, by: actor)
    }

    public func list(_ query: IncidentQuery) async throws -> [Incident] { try await incidents.list(query) }

    public func view(_ key: IncidentKey) async throws -> IncidentView {
        let detail = try await incidents.detail(key)
        return IncidentView(
            detail: detail, clocks: try await services.sla.clocks(of: .incident, id: detail.incident.id))
    }

    public func move(_ key: IncidentKey, to state: IncidentState, message: String?, by actor: String) async throws
        -> Incident
    {
        try await incidents.move(key, to: state, message: message, by: actor)
    }

    public func assign(_ key: IncidentKey, to assignee: String, by actor: String) async throws -> Incident {
        try await incidents.assign(key, to: assignee, by: actor)
    }

    public func update(
        _ key: IncidentKey, title: String?, severity: Severity?, type: String?, description: String?, by actor: String
    ) async throws -> Incident {
        try await incidents.update(
            key, title: title, severity: severity, type: type, description: description, by: actor)
    }

    public func close(
        _ key: IncidentKey, resolution: IncidentResolution, summary: String, lessons: String?, by actor: String
    ) async throws -> Incident {
        try await incidents.close(key, resolution: resolution, summary: summary, lessons: lessons, by: actor)
    }

    public func reopen(_ key: IncidentKey, message: String?, by actor: String) async throws -> Incident {
        try await incidents.reopen(key, message: message, by: actor)
    }

    public func map(_ key: IncidentKey, technique: String, tactic: String?, by actor: String) async throws
        -> (added: Bool, techniques: [IncidentTechnique])
    {
        let added = try await incidents.map(key, technique: technique, tactic: tactic, by: actor)
        return (added, try await incidents.detail(key).techniques)
    }

    public func history(_ key: IncidentKey) async throws -> [IncidentHistoryEntry] { try await incidents.history(key) }

    public func metrics(since: Date, until: Date) async throws -> IncidentMetrics {
        try await incidents.metrics(since: since, until: until)
    }

    public func timeline(_ key: IncidentKey) async throws -> [TimelineEntry] { try await incidents.timeline(key) }

    public func addNote(_ key: IncidentKey, at: Date?, category: String?, message: String, by actor: String)
        async throws -> [TimelineEntry]
    {
        try await incidents.addNote(key, at: at, category: category, message: message, by: actor)
        return try await incidents.timeline(key)
    }

    public func addTask(_ key: IncidentKey, title: String, description: String?, assignee: String?, by actor: String)
        async throws -> IncidentTask
    {
        try await incidents.addTask(key, title: title, description: description, assignee: assignee, by: actor)
    }

    public func setTask(_ key: IncidentKey, number: Int, to state: TaskState, by actor: String) async throws
        -> IncidentTask
    {
        try await incidents.setTask(key, number: number, to: state, by: actor)
    }
}
