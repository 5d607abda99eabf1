import CoreRecon
import CoreReconStore
import Foundation
import Hummingbird
import NIOCore

/// `/api/v1/incidents`: the incident lifecycle, as `corerecon incident` has it.
struct IncidentRoutes {
    let services: AppServices
    let bodyLimit: Int

    func register(on table: inout RouteTable) {
        table.add(.get, "/api/v1/incidents", .read, tag: "incidents", "List incidents, newest first.") { request, _ in
            try Body.response(try await services.incidents.list(try query(request)))
        }
        table.add(.post, "/api/v1/incidents", .triage, tag: "incidents", "Create an incident, optionally from alerts.")
        {
            request, context in
            let identity = try context.require(.triage)
            let body = try await Body.decode(NewIncident.self, from: request, limit: bodyLimit)
            let incident = try await services.incidents.create(
                .init(
                    title: body.title, severity: try body.severity.map(parseSeverity), type: body.type,
                    description: body.description, assignee: body.assignee),
                alerts: body.alerts ?? [], by: identity.actor)
            return try Body.response(incident, status: .created)
        }
        table.add(.get, "/api/v1/incidents/{id}", .read, tag: "incidents", "An incident with everything about it.") {
            _, context in
            try Body.response(try await services.incidents.detail(try key(context)))
        }
        table.add(
            .patch, "/api/v1/incidents/{id}", .triage, tag: "incidents",
            "Change state, assignee, title, severity, type or description."
        ) { request, context in
            let identity = try context.require(.triage)
            let key = try key(context)
            let body = try await Body.decode(IncidentPatch.self, from: request, limit: bodyLimit)
            var incident = try await services.incidents.incident(key)
            if body.title != nil || body.severity != nil || body.type != nil || body.description != nil {
                incident = try await services.incidents.update(
                    key, title: body.title, severity: try body.severity.map(parseSeverity), type: body.type,
                    description: body.description, by: identity.actor)
            }
            if let assignee = body.assignee {
                incident = try await services.incidents.assign(key, to: assignee, by: identity.actor)
            }
            if let state = body.state {
                guard let target = IncidentState(rawValue: state) else {
                    throw APIError.badRequest(
                        "state must be one of \(IncidentState.allCases.map(\.rawValue).joined(separator: ", ")).")
                }
                incident = try await services.incidents.move(key, to: target, message: body.message, by: identity.actor)
            }
            return try Body.response(incident)
        }
        table.add(
            .post, "/api/v1/incidents/{id}/close", .triage, tag: "incidents", "Close with a resolution and summary."
        ) { request, context in
            let identity = try context.require(.triage)
            let body = try await Body.decode(Closing.self, from: request, limit: bodyLimit)
            guard let resolution = IncidentResolution(rawValue: body.resolution) else {
                throw APIError.badRequest(
                    "resolution must be one of \(IncidentResolution.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            return try Body.response(
                try await services.incidents.close(
                    try key(context), resolution: resolution, summary: body.summary, lessons: body.lessons,
                    by: identity.actor))
        }
        table.add(.post, "/api/v1/incidents/{id}/reopen", .triage, tag: "incidents", "Reopen a closed incident.") {
            request, context in
            let identity = try context.require(.triage)
            let body = try? await Body.decode(Note.self, from: request, limit: bodyLimit)
            return try Body.response(
                try await services.incidents.reopen(try key(context), message: body?.message, by: identity.actor))
        }
        table.add(.post, "/api/v1/incidents/{id}/observables", .triage, tag: "incidents", "Add an observable.") {
            request, context in
            let identity = try context.require(.triage)
            let body = try await Body.decode(NewObservable.self, from: request, limit: bodyLimit)
            var type: ObservableType?
            if let name = body.type {
                guard let parsed = ObservableType(rawValue: name) else {
                    throw APIError.badRequest(
                        "type must be one of \(ObservableType.allCases.map(\.rawValue).joined(separator: ", ")).")
                }
                type = parsed
            }
            let (observable, isNew) = try await services.incidents.addObservable(
                try key(context), value: body.value, type: type, isIOC: body.ioc ?? false,
                tlp: body.tlp.flatMap(TLP.init(name:)), tags: body.tags ?? [], by: identity.actor)
            return try Body.response(observable, status: isNew ? .created : .ok)
        }
        table.add(.get, "/api/v1/incidents/{id}/timeline", .read, tag: "incidents", "The timeline, in order.") {
            _, context in
            try Body.response(try await services.incidents.timeline(try key(context)))
        }
        table.add(.post, "/api/v1/incidents/{id}/timeline", .triage, tag: "incidents", "Add a note to the timeline.") {
            request, context in
            let identity = try context.require(.triage)
            let body = try await Body.decode(Note.self, from: request, limit: bodyLimit)
            guard let message = body.message else { throw APIError.badRequest("the body lacks `message`.") }
            let key = try key(context)
            try await services.incidents.addNote(
                key, at: body.at, category: body.category.flatMap { ATTACKCatalog.embedded.tactic($0)?.shortName },
                message: message, by: identity.actor)
            return try Body.response(try await services.incidents.timeline(key), status: .created)
        }
        table.add(.post, "/api/v1/incidents/{id}/techniques", .triage, tag: "incidents", "Map to an ATT&CK technique.")
        {
            request, context in
            let identity = try context.require(.triage)
            let body = try await Body.decode(Mapping.self, from: request, limit: bodyLimit)
            let key = try key(context)
            let added = try await services.incidents.map(
                key, technique: body.technique, tactic: body.tactic, by: identity.actor)
            return try Body.response(
                try await services.incidents.detail(key).techniques, status: added ? .created : .ok)
        }
        table.add(.post, "/api/v1/incidents/{id}/tasks", .triage, tag: "incidents", "Add a task.") {
            request, context in
            let identity = try context.require(.triage)
            let body = try await Body.decode(NewTask.self, from: request, limit: bodyLimit)
            return try Body.response(
                try await services.incidents.addTask(
                    try key(context), title: body.title, description: body.description, assignee: body.assignee,
                    by: identity.actor),
                status: .created)
        }
        table.add(.patch, "/api/v1/incidents/{id}/tasks/{number}", .triage, tag: "incidents", "Move a task.") {
            request, context in
            let identity = try context.require(.triage)
            let body = try await Body.decode(TaskPatch.self, from: request, limit: bodyLimit)
            guard let number = context.parameters.get("number").flatMap(Int.init) else {
                throw APIError.notFound("task numbers are positive numbers.")
            }
            guard let state = TaskState(rawValue: body.state) else {
                throw APIError.badRequest(
                    "state must be one of \(TaskState.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            return try Body.response(
                try await services.incidents.setTask(try key(context), number: number, to: state, by: identity.actor))
        }
        table.add(
            .get, "/api/v1/incidents/{id}/report", .read, tag: "incidents",
            "The post-incident report: Markdown, or JSON with `?format=json` or `Accept: application/json`."
        ) { request, context in
            let detail = try await services.incidents.detail(try key(context))
            let names = try await services.attack.catalog()
            let report = IncidentReport(detail: detail, generatedAt: services.now()) { names.technique($0)?.name }
            if request.query("format") == "json" || request.headers[.accept]?.contains("application/json") == true {
                return try Body.response(report)
            }
            return Response(
                status: .ok, headers: [.contentType: "text/markdown; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: report.markdown)))
        }
        table.add(
            .post, "/api/v1/incidents/{id}/evidence", .triage, tag: "incidents",
            "Store the body as evidence (`?name=FILE&description=...`), content-addressed by SHA-256."
        ) { request, context in
            let identity = try context.require(.triage)
            guard let name = request.query("name"), !name.contains("/") else {
                throw APIError.badRequest("give the file name as ?name=FILE (no slashes).")
            }
            var request = request
            let body = try await request.collectBody(upTo: bodyLimit)
            let item = try await services.incidents.addEvidence(
                try key(context), content: Data(body.readableBytesView), fileName: name,
                description: request.query("description"), by: identity.actor)
            return try Body.response(item, status: .created)
        }
        table.add(.get, "/api/v1/incidents/{id}/evidence", .read, tag: "incidents", "Evidence with hashes.") {
            _, context in
            try Body.response(try await services.incidents.evidence(try key(context)))
        }
        table.add(
            .get, "/api/v1/incidents/{id}/evidence/{number}", .read, tag: "incidents",
            "Download evidence, checked against its SHA-256 (recorded in its chain of custody)."
        ) { _, context in
            let identity = try context.require(.read)
            guard let number = context.parameters.get("number").flatMap(Int64.init) else {
                throw APIError.notFound("evidence numbers are positive numbers.")
            }
            let (item, content) = try await services.incidents.exportEvidence(
                try key(context), evidence: number, destination: "api download", by: identity.actor)
            return Response(
                status: .ok,
                headers: [
                    .contentType: "application/octet-stream",
                    .contentDisposition:
                        "attachment; filename=\"\(item.fileName.replacingOccurrences(of: "\"", with: ""))\"",
                    .contentSHA256: item.sha256,
                ],
                body: .init(byteBuffer: ByteBuffer(bytes: content)))
        }
        table.add(.get, "/api/v1/incidents/{id}/history", .read, tag: "incidents", "Every change, field by field.") {
            _, context in
            try Body.response(try await services.incidents.history(try key(context)))
        }
        table.add(.get, "/api/v1/incident-metrics", .read, tag: "incidents", "Counts and response times (`since`).") {
            request, _ in
            let now = services.now()
            let since = try TimeExpression.parse(request.query("since") ?? "30d", now: now, option: "since")
            let until =
                try request.query("until").map { text throws(CoreReconError) in
                    try TimeExpression.parse(text, now: now, option: "until")
                } ?? now
            return try Body.response(try await services.incidents.metrics(since: since, until: until))
        }
    }

    func key(_ context: AppContext) throws -> IncidentKey {
        do {
            return try services.incidents.key(context.parameters.get("id") ?? "")
        } catch {
            throw APIError.notFound("\(error)")
        }
    }

    func query(_ request: Request) throws -> IncidentQuery {
        var query = IncidentQuery()
        for name in (request.query("status") ?? "").split(separator: ",") {
            guard let state = IncidentState(rawValue: String(name)) else {
                throw APIError.badRequest("status '\(name)' is not an incident state.")
            }
            query.states.append(state)
        }
        query.minimumSeverity = try request.query("severity").map(parseSeverity)
        query.assignee = request.query("assignee")
        query.type = request.query("type")
        query.search = request.query("search")
        if let technique = request.query("technique") {
            guard AlertQuery.isTechniqueID(technique) else {
                throw APIError.badRequest("technique must be like T1059.")
            }
            query.technique = technique
        }
        let now = services.now()
        query.since = try request.query("since").map { text throws(CoreReconError) in
            try TimeExpression.parse(text, now: now, option: "since")
        }
        query.until = try request.query("until").map { text throws(CoreReconError) in
            try TimeExpression.parse(text, now: now, option: "until")
        }
        if let text = request.query("limit") {
            guard let limit = Int(text), (1...1_000).contains(limit) else {
                throw APIError.badRequest("limit must be 1 to 1000.")
            }
            query.limit = limit
        }
        if let text = request.query("offset") {
            guard let offset = Int(text), offset >= 0 else { throw APIError.badRequest("offset must be 0 or more.") }
            query.offset = offset
        }
        return query
    }
}

struct NewIncident: Decodable {
    var title: String
    var severity: String?
    var type: String?
    var description: String?
    var assignee: String?
    var alerts: [Int64]?
}

struct IncidentPatch: Decodable {
    var state: String?
    var assignee: String?
    var title: String?
    var severity: String?
    var type: String?
    var description: String?
    var message: String?
}

struct Closing: Decodable {
    var resolution: String
    var summary: String
    var lessons: String?
}

struct Note: Decodable {
    var message: String?
    var at: Date?
    var category: String?
}

struct NewObservable: Decodable {
    var value: String
    var type: String?
    var ioc: Bool?
    var tlp: String?
    var tags: [String]?
}

struct Mapping: Decodable {
    var technique: String
    var tactic: String?
}

struct NewTask: Decodable {
    var title: String
    var description: String?
    var assignee: String?
}

struct TaskPatch: Decodable {
    var state: String
}
