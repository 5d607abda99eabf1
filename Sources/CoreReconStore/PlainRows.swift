import CoreRecon
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import PostgresNIO
import SQLKit
import SQLiteKit

/// A column's value as the driver hands it over.
enum PlainValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case bytes([UInt8])
    /// One column of many rows, bound as one value (``PlainArray``): never read back from a row.
    case array(PlainArray)
}

/// Values of one type bound as a single parameter: a PostgreSQL array (`int8[]`, `text[]`, `bytea[]`), which
/// `unnest` turns back into rows. A statement of a few arrays is parsed and planned the same whatever the number
/// of rows, where a `VALUES` list of thousands of parameters is parsed anew each time. SQLite, which has no
/// arrays, gets the values as a JSON array's text.
struct PlainArray: Sendable, Equatable {
    enum Element: Sendable, Equatable {
        case int8, text, bytea

        var sqlType: String {
            switch self {
            case .int8: "int8[]"
            case .text: "text[]"
            case .bytea: "bytea[]"
            }
        }
    }

    let element: Element
    /// `.integer` values for `.int8`, `.text` for `.text`, `.bytes` for `.bytea`; `.null` in any of them.
    let values: [PlainValue]
}

/// One row's values by position.
struct PlainRow: Sendable {
    var values: [PlainValue]

    func int64(_ index: Int) throws -> Int64 {
        guard index < values.count, case .integer(let value) = values[index] else { throw mismatch(index, "integer") }
        return value
    }

    func int(_ index: Int) throws -> Int {
        let value = try int64(index)
        guard let narrow = Int(exactly: value) else { throw mismatch(index, "integer") }
        return narrow
    }

    func text(_ index: Int) throws -> String {
        guard index < values.count, case .text(let value) = values[index] else { throw mismatch(index, "text") }
        return value
    }

    /// The text at `index`, nil when it is NULL.
    func optionalText(_ index: Int) throws -> String? {
        if index < values.count, case .null = values[index] { return nil }
        return try text(index)
    }

    private func mismatch(_ index: Int, _ expected: String) -> CoreReconError {
        let found = index < values.count ? "\(values[index])" : "no column"
        return CoreReconError.failed("column \(index + 1) of a row: expected \(expected), found \(found)")
    }
}

/// A connection that can run a query and hand its rows over by position, straight from the driver. SQLKit's rows
/// decode each value through `Decodable`, asking the runtime for a conformance and generic metadata, and on
/// PostgreSQL building a coding path with the column's name: on a list of 50 alerts that was a fifth of the
/// server's time on SQLite and two fifths on PostgreSQL.
protocol PlainRowReading: SQLDatabase {
    /// The rows of `query`; nil when one of its binds is of a type passed only through SQLKit (the caller then
    /// runs it through SQLKit).
    func plainRows(_ query: any SQLExpression) async throws -> [PlainRow]?
    /// The rows of a statement built for this backend (``PlainStatement``).
    func plainRows(_ statement: PlainStatement) async throws -> [PlainRow]
}

extension SQLDatabase {
    /// The rows of `query`, each made by `plain` from the driver's values when this connection can hand them over
    /// so, else by `decoded` from SQLKit's row.
    func rows<Row>(
        _ query: SQLQueryString, plain: (PlainRow) throws -> Row, decoded: (any SQLRow) throws -> Row
    ) async throws -> [Row] {
        if let reader = self as? any PlainRowReading, let rows = try await reader.plainRows(query) {
            return try rows.map(plain)
        }
        return try await raw(query).all().map(decoded)
    }
}

/// A connection that adds to SQLKit's own for a driver: what it does not override is the inner connection's.
protocol WrappedSQLDatabase: SQLDatabase {
    var inner: any SQLDatabase { get }
}

extension WrappedSQLDatabase {
    var logger: Logger { inner.logger }
    var eventLoop: any EventLoop { inner.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { inner.version }
    var dialect: any SQLDialect { inner.dialect }
    var queryLogLevel: Logger.Level? { inner.queryLogLevel }
}

/// SQLite's SQLKit connection with ``PlainRowReading``.
struct PlainSQLiteSQL: PlainRowReading, WrappedSQLDatabase {
    let connection: SQLiteConnection
    let inner: any SQLDatabase

    init(_ connection: SQLiteConnection) {
        self.connection = connection
        inner = connection.sql()
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void)
        -> EventLoopFuture<Void>
    {
        inner.execute(sql: query, onRow)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try await inner.execute(sql: query, onRow)
    }

    func plainRows(_ query: any SQLExpression) async throws -> [PlainRow]? {
        var serializer = SQLSerializer(database: self)
        query.serialize(to: &serializer)
        let encoder = SQLiteDataEncoder()
        return try await rows(serializer.sql, try serializer.binds.map { try encoder.encode($0) })
    }

    func plainRows(_ statement: PlainStatement) async throws -> [PlainRow] {
        try await rows(statement.sql, statement.binds.map(\.sqliteData))
    }

    private func rows(_ sql: String, _ binds: [SQLiteData]) async throws -> [PlainRow] {
        let rows = NIOLockedValueBox<[PlainRow]>([])
        try await connection.query(sql, binds) { row in
            let values = row.columns.map { column -> PlainValue in
                switch column.data {
                case .integer(let value): .integer(Int64(value))
                case .float(let value): .real(value)
                case .text(let value): .text(value)
                case .blob(let value): .bytes(Array(value.readableBytesView))
                case .null: .null
                }
            }
            rows.withLockedValue { $0.append(PlainRow(values: values)) }
        }
        return rows.withLockedValue { $0 }
    }
}

extension PlainValue {
    /// A PostgreSQL cell as the alert columns hold it: integers, floating point, bytes or text.
    init(_ cell: PostgresCell) throws {
        guard cell.bytes != nil else {
            self = .null
            return
        }
        switch cell.dataType {
        case .int2, .int4, .int8: self = .integer(try cell.decode(Int64.self))
        case .float4, .float8: self = .real(try cell.decode(Double.self))
        case .bytea: self = .bytes(Array(try cell.decode(ByteBuffer.self).readableBytesView))
        default: self = .text(try cell.decode(String.self))
        }
    }
}
