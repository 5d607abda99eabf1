import CoreRecon
import Foundation

extension AppServices {
    /// SLA clocks, sweeps and reports.
    public var sla: SLAService { SLAService(database: database, settings: config.sla, logger: logger, now: now) }

    /// The notification outbox: routing by rules, delivery with retries.
    public var notifications: NotificationService {
        NotificationService(
            database: database, settings: config.notify, sla: config.sla,
            environment: ProcessInfo.processInfo.environment, logger: logger, now: now)
    }

    /// What one evaluation did: the records made, the breach actions taken, the notifications sent.
    public struct SLASweepOutcome: Sendable {
        public var records: [SLARecord]
        public var actions: [SLAService.ActionResult]
        public var queued: Int
        public var delivery: DeliveryReport
        public var policyChanged: Bool

        public init(
            records: [SLARecord], actions: [SLAService.ActionResult], queued: Int, delivery: DeliveryReport,
            policyChanged: Bool
        ) {
            self.records = records
            self.actions = actions
            self.queued = queued
            self.delivery = delivery
            self.policyChanged = policyChanged
        }
    }

    /// The evaluator `sla sweep` and `serve` run: records the policy set if it changed, records new at-risk and
    /// breached clocks once, carries out breach actions, then routes and delivers notifications. Notifications
    /// that cannot be delivered now stay in the outbox; the sweep itself does not fail for them.
    public func evaluateSLAs(dryRun: Bool = false, deliver: Bool = true) async throws -> SLASweepOutcome {
        if dryRun {
            return SLASweepOutcome(
                records: try await sla.sweep(dryRun: true), actions: [], queued: 0, delivery: DeliveryReport(),
                policyChanged: false)
        }
        let changed = try await sla.recordPolicyChange()
        let records = try await sla.sweep()
        let incidents = self.incidents
        let actions = try await sla.applyPendingActions { alertID, title in
            try await incidents.escalate([alertID], to: nil, title: "SLA breach: \(title)", by: "sla").key.description
        }
        var queued = 0
        var delivery = DeliveryReport()
        if deliver {
            do {
                (queued, delivery) = try await notifications.flush()
            } catch {
                logger.warning("notifications: \(error)")
            }
        }
        return SLASweepOutcome(
            records: records, actions: actions, queued: queued, delivery: delivery, policyChanged: changed)
    }
}
