import Foundation

/// Stores incidents. Implemented once over SQL for SQLite and PostgreSQL (`SQLIncidentRepository`).
///
/// ``IncidentService`` composes its changes from the operations of an ``IncidentStore`` inside ``write(_:)``,
/// so that each command's change (an incident, its history and timeline entries, the alerts it takes over) is
/// one transaction.
public protocol IncidentRepository: Sendable {
    /// Runs `body` in one write transaction: committed when it returns, rolled back when it throws.
    func write<Result: Sendable>(_ body: (any IncidentStore) async throws -> Result) async throws -> Result
    /// Runs `body` with a connection for reading.
    func read<Result: Sendable>(_ body: (any IncidentStore) async throws -> Result) async throws -> Result
}

/// The operations on stored incidents, valid inside ``IncidentRepository/write(_:)`` or `read(_:)`.
public protocol IncidentStore {
    // MARK: Reading
    func incident(key: IncidentKey) async throws -> Incident?
    /// Reads incident `key` for an update later in the same transaction (locks the row where the database can).
    func incidentForUpdate(key: IncidentKey) async throws -> Incident?
    func list(_ query: IncidentQuery) async throws -> [Incident]
    func alerts(of incident: Incident.ID) async throws -> [Alert]
    func observables(of incident: Incident.ID) async throws -> [IncidentObservable]
    func techniques(of incident: Incident.ID) async throws -> [IncidentTechnique]
    func tasks(of incident: Incident.ID) async throws -> [IncidentTask]
    func evidence(of incident: Incident.ID) async throws -> [IncidentEvidence]
    func evidenceContent(sha256: String) async throws -> Data?
    func custody(of evidence: Int64) async throws -> [CustodyEntry]
    func timeline(of incident: Incident.ID) async throws -> [TimelineEntry]
    func history(of incident: Incident.ID) async throws -> [IncidentHistoryEntry]
    /// Incidents created in `range`, with the technique ids of each (for metrics).
    func incidentsWithTechniques(createdIn range: ClosedRange<Date>) async throws -> [(Incident, [String])]
    /// Open incidents per assignee, for the names given.
    func openIncidentCounts(assignees: [String]) async throws -> [String: Int]
    /// The assignee of the most recently auto-assigned incident.
    func lastAutoAssignee() async throws -> String?

    // MARK: Writing
    /// The next number in `year`'s sequence; unique under concurrent creation on both backends.
    func nextNumber(year: Int) async throws -> Int
    /// Inserts `incident` (its `id` is ignored) and returns it with its row id.
    func insert(_ incident: Incident, autoAssigned: Bool) async throws -> Incident
    func save(_ incident: Incident) async throws
    /// Links alert `alert` to `incident`; false when it already was.
    func link(alert: Alert.ID, to incident: Incident.ID, by actor: String, at: Date) async throws -> Bool
    /// Alert `id` for escalation, with its observables and techniques; nil when there is no such alert.
    func alertForEscalation(_ id: Alert.ID) async throws -> (Alert, [Observable], [(id: String, tactic: String?)])?
    /// Sets alert `id`'s status (and close reason), with a history entry.
    func setAlertStatus(
        _ id: Alert.ID, from old: AlertStatus, to status: AlertStatus, closeReason: CloseReason?, actor: String,
        at: Date, message: String
    ) async throws
    /// Adds `observable`; returns the stored one, or nil when the incident already has it.
    func add(observable: IncidentObservable, to incident: Incident.ID) async throws -> IncidentObservable?
    /// Sets the IOC flag, TLP and tags of observable `id`.
    func update(observable: IncidentObservable) async throws
    /// Removes the observable; false when there is none with that value.
    func removeObservable(type: ObservableType, value: String, from incident: Incident.ID) async throws -> Bool
    /// Adds a technique; false when the incident already has it.
    func add(technique: IncidentTechnique, to incident: Incident.ID, at: Date) async throws -> Bool
    /// Adds a task, numbering it; returns it with its number.
    func add(task: IncidentTask, to incident: Incident.ID) async throws -> IncidentTask
    func save(task: IncidentTask, of incident: Incident.ID) async throws
    /// Stores `content` under its SHA-256 unless already stored.
    func storeBlob(sha256: String, content: Data) async throws
    func add(evidence: IncidentEvidence, to incident: Incident.ID) async throws -> IncidentEvidence
    func add(custody: CustodyEntry, to evidence: Int64) async throws
    func add(timeline entry: TimelineEntry, to incident: Incident.ID) async throws
    func add(history entries: [IncidentHistoryEntry], to incident: Incident.ID) async throws
    /// Appends rows to the audit log, chained after the newest; valid only inside ``IncidentRepository/write(_:)``.
    func append(audit events: [AuditEvent]) async throws
    /// Writes the stream events of the change, last in ``IncidentRepository/write(_:)``, after its audit rows.
    func append(events changes: [ChangeEvent], at: Date) async throws
}
