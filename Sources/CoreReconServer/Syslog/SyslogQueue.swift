import CoreRecon
import NIOCore
import Synchronization

/// One syslog message on its way to the database.
struct SyslogMessage: Sendable {
    var bytes: [UInt8]
    /// The sender's label and format, from `syslog.senders`.
    var source: String
    var format: AlertFormat?
    /// `udp from 10.0.0.5`, for rejection messages.
    var origin: String
    var transport: SyslogEndpoint.Transport
}

/// The messages between the sockets and the database, bounded in bytes. TCP and TLS readers wait for room
/// (``push(_:)``), so a sender faster than the database is slowed by TCP's own flow control; UDP readers cannot
/// slow a sender and drop what does not fit (``offer(_:)``). One consumer takes batches (``take(maximumCount:)``).
final class SyslogQueue: Sendable {
    let capacity: Int

    private struct State {
        var messages = CircularBuffer<SyslogMessage>()
        var bytes = 0
        var isClosed = false
        var producers: [(id: UInt64, continuation: CheckedContinuation<PushOutcome, Never>)] = []
        var consumer: CheckedContinuation<Void, Never>?
        var nextID: UInt64 = 0

        func fits(_ message: SyslogMessage, capacity: Int) -> Bool {
            messages.isEmpty || bytes + message.bytes.count <= capacity
        }

        mutating func append(_ message: SyslogMessage) -> CheckedContinuation<Void, Never>? {
            messages.append(message)
            bytes += message.bytes.count
            defer { consumer = nil }
            return consumer
        }
    }

    private enum PushOutcome {
        case stored, closed, retry
    }

    private let state = Mutex(State())

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Bytes queued now.
    var bytes: Int { state.withLock { $0.bytes } }

    /// Queues `message` if there is room; false when there is none or the queue is closed.
    func offer(_ message: SyslogMessage) -> Bool {
        let (stored, consumer): (Bool, CheckedContinuation<Void, Never>?) = state.withLock { state in
            guard !state.isClosed, state.fits(message, capacity: capacity) else { return (false, nil) }
            return (true, state.append(message))
        }
        consumer?.resume()
        return stored
    }

    /// Queues `message`, waiting for room; false when the queue was closed (or the task cancelled) first.
    func push(_ message: SyslogMessage) async -> Bool {
        while true {
            let id = state.withLock { state in
                state.nextID += 1
                return state.nextID
            }
            let outcome = await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<PushOutcome, Never>) in
                    var consumerToWake: CheckedContinuation<Void, Never>?
                    let outcome: PushOutcome? = state.withLock { state in
                        if state.isClosed || Task.isCancelled { return .closed }
                        if state.fits(message, capacity: capacity) {
                            consumerToWake = state.append(message)
                            return .stored
                        }
                        state.producers.append((id, continuation))
                        return nil
                    }
                    consumerToWake?.resume()
                    if let outcome { continuation.resume(returning: outcome) }
                }
            } onCancel: {
                let waiting = state.withLock { state in
                    state.producers.firstIndex { $0.id == id }.map { state.producers.remove(at: $0).continuation }
                }
                waiting?.resume(returning: .closed)
            }
            switch outcome {
            case .stored: return true
            case .closed: return false
            case .retry: continue
            }
        }
    }

    /// Up to `maximumCount` messages in arrival order, waiting while there are none; nil once the queue is closed
    /// and empty.
    func take(maximumCount: Int) async -> [SyslogMessage]? {
        while true {
            let (batch, producers, isDone): ([SyslogMessage], [CheckedContinuation<PushOutcome, Never>], Bool) =
                state.withLock { state in
                    guard !state.messages.isEmpty else { return ([], [], state.isClosed) }
                    var batch: [SyslogMessage] = []
                    while batch.count < maximumCount, let message = state.messages.popFirst() {
                        state.bytes -= message.bytes.count
                        batch.append(message)
                    }
                    // Every waiting reader tries again: whoever fits goes in, the others wait once more.
                    defer { state.producers = [] }
                    return (batch, state.producers.map(\.continuation), false)
                }
            for producer in producers { producer.resume(returning: .retry) }
            if !batch.isEmpty { return batch }
            if isDone { return nil }
            await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let resumeNow = state.withLock { state in
                        if !state.messages.isEmpty || state.isClosed || Task.isCancelled { return true }
                        state.consumer = continuation
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
            } onCancel: {
                close()
            }
        }
    }

    /// No more messages: waiting readers get false, and the consumer takes what is left, then nil.
    func close() {
        let (producers, consumer) = state.withLock { state in
            state.isClosed = true
            defer {
                state.producers = []
                state.consumer = nil
            }
            return (state.producers.map(\.continuation), state.consumer)
        }
        for producer in producers { producer.resume(returning: .closed) }
        consumer?.resume()
    }
}
