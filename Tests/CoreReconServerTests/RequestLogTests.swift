import CoreRecon
import Foundation
import Logging
import Testing

@testable import CoreReconServer

@Suite("Access log and request ids")
struct RequestLogTests {
    @Test("A log line is one JSON object: fixed members first, then the metadata by key, the event's over the logger's")
    func logLine() throws {
        var handler = JSONLogHandler(label: "corerecon")
        handler[metadataKey: "log"] = "access"
        handler[metadataKey: "status"] = "overridden"
        let event = LogEvent(
            level: .info, message: "request \"quoted\"\n",
            metadata: [
                "status": .stringConvertible(201), "duration_ms": .stringConvertible(1.25),
                "path": .string("/api/v1/alerts?q=\u{1}"), "nan": .stringConvertible(Double.nan),
                "tags": .array([.string("a"), .stringConvertible(2)]),
                "peer": .dictionary(["port": .stringConvertible(443), "ip": .string("127.0.0.1")]),
            ], source: nil, file: #file, function: #function, line: #line)
        let time = Date(timeIntervalSince1970: 1_780_000_000.123)
        let bytes = handler.line(for: event, at: time)
        #expect(bytes.last == 0x0A)
        #expect(bytes.dropLast().contains(0x0A) == false, "one line")
        let parsed = try JSONParser.parse(String(decoding: bytes, as: UTF8.self))
        let keys = parsed.members?.map(\.key) ?? []
        #expect(
            keys == [
                "time", "level", "logger", "message", "duration_ms", "log", "nan", "path", "peer", "status", "tags",
            ])
        #expect(parsed[key: "time"]?.text == ISO8601Format.string(from: time))
        #expect(parsed[key: "level"]?.text == "info")
        #expect(parsed[key: "message"]?.text == "request \"quoted\"\n")
        #expect(parsed[key: "status"] == .number("201"))
        #expect(parsed[key: "duration_ms"] == .number("1.25"))
        #expect(parsed[key: "nan"] == .null)
        #expect(parsed[key: "path"]?.text == "/api/v1/alerts?q=\u{1}")
        #expect(parsed[key: "log"]?.text == "access")
        #expect(parsed[key: "tags"] == .array([.string("a"), .number("2")]))
        #expect(parsed[key: "peer"]?.members?.map(\.key) == ["ip", "port"])
    }

    @Test("Generated request ids: 20 base62 characters, never the same twice, from many tasks at once")
    func requestIDs() async {
        let ids = await withTaskGroup(of: [String].self) { group in
            for _ in 0..<8 { group.addTask { (0..<5_000).map { _ in RequestIDs.next() } } }
            return await group.reduce(into: [String]()) { $0 += $1 }
        }
        #expect(Set(ids).count == 40_000)
        #expect(ids.allSatisfy { $0.utf8.count == 20 && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } })
        // The random half is the process's; the counting half differs.
        #expect(Set(ids.map { $0.prefix(10) }).count == 1)
    }
}
