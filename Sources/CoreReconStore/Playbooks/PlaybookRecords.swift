import CoreRecon
import Foundation
import SQLKit

/// One run of a playbook, as stored.
public struct PlaybookRun: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable {
        case queued, running, waiting, succeeded, failed, cancelled
        /// An event whose concurrency key had a run going: recorded, handled by that run.
        case joined

        public var isFinished: Bool { [.succeeded, .failed, .cancelled, .joined].contains(self) }
    }

    public var id: Int64
    public var playbook: String
    public var version: String
    /// `alert.created`, ..., `schedule`, `manual`, `playbook.call`.
    public var trigger: String
    public var triggerKey: String
    public var eventID: Int64?
    /// `alert` or `incident`, and its id (`42`, `INC-2026-0007`).
    public var targetType: String?
    public var targetID: String?
    public var concurrencyKey: String?
    public var status: Status
    /// What its expressions read: `event`, `alert`, `incident`, `inputs`.
    public var context: JSONValue
    public var actor: String
    public var error: String?
    public var joinedRun: Int64?
    public var parentRun: Int64?
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    public var wakeAt: Date?

    /// The run as JSON (`playbook runs --json`, the API).
    public var json: JSONValue {
        func time(_ date: Date?) -> JSONValue { date.map { .string(ISO8601Format.string(from: $0)) } ?? .null }
        func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        return .object([
            JSONMember("id", .int(id)), JSONMember("playbook", .string(playbook)),
            JSONMember("version", .string(version)),
            JSONMember("trigger", .string(trigger)), JSONMember("triggerKey", .string(triggerKey)),
            JSONMember("eventId", eventID.map { .int($0) } ?? .null), JSONMember("targetType", text(targetType)),
            JSONMember("targetId", text(targetID)), JSONMember("concurrencyKey", text(concurrencyKey)),
            JSONMember("status", .string(status.rawValue)), JSONMember("actor", .string(actor)),
            JSONMember("error", text(error)), JSONMember("joinedRun", joinedRun.map { .int($0) } ?? .null),
            JSONMember("parentRun", parentRun.map { .int($0) } ?? .null),
            JSONMember("createdAt", time(createdAt)), JSONMember("startedAt", time(startedAt)),
            JSONMember("finishedAt", time(finishedAt)), JSONMember("wakeAt", time(wakeAt)),
        ])
    }

}

extension PlaybookRun {
    static let columns =
        "id, playbook, version, trigger, trigger_key, event_id, target_type, target_id, concurrency_key, status, "
        + "context, actor, error, joined_run, parent_run, created_at, started_at, finished_at, wake_at"

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: Int64.self)
        playbook = try row.decode(column: "playbook", as: String.self)
        version = try row.decode(column: "version", as: String.self)
        trigger = try row.decode(column: "trigger", as: String.self)
        triggerKey = try row.decode(column: "trigger_key", as: String.self)
        eventID = try row.decode(column: "event_id", as: Int64?.self)
        targetType = try row.decode(column: "target_type", as: String?.self)
        targetID = try row.decode(column: "target_id", as: String?.self)
        concurrencyKey = try row.decode(column: "concurrency_key", as: String?.self)
        status = Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .failed
        context = (try? JSONParser.parse(try row.decode(column: "context", as: String.self))) ?? .object([])
        actor = try row.decode(column: "actor", as: String.self)
        error = try row.decode(column: "error", as: String?.self)
        joinedRun = try row.decode(column: "joined_run", as: Int64?.self)
        parentRun = try row.decode(column: "parent_run", as: Int64?.self)
        createdAt = Date(milliseconds: try row.decode(column: "created_at", as: Int64.self))
        startedAt = try row.decode(column: "started_at", as: Int64?.self).map(Date.init(milliseconds:))
        finishedAt = try row.decode(column: "finished_at", as: Int64?.self).map(Date.init(milliseconds:))
        wakeAt = try row.decode(column: "wake_at", as: Int64?.self).map(Date.init(milliseconds:))
    }
}

/// One step of a run (one iteration of a `for_each` step; iteration -1 is the step as a whole).
public struct PlaybookStepRecord: Sendable, Equatable {
    public enum Status: String, Sendable {
        case running, waiting, succeeded, failed, skipped
    }

    public var runID: Int64
    public var position: Int
    public var iteration: Int
    public var stepID: String
    public var action: String
    public var status: Status
    public var attempts: Int
    /// The resolved inputs, secrets masked.
    public var inputs: JSONValue?
    public var outputs: JSONValue?
    public var error: String?
    public var startedAt: Date?
    public var finishedAt: Date?

