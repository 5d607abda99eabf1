import CoreRecon
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// Downloads one document over HTTP or HTTPS (following redirects), on SwiftNIO: no libcurl, nothing loaded
/// at start-up by commands that never download.
struct HTTPDownloader: Sendable {
    /// The whole download, redirects included.
    let timeout: Duration
    static let maximumRedirects = 5
    static let maximumBytes = 1 << 30

    /// The body of a 200 response. Failures (no network, refused, timeout, TLS, HTTP errors) are
    /// ``CoreReconError/unavailable(_:)`` naming the URL.
    func download(_ address: String) async throws -> [UInt8] {
        do {
            return try await withThrowingTaskGroup(of: [UInt8].self) { group in
                group.addTask { try await follow(address) }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    throw CoreReconError.unavailable("no complete answer within \(timeout.seconds) s")
                }
                defer { group.cancelAll() }
                guard let body = try await group.next() else { throw CancellationError() }
                return body
            }
        } catch let error as CoreReconError {
            if case .unavailable(let reason) = error { throw Self.failure(address, reason) }
            throw error
        } catch {
            throw Self.failure(address, String(describing: error))
        }
    }

    private static func failure(_ address: String, _ reason: String) -> CoreReconError {
        .unavailable(
            "cannot download \(address): \(reason). Check the network (or --url / mitre.syncURL); "
                + "`corerecon mitre import FILE` imports a bundle downloaded another way. Nothing was changed.")
    }

    private func follow(_ address: String) async throws -> [UInt8] {
        var current = address
        for _ in 0...Self.maximumRedirects {
            guard let url = URL(string: current), let scheme = url.scheme?.lowercased(),
                scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty
            else { throw CoreReconError.unavailable("not an http(s) URL") }
            let (head, body) = try await get(url, host: host, isSecure: scheme == "https")
            switch head.status.code {
            case 200:
                return body
            case 301, 302, 303, 307, 308:
                guard let location = head.headers.first(name: "Location"),
                    let next = URL(string: location, relativeTo: url)?.absoluteString
                else { throw CoreReconError.unavailable("HTTP \(head.status.code) without a Location") }
                current = next
            default:
                throw CoreReconError.unavailable("HTTP \(head.status.code) \(head.status.reasonPhrase)")
            }
        }
        throw CoreReconError.unavailable("more than \(Self.maximumRedirects) redirects")
    }

    private func get(_ url: URL, host: String, isSecure: Bool) async throws -> (HTTPResponseHead, [UInt8]) {
        let port = url.port ?? (isSecure ? 443 : 80)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(15))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if isSecure {
                        let context = try NIOSSLContext(configuration: .makeClientConfiguration())
                        try channel.pipeline.syncOperations.addHandler(
                            try NIOSSLClientHandler(context: context, serverHostname: host))
                    }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
                        wrappingChannelSynchronously: channel)
                }
            }
        var path = url.path.isEmpty ? "/" : url.path
        if let query = url.query { path += "?" + query }
        var request = HTTPRequestHead(version: .http1_1, method: .GET, uri: path)
        request.headers.add(name: "Host", value: url.port.map { "\(host):\($0)" } ?? host)
        request.headers.add(name: "User-Agent", value: "corerecon")
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "Connection", value: "close")
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(.head(request))
            try await outbound.write(.end(nil))
            var head: HTTPResponseHead?
            var body: [UInt8] = []
            for try await part in inbound {
                switch part {
                case .head(let received):
                    head = received
                case .body(var buffer):
                    body += buffer.readBytes(length: buffer.readableBytes) ?? []
                    guard body.count <= Self.maximumBytes else {
                        throw CoreReconError.unavailable("the answer is larger than \(Self.maximumBytes >> 20) MB")
                    }
                case .end:
                    guard let head else { break }
                    return (head, body)
                }
            }
            throw CoreReconError.unavailable("the server closed the connection before the answer was complete")
        }
    }
}
