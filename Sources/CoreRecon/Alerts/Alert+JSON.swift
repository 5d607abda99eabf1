import Foundation

extension Alert {
    /// The fields of an alert as printed by `alert list --json FIELDS` and returned by the API.
    public static let jsonFields = [
        "id", "title", "severity", "severityId", "status", "assignee", "closeReason", "source", "product", "vendor",
        "ruleUid", "occurrences", "firstSeen", "lastSeen", "createdAt", "updatedAt", "techniques", "fingerprint",
        "description",
    ]

    /// The alert as a JSON object, fields in `jsonFields` order (or only `fields`, in that order).
    public func jsonObject(fields: [String]) -> JSONValue {
        .object(fields.map { JSONMember($0, jsonValue(of: $0)) })
    }

    /// The alert as a JSON object with every field of `jsonFields`, in that order; built without looking each
    /// field up by name (the API's lists make 50 of these a request).
    public func jsonObject() -> JSONValue {
        func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        return .object([
            JSONMember("id", .int(id)), JSONMember("title", .string(title)),
            JSONMember("severity", .string(severity.name)), JSONMember("severityId", .int(severity.rawValue)),
            JSONMember("status", .string(status.rawValue)), JSONMember("assignee", text(assignee)),
            JSONMember("closeReason", text(closeReason?.rawValue)), JSONMember("source", .string(source)),
            JSONMember("product", .string(product)), JSONMember("vendor", text(vendor)),
            JSONMember("ruleUid", text(ruleUID)), JSONMember("occurrences", .int(occurrences)),
            JSONMember("firstSeen", .string(ISO8601Format.string(from: firstSeen))),
            JSONMember("lastSeen", .string(ISO8601Format.string(from: lastSeen))),
            JSONMember("createdAt", .string(ISO8601Format.string(from: createdAt))),
            JSONMember("updatedAt", .string(ISO8601Format.string(from: updatedAt))),
            JSONMember("techniques", .array(techniques.map(JSONValue.string))),
            JSONMember("fingerprint", .string(fingerprint)), JSONMember("description", text(description)),
        ])
    }

    func jsonValue(of field: String) -> JSONValue {
        func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        switch field {
        case "id": return .int(id)
        case "title": return .string(title)
        case "severity": return .string(severity.name)
        case "severityId": return .int(severity.rawValue)
        case "status": return .string(status.rawValue)
        case "assignee": return text(assignee)
        case "closeReason": return text(closeReason?.rawValue)
        case "source": return .string(source)
        case "product": return .string(product)
        case "vendor": return text(vendor)
        case "ruleUid": return text(ruleUID)
        case "occurrences": return .int(occurrences)
        case "firstSeen": return .string(ISO8601Format.string(from: firstSeen))
        case "lastSeen": return .string(ISO8601Format.string(from: lastSeen))
        case "createdAt": return .string(ISO8601Format.string(from: createdAt))
        case "updatedAt": return .string(ISO8601Format.string(from: updatedAt))
        case "techniques": return .array(techniques.map(JSONValue.string))
        case "fingerprint": return .string(fingerprint)
        case "description": return text(description)
        default: return .null
        }
    }
}
