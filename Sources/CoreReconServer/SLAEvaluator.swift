import CoreRecon
import CoreReconStore
import Foundation
import Logging
import ServiceLifecycle

/// What `sla sweep` does, in the background of `serve`: the SLA evaluation every `sla.interval` (30 s by
/// default), and notification routing and delivery every two seconds. Several servers, and cron sweeps beside
/// them, can run at once: each record is unique in the database and each delivery is claimed.
public struct SLAEvaluator: Service {
    let services: AppServices
    let notificationInterval: Duration

    public init(services: AppServices, notificationInterval: Duration = .seconds(2)) {
        self.services = services
        self.notificationInterval = notificationInterval
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await evaluateEvery(services.config.sla.interval) }
                group.addTask { await deliverEvery(notificationInterval) }
            }
        }
    }

    private func evaluateEvery(_ interval: Duration) async {
        while !Task.isCancelled {
            do {
                let outcome = try await services.evaluateSLAs(deliver: false)
                for record in outcome.records {
                    services.logger.notice(
                        "SLA \(record.kind.rawValue)",
                        metadata: [
                            "target": "\(record.clock.target.rawValue) \(record.clock.reference)",
                            "metric": "\(record.clock.metric.rawValue)", "policy": "\(record.clock.policy)",
                        ])
                }
            } catch is CancellationError {
                return
            } catch {
                services.logger.warning("SLA evaluation failed", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: interval)
        }
    }

    private func deliverEvery(_ interval: Duration) async {
        while !Task.isCancelled {
            do {
                _ = try await services.notifications.flush()
            } catch is CancellationError {
                return
            } catch {
                services.logger.warning("Notification delivery failed", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: interval)
        }
    }
}