    public var json: JSONValue {
        func time(_ date: Date?) -> JSONValue { date.map { .string(ISO8601Format.string(from: $0)) } ?? .null }
        return .object([
            JSONMember("position", .int(position)), JSONMember("iteration", .int(iteration)),
            JSONMember("step", .string(stepID)), JSONMember("action", .string(action)),
            JSONMember("status", .string(status.rawValue)), JSONMember("attempts", .int(attempts)),
            JSONMember("inputs", inputs ?? .null), JSONMember("outputs", outputs ?? .null),
            JSONMember("error", error.map(JSONValue.string) ?? .null), JSONMember("startedAt", time(startedAt)),
            JSONMember("finishedAt", time(finishedAt)),
            JSONMember(
                "milliseconds",
                startedAt.flatMap { start in finishedAt.map { .int(Int64($0.timeIntervalSince(start) * 1_000)) } }
                    ?? .null),
        ])
    }

    init(row: any SQLRow) throws {
        runID = try row.decode(column: "run_id", as: Int64.self)
        position = try row.decode(column: "position", as: Int.self)
        iteration = try row.decode(column: "iteration", as: Int.self)
        stepID = try row.decode(column: "step_id", as: String.self)
        action = try row.decode(column: "action", as: String.self)
        status = Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .failed
        attempts = try row.decode(column: "attempts", as: Int.self)
        inputs = try row.decode(column: "inputs", as: String?.self).flatMap { try? JSONParser.parse($0) }
        outputs = try row.decode(column: "outputs", as: String?.self).flatMap { try? JSONParser.parse($0) }
        error = try row.decode(column: "error", as: String?.self)
        startedAt = try row.decode(column: "started_at", as: Int64?.self).map(Date.init(milliseconds:))
        finishedAt = try row.decode(column: "finished_at", as: Int64?.self).map(Date.init(milliseconds:))
    }
}

/// A playbook with whether it is switched on, for `playbook list`.
public struct PlaybookSummary: Sendable {
    public var playbook: Playbook
    public var enabled: Bool
    public var lastRun: PlaybookRun?

    /// As `playbook show --format json` and the API give it.
    public var json: JSONValue { PlaybookOverview(self).json }
}

/// A playbook as `playbook list` and `show` print it, and as the API answers: what it reacts to, its inputs and
/// steps, whether it is switched on and its last run.
public struct PlaybookOverview: Sendable {
    public struct Trigger: Sendable {
        public var event: String
        public var cron: String?
    }

    public struct Input: Sendable {
        public var name: String
        public var required: Bool
        public var description: String?
    }

    public struct Step: Sendable {
        public var id: String
        public var uses: String
        /// Whether the step has an `if`, and a `for_each`.
        public var conditional: Bool
        public var forEach: Bool
    }

    public var name: String
    public var description: String?
    public var enabled: Bool
    public var file: String
    public var version: String
    public var triggers: [Trigger]
    public var inputs: [Input]
    public var steps: [Step]
    public var lastRun: PlaybookRun?

    public init(_ summary: PlaybookSummary) {
        let playbook = summary.playbook
        name = playbook.name
        description = playbook.description
        enabled = summary.enabled
        file = playbook.path
        version = playbook.version
        triggers = playbook.triggers.map { Trigger(event: $0.event, cron: $0.cron?.description) }
        inputs = playbook.inputs.map { Input(name: $0.name, required: $0.required, description: $0.description) }
        steps = playbook.steps.map {
            Step(id: $0.id, uses: $0.uses, conditional: $0.condition != nil, forEach: $0.forEach != nil)
        }
        lastRun = summary.lastRun
    }

    public var json: JSONValue {
        func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        return .object([
            JSONMember("name", .string(name)), JSONMember("description", text(description)),
            JSONMember("enabled", .bool(enabled)), JSONMember("file", .string(file)),
            JSONMember("version", .string(version)),
            JSONMember(
                "on",
                .array(
                    triggers.map {
                        .object([JSONMember("event", .string($0.event)), JSONMember("cron", text($0.cron))])
                    }
                )),
            JSONMember(
                "inputs",
                .array(
                    inputs.map { input in
                        .object([
                            JSONMember("name", .string(input.name)), JSONMember("required", .bool(input.required)),
                            JSONMember("description", text(input.description)),
                        ])
                    })),
            JSONMember(
                "steps",
                .array(
                    steps.map { step in
                        .object([
                            JSONMember("id", .string(step.id)), JSONMember("uses", .string(step.uses)),
                            JSONMember("if", .bool(step.conditional)), JSONMember("forEach", .bool(step.forEach)),
                        ])
                    })),
            JSONMember("lastRun", lastRun.map(\.json) ?? .null),
        ])
    }

