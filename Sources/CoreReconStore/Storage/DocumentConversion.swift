import CoreRecon
import Foundation
import SQLKit

/// What a conversion of stored documents did.
public struct DocumentConversionReport: Sendable, Equatable, Codable {
    /// Alerts whose row was rewritten: the document as a zstd frame with the fingerprint basis inside.
    public var converted: Int
    /// Their document, basis and words bytes before, and their frames' bytes after.
    public var bytesBefore: Int64
    public var bytesAfter: Int64
    /// Ids of alerts whose stored frame could not be read (damaged, or its dictionary missing): left as they were,
    /// so one bad row does not stop the conversion of the others. Reading such an alert is an error that says so.
    public var unreadable: [Int64]

    public init(converted: Int = 0, bytesBefore: Int64 = 0, bytesAfter: Int64 = 0, unreadable: [Int64] = []) {
        self.converted = converted
        self.bytesBefore = bytesBefore
        self.bytesAfter = bytesAfter
        self.unreadable = unreadable
    }
}

extension Database {
    /// Alerts a conversion rewrites per transaction: short enough that ingest beside it waits milliseconds.
    static let conversionBatch = 500

    /// Rewrites the documents that releases before migration 17 (SQLite) or 18 (PostgreSQL) stored as JSON text as
    /// zstd frames, and those stored before migration 20 with their fingerprint basis inside (``StoredDocument``);
    /// trims their full-text words (on SQLite to none, the contentless index keeping its own; on PostgreSQL to the
    /// observables' values, title and description being indexed from their columns):
    /// first a dictionary for each of their formats that has none (trained on up to 200 of its documents), then
    /// `conversionBatch` alerts a transaction, each recording how far it got, so a conversion that is stopped
    /// (killed, a full disk) resumes where it stopped and nothing is converted twice. `progress` gets the alerts
    /// done and the total after each batch. Nothing to do when done.
    ///
    /// The file keeps its size until SQLite reuses the freed pages (new alerts fill them first) or `VACUUM` runs;
    /// on PostgreSQL until autovacuum (or `VACUUM`) marks the old row versions free for new rows.
    public func convertDocuments(
        now: @Sendable () -> Date, progress: (_ done: Int, _ total: Int) -> Void = { _, _ in }
    ) async throws -> DocumentConversionReport {
        let range = try await read { sql -> (done: Int64, through: Int64, total: Int, formats: [String])? in
            guard let row = try await sql.raw("SELECT through, done FROM document_conversion").first() else {
                return nil
            }
            let through = try row.decode(column: "through", as: Int64.self)
            let done = try row.decode(column: "done", as: Int64.self)
            guard done < through else { return nil }
            let total =
                try await sql.raw(
                    "SELECT COUNT(*) AS n FROM alerts WHERE id > \(bind: done) AND id <= \(bind: through)"
                ).first(decodingColumn: "n", as: Int.self) ?? 0
            let formats = try await sql.raw(
                "SELECT DISTINCT format FROM alerts WHERE id > \(bind: done) AND id <= \(bind: through)"
            ).all().map { try $0.decode(column: "format", as: String.self) }
            return (done, through, total, formats)
        }
        guard let range else { return DocumentConversionReport() }

        var dictionaries: [String: DocumentCodec.Dictionary] = [:]
        for format in range.formats {
            dictionaries[format] = try await withConnection { sql in
                try await documents.dictionary(
                    for: format,
                    samples: {
                        var texts: [String] = []
                        for row in try await sql.raw(
                            """
                            SELECT fingerprint_basis, \(unsafeRaw: documentColumn("ocsf")) AS ocsf FROM alerts
                            WHERE format = \(bind: format) ORDER BY id DESC LIMIT \(unsafeRaw: String(DocumentCodec.trainingSamples))
                            """
                        ).all() {
                            // As the frames will hold them: with the basis inside. An unreadable one is no sample
                            // (the conversion names it below); any other error stops the conversion.
                            do {
                                texts.append(try await convertedPayload(row, on: sql))
                            } catch let error where Self.isUnreadable(error) {
                                continue
                            }
                        }
                        return texts
                    }, on: sql, now: now())
            }
        }

        var report = DocumentConversionReport()
        var cursor = range.done
        var seen = 0
        progress(0, range.total)
        while cursor < range.through {
            let (last, count, batch) = try await transaction { sql -> (Int64, Int, DocumentConversionReport) in
                // Read again inside the write transaction: another conversion may have moved the cursor.
                let from = max(
                    cursor,
                    try await sql.raw("SELECT done FROM document_conversion").first(
                        decodingColumn: "done", as: Int64.self)
                        ?? cursor)
                let rows = try await sql.raw(
                    """
                    SELECT id, format, fingerprint_basis, search_text, \(unsafeRaw: documentColumn("ocsf")) AS ocsf
                    FROM alerts WHERE id > \(bind: from) AND id <= \(bind: range.through) ORDER BY id
                    LIMIT \(unsafeRaw: String(Self.conversionBatch))
                    """
                ).all()
                var batch = DocumentConversionReport()
                var last = from
                for row in rows {
                    last = try row.decode(column: "id", as: Int64.self)
                    let stored = Array(try row.decode(column: "ocsf", as: Data.self))
                    let basis = try row.decode(column: "fingerprint_basis", as: String.self)
                    let words = try row.decode(column: "search_text", as: String.self)
                    // Done: a frame with the basis inside (migration 20), and on SQLite no words in the row.
                    if ZstdFrames.isFrame(stored), basis.isEmpty, backend == .postgres || words.isEmpty { continue }
                    let format = try row.decode(column: "format", as: String.self)
                    let payload: String
                    do {
                        payload = try await convertedPayload(row, on: sql)
                    } catch let error where Self.isUnreadable(error) {
                        logger.warning(
                            "An alert's stored document cannot be read; it is left as it is",
                            metadata: ["alert.id": "\(last)", "error": "\(error)"])
                        batch.unreadable.append(last)
                        continue
                    }
                    let frame = try ZstdFrames.compress(Array(payload.utf8), with: dictionaries[format])
                    // SQLite's full-text index keeps its own words since migration 20: the row keeps none.
                    // PostgreSQL's reads title and description from their columns (since migration 19): the row's
                    // words keep the observables' values only.
                    let search: SQLQueryString =
                        switch backend {
                        case .sqlite: "''"
                        case .postgres:
                            """
                            COALESCE((SELECT \(unsafeRaw: backend.aggregate("value", separator: " "))
                                      FROM alert_observables WHERE alert_id = \(bind: last)), '')
                            """
                        }
                    try await sql.raw(
                        """
                        UPDATE alerts SET ocsf = \(bind: frame), fingerprint_basis = '', search_text = \(search)
                        WHERE id = \(bind: last)
                        """
                    ).run()
                    batch.converted += 1
                    batch.bytesBefore += Int64(stored.count + basis.utf8.count + words.utf8.count)
                    batch.bytesAfter += Int64(frame.count)
                }
                if rows.count < Self.conversionBatch { last = range.through }
                try await sql.raw("UPDATE document_conversion SET done = \(bind: last)").run()
                return (last, rows.count, batch)
            }
            cursor = last
            seen += count
            report.converted += batch.converted
            report.bytesBefore += batch.bytesBefore
            report.bytesAfter += batch.bytesAfter
            report.unreadable += batch.unreadable
            progress(min(seen, range.total), range.total)
        }
        return report
    }

    /// An error that says a stored document cannot be read (a damaged frame, a missing dictionary, a basis that is
    /// not JSON), as opposed to one of the database's.
    private static func isUnreadable(_ error: any Error) -> Bool {
        error is CoreReconError || error is JSONParser.SyntaxError
    }

    /// What a converted frame holds for a row of `fingerprint_basis` and `ocsf`: its document with the basis inside
    /// (from the frame when it has it already, else from the column).
    private func convertedPayload(_ row: any SQLRow, on sql: any SQLDatabase) async throws -> String {
        var stored = try await storedDocument(row, column: "ocsf", on: sql)
        let basis = try row.decode(column: "fingerprint_basis", as: String.self)
        if stored.extras == nil, !basis.isEmpty {
            stored.extras = JSONValue.object([JSONMember("fingerprint_basis", try JSONParser.parse(basis))]).jsonString
        }
        return StoredDocument.payload(stored.document, extras: stored.extras)
    }
}
