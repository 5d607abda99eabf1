import ArgumentParser
import CoreRecon
import Foundation

/// How results are printed on stdout.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    /// Aligned columns for people.
    case table
    /// One JSON document.
    case json
    /// One JSON object per line, for `jq` and streaming.
    case ndjson
    /// CSV with a header row (RFC 4180 quoting, LF line ends for shell tools).
    case csv
    /// Markdown: tables as pipe tables (and `incident report` as a document), for tickets and wikis.
    case markdown = "md"

    /// True for the formats meant for people rather than programs.
    var isForPeople: Bool { self == .table || self == .markdown }
}

/// One column of a table or CSV: a header, how to get the cell from a row, and how wide it may grow in a table
/// (``TextTable``'s policy; nil: as wide as its widest cell).
struct Column<Row>: Sendable {
    let header: String
    /// The cell for people (tables, Markdown).
    let value: @Sendable (Row) -> String
    /// The cell for programs (CSV); the same as `value` but for times, which keep their milliseconds.
    let csvValue: @Sendable (Row) -> String
    let maxWidth: Int?

    init(_ header: String, maxWidth: Int? = nil, _ value: @escaping @Sendable (Row) -> String) {
        self.header = header
        self.value = value
        self.csvValue = value
        self.maxWidth = maxWidth
    }

    /// A time column: to the second for people (`2026-11-24T22:14:03Z`), with milliseconds in CSV; `-` when nil.
    init(_ header: String, time: @escaping @Sendable (Row) -> Date?) {
        self.header = header
        self.value = { row in time(row).map(ISO8601Format.forPeople) ?? "-" }
        self.csvValue = { row in time(row).map { ISO8601Format.string(from: $0) } ?? "-" }
        self.maxWidth = ColumnWidth.time
    }
}

/// Renders results to stdout in the chosen format. The one place that writes results.
struct Output {
    let format: OutputFormat
    let useColor: Bool
    /// `--quiet`: no notices, such as the message for an empty result.
    var quiet = false

    /// Renders `rows`. `document` replaces the row array for `--format json` when the result is more than a
    /// list; `summary` lines precede the table for people. When there are no rows, people get `emptyMessage`
    /// on stderr (stdout carries results only), unless it is nil or `--quiet` was given.
    func render<Row: Encodable, Document: Encodable>(
        _ rows: [Row],
        columns: [Column<Row>],
        document: Document,
        summary: KeyValuePairs<String, String> = [:],
        emptyMessage: String? = "Nothing to list."
    ) throws {
        switch format {
        case .json:
            write(try Self.prettyEncoder.encode(document), newline: true)
        case .ndjson:
            var text = Data()
            for row in rows {
                text.append(try Self.compactEncoder.encode(row))
                text.append(0x0A)
            }
            write(text, newline: false)
        case .csv:
            var lines = [columns.map { Self.csvField($0.header) }.joined(separator: ",")]
            lines += rows.map { row in columns.map { Self.csvField($0.csvValue(row)) }.joined(separator: ",") }
            write(Data((lines.joined(separator: "\n") + "\n").utf8), newline: false)
        case .table, .markdown:
            var text = ""
            let keyWidth = summary.map(\.key.count).max() ?? 0
            for (key, value) in summary {
                text +=
                    style(key + ":", bold: true) + String(repeating: " ", count: keyWidth - key.count + 1) + value
                    + "\n"
            }
            if !summary.isEmpty && !rows.isEmpty { text += "\n" }
            if !rows.isEmpty { text += table(rows, columns: columns) }
            if !text.isEmpty { write(Data(text.utf8), newline: false) }
            if rows.isEmpty { notice(emptyMessage) }
        }
    }

    /// Renders a plain list of rows; `--format json` prints them as an array.
    func render<Row: Encodable>(
        _ rows: [Row], columns: [Column<Row>], emptyMessage: String? = "Nothing to list."
    ) throws {
        try render(rows, columns: columns, document: rows, emptyMessage: emptyMessage)
    }

    /// Prints a notice on stderr (never results), unless it is nil or `--quiet` was given.
    func notice(_ message: String?) {
        guard let message, !quiet else { return }
        Terminal.printError(message)
    }

    /// Prints `key: value` lines for people, or them as one CSV row with a header.
    func renderKeyValues(_ pairs: [(String, String)]) throws {
        if format == .markdown {
            write(Data(Self.markdownTable(header: ["", ""], rows: pairs.map { [$0.0, $0.1] }).utf8), newline: false)
            return
        }
        if format == .csv {
            let header = pairs.map { Self.csvField($0.0) }.joined(separator: ",")
            let values = pairs.map { Self.csvField($0.1) }.joined(separator: ",")
            write(Data((header + "\n" + values + "\n").utf8), newline: false)
            return
        }
        let width = pairs.map(\.0.count).max() ?? 0
        let text = pairs.map { key, value in
            style(key + ":", bold: true) + String(repeating: " ", count: width - key.count + 1) + value
        }.joined(separator: "\n")
        write(Data((text + "\n").utf8), newline: false)
    }

    /// Writes one pretty-printed JSON document, whatever the format (for summaries asked for with --format json).
    func writeJSON(_ document: some Encodable) {
        if let data = try? Self.prettyEncoder.encode(document) { write(data, newline: true) }
    }

    private func table<Row>(_ rows: [Row], columns: [Column<Row>]) -> String {
        let cells = rows.map { row in columns.map { $0.value(row) } }
        if format == .markdown {
            return Self.markdownTable(header: columns.map(\.header), rows: cells)
        }
        let headers = columns.map { $0.header.uppercased() }
        let widths = TextTable.widths(headers: headers, rows: cells, limits: columns.map(\.maxWidth))
        var text = style(TextTable.line(headers, widths: widths), bold: true) + "\n"
        for row in cells {
            text += TextTable.line(row, widths: widths) + "\n"
        }
        return text
    }

    private func style(_ text: String, bold: Bool) -> String {
        guard useColor, bold else { return text }
        return "\u{1B}[1m" + text + "\u{1B}[0m"
    }

    private func write(_ data: Data, newline: Bool) {
        FileHandle.standardOutput.write(data)
        if newline { FileHandle.standardOutput.write(Data([0x0A])) }
    }

    /// A Markdown pipe table; pipes and line breaks in cells are escaped.
    static func markdownTable(header: [String], rows: [[String]]) -> String {
        ([markdownRow(header), markdownRow(header.map { _ in "---" })] + rows.map(markdownRow)).joined()
    }

    /// One row of a Markdown pipe table, with its line end.
    static func markdownRow(_ cells: [String]) -> String {
        "| "
            + cells.map { $0.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }
            .joined(separator: " | ") + " |\n"
    }

    static func csvField(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static let prettyEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static let compactEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()
}
