import Foundation
import Yams

/// A response playbook: a YAML file that reacts to events (or a schedule, or a person) and runs steps.
///
/// ```yaml
/// name: brute-force-containment
/// on:
///   alert.created:
///     if: alert.severity >= "high" && "T1110" in alert.techniques
/// concurrency: ${{ alert.observables.src_ip }}
/// steps:
///   - id: related
///     uses: alert.related
///     with:
///       alert: ${{ alert.id }}
/// ```
public struct Playbook: Sendable, Equatable {
    public var name: String
    public var description: String?
    public var triggers: [Trigger]
    /// One run per key at a time; events with the key of a run still going join it instead of starting another.
    public var concurrency: PlaybookTemplate?
    public var steps: [Step]
    /// Inputs a manual run takes (`--input k=v`), with whether each is required.
    public var inputs: [Input]
    /// The file it came from.
    public var path: String
    /// SHA-256 of the file's bytes: which version a run used.
    public var version: String

    public struct Trigger: Sendable, Equatable {
        /// `alert.created`, ..., `schedule` or `manual`.
        public var event: String
        public var condition: PlaybookExpression?
        /// For `schedule`.
        public var cron: CronSchedule?
        public var line: Int
    }

    public struct Input: Sendable, Equatable {
        public var name: String
        public var required: Bool
        public var defaultValue: JSONValue?
        public var description: String?
    }

    public struct Step: Sendable, Equatable {
        public var id: String
        /// Whether the id was written in the file (others get `step-N` and cannot be referred to).
        public var hasExplicitID: Bool
        public var name: String?
        public var uses: String
        public var with: [(String, PlaybookValue)]
        public var condition: PlaybookExpression?
        public var forEach: PlaybookTemplate?
        public var retry: Retry
        public var timeout: Duration?
        public var continueOnError: Bool
        public var line: Int

        public static func == (lhs: Step, rhs: Step) -> Bool {
            lhs.id == rhs.id && lhs.uses == rhs.uses && lhs.line == rhs.line && lhs.name == rhs.name
                && lhs.with.map(\.0) == rhs.with.map(\.0) && zip(lhs.with, rhs.with).allSatisfy { $0.1 == $1.1 }
                && lhs.condition == rhs.condition && lhs.forEach == rhs.forEach && lhs.retry == rhs.retry
                && lhs.timeout == rhs.timeout && lhs.continueOnError == rhs.continueOnError
        }
    }

    public struct Retry: Sendable, Equatable {
        /// Attempts after the first.
        public var count: Int
        /// Wait before the first retry; doubled before each next one.
        public var backoff: Duration

        public static let none = Retry(count: 0, backoff: .seconds(1))
    }

    /// The events a playbook can react to, besides `schedule` and `manual`.
    public static let eventTriggers = [
        "alert.created", "alert.updated", "alert.ioc_matched", "incident.created", "incident.updated",
        "sla.at_risk", "sla.breached",
    ]

    public static let triggerNames = eventTriggers + ["schedule", "manual"]

    /// Whether the playbook reacts to events of `type`.
    public func trigger(for type: String) -> Trigger? { triggers.first { $0.event == type } }

    public var isManual: Bool { triggers.contains { $0.event == "manual" } }
}

/// A value under a step's `with:`: a template (text with `${{ }}`), a typed YAML scalar, a list or a mapping.
public indirect enum PlaybookValue: Sendable, Equatable {
    case template(PlaybookTemplate, line: Int, column: Int)
    case constant(JSONValue)
    case list([PlaybookValue])
    case object([(String, PlaybookValue)])

    public static func == (lhs: PlaybookValue, rhs: PlaybookValue) -> Bool {
        switch (lhs, rhs) {
        case (.template(let a, _, _), .template(let b, _, _)): a == b
        case (.constant(let a), .constant(let b)): a == b
        case (.list(let a), .list(let b)): a == b
        case (.object(let a), .object(let b)):
            a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    /// The value in `scope`, each template evaluated.
    public func resolve(in scope: PlaybookExpression.Scope) throws(PlaybookExpression.EvaluationError) -> JSONValue {
        switch self {
        case .template(let template, _, _): return try template.evaluate(in: scope)
        case .constant(let value): return value
        case .list(let items):
            var values: [JSONValue] = []
            for item in items { values.append(try item.resolve(in: scope)) }
            return .array(values)
        case .object(let members):
            var values: [JSONMember] = []
            for (key, value) in members { values.append(JSONMember(key, try value.resolve(in: scope))) }
            return .object(values)
        }
    }

    /// Every template in the value, with where it is.
    public var templates: [(PlaybookTemplate, line: Int, column: Int)] {
        switch self {
        case .template(let template, let line, let column): [(template, line, column)]
        case .constant: []
        case .list(let items): items.flatMap(\.templates)
        case .object(let members): members.flatMap(\.1.templates)
        }
    }
}

/// A problem found in a playbook, at a file, line and column.
public struct PlaybookIssue: Sendable, Equatable, Encodable, CustomStringConvertible {
    public enum Level: String, Sendable, Encodable {
        case error, warning
    }

    public var file: String
    public var line: Int
    public var column: Int
    public var level: Level
    public var message: String

    public init(file: String, line: Int, column: Int, level: Level = .error, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.level = level
        self.message = message
    }

    public var description: String { "\(file):\(line):\(column): \(level.rawValue): \(message)" }

    public var json: JSONValue {
        .object([
            JSONMember("file", .string(file)), JSONMember("line", .int(line)), JSONMember("column", .int(column)),
            JSONMember("level", .string(level.rawValue)), JSONMember("message", .string(message)),
        ])
    }

    /// An issue as ``json`` gives it: nil when a field is missing or of the wrong kind.
    public init?(json: JSONValue) {
        guard let file = json[key: "file"]?.text, let line = json[key: "line"]?.int,
            let column = json[key: "column"]?.int, let level = json[key: "level"]?.text.flatMap(Level.init(rawValue:)),
            let message = json[key: "message"]?.text
        else { return nil }
        self.init(file: file, line: line, column: column, level: level, message: message)
    }
}
