import Foundation

/// What one change did to one alert: its status before and after, or why it was not changed.
public struct AlertChangeOutcome: Sendable, Equatable {
    public var id: Alert.ID
    public var previousStatus: AlertStatus?
    public var status: AlertStatus?
    public var assignee: String?
    /// Why the alert was not changed (not found, a transition its status does not allow).
    public var error: CoreReconError?

    public init(
        id: Alert.ID, previousStatus: AlertStatus? = nil, status: AlertStatus? = nil, assignee: String? = nil,
        error: CoreReconError? = nil
    ) {
        self.id = id
        self.previousStatus = previousStatus
        self.status = status
        self.assignee = assignee
        self.error = error
    }

    /// As `POST /api/v1/alerts/bulk` answers it.
    public var jsonObject: JSONValue {
        var members = [JSONMember("id", .int(id)), JSONMember("ok", .bool(error == nil))]
        if let status { members.append(JSONMember("status", .string(status.rawValue))) }
        if let previousStatus { members.append(JSONMember("previousStatus", .string(previousStatus.rawValue))) }
        if error == nil { members.append(JSONMember("assignee", assignee.map(JSONValue.string) ?? .null)) }
        if let error { members.append(JSONMember("error", .string("\(error)"))) }
        return .object(members)
    }

    /// An outcome from ``jsonObject``; nil when it is not one. The error is kept as its text.
    public init?(json: JSONValue) {
        guard let id = json[key: "id"]?.int, let ok = json[key: "ok"]?.bool else { return nil }
        self.init(
            id: Int64(id), previousStatus: json[key: "previousStatus"]?.text.flatMap(AlertStatus.init(rawValue:)),
            status: json[key: "status"]?.text.flatMap(AlertStatus.init(rawValue:)),
            assignee: json[key: "assignee"]?.text,
            error: ok ? nil : .failed(json[key: "error"]?.text ?? "not changed"))
    }
}

extension AlertChangeOutcome {
    /// One outcome per id, in order: the alert before and after `step`, or the error that stopped it (one alert
    /// that cannot change does not stop the others).
    static func each(
        of ids: [Alert.ID], _ step: (Alert.ID) async throws -> (before: Alert, after: Alert)
    ) async throws -> [AlertChangeOutcome] {
        var outcomes: [AlertChangeOutcome] = []
        for id in ids {
            do {
                let (before, after) = try await step(id)
                outcomes.append(
                    AlertChangeOutcome(
                        id: id, previousStatus: before.status, status: after.status, assignee: after.assignee))
            } catch let error as CoreReconError {
                outcomes.append(AlertChangeOutcome(id: id, error: error))
            }
        }
        return outcomes
    }
}

extension AlertTriage {
    /// What `change` would do to each alert at `at`, storing nothing (`--dry-run`): the alerts are read from
    /// whichever side answers and the change is worked out here.
    public func preview(_ change: AlertService.Change, to ids: [Alert.ID], by actor: String, at: Date) async throws
        -> [AlertChangeOutcome]
    {
        try await AlertChangeOutcome.each(of: ids) { id in
            let before = try await alert(id)
            return (before, try AlertService.preview(change, on: before, by: actor, at: at))
        }
    }
}

/// Triage as the commands do it, whichever side answers: ``AlertService`` over the database, or the API of a
/// running server.
public protocol AlertTriage: AlertReading {
    func alert(_ id: Alert.ID) async throws -> Alert
    /// Every change to the alert, oldest first.
    func history(_ id: Alert.ID) async throws -> [AlertHistoryEntry]
    /// Alerts sharing observables with it within the correlation window, with what they share.
    func related(_ id: Alert.ID, limit: Int) async throws -> [RelatedAlert]
    /// Applies `change` to each alert in turn, as `actor`; one that cannot change does not stop the others.
    func apply(_ change: AlertService.Change, to ids: [Alert.ID], by actor: String) async throws
        -> [AlertChangeOutcome]
}

extension AlertService: AlertTriage {
    public func apply(_ change: Change, to ids: [Alert.ID], by actor: String) async throws -> [AlertChangeOutcome] {
        try await AlertChangeOutcome.each(of: ids) { id in
            let before = try await alert(id)
            return (before, try await apply(change, to: id, by: actor))
        }
    }

    /// What `change` would do to `alert` at `at`, without storing anything (for `--dry-run`, on either side).
    public static func preview(_ change: Change, on alert: Alert, by actor: String, at: Date) throws -> Alert {
        var copy = alert
        _ = try apply(change, to: &copy, by: actor, at: at)
        return copy
    }
}

extension AlertHistoryEntry {
    /// As `GET /api/v1/alerts/{id}/history` answers it.
    public var jsonObject: JSONValue {
        .object([
            JSONMember("at", .string(ISO8601Format.string(from: at))),
            JSONMember("actor", .string(actor)), JSONMember("action", .string(action)),
            JSONMember("field", field.map(JSONValue.string) ?? .null),
            JSONMember("oldValue", oldValue.map(JSONValue.string) ?? .null),
            JSONMember("newValue", newValue.map(JSONValue.string) ?? .null),
            JSONMember("message", message.map(JSONValue.string) ?? .null),
        ])
    }

    /// An entry from ``jsonObject``; nil when it is not one.
    public init?(json: JSONValue, alertID: Alert.ID) {
        func text(_ key: String) -> String? {
            guard case .string(let value)? = json[key: key] else { return nil }
            return value
        }
        guard let at = text("at").flatMap(TimestampParser.iso8601), let actor = text("actor"),
            let action = text("action")
        else { return nil }
        self.init(
            alertID: alertID, at: at, actor: actor, action: action, field: text("field"), oldValue: text("oldValue"),
            newValue: text("newValue"), message: text("message"))
    }
}

extension RelatedAlert {
    /// As `GET /api/v1/alerts/{id}/related` answers it.
    public var jsonObject: JSONValue {
        .object([
            JSONMember("alert", alert.jsonObject()),
            JSONMember(
                "shared",
                .array(
                    shared.map {
                        .object([JSONMember("type", .string($0.kind.rawValue)), JSONMember("value", .string($0.value))])
                    })),
        ])
    }

    /// A related alert from ``jsonObject``; nil when it is not one.
    public init?(json: JSONValue) {
        guard let alert = json[key: "alert"].flatMap(Alert.init(json:)),
            let shared = json[key: "shared"]?.arrayValue
        else { return nil }
        var observables: [Observable] = []
        for item in shared {
            guard let kind = item[key: "type"]?.text.flatMap(Observable.Kind.init(rawValue:)),
                let value = item[key: "value"]?.text
            else { return nil }
            observables.append(Observable(kind: kind, value: value, name: ""))
        }
        self.init(alert: alert, shared: observables)
    }
}
