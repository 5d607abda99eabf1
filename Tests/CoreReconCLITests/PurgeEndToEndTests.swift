import CoreRecon
import CoreReconTestSupport
import Foundation
import Testing

@Suite("alert purge and incident purge, end to end")
struct PurgeEndToEndTests {
    @Test(
        "purge counts with --dry-run, deletes with its audit entries, refuses bad statuses, keeps open incidents' alerts"
    )
    func purge() throws {
        let cli = try CoreReconProcess()
        defer { cli.remove() }
        #expect(try cli.run(["ingest", BackupEndToEndTests.examples, "-q"]).exitCode == 0)
        #expect(try cli.run(["alert", "escalate", "1", "--title", "Held"]).exitCode == 0)
        // The example events happened on 2026-11-24: older than a day.
        let dry = try cli.run(["alert", "purge", "--older-than", "1d", "--dry-run", "--format", "json"])
        #expect(dry.exitCode == 0, "\(dry.stderr)")
        let counts = try JSONParser.parse(dry.stdout)
        #expect(counts[key: "purged"]?.int == 3 && counts[key: "keptForOpenIncidents"]?.int == 1, "\(dry.stdout)")
        #expect(
            try cli.run(["alert", "list", "--format", "csv", "--json", "id"]).stdout.split(separator: "\n").count == 5)
        let bad = try cli.run(["alert", "purge", "--older-than", "1d", "--status", "done"])
        #expect(bad.exitCode == 65)
        #expect(bad.stderr.contains("'done' is not an alert status"), "\(bad.stderr)")
        let real = try cli.run(["alert", "purge", "--older-than", "1d"])
        #expect(real.exitCode == 0, "\(real.stderr)")
        #expect(real.stderr.contains("purged 3 alerts"), "\(real.stderr)")
        #expect(real.stderr.contains("kept 1 that open incidents hold"), "\(real.stderr)")
        let left = try cli.run(["alert", "list", "--format", "csv", "--json", "id"])
        #expect(left.stdout == "id\n1\n", "\(left.stdout)")
        let audit = try cli.run(["audit", "list", "--action", "alert.purge", "--format", "json"])
        #expect(audit.stdout.contains("alert.purge") && audit.stdout.contains("count"), "\(audit.stdout)")
        #expect(try cli.run(["audit", "verify"]).exitCode == 0)

        // Once the incident is closed and old enough, it goes, and its alert can go after it.
        #expect(
            try cli.run([
                "incident", "close", "IR-0001", "--resolution", "false_positive", "--summary", "nothing",
            ]).exitCode == 0)
        let incidents = try cli.run(["incident", "purge", "--older-than", "2099-01-01T00:00:00Z"])
        #expect(incidents.exitCode == 0, "\(incidents.stderr)")
        #expect(incidents.stderr.contains("purged 1 incidents"), "\(incidents.stderr)")
        #expect(try cli.run(["alert", "purge", "--older-than", "1d", "-q"]).exitCode == 0)
        #expect(try cli.run(["alert", "list", "--format", "csv", "--json", "id"]).stdout == "id\n")
        #expect(try cli.run(["audit", "verify"]).exitCode == 0)
    }
}
