import CoreRecon
import CoreReconStore
import Foundation
import Hummingbird

/// `/api/v1/alerts`: the triage queue, as `corerecon alert` has it.
struct AlertRoutes {
    let services: AppServices
    let bodyLimit: Int

    func register(on table: inout RouteTable) {
        table.add(
            .get, "/api/v1/alerts", .read, tag: "alerts",
            "List alerts (the filters of `alert list`: since/until on event time, receivedSince on receipt).",
            APIOperation(
                query: Self.listParameters,
                responses: [
                    .json(200, "A page of alerts, newest first unless `sort` says otherwise.", Schema.ref("AlertPage"))
                        .linking([
                            (
                                "NextPage",
                                Link.to(
                                    "get_api_v1_alerts", "The next page.",
                                    parameters: [("cursor", "$response.body#/nextCursor")])
                            )
                        ])
                ])
        ) {
            request, _ in
            let page = try await services.alerts.list(try query(request))
            return Body.response(
                json: .object([
                    JSONMember("alerts", .array(page.alerts.map { $0.jsonObject() })),
                    JSONMember("nextCursor", page.nextCursor.map { .string($0.token) } ?? .null),
                ]))
        }
        table.add(
            .get, "/api/v1/alerts/{id}", .read, tag: "alerts", "One alert with its OCSF record.",
            APIOperation(responses: [
                .json(200, "The alert, with `ocsf`: its OCSF 1.5.0 Detection Finding.", Schema.ref("AlertDetail"))
            ])
        ) {
            _, context in
            let detail = try await services.alertDetail(try alertID(context))
            return Body.response(json: detail.jsonObject(at: services.now()))
        }
        table.add(
            .patch, "/api/v1/alerts/{id}", .triage, tag: "alerts", "Change status, assignee or close reason.",
            APIOperation(
                body: .json(AlertPatch.schema, "The changes, applied in order: assignee, comment, status."),
                responses: [.json(200, "The alert after the changes.", Schema.ref("Alert"))],
                problems: [(409, "The alert's status does not allow the change (for example closing a closed alert).")])
        ) {
            request, context in
            let identity = try context.require(.triage)
            let changes = try await Body.decode(AlertPatch.self, from: request, limit: bodyLimit).changes()
            var alert = try await services.alerts.alert(try alertID(context))
            for change in changes {
                alert = try await services.alerts.apply(change, to: alert.id, by: identity.actor)
            }
            return Body.response(json: alert.jsonObject())
        }
        table.add(
            .post, "/api/v1/alerts/bulk", .triage, tag: "alerts", "Apply one change to many alerts (ids or filter).",
            APIOperation(
                body: .json(AlertBulk.schema),
                responses: [
                    .json(
                        200, "One result per alert: `ok`, or the reason it was not changed.", Schema.ref("BulkResults"))
                ])
        ) {
            request, context in
            let identity = try context.require(.triage)
            let bulk = try await Body.decode(AlertBulk.self, from: request, limit: bodyLimit)
            let change = try bulk.change()
            var ids = bulk.ids ?? []
            if let filter = bulk.filter {
                var query = try Self.query(filter: filter, now: services.now())
                query.limit = 1_000
                while true {
                    let page = try await services.alerts.list(query)
                    ids += page.alerts.map(\.id)
                    guard let next = page.nextCursor else { break }
                    query.cursor = next
                }
            }
            guard !ids.isEmpty || bulk.filter != nil else { throw APIError.badRequest("give `ids` or `filter`.") }
            let outcomes = try await services.alerts.apply(change, to: ids, by: identity.actor)
            return Body.response(json: .object([JSONMember("results", .array(outcomes.map(\.jsonObject)))]))
        }
        table.add(
            .post, "/api/v1/alerts/escalate", .triage, tag: "alerts", "Escalate alerts to a new or existing incident.",
            APIOperation(
                body: .json(Escalation.schema),
                responses: [
                    .json(201, "A new incident holding the alerts.", Schema.ref("Incident")).linking(
                        IncidentRoutes.links),
                    .json(200, "The existing incident, now holding the alerts.", Schema.ref("Incident")).linking(
                        IncidentRoutes.links),
                ],
                problems: [(409, "An alert is closed or already escalated, or the incident is closed.")])
        ) { request, context in
            let identity = try context.require(.triage)
            let body = try await Body.decode(Escalation.self, from: request, limit: bodyLimit)
            let key = try body.incident.map { try services.incidents.key($0) }
            let incident = try await services.incidents.escalate(
                body.ids, to: key, title: body.title, severity: try body.severity.map(parseSeverity),
                by: identity.actor)
            return try Body.response(incident, status: key == nil ? .created : .ok)
        }
        table.add(
            .get, "/api/v1/alerts/{id}/related", .read, tag: "alerts", "Alerts sharing observables.",
            APIOperation(
                query: [QueryParameter("limit", .integer(1...1_000), "Most related alerts to list (default 100).")],
                responses: [
                    .json(
                        200, "Each related alert with the observables it shares.",
                        Schema.array(Schema.ref("RelatedAlert")))
                ])
        ) {
            request, context in
            var limit = 100
            if let text = request.query("limit") {
                guard let value = Int(text), (1...1_000).contains(value) else {
                    throw APIError.badRequest("limit must be 1 to 1000.")
                }
                limit = value
            }
            let related = try await services.alerts.related(try alertID(context), limit: limit)
            return Body.response(json: .array(related.map(\.jsonObject)))
        }
        table.add(
            .get, "/api/v1/alerts/{id}/history", .read, tag: "alerts", "Every change to an alert.",
            APIOperation(responses: [.json(200, "The changes, oldest first.", Schema.array(Schema.ref("AlertChange")))])
        ) {
            _, context in
            let entries = try await services.alerts.history(try alertID(context))
            return Body.response(json: .array(entries.map(\.jsonObject)))
        }
        table.add(
            .get, "/api/v1/alerts/{id}/explain", .read, tag: "alerts",
            "Why records merged into the alert: its fingerprint's fields and every delivery.",
            APIOperation(responses: [.json(200, "The explanation.", Schema.ref("AlertExplanation"))])
        ) {
            _, context in
            Body.response(json: try await services.explainAlert(try alertID(context)).jsonObject)
        }
        table.add(
            .post, "/api/v1/alerts/{id}/techniques", .triage, tag: "alerts",
            "Map the alert to an ATT&CK technique (active in the catalog; `tactic` one of its tactics).",
            APIOperation(
                body: .json(
                    Schema.object(
                        [
                            ("technique", Schema.string(pattern: QueryParameter.techniquePattern)),
                            ("tactic", Schema.string("id (TA0002), short name or name.")),
                        ], required: ["technique"])),
                responses: [.json(200, "The alert with the technique.", Schema.ref("Alert"))],
                problems: [(422, "The technique is unknown, revoked or deprecated, or not of that tactic.")])
        ) { request, context in
            let identity = try context.require(.triage)
            let body = try JSONParser.parse(try await Body.json(request, limit: bodyLimit).readableBytesView)
            guard let technique = body[key: "technique"]?.text else { throw APIError.badRequest("give `technique`.") }
            let id = try alertID(context)
            _ = try await services.mapTechnique(
                id, technique: technique, tactic: body[key: "tactic"]?.text, by: identity.actor)
            return Body.response(json: try await services.alerts.alert(id).jsonObject())
        }
        table.add(
            .delete, "/api/v1/alerts/{id}/techniques/{technique}", .triage, tag: "alerts",
            "Remove an ATT&CK technique from the alert.",
            APIOperation(responses: [.json(200, "The alert without the technique.", Schema.ref("Alert"))])
        ) { _, context in
            let identity = try context.require(.triage)
            let id = try alertID(context)
            _ = try await services.unmapTechnique(
                id, technique: context.parameters.get("technique") ?? "", by: identity.actor)
            return Body.response(json: try await services.alerts.alert(id).jsonObject())
        }
    }

