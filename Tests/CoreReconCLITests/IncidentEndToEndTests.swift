import CoreReconTestSupport
import Foundation
import Testing

/// `corerecon incident` as a user runs it: exit codes, stdout for pipelines, files in and out.
@Suite("incident CLI")
struct IncidentEndToEndTests {
    @Test("Mistakes exit non-zero with a message naming what to do; stdout stays clean")
    func exitCodes() throws {
        let cli = try CoreReconProcess()
        defer { cli.remove() }
        let created = try cli.run(["incident", "create", "--title", "Beacon", "--severity", "high", "--format", "csv"])
        #expect(created.exitCode == 0, "\(created.stderr)")
        let id = String(created.stdout.split(separator: "\n")[1].split(separator: ",")[0])
        #expect(id.hasPrefix("IR-") && id.hasSuffix("-0001"))

        let invalid = try cli.run(["incident", "status", "IR-0001", "recovered"])
        #expect(invalid.exitCode == 0)
        let backwards = try cli.run(["incident", "status", "IR-0001", "triage"])
        #expect(backwards.exitCode == 1)
        #expect(backwards.stderr.contains("cannot become triage; from recovered it can become: investigating"))
        #expect(backwards.stdout.isEmpty)
        // Closing by a state change is refused like any other move: a conflict, exit 1.
        let closing = try cli.run(["incident", "status", "IR-0001", "closed"])
        #expect(closing.exitCode == 1, "\(closing.stderr)")
        #expect(closing.stderr.contains("incident close"))
        #expect(closing.stdout.isEmpty)
        let unknown = try cli.run(["incident", "status", "IR-0001", "done"])
        #expect(unknown.exitCode == 64)
        #expect(unknown.stderr.contains("'done' is not a state"))

        let noResolution = try cli.run(["incident", "close", "IR-0001", "--summary", "done"])
        #expect(noResolution.exitCode == 64)
        #expect(noResolution.stderr.contains("--resolution"))
        let badResolution = try cli.run(["incident", "close", "IR-0001", "--resolution", "fixed", "--summary", "x"])
        #expect(badResolution.exitCode == 64)
        #expect(badResolution.stderr.contains("true_positive_with_impact"))

        let missing = try cli.run(["incident", "show", "IR-2026-0042"])
        #expect(missing.exitCode == 1)
        #expect(missing.stderr.contains("incident IR-2026-0042 not found"))
        let malformed = try cli.run(["incident", "show", "42"])
        #expect(malformed.exitCode == 65)
        #expect(malformed.stderr.contains("IR-YYYY-NNNN"))

        let revoked = try cli.run(["incident", "map", id, "T1086"])
        #expect(revoked.exitCode == 65)
        #expect(revoked.stderr.contains("revoked in ATT&CK. Use T1059.001"))
        let badTactic = try cli.run(["incident", "timeline", "add", id, "--category", "lunch", "-m", "x"])
        #expect(badTactic.exitCode == 64)
        #expect(badTactic.stderr.contains("not an ATT&CK tactic"))
    }

    @Test("Evidence goes in and out byte for byte; a tampered item fails verify with exit 1")
    func evidenceFiles() throws {
        let cli = try CoreReconProcess()
        defer { cli.remove() }
        _ = try cli.run(["incident", "create", "--title", "Malware on WKS-042"])
        let file = cli.home.path + "/sample.bin"
        let content = Data((0..<4_096).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        try content.write(to: URL(fileURLWithPath: file))
        let added = try cli.run([
            "incident", "evidence", "add", "IR-0001", file, "--description", "dropper", "--as", "ann",
        ])
        #expect(added.exitCode == 0, "\(added.stderr)")
        let missing = try cli.run(["incident", "evidence", "add", "IR-0001", cli.home.path + "/nope.bin"])
        #expect(missing.exitCode == 65)
        #expect(missing.stderr.contains("nope.bin: the file does not exist"))

        let out = cli.home.path + "/exported.bin"
        let exported = try cli.run(["incident", "evidence", "export", "IR-0001", "1", "--out", out])
        #expect(exported.exitCode == 0, "\(exported.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == content)
        let again = try cli.run(["incident", "evidence", "export", "IR-0001", "1", "--out", out])
        #expect(again.exitCode == 1)
        #expect(again.stderr.contains("already exists"))
        #expect(try cli.run(["incident", "evidence", "verify", "IR-0001"]).exitCode == 0)

        let database = cli.home.path + "/data/corerecon/corerecon.db"
        let tamper = Process()
        tamper.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        tamper.arguments = [
            "python3", "-c",
            "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"UPDATE evidence_blobs SET content = x'00'\"); c.commit()",
            database,
        ]
        try tamper.run()
        tamper.waitUntilExit()
        #expect(tamper.terminationStatus == 0)
        let verify = try cli.run(["incident", "evidence", "verify", "IR-0001"])
        #expect(verify.exitCode == 1)
        #expect(verify.stdout.contains("MISMATCH"))
        #expect(verify.stderr.contains("does not match its recorded SHA-256"))
        let custody = try cli.run(["incident", "evidence", "custody", "IR-0001", "1", "--format", "csv"])
        #expect(custody.stdout.contains("added,ann"))
        #expect(custody.stdout.contains("verification_failed"))
    }

    @Test("report writes Markdown or JSON; metrics print JSON for dashboards")
    func reportAndMetrics() throws {
        let cli = try CoreReconProcess()
        defer { cli.remove() }
        _ = try cli.run(["incident", "create", "--title", "Phish", "--severity", "medium"])
        _ = try cli.run(["incident", "status", "IR-0001", "triage"])
        _ = try cli.run([
            "incident", "close", "IR-0001", "--resolution", "false_positive", "--summary", "Marketing mail",
        ])
        let markdown = try cli.run(["incident", "report", "IR-0001", "--format", "md"])
        #expect(markdown.exitCode == 0)
        #expect(markdown.stdout.contains("## Timeline"))
        #expect(markdown.stdout.contains("Marketing mail"))
        let json = try cli.run(["incident", "report", "IR-0001", "--format", "json"])
        let report = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let incident = report?["incident"] as? [String: Any]
        #expect(incident?["resolution"] as? String == "false_positive")
        let path = cli.home.path + "/report.md"
        let written = try cli.run(["incident", "report", "IR-0001", "--out", path])
        #expect(written.stdout.isEmpty)
        // The same report, but for the time it was generated on its last line.
        func body(_ text: String) -> String { String(text.split(separator: "\n").dropLast().joined(separator: "\n")) }
        #expect(body(try String(contentsOfFile: path, encoding: .utf8)) == body(markdown.stdout))

        let metrics = try cli.run(["incident", "metrics", "--since", "1h", "--format", "json"])
        #expect(metrics.exitCode == 0, "\(metrics.stderr)")
        let document = try JSONSerialization.jsonObject(with: Data(metrics.stdout.utf8)) as? [String: Any]
        #expect(document?["total"] as? Int == 1)
        #expect((document?["byState"] as? [String: Int])?["closed"] == 1)
        let table = try cli.run(["incident", "metrics"])
        #expect(table.stdout.contains("time to resolve"))
    }
}
