import CoreRecon
import Foundation
import NIOHTTP1

/// `corerecon incident` over the API: `/api/v1/incidents` and the routes under it, and `/api/v1/incident-metrics`.
public struct RemoteIncidents: IncidentOperations {
    let client: APIClient

    public init(client: APIClient) { self.client = client }

    func path(_ key: IncidentKey, _ suffix: String = "") -> String { "/api/v1/incidents/\(key)\(suffix)" }

    static func optional(_ members: inout [JSONMember], _ name: String, _ value: String?) {
        if let value { members.append(JSONMember(name, .string(value))) }
    }

    public func create(_ new: IncidentService.NewIncident, alerts: [Alert.ID], by actor: String) async throws
        -> Incident
    {
        var members = [JSONMember("title", .string(new.title))]
        Self.optional(&members, "severity", new.severity?.name)
        Self.optional(&members, "type", new.type)
        Self.optional(&members, "description", new.description)
        Self.optional(&members, "assignee", new.assignee)
        if !alerts.isEmpty { members.append(JSONMember("alerts", .array(alerts.map { .int($0) }))) }
        return try await client.decode(Incident.self, .POST, "/api/v1/incidents", body: .object(members))
    }

    public func list(_ query: IncidentQuery) async throws -> [Incident] {
        var parameters: [(String, String)] = []
        if !query.states.isEmpty { parameters.append(("status", query.states.map(\.rawValue).joined(separator: ","))) }
        if let minimum = query.minimumSeverity { parameters.append(("severity", minimum.name)) }
        if let assignee = query.assignee { parameters.append(("assignee", assignee)) }
        if let type = query.type { parameters.append(("type", type)) }
        if let search = query.search { parameters.append(("search", search)) }
        if let technique = query.technique { parameters.append(("technique", technique)) }
        if let since = query.since { parameters.append(("since", ISO8601Format.string(from: since))) }
        if let until = query.until { parameters.append(("until", ISO8601Format.string(from: until))) }
        // 0: every incident, a page of a thousand at a time.
        let wanted = query.limit > 0 ? query.limit : Int.max
        var incidents: [Incident] = []
        var offset = query.offset
        while incidents.count < wanted {
            let page = min(1_000, wanted - incidents.count)
            let answer = try await client.decode(
                [Incident].self, .GET, "/api/v1/incidents",
                query: parameters + [("limit", String(page)), ("offset", String(offset))])
            incidents += answer
            guard answer.count == page else { break }
            offset += page
        }
        return incidents
    }

    public func view(_ key: IncidentKey) async throws -> IncidentView {
        let path = path(key)
        let response = try await client.send(.GET, path)
        let detail = try client.decode(IncidentDetail.self, response, .GET, path)
        let clocks = (try? JSONParser.parse(response.body))?[key: "sla"]?.arrayValue?.compactMap(SLAClock.init(json:))
        return IncidentView(detail: detail, clocks: clocks ?? [])
    }

    public func move(_ key: IncidentKey, to state: IncidentState, message: String?, by actor: String) async throws
        -> Incident
    {
        var members = [JSONMember("state", .string(state.rawValue))]
        Self.optional(&members, "message", message)
        return try await client.decode(Incident.self, .PATCH, path(key), body: .object(members))
    }

    public func assign(_ key: IncidentKey, to assignee: String, by actor: String) async throws -> Incident {
        try await client.decode(
            Incident.self, .PATCH, path(key), body: .object([JSONMember("assignee", .string(assignee))]))
    }

    public func update(
        _ key: IncidentKey, title: String?, severity: Severity?, type: String?, description: String?, by actor: String
    ) async throws -> Incident {
        var members: [JSONMember] = []
        Self.optional(&members, "title", title)
        Self.optional(&members, "severity", severity?.name)
        Self.optional(&members, "type", type)
        Self.optional(&members, "description", description)
        return try await client.decode(Incident.self, .PATCH, path(key), body: .object(members))
    }

