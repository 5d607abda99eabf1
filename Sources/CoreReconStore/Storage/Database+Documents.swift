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
                indices.map { batch[$0].ocsf }, format: format, access: .database(self), now: now)
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
        try await documents.decode(Array(try row.decode(column: column, as: Data.self)), on: sql)
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
            ).first(),
            case .object(var members) = try JSONParser.parse(try await document(row, column: "ocsf", on: sql))
        else { return }
        change(&members)
        let text = JSONValue.object(members).jsonString
        let format = try row.decode(column: "format", as: String.self)
        let frame = try await documents.encode([text], format: format, access: .connection(sql), now: now)[0]
        try await sql.raw("UPDATE alerts SET ocsf = \(bind: frame) WHERE id = \(bind: id)").run()
    }
}
