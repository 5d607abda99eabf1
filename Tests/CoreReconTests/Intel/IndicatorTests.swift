import CoreRecon
import CoreReconTestSupport
import Foundation
import Testing

@Suite("Indicators: types, canonical values, decay, STIX patterns, feeds")
struct IndicatorTests {
    @Test(
        "Types are detected from the value and values made canonical",
        arguments: [
            ("10.0.0.001", IndicatorType.ipv4, "10.0.0.1"),
            ("2001:DB8:0:0:0:0:0:1", .ipv6, "2001:db8::1"),
            ("10.1.2.3/8", .cidr, "10.0.0.0/8"),
            ("2001:db8::1/32", .cidr, "2001:db8::/32"),
            ("10.0.0.1:443", .ipPort, "10.0.0.1:443"),
            ("[2001:db8::1]:8443", .ipPort, "[2001:db8::1]:8443"),
            ("Evil.Example.COM.", .domain, "evil.example.com"),
            ("bücher.example", .domain, "xn--bcher-kva.example"),
            ("HTTPS://Evil.Example:443/Path?q=1", .url, "https://evil.example/Path?q=1"),
            ("evil.example/panel/fre.php", .url, "evil.example/panel/fre.php"),
            ("Alice@Evil.Example", .email, "alice@evil.example"),
            ("D41D8CD98F00B204E9800998ECF8427E", .md5, "d41d8cd98f00b204e9800998ecf8427e"),
            (String(repeating: "ab", count: 20), .sha1, String(repeating: "ab", count: 20)),
            (String(repeating: "CD", count: 32), .sha256, String(repeating: "cd", count: 32)),
            (String(repeating: "ef", count: 64), .sha512, String(repeating: "ef", count: 64)),
            (
                "96:s4Ud1Lj96tHHlZDrwciQmA:s4Ud1Lj96tHHlZDrwciQmA", .ssdeep,
                "96:s4Ud1Lj96tHHlZDrwciQmA:s4Ud1Lj96tHHlZDrwciQmA"
            ),
            ("t13d1516h2_8daaf6152771_B186095e22b6", .ja4, "t13d1516h2_8daaf6152771_b186095e22b6"),
            ("invoice.pdf.exe", .filename, "invoice.pdf.exe"),
            ("HKLM\\Software\\Run", .registry, "HKLM\\Software\\Run"),
            ("as13335", .asn, "AS13335"),
        ])
    func detection(value: String, type: IndicatorType, canonical: String) throws {
        #expect(IndicatorType.detect(value) == type, "\(value)")
        #expect(type.canonical(value) == canonical, "\(value)")
        let report = try IndicatorReport.parse(value, source: "test", location: "test")
        #expect(report.type == type && report.value == canonical)
    }

