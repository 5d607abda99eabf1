import CoreRecon
import CoreReconStore
import Foundation
import Hummingbird

/// `PATCH /api/v1/iocs/{id}` and `/api/v1/ioc-feeds`: editing indicators and managing feeds, as `ioc update` and
/// `ioc feed` do. A feed makes the server fetch a URL, so adding or removing one is for admins; pulling one now is
/// triage.
extension IOCRoutes {
    /// Most lines one `POST /api/v1/iocs/match` looks up.
    static let matchLines = 5_000

    func registerEditsAndFeeds(on table: inout RouteTable) {
        table.add(
            .patch, "/api/v1/iocs/{id}", .triage, tag: "iocs",
            "Edit an indicator: TLP, confidence, tags, description, validity, revocation.",
            APIOperation(
                body: .json(IndicatorPatch.schema, "Only the fields given change."),
                responses: [.json(200, "The indicator after the edit.", Schema.ref("Indicator"))])
        ) { request, context in
            let identity = try context.require(.triage)
            let body = try await Body.decode(IndicatorPatch.self, from: request, limit: bodyLimit)
            let found = try await Self.indicator(context, services)
            var change = IndicatorUpdate()
            change.tlp = try body.tlp.map(Self.tlp)
            change.confidence = body.confidence
            change.addTags = body.addTags ?? []
            change.removeTags = body.removeTags ?? []
            change.description = body.description
            change.expires = body.expires
            var edit: IndicatorService.Edit
            do {
                edit = try LocalIndicators.edit(change, now: services.now())
            } catch {
                throw APIError.badRequest("expires must be a duration such as 30d or 12h, or never.")
            }
            edit.revoked = body.revoked
            let updated = try await services.indicators.update(String(found.id), edit, actor: identity.actor)
            return Body.response(json: Self.json(updated, services.indicators.decay, services.now()))
        }
        table.add(
            .post, "/api/v1/iocs/hunt", .triage, tag: "iocs",
            "Match the alerts seen since a time against the active indicators; record the matches not recorded before.",
            APIOperation(
                query: [
                    QueryParameter("since", .time, "From: a duration back from now (30d) or a timestamp; default 30d."),
                    QueryParameter("dryRun", .choice(["true", "false"]), "true: only say what would match."),
                ],
                responses: [
                    .json(
                        200, "The new matches.",
                        Schema.array(
                            Schema.object(
                                [
                                    ("alertID", Schema.integer(1...Int(Int64.max))),
                                    ("indicatorID", Schema.integer(1...Int(Int64.max))),
                                    ("value", Schema.string("The alert's observable that matched.")),
                                    ("type", Schema.string(enumeration: IndicatorType.allCases.map(\.rawValue))),
                                    ("indicator", Schema.string("The indicator's value (a parent domain, a network).")),
                                    ("tags", Schema.array(Schema.string())), ("tlp", Schema.string()),
                                    ("sources", Schema.array(Schema.string())), ("matchedAt", Schema.dateTime()),
                                ],
                                required: [
                                    "alertID", "indicatorID", "value", "type", "indicator", "tags", "sources",
                                    "matchedAt",
                                ])))
                ])
        ) { request, context in
            let identity = try context.require(.triage)
            let since: Date
            do {
                since = try TimeExpression.parse(request.query("since") ?? "30d", now: services.now(), option: "since")
            } catch {
                throw APIError.badRequest("\(error)")
            }
            let matches = try await services.indicators.hunt(
                since: since, record: request.query("dryRun") != "true", actor: identity.actor)
            return try Body.response(matches)
        }
        table.add(
            .post, "/api/v1/iocs/match", .read, tag: "iocs",
            "Look lines of text up among the active indicators, as `ioc match` does: each hit with its line.",
            APIOperation(
                body: .json(
                    Schema.object(
                        [
                            (
                                "lines",
                                Schema.array(
                                    Schema.string(), minItems: 0, maxItems: Self.matchLines,
                                    "Log lines, NDJSON, CSV: any text, a line each.")
                            )
                        ], required: ["lines"])),
                responses: [
                    .json(
                        200, "The hits, in line order.",
                        Schema.object(
                            [
                                (
                                    "hits",
                                    Schema.array(
                                        Schema.object(
                                            [
                                                ("line", Schema.integer(0...Self.matchLines, "The line's index.")),
                                                ("found", Schema.string("The text as found on the line.")),
                                                (
                                                    "indicator",
                                                    Schema.object(
                                                        [], "The indicator: id, type, value, score, tlp, tags, sources."
                                                    )
                                                ),
                                            ], required: ["line", "found", "indicator"]))
                                )
                            ], required: ["hits"]))
                ])
        ) { request, _ in
            let body = try JSONParser.parse(try await Body.json(request, limit: bodyLimit).readableBytesView)
            guard let values = body[key: "lines"]?.arrayValue, values.count <= Self.matchLines else {
                throw APIError.badRequest("give `lines`: up to \(Self.matchLines) strings.")
            }
            var lines: [String] = []
            for (index, value) in values.enumerated() {
                guard case .string(let line) = value else { throw APIError.badRequest("lines[\(index)] is not text.") }
                lines.append(line)
            }
            let intel = services.indicators
            let version = try await intel.version()
            let matcher = try await services.matcherCache.matcher(version: version) {
                try await intel.matcher(version: version)
            }
            var known: [Indicator.ID: Indicator?] = [:]
            let hits = try await intel.lineHits(lines, matcher: matcher, known: &known, now: services.now())
            return Body.response(
                json: .object([
                    JSONMember(
                        "hits",
                        .array(
                            hits.map {
                                .object([
                                    JSONMember("line", .int($0.line)), JSONMember("found", .string($0.found)),
                                    JSONMember("indicator", $0.indicator),
                                ])
                            }))
                ]))
        }
        let feed = Schema.ref("IOCFeed")
        table.add(
            .get, "/api/v1/ioc-feeds", .read, tag: "iocs", "The indicator feeds, their schedule and last pull.",
            APIOperation(responses: [.json(200, "The feeds, by name.", Schema.array(feed))])
        ) { _, _ in
            try Body.response(try await services.feeds.feeds())
        }
        table.add(
            .put, "/api/v1/ioc-feeds/{name}", .admin, tag: "iocs",
            "Add a feed, or replace its settings (its cursor is kept when the address stays the same).",
            APIOperation(
                body: .json(FeedBody.schema),
                responses: [.json(200, "The feed as stored.", feed)],
                problems: [(422, "The name or a setting is not valid, or url cannot be fetched (no host, a bad port).")]
            )
        ) { request, context in
            let identity = try context.require(.admin)
            let body = try await Body.decode(FeedBody.self, from: request, limit: bodyLimit)
            let name = context.parameters.get("name") ?? ""
            try await services.feeds.save(try body.subscription(name: name), actor: identity.actor)
            return try Body.response(try await services.feeds.feed(named: name))
        }
        table.add(
            .delete, "/api/v1/ioc-feeds/{name}", .admin, tag: "iocs",
            "Remove a feed (the indicators it brought stay).",
            APIOperation(responses: [APIResponse(status: 204, description: "Removed.", content: [])])
        ) { _, context in
            let identity = try context.require(.admin)
            try await services.feeds.remove(named: context.parameters.get("name") ?? "", actor: identity.actor)
            return Response(status: .noContent)
        }
        table.add(
            .post, "/api/v1/ioc-feeds/{name}/pull", .triage, tag: "iocs",
            "Pull a feed now: what is new since its cursor (full=true: everything).",
            APIOperation(
                query: [QueryParameter("full", .choice(["true", "false"]), "true: from the beginning.")],
                responses: [.json(200, "What the pull fetched and imported.", Schema.ref("IOCFeedPull"))],
                problems: [
                    (409, "Another process is pulling the feed."),
                    (
                        424,
                        "The feed's server could not be reached or answered an error, or a credential variable the "
                            + "feed names is not set on the server: nothing was imported."
                    ),
                ])
        ) { request, context in
            let identity = try context.require(.triage)
            return try await Self.dependingOnFeed {
                try Body.response(
                    try await services.feeds.pull(
                        named: context.parameters.get("name") ?? "", full: request.query("full") == "true",
                        actor: identity.actor))
            }
        }
        table.add(
            .post, "/api/v1/taxii-pulls", .admin, tag: "iocs",
            "Pull a TAXII 2.1 collection once, as `ioc import --taxii` does: what is new since the last pull of "
                + "the same collection (addedAfter: since then), remembered under the collection's address.",
            APIOperation(
                body: .json(TAXIIPullBody.schema),
                responses: [.json(200, "What the pull fetched and imported.", Schema.ref("IOCFeedPull"))],
                problems: [
                    (409, "Another process is pulling the collection."),
                    (422, "apiRoot cannot be fetched (no host, a bad port)."),
                    (
                        424,
                        "The TAXII server could not be reached or answered an error, or a credential variable named "
                            + "is not set on the server: nothing was imported."
                    ),
                ])
        ) { request, context in
            let identity = try context.require(.admin)
            let body = try await Body.decode(TAXIIPullBody.self, from: request, limit: bodyLimit)
            var template = try body.asFeed.subscription(name: "")
            template.source = body.source ?? body.collection
            return try await Self.dependingOnFeed {
                try Body.response(
                    try await services.feeds.pullTAXII(
                        apiRoot: body.apiRoot, collection: body.collection, addedAfter: body.addedAfter,
                        template: template, actor: identity.actor))
            }
        }
    }