    /// The query parameters of `GET /alerts`.
    static let listParameters: [QueryParameter] = [
        QueryParameter("status", .choices(AlertStatus.allCases.map(\.rawValue)), "Statuses, comma-separated."),
        QueryParameter("severity", .choice(Severity.allCases.map(\.name)), "The lowest severity."),
        QueryParameter("source", .text(maxLength: 1_000), "Source labels, comma-separated."),
        QueryParameter("since", .time, "Event time from: a duration back from now (24h) or a timestamp."),
        QueryParameter("until", .time, "Event time up to: a duration back from now or a timestamp."),
        QueryParameter("receivedSince", .time, "Received from: a duration back from now or a timestamp."),
        QueryParameter("assignee", .text(maxLength: 200), "The assignee; `none` for unassigned alerts."),
        QueryParameter("search", .text(maxLength: 1_000), "Full-text search in titles, descriptions and observables."),
        QueryParameter(
            "technique", .pattern(QueryParameter.techniquePattern, example: "T1059.001"), "An ATT&CK technique."),
        QueryParameter(
            "sla", .choice(["breached", "at-risk", "paused"]), "Only alerts with an open SLA clock in this state."),
        QueryParameter("limit", .integer(1...1_000), "Alerts per page (default 50)."),
        QueryParameter("offset", .integer(0...1_000_000), "Alerts to skip; a cursor pages faster."),
        QueryParameter(
            "sort", .choice(AlertSort.allCases.map(\.rawValue)),
            "The order (default last_seen, newest first); with a cursor, the cursor's."),
        QueryParameter(
            "cursor",
            .pattern(
                "^(\(AlertSort.allCases.map(\.rawValue).joined(separator: "|")))~-?[0-9]{1,18}~[0-9]{1,18}$",
                example: "last_seen~1795593600000~42"),
            "`nextCursor` of the previous page: continues that listing, in its order."),
    ]

