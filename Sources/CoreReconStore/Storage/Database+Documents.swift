import CoreRecon
import Foundation
import SQLKit

/// Alerts' OCSF documents as both backends keep them: zstd frames (``DocumentCodec``), or the UTF-8 text of a row
/// stored before compression (schema 17 on SQLite, 18 on PostgreSQL) until `corerecon migrate` converts it.
extension Database {
    /// The stored form of each alert's document, in `batch` order. Documents ``NormalizedAlert/storedDocument``
    /// already holds are taken as they are; the rest are compressed here. Run before the write transaction, so
    /// compressing never holds the write lock.
    func storedDocuments(of batch: [NormalizedAlert], now: Date) async throws -> [Data]? {
        guard !batch.isEmpty else { return nil }
        let missing = batch.indices.filter { batch[$0].storedDocument == nil }
        let groups = [String: [Int]](grouping: missing) { batch[$0].mapped.format.rawValue }
        var stored = batch.map { $0.storedDocument ?? Data() }
        for (format, indices) in groups {
            let encoded = try await documents.encode(
                indices.map { StoredDocument.payload(batch[$0].ocsf, extras: StoredDocument.extras(of: batch[$0])) },
                format: format, access: .database(self), now: now)
            for (index, frame) in zip(indices, encoded) { stored[index] = frame }
        }
        return stored
    }

    /// A document column as a SELECT reads it for ``document(_:column:on:)``: its bytes (a frame, or the text of an
    /// older row).
    func documentColumn(_ column: String) -> String {
        switch backend {
        case .sqlite: "CAST(\(column) AS BLOB)"
        case .postgres: column
        }
    }

    /// The JSON text of the document in `column` of `row`, selected with ``documentColumn(_:)``.
    func document(_ row: any SQLRow, column: String, on sql: any SQLDatabase) async throws -> String {
        try await storedDocument(row, column: column, on: sql).document
    }

    /// The document in `column` of `row` with the alert's facts stored beside it (``StoredDocument``).
    func storedDocument(_ row: any SQLRow, column: String, on sql: any SQLDatabase) async throws -> StoredDocument {
        StoredDocument(
            payload: try await documents.decode(Array(try row.decode(column: column, as: Data.self)), on: sql))
    }

    /// The OCSF document of alert `id`, or nil when there is no such alert.
    func alertDocument(id: Alert.ID, on sql: any SQLDatabase) async throws -> String? {
        guard
            let row = try await sql.raw(
                "SELECT \(unsafeRaw: documentColumn("ocsf")) AS ocsf FROM alerts WHERE id = \(bind: id)"
            ).first()
        else { return nil }
        return try await document(row, column: "ocsf", on: sql)
    }

    /// Replaces alert `id`'s document with `change` applied to it, inside the caller's transaction.
    func updateAlertDocument(
        id: Alert.ID, on sql: any SQLDatabase, now: Date, _ change: (inout [JSONMember]) -> Void
    ) async throws {
        guard
            let row = try await sql.raw(
                "SELECT format, \(unsafeRaw: documentColumn("ocsf")) AS ocsf FROM alerts WHERE id = \(bind: id)"
            ).first()
        else { return }
        let stored = try await storedDocument(row, column: "ocsf", on: sql)
        guard case .object(var members) = try JSONParser.parse(stored.document) else { return }
        change(&members)
        let text = StoredDocument.payload(JSONValue.object(members).jsonString, extras: stored.extras)
        let format = try row.decode(column: "format", as: String.self)
        let frame = try await documents.encode([text], format: format, access: .connection(sql), now: now)[0]
        try await sql.raw("UPDATE alerts SET ocsf = \(bind: frame) WHERE id = \(bind: id)").run()
    }
}

/// What a stored document holds: the alert's OCSF document and, after a NUL byte (which JSON text never holds
/// unescaped), a JSON object of facts about the alert that only its own views read: `fingerprint_basis`, the fields
/// and values its fingerprint was made of (``SQLAlertRepository/fingerprintBasis(_:)``). Kept inside the same zstd
/// frame they cost a few bytes, most of their values being in the document already; in a column of their own they
/// cost about 125 bytes an alert. Rows stored before migration 20 have no extras and keep those facts in columns
/// until `corerecon migrate`'s conversion moves them.
struct StoredDocument: Sendable, Equatable {
    var document: String
    /// The facts object's text, nil when the payload has none.
    var extras: String?

    init(payload: String) {
        let bytes = payload.utf8
        if let nul = bytes.firstIndex(of: 0) {
            document = String(payload[..<nul])
            extras = String(payload[payload.utf8.index(after: nul)...])
        } else {
            document = payload
            extras = nil
        }
    }

    /// The text a frame stores: the document, then the extras when there are any.
    static func payload(_ document: String, extras: String?) -> String {
        guard let extras else { return document }
        return document + "\u{0}" + extras
    }

    /// The extras of a new alert.
    static func extras(of alert: NormalizedAlert) -> String {
        JSONValue.object([
            JSONMember("fingerprint_basis", SQLAlertRepository.basisObject(alert.fingerprintBasis))
        ]).jsonString
    }

    /// The fingerprint basis the extras hold, in its stored form (a JSON object of field to value), or nil.
    var fingerprintBasis: String? {
        guard let extras, case .object(let members) = try? JSONParser.parse(extras),
            let basis = members.first(where: { $0.key == "fingerprint_basis" })?.value
        else { return nil }
        return basis.jsonString
    }
}
