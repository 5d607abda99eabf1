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

    /// A statement whose text has its placeholders already, one for each of `binds`.
    init(_ backend: DatabaseBackend, sql: String, binds: [PlainValue]) {
        self.backend = backend
        self.sql = sql
        self.binds = binds
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

    /// From this many rows on, PostgreSQL gets arrays (``bindColumns(_:rows:)``, ``bindsArrays(_:rows:)``).
    /// Below it `VALUES` and `IN` lists cost its backend less: in the webhook's group-commit rounds of one or two
    /// alerts, an alert's insert took 210 µs as arrays against 171 µs as `VALUES`, and a delivery look-up 66 µs
    /// against 56 µs.
    static let arrayRows = 64

    /// Whether `backend` binds `rows` rows as arrays.
    static func bindsArrays(_ backend: DatabaseBackend, rows: Int) -> Bool {
        backend == .postgres && rows >= arrayRows
    }

    /// Rows as the source of an `INSERT INTO table (columns)` or of a `WITH name (columns) AS (...)`:
    /// `VALUES (?, ...), ...`, or on PostgreSQL from ``arrayRows`` rows on, one array a column, `SELECT * FROM
    /// unnest($1::int8[], $2::text[], ...)`, whose text, parse and plan are the same for 64 rows or 5,000 (a
    /// `VALUES` list of 20,000 parameters is parsed and planned anew for each batch of a bulk ingest). `types` are
    /// the columns' element types, in order.
    mutating func bindColumns(_ types: [PlainArray.Element], rows: some Collection<[PlainValue]>) {
        if !Self.bindsArrays(backend, rows: rows.count) {
            binds.reserveCapacity(binds.count + rows.count * types.count)
            append("VALUES ")
            bindRows(rows) { $0 }
        } else {
            var columns = types.map { _ in [PlainValue]() }
            for index in columns.indices { columns[index].reserveCapacity(rows.count) }
            for row in rows {
                for (index, value) in row.enumerated() { columns[index].append(value) }
            }
            append("SELECT * FROM unnest(")
            for (index, type) in types.enumerated() {
                if index > 0 { append(", ") }
                bind(.array(PlainArray(element: type, values: columns[index])))
                append("::" + type.sqlType)
            }
            append(")")
        }
    }

    /// How many rows of `columns` values one statement takes: SQLite's limit is on parameters; PostgreSQL binds
    /// one array a column (``bindColumns(_:rows:)``), so only the message's size bounds it.
    static func rowsPerStatement(_ backend: DatabaseBackend, columns: Int) -> Int {
        switch backend {
        case .sqlite: backend.maximumBinds / columns
        case .postgres: 5_000
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
        case .array(let array): .text(array.jsonText)
        }
    }

    /// Appends the value to PostgreSQL's bindings: integers as `int8`, text as `text`, bytes as `bytea`.
    func append(to bindings: inout PostgresBindings) throws {
        switch self {
        case .null: bindings.appendNull()
        case .integer(let value): bindings.append(value)
        case .real(let value): bindings.append(value)
        case .text(let value): bindings.append(value)
        case .bytes(let value): bindings.append(ByteBuffer(bytes: value))
        case .array(let array): try bindings.append(array)
        }
    }
}

extension PlainArray: PostgresThrowingDynamicTypeEncodable {
    var psqlType: PostgresDataType {
        switch element {
        case .int8: .int8Array
        case .text: .textArray
        case .bytea: .byteaArray
        }
    }

    var psqlFormat: PostgresFormat { .binary }

    /// PostgreSQL's binary array (`array_recv`): dimensions, a has-nulls flag, the element type, each dimension's
    /// length and lower bound, then each element as a length (-1 for NULL) and its binary form.
    func encode<JSONEncoder: PostgresJSONEncoder>(
        into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>
    ) throws {
        let elementType: PostgresDataType =
            switch element {
            case .int8: .int8
            case .text: .text
            case .bytea: .bytea
            }
        buffer.writeInteger(Int32(values.isEmpty ? 0 : 1))
        buffer.writeInteger(Int32(values.contains(.null) ? 1 : 0))
        buffer.writeInteger(elementType.rawValue)
        if !values.isEmpty {
            buffer.writeInteger(Int32(values.count))
            buffer.writeInteger(Int32(1))
        }
        for value in values {
            switch (element, value) {
            case (_, .null):
                buffer.writeInteger(Int32(-1))
            case (.int8, .integer(let number)):
                buffer.writeInteger(Int32(8))
                buffer.writeInteger(number)
            case (.text, .text(let text)):
                buffer.writeInteger(Int32(text.utf8.count))
                buffer.writeString(text)
            case (.bytea, .bytes(let bytes)):
                buffer.writeInteger(Int32(bytes.count))
                buffer.writeBytes(bytes)
            default:
                throw CoreReconError.failed("a \(element.sqlType) array cannot hold \(value).")
            }
        }
    }

    /// The values as a JSON array (bytes as lowercase hex), for SQLite's `json_each`.
    var jsonText: String {
        let elements = values.map { value -> JSONValue in
            switch value {
            case .integer(let number): .number(String(number))
            case .real(let number): .number(String(number))
            case .text(let text): .string(text)
            case .bytes(let data): .string(data.map { String(format: "%02x", $0) }.joined())
            case .null, .array: .null
            }
        }
        var bytes: [UInt8] = []
        JSONValue.array(elements).write(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