    /// A feed's server that failed, or a credential it names that is not set here: the request depended on them,
    /// not on anything the client sent (424).
    static func dependingOnFeed(_ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch let error as CoreReconError {
            switch error {
            case .unavailable(let reason), .configuration(let reason):
                throw APIError.failedDependency(reason)
            default:
                throw error
            }
        }
    }
}

struct IndicatorPatch: CheckedBody {
    static let expiresPattern = "^([0-9]{1,5}(\\.[0-9]{1,3})?(ms|s|m|h|d)|never)$"

    var tlp: String?
    var confidence: Int?
    var addTags: [String]?
    var removeTags: [String]?
    var description: String?
    var expires: String?
    var revoked: Bool?

    func check() throws {
        try Body.requireChoice(tlp, "tlp", TLP.allCases.map(\.rawValue))
        if let confidence, !(0...100).contains(confidence) { throw APIError.badRequest("confidence must be 0 to 100.") }
        if let expires, expires != "never", let problem = NewIndicator.expiresParameter.problem(with: expires) {
            throw APIError.badRequest(problem)
        }
        for tag in (addTags ?? []) + (removeTags ?? []) { try Body.requireText(tag, "tags") }
    }

    static let schema = Schema.object(
        [
            ("tlp", Schema.string(enumeration: TLP.allCases.map(\.rawValue))),
            ("confidence", Schema.integer(0...100)),
            ("addTags", Schema.array(Schema.string(pattern: nonBlank))),
            ("removeTags", Schema.array(Schema.string(pattern: nonBlank))),
            ("description", Schema.string("Empty removes it.")),
            ("expires", Schema.string("Valid for this long from now; never: without an end.", pattern: expiresPattern)),
            ("revoked", Schema.boolean("false brings a revoked indicator back.")),
        ], required: [])
}

