import CoreRecon
import Foundation
import NIOHTTP1

extension AppServices {
    /// One alert with its OCSF record, SLA clocks and indicator matches, as `alert show` and `GET /alerts/{id}`
    /// give it.
    public func alertDetail(_ id: Alert.ID) async throws -> AlertDetail {
        let alert = try await alerts.alert(id)
        return AlertDetail(
            alert: alert, ocsf: try await alerts.ocsf(id), clocks: try await sla.clocks(of: .alert, id: id),
            matches: try await indicators.matches(ofAlert: id))
    }

    /// The names of ATT&CK techniques, from the imported data or the embedded catalog; an unknown id is left out.
    public func techniqueNames(_ ids: [String]) async throws -> [String: String] {
        let catalog = try await attack.catalog()
        return Dictionary(ids.compactMap { id in catalog.technique(id).map { (id, $0.name) } }) { first, _ in first }
    }

    /// Escalates alerts into a new incident or the one `incident` names (`IR-2026-0001` or `IR-0001`).
    public func escalate(
        _ ids: [Alert.ID], to incident: String?, title: String?, severity: Severity?, by actor: String
    ) async throws -> Incident {
        let key = try incident.map { text throws(CoreReconError) in try incidents.key(text) }
        return try await incidents.escalate(ids, to: key, title: title, severity: severity, by: actor)
    }
}

extension RemoteServices {
    /// `GET /api/v1/alerts/{id}`.
    public func alertDetail(_ id: Alert.ID) async throws -> AlertDetail {
        try await client.read(.GET, "/api/v1/alerts/\(id)", as: "an alert", AlertDetail.init(json:))
    }

    /// `GET /api/v1/attack/techniques/{id}` for each: the server's catalog (its imported data), as `alert show`
    /// on the server's machine would name them. One the server does not know is left out.
    public func techniqueNames(_ ids: [String]) async throws -> [String: String] {
        var names: [String: String] = [:]
        for id in Set(ids) {
            let response = try await client.send(
                .GET, "/api/v1/attack/techniques/\(APIClient.pathSegment(id))", accepting: [404])
            guard response.status == 200,
                let name = (try? JSONParser.parse(response.body))?[key: "technique"]?[key: "name"]?.text
            else {
                continue
            }
            names[id] = name
        }
        return names
    }

    /// `POST /api/v1/alerts/escalate`.
    public func escalate(
        _ ids: [Alert.ID], to incident: String?, title: String?, severity: Severity?, by actor: String
    ) async throws -> Incident {
        var members = [JSONMember("ids", .array(ids.map { .int($0) }))]
        if let incident { members.append(JSONMember("incident", .string(incident))) }
        if let title { members.append(JSONMember("title", .string(title))) }
        if let severity { members.append(JSONMember("severity", .string(severity.name))) }
        return try await client.decode(Incident.self, .POST, "/api/v1/alerts/escalate", body: .object(members))
    }
}

extension RemoteServices {
    /// `GET /api/v1/audit` (admins).
    public func auditList(_ query: AuditQuery) async throws -> [AuditEntry] {
        var parameters = [("limit", String(query.limit))]
        if let since = query.since { parameters.append(("since", ISO8601Format.string(from: since))) }
        if let actor = query.actor { parameters.append(("actor", actor)) }
        if let action = query.action { parameters.append(("action", action)) }
        if let target = query.target { parameters.append(("target", target)) }
        let path = "/api/v1/audit"
        return try await client.items(path, parameters, AuditEntry.init(json:))
    }

    /// `GET /api/v1/audit/verify` (admins): the server checks its own chain.
    public func auditVerify() async throws -> AuditVerification {
        try await client.decode(AuditVerification.self, .GET, "/api/v1/audit/verify")
    }
}

extension AppServices {
    public func auditList(_ query: AuditQuery) async throws -> [AuditEntry] { try await audit.list(query) }
    public func auditVerify() async throws -> AuditVerification { try await audit.verify() }
}

extension AppServices {
    public func explainAlert(_ id: Alert.ID) async throws -> AlertExplanation {
        let (alert, basis, deliveries) = try await alerts.explain(id)
        return AlertExplanation(alert: alert, fields: basis, deliveries: deliveries)
    }

    /// Maps a technique onto an alert; its techniques after the change.
    public func mapTechnique(_ id: Alert.ID, technique: String, tactic: String?, by actor: String) async throws
        -> [String]
    {
        try await alerts.mapTechnique(id, technique: technique, tactic: tactic, by: actor, using: attack).techniques
    }

    public func unmapTechnique(_ id: Alert.ID, technique: String, by actor: String) async throws -> [String] {
        try await alerts.unmapTechnique(id, technique: technique, by: actor).techniques
    }
}

extension RemoteServices {
    /// `GET /api/v1/alerts/{id}/explain`.
    public func explainAlert(_ id: Alert.ID) async throws -> AlertExplanation {
        try await client.read(.GET, "/api/v1/alerts/\(id)/explain", as: "an explanation", AlertExplanation.init(json:))
    }

    /// `POST /api/v1/alerts/{id}/techniques`.
    public func mapTechnique(_ id: Alert.ID, technique: String, tactic: String?, by actor: String) async throws
        -> [String]
    {
        var members = [JSONMember("technique", .string(technique))]
        if let tactic { members.append(JSONMember("tactic", .string(tactic))) }
        return try await techniques(.POST, "/api/v1/alerts/\(id)/techniques", body: .object(members))
    }

    /// `DELETE /api/v1/alerts/{id}/techniques/{technique}`.
    public func unmapTechnique(_ id: Alert.ID, technique: String, by actor: String) async throws -> [String] {
        try await techniques(.DELETE, "/api/v1/alerts/\(id)/techniques/\(APIClient.pathSegment(technique))")
    }

    func techniques(_ method: HTTPMethod, _ path: String, body: JSONValue? = nil) async throws -> [String] {
        try await client.read(method, path, body: body, as: "an alert", Alert.init(json:)).techniques
    }
}
