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

@Suite("corerecon mitre import, coverage and layers, end to end")
struct MitreImportEndToEndTests {
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("CoreReconStoreTests/Fixtures/attack")

    static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name + ".json").path }

    @Test("A bad file fails the import with exit 65 and changes nothing; a good one switches look-ups to it")
    func importFiles() throws {
        let cli = try CoreReconProcess()
        defer { cli.remove() }
        let notJSON = cli.home.path + "/broken.json"
        try Data(#"{"type": "bundle", "objects": [}"#.utf8).write(to: URL(fileURLWithPath: notJSON))
        let failed = try cli.run(["mitre", "import", Self.fixture("tiny-enterprise-stix20"), notJSON])
        #expect(failed.exitCode == 65)
        #expect(failed.stderr.contains("error: \(notJSON): not JSON: "))
        #expect(failed.stderr.contains("at byte 32"))
        #expect(failed.stdout.isEmpty)
        let embedded = try cli.run(["mitre", "tactics", "--format", "ndjson"])
        #expect(embedded.stdout.split(separator: "\n").count == 14)
        #expect(embedded.stderr.contains("catalog: embedded ATT&CK 15"))

        let imported = try cli.run(["mitre", "import", Self.fixture("tiny-enterprise-stix20"), "--format", "json"])
        #expect(imported.exitCode == 0, "\(imported.stderr)")
        let summary = try JSONParser.parse(imported.stdout)
        #expect(summary.texts(at: "record.domain") == ["enterprise-attack"])
        #expect(imported.stderr.contains("imported enterprise-attack from"))

        let tactics = try cli.run(["mitre", "tactics", "--format", "csv"])
        #expect(
            tactics.stdout
                == "id,short name,name,domain\nTA0002,execution,Execution,enterprise\nTA0003,persistence,Persistence,enterprise\n"
        )
        let show = try cli.run(["mitre", "show", "T1059.001", "--format", "json"])
        let report = try JSONParser.parse(show.stdout)
        #expect(report.texts(at: "mitigations.id") == ["M1038"])
        #expect(report["catalog"]?.text == "imported enterprise-attack")
        #expect(try cli.run(["mitre", "show", "T1003"]).exitCode == 1)
        #expect(try cli.run(["mitre", "techniques", "--domain", "ics"]).exitCode == 1)
    }

    @Test("alert map refuses revoked techniques (65); coverage and a layer round trip see the mapping")
    func mapCoverageLayer() throws {
        let cli = try CoreReconProcess(environment: ["CORERECON_USER": "carol"])
        defer { cli.remove() }
        #expect(
            try cli.run(["ingest", "-q"], input: #"{"title":"Odd logon","severity":"high","id":"x-1"}"#).exitCode == 0)
        let revoked = try cli.run(["alert", "map", "1", "T1004"])
        #expect(revoked.exitCode == 65)
        #expect(revoked.stderr.contains("revoked in ATT&CK. Use T1547.004"))
        #expect(try cli.run(["alert", "map", "7", "T1078"]).exitCode == 1)
        let mapped = try cli.run(["alert", "map", "1", "T1078", "--tactic", "initial-access", "--format", "json"])
        #expect(mapped.exitCode == 0, "\(mapped.stderr)")
        #expect(try JSONParser.parse(mapped.stdout).texts(at: "techniques") == ["T1078"])
        let history = try cli.run(["alert", "history", "1", "--format", "csv"])
        #expect(history.stdout.contains("carol,map,technique"))

        let coverage = try JSONParser.parse(
            try cli.run(["mitre", "coverage", "--since", "30d", "--format", "json"]).stdout)
        #expect(coverage.texts(at: "tactics.tactic.id") == ["TA0001"])
        let layerPath = cli.home.path + "/layer.json"
        #expect(try cli.run(["mitre", "layer", "export", "--out", layerPath]).exitCode == 0)
        let compared = try cli.run(["mitre", "layer", "import", layerPath, "--format", "json"])
        #expect(compared.exitCode == 0, "\(compared.stderr)")
        let comparison = try JSONParser.parse(compared.stdout)
        #expect(comparison.texts(at: "both.id") == ["T1078"])
        #expect(comparison[key: "layerOnly"]?.arrayValue?.isEmpty == true)
        let stdoutLayer = try JSONParser.parse(try cli.run(["mitre", "layer", "export", "--out", "-"]).stdout)
        #expect(stdoutLayer["versions.layer"]?.text == "4.5")

        let bad = try cli.run(["mitre", "layer", "import", Self.fixture("bad-layer-v30")])
        #expect(bad.exitCode == 65)
        #expect(bad.stderr.contains("T8888.001, T9999"))
    }

    @Test("sync from an unreachable URL exits 69")
    func syncUnreachable() throws {
        let cli = try CoreReconProcess()
        defer { cli.remove() }
        let result = try cli.run(["mitre", "sync", "--url", "http://127.0.0.1:1/enterprise-attack.json"])
        #expect(result.exitCode == 69)
        #expect(result.stderr.contains("error: cannot download http://127.0.0.1:1/enterprise-attack.json"))
    }
}
