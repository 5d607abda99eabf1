import CoreRecon
import CoreReconStore
import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import ServiceLifecycle
import Synchronization

/// `serve --syslog`: receives CEF, LEEF and JSON alerts over syslog (UDP, RFC 5426; TCP, RFC 6587; TLS, RFC 5425)
/// and feeds them through the same pipeline as webhooks, labelled per sender (`syslog.senders`).
///
/// Readers put messages on a queue bounded in bytes (`syslog.queue`); one consumer stores them in batches. When
/// the database is slower than the senders, TCP and TLS connections stop being read (the senders wait, as TCP
/// flow control makes them) and UDP messages are dropped and counted; when the database is unavailable, the
/// consumer retries its batch until it is back. Memory stays bounded either way. A message held in the queue when
/// the process is killed is lost: syslog has no acknowledgements.
public struct SyslogServer: Service {
    let services: AppServices
    let settings: SyslogSettings
    let metrics: SyslogMetrics
    let serverMetrics: ServerMetrics
    let queue: SyslogQueue
    /// The bound channels, each with the endpoint it listens on (its real port when 0 was asked for).
    private let udp: [(SyslogEndpoint, any Channel)]
    private let streams: [(SyslogEndpoint, NIOAsyncChannel<AcceptedConnection, Never>)]
    private let connections: Connections

    /// The endpoints as bound: a port of 0 is replaced by the one the system picked.
    public var endpoints: [SyslogEndpoint] { udp.map(\.0) + streams.map(\.0) }

