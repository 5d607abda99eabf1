import ArgumentParser
import CoreRecon
import CoreReconStore
import Foundation

/// `corerecon incident`: incident response from creation to the post-incident report.
struct IncidentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incident",
        abstract: "Create and work incidents through the NIST lifecycle.",
        discussion: """
            Incidents have ids like IR-2026-0001 (numbered per year); every command also takes IR-0001 for this \
            year. States follow NIST SP 800-61: new → triage → investigating → contained → eradicated → recovered \
            → closed. Forward skips are allowed, a later stage may go back to investigating, `close` needs a \
            resolution and a summary, and `reopen` brings a closed incident back to investigating.

            Every change is recorded with its actor (--as, else CORERECON_USER, else the login name) in the \
            field-level history (`incident history`) and, for what investigators follow, on the timeline.
            """,
        subcommands: [
            Create.self, List.self, Show.self, Status.self, Assign.self, Update.self, Close.self, Reopen.self,
            Map.self, ObservableCommand.self, EvidenceCommand.self, TimelineCommand.self, TaskCommand.self,
            History.self, Metrics.self, Report.self, Watch.self, Purge.self,
        ]
    )
}

/// `--as USER` for commands that change something.
struct ActorOption: ParsableArguments {
    @Option(
        name: .customLong("as"),
        help: ArgumentHelp("Act as this user (default: CORERECON_USER, else the login name).", valueName: "user"))
    var actor: String?

    var name: String { Actor.resolve(actor) }
}

extension ServiceCommand {
    /// Parses an incident id argument (`IR-2026-0001` or `IR-0001`).
    func incidentKey(_ text: String, _ services: AppServices) throws -> IncidentKey {
        try services.incidents.key(text)
    }

    /// The same, on either side: `IR-0001` is this year's (UTC) on this machine's clock.
    func incidentKey(_ text: String, _ services: any CommandServices) throws -> IncidentKey {
        try IncidentKey(parsing: text, currentYear: IncidentService.year(of: services.now()))
    }
}

/// Incident rows for tables and CSV.
enum IncidentColumns {
    static let list: [Column<Incident>] = [
        Column("id") { $0.key.description }, Column("severity") { $0.severity.name },
        Column("state") { $0.state.rawValue }, Column("assignee") { $0.assignee ?? "-" },
        Column("created", time: { $0.createdAt }), Column("title") { $0.title },
    ]
}

