import CoreRecon
import Foundation
import Testing

@Suite("CSV alerts")
struct CSVAlertTests {
    static func rows(_ text: String, columns: [String: String] = [:], limit: Int = 4_096) -> [CSVAlertReader.Row] {
        let bytes = Array(text.utf8)
        var whole = CSVAlertReader(maximumRecordSize: limit, columns: columns)
        let rows = whole.feed(bytes) + whole.finish()
        // Byte by byte, the same rows.
        var single = CSVAlertReader(maximumRecordSize: limit, columns: columns)
        var chunked: [CSVAlertReader.Row] = []
        for byte in bytes { chunked += single.feed([byte]) }
        chunked += single.finish()
        #expect(chunked == rows)
        return rows
    }

    static func record(_ row: CSVAlertReader.Row) throws -> (JSONValue, Int) {
        guard case .record(let bytes, let line) = row else {
            Issue.record("not a record: \(row)")
            throw CoreReconError.failed("not a record")
        }
        return (try JSONParser.parse(bytes), line)
    }

    @Test("A header names the fields; --column renames; quotes, doubled quotes, CRLF and line breaks in fields")
    func rows() throws {
        let text =
            "\u{FEFF}AlertName,Sev,Computer,Account,SourceIP,Notes\r\n"
            + "Impossible travel,High,ws-7,ana,192.0.2.44,\"two, parts\"\r\n"
            + "\r\n"
            + "\"Quoted \"\"name\"\"\",Low,db-1,,,\"line one\nline two\"\n"
            + "Last row,Medium,app-3,bo,198.51.100.2,"
        let rows = Self.rows(
            text,
            columns: [
                "title": "AlertName", "severity": "sev", "host": "Computer", "user": "account", "src_ip": "SourceIP",
            ])
        #expect(rows.count == 3)
        let (first, firstLine) = try Self.record(rows[0])
        #expect(firstLine == 2)
        #expect(first[key: "title"]?.text == "Impossible travel" && first[key: "severity"]?.text == "High")
        #expect(first[key: "host"]?.text == "ws-7" && first[key: "src_ip"]?.text == "192.0.2.44")
        #expect(first[key: "Notes"]?.text == "two, parts")
        let (second, secondLine) = try Self.record(rows[1])
        #expect(secondLine == 4)
        #expect(second[key: "title"]?.text == "Quoted \"name\"")
        #expect(second[key: "user"] == nil, "empty cells are left out")
        #expect(second[key: "Notes"]?.text == "line one\nline two")
        let (third, thirdLine) = try Self.record(rows[2])
        #expect(thirdLine == 6 && third[key: "title"]?.text == "Last row")
        // The generic format maps a row like any record.
        let alert = try GenericMapper.map(FieldReader(first))
        #expect(alert.title == "Impossible travel" && alert.severity == .high && alert.entities.host == "ws-7")
    }

    @Test("Bad rows are rejected with their line; a row over the size limit is skipped to its end")
    func badRows() {
        let rows = Self.rows(
            "title,severity\nok,low\ntoo,many,fields\n\"" + String(repeating: "x", count: 200)
                + "\nstill quoted\",high\nafter,medium\n\"open",
            limit: 64)
        #expect(rows.count == 5)
        #expect(rows[1] == .rejected(reason: "3 fields where the header names 2 columns", line: 3))
        if case .rejected(let reason, let line) = rows[2] {
            #expect(line == 4 && reason.contains("a CSV row"))
        } else {
            Issue.record("the long row is not rejected: \(rows[2])")
        }
        if case .record(_, let line) = rows[3] { #expect(line == 6) } else { Issue.record("\(rows[3])") }
        #expect(rows[4] == .rejected(reason: "the row ends inside a quoted field", line: 7))
    }
}
