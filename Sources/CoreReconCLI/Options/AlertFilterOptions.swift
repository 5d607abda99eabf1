import ArgumentParser
import CoreRecon
import Foundation

/// The filters of `alert list`, also accepted by `--where` on bulk changes.
struct AlertFilterOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Only alerts in these statuses (\(AlertStatus.allCases.map(\.rawValue).joined(separator: ", ")); "
                + "comma-separated).",
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
        help: ArgumentHelp(
            "Only alerts whose events happened since this time (their event time, last seen), whenever CoreRecon "
                + "received them: 30m, 24h, 7d, or a timestamp.",
            valueName: "time"))
    var since: String?

    @Option(
        help: ArgumentHelp(
            "Only alerts whose events happened before this time (event time, last seen): 30m, 24h, 7d, or a "
                + "timestamp.",
            valueName: "time"))
    var until: String?

    @Option(
        help: ArgumentHelp(
            "Only alerts CoreRecon received (first stored) since this time, whatever their event time: 30m, 24h, "
                + "7d, or a timestamp.",
            valueName: "time"))
    var receivedSince: String?

    @Option(help: ArgumentHelp("Only alerts assigned to this user ('none' for unassigned).", valueName: "user"))
    var assignee: String?

    @Option(help: ArgumentHelp("Full-text search over titles, descriptions and observables.", valueName: "text"))
    var search: String?

    @Option(
        help: ArgumentHelp(
            "Only alerts mapped to this ATT&CK technique (T1059 includes its sub-techniques).", valueName: "id"))
    var technique: String?

    @Option(
        help: ArgumentHelp(
            "Only alerts with an open SLA clock that is breached, at-risk or paused.", valueName: "state"))
    var sla: String?

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
        try AlertQuery.parse(
            statuses: status, severity: severity, sources: source, since: since, until: until,
            receivedSince: receivedSince, assignee: assignee, search: search, technique: technique, sla: sla,
            now: now, optionPrefix: "--")
    }

    /// The filters given, as typed: `--severity high --since 24h`.
    var applied: [String] {
        func quoted(_ value: String) -> String { value.contains(" ") ? "'\(value)'" : value }
        let options: [(String, String?)] = [
            ("--status", status.isEmpty ? nil : status.joined(separator: ",")), ("--severity", severity),
            ("--source", source.isEmpty ? nil : source.joined(separator: ",")), ("--since", since),
            ("--until", until), ("--received-since", receivedSince), ("--assignee", assignee), ("--search", search),
            ("--technique", technique), ("--sla", sla),
        ]
        return options.compactMap { option, value in value.map { "\(option) \(quoted($0))" } }
    }

    /// What `alert list` says on stderr when nothing matched: the filters, and which time --since compares.
    var emptyMessage: String {
        guard !applied.isEmpty else { return "No alerts." }
        var message = "No alerts match \(applied.joined(separator: " "))."
        if since != nil || until != nil {
            message +=
                " --since and --until compare when the events happened (last seen); --received-since compares "
                + "when CoreRecon received the alerts."
        }
        return message
    }

    static func isTechniqueID(_ text: String) -> Bool { AlertQuery.isTechniqueID(text) }

    static func parseWhere(_ text: String, now: Date) throws(CoreReconError) -> AlertQuery {
        try AlertQuery.parseWhere(text, now: now)
    }
}
