import Foundation

extension AlertQuery {
    /// The query as the parameters of `GET /api/v1/alerts`, which the server reads back into the same query:
    /// times as timestamps to the millisecond (a duration such as `24h` is resolved once, by the client).
    public var apiParameters: [(String, String)] {
        var parameters: [(String, String)] = []
        if !statuses.isEmpty { parameters.append(("status", statuses.map(\.rawValue).joined(separator: ","))) }
        if let minimumSeverity { parameters.append(("severity", minimumSeverity.name)) }
        if !sources.isEmpty { parameters.append(("source", sources.joined(separator: ","))) }
        if let since { parameters.append(("since", ISO8601Format.string(from: since))) }
        if let until { parameters.append(("until", ISO8601Format.string(from: until))) }
        if let receivedSince { parameters.append(("receivedSince", ISO8601Format.string(from: receivedSince))) }
        if let assignee { parameters.append(("assignee", assignee)) }
        if let search { parameters.append(("search", search)) }
        if let technique { parameters.append(("technique", technique)) }
        if let sla { parameters.append(("sla", sla.rawValue.replacingOccurrences(of: "_", with: "-"))) }
        if let cursor {
            parameters.append(("cursor", cursor.token))
        } else {
            parameters.append(("sort", sort.rawValue))
            if offset > 0 { parameters.append(("offset", String(offset))) }
        }
        parameters.append(("limit", String(limit)))
        return parameters
    }
}

extension AlertQuery {
    /// A cursor continues the listing it came from: in that listing's order.
    public func checkCursor() throws(CoreReconError) {
        guard let cursor, cursor.sort != sort else { return }
        throw .invalidInput(
            location: "--cursor",
            reason: "the cursor belongs to a list sorted by \(cursor.sort.rawValue), not \(sort.rawValue).")
    }
}

extension Alert {
    /// An alert from ``jsonObject(fields:)`` with every field, as the API answers: nil when a field is missing or
    /// of the wrong kind.
    public init?(json: JSONValue) {
        func date(_ key: String) -> Date? { json[key: key]?.text.flatMap(TimestampParser.iso8601) }
        func text(_ key: String) -> String? {
            guard case .string(let value)? = json[key: key] else { return nil }
            return value
        }
        guard let id = json[key: "id"]?.int, let title = text("title"), let fingerprint = text("fingerprint"),
            let source = text("source"), let product = text("product"),
            let severity = json[key: "severityId"]?.int.flatMap(Severity.init(rawValue:)),
            let status = text("status").flatMap(AlertStatus.init(rawValue:)),
            let occurrences = json[key: "occurrences"]?.int, let firstSeen = date("firstSeen"),
            let lastSeen = date("lastSeen"), let createdAt = date("createdAt"), let updatedAt = date("updatedAt")
        else { return nil }
        self.init(
            id: Int64(id), fingerprint: fingerprint, source: source, product: product, vendor: text("vendor"),
            ruleUID: text("ruleUid"), title: title, description: text("description"), severity: severity,
            status: status, assignee: text("assignee"), closeReason: text("closeReason").flatMap(CloseReason.init),
            occurrences: occurrences, firstSeen: firstSeen, lastSeen: lastSeen, createdAt: createdAt,
            updatedAt: updatedAt,
            techniques: json[key: "techniques"]?.arrayValue?.compactMap { $0.text } ?? [])
    }
}

/// The alert queue as the commands read it, whichever side answers: ``AlertService`` over the database, or the
/// API of a running server.
public protocol AlertReading: Sendable {
    func list(_ query: AlertQuery) async throws -> AlertPage
}

extension AlertService: AlertReading {}