/// `POST /api/v1/taxii-pulls`: `ioc import --taxii` over the API.
struct TAXIIPullBody: CheckedBody {
    var apiRoot: String
    var collection: String
    var addedAfter: String?
    var source: String?
    var tlp: String?
    var confidence: Int?
    var tags: [String]?
    var username: String?
    var passwordEnv: String?
    var tokenEnv: String?

    /// The same rules as a feed's, through the feed's own checks.
    var asFeed: FeedBody {
        FeedBody(
            kind: "taxii", url: apiRoot, collection: collection, inputFormat: nil, source: source, tlp: tlp,
            confidence: confidence, tags: tags, every: nil, username: username, passwordEnv: passwordEnv,
            tokenEnv: tokenEnv)
    }

    func check() throws {
        try APIError.requireFetchable(apiRoot, "apiRoot")
        try asFeed.check()
        try Body.requireText(collection, "collection")
        if let addedAfter, (try? TimeExpression.parse(addedAfter, now: Date(), option: "addedAfter")) == nil {
            throw APIError.badRequest("addedAfter must be an RFC 3339 time such as 2026-11-01T00:00:00Z.")
        }
    }

    static let schema = Schema.object(
        [
            ("apiRoot", Schema.string("The TAXII 2.1 API root.", pattern: httpURL)),
            ("collection", Schema.string("The collection id.", pattern: nonBlank)),
            ("addedAfter", Schema.dateTime("Only objects added after this (default: where the last pull stopped).")),
            (
                "source",
                Schema.string(
                    "The name its indicators are reported by (default: the collection id).", pattern: nonBlank)
            ),
            ("tlp", Schema.string(enumeration: TLP.allCases.map(\.rawValue))),
            ("confidence", Schema.integer(0...100)),
            ("tags", Schema.array(Schema.string())),
            ("username", Schema.string()),
            (
                "passwordEnv",
                Schema.string("The server's environment variable with the password.", pattern: "^[A-Za-z0-9_]+$")
            ),
            (
                "tokenEnv",
                Schema.string("The server's environment variable with a bearer token.", pattern: "^[A-Za-z0-9_]+$")
            ),
        ], required: ["apiRoot", "collection"])
}

