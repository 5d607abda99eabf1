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
            paths[route.path, default: []].append(JSONMember(route.method.rawValue.lowercased(), operation(route)))
        }
        return .object([
            JSONMember("openapi", .string("3.1.0")),
            JSONMember(
                "info",
                .object([
                    JSONMember("title", .string("CoreRecon API")), JSONMember("version", .string(version)),
                    JSONMember(
                        "description",
                        .string(
                            "Alerts, incidents and ATT&CK over HTTP. Authenticate with `Authorization: Bearer` and an access token from /api/v1/auth/token or an API key; x-roles lists the roles allowed on each operation. Errors are RFC 9457 problem documents."
                        )),
                ])),
            JSONMember("paths", .object(order.map { JSONMember($0, .object(paths[$0] ?? [])) })),
            JSONMember(
                "components",
                .object([
                    JSONMember("schemas", .object(APISchemas.components.map { JSONMember($0.0, $0.1) })),
                    JSONMember(
                        "securitySchemes",
                        .object([
                            JSONMember(
                                "bearer",
                                .object([
                                    JSONMember("type", .string("http")), JSONMember("scheme", .string("bearer")),
                                    JSONMember(
                                        "description",
                                        .string(
                                            "An access token from /api/v1/auth/token, or an API key (crk_...)."
                                        )),
                                ])),
                            JSONMember(
                                "signature",
                                .object([
                                    JSONMember("type", .string("apiKey")), JSONMember("in", .string("header")),
                                    JSONMember("name", .string("X-CoreRecon-Signature")),
                                    JSONMember(
                                        "description",
                                        .string(
                                            "t=UNIX_SECONDS,v1=HMAC_SHA256_HEX(secret, t + \".\" + body), with the source's CORERECON_WEBHOOK_SECRET_<SOURCE>; within 5 minutes, once."
                                        )),
                                ])),
                        ])),
                ])),
        ])
    }

    /// One operation object.
    static func operation(_ route: APIRoute) -> JSONValue {
        let spec = route.operation
        var members: [JSONMember] = [
            JSONMember("summary", .string(route.summary)), JSONMember("tags", .array([.string(route.tag)])),
            JSONMember("operationId", .string(route.operationID)),
        ]
        let pathParameters = route.path.split(separator: "/").filter { $0.hasPrefix("{") }.map { segment in
            let name = String(segment.dropFirst().dropLast())
            return JSONValue.object([
                JSONMember("name", .string(name)), JSONMember("in", .string("path")),
                JSONMember("required", .bool(true)),
                JSONMember("schema", pathParameterSchemas[route.path + " " + name] ?? Schema.string(minLength: 1)),
            ])
        }
        let headers = spec.headers.map { header in
            JSONValue.object([
                JSONMember("name", .string(header.name)), JSONMember("in", .string("header")),
                JSONMember("description", .string(header.description)), JSONMember("schema", header.schema),
            ])
        }
        let parameters = pathParameters + spec.query.map(\.document) + headers
        if !parameters.isEmpty { members.append(JSONMember("parameters", .array(parameters))) }
        if let body = spec.body {
            var bodyMembers = [
                JSONMember("required", .bool(body.isRequired)),
                JSONMember(
                    "content",
                    .object(body.contentTypes.map { JSONMember($0, .object([JSONMember("schema", body.schema)])) })),
            ]
            if !body.description.isEmpty {
                bodyMembers.insert(JSONMember("description", .string(body.description)), at: 0)
            }
            members.append(JSONMember("requestBody", .object(bodyMembers)))
        }
        if let permission = route.permission {
            var schemes: [JSONValue] = [.object([JSONMember("bearer", .array([]))])]
            if route.acceptsSignature { schemes.append(.object([JSONMember("signature", .array([]))])) }
            members.append(JSONMember("security", .array(schemes)))
            let roles = Role.allCases.filter { $0.permissions.contains(permission) }.map(\.rawValue)
            members.append(JSONMember("x-roles", .array(roles.map(JSONValue.string))))
        } else {
            members.append(JSONMember("security", .array([])))
        }
        members.append(JSONMember("responses", .object(responses(route))))
        return .object(members)
    }

    /// The success responses the route declares, then the problems its shape implies.
    static func responses(_ route: APIRoute) -> [JSONMember] {
        var members: [JSONMember] = route.operation.responses.map { response in
            var object = [JSONMember("description", .string(response.description))]
            if !response.headers.isEmpty {
                object.append(
                    JSONMember(
                        "headers",
                        .object(
                            response.headers.map { header in
                                JSONMember(
                                    header.name,
                                    .object([
                                        JSONMember("description", .string(header.description)),
                                        JSONMember("schema", header.schema),
                                    ]))
                            })))
            }
            if !response.content.isEmpty {
                object.append(
                    JSONMember(
                        "content",
                        .object(
                            response.content.map { JSONMember($0.type, .object([JSONMember("schema", $0.schema)])) })))
            }
            if !response.links.isEmpty {
                object.append(JSONMember("links", .object(response.links.map { JSONMember($0.name, $0.link) })))
            }
            return JSONMember(String(response.status), .object(object))
        }
        if members.isEmpty {
            members.append(JSONMember("200", .object([JSONMember("description", .string("Success"))])))
        }
        var problems: [(Int, String)] = []
        let isAPI = route.path.hasPrefix("/api/")
        if route.operation.body != nil || !route.operation.query.isEmpty || route.permission == nil && isAPI {
            problems.append((400, "The request is malformed: the problem names the field or parameter."))
        }
        if route.permission != nil {
            problems.append((401, "No credentials, or credentials that are not valid."))
            problems.append((403, "The credentials' role may not do this."))
        }
        if route.path.contains("{") { problems.append((404, "No such resource.")) }
        if route.operation.body != nil || !route.operation.query.isEmpty {
            problems.append(
                (422, "The request is well-formed but its content is not acceptable: the problem says why."))
        }
        problems += route.operation.problems
        if route.operation.body != nil || route.method == .post { problems.append((413, "The body is too large.")) }
        if isAPI { problems.append((429, "Too many requests; wait for Retry-After seconds.")) }
        problems.append(
            (503, "The database is unavailable or the server is stopping; retry after Retry-After seconds."))
        let problem = JSONValue.object([
            JSONMember(
                "application/problem+json", .object([JSONMember("schema", Schema.ref("Problem"))]))
        ])
        for (status, description) in problems where !members.contains(where: { $0.key == String(status) }) {
            members.append(
                JSONMember(
                    String(status),
                    .object([JSONMember("description", .string(description)), JSONMember("content", problem)])))
        }
        members.append(
            JSONMember(
                "default",
                .object([
                    JSONMember("description", .string("Another problem (RFC 9457).")), JSONMember("content", problem),
                ])))
        return members
    }

    /// Path parameters narrower than "a non-empty string".
    static let pathParameterSchemas: [String: JSONValue] = {
        let number = Schema.integer(1...Int(Int64.max))
        let incident = Schema.string("IR-2026-0001, or IR-0001 for this year.", pattern: IncidentRoutes.keyPattern)
        var schemas: [String: JSONValue] = [
            "/api/v1/webhooks/{source} source": Schema.string(
                "The format of the records, or auto to detect it.",
                enumeration: ["auto"] + AlertFormat.allCases.map(\.rawValue)),
            "/api/v1/attack/techniques/{id} id": Schema.string(pattern: QueryParameter.techniquePattern),
        ]
        for path in [
            "/api/v1/alerts/{id}", "/api/v1/alerts/{id}/related", "/api/v1/alerts/{id}/history",
            "/api/v1/alerts/{id}/explain", "/api/v1/alerts/{id}/techniques",
            "/api/v1/alerts/{id}/techniques/{technique}",
        ] {
            schemas[path + " id"] = number
        }
        schemas["/api/v1/alerts/{id}/techniques/{technique} technique"] = Schema.string(
            pattern: QueryParameter.techniquePattern)
        for suffix in [
            "", "/close", "/reopen", "/observables", "/timeline", "/techniques", "/tasks", "/tasks/{number}", "/report",
            "/evidence", "/evidence/{number}", "/evidence/{number}/verify", "/evidence/{number}/custody", "/history",
        ] {
            schemas["/api/v1/incidents/{id}\(suffix) id"] = incident
        }
        schemas["/api/v1/incidents/{id}/tasks/{number} number"] = number
        for suffix in ["", "/sightings", "/revoke"] { schemas["/api/v1/iocs/{id}\(suffix) id"] = number }
        for suffix in ["", "/verify", "/custody"] {
            schemas["/api/v1/incidents/{id}/evidence/{number}\(suffix) number"] = number
        }
        schemas["/api/v1/notifications/{id}/retry id"] = number
        let feedName = Schema.string("Letters, digits, '.', '_' or '-'.", pattern: "^[A-Za-z0-9._-]{1,64}$")
        for suffix in ["", "/pull"] { schemas["/api/v1/ioc-feeds/{name}\(suffix) name"] = feedName }
        let reference = Schema.string(
            "An alert id, or an incident (IR-2026-0001, IR-0001).",
            pattern: "^([1-9][0-9]{0,17}|" + IncidentRoutes.keyPattern.dropFirst().dropLast() + ")$")
        for verb in ["pause", "resume"] { schemas["/api/v1/sla/{ref}/\(verb) ref"] = reference }
        let playbookName = Schema.string(
            "Letters, digits, '.', '_' or '-'.", pattern: "^[A-Za-z0-9._-]{1,100}$")
        for suffix in ["", "/test", "/run", "/enable", "/disable"] {
            schemas["/api/v1/playbooks/{name}\(suffix) name"] = playbookName
        }
        for suffix in ["", "/cancel", "/retry"] { schemas["/api/v1/playbook-runs/{id}\(suffix) id"] = number }
        let accountName = Schema.string(
            "1–64 letters, digits, '.', '_', '-' or '@'.", pattern: AccountRoutes.namePattern)
        schemas["/api/v1/users/{name} name"] = accountName
        schemas["/api/v1/api-keys/{name}/revoke name"] = accountName
        return schemas
    }()

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
