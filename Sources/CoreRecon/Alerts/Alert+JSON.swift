import Foundation

extension Alert {
    /// The fields of an alert as printed by `alert list --json FIELDS` and returned by the API.
    public static let jsonFields = [
        "id", "title", "severity", "severityId", "status", "assignee", "closeReason", "source", "product", "vendor",
        "ruleUid", "occurrences", "firstSeen", "lastSeen", "createdAt", "updatedAt", "techniques", "fingerprint",
        "description",
    ]

    /// The alert as a JSON object, fields in `jsonFields` order (or only `fields`, in that order).
    public func jsonObject(fields: [String] = Alert.jsonFields) -> JSONValue {
        .object(fields.map { JSONMember($0, jsonValue(of: $0)) })
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
