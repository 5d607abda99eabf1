import CoreRecon
import CoreReconStore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Moves committed changes from this process's event bus into the events table (giving each its cursor) and
/// delivers new events to this instance's stream clients.
///
/// On PostgreSQL every instance LISTENs for the NOTIFY that follows each append and reads the new rows, so a change
/// made through instance A reaches the clients of instance B; a poll every few seconds covers a lost connection.
/// On SQLite (one instance) appended events go straight to the clients. Old events are pruned after `retention`.
public final class EventRelay: Service, Sendable {
    let services: AppServices
    let hub: StreamHub
    let log: EventLog
    let retention: TimeInterval
    let logger: Logger
    /// The highest id delivered to this instance's clients.
    private let delivered = Mutex<Int64>(0)
    private let pending = Mutex<[ChangeEvent]>([])
    private let wake: AsyncStream<Void>.Continuation
    private let wakeups: AsyncStream<Void>
    private let subscription: AsyncStream<ChangeEvent>

    public init(services: AppServices, hub: StreamHub, retention: TimeInterval) {
        self.services = services
        self.hub = hub
        self.log = EventLog(database: services.database)
        self.retention = retention
        self.logger = services.logger
        (wakeups, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        // Subscribed now, so nothing committed after the server is built is missed.
        subscription = services.events.subscribe()
    }

    public func run() async throws {
        delivered.withLock { $0 = 0 }
        if let newest = try await log.bounds()?.newest { delivered.withLock { $0 = newest } }
        try? await withGracefulShutdownHandler {
            try await cancelWhenGracefulShutdown {
                await withTaskGroup(of: Void.self) { group in
                    group.addTask { await self.collect() }
                    group.addTask { await self.appendLoop() }
                    group.addTask { await self.pruneLoop() }
                    if self.services.database.backend == .postgres {
                        group.addTask { await self.listenLoop() }
                        group.addTask { await self.pollLoop() }
                    }
                    await group.next()
                    group.cancelAll()
                }
            }
        } onGracefulShutdown: {
            self.hub.shutdown()
            self.wake.finish()
        }
    }

    /// Buffers bus events; the append loop writes them in batches.
    private func collect() async {
        for await change in subscription {
            pending.withLock { $0.append(change) }
            wake.yield()
        }
    }

    private func appendLoop() async {
        for await _ in wakeups {
            let batch = pending.withLock { batch in
                defer { batch.removeAll(keepingCapacity: true) }
                return batch
            }
            guard !batch.isEmpty else { continue }
            let at = services.now()
            do {
                let stored = try await log.append(batch.map { StoredEvent($0, at: at) })
                if services.database.backend == .sqlite { deliver(stored) }
            } catch {
                logger.error(
                    "Could not store stream events", metadata: ["error": "\(error)", "count": "\(batch.count)"])
            }
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
                _ = try await services.database.listen(EventLog.channel) { _ in await self.catchUp() }
            } catch {
                if Task.isCancelled { return }
                logger.warning("LISTEN failed; retrying", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }

    private func pollLoop() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(5))
            await catchUp()
        }
    }

    private func pruneLoop() async {
        while !Task.isCancelled {
            do {
                let removed = try await log.prune(before: services.now().addingTimeInterval(-retention))
                if removed > 0 { logger.debug("Pruned stream events", metadata: ["count": "\(removed)"]) }
            } catch {
                logger.warning("Could not prune stream events", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: .seconds(60))
        }
    }
}
