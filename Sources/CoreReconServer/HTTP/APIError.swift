import CoreRecon
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// An error answered as RFC 9457 `application/problem+json`.
public struct APIError: Error, Sendable {
    public var status: HTTPResponse.Status
    public var title: String
    public var detail: String
    /// Extra members of the problem document (`allowed`, `position`, ...).
    public var extra: [String: String] = [:]
    public var headers: HTTPFields = [:]

    public init(status: HTTPResponse.Status, detail: String, extra: [String: String] = [:]) {
        self.status = status
        self.title = status.reasonPhrase
        self.detail = detail
        self.extra = extra
    }

    public static func unauthorized(_ detail: String) -> APIError {
        var error = APIError(status: .unauthorized, detail: detail)
        error.headers[.wwwAuthenticate] = #"Bearer realm="corerecon""#
        return error
    }

    public static func forbidden(_ detail: String) -> APIError { APIError(status: .forbidden, detail: detail) }
    public static func badRequest(_ detail: String) -> APIError { APIError(status: .badRequest, detail: detail) }
    public static func notFound(_ detail: String) -> APIError { APIError(status: .notFound, detail: detail) }
    /// Checks a URL given for the server to fetch from (a feed, a TAXII root, an ATT&CK bundle): 400 for a scheme
    /// other than http(s), which the schema's pattern states; 422 for an http(s) address that does not parse, has
    /// no host or a port out of range, which would be accepted and fail only when fetched.
    public static func requireFetchable(_ url: String, _ field: String) throws {
        guard url.hasHTTPScheme else { throw badRequest("\(field) must be an http:// or https:// URL.") }
        guard url.isHTTPURL else {
            throw APIError(
                status: .unprocessableContent,
                detail: "\(field) '\(url)' cannot be fetched: it needs a host, and a port from 1 to 65535.")
        }
    }

    /// 424: something the server depends on for this request (a feed's server, MITRE's) failed; nothing changed.
    public static func failedDependency(_ detail: String) -> APIError {
        APIError(status: .init(code: 424, reasonPhrase: "Failed Dependency"), detail: detail)
    }

    /// The HTTP answer for a CoreRecon error.
    public init(_ error: CoreReconError) {
        switch error {
        case .notFound: self.init(status: .notFound, detail: "\(error)")
        case .conflict: self.init(status: .conflict, detail: "\(error)")
        case .denied: self.init(status: .forbidden, detail: "\(error)")
        case .invalidInput: self.init(status: .unprocessableContent, detail: "\(error)")
        case .unavailable:
            // The database is away (restarting, unreachable): nothing was stored; the client should come back.
            self.init(status: .serviceUnavailable, detail: "\(error)")
            headers[.retryAfter] = "2"
        case .configuration, .schemaBehind, .schemaNewer, .failed:
            self.init(status: .internalServerError, detail: "\(error)")
        }
    }

    /// The problem document.
    func response(instance: String, requestID: String) -> Response {
        var members: [String: String] = extra
        members["type"] = "about:blank"
        members["title"] = title
        members["detail"] = detail
        members["instance"] = instance
        members["requestId"] = requestID
        var object: [JSONMember] = members.sorted { $0.key < $1.key }.map { JSONMember($0.key, .string($0.value)) }
        object.append(JSONMember("status", .int(status.code)))
        var headers = self.headers
        headers[.contentType] = "application/problem+json"
        return Response(
            status: status, headers: headers,
            body: .init(byteBuffer: ByteBuffer(string: JSONValue.object(object).jsonString)))
    }
}
