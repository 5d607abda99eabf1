import CoreReconTestSupport
import Foundation
import Testing

/// What a new user meets first: empty results, tables, times, help and errors (issue 10).
@Suite("alert output, end to end")
struct TriageOutputEndToEndTests {
    /// A generic alert from `ip` at `time`; `rule` keeps alerts from merging into one.
    static func alert(
        rule: Int, ip: String = "198.51.100.5", severity: String = "informational",
        time: String = "2026-11-20T10:00:00Z", vendor: String = "Wazuh", product: String = "Wazuh"
    ) -> String {
        #"{"id":"a\#(rule)","rule_id":"r\#(rule)","title":"alert \#(rule)","severity":"\#(severity)","src_ip":"\#(ip)","vendor":"\#(vendor)","product":"\#(product)","timestamp":"\#(time)"}"#
    }

    /// The id of the alert titled `title`.
    static func id(of title: String, _ cli: CoreReconProcess) throws -> String {
        let list = try cli.run(["alert", "list", "--format", "csv", "--json", "id,title", "--limit", "0"])
        let line = try #require(list.stdout.split(separator: "\n").first { $0.hasSuffix("," + title) })
        return String(line.split(separator: ",")[0])
    }

    @Test("Nothing found goes to stderr, naming the filters; stdout stays empty; -q silences it")
    func emptyResultsOnStderr() throws {
        let cli = try CoreReconProcess()
        defer { cli.remove() }
        #expect(try cli.run(["ingest"], input: Self.alert(rule: 1)).exitCode == 0)

        let none = try cli.run(["alert", "list", "--severity", "critical"])
        #expect(none.exitCode == 0)
        #expect(none.stdout.isEmpty, "\(none.stdout)")
        #expect(none.stderr.contains("No alerts match --severity critical."), "\(none.stderr)")
        let quiet = try cli.run(["alert", "list", "--severity", "critical", "-q"])
        #expect(quiet.stdout.isEmpty && quiet.stderr.isEmpty)

        let id = try Self.id(of: "alert 1", cli)
        #expect(try cli.run(["alert", "close", id, "--reason", "other"]).exitCode == 0)
        let refused = try cli.run(["alert", "ack", id])
        #expect(refused.exitCode == 1)
        #expect(refused.stdout.isEmpty, "\(refused.stdout)")
        #expect(refused.stderr.contains("No alert changed."))

        let incidents = try cli.run(["incident", "list"])
        #expect(incidents.stdout.isEmpty)
        #expect(incidents.stderr.contains("No incidents match."))
    }

    @Test("--since filters on event time and says so when nothing matches; --received-since on receipt")
    func receivedSince() throws {
        let cli = try CoreReconProcess()
        defer { cli.remove() }
        // Historical example data: the events happened in 2020, CoreRecon receives them now.
        #expect(try cli.run(["ingest"], input: Self.alert(rule: 1, time: "2020-03-01T08:00:00Z")).exitCode == 0)

        let recent = try cli.run(["alert", "list", "--since", "24h"])
        #expect(recent.stdout.isEmpty)
        #expect(recent.stderr.contains("No alerts match --since 24h."), "\(recent.stderr)")
        #expect(recent.stderr.contains("--received-since"))

        let received = try cli.run(["alert", "list", "--received-since", "1h", "--format", "ndjson", "--json", "id"])
        #expect(received.exitCode == 0, "\(received.stderr)")
        #expect(received.stdout.split(separator: "\n").count == 1)
        let future = try cli.run(["alert", "list", "--received-since", "2099-01-01", "--format", "ndjson"])
        #expect(future.stdout.isEmpty)

        let bulk = try cli.run(["alert", "ack", "--where", "received-since=1h"])
        #expect(bulk.exitCode == 0, "\(bulk.stderr)")
        #expect(bulk.stdout.contains("new → acknowledged"))
        #expect(try cli.run(["alert", "list", "--received-since", "soon"]).exitCode == 64)

        let help = try cli.run(["alert", "list", "--help"])
        #expect(help.stdout.contains("--received-since"))
        #expect(help.stdout.contains("escalated"))
    }

    @Test("show lists the same related alerts as `alert related`, and says how many more there are")
    func showAndRelatedAgree() throws {
        let cli = try CoreReconProcess()
        defer { cli.remove() }
        let lines = (1...13).map { Self.alert(rule: $0, time: "2026-11-20T10:\(10 + $0):00Z") }
        #expect(try cli.run(["ingest"], input: lines.joined(separator: "\n")).exitCode == 0)
        let id = try Self.id(of: "alert 1", cli)

        let related = try cli.run(["alert", "related", id, "--format", "ndjson"])
        #expect(related.stdout.split(separator: "\n").count == 12)
        let show = try cli.run(["alert", "show", id])
        #expect(show.exitCode == 0, "\(show.stderr)")
        #expect(show.stdout.contains(" and 2 more (alert related \(id))"), "\(show.stdout)")
        // Vendor and product are both "Wazuh": printed once.
        #expect(!show.stdout.contains("Wazuh Wazuh"))
        #expect(show.stdout.split(separator: "\n").contains { $0.hasPrefix("product:") && $0.hasSuffix(" Wazuh") })
    }

