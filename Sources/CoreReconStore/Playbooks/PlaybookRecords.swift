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
    public var json: JSONValue {
        .object([
            JSONMember("name", .string(playbook.name)),
            JSONMember("description", playbook.description.map(JSONValue.string) ?? .null),
            JSONMember("enabled", .bool(enabled)), JSONMember("file", .string(playbook.path)),
            JSONMember("version", .string(playbook.version)),
            JSONMember(
                "on",
                .array(
                    playbook.triggers.map { trigger in
                        .object([
                            JSONMember("event", .string(trigger.event)),
                            JSONMember("cron", trigger.cron.map { .string($0.description) } ?? .null),
                        ])
                    })),
            JSONMember(
                "inputs",
                .array(
                    playbook.inputs.map { input in
                        .object([
                            JSONMember("name", .string(input.name)), JSONMember("required", .bool(input.required)),
                            JSONMember("description", input.description.map(JSONValue.string) ?? .null),
                        ])
                    })),
            JSONMember(
                "steps",
                .array(
                    playbook.steps.map { step in
                        .object([JSONMember("id", .string(step.id)), JSONMember("uses", .string(step.uses))])
                    })),
            JSONMember("lastRun", lastRun.map(\.json) ?? .null),
        ])
    }
}
