import CoreRecon
import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Sends one RFC 5424 message: a UDP datagram, or over TCP or TLS with octet-counting framing (RFC 6587 /
/// RFC 5425: `LENGTH SP MESSAGE`).
struct SyslogSender: Sendable {
    enum Transport: String, Sendable {
        case udp, tcp, tls
    }

    let transport: Transport
    let host: String
    let port: Int
    let timeout: Duration
    let caFile: String?

    /// `udp://host:514`, `tcp://host:601`, `tls://host:6514`.
    init(address: String, timeout: Duration, caFile: String? = nil) throws {
        guard let schemeEnd = address.range(of: "://"),
            let transport = Transport(rawValue: String(address[..<schemeEnd.lowerBound]))
        else { throw CoreReconError.configuration("\(address) is not udp://, tcp:// or tls:// HOST:PORT.") }
        let rest = address[schemeEnd.upperBound...]
        guard let colon = rest.lastIndex(of: ":"), let port = Int(rest[rest.index(after: colon)...]),
            (1...65_535).contains(port)
        else { throw CoreReconError.configuration("\(address) has no port.") }
        self.transport = transport
        self.host = String(rest[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        self.port = port
        self.timeout = timeout
        self.caFile = caFile
    }

    func send(_ message: String) async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let bytes = Array(message.utf8)
        do {
            switch transport {
            case .udp:
                let address = try SocketAddress.makeAddressResolvingHost(host, port: port)
                let channel = try await DatagramBootstrap(group: group).bind(
                    host: address.protocol == .inet6 ? "::" : "0.0.0.0", port: 0
                ).get()
                defer { channel.close(promise: nil) }
                var buffer = channel.allocator.buffer(capacity: bytes.count)
                buffer.writeBytes(bytes)
                try await channel.writeAndFlush(AddressedEnvelope(remoteAddress: address, data: buffer)).get()
            case .tcp, .tls:
                var bootstrap = ClientBootstrap(group: group)
                    .connectTimeout(.milliseconds(Int64(timeout.milliseconds)))
                if transport == .tls {
                    var configuration = TLSConfiguration.makeClientConfiguration()
                    if let caFile { configuration.trustRoots = .file(caFile) }
                    let context = try NIOSSLContext(configuration: configuration)
                    let hostname = host
                    bootstrap = bootstrap.channelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            let handler = try NIOSSLClientHandler(
                                context: context, serverHostname: hostname.first?.isNumber == true ? nil : hostname)
                            try channel.pipeline.syncOperations.addHandler(handler)
                        }
                    }
                }
                let channel = try await bootstrap.connect(host: host, port: port).get()
                let framed = Array("\(bytes.count) ".utf8) + bytes
                var buffer = channel.allocator.buffer(capacity: framed.count)
                buffer.writeBytes(framed)
                do {
                    // Flushed means handed to the socket, over TLS after a verified handshake.
                    try await channel.writeAndFlush(buffer).get()
                } catch {
                    channel.close(promise: nil)
                    throw error
                }
                // Over TLS this sends close_notify; a peer that hangs up without its own is no failure of ours.
                try? await channel.close().get()
            }
        } catch let error as CoreReconError {
            throw error
        } catch {
            throw CoreReconError.unavailable("syslog \(transport.rawValue)://\(host):\(port): \(error)")
        }
    }
}