    @Test("Every table shows full severities and times to the second")
    func tablesAgree() throws {
        let cli = try CoreReconProcess()
        defer { cli.remove() }
        let lines = [Self.alert(rule: 1), Self.alert(rule: 2, time: "2026-11-20T10:20:00Z")]
        #expect(try cli.run(["ingest"], input: lines.joined(separator: "\n")).exitCode == 0)
        let id = try Self.id(of: "alert 1", cli)

        for arguments in [["alert", "list"], ["alert", "related", id], ["alert", "show", id]] {
            let result = try cli.run(arguments)
            #expect(result.exitCode == 0, "\(arguments): \(result.stderr)")
            #expect(result.stdout.contains("informational"), "\(arguments): \(result.stdout)")
            #expect(!result.stdout.contains("informa…"), "\(arguments): \(result.stdout)")
            #expect(result.stdout.contains("2026-11-20T10:"), "\(arguments): \(result.stdout)")
            #expect(!result.stdout.contains(".000Z"), "\(arguments): \(result.stdout)")
        }
        // Machine formats keep milliseconds.
        let csv = try cli.run(["alert", "related", id, "--format", "csv"])
        #expect(csv.stdout.contains("2026-11-20T10:20:00.000Z"), "\(csv.stdout)")
    }

    @Test("Loopback and placeholder values stay observables but relate nothing")
    func commonValuesDoNotLink() throws {
        let cli = try CoreReconProcess()
        defer { cli.remove() }
        let lines = [Self.alert(rule: 1, ip: "127.0.0.1"), Self.alert(rule: 2, ip: "127.0.0.1")]
        #expect(try cli.run(["ingest"], input: lines.joined(separator: "\n")).exitCode == 0)
        let id = try Self.id(of: "alert 1", cli)
        let related = try cli.run(["alert", "related", id])
        #expect(related.stdout.isEmpty, "\(related.stdout)")
        #expect(related.stderr.contains("No related alerts"))
        #expect(try cli.run(["alert", "show", id, "--format", "json"]).stdout.contains("127.0.0.1"))
        #expect(try cli.run(["alert", "related", "--help"]).stdout.contains("loopback"))
    }

    @Test("Errors say `error:` in lower case; a usage error names the subcommand's usage")
    func errorFormat() throws {
        let cli = try CoreReconProcess()
        defer { cli.remove() }
        let usage = try cli.run(["alert", "list", "--sort", "color"])
        #expect(usage.exitCode == 64)
        #expect(usage.stderr.hasPrefix("error: "), "\(usage.stderr)")
        let runtime = try cli.run(["alert", "show", "42"])
        #expect(runtime.stderr.hasPrefix("error: alert 42 not found"), "\(runtime.stderr)")

        // No terminal and no --password-stdin: a usage error of `user add`, not the top-level usage.
        let user = try cli.run(["user", "add", "ana", "--role", "analyst"])
        #expect(user.exitCode == 64)
        #expect(user.stderr.hasPrefix("error: stdin is not a terminal"), "\(user.stderr)")
        #expect(user.stderr.contains("corerecon user add"), "\(user.stderr)")
        #expect(!user.stderr.contains("<subcommand>"), "\(user.stderr)")
        // A usage error found while the command runs also names that command.
        let tactic = try cli.run(["mitre", "techniques", "--tactic", "lunch"])
        #expect(tactic.exitCode == 64)
        #expect(tactic.stderr.hasPrefix("error: Unknown tactic 'lunch'"), "\(tactic.stderr)")
        #expect(tactic.stderr.contains("corerecon mitre techniques"), "\(tactic.stderr)")
    }

    @Test("Help sentences have single spaces between words")
    func helpSpacing() throws {
        let cli = try CoreReconProcess()
        defer { cli.remove() }
        let help = try cli.run(["ingest", "--help"])
        #expect(help.exitCode == 0)
        let overview = try #require(help.stdout.components(separatedBy: "ARGUMENTS:").first)
        for line in overview.split(separator: "\n") {
            #expect(!line.trimmingCharacters(in: .whitespaces).contains("  "), "\(line)")
        }
    }
}
