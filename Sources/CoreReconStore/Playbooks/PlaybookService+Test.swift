import CoreRecon
import Foundation

/// What `playbook test` found: whether the trigger holds, and step by step what would happen.
public struct PlaybookTestReport: Sendable {
    public struct Step: Sendable {
        public var id: String
        public var action: String
        /// `run` (read-only, carried out), `would run`, `skip`, `error`.
        public var decision: String
        public var inputs: JSONValue?
        public var outputs: JSONValue?
        public var note: String?
    }

    public var playbook: String
    public var file: String
    public var event: String
    public var triggered: Bool
    public var reason: String
    public var concurrencyKey: String?
    public var steps: [Step]

    public var json: JSONValue {
        .object([
            JSONMember("playbook", .string(playbook)), JSONMember("file", .string(file)),
            JSONMember("event", .string(event)), JSONMember("triggered", .bool(triggered)),
            JSONMember("reason", .string(reason)),
            JSONMember("concurrencyKey", concurrencyKey.map(JSONValue.string) ?? .null),
            JSONMember(
                "steps",
                .array(
                    steps.map { step in
                        .object([
                            JSONMember("id", .string(step.id)), JSONMember("action", .string(step.action)),
                            JSONMember("decision", .string(step.decision)), JSONMember("inputs", step.inputs ?? .null),
                            JSONMember("outputs", step.outputs ?? .null),
                            JSONMember("note", step.note.map(JSONValue.string) ?? .null),
                        ])
                    })),
        ])
    }
}

extension PlaybookTestReport {
    /// A report as ``json`` gives it (the API's answer): nil when a field is missing or of the wrong kind.
    public init?(json: JSONValue) {
        func value(_ step: JSONValue, _ key: String) -> JSONValue? { step[key: key].flatMap { $0.isNull ? nil : $0 } }
        guard let playbook = json[key: "playbook"]?.text, let file = json[key: "file"]?.text,
            let event = json[key: "event"]?.text, let triggered = json[key: "triggered"]?.bool,
            let reason = json[key: "reason"]?.text, let steps = json[key: "steps"]?.arrayValue
        else { return nil }
        var read: [Step] = []
        for step in steps {
            guard let id = step[key: "id"]?.text, let action = step[key: "action"]?.text,
                let decision = step[key: "decision"]?.text
            else { return nil }
            read.append(
                Step(
                    id: id, action: action, decision: decision, inputs: value(step, "inputs"),
                    outputs: value(step, "outputs"), note: step[key: "note"]?.text))
        }
        self.init(
            playbook: playbook, file: file, event: event, triggered: triggered, reason: reason,
            concurrencyKey: json[key: "concurrencyKey"]?.text, steps: read)
    }
}

extension PlaybookService {
    /// The context of a dry run from an event file: a stream event (`{"type": "alert.created", "alert": {...}}`)
    /// as the API and the WebSocket stream send them, or a SIEM alert record of any format `ingest` reads, taken
    /// as the alert it would become (event `alert.created`).
    public func testContext(eventJSON text: String, file: String) throws -> (type: String, context: [JSONMember]) {
        let value: JSONValue
        do {
            value = try JSONParser.parse(text)
        } catch {
            throw CoreReconError.invalidInput(location: file, reason: "not JSON: \(error)")
        }
        let members = value.members ?? []
        if let type = members.first(where: { $0.key == "type" })?.value.text,
            Playbook.triggerNames.contains(type) || type == "manual",
            members.contains(where: { $0.key == "alert" || $0.key == "incident" })
        {
            var context = members.filter { $0.key == "alert" || $0.key == "incident" }
            context.append(
                JSONMember(
                    "event", .object([JSONMember("type", .string(type)), JSONMember("id", .int(0))])))
            context.append(JSONMember("inputs", .object([])))
            return (type, context)
        }
        let normalizer = AlertNormalizer(settings: services.config.ingest, format: nil, sourceLabel: nil)
        let records = try AlertNormalizer.parse(Array(text.utf8), limits: services.config.ingest.limits.json)
        guard let record = records.first else {
            throw CoreReconError.invalidInput(location: file, reason: "no alert record in it")
        }
        let normalized: NormalizedAlert
        do {
            normalized = try normalizer.normalize(record, raw: text, receivedAt: now())
        } catch {
            throw CoreReconError.invalidInput(location: file, reason: "not an alert CoreRecon reads: \(error)")
        }
        return (
            "alert.created",
            [
                JSONMember("alert", PlaybookContext.alert(from: normalized, at: now())),
                JSONMember(
                    "event", .object([JSONMember("type", .string("alert.created")), JSONMember("id", .int(0))])),
                JSONMember("inputs", .object([])),
            ]
        )
    }

