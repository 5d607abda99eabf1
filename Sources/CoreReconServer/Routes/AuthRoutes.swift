import CoreRecon
import CoreReconStore
import Foundation
import Hummingbird
import NIOCore

/// `POST /api/v1/auth/token` (OAuth2 password and refresh-token grants, RFC 6749) and `POST /api/v1/auth/revoke`
/// (RFC 7009). Both take `application/x-www-form-urlencoded` bodies.
struct AuthRoutes {
    let services: AppServices
    let tokens: AccessTokens

    func register(on table: inout RouteTable) {
        table.add(
            .post, "/api/v1/auth/token", nil, tag: "auth",
            "OAuth2 token endpoint: grant_type=password (username, password) or refresh_token (refresh_token).",
            APIOperation(
                body: RequestBody(
                    description: "RFC 6749 form fields.", contentTypes: ["application/x-www-form-urlencoded"],
                    schema: Schema.ref("TokenRequest")),
                responses: [.json(200, "An access token and a refresh token (RFC 6749).", Schema.ref("TokenResponse"))])
        ) { request, _ in
            let form = try await Self.form(request)
            let auth = services.auth
            let user: User
            let refresh: String
            switch form["grant_type"] {
            case "password":
                guard let name = form["username"], let password = form["password"] else {
                    throw AuthError.invalidRequest("the password grant needs username and password.")
                }
                guard let found = try await auth.authenticate(name: name, password: password) else {
                    throw AuthError.invalidGrant("wrong user name or password, or the user is disabled.")
                }
                user = found
                refresh = try await auth.issueRefreshToken(for: user)
            case "refresh_token":
                guard let token = form["refresh_token"] else {
                    throw AuthError.invalidRequest("the refresh_token grant needs refresh_token.")
                }
                (user, refresh) = try await auth.rotate(refreshToken: token)
            case let other:
                throw AuthError.unsupportedGrantType(
                    "grant_type \(other.map { "'\($0)'" } ?? "is missing"); use password or refresh_token.")
            }
            let access = try await tokens.issue(for: user, now: services.now())
            var response = Body.response(
                json: .object([
                    JSONMember("access_token", .string(access)), JSONMember("token_type", .string("Bearer")),
                    JSONMember("expires_in", .int(Int(tokens.lifetime))), JSONMember("refresh_token", .string(refresh)),
                    JSONMember("role", .string(user.role.rawValue)),
                ]))
            response.headers[.cacheControl] = "no-store"
            return response
        }
        table.add(
            .post, "/api/v1/auth/revoke", nil, tag: "auth", "Revoke a refresh token and its whole sign-in.",
            APIOperation(
                body: RequestBody(
                    description: "RFC 7009 form fields.", contentTypes: ["application/x-www-form-urlencoded"],
                    schema: Schema.object(
                        [("token", Schema.string("The refresh token.", minLength: 1))], required: ["token"])),
                responses: [APIResponse(status: 200, description: "Revoked, or unknown (RFC 7009).", content: [])])
        ) {
            request, _ in
            let form = try await Self.form(request)
            guard let token = form["token"], !token.isEmpty else {
                throw AuthError.invalidRequest("give token=REFRESH_TOKEN.")
            }
            // RFC 7009: an unknown token is not an error.
            _ = try await services.auth.revoke(refreshToken: token)
            return Response(status: .ok)
        }
    }

    /// The fields of a form-encoded body.
    static func form(_ request: Request) async throws -> [String: String] {
        var request = request
        let body = try await request.collectBody(upTo: 16_384)
        let text = String(buffer: body)
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            // `=value` has no name: split drops the empty name, so the first part would be the value.
            guard pair.first != "=" else { continue }
            // %00 becomes U+FFFD, as in JSON bodies: PostgreSQL's text cannot hold NUL.
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map {
                ($0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0))
                    .replacingOccurrences(of: "\u{0}", with: "\u{FFFD}")
            }
            fields[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        return fields
    }
}

/// `/api/v1/attack`: ATT&CK look-ups (imported data, else the embedded catalog) and coverage.
struct AttackRoutes {
    let services: AppServices
    let bodyLimit: Int

