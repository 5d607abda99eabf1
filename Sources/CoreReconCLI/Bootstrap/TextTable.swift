import CoreRecon
import Foundation

/// Lays out every table printed for people, with one policy: a column is as wide as its widest cell or header, up
/// to its limit; a longer cell is cut with "…"; the last column is neither padded nor cut. A table printed while
/// its rows still arrive (`alert list --limit 0`) cannot measure them first and makes each column its limit wide.
///
/// Limits are chosen so that values from a closed set are never cut: ``ColumnWidth``.
enum TextTable {
    /// The width of each column for `rows` (cells in column order) under `limits` (nil: no limit).
    static func widths(headers: [String], rows: [[String]], limits: [Int?]) -> [Int] {
        headers.indices.map { index in
            let widest = max(headers[index].count, rows.map { $0[index].count }.max() ?? 0)
            guard let limit = limits[index] else { return widest }
            return min(widest, max(limit, headers[index].count))
        }
    }

    /// The widths of a table whose rows are not known yet: each limit, and no less than the header.
    static func fixedWidths(headers: [String], limits: [Int?]) -> [Int] {
        zip(headers, limits).map { header, limit in max(header.count, limit ?? header.count) }
    }

    /// One line: each cell fitted to its column's width, two spaces apart; the last cell as it is.
    static func line(_ cells: [String], widths: [Int]) -> String {
        cells.enumerated().map { index, cell in
            index == cells.count - 1 ? cell : fit(cell, width: widths[index])
        }.joined(separator: "  ")
    }

    /// `text` padded to `width` characters, or cut to it with "…".
    static func fit(_ text: String, width: Int) -> String {
        guard text.count <= width else { return String(text.prefix(max(width - 1, 0))) + "…" }
        return text + String(repeating: " ", count: width - text.count)
    }
}

/// Column limits for the values CoreRecon prints in many tables, so every table cuts (or does not cut) them alike.
enum ColumnWidth {
    /// Alert ids up to 9,999,999,999.
    static let id = 10
    /// The longest severity name, "informational".
    static let severity = Severity.allCases.map(\.name.count).max() ?? 13
    /// The longest alert status, "acknowledged".
    static let status = AlertStatus.allCases.map(\.rawValue.count).max() ?? 12
    /// A time for people: `2026-11-24T22:14:03Z`.
    static let time = 20
    /// Occurrence counts up to 9,999,999.
    static let count = 7
    /// Feed labels and user names.
    static let name = 16
}
