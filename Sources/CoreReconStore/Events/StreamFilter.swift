import CoreRecon
import Foundation

/// What a stream client wants: channels and filters (`GET /api/v1/stream`'s query or subscribe message, or
/// `alert watch` and `incident watch` on the database).
public struct StreamFilter: Sendable, Equatable {
    public var channels: Set<String> = ["alerts", "incidents"]
    public var minimumSeverity: Severity?
    public var sources: Set<String> = []
    public var assignee: String?

    public init() {}

    public func matches(_ event: StoredEvent) -> Bool {
        guard channels.contains(event.channel) else { return false }
        if let minimum = minimumSeverity {
            guard let severity = event.severity, severity >= minimum, severity != .other else { return false }
        }
        if !sources.isEmpty {
            guard let source = event.source, sources.contains(source) else { return false }
        }
        if let assignee, event.assignee != assignee { return false }
        return true
    }

    /// As query parameters of `GET /api/v1/stream`.
    public var queryParameters: [(String, String)] {
        var query = [("channels", channels.sorted().joined(separator: ","))]
        if let minimumSeverity { query.append(("severity", minimumSeverity.name)) }
        if !sources.isEmpty { query.append(("source", sources.sorted().joined(separator: ","))) }
        if let assignee { query.append(("assignee", assignee)) }
        return query
    }
}

/// Following the events of committed changes as they happen, whichever side answers: the events table of the
/// database (``LocalEvents``) or the server's WebSocket stream (``RemoteEvents``). `handle` gets each matching
/// event's message (the stream's JSON) and cursor, and says whether to go on.
public protocol EventFollowing: Sendable {
    /// Follows from after `cursor` (nil: from now on) until `handle` says stop.
    func follow(
        _ filter: StreamFilter, after cursor: Int64?, handle: @escaping @Sendable (String, Int64) async throws -> Bool
    ) async throws
}

/// Events from the database's events table, read every `interval`.
public struct LocalEvents: EventFollowing {
    let log: EventLog
    var interval: Duration = .milliseconds(500)

    public init(services: AppServices) { log = EventLog(database: services.database) }

    public func follow(
        _ filter: StreamFilter, after cursor: Int64?, handle: @escaping @Sendable (String, Int64) async throws -> Bool
    ) async throws {
        var last: Int64
        if let cursor {
            last = cursor
        } else {
            last = try await log.bounds()?.newest ?? 0
        }
        while true {
            let events = try await log.events(after: last)
            for event in events {
                last = event.id
                if filter.matches(event), try await !handle(event.message, event.id) { return }
            }
            if events.isEmpty { try await Task.sleep(for: interval) }
        }
    }
}
