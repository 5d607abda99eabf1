import ArgumentParser
import CoreRecon
import Foundation

/// The filters of `alert list`, also accepted by `--where` on bulk changes.
struct AlertFilterOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Only alerts in these statuses (new, acknowledged, in_progress, closed; comma-separated).",
            valueName: "status"))
    var status: [String] = []

    @Option(
        help: ArgumentHelp(
            "Only alerts at or above this severity (informational, low, medium, high, critical).", valueName: "severity"
        ))
    var severity: String?

    @Option(
        help: ArgumentHelp("Only alerts from these sources (the --source label given at ingest).", valueName: "name"))
    var source: [String] = []

    @Option(
        help: ArgumentHelp("Only alerts last seen since this time: 30m, 24h, 7d, or a timestamp.", valueName: "time"))
    var since: String?

    @Option(
        help: ArgumentHelp("Only alerts last seen before this time: 30m, 24h, 7d, or a timestamp.", valueName: "time"))
    var until: String?

    @Option(help: ArgumentHelp("Only alerts assigned to this user ('none' for unassigned).", valueName: "user"))
    var assignee: String?

    @Option(help: ArgumentHelp("Full-text search over titles, descriptions and observables.", valueName: "text"))
    var search: String?

    @Option(
        help: ArgumentHelp(
            "Only alerts mapped to this ATT&CK technique (T1059 includes its sub-techniques).", valueName: "id"))
    var technique: String?

    func validate() throws {
        // Bad filter values are usage errors: report them before anything runs.
        do {
            _ = try query(now: Date())
        } catch {
            throw ValidationError("\(error)")
        }
    }

    /// The query these options describe.
    func query(now: Date) throws(CoreReconError) -> AlertQuery {
        try Self.query(
            statuses: status, severity: severity, sources: source, since: since, until: until, assignee: assignee,
            search: search, technique: technique, now: now, optionPrefix: "--"
        )
    }

    static func query(
        statuses: [String], severity: String?, sources: [String], since: String?, until: String?, assignee: String?,
        search: String?, technique: String?, now: Date, optionPrefix: String
    ) throws(CoreReconError) -> AlertQuery {
        try AlertQuery.parse(
            statuses: statuses, severity: severity, sources: sources, since: since, until: until, assignee: assignee,
            search: search, technique: technique, now: now, optionPrefix: optionPrefix)
    }

    static func isTechniqueID(_ text: String) -> Bool { AlertQuery.isTechniqueID(text) }

    static func parseWhere(_ text: String, now: Date) throws(CoreReconError) -> AlertQuery {
        try AlertQuery.parseWhere(text, now: now)
    }
}
