import CoreRecon
import CoreReconStore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// The playbook runner in the background of `serve`: turns new events into runs and carries them out, woken by
/// this process's changes at once (while a playbook is loaded) and by other processes' within a poll interval.
/// Reloads the playbooks when a file of `playbooks.path` changes. Several servers (and cron `playbook
/// run-pending`) can run it at once.
public struct PlaybookRunner: Service {
    let services: AppServices
    let interval: Duration

    static let spacing: Duration = .milliseconds(20)

    public init(services: AppServices, interval: Duration = .milliseconds(500)) {
        self.services = services
        self.interval = interval
    }

    public func run() async throws {
        guard services.config.playbooksPath != nil else { return }
        let changes = services.changes.subscribe()
        // One doorbell, rung by this process's changes and by a timer for other processes' (and for timers of
        // waiting runs); rings coalesce.
        let (doorbell, ring) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        // With no playbook loaded, nothing a change queues can run: the timer alone keeps the cursor.
        let loaded = LoadedFlag()
        try? await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await _ in changes where loaded.value.load(ordering: .relaxed) { ring.yield() }
                }
                group.addTask {
                    while !Task.isCancelled {
                        ring.yield()
                        try? await Task.sleep(for: interval)
                    }
                }
                group.addTask { await work(doorbell: doorbell, loaded: loaded) }
                await group.next()
                group.cancelAll()
            }
        }
    }

    /// Whether any playbook is loaded, for the task that turns changes into rings.
    private final class LoadedFlag: Sendable {
        let value = Atomic<Bool>(true)
    }

    private func work(doorbell: AsyncStream<Void>, loaded: LoadedFlag) async {
        var library = services.loadPlaybooks()
        loaded.value.store(!library.playbooks.isEmpty, ordering: .relaxed)
        report(library)
        var runner = services.playbooks(library)
        var lastPass = ContinuousClock.now - .seconds(1)
        var lastEventPass = lastPass
        for await _ in doorbell {
            if Task.isCancelled { return }
            // Under a storm of changes, passes at most every 20 ms: each takes what came meanwhile in one batch
            // (fewer write transactions beside ingest), and an event still has its run within tens of ms.
            let since = ContinuousClock.now - lastPass
            if since < Self.spacing { try? await Task.sleep(for: Self.spacing - since) }
            lastPass = ContinuousClock.now
            let current = services.loadPlaybooks()
            if current.fingerprint != library.fingerprint {
                library = current
                loaded.value.store(!library.playbooks.isEmpty, ordering: .relaxed)
                report(library)
                runner = services.playbooks(library)
            }
            do {
                // With no playbook that reacts to events, the events are passed over on the timer only, not on
                // each of this process's changes (under ingest, one every round).
                let takeEvents = runner.reactsToEvents || ContinuousClock.now - lastEventPass >= interval
                if takeEvents { lastEventPass = ContinuousClock.now }
                let pass = try await runner.runPending(takeEvents: takeEvents)
                if !pass.finished.isEmpty {
                    services.logger.info(
                        "Playbook runs finished", metadata: ["runs": "\(pass.finished.map(String.init))"])
                }
            } catch is CancellationError {
                return
            } catch {
                services.logger.warning("Playbook runner pass failed", metadata: ["error": "\(error)"])
            }
        }
    }

    private func report(_ library: PlaybookLibrary) {
        services.logger.notice(
            "Playbooks loaded",
            metadata: [
                "directory": "\(library.directory ?? "-")", "playbooks": "\(library.sorted.map(\.name))",
            ])
        for issue in library.issues where issue.level == .error {
            services.logger.error("Playbook left out", metadata: ["problem": "\(issue)"])
        }
    }
}
