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
    func addObservable(
        _ key: IncidentKey, value: String, type: ObservableType?, isIOC: Bool, tlp: TLP?, tags: [String],
        by actor: String
    ) async throws -> ObservableAddition
    func observables(_ key: IncidentKey) async throws -> [IncidentObservable]
    func removeObservable(_ key: IncidentKey, value: String, type: ObservableType?, by actor: String) async throws
    /// Stores `content` as evidence; its SHA-256 is checked by the side that stores it.
    func addEvidence(_ key: IncidentKey, content: Data, fileName: String, description: String?, by actor: String)
        async throws -> IncidentEvidence
    func evidence(_ key: IncidentKey) async throws -> [IncidentEvidence]
    func verifyEvidence(_ key: IncidentKey, evidence: Int64, by actor: String) async throws
        -> IncidentService.Verification
    /// The evidence's bytes, checked against its recorded SHA-256; `destination` goes into its chain of custody.
    func exportEvidence(_ key: IncidentKey, evidence: Int64, destination: String, by actor: String) async throws
        -> (IncidentEvidence, Data)
    /// Writes the evidence to the file `path` (refused when it exists), named only once its SHA-256 checks; over
    /// the API the bytes go to disk as they arrive.
    func saveEvidence(_ key: IncidentKey, evidence: Int64, to path: String, by actor: String) async throws
        -> IncidentEvidence
    func custody(_ key: IncidentKey, evidence: Int64) async throws -> [CustodyEntry]
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

    public func addObservable(
        _ key: IncidentKey, value: String, type: ObservableType?, isIOC: Bool, tlp: TLP?, tags: [String],
        by actor: String
    ) async throws -> ObservableAddition {
        try await services.addObservable(key, value: value, type: type, isIOC: isIOC, tlp: tlp, tags: tags, by: actor)
    }

    public func observables(_ key: IncidentKey) async throws -> [IncidentObservable] {
        try await incidents.observables(key)
    }

    public func removeObservable(_ key: IncidentKey, value: String, type: ObservableType?, by actor: String)
        async throws
    {
        try await incidents.removeObservable(key, value: value, type: type, by: actor)
    }

    public func addEvidence(
        _ key: IncidentKey, content: Data, fileName: String, description: String?, by actor: String
    ) async throws -> IncidentEvidence {
        try await incidents.addEvidence(key, content: content, fileName: fileName, description: description, by: actor)
    }

    public func evidence(_ key: IncidentKey) async throws -> [IncidentEvidence] { try await incidents.evidence(key) }

    public func verifyEvidence(_ key: IncidentKey, evidence: Int64, by actor: String) async throws
        -> IncidentService.Verification
    {
        try await incidents.verifyEvidence(key, evidence: evidence, by: actor)
    }

    public func exportEvidence(_ key: IncidentKey, evidence: Int64, destination: String, by actor: String)
        async throws -> (IncidentEvidence, Data)
    {
        try await incidents.exportEvidence(key, evidence: evidence, destination: destination, by: actor)
    }

    public func saveEvidence(_ key: IncidentKey, evidence: Int64, to path: String, by actor: String) async throws
        -> IncidentEvidence
    {
        let file = try EvidenceFile(path: path)
        let (item, content) = try await incidents.exportEvidence(
            key, evidence: evidence, destination: file.path, by: actor)
        try file.write(content)
        try file.finish(expecting: item.sha256, what: "evidence \(evidence) of \(key)")
        return item
    }

    public func custody(_ key: IncidentKey, evidence: Int64) async throws -> [CustodyEntry] {
        try await incidents.custody(key, evidence: evidence)
    }
}
