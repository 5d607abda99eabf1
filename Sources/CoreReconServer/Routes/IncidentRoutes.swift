import CoreRecon
import CoreReconStore
import Foundation
import Hummingbird
import NIOCore

/// `/api/v1/incidents`: the incident lifecycle, as `corerecon incident` has it.
struct IncidentRoutes {
    let services: AppServices
    let bodyLimit: Int
    /// Evidence uploads are taken one at a time: each is held whole until it is stored (the database keeps it as
    /// one blob, and the drivers copy it on the way), so the server holds at most one file of up to
    /// `evidenceLimit`. Others wait with their bytes unread (TCP back-pressure).
    let evidenceUploads = AsyncGate()
    /// `server.evidenceLimit`.
    let evidenceLimit: Int

    func register(on table: inout RouteTable) {
        // The incident types the task templates define (config), for the document's enums.
        let types = (try? services.incidents.knownTypes()) ?? []
        table.add(
            .get, "/api/v1/incidents", .read, tag: "incidents", "List incidents, newest first.",
            APIOperation(
                query: Self.listParameters,
                responses: [.json(200, "The incidents.", Schema.array(Schema.ref("Incident")))])
        ) { request, _ in
            try Body.response(try await services.incidents.list(try query(request)))
        }
        table.add(
            .post, "/api/v1/incidents", .triage, tag: "incidents", "Create an incident, optionally from alerts.",
            APIOperation(
                body: .json(NewIncident.schema(types: types)),
                responses: [.json(201, "The new incident.", Schema.ref("Incident")).linking(Self.links)],
                problems: [(409, "An alert is closed or already escalated.")])
        ) {
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
        table.add(
            .get, "/api/v1/incidents/{id}", .read, tag: "incidents", "An incident with everything about it.",
            APIOperation(responses: [
                .json(
                    200, "The incident, its alerts, observables, tasks, techniques and evidence.",
                    Schema.ref("IncidentDetail"))
            ])
        ) {
            _, context in
            let detail = try await services.incidents.detail(try key(context))
            let now = services.now()
            let clocks = try await services.sla.clocks(of: .incident, id: detail.incident.id).map {
                $0.jsonObject(at: now)
            }
            // The detail as Codable writes it, with the clocks beside it.
            guard case .object(var members) = try JSONParser.parse(Array(try Body.encoder.encode(detail))) else {
                return try Body.response(detail)
            }
            members.append(JSONMember("sla", .array(clocks)))
            return Body.response(json: .object(members))
        }
        table.add(
            .patch, "/api/v1/incidents/{id}", .triage, tag: "incidents",
            "Change state, assignee, title, severity, type or description.",
            APIOperation(
                body: .json(
                    IncidentPatch.schema(types: types), "The changes, applied in order: fields, assignee, state."),
                responses: [.json(200, "The incident after the changes.", Schema.ref("Incident"))],
                problems: [(409, "The state change is not allowed from the current state, or the incident is closed.")])
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
            .post, "/api/v1/incidents/{id}/close", .triage, tag: "incidents", "Close with a resolution and summary.",
            APIOperation(
                body: .json(Closing.schema),
                responses: [.json(200, "The closed incident.", Schema.ref("Incident"))],
                problems: [(409, "The incident is already closed.")])
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
        table.add(
            .post, "/api/v1/incidents/{id}/reopen", .triage, tag: "incidents", "Reopen a closed incident.",
            APIOperation(
                body: RequestBody(
                    description: "Why, for the timeline (optional).", contentTypes: ["application/json"],
                    schema: Reopening.schema, isRequired: false),
                responses: [.json(200, "The reopened incident.", Schema.ref("Incident"))],
                problems: [(409, "The incident is not closed.")])
        ) {
            request, context in
            let identity = try context.require(.triage)
            // The body is optional; when there is one it must be a valid note.
            var request = request
            let buffer = try await request.collectBody(upTo: bodyLimit)
            let body =
                buffer.readableBytes == 0
                ? nil : try Body.decode(Reopening.self, from: try Body.validJSON(buffer))
            return try Body.response(
                try await services.incidents.reopen(try key(context), message: body?.message, by: identity.actor))
        }
        table.add(
            .post, "/api/v1/incidents/{id}/observables", .triage, tag: "incidents", "Add an observable.",
            APIOperation(
                body: .json(NewObservable.schema),
                responses: [
                    .json(201, "The observable, new to the incident.", Self.addedObservable),
                    .json(200, "The observable, which the incident already had (tags merged).", Self.addedObservable),
                ])
        ) {
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
            let addition = try await services.addObservable(
                try key(context), value: body.value, type: type, isIOC: body.ioc ?? false,
                tlp: body.tlp.flatMap(TLP.init(name:)), tags: body.tags ?? [], by: identity.actor)
            if let problem = addition.indicatorProblem {
                // The observable is stored; a value the indicator store refuses stays with the incident only.
                context.logger.notice("Observable not kept as an indicator", metadata: ["error": "\(problem)"])
            }
            return Body.response(json: addition.jsonObject, status: addition.isNew ? .created : .ok)
        }
        table.add(
            .delete, "/api/v1/incidents/{id}/observables", .triage, tag: "incidents",
            "Remove an observable (`?value=`, and `type` when detection would guess wrong).",
            APIOperation(
                query: [
                    QueryParameter("value", .text(maxLength: 10_000), "The value.", required: true),
                    QueryParameter("type", .choice(ObservableType.allCases.map(\.rawValue)), "Its type."),
                ],
                responses: [APIResponse(status: 204, description: "Removed.", content: [])])
        ) { request, context in
            let identity = try context.require(.triage)
            try await services.incidents.removeObservable(
                try key(context), value: request.query("value") ?? "",
                type: request.query("type").flatMap(ObservableType.init(rawValue:)), by: identity.actor)
            return Response(status: .noContent)
        }
        table.add(
            .get, "/api/v1/incidents/{id}/timeline", .read, tag: "incidents", "The timeline, in order.",
            APIOperation(responses: [
                .json(200, "The timeline entries, oldest first.", Schema.array(Schema.ref("TimelineEntry")))
            ])
        ) {
            _, context in
            try Body.response(try await services.incidents.timeline(try key(context)))
        }
        table.add(
            .post, "/api/v1/incidents/{id}/timeline", .triage, tag: "incidents", "Add a note to the timeline.",
            APIOperation(
                body: .json(Note.timelineSchema),
                responses: [.json(201, "The timeline with the note.", Schema.array(Schema.ref("TimelineEntry")))])
        ) {
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
        table.add(
            .post, "/api/v1/incidents/{id}/techniques", .triage, tag: "incidents", "Map to an ATT&CK technique.",
            APIOperation(
                body: .json(Mapping.schema),
                responses: [
                    .json(
                        201, "The incident's techniques, with the new mapping.",
                        Schema.array(Schema.ref("TechniqueMapping"))),
                    .json(
                        200, "The incident's techniques; the mapping was there already.",
                        Schema.array(Schema.ref("TechniqueMapping"))),
                ])
        ) {
            request, context in
            let identity = try context.require(.triage)
            let body = try await Body.decode(Mapping.self, from: request, limit: bodyLimit)
            let key = try key(context)
            let added = try await services.incidents.map(
                key, technique: body.technique, tactic: body.tactic, by: identity.actor)
            return try Body.response(
                try await services.incidents.detail(key).techniques, status: added ? .created : .ok)
        }
        table.add(
            .post, "/api/v1/incidents/{id}/tasks", .triage, tag: "incidents", "Add a task.",
            APIOperation(
                body: .json(NewTask.schema),
                responses: [
                    .json(201, "The new task.", Schema.ref("Task")).linking([
                        (
                            "MoveTask",
                            Link.to(
                                "patch_api_v1_incidents_id_tasks_number", "Move the task.",
                                parameters: [("id", "$request.path.id"), ("number", "$response.body#/number")])
                        )
                    ])
                ])
        ) {
            request, context in
            let identity = try context.require(.triage)
            let body = try await Body.decode(NewTask.self, from: request, limit: bodyLimit)
            return try Body.response(
                try await services.incidents.addTask(
                    try key(context), title: body.title, description: body.description, assignee: body.assignee,
                    by: identity.actor),
                status: .created)
        }
        table.add(
            .patch, "/api/v1/incidents/{id}/tasks/{number}", .triage, tag: "incidents", "Move a task.",
            APIOperation(
                body: .json(TaskPatch.schema),
                responses: [.json(200, "The task in its new state.", Schema.ref("Task"))],
                problems: [(409, "The task cannot move to that state from its current one.")])
        ) {
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
            "The post-incident report: Markdown, or JSON with `?format=json` or `Accept: application/json`.",
            APIOperation(
                query: [QueryParameter("format", .choice(["markdown", "json"]), "markdown (default) or json.")],
                responses: [
                    APIResponse(
                        status: 200, description: "The report.",
                        content: [
                            ("text/markdown", Schema.string()), ("application/json", Schema.ref("IncidentReport")),
                        ])
                ])
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
            "Store the body as evidence (`?name=FILE&description=...`), content-addressed by SHA-256. Up to "
                + "server.evidenceLimit (64 MB by default) whatever the body limit; uploads are stored one at a time.",
            APIOperation(
                query: [
                    QueryParameter(
                        "name", .pattern("^[^/\\u0000]{1,255}$", example: "capture.pcap"),
                        "The file name (no slashes).",
                        required: true),
                    QueryParameter("description", .text(maxLength: 2_000), "What the evidence is."),
                ],
                headers: [
                    (
                        "X-Content-SHA256",
                        "The SHA-256 of the body as the sender hashed it: a body that arrives otherwise is refused (422).",
                        Schema.string(pattern: "^[0-9a-fA-F]{64}$")
                    )
                ],
                body: RequestBody(
                    description: "The file's bytes.", contentTypes: ["application/octet-stream"],
                    schema: Schema.string(format: "binary", minLength: 1)),
                responses: [
                    .json(201, "The stored evidence with its hashes.", Schema.ref("Evidence")).linking([
                        (
                            "DownloadEvidence",
                            Link.to(
                                "get_api_v1_incidents_id_evidence_number", "Download it.",
                                parameters: [("id", "$request.path.id"), ("number", "$response.body#/id")])
                        )
                    ])
                ])
        ) { request, context in
            let identity = try context.require(.triage)
            guard let name = request.query("name"), !name.contains("/") else {
                throw APIError.badRequest("give the file name as ?name=FILE (no slashes).")
            }
            let limit = max(bodyLimit, evidenceLimit)
            let tooLarge = APIError(
                status: .contentTooLarge,
                detail: "evidence sent to this server is limited to \(limit / 1_048_576) MB (server.evidenceLimit); "
                    + "keep larger captures in your evidence store and add a manifest with their hashes.")
            let declared = request.headers[.contentLength].flatMap { Int($0) }
            if let declared, declared > limit { throw tooLarge }
            let key = try key(context)
            return try await evidenceUploads.run {
                // Read as it arrives into one buffer: no second copy of the file.
                var content = Data(capacity: declared ?? 0)
                for try await chunk in request.body {
                    guard content.count + chunk.readableBytes <= limit else { throw tooLarge }
                    chunk.withUnsafeReadableBytes { content.append(contentsOf: $0) }
                }
                guard !content.isEmpty else { throw APIError.badRequest("the body is empty: send the file's bytes.") }
                if let sent = request.headers[.contentSHA256] {
                    let received = IncidentService.sha256(content)
                    guard sent.lowercased() == received else {
                        throw APIError(
                            status: .unprocessableContent,
                            detail: "the body's SHA-256 is \(received), not \(sent) as X-Content-SHA256 says: it "
                                + "changed on the way; nothing was stored.")
                    }
                }
                let item = try await services.incidents.addEvidence(
                    key, content: content, fileName: name, description: request.query("description"),
                    by: identity.actor)
                return try Body.response(item, status: .created)
            }
        }
        table.add(
            .get, "/api/v1/incidents/{id}/evidence", .read, tag: "incidents", "Evidence with hashes.",
            APIOperation(responses: [.json(200, "The incident's evidence.", Schema.array(Schema.ref("Evidence")))])
        ) {
            _, context in
            try Body.response(try await services.incidents.evidence(try key(context)))
        }
        table.add(
            .get, "/api/v1/incidents/{id}/evidence/{number}", .read, tag: "incidents",
            "Download evidence, checked against its SHA-256 (recorded in its chain of custody).",
            APIOperation(
                query: [
                    QueryParameter(
                        "destination", .text(maxLength: 1_000),
                        "Where the client writes it, for the chain of custody (default: api download).")
                ],
                responses: [
                    APIResponse(
                        status: 200, description: "The file's bytes.",
                        content: [("application/octet-stream", Schema.string(format: "binary"))],
                        headers: [
                            ("Content-Disposition", "attachment; filename=\"NAME\"", Schema.string()),
                            (
                                "X-Content-SHA256", "The SHA-256 of the bytes, hex.",
                                Schema.string(pattern: "^[0-9a-f]{64}$")
                            ),
                        ])
                ])
        ) { request, context in
            let identity = try context.require(.read)
            guard let number = context.parameters.get("number").flatMap(Int64.init) else {
                throw APIError.notFound("evidence numbers are positive numbers.")
            }
            let (item, content) = try await services.incidents.exportEvidence(
                try key(context), evidence: number, destination: request.query("destination") ?? "api download",
                by: identity.actor)
            return Response(
                status: .ok,
                headers: [
                    .contentType: "application/octet-stream",
                    .contentDisposition:
                        "attachment; filename=\"\(item.fileName.replacingOccurrences(of: "\"", with: ""))\"",
                    .contentSHA256: item.sha256,
                ],
                // Written a megabyte at a time from the one copy read from the database.
                body: ResponseBody(contentLength: content.count) { writer in
                    var offset = content.startIndex
                    while offset < content.endIndex {
                        let end = min(offset + (1 << 20), content.endIndex)
                        try await writer.write(ByteBuffer(bytes: content[offset..<end]))
                        offset = end
                    }
                    try await writer.finish(nil)
                })
        }
        table.add(
            .post, "/api/v1/incidents/{id}/evidence/{number}/verify", .triage, tag: "incidents",
            "Re-hash stored evidence against its recorded SHA-256 (recorded in its chain of custody).",
            APIOperation(responses: [.json(200, "The check, intact or not.", Schema.ref("EvidenceCheck"))])
        ) { _, context in
            let identity = try context.require(.triage)
            return try Body.response(
                try await services.incidents.verifyEvidence(
                    try key(context), evidence: try Self.evidenceNumber(context), by: identity.actor))
        }
        table.add(
            .get, "/api/v1/incidents/{id}/evidence/{number}/custody", .read, tag: "incidents",
            "The chain of custody of one evidence item, oldest first.",
            APIOperation(responses: [.json(200, "The entries.", Schema.array(Schema.ref("CustodyEntry")))])
        ) { _, context in
            try Body.response(
                try await services.incidents.custody(try key(context), evidence: try Self.evidenceNumber(context)))
        }
        table.add(
            .get, "/api/v1/incidents/{id}/history", .read, tag: "incidents", "Every change, field by field.",
            APIOperation(responses: [
                .json(200, "The changes, oldest first.", Schema.array(Schema.ref("IncidentChange")))
            ])
        ) {
            _, context in
            try Body.response(try await services.incidents.history(try key(context)))
        }
        table.add(
            .get, "/api/v1/incident-metrics", .read, tag: "incidents", "Counts and response times (`since`).",
            APIOperation(
                query: [
                    QueryParameter("since", .time, "From (default 30d)."),
                    QueryParameter("until", .time, "Up to (default now)."),
                ],
                responses: [
                    .json(200, "Counts by state, severity and type, and response times.", Schema.ref("IncidentMetrics"))
                ])
        ) {
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

    /// The query parameters of `GET /incidents`.
    static let listParameters: [QueryParameter] = [
        QueryParameter("status", .choices(IncidentState.allCases.map(\.rawValue)), "States, comma-separated."),
        QueryParameter("severity", .choice(Severity.allCases.map(\.name)), "The lowest severity."),
        QueryParameter("assignee", .text(maxLength: 200), "The assignee."),
        QueryParameter("type", .text(maxLength: 200), "The incident type."),
        QueryParameter("search", .text(maxLength: 1_000), "Words in the title or description."),
        QueryParameter(
            "technique", .pattern(QueryParameter.techniquePattern, example: "T1110"), "A mapped ATT&CK technique."),
        QueryParameter("since", .time, "Created from: a duration back from now or a timestamp."),
        QueryParameter("until", .time, "Created up to."),
        QueryParameter("limit", .integer(1...1_000), "At most this many (default 50)."),
        QueryParameter("offset", .integer(0...1_000_000), "Skip this many."),
    ]

    /// From a response naming an incident (`key`) to what can be done with it.
    static let links: [(name: String, link: JSONValue)] = {
        let key = "$response.body#/id"
        func to(_ name: String, _ id: String, _ description: String) -> (name: String, link: JSONValue) {
            (name, Link.to(id, description, parameters: [("id", key)]))
        }
        return [
            to("GetIncident", "get_api_v1_incidents_id", "The incident."),
            to("PatchIncident", "patch_api_v1_incidents_id", "Change it."),
            to("CloseIncident", "post_api_v1_incidents_id_close", "Close it."),
            to("ReopenIncident", "post_api_v1_incidents_id_reopen", "Reopen it."),
            to("AddObservable", "post_api_v1_incidents_id_observables", "Add an observable."),
            to("GetTimeline", "get_api_v1_incidents_id_timeline", "Its timeline."),
            to("AddNote", "post_api_v1_incidents_id_timeline", "Add a note."),
            to("MapTechnique", "post_api_v1_incidents_id_techniques", "Map a technique."),
            to("AddTask", "post_api_v1_incidents_id_tasks", "Add a task."),
            to("GetReport", "get_api_v1_incidents_id_report", "Its report."),
            to("AddEvidence", "post_api_v1_incidents_id_evidence", "Add evidence."),
            to("ListEvidence", "get_api_v1_incidents_id_evidence", "Its evidence."),
            to("IncidentHistory", "get_api_v1_incidents_id_history", "Its changes."),
        ]
    }()

    /// The answer of `POST /incidents/{id}/observables`.
    static let addedObservable: JSONValue = .object([
        JSONMember(
            "allOf",
            .array([
                Schema.ref("Observable"),
                Schema.object(
                    [
                        (
                            "indicator",
                            Schema.object(
                                [("id", Schema.integer()), ("type", Schema.string()), ("value", Schema.string())],
                                required: ["id", "type", "value"], "The indicator an IOC became.", nullable: true)
                        ),
                        (
                            "indicatorProblem",
                            Schema.string("Why an IOC did not become an indicator.", nullable: true)
                        ),
                    ], required: ["indicator", "indicatorProblem"]),
            ]))
    ])

    static func evidenceNumber(_ context: AppContext) throws -> Int64 {
        guard let number = context.parameters.get("number").flatMap(Int64.init), number > 0 else {
            throw APIError.notFound("evidence numbers are positive numbers.")
        }
        return number
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

struct NewIncident: CheckedBody {
    var title: String
    var severity: String?
    var type: String?
    var description: String?
    var assignee: String?
    var alerts: [Int64]?
}

struct IncidentPatch: CheckedBody {
    var state: String?
    var assignee: String?
    var title: String?
    var severity: String?
    var type: String?
    var description: String?
    var message: String?
}

struct Closing: CheckedBody {
    var resolution: String
    var summary: String
    var lessons: String?
}

struct Note: CheckedBody {
    var message: String?
    var at: Date?
    var category: String?
}

/// `POST /incidents/{id}/reopen`, optional.
struct Reopening: Decodable {
    var message: String?

    static let schema = Schema.object([("message", Schema.string("Why it is reopened, for the timeline."))])
}

struct NewObservable: CheckedBody {
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

struct NewTask: CheckedBody {
    var title: String
    var description: String?
    var assignee: String?
}

struct TaskPatch: Decodable {
    var state: String
}

extension IncidentRoutes {
    /// `IR-2026-0001`, or `IR-0001` for this year (any case).
    static let keyPattern = "^[Ii][Rr]-([0-9]{4}-)?[0-9]{0,3}[1-9][0-9]{0,4}$"
}

extension NewIncident {
    func check() throws {
        try Body.requireText(title, "title")
        try Body.requireText(assignee, "assignee")
    }

    static func schema(types: [String]) -> JSONValue {
        Schema.object(
            [
                ("title", Schema.string(pattern: nonBlank)),
                (
                    "severity",
                    Schema.string("Default medium, or the highest alert's.", enumeration: Severity.allCases.map(\.name))
                ),
                (
                    "type",
                    Schema.string(
                        "The incident type; it brings its task template.", enumeration: types.isEmpty ? nil : types)
                ),
                ("description", Schema.string()),
                ("assignee", Schema.string(pattern: nonBlank)),
                ("alerts", Schema.array(Schema.integer(1...Int(Int64.max)), "Alerts to escalate into it.")),
            ],
            required: ["title"])
    }
}

extension IncidentPatch {
    func check() throws {
        try Body.requireText(assignee, "assignee")
        try Body.requireText(title, "title")
        guard state != nil || assignee != nil || title != nil || severity != nil || type != nil || description != nil
        else { throw APIError.badRequest("give state, assignee, title, severity, type or description.") }
    }

    static func schema(types: [String]) -> JSONValue {
        Schema.object(
            [
                (
                    "state",
                    Schema.string(
                        "The next state (closing is POST .../close).",
                        enumeration: IncidentState.allCases.filter { $0 != .closed }.map(\.rawValue))
                ),
                ("assignee", Schema.string("The analyst; `none` to unassign.", pattern: nonBlank)),
                ("title", Schema.string(pattern: nonBlank)),
                ("severity", Schema.string(enumeration: Severity.allCases.map(\.name))),
                ("type", Schema.string(enumeration: types.isEmpty ? nil : types)),
                ("description", Schema.string()),
                ("message", Schema.string("A note for the timeline with a state change.")),
            ],
            extra: [
                JSONMember(
                    "anyOf",
                    .array(
                        ["state", "assignee", "title", "severity", "type", "description"].map {
                            .object([JSONMember("required", .array([.string($0)]))])
                        }))
            ])
    }
}

extension Closing {
    func check() throws {
        try Body.requireText(summary, "summary")
    }

    static let schema = Schema.object(
        [
            ("resolution", Schema.string(enumeration: IncidentResolution.allCases.map(\.rawValue))),
            ("summary", Schema.string("What happened, in a sentence or more.", pattern: nonBlank)),
            ("lessons", Schema.string("Lessons learned.")),
        ],
        required: ["resolution", "summary"])
}

extension Note {
    func check() throws {
        try Body.requireText(message, "message")
    }

    static let timelineSchema = Schema.object(
        [
            ("message", Schema.string(pattern: nonBlank)),
            ("at", Schema.dateTime("When it happened (default now).")),
            ("category", Schema.string("An ATT&CK tactic (id, short name or name) the note belongs to.")),
        ],
        required: ["message"])
}

extension NewObservable {
    func check() throws {
        try Body.requireText(value, "value")
        if let tlp, TLP(rawValue: tlp) == nil {
            throw APIError.badRequest("tlp must be one of \(TLP.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
    }

    static let schema = Schema.object(
        [
            ("value", Schema.string("The value; refanged and made canonical for its type.", pattern: nonBlank)),
            (
                "type",
                Schema.string(
                    "Detected from the value when not given.", enumeration: ObservableType.allCases.map(\.rawValue))
            ),
            ("ioc", Schema.boolean("Whether it is an indicator of compromise.")),
            ("tlp", Schema.string("TLP 2.0.", enumeration: TLP.allCases.map(\.rawValue))),
            ("tags", Schema.array(Schema.string())),
        ],
        required: ["value"])
}

extension Mapping {
    static let schema = Schema.object(
        [
            (
                "technique",
                Schema.string("A technique in the ATT&CK catalog.", pattern: QueryParameter.techniquePattern)
            ),
            ("tactic", Schema.string("One of the technique's tactics (short name); default its first.")),
        ],
        required: ["technique"])
}

extension NewTask {
    func check() throws {
        try Body.requireText(title, "title")
        try Body.requireText(assignee, "assignee")
    }

    static let schema = Schema.object(
        [
            ("title", Schema.string(pattern: nonBlank)),
            ("description", Schema.string()),
            ("assignee", Schema.string(pattern: nonBlank)),
        ],
        required: ["title"])
}

extension TaskPatch {
    static let schema = Schema.object(
        [("state", Schema.string(enumeration: TaskState.allCases.map(\.rawValue)))], required: ["state"])
}