struct FeedBody: CheckedBody {
    var kind: String
    var url: String
    var collection: String?
    var inputFormat: String?
    var source: String?
    var tlp: String?
    var confidence: Int?
    var tags: [String]?
    /// Seconds between pulls by `serve`.
    var every: Int?
    var username: String?
    var passwordEnv: String?
    var tokenEnv: String?

    func check() throws {
        try Body.requireChoice(kind, "kind", FeedSubscription.Kind.allCases.map(\.rawValue))
        try APIError.requireFetchable(url, "url")
        // Rules between fields, which the schema does not state: 422, as for other cross-field rules.
        if kind == "taxii" && collection == nil {
            throw APIError(status: .unprocessableContent, detail: "a taxii feed needs collection.")
        }
        if kind != "taxii" && collection != nil {
            throw APIError(status: .unprocessableContent, detail: "collection is for taxii feeds.")
        }
        try Body.requireChoice(inputFormat, "inputFormat", IndicatorFeedFormat.allCases.map(\.rawValue))
        try Body.requireChoice(tlp, "tlp", TLP.allCases.map(\.rawValue))
        try Body.requireText(source, "source")
        if let confidence, !(0...100).contains(confidence) { throw APIError.badRequest("confidence must be 0 to 100.") }
        if let every, !(60...31_622_400).contains(every) {
            throw APIError.badRequest("every must be 60 to 31622400 seconds.")
        }
        for name in [passwordEnv, tokenEnv].compactMap({ $0 }) {
            guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                throw APIError.badRequest("passwordEnv and tokenEnv name environment variables of the server.")
            }
        }
    }

    func subscription(name: String) throws -> FeedSubscription {
        guard let kind = FeedSubscription.Kind(rawValue: kind) else { throw APIError.badRequest("kind is not known.") }
        var feed = FeedSubscription(name: name, kind: kind, url: url, source: source)
        feed.collection = collection
        feed.inputFormat = inputFormat ?? (kind == .taxii ? "stix" : kind == .misp ? "misp" : "auto")
        feed.tlp = tlp.flatMap(TLP.init(rawValue:))
        feed.confidence = confidence ?? 75
        feed.tags = tags ?? []
        feed.every = every.map(TimeInterval.init)
        feed.username = username
        feed.passwordEnvironment = passwordEnv
        feed.tokenEnvironment = tokenEnv
        return feed
    }

    static let schema = Schema.object(
        [
            ("kind", Schema.string(enumeration: FeedSubscription.Kind.allCases.map(\.rawValue))),
            ("url", Schema.string("The TAXII API root, the MISP feed, or the list's URL.", pattern: httpURL)),
            ("collection", Schema.string("TAXII: the collection id.")),
            ("inputFormat", Schema.string(enumeration: IndicatorFeedFormat.allCases.map(\.rawValue))),
            (
                "source",
                Schema.string("The name its indicators are reported by (default: the feed's).", pattern: nonBlank)
            ),
            ("tlp", Schema.string(enumeration: TLP.allCases.map(\.rawValue))),
            ("confidence", Schema.integer(0...100)),
            ("tags", Schema.array(Schema.string())),
            ("every", Schema.integer(60...31_622_400, "Seconds between pulls by `serve`.")),
            ("username", Schema.string()),
            (
                "passwordEnv",
                Schema.string("The server's environment variable with the password.", pattern: "^[A-Za-z0-9_]+$")
            ),
            (
                "tokenEnv",
                Schema.string("The server's environment variable with a bearer token.", pattern: "^[A-Za-z0-9_]+$")
            ),
        ], required: ["kind", "url"])
}