    /// Binds every endpoint of `settings.listen`, so a port in use or refused fails `serve` at once, before it
    /// serves anything. `tls` is needed for `tls://` endpoints.
    public static func bind(
        services: AppServices, settings: SyslogSettings, tls: TLSConfiguration?, metrics: ServerMetrics
    ) async throws -> SyslogServer {
        let group = MultiThreadedEventLoopGroup.singleton
        let connections = Connections()
        let syslogMetrics = SyslogMetrics(registry: metrics.registry)
        let tlsContext: NIOSSLContext?
        if settings.listen.contains(where: { $0.transport == .tls }) {
            guard let tls else {
                throw CoreReconError.configuration(
                    "a tls:// syslog listener needs --tls-cert and --tls-key (the server's certificate).")
            }
            tlsContext = try NIOSSLContext(configuration: tls)
        } else {
            tlsContext = nil
        }
        let queue = SyslogQueue(capacity: settings.queueBytes)
        var udp: [(SyslogEndpoint, any Channel)] = []
        var streams: [(SyslogEndpoint, NIOAsyncChannel<AcceptedConnection, Never>)] = []
        let readSize = min(65_536, settings.maxMessageSize + SyslogFrameDecoder.headerLength)
        for endpoint in settings.listen {
            do {
                var bound = endpoint
                switch endpoint.transport {
                case .udp:
                    // Datagrams are handled on the event loop as they are read, with no task switch each: the
                    // socket is drained as fast as the kernel fills it, and what the queue cannot take is counted.
                    let handler = SyslogDatagramHandler(settings: settings, queue: queue, metrics: syslogMetrics)
                    let channel = try await DatagramBootstrap(group: group)
                        .channelOption(.socketOption(.so_reuseaddr), value: 1)
                        .channelOption(.socketOption(.so_rcvbuf), value: 8 << 20)
                        // A datagram can be 64 KB whatever the message limit; a smaller buffer would cut it.
                        .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 65_536))
                        .channelOption(.maxMessagesPerRead, value: 64)
                        .channelInitializer { channel in
                            channel.eventLoop.makeCompletedFuture {
                                try channel.pipeline.syncOperations.addHandler(handler)
                            }
                        }
                        .bind(host: endpoint.host, port: endpoint.port).get()
                    bound.port = channel.localAddress?.port ?? endpoint.port
                    udp.append((bound, channel))
                case .tcp, .tls:
                    let context = endpoint.transport == .tls ? tlsContext : nil
                    let channel = try await ServerBootstrap(group: group)
                        .serverChannelOption(.backlog, value: 256)
                        .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                        .childChannelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: readSize))
                        .bind(host: endpoint.host, port: endpoint.port) { channel in
                            channel.eventLoop.makeCompletedFuture {
                                if let context {
                                    try channel.pipeline.syncOperations.addHandler(
                                        NIOSSLServerHandler(context: context))
                                }
                                // A few reads ahead at most: past them the connection is not read until the queue
                                // has room, and the sender's TCP window closes.
                                return AcceptedConnection(
                                    // Taken now: once a quick sender has closed, the channel no longer knows it.
                                    remote: channel.remoteAddress,
                                    channel: try NIOAsyncChannel<ByteBuffer, Never>(
                                        wrappingChannelSynchronously: channel,
                                        configuration: .init(
                                            backPressureStrategy: .init(lowWatermark: 2, highWatermark: 8))))
                            }
                        }
                    bound.port = channel.channel.localAddress?.port ?? endpoint.port
                    streams.append((bound, channel))
                }
                services.logger.info("Syslog listening", metadata: ["listener": "\(bound)"])
            } catch {
                for (_, channel) in udp { try? await channel.close() }
                for (_, channel) in streams { try? await channel.channel.close() }
                let hint = endpoint.port < 1_024 ? " (ports under 1024 need root or CAP_NET_BIND_SERVICE)" : ""
                throw CoreReconError.configuration("cannot listen for syslog on \(endpoint): \(error)\(hint).")
            }
        }
        return SyslogServer(
            services: services, settings: settings, metrics: syslogMetrics, serverMetrics: metrics,
            queue: queue, udp: udp, streams: streams, connections: connections)
    }

    private init(
        services: AppServices, settings: SyslogSettings, metrics: SyslogMetrics, serverMetrics: ServerMetrics,
        queue: SyslogQueue,
        udp: [(SyslogEndpoint, any Channel)],
        streams: [(SyslogEndpoint, NIOAsyncChannel<AcceptedConnection, Never>)],
        connections: Connections
    ) {
        self.services = services
        self.settings = settings
        self.metrics = metrics
        self.serverMetrics = serverMetrics
        self.queue = queue
        self.udp = udp
        self.streams = streams
        self.connections = connections
    }

    /// Receives until graceful shutdown, then stops reading, stores what was already received, and returns.
    public func run() async throws {
        await withDiscardingTaskGroup { group in
            group.addTask { await consume() }
            await withGracefulShutdownHandler {
                await withDiscardingTaskGroup { readers in
                    for (_, channel) in udp {
                        // Datagrams are read by the channel's handler; this task ends when the channel closes.
                        readers.addTask {
                            await withTaskCancellationHandler {
                                try? await channel.closeFuture.get()
                            } onCancel: {
                                channel.close(promise: nil)
                            }
                        }
                    }
                    for (endpoint, channel) in streams {
                        readers.addTask { await acceptConnections(channel, endpoint: endpoint) }
                    }
                }
            } onGracefulShutdown: {
                for (_, channel) in udp { channel.close(promise: nil) }
                for (_, channel) in streams { channel.channel.close(promise: nil) }
                connections.closeAll()
            }
            // Every reader has ended: what is queued is the last of it.
            queue.close()
        }
    }

    // MARK: - Readers

    private func acceptConnections(
        _ channel: NIOAsyncChannel<AcceptedConnection, Never>, endpoint: SyslogEndpoint
    ) async {
        do {
            try await channel.executeThenClose { inbound in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await accepted in inbound {
                        let connection = accepted.channel
                        guard connections.open(connection.channel, limit: settings.maxConnections) else {
                            metrics.refusedConnection()
                            connection.channel.close(promise: nil)
                            continue
                        }
                        metrics.connections.set(Int64(connections.count))
                        group.addTask {
                            await receiveStream(connection, from: accepted.remote, transport: endpoint.transport)
                            connections.closed(connection.channel)
                            metrics.connections.set(Int64(connections.count))
                        }
                    }
                }
            }
        } catch {
            services.logger.error("Syslog listener failed", metadata: ["listener": "\(endpoint)", "error": "\(error)"])
        }
    }

    private func receiveStream(
        _ connection: NIOAsyncChannel<ByteBuffer, Never>, from remote: SocketAddress?,
        transport: SyslogEndpoint.Transport
    ) async {
        var decoder = SyslogFrameDecoder(maximumMessageSize: settings.maxMessageSize)
        func handle(_ frame: SyslogFrameDecoder.Frame) async -> Bool {
            switch frame {
            case .message(let bytes):
                metrics.received(transport)
                guard await queue.push(message(bytes, from: remote, transport: transport)) else { return false }
                metrics.queueBytes.set(Int64(queue.bytes))
            case .oversized:
                metrics.received(transport)
                metrics.dropped(transport, .oversized)
            }
            return true
        }
        do {
            try await connection.executeThenClose { inbound, _ in
                for try await buffer in inbound {
                    for frame in decoder.feed(buffer.readableBytesView) {
                        guard await handle(frame) else { return }
                    }
                }
            }
        } catch {
            // A peer that resets, or fails the TLS handshake: its connection ends, nothing else does.
            services.logger.debug(
                "Syslog connection ended", metadata: ["from": "\(remote.map { "\($0)" } ?? "?")", "error": "\(error)"])
        }
        let (last, incomplete) = decoder.finish()
        if let last { _ = await handle(last) }
        if incomplete > 0 { metrics.dropped(transport, .incomplete) }
    }

    private func message(_ bytes: [UInt8], from address: SocketAddress?, transport: SyslogEndpoint.Transport)
        -> SyslogMessage
    {
        Self.message(bytes, from: address, transport: transport, settings: settings)
    }

    static func message(
        _ bytes: [UInt8], from address: SocketAddress?, transport: SyslogEndpoint.Transport, settings: SyslogSettings
    ) -> SyslogMessage {
        let sender = settings.sender(address: address.flatMap(Self.addressBytes))
        let origin = "\(transport.rawValue) from \(address?.ipAddress ?? "?")"
        return SyslogMessage(
            bytes: bytes, source: sender.source, format: sender.format, origin: origin, transport: transport)
    }

    /// An address's 4 or 16 bytes; an IPv4 address mapped into IPv6 (a dual-stack `[::]` listener) as its 4.
    static func addressBytes(_ address: SocketAddress) -> [UInt8]? {
        guard let text = address.ipAddress, let bytes = Network.bytes(text) else { return nil }
        if bytes.count == 16, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF {
            return Array(bytes[12...])
        }
        return bytes
    }

    // MARK: - Storing

    /// Stores batches until the queue is closed and empty.
    private func consume() async {
        let rejections = RejectionLog(logger: services.logger)
        while let batch = await queue.take(maximumCount: services.config.ingest.batchSize) {
            metrics.queueBytes.set(Int64(queue.bytes))
            var start = 0
            // Runs of messages with the same label and format share a session.
            while start < batch.count {
                var end = start + 1
                while end < batch.count, batch[end].source == batch[start].source,
                    batch[end].format == batch[start].format
                {
                    end += 1
                }
                await store(batch[start..<end], rejections: rejections)
                start = end
            }
        }
    }

    /// Stores one run, retrying while the database is unavailable (re-delivery makes a retry idempotent: what
    /// the failed try stored is recognized, not stored twice). Other failures drop the run after three tries.
    private func store(_ run: ArraySlice<SyslogMessage>, rejections: RejectionLog) async {
        let first = run[run.startIndex]
        var delay = Duration.milliseconds(500)
        var failures = 0
        while true {
            do {
                let session = services.makeIngestSession(
                    format: first.format, sourceLabel: first.source, actor: "syslog:\(first.source)",
                    onReject: { rejections.record($0, source: first.source) })
                for message in run {
                    try await session.add(message.bytes, location: message.origin)
                }
                let summary = try await session.finish()
                serverMetrics.ingested(summary)
                if failures > 0 {
                    services.logger.notice("Syslog messages are stored again", metadata: ["source": "\(first.source)"])
                }
                do {
                    _ = try await services.indicators.matchAlerts(
                        summary.alertIDs, cache: services.matcherCache, memo: services.matcherMemo,
                        actor: "syslog:\(first.source)", committed: services.alertsCommitted)
                } catch {
                    services.logger.warning(
                        "Matching syslog alerts against indicators failed", metadata: ["error": "\(error)"])
                }
                return
            } catch {
                failures += 1
                let unavailable: Bool
                if case CoreReconError.unavailable = error { unavailable = true } else { unavailable = false }
                if failures == 1 || !unavailable {
                    services.logger.error(
                        "Storing syslog messages failed",
                        metadata: [
                            "source": "\(first.source)", "messages": "\(run.count)", "error": "\(error)",
                            "retrying": "\(unavailable || failures < 3)",
                        ])
                }
                // Cancelled (a shutdown past its deadline) or failing for another reason than an unavailable
                // database: no more tries.
                if Task.isCancelled || (!unavailable && failures >= 3) {
                    for message in run { metrics.dropped(message.transport, .storeFailed) }
                    return
                }
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(30))
            }
        }
    }
}

