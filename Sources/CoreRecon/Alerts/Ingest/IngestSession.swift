import Foundation
import Logging

/// Counts of one ingest run, printed as its summary.
public struct IngestSummary: Sendable, Equatable, Codable {
    public var read = 0
    public var created = 0
    public var merged = 0
    public var redelivered = 0
    public var rejected = 0
    public var seconds = 0.0
    /// The alert of each stored record, in input order (for webhook answers).
    public var alertIDs: [Alert.ID] = []

    public var alertsPerSecond: Double { seconds > 0 ? Double(read) / seconds : 0 }

    public init() {}

    enum CodingKeys: String, CodingKey {
        case read, created, merged, redelivered, rejected, seconds
    }
}

/// A record that could not be stored, with where it was and why.
public struct Rejection: Sendable, Equatable {
    public var location: String
    public var reason: String
    /// The record as received.
    public var raw: String

    public init(location: String, reason: String, raw: String) {
        self.location = location
        self.reason = reason
        self.raw = raw
    }

    /// `{"location", "reason"}`, as the API answers and reject files hold it.
    public var jsonObject: JSONValue {
        .object([JSONMember("location", .string(location)), JSONMember("reason", .string(reason))])
    }
}

/// Feeds raw records through normalization into the store in batches; one per ingest run or request.
///
/// Each batch is one transaction, so a crash loses at most the batch in flight, and a re-run skips what was
/// committed (the delivery keys) and ends with exactly the alerts of a clean run.
public final class IngestSession {
    public enum Mode: Sendable {
        case store
        /// Normalize only; `onNormalized` receives each alert and nothing is stored.
        case dryRun
    }

    private let repository: any AlertRepository
    private let changes: ChangeSignal
    private let normalizer: AlertNormalizer
    private let mode: Mode
    /// Who sends the records, for the audit log: a user, `key:NAME` or `webhook:SOURCE`.
    private let actor: String
    private let now: @Sendable () -> Date
    private let onReject: (Rejection) throws -> Void
    private let onNormalized: (NormalizedAlert) throws -> Void
    private let onProgress: (IngestSummary) -> Void

    private var batch: [NormalizedAlert] = []
    /// The batch being written while the next one is normalized: storing and normalizing overlap, and
    /// batches still commit one after another, in input order.
    private var inFlight: Task<[StoreOutcome], any Error>?
    private var summary = IngestSummary()
    private let started = ContinuousClock.now

    public init(
        repository: any AlertRepository,
        changes: ChangeSignal,
        normalizer: AlertNormalizer,
        mode: Mode = .store,
        actor: String = "ingest",
        now: @escaping @Sendable () -> Date = Date.init,
        onReject: @escaping (Rejection) throws -> Void = { _ in },
        onNormalized: @escaping (NormalizedAlert) throws -> Void = { _ in },
        onProgress: @escaping (IngestSummary) -> Void = { _ in }
    ) {
        self.repository = repository
        self.changes = changes
        self.normalizer = normalizer
        self.mode = mode
        self.actor = actor
        self.now = now
        self.onReject = onReject
        self.onNormalized = onNormalized
        self.onProgress = onProgress
    }

    /// Adds one record. Records that cannot be parsed or mapped are rejected (reported, not stored); the good
    /// ones around them are kept.
    public func add(_ bytes: [UInt8], location: String, isTruncated: Bool = false) async throws {
        let raw = String(decoding: bytes, as: UTF8.self)
        let receivedAt = now()
        let records: [JSONValue]
        let limits = normalizer.settings.limits
        if isTruncated && bytes.count >= limits.recordSize {
            summary.read += 1
            try rejected(
                location: location, reason: Self.oversizeReason(limits.recordSize),
                raw: String(decoding: bytes.prefix(4_096), as: UTF8.self))
            return
        }
        do {
            records = try AlertNormalizer.parse(bytes, limits: limits.json)
        } catch {
            summary.read += 1
            let reason = isTruncated ? "\(error.reason) (the record is cut short)" : error.reason
            try rejected(location: location, reason: reason, raw: raw)
            return
        }
        for record in records {
            summary.read += 1
            do {
                let alert = try normalizer.normalize(
                    record, raw: records.count == 1 ? raw : record.jsonString,
                    receivedAt: receivedAt)
                switch mode {
                case .dryRun:
                    try onNormalized(alert)
                case .store:
                    batch.append(alert)
                    if batch.count >= normalizer.settings.batchSize { try await flush() }
                }
            } catch let error as MappingError {
                try rejected(
                    location: location, reason: error.description, raw: records.count == 1 ? raw : record.jsonString)
            }
        }
    }

