import CoreRecon
import Foundation

/// Writes JSON objects to stdout as they come, in the chosen format: a JSON array, NDJSON, CSV with a header,
/// or a table laid out by ``TextTable`` (measured when the rows are known first, else with fixed widths so a long
/// list can print before it is complete).
final class ObjectStream {
    /// A table column: header, the widest it may be, and the field it shows.
    struct TableColumn: Sendable {
        var header: String
        var width: Int
        var value: @Sendable (JSONValue) -> String
    }

    private let format: OutputFormat
    private let fields: [String]
    private let columns: [TableColumn]
    private let useColor: Bool
    private let isStreaming: Bool
    private let quiet: Bool
    private var buffer: [UInt8] = []
    /// Table rows held back until `end`, to measure them (when not streaming).
    private var pendingRows: [[String]] = []
    private var count = 0

    /// `isStreaming`: rows may be too many to hold, so a table prints each row as it comes, at fixed widths.
    init(
        format: OutputFormat, fields: [String], columns: [TableColumn], useColor: Bool, isStreaming: Bool = false,
        quiet: Bool = false
    ) {
        self.format = format
        self.fields = fields
        self.columns = columns
        self.useColor = useColor
        self.isStreaming = isStreaming
        self.quiet = quiet
    }

    private var headers: [String] { columns.map { $0.header.uppercased() } }
    /// The column widths of a streamed table, fixed before the first row.
    private lazy var streamedWidths = TextTable.fixedWidths(headers: headers, limits: columns.map(\.width))

    func begin() {
        switch format {
        case .json: append("[")
        case .csv: append(fields.map(Output.csvField).joined(separator: ",") + "\n")
        case .table, .markdown, .ndjson: break  // a table's header comes with its first row
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
        case .table where isStreaming:
            if count == 0 { appendHeader(widths: streamedWidths) }
            append(TextTable.line(columns.map { $0.value(object) }, widths: streamedWidths) + "\n")
        case .table:
            pendingRows.append(columns.map { $0.value(object) })
        case .markdown:
            if count == 0 { append(Output.markdownTable(header: columns.map(\.header), rows: [])) }
            append(Output.markdownRow(columns.map { $0.value(object) }))
        }
        count += 1
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Finishes the output; when nothing was written, people get `emptyMessage` on stderr (unless `--quiet`).
    func end(emptyMessage: String) {
        switch format {
        case .json: append(count == 0 ? "]\n" : "\n]\n")
        case .table where !pendingRows.isEmpty:
            let widths = TextTable.widths(headers: headers, rows: pendingRows, limits: columns.map(\.width))
            appendHeader(widths: widths)
            for row in pendingRows { append(TextTable.line(row, widths: widths) + "\n") }
            pendingRows.removeAll()
        default: break
        }
        flush()
        if count == 0 && format.isForPeople && !quiet { Terminal.printError(emptyMessage) }
    }

    private func appendHeader(widths: [Int]) {
        let header = TextTable.line(headers, widths: widths)
        append((useColor ? "\u{1B}[1m" + header + "\u{1B}[0m" : header) + "\n")
    }

    private func append(_ text: String) { buffer.append(contentsOf: text.utf8) }

    private func flush() {
        guard !buffer.isEmpty else { return }
        FileHandle.standardOutput.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
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
