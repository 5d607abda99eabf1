import CoreRecon
import Foundation
import NIOHTTP1
import SQLKit

/// Where a step runs: the run, the step, who acts.
struct ActionContext: Sendable {
    var run: PlaybookRun
    var stepID: String
    var position: Int
    var iteration: Int
    var actor: String
    var timeout: Duration
}

/// A step's inputs, read with errors that name the input.
struct ActionInputs {
    let action: String
    let members: [JSONMember]

    init(_ action: String, _ value: JSONValue) {
        self.action = action
        members = value.members ?? []
    }

    func value(_ name: String) -> JSONValue? {
        guard let found = members.last(where: { $0.key == name })?.value, !found.isNull else { return nil }
        return found
    }

    func fail(_ name: String, _ reason: String) -> CoreReconError {
        .invalidInput(location: "\(action) input \(name)", reason: reason)
    }

    func string(_ name: String) throws -> String? {
        guard let value = value(name) else { return nil }
        switch value {
        case .string(let text): return text
        case .number(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        default: throw fail(name, "must be text, not \(value.jsonString.prefix(60))")
        }
    }

    func requiredString(_ name: String) throws -> String {
        guard let text = try string(name), !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw fail(name, "is required and empty")
        }
        return text
    }

    func integer(_ name: String) throws -> Int64? {
        guard let value = value(name) else { return nil }
        guard let text = value.text, let number = Int64(text.trimmingCharacters(in: .whitespaces)) else {
            throw fail(name, "must be a whole number, not \(value.jsonString.prefix(60))")
        }
        return number
    }

    func requiredInteger(_ name: String) throws -> Int64 {
        guard let number = try integer(name) else { throw fail(name, "is required") }
        return number
    }

    /// A list; a single value is a list of one, and text with commas is split.
    func list(_ name: String) throws -> [JSONValue] {
        guard let value = value(name) else { return [] }
        switch value {
        case .array(let items): return items.filter { !$0.isNull }
        case .string(let text):
            return text.split(separator: ",").map { .string($0.trimmingCharacters(in: .whitespaces)) }
        default: return [value]
        }
    }

    func duration(_ name: String) throws -> Duration? {
        guard let value = value(name) else { return nil }
        if case .number(let text) = value, let seconds = Double(text), seconds >= 0 {
            return .milliseconds(Int64(seconds * 1_000))
        }
        guard let text = value.text, let duration = AppConfig.parseDuration(text) else {
            throw fail(name, "must be a duration such as 30s, 15m, 4h or 2d")
        }
        return duration
    }

    func bool(_ name: String) throws -> Bool? {
        guard let value = value(name) else { return nil }
        guard let flag = value.bool else { throw fail(name, "must be true or false") }
        return flag
    }
}

