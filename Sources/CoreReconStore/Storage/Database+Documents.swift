import CoreRecon
import Foundation
import SQLKit

/// Alerts' OCSF documents as each backend keeps them: zstd frames on SQLite (``DocumentCodec``), JSON on
/// PostgreSQL (compressed by TOAST).
extension Database {
    /// The stored form of each alert's document, in `batch` order: frames on SQLite, nil on PostgreSQL (which
    /// binds the text). Documents ``NormalizedAlert/storedDocument`` already holds are taken as they are; the
    /// rest are compressed here. Run before the write transaction, so compressing never holds the write lock.
    func storedDocuments(of batch: [NormalizedAlert], now: Date) async throws -> [Data]? {
        guard backend == .sqlite, !batch.isEmpty else { return nil }
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

    /// A document column as a SELECT reads it for ``document(_:column:on:)``: raw bytes on SQLite (a frame, or the
    /// text of an older row), text on PostgreSQL.
    func documentColumn(_ column: String) -> String {
        switch backend {
        case .sqlite: "CAST(\(column) AS BLOB)"
        case .postgres: "\(column)::text"
        }
    }

    /// The JSON text of the document in `column` of `row`, selected with ``documentColumn(_:)``.
    func document(_ row: any SQLRow, column: String, on sql: any SQLDatabase) async throws -> String {
        switch backend {
        case .sqlite:
            try await documents.decode(Array(try row.decode(column: column, as: Data.self)), on: sql)
        case .postgres:
            try row.decode(column: column, as: String.self)
        }
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
        switch backend {
        case .sqlite:
            let format = try row.decode(column: "format", as: String.self)
            let frame = try await documents.encode([text], format: format, access: .connection(sql), now: now)[0]
            try await sql.raw("UPDATE alerts SET ocsf = \(bind: frame) WHERE id = \(bind: id)").run()
        case .postgres:
            try await sql.raw("UPDATE alerts SET ocsf = CAST(\(bind: text) AS JSON) WHERE id = \(bind: id)").run()
        }
    }
}
