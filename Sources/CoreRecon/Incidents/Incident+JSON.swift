import Foundation

extension Incident: Encodable {
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
public struct IncidentAlertSummary: Encodable, Sendable {
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

extension IncidentDetail: Encodable {
    enum CodingKeys: String, CodingKey {
        case incident, alerts, observables, techniques, tasks, evidence, timeline
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(incident, forKey: .incident)
        try container.encode(alerts.map(IncidentAlertSummary.init), forKey: .alerts)
        try container.encode(observables, forKey: .observables)
        try container.encode(techniques, forKey: .techniques)
        try container.encode(tasks, forKey: .tasks)
        try container.encode(evidence, forKey: .evidence)
        try container.encode(timeline, forKey: .timeline)
    }
}