    public func close(
        _ key: IncidentKey, resolution: IncidentResolution, summary: String, lessons: String?, by actor: String
    ) async throws -> Incident {
        var members = [JSONMember("resolution", .string(resolution.rawValue)), JSONMember("summary", .string(summary))]
        Self.optional(&members, "lessons", lessons)
        return try await client.decode(Incident.self, .POST, path(key, "/close"), body: .object(members))
    }

    public func reopen(_ key: IncidentKey, message: String?, by actor: String) async throws -> Incident {
        var members: [JSONMember] = []
        Self.optional(&members, "message", message)
        return try await client.decode(Incident.self, .POST, path(key, "/reopen"), body: .object(members))
    }

    public func map(_ key: IncidentKey, technique: String, tactic: String?, by actor: String) async throws
        -> (added: Bool, techniques: [IncidentTechnique])
    {
        var members = [JSONMember("technique", .string(technique))]
        Self.optional(&members, "tactic", tactic)
        let path = path(key, "/techniques")
        let response = try await client.send(
            .POST, path, body: Array(JSONValue.object(members).jsonString.utf8))
        return (response.status == 201, try client.decode([IncidentTechnique].self, response, .POST, path))
    }

    public func history(_ key: IncidentKey) async throws -> [IncidentHistoryEntry] {
        try await client.decode([IncidentHistoryEntry].self, .GET, path(key, "/history"))
    }

    public func metrics(since: Date, until: Date) async throws -> IncidentMetrics {
        try await client.decode(
            IncidentMetrics.self, .GET, "/api/v1/incident-metrics",
            query: [("since", ISO8601Format.string(from: since)), ("until", ISO8601Format.string(from: until))])
    }

    public func timeline(_ key: IncidentKey) async throws -> [TimelineEntry] {
        try await client.decode([TimelineEntry].self, .GET, path(key, "/timeline"))
    }

    public func addNote(_ key: IncidentKey, at: Date?, category: String?, message: String, by actor: String)
        async throws -> [TimelineEntry]
    {
        var members = [JSONMember("message", .string(message))]
        Self.optional(&members, "at", at.map(ISO8601Format.string(from:)))
        Self.optional(&members, "category", category)
        return try await client.decode([TimelineEntry].self, .POST, path(key, "/timeline"), body: .object(members))
    }

    public func addTask(_ key: IncidentKey, title: String, description: String?, assignee: String?, by actor: String)
        async throws -> IncidentTask
    {
        var members = [JSONMember("title", .string(title))]
        Self.optional(&members, "description", description)
        Self.optional(&members, "assignee", assignee)
        return try await client.decode(IncidentTask.self, .POST, path(key, "/tasks"), body: .object(members))
    }

    public func setTask(_ key: IncidentKey, number: Int, to state: TaskState, by actor: String) async throws
        -> IncidentTask
    {
        try await client.decode(
            IncidentTask.self, .PATCH, path(key, "/tasks/\(number)"),
            body: .object([JSONMember("state", .string(state.rawValue))]))
    }

    public func addObservable(
        _ key: IncidentKey, value: String, type: ObservableType?, isIOC: Bool, tlp: TLP?, tags: [String],
        by actor: String
    ) async throws -> ObservableAddition {
        var members = [JSONMember("value", .string(value)), JSONMember("ioc", .bool(isIOC))]
        Self.optional(&members, "type", type?.rawValue)
        Self.optional(&members, "tlp", tlp?.rawValue)
        if !tags.isEmpty { members.append(JSONMember("tags", .array(tags.map(JSONValue.string)))) }
        let path = path(key, "/observables")
        let response = try await client.send(.POST, path, body: Array(JSONValue.object(members).jsonString.utf8))
        let observable = try client.decode(IncidentObservable.self, response, .POST, path)
        let answer = try? JSONParser.parse(response.body)
        var addition = ObservableAddition(
            observable: observable, isNew: response.status == 201,
            indicatorProblem: answer?[key: "indicatorProblem"]?.text)
        if let indicator = answer?[key: "indicator"], let id = indicator[key: "id"]?.int,
            let type = indicator[key: "type"]?.text, let value = indicator[key: "value"]?.text
        {
            addition.indicator = (Int64(id), type, value)
        }
        return addition
    }

