import Synchronization

/// Tells in-process listeners that a change was committed, so that the stream relay reads the events table now
/// instead of at its next poll.
///
/// The events themselves are rows written in each change's transaction (by any process: a CLI command, a cron
/// job, a server); this is only the doorbell for changes made in this process. Signals coalesce: a listener
/// that is busy when several arrive wakes once.
public final class ChangeSignal: Sendable {
    private let listeners = Mutex<[Int: AsyncStream<Void>.Continuation]>([:])
    private let nextID = Atomic<Int>(0)

    public init() {}

    /// Wakes once after each signal (or burst of signals) from now on, until the stream is dropped.
    public func subscribe() -> AsyncStream<Void> {
        let id = nextID.add(1, ordering: .relaxed).newValue
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        continuation.onTermination = { [weak self] _ in
            _ = self?.listeners.withLock { $0.removeValue(forKey: id) }
        }
        listeners.withLock { $0[id] = continuation }
        return stream
    }

    /// Call after a change is committed.
    public func changed() {
        listeners.withLock { listeners in
            for continuation in listeners.values { continuation.yield() }
        }
    }
}
