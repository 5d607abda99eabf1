import CoreRecon
import CoreReconStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import NIOCore
import NIOWebSocket

/// `GET /api/v1/stream`: a WebSocket of committed changes.
///
/// The token comes in the `Authorization` header or an `access_token` query parameter (browsers cannot set
/// headers on WebSockets). `channels`, `severity`, `source` and `assignee` filter, as query parameters or in a
/// `{"type":"subscribe", ...}` message. `since=CURSOR` first replays the events after that cursor still kept in
/// the events table, then continues live. Each event: `{"type":"alert.created","cursor":"42","at":...,"alert":{...}}`.
struct StreamRoutes {
    let services: AppServices
    let hub: StreamHub
    let credentials: Credentials
    let metrics: ServerMetrics

    // swift-format-ignore: NeverForceUnwrap
    static let upgrade = HTTPField.Name("Upgrade")!

    func register(on table: inout RouteTable) {
        table.document(
            APIRoute(
                method: .get, path: "/api/v1/stream", permission: .read,
                summary:
                    "WebSocket of alert, incident and playbook run events (channels, severity, source, assignee, since).",
                tag: "stream",
                operation: APIOperation(
                    responses: [
                        APIResponse(
                            status: 101,
                            description:
                                "Upgraded to a WebSocket (RFC 6455): the client sends a subscribe message, the server events as JSON text messages.",
                            content: [])
                    ],
                    problems: [(426, "Not a WebSocket handshake: connect with Upgrade: websocket.")])))
        table.router.ws("/api/v1/stream") { request, context in
            var identity = context.identity
            if identity == nil, let token = request.query("access_token") {
                identity = try await credentials.identity(for: token)
            }
            guard let identity else { throw APIError.unauthorized("the stream needs a bearer token or access_token.") }
            guard identity.may(.read) else {
                throw APIError.forbidden("role \(identity.role.rawValue) may not read the stream.")
            }
            // A plain GET (no WebSocket handshake) gets told what to do instead of an empty 200.
            guard request.headers[Self.upgrade]?.lowercased() == "websocket" else {
                throw APIError(
                    status: .upgradeRequired,
                    detail: "the stream is a WebSocket: connect with Upgrade: websocket (RFC 6455), for example "
                        + "websocat or corerecon's own clients.")
            }
            _ = try filter(request)
            _ = try cursor(request)
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            let request = context.request
            let since = try? cursor(request)
            // Live clients get their frames written by the hub; a resuming client is served through its queue,
            // so that its replay comes before live events.
            var output: DirectOutput?
            if since == nil {
                output = await DirectOutput.make(context.requestContext.channel, limit: hub.directBufferLimit)
            }
            guard let filter = try? filter(request), let (id, client, events) = hub.add(filter: filter, output: output)
            else {
                try await outbound.close(.goingAway, reason: "the server is shutting down")
                return
            }
            hub.connections.add(1, ordering: .relaxed)
            metrics.webSocketOpened()
            defer {
                hub.remove(id)
                hub.connections.subtract(1, ordering: .relaxed)
                metrics.webSocketClosed()
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    var last: Int64 = 0
                    if let since {
                        last = try await replay(after: since, filter: filter, to: outbound)
                    }
                    for await outgoing in events where outgoing.event.id > last {
                        try await outbound.write(
                            .custom(WebSocketFrame(fin: true, opcode: .text, data: outgoing.message)))
                    }
                    switch client.ending.withLock({ $0 }) {
                    case .tooSlow:
                        try await outbound.close(.unknown(1013), reason: "client too slow; resume with since=\(last)")
                    case .shutdown:
                        try await outbound.close(.goingAway, reason: "server shutting down")
                    case nil:
                        break
                    }
                }
                group.addTask {
                    // Subscribe messages change the filter; anything else is ignored.
                    for try await message in inbound.messages(maxSize: 16_384) {
                        guard case .text(let text) = message, let object = try? JSONParser.parse(text),
                            object[key: "type"]?.text == "subscribe"
                        else { continue }
                        if let updated = try? StreamFilter.parse(
                            channels: object[key: "channels"].flatMap(Self.list),
                            severity: object[key: "severity"]?.text, source: object[key: "source"].flatMap(Self.list),
                            assignee: object[key: "assignee"]?.text)
                        {
                            client.filter.withLock { $0 = updated }
                            try await outbound.write(.text(#"{"type":"subscribed"}"#))
                        }
                    }
                }
                try await group.next()
                group.cancelAll()
            }
        }
    }

    /// A list given as a JSON array or a comma-separated string.
    static func list(_ value: JSONValue) -> String? {
        if let array = value.arrayValue { return array.compactMap(\.text).joined(separator: ",") }
        return value.text
    }

    func filter(_ request: Request) throws -> StreamFilter {
        try StreamFilter.parse(
            channels: request.query("channels"), severity: request.query("severity"), source: request.query("source"),
            assignee: request.query("assignee"))
    }

    func cursor(_ request: Request) throws -> Int64? {
        guard let text = request.query("since") else { return nil }
        guard let cursor = Int64(text), cursor >= 0 else {
            throw APIError.badRequest("since must be a cursor from a previous event.")
        }
        return cursor
    }

    /// Sends kept events after `cursor` that match `filter`; returns the last id sent or seen. When the cursor is
    /// older than what is kept, says so first.
    func replay(after cursor: Int64, filter: StreamFilter, to outbound: WebSocketOutboundWriter) async throws -> Int64 {
        let log = EventLog(database: services.database)
        if let bounds = try await log.bounds(), cursor < bounds.oldest - 1 {
            try await outbound.write(
                .text(
                    #"{"type":"stream.gap","detail":"events after cursor \#(cursor) up to \#(bounds.oldest - 1) are no longer kept"}"#
                ))
        }
        var last = cursor
        while true {
            let events = try await log.events(after: last, limit: 1_000)
            for event in events where filter.matches(event) {
                try await outbound.write(.text(event.message))
            }
            last = events.last?.id ?? last
            if events.count < 1_000 { return last }
        }
    }
}
