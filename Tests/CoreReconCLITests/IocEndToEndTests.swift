import CoreRecon
import CoreReconTestSupport
import Foundation
import Testing

@Suite("ioc end to end")
struct IocEndToEndTests {
    @Test(
        "A CI job imports a feed twice (idempotent), bad lines exit 65 with file:line; match greps logs; export imports back"
    )
    func ciImport() throws {
        let cli = try CoreReconProcess()
        defer { cli.remove() }
        let feed = cli.home.path + "/feed.txt"
        try "# bad hosts\n198.51.100.7\nevil[.]example # c2\nnot an indicator at all\n203.0.113.0/24\n"
            .write(toFile: feed, atomically: true, encoding: .utf8)
        let first = try cli.run(["ioc", "import", feed, "--source", "osint", "--tag", "ci", "--format", "json"])
        #expect(first.exitCode == 65)
        #expect(first.stderr.contains("rejected \(feed):4:"))
        let summary = try JSONParser.parse(first.stdout)
        #expect(summary[key: "new"]?.int == 3)
        #expect(summary[key: "rejected"]?.int == 1)
        let second = try cli.run(["ioc", "import", feed, "--source", "osint", "--tag", "ci", "--format", "json"])
        #expect(try JSONParser.parse(second.stdout)[key: "unchanged"]?.int == 3)

        let log = cli.home.path + "/access.log"
        try "ok 10.0.0.1\nbeacon to a.evil.example\nscan from 203.0.113.44:5555\n".write(
            toFile: log, atomically: true, encoding: .utf8)
        let match = try cli.run(["ioc", "match", log])
        #expect(match.exitCode == 0)
        let hits = match.stdout.split(separator: "\n").map { try? JSONParser.parse(String($0)) }
        #expect(hits.compactMap { $0?[key: "line"]?.int } == [2, 3])
        #expect(try cli.run(["ioc", "match", "-c", log]).stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "2")
        let none = try cli.run(["ioc", "match", "-"], input: "nothing here\n")
        #expect(none.exitCode == 1)

        let export = try cli.run(["ioc", "export"])
        #expect(export.exitCode == 0)
        let bundle = cli.home.path + "/export.json"
        try export.stdout.write(toFile: bundle, atomically: true, encoding: .utf8)
        let reimport = try cli.run(["ioc", "import", bundle, "--source", "osint", "--format", "json"])
        #expect(reimport.exitCode == 0, "\(reimport.stderr)")
        let counts = try JSONParser.parse(reimport.stdout)
        #expect(counts[key: "new"]?.int == 0)
        #expect(counts[key: "updated"]?.int == 0)

        let list = try cli.run(["ioc", "list", "--format", "json"])
        let rows = try JSONParser.parse(list.stdout).arrayValue ?? []
        #expect(rows.count == 3)
        #expect(rows.allSatisfy { $0[key: "tags"]?.arrayValue?.first?.text == "ci" })
        let bad = try cli.run(["ioc", "import", "--input-format", "stix", "-"], input: "{\"objects\": [")
        #expect(bad.exitCode == 65)
        #expect(bad.stderr.contains("-:"))
    }
}
