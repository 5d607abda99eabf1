import CoreRecon
import Testing

@Suite("Record splitting")
struct RecordSplitterTests {
    /// Splits `text` fed in chunks of `chunk` bytes, returning each record's text, line and truncation.
    static func split(_ text: String, chunk: Int = 7, maximum: Int = 1 << 20) -> [(String, Int, Bool)] {
        var splitter = RecordSplitter(maximumRecordSize: maximum)
        let bytes = Array(text.utf8)
        var records: [RecordSplitter.Record] = []
        var offset = 0
        while offset < bytes.count {
            records += splitter.feed(bytes[offset..<min(offset + chunk, bytes.count)])
            offset += chunk
        }
        records += splitter.finish()
        return records.map { (String(decoding: $0.bytes, as: UTF8.self), $0.line, $0.isTruncated) }
    }

    @Test("NDJSON lines are records, whatever the chunk boundaries", arguments: [1, 3, 7, 64, 4096])
    func ndjson(chunk: Int) {
        let records = Self.split("{\"a\":1}\n{\"b\":\"x}\"}\r\n\n{\"c\":[1,{\"d\":2}]}\n", chunk: chunk)
        #expect(records.map(\.0) == [#"{"a":1}"#, #"{"b":"x}"}"#, #"{"c":[1,{"d":2}]}"#])
        #expect(records.map(\.1) == [1, 2, 4])
        #expect(records.allSatisfy { !$0.2 })
    }

    @Test("A top-level array yields its elements, with the line each starts on")
    func array() {
        let records = Self.split("[\n  {\"a\": 1},\n  {\n    \"b\": 2\n  }\n]\n")
        #expect(records.map(\.0) == [#"{"a": 1}"#, "{\n    \"b\": 2\n  }"])
        #expect(records.map(\.1) == [2, 3])
    }

    @Test("Pretty-printed objects one after another are records")
    func prettyPrinted() {
        let records = Self.split("{\n \"a\": 1\n}\n{\n \"b\": 2\n}")
        #expect(records.map(\.1) == [1, 4])
        #expect(records.count == 2)
    }

    @Test("In NDJSON a broken line costs that line only")
    func truncatedLine() {
        let records = Self.split("{\"a\":1}\n{\"b\":{\"c\":\n{\"d\":3}\n{\"e\":\"unterminated\n{\"f\":4}\n")
        #expect(records.map(\.0) == [#"{"a":1}"#, #"{"b":{"c":"#, #"{"d":3}"#, #"{"e":"unterminated"#, #"{"f":4}"#])
        #expect(records.map(\.2) == [false, true, false, true, false])
        #expect(records.map(\.1) == [1, 2, 3, 4, 5])
    }

    @Test("A byte order mark is skipped and scalars are records of their own")
    func bomAndScalars() {
        let records = Self.split("\u{FEFF}{\"a\":1}\n42\n\"text\"\n")
        #expect(records.map(\.0) == [#"{"a":1}"#, "42", #""text""#])
    }

    @Test("An oversized record is cut off and the rest of its line skipped")
    func oversized() {
        let big = "{\"a\":\"" + String(repeating: "x", count: 100) + "\"}"
        let records = Self.split(big + "\n{\"b\":2}\n", chunk: 5, maximum: 32)
        #expect(records.count == 2)
        #expect(records[0].2)
        #expect(records[1].0 == #"{"b":2}"#)
        #expect(records[1].1 == 2)
        // Cut at exactly the limit, whether the limit falls inside a string, between values or in a text line.
        #expect(records[0].0.utf8.count == 32)
        for text in ["{" + String(repeating: " ", count: 60) + "}", "CEF:0|" + String(repeating: "v", count: 60)] {
            let cut = Self.split(text + "\n{\"b\":2}\n", chunk: 5, maximum: 32)
            #expect(cut.map(\.0.utf8.count) == [32, 7])
            #expect(cut.map(\.2) == [true, false])
        }
    }

    @Test("Records come out the same whatever the chunk boundaries fall on", arguments: [1, 2, 5, 13, 4096])
    func chunkBoundaries(chunk: Int) {
        let lines =
            #"{"a":"x\"}{[\\","b":[{"c":"]"}],"d":"\\"}"# + "\n"
            + "CEF:0|Vendor|Product|1.0|100|Name {with} \"quotes\"|5|src=10.0.0.1\r\n"
            + #"{"long":""# + String(repeating: "abcdefgh", count: 40) + #"","n":1}"# + "\n"
        let pretty = "{\n  \"pretty\": {\"x\": \"}\\\"\"}\n}\n[\n 1, {\"y\": \"[\"}\n]\n"
        let wholeLines = Self.split(lines, chunk: lines.utf8.count)
        #expect(wholeLines.map { String($0.0.prefix(12)) } == [#"{"a":"x\"}{["#, "CEF:0|Vendor", #"{"long":"abc"#])
        #expect(wholeLines.map(\.1) == [1, 2, 3])
        let wholePretty = Self.split(pretty, chunk: pretty.utf8.count)
        #expect(wholePretty.map(\.0) == ["{\n  \"pretty\": {\"x\": \"}\\\"\"}\n}", "1", #"{"y": "["}"#])
        #expect(wholePretty.map(\.1) == [1, 5, 5])
        for (text, whole) in [(lines, wholeLines), (pretty, wholePretty)] {
            #expect(whole.allSatisfy { !$0.2 })
            let pieces = Self.split(text, chunk: chunk)
            #expect(pieces.map(\.0) == whole.map(\.0))
            #expect(pieces.map(\.1) == whole.map(\.1))
        }
    }

    @Test(
        "Stray separators never stall the scan: a trailing comma is skipped, a stray bracket is a record of its own",
        arguments: [1, 2, 7, 4096])
    func straySeparators(chunk: Int) {
        // Each of these made the splitter emit empty records at one position forever (12.9 GB, then abort).
        #expect(Self.split("\"x\",", chunk: chunk).map(\.0) == [#""x""#])
        #expect(Self.split("1,S", chunk: chunk).map(\.0) == ["1", "S"])
        #expect(Self.split("{\"a\":1},S", chunk: chunk).map(\.0) == [#"{"a":1}"#, "S"])
        #expect(Self.split("{\"a\":1},\n{\"b\":2},\n", chunk: chunk).map(\.0) == [#"{"a":1}"#, #"{"b":2}"#])
        #expect(Self.split("]}", chunk: chunk).map(\.0) == ["]", "}"])
        #expect(Self.split(",,,,", chunk: chunk).isEmpty)
    }
}
