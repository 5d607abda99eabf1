import CoreRecon
import CoreReconTestSupport
import Foundation
import Testing

@Suite("Warninglists")
struct WarninglistTests {
    static func list(_ json: String) throws -> Warninglist {
        try Warninglist.parse(Array(json.utf8), location: "test.json")
    }

    @Test("Each MISP list type matches what it should, within its matching attributes")
    func types() throws {
        let checker = WarninglistChecker([
            try Self.list(
                #"{"name":"dns","type":"cidr","list":["8.8.8.8","2001:4860::/32","1.1.1.0/24"],"matching_attributes":["ip-src","ip-dst"]}"#
            ),
            try Self.list(#"{"name":"shorteners","type":"hostname","list":["bit.ly",".t.co"]}"#),
            try Self.list(
                #"{"name":"empty","type":"string","list":["D41D8CD98F00B204E9800998ECF8427E"],"matching_attributes":["md5"]}"#
            ),
            try Self.list(#"{"name":"cdn","type":"substring","list":["cloudfront.net"]}"#),
            try Self.list(#"{"name":"local","type":"regex","list":["^192\\.168\\."]}"#),
        ])
        #expect(checker.lists(containing: "8.8.8.8", type: .ipv4) == ["dns"])
        #expect(checker.lists(containing: "1.1.1.9", type: .ipv4) == ["dns"])
        #expect(checker.lists(containing: "1.1.1.0/25", type: .cidr) == ["dns"])
        #expect(checker.lists(containing: "2001:4860::8888", type: .ipv6) == ["dns"])
        #expect(checker.lists(containing: "8.8.4.4", type: .ipv4).isEmpty)
        #expect(checker.lists(containing: "x.bit.ly", type: .domain) == ["shorteners"])
        #expect(checker.lists(containing: "https://t.co/abc", type: .url) == ["shorteners"])
        #expect(checker.lists(containing: "notbit.ly", type: .domain).isEmpty)
        #expect(checker.lists(containing: "d41d8cd98f00b204e9800998ecf8427e", type: .md5) == ["empty"])
        // The list is for md5 attributes only.
        #expect(checker.lists(containing: "d41d8cd98f00b204e9800998ecf8427e", type: .ja3).isEmpty)
        #expect(checker.lists(containing: "d1.cloudfront.net", type: .hostname) == ["cdn"])
        #expect(checker.lists(containing: "192.168.1.1", type: .ipv4) == ["local"])
    }

    @Test("Bad warninglist files are refused naming the file and the problem")
    func malformed() {
        for (json, reason) in [
            ("{", "not valid JSON"), (#"{"type":"string","list":[]}"#, "name"),
            (#"{"name":"x","type":"fuzzy","list":[]}"#, "unknown warninglist type"), (#"{"name":"x"}"#, "list"),
            (#"{"name":"x","type":"regex","list":["("]}"#, "does not compile"),
        ] {
            do {
                _ = try Self.list(json)
                Issue.record("accepted \(json)")
            } catch {
                #expect("\(error)".contains("test.json") && "\(error)".contains(reason), "\(error)")
            }
        }
    }

    @Test(
        "The real MISP warninglists parse and catch what they list",
        .enabled(if: SharedData.isAvailable, SharedData.skipReason))
    func realLists() throws {
        var lists: [Warninglist] = []
        for file in SharedData.files(in: "misp/warninglists", suffixes: [".json"]) {
            lists.append(try Warninglist.parse(Array(try Data(contentsOf: file)), location: file.lastPathComponent))
        }
        #expect(lists.count >= 10)
        let checker = WarninglistChecker(lists)
        #expect(!checker.lists(containing: "10.1.2.3", type: .ipv4).isEmpty)
        #expect(!checker.lists(containing: "bit.ly", type: .domain).isEmpty)
        #expect(checker.lists(containing: "198.51.100.7", type: .ipv4).isEmpty)
    }
}
