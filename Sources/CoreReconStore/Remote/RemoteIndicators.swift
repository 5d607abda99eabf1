import CoreRecon
import Foundation
import NIOHTTP1

/// `corerecon ioc` over the API: `/api/v1/iocs` and the routes under it. Feeds are read here, as locally (so a
/// rejected record is named by file and line), and the reports sent as NDJSON to `POST /api/v1/iocs/reports`,
/// in batches the server's body limit takes.
public struct RemoteIndicators: IndicatorOperations {
    let client: APIClient
    /// Reports a request carries at most, and the bytes after which a batch is sent early.
    static let batchReports = 2_000
    static let batchBytes = 900 * 1_024

    public init(client: APIClient) { self.client = client }

    public func list(_ query: IndicatorQuery) async throws -> [IndicatorSummary] {
        var parameters: [(String, String)] = [("limit", String(query.limit))]
        if !query.types.isEmpty { parameters.append(("type", query.types.map(\.rawValue).joined(separator: ","))) }
        if let tag = query.tag { parameters.append(("tag", tag)) }
        if let source = query.source { parameters.append(("source", source)) }
        if let tlp = query.tlp { parameters.append(("tlp", tlp.rawValue)) }
        if let minimum = query.minimumScore { parameters.append(("minScore", Self.wholeScore(minimum))) }
        if let since = query.since { parameters.append(("since", ISO8601Format.string(from: since))) }
        if let search = query.search { parameters.append(("search", search)) }
        parameters.append(("status", query.expired.map { $0 ? "expired" : "active" } ?? "all"))
        let path = "/api/v1/iocs"
        let answer = try await client.json(.GET, path, query: parameters)
        guard let values = answer.arrayValue else {
            throw CoreReconError.unavailable("\(client.target.server) answered GET \(path) with what is not a list")
        }
        return try values.map { try summary($0, .GET, path) }
    }

    /// Scores are whole numbers over the API: `--min-score 50.5` asks for 51 and up, which is what it means for the
    /// scores people see.
    static func wholeScore(_ score: Double) -> String { String(Int(min(max(score, 0), 100).rounded(.up))) }

    public func detail(_ reference: String) async throws -> IndicatorDetail {
        try await client.read(
            .GET, "/api/v1/iocs/\(try await id(reference))", as: "an indicator", IndicatorDetail.init(json:))
    }

    public func add(_ report: IndicatorReport, expires: String?, by actor: String) async throws -> IndicatorSummary {
        var members = [
            JSONMember("value", .string(report.value)), JSONMember("type", .string(report.type.rawValue)),
            JSONMember("source", .string(report.source)), JSONMember("tags", .array(report.tags.map(JSONValue.string))),
        ]
        if let tlp = report.tlp { members.append(JSONMember("tlp", .string(tlp.rawValue))) }
        if let confidence = report.confidence { members.append(JSONMember("confidence", .int(confidence))) }
        if let description = report.description { members.append(JSONMember("description", .string(description))) }
        if let expires { members.append(JSONMember("expires", .string(expires))) }
        let path = "/api/v1/iocs"
        return try summary(try await client.json(.POST, path, body: .object(members)), .POST, path)
    }

    public func sight(_ reference: String, source: String, falsePositive: Bool, by actor: String) async throws
        -> IndicatorSummary
    {
        let path = "/api/v1/iocs/\(try await id(reference))/sightings"
        let body = JSONValue.object([
            JSONMember("source", .string(source)), JSONMember("falsePositive", .bool(falsePositive)),
        ])
        return try summary(try await client.json(.POST, path, body: body), .POST, path)
    }

    public func revoke(_ reference: String, by actor: String) async throws -> IndicatorSummary {
        let path = "/api/v1/iocs/\(try await id(reference))/revoke"
        return try summary(try await client.json(.POST, path), .POST, path)
    }

    public func delete(_ reference: String, by actor: String) async throws -> IndicatorSummary {
        let found = try await lookup(reference)
        _ = try await client.send(.DELETE, "/api/v1/iocs/\(found.id)")
        return found
    }

    public func stats() async throws -> IndicatorStats {
        try await client.decode(IndicatorStats.self, .GET, "/api/v1/iocs/stats")
    }

