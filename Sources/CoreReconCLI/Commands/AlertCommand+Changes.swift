import ArgumentParser
import CoreRecon
import CoreReconStore
import Foundation

/// Which alerts a change applies to, who makes it, and whether to only preview it.
struct AlertTargetOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("Alert ids, or `-` to read ids from stdin (one per line).", valueName: "id"))
    var ids: [String] = []

    @Option(
        name: .customLong("where"),
        help: ArgumentHelp(
            "Change every alert matching these filters: key=value pairs as in `alert list` (status, severity, source, since, until, received-since, assignee, search, technique).",
            valueName: "filters"))
    var filter: String?

    @Flag(help: "Say what would change, and change nothing.")
    var dryRun = false

    @Option(
        name: .customLong("as"),
        help: ArgumentHelp("Act as this user (default: CORERECON_USER, else the login name).", valueName: "user"))
    var actor: String?

    func validate() throws {
        guard ids.isEmpty != (filter == nil) else {
            throw ValidationError("Name the alerts by id, with `-` for ids on stdin, or with --where; not both.")
        }
    }

    /// The ids to change, in the order given (or newest first for --where).
    func resolve(using services: any CommandServices) async throws -> [Alert.ID] {
        if let filter {
            var query = try AlertFilterOptions.parseWhere(filter, now: services.now())
            query.limit = 1_000
            var ids: [Alert.ID] = []
            while true {
                let page = try await services.triage.list(query)
                ids += page.alerts.map(\.id)
                guard let next = page.nextCursor else { break }
                query.cursor = next
            }
            return ids
        }
        var texts = ids.filter { $0 != "-" }
        if ids.contains("-") {
            while let line = readLine() {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if !trimmed.isEmpty { texts.append(trimmed) }
            }
        }
        return try texts.map { text in
            guard let id = Int64(text), id > 0 else {
                throw CoreReconError.invalidInput(
                    location: "alert id", reason: "'\(text)' is not an alert id (a positive number).")
            }
            return id
        }
    }
}

/// A command that applies one ``AlertService/Change`` to each target alert.
protocol AlertChangeCommand: RemoteCapableCommand {
    var targets: AlertTargetOptions { get }
    func change() throws -> AlertService.Change
}

/// One alert's result, as printed.
struct AlertChangeResult: Encodable {
    var id: Int64
    var ok: Bool
    var status: String?
    var assignee: String?
    var previousStatus: String?
    var error: String?
}

extension AlertChangeCommand {
    func run(with services: any CommandServices, output: Output) async throws {
        let change = try change()
        let actor = try services.actor(targets.actor)
        let ids = try await targets.resolve(using: services)
        if ids.isEmpty {
            notice("No alerts to change.")
            return
        }
        let outcomes =
            targets.dryRun
            ? try await services.triage.preview(change, to: ids, by: actor, at: services.now())
            : try await services.triage.apply(change, to: ids, by: actor)
        let results = outcomes.map { outcome in
            AlertChangeResult(
                id: outcome.id, ok: outcome.error == nil, status: outcome.status?.rawValue,
                assignee: outcome.assignee, previousStatus: outcome.previousStatus?.rawValue,
                error: outcome.error.map { "\($0)" })
        }
        if global.format.isForPeople {
            for error in outcomes.compactMap(\.error) { Terminal.printError("error: \(error)") }
        }
        let prefix = targets.dryRun ? "would change " : ""
        try output.render(
            results.filter { $0.ok || !global.format.isForPeople },
            columns: [
                Column("alert") { "\(prefix)\($0.id)" },
                Column("status") { result in
                    guard let status = result.status else { return "-" }
                    return result.previousStatus == status ? status : "\(result.previousStatus ?? "?") → \(status)"
                },
                Column("assignee") { $0.assignee ?? "-" },
            ],
            emptyMessage: "No alert changed."
        )
        if results.contains(where: { !$0.ok }) { throw ExitCode(1) }
    }
}

extension AlertCommand {
    struct Ack: AlertChangeCommand {
        static let configuration = CommandConfiguration(
            commandName: "ack", abstract: "Acknowledge alerts (new → acknowledged).")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var targets: AlertTargetOptions
        func change() -> AlertService.Change { .acknowledge }
    }

