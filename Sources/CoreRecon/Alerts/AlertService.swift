import Foundation
import Logging

/// Triage of the alert queue: reading, and every change an analyst makes, each recorded in the alert's history.
public struct AlertService: Sendable {
    let repository: any AlertRepository
    let changes: ChangeSignal
    let settings: IngestSettings
    let logger: Logger
    let now: @Sendable () -> Date

    public init(
        repository: any AlertRepository,
        changes: ChangeSignal,
        settings: IngestSettings,
        logger: Logger,
        now: @escaping @Sendable () -> Date
    ) {
        self.repository = repository
        self.changes = changes
        self.settings = settings
        self.logger = logger
        self.now = now
    }

    // MARK: - Reading

    public func list(_ query: AlertQuery) async throws -> AlertPage {
        try await repository.list(query)
    }

    public func alert(_ id: Alert.ID) async throws -> Alert {
        guard let alert = try await repository.alert(id: id) else {
            throw CoreReconError.notFound(kind: "alert", id: "\(id)")
        }
        return alert
    }

    public func ocsf(_ id: Alert.ID) async throws -> String {
        guard let ocsf = try await repository.ocsf(id: id) else {
            throw CoreReconError.notFound(kind: "alert", id: "\(id)")
        }
        return ocsf
    }

    /// Why alerts merged: the fingerprint's fields and values, and every record merged into the alert.
    public func explain(_ id: Alert.ID) async throws -> (
        alert: Alert, basis: [FingerprintPart], deliveries: [AlertDelivery]
    ) {
        let alert = try await alert(id)
        return (alert, try await repository.fingerprintBasis(id: id), try await repository.deliveries(id: id))
    }

    public func related(_ id: Alert.ID, limit: Int = 100) async throws -> [RelatedAlert] {
        _ = try await alert(id)
        return try await repository.related(id: id, window: settings.correlationWindow, limit: limit)
    }

    /// Every change, oldest first, starting with the alert's creation.
    public func history(_ id: Alert.ID) async throws -> [AlertHistoryEntry] {
        let alert = try await alert(id)
        let created = AlertHistoryEntry(
            alertID: id, at: alert.createdAt, actor: "ingest", action: "created",
            message: "from \(alert.source) (\(alert.product))"
        )
        return [created] + (try await repository.history(id: id))
    }

    // MARK: - Changes

    /// What an analyst does to an alert.
    public enum Change: Sendable, Equatable {
        case acknowledge
        case assign(to: String)
        case comment(String)
        case close(reason: CloseReason, message: String?)
        case reopen(message: String?)
    }

    /// Applies `change` to one alert as `actor`; an invalid transition fails naming the allowed ones.
    @discardableResult
    public func apply(_ change: Change, to id: Alert.ID, by actor: String) async throws -> Alert {
        let at = now()
        let updated = try await repository.update(id: id) { alert in
            try Self.apply(change, to: &alert, by: actor, at: at)
        }
        guard let updated else { throw CoreReconError.notFound(kind: "alert", id: "\(id)") }
        changes.changed()
        logger.info("Alert changed", metadata: ["alert.id": "\(id)", "actor": "\(actor)", "change": "\(change)"])
        return updated
    }

    static func apply(_ change: Change, to alert: inout Alert, by actor: String, at: Date) throws -> [AlertHistoryEntry]
    {
        func entry(
            _ action: String, field: String? = nil, old: String? = nil, new: String? = nil,
            message: String? = nil
        ) -> AlertHistoryEntry {
            AlertHistoryEntry(
                alertID: alert.id, at: at, actor: actor, action: action, field: field, oldValue: old,
                newValue: new, message: message)
        }
        func move(to status: AlertStatus, action: String) throws -> AlertHistoryEntry {
            guard alert.status.allowedNext.contains(status) else {
                let allowed = alert.status.allowedNext.filter { $0 != .escalated }.map(\.rawValue)
                    .joined(separator: ", ")
                let escalation =
                    alert.status.allowedNext.contains(.escalated) ? ", or be escalated (`alert escalate`)" : ""
                throw CoreReconError.conflict(
                    "alert \(alert.id) is \(alert.status.rawValue) and cannot become \(status.rawValue); "
                        + "from \(alert.status.rawValue) it can become: \(allowed)\(escalation)."
                )
            }
            let old = alert.status
            alert.status = status
            alert.updatedAt = at
            return entry(action, field: "status", old: old.rawValue, new: status.rawValue)
        }

        switch change {
        case .acknowledge:
            return [try move(to: .acknowledged, action: "acknowledge")]
        case .assign(let assignee):
            guard alert.status.isOpen else {
                throw CoreReconError.conflict("alert \(alert.id) is closed; reopen it before assigning it.")
            }
            var entries: [AlertHistoryEntry] = []
            if alert.assignee != assignee {
                entries.append(entry("assign", field: "assignee", old: alert.assignee, new: assignee))
                alert.assignee = assignee
                alert.updatedAt = at
            }
            // Someone owns it now: work has started.
            if alert.status == .new || alert.status == .acknowledged {
                entries.append(try move(to: .inProgress, action: "assign"))
            }
            return entries
        case .comment(let text):
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw CoreReconError.invalidInput(location: "-m", reason: "the comment is empty.")
            }
            alert.updatedAt = at
            return [entry("comment", message: text)]
        case .close(let reason, let message):
            var closing = try move(to: .closed, action: "close")
            closing.message = message
            alert.closeReason = reason
            return [closing, entry("close", field: "close_reason", old: nil, new: reason.rawValue)]
        case .reopen(let message):
            let old = alert.closeReason
            var reopening = try move(to: .inProgress, action: "reopen")
            reopening.message = message
            alert.closeReason = nil
            return [reopening, entry("reopen", field: "close_reason", old: old?.rawValue, new: nil)]
        }
    }
}
