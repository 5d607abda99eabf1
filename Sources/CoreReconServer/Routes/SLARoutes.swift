import CoreRecon
import CoreReconStore
import Foundation
import Hummingbird

/// `/api/v1/sla` and `/api/v1/notifications`: SLA clocks, reports, pause and resume; the notification outbox,
/// as `corerecon sla` and `corerecon notify` have them. Viewers read, analysts pause and resume, admins retry
/// dead letters.
struct SLARoutes {
    let services: AppServices
    let bodyLimit: Int

    func register(on table: inout RouteTable) {
        let clocks = Schema.array(Schema.ref("SLAClock"))
        table.add(
            .get, "/api/v1/sla/status", .read, tag: "sla", "Open SLA clocks, most urgent first.",
            APIOperation(
                query: [
                    QueryParameter("atRisk", .choice(["true", "false"]), "true: only clocks at risk, not breached."),
                    QueryParameter("breached", .choice(["true", "false"]), "true: only breached open clocks."),
                    QueryParameter("assignee", .text(maxLength: 200), "The assignee; `none` for unassigned."),
                    QueryParameter("target", .choice(SLATarget.allCases.map(\.rawValue)), "Alerts or incidents."),
                    QueryParameter("limit", .integer(1...100_000), "At most this many (default 100)."),
                ],
                responses: [.json(200, "The clocks.", clocks)])
        ) { request, _ in
            var filter = SLAService.StatusFilter()
            filter.atRiskOnly = request.query("atRisk") == "true"
            filter.breachedOnly = request.query("breached") == "true"
            filter.assignee = request.query("assignee")
            filter.target = request.query("target").flatMap(SLATarget.init(rawValue:))
            if let limit = request.query("limit").flatMap({ Int($0) }) { filter.limit = limit }
            let now = services.now()
            return Body.response(json: .array(try await services.sla.status(filter).map { $0.jsonObject(at: now) }))
        }
        table.add(
            .get, "/api/v1/sla/report", .read, tag: "sla",
            "Met share, breaches and times to each metric, by severity, assignee, source or type.",
            APIOperation(
                query: [
                    QueryParameter(
                        "since", .time, "Clocks started from: a duration back (30d, default) or a timestamp."),
                    QueryParameter(
                        "by", .choice(SLAReportGrouping.allCases.map(\.rawValue)), "Grouping (default severity)."),
                ],
                responses: [.json(200, "One row per group and metric.", Schema.array(Schema.ref("SLAReportRow")))])
        ) { request, _ in
            let since: Date
            do {
                since = try TimeExpression.parse(request.query("since") ?? "30d", now: services.now(), option: "since")
            } catch {
                throw APIError.badRequest("\(error)")
            }
            let by = request.query("by").flatMap(SLAReportGrouping.init(rawValue:)) ?? .severity
            return try Body.response(try await services.sla.report(since: since, by: by))
        }
        table.add(
            .get, "/api/v1/sla/policies", .read, tag: "sla",
            "The SLA policies in force, first match first, and when the policy set was last recorded.",
            APIOperation(
                responses: [
                    .json(
                        200, "The policies.",
                        Schema.object(
                            [
                                ("policies", Schema.array(Schema.ref("SLAPolicy"))),
                                ("recordedAt", Schema.dateTime(nullable: true)),
                            ], required: ["policies", "recordedAt"]))
                ])
        ) { _, _ in
            struct Answer: Encodable {
                var policies: [SLAPolicySummary]
                var recordedAt: Date?
                enum CodingKeys: String, CodingKey { case policies, recordedAt }
                // `recordedAt` is null, not left out, before the first sweep.
                func encode(to encoder: any Encoder) throws {
                    var container = encoder.container(keyedBy: CodingKeys.self)
                    try container.encode(policies, forKey: .policies)
                    try container.encode(recordedAt, forKey: .recordedAt)
                }
            }
            return try Body.response(
                Answer(
                    policies: SLAPolicySummary.summaries(services.config.sla),
                    recordedAt: try await services.sla.policyChanges(limit: 1).first?.at))
        }
        table.add(
            .post, "/api/v1/sla/sweep", .triage, tag: "sla",
            "Evaluate every open clock now, as `sla sweep` does: record new at-risk points and breaches once, run "
                + "breach actions, deliver notifications.",
            APIOperation(
                query: [
                    QueryParameter(
                        "dryRun", .choice(["true", "false"]), "true: what would be recorded; change nothing.")
                ],
                responses: [.json(200, "What the sweep recorded and did.", Schema.ref("SLASweep"))])
        ) { request, _ in
            let outcome = try await services.evaluateSLAs(dryRun: request.query("dryRun") == "true")
            return Body.response(json: outcome.jsonObject(at: services.now()))
        }
        for (verb, summary) in [
            ("pause", "Pause the running SLA clocks of an alert (id) or incident (IR-2026-0007)."),
            ("resume", "Resume paused SLA clocks: each keeps the working time it had left."),
        ] {
            table.add(
                .post, "/api/v1/sla/{ref}/\(verb)", .triage, tag: "sla", summary,
                APIOperation(
                    body: .json(SLAPauseBody.schema(reasonRequired: verb == "pause")),
                    responses: [.json(200, "The alert's or incident's clocks after the change.", clocks)],
                    problems: [(409, "No clock to \(verb).")])
            ) { request, context in
                let identity = try context.require(.triage)
                let body = try await Body.decode(SLAPauseBody.self, from: request, limit: bodyLimit)
                let (target, id, reference) = try await target(context)
                let result: [SLAClock]
                if verb == "pause" {
                    guard let reason = body.reason else { throw APIError.badRequest("give `reason`.") }
                    result = try await services.sla.pause(
                        target, id: id, reference: reference, reason: reason, by: identity.actor)
                } else {
                    result = try await services.sla.resume(
                        target, id: id, reference: reference, reason: body.reason, by: identity.actor)
                }
                let now = services.now()
                return Body.response(json: .array(result.map { $0.jsonObject(at: now) }))
            }
        }
        table.add(
            .get, "/api/v1/notifications", .read, tag: "sla", "Notifications in the outbox, newest first.",
            APIOperation(
                query: [
                    QueryParameter("state", .choice(["pending", "delivered", "failed"]), "Only in this state."),
                    QueryParameter("channel", .text(maxLength: 200), "Only to this channel."),
                    QueryParameter("limit", .integer(1...100_000), "At most this many (default 50)."),
                ],
                responses: [.json(200, "The notifications.", Schema.array(Schema.ref("Notification")))])
        ) { request, _ in
            try Body.response(
                try await services.notifications.list(
                    state: request.query("state"), channel: request.query("channel"),
                    limit: request.query("limit").flatMap { Int($0) } ?? 50))
        }
        table.add(
            .post, "/api/v1/notifications/{id}/retry", .admin, tag: "sla",
            "Queue a dead letter again for a new round of attempts.",
            APIOperation(
                responses: [.json(202, "Queued; the server delivers it within seconds.", Schema.ref("Notification"))],
                problems: [(409, "The notification is not a dead letter.")])
        ) { _, context in
            guard let text = context.parameters.get("id"), let id = Int64(text), id > 0 else {
                throw APIError.notFound("notification ids are positive numbers.")
            }
            try await services.notifications.retry(id)
            let record = try await services.notifications.list(state: nil, channel: nil, limit: 1_000_000)
                .first { $0.id == id }
            return try Body.response(record, status: .accepted)
        }
        table.add(
            .post, "/api/v1/notifications/flush", .admin, tag: "sla",
            "Route new events and deliver every due notification now, as the server does in the background.",
            APIOperation(
                responses: [
                    .json(
                        200, "What the pass did.",
                        Schema.object(
                            [
                                ("queued", Schema.integer(0...Int.max, "Notifications made from new events.")),
                                ("delivered", Schema.integer(0...Int.max)),
                                ("retrying", Schema.integer(0...Int.max, "Failed this time; tried again later.")),
                                ("failed", Schema.integer(0...Int.max, "Dead letters made by this pass.")),
                            ], required: ["queued", "delivered", "retrying", "failed"]))
                ])
        ) { _, _ in
            let (queued, report) = try await services.notifications.flush()
            return Body.response(
                json: .object([
                    JSONMember("queued", .int(queued)), JSONMember("delivered", .int(report.delivered)),
                    JSONMember("retrying", .int(report.retrying)), JSONMember("failed", .int(report.failed)),
                ]))
        }
        table.add(
            .post, "/api/v1/notify/channels/{name}/test", .admin, tag: "sla",
            "Send a test message to a channel at once (not through the outbox) and give the receiver's answer.",
            APIOperation(
                responses: [
                    .json(
                        200, "The receiver's answer, or why the message did not arrive.",
                        Schema.object(
                            [
                                ("channel", Schema.string()),
                                ("answer", Schema.string("The receiver's answer; absent when it failed.")),
                                ("error", Schema.string("Why the message did not arrive.")),
                                ("temporary", Schema.boolean("Whether a later attempt may succeed.")),
                            ], required: ["channel"]))
                ])
        ) { _, context in
            let name = context.parameters.get("name") ?? ""
            var members = [JSONMember("channel", .string(name))]
            do {
                members.append(JSONMember("answer", .string(try await services.notifications.test(name))))
            } catch CoreReconError.failed(let reason) {
                // The receiver's failure is the test's result (an unknown channel is the request's: 404).
                members += [JSONMember("error", .string(reason)), JSONMember("temporary", .bool(false))]
            } catch CoreReconError.unavailable(let reason) {
                members += [JSONMember("error", .string(reason)), JSONMember("temporary", .bool(true))]
            }
            return Body.response(json: .object(members))
        }
        table.add(
            .get, "/api/v1/notify/channels", .admin, tag: "sla",
            "The notification channels with their last success and failure (never their secrets).",
            APIOperation(responses: [.json(200, "The channels.", Schema.array(Schema.ref("NotifyChannel")))])
        ) { _, _ in
            try Body.response(try await services.notifications.channels())
        }
    }

    /// `42` (an alert) or `IR-2026-0007` (an incident).
    func target(_ context: AppContext) async throws -> (SLATarget, Int64, String) {
        let text = context.parameters.get("ref") ?? ""
        if let id = Int64(text), id > 0 {
            let alert = try await services.alerts.alert(id)
            return (.alert, alert.id, String(alert.id))
        }
        let incidents = services.incidents
        let key: IncidentKey
        do { key = try incidents.key(text) } catch {
            throw APIError.notFound("\(text) is neither an alert id nor an incident key.")
        }
        let incident = try await incidents.incident(key)
        return (.incident, incident.id, incident.key.description)
    }
}

struct SLAPauseBody: CheckedBody {
    var reason: String?

    func check() throws {
        try Body.requireText(reason, "reason")
    }

    static func schema(reasonRequired: Bool) -> JSONValue {
        Schema.object(
            [("reason", Schema.string("Why (recorded in the history).", pattern: nonBlank))],
            required: reasonRequired ? ["reason"] : [])
    }
}
