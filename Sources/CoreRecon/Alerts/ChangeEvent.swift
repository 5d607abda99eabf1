import Synchronization

/// A change to an alert, published after it is committed.
public struct AlertEvent: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case created = "alert.created"
        case updated = "alert.updated"
    }

    public var kind: Kind
    public var alert: Alert

    public init(kind: Kind, alert: Alert) {
        self.kind = kind
        self.alert = alert
    }
}

/// A change to an incident, published after it is committed.
public struct IncidentEvent: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case created = "incident.created"
        case updated = "incident.updated"
    }

    public var kind: Kind
    public var incident: Incident

    public init(kind: Kind, incident: Incident) {
        self.kind = kind
        self.incident = incident
    }
}

/// Any committed change the stream carries.
public enum ChangeEvent: Sendable, Equatable {
    case alert(AlertEvent)
    case incident(IncidentEvent)
}

/// In-process fan-out of committed changes to subscribers, in commit order.
///
/// Each subscriber has its own bounded buffer: one that falls too far behind loses the oldest events rather
/// than slowing the publisher (the stream's consumers can resume from the events table).
public final class AlertEventBus: Sendable {
    private let subscribers = Mutex<[Int: AsyncStream<ChangeEvent>.Continuation]>([:])
    private let nextID = Atomic<Int>(0)
    private let bufferSize: Int

    public init(bufferSize: Int = 10_000) {
        self.bufferSize = bufferSize
    }

    /// A stream of every change published from now on, until the stream is dropped or the task is cancelled.
    public func subscribe() -> AsyncStream<ChangeEvent> {
        let id = nextID.add(1, ordering: .relaxed).newValue
        let (stream, continuation) = AsyncStream<ChangeEvent>.makeStream(
            bufferingPolicy: .bufferingNewest(bufferSize))
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.removeValue(forKey: id) }
        }
        subscribers.withLock { $0[id] = continuation }
        return stream
    }

    /// Delivers alert `events` to every subscriber, in order. Call after the change is committed.
    public func publish(_ events: [AlertEvent]) {
        publish(changes: events.map(ChangeEvent.alert))
    }

    /// Delivers incident `events` to every subscriber, in order. Call after the change is committed.
    public func publish(incidents events: [IncidentEvent]) {
        publish(changes: events.map(ChangeEvent.incident))
    }

    public func publish(changes: [ChangeEvent]) {
        guard !changes.isEmpty else { return }
        // Holding the lock across the yields keeps concurrent publishers from interleaving their batches.
        subscribers.withLock { subscribers in
            for continuation in subscribers.values {
                for event in changes { continuation.yield(event) }
            }
        }
    }

    public var subscriberCount: Int { subscribers.withLock { $0.count } }
}
