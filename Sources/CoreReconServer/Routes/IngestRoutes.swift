import CoreRecon
import CoreReconStore
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `POST /api/v1/ingest` and `POST /api/v1/webhooks/{source}`: raw alerts through the same pipeline as
/// `corerecon ingest`.
struct IngestRoutes {
    let services: AppServices
    let bodyLimit: Int
    let metrics: ServerMetrics
    let webhooks: WebhookVerifier

    func register(on table: inout RouteTable) {
        table.add(
            .post, "/api/v1/ingest", .ingest, tag: "ingest", "Ingest a JSON array or NDJSON of raw alerts.",
            APIOperation(
                query: [
                    QueryParameter(
                        "format", .choice(["auto"] + AlertFormat.allCases.map(\.rawValue)),
                        "The records' format (default: detected per record)."),
                    QueryParameter(
                        "source", .text(maxLength: 200), "A label for where the alerts came from (default api)."),
                ],
                body: Self.body, responses: Self.responses)
        ) {
            request, context in
            let identity = try context.require(.ingest)
            var request = request
            let body = try await request.collectBody(upTo: bodyLimit)
            return try await ingest(
                body, format: try request.query("format").flatMap(format), source: request.query("source") ?? "api",
                actor: identity.actor)
        }
        table.add(
            .post, "/api/v1/webhooks/{source}", .ingest, tag: "ingest",
            "Receive SIEM alerts: an ingest-role API key, or an HMAC-SHA256 signature with the source's secret.",
            acceptsSignature: true,
            APIOperation(
                body: Self.body, responses: Self.responses)
        ) { request, context in
            let source = context.parameters.get("source") ?? ""
            let alertFormat = try format(source)
            var request = request
            let body = try await request.collectBody(upTo: bodyLimit)
            if context.identity == nil {
                try await webhooks.verify(source: source, request: request, body: body)
            }
            return try await ingest(body, format: alertFormat, source: source, actor: "webhook:\(source)")
        }
    }

    /// Raw alerts in any of the formats; the schema shows the generic one (a JSON object with a title).
    static let body = RequestBody(
        description:
            "One alert as a JSON object, a JSON array of alerts, or NDJSON (one per line). Each record is in one of the formats (Elastic, Wazuh, Suricata, ...); the generic format needs a title.",
        contentTypes: ["application/json", "application/x-ndjson"],
        schema: .object([
            JSONMember(
                "anyOf",
                .array([
                    Schema.ref("GenericAlert"),
                    Schema.array(Schema.any, minItems: 1, "Records, each mapped (or rejected with its reason) alone."),
                ]))
        ]))

    static let responses: [APIResponse] = [
        .json(
            202, "Stored: the ids of the new and merged alerts; rejected records are listed.",
            Schema.ref("IngestSummary")
        )
        .linking(AlertRoutes.links(id: "$response.body#/alertIds/0")),
        .json(200, "Every record was a re-delivery of one already stored.", Schema.ref("IngestSummary")),
        .json(
            422, "No record could be stored: each is listed in `rejections` with its line and reason.",
            Schema.ref("IngestSummary")),
    ]

