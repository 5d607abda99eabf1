import CoreRecon
import Foundation

/// One parser of outside bytes, as a fuzz target: libFuzzer feeds it (`scripts/fuzz TARGET`), and the test suite
/// replays the seed corpus and every past crash through it (`Tests/Fuzz/<target>/`).
///
/// Each target runs the parser the way CoreRecon does and checks what must hold for any input: a crash, a trap,
/// a hang or a broken invariant is a finding; a thrown, well-formed error is the expected answer to garbage.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// The JSON parser with ingest's limits; what parses must write back and parse to the same value.
    case json
    /// The record splitter: the same records whatever the chunk sizes, and never more bytes than it was fed.
    case splitter
    /// One record through format detection and every source mapper into an OCSF Detection Finding.
    case normalizer
    /// Timestamps in every form the mappers accept.
    case timestamp
    /// An ATT&CK STIX bundle, as `mitre import` reads it.
    case attack
    /// An ATT&CK Navigator layer, as `mitre layer import` reads it.
    case navigator
    /// The configuration file (YAML) and its values.
    case config
    /// Alert filters as `--where` and the API's query parameters give them, and durations and sizes.
    case query
    /// STIX patterns: what parses as a list of values yields values of its comparisons only.
    case stixpattern
    /// Indicator feeds as `ioc import` reads them (format detected: STIX, MISP, CSV or a list): every report
    /// is typed and canonical, every value is found again by the matcher, and the Suricata rules made from
    /// them keep every value inside its quotes. The same bytes as a MISP feed manifest name only event uuids
    /// that are safe as file names and URL paths.
    case feed
    /// Holidays from an iCalendar file, as an SLA calendar's `holidays: file.ics` reads them: every day is a valid
    /// date, and clock arithmetic over a calendar with those holidays moves forward by exactly the working time.
    case calendar
    /// A response playbook (YAML with `${{ }}` expressions), as `playbook lint` reads it: every problem has a
    /// line and column inside the file, and every expression it holds evaluates or fails with an error, never
    /// a trap; the same bytes as one expression parse or fail with an offset inside the text.
    case playbook
    /// The indicator matcher's table as the store keeps it (``IndicatorTable``): bytes that parse find every
    /// entry by its key and write back unchanged, and no bytes make a table that reads out of bounds or probes
    /// forever. The same bytes as lines of keys build a table that survives the round trip through its bytes.
    case indicatortable
    /// Indicator reports as `POST /api/v1/iocs/reports` takes them (NDJSON): every report kept is typed and
    /// canonical, and writes to a line that reads back as the same report; every line is kept or rejected.
    case indicatorreports
    /// gzip data as `POST /api/v1/attack/bundles` inflates it: never more than the limit out, a truncated or
    /// corrupt stream refused; and any bytes, compressed, inflate back to themselves.
    case gzip
    /// A backup archive as `corerecon restore` unpacks it from a file, as gzip and as zstd: a damaged or truncated
    /// one refused, never more out than the bound; and any bytes, packed by `backup`, unpack to themselves.
    case archive
    /// A stored zstd frame (an alert's OCSF document, a stream event's payload) as the store reads it, with no
    /// dictionary and with one: damaged, cut, trailing or oversized frames refused, never more out than the bound;
    /// and any bytes, framed either way, read back as themselves.
    case frame
    /// A syslog TCP or TLS stream as `serve --syslog` frames it (RFC 6587, octet-counted and newline-framed): the
    /// same messages whatever the chunk sizes, none over the limit, never more bytes out than in, and never more
    /// held than the limit, a frame header and one read.
    case syslog
    /// A CSV export as `ingest --input-format csv` reads it: the same rows whatever the chunk sizes, every record a
    /// JSON object within the size bound, and every row a record or a rejection with a line inside the input.
    case csv

    /// A violated invariant: a finding, like a crash.
    public struct Violation: Error, CustomStringConvertible {
        public var description: String
    }

    /// Runs the target on `bytes`; throws only on a ``Violation``.
    public func run(_ bytes: UnsafeBufferPointer<UInt8>) throws(Violation) {
        let input = Array(bytes)
        switch self {
        case .json: try Self.json(input)
        case .splitter: try Self.splitter(input)
        case .normalizer: Self.normalizer(input)
        case .timestamp: try Self.timestamp(input)
        case .attack: _ = try? ATTACKBundle.parse(input, source: "fuzz")
        case .navigator: _ = try? NavigatorLayerDocument.parse(input, source: "fuzz")
        case .config: Self.config(input)
        case .query: Self.query(input)
        case .stixpattern: try Self.stixPattern(input)
        case .feed: try Self.feed(input)
        case .calendar: try Self.calendar(input)
        case .playbook: try Self.playbook(input)
        case .indicatortable: try Self.indicatorTable(input)
        case .indicatorreports: try Self.indicatorReports(input)
        case .gzip: try Self.gzip(input)
        case .archive: try Self.archive(input)
        case .frame: try Self.frame(input)
        case .syslog: try Self.syslog(input)
        case .csv: try Self.csv(input)
        }
    }

    public func run(_ data: [UInt8]) throws(Violation) {
        try data.withUnsafeBufferPointer { buffer throws(Violation) in try run(buffer) }
    }

    /// A dictionary as the store trains them, from small JSON documents alike in their keys.
    static let frameDictionary = ZstdDictionary.train(
        (0..<400).map { n in
            Array(
                #"{"class_uid":2004,"severity_id":\#(n % 6),"message":"rule \#(n % 37) on host-\#(n)","#.utf8)
                + Array(#""observables":[{"type_id":2,"value":"10.0.\#(n % 250).\#(n % 199)"}],"raw_data":"{}"}"#.utf8)
        }, capacity: 8 << 10)

    static func frame(_ input: [UInt8]) throws(Violation) {
        for dictionary in [nil, frameDictionary] {
            if let content = try? ZstdFrames.decompress(input, with: dictionary),
                content.count > ZstdFrames.maximumContent
            {
                throw Violation(description: "a frame read back \(content.count) bytes, over the bound")
            }
            guard let frame = try? ZstdFrames.compress(input, with: dictionary),
                (try? ZstdFrames.decompress(Array(frame), with: dictionary)) == input
            else {
                throw Violation(
                    description: "\(input.count) bytes, framed \(dictionary == nil ? "alone" : "with a dictionary"), "
                        + "do not read back as themselves")
            }
        }
    }

    static func archive(_ input: [UInt8]) throws(Violation) {
        let directory = NSTemporaryDirectory() + "corerecon-fuzz-archive-\(getpid())"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let source = directory + "/input"
        let packed = directory + "/packed"
        let unpacked = directory + "/unpacked"
        defer { for path in [source, packed, unpacked] { unlink(path) } }
        guard FileManager.default.createFile(atPath: source, contents: Data(input)) else { return }
        let limit: Int64 = 8 << 20
        for compression in [FileCompression.gzip, .zstd] {
            unlink(unpacked)
            if (try? compression.decompress(source, to: unpacked, name: "fuzz", limit: limit)) != nil {
                let size = Self.contents(unpacked).count
                if size > limit {
                    throw Violation(description: "\(compression) unpacked to \(size) bytes, over \(limit)")
                }
            } else if FileManager.default.fileExists(atPath: unpacked) {
                throw Violation(description: "a refused \(compression) archive left its output behind")
            }
            unlink(packed)
            unlink(unpacked)
            guard (try? compression.compress(source, to: packed)) != nil,
                (try? compression.decompress(packed, to: unpacked, name: "fuzz")) != nil,
                Self.contents(unpacked) == Data(input)
            else {
                throw Violation(
                    description: "\(input.count) bytes, packed as \(compression), do not unpack to themselves")
            }
        }
    }

    /// A file's bytes (FileManager.contents(atPath:) leaks a buffer on an empty file).
    static func contents(_ path: String) -> Data {
        guard let handle = FileHandle(forReadingAtPath: path) else { return Data() }
        defer { try? handle.close() }
        return (try? handle.readToEnd()) ?? Data()
    }

    static func gzip(_ input: [UInt8]) throws(Violation) {
        let limit = 1 << 20
        if let inflated = try? Gzip.decompress(input, limit: limit, name: "fuzz"), inflated.count > limit {
            throw Violation(description: "inflated to \(inflated.count) bytes, over the limit of \(limit)")
        }
        guard let compressed = try? Gzip.compress(input) else {
            throw Violation(description: "\(input.count) bytes could not be compressed")
        }
        guard (try? Gzip.decompress(compressed, limit: max(input.count, 1), name: "fuzz")) == input else {
            throw Violation(description: "\(input.count) bytes, compressed, do not inflate back to themselves")
        }
    }

    static func json(_ input: [UInt8]) throws(Violation) {
        guard let value = try? JSONParser.parse(input, limits: InputLimits().json) else { return }
        let written = value.jsonString
        guard let again = try? JSONParser.parse(written) else {
            throw Violation(description: "parsed, but its serialization does not parse: \(written.prefix(200))")
        }
        guard again == value else { throw Violation(description: "the round trip changed the value") }
    }

    static func splitter(_ input: [UInt8]) throws(Violation) {
        func split(chunk: Int) -> [[UInt8]] {
            var splitter = RecordSplitter(maximumRecordSize: 4_096)
            var records: [RecordSplitter.Record] = []
            var offset = 0
            while offset < input.count {
                records += splitter.feed(input[offset..<min(offset + chunk, input.count)])
                offset += chunk
            }
            records += splitter.finish()
            return records.map(\.bytes)
        }
        let whole = split(chunk: max(input.count, 1))
        guard whole.reduce(0, { $0 + $1.count }) <= input.count else {
            throw Violation(description: "the records hold more bytes than the input")
        }
        for chunk in [1, 7] where split(chunk: chunk) != whole {
            throw Violation(description: "fed \(chunk) bytes at a time, the records differ")
        }
    }

    static func syslog(_ input: [UInt8]) throws(Violation) {
        let limit = 64
        func frames(chunk: Int) throws(Violation) -> [SyslogFrameDecoder.Frame] {
            var decoder = SyslogFrameDecoder(maximumMessageSize: limit)
            var frames: [SyslogFrameDecoder.Frame] = []
            var offset = 0
            while offset < input.count {
                frames += decoder.feed(input[offset..<min(offset + chunk, input.count)])
                guard decoder.bufferedBytes <= limit + SyslogFrameDecoder.headerLength + chunk else {
                    throw Violation(description: "the decoder holds \(decoder.bufferedBytes) bytes, over its bound")
                }
                offset += chunk
            }
            if let last = decoder.finish().frame { frames.append(last) }
            // A dropped line's length is what had arrived when it went over the limit: it depends on the chunks.
            return frames.map { if case .oversized = $0 { .oversized(0) } else { $0 } }
        }
        let whole = try frames(chunk: max(input.count, 1))
        var total = 0
        for case .message(let bytes) in whole {
            guard bytes.count <= limit else { throw Violation(description: "a message of \(bytes.count) bytes passed") }
            total += bytes.count
        }
        guard total <= input.count else { throw Violation(description: "the messages hold more bytes than the input") }
        for chunk in [1, 7] where try frames(chunk: chunk) != whole {
            throw Violation(description: "fed \(chunk) bytes at a time, the messages differ")
        }
    }

    static func csv(_ input: [UInt8]) throws(Violation) {
        let limit = 256
        func rows(chunk: Int) -> [CSVAlertReader.Row] {
            var reader = CSVAlertReader(maximumRecordSize: limit, columns: ["title": "name", "host": "Computer"])
            var rows: [CSVAlertReader.Row] = []
            var offset = 0
            while offset < input.count {
                rows += reader.feed(input[offset..<min(offset + chunk, input.count)])
                offset += chunk
            }
            return rows + reader.finish()
        }
        let whole = rows(chunk: max(input.count, 1))
        let lines = input.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
        for row in whole {
            switch row {
            case .record(let bytes, let line):
                guard (1...lines).contains(line) else { throw Violation(description: "a record at line \(line)") }
                // The bound is on the row's bytes; its JSON adds quotes, escapes and the header's names.
                guard case .object? = try? JSONParser.parse(bytes) else {
                    throw Violation(description: "a record that is not a JSON object")
                }
            case .rejected(_, let line):
                guard (1...lines).contains(line) else { throw Violation(description: "a rejection at line \(line)") }
            }
        }
        for chunk in [1, 7] where rows(chunk: chunk) != whole {
            throw Violation(description: "fed \(chunk) bytes at a time, the rows differ")
        }
    }

    static func normalizer(_ input: [UInt8]) {
        let normalizer = AlertNormalizer(settings: IngestSettings(), format: nil, sourceLabel: nil)
        guard let records = try? AlertNormalizer.parse(input) else { return }
        let raw = String(decoding: input, as: UTF8.self)
        for record in records {
            _ = try? normalizer.normalize(record, raw: raw, receivedAt: Date(timeIntervalSince1970: 1_800_000_000))
        }
    }

    static func timestamp(_ input: [UInt8]) throws(Violation) {
        let text = String(decoding: input, as: UTF8.self)
        for value in [JSONValue.string(text), .number(text)] {
            guard let date = TimestampParser.date(from: value) else { continue }
            // Stored times are milliseconds: any date a mapper accepts must convert without trapping.
            _ = date.milliseconds
            guard date.timeIntervalSince1970 <= 253_402_300_800 + 86_400 * 2 else {
                throw Violation(description: "\(text.prefix(80)) parsed to a time past year 9999")
            }
        }
    }

    static func config(_ input: [UInt8]) {
        let path = NSTemporaryDirectory() + "corerecon-fuzz-\(getpid()).yaml"
        guard FileManager.default.createFile(atPath: path, contents: Data(input)) else { return }
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try? AppConfig.load(AppConfig.Sources(environment: [:], configPath: path, currentDirectory: "/"))
    }

    static func calendar(_ input: [UInt8]) throws(Violation) {
        guard let days = try? ICalendarHolidays.parse(String(decoding: input, as: UTF8.self), location: "fuzz") else {
            return
        }
        for day in days {
            let parts = day.split(separator: "-")
            guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
                let month = Int(parts[1]), (1...12).contains(month), let date = Int(parts[2]), (1...31).contains(date)
            else { throw Violation(description: "'\(day)' is not a date") }
        }
        let calendar = BusinessCalendar(
            name: "fuzz", timeZone: .gmt, workingDays: [2, 3, 4, 5, 6], opens: 540, closes: 1_020, holidays: days)
        let start = Date(timeIntervalSince1970: 1_798_000_000)
        let end = calendar.adding(3_600, to: start)
        guard end > start, abs(calendar.workingSeconds(from: start, to: end) - 3_600) < 0.001 else {
            throw Violation(description: "one working hour from \(start) ends at \(end)")
        }
    }

    static func stixPattern(_ input: [UInt8]) throws(Violation) {
        guard let node = try? STIXPattern.parse(String(decoding: input, as: UTF8.self)) else { return }
        guard let values = STIXPattern.values(of: node) else { return }
        for pair in values where !pair.path.contains(":") {
            throw Violation(description: "a value from a path without an object type: \(pair.path)")
        }
    }

    static func feed(_ input: [UInt8]) throws(Violation) {
        if let events = try? MISPFeedManifest.events(input, location: "fuzz") {
            for event in events where event.uuid.contains("/") || event.uuid.contains(".") || event.uuid.isEmpty {
                throw Violation(description: "the manifest names '\(event.uuid)', not a safe event uuid")
            }
        }
        guard let feed = try? IndicatorFeedReader(source: "fuzz").read(input, name: "fuzz", format: .auto) else {
            return
        }
        let at = Date(timeIntervalSince1970: 1_800_000_000)
        var indicators: [Indicator] = []
        for (index, report) in feed.reports.enumerated() {
            if report.type != .stixPattern, report.type.canonical(report.value) != report.value {
                throw Violation(description: "\(report.type.rawValue) '\(report.value)' is not canonical")
            }
            indicators.append(
                Indicator(
                    id: Int64(index + 1), type: report.type, value: report.value, confidence: 50, firstSeen: at,
                    lastSeen: at, createdAt: at, updatedAt: at))
        }
        // Suricata rules: a value never ends its quoted string or its option early.
        for rule in SuricataExport.rules(indicators, decay: DecayModel(), now: at).split(separator: "\n")
        where !rule.hasPrefix("#") {
            var quoted = false
            for character in rule {
                if character == "\"" {
                    quoted.toggle()
                } else if quoted && (character == ";" || character == "\\" || character == "\n") {
                    throw Violation(description: "a reserved character inside a quoted rule value: \(rule)")
                }
            }
            if quoted || !rule.hasSuffix("rev:1;)") {
                throw Violation(description: "a rule not closed: \(rule)")
            }
        }
        // Every plain value is found in a line that holds only it.
        let matcher = IndicatorMatcher(indicators)
        for indicator in indicators.prefix(50)
        where ![.stixPattern, .userAgent, .registry, .filename].contains(indicator.type)
            && !indicator.value.contains(where: { IndicatorMatcher.separators.contains($0) })
        {
            if matcher.hits(in: indicator.value).isEmpty {
                throw Violation(
                    description: "the matcher does not find \(indicator.type.rawValue) '\(indicator.value)'")
            }
        }
    }

    static func query(_ input: [UInt8]) {
        let text = String(decoding: input, as: UTF8.self)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        _ = try? AlertQuery.parseWhere(text, now: now)
        _ = AppConfig.parseDuration(text)
        _ = AppConfig.parseSize(text)
    }

    static func playbook(_ input: [UInt8]) throws(Violation) {
        let text = String(decoding: input, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
        let (playbook, problems) = Playbook.parse(text, path: "fuzz.yaml")
        let issues = problems + (playbook.map { PlaybookLint.check($0, allowExec: false) } ?? [])
        for issue in issues where issue.line < 1 || issue.column < 1 || issue.line > lines + 1 {
            throw Violation(description: "an issue outside the file: \(issue)")
        }
        let scope = PlaybookExpression.Scope(
            values: [
                "alert": .object([
                    JSONMember("id", .int(1)), JSONMember("severity", .string("high")),
                    JSONMember("techniques", .array([.string("T1110")])),
                ]),
                "steps": .object([]), "inputs": .object([]), "event": .object([]),
            ], now: Date(timeIntervalSince1970: 1_800_000_000))
        for expression in playbook?.expressions ?? [] { _ = try? expression.evaluate(in: scope) }
        do {
            _ = try PlaybookExpression.parse(text).evaluate(in: scope)
        } catch let error as PlaybookExpression.ParseError {
            guard (0...text.count).contains(error.offset) else {
                throw Violation(description: "a parse error at offset \(error.offset) of \(text.count) characters")
            }
        } catch {}
    }

    static func indicatorTable(_ input: [UInt8]) throws(Violation) {
        // Stored bytes are not trusted to be a well-built table: looking up each key must only not trap or hang.
        if let table = try? IndicatorTable(serialized: Data(input)) {
            for index in 0..<min(table.count, 10_000) { _ = table.ids(forKey: table.key(at: index)) }
            _ = table.ids(forKey: "")
            guard table.serialized() == Data(input) else { throw Violation(description: "the bytes do not write back") }
        }
        let keys = String(decoding: input, as: UTF8.self).split(separator: "\n").prefix(10_000)
        let built = IndicatorTable(keys.enumerated().map { (Int64($0.offset + 1), String($0.element), false) })
        guard let again = try? IndicatorTable(serialized: built.serialized()), again == built else {
            throw Violation(description: "a built table does not read back")
        }
        for (offset, key) in keys.enumerated() where again.ids(forKey: String(key))?.contains(Int64(offset + 1)) != true
        {
            throw Violation(description: "line \(offset + 1) is not found by its key '\(key)'")
        }
    }

    static func indicatorReports(_ input: [UInt8]) throws(Violation) {
        let (reports, rejections) = IndicatorReport.reports(ndjson: input)
        let lines = input.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).filter { line in
            line.contains { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\r") }
        }
        guard reports.count + rejections.count == lines.count else {
            throw Violation(
                description: "\(lines.count) lines gave \(reports.count) reports and \(rejections.count) rejections")
        }
        for report in reports {
            guard report.type.canonical(report.value) == report.value else {
                throw Violation(description: "'\(report.value)' is not canonical for \(report.type.rawValue)")
            }
            // Times are written to the millisecond: what is written reads back and writes the same again.
            let line = report.jsonObject.jsonString
            let again = IndicatorReport.reports(ndjson: Array(line.utf8))
            guard again.reports.count == 1, again.reports[0].jsonObject.jsonString == line else {
                throw Violation(description: "the report of \(report.location) does not read back")
            }
        }
    }
}
