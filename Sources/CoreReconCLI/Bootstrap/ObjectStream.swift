import CoreRecon
import Foundation

/// Writes JSON objects to stdout as they come, in the chosen format: a JSON array, NDJSON, CSV with a header,
/// or a table with fixed column widths (so a long list can print before it is complete).
final class ObjectStream {
    /// A table column: header, width, and the field it shows.
    struct TableColumn: Sendable {
        var header: String
        var width: Int
        var value: @Sendable (JSONValue) -> String
    }

    private let format: OutputFormat
    private let fields: [String]
    private let columns: [TableColumn]
    private let useColor: Bool
    private var buffer: [UInt8] = []
    private var count = 0

    init(format: OutputFormat, fields: [String], columns: [TableColumn], useColor: Bool) {
        self.format = format
        self.fields = fields
        self.columns = columns
        self.useColor = useColor
    }

    func begin() {
        switch format {
        case .json: append("[")
        case .csv: append(fields.map(Output.csvField).joined(separator: ",") + "\n")
        case .table:
            let header = line(columns.map { ($0.header.uppercased(), $0.width) })
            append((useColor ? "\u{1B}[1m" + header + "\u{1B}[0m" : header) + "\n")
        case .markdown:
            append(Output.markdownTable(header: columns.map(\.header), rows: []))
        case .ndjson: break
        }
    }

    func write(_ object: JSONValue) {
        switch format {
        case .json:
            append(count == 0 ? "\n  " : ",\n  ")
            object.write(to: &buffer)
        case .ndjson:
            object.write(to: &buffer)
            buffer.append(0x0A)
        case .csv:
            append(fields.map { Output.csvField(Self.cell(object[key: $0])) }.joined(separator: ",") + "\n")
        case .table:
            append(line(columns.map { ($0.value(object), $0.width) }) + "\n")
        case .markdown:
            append(Output.markdownRow(columns.map { $0.value(object) }))
        }
        count += 1
        if buffer.count >= 1 << 16 { flush() }
    }

    func end(emptyMessage: String) {
        switch format {
        case .json: append(count == 0 ? "]\n" : "\n]\n")
        case .table where count == 0, .markdown where count == 0: append(emptyMessage + "\n")
        default: break
        }
        flush()
    }

    private func append(_ text: String) { buffer.append(contentsOf: text.utf8) }

    private func flush() {
        guard !buffer.isEmpty else { return }
        FileHandle.standardOutput.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }

    private func line(_ cells: [(String, Int)]) -> String {
        cells.enumerated().map { index, cell in
            let (text, width) = cell
            if index == cells.count - 1 { return text }
            let clipped = text.count > width ? String(text.prefix(width - 1)) + "…" : text
            return clipped.padding(toLength: width, withPad: " ", startingAt: 0)
        }.joined(separator: "  ")
    }

    /// A field as one CSV or table cell: arrays joined by ';', null empty.
    static func cell(_ value: JSONValue?) -> String {
        switch value {
        case nil, .null?: ""
        case .array(let elements)?: elements.map { cell($0) }.joined(separator: ";")
        case let value?: value.text ?? value.jsonString
        }
    }
}
