import CoreRecon
import CoreReconStore
import Foundation
import Logging
import ServiceLifecycle

/// Applies `retention.*` once a day (a minute after the start, then every `interval`): alerts last seen and
/// incidents closed longer ago than the policy says, in batches that keep ingest and the API going. Nothing when
/// no retention is configured. Several servers may run it: a batch counts and audits only what it deleted.
public struct RetentionScheduler: Service {
    let services: AppServices
    let settings: RetentionSettings
    let delay: Duration
    let interval: Duration

    public init(
        services: AppServices, settings: RetentionSettings, delay: Duration = .seconds(60),
        interval: Duration = .seconds(86_400)
    ) {
        self.services = services
        self.settings = settings
        self.delay = delay
        self.interval = interval
    }

    public func run() async throws {
        guard settings.alerts != nil || settings.incidents != nil else {
            // Nothing to do, but a service that returns ends the whole group: wait for the shutdown.
            try? await gracefulShutdown()
            return
        }
        try? await cancelWhenGracefulShutdown {
            try await Task.sleep(for: delay)
            while !Task.isCancelled {
                await apply()
                try await Task.sleep(for: interval)
            }
        }
    }

    /// One pass of the policy.
    public func apply() async {
        let retention = Retention(database: services.database, now: services.now)
        let now = services.now()
        if let age = settings.alerts {
            do {
                let summary = try await retention.purgeAlerts(
                    olderThan: now.addingTimeInterval(-age.seconds), statuses: settings.alertStatuses,
                    actor: "retention")
                services.logger.info(
                    "Retention purged alerts",
                    metadata: [
                        "purged": "\(summary.purged)", "kept": "\(summary.keptForOpenIncidents)",
                        "seconds": "\(summary.seconds)",
                    ])
            } catch {
                services.logger.warning("Retention of alerts failed", metadata: ["error": "\(error)"])
            }
        }
        if let age = settings.incidents {
            do {
                let summary = try await retention.purgeIncidents(
                    closedBefore: now.addingTimeInterval(-age.seconds), actor: "retention")
                services.logger.info(
                    "Retention purged incidents",
                    metadata: ["purged": "\(summary.purged)", "evidenceFiles": "\(summary.evidenceFiles)"])
            } catch {
                services.logger.warning("Retention of incidents failed", metadata: ["error": "\(error)"])
            }
        }
    }
}
