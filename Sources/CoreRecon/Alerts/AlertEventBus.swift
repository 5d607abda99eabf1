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

/// In-process fan-out of alert events to subscribers, in commit order.
///
/// Each subscriber has its own bounded buffer: one that falls too far behind loses the oldest events rather
/// than slowing the publisher (the stream's consumers can resume from the events table).
public final class AlertEventBus: Sendable {
    private let subscribers = Mutex<[Int: AsyncStream<AlertEvent>.Continuation]>([:])
    private let nextID = Atomic<Int>(0)
    private let bufferSize: Int

    public init(bufferSize: Int = 10_000) {
        self.bufferSize = bufferSize
    }

    /// A stream of every event published from now on, until the stream is dropped or the task is cancelled.
    public func subscribe() -> AsyncStream<AlertEvent> {
        let id = nextID.add(1, ordering: .relaxed).newValue
        let (stream, continuation) = AsyncStream<AlertEvent>.makeStream(bufferingPolicy: .bufferingNewest(bufferSize))
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.removeValue(forKey: id) }
        }
        subscribers.withLock { $0[id] = continuation }
        return stream
    }

    /// Delivers `events` to every subscriber, in order. Call after the change is committed.
    public func publish(_ events: [AlertEvent]) {
        guard !events.isEmpty else { return }
        // Holding the lock across the yields keeps concurrent publishers from interleaving their batches.
        subscribers.withLock { subscribers in
            for continuation in subscribers.values {
                for event in events { continuation.yield(event) }
            }
        }
    }

    public var subscriberCount: Int { subscribers.withLock { $0.count } }
}
