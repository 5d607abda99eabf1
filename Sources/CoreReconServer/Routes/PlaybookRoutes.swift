import CoreRecon
import CoreReconStore
import Foundation
import Hummingbird

/// `/api/v1/playbooks` and `/api/v1/playbook-runs`: what `corerecon playbook` does, over HTTP. Viewers read,
/// lint and dry-run; analysts run `manual` playbooks; leads and admins run any, and cancel and retry runs.
struct PlaybookRoutes {
    let services: AppServices
    let bodyLimit: Int

    func register(on table: inout RouteTable) {
        table.add(
            .get, "/api/v1/playbooks", .read, tag: "playbooks",
            "The playbooks of playbooks.path, with whether each is enabled, its last run, and the files left out.",
            APIOperation(responses: [.json(200, "The playbooks.", Schema.ref("PlaybookList"))])
        ) { _, _ in
            let runner = services.playbooks()
            let summaries = try await runner.summaries()
            return Body.response(
                json: .object([
                    JSONMember("playbooks", .array(summaries.map(\.json))),
                    JSONMember("issues", .array(runner.library.issues.map(\.json))),
                    JSONMember("directory", services.config.playbooksPath.map(JSONValue.string) ?? .null),
                ]))
        }
        table.add(
            .get, "/api/v1/playbooks/{name}", .read, tag: "playbooks", "One playbook: triggers, inputs and steps.",
            APIOperation(responses: [.json(200, "The playbook.", Schema.ref("Playbook"))])
        ) { _, context in
            let runner = services.playbooks()
            let name = try playbook(context, runner).name
            guard let summary = try await runner.summaries().first(where: { $0.playbook.name == name }) else {
                throw missing(name, runner)
            }
            return Body.response(json: summary.json)
        }
        for (verb, summary) in [
            ("enable", "Switch a playbook on: it reacts to events again."),
            ("disable", "Switch a playbook off: events no longer become its runs (runs under way go on)."),
        ] {
            table.add(
                .post, "/api/v1/playbooks/{name}/\(verb)", .respond, tag: "playbooks", summary,
                APIOperation(responses: [.json(200, "The playbook after the change.", Schema.ref("Playbook"))])
            ) { _, context in
                let identity = try context.require(.respond)
                let runner = services.playbooks()
                let name = try playbook(context, runner).name
                try await runner.setEnabled(name, verb == "enable", by: identity.actor)
                guard let summary = try await runner.summaries().first(where: { $0.playbook.name == name }) else {
                    throw missing(name, runner)
                }
                return Body.response(json: summary.json)
            }
        }
        table.add(
            .post, "/api/v1/playbooks/lint", .read, tag: "playbooks",
            "Check playbook files (sent in the body) together: every problem with its line and column.",
            APIOperation(
                body: .json(
                    Schema.object(
                        [
                            (
                                "files",
                                Schema.array(
                                    Schema.object(
                                        [
                                            ("name", Schema.string("A file name, for messages.", pattern: nonBlank)),
                                            ("content", Schema.string("The YAML text.")),
                                        ], required: ["name", "content"]), minItems: 1, maxItems: 100)
                            )
                        ], required: ["files"])),
                responses: [
                    .json(200, "The problems; `valid` is false when one is an error.", Schema.ref("PlaybookLint"))
                ])
        ) { request, _ in
            let body = try JSONParser.parse(try await Body.json(request, limit: bodyLimit).readableBytesView)
            guard let files = body[key: "files"]?.arrayValue, !files.isEmpty, files.count <= 100 else {
                throw APIError.badRequest("give `files`: 1 to 100 objects with `name` and `content`.")
            }
            var issues: [PlaybookIssue] = []
            var playbooks: [Playbook] = []
            for (index, file) in files.enumerated() {
                guard case .string(let name)? = file[key: "name"], !name.trimmingCharacters(in: .whitespaces).isEmpty,
                    case .string(let content)? = file[key: "content"]
                else { throw APIError.badRequest("files[\(index)] needs `name` and `content` (text).") }
                let (playbook, problems) = Playbook.parse(content, path: name)
                issues += problems
                if let playbook {
                    issues += PlaybookLint.check(playbook, allowExec: services.config.playbooksAllowExec)
                    if !problems.contains(where: { $0.level == .error }) { playbooks.append(playbook) }
                }
            }
            issues += PlaybookLint.checkCalls(
                playbooks
                    + services.loadPlaybooks().sorted.filter { loaded in
                        !playbooks.contains { $0.name == loaded.name }
                    }
            ).filter { issue in files.contains { $0[key: "name"]?.text == issue.file } }
            return Body.response(
                json: .object([
                    JSONMember("valid", .bool(!issues.contains { $0.level == .error })),
                    JSONMember("issues", .array(issues.map(\.json))),
                ]))
        }
        table.add(
            .post, "/api/v1/playbooks/{name}/test", .read, tag: "playbooks",
            "Dry-run a playbook: conditions, resolved inputs, read-only steps carried out; nothing written.",
            APIOperation(
                body: .json(
                    Schema.object([
                        (
                            "event",
                            Schema.describe(
                                "A stream event ({\"type\": \"alert.created\", \"alert\": {...}}) or an alert record of any ingest format."
                            )
                        ),
                        ("alert", Schema.integer(1...Int(Int64.max), "A stored alert instead.")),
                        ("incident", Schema.string("A stored incident instead (IR-2026-0007).", pattern: nonBlank)),
                        ("type", Schema.string("The event type.", enumeration: Playbook.triggerNames)),
                        ("inputs", Schema.map(Schema.describe("Any JSON value."), "Inputs, for manual playbooks.")),
                        (
                            "content",
                            Schema.string(
                                "A playbook file's YAML to dry-run instead of the loaded playbook; its name must be the path's."
                            )
                        ),
                        ("file", Schema.string("The file `content` came from, for messages.", pattern: nonBlank)),
                        ("eventFile", Schema.string("The file `event` came from, for messages.", pattern: nonBlank)),
                    ])),
                responses: [.json(200, "Step by step, what would happen.", Schema.ref("PlaybookTestReport"))])
        ) { request, context in
            let body = try JSONParser.parse(try await Body.json(request, limit: bodyLimit).readableBytesView)
            let runner: PlaybookService
            let playbook: Playbook
            if let content = body[key: "content"] {
                // A file of the caller's: checked as `playbook test FILE` checks it, against this server's settings.
                guard case .string(let text) = content else { throw APIError.badRequest("`content` is YAML text.") }
                let file = body[key: "file"]?.nonEmptyText ?? "content"
                let (parsed, issues) = Playbook.parse(text, path: file)
                playbook = try Playbook.checked(
                    parsed, issues: issues, file: file, allowExec: services.config.playbooksAllowExec)
                let name = context.parameters.get("name") ?? ""
                guard playbook.name == name else {
                    throw APIError.badRequest("\(file) holds playbook '\(playbook.name)', not '\(name)'.")
                }
                runner = services.playbooks(PlaybookLibrary(playbooks: [playbook]))
            } else {
                runner = services.playbooks()
                playbook = try self.playbook(context, runner)
            }
            var type = body[key: "type"]?.text
            var scope: [JSONMember] = []
            if let event = body[key: "event"] {
                let found = try runner.testContext(
                    eventJSON: event.jsonString, file: body[key: "eventFile"]?.nonEmptyText ?? "event")
                type = type ?? found.type
                scope = found.context
            } else if let alert = body[key: "alert"]?.int {
                scope = [try await runner.targetContext(.alert(Int64(alert))).0]
                type = type ?? "alert.created"
            } else if let incident = body[key: "incident"]?.text {
                scope = [try await runner.targetContext(.incident(incident)).0]
                type = type ?? "incident.created"
            }
            let eventType = type ?? "manual"
            guard Playbook.triggerNames.contains(eventType) else {
                throw APIError.badRequest("`type` must be one of \(Playbook.triggerNames.joined(separator: ", ")).")
            }
            var inputs: [String: JSONValue] = [:]
            for member in body[key: "inputs"]?.members ?? [] { inputs[member.key] = member.value }
            let report = try await runner.test(playbook, type: eventType, context: scope, inputs: inputs)
            return Body.response(json: report.json)
        }
        table.add(
            .post, "/api/v1/playbooks/{name}/run", .triage, tag: "playbooks",
            "Run a playbook now about an alert or an incident, with inputs; the server's runner carries it out.",
            roleNote: "analyst: manual playbooks only",
            APIOperation(
                body: .json(
                    Schema.object([
                        ("alert", Schema.integer(1...Int(Int64.max), "The alert the run is about.")),
                        ("incident", Schema.string("The incident the run is about.", pattern: nonBlank)),
                        ("inputs", Schema.map(Schema.describe("Any JSON value."), "The playbook's inputs.")),
                    ])),
                responses: [.json(202, "Queued; follow it at /api/v1/playbook-runs/{id}.", Schema.ref("PlaybookRun"))],
                problems: [(409, "The playbook is switched off.")])
        ) { request, context in
            let identity = try context.require(.triage)
            let runner = services.playbooks()
            let playbook = try playbook(context, runner)
            if !playbook.isManual && !identity.role.permissions.contains(.respond) {
                throw APIError(
                    status: .forbidden,
                    detail: "\(playbook.name) is not a manual playbook; only leads and admins run it.")
            }
            if try await runner.disabled().contains(playbook.name) {
                throw APIError(status: .conflict, detail: "\(playbook.name) is disabled.")
            }
            let body = try JSONParser.parse(try await Body.json(request, limit: bodyLimit).readableBytesView)
            var target: PlaybookService.Target?
            if let alert = body[key: "alert"] {
                guard let id = alert.int, id > 0 else { throw APIError.badRequest("`alert` is an alert id.") }
                target = .alert(Int64(id))
            }
            if let incident = body[key: "incident"] {
                guard target == nil, let key = incident.nonEmptyText else {
                    throw APIError.badRequest("give `alert` or `incident` (an incident key), not both.")
                }
                target = .incident(key)
            }
            var inputs: [String: JSONValue] = [:]
            for member in body[key: "inputs"]?.members ?? [] { inputs[member.key] = member.value }
            let run = try await runner.start(playbook.name, target: target, inputs: inputs, actor: identity.actor)
            // The runner wakes on this process's changes.
            services.changes.changed()
            return Body.response(json: run.json, status: .accepted)
        }
        table.add(
            .get, "/api/v1/playbook-runs", .read, tag: "playbooks", "Playbook runs, newest first.",
            APIOperation(
                query: [
                    QueryParameter("playbook", .text(maxLength: 100), "Only this playbook's."),
                    QueryParameter(
                        "status", .choice(PlaybookRun.Status.allCases.map(\.rawValue)), "Only in this status."),
                    QueryParameter("alert", .integer(1...Int(Int64.max)), "Only runs about this alert."),
                    QueryParameter("incident", .text(maxLength: 40), "Only runs about this incident."),
                    QueryParameter("limit", .integer(1...10_000), "At most this many (default 50)."),
                ],
                responses: [.json(200, "The runs.", Schema.array(Schema.ref("PlaybookRun")))])
        ) { request, _ in
            var target: PlaybookService.Target?
            if let alert = request.query("alert").flatMap({ Int64($0) }) { target = .alert(alert) }
            if let incident = request.query("incident") {
                // A run is about one alert or one incident: both filters together match nothing.
                guard target == nil else { return Body.response(json: .array([])) }
                target = .incident(incident)
            }
            let runs = try await services.playbooks(PlaybookLibrary()).runs(
                playbook: request.query("playbook"),
                status: request.query("status").flatMap(PlaybookRun.Status.init(rawValue:)), target: target,
                limit: request.query("limit").flatMap { Int($0) } ?? 50)
            return Body.response(json: .array(runs.map(\.json)))
        }
        table.add(
            .get, "/api/v1/playbook-runs/{id}", .read, tag: "playbooks",
            "One run with each step's inputs, outputs, timing and error.",
            APIOperation(responses: [.json(200, "The run.", Schema.ref("PlaybookRunDetail"))])
        ) { _, context in
            let (run, steps) = try await services.playbooks(PlaybookLibrary()).run(try runID(context))
            return Body.response(json: Self.detail(run, steps))
        }
        for (verb, summary) in [
            ("cancel", "Cancel a run that has not finished; it stops before its next step."),
            ("retry", "Queue a failed or cancelled run again from the step that did not finish."),
        ] {
            table.add(
                .post, "/api/v1/playbook-runs/{id}/\(verb)", .respond, tag: "playbooks", summary,
                APIOperation(
                    responses: [.json(200, "The run after the change.", Schema.ref("PlaybookRun"))],
                    problems: [(409, verb == "cancel" ? "The run has finished." : "The run has not failed.")])
            ) { _, context in
                let identity = try context.require(.respond)
                let runner = services.playbooks(PlaybookLibrary())
                let id = try runID(context)
                let run =
                    verb == "cancel"
                    ? try await runner.cancel(id, actor: identity.actor)
                    : try await runner.retry(id, actor: identity.actor)
                services.changes.changed()
                return Body.response(json: run.json)
            }
        }
    }

    func playbook(_ context: AppContext, _ runner: PlaybookService) throws -> Playbook {
        let name = context.parameters.get("name") ?? ""
        guard let playbook = runner.library.playbooks[name] else { throw missing(name, runner) }
        return playbook
    }

    /// 404 for a playbook that is not loaded, naming those that are, as `corerecon playbook` says it.
    func missing(_ name: String, _ runner: PlaybookService) -> APIError {
        .notFound(
            PlaybookCatalog.notLoaded(name, loaded: runner.library.sorted.map(\.name), issues: runner.library.issues))
    }

    func runID(_ context: AppContext) throws -> Int64 {
        guard let text = context.parameters.get("id"), let id = Int64(text), id > 0 else {
            throw APIError.notFound("run ids are positive numbers.")
        }
        return id
    }

    static func detail(_ run: PlaybookRun, _ steps: [PlaybookStepRecord]) -> JSONValue {
        guard case .object(var members) = run.json else { return run.json }
        members.append(JSONMember("steps", .array(steps.map(\.json))))
        return .object(members)
    }
}
