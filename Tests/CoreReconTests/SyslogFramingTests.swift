import CoreRecon
import CoreReconTestSupport
import Foundation
import Testing

@Suite("Syslog framing and settings")
struct SyslogFramingTests {
    typealias Frame = SyslogFrameDecoder.Frame

    static func message(_ text: String) -> Frame { .message(Array(text.utf8)) }

    /// Decodes `stream` fed whole, then byte by byte, then in chunks of 7: every way must give the same frames (a
    /// dropped line's length aside: it is what had arrived when the line went over the limit).
    static func decode(_ stream: String, limit: Int = 1_024) -> [Frame] {
        let bytes = Array(stream.utf8)
        var whole = SyslogFrameDecoder(maximumMessageSize: limit)
        var frames = whole.feed(bytes)
        if let last = whole.finish().frame { frames.append(last) }
        for size in [1, 7] {
            var decoder = SyslogFrameDecoder(maximumMessageSize: limit)
            var chunked: [Frame] = []
            var index = 0
            while index < bytes.count {
                chunked += decoder.feed(bytes[index..<min(bytes.count, index + size)])
                #expect(decoder.bufferedBytes <= limit + SyslogFrameDecoder.headerLength + size)
                index += size
            }
            if let last = decoder.finish().frame { chunked.append(last) }
            #expect(chunked.map(Self.lengthless) == frames.map(Self.lengthless), "chunks of \(size)")
        }
        return frames
    }

    static func lengthless(_ frame: Frame) -> Frame {
        if case .oversized = frame { return .oversized(0) }
        return frame
    }