    /// A dry run of `playbook` for an event of `type` with `context`: conditions evaluated, inputs resolved,
    /// read-only steps (`alert.related`, `ioc.lookup`) carried out against the database, every other step shown
    /// as what it would do. Nothing is written.
    public func test(_ playbook: Playbook, type: String, context: [JSONMember], inputs: [String: JSONValue] = [:])
        async throws -> PlaybookTestReport
    {
        var scope = PlaybookExpression.Scope(values: [:], now: now())
        for member in context { scope.values[member.key] = member.value }
        if !inputs.isEmpty || scope.values["inputs"] == nil {
            scope.values["inputs"] = defaults(of: playbook, given: inputs)
        }
        // A stored alert or incident comes without its event: the run's trigger stands for it.
        scope.values["event"] = scope.values["event"] ?? .object([JSONMember("type", .string(type))])
        scope.values["run"] = .object([JSONMember("id", .int(0)), JSONMember("trigger", .string(type))])
        scope.values["playbook"] = .object([
            JSONMember("name", .string(playbook.name)), JSONMember("version", .string(playbook.version)),
        ])
        let secrets = playbook.secretNames.sorted()
        scope.values["secrets"] = .object(secrets.map { JSONMember($0, .string("***")) })
        var report = PlaybookTestReport(
            playbook: playbook.name, file: playbook.path, event: type, triggered: false, reason: "", steps: [])
        guard let trigger = playbook.trigger(for: type) else {
            report.reason =
                "\(playbook.name) does not react to \(type) (on: \(playbook.triggers.map(\.event).joined(separator: ", ")))"
            return report
        }
        if let condition = trigger.condition {
            do {
                guard PlaybookExpression.truthy(try condition.evaluate(in: scope)) else {
                    report.reason = "the condition of on.\(type) does not hold"
                    return report
                }
            } catch {
                report.reason = "the condition of on.\(type) failed: \(error.message)"
                return report
            }
            report.reason = "the condition of on.\(type) holds"
        } else {
            report.reason = "on.\(type) has no condition"
        }
        report.triggered = true
        if let concurrency = playbook.concurrency {
            report.concurrencyKey = (try? concurrency.evaluate(in: scope)).map(PlaybookExpression.text)
        }
        var steps: [JSONMember] = []
        for step in playbook.steps {
            scope.values["steps"] = .object(steps)
            var entry = PlaybookTestReport.Step(id: step.id, action: step.uses, decision: "would run")
            if let condition = step.condition {
                do {
                    if !PlaybookExpression.truthy(try condition.evaluate(in: scope)) {
                        entry.decision = "skip"
                        entry.note = "if: does not hold"
                        report.steps.append(entry)
                        steps.append(JSONMember(step.id, .object([JSONMember("outcome", .string("skipped"))])))
                        continue
                    }
                } catch {
                    entry.decision = "error"
                    entry.note = "if: \(error.message)"
                    report.steps.append(entry)
                    if !step.continueOnError { break }
                    continue
                }
            }
            var items: [JSONValue]? = nil
            if let forEach = step.forEach {
                do {
                    let value = try forEach.evaluate(in: scope)
                    items = value.arrayValue ?? (value.isNull ? [] : [value])
                } catch {
                    entry.decision = "error"
                    entry.note = "for_each: \(error.message)"
                    report.steps.append(entry)
                    if !step.continueOnError { break }
                    continue
                }
            }
            var resolved: [JSONValue] = []
            var failure: String?
            for (index, item) in (items ?? [.null]).enumerated() {
                var inner = scope
                if items != nil {
                    inner.values["item"] = item
                    inner.values["index"] = .int(index)
                }
                do {
                    resolved.append(try PlaybookValue.object(step.with).resolve(in: inner))
                } catch {
                    failure = error.message
                    break
                }
            }
            if let failure {
                entry.decision = "error"
                entry.note = failure
                report.steps.append(entry)
                if !step.continueOnError { break }
                continue
            }
            entry.inputs = items == nil ? resolved.first : .array(resolved)
            if items != nil { entry.note = "for each of \(resolved.count) item(s)" }
            var outputs: JSONValue = .null
            let action = PlaybookAction.byName[step.uses]
            if let action, action.effect == .none, action.name != "wait" {
                var results: [JSONValue] = []
                for inputs in resolved {
                    let target = ActionInputs(action.name, inputs)
                    if action.name == "alert.related", (try? target.integer("alert")) == 0 {
                        entry.note = "the alert is not stored (id 0): nothing is related; count is 0"
                        results.append(
                            .object([
                                JSONMember("ids", .array([])), JSONMember("count", .int(0)),
                                JSONMember("alerts", .array([])),
                            ]))
                        continue
                    }
                    do {
                        results.append(
                            try await act(
                                action, inputs: inputs,
                                context: ActionContext(
                                    run: Self.dryRun(playbook), stepID: step.id, position: 0, iteration: -1,
                                    actor: "playbook:\(playbook.name)", timeout: .seconds(30))))
                        entry.decision = "run"
                        entry.note = "read-only: carried out" + (items == nil ? "" : " for \(resolved.count) item(s)")
                    } catch {
                        entry.decision = "error"
                        entry.note = Self.describe(error)
                        break
                    }
                }
                outputs =
                    items == nil
                    ? results.first ?? .null
                    : .object([JSONMember("results", .array(results)), JSONMember("count", .int(results.count))])
                entry.outputs = outputs
            } else if action?.name == "http.request" {
                entry.note = "would send this request"
            } else if action?.name == "notify" {
                entry.note = "would queue this message"
            } else if action?.name == "wait" {
                entry.note = "would pause the run"
            }
            report.steps.append(entry)
            steps.append(JSONMember(step.id, Self.withOutcome(outputs.isNull ? .object([]) : outputs, "succeeded")))
        }
        return report
    }

    static func dryRun(_ playbook: Playbook) -> PlaybookRun {
        PlaybookRun(
            id: 0, playbook: playbook.name, version: playbook.version, trigger: "test", triggerKey: "test",
            eventID: nil, targetType: nil, targetID: nil, concurrencyKey: nil, status: .running, context: .object([]),
            actor: "playbook:\(playbook.name)", error: nil, joinedRun: nil, parentRun: nil, createdAt: Date(),
            startedAt: nil, finishedAt: nil, wakeAt: nil)
    }
}
