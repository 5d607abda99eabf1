import CoreRecon
import CoreReconStore
import Foundation
import Hummingbird

/// `GET /api/v1/audit`: the audit log, for admins.
struct AuditRoutes {
    let services: AppServices

    func register(on table: inout RouteTable) {
        table.add(
            .get, "/api/v1/audit", .admin, tag: "audit",
            "Audit log rows, newest first (since, actor, action, target, limit).",
            APIOperation(
                query: [
                    QueryParameter("since", .time, "From: a duration back from now or a timestamp."),
                    QueryParameter("actor", .text(maxLength: 200), "Who acted (user:NAME, key:NAME, webhook:SOURCE)."),
                    QueryParameter("action", .text(maxLength: 200), "The action (alert.close, incident.create, ...)."),
                    QueryParameter(
                        "target", .text(maxLength: 200), "What was acted on (an alert id, an incident key, ...)."),
                    QueryParameter("limit", .integer(1...10_000), "At most this many (default 100)."),
                ],
                responses: [
                    .json(200, "The rows, each with its hash chain link.", Schema.array(Schema.ref("AuditEntry")))
                ])
        ) { request, _ in
            var query = AuditQuery()
            do {
                query.since = try request.query("since").map { text throws(CoreReconError) in
                    try TimeExpression.parse(text, now: services.now(), option: "since")
                }
            } catch {
                throw APIError.badRequest("\(error)")
            }
            query.actor = request.query("actor")
            query.action = request.query("action")
            query.target = request.query("target")
            if let limit = request.query("limit") {
                guard let value = Int(limit), (1...10_000).contains(value) else {
                    throw APIError.badRequest("limit must be 1 to 10000.")
                }
                query.limit = value
            }
            return try Body.response(try await services.audit.list(query))
        }
        table.add(
            .get, "/api/v1/audit/verify", .admin, tag: "audit",
            "Recompute the hash chain, as `audit verify` does: the rows checked and the first broken row.",
            APIOperation(responses: [.json(200, "The check, intact or not.", Schema.ref("AuditVerification"))])
        ) { _, _ in
            try Body.response(try await services.audit.verify())
        }
    }
}
