/// Alerts from a CSV export with a header row (RFC 4180: quoted fields, doubled quotes, CRLF or LF), for tools
/// that only export CSV. Each row becomes a JSON object keyed by the header's names, which the formats' mappers
/// read like any record (usually the generic one); `--column KEY=HEADER` renames a column to a field the generic
/// format knows (`title=AlertName`, `host=Computer`). Empty cells are left out.
///
/// Streaming: rows are made as bytes arrive, and a row longer than `maximumRecordSize` is skipped to its end
/// (reported, never buffered), so memory stays bounded by one row.
public struct CSVAlertReader: Sendable {
    /// One row as a record, or a row that could not be made one.
    public enum Row: Sendable, Equatable {
        case record(bytes: [UInt8], line: Int)
        case rejected(reason: String, line: Int)
    }

    /// What `--column` may name, and the field each becomes.
    public static let keys: [String: String] = [
        "title": "title", "severity": "severity", "time": "timestamp", "id": "id", "rule": "rule_id",
        "description": "description", "product": "product", "vendor": "vendor", "host": "host", "user": "user",
        "src_ip": "src_ip", "dst_ip": "dst_ip", "domain": "domain", "url": "url", "email": "email",
        "hash": "hash", "technique": "technique",
    ]

    public let maximumRecordSize: Int
    /// Header name (lowercased) → the field it becomes.
    private let renames: [String: String]
    private var header: [String]?
    private var fields: [String] = []
    private var field: [UInt8] = []
    private var inQuotes = false
    /// The previous byte closed a quoted part: a quote now is an escaped quote.
    private var quoteClosed = false
    private var pendingCR = false
    private var line = 1
    private var rowLine = 1
    private var rowBytes = 0
    private var skippingRow = false

    /// `columns`: `--column` pairs, KEY (one of ``keys``) → the header's name for it.
    public init(maximumRecordSize: Int, columns: [String: String] = [:]) {
        self.maximumRecordSize = maximumRecordSize
        var renames: [String: String] = [:]
        for (key, name) in columns {
            if let field = Self.keys[key.lowercased()] { renames[name.lowercased()] = field }
        }
        self.renames = renames
    }

    public mutating func feed<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> [Row] {
        var rows: [Row] = []
        for byte in bytes { consume(byte, into: &rows) }
        return rows
    }

    /// The last row, when the input does not end with a line break.
    public mutating func finish() -> [Row] {
        var rows: [Row] = []
        pendingCR = false
        guard !skippingRow else { return rows }
        if !field.isEmpty || !fields.isEmpty || inQuotes {
            if inQuotes {
                rows.append(.rejected(reason: "the row ends inside a quoted field", line: rowLine))
                startRow()
            } else {
                endRow(into: &rows)
            }
        }
        return rows
    }

    private mutating func consume(_ byte: UInt8, into rows: inout [Row]) {
        if byte == 0x0A { line += 1 }
        if skippingRow {
            // Skip to the end of the row: a line break outside quotes.
            if byte == 0x22 { inQuotes.toggle() }
            if byte == 0x0A, !inQuotes {
                skippingRow = false
                startRow()
            }
            return
        }
        rowBytes += 1
        if rowBytes > maximumRecordSize {
            rows.append(
                .rejected(
                    reason: IngestSession.oversizeReason(maximumRecordSize) + " (a CSV row)", line: rowLine))
            fields = []
            field = []
            skippingRow = true
            if byte == 0x22 { inQuotes.toggle() }
            if byte == 0x0A, !inQuotes {
                skippingRow = false
                startRow()
            }
            return
        }
        if inQuotes {
            if byte == 0x22 {
                inQuotes = false
                quoteClosed = true
            } else {
                field.append(byte)
            }
            return
        }
        if byte == 0x22 {
            if quoteClosed {
                // "" inside a quoted field.
                field.append(0x22)
                inQuotes = true
                quoteClosed = false
            } else if field.isEmpty {
                inQuotes = true
            } else {
                field.append(byte)
            }
            return
        }
        quoteClosed = false
        switch byte {
        case UInt8(ascii: ","):
            fields.append(String(decoding: field, as: UTF8.self))
            field = []
        case 0x0D:
            pendingCR = true
        case 0x0A:
            pendingCR = false
            endRow(into: &rows)
        default:
            if pendingCR {
                field.append(0x0D)
                pendingCR = false
            }
            field.append(byte)
        }
    }

    private mutating func startRow() {
        fields = []
        field = []
        rowBytes = 0
        rowLine = line
        inQuotes = false
        quoteClosed = false
    }

    private mutating func endRow(into rows: inout [Row]) {
        fields.append(String(decoding: field, as: UTF8.self))
        defer { startRow() }
        // Blank lines are no rows.
        if fields.count == 1, fields[0].trimmingWhitespace.isEmpty { return }
        guard let header else {
            // A byte-order mark before the first name is no part of it.
            var names = fields.map { $0.trimmingWhitespace }
            if let first = names.first, first.hasPrefix("\u{FEFF}") { names[0] = String(first.dropFirst()) }
            header = names.map { renames[$0.lowercased()] ?? $0 }
            return
        }
        guard fields.count <= header.count else {
            rows.append(
                .rejected(
                    reason: "\(fields.count) fields where the header names \(header.count) columns", line: rowLine))
            return
        }
        var members: [JSONMember] = []
        for (name, value) in zip(header, fields) where !name.isEmpty && !value.isEmpty {
            members.append(JSONMember(name, .string(value)))
        }
        guard !members.isEmpty else { return }
        rows.append(.record(bytes: Array(JSONValue.object(members).jsonString.utf8), line: rowLine))
    }
}
