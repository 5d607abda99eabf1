import CoreRecon
import CoreReconTestSupport
import Foundation
import Testing

@Suite("corerecon mitre, end to end")
struct MitreEndToEndTests {
    @Test("show prints a technique as JSON with its tactics and sub-techniques; unknown ids exit 1")
    func show() throws {
        let cli = try CoreReconProcess()
        defer { cli.remove() }
        let result = try cli.run(["mitre", "show", "T1059", "--format", "json"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let report = try JSONParser.parse(result.stdout)
        #expect(report["technique.name"]?.text == "Command and Scripting Interpreter")
        #expect(report.texts(at: "tactics.id") == ["TA0002"])
        #expect(report.texts(at: "subtechniques.id").contains("T1059.001"))

        let missing = try cli.run(["mitre", "show", "T9999"])
        #expect(missing.exitCode == 1)
        #expect(missing.stderr.contains("T9999 not found"))
    }

    @Test("techniques filters by tactic and words, as CSV for scripts; an unknown tactic is a usage error")
    func techniques() throws {
        let cli = try CoreReconProcess()
        defer { cli.remove() }
        let result = try cli.run([
            "mitre", "techniques", "--tactic", "TA0006", "--search", "kerberos", "--format", "csv",
        ])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first == "id,name,tactics,platforms")
        #expect(lines.contains { $0.hasPrefix("T1558,") })
        #expect(try cli.run(["mitre", "techniques", "--tactic", "lunch"]).exitCode == 64)
        #expect(try cli.run(["mitre", "tactics", "--format", "ndjson"]).stdout.split(separator: "\n").count == 14)
    }
}

@Suite("alert show with ATT&CK names")
struct AlertShowTechniqueTests {
    @Test("alert show names the techniques an alert carries")
    func techniqueNames() throws {
        let cli = try CoreReconProcess()
        defer { cli.remove() }
        let record = #"{"title":"Encoded PowerShell","severity":"high","technique":"T1059.001","id":"x-1"}"#
        #expect(try cli.run(["ingest", "-q"], input: record).exitCode == 0)
        let show = try cli.run(["alert", "show", "1"])
        #expect(show.exitCode == 0, "\(show.stderr)")
        #expect(show.stdout.contains("T1059.001 PowerShell"))
    }
}
