import AsyncHTTPClient
import CoreRecon
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// The process's HTTP client: redirects followed (at most 5, no cycles), 10 s to connect, and a refused or
/// unreachable server reported at once rather than retried until the deadline (a feed is pulled again on its
/// schedule; a command's user wants the answer now). Never shut down: it lives as long as the process.
private let sharedClient: HTTPClient = {
    var configuration = HTTPClient.Configuration(
        redirectConfiguration: .follow(max: 5, allowCycles: false),
        timeout: .init(connect: .seconds(10), read: .seconds(60)),
        decompression: .enabled(limit: .ratio(100)))
    configuration.connectionPool.retryConnectionEstablishment = false
    return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
}()

/// GETs over HTTP or HTTPS: one deadline for the whole answer and a cap on its size, so a slow or endless server
/// can neither hang a command nor fill memory.
struct HTTPFetcher: Sendable {
    struct Response: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: [UInt8]
    }

    /// The whole answer, redirects included.
    let timeout: Duration
    var maximumBytes = 1 << 30

    /// The answer, whatever its status. Transport failures (no network, refused, timeout, TLS, too large) are
    /// ``CoreReconError/unavailable(_:)`` with the reason.
    func get(_ address: String, headers: [(String, String)] = []) async throws -> Response {
        try await send(.GET, address, headers: headers, body: nil)
    }

    /// POSTs `body`; the answer whatever its status.
    func post(_ address: String, headers: [(String, String)] = [], body: [UInt8]) async throws -> Response {
        try await send(.POST, address, headers: headers, body: body)
    }

    func send(_ method: HTTPMethod, _ address: String, headers: [(String, String)], body: [UInt8]?)
        async throws -> Response
    {
        guard let url = URL(string: address), let scheme = url.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty
        else { throw CoreReconError.unavailable("the URL is not an http(s) URL") }
        var request = HTTPClientRequest(url: address)
        request.method = method
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        request.headers.add(name: "User-Agent", value: "corerecon")
        for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
        let limit = maximumBytes
        let seconds = Int64(timeout.seconds.rounded(.up))
        do {
            let response = try await sharedClient.execute(request, timeout: .seconds(seconds))
            let body = try await response.body.collect(upTo: limit)
            return Response(status: Int(response.status.code), headers: response.headers, body: Array(buffer: body))
        } catch is NIOTooManyBytesError {
            throw CoreReconError.unavailable("the answer is larger than \(limit >> 20) MB")
        } catch let error as HTTPClientError {
            throw CoreReconError.unavailable(Self.describe(error))
        } catch let error as CoreReconError {
            throw error
        } catch let error as IOError {
            throw CoreReconError.unavailable(String(cString: strerror(error.errnoCode)).lowercased())
        } catch let error as NIOConnectionError {
            let causes = error.connectionErrors.map { "\($0.error)" }
            throw CoreReconError.unavailable("cannot connect to \(host): " + (causes.first ?? "\(error)"))
        } catch {
            throw CoreReconError.unavailable(String(describing: error))
        }
    }

    static func describe(_ error: HTTPClientError) -> String {
        switch error {
        case .deadlineExceeded, .readTimeout: "no complete answer in time"
        case .connectTimeout: "the connection timed out"
        case .remoteConnectionClosed: "the server closed the connection before the answer was complete"
        case .redirectLimitReached: "more than 5 redirects"
        case .redirectCycleDetected: "the redirects go round in a cycle"
        default: String(describing: error)
        }
    }
}

/// Downloads one document (the ATT&CK bundles): the body of a 200 answer, anything else an error naming the URL.
struct HTTPDownloader: Sendable {
    /// The whole download, redirects included.
    let timeout: Duration

    func download(_ address: String) async throws -> [UInt8] {
        do {
            let response = try await HTTPFetcher(timeout: timeout).get(
                address, headers: [("Accept", "application/json")])
            guard response.status == 200 else {
                throw CoreReconError.unavailable(
                    "HTTP \(response.status) \(HTTPResponseStatus(statusCode: response.status).reasonPhrase)")
            }
            return response.body
        } catch let error as CoreReconError {
            if case .unavailable(let reason) = error { throw Self.failure(address, reason) }
            throw error
        }
    }

    private static func failure(_ address: String, _ reason: String) -> CoreReconError {
        .unavailable(
            "cannot download \(address): \(reason). Check the network (or --url / mitre.syncURL); "
                + "`corerecon mitre import FILE` imports a bundle downloaded another way. Nothing was changed.")
    }
}
