import CoreRecon
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// One API route: what it does and the permission it needs. The table is the single source for registration,
/// authorization, the OpenAPI document and the README's role matrix.
public struct APIRoute: Sendable {
    public var method: HTTPRequest.Method
    /// OpenAPI-style path: `/api/v1/alerts/{id}`.
    public var path: String
    /// Nil for the public routes (health, docs, the token endpoint).
    public var permission: Permission?
    public var summary: String
    /// The OpenAPI tag (the feature it belongs to).
    public var tag: String
    /// True when a request may instead prove itself with an HMAC signature of its body (webhooks).
    public var acceptsSignature = false
}

/// Collects routes and registers each with its permission check in front, so no route can forget one.
struct RouteTable {
    private(set) var routes: [APIRoute] = []
    let router: Router<AppContext>

    init(router: Router<AppContext>) {
        self.router = router
    }

    /// Lists a route registered some other way (the WebSocket stream).
    mutating func document(_ route: APIRoute) {
        routes.append(route)
    }

    mutating func add(
        _ method: HTTPRequest.Method, _ path: String, _ permission: Permission?, tag: String, _ summary: String,
        acceptsSignature: Bool = false,
        _ handler: @escaping @Sendable (Request, AppContext) async throws -> Response
    ) {
        routes.append(
            APIRoute(
                method: method, path: path, permission: permission, summary: summary, tag: tag,
                acceptsSignature: acceptsSignature))
        let hummingbirdPath = path.split(separator: "/").map { segment in
            segment.hasPrefix("{") && segment.hasSuffix("}") ? ":" + segment.dropFirst().dropLast() : segment
        }.joined(separator: "/")
        router.on(RouterPath(hummingbirdPath), method: method) { request, context in
            // A signed route checks the signature itself when no credentials came.
            if let permission, !(acceptsSignature && context.identity == nil) { _ = try context.require(permission) }
            return try await handler(request, context)
        }
    }
}

/// JSON bodies in and out.
enum Body {
    /// The request body as JSON, with syntax errors answered as 400 naming the byte position.
    static func json(_ request: Request, limit: Int) async throws -> ByteBuffer {
        var request = request
        let buffer = try await request.collectBody(upTo: limit)
        do {
            _ = try JSONParser.parse(buffer.readableBytesView)
        } catch {
            throw APIError(
                status: .badRequest, detail: "the body is not valid JSON: \(error)",
                extra: ["position": "\(error.offset + 1)"])
        }
        return buffer
    }

    /// The body decoded as `T`; a missing or mistyped field is a 400 naming it.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int) async throws -> T {
        let buffer = try await json(request, limit: limit)
        do {
            return try decoder.decode(T.self, from: Data(buffer.readableBytesView))
        } catch let DecodingError.keyNotFound(key, context) {
            throw APIError.badRequest("the body lacks `\(path(context.codingPath + [key]))`.")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw APIError.badRequest("`\(path(context.codingPath))` has the wrong type: \(context.debugDescription)")
        } catch let DecodingError.dataCorrupted(context) {
            throw APIError.badRequest("`\(path(context.codingPath))`: \(context.debugDescription)")
        }
    }

    static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(ISO8601Format.string(from: date))
        }
        return encoder
    }()

    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try encoder.encode(value)
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func response(json value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        var bytes: [UInt8] = []
        value.write(to: &bytes)
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

extension Request {
    /// A query parameter, or nil when absent or empty.
    func query(_ name: String) -> String? {
        uri.queryParameters.get(name).flatMap { $0.isEmpty ? nil : $0 }
    }
}

extension APIRoute {
    /// The route × role table of the README: one row per route, ✓ where the role may call it.
    public static func roleMatrix(_ routes: [APIRoute]) -> String {
        let roles = Role.allCases
        var lines = [
            "| route | " + roles.map(\.rawValue).joined(separator: " | ") + " |",
            "|---|" + roles.map { _ in ":-:|" }.joined(),
        ]
        for route in routes {
            let cells = roles.map { role -> String in
                guard let permission = route.permission else { return "public" }
                let allowed = role.permissions.contains(permission)
                return allowed ? "✓" : ""
            }
            let note = route.acceptsSignature ? " (or an HMAC signature, no key)" : ""
            lines.append("| `\(route.method.rawValue) \(route.path)`\(note) | " + cells.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