    /// The filters `POST /alerts/bulk` takes: those of `GET /alerts` but the page and order.
    static let filterParameters = listParameters.filter { !["limit", "offset", "sort", "cursor"].contains($0.name) }

    /// The query of a bulk change's filter: at least one known filter, each valid and not empty (an empty
    /// filter would select every alert).
    static func query(filter: [String: String], now: Date) throws -> AlertQuery {
        let names = filterParameters.map(\.name).joined(separator: ", ")
        guard !filter.isEmpty else { throw APIError.badRequest("`filter` needs at least one of \(names).") }
        for (name, value) in filter {
            guard let parameter = filterParameters.first(where: { $0.name == name }) else {
                throw APIError.badRequest("`filter.\(name)` is not a filter; use \(names).")
            }
            guard !value.isEmpty else { throw APIError.badRequest("`filter.\(name)` is empty.") }
            if let problem = parameter.problem(with: value) { throw APIError.badRequest("filter: \(problem)") }
        }
        return try AlertQuery.parse(
            statuses: filter["status"].map { [$0] } ?? [], severity: filter["severity"],
            sources: filter["source"].map { [$0] } ?? [], since: filter["since"], until: filter["until"],
            receivedSince: filter["receivedSince"], assignee: filter["assignee"], search: filter["search"],
            technique: filter["technique"], sla: filter["sla"], now: now, optionPrefix: "filter.")
    }

    /// From a response naming an alert (`id`) to what can be done with it.
    static func links(id expression: String) -> [(name: String, link: JSONValue)] {
        [
            ("GetAlert", Link.to("get_api_v1_alerts_id", "The alert.", parameters: [("id", expression)])),
            ("PatchAlert", Link.to("patch_api_v1_alerts_id", "Triage it.", parameters: [("id", expression)])),
            (
                "RelatedAlerts",
                Link.to("get_api_v1_alerts_id_related", "Alerts sharing observables.", parameters: [("id", expression)])
            ),
            ("AlertHistory", Link.to("get_api_v1_alerts_id_history", "Its changes.", parameters: [("id", expression)])),
            (
                "EscalateAlert",
                Link.to(
                    "post_api_v1_alerts_escalate", "Escalate it.",
                    requestBody: .object([JSONMember("ids", .array([.string(expression)]))]))
            ),
            (
                "NewIncident",
                Link.to(
                    "post_api_v1_incidents", "Open an incident from it.",
                    requestBody: .object([JSONMember("alerts", .array([.string(expression)]))]))
            ),
        ]
    }

    func alertID(_ context: AppContext) throws -> Alert.ID {
        guard let text = context.parameters.get("id"), let id = Int64(text), id > 0 else {
            throw APIError.notFound("alert ids are positive numbers.")
        }
        return id
    }