    struct Assign: AlertChangeCommand {
        static let configuration = CommandConfiguration(
            commandName: "assign",
            abstract: "Assign alerts to an analyst (new or acknowledged alerts move to in_progress)."
        )
        @OptionGroup var global: GlobalOptions
        @OptionGroup var targets: AlertTargetOptions
        @Option(help: ArgumentHelp("The analyst to assign.", valueName: "user")) var to: String
        func change() -> AlertService.Change { .assign(to: to) }
    }

    struct Comment: AlertChangeCommand {
        static let configuration = CommandConfiguration(
            commandName: "comment", abstract: "Add a comment to alerts' history.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var targets: AlertTargetOptions
        @Option(name: [.short, .customLong("message")], help: "The comment.") var message: String
        func change() -> AlertService.Change { .comment(message) }
    }

    struct Close: AlertChangeCommand {
        static let configuration = CommandConfiguration(commandName: "close", abstract: "Close alerts with a reason.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var targets: AlertTargetOptions
        @Option(
            help: ArgumentHelp(
                "Why: false_positive, true_positive, benign_positive, duplicate or other.", valueName: "reason"))
        var reason: String
        @Option(name: [.short, .customLong("message")], help: "A note kept with the closing.") var message: String?

        func change() throws -> AlertService.Change {
            guard let reason = CloseReason(rawValue: reason.replacingOccurrences(of: "-", with: "_")) else {
                throw ValidationError(
                    "--reason must be one of \(CloseReason.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            return .close(reason: reason, message: message)
        }

        func validate() throws { _ = try change() }
    }

    struct Reopen: AlertChangeCommand {
        static let configuration = CommandConfiguration(
            commandName: "reopen", abstract: "Reopen closed alerts (closed → in_progress).")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var targets: AlertTargetOptions
        @Option(name: [.short, .customLong("message")], help: "Why it is reopened.") var message: String?
        func change() -> AlertService.Change { .reopen(message: message) }
    }
}

extension AlertCommand {
    struct Escalate: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "escalate",
            abstract: "Escalate alerts to an incident: a new one, or an existing one with --to.",
            discussion: """
                Escalated alerts get status `escalated`, link to the incident, and their observables and ATT&CK \
                techniques move to it. A new incident is titled after the first alert (or --title) and takes the \
                highest severity of the alerts (or --severity). Closing the incident closes its alerts.
                """
        )
        @OptionGroup var global: GlobalOptions
        @OptionGroup var targets: AlertTargetOptions
        @Option(help: ArgumentHelp("Add the alerts to this incident (IR-2026-0001 or IR-0001).", valueName: "incident"))
        var to: String?
        @Option(help: "Title of the new incident (default: the first alert's title).") var title: String?
        @Option(help: ArgumentHelp("Severity of the new incident.", valueName: "severity")) var severity: String?

        func validate() throws {
            if let severity, Severity(name: severity) == nil {
                throw ValidationError("--severity must be informational, low, medium, high or critical.")
            }
            if to != nil && (title != nil || severity != nil) {
                throw ValidationError("--title and --severity are for a new incident; drop them with --to.")
            }
        }

        func run(with services: any CommandServices, output: Output) async throws {
            let ids = try await targets.resolve(using: services)
            guard !ids.isEmpty else {
                notice("No alerts to escalate.")
                return
            }
            // IR-0001 is this year's: the full key, worked out here, is what both sides are told.
            let key = try to.map { try IncidentKey(parsing: $0, currentYear: IncidentService.year(of: services.now())) }
            if targets.dryRun {
                notice(
                    "would escalate \(ids.count) alert(s) to \(key?.description ?? "a new incident"): "
                        + ids.map(String.init).joined(separator: ", "))
                return
            }
            let incident = try await services.escalate(
                ids, to: key?.description, title: title, severity: severity.flatMap(Severity.init(name:)),
                by: try services.actor(targets.actor))
            try output.render([incident], columns: IncidentColumns.list, document: incident)
        }
    }
}
