import ArgumentParser
import CoreRecon
import Logging

/// `corerecon`: security operations from the command line.
@main
struct CoreReconCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corerecon",
        abstract: "Security operations toolkit: SIEM alerts in, one clean triage queue out.",
        discussion: """
            Every subcommand works against the database named by --database-url (or CORERECON_DATABASE_URL); \
            with none, an SQLite file in $XDG_DATA_HOME/corerecon/ is created and migrated on first use. With \
            --server (or CORERECON_SERVER, a current `corerecon context`, or server.url), the commands that can \
            work over the API of that running `corerecon serve` instead (`corerecon login` signs in; \
            CORERECON_TOKEN holds an API key for CI); the others say they cannot.

            Results go to stdout (a table for people; --format json, ndjson or csv for pipelines); messages, \
            warnings, errors and "nothing found" go to stderr.

            Exit codes: 0 success; 1 operation failed (not found, or a conflict such as any refused state \
            change); 3 `sla sweep` recorded new breaches; 64 usage error; 65 bad input data; 69 database or \
            server unavailable; 77 the server refused the sign-in or the role; 78 configuration error.
            """,
        version: CoreReconVersion.current,
        subcommands: [
            MigrateCommand.self, BackupCommand.self, RestoreCommand.self, IngestCommand.self, AlertCommand.self,
            IncidentCommand.self, IocCommand.self,
            MitreCommand.self,
            SLACommand.self, NotifyCommand.self, PlaybookCommand.self, ServeCommand.self, UserCommand.self,
            TokenCommand.self,
            AuditCommand.self, LoginCommand.self, LogoutCommand.self, ContextCommand.self, StatusCommand.self,
        ]
    )

    static func main() async {
        // Libraries that log through the global system must never write to stdout: it carries results only.
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .warning
            return handler
        }
        var command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exit(reporting: error, usage: nil)
        }
        do {
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            // Parsing is over: a usage error now belongs to the subcommand that ran, not to `corerecon`.
            exit(reporting: error, usage: type(of: command))
        }
    }

    /// Prints `error` the project's way and exits with its code: help and version on stdout; everything else on
    /// stderr as `error: ...` (argument-parser's own messages say `Error:`). A usage error thrown while a
    /// subcommand runs gets that subcommand's usage (argument-parser would print the top-level one).
    static func exit(reporting error: any Error, usage command: (any ParsableCommand.Type)?) -> Never {
        let code = exitCode(for: error)
        var message: String
        if let command, let error = error as? ValidationError {
            let usage = usageString(for: command)
            // The words before the first argument or option: `corerecon user add`.
            let path = usage.split(separator: " ").prefix { word in
                !word.hasPrefix("<") && !word.hasPrefix("[") && !word.hasPrefix("-")
            }.joined(separator: " ")
            message = "error: \(error.message)\nUsage: \(usage)\n  See '\(path) --help' for more information."
        } else {
            message = fullMessage(for: error)
        }
        if code == .success {
            if !message.isEmpty { print(message) }
        } else {
            if message.hasPrefix("Error: ") { message = "error: " + message.dropFirst("Error: ".count) }
            if !message.isEmpty { Terminal.printError(message) }
        }
        // An ExitCode prints nothing: argument-parser only ends the process with it.
        exit(withError: code)
    }
}
