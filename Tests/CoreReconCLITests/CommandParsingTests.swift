import ArgumentParser
import Testing

@testable import CoreReconCLI

@Suite("Command-line parsing")
struct CommandParsingTests {
    @Test("`migrate` alone runs the apply action")
    func migrateDefault() throws {
        let command = try CoreReconCommand.parseAsRoot(["migrate"])
        #expect(command is MigrateCommand.Apply)
    }

    @Test("Global options parse on every subcommand")
    func globalOptions() throws {
        let command = try CoreReconCommand.parseAsRoot(
            [
                "migrate", "status", "--format", "ndjson", "--no-color", "-q", "--log-level", "debug",
                "--database-url", "sqlite::memory:", "--config", "/etc/corerecon.yaml",
            ]
        )
        let status = try #require(command as? MigrateCommand.Status)
        #expect(status.global.format == .ndjson)
        #expect(status.global.noColor)
        #expect(status.global.quiet)
        #expect(status.global.logLevel == .debug)
        #expect(status.global.databaseURL == "sqlite::memory:")
        #expect(status.global.config == "/etc/corerecon.yaml")
    }

    @Test("An unknown format is a usage error (exit 64)")
    func badFormat() {
        #expect {
            try CoreReconCommand.parseAsRoot(["migrate", "status", "--format", "xml"])
        } throws: { error in
            CoreReconCommand.exitCode(for: error).rawValue == 64
        }
    }

    @Test("Flags override the environment when the configuration is built")
    func flagsWin() throws {
        let command = try CoreReconCommand.parseAsRoot(["migrate", "status", "--database-url", "sqlite::memory:"])
        let status = try #require(command as? MigrateCommand.Status)
        let config = try status.global.loadConfig(environment: ["CORERECON_DATABASE_URL": "sqlite:///elsewhere.db"])
        #expect(config.database == .sqliteMemory)
    }

    @Test("alert show names the product once when the vendor has the same name")
    func productOnce() {
        #expect(AlertCommand.Show.product(vendor: "Wazuh", product: "Wazuh") == "Wazuh")
        #expect(AlertCommand.Show.product(vendor: "Microsoft", product: "Microsoft Defender") == "Microsoft Defender")
        #expect(AlertCommand.Show.product(vendor: "OISF", product: "Suricata") == "OISF Suricata")
        #expect(AlertCommand.Show.product(vendor: nil, product: "Suricata") == "Suricata")
    }

    @Test("alert show lists ten related ids, then how many more `alert related` has")
    func relatedSummary() {
        #expect(AlertCommand.Show.describeRelated([], of: 9) == "-")
        #expect(AlertCommand.Show.describeRelated([3, 4], of: 9) == "3, 4")
        let twelve = (1...12).map { Int64($0) }
        #expect(AlertCommand.Show.describeRelated(twelve, of: 9).hasSuffix("10 and 2 more (alert related 9)"))
        let overLimit = (1...101).map { Int64($0) }
        #expect(
            AlertCommand.Show.describeRelated(overLimit, of: 9).hasSuffix("and at least 91 more (alert related 9)"))
    }

    @Test("Every table fits columns to their cells, up to limits that never cut a severity or a status")
    func tablePolicy() {
        let rows = [["informational", "acknowledged", "Brute force"]]
        let limits = [ColumnWidth.severity, ColumnWidth.status, nil]
        let widths = TextTable.widths(headers: ["SEVERITY", "STATUS", "TITLE"], rows: rows, limits: limits)
        #expect(TextTable.line(rows[0], widths: widths) == "informational  acknowledged  Brute force")
        #expect(TextTable.fixedWidths(headers: ["SEVERITY", "STATUS", "TITLE"], limits: limits) == [13, 12, 5])
        #expect(TextTable.fit("a-very-long-source", width: 8) == "a-very-…")
        #expect(TextTable.fit("dmz", width: 5) == "dmz  ")
    }

    @Test("CSV fields with commas, quotes or newlines are quoted")
    func csvQuoting() {
        #expect(Output.csvField("plain") == "plain")
        #expect(Output.csvField("a,b") == "\"a,b\"")
        #expect(Output.csvField("say \"hi\"") == "\"say \"\"hi\"\"\"")
    }
}
