import CoreRecon
import CoreReconStore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Delivers the events table's new rows to this instance's stream clients, in id order, each once.
///
/// Every change writes its event rows in its own transaction, from whatever process makes it (this server,
/// another instance, a CLI command, a cron job), so the table is the one source. This relay reads rows after the
/// last one it delivered: at once when this process commits a change (``ChangeSignal``), on PostgreSQL when a
/// commit of any process is announced by NOTIFY (while NOTIFY arrives, this process's signals are left to it),
/// and by a poll (`pollInterval`) that catches changes from other processes on SQLite and covers a lost LISTEN
/// connection. Old events are pruned after `retention`.
public final class EventRelay: Service, Sendable {
    let services: AppServices
    let hub: StreamHub
    let log: EventLog
    let retention: TimeInterval
    let pollInterval: Duration
    let logger: Logger
    /// The highest id delivered to this instance's clients.
    private let delivered = Mutex<Int64>(0)
    private let signals: AsyncStream<Void>
    /// Whether NOTIFY is known to arrive (one has, on the current LISTEN connection): it then brings this process's
    /// commits too, at commit, so their signals need no read of their own.
    private let listening = Atomic<Bool>(false)

    /// `pollInterval` defaults to 250 ms on SQLite (one indexed query that usually finds nothing) and 2 s on
    /// PostgreSQL, where NOTIFY brings other processes' changes at once.
    public init(services: AppServices, hub: StreamHub, retention: TimeInterval, pollInterval: Duration? = nil) {
        self.services = services
        self.hub = hub
        self.log = EventLog(database: services.database)
        self.retention = retention
        self.pollInterval = pollInterval ?? (services.database.backend == .postgres ? .seconds(2) : .milliseconds(250))
        self.logger = services.logger
        // Subscribed now, so this process's commits wake the relay from the start (the poll would find them too,
        // only later).
        signals = services.changes.subscribe()
    }

    public func run() async throws {
        delivered.withLock { $0 = 0 }
        if let newest = try await log.bounds()?.newest { delivered.withLock { $0 = newest } }
        try? await withGracefulShutdownHandler {
            try await cancelWhenGracefulShutdown {
                await withTaskGroup(of: Void.self) { group in
                    group.addTask { await self.signalLoop() }
                    group.addTask { await self.pollLoop() }
                    group.addTask { await self.pruneLoop() }
                    if self.services.database.backend == .postgres {
                        group.addTask { await self.listenLoop() }
                    }
                    await group.next()
                    group.cancelAll()
                }
            }
        } onGracefulShutdown: {
            self.hub.shutdown()
        }
    }

    /// Changes committed by this process: read them at once.
    private func signalLoop() async {
        for await _ in signals where !listening.load(ordering: .relaxed) {
            await catchUp()
        }
    }

    /// Delivers events newer than what this instance has delivered, in id order.
    func deliver(_ events: [StoredEvent]) {
        // Broadcast under the lock: two deliveries racing (LISTEN and the poll) still reach clients in id order.
        delivered.withLock { last in
            let fresh = events.filter { $0.id > last }
            if let newest = fresh.last?.id { last = newest }
            hub.broadcast(fresh)
        }
    }

    /// Reads events after the last delivered one and delivers them.
    func catchUp() async {
        do {
            while true {
                let after = delivered.withLock { $0 }
                let events = try await log.events(after: after, limit: 1_000)
                deliver(events)
                if events.count < 1_000 { break }
            }
        } catch {
            logger.warning("Could not read stream events", metadata: ["error": "\(error)"])
        }
    }

    private func listenLoop() async {
        while !Task.isCancelled {
            do {
                defer { listening.store(false, ordering: .relaxed) }
                _ = try await services.database.listen(EventLog.channel) { payload in
                    self.listening.store(true, ordering: .relaxed)
                    // The payload is the newest event id of the transaction that sent it: events already read cost
                    // no second read.
                    if let newest = Int64(payload), newest <= self.delivered.withLock({ $0 }) { return }
                    await self.catchUp()
                }
            } catch {
                if Task.isCancelled { return }
                logger.warning("LISTEN failed; retrying", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }

    private func pollLoop() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: pollInterval)
            await catchUp()
        }
    }

    private func pruneLoop() async {
        while !Task.isCancelled {
            do {
                let removed = try await services.pruneStreamEvents(retention: retention)
                if removed > 0 { logger.debug("Pruned stream events", metadata: ["count": "\(removed)"]) }
            } catch {
                logger.warning("Could not prune stream events", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: .seconds(60))
        }
    }
}
