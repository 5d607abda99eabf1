import Foundation

extension Incident {
    /// An incident as the API answers it (``encode(to:)``): nil when a field is missing or of the wrong kind. The
    /// row id is not in the answer (0); people and the API name an incident by its key.
    public init?(json: JSONValue) {
        func date(_ key: String) -> Date? { json[key: key]?.text.flatMap(TimestampParser.iso8601) }
        func text(_ key: String) -> String? {
            guard case .string(let value)? = json[key: key] else { return nil }
            return value
        }
        guard let id = text("id"), let key = try? IncidentKey(parsing: id, currentYear: 0), let title = text("title"),
            let severity = text("severity").flatMap(Severity.init(name:)),
            let state = text("state").flatMap(IncidentState.init(rawValue:)), let createdBy = text("createdBy"),
            let createdAt = date("createdAt"), let updatedAt = date("updatedAt")
        else { return nil }
        self.init(
            id: 0, key: key, title: title, description: text("description"), type: text("type"), severity: severity,
            state: state, assignee: text("assignee"),
            resolution: text("resolution").flatMap(IncidentResolution.init(rawValue:)), summary: text("summary"),
            lessons: text("lessons"), createdBy: createdBy, createdAt: createdAt, updatedAt: updatedAt,
            acknowledgedAt: date("acknowledgedAt"), investigatingAt: date("investigatingAt"),
            containedAt: date("containedAt"), eradicatedAt: date("eradicatedAt"), recoveredAt: date("recoveredAt"),
            closedAt: date("closedAt"))
    }
}