    @Test("RFC 6587: octet-counted and newline-framed messages, mixed in one stream, in any chunking")
    func framing() {
        let cef = "<134>1 2026-12-06T09:00:00Z fw CEF - - - CEF:0|Acme|FW|1|100|Scan|7|src=10.0.0.1"
        let stream =
            "\(cef.utf8.count) \(cef)"  // counted
            + "<13>Dec  6 09:00:01 host app: first line\n"  // a line feed
            + "<13>Dec  6 09:00:02 host app: crlf\r\n"  // CR LF
            + "<13>Dec  6 09:00:03 host app: nul\u{0}"  // NUL, as some senders end messages
            + "11 <13>counted\n"  // a count that takes in a line feed
            + "\n\n"  // blank trailers between frames: no messages
            + "2026-12-06T09:00:04Z host app: a line starting with digits\n"
            + "<13>last, no trailer"
        #expect(
            Self.decode(stream) == [
                Self.message(cef), Self.message("<13>Dec  6 09:00:01 host app: first line"),
                Self.message("<13>Dec  6 09:00:02 host app: crlf"), Self.message("<13>Dec  6 09:00:03 host app: nul"),
                Self.message("<13>counted"), Self.message("2026-12-06T09:00:04Z host app: a line starting with digits"),
                Self.message("<13>last, no trailer"),
            ])
    }

    @Test("Over the limit: a counted frame is skipped and the stream stays in step; a long line is dropped to its end")
    func oversized() {
        let big = String(repeating: "x", count: 100)
        let frames = Self.decode("100 \(big)5 <13>a<13>\(big)\n<13>after\n", limit: 64)
        #expect(frames == [.oversized(100), Self.message("<13>a"), .oversized(104), Self.message("<13>after")])
        // The exact size of a dropped line depends on how it arrived; the next message does not.
        var decoder = SyslogFrameDecoder(maximumMessageSize: 16)
        let dropped = decoder.feed(Array(String(repeating: "y", count: 40).utf8))
        #expect(dropped.count == 1 && dropped.allSatisfy { if case .oversized = $0 { true } else { false } })
        #expect(decoder.bufferedBytes == 0)
        #expect(decoder.feed(Array("yyy\n<1>ok\n".utf8)) == [Self.message("<1>ok")])
    }

    @Test("A counted frame cut short by the end of the connection is no message; its bytes are counted")
    func incomplete() {
        var decoder = SyslogFrameDecoder(maximumMessageSize: 1_024)
        #expect(decoder.feed(Array("50 <13>only part".utf8)).isEmpty)
        let (frame, incomplete) = decoder.finish()
        #expect(frame == nil)
        #expect(incomplete == 16)
        // A count of 0 or with a leading zero is no count: the line is a message of its own.
        #expect(
            Self.decode("0 <13>zero\n012 <13>lead\n") == [Self.message("0 <13>zero"), Self.message("012 <13>lead")])
    }

    @Test("A datagram is one message without its trailer")
    func datagram() {
        #expect(syslogDatagramMessage(Array("<13>msg\r\n\u{0}".utf8)) == Array("<13>msg".utf8))
        #expect(syslogDatagramMessage(Array("\n".utf8)).isEmpty)
    }

    @Test("JSON behind a syslog header is an alert; other text lines are rejected as neither JSON, CEF nor LEEF")
    func jsonInSyslog() throws {
        let json = #"{"title":"Impossible travel","severity":"high","host":"ws-7"}"#
        for line in [
            "<134>1 2026-12-06T09:00:00.123Z collector app 42 - - \(json)",
            "<134>1 2026-12-06T09:00:00Z collector app - - [meta sequenceId=\"1\"] \(json)",
            "<14>Dec  6 09:00:00 collector app[7]: \(json)",
            "2026-12-06T09:00:00+00:00 collector app: \(json)",
        ] {
            let records = try AlertNormalizer.parse(Array(line.utf8))
            #expect(records.count == 1, "\(line)")
            #expect(records.first?["title"]?.text == "Impossible travel", "\(line)")
        }
        for line in ["<13>Dec  6 09:00:00 host sshd[1]: session opened", "just text {not: json}"] {
            #expect(throws: MappingError.self) { try AlertNormalizer.parse(Array(line.utf8)) }
        }
        do {
            _ = try AlertNormalizer.parse(Array("<13>Dec  6 09:00:00 host sshd[1]: hello".utf8))
        } catch {
            #expect("\(error)".contains("neither JSON nor a CEF or LEEF line"))
        }
    }

    @Test("syslog: in the config file: listeners, per-sender labels and formats, bounds; errors name the line")
    func settings() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/config.yaml"
        try """
        syslog:
          listen: [udp://0.0.0.0:514, "tcp://[::1]:601"]
          source: collectors
          senders:
            - from: [10.20.0.0/16, 192.0.2.7]
              source: edge-firewalls
              format: cef
            - from: 2001:db8::/32
              source: v6-net
          queue: 8MB
          maxMessageSize: 16KB
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let config = try AppConfig.load(.init(environment: [:], configPath: path))
        let syslog = config.syslog
        #expect(
            syslog.listen == [
                SyslogEndpoint(transport: .udp, host: "0.0.0.0", port: 514),
                SyslogEndpoint(transport: .tcp, host: "::1", port: 601),
            ])
        #expect(syslog.listen.map(\.description) == ["udp://0.0.0.0:514", "tcp://[::1]:601"])
        #expect(syslog.queueBytes == 8 << 20 && syslog.maxMessageSize == 16 << 10 && syslog.maxConnections == 1_000)
        #expect(syslog.sender(address: [10, 20, 7, 1]) == ("edge-firewalls", .cef))
        #expect(syslog.sender(address: [192, 0, 2, 7]) == ("edge-firewalls", .cef))
        #expect(syslog.sender(address: [192, 0, 2, 8]) == ("collectors", nil))
        #expect(syslog.sender(address: Network.bytes("2001:db8::5")) == ("v6-net", nil))
        #expect(syslog.sender(address: nil) == ("collectors", nil))
        // The environment names the listeners too.
        let fromEnvironment = try AppConfig.load(
            .init(environment: ["CORERECON_SYSLOG_LISTEN": "tls://127.0.0.1:6514"], configPath: path))
        #expect(fromEnvironment.syslog.listen == [SyslogEndpoint(transport: .tls, host: "127.0.0.1", port: 6514)])

        for (yaml, message) in [
            (
                "syslog:\n  listen: http://0.0.0.0:514\n",
                "config.yaml:2: syslog.listen: 'http://0.0.0.0:514' is not a syslog listener"
            ),
            ("syslog:\n  listen: udp://0.0.0.0:99999\n", "has no port from 0 to 65535"),
            (
                "syslog:\n  senders:\n    - from: 10.0.0.0/33\n      source: x\n",
                "syslog.senders[1].from: '10.0.0.0/33' is not an IP address"
            ),
            ("syslog:\n  senders:\n    - from: 10.0.0.1\n", "needs `source`"),
            ("syslog:\n  senders:\n    - from: 10.0.0.1\n      source: a b\n", "a label is 1 to 64"),
            (
                "syslog:\n  senders:\n    - from: 10.0.0.1\n      source: x\n      format: syslog\n",
                "'syslog' is not a format"
            ),
            ("syslog:\n  queue: 10KB\n", "syslog.queue: '10KB' is not a size of 1MB or more"),
            ("syslog:\n  port: 514\n", "unknown setting 'port'"),
        ] {
            try yaml.write(toFile: path, atomically: true, encoding: .utf8)
            #expect(throws: CoreReconError.self) { try AppConfig.load(.init(environment: [:], configPath: path)) }
            do {
                _ = try AppConfig.load(.init(environment: [:], configPath: path))
            } catch {
                #expect("\(error)".contains(message), "\(error)")
            }
        }
    }
}