    public func observables(_ key: IncidentKey) async throws -> [IncidentObservable] {
        try await view(key).detail.observables
    }

    public func removeObservable(_ key: IncidentKey, value: String, type: ObservableType?, by actor: String)
        async throws
    {
        var query = [("value", value)]
        if let type { query.append(("type", type.rawValue)) }
        _ = try await client.send(.DELETE, path(key, "/observables"), query: query)
    }

    public func addEvidence(
        _ key: IncidentKey, content: Data, fileName: String, description: String?, by actor: String
    ) async throws -> IncidentEvidence {
        var query = [("name", fileName)]
        if let description { query.append(("description", description)) }
        let sha256 = IncidentService.sha256(content)
        let path = path(key, "/evidence")
        let response = try await client.send(
            .POST, path, query: query, upload: content, contentType: "application/octet-stream",
            headers: [("X-Content-SHA256", sha256)])
        let stored = try client.decode(IncidentEvidence.self, response, .POST, path)
        // The server hashed what it received; the two must agree, or the file changed on the way.
        guard stored.sha256 == sha256 else {
            throw CoreReconError.unavailable(
                "\(client.target.server) stored \(fileName) with SHA-256 \(stored.sha256), not \(sha256) as sent")
        }
        return stored
    }

    public func evidence(_ key: IncidentKey) async throws -> [IncidentEvidence] {
        try await client.decode([IncidentEvidence].self, .GET, path(key, "/evidence"))
    }

    public func verifyEvidence(_ key: IncidentKey, evidence: Int64, by actor: String) async throws
        -> IncidentService.Verification
    {
        try await client.decode(
            IncidentService.Verification.self, .POST, path(key, "/evidence/\(evidence)/verify"))
    }

    public func exportEvidence(_ key: IncidentKey, evidence: Int64, destination: String, by actor: String)
        async throws -> (IncidentEvidence, Data)
    {
        let items = try await self.evidence(key)
        guard let item = items.first(where: { $0.id == evidence }) else {
            throw CoreReconError.notFound(kind: "evidence", id: "\(evidence) of \(key)")
        }
        let response = try await client.send(
            .GET, path(key, "/evidence/\(evidence)"), query: [("destination", destination)])
        let content = Data(response.body)
        // Checked here too: what arrived is what was recorded when it was stored.
        let received = IncidentService.sha256(content)
        guard received == item.sha256 else {
            throw CoreReconError.unavailable(
                "evidence \(evidence) of \(key) arrived with SHA-256 \(received), not \(item.sha256) as recorded")
        }
        return (item, content)
    }

    public func saveEvidence(_ key: IncidentKey, evidence: Int64, to file: String, by actor: String) async throws
        -> IncidentEvidence
    {
        let items = try await self.evidence(key)
        guard let item = items.first(where: { $0.id == evidence }) else {
            throw CoreReconError.notFound(kind: "evidence", id: "\(evidence) of \(key)")
        }
        let target = try EvidenceFile(path: file)
        let response = try await client.send(
            .GET, path(key, "/evidence/\(evidence)"), query: [("destination", target.path)]
        ) { chunk in try target.write(chunk.readableBytesView) }
        // The server checked the stored bytes before sending them; here they are checked as they arrived.
        if let sent = response.headers.first(name: "X-Content-SHA256"), sent != item.sha256 {
            throw CoreReconError.unavailable(
                "\(client.target.server) sent evidence \(evidence) of \(key) as SHA-256 \(sent), not \(item.sha256)")
        }
        try target.finish(expecting: item.sha256, what: "evidence \(evidence) of \(key)")
        return item
    }

    public func custody(_ key: IncidentKey, evidence: Int64) async throws -> [CustodyEntry] {
        try await client.decode([CustodyEntry].self, .GET, path(key, "/evidence/\(evidence)/custody"))
    }
}
