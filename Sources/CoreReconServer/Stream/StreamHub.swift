import CoreRecon
import CoreReconStore
import Foundation
import NIOCore
import Synchronization

/// What a stream client wants: channels and filters, from the query string or a subscribe message.
public struct StreamFilter: Sendable, Equatable {
    public var channels: Set<String> = ["alerts", "incidents"]
    public var minimumSeverity: Severity?
    public var sources: Set<String> = []
    public var assignee: String?

    public init() {}

    func matches(_ event: StoredEvent) -> Bool {
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

    /// Parses `channels=alerts,incidents&severity=high&source=dmz&assignee=ana` (query) or the same keys of a
    /// subscribe message.
    static func parse(channels: String?, severity: String?, source: String?, assignee: String?) throws -> StreamFilter {
        var filter = StreamFilter()
        if let channels {
            let names = Set(channels.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            guard !names.isEmpty, names.isSubset(of: ["alerts", "incidents"]) else {
                throw APIError.badRequest("channels are alerts and incidents.")
            }
            filter.channels = names
        }
        if let severity {
            guard let minimum = Severity(name: severity) else {
                throw APIError.badRequest("severity must be informational, low, medium, high or critical.")
            }
            filter.minimumSeverity = minimum
        }
        if let source { filter.sources = Set(source.split(separator: ",").map(String.init)) }
        filter.assignee = assignee
        return filter
    }
}

/// An event on its way to clients: its message is encoded once and the buffer shared by every client's frame.
public struct OutgoingEvent: Sendable {
    public var event: StoredEvent
    public var message: ByteBuffer

    public init(_ event: StoredEvent) {
        self.event = event
        message = ByteBuffer(string: event.message)
    }
}

/// The live stream's clients on this instance. Each has a bounded queue: a client that lets it fill is cut off
/// (close code 1013) instead of slowing the others; broadcasting never waits on a socket.
public final class StreamHub: Sendable {
    /// Why a client's queue ended.
    public enum Ending: Sendable {
        case tooSlow
        case shutdown
    }

    public final class Client: Sendable {
        public let filter: Mutex<StreamFilter>
        let continuation: AsyncStream<OutgoingEvent>.Continuation
        public let ending = Mutex<Ending?>(nil)

        init(filter: StreamFilter, continuation: AsyncStream<OutgoingEvent>.Continuation) {
            self.filter = Mutex(filter)
            self.continuation = continuation
        }
    }

    private let clients = Mutex<[Int: Client]>([:])
    private let nextID = Atomic<Int>(0)
    private let isShuttingDown = Atomic<Bool>(false)
    /// Events a client may have queued before it counts as too slow.
    public let queueLimit: Int

    public init(queueLimit: Int = 4_096) {
        self.queueLimit = queueLimit
    }

    public var clientCount: Int { clients.withLock { $0.count } }

    /// WebSocket connections still open (a client's connection outlives its queue while it closes).
    public var connectionCount: Int { connections.load(ordering: .relaxed) }
    let connections = Atomic<Int>(0)

    /// Registers a client; its stream yields matching events until it ends (too slow, shutdown, or removed).
    public func add(filter: StreamFilter) -> (id: Int, client: Client, events: AsyncStream<OutgoingEvent>)? {
        guard !isShuttingDown.load(ordering: .relaxed) else { return nil }
        let id = nextID.add(1, ordering: .relaxed).newValue
        let (stream, continuation) = AsyncStream<OutgoingEvent>.makeStream(
            bufferingPolicy: .bufferingOldest(queueLimit))
        let client = Client(filter: filter, continuation: continuation)
        clients.withLock { $0[id] = client }
        return (id, client, stream)
    }

    public func remove(_ id: Int) {
        if let client = clients.withLock({ $0.removeValue(forKey: id) }) { client.continuation.finish() }
    }

    /// Hands `events` to every client whose filter they match.
    public func broadcast(_ events: [StoredEvent]) {
        guard !events.isEmpty else { return }
        let events = events.map(OutgoingEvent.init)
        var slow: [Int] = []
        clients.withLock { clients in
            for (id, client) in clients {
                let filter = client.filter.withLock { $0 }
                for event in events where filter.matches(event.event) {
                    if case .dropped = client.continuation.yield(event) {
                        client.ending.withLock { $0 = .tooSlow }
                        slow.append(id)
                        break
                    }
                }
            }
        }
        for id in slow { remove(id) }
    }

    /// Waits until every connection has closed, for at most `timeout`.
    public func waitForConnectionsToClose(timeout: Duration = .seconds(3)) async {
        let deadline = ContinuousClock.now + timeout
        while connectionCount > 0 && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Ends every client's stream (they close with 1001) and refuses new ones.
    public func shutdown() {
        isShuttingDown.store(true, ordering: .relaxed)
        let all = clients.withLock { clients in
            defer { clients.removeAll() }
            return Array(clients.values)
        }
        for client in all {
            client.ending.withLock { $0 = $0 ?? .shutdown }
            client.continuation.finish()
        }
    }
}
