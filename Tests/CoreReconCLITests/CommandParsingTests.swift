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

    @Test("CSV fields with commas, quotes or newlines are quoted")
    func csvQuoting() {
        #expect(Output.csvField("plain") == "plain")
        #expect(Output.csvField("a,b") == "\"a,b\"")
        #expect(Output.csvField("say \"hi\"") == "\"say \"\"hi\"\"\"")
    }
}
