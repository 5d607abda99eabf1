import CoreRecon
import Foundation

/// The alert queue over the API: `GET /api/v1/alerts`, a page of up to 1,000 alerts per request (longer pages
/// follow the server's cursor).
public struct RemoteAlerts: AlertReading {
    let client: APIClient
    static let pageLimit = 1_000

    public func list(_ query: AlertQuery) async throws -> AlertPage {
        // The server takes a cursor's own order; the database refuses another, and so does the client.
        try query.checkCursor()
        var request = query
        var alerts: [Alert] = []
        let wanted = query.limit
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

/// What the commands that work both ways get when they work over the API of a running `corerecon serve`.
public struct RemoteServices: Sendable {
    public let client: APIClient

    public init(client: APIClient) {
        self.client = client
    }

    public var alertQueue: any AlertReading { RemoteAlerts(client: client) }
}
