import Foundation

/// Stores alerts. Implemented once over SQL for SQLite and PostgreSQL (`SQLAlertRepository`).
public protocol AlertRepository: Sendable {
    /// Stores a batch in one transaction and returns one outcome per record, in order: a re-delivered record
    /// is skipped; a record whose fingerprint matches an open alert seen within `dedupWindow` merges into it;
    /// anything else creates an alert. The batch's audit row (counts, sources, `actor`) commits with it.
    func store(_ batch: [NormalizedAlert], receivedAt: Date, dedupWindow: Duration, by actor: String) async throws
        -> [StoreOutcome]

    /// `batch` with the work `store` would do that needs no database done ahead: the stored form of each document
    /// (``NormalizedAlert/storedDocument``), which may replace its text. A group commit runs this in each caller's
    /// own task, and an ingest session while the previous batch commits, so that the serial write does only the
    /// writing.
    func prepare(_ batch: [NormalizedAlert], at: Date) async throws -> [NormalizedAlert]

    func list(_ query: AlertQuery) async throws -> AlertPage
    func alert(id: Alert.ID) async throws -> Alert?
    /// The alerts with these ids that exist, in one query, in no particular order.
    func alerts(ids: [Alert.ID]) async throws -> [Alert]
    /// The stored OCSF Detection Finding, as JSON text.
    func ocsf(id: Alert.ID) async throws -> String?
    func fingerprintBasis(id: Alert.ID) async throws -> [FingerprintPart]
    func deliveries(id: Alert.ID) async throws -> [AlertDelivery]
    /// Alerts sharing an observable with `id` whose active time is within `window` of its own.
    func related(id: Alert.ID, window: Duration, limit: Int) async throws -> [RelatedAlert]
    func history(id: Alert.ID) async throws -> [AlertHistoryEntry]

    /// Reads alert `id`, lets `change` modify it (throwing to refuse), writes it back with the history entries
    /// `change` returns and the audit row made from them, all in one transaction. Nil when there is no such alert.
    func update(
        id: Alert.ID,
        _ change: (inout Alert) throws -> [AlertHistoryEntry]
    ) async throws -> Alert?

    /// Adds (`tactic` given or not) or removes (`isRemoval`) one technique of alert `id` with its history entry,
    /// in one transaction. Nil when there is no such alert; a conflict when the technique is already mapped (or,
    /// for a removal, is not).
    func changeTechnique(
        id: Alert.ID, technique: String, tactic: String?, isRemoval: Bool, entry: AlertHistoryEntry
    ) async throws -> Alert?
}

extension AlertRepository {
    public func prepare(_ batch: [NormalizedAlert], at: Date) async throws -> [NormalizedAlert] { batch }
}

/// What storing one record did.
public enum StoreOutcome: Sendable, Equatable {
    case created(Alert.ID)
    case merged(Alert.ID)
    case redelivered(Alert.ID)

    public var alertID: Alert.ID {
        switch self {
        case .created(let id), .merged(let id), .redelivered(let id): id
        }
    }
}