extension IncidentCommand {
    struct Create: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract: "Create an incident, optionally from alerts.",
            discussion: """
                Without --severity the incident takes the highest severity of its alerts (medium when there are \
                none). Without --assignee it is assigned by incidents.assignment (none, round_robin or least_open \
                over incidents.analysts). With --type, the tasks of that type's playbook (incidents.taskTemplates) \
                are added. Alerts given with --from-alert are escalated: they become `escalated`, and their \
                observables and ATT&CK techniques move to the incident.
                """
        )
        @OptionGroup var global: GlobalOptions
        @OptionGroup var actor: ActorOption
        @Option(help: "What happened, in a line.") var title: String
        @Option(help: ArgumentHelp("informational, low, medium, high or critical.", valueName: "severity"))
        var severity: String?
        @Option(help: ArgumentHelp("phishing, malware, ransomware, account_compromise, ...", valueName: "type"))
        var type: String?
        @Option(help: "A longer description.") var description: String?
        @Option(help: ArgumentHelp("Assign to this analyst.", valueName: "user")) var assignee: String?
        @Option(
            name: .customLong("from-alert"),
            help: ArgumentHelp("Escalate this alert into it (repeatable).", valueName: "id"))
        var alerts: [Int64] = []

        func validate() throws {
            guard !title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw ValidationError("--title is empty: say what happened, in a line.")
            }
            if let severity, Severity(name: severity) == nil {
                throw ValidationError("--severity must be informational, low, medium, high or critical.")
            }
        }

        func run(with services: any CommandServices, output: Output) async throws {
            let incident = try await services.incidentOperations.create(
                .init(
                    title: title, severity: severity.flatMap(Severity.init(name:)), type: type,
                    description: description, assignee: assignee),
                alerts: alerts, by: try services.actor(actor.actor))
            try output.render([incident], columns: IncidentColumns.list, document: incident)
        }
    }

    struct List: RemoteCapableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List incidents, newest first.")
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("Only incidents in these states (comma-separated).", valueName: "state"))
        var status: [String] = []
        @Option(help: ArgumentHelp("Only incidents at or above this severity.", valueName: "severity"))
        var severity: String?
        @Option(help: ArgumentHelp("Only incidents assigned to this user ('none' for unassigned).", valueName: "user"))
        var assignee: String?
        @Option(help: ArgumentHelp("Only incidents created since: 24h, 30d, or a timestamp.", valueName: "time"))
        var since: String?
        @Option(help: ArgumentHelp("Only incidents created before: 24h, 30d, or a timestamp.", valueName: "time"))
        var until: String?
        @Option(help: ArgumentHelp("Only incidents of this type.", valueName: "type")) var type: String?
        @Option(
            help: ArgumentHelp(
                "Only incidents mapped to this technique (T1059 includes sub-techniques).", valueName: "id"))
        var technique: String?
        @Option(help: ArgumentHelp("Words in the title, description, summary or observables.", valueName: "text"))
        var search: String?
        @Option(help: "Most incidents to print; 0 prints all.") var limit = 50
        @Option(help: "Skip this many incidents.") var offset = 0

        func query(now: Date) throws -> IncidentQuery {
            var query = IncidentQuery()
            for name in status.flatMap({ $0.split(separator: ",") }) {
                guard let state = IncidentState(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                    throw ValidationError(
                        "'\(name)' is not a state. Use \(IncidentState.allCases.map(\.rawValue).joined(separator: ", "))."
                    )
                }
                query.states.append(state)
            }
            if let severity {
                guard let minimum = Severity(name: severity) else {
                    throw ValidationError("--severity must be informational, low, medium, high or critical.")
                }
                query.minimumSeverity = minimum
            }
            if let technique {
                guard AlertFilterOptions.isTechniqueID(technique) else {
                    throw ValidationError("'\(technique)' is not an ATT&CK technique id such as T1059 or T1059.001.")
                }
                query.technique = technique
            }
            query.assignee = assignee
            query.type = type
            query.search = search
            do {
                query.since = try since.map { text throws(CoreReconError) in
                    try TimeExpression.parse(text, now: now, option: "--since")
                }
                query.until = try until.map { text throws(CoreReconError) in
                    try TimeExpression.parse(text, now: now, option: "--until")
                }
            } catch {
                throw ValidationError("\(error)")
            }
            query.limit = limit
            query.offset = offset
            return query
        }

        func validate() throws {
            guard limit >= 0, offset >= 0 else { throw ValidationError("--limit and --offset must be 0 or more.") }
            _ = try query(now: Date())
        }

        func run(with services: any CommandServices, output: Output) async throws {
            let incidents = try await services.incidentOperations.list(try query(now: services.now()))
            try output.render(incidents, columns: IncidentColumns.list, emptyMessage: "No incidents match.")
        }
    }

    struct Show: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show an incident: alerts, observables, techniques, tasks, evidence and timeline.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The incident id (IR-2026-0001 or IR-0001).") var id: String

        func run(with services: any CommandServices, output: Output) async throws {
            let view = try await services.incidentOperations.view(try incidentKey(id, services))
            let detail = view.detail
            guard global.format.isForPeople else {
                try output.render([detail.incident], columns: IncidentColumns.list, document: detail)
                return
            }
            let incident = detail.incident
            func time(_ date: Date?) -> String { date.map(ISO8601Format.forPeople) ?? "-" }
            var pairs: [(String, String)] = [
                ("id", incident.key.description), ("title", incident.title),
                ("severity", incident.severity.name), ("state", incident.state.rawValue),
                ("type", incident.type ?? "-"), ("assignee", incident.assignee ?? "-"),
                ("created", "\(time(incident.createdAt)) by \(incident.createdBy)"),
                ("acknowledged", time(incident.acknowledgedAt)), ("investigating", time(incident.investigatingAt)),
                ("contained", time(incident.containedAt)), ("eradicated", time(incident.eradicatedAt)),
                ("recovered", time(incident.recoveredAt)), ("closed", time(incident.closedAt)),
            ]
            if let description = incident.description { pairs.insert(("description", description), at: 2) }
            if let resolution = incident.resolution { pairs.append(("resolution", resolution.rawValue)) }
            if let summary = incident.summary { pairs.append(("summary", summary)) }
            if let lessons = incident.lessons { pairs.append(("lessons", lessons)) }
            pairs += SLACommand.showLines(view.clocks, now: services.now())
            pairs.append(
                (
                    "alerts",
                    detail.alerts.isEmpty ? "-" : detail.alerts.map { "\($0.id) \($0.title)" }.joined(separator: "; ")
                ))
            pairs.append(
                (
                    "techniques",
                    AlertCommand.Show.describe(
                        detail.techniques.map(\.techniqueID),
                        names: try await services.techniqueNames(detail.techniques.map(\.techniqueID)))
                ))
            pairs.append(
                (
                    "observables",
                    detail.observables.isEmpty
                        ? "-"
                        : detail.observables.map { "\($0.type.rawValue):\($0.value)\($0.isIOC ? " (IOC)" : "")" }
                            .joined(separator: ", ")
                ))
            pairs.append(
                (
                    "tasks",
                    detail.tasks.isEmpty
                        ? "-"
                        : (["\(detail.tasks.filter { $0.state == .done }.count)/\(detail.tasks.count) done"]
                            + detail.tasks.filter { $0.state == .open || $0.state == .inProgress }
                            .map { "\($0.number) \($0.title) (\($0.state.rawValue))" }).joined(separator: "; ")
                ))
            pairs.append(
                (
                    "evidence",
                    detail.evidence.isEmpty
                        ? "-"
                        : detail.evidence.map { "\($0.id) \($0.fileName) (sha256 \($0.sha256.prefix(12))…)" }
                            .joined(separator: "; ")
                ))
            try output.renderKeyValues(pairs)
            if !detail.timeline.isEmpty && !global.quiet {
                // Through the same unbuffered handle as the tables, so the blank line lands between them.
                FileHandle.standardOutput.write(Data("\n".utf8))
                try output.render(detail.timeline, columns: TimelineCommand.columns)
            }
        }
    }

    struct Status: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Move an incident to another state (triage, investigating, contained, eradicated, recovered).")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var actor: ActorOption
        @Argument(help: "The incident id.") var id: String
        @Argument(help: "The new state.") var state: String
        @Option(name: [.short, .customLong("message")], help: "A note for the timeline.") var message: String?

        func validate() throws {
            guard IncidentState(rawValue: state) != nil else {
                throw ValidationError(
                    "'\(state)' is not a state. Use \(IncidentState.allCases.map(\.rawValue).joined(separator: ", "))."
                )
            }
        }

        func run(with services: any CommandServices, output: Output) async throws {
            guard let target = IncidentState(rawValue: state) else { throw ExitCode.validationFailure }
            let key = try incidentKey(id, services)
            let incident = try await services.incidentOperations.move(
                key, to: target, message: message, by: try services.actor(actor.actor))
            try output.render([incident], columns: IncidentColumns.list, document: incident)
        }
    }

    struct Assign: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "assign", abstract: "Assign an incident ('none' unassigns).")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var actor: ActorOption
        @Argument(help: "The incident id.") var id: String
        @Option(help: ArgumentHelp("The analyst.", valueName: "user")) var to: String

        func run(with services: any CommandServices, output: Output) async throws {
            let incident = try await services.incidentOperations.assign(
                try incidentKey(id, services), to: to, by: try services.actor(actor.actor))
            try output.render([incident], columns: IncidentColumns.list, document: incident)
        }
    }

    struct Update: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "update",
            abstract: "Change an incident's title, severity, type or description.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var actor: ActorOption
        @Argument(help: "The incident id.") var id: String
        @Option(help: "New title.") var title: String?
        @Option(help: ArgumentHelp("New severity.", valueName: "severity")) var severity: String?
        @Option(help: ArgumentHelp("New type.", valueName: "type")) var type: String?
        @Option(help: "New description.") var description: String?

        func validate() throws {
            if let severity, Severity(name: severity) == nil {
                throw ValidationError("--severity must be informational, low, medium, high or critical.")
            }
            guard title != nil || severity != nil || type != nil || description != nil else {
                throw ValidationError("Give at least one of --title, --severity, --type, --description.")
            }
        }

        func run(with services: any CommandServices, output: Output) async throws {
            let incident = try await services.incidentOperations.update(
                try incidentKey(id, services), title: title, severity: severity.flatMap(Severity.init(name:)),
                type: type, description: description, by: try services.actor(actor.actor))
            try output.render([incident], columns: IncidentColumns.list, document: incident)
        }
    }

    struct Close: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "close",
            abstract: "Close an incident with a resolution and summary; its escalated alerts close with it.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var actor: ActorOption
        @Argument(help: "The incident id.") var id: String
        @Option(
            help: ArgumentHelp(
                "\(IncidentResolution.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "resolution"))
        var resolution: String
        @Option(help: "What happened and what was done, in a few sentences.") var summary: String
        @Option(help: "Lessons learned.") var lessons: String?

        func validate() throws {
            guard IncidentResolution(rawValue: resolution) != nil else {
                throw ValidationError(
                    "--resolution must be one of \(IncidentResolution.allCases.map(\.rawValue).joined(separator: ", "))."
                )
            }
        }

        func run(with services: any CommandServices, output: Output) async throws {
            guard let resolution = IncidentResolution(rawValue: resolution) else { throw ExitCode.validationFailure }
            let incident = try await services.incidentOperations.close(
                try incidentKey(id, services), resolution: resolution, summary: summary,
                lessons: lessons, by: try services.actor(actor.actor))
            try output.render([incident], columns: IncidentColumns.list, document: incident)
        }
    }

    struct Reopen: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reopen", abstract: "Reopen a closed incident (back to investigating).")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var actor: ActorOption
        @Argument(help: "The incident id.") var id: String
        @Option(name: [.short, .customLong("message")], help: "Why it is reopened.") var message: String?

        func run(with services: any CommandServices, output: Output) async throws {
            let incident = try await services.incidentOperations.reopen(
                try incidentKey(id, services), message: message, by: try services.actor(actor.actor))
            try output.render([incident], columns: IncidentColumns.list, document: incident)
        }
    }

    struct Map: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "map",
            abstract: "Map an incident to an ATT&CK technique (validated against the catalog).")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var actor: ActorOption
        @Argument(help: "The incident id.") var id: String
        @Argument(help: "The technique id (T1566.001).") var technique: String
        @Option(help: ArgumentHelp("The tactic it served (short name, e.g. initial-access).", valueName: "tactic"))
        var tactic: String?

        func run(with services: any CommandServices, output: Output) async throws {
            let key = try incidentKey(id, services)
            let (added, techniques) = try await services.incidentOperations.map(
                key, technique: technique, tactic: tactic, by: try services.actor(actor.actor))
            if !added { notice("\(key) is already mapped to \(technique.uppercased()).") }
            try output.render(techniques, columns: TechniqueColumns.list)
        }
    }

    struct History: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "history", abstract: "Every change to an incident, oldest first.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The incident id.") var id: String

        func run(with services: any CommandServices, output: Output) async throws {
            let entries = try await services.incidentOperations.history(try incidentKey(id, services))
            try output.render(
                entries,
                columns: [
                    Column("at", time: { $0.at }), Column("actor") { $0.actor },
                    Column("action") { $0.action }, Column("field") { $0.field ?? "-" },
                    Column("old") { $0.oldValue ?? "-" }, Column("new") { $0.newValue ?? "-" },
                ])
        }
    }

    struct Metrics: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "metrics",
            abstract: "Counts and response times of incidents created in a period.",
            discussion: """
                Counts by state, severity, type, resolution and technique; mean, median and p90 of time to \
                acknowledge (created → first move out of new), time to investigate (created → investigating) \
                and time to resolve (created → closed), overall and per severity. --format json for dashboards.
                """)
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("Incidents created since: 30d, 24h, or a timestamp.", valueName: "time"))
        var since = "30d"
        @Option(help: ArgumentHelp("Incidents created before: a duration back or a timestamp.", valueName: "time"))
        var until: String?

        func run(with services: any CommandServices, output: Output) async throws {
            let now = services.now()
            let start = try TimeExpression.parse(since, now: now, option: "--since")
            let end =
                try until.map { text throws(CoreReconError) in
                    try TimeExpression.parse(text, now: now, option: "--until")
                } ?? now
            let metrics = try await services.incidentOperations.metrics(since: start, until: end)
            guard global.format.isForPeople else {
                let rows = Self.rows(metrics)
                try output.render(rows, columns: Self.columns, document: metrics)
                return
            }
            try output.render(
                Self.rows(metrics), columns: Self.columns,
                document: metrics,
                summary: [
                    "period": "\(ISO8601Format.forPeople(start)) – \(ISO8601Format.forPeople(end))",
                    "incidents": "\(metrics.total)",
                    "by state": Self.counts(metrics.byState),
                    "by severity": Self.counts(metrics.bySeverity),
                    "by type": Self.counts(metrics.byType),
                    "by technique": Self.counts(metrics.byTechnique, limit: 10),
                ],
                emptyMessage: "No incidents in the period.")
        }

        struct Row: Encodable {
            var group: String
            var measure: String
            var count: Int
            var mean: Double?
            var median: Double?
            var p90: Double?
        }

        static let columns: [Column<Row>] = [
            Column("group") { $0.group }, Column("measure") { $0.measure }, Column("n") { "\($0.count)" },
            Column("mean") { IncidentReport.duration($0.mean) },
            Column("median") { IncidentReport.duration($0.median) },
            Column("p90") { IncidentReport.duration($0.p90) },
        ]

        static func rows(_ metrics: IncidentMetrics) -> [Row] {
            guard metrics.total > 0 else { return [] }
            var groups = [("all", metrics.responseTimes)]
            for severity in Severity.allCases.reversed() {
                if let times = metrics.responseTimesBySeverity[severity.name] { groups.append((severity.name, times)) }
            }
            return groups.flatMap { name, times in
                [
                    ("time to acknowledge", times.timeToAcknowledge), ("time to investigate", times.timeToInvestigate),
                    ("time to resolve", times.timeToResolve),
                ].map { measure, stats in
                    Row(
                        group: name, measure: measure, count: stats.count, mean: stats.meanSeconds,
                        median: stats.medianSeconds, p90: stats.p90Seconds)
                }
            }
        }

        static func counts(_ counts: [String: Int], limit: Int = .max) -> String {
            guard !counts.isEmpty else { return "-" }
            return counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(limit)
                .map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        }
    }

    struct Report: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report",
            abstract: "The post-incident report, as Markdown (default, or --format md) or JSON.",
            discussion: """
                Summary, metrics, timeline, alerts, observables, ATT&CK techniques with names, tasks, evidence \
                hashes and lessons learned.
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The incident id.") var id: String
        @Option(help: ArgumentHelp("Write the report to this file instead of stdout.", valueName: "path"))
        var out: String?

        func run(with services: any CommandServices, output: Output) async throws {
            let detail = try await services.incidentOperations.view(try incidentKey(id, services)).detail
            let names = try await services.techniqueNames(detail.techniques.map(\.techniqueID))
            let report = IncidentReport(detail: detail, generatedAt: services.now()) { names[$0] }
            let data: Data
            switch global.format {
            case .json, .ndjson: data = try Output.prettyEncoder.encode(report) + Data("\n".utf8)
            case .table, .markdown: data = Data(report.markdown.utf8)
            case .csv:
                throw CoreReconError.invalidInput(location: "--format", reason: "a report is md or json, not csv.")
            }
            guard let out else {
                FileHandle.standardOutput.write(data)
                return
            }
            do {
                try data.write(to: URL(fileURLWithPath: out), options: .atomic)
            } catch {
                throw CoreReconError.failed("cannot write \(out): \(error.localizedDescription)")
            }
            notice("Wrote \(out).")
        }
    }
}

enum TechniqueColumns {
    static let list: [Column<IncidentTechnique>] = [
        Column("technique") { $0.techniqueID },
        Column("name") { ATTACKCatalog.embedded.technique($0.techniqueID)?.name ?? "-" },
        Column("tactic") { $0.tactic ?? "-" }, Column("origin") { $0.origin },
    ]
}
