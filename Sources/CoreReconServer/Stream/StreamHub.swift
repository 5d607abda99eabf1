import CoreRecon
import CoreReconStore
import Foundation
import NIOCore
import NIOWebSocket
import Synchronization

extension StreamFilter {
    /// Parses `channels=alerts,incidents&severity=high&source=dmz&assignee=ana` (query) or the same keys of a
    /// subscribe message.
    static func parse(channels: String?, severity: String?, source: String?, assignee: String?) throws -> StreamFilter {
        var filter = StreamFilter()
        if let channels {
            let names = Set(channels.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            guard !names.isEmpty, names.isSubset(of: ["alerts", "incidents", "playbooks"]) else {
                throw APIError.badRequest("channels are alerts, incidents and playbooks (runs).")
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
    /// The whole WebSocket text frame (header and message) for live clients, written below the frame encoder.
    public var frame: ByteBuffer

    public init(_ event: StoredEvent) {
        self.event = event
        message = ByteBuffer(string: event.message)
        frame = Self.textFrame(message)
    }

    /// An unmasked, final text frame (RFC 6455 section 5.2), as a server sends it.
    static func textFrame(_ payload: ByteBuffer) -> ByteBuffer {
        var frame = ByteBuffer()
        frame.reserveCapacity(payload.readableBytes + 10)
        frame.writeInteger(UInt8(0x81))
        switch payload.readableBytes {
        case ..<126:
            frame.writeInteger(UInt8(payload.readableBytes))
        case ..<65_536:
            frame.writeInteger(UInt8(126))
            frame.writeInteger(UInt16(payload.readableBytes))
        default:
            frame.writeInteger(UInt8(127))
            frame.writeInteger(UInt64(payload.readableBytes))
        }
        var payload = payload
        frame.writeBuffer(&payload)
        return frame
    }
}

/// Where a live client's frames are written: the context of its connection's frame encoder, so each write is
/// the shared, already encoded frame and no per-client header is made.
public struct DirectOutput: Sendable {
    let channel: any Channel
    let encoder: NIOLoopBound<ChannelHandlerContext>

    /// Finds the frame encoder of an upgraded WebSocket connection, and lets up to `limit` bytes wait unsent
    /// before the connection counts as unwritable; nil when there is no encoder.
    public static func make(_ channel: any Channel, limit: Int) async -> DirectOutput? {
        try? await channel.eventLoop.submit {
            try channel.syncOptions?.setOption(
                ChannelOptions.writeBufferWaterMark, value: .init(low: limit / 2, high: limit))
            let context = try channel.pipeline.syncOperations.context(handlerType: WebSocketFrameEncoder.self)
            return DirectOutput(channel: channel, encoder: NIOLoopBound(context, eventLoop: channel.eventLoop))
        }.get()
    }
}

/// The live stream's clients on this instance. A client that cannot keep up is cut off (close code 1013) instead
/// of slowing the others; broadcasting never waits on a socket.
///
/// Live clients are written to straight from the broadcaster: for each event loop, one task writes the event's
/// frame, encoded once, to every matching connection of that loop and flushes it. Handing each event to a task
/// per client instead costs a task wake-up and an executor hop per client, which at 20,000 clients is most of
/// the fan-out time. A live client is too slow when more than ``directBufferLimit`` bytes wait unsent.
/// Clients resuming with `since=` go through their queue (``queueLimit`` events) so the replay comes first.
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
        /// The connection live events are written to; nil for a client served through its queue.
        let output: DirectOutput?

        init(filter: StreamFilter, continuation: AsyncStream<OutgoingEvent>.Continuation, output: DirectOutput?) {
            self.filter = Mutex(filter)
            self.continuation = continuation
            self.output = output
        }
    }

    private let clients = Mutex<[Int: Client]>([:])
    private let nextID = Atomic<Int>(0)
    private let isShuttingDown = Atomic<Bool>(false)
    /// Events a queued client may have waiting before it counts as too slow.
    public let queueLimit: Int
    /// Bytes a live client's connection may have waiting unsent before it counts as too slow.
    public let directBufferLimit: Int

    public init(queueLimit: Int = 4_096, directBufferLimit: Int = 8 << 20) {
        self.queueLimit = queueLimit
        self.directBufferLimit = directBufferLimit
    }

    public var clientCount: Int { clients.withLock { $0.count } }

    /// WebSocket connections still open (a client's connection outlives its queue while it closes).
    public var connectionCount: Int { connections.load(ordering: .relaxed) }
    let connections = Atomic<Int>(0)

    /// Registers a client; its stream yields matching events until it ends (too slow, shutdown, or removed).
    /// With `output`, live events are written to that connection instead and the stream only ends.
    public func add(filter: StreamFilter, output: DirectOutput? = nil) -> (
        id: Int, client: Client, events: AsyncStream<OutgoingEvent>
    )? {
        guard !isShuttingDown.load(ordering: .relaxed) else { return nil }
        let id = nextID.add(1, ordering: .relaxed).newValue
        let (stream, continuation) = AsyncStream<OutgoingEvent>.makeStream(
            bufferingPolicy: .bufferingOldest(queueLimit))
        let client = Client(filter: filter, continuation: continuation, output: output)
        clients.withLock { $0[id] = client }
        return (id, client, stream)
    }

    public func remove(_ id: Int) {
        if let client = clients.withLock({ $0.removeValue(forKey: id) }) { client.continuation.finish() }
    }

    private struct DirectWrite {
        var id: Int
        var client: Client
        var output: DirectOutput
        var frames: [ByteBuffer]
    }

    /// Hands `events` to every client whose filter they match. Callers broadcast one batch at a time, in order.
    public func broadcast(_ events: [StoredEvent]) {
        guard !events.isEmpty else { return }
        let events = events.map(OutgoingEvent.init)
        var slow: [Int] = []
        var direct: [ObjectIdentifier: (loop: any EventLoop, writes: [DirectWrite])] = [:]
        clients.withLock { clients in
            for (id, client) in clients {
                let filter = client.filter.withLock { $0 }
                if let output = client.output {
                    let frames = events.lazy.filter { filter.matches($0.event) }.map(\.frame)
                    guard !frames.isEmpty else { continue }
                    let loop = output.channel.eventLoop
                    direct[ObjectIdentifier(loop), default: (loop, [])].writes.append(
                        DirectWrite(id: id, client: client, output: output, frames: Array(frames)))
                    continue
                }
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
        for (_, batch) in direct {
            let writes = batch.writes
            batch.loop.execute {
                // A client that has ended (too slow, shutting down) may already have its close frame queued:
                // nothing more is written to it.
                for write in writes where write.output.channel.isActive && write.client.ending.withLock({ $0 }) == nil {
                    guard write.output.channel.isWritable else {
                        write.client.ending.withLock { $0 = .tooSlow }
                        self.remove(write.id)
                        continue
                    }
                    let encoder = write.output.encoder.value
                    for frame in write.frames { encoder.write(NIOAny(frame), promise: nil) }
                    encoder.flush()
                }
            }
        }
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
