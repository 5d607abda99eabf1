import CoreRecon
import CoreReconStore
import Foundation
import Hummingbird
import NIOCore

/// `/api/v1/iocs`: threat intelligence, as `corerecon ioc` has it. Viewers read, analysts change, ingest keys
/// may import feeds.
struct IOCRoutes {
    let services: AppServices
    let bodyLimit: Int

    func register(on table: inout RouteTable) {
        let indicator = Schema.ref("Indicator")
        table.add(
            .get, "/api/v1/iocs", .read, tag: "iocs", "List indicators, most recently seen first.",
            APIOperation(
                query: Self.listParameters,
                responses: [.json(200, "The indicators.", Schema.array(indicator))])
        ) { request, _ in
            let query = try Self.query(request, now: services.now())
            let now = services.now()
            let found = try await services.indicators.list(query)
            return Body.response(json: .array(found.map { Self.json($0, services.indicators.decay, now) }))
        }
        table.add(
            .post, "/api/v1/iocs", .triage, tag: "iocs", "Add an indicator, or report one that exists again.",
            APIOperation(
                body: .json(NewIndicator.schema),
                responses: [
                    .json(201, "The new indicator.", indicator).linking(Self.links),
                    .json(200, "The indicator, which existed: reported again (sources, tags merged).", indicator),
                ],
                problems: [(422, "The value is not of the type given, or its type cannot be told.")])
        ) { request, context in
            let identity = try context.require(.triage)
            let body = try await Body.decode(NewIndicator.self, from: request, limit: bodyLimit)
            var report = try IndicatorReport.parse(
                body.value, type: try body.type.map(Self.type), source: body.source ?? "api", location: "value")
            report.tlp = try body.tlp.map(Self.tlp)
            report.confidence = body.confidence
            report.tags = body.tags ?? []
            report.description = body.description
            if let expires = body.expires {
                guard let duration = AppConfig.parseDuration(expires) else {
                    throw APIError.badRequest("expires must be a duration such as 30d or 12h.")
                }
                report.validUntil = services.now().addingTimeInterval(duration.seconds)
            }
            let summary = try await services.indicators.importReports(
                [report], actor: identity.actor, defaultConfidence: body.confidence ?? 75)
            let stored = try await services.indicators.find(report.value)
            return Body.response(
                json: Self.json(stored, services.indicators.decay, services.now()),
                status: summary.new > 0 ? .created : .ok)
        }
        table.add(
            .post, "/api/v1/iocs/import", .ingest, tag: "iocs",
            "Import a feed (STIX bundle, MISP event, CSV or list) from the body; idempotent.",
            APIOperation(
                query: [
                    QueryParameter(
                        "format", .choice(IndicatorFeedFormat.allCases.map(\.rawValue)),
                        "The feed's format (default auto)."),
                    QueryParameter("source", .text(maxLength: 200), "The feed's name (default api)."),
                    QueryParameter(
                        "tlp", .choice(TLP.allCases.map(\.rawValue)), "TLP for what the feed does not mark."),
                    QueryParameter(
                        "confidence", .integer(0...100), "Confidence for what the feed gives none (default 75)."),
                    QueryParameter("force", .choice(["true", "false"]), "true: do not flag warninglisted values."),
                ],
                body: RequestBody(
                    description: "The feed's bytes.",
                    contentTypes: ["application/json", "text/csv", "text/plain"],
                    schema: Schema.describe("The feed as its publisher wrote it; its format decides what is read."),
                    isRequired: false),
                responses: [
                    .json(
                        200, "What the import did, and each rejected record with its location and reason.",
                        Schema.ref("IOCImport"))
                ])
        ) { request, context in
            let identity = try context.require(.ingest)
            var request = request
            let buffer = try await request.collectBody(upTo: bodyLimit)
            let format = request.query("format").flatMap(IndicatorFeedFormat.init(rawValue:)) ?? .auto
            let source = request.query("source") ?? "api"
            let tlp = request.query("tlp").flatMap(TLP.init(rawValue:))
            let feed = try IndicatorFeedReader(source: source).read(
                Array(buffer.readableBytesView), name: "body", format: format)
            let reports = feed.reports.map { report in
                var report = report
                report.tlp = report.tlp ?? tlp
                return report
            }
            let outcome = try await services.indicators.importAndHunt(
                reports, actor: identity.actor, defaultConfidence: request.query("confidence").flatMap(Int.init) ?? 75,
                force: request.query("force") == "true", refreshMatcher: true)
            return Body.response(json: Self.importAnswer(outcome, rejections: feed.rejections, skipped: feed.skipped))
        }
        table.add(
            .post, "/api/v1/iocs/reports", .ingest, tag: "iocs",
            "Import indicators already read from feeds: NDJSON, one report a line, as `corerecon ioc import` sends "
                + "them over the API, or a JSON array of them. Values are checked and made canonical again; a bad "
                + "report is rejected with its location and the rest kept.",
            APIOperation(
                query: [
                    QueryParameter(
                        "confidence", .integer(0...100), "Confidence for reports that give none (default 75)."),
                    QueryParameter("force", .choice(["true", "false"]), "true: do not flag warninglisted values."),
                    QueryParameter(
                        "last", .choice(["true", "false"]),
                        "false: more batches of this import follow (the matcher is rebuilt after the last; default "
                            + "true)."),
                ],
                body: RequestBody(
                    description:
                        "The reports: one a line (application/x-ndjson) or an array (application/json). Without a "
                        + "body nothing is imported, and the answer still says whether the retro-hunt is on.",
                    contentTypes: ["application/json", "application/x-ndjson"],
                    schema: Schema.array(Schema.ref("IndicatorReport"), minItems: 1), isRequired: false),
                responses: [
                    .json(200, "What the import did.", Schema.ref("IOCImport")),
                    .json(
                        422,
                        "Nothing stored: a report of the array is invalid, or no line is; each is listed in "
                            + "`rejections` with its location and reason.", Schema.ref("IOCImport")),
                ])
        ) { request, context in
            let identity = try context.require(.ingest)
            var request = request
            let buffer = try await request.collectBody(upTo: bodyLimit)
            let bytes = Array(buffer.readableBytesView)
            // No body (an import whose every record was rejected where it was read): nothing to store. A JSON
            // body that is only white space is no array, and refused as such.
            let isArray = !bytes.isEmpty && request.headers[.contentType]?.hasPrefix("application/json") == true
            let reports: [IndicatorReport]
            let rejections: [Rejection]
            do {
                (reports, rejections) =
                    isArray ? try IndicatorReport.reports(jsonArray: bytes) : IndicatorReport.reports(ndjson: bytes)
            } catch {
                // The body as a whole is no array of reports: a bad request, not a rejected report.
                throw APIError.badRequest("\(error)")
            }
            // An array is checked whole (nothing is stored when a report is invalid); NDJSON keeps the good lines,
            // as an import does, unless none is good.
            if !rejections.isEmpty && (isArray || reports.isEmpty) {
                let none = IndicatorService.ImportOutcome(summary: IndicatorImportSummary())
                return Body.response(
                    json: Self.importAnswer(none, rejections: rejections, skipped: 0), status: .unprocessableContent)
            }
            let outcome = try await services.indicators.importAndHunt(
                reports, actor: identity.actor, defaultConfidence: request.query("confidence").flatMap(Int.init) ?? 75,
                force: request.query("force") == "true", refreshMatcher: request.query("last") != "false")
            return Body.response(json: Self.importAnswer(outcome, rejections: rejections, skipped: 0))
        }
        table.add(
            .get, "/api/v1/iocs/lookup", .read, tag: "iocs",
            "The indicator a value names (refanged and made canonical first), as `ioc show VALUE` finds it.",
            APIOperation(
                query: [QueryParameter("value", .text(maxLength: 10_000), "The value.", required: true)],
                responses: [.json(200, "The indicator.", indicator)],
                problems: [(409, "The value names more than one indicator (of different types): give the id.")])
        ) { request, _ in
            let found = try await services.indicators.find(request.query("value") ?? "")
            return Body.response(json: Self.json(found, services.indicators.decay, services.now()))
        }
        table.add(
            .get, "/api/v1/iocs/stats", .read, tag: "iocs", "Counts: active, expired, by type and by source.",
            APIOperation(responses: [.json(200, "The counts.", Schema.ref("IndicatorStats"))])
        ) { _, _ in
            try Body.response(try await services.indicators.stats())
        }
        table.add(
            .get, "/api/v1/iocs/export", .read, tag: "iocs",
            "Export active indicators: a STIX 2.1 bundle, a MISP event, Suricata rules, CSV or a plain list.",
            APIOperation(
                query: [
                    QueryParameter(
                        "to", .choice(IndicatorExportRequest.Format.allCases.map(\.rawValue)),
                        "What to write (default stix)."),
                    QueryParameter(
                        "type", .choices(IndicatorType.allCases.map(\.rawValue)), "Only these types (comma-separated)."),
                    QueryParameter("tag", .text(maxLength: 200), "Only indicators with this tag."),
                    QueryParameter("minScore", .integer(0...100), "Only scores at or above."),
                    QueryParameter(
                        "tlpMax", .choice(TLP.allCases.map(\.rawValue)), "Leave out what is marked stricter."),
                    QueryParameter("action", .choice(["alert", "drop"]), "Suricata rules' action (default alert)."),
                    QueryParameter("sidBase", .integer(1...4_000_000_000), "The first Suricata sid."),
                    QueryParameter("info", .text(maxLength: 1_000), "The MISP event's title."),
                ],
                responses: [
                    APIResponse(
                        status: 200, description: "The export.",
                        content: [
                            ("application/stix+json", Schema.object([], "A STIX 2.1 bundle.")),
                            ("application/json", Schema.object([], "A MISP event: {\"Event\": ...}.")),
                            ("text/csv", Schema.string()), ("text/plain", Schema.string("Values, or Suricata rules.")),
                        ])
                ])
        ) { request, _ in
            var export = IndicatorExportRequest()
            export.format = request.query("to").flatMap(IndicatorExportRequest.Format.init(rawValue:)) ?? .stix
            export.types = Self.types(request.query("type"))
            export.tag = request.query("tag")
            export.minimumScore = request.query("minScore").flatMap(Double.init)
            export.tlpMax = request.query("tlpMax").flatMap(TLP.init(rawValue:))
            export.action = request.query("action") ?? "alert"
            export.sidBase = request.query("sidBase").flatMap(Int.init) ?? export.sidBase
            export.info = request.query("info") ?? export.info
            let text = try await LocalIndicators.export(export, indicators: services.indicators, now: services.now())
            let contentType =
                switch export.format {
                case .stix: "application/stix+json"
                case .misp: "application/json"
                case .csv: "text/csv; charset=utf-8"
                case .txt, .suricata: "text/plain; charset=utf-8"
                }
            return Response(
                status: .ok, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        table.add(
            .get, "/api/v1/iocs/{id}", .read, tag: "iocs", "One indicator with its sources and sightings.",
            APIOperation(responses: [.json(200, "The indicator.", Schema.ref("IndicatorDetail"))])
        ) { _, context in
            let found = try await Self.indicator(context, services)
            let sightings = try await services.indicators.sightings(of: found)
            guard case .object(var members) = Self.json(found, services.indicators.decay, services.now()) else {
                throw APIError.notFound("no such indicator.")
            }
            members.append(JSONMember("pattern", found.pattern.map(JSONValue.string) ?? .null))
            let history = services.indicators.decay.history(found, sightings: sightings, now: services.now())
            members.append(
                JSONMember(
                    "scoreHistory",
                    .array(
                        history.map { point in
                            .object([
                                JSONMember("at", .string(ISO8601Format.string(from: point.at))),
                                JSONMember("event", .string(point.event)),
                                JSONMember("score", .int(Int(point.score.rounded()))),
                            ])
                        })))
            members.append(
                JSONMember(
                    "recentSightings",
                    .array(
                        sightings.map { sighting in
                            .object([
                                JSONMember("at", .string(ISO8601Format.string(from: sighting.at))),
                                JSONMember("source", .string(sighting.source)),
                                JSONMember("falsePositive", .bool(sighting.isFalsePositive)),
                                JSONMember("alertId", sighting.alertID.map { .int($0) } ?? .null),
                            ])
                        })))
            return Body.response(json: .object(members))
        }
        table.add(
            .post, "/api/v1/iocs/{id}/sightings", .triage, tag: "iocs",
            "Record a sighting: fresh evidence, or with falsePositive a 20-point penalty.",
            APIOperation(
                body: .json(SightingBody.schema),
                responses: [.json(201, "The indicator after the sighting.", indicator)])
        ) { request, context in
            let identity = try context.require(.triage)
            let body = try await Body.decode(SightingBody.self, from: request, limit: bodyLimit)
            let found = try await Self.indicator(context, services)
            let sighted = try await services.indicators.sight(
                String(found.id), source: body.source ?? "api", falsePositive: body.falsePositive ?? false,
                actor: identity.actor)
            return Body.response(json: Self.json(sighted, services.indicators.decay, services.now()), status: .created)
        }
        table.add(
            .post, "/api/v1/iocs/{id}/revoke", .triage, tag: "iocs", "Revoke an indicator: kept, never matched.",
            APIOperation(responses: [.json(200, "The revoked indicator.", indicator)])
        ) { _, context in
            let identity = try context.require(.triage)
            let found = try await Self.indicator(context, services)
            let revoked = try await services.indicators.revoke(String(found.id), actor: identity.actor)
            return Body.response(json: Self.json(revoked, services.indicators.decay, services.now()))
        }
        table.add(
            .delete, "/api/v1/iocs/{id}", .triage, tag: "iocs", "Delete an indicator, its sources and sightings.",
            APIOperation(responses: [APIResponse(status: 204, description: "Deleted.", content: [])])
        ) { _, context in
            let identity = try context.require(.triage)
            let found = try await Self.indicator(context, services)
            _ = try await services.indicators.delete(String(found.id), actor: identity.actor)
            return Response(status: .noContent)
        }
        registerEditsAndFeeds(on: &table)
        registerWarninglists(on: &table)
    }

    static let listParameters: [QueryParameter] = [
        QueryParameter("type", .choices(IndicatorType.allCases.map(\.rawValue)), "Only these types (comma-separated)."),
        QueryParameter("tag", .text(maxLength: 200), "Only indicators with this tag."),
        QueryParameter("source", .text(maxLength: 200), "Only indicators this feed reported."),
        QueryParameter("tlp", .choice(TLP.allCases.map(\.rawValue)), "Only this TLP."),
        QueryParameter("minScore", .integer(0...100), "Only scores at or above."),
        QueryParameter("since", .time, "Reported or sighted since: a duration back from now or a timestamp."),
        QueryParameter("search", .text(maxLength: 1_000), "Values, descriptions or tags containing this text."),
        QueryParameter("status", .choice(["active", "expired", "all"]), "Which (default active)."),
        QueryParameter("limit", .integer(1...100_000), "At most this many (default 100)."),
    ]

    static let links: [(name: String, link: JSONValue)] = [
        ("GetIndicator", Link.to("get_api_v1_iocs_id", "The indicator.", parameters: [("id", "$response.body#/id")])),
        (
            "SightIndicator",
            Link.to("post_api_v1_iocs_id_sightings", "Record a sighting.", parameters: [("id", "$response.body#/id")])
        ),
        (
            "RevokeIndicator",
            Link.to("post_api_v1_iocs_id_revoke", "Revoke it.", parameters: [("id", "$response.body#/id")])
        ),
    ]

    static func query(_ request: Request, now: Date) throws -> IndicatorQuery {
        var query = IndicatorQuery()
        query.types = types(request.query("type"))
        query.tag = request.query("tag")
        query.source = request.query("source")
        query.tlp = request.query("tlp").flatMap(TLP.init(rawValue:))
        query.minimumScore = request.query("minScore").flatMap(Double.init)
        query.search = request.query("search")
        query.limit = request.query("limit").flatMap(Int.init) ?? 100
        switch request.query("status") ?? "active" {
        case "expired": query.expired = true
        case "all": query.expired = nil
        default: query.expired = false
        }
        query.since = try request.query("since").map { text throws(CoreReconError) in
            try TimeExpression.parse(text, now: now, option: "since")
        }
        return query
    }

    /// `ipv4,domain`: the types named (the parameter's check has refused any other).
    static func types(_ text: String?) -> [IndicatorType] {
        text?.split(separator: ",").compactMap { IndicatorType(rawValue: String($0)) } ?? []
    }

    /// The answer of an import: ``IOCImport``.
    static func importAnswer(_ outcome: IndicatorService.ImportOutcome, rejections: [Rejection], skipped: Int)
        -> JSONValue
    {
        let summary = outcome.summary
        var members = [
            JSONMember("read", .int(summary.read + rejections.count)), JSONMember("new", .int(summary.new)),
            JSONMember("updated", .int(summary.updated)), JSONMember("unchanged", .int(summary.unchanged)),
            JSONMember("rejected", .int(rejections.count)), JSONMember("patternOnly", .int(summary.patternOnly)),
            JSONMember("skipped", .int(skipped)), JSONMember("warninglisted", .int(summary.warninglisted)),
            JSONMember("rejections", .array(rejections.map(\.jsonObject))),
            JSONMember("warnings", .array(outcome.warnings.map(JSONValue.string))),
        ]
        if let alerts = outcome.retroAlerts {
            members.append(JSONMember("retroMatches", .int(alerts.count)))
            members.append(JSONMember("retroAlerts", .array(alerts.sorted().map { .int($0) })))
        }
        return .object(members)
    }

    static func indicator(_ context: AppContext, _ services: AppServices) async throws -> Indicator {
        guard let text = context.parameters.get("id"), let id = Int64(text), id > 0 else {
            throw APIError.notFound("indicator ids are positive numbers.")
        }
        return try await services.indicators.find(String(id))
    }

    static func type(_ name: String) throws -> IndicatorType {
        guard let type = IndicatorType(rawValue: name) else {
            throw APIError.badRequest(
                "type must be one of \(IndicatorType.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        return type
    }

    static func tlp(_ name: String) throws -> TLP {
        guard let tlp = TLP(rawValue: name) else {
            throw APIError.badRequest("tlp must be one of \(TLP.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        return tlp
    }

    static func json(_ indicator: Indicator, _ decay: DecayModel, _ now: Date) -> JSONValue {
        func date(_ value: Date?) -> JSONValue { value.map { .string(ISO8601Format.string(from: $0)) } ?? .null }
        let expiry = decay.expiry(indicator, at: now)
        return .object([
            JSONMember("id", .int(indicator.id)), JSONMember("type", .string(indicator.type.rawValue)),
            JSONMember("value", .string(indicator.value)),
            JSONMember("score", .int(Int(decay.score(indicator, at: now).rounded()))),
            JSONMember("active", .bool(expiry == nil && indicator.warning == nil)),
            JSONMember("expired", expiry.map(JSONValue.string) ?? .null),
            JSONMember("warninglists", indicator.warning.map(JSONValue.string) ?? .null),
            JSONMember("confidence", .int(indicator.confidence)),
            JSONMember("tlp", indicator.tlp.map { .string($0.rawValue) } ?? .null),
            JSONMember("tags", .array(indicator.tags.map(JSONValue.string))),
            JSONMember("techniques", .array(indicator.techniques.map(JSONValue.string))),
            JSONMember(
                "sources",
                .array(
                    indicator.sources.map { source in
                        .object([
                            JSONMember("name", .string(source.name)), JSONMember("firstSeen", date(source.firstSeen)),
                            JSONMember("lastSeen", date(source.lastSeen)),
                        ])
                    })),
            JSONMember("sightings", .int(indicator.sightings)),
            JSONMember("falsePositives", .int(indicator.falsePositives)),
            JSONMember("description", indicator.description.map(JSONValue.string) ?? .null),
            JSONMember("validFrom", date(indicator.validFrom)), JSONMember("validUntil", date(indicator.validUntil)),
            JSONMember("revoked", .bool(indicator.revoked)), JSONMember("firstSeen", date(indicator.firstSeen)),
            JSONMember("lastSeen", date(indicator.lastSeen)),
        ])
    }
}

/// `POST /iocs`.
struct NewIndicator: CheckedBody {
    var value: String
    var type: String?
    var tlp: String?
    var confidence: Int?
    var tags: [String]?
    var expires: String?
    var source: String?
    var description: String?

    func check() throws {
        try Body.requireText(value, "value")
        try Body.requireChoice(type, "type", IndicatorType.allCases.map(\.rawValue))
        try Body.requireChoice(tlp, "tlp", TLP.allCases.map(\.rawValue))
        try Body.requireText(source, "source")
        if let confidence, !(0...100).contains(confidence) { throw APIError.badRequest("confidence must be 0 to 100.") }
        if let expires, let problem = Self.expiresParameter.problem(with: expires) {
            throw APIError.badRequest(problem)
        }
    }

    static let expiresPattern = "^[0-9]{1,5}(\\.[0-9]{1,3})?(ms|s|m|h|d)$"
    static let expiresParameter = QueryParameter("expires", .pattern(expiresPattern, example: "30d"), "")

    static let schema = Schema.object(
        [
            ("value", Schema.string("The value; defanged values are refanged.", pattern: nonBlank)),
            (
                "type",
                Schema.string(
                    "Detected from the value when not given.", enumeration: IndicatorType.allCases.map(\.rawValue))
            ),
            ("tlp", Schema.string(enumeration: TLP.allCases.map(\.rawValue))),
            ("confidence", Schema.integer(0...100, "How sure (default 75).")),
            ("tags", Schema.array(Schema.string())),
            ("expires", Schema.string("Valid for this long.", pattern: expiresPattern)),
            ("source", Schema.string("Who reported it (default api).", pattern: nonBlank)),
            ("description", Schema.string()),
        ], required: ["value"])
}

/// `POST /iocs/{id}/sightings`.
struct SightingBody: CheckedBody {
    var falsePositive: Bool?
    var source: String?

    func check() throws {
        try Body.requireText(source, "source")
    }

    static let schema = Schema.object(
        [
            ("falsePositive", Schema.boolean("It was seen and was harmless.")),
            ("source", Schema.string("Where it was seen (default api).", pattern: nonBlank)),
        ])
}
