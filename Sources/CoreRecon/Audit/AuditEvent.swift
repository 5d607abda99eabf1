import Foundation

/// One change to record in the audit log: who did what to which object, when, and what it was before and after.
///
/// Services build events; the store appends them, hash-chained, in the same transaction as the change itself.
public struct AuditEvent: Sendable, Equatable {
    public var at: Date
    /// The user, `key:NAME` or `webhook:SOURCE` that made the change.
    public var actor: String
    /// Dotted verb: `alert.acknowledge`, `incident.create`, `user.disable`, `ingest.batch`.
    public var action: String
    /// The object changed, typed: `alert:42`, `incident:IR-2026-0001`, `user:ana`, `key:splunk`, `ingest:elastic`.
    public var target: String
    public var summary: AuditSummary

    public init(at: Date, actor: String, action: String, target: String, summary: AuditSummary) {
        self.at = at
        self.actor = actor
        self.action = action
        self.target = target
        self.summary = summary
    }
}

/// What a change did, field by field: the values before and after. A field absent from `before` did not exist
/// or was empty; one absent from `after` was removed. Never holds secrets.
public struct AuditSummary: Sendable, Equatable, Codable {
    public var before: [String: String]
    public var after: [String: String]

    public init(before: [String: String] = [:], after: [String: String] = [:]) {
        self.before = before
        self.after = after
    }

    /// The canonical JSON text that is stored and hashed: keys sorted, no whitespace.
    public var json: String {
        func object(_ values: [String: String]) -> JSONValue {
            .object(values.sorted { $0.key < $1.key }.map { JSONMember($0.key, .string($0.value)) })
        }
        return JSONValue.object([JSONMember("after", object(after)), JSONMember("before", object(before))])
            .jsonString
    }

    /// Parses stored summary text; nil when it is not a summary (the row was altered, or written by hand).
    public init?(json text: String) {
        guard let value = try? JSONParser.parse(text), let members = value.members else { return nil }
        func values(_ key: String) -> [String: String]? {
            guard let member = members.first(where: { $0.key == key }) else { return [:] }
            guard let fields = member.value.members else { return nil }
            var result: [String: String] = [:]
            for field in fields {
                guard case .string(let text) = field.value else { return nil }
                result[field.key] = text
            }
            return result
        }
        guard let before = values("before"), let after = values("after") else { return nil }
        self.init(before: before, after: after)
    }

    /// One line for people: `status: new → acknowledged; comment: → looks benign`.
    public var text: String {
        let fields = Set(before.keys).union(after.keys).sorted()
        return fields.map { field in
            switch (before[field], after[field]) {
            case (nil, let new?): "\(field): \(new)"
            case (let old?, nil): "\(field): \(old) → (removed)"
            case (let old?, let new?) where old == new: "\(field): \(new)"
            case (let old?, let new?): "\(field): \(old) → \(new)"
            case (nil, nil): field
            }
        }.joined(separator: "; ")
    }
}