extension PlaybookService {
    /// Carries out one action with resolved inputs; returns its outputs.
    func act(_ action: PlaybookAction, inputs value: JSONValue, context: ActionContext) async throws -> JSONValue {
        let inputs = ActionInputs(action.name, value)
        let actor = context.actor
        switch action.name {
        case "alert.set":
            let id = try inputs.requiredInteger("alert")
            let alerts = services.alerts
            var alert = try await alerts.alert(id)
            if let assignee = try inputs.string("assignee"), alert.assignee != assignee {
                alert = try await alerts.apply(.assign(to: assignee), to: id, by: actor)
            }
            if let status = try inputs.string("status") {
                switch status {
                case alert.status.rawValue: break
                case "acknowledged": alert = try await alerts.apply(.acknowledge, to: id, by: actor)
                case "in_progress":
                    throw inputs.fail("status", "an alert becomes in_progress when it is assigned; give an assignee")
                default:
                    throw inputs.fail("status", "'\(status)' cannot be set here; use acknowledged, or alert.close")
                }
            }
            return .object([
                JSONMember("id", .int(alert.id)), JSONMember("status", .string(alert.status.rawValue)),
                JSONMember("assignee", alert.assignee.map(JSONValue.string) ?? .null),
                JSONMember("severity", .string(alert.severity.name)),
            ])
        case "alert.close":
            let id = try inputs.requiredInteger("alert")
            let reasonText = try inputs.requiredString("reason")
            guard let reason = CloseReason(rawValue: reasonText) else {
                throw inputs.fail(
                    "reason",
                    "'\(reasonText)' is not one of \(CloseReason.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            var alert = try await services.alerts.alert(id)
            if alert.status != .closed {
                alert = try await services.alerts.apply(
                    .close(reason: reason, message: try inputs.string("comment")), to: id, by: actor)
            }
            return .object([JSONMember("id", .int(alert.id)), JSONMember("status", .string(alert.status.rawValue))])
        case "alert.comment":
            let id = try inputs.requiredInteger("alert")
            let alert = try await services.alerts.apply(.comment(try inputs.requiredString("text")), to: id, by: actor)
            return .object([JSONMember("id", .int(alert.id))])
        case "alert.related":
            let id = try inputs.requiredInteger("alert")
            let limit = Int(try inputs.integer("limit") ?? 100)
            guard (1...1_000).contains(limit) else { throw inputs.fail("limit", "must be 1...1000") }
            let alert = try await services.alerts.alert(id)
            var related = try await services.alerts.related(id, limit: limit)
            if let window = try inputs.duration("window") {
                related.removeAll { abs($0.alert.lastSeen.timeIntervalSince(alert.lastSeen)) > window.seconds }
            }
            return .object([
                JSONMember("ids", .array(related.map { .int($0.alert.id) })), JSONMember("count", .int(related.count)),
                JSONMember(
                    "alerts",
                    .array(
                        related.map { item in
                            .object([
                                JSONMember("id", .int(item.alert.id)), JSONMember("title", .string(item.alert.title)),
                                JSONMember("severity", .string(item.alert.severity.name)),
                                JSONMember("status", .string(item.alert.status.rawValue)),
                                JSONMember("shared", .array(item.shared.map { .string($0.value) })),
                            ])
                        })),
            ])
        case "alert.escalate":
            var ids: [Alert.ID] = []
            for item in try inputs.list("alerts") {
                guard let id = item.text.flatMap({ Int64($0) }) else {
                    throw inputs.fail("alerts", "'\(item.jsonString)' is not an alert id")
                }
                if !ids.contains(id) { ids.append(id) }
            }
            let incidents = services.incidents
            let key = try inputs.string("incident").map { try incidents.key($0) }
            let incident = try await incidents.escalate(ids, to: key, title: try inputs.string("title"), by: actor)
            return .object([JSONMember("id", .string(incident.key.description))])
        case "incident.create":
            var ids: [Alert.ID] = []
            for item in try inputs.list("alerts") {
                guard let id = item.text.flatMap({ Int64($0) }) else {
                    throw inputs.fail("alerts", "'\(item.jsonString)' is not an alert id")
                }
                if !ids.contains(id) { ids.append(id) }
            }
            var severity: Severity?
            if let text = try inputs.string("severity") {
                guard let parsed = Severity(name: text) else {
                    throw inputs.fail("severity", "'\(text)' is not low, medium, high or critical")
                }
                severity = parsed
            }
            let incident = try await services.incidents.create(
                IncidentService.NewIncident(
                    title: try inputs.requiredString("title"), severity: severity, type: try inputs.string("type"),
                    description: try inputs.string("description"), assignee: try inputs.string("assignee")),
                alerts: ids, by: actor)
            return .object([
                JSONMember("id", .string(incident.key.description)),
                JSONMember("state", .string(incident.state.rawValue)),
                JSONMember("severity", .string(incident.severity.name)),
            ])
        case "incident.set":
            let incidents = services.incidents
            let key = try incidents.key(try inputs.requiredString("incident"))
            var incident = try await incidents.incident(key)
            if let assignee = try inputs.string("assignee"), incident.assignee != assignee {
                incident = try await incidents.assign(key, to: assignee, by: actor)
            }
            if let stateText = try inputs.string("state") {
                guard let state = IncidentState(rawValue: stateText), state != .closed else {
                    throw inputs.fail(
                        "state", "'\(stateText)' is not one of triage, investigating, contained, eradicated, recovered")
                }
                if incident.state != state {
                    incident = try await incidents.move(
                        key, to: state, message: try inputs.string("comment"), by: actor)
                }
            }
            return .object([
                JSONMember("id", .string(incident.key.description)),
                JSONMember("state", .string(incident.state.rawValue)),
                JSONMember("assignee", incident.assignee.map(JSONValue.string) ?? .null),
            ])
        case "incident.task.add":
            let incidents = services.incidents
            let key = try incidents.key(try inputs.requiredString("incident"))
            let task = try await incidents.addTask(
                key, title: try inputs.requiredString("title"), description: try inputs.string("description"),
                assignee: try inputs.string("assignee"), by: actor)
            return .object([JSONMember("incident", .string(key.description)), JSONMember("number", .int(task.number))])
        case "incident.observable.add":
            let incidents = services.incidents
            let key = try incidents.key(try inputs.requiredString("incident"))
            var type: ObservableType?
            if let text = try inputs.string("type") {
                guard let parsed = ObservableType(rawValue: text) else {
                    throw inputs.fail(
                        "type",
                        "'\(text)' is not one of \(ObservableType.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                type = parsed
            }
            let (observable, _) = try await incidents.addObservable(
                key, value: try inputs.requiredString("value"), type: type, isIOC: try inputs.bool("ioc") ?? false,
                tlp: nil, tags: try inputs.list("tags").compactMap(\.text), by: actor)
            return .object([
                JSONMember("incident", .string(key.description)), JSONMember("value", .string(observable.value)),
                JSONMember("type", .string(observable.type.rawValue)),
            ])
        case "incident.timeline.add":
            let incidents = services.incidents
            let key = try incidents.key(try inputs.requiredString("incident"))
            try await incidents.addNote(
                key, at: nil, category: try inputs.string("category"), message: try inputs.requiredString("text"),
                by: actor)
            return .object([JSONMember("incident", .string(key.description))])
        case "incident.map":
            let incidents = services.incidents
            let key = try incidents.key(try inputs.requiredString("incident"))
            let technique = try inputs.requiredString("technique")
            let added = try await incidents.map(
                key, technique: technique, tactic: try inputs.string("tactic"), by: actor)
            return .object([
                JSONMember("incident", .string(key.description)), JSONMember("technique", .string(technique)),
                JSONMember("added", .bool(added)),
            ])
        case "ioc.lookup":
            return try await lookup(try inputs.requiredString("value"))
        case "ioc.add":
            let raw = Refang.refang(try inputs.requiredString("value"))
            let type: IndicatorType
            if let text = try inputs.string("type") {
                guard let parsed = IndicatorType(rawValue: text) else {
                    throw inputs.fail("type", "unknown type '\(text)'")
                }
                type = parsed
            } else {
                guard let detected = IndicatorType.detect(raw) else {
                    throw inputs.fail("value", "the type of '\(raw)' cannot be told; give type")
                }
                type = detected
            }
            guard let canonical = type.canonical(raw) else {
                throw inputs.fail("value", "'\(raw)' is not a valid \(type.rawValue)")
            }
            var tlp: TLP?
            if let text = try inputs.string("tlp") {
                guard let parsed = TLP(rawValue: text) else { throw inputs.fail("tlp", "'\(text)' is not a TLP") }
                tlp = parsed
            }
            var report = IndicatorReport(
                type: type, value: canonical, source: actor, tlp: tlp,
                confidence: try inputs.integer("confidence").map { Int(min(max($0, 0), 100)) },
                tags: try inputs.list("tags").compactMap(\.text), description: try inputs.string("description"))
            report.location = "playbook run \(context.run.id) step \(context.stepID)"
            let summary = try await services.indicators.importReports([report], actor: actor)
            return .object([
                JSONMember("value", .string(canonical)), JSONMember("type", .string(type.rawValue)),
                JSONMember("created", .bool(summary.new > 0)),
            ])
        case "notify":
            return try await notify(inputs, context: context)
        case "http.request":
            return try await httpRequest(inputs, timeout: context.timeout)
        case "wait":
            guard let duration = try inputs.duration("duration") else { throw inputs.fail("duration", "is required") }
            throw WaitRequest(until: now().addingTimeInterval(duration.seconds))
        case "playbook.call":
            return try await call(inputs, context: context)
        case "exec":
            return try await exec(inputs, timeout: context.timeout)
        default:
            throw CoreReconError.invalidInput(location: "uses", reason: "unknown action '\(action.name)'")
        }
    }

    func lookup(_ value: String) async throws -> JSONValue {
        let indicator: Indicator
        do {
            indicator = try await services.indicators.find(value)
        } catch CoreReconError.notFound {
            return .object([JSONMember("found", .bool(false)), JSONMember("value", .string(Refang.refang(value)))])
        }
        let decay = services.config.ioc.decay
        let at = now()
        let active = !indicator.revoked && indicator.warning == nil && decay.expiry(indicator, at: at) == nil
        return .object([
            JSONMember("found", .bool(active)), JSONMember("value", .string(indicator.value)),
            JSONMember("id", .int(indicator.id)), JSONMember("type", .string(indicator.type.rawValue)),
            JSONMember("score", PlaybookExpression.json((decay.score(indicator, at: at) * 10).rounded() / 10)),
            JSONMember("confidence", .int(indicator.confidence)),
            JSONMember("tlp", indicator.tlp.map { .string($0.rawValue) } ?? .null),
            JSONMember("tags", .array(indicator.tags.map(JSONValue.string))),
            JSONMember("sources", .array(indicator.sources.map { .string($0.name) })),
            JSONMember("expired", .bool(!active)),
        ])
    }

    /// Queues a message in the notification outbox (delivered, retried and dead-lettered as every other).
    func notify(_ inputs: ActionInputs, context: ActionContext) async throws -> JSONValue {
        let channel = try inputs.requiredString("channel")
        guard services.config.notify.channels[channel] != nil else {
            let known = services.config.notify.channels.keys.sorted().joined(separator: ", ")
            throw inputs.fail(
                "channel", "no channel '\(channel)' under notify.channels (known: \(known.isEmpty ? "none" : known))")
        }
        let text = try inputs.requiredString("text")
        let at = now()
        var resource: [JSONMember] = [
            JSONMember("id", .string("playbook \(context.run.playbook)")), JSONMember("title", .string(text)),
        ]
        if let subject = try inputs.string("subject") { resource.append(JSONMember("subject", .string(subject))) }
        let payload = JSONValue.object([
            JSONMember("type", .string("playbook.notify")), JSONMember("at", .string(ISO8601Format.string(from: at))),
            JSONMember("run", .int(context.run.id)), JSONMember("incident", .object(resource)),
        ]).jsonString
        let subject = (try? NotificationMessage(eventJSON: payload).subject) ?? text
        let id = try await database.transaction { sql in
            try await sql.raw(
                """
                INSERT INTO notifications (channel, rule, event_type, event_id, subject, payload, created_at, state,
                    attempts, next_attempt_at)
                VALUES (\(bind: channel), \(bind: context.actor), 'playbook.notify', NULL, \(bind: subject),
                    \(bind: payload), \(bind: at.milliseconds), 'pending', 0, \(bind: at.milliseconds))
                RETURNING id
                """
            ).first(decodingColumn: "id", as: Int64.self)
        }
        services.changes.changed()
        return .object([JSONMember("id", id.map { .int($0) } ?? .null), JSONMember("channel", .string(channel))])
    }

    func httpRequest(_ inputs: ActionInputs, timeout: Duration) async throws -> JSONValue {
        let url = try inputs.requiredString("url")
        var body: [UInt8]?
        var headers: [(String, String)] = []
        if let json = inputs.value("json") {
            body = Array(json.jsonString.utf8)
            headers.append(("Content-Type", "application/json"))
        } else if let text = try inputs.string("body") {
            body = Array(text.utf8)
            headers.append(("Content-Type", "text/plain; charset=utf-8"))
        }
        for member in inputs.value("headers")?.members ?? [] {
            headers.append((member.key, PlaybookExpression.text(member.value)))
        }
        let methodText = (try inputs.string("method") ?? (body == nil ? "GET" : "POST")).uppercased()
        guard ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"].contains(methodText) else {
            throw inputs.fail("method", "'\(methodText)' is not GET, POST, PUT, PATCH, DELETE or HEAD")
        }
        let expected = try inputs.list("expect").compactMap { $0.text.flatMap { Int($0) } }
        let fetcher = HTTPFetcher(timeout: timeout, maximumBytes: 1 << 20)
        let response = try await fetcher.send(HTTPMethod(rawValue: methodText), url, headers: headers, body: body)
        let ok = expected.isEmpty ? (200..<300).contains(response.status) : expected.contains(response.status)
        let text = String(decoding: response.body, as: UTF8.self)
        guard ok else {
            throw CoreReconError.failed(
                "\(methodText) \(url) answered \(response.status)\(text.isEmpty ? "" : ": \(text.prefix(200))")")
        }
        var headerMembers: [JSONMember] = []
        for header in response.headers {
            headerMembers.append(JSONMember(header.name.lowercased(), .string(header.value)))
        }
        return .object([
            JSONMember("status", .int(response.status)), JSONMember("body", .string(String(text.prefix(64 << 10)))),
            JSONMember("json", (try? JSONParser.parse(response.body, limits: InputLimits().json)) ?? .null),
            JSONMember("headers", .object(headerMembers)),
        ])
    }

    /// Runs another playbook as a child of this run: created once (its trigger key is the calling step), carried
    /// out here, and its outcome is the step's.
    func call(_ inputs: ActionInputs, context: ActionContext) async throws -> JSONValue {
        let name = try inputs.requiredString("playbook")
        guard let callee = library.playbooks[name] else { throw notLoadedError(name) }
        var given: [String: JSONValue] = [:]
        for member in inputs.value("inputs")?.members ?? [] { given[member.key] = member.value }
        for input in callee.inputs where input.required && given[input.name] == nil {
            throw inputs.fail("inputs", "\(name) needs input '\(input.name)'")
        }
        var childContext = (context.run.context.members ?? []).filter { $0.key != "inputs" }
        childContext.append(JSONMember("inputs", defaults(of: callee, given: given)))
        let key = "call:\(context.run.id):\(context.position):\(context.iteration)"
        let target = context.run.targetType.flatMap { type in context.run.targetID.map { (type: type, id: $0) } }
        let childID = try await database.transaction { sql -> Int64? in
            if let id = try await insertRun(
                callee, trigger: "playbook.call", triggerKey: key, eventID: context.run.eventID, target: target,
                concurrencyKey: nil, status: .queued, error: nil, context: .object(childContext),
                actor: context.actor, parent: context.run.id, on: sql)
            {
                return id.id
            }
            return try await sql.raw(
                "SELECT id FROM playbook_runs WHERE playbook = \(bind: name) AND trigger_key = \(bind: key)"
            ).first(decodingColumn: "id", as: Int64.self)
        }
        guard let childID else { throw CoreReconError.failed("the called run was not recorded") }
        var child = try await run(childID).run
        if !child.status.isFinished, let claimed = try await claim(id: childID) {
            child = try await execute(claimed)
        }
        switch child.status {
        case .succeeded:
            let steps = try await run(childID).steps.filter { $0.iteration == -1 }
            return .object([
                JSONMember("run", .int(childID)), JSONMember("status", .string("succeeded")),
                JSONMember("steps", .object(steps.map { JSONMember($0.stepID, $0.outputs ?? .null) })),
            ])
        case .failed, .cancelled, .joined:
            throw CoreReconError.failed(
                "playbook \(name) (run \(childID)) \(child.status.rawValue): \(child.error ?? "")")
        case .waiting, .queued, .running:
            throw WaitRequest(until: child.wakeAt ?? now().addingTimeInterval(5))
        }
    }

    /// Runs a local command (no shell), with a bounded output and the step's timeout.
    func exec(_ inputs: ActionInputs, timeout: Duration) async throws -> JSONValue {
        guard services.config.playbooksAllowExec else {
            throw CoreReconError.configuration("exec steps are off; set playbooks.allowExec: true to allow them.")
        }
        let command = try inputs.list("command").map { PlaybookExpression.text($0) }
        guard let program = command.first, !program.isEmpty else { throw inputs.fail("command", "is empty") }
        let input = try inputs.string("stdin")
        // The command is waited for on a Dispatch thread, not on one of the few threads that run every task.
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(
                    with: Result {
                        try Self.runProcess(program, Array(command.dropFirst()), stdin: input, timeout: timeout)
                    })
            }
        }
    }

    static func runProcess(_ program: String, _ arguments: [String], stdin: String?, timeout: Duration) throws
        -> JSONValue
    {
        let process = Process()
        if program.contains("/") {
            process.executableURL = URL(fileURLWithPath: program)
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        }
        process.arguments = program.contains("/") ? arguments : [program] + arguments
        let output = Pipe()
        let errors = Pipe()
        let input = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()
        let limit = 1 << 20
        let collected = LockedData()
        let readers = DispatchGroup()
        for (pipe, index) in [(output, 0), (errors, 1)] {
            readers.enter()
            DispatchQueue.global().async {
                var data = Data()
                while true {
                    let chunk = pipe.fileHandleForReading.availableData
                    if chunk.isEmpty { break }
                    if data.count < limit { data.append(chunk.prefix(limit - data.count)) }
                }
                collected.set(index, data)
                readers.leave()
            }
        }
        let deadline = DispatchTime.now() + .milliseconds(Int(timeout.milliseconds))
        if readers.wait(timeout: deadline) == .timedOut {
            process.terminate()
            _ = readers.wait(timeout: .now() + 5)
            throw CoreReconError.failed("\(program) did not finish within \(describe(duration: timeout)); stopped")
        }
        process.waitUntilExit()
        let code = Int(process.terminationStatus)
        let stdout = String(decoding: collected.get(0), as: UTF8.self)
        let stderr = String(decoding: collected.get(1), as: UTF8.self)
        guard code == 0 else {
            throw CoreReconError.failed("\(program) exited \(code)\(stderr.isEmpty ? "" : ": \(stderr.prefix(300))")")
        }
        return .object([
            JSONMember("exitCode", .int(code)), JSONMember("stdout", .string(stdout)),
            JSONMember("stderr", .string(stderr)),
        ])
    }
}

/// Two buffers filled by reader threads.
final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var buffers = [Data(), Data()]

    func set(_ index: Int, _ data: Data) {
        lock.lock()
        buffers[index] = data
        lock.unlock()
    }

    func get(_ index: Int) -> Data {
        lock.lock()
        defer { lock.unlock() }
        return buffers[index]
    }
}