    func register(on table: inout RouteTable) {
        let domain = QueryParameter(
            "domain", .choice(ATTACKDomain.allCases.map(\.shortName)),
            "Only this domain (default: every imported one, else the embedded Enterprise catalog).")
        let catalogHeader: [(String, String, JSONValue)] = [
            (RemoteATTACK.catalogHeader, "The catalog that answered.", Schema.string())
        ]
        table.add(
            .get, "/api/v1/attack/tactics", .read, tag: "attack", "Tactics in matrix order.",
            APIOperation(
                query: [domain],
                responses: [
                    .json(200, "The tactics.", Schema.array(Schema.ref("Tactic")), headers: catalogHeader)
                ])
        ) {
            request, _ in
            let catalog = try await services.attack.catalog(domain: try Self.domain(request))
            return try Body.response(catalog.tactics, headers: [.coreReconCatalog: catalog.source])
        }
        table.add(
            .get, "/api/v1/attack/techniques", .read, tag: "attack", "Techniques (tactic, platform, search).",
            APIOperation(
                query: [
                    QueryParameter(
                        "tactic", .text(maxLength: 200),
                        "A tactic: id (TA0006), short name (credential-access) or name."),
                    QueryParameter("platform", .text(maxLength: 200), "A platform (Windows, Linux, macOS, ...)."),
                    QueryParameter("search", .text(maxLength: 1_000), "Words in the id, name or description."),
                    domain,
                ],
                responses: [
                    .json(
                        200, "The matching techniques.", Schema.array(Schema.ref("Technique")), headers: catalogHeader)
                ])
        ) {
            request, _ in
            let catalog = try await services.attack.catalog(domain: try Self.domain(request))
            var tactic: ATTACKTactic?
            if let name = request.query("tactic") {
                guard let found = catalog.tactic(name) else {
                    throw APIError.notFound(
                        "unknown tactic '\(name)'. Tactics: \(catalog.tactics.map(\.shortName).joined(separator: ", "))."
                    )
                }
                tactic = found
            }
            let techniques = catalog.techniques(
                tactic: tactic, platform: request.query("platform"), search: request.query("search"))
            return try Body.response(techniques, headers: [.coreReconCatalog: catalog.source])
        }
        table.add(
            .get, "/api/v1/attack/techniques/{id}", .read, tag: "attack",
            "One technique with tactics, mitigations, groups and software.",
            APIOperation(responses: [.json(200, "The technique.", Schema.ref("TechniqueDetail"))])
        ) { _, context in
            try Body.response(try await services.attack.technique(context.parameters.get("id") ?? ""))
        }
        table.add(
            .get, "/api/v1/attack/coverage", .read, tag: "attack",
            "Techniques seen in alerts or incidents (`from`, `since`), per tactic.",
            APIOperation(
                query: Self.coverageParameters + [domain],
                responses: [.json(200, "Per tactic, the techniques seen and how often.", Schema.ref("Coverage"))])
        ) { request, _ in
            let (source, since) = try coverageScope(request)
            return try Body.response(
                try await services.attack.coverage(from: source, since: since, domain: try Self.domain(request)))
        }
        table.add(
            .post, "/api/v1/attack/sync", .admin, tag: "attack",
            "Download the latest ATT&CK bundle of a domain (from mitre.syncURL, or `url`) and import it.",
            APIOperation(
                query: [
                    QueryParameter(
                        "domain", .choice(ATTACKDomain.allCases.map(\.shortName)), "The domain (default enterprise)."),
                    QueryParameter(
                        "url",
                        .pattern(
                            "^https?://[^/?#\\s\\x00-\\x1f\\x7f][^\\s\\x00-\\x1f\\x7f]{0,1999}$",
                            example: "https://example.org/enterprise-attack.json"),
                        "An http(s) URL to download from instead."),
                ],
                responses: [.json(200, "What the import stored.", Schema.ref("ATTACKImport"))],
                problems: [
                    (
                        422,
                        "url cannot be fetched (no host, a bad port), or the download is not a STIX bundle of the "
                            + "domain."
                    ),
                    (424, "The download failed (offline, refused, timed out): nothing changed."),
                ])
        ) { request, context in
            _ = try context.require(.admin)
            let domain = try Self.domain(request) ?? .enterprise
            if let url = request.query("url") { try APIError.requireFetchable(url, "url") }
            let url = request.query("url") ?? services.config.mitreSyncURL(for: domain.rawValue)
            do {
                return try Body.response(try await services.attack.sync(domain, url: url))
            } catch CoreReconError.unavailable(let reason) {
                throw APIError.failedDependency(reason)
            }
        }
        table.add(
            .post, "/api/v1/attack/bundles", .admin, tag: "attack",
            "Import an ATT&CK STIX bundle (the body, gzip-compressed or not), replacing its domain's earlier import.",
            APIOperation(
                query: [QueryParameter("name", .text(maxLength: 1_000), "The bundle's file name, for messages.")],
                headers: [
                    (
                        "Content-Encoding", "gzip when the body is compressed (up to 64 MB, at most 512 MB inflated).",
                        Schema.string(enumeration: ["gzip", "identity"])
                    )
                ],
                body: .json(Schema.object([], "A STIX 2.0 or 2.1 bundle as MITRE publishes it.")),
                responses: [.json(200, "What the import stored.", Schema.array(Schema.ref("ATTACKImport")))],
                problems: [(422, "The body is not a STIX bundle, or its gzip data is corrupt or too large.")])
        ) { request, context in
            _ = try context.require(.admin)
            let name = request.query("name") ?? "body"
            var request = request
            let body = Array(try await request.collectBody(upTo: max(bodyLimit, Self.bundleLimit)).readableBytesView)
            let bytes =
                request.headers[.contentEncoding]?.lowercased() == "gzip"
                ? try Gzip.decompress(body, limit: Self.inflatedBundleLimit, name: name) : body
            let bundle = try ATTACKBundle.parse(bytes, source: name)
            return try Body.response(try await services.attack.importBundles([bundle]))
        }
        table.add(
            .post, "/api/v1/attack/layers/compare", .read, tag: "attack",
            "Compare an ATT&CK Navigator layer (the body, format 3.0 to 4.5) with the techniques seen; nothing stored.",
            APIOperation(
                query: Self.coverageParameters + [
                    QueryParameter("name", .text(maxLength: 1_000), "The layer's file name, for messages.")
                ],
                body: .json(Schema.object([], "A Navigator layer document.")),
                responses: [
                    .json(
                        200, "The techniques only in the layer, only seen, and in both.", Schema.ref("LayerComparison"))
                ],
                problems: [(422, "The body is not a Navigator layer, or names techniques not in the catalog.")])
        ) { request, _ in
            let (source, since) = try coverageScope(request)
            let name = request.query("name") ?? "layer"
            let body = try await Body.json(request, limit: bodyLimit)
            let layer = try NavigatorLayerDocument.parse(Array(body.readableBytesView), source: name)
            return try Body.response(try await services.attack.compare(layer, source: name, from: source, since: since))
        }
    }

