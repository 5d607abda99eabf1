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
        // Ingest matches against the active indicators: the alert records the match, the indicator the sighting.
        let eve =
            #"{"timestamp":"2026-11-20T10:00:00.000000+0000","flow_id":77,"event_type":"alert","src_ip":"203.0.113.44","src_port":4904,"dest_ip":"10.0.0.2","dest_port":22,"proto":"TCP","alert":{"signature_id":2001219,"signature":"ET SCAN Potential SSH Scan","category":"Attempted Information Leak","severity":2}}"#
        let ingested = try cli.run(["ingest", "-"], input: eve + "\n")
        #expect(ingested.exitCode == 0, "\(ingested.stderr)")
        #expect(ingested.stderr.contains("1 alert matched 1 indicator"), "\(ingested.stderr)")
        let shown = try cli.run(["alert", "show", "1"])
        #expect(shown.stdout.contains("ioc match"), "\(shown.stdout)")
        #expect(shown.stdout.contains("203.0.113.44 → cidr 203.0.113.0/24"), "\(shown.stdout)")
        let sighting = try cli.run(["ioc", "show", "203.0.113.0/24"])
        #expect(sighting.stdout.contains("alert:1"), "\(sighting.stdout)")
        // A re-delivery matches nothing new.
        let again = try cli.run(["ingest", "-"], input: eve + "\n")
        #expect(!again.stderr.contains("matched"), "\(again.stderr)")

        let bad = try cli.run(["ioc", "import", "--input-format", "stix", "-"], input: "{\"objects\": [")
        #expect(bad.exitCode == 65)
        #expect(bad.stderr.contains("-:"))

        // Lines end in CRLF or LF, the input may be gzip; a line longer than the record limit comes in pieces.
        let crlf = try cli.run(["ioc", "match", "-o", "-"], input: "beacon a.evil.example\r\nok\r\n")
        #expect(crlf.stdout == "a.evil.example\n", "\(crlf.stdout)")
        let gzipped = cli.home.path + "/access.log.gz"
        #expect(system("gzip -c '\(log)' > '\(gzipped)'") == 0)
        #expect(try cli.run(["ioc", "match", "-c", gzipped]).stdout == "2\n")
        // A directory is every file under it, whatever it is called, hidden ones left out.
        let logs = cli.home.path + "/logs"
        try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
        try "proxy to a.evil.example\n".write(toFile: logs + "/proxy.txt", atomically: true, encoding: .utf8)
        try "203.0.113.1\n".write(toFile: logs + "/.seen", atomically: true, encoding: .utf8)
        #expect(try cli.run(["ioc", "match", "-c", logs]).stdout == "1\n")
        let long = String(repeating: "x ", count: 600_000) + "203.0.113.9\n"
        #expect(try cli.run(["ioc", "match", "-c", "-"], input: long).stdout == "1\n")
        // A revoked indicator is kept but never matched again.
        #expect(try cli.run(["ioc", "revoke", "evil.example"]).exitCode == 0)
        let afterRevoke = try cli.run(["ioc", "match", "-o", log])
        #expect(afterRevoke.stdout == "203.0.113.44:5555\n", "\(afterRevoke.stdout)")
    }
}
