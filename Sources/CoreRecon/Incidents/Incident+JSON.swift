import Foundation

extension Incident: Codable {
    /// An incident as ``encode(to:)`` writes it. The row id is not written (0 here); people and the API name an
    /// incident by its key.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let id = try container.decode(String.self, forKey: .id)
        guard let key = try? IncidentKey(parsing: id, currentYear: 0) else {
            throw DecodingError.dataCorruptedError(forKey: .id, in: container, debugDescription: "'\(id)' is no key")
        }
        let name = try container.decode(String.self, forKey: .severity)
        guard let severity = Severity(name: name) else {
            throw DecodingError.dataCorruptedError(
                forKey: .severity, in: container, debugDescription: "'\(name)' is no severity")
        }
        func date(_ key: CodingKeys) throws -> Date? { try container.decodeIfPresent(Date.self, forKey: key) }
        func text(_ key: CodingKeys) throws -> String? { try container.decodeIfPresent(String.self, forKey: key) }
        self.init(
            id: 0, key: key, title: try container.decode(String.self, forKey: .title),
            description: try text(.description),
            type: try text(.type), severity: severity, state: try container.decode(IncidentState.self, forKey: .state),
            assignee: try text(.assignee),
            resolution: try container.decodeIfPresent(IncidentResolution.self, forKey: .resolution),
            summary: try text(.summary), lessons: try text(.lessons),
            createdBy: try container.decode(String.self, forKey: .createdBy),
            createdAt: try container.decode(Date.self, forKey: .createdAt),
            updatedAt: try container.decode(Date.self, forKey: .updatedAt), acknowledgedAt: try date(.acknowledgedAt),
            investigatingAt: try date(.investigatingAt), containedAt: try date(.containedAt),
            eradicatedAt: try date(.eradicatedAt), recoveredAt: try date(.recoveredAt), closedAt: try date(.closedAt))
    }

    enum CodingKeys: String, CodingKey {
        case id, title, description, type, severity, state, assignee, resolution, summary, lessons, createdBy,
            createdAt, updatedAt, acknowledgedAt, investigatingAt, containedAt, eradicatedAt, recoveredAt, closedAt,
            timeToAcknowledgeSeconds, timeToInvestigateSeconds, timeToResolveSeconds
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(key.description, forKey: .id)
        try container.encode(title, forKey: .title)
        try container.encode(description, forKey: .description)
        try container.encode(type, forKey: .type)
        try container.encode(severity.name, forKey: .severity)
        try container.encode(state, forKey: .state)
        try container.encode(assignee, forKey: .assignee)
        try container.encode(resolution, forKey: .resolution)
        try container.encode(summary, forKey: .summary)
        try container.encode(lessons, forKey: .lessons)
        try container.encode(createdBy, forKey: .createdBy)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
        try container.encode(acknowledgedAt, forKey: .acknowledgedAt)
        try container.encode(investigatingAt, forKey: .investigatingAt)
        try container.encode(containedAt, forKey: .containedAt)
        try container.encode(eradicatedAt, forKey: .eradicatedAt)
        try container.encode(recoveredAt, forKey: .recoveredAt)
        try container.encode(closedAt, forKey: .closedAt)
        try container.encode(timeToAcknowledge, forKey: .timeToAcknowledgeSeconds)
        try container.encode(timeToInvestigate, forKey: .timeToInvestigateSeconds)
        try container.encode(timeToResolve, forKey: .timeToResolveSeconds)
    }
}

/// An alert as listed inside an incident.
public struct IncidentAlertSummary: Codable, Sendable, Equatable {
    public var id: Int64
    public var title: String
    public var severity: String
    public var status: String
    public var source: String
    public var firstSeen: Date
    public var lastSeen: Date

    public init(_ alert: Alert) {
        id = alert.id
        title = alert.title
        severity = alert.severity.name
        status = alert.status.rawValue
        source = alert.source
        firstSeen = alert.firstSeen
        lastSeen = alert.lastSeen
    }
}

extension IncidentDetail: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            incident: try container.decode(Incident.self, forKey: .incident),
            alerts: try container.decode([IncidentAlertSummary].self, forKey: .alerts),
            observables: try container.decode([IncidentObservable].self, forKey: .observables),
            techniques: try container.decode([IncidentTechnique].self, forKey: .techniques),
            tasks: try container.decode([IncidentTask].self, forKey: .tasks),
            evidence: try container.decode([IncidentEvidence].self, forKey: .evidence),
            timeline: try container.decode([TimelineEntry].self, forKey: .timeline))
    }

    enum CodingKeys: String, CodingKey {
        case incident, alerts, observables, techniques, tasks, evidence, timeline
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(incident, forKey: .incident)
        try container.encode(alerts, forKey: .alerts)
        try container.encode(observables, forKey: .observables)
        try container.encode(techniques, forKey: .techniques)
        try container.encode(tasks, forKey: .tasks)
        try container.encode(evidence, forKey: .evidence)
        try container.encode(timeline, forKey: .timeline)
    }
}
