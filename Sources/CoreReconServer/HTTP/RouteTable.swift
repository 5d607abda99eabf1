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
    /// A rule the handler adds to the permission, for the README's matrix ("analyst: manual playbooks only").
    public var roleNote: String?
    /// Parameters, body and responses, for the OpenAPI document.
    public var operation = APIOperation()

    /// The OpenAPI operationId: `get_api_v1_alerts_id` for `GET /api/v1/alerts/{id}`.
    public var operationID: String {
        method.rawValue.lowercased()
            + path.replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "-", with: "_")
            .replacingOccurrences(of: "{", with: "").replacingOccurrences(of: "}", with: "")
            .replacingOccurrences(of: ".", with: "_")
    }
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
        acceptsSignature: Bool = false, roleNote: String? = nil, _ operation: APIOperation = APIOperation(),
        _ handler: @escaping @Sendable (Request, AppContext) async throws -> Response
    ) {
        routes.append(
            APIRoute(
                method: method, path: path, permission: permission, summary: summary, tag: tag,
                acceptsSignature: acceptsSignature, roleNote: roleNote, operation: operation))
        let parameters = operation.query
        let declared = Set(parameters.map(\.name))
        let hummingbirdPath = path.split(separator: "/").map { segment in
            segment.hasPrefix("{") && segment.hasSuffix("}") ? ":" + segment.dropFirst().dropLast() : segment
        }.joined(separator: "/")
        router.on(RouterPath(hummingbirdPath), method: method) { request, context in
            // A signed route checks the signature itself when no credentials came.
            if let permission, !(acceptsSignature && context.identity == nil) { _ = try context.require(permission) }
            // The query parameters as the document declares them; the handler parses what passed.
            for parameter in parameters {
                let values = request.uri.queryParameters.getAll(parameter.name)
                guard values.count <= 1 else { throw APIError.badRequest("give \(parameter.name) once.") }
                if values.isEmpty && parameter.isRequired { throw APIError.badRequest("give \(parameter.name).") }
                if let value = values.first, let problem = parameter.problem(with: String(value)) {
                    throw APIError.badRequest(problem)
                }
            }
            // A client that names the API version it speaks (corerecon's own sends CoreRecon-API) is held to the
            // document: a parameter it declares nowhere is a contract broken, said so instead of ignored.
            if request.headers[.coreReconAPI] != nil {
                for (name, _) in request.uri.queryParameters where !declared.contains(String(name)) {
                    throw APIError.badRequest(
                        "\(name) is not a query parameter of \(method) \(path)"
                            + (declared.isEmpty ? "." : " (it takes \(declared.sorted().joined(separator: ", ")))."))
                }
            }
            return try await handler(request, context)
        }
    }
}

/// A request body with rules beyond its fields' types, checked once it is decoded.
protocol CheckedBody: Decodable {
    func check() throws
}

/// JSON bodies in and out.
enum Body {
    /// Refuses text given but blank, where the document says the field needs some (`"pattern": "\\S"`).
    static func requireText(_ value: String?, _ field: String) throws {
        if let value, value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw APIError.badRequest("`\(field)` is blank.")
        }
    }

    /// Refuses a value given but not one of `values` (the field's enum in the document).
    static func requireChoice(_ value: String?, _ field: String, _ values: [String]) throws {
        if let value, !values.contains(value) {
            throw APIError.badRequest("`\(field)` must be one of \(values.joined(separator: ", ")).")
        }
    }

    /// The request body as JSON, with syntax errors answered as 400 naming the byte position.
    static func json(_ request: Request, limit: Int) async throws -> ByteBuffer {
        var request = request
        return try validJSON(try await request.collectBody(upTo: limit))
    }

    /// `buffer`, once it is known to be JSON; else a 400 naming the byte position.
    static func validJSON(_ buffer: ByteBuffer) throws -> ByteBuffer {
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
        return try decode(T.self, from: buffer)
    }

    /// `buffer` decoded as `T`. One of T's fields given as null is refused rather than taken as absent: the
    /// document says what each field takes, and null is not among it. Other fields are ignored.
    static func decode<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer) throws -> T {
        // NUL becomes U+FFFD, as in ingested alerts: PostgreSQL's text cannot hold it.
        let bytes = withoutNULEscapes(buffer.readableBytesView)
        do {
            let value = try decoder.decode(T.self, from: Data(bytes))
            if case .object(let members)? = try? JSONParser.parse(buffer.readableBytesView) {
                let fields = Set(Mirror(reflecting: value).children.compactMap(\.label))
                if let field = members.first(where: { $0.value == .null && fields.contains($0.key) }) {
                    throw APIError.badRequest("`\(field.key)` is null; leave it out or give a value.")
                }
            }
            try (value as? any CheckedBody)?.check()
            return value
        } catch let DecodingError.keyNotFound(key, context) {
            throw APIError.badRequest("the body lacks `\(path(context.codingPath + [key]))`.")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw APIError.badRequest("`\(path(context.codingPath))` has the wrong type: \(context.debugDescription)")
        } catch let DecodingError.dataCorrupted(context) {
            throw APIError.badRequest("`\(path(context.codingPath))`: \(context.debugDescription)")
        }
    }

    /// JSON text with each escaped NUL (`\u0000`, not `\\u0000`) written as `\uFFFD`.
    static func withoutNULEscapes(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var bytes = Array(bytes)
        var index = 0
        while index + 5 < bytes.count {
            guard bytes[index] == UInt8(ascii: "\\") else {
                index += 1
                continue
            }
            // An escape: `\\` is a backslash (skip both); `\u0000` is NUL.
            if bytes[index + 1] == UInt8(ascii: "u"), bytes[(index + 2)...(index + 5)].allSatisfy({ $0 == 0x30 }) {
                bytes.replaceSubrange((index + 2)...(index + 5), with: Array("FFFD".utf8))
            }
            index += 2
        }
        return bytes
    }

    static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }

    static let decoder = JSONDecoder.rfc3339()

    static let encoder = JSONEncoder.rfc3339Encoder()

    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:])
        throws -> Response
    {
        let data = try encoder.encode(value)
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
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
            var note = route.acceptsSignature ? " (or an HMAC signature, no key)" : ""
            if let roleNote = route.roleNote { note += " (\(roleNote))" }
            lines.append("| `\(route.method.rawValue) \(route.path)`\(note) | " + cells.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