    /// The largest bundle body taken (compressed, when it is), whatever the server's --body-limit: MITRE's
    /// Enterprise bundle is 45 MB, about 8 MB compressed.
    static let bundleLimit = 64 << 20
    /// The most a compressed bundle may inflate to.
    static let inflatedBundleLimit = 512 << 20

    /// What coverage counts: `from` (alerts or incidents) and `since`.
    static let coverageParameters = [
        QueryParameter("from", .choice(["alerts", "incidents"]), "What to count (default alerts)."),
        QueryParameter("since", .time, "From: a duration back from now or a timestamp (default: all)."),
    ]

    /// `from` and `since` of a request.
    func coverageScope(_ request: Request) throws -> (ATTACKCoverageSource, Date?) {
        let source: ATTACKCoverageSource
        switch request.query("from") ?? "alerts" {
        case "alerts": source = .alerts
        case "incidents": source = .incidents
        default: throw APIError.badRequest("from must be alerts or incidents.")
        }
        let since = try request.query("since").map { text throws(CoreReconError) in
            try TimeExpression.parse(text, now: services.now(), option: "since")
        }
        return (source, since)
    }

    /// `domain=enterprise|mobile|ics`, checked by the route's parameters.
    static func domain(_ request: Request) throws -> ATTACKDomain? {
        try request.query("domain").map { name in
            guard let domain = ATTACKDomain(name: name) else { throw APIError.badRequest("unknown domain '\(name)'.") }
            return domain
        }
    }
}
