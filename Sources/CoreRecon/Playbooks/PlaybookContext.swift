import Foundation

/// What a run's expressions read about the alert or incident that started it.
///
/// `alert` is the alert as the API returns it, plus `observables`: the usual pivots by name (`src_ip`,
/// `dst_ip`, `host`, `user`, each the first value) and every value by kind (`ip`, `hostname`, `user`, `email`,
/// `url`, `file`, `hash`, `process`, `command_line`, `path`, each a list).
public enum PlaybookContext {
    static let pivots: [(name: String, paths: [String])] = [
        ("src_ip", ["src_endpoint.ip"]), ("dst_ip", ["dst_endpoint.ip"]),
        ("host", ["device.hostname", "device.name"]), ("user", ["actor.user.name", "user.name"]),
    ]

    /// The `observables` object for a list of observables.
    public static func observables(_ list: [Observable]) -> JSONValue {
        var members: [JSONMember] = []
        for (name, paths) in pivots {
            if let found = paths.lazy.compactMap({ path in list.first { $0.name == path } }).first {
                members.append(JSONMember(name, .string(found.value)))
            }
        }
        for kind in Observable.Kind.allCases {
            var seen = Set<String>()
            let values = list.filter { $0.kind == kind && seen.insert($0.value).inserted }.map {
                JSONValue.string($0.value)
            }
            if !values.isEmpty { members.append(JSONMember(kind.rawValue, .array(values))) }
        }
        return .object(members)
    }

    /// The observables of a stored OCSF Detection Finding (its `observables` array).
    public static func observables(ocsf: JSONValue) -> JSONValue {
        let entries = ocsf.members?.first { $0.key == "observables" }?.value.arrayValue ?? []
        var list: [Observable] = []
        for entry in entries {
            guard let fields = entry.members else { continue }
            func field(_ key: String) -> JSONValue? { fields.first { $0.key == key }?.value }
            guard let value = field("value")?.text, let typeID = field("type_id")?.int else { continue }
            let kind = Observable.Kind.allCases.first { $0.typeID == typeID } ?? .hostname
            list.append(Observable(kind: kind, value: value, name: field("name")?.text ?? ""))
        }
        return observables(list)
    }

    /// `alert` with `observables` added.
    public static func alert(_ alert: JSONValue, observables: JSONValue) -> JSONValue {
        guard case .object(var members) = alert else { return alert }
        members.removeAll { $0.key == "observables" }
        members.append(JSONMember("observables", observables))
        return .object(members)
    }

    /// An alert as it would be stored from a normalized record, for dry runs of a SIEM record (`playbook test
    /// --event wazuh-alert.json`): id 0, status new.
    public static func alert(from normalized: NormalizedAlert, at: Date) -> JSONValue {
        let mapped = normalized.mapped
        let time = ISO8601Format.string(from: normalized.eventTime)
        var techniques: [String] = []
        for attack in mapped.attacks {
            if let id = attack.techniqueID, !techniques.contains(id) { techniques.append(id) }
        }
        return .object([
            JSONMember("id", .int(0)), JSONMember("title", .string(mapped.title)),
            JSONMember("severity", .string(mapped.severity.name)),
            JSONMember("severityId", .int(mapped.severity.rawValue)),
            JSONMember("status", .string("new")), JSONMember("assignee", .null),
            JSONMember("source", .string(normalized.source)), JSONMember("product", .string(mapped.product)),
            JSONMember("vendor", .string(mapped.vendor)),
            JSONMember("ruleUid", mapped.ruleUID.map(JSONValue.string) ?? .null),
            JSONMember("occurrences", .int(1)), JSONMember("firstSeen", .string(time)),
            JSONMember("lastSeen", .string(time)), JSONMember("createdAt", .string(ISO8601Format.string(from: at))),
            JSONMember("techniques", .array(techniques.map(JSONValue.string))),
            JSONMember("fingerprint", .string(normalized.fingerprint)),
            JSONMember("description", mapped.description.map(JSONValue.string) ?? .null),
            JSONMember("observables", observables(mapped.observables)),
        ])
    }
}

extension Playbook {
    /// Every expression of the playbook: triggers' conditions, the concurrency key, steps' conditions, loops and
    /// inputs.
    public var expressions: [PlaybookExpression] {
        var all = triggers.compactMap(\.condition)
        all += concurrency?.expressions.map(\.0) ?? []
        for step in steps {
            if let condition = step.condition { all.append(condition) }
            all += step.forEach?.expressions.map(\.0) ?? []
            for (_, value) in step.with { all += value.templates.flatMap { $0.0.expressions.map(\.0) } }
        }
        return all
    }

    /// Whether any expression reads `root.field`.
    public func reads(_ root: String, _ field: String) -> Bool {
        expressions.contains { $0.reads(root, field) }
    }

    /// The `secrets.NAME`s the playbook reads.
    public var secretNames: Set<String> {
        var names = Set<String>()
        for expression in expressions {
            expression.visit { node in
                if case .member(.name("secrets", _), let name) = node { names.insert(name) }
                if case .index(.name("secrets", _), .literal(.string(let name))) = node { names.insert(name) }
            }
        }
        return names
    }
}
