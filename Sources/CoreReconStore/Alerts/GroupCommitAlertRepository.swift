import CoreRecon
import Foundation
import Synchronization

/// Stores concurrent batches in shared transactions (group commit); everything else goes straight through.
/// Batches of one sender (the audit log's actor) share a round; one audit row records the round.
///
/// A webhook request carries one alert; committing each in its own transaction makes the commit, not the
/// alert, the unit of work, and SQLite has one writer. Here the first caller becomes the writer and stores what
/// is queued as one batch; callers that arrive meanwhile are stored together in the next round, each getting
/// back its own outcomes. A failed round fails every caller in it, so no caller is ever told an alert was
/// stored that was not.
public final class GroupCommitAlertRepository: AlertRepository {
    let inner: any AlertRepository
    /// Most alerts one transaction takes; the rest wait for the next round.
    let roundLimit: Int

    private struct Waiter {
        var batch: [NormalizedAlert]
        var receivedAt: Date
        var window: Duration
        var actor: String
        var continuation: CheckedContinuation<[StoreOutcome], any Error>
    }

    private struct State {
        var queue: [Waiter] = []
        var isWriting = false
    }

    private let state = Mutex(State())
    private let health = Mutex(WriteHealth())

    /// How the writes are going, for `/readyz`: a write path that fails, or a round that has not ended, is not
    /// ready, even when the database still answers a read.
    public struct WriteHealth: Sendable {
        /// The error of the last round and when it failed, if it did; nil once a round succeeds.
        public var lastFailure: (reason: String, at: ContinuousClock.Instant)?
        /// When the round being written began, while one is.
        public var roundStarted: ContinuousClock.Instant?
        /// When the last round that succeeded had committed (before its callers were told).
        public var lastCommitted: ContinuousClock.Instant?
    }

    public var writeHealth: WriteHealth { health.withLock { $0 } }

    public init(inner: any AlertRepository, roundLimit: Int = 2_000) {
        self.inner = inner
        self.roundLimit = roundLimit
    }

    public func store(_ batch: [NormalizedAlert], receivedAt: Date, dedupWindow: Duration, by actor: String)
        async throws -> [StoreOutcome]
    {
        guard !batch.isEmpty else { return [] }
        // Compressing is done here, by each caller at once, not by the round's writer one batch after another.
        let batch = try await inner.prepare(batch, at: receivedAt)
        return try await withCheckedThrowingContinuation { continuation in
            let becomesWriter = state.withLock { state in
                state.queue.append(
                    Waiter(
                        batch: batch, receivedAt: receivedAt, window: dedupWindow, actor: actor,
                        continuation: continuation))
                guard !state.isWriting else { return false }
                state.isWriting = true
                return true
            }
            if becomesWriter { Task { await self.drain() } }
        }
    }

    /// Writes rounds until the queue is empty.
    private func drain() async {
        while true {
            let round = state.withLock { state -> [Waiter] in
                var round: [Waiter] = []
                var count = 0
                while let next = state.queue.first,
                    round.isEmpty
                        || (count + next.batch.count <= roundLimit && next.window == round[0].window
                            && next.actor == round[0].actor)
                {
                    round.append(state.queue.removeFirst())
                    count += next.batch.count
                }
                if round.isEmpty { state.isWriting = false }
                return round
            }
            guard let first = round.first else { return }
            health.withLock { $0.roundStarted = .now }
            defer { health.withLock { $0.roundStarted = nil } }
            do {
                let outcomes = try await inner.store(
                    round.flatMap(\.batch), receivedAt: first.receivedAt, dedupWindow: first.window, by: first.actor)
                let committed = ContinuousClock.now
                health.withLock {
                    $0.lastFailure = nil
                    $0.lastCommitted = committed
                }
                var offset = 0
                for waiter in round {
                    waiter.continuation.resume(returning: Array(outcomes[offset..<offset + waiter.batch.count]))
                    offset += waiter.batch.count
                }
            } catch {
                health.withLock { $0.lastFailure = ("\(error)", .now) }
                for waiter in round { waiter.continuation.resume(throwing: error) }
            }
        }
    }

    public func prepare(_ batch: [NormalizedAlert], at: Date) async throws -> [NormalizedAlert] {
        try await inner.prepare(batch, at: at)
    }
    public func list(_ query: AlertQuery) async throws -> AlertPage { try await inner.list(query) }
    public func alert(id: Alert.ID) async throws -> Alert? { try await inner.alert(id: id) }
    public func alerts(ids: [Alert.ID]) async throws -> [Alert] { try await inner.alerts(ids: ids) }
    public func ocsf(id: Alert.ID) async throws -> String? { try await inner.ocsf(id: id) }
    public func fingerprintBasis(id: Alert.ID) async throws -> [FingerprintPart] {
        try await inner.fingerprintBasis(id: id)
    }
    public func deliveries(id: Alert.ID) async throws -> [AlertDelivery] { try await inner.deliveries(id: id) }
    public func related(id: Alert.ID, window: Duration, limit: Int) async throws -> [RelatedAlert] {
        try await inner.related(id: id, window: window, limit: limit)
    }
    public func history(id: Alert.ID) async throws -> [AlertHistoryEntry] { try await inner.history(id: id) }
    public func update(id: Alert.ID, _ change: (inout Alert) throws -> [AlertHistoryEntry]) async throws -> Alert? {
        try await inner.update(id: id, change)
    }
    public func changeTechnique(
        id: Alert.ID, technique: String, tactic: String?, isRemoval: Bool, entry: AlertHistoryEntry
    ) async throws -> Alert? {
        try await inner.changeTechnique(
            id: id, technique: technique, tactic: tactic, isRemoval: isRemoval, entry: entry)
    }
}
