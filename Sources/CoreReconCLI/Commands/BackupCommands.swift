import ArgumentParser
import CoreRecon
import CoreReconStore
import Foundation
import Logging

/// `corerecon backup`: a consistent copy of the database while it is in use.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the database, online, with its schema version and SHA-256 (FILE.sha256).",
        discussion: """
            SQLite: a consistent copy made with VACUUM INTO while serve, ingest and cron jobs keep writing (it \
            sees every commit made before it started and none after), compacted, and compressed when FILE ends \
            in .zst (zstd) or .gz (gzip). PostgreSQL: pg_dump --format=custom (name it FILE.dump), which needs the \
            PostgreSQL client tools of the server's major version or newer on PATH.

            The backup is written to FILE.partial and takes its name only when complete; FILE.sha256 beside it is \
            in the format `sha256sum -c` reads, and `corerecon restore` checks it. An existing FILE is refused \
            without --force. Prints the file, its size, SHA-256, schema version and (SQLite) the alerts and \
            incidents in it; JSON with --format json. Always works on the database, as migrate does.
            """)

    @OptionGroup var global: GlobalOptions
    @Option(
        name: [.short, .long], help: ArgumentHelp("Where to write the backup.", valueName: "file"), completion: .file())
    var out: String
    @Flag(help: "Replace FILE and FILE.sha256 when they exist.") var force = false

    func run() async throws {
        try await DatabaseAdministration.run(global) { config, logger in
            let summary = try await Backups(config: config, logger: logger).backup(to: out, overwrite: force)
            if global.format.isForPeople {
                let counts = summary.alerts.map { ", \($0) alerts, \(summary.incidents ?? 0) incidents" } ?? ""
                print(summary.file)
                if !global.quiet {
                    Terminal.printError(
                        "backed up \(summary.backend) schema version \(summary.schemaVersion)\(counts) to \(summary.file) "
                            + "(\(summary.bytes) bytes, \(summary.compression.rawValue), sha256 \(summary.sha256)) "
                            + "in \(String(format: "%.1f", summary.seconds)) s")
                }
            } else {
                global.makeOutput().writeJSON(summary)
            }
        }
    }
}

/// `corerecon restore`: put a backup in place of the database.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a backup into the database, checking it first, and migrate it forward.",
        discussion: """
            Checks FILE against FILE.sha256 when it is there, then (SQLite) unpacks it beside the database, checks \
            its integrity and schema version, and moves it into place; (PostgreSQL) reads its schema version and \
            runs pg_restore --clean --single-transaction. A backup made by an older corerecon is migrated forward; \
            one made by a newer one is refused (exit 78). A database that holds data (alerts, incidents, \
            indicators, users, keys or audit entries) is replaced only with --force: stop serve, cron jobs and \
            anything else using it first. Nothing is changed when a check fails (exit 65). Always works on the \
            database, as migrate does.
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The backup.", valueName: "file"), completion: .file()) var file: String
    @Flag(help: "Replace a database that holds data.") var force = false

    func run() async throws {
        try await DatabaseAdministration.run(global) { config, logger in
            let summary = try await Backups(config: config, logger: logger).restore(from: file, overwrite: force)
            if global.format.isForPeople {
                if !global.quiet {
                    if !summary.checksumVerified {
                        Terminal.printError(
                            "warning: no \(summary.file).sha256 beside the backup: its checksum was not checked")
                    }
                    let migrated =
                        summary.migrated.isEmpty
                        ? "" : "; migrated forward through \(summary.migrated.map(String.init).joined(separator: ", "))"
                    Terminal.printError(
                        "restored \(summary.file) (schema version \(summary.schemaVersion), \(summary.alerts) alerts, "
                            + "\(summary.incidents) incidents)\(summary.replaced ? ", replacing the data there" : "")"
                            + "\(migrated) in \(String(format: "%.1f", summary.seconds)) s")
                }
            } else {
                global.makeOutput().writeJSON(summary)
            }
        }
    }
}

/// Commands that administer the database itself (backup, restore): the database always, errors as every
/// command says them.
enum DatabaseAdministration {
    static func run(
        _ global: GlobalOptions, _ body: (AppConfig, Logger) async throws -> Void
    ) async throws {
        do {
            guard global.server == nil else {
                throw CoreReconError.configuration(
                    "`corerecon \(CommandLine.arguments.dropFirst().first ?? "")` works on the database only; "
                        + "run it with --database-url where the database is.")
            }
            let config = try global.loadConfig()
            var logger = Logger(label: "corerecon")
            logger.logLevel = config.logLevel
            try await body(config, logger)
        } catch let error as CoreReconError {
            Terminal.printError("error: \(error)")
            throw ExitCode(error.exitCode)
        }
    }
}
