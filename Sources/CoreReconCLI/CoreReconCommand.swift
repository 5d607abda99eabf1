import ArgumentParser
import Logging

/// `corerecon`: security operations from the command line.
@main
struct CoreReconCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corerecon",
        abstract: "Security operations toolkit: SIEM alerts in, one clean triage queue out.",
        discussion: """
            Every subcommand works against the database named by --database-url (or CORERECON_DATABASE_URL); \
            with none, an SQLite file in $XDG_DATA_HOME/corerecon/ is created and migrated on first use.

            Results go to stdout (a table for people; --format json, ndjson or csv for pipelines); messages, \
            warnings and errors go to stderr.

            Exit codes: 0 success; 1 operation failed (not found, conflict); 64 usage error; 65 bad input data; \
            69 database or server unavailable; 78 configuration error.
            """,
        version: CoreReconVersion.current,
        subcommands: [
            MigrateCommand.self, IngestCommand.self, AlertCommand.self, IncidentCommand.self, MitreCommand.self,
            ServeCommand.self, UserCommand.self, TokenCommand.self, AuditCommand.self,
        ]
    )

    static func main() async {
        // Libraries that log through the global system must never write to stdout: it carries results only.
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .warning
            return handler
        }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}

enum CoreReconVersion {
    static let current = "0.1.0"
}