    /// Stores what is buffered now, and waits for it to be committed: for input that pauses (a live pipe), so
    /// what has arrived is stored without waiting for a full batch.
    public func commitPending() async throws {
        try await flush()
        try await settle()
    }

    /// Stores what is buffered and returns the totals.
    public func finish() async throws -> IngestSummary {
        try await flush()
        try await settle()
        summary.seconds = (ContinuousClock.now - started).seconds
        onProgress(summary)
        return summary
    }

    public func reject(location: String, reason: String, raw: String) async throws {
        summary.read += 1
        try rejected(location: location, reason: reason, raw: raw)
    }

    private func rejected(location: String, reason: String, raw: String) throws {
        summary.rejected += 1
        try onReject(Rejection(location: location, reason: reason, raw: raw))
    }

    /// Hands the buffered batch to the writer once the previous batch has committed. What storing it needs no
    /// database for (compressing its documents) is done first, while the previous batch is still committing.
    private func flush() async throws {
        guard !batch.isEmpty else { return }
        let receivedAt = now()
        let pending: [NormalizedAlert]
        do {
            pending = try await repository.prepare(batch, at: receivedAt)
        } catch {
            try await settle()
            throw error
        }
        batch.removeAll(keepingCapacity: true)
        try await settle()
        let repository = repository
        let window = normalizer.settings.dedupWindow
        let actor = actor
        inFlight = Task {
            try await repository.store(pending, receivedAt: receivedAt, dedupWindow: window, by: actor)
        }
    }

    /// Waits for the batch in flight to commit and accounts for it.
    private func settle() async throws {
        guard let task = inFlight else { return }
        inFlight = nil
        let outcomes = try await task.value
        for outcome in outcomes {
            summary.alertIDs.append(outcome.alertID)
            switch outcome {
            case .created: summary.created += 1
            case .merged: summary.merged += 1
            case .redelivered: summary.redelivered += 1
            }
        }
        // The batch's stream events committed with it; this only wakes the relay of a server in this process.
        if outcomes.contains(where: { if case .redelivered = $0 { false } else { true } }) { changes.changed() }
        summary.seconds = (ContinuousClock.now - started).seconds
        onProgress(summary)
    }
}

extension IngestSession: AlertIngesting {
    /// Why a record cut short by the reader at `limit` bytes is rejected.
    public static func oversizeReason(_ limit: Int) -> String {
        "over a limit: the record is larger than \(limit) bytes (raise ingest.maxRecordSize to accept it); "
            + "the rest of its line was skipped"
    }
}

/// Records in, alerts stored, whichever side stores them: ``IngestSession`` on the database, or a session that
/// sends the records to a running server's API.
public protocol AlertIngesting: AnyObject {
    /// Adds one record as read (`isTruncated`: the reader cut it at the record size limit).
    func add(_ bytes: [UInt8], location: String, isTruncated: Bool) async throws
    /// A record the reader could not make (a CSV row that does not fit its header): read, and rejected with
    /// `reason`.
    func reject(location: String, reason: String, raw: String) async throws
    /// Stores what is buffered now (input that pauses, such as a live pipe).
    func commitPending() async throws
    /// Stores what is buffered and returns the totals.
    func finish() async throws -> IngestSummary
}