    public func importReports(
        _ reports: [IndicatorReport], defaultConfidence: Int, force: Bool, by actor: String,
        warn: @Sendable (String) -> Void
    ) async throws -> IndicatorImportSummary {
        var total = IndicatorImportSummary()
        var retroAlerts: Set<Int64>?
        var batch: [UInt8] = []
        var count = 0
        var sent = 0
        func flush(last: Bool) async throws {
            guard count > 0 || (last && sent == 0) else { return }
            var query: [(String, String)] = [("confidence", String(defaultConfidence)), ("last", String(last))]
            if force { query.append(("force", "true")) }
            // 422: the server refused every line of the batch; its reasons are in the answer as usual.
            let response = try await client.send(
                .POST, "/api/v1/iocs/reports", query: query, body: batch, contentType: "application/x-ndjson",
                accepting: [422])
            let answer: JSONValue
            do { answer = try JSONParser.parse(response.body) } catch {
                throw CoreReconError.unavailable(
                    "\(client.target.server) answered POST /api/v1/iocs/reports with what is not JSON")
            }
            guard let new = answer[key: "new"]?.int, let updated = answer[key: "updated"]?.int,
                let unchanged = answer[key: "unchanged"]?.int, let patternOnly = answer[key: "patternOnly"]?.int,
                let warninglisted = answer[key: "warninglisted"]?.int, let rejected = answer[key: "rejected"]?.int
            else {
                throw CoreReconError.unavailable(
                    "\(client.target.server) answered POST /api/v1/iocs/reports without the import's counts")
            }
            // The reports were read and checked here; one the server refuses all the same is its word against ours.
            for rejection in answer[key: "rejections"]?.arrayValue ?? [] {
                warn(
                    "the server rejected \(rejection[key: "location"]?.text ?? "a report"): "
                        + (rejection[key: "reason"]?.text ?? ""))
            }
            total.new += new
            total.updated += updated
            total.unchanged += unchanged
            total.patternOnly += patternOnly
            total.warninglisted += warninglisted
            total.read += count - rejected
            for warning in answer[key: "warnings"]?.arrayValue ?? [] { warn(warning.text ?? "") }
            if let alerts = answer[key: "retroAlerts"]?.arrayValue {
                retroAlerts = (retroAlerts ?? []).union(alerts.compactMap { $0.int.map(Int64.init) })
            }
            sent += 1
            batch.removeAll(keepingCapacity: true)
            count = 0
        }
        for report in reports {
            let line = Array(report.jsonObject.jsonString.utf8) + [UInt8(ascii: "\n")]
            if count > 0 && (count >= Self.batchReports || batch.count + line.count > Self.batchBytes) {
                try await flush(last: false)
            }
            batch += line
            count += 1
        }
        try await flush(last: true)
        total.retroMatches = retroAlerts?.count
        return total
    }

    public func export(_ request: IndicatorExportRequest) async throws -> String {
        var query: [(String, String)] = [("to", request.format.rawValue)]
        if !request.types.isEmpty { query.append(("type", request.types.map(\.rawValue).joined(separator: ","))) }
        if let tag = request.tag { query.append(("tag", tag)) }
        if let minimum = request.minimumScore { query.append(("minScore", Self.wholeScore(minimum))) }
        if let tlp = request.tlpMax { query.append(("tlpMax", tlp.rawValue)) }
        if request.format == .suricata {
            query += [("action", request.action), ("sidBase", String(request.sidBase))]
        }
        if request.format == .misp { query.append(("info", request.info)) }
        let response = try await client.send(.GET, "/api/v1/iocs/export", query: query)
        return String(decoding: response.body, as: UTF8.self)
    }

    public func update(_ reference: String, _ change: IndicatorUpdate, by actor: String) async throws
        -> IndicatorSummary
    {
        var members: [JSONMember] = []
        if let tlp = change.tlp { members.append(JSONMember("tlp", .string(tlp.rawValue))) }
        if let confidence = change.confidence { members.append(JSONMember("confidence", .int(confidence))) }
        if !change.addTags.isEmpty {
            members.append(JSONMember("addTags", .array(change.addTags.map(JSONValue.string))))
        }
        if !change.removeTags.isEmpty {
            members.append(JSONMember("removeTags", .array(change.removeTags.map(JSONValue.string))))
        }
        if let description = change.description { members.append(JSONMember("description", .string(description))) }
        if let expires = change.expires { members.append(JSONMember("expires", .string(expires))) }
        if change.unrevoke { members.append(JSONMember("revoked", .bool(false))) }
        let path = "/api/v1/iocs/\(try await id(reference))"
        return try summary(try await client.json(.PATCH, path, body: .object(members)), .PATCH, path)
    }

    public func hunt(since: Date, record: Bool, by actor: String) async throws -> [AlertIndicatorMatch] {
        var query = [("since", ISO8601Format.string(from: since))]
        if !record { query.append(("dryRun", "true")) }
        return try await client.decode(
            [AlertIndicatorMatch].self, .POST, "/api/v1/iocs/hunt", query: query)
    }

    /// The id of an indicator named by id or value (the server finds a value as `ioc show` does locally).
    func id(_ reference: String) async throws -> Int64 {
        if let id = Int64(reference), id > 0 { return id }
        return try await lookup(reference).id
    }

    func lookup(_ reference: String) async throws -> IndicatorSummary {
        if let id = Int64(reference), id > 0 { return try await detail(String(id)).indicator }
        let path = "/api/v1/iocs/lookup"
        return try summary(try await client.json(.GET, path, query: [("value", reference)]), .GET, path)
    }

    func summary(_ json: JSONValue, _ method: HTTPMethod, _ path: String) throws -> IndicatorSummary {
        guard let summary = IndicatorSummary(json: json) else {
            throw CoreReconError.unavailable(
                "\(client.target.server) answered \(method) \(path) with an indicator this corerecon cannot read")
        }
        return summary
    }
}
