import CoreRecon
import Foundation

/// Triage over the API: `GET /api/v1/alerts`, a page of up to 1,000 alerts per request (longer pages follow the
/// server's cursor); `GET /api/v1/alerts/{id}`; changes through `POST /api/v1/alerts/bulk`, 500 alerts a request.
public struct RemoteAlerts: AlertTriage {
    let client: APIClient
    static let pageLimit = 1_000

    public func list(_ query: AlertQuery) async throws -> AlertPage {
        // The server takes a cursor's own order; the database refuses another, and so does the client.
        try query.checkCursor()
        var request = query
        var alerts: [Alert] = []
        // 0: every match, page after page.
        let wanted = query.limit > 0 ? query.limit : Int.max
        while true {
            request.limit = min(Self.pageLimit, wanted - alerts.count)
            let answer = try await client.json(.GET, "/api/v1/alerts", query: request.apiParameters)
            guard let objects = answer[key: "alerts"]?.arrayValue else {
                throw CoreReconError.unavailable("\(client.target.server) answered GET /api/v1/alerts without alerts")
            }
            for object in objects {
                guard let alert = Alert(json: object) else {
                    throw CoreReconError.unavailable(
                        "\(client.target.server) answered GET /api/v1/alerts with an alert this corerecon cannot read")
                }
                alerts.append(alert)
            }
            let next = try answer[key: "nextCursor"]?.text.map { token throws(CoreReconError) in
                try AlertCursor(token: token)
            }
            guard let next, alerts.count < wanted else { return AlertPage(alerts: alerts, nextCursor: next) }
            request.cursor = next
            request.offset = 0
        }
    }
}

extension RemoteAlerts {
    public func alert(_ id: Alert.ID) async throws -> Alert {
        try await client.read(.GET, "/api/v1/alerts/\(id)", as: "an alert", Alert.init(json:))
    }

    public func history(_ id: Alert.ID) async throws -> [AlertHistoryEntry] {
        let path = "/api/v1/alerts/\(id)/history"
        return try await client.items(path, []) { AlertHistoryEntry(json: $0, alertID: id) }
    }

    public func related(_ id: Alert.ID, limit: Int) async throws -> [RelatedAlert] {
        try await client.items("/api/v1/alerts/\(id)/related", [("limit", String(limit))], RelatedAlert.init(json:))
    }

    public func apply(_ change: AlertService.Change, to ids: [Alert.ID], by actor: String) async throws
        -> [AlertChangeOutcome]
    {
        var members: [JSONMember]
        switch change {
        case .acknowledge: members = [JSONMember("action", .string("ack"))]
        case .assign(let to): members = [JSONMember("action", .string("assign")), JSONMember("assignee", .string(to))]
        case .comment(let text):
            members = [JSONMember("action", .string("comment")), JSONMember("message", .string(text))]
        case .close(let reason, let message):
            members = [JSONMember("action", .string("close")), JSONMember("reason", .string(reason.rawValue))]
            if let message { members.append(JSONMember("message", .string(message))) }
        case .reopen(let message):
            members = [JSONMember("action", .string("reopen"))]
            if let message { members.append(JSONMember("message", .string(message))) }
        }
        var outcomes: [AlertChangeOutcome] = []
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = ids[start..<min(start + 500, ids.count)]
            let body = JSONValue.object([JSONMember("ids", .array(chunk.map { .int($0) }))] + members)
            let answer = try await client.json(.POST, "/api/v1/alerts/bulk", body: body)
            let results = answer[key: "results"]?.arrayValue?.compactMap(AlertChangeOutcome.init(json:)) ?? []
            guard results.count == chunk.count else {
                throw CoreReconError.unavailable(
                    "\(client.target.server) answered POST /api/v1/alerts/bulk with \(results.count) results for \(chunk.count) alerts"
                )
            }
            outcomes += results
        }
        return outcomes
    }
}

/// What the commands that work both ways get when they work over the API of a running `corerecon serve`.
public struct RemoteServices: Sendable {
    public let client: APIClient
    /// This machine's configuration: what a command reads before it sends (the record size limit of `ingest`).
    public let config: AppConfig

    public init(client: APIClient, config: AppConfig) {
        self.client = client
        self.config = config
    }

    public var recordSize: Int { config.ingest.limits.recordSize }

    public var triage: any AlertTriage { RemoteAlerts(client: client) }

    /// Over the API a change is made as the signed-in user (or the API key's); `--as` is for the database.
    public func actor(_ flag: String?) throws(CoreReconError) -> String {
        guard flag == nil else {
            throw .configuration("--as works on the database only; over the API a change is made as who signed in")
        }
        return ""
    }
}
