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
            "List alerts (the filters of `alert list`: since/until on event time, receivedSince on receipt)."
        ) {
            request, _ in
            let page = try await services.alerts.list(try query(request))
            return Body.response(
                json: .object([
                    JSONMember("alerts", .array(page.alerts.map { $0.jsonObject() })),
                    JSONMember("nextCursor", page.nextCursor.map { .string($0.token) } ?? .null),
                ]))
        }
        table.add(.get, "/api/v1/alerts/{id}", .read, tag: "alerts", "One alert with its OCSF record.") {
            _, context in
            let id = try alertID(context)
            let alert = try await services.alerts.alert(id)
            let ocsf = try await services.alerts.ocsf(id)
            var object = alert.jsonObject()
            if case .object(var members) = object, let record = try? JSONParser.parse(ocsf) {
                members.append(JSONMember("ocsf", record))
                object = .object(members)
            }
            return Body.response(json: object)
        }
        table.add(.patch, "/api/v1/alerts/{id}", .triage, tag: "alerts", "Change status, assignee or close reason.") {
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
            .post, "/api/v1/alerts/bulk", .triage, tag: "alerts", "Apply one change to many alerts (ids or filter)."
        ) {
            request, context in
            let identity = try context.require(.triage)
            let bulk = try await Body.decode(AlertBulk.self, from: request, limit: bodyLimit)
            let change = try bulk.change()
            var ids = bulk.ids ?? []
            if let filter = bulk.filter {
                var query = try AlertQuery.parseWhere(filter, now: services.now())
                query.limit = 1_000
                while true {
                    let page = try await services.alerts.list(query)
                    ids += page.alerts.map(\.id)
                    guard let next = page.nextCursor else { break }
                    query.cursor = next
                }
            }
            guard !ids.isEmpty || bulk.filter != nil else { throw APIError.badRequest("give `ids` or `filter`.") }
            var results: [JSONValue] = []
            for id in ids {
                do {
                    let alert = try await services.alerts.apply(change, to: id, by: identity.actor)
                    results.append(
                        .object([
                            JSONMember("id", .int(id)), JSONMember("ok", .bool(true)),
                            JSONMember("status", .string(alert.status.rawValue)),
                        ]))
                } catch let error as CoreReconError {
                    results.append(
                        .object([
                            JSONMember("id", .int(id)), JSONMember("ok", .bool(false)),
                            JSONMember("error", .string("\(error)")),
                        ]))
                }
            }
            return Body.response(json: .object([JSONMember("results", .array(results))]))
        }
        table.add(
            .post, "/api/v1/alerts/escalate", .triage, tag: "alerts", "Escalate alerts to a new or existing incident."
        ) { request, context in
            let identity = try context.require(.triage)
            let body = try await Body.decode(Escalation.self, from: request, limit: bodyLimit)
            let key = try body.incident.map { try services.incidents.key($0) }
            let incident = try await services.incidents.escalate(
                body.ids, to: key, title: body.title, severity: try body.severity.map(parseSeverity),
                by: identity.actor)
            return try Body.response(incident, status: key == nil ? .created : .ok)
        }
        table.add(.get, "/api/v1/alerts/{id}/related", .read, tag: "alerts", "Alerts sharing observables.") {
            _, context in
            let related = try await services.alerts.related(try alertID(context))
            return Body.response(
                json: .array(
                    related.map { item in
                        .object([
                            JSONMember("alert", item.alert.jsonObject()),
                            JSONMember(
                                "shared",
                                .array(
                                    item.shared.map {
                                        .object([
                                            JSONMember("type", .string($0.kind.rawValue)),
                                            JSONMember("value", .string($0.value)),
                                        ])
                                    })),
                        ])
                    }))
        }
        table.add(.get, "/api/v1/alerts/{id}/history", .read, tag: "alerts", "Every change to an alert.") {
            _, context in
            let entries = try await services.alerts.history(try alertID(context))
            return Body.response(
                json: .array(
                    entries.map { entry in
                        .object([
                            JSONMember("at", .string(ISO8601Format.string(from: entry.at))),
                            JSONMember("actor", .string(entry.actor)), JSONMember("action", .string(entry.action)),
                            JSONMember("field", entry.field.map(JSONValue.string) ?? .null),
                            JSONMember("oldValue", entry.oldValue.map(JSONValue.string) ?? .null),
                            JSONMember("newValue", entry.newValue.map(JSONValue.string) ?? .null),
                            JSONMember("message", entry.message.map(JSONValue.string) ?? .null),
                        ])
                    }))
        }
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
            technique: request.query("technique"), now: services.now(), optionPrefix: "")
        if let text = request.query("limit") {
            guard let limit = Int(text), (1...1_000).contains(limit) else {
                throw APIError.badRequest("limit must be 1 to 1000.")
            }
            query.limit = limit
        }
        if let sort = request.query("sort") {
            guard let value = AlertSort(rawValue: sort) else {
                throw APIError.badRequest(
                    "sort must be one of \(AlertSort.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            query.sort = value
        }
        if let cursor = request.query("cursor") { query.cursor = try AlertCursor(token: cursor) }
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
struct AlertPatch: Decodable {
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
struct AlertBulk: Decodable {
    var ids: [Int64]?
    /// `--where` syntax: `severity=high status=new`.
    var filter: String?
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
struct Escalation: Decodable {
    var ids: [Int64]
    var incident: String?
    var title: String?
    var severity: String?
}
