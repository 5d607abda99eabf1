import CoreRecon
import Foundation

/// An ingest over the API: the records, as read, go to `POST /api/v1/ingest` as NDJSON, 500 records (or 900 KB,
/// under the smallest body limit a server can have) a request. A pretty-printed record (one spanning lines) goes
/// as it is, newlines and all, so the server stores the same raw record a local ingest stores: such records go in
/// requests of their own, as concatenated JSON values, which the server's splitter reads by structure; a broken
/// one (not JSON) goes on one line, as the rejection is all that is kept of it. Requests go
/// one at a time, so a slow server slows
/// the reader rather than filling memory; a request the server finds too large (413) is sent again in halves. The server
/// normalizes, deduplicates, stores and matches them exactly as a local ingest does; its rejections (by line of
/// the request) are mapped back to the file and line they came from. A request is repeated after a 429 or 503:
/// every record carries its delivery key, so a batch stored twice stores nothing the second time.
public final class RemoteIngestSession: AlertIngesting {
    let client: APIClient
    let format: AlertFormat?
    let source: String?
    let recordSize: Int
    let onReject: (Rejection) throws -> Void
    let onProgress: (IngestSummary) -> Void
    static let batchRecords = 500
    static let batchBytes = 900 << 10

    /// A record to send, or one the reader cut at the size limit (rejected here, in its place in the input).
    private var batch: [Pending] = []
    /// Whether the batch holds records that span lines (sent by structure) rather than one-line records.
    private var batchSpansLines = false
    private var bytes = 0
    private var summary = IngestSummary()
    /// The server's new matches of the stored alerts with indicators.
    public private(set) var indicatorMatches: [(alertID: Int64, indicatorID: Int64)] = []
    private let started = ContinuousClock.now

    public init(
        client: APIClient, format: AlertFormat?, source: String?, recordSize: Int,
        onReject: @escaping (Rejection) throws -> Void, onProgress: @escaping (IngestSummary) -> Void
    ) {
        self.client = client
        self.format = format
        self.source = source
        self.recordSize = recordSize
        self.onReject = onReject
        self.onProgress = onProgress
    }

    typealias Pending = (bytes: [UInt8], location: String, isOversize: Bool)

    public func add(_ bytes: [UInt8], location: String, isTruncated: Bool) async throws {
        let isOversize = isTruncated && bytes.count >= recordSize
        var record = isOversize ? Array(bytes.prefix(4_096)) : bytes
        var spansLines = false
        if !isOversize && record.contains(where: { $0 == 0x0A || $0 == 0x0D }) {
            if !isTruncated, (try? JSONParser.parse(record)) != nil {
                spansLines = true
            } else {
                // Not JSON: on one line, so that it cannot run into the records after it (a line break between
                // JSON tokens is a space; one inside a string is not JSON anyway).
                record = record.map { $0 == 0x0A || $0 == 0x0D ? 0x20 : $0 }
            }
        }
        if !isOversize && !batch.isEmpty && spansLines != batchSpansLines { try await flush() }
        if !isOversize { batchSpansLines = spansLines }
        batch.append((record, location, isOversize))
        self.bytes += record.count + 1
        if batch.count >= Self.batchRecords || self.bytes >= Self.batchBytes { try await flush() }
    }

    public func reject(location: String, reason: String, raw: String) async throws {
        // After what came before it, so rejections stay in input order.
        try await flush()
        summary.read += 1
        summary.rejected += 1
        try onReject(Rejection(location: location, reason: reason, raw: raw))
    }

    public func commitPending() async throws {
        try await flush()
    }

    public func finish() async throws -> IngestSummary {
        try await flush()
        summary.seconds = (ContinuousClock.now - started).seconds
        onProgress(summary)
        return summary
    }

    private func flush() async throws {
        guard !batch.isEmpty else { return }
        let pending = batch
        batch.removeAll(keepingCapacity: true)
        bytes = 0
        let sent = pending.indices.filter { !pending[$0].isOversize }
        var rejected: [Int: [String]] = [:]
        try await post(sent, of: pending, rejected: &rejected)
        for (index, record) in pending.enumerated() {
            if record.isOversize {
                summary.read += 1
                summary.rejected += 1
                try onReject(
                    Rejection(
                        location: record.location, reason: IngestSession.oversizeReason(recordSize),
                        raw: String(decoding: record.bytes, as: UTF8.self)))
            } else {
                // A record holding an array can have several of its alerts rejected.
                for reason in rejected[index] ?? [] {
                    try onReject(
                        Rejection(
                            location: record.location, reason: reason,
                            raw: String(decoding: record.bytes, as: UTF8.self)))
                }
            }
        }
        onProgress(summary)
    }

    /// Sends the records at `indices` of `batch` in one request, or in halves when the server finds it too large;
    /// the reasons of the records it rejects are added to `rejected` by index.
    private func post(_ indices: [Int], of batch: [Pending], rejected: inout [Int: [String]]) async throws {
        guard !indices.isEmpty else { return }
        var body: [UInt8] = []
        // The line of the request each record starts on: the server names rejected records by it.
        var starts: [Int: Int] = [:]
        var line = 1
        for index in indices {
            starts[line] = index
            body += batch[index].bytes
            body.append(0x0A)
            line += batch[index].bytes.count { $0 == 0x0A } + 1
        }
        var query: [(String, String)] = [("format", format?.rawValue ?? "auto")]
        if let source { query.append(("source", source)) }
        let response = try await client.send(
            .POST, "/api/v1/ingest", query: query, body: body, contentType: "application/x-ndjson",
            idempotent: true, accepting: [413, 422])
        if response.status == 413 {
            guard indices.count > 1 else {
                summary.read += 1
                summary.rejected += 1
                rejected[indices[0], default: []].append(
                    "\(client.target.server) refuses a request this large (413): raise its serve --body-limit")
                return
            }
            let half = indices.count / 2
            try await post(Array(indices[..<half]), of: batch, rejected: &rejected)
            try await post(Array(indices[half...]), of: batch, rejected: &rejected)
            return
        }
        let answer: JSONValue
        do {
            answer = try JSONParser.parse(response.body)
        } catch {
            throw CoreReconError.unavailable("\(client.target.server) answered an ingest with what is not JSON")
        }
        func count(_ key: String) -> Int { answer[key: key]?.int ?? 0 }
        summary.read += count("read")
        summary.created += count("created")
        summary.merged += count("merged")
        summary.redelivered += count("redelivered")
        summary.rejected += count("rejected")
        summary.alertIDs += (answer[key: "alertIds"]?.arrayValue ?? []).compactMap { $0.int.map(Int64.init) }
        for match in answer[key: "indicatorMatches"]?.arrayValue ?? [] {
            guard let alert = match[key: "alertId"]?.int, let indicator = match[key: "indicatorId"]?.int else {
                continue
            }
            indicatorMatches.append((Int64(alert), Int64(indicator)))
        }
        for rejection in answer[key: "rejections"]?.arrayValue ?? [] {
            // "line N" of the request: the record that starts there.
            guard let location = rejection[key: "location"]?.text, location.hasPrefix("line "),
                let line = Int(location.dropFirst(5)), let index = starts[line]
            else { continue }
            rejected[index, default: []].append(rejection[key: "reason"]?.text ?? "rejected")
        }
    }
}