    @Test("Defanged values are refanged; values that are nothing are refused naming the location")
    func refanging() throws {
        #expect(Refang.refang("hxxp://evil[.]example/x") == "http://evil.example/x")
        #expect(Refang.refang("evil(dot)example") == "evil.example")
        #expect(Refang.refang("bob[@]evil[.]example") == "bob@evil.example")
        #expect(Refang.refang("10[.]0[.]0[.]1") == "10.0.0.1")
        let report = try IndicatorReport.parse("hxxps://evil[.]example/a", source: "s", location: "x")
        #expect(report.type == .url && report.value == "https://evil.example/a")
        #expect(throws: CoreReconError.self) {
            try IndicatorReport.parse("hello world", source: "s", location: "feed.txt:3")
        }
        do {
            _ = try IndicatorReport.parse("300.1.1.1", type: .ipv4, source: "s", location: "feed.txt:4")
            Issue.record("an invalid address was accepted")
        } catch {
            #expect("\(error)".contains("feed.txt:4"))
        }
    }

    @Test("Punycode matches RFC 3492's samples")
    func punycode() {
        #expect(Punycode.encode("bücher") == "bcher-kva")
        #expect(Punycode.encode("münchen") == "mnchen-3ya")
        #expect(Punycode.domainToASCII("例え.テスト") == "xn--r8jz45g.xn--zckzah")
    }

    @Test("Scores decay with age, faster for addresses than hashes; false positives lower them; expiry says why")
    func decay() {
        let model = DecayModel()
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        func indicator(_ type: IndicatorType, falsePositives: Int = 0) -> Indicator {
            Indicator(
                id: 1, type: type, value: "x", confidence: 80, firstSeen: start, lastSeen: start,
                falsePositives: falsePositives, createdAt: start, updatedAt: start)
        }
        let tenDays = start.addingTimeInterval(10 * 86_400)
        #expect(model.score(indicator(.ipv4), at: start) == 80)
        let ipScore = model.score(indicator(.ipv4), at: tenDays)
        let hashScore = model.score(indicator(.sha256), at: tenDays)
        #expect(ipScore < hashScore && hashScore <= 80 && ipScore > 0)
        #expect(model.score(indicator(.ipv4), at: start.addingTimeInterval(31 * 86_400)) == 0)
        #expect(model.score(indicator(.ipv4, falsePositives: 1), at: start) == 60)
        #expect(model.expiry(indicator(.ipv4), at: start) == nil)
        #expect(model.expiry(indicator(.ipv4), at: start.addingTimeInterval(29 * 86_400))?.contains("score") == true)
        var revoked = indicator(.sha1)
        revoked.revoked = true
        #expect(model.expiry(revoked, at: start) == "revoked")
    }

    @Test("STIX patterns: OR lists of values are split; AND, FOLLOWEDBY, qualifiers and MATCHES are kept whole")
    func stixPatterns() throws {
        let list = try STIXPattern.parse(
            "[ipv4-addr:value = '198.51.100.1' OR ipv4-addr:value ISSUBSET '203.0.113.0/24'] OR [domain-name:value = 'evil.example']"
        )
        let values = try #require(STIXPattern.values(of: list))
        #expect(values.map(\.value) == ["198.51.100.1", "203.0.113.0/24", "evil.example"])
        let hashes = try STIXPattern.parse("[file:hashes.'SHA-256' = 'aa' OR file:hashes.MD5 IN ('bb', 'cc')]")
        #expect(
            STIXPattern.values(of: hashes)?.map(\.path) == [
                "file:hashes.'SHA-256'", "file:hashes.MD5", "file:hashes.MD5",
            ])
        for complex in [
            "[ipv4-addr:value = '1.2.3.4' AND network-traffic:dst_port = 443]",
            "[file:name = 'a.exe'] FOLLOWEDBY [file:name = 'b.exe']",
            "[ipv4-addr:value = '1.2.3.4'] REPEATS 5 TIMES WITHIN 300 SECONDS",
            "[file:name MATCHES '^evil.*\\\\.exe$']", "[ipv4-addr:value NOT = '1.2.3.4']",
            "[file:created > t'2016-01-01T00:00:00Z']",
        ] {
            #expect(STIXPattern.values(of: try STIXPattern.parse(complex)) == nil, "\(complex)")
        }
        for broken in [
            "[ipv4-addr:value = '1.2.3.4'", "ipv4-addr:value = '1'", "[ipv4-addr:value = 'x]", "[= 'x']", "[a:b ~ 'c']",
        ] {
            #expect(throws: STIXPattern.SyntaxError.self, "\(broken)") { try STIXPattern.parse(broken) }
        }
        // Nesting is bounded, so no pattern can exhaust the stack (found by the fuzzer: 8 KB of parentheses).
        let deep = String(repeating: "(", count: 100) + "[a:b = 'c']" + String(repeating: ")", count: 100)
        #expect(throws: STIXPattern.SyntaxError.self) { try STIXPattern.parse(deep) }
        let shallow =
            String(repeating: "(", count: 10) + "[ipv4-addr:value = '1.2.3.4']" + String(repeating: ")", count: 10)
        #expect(STIXPattern.values(of: try STIXPattern.parse(shallow))?.map(\.value) == ["1.2.3.4"])
    }

    @Test("Feeds: lists with comments and counts, CSV with quotes and a type column, format detection")
    func feeds() throws {
        let reader = IndicatorFeedReader(source: "t")
        let list = try reader.read(
            Array("# header\n1.2.3.4\t7\nevil[.]example # c2\n\nnot an indicator\n5.63.151.0/24 # scanners\n".utf8),
            name: "l.txt", format: .auto)
        #expect(list.format == .txt)
        #expect(list.reports.map(\.value) == ["1.2.3.4", "evil.example", "5.63.151.0/24"])
        #expect(list.rejections.map(\.location) == ["l.txt:5"])
        let csv = try reader.read(
            Array("indicator,type,tags,confidence\n\"evil.example\",domain,\"c2;apt\",90\nbad,ipv4,,\n".utf8),
            name: "c.csv",
            format: .auto)
        #expect(csv.format == .csv)
        #expect(csv.reports.first?.tags == ["c2", "apt"])
        #expect(csv.reports.first?.confidence == 90)
        #expect(csv.rejections.first?.location == "c.csv:3")
        #expect(throws: CoreReconError.self) {
            try reader.read(Array("{\"objects\": [".utf8), name: "b.json", format: .auto)
        }
    }

    @Test("A STIX export imports back to the same indicators")
    func stixRoundTrip() throws {
        let at = Date(timeIntervalSince1970: 1_800_000_000)
        let indicators = [
            Indicator(
                id: 1, type: .hostname, value: "wks-042", tlp: .amber, confidence: 60, tags: ["x"],
                techniques: ["T1059"],
                firstSeen: at, lastSeen: at, createdAt: at, updatedAt: at),
            Indicator(
                id: 2, type: .ipPort, value: "10.0.0.1:443", confidence: 70, firstSeen: at, lastSeen: at, createdAt: at,
                updatedAt: at),
            Indicator(
                id: 3, type: .cidr, value: "10.0.0.0/8", confidence: 70, firstSeen: at, lastSeen: at, createdAt: at,
                updatedAt: at),
        ]
        var bytes: [UInt8] = []
        STIXExport.bundle(indicators, now: at).write(to: &bytes)
        let feed = try IndicatorFeedReader(source: "s").read(bytes, name: "e.json", format: .auto)
        #expect(feed.rejections.isEmpty)
        #expect(feed.reports.map(\.type) == [.hostname, .ipPort, .cidr])
        #expect(feed.reports.map(\.value) == ["wks-042", "10.0.0.1:443", "10.0.0.0/8"])
        #expect(
            feed.reports[0].tlp == .amber && feed.reports[0].techniques == ["T1059"] && feed.reports[0].tags == ["x"])
        // Every exported pattern parses.
        for indicator in indicators { _ = try STIXPattern.parse(STIXExport.pattern(indicator)) }
    }

    @Test(
        "The real STIX bundles and MISP events import with every record kept or rejected with a reason",
        .enabled(if: SharedData.isAvailable, SharedData.skipReason))
    func realFeeds() throws {
        let reader = IndicatorFeedReader(source: "real")
        var stixValues = 0
        var patterns = 0
        for file in SharedData.files(in: "stix", suffixes: [".json"]) {
            let feed = try reader.read(Array(try Data(contentsOf: file)), name: file.lastPathComponent, format: .stix)
            stixValues += feed.reports.filter { $0.type != .stixPattern }.count
            patterns += feed.reports.filter { $0.type == .stixPattern }.count
        }
        #expect(stixValues > 100)
        #expect(patterns > 0)
        let apt1 = try reader.read(
            Array(try Data(contentsOf: SharedData.url("stix/oasis-examples/apt1.json"))), name: "apt1", format: .auto)
        #expect(apt1.reports.contains { $0.type == .cidr })
        var misp = IndicatorFeed(format: .misp)
        for file in SharedData.files(in: "misp/events", suffixes: [".json"]) {
            let feed = try reader.read(Array(try Data(contentsOf: file)), name: file.lastPathComponent, format: .auto)
            #expect(feed.format == .misp, "\(file.lastPathComponent)")
            misp.reports += feed.reports
            misp.rejections += feed.rejections
            misp.skipped += feed.skipped
        }
        #expect(misp.reports.count > 500)
        #expect(misp.skipped > 0)
        #expect(misp.reports.contains { !$0.techniques.isEmpty })
        #expect(misp.rejections.allSatisfy { !$0.reason.isEmpty && $0.location.contains("attribute") })
    }

    @Test("The matcher finds addresses in networks, subdomains of listed domains, URLs and hashes in any text")
    func matcher() {
        let at = Date()
        func indicator(_ id: Int64, _ type: IndicatorType, _ value: String) -> Indicator {
            Indicator(
                id: id, type: type, value: value, confidence: 80, firstSeen: at, lastSeen: at, createdAt: at,
                updatedAt: at)
        }
        let matcher = IndicatorMatcher([
            indicator(1, .cidr, "203.0.113.0/24"), indicator(2, .domain, "evil.example"),
            indicator(3, .md5, "d41d8cd98f00b204e9800998ecf8427e"), indicator(4, .url, "bad.example/panel/x.php"),
            indicator(5, .ipv4, "198.51.100.7"),
        ])
        #expect(matcher.hits(in: "conn 203.0.113.9:443 -> 10.0.0.1").map(\.indicator.id) == [1])
        #expect(matcher.hits(in: #"{"query":"a.b.EVIL.example."}"#).map(\.indicator.id) == [2])
        #expect(matcher.hits(in: "hash=D41D8CD98F00B204E9800998ECF8427E").map(\.indicator.id) == [3])
        #expect(matcher.hits(in: "GET hxxp://bad[.]example/panel/x.php 200").map(\.indicator.id) == [4])
        #expect(matcher.hits(in: "from 198.51.100.7, again 198.51.100.7").map(\.indicator.id) == [5])
        #expect(matcher.hits(in: "evil.example.org and notevil.example 198.51.100.70").isEmpty)

        // Built from ids, types and values, it answers with ids; a value listed under two types is both.
        let byID = IndicatorMatcher(entries: [
            .init(id: 7, type: .domain, value: "Evil.Example"), .init(id: 8, type: .hostname, value: "evil.example"),
            .init(id: 9, type: .cidr, value: "10.1.0.0/16"), .init(id: 10, type: .stixPattern, value: "[x]"),
        ])
        #expect(byID.matches(in: "www.evil.example from 10.1.2.3").map(\.id) == [7, 8, 9])
        #expect(byID.matches(in: "[x]").isEmpty)
        #expect(byID.hits(in: "evil.example").isEmpty, "no indicators to answer with")

        // An observable is matched as a line holding only it would be; a canonical address takes a shortcut.
        for value in [
            "10.1.2.3", "10.1.0.0", "010.1.2.3", "10.1.2", "10.1.2.3.4", "10.1.2.256", "www.evil.example", "0.0.0.0",
            "10.1.2.3:443", "evil.example",
        ] {
            #expect(byID.matches(inObservable: value) == byID.matches(in: value), "\(value)")
        }
        #expect(byID.matches(inObservable: "10.1.255.255").map(\.id) == [9])

        // A memo of misses answers for the matcher that missed, and forgets when another matcher asks.
        let memo = IndicatorMissMemo(capacity: 2)
        #expect(memo.matches(in: "good.example", with: byID).isEmpty)
        let listed = IndicatorMatcher(entries: [.init(id: 11, type: .domain, value: "good.example")])
        #expect(memo.matches(in: "good.example", with: listed).map(\.id) == [11])
        #expect(memo.matches(in: "www.evil.example", with: byID).map(\.id) == [7, 8])
    }

    @Test("The matcher's table answers as a dictionary would, and reads back from its bytes unchanged")
    func table() throws {
        var rng = SystemRandomNumberGenerator()
        var keys = (0..<5_000).map { index in "host-\(index).evil\(UInt16.random(in: 0...999, using: &rng)).example" }
        keys += ["evil.example", "evil.example", "203.0.113.0/24", "ünïcode.example", ""]
        let entries = keys.enumerated().map { (Int64($0.offset + 1), $0.element, $0.element.contains("/")) }
        let table = IndicatorTable(entries)
        var expected: [String: [Int64]] = [:]
        for (id, key, _) in entries { expected[key, default: []].append(id) }
        for (key, ids) in expected { #expect(table.ids(forKey: key) == ids, "\(key)") }
        #expect(table.ids(forKey: "evil.example") == [5_001, 5_002], "a key under two entries answers both, in order")
        #expect(table.ids(forKey: "evil.example.org") == nil)
        #expect(table.ids(forKey: "host-1.evil") == nil)
        #expect(table.networks.map(\.key) == ["203.0.113.0/24"])

        let bytes = table.serialized()
        let read = try IndicatorTable(serialized: bytes)
        #expect(read == table)
        #expect(read.serialized() == bytes)
        let matcher = IndicatorMatcher(table: read)
        #expect(matcher.matches(in: "dns a.b.evil.example from 203.0.113.40").map(\.id) == [5_001, 5_002, 5_003])
    }

    @Test("Bytes that are not a whole, consistent table are refused, never read out of bounds")
    func tableCorruption() throws {
        let bytes = IndicatorTable([(1, "evil.example", false), (2, "198.51.100.7", false)]).serialized()
        #expect(throws: IndicatorTable.FormatError.self) { try IndicatorTable(serialized: bytes.dropLast()) }
        #expect(throws: IndicatorTable.FormatError.self) { try IndicatorTable(serialized: bytes + [0]) }
        #expect(throws: IndicatorTable.FormatError.self) {
            try IndicatorTable(serialized: Data("CRIXTBL2".utf8) + bytes.dropFirst(8))
        }
        #expect(throws: IndicatorTable.FormatError.self) { try IndicatorTable(serialized: Data()) }
        // Header: magic (8), byte-order mark, entries, slots, key bytes; then ids (2 × 8) and 16 slots of 8 bytes.
        var slotNamesNoEntry = bytes
        let firstSlot = 8 + 16 + 16
        let used = (0..<16).first { slot in
            bytes[firstSlot + slot * 8..<firstSlot + slot * 8 + 8].contains { $0 != 0 }
        }!
        slotNamesNoEntry[firstSlot + used * 8] = 9
        #expect(throws: IndicatorTable.FormatError.self) { try IndicatorTable(serialized: slotNamesNoEntry) }
        var offsetsOutOfOrder = bytes
        let firstOffset = firstSlot + 16 * 8
        offsetsOutOfOrder[firstOffset + 4] = 200
        #expect(throws: IndicatorTable.FormatError.self) { try IndicatorTable(serialized: offsetsOutOfOrder) }
    }
}