    func format(_ name: String) throws -> AlertFormat? {
        if name == "auto" { return nil }
        guard let format = AlertFormat(rawValue: name) else {
            throw APIError.notFound(
                "unknown source '\(name)'; use one of \(AlertFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        return format
    }

    /// Splits the body into records, stores them, and answers 202 with the alert ids (200 when every record was
    /// a re-delivery); rejected records are listed with their line and reason.
    func ingest(_ body: ByteBuffer, format: AlertFormat?, source: String, actor: String) async throws -> Response {
        var rejections: [Rejection] = []
        let session = services.makeIngestSession(
            format: format, sourceLabel: source, actor: actor, onReject: { rejections.append($0) })
        var splitter = RecordSplitter(maximumRecordSize: services.config.ingest.limits.recordSize)
        let records = splitter.feed(body.readableBytesView) + splitter.finish()
        for record in records {
            try await session.add(record.bytes, location: "line \(record.line)", isTruncated: record.isTruncated)
        }
        let summary = try await session.finish()
        metrics.ingested(summary)
        // The alerts are stored; a failure to match them against indicators is logged, not answered.
        var matches: [AlertIndicatorMatch] = []
        do {
            matches = try await services.indicators.matchAlerts(
                summary.alertIDs, cache: services.matcherCache, memo: services.matcherMemo, actor: actor,
                committed: services.alertsCommitted)
        } catch {
            services.logger.warning(
                "Matching ingested alerts against indicators failed", metadata: ["error": "\(error)"])
        }
        guard summary.read > 0 else { throw APIError.badRequest("the body holds no alerts.") }
        let allRedelivered = summary.created == 0 && summary.merged == 0 && summary.redelivered > 0
        let status: HTTPResponse.Status =
            rejections.isEmpty
            ? (allRedelivered ? .ok : .accepted) : (summary.alertIDs.isEmpty ? .unprocessableContent : .accepted)
        return Body.response(
            json: .object([
                JSONMember("alertIds", .array(summary.alertIDs.map { .int($0) })),
                JSONMember("read", .int(summary.read)), JSONMember("created", .int(summary.created)),
                JSONMember("merged", .int(summary.merged)), JSONMember("redelivered", .int(summary.redelivered)),
                JSONMember("rejected", .int(summary.rejected)),
                JSONMember("rejections", .array(rejections.map(\.jsonObject))),
                JSONMember(
                    "indicatorMatches",
                    .array(
                        matches.map {
                            .object([
                                JSONMember("alertId", .int($0.alertID)),
                                JSONMember("indicatorId", .int($0.indicatorID)),
                            ])
                        })),
            ]), status: status)
    }
}

/// Checks webhook signatures: `X-CoreRecon-Signature: t=UNIX_SECONDS,v1=HEX` where HEX is
/// HMAC-SHA256(secret, "t.body"), compared in constant time; the timestamp must be within five minutes and a
/// signature is accepted once (a replay within the window is refused).
actor WebhookVerifier {
    /// Secrets per source (`CORERECON_WEBHOOK_SECRET_ELASTIC`, ...).
    let secrets: [String: String]
    let tolerance: TimeInterval
    let now: @Sendable () -> Date
    private var seen: [String: Date] = [:]

    // swift-format-ignore: NeverForceUnwrap
    static let header = HTTPField.Name("X-CoreRecon-Signature")!

    init(secrets: [String: String], tolerance: TimeInterval = 300, now: @escaping @Sendable () -> Date) {
        self.secrets = secrets
        self.tolerance = tolerance
        self.now = now
    }

    func verify(source: String, request: Request, body: ByteBuffer) throws {
        guard let secret = secrets[source] else {
            throw APIError.unauthorized(
                "send an API key with the ingest role, or configure CORERECON_WEBHOOK_SECRET_\(source.uppercased()) and sign the body."
            )
        }
        guard let header = request.headers[Self.header] else {
            throw APIError.unauthorized("missing X-CoreRecon-Signature (t=UNIX_SECONDS,v1=HMAC_SHA256_HEX).")
        }
        var timestamp: String?
        var signatures: [String] = []
        for part in header.split(separator: ",") {
            let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { continue }
            if pair[0] == "t" { timestamp = pair[1] }
            if pair[0] == "v1" { signatures.append(pair[1].lowercased()) }
        }
        guard let timestamp, let seconds = Double(timestamp), !signatures.isEmpty else {
            throw APIError.unauthorized("X-CoreRecon-Signature must be t=UNIX_SECONDS,v1=HEX.")
        }
        let current = now()
        guard abs(current.timeIntervalSince1970 - seconds) <= tolerance else {
            throw APIError.unauthorized(
                "the signature timestamp is more than \(Int(tolerance)) s from the server's clock.")
        }
        var message = Data(timestamp.utf8)
        message.append(UInt8(ascii: "."))
        message.append(contentsOf: body.readableBytesView)
        let expected = Data(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(secret.utf8))))
        guard
            signatures.contains(where: { signature in
                guard let given = Data(hexString: signature) else { return false }
                return Self.constantTimeEqual(given, expected)
            })
        else {
            throw APIError.unauthorized("the signature does not match the body.")
        }
        // Forget what has aged out; refuse what was seen.
        seen = seen.filter { current.timeIntervalSince($0.value) <= tolerance * 2 }
        let key = "\(source):\(timestamp):\(signatures[0])"
        guard seen[key] == nil else {
            throw APIError.unauthorized("this signed request was already received (replay).")
        }
        seen[key] = current
    }

    static func constantTimeEqual(_ a: Data, _ b: Data) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }

}

/// Signs webhook bodies the way ``WebhookVerifier`` checks them.
public enum WebhookSignature {
    /// The `X-CoreRecon-Signature` value for `body` signed with `secret` at `time`.
    public static func sign(_ body: Data, secret: String, at time: Date) -> String {
        let timestamp = String(Int(time.timeIntervalSince1970))
        var message = Data(timestamp.utf8)
        message.append(UInt8(ascii: "."))
        message.append(body)
        let code = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(secret.utf8)))
        return "t=\(timestamp),v1=" + Hex.encode(code)
    }
}

extension Data {
    init?(hexString: String) {
        guard hexString.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        var index = hexString.startIndex
        while index < hexString.endIndex {
            let next = hexString.index(index, offsetBy: 2)
            guard let byte = UInt8(hexString[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        self.init(bytes)
    }
}

/// Webhook secrets from the environment.
public enum WebhookSecrets {
    /// `CORERECON_WEBHOOK_SECRET_ELASTIC=...` → `["elastic": ...]`.
    public static func from(environment: [String: String]) -> [String: String] {
        var secrets: [String: String] = [:]
        for (name, value) in environment where name.hasPrefix("CORERECON_WEBHOOK_SECRET_") && !value.isEmpty {
            secrets[name.dropFirst("CORERECON_WEBHOOK_SECRET_".count).lowercased()] = value
        }
        return secrets
    }
}
