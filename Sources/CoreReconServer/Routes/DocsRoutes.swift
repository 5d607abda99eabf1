import CoreRecon
import Foundation
import Hummingbird
import NIOCore

/// The OpenAPI 3.1 document, generated from the route table, and a page that lists it.
enum OpenAPIDocument {
    static func make(routes: [APIRoute], version: String) -> JSONValue {
        var paths: [String: [JSONMember]] = [:]
        var order: [String] = []
        for route in routes {
            if paths[route.path] == nil { order.append(route.path) }
            var operation: [JSONMember] = [
                JSONMember("summary", .string(route.summary)), JSONMember("tags", .array([.string(route.tag)])),
                JSONMember(
                    "operationId",
                    .string(
                        route.method.rawValue.lowercased()
                            + route.path.replacingOccurrences(of: "/", with: "_")
                            .replacingOccurrences(of: "{", with: "").replacingOccurrences(of: "}", with: ""))),
            ]
            let parameters = route.path.split(separator: "/").filter { $0.hasPrefix("{") }.map { segment in
                JSONValue.object([
                    JSONMember("name", .string(String(segment.dropFirst().dropLast()))),
                    JSONMember("in", .string("path")), JSONMember("required", .bool(true)),
                    JSONMember("schema", .object([JSONMember("type", .string("string"))])),
                ])
            }
            if !parameters.isEmpty { operation.append(JSONMember("parameters", .array(parameters))) }
            if let permission = route.permission {
                operation.append(JSONMember("security", .array([.object([JSONMember("bearer", .array([]))])])))
                let roles = Role.allCases.filter { $0.permissions.contains(permission) }.map(\.rawValue)
                operation.append(JSONMember("x-roles", .array(roles.map(JSONValue.string))))
                if route.acceptsSignature {
                    operation.append(
                        JSONMember(
                            "x-signature",
                            .string(
                                "Or X-CoreRecon-Signature: t=UNIX_SECONDS,v1=HMAC_SHA256_HEX(secret, t + \".\" + body)")
                        ))
                }
            } else {
                operation.append(JSONMember("security", .array([])))
            }
            operation.append(
                JSONMember(
                    "responses",
                    .object([
                        JSONMember("2XX", .object([JSONMember("description", .string("Success"))])),
                        JSONMember(
                            "default",
                            .object([
                                JSONMember("description", .string("An RFC 9457 problem document")),
                                JSONMember(
                                    "content",
                                    .object([
                                        JSONMember(
                                            "application/problem+json",
                                            .object([
                                                JSONMember(
                                                    "schema",
                                                    .object([
                                                        JSONMember("$ref", .string("#/components/schemas/Problem"))
                                                    ]))
                                            ]))
                                    ])),
                            ])),
                    ])))
            paths[route.path, default: []].append(JSONMember(route.method.rawValue.lowercased(), .object(operation)))
        }
        let problem: JSONValue = .object([
            JSONMember("type", .string("object")),
            JSONMember(
                "properties",
                .object(
                    ["type", "title", "detail", "instance", "requestId"].map {
                        JSONMember($0, .object([JSONMember("type", .string("string"))]))
                    } + [JSONMember("status", .object([JSONMember("type", .string("integer"))]))])),
        ])
        return .object([
            JSONMember("openapi", .string("3.1.0")),
            JSONMember(
                "info",
                .object([
                    JSONMember("title", .string("CoreRecon API")), JSONMember("version", .string(version)),
                    JSONMember(
                        "description",
                        .string(
                            "Alerts, incidents and ATT&CK over HTTP. Authenticate with `Authorization: Bearer` and an access token from /api/v1/auth/token or an API key; x-roles lists the roles allowed on each operation."
                        )),
                ])),
            JSONMember("paths", .object(order.map { JSONMember($0, .object(paths[$0] ?? [])) })),
            JSONMember(
                "components",
                .object([
                    JSONMember("schemas", .object([JSONMember("Problem", problem)])),
                    JSONMember(
                        "securitySchemes",
                        .object([
                            JSONMember(
                                "bearer",
                                .object([JSONMember("type", .string("http")), JSONMember("scheme", .string("bearer"))]))
                        ])),
                ])),
        ])
    }

    /// A self-contained HTML page listing the operations (no external scripts).
    static func page(routes: [APIRoute]) -> String {
        func escape(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;")
        }
        let rows = routes.map { route in
            let roles =
                route.permission.map { permission in
                    Role.allCases.filter { $0.permissions.contains(permission) }.map(\.rawValue).joined(separator: ", ")
                } ?? "public"
            return "<tr><td><code>\(route.method.rawValue)</code></td><td><code>\(escape(route.path))</code></td>"
                + "<td>\(escape(route.summary))</td><td>\(roles)</td></tr>"
        }.joined(separator: "\n")
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>CoreRecon API</title>
            <style>body{font-family:system-ui,sans-serif;margin:2rem}td,th{padding:.3rem .6rem;text-align:left;border-bottom:1px solid #ddd}</style>
            </head><body>
            <h1>CoreRecon API</h1>
            <p>The machine-readable description is <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI 3.1).
            Errors are <code>application/problem+json</code> (RFC 9457).</p>
            <table><tr><th>Method</th><th>Path</th><th>What</th><th>Roles</th></tr>
            \(rows)
            </table></body></html>
            """
    }
}
