import ArgumentParser
import CoreRecon
import CoreReconStore
import Foundation

/// `corerecon migrate`: create or upgrade the schema, or report on it.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create or upgrade the database schema.",
        discussion: """
            `corerecon migrate` applies every pending migration, each in its own transaction, and prints what it \
            did (nothing with -q); when the schema is current it changes nothing and exits 0. Concurrent runs are \
            safe: on PostgreSQL an advisory lock lets one apply while the other waits.

            The embedded SQLite database migrates itself on first use. On PostgreSQL other commands refuse a \
            schema that is behind (exit 78) until `corerecon migrate` has run.

            `migrate` also converts the alerts an older release stored: documents kept as text (before schema 17 \
            on SQLite, 18 on PostgreSQL) become zstd frames, with a dictionary trained per format, and from schema \
            20 each frame also holds the alert's fingerprint basis, which leaves its column (on SQLite the row's \
            full-text words go too: the index keeps its own). 500 alerts a transaction, with a progress line on a \
            terminal; an interrupted run resumes where it stopped. The summary says how many and how much smaller; \
            an alert whose stored document cannot be read (a damaged row) is left as it is and named in a warning. \
            On PostgreSQL, migration 18 first rewrites the alerts table (an exclusive lock for as long as copying \
            it takes), migration 19 builds the full-text index anew and migration 20 the observables' indexes \
            (alerts wait for both); on SQLite, migration 20 rebuilds the full-text index from the rows (alerts \
            wait for it).
            """,
        subcommands: [Apply.self, Status.self],
        defaultSubcommand: Apply.self
    )
}

extension MigrateCommand {
    struct Apply: ServiceCommand {
        static var isDatabaseOnly: Bool { true }
        static let configuration = CommandConfiguration(
            commandName: "apply",
            abstract: "Apply pending migrations (the default action of `migrate`)."
        )
        static let schemaPolicy = AppServices.SchemaPolicy.asIs

        @OptionGroup var global: GlobalOptions

        func run(using services: AppServices, output: Output) async throws {
            let applied = try await services.migrator.migrate()
            // Rows older releases stored become what this one writes (documents as zstd frames with the
            // fingerprint basis inside), in batches that each commit, so a stopped run resumes.
            let progress = ProgressLine(enabled: Terminal.isTerminal(.standardError) && !global.quiet)
            let conversion = try await services.database.convertDocuments(now: services.now) { done, total in
                progress.update("converting alert documents: \(done.grouped) of \(total.grouped)")
            }
            progress.clear()
            if !conversion.unreadable.isEmpty {
                let count = conversion.unreadable.count
                let ids = conversion.unreadable.prefix(20).map(String.init).joined(separator: ", ")
                Terminal.printError(
                    "warning: "
                        + (count == 1
                            ? "an alert's stored document could not be read and was left as it was"
                            : "\(count.grouped) alerts' stored documents could not be read and were left as they were")
                        + " (id\(count == 1 ? "" : "s") \(ids)\(count > 20 ? ", ..." : ""))")
            }
            // For people, what was applied is a summary, and --quiet drops summaries: a successful run is silent.
            // A format asked for by a program still gets its document.
            if global.quiet && global.format.isForPeople { return }
            let status = try await services.migrator.status()
            let report = ApplyReport(
                backend: status.backend.rawValue,
                location: status.location,
                version: status.currentVersion,
                applied: applied.map(MigrationRow.init),
                documents: conversion
            )
            let appliedText = applied.isEmpty ? "nothing (schema is current)" : "\(applied.count)"
            func render(_ summary: KeyValuePairs<String, String>) throws {
                try output.render(
                    report.applied, columns: MigrationRow.columns, document: report, summary: summary,
                    emptyMessage: nil  // the summary says so
                )
            }
            if conversion.converted > 0 {
                try render([
                    "backend": report.backend, "location": report.location, "version": "\(report.version)",
                    "applied": appliedText,
                    "documents converted": "\(conversion.converted.grouped) ("
                        + "\(Self.megabytes(conversion.bytesBefore)) to \(Self.megabytes(conversion.bytesAfter)))",
                ])
            } else {
                try render([
                    "backend": report.backend, "location": report.location, "version": "\(report.version)",
                    "applied": appliedText,
                ])
            }
        }

        static func megabytes(_ bytes: Int64) -> String {
            String(format: "%.1f MB", Double(bytes) / 1_048_576)
        }
    }

    struct Status: ServiceCommand {
        static var isDatabaseOnly: Bool { true }
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "List applied and pending migrations, the backend and the database location.",
            discussion: "Exits 0 whatever the state; read `pending` (or `current`) in --format json to script on it."
        )
        static let schemaPolicy = AppServices.SchemaPolicy.asIs

        @OptionGroup var global: GlobalOptions

        func run(using services: AppServices, output: Output) async throws {
            let status = try await services.migrator.status()
            let report = StatusReport(
                backend: status.backend.rawValue,
                location: status.location,
                version: status.currentVersion,
                latestVersion: Migrations.latestVersion,
                current: status.isCurrent,
                pending: status.pending.count,
                migrations: status.migrations.map(MigrationRow.init)
            )
            try output.render(
                report.migrations,
                columns: MigrationRow.columns,
                document: report,
                summary: [
                    "backend": report.backend,
                    "location": report.location,
                    "version": "\(report.version) (this corerecon knows \(report.latestVersion))",
                    "pending": "\(report.pending)",
                ]
            )
        }
    }
}

/// One migration as printed by `migrate` and `migrate status`.
struct MigrationRow: Encodable {
    var version: Int
    var name: String
    var status: String
    var appliedAt: Date?
    var checksum: String

    init(_ state: MigrationState) {
        version = state.version
        name = state.name
        status = state.status.rawValue
        appliedAt = state.appliedAt
        checksum = state.checksum
    }

    static let columns: [Column<MigrationRow>] = [
        Column("version") { "\($0.version)" },
        Column("name") { $0.name },
        Column("status") { $0.status },
        Column("applied at", time: { $0.appliedAt }),
    ]
}

struct ApplyReport: Encodable {
    var backend: String
    var location: String
    var version: Int
    var applied: [MigrationRow]
    /// Alert documents compressed by this run (text from releases before migration 17).
    var documents: DocumentConversionReport
}

struct StatusReport: Encodable {
    var backend: String
    var location: String
    var version: Int
    var latestVersion: Int
    var current: Bool
    var pending: Int
    var migrations: [MigrationRow]
}
