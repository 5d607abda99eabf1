import Foundation

extension Alert {
    /// The fields of an alert as printed by `alert list --json FIELDS` and returned by the API.
    public static let jsonFields = [
        "id", "title", "severity", "severityId", "status", "assignee", "closeReason", "source", "product", "vendor",
        "ruleUid", "occurrences", "firstSeen", "lastSeen", "createdAt", "updatedAt", "techniques", "fingerprint",
        "description",
    ]

    /// The alert as a JSON object with only `fields`, in that order (null for a name that is no field).
    public func jsonObject(fields: [String]) -> JSONValue {
        let all = jsonObject().members ?? []
        return .object(fields.map { field in JSONMember(field, all.first { $0.key == field }?.value ?? .null) })
    }

    /// The alert as a JSON object with every field of `jsonFields`, in that order: the one place a field's value
    /// is made (the API's lists make 50 of these a request).
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
}
