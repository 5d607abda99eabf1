import CoreRecon
import Foundation
import NIOHTTP1

/// `corerecon sla` over the API: `/api/v1/sla/status`, `/policies`, `/report`, `/{ref}/pause`, `/{ref}/resume` and
/// `/sweep`. Times are worked out against this machine's clock, as the server's answers give them.
public struct RemoteSLA: SLAOperations {
    let client: APIClient

    public init(client: APIClient) { self.client = client }

    public func status(_ filter: SLAService.StatusFilter) async throws -> [SLAClock] {
        var query: [(String, String)] = [("limit", String(filter.limit))]
        if filter.atRiskOnly { query.append(("atRisk", "true")) }
        if filter.breachedOnly { query.append(("breached", "true")) }
        if let assignee = filter.assignee { query.append(("assignee", assignee)) }
        if let target = filter.target { query.append(("target", target.rawValue)) }
        return try await clocks(.GET, "/api/v1/sla/status", query: query)
    }

    public func policies() async throws -> (policies: [SLAPolicySummary], recordedAt: Date?) {
        struct Answer: Decodable {
            var policies: [SLAPolicySummary]
            var recordedAt: String?
        }
        let answer = try await client.decode(Answer.self, .GET, "/api/v1/sla/policies")
        return (answer.policies, answer.recordedAt.flatMap(TimestampParser.iso8601))
    }

    public func report(since: Date, by grouping: SLAReportGrouping) async throws -> [SLAReportRow] {
        try await client.decode(
            [SLAReportRow].self, .GET, "/api/v1/sla/report",
            query: [("since", ISO8601Format.string(from: since)), ("by", grouping.rawValue)])
    }

    public func pause(_ reference: String, reason: String, by actor: String) async throws -> [SLAClock] {
        try await clocks(
            .POST, "/api/v1/sla/\(APIClient.pathSegment(reference))/pause",
            body: .object([JSONMember("reason", .string(reason))]))
    }

    public func resume(_ reference: String, reason: String?, by actor: String) async throws -> [SLAClock] {
        try await clocks(
            .POST, "/api/v1/sla/\(APIClient.pathSegment(reference))/resume",
            body: .object(reason.map { [JSONMember("reason", .string($0))] } ?? []))
    }

    public func sweep(dryRun: Bool) async throws -> AppServices.SLASweepOutcome {
        let answer = try await client.json(
            .POST, "/api/v1/sla/sweep", query: dryRun ? [("dryRun", "true")] : [])
        guard let outcome = AppServices.SLASweepOutcome(json: answer, at: Date()) else {
            throw CoreReconError.unavailable(
                "\(client.target.server) answered POST /api/v1/sla/sweep with what this corerecon cannot read")
        }
        return outcome
    }

    func clocks(_ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: JSONValue? = nil)
        async throws -> [SLAClock]
    {
        let answer = try await client.json(method, path, query: query, body: body)
        guard let values = answer.arrayValue else {
            throw CoreReconError.unavailable(
                "\(client.target.server) answered \(method) \(path) with what is not a list")
        }
        return try values.map { value in
            guard let clock = SLAClock(json: value) else {
                throw CoreReconError.unavailable(
                    "\(client.target.server) answered \(method) \(path) with a clock this corerecon cannot read")
            }
            return clock
        }
    }
}