    /// A playbook as ``json`` gives it: nil when a field is missing or of the wrong kind.
    public init?(json: JSONValue) {
        guard let name = json[key: "name"]?.text, let enabled = json[key: "enabled"]?.bool,
            let file = json[key: "file"]?.text, let version = json[key: "version"]?.text,
            let on = json[key: "on"]?.arrayValue, let inputs = json[key: "inputs"]?.arrayValue,
            let steps = json[key: "steps"]?.arrayValue
        else { return nil }
        self.name = name
        self.enabled = enabled
        self.file = file
        self.version = version
        description = json[key: "description"]?.text
        var triggers: [Trigger] = []
        for trigger in on {
            guard let event = trigger[key: "event"]?.text else { return nil }
            triggers.append(Trigger(event: event, cron: trigger[key: "cron"]?.text))
        }
        self.triggers = triggers
        var read: [Input] = []
        for input in inputs {
            guard let name = input[key: "name"]?.text, let required = input[key: "required"]?.bool else { return nil }
            read.append(Input(name: name, required: required, description: input[key: "description"]?.text))
        }
        self.inputs = read
        var list: [Step] = []
        for step in steps {
            guard let id = step[key: "id"]?.text, let uses = step[key: "uses"]?.text else { return nil }
            list.append(
                Step(
                    id: id, uses: uses, conditional: step[key: "if"]?.bool ?? false,
                    forEach: step[key: "forEach"]?.bool ?? false))
        }
        self.steps = list
        switch json[key: "lastRun"] {
        case nil, .null?: lastRun = nil
        case let run?:
            guard let decoded = PlaybookRun(json: run) else { return nil }
            lastRun = decoded
        }
    }
}

extension PlaybookRun {
    /// A run as ``json`` gives it (the API's answer): nil when a field is missing or of the wrong kind. The
    /// context its expressions read is not in the answer.
    public init?(json: JSONValue) {
        func time(_ key: String) -> Date? { json[key: key]?.text.flatMap(TimestampParser.iso8601) }
        func number(_ key: String) -> Int64? { json[key: key]?.int.map(Int64.init) }
        guard let id = number("id"), let playbook = json[key: "playbook"]?.text,
            let version = json[key: "version"]?.text, let trigger = json[key: "trigger"]?.text,
            let triggerKey = json[key: "triggerKey"]?.text,
            let status = json[key: "status"]?.text.flatMap(Status.init(rawValue:)),
            let actor = json[key: "actor"]?.text, let createdAt = time("createdAt")
        else { return nil }
        self.init(
            id: id, playbook: playbook, version: version, trigger: trigger, triggerKey: triggerKey,
            eventID: number("eventId"), targetType: json[key: "targetType"]?.text,
            targetID: json[key: "targetId"]?.text, concurrencyKey: json[key: "concurrencyKey"]?.text, status: status,
            context: .object([]), actor: actor, error: json[key: "error"]?.text, joinedRun: number("joinedRun"),
            parentRun: number("parentRun"), createdAt: createdAt, startedAt: time("startedAt"),
            finishedAt: time("finishedAt"), wakeAt: time("wakeAt"))
    }
}

extension PlaybookStepRecord {
    /// A step as ``json`` gives it, of run `runID`: nil when a field is missing or of the wrong kind.
    public init?(json: JSONValue, runID: Int64) {
        func time(_ key: String) -> Date? { json[key: key]?.text.flatMap(TimestampParser.iso8601) }
        func value(_ key: String) -> JSONValue? { json[key: key].flatMap { $0.isNull ? nil : $0 } }
        guard let position = json[key: "position"]?.int, let iteration = json[key: "iteration"]?.int,
            let stepID = json[key: "step"]?.text, let action = json[key: "action"]?.text,
            let status = json[key: "status"]?.text.flatMap(Status.init(rawValue:)),
            let attempts = json[key: "attempts"]?.int
        else { return nil }
        self.runID = runID
        self.position = position
        self.iteration = iteration
        self.stepID = stepID
        self.action = action
        self.status = status
        self.attempts = attempts
        inputs = value("inputs")
        outputs = value("outputs")
        error = json[key: "error"]?.text
        startedAt = time("startedAt")
        finishedAt = time("finishedAt")
    }
}
