import CoreRecon
import Foundation
import Testing

@Suite("JSON parsing and writing")
struct JSONParserTests {
    @Test("Values round-trip with member order and number text kept")
    func roundTrip() throws {
        let text = #"{"z":1,"a":[true,false,null,-0.5e-3,18446744073709551616],"m":{"k":"v"}}"#
        #expect(try JSONParser.parse(text).jsonString == text)
    }

    @Test("Escapes decode, surrogate pairs join, and writing escapes what JSON requires")
    func escapes() throws {
        let value = try JSONParser.parse(#""a\"b\\c\/d\n\t\u00e9\ud83d\ude00""#)
        #expect(value == .string("a\"b\\c/d\n\té😀"))
        #expect(JSONValue.string("q\"\\\n\u{1}").jsonString == #""q\"\\\n\u0001""#)
        #expect(try JSONParser.parse(#""\ud83d""#) == .string("\u{FFFD}"))
        #expect(JSONValue.string("\r\t\u{1F}é\u{7F}").jsonString == "\"\\r\\t\\u001fé\u{7F}\"")
        let mixed = String(repeating: "ab\"c\\", count: 500)
        #expect(try JSONParser.parse(JSONValue.string(mixed).jsonString) == .string(mixed))
    }

    @Test("Every character JSON must escape is found wherever it sits, next to plain and multi-byte text")
    func escapePositions() {
        func reference(_ text: String) -> String {
            var out = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case let control where control.value < 0x20:
                    out += (control.value < 0x10 ? "\\u000" : "\\u00") + String(control.value, radix: 16)
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out + "\""
        }
        for special in ["\"", "\\", "\n", "\r", "\t", "\u{0}", "\u{1}", "\u{1F}"] {
            for position in 0..<20 {
                for filler in ["a", "é", " ", "\u{7F}"] {
                    let text =
                        String(repeating: filler, count: position) + special
                        + String(repeating: "z", count: 19 - position)
                    #expect(JSONValue.string(text).jsonString == reference(text))
                    let twice = text + special + text
                    #expect(JSONValue.string(twice).jsonString == reference(twice))
                }
            }
        }
    }

    @Test(
        "Errors say what is wrong and where",
        arguments: [
            (#"{"a":1,}"#, "expected a member name"), (#"{"a" 1}"#, "expected ':'"), ("[1 2]", "expected ',' or ']'"),
            (#""abc"#, "unterminated string"), ("tru", "literal"), ("trve", "invalid literal"),
            ("01", "unexpected '1' after the JSON value"),
            ("{\"a\":\"x\ny\"}", "control character"), ("-", "invalid number"),
        ])
    func errors(input: String, message: String) {
        #expect {
            try JSONParser.parse(input)
        } throws: { error in
            "\(error)".contains(message) && "\(error)".contains("at byte")
        }
    }

    @Test("Deep nesting is refused rather than exhausting the stack")
    func depth() {
        #expect(throws: JSONParser.SyntaxError.self) {
            try JSONParser.parse(String(repeating: "[", count: 10_000))
        }
    }

    @Test("Dotted paths match nested and flattened keys and search arrays")
    func paths() throws {
        let value = try JSONParser.parse(
            #"{"kibana.alert.rule":{"name":"R"},"threat":[{"technique":{"id":"T1"}},{"technique":{"id":"T2"}}]}"#)
        #expect(value["kibana.alert.rule.name"]?.text == "R")
        #expect(value.texts(at: "threat.technique.id") == ["T1", "T2"])
        #expect(value["kibana.alert"] == nil)
    }

    @Test("What a mapper did not read is kept: used paths leave nested and flattened keys alike, the rest stays")
    func unmapped() throws {
        let reader = FieldReader(
            try JSONParser.parse(
                #"{"kibana.alert.rule":{"name":"R","id":"1"},"host":{"name":"h","os":{"name":"l"}},"é.x":{"y":1,"z":2},"hostname":"k"}"#
            ))
        _ = reader.text("kibana.alert.rule.name")
        _ = reader.text("host.name")
        _ = reader.text("host.os.name")
        _ = reader.int("é.x.y")
        let unmapped = try #require(reader.unmappedFields)
        #expect(unmapped.jsonString == #"{"kibana.alert.rule":{"id":"1"},"é.x":{"z":2},"hostname":"k"}"#)

        // Arrays on the way, a whole object used, a flattened key below a used one, paths read twice, a key that
        // only shares a prefix with a used one.
        let second = FieldReader(
            try JSONParser.parse(
                #"{"threat":[{"technique":{"id":"T1","name":"n"}},{"tactic":"t"}],"user":{"name":"u","id":2},"#
                    + #""user.domain":"d","process":{"pid":1},"processes":3,"a":{"b.c":1,"b":{"c":2,"d":3}}}"#))
        _ = second.texts("threat.technique.id")
        _ = second.texts("threat.technique.id")
        _ = second["process"]
        _ = second["user"]
        _ = second.int("a.b.c")
        #expect(
            second.unmappedFields?.jsonString
                == #"{"threat":[{"technique":{"name":"n"}},{"tactic":"t"}],"user.domain":"d","processes":3,"a":{"b":{"d":3}}}"#
        )
    }
}

@Suite("Timestamps")
struct TimestampParserTests {
    @Test(
        "ISO 8601 variants and epoch numbers parse to the same instant",
        arguments: [
            "2026-11-25T08:00:00Z", "2026-11-25T08:00:00.000000Z", "2026-11-25 08:00:00", "2026-11-25T09:00:00+01:00",
            "2026-11-25T03:00:00.000-0500", "1795593600", "1795593600000",
        ])
    func variants(text: String) {
        let value: JSONValue = Double(text) != nil ? .number(text) : .string(text)
        #expect(TimestampParser.date(from: value) == Date(timeIntervalSince1970: 1_795_593_600))
    }

    @Test("Garbage is not a time", arguments: ["yesterday", "2026-13-01", "2026-11-25T25:00:00Z", "", "-5"])
    func garbage(text: String) {
        #expect(TimestampParser.date(from: .string(text)) == nil)
    }

    @Test("Stored times print exactly, to the millisecond")
    func printing() {
        #expect(ISO8601Format.string(milliseconds: 1_427_648_498_221) == "2015-03-29T17:01:38.221Z")
        #expect(ISO8601Format.string(milliseconds: -1) == "1969-12-31T23:59:59.999Z")
        #expect(ISO8601Format.string(milliseconds: 253_402_300_799_999) == "9999-12-31T23:59:59.999Z")
        #expect(ISO8601Format.string(milliseconds: 253_402_300_800_000) == "10000-01-01T00:00:00.000Z")
        // Against Foundation's formatter (to the second; it counts Julian days before 1582), 1600 to 9999, leap
        // days and month ends included.
        let reference = ISO8601DateFormatter()
        reference.formatOptions = [.withInternetDateTime]
        var generator = SystemRandomNumberGenerator()
        let days: [Int64] = [-135_140, -1, 0, 58, 59, 11_016, 11_017, 19_782, 2_932_896]
        for milliseconds in days.map({ $0 * 86_400_000 + 86_399_999 })
            + (0..<2_000).map({ _ in Int64.random(in: -11_676_096_000_000...253_402_300_799_999, using: &generator) })
        {
            let seconds = milliseconds >= 0 ? milliseconds / 1_000 : (milliseconds - 999) / 1_000
            let fraction = String(milliseconds - seconds * 1_000)
            let expected =
                reference.string(from: Date(timeIntervalSince1970: Double(seconds))).dropLast() + "."
                + String(repeating: "0", count: 3 - fraction.count) + fraction + "Z"
            #expect(ISO8601Format.string(milliseconds: milliseconds) == expected, "\(milliseconds)")
        }
    }
}