    /// The `alert list` filters from the query string.
    func query(_ request: Request) throws -> AlertQuery {
        var query = try AlertQuery.parse(
            statuses: request.query("status").map { [$0] } ?? [], severity: request.query("severity"),
            sources: request.query("source").map { [$0] } ?? [], since: request.query("since"),
            until: request.query("until"), receivedSince: request.query("receivedSince"),
            assignee: request.query("assignee"), search: request.query("search"),
            technique: request.query("technique"), sla: request.query("sla"), now: services.now(), optionPrefix: "")
        if let text = request.query("limit") {
            guard let limit = Int(text), (1...1_000).contains(limit) else {
                throw APIError.badRequest("limit must be 1 to 1000.")
            }
            query.limit = limit
        }
        if let text = request.query("offset") {
            guard let offset = Int(text), (0...1_000_000).contains(offset) else {
                throw APIError.badRequest("offset must be 0 to 1000000.")
            }
            query.offset = offset
        }
        if let sort = request.query("sort") {
            guard let value = AlertSort(rawValue: sort) else {
                throw APIError.badRequest(
                    "sort must be one of \(AlertSort.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            query.sort = value
        }
        if let token = request.query("cursor") {
            // A cursor continues the listing it came from, in that listing's order.
            let cursor = try AlertCursor(token: token)
            query.cursor = cursor
            query.sort = cursor.sort
        }
        return query
    }
}

func parseSeverity(_ text: String) throws -> Severity {
    guard let severity = Severity(name: text) else {
        throw APIError.badRequest("severity must be informational, low, medium, high or critical.")
    }
    return severity
}

/// `PATCH /alerts/{id}`: the fields to change.
struct AlertPatch: CheckedBody {
    var status: String?
    var assignee: String?
    var closeReason: String?
    var comment: String?

    func changes() throws -> [AlertService.Change] {
        var changes: [AlertService.Change] = []
        if let assignee { changes.append(.assign(to: assignee)) }
        if let comment { changes.append(.comment(comment)) }
        switch status {
        case nil: break
        case "acknowledged": changes.append(.acknowledge)
        case "closed":
            guard let text = closeReason, let reason = CloseReason(rawValue: text) else {
                throw APIError.badRequest(
                    "closing needs `closeReason`: \(CloseReason.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            changes.append(.close(reason: reason, message: nil))
        case "in_progress" where assignee == nil: changes.append(.reopen(message: nil))
        case "in_progress": break
        case let other?:
            throw APIError.badRequest(
                "status '\(other)' cannot be set here: use acknowledged, in_progress or closed (escalate with POST /api/v1/alerts/escalate)."
            )
        }
        guard !changes.isEmpty else { throw APIError.badRequest("give status, assignee, closeReason or comment.") }
        return changes
    }
}

/// `POST /alerts/bulk`.
struct AlertBulk: CheckedBody {
    var ids: [Int64]?
    /// The filters of `GET /alerts`: `{"severity": "high", "status": "new"}`.
    var filter: [String: String]?
    /// ack, assign, comment, close, reopen.
    var action: String
    var assignee: String?
    var reason: String?
    var message: String?

    func change() throws -> AlertService.Change {
        switch action {
        case "ack", "acknowledge": return .acknowledge
        case "assign":
            guard let assignee else { throw APIError.badRequest("assign needs `assignee`.") }
            return .assign(to: assignee)
        case "comment":
            guard let message else { throw APIError.badRequest("comment needs `message`.") }
            return .comment(message)
        case "close":
            guard let reason, let value = CloseReason(rawValue: reason) else {
                throw APIError.badRequest(
                    "close needs `reason`: \(CloseReason.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            return .close(reason: value, message: message)
        case "reopen": return .reopen(message: message)
        default: throw APIError.badRequest("action must be ack, assign, comment, close or reopen.")
        }
    }
}

/// `POST /alerts/escalate`.
struct Escalation: CheckedBody {
    var ids: [Int64]
    var incident: String?
    var title: String?
    var severity: String?
}

/// Text that must hold more than white space.
let nonBlank = "\\S"

/// An http(s) URL with something where its host goes. Whether it parses, with a port in range, is checked too.
let httpURL = "^https?://[^/?#\\s]"

extension AlertPatch {
    func check() throws {
        try Body.requireText(assignee, "assignee")
        try Body.requireText(comment, "comment")
        try Body.requireChoice(closeReason, "closeReason", CloseReason.allCases.map(\.rawValue))
    }

    static let schema = Schema.object(
        [
            ("status", Schema.string(enumeration: ["acknowledged", "in_progress", "closed"])),
            ("assignee", Schema.string("Assign the alert (which also starts work on a new one).", pattern: nonBlank)),
            (
                "closeReason",
                Schema.string(
                    "Why it is closed; needed with status closed.", enumeration: CloseReason.allCases.map(\.rawValue))
            ),
            ("comment", Schema.string("A comment for the alert's history.", pattern: nonBlank)),
        ],
        extra: [
            JSONMember(
                "anyOf",
                .array(
                    ["status", "assignee", "comment"].map { .object([JSONMember("required", .array([.string($0)]))]) })),
            JSONMember(
                "if",
                .object([
                    JSONMember(
                        "properties", .object([JSONMember("status", .object([JSONMember("const", .string("closed"))]))])
                    ),
                    JSONMember("required", .array([.string("status")])),
                ])),
            JSONMember("then", .object([JSONMember("required", .array([.string("closeReason")]))])),
        ])
}

extension AlertBulk {
    func check() throws {
        try Body.requireText(assignee, "assignee")
        try Body.requireText(message, "message")
        try Body.requireChoice(reason, "reason", CloseReason.allCases.map(\.rawValue))
        if ids?.isEmpty == true { throw APIError.badRequest("`ids` is empty; leave it out to use only `filter`.") }
        if let id = ids?.first(where: { $0 < 1 }) {
            throw APIError.badRequest("`ids` holds \(id); alert ids are 1 or more.")
        }
    }

    static let schema = Schema.object(
        [
            ("ids", Schema.array(Schema.integer(1...Int(Int64.max)), minItems: 1, "The alerts to change.")),
            (
                "filter",
                Schema.object(
                    AlertRoutes.filterParameters.map { parameter in
                        guard case .object(let members) = parameter.bodySchema else {
                            return (parameter.name, parameter.bodySchema)
                        }
                        return (parameter.name, .object(members + [JSONMember("minLength", .int(1))]))
                    },
                    "Or the alerts matching these filters of GET /alerts (at least one).",
                    extra: [
                        JSONMember("minProperties", .int(1)), JSONMember("additionalProperties", .bool(false)),
                    ])
            ),
            ("action", Schema.string(enumeration: ["ack", "acknowledge", "assign", "comment", "close", "reopen"])),
            ("assignee", Schema.string("For assign.", pattern: nonBlank)),
            ("reason", Schema.string("For close.", enumeration: CloseReason.allCases.map(\.rawValue))),
            ("message", Schema.string("For comment (required), close and reopen.", pattern: nonBlank)),
        ],
        required: ["action"],
        extra: [
            JSONMember(
                "anyOf",
                .array(["ids", "filter"].map { .object([JSONMember("required", .array([.string($0)]))]) })),
            JSONMember(
                "allOf",
                .array(
                    [("assign", "assignee"), ("comment", "message"), ("close", "reason")].map { action, field in
                        .object([
                            JSONMember(
                                "if",
                                .object([
                                    JSONMember(
                                        "properties",
                                        .object([JSONMember("action", .object([JSONMember("const", .string(action))]))])
                                    ),
                                    JSONMember("required", .array([.string("action")])),
                                ])),
                            JSONMember("then", .object([JSONMember("required", .array([.string(field)]))])),
                        ])
                    })),
        ])
}

extension Escalation {
    func check() throws {
        try Body.requireText(title, "title")
    }

    static let schema = Schema.object(
        [
            ("ids", Schema.array(Schema.integer(1...Int(Int64.max)), minItems: 1, "The alerts.")),
            (
                "incident",
                Schema.string(
                    "An existing incident to add them to (IR-2026-0001); else a new one.",
                    pattern: IncidentRoutes.keyPattern)
            ),
            ("title", Schema.string("The new incident's title (default: the first alert's).", pattern: nonBlank)),
            (
                "severity",
                Schema.string(
                    "The new incident's severity (default: the highest alert's).",
                    enumeration: Severity.allCases.map(\.name))
            ),
        ],
        required: ["ids"])
}
