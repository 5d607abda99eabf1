import ArgumentParser
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

/// One column of a table or CSV: a header and how to get the cell from a row.
struct Column<Row>: Sendable {
    let header: String
    let value: @Sendable (Row) -> String

    init(_ header: String, _ value: @escaping @Sendable (Row) -> String) {
        self.header = header
        self.value = value
    }
}

/// Renders results to stdout in the chosen format. The one place that writes results.
struct Output {
    let format: OutputFormat
    let useColor: Bool

    /// Renders `rows`. `document` replaces the row array for `--format json` when the result is more than a
    /// list; `summary` lines precede the table for people.
    func render<Row: Encodable, Document: Encodable>(
        _ rows: [Row],
        columns: [Column<Row>],
        document: Document,
        summary: KeyValuePairs<String, String> = [:],
        emptyMessage: String = "(none)"
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
            lines += rows.map { row in columns.map { Self.csvField($0.value(row)) }.joined(separator: ",") }
            write(Data((lines.joined(separator: "\n") + "\n").utf8), newline: false)
        case .table, .markdown:
            var text = ""
            let keyWidth = summary.map(\.key.count).max() ?? 0
            for (key, value) in summary {
                text +=
                    style(key + ":", bold: true) + String(repeating: " ", count: keyWidth - key.count + 1) + value
                    + "\n"
            }
            if !summary.isEmpty { text += "\n" }
            text += rows.isEmpty ? emptyMessage + "\n" : table(rows, columns: columns)
            write(Data(text.utf8), newline: false)
        }
    }

    /// Renders a plain list of rows; `--format json` prints them as an array.
    func render<Row: Encodable>(_ rows: [Row], columns: [Column<Row>], emptyMessage: String = "(none)") throws {
        try render(rows, columns: columns, document: rows, emptyMessage: emptyMessage)
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
        let widths = columns.indices.map { index in
            max(columns[index].header.count, cells.map { $0[index].count }.max() ?? 0)
        }
        func line(_ values: [String]) -> String {
            zip(values, widths).enumerated().map { index, pair in
                index == values.count - 1 ? pair.0 : pair.0.padding(toLength: pair.1, withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        var text = style(line(columns.map { $0.header.uppercased() }), bold: true) + "\n"
        for row in cells {
            text += line(row) + "\n"
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