/// A TCP or TLS connection and the address of its sender.
struct AcceptedConnection: Sendable {
    var remote: SocketAddress?
    var channel: NIOAsyncChannel<ByteBuffer, Never>
}

/// Reads UDP datagrams on the event loop: each is a message (RFC 5426), queued if there is room, else counted as
/// dropped.
private final class SyslogDatagramHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    let settings: SyslogSettings
    let queue: SyslogQueue
    let metrics: SyslogMetrics

    init(settings: SyslogSettings, queue: SyslogQueue, metrics: SyslogMetrics) {
        self.settings = settings
        self.queue = queue
        self.metrics = metrics
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        metrics.received(.udp)
        let bytes = syslogDatagramMessage(Array(envelope.data.readableBytesView))
        guard !bytes.isEmpty else { return }
        guard bytes.count <= settings.maxMessageSize else {
            metrics.dropped(.udp, .oversized)
            return
        }
        let message = SyslogServer.message(
            bytes, from: envelope.remoteAddress, transport: .udp, settings: settings)
        if queue.offer(message) {
            metrics.queueBytes.set(Int64(queue.bytes))
        } else {
            metrics.dropped(.udp, .queueFull)
        }
    }
}

/// The open TCP and TLS connections, to bound them and to close them at shutdown.
private final class Connections: Sendable {
    private struct State {
        var open: [ObjectIdentifier: any Channel] = [:]
        /// Shutdown has begun: a connection accepted from now on is closed at once.
        var isClosed = false
    }

