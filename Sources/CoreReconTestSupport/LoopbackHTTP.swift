import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The HTTP client tests use against servers on loopback.
///
/// Not `URLSession.shared`: on Linux it runs every request of the process through one libcurl multi handle, so a
/// test posting hostile bodies can stall the requests of every other test running beside it until they time out.
/// Here each request has its own deadline and connections to one server never wait on another's.
public enum LoopbackHTTP {
    public enum Method: String, Sendable { case GET, POST, PUT, PATCH, DELETE }

    public struct Response: Sendable {
        public let status: Int
        public let headers: HTTPHeaders
        public let body: [UInt8]
        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    static let client = HTTPClient(
        eventLoopGroup: HTTPClient.defaultEventLoopGroup,
        configuration: HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: .init(connect: .seconds(10)),
            connectionPool: .init(idleTimeout: .seconds(10), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)))

    /// Sends one request and reads the whole answer (up to 64 MB); throws on a connection error or past `timeout`.
    public static func send(
        _ method: Method = .GET, _ url: String, headers: [(String, String)] = [], body: [UInt8]? = nil,
        timeout: Duration = .seconds(60)
    ) async throws -> Response {
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method.rawValue)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let deadline = NIODeadline.now() + .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000)
        let response = try await client.execute(request, deadline: deadline)
        let bytes = try await response.body.collect(upTo: 64 << 20)
        return Response(status: Int(response.status.code), headers: response.headers, body: Array(buffer: bytes))
    }

    /// The status of one request, or 0 when it got no answer (refused, reset, timed out), with `Retry-After`.
    public static func status(
        _ method: Method = .GET, _ url: String, headers: [(String, String)] = [], body: [UInt8]? = nil,
        timeout: Duration = .seconds(60)
    ) async -> (status: Int, retryAfter: String?) {
        guard let response = try? await send(method, url, headers: headers, body: body, timeout: timeout) else {
            return (0, nil)
        }
        return (response.status, response.headers.first(name: "Retry-After"))
    }
}
