import CoreRecon
import Foundation
import NIOCore
import PostgresNIO
import SQLKit
import SQLiteNIO

/// A statement built as text and values for one backend, run straight through the driver (``PlainRowReading``).
///
/// The batch writer's multi-row inserts bind about 30 values a record. Through SQLKit each value is an
/// `any Encodable`, serialized into a bind list and then cast at run time to the driver's type: in a profile of
/// `ingest` that was 9 % of the process's samples, on the writer's path that a batch waits for. Here a value is
/// the driver's already, and the text has the backend's placeholders (`?` on SQLite, `$1...` on PostgreSQL).
struct PlainStatement: Sendable {
    let backend: DatabaseBackend
    private(set) var sql: String
    private(set) var binds: [PlainValue] = []

    init(_ backend: DatabaseBackend, _ sql: String = "", reservingBinds count: Int = 0) {
        self.backend = backend
        self.sql = sql
        binds.reserveCapacity(count)
    }

    /// `prefix`, the values in parentheses separated by commas, then `suffix`: a statement with an `IN` list.
    init(_ backend: DatabaseBackend, _ prefix: String, in values: [PlainValue], _ suffix: String = "") {
        self.init(backend, prefix + "(", reservingBinds: values.count)
        bind(values)
        append(")" + suffix)
    }

    /// SQL text, as is.
    mutating func append(_ literal: String) {
        sql += literal
    }

    /// A value in the statement's next placeholder.
    mutating func bind(_ value: PlainValue) {
        binds.append(value)
        switch backend {
        case .sqlite:
            sql += "?"
        case .postgres:
            sql += "$"
            sql += String(binds.count)
        }
    }

    /// Values separated by commas: the inside of `IN (...)`, or of one row of `VALUES`.
    mutating func bind(_ values: [PlainValue]) {
        for (index, value) in values.enumerated() {
            if index > 0 { append(", ") }
            bind(value)
        }
    }

    /// The rows of `VALUES`: each element's values in parentheses, rows separated by commas.
    mutating func bindRows<Element>(_ rows: some Sequence<Element>, _ values: (Element) -> [PlainValue]) {
        var first = true
        for row in rows {
            append(first ? "(" : ", (")
            first = false
            bind(values(row))
            append(")")
        }
    }
}

extension PlainValue {
    init(_ value: Int64) { self = .integer(value) }
    init(_ value: Int) { self = .integer(Int64(value)) }
    init(_ value: String) { self = .text(value) }
    init(_ value: String?) { self = value.map(PlainValue.text) ?? .null }
    init(_ value: Data) { self = .bytes(Array(value)) }
}

extension SQLDatabase {
    /// Runs `statement` and returns its rows (none for a statement that returns none).
    @discardableResult
    func run(_ statement: PlainStatement) async throws -> [PlainRow] {
        guard let runner = self as? any PlainRowReading else {
            throw CoreReconError.failed("this connection cannot run a statement through its driver.")
        }
        return try await runner.plainRows(statement)
    }
}

extension PlainValue {
    /// The value as SQLite's driver binds it.
    var sqliteData: SQLiteData {
        switch self {
        case .null: .null
        case .integer(let value): .integer(Int(value))
        case .real(let value): .float(value)
        case .text(let value): .text(value)
        case .bytes(let value): .blob(ByteBuffer(bytes: value))
        }
    }

    /// Appends the value to PostgreSQL's bindings: integers as `int8`, text as `text`, bytes as `bytea`.
    func append(to bindings: inout PostgresBindings) {
        switch self {
        case .null: bindings.appendNull()
        case .integer(let value): bindings.append(value)
        case .real(let value): bindings.append(value)
        case .text(let value): bindings.append(value)
        case .bytes(let value): bindings.append(ByteBuffer(bytes: value))
        }
    }
}
