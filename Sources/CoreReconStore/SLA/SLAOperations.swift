import CoreRecon
import Foundation

/// `corerecon sla` as the commands use it, whichever side answers: the database (``LocalSLA``) or the API of a
/// running server (``RemoteSLA``).
public protocol SLAOperations: Sendable {
    /// Open clocks, most urgent first.
    func status(_ filter: SLAService.StatusFilter) async throws -> [SLAClock]
    /// The policies in force (the server's, over the API) and when the policy set was last recorded.
    func policies() async throws -> (policies: [SLAPolicySummary], recordedAt: Date?)
    func report(since: Date, by grouping: SLAReportGrouping) async throws -> [SLAReportRow]
    /// Pauses the running clocks of `reference`: an alert id (`42`) or an incident key (`IR-2026-0007`).
    func pause(_ reference: String, reason: String, by actor: String) async throws -> [SLAClock]
    func resume(_ reference: String, reason: String?, by actor: String) async throws -> [SLAClock]
    /// One evaluation, as `sla sweep` and `serve` run it.
    func sweep(dryRun: Bool) async throws -> AppServices.SLASweepOutcome
}

/// SLA operations on the database.
public struct LocalSLA: SLAOperations {
    let services: AppServices

    public init(services: AppServices) { self.services = services }

    public func status(_ filter: SLAService.StatusFilter) async throws -> [SLAClock] {
        try await services.sla.status(filter)
    }

    public func policies() async throws -> (policies: [SLAPolicySummary], recordedAt: Date?) {
        (SLAPolicySummary.summaries(services.config.sla), try await services.sla.policyChanges(limit: 1).first?.at)
    }

    public func report(since: Date, by grouping: SLAReportGrouping) async throws -> [SLAReportRow] {
        try await services.sla.report(since: since, by: grouping)
    }

    public func pause(_ reference: String, reason: String, by actor: String) async throws -> [SLAClock] {
        let (target, id, ref) = try await services.slaTarget(reference)
        return try await services.sla.pause(target, id: id, reference: ref, reason: reason, by: actor)
    }

    public func resume(_ reference: String, reason: String?, by actor: String) async throws -> [SLAClock] {
        let (target, id, ref) = try await services.slaTarget(reference)
        return try await services.sla.resume(target, id: id, reference: ref, reason: reason, by: actor)
    }

    public func sweep(dryRun: Bool) async throws -> AppServices.SLASweepOutcome {
        try await services.evaluateSLAs(dryRun: dryRun)
    }
}

extension AppServices {
    /// Resolves `42` (an alert) or `IR-2026-0007` / `IR-0007` (an incident) to a target, its row id and the
    /// reference people use.
    public func slaTarget(_ reference: String) async throws -> (SLATarget, Int64, String) {
        if let id = Int64(reference) {
            let alert = try await alerts.alert(id)
            return (.alert, alert.id, String(alert.id))
        }
        let incident = try await incidents.incident(try incidents.key(reference))
        return (.incident, incident.id, incident.key.description)
    }
}

extension AppServices.SLASweepOutcome {
    /// As `POST /api/v1/sla/sweep` answers: each record as `sla sweep --format json` prints it (`record` and the
    /// clock), the breach actions, whether the policy set was recorded, and the notifications.
    public func jsonObject(at now: Date) -> JSONValue {
        .object([
            JSONMember("records", .array(records.map { $0.jsonObject(at: now) })),
            JSONMember(
                "actions",
                .array(
                    actions.map {
                        .object([
                            JSONMember("reference", .string($0.reference)), JSONMember("action", .string($0.action)),
                        ])
                    })),
            JSONMember("policyChanged", .bool(policyChanged)),
            JSONMember("queued", .int(queued)),
            JSONMember(
                "delivery",
                .object([
                    JSONMember("delivered", .int(delivery.delivered)), JSONMember("retrying", .int(delivery.retrying)),
                    JSONMember("failed", .int(delivery.failed)), JSONMember("deferred", .int(delivery.deferred)),
                ])),
        ])
    }

    /// An outcome from ``jsonObject(at:)``; nil when it is not one.
    public init?(json: JSONValue, at now: Date) {
        guard let recordValues = json[key: "records"]?.arrayValue, let actionValues = json[key: "actions"]?.arrayValue,
            let policyChanged = json[key: "policyChanged"]?.bool, let queued = json[key: "queued"]?.int,
            let delivery = json[key: "delivery"]
        else { return nil }
        var records: [SLARecord] = []
        for value in recordValues {
            guard let record = SLARecord(json: value, at: now) else { return nil }
            records.append(record)
        }
        var actions: [SLAService.ActionResult] = []
        for value in actionValues {
            guard let reference = value[key: "reference"]?.text, let action = value[key: "action"]?.text else {
                return nil
            }
            actions.append(SLAService.ActionResult(reference: reference, action: action))
        }
        var report = DeliveryReport()
        report.delivered = delivery[key: "delivered"]?.int ?? 0
        report.retrying = delivery[key: "retrying"]?.int ?? 0
        report.failed = delivery[key: "failed"]?.int ?? 0
        report.deferred = delivery[key: "deferred"]?.int ?? 0
        self.init(records: records, actions: actions, queued: queued, delivery: report, policyChanged: policyChanged)
    }
}

extension SLARecord {
    /// `record` (`at_risk` or `breached`) before the clock's own fields.
    public func jsonObject(at now: Date) -> JSONValue {
        guard case .object(let members) = clock.jsonObject(at: now) else { return clock.jsonObject(at: now) }
        return .object([JSONMember("record", .string(kind.rawValue))] + members)
    }

    public init?(json: JSONValue, at now: Date) {
        guard let kind = json[key: "record"]?.text.flatMap(SLAState.init(rawValue:)), let clock = SLAClock(json: json)
        else { return nil }
        self.init(kind: kind, clock: clock, at: now)
    }
}