    private let state = Mutex(State())

    var count: Int { state.withLock { $0.open.count } }

    func open(_ channel: any Channel, limit: Int) -> Bool {
        state.withLock { state in
            guard !state.isClosed, state.open.count < limit else { return false }
            state.open[ObjectIdentifier(channel)] = channel
            return true
        }
    }

    func closed(_ channel: any Channel) {
        _ = state.withLock { $0.open.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    func closeAll() {
        let open = state.withLock { state in
            state.isClosed = true
            return Array(state.open.values)
        }
        for channel in open { channel.close(promise: nil) }
    }
}

/// Logs rejected syslog messages without flooding the log: the first of each source, then at most one a minute
/// with the number left unlogged since.
private final class RejectionLog: Sendable {
    let logger: Logger
    private let state = Mutex<[String: (last: ContinuousClock.Instant, suppressed: Int)]>([:])

    init(logger: Logger) {
        self.logger = logger
    }

    func record(_ rejection: Rejection, source: String) {
        let now = ContinuousClock.now
        let suppressed: Int? = state.withLock { state in
            if let entry = state[source], now - entry.last < .seconds(60) {
                state[source] = (entry.last, entry.suppressed + 1)
                return nil
            }
            let suppressed = state[source]?.suppressed ?? 0
            state[source] = (now, 0)
            return suppressed
        }
        guard let suppressed else { return }
        logger.warning(
            "Syslog message rejected",
            metadata: [
                "source": "\(source)", "from": "\(rejection.location)", "reason": "\(rejection.reason)",
                "alsoRejectedUnlogged": "\(suppressed)",
            ])
    }
}
