import CoreReconTestSupport
import Foundation
import Testing

/// `corerecon audit` as an operator runs it.
@Suite("audit CLI")
struct AuditEndToEndTests {
    @Test("CLI changes are listed with their actor; verify exits 1 naming a tampered row")
    func listAndVerify() throws {
        let cli = try CoreReconProcess()
        defer { cli.remove() }
        #expect(try cli.run(["incident", "create", "--title", "Beacon", "--as", "ann"]).exitCode == 0)
        #expect(try cli.run(["incident", "status", "IR-0001", "triage"]).exitCode == 0)

        let listed = try cli.run(["audit", "list", "--format", "csv"])
        #expect(listed.exitCode == 0, "\(listed.stderr)")
        let lines = listed.stdout.split(separator: "\n")
        #expect(lines.first == "id,at,actor,action,target,summary")
        #expect(lines.count == 3)
        #expect(lines[1].contains(",analyst,incident.move,incident:IR-"))
        #expect(lines[1].contains("state: new → triage"))
        #expect(lines[2].contains(",ann,incident.create,"))
        let filtered = try cli.run(["audit", "list", "--actor", "ann", "--format", "ndjson"])
        #expect(filtered.stdout.split(separator: "\n").count == 1)

        let intact = try cli.run(["audit", "verify"])
        #expect(intact.exitCode == 0, "\(intact.stderr)")
        #expect(intact.stdout.contains("intact"))

        let database = cli.home.path + "/data/corerecon/corerecon.db"
        let tamper = Process()
        tamper.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        tamper.arguments = [
            "python3", "-c",
            """
            import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("DROP TRIGGER audit_log_no_update"); \
            c.execute("UPDATE audit_log SET actor = 'mallory' WHERE id = 1"); c.commit()
            """,
            database,
        ]
        try tamper.run()
        tamper.waitUntilExit()
        let broken = try cli.run(["audit", "verify", "--format", "json"])
        #expect(broken.exitCode == 1)
        #expect(broken.stdout.contains(#""kind" : "altered""#))
        #expect(broken.stderr.contains("broken at row 1 altered"))
    }
}
