import ArgumentParser
import CoreRecon
import CoreReconStore
import Foundation

/// Prints a purge's summary: one line on stderr for people, the document for programs.
func reportPurge(_ summary: PurgeSummary, what: String, global: GlobalOptions, services: AppServices) async throws {
    if global.format.isForPeople {
        guard !global.quiet else { return }
        let range =
            summary.oldest.map { oldest in
                " (\(what == "alerts" ? "last seen" : "closed") \(ISO8601Format.string(from: oldest)) to "
                    + "\(ISO8601Format.string(from: summary.newest ?? oldest)))"
            } ?? ""
        var line = "\(summary.dryRun ? "would purge" : "purged") \(summary.purged) \(what)\(range)"
        if summary.keptForOpenIncidents > 0 {
            line += "; kept \(summary.keptForOpenIncidents) that open incidents hold"
        }
        if summary.evidenceFiles > 0 { line += "; \(summary.evidenceFiles) evidence files no incident holds any more" }
        if !summary.dryRun {
            line += " in \(summary.batches) batches, \(String(format: "%.1f", summary.seconds)) s"
            if let free = try await Retention(database: services.database).reusableBytes(), free > 0 {
                line += "; \(free / 1_048_576) MB inside the database file is free for new data"
            }
        }
        Terminal.printError(line)
    } else {
        global.makeOutput().writeJSON(summary)
    }
}

extension AlertCommand {
    struct Purge: ServiceCommand {
        static let configuration = CommandConfiguration(
            commandName: "purge",
            abstract: "Delete alerts last seen before a time, in batches (retention).",
            discussion: """
                Deletes the alerts last seen before --older-than (a duration such as 180d, or a time), with what \
                they hold (history, observables, techniques, indicator matches, SLA clocks, full-text entries), \
                optionally only those in --status. An alert that an incident not yet closed holds is never \
                purged. Deletes go in batches, each a transaction with its audit entry (the count and the range \
                of times, not the rows), sized to hold the write lock about 25 ms, and on SQLite with as long a \
                pause after each, so ingest and serve keep writing beside it; the audit log is never purged. SQLite reuses the freed space for new data; `corerecon backup` writes a compacted copy. \
                --dry-run counts and changes nothing. `retention.alerts` in the config has serve do this daily.
                """)
        static let databaseOnlyReason: String? = "where the database is, as retention is"
        @OptionGroup var global: GlobalOptions
        @Option(
            name: .customLong("older-than"),
            help: ArgumentHelp("Alerts last seen before this: 180d, 26w, or a time.", valueName: "age"))
        var olderThan: String
        @Option(
            help: ArgumentHelp(
                "Only alerts in these statuses (comma-separated: new, acknowledged, in_progress, escalated, closed).",
                valueName: "status"))
        var status: String?
        @Flag(help: "Count what would go; delete nothing.") var dryRun = false
        @OptionGroup var actor: ActorOption

        func run(using services: AppServices, output: Output) async throws {
            let cutoff = try TimeExpression.parse(olderThan, now: services.now(), option: "--older-than")
            var statuses: [AlertStatus]?
            if let status {
                statuses = try status.split(separator: ",").map { name in
                    let text = name.trimmingCharacters(in: .whitespaces)
                    guard let value = AlertStatus(rawValue: text) else {
                        throw CoreReconError.invalidInput(
                            location: "--status",
                            reason:
                                "'\(text)' is not an alert status (\(AlertStatus.allCases.map(\.rawValue).joined(separator: ", ")))."
                        )
                    }
                    return value
                }
            }
            let summary = try await Retention(database: services.database, now: services.now).purgeAlerts(
                olderThan: cutoff, statuses: statuses, dryRun: dryRun, actor: try services.actor(actor.actor))
            try await reportPurge(summary, what: "alerts", global: global, services: services)
        }
    }
}

extension IncidentCommand {
    struct Purge: ServiceCommand {
        static let configuration = CommandConfiguration(
            commandName: "purge",
            abstract: "Delete closed incidents closed before a time, with all they hold (retention).",
            discussion: """
                Deletes the incidents closed before --older-than (a duration such as 365d, or a time) with their \
                evidence and its chain of custody, observables, timeline, tasks, techniques, history and SLA \
                clocks; an evidence file another incident holds stays. The alerts they held stay: `alert purge` \
                ages those out. Open incidents are never purged. Batches as `alert purge` makes them, each with \
                its audit entry; --dry-run counts and changes nothing. `retention.incidents` in the config has serve do \
                this daily.
                """)
        static let databaseOnlyReason: String? = "where the database is, as retention is"
        @OptionGroup var global: GlobalOptions
        @Option(
            name: .customLong("older-than"),
            help: ArgumentHelp("Incidents closed before this: 365d, or a time.", valueName: "age"))
        var olderThan: String
        @Flag(help: "Count what would go; delete nothing.") var dryRun = false
        @OptionGroup var actor: ActorOption

        func run(using services: AppServices, output: Output) async throws {
            let cutoff = try TimeExpression.parse(olderThan, now: services.now(), option: "--older-than")
            let summary = try await Retention(database: services.database, now: services.now).purgeIncidents(
                closedBefore: cutoff, dryRun: dryRun, actor: try services.actor(actor.actor))
            try await reportPurge(summary, what: "incidents", global: global, services: services)
        }
    }
}
