import ArgumentParser
import CoreRecon
import CoreReconStore
import Foundation

extension SLATarget: ExpressibleByArgument {}
extension SLAReportGrouping: ExpressibleByArgument {}

/// `corerecon sla`: SLA clocks on alerts and incidents.
struct SLACommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sla",
        abstract: "SLA clocks: status, the sweep for cron, reports, pause and resume.",
        discussion: """
            Policies in the config file (sla.policies) set goals per target (alert, incident) and severity, \
            optionally per alert source or incident type: acknowledge, resolve, and for incidents contain. Goals \
            count working time of the policy's calendar (sla.calendars: time zone, days, hours, holidays), or \
            every hour with calendar: 24x7. A clock starts when the alert or incident is created (a reopening starts \
            a new one) and stops when its state is reached; it is at risk past 80 % of its goal (sla.atRisk), \
            breached past its deadline.

            `sla sweep` (for cron) and `serve` (every sla.interval, default 30s) record each new at-risk and breach \
            once, even when several run at the same moment, run the policy's breach actions (raise severity, \
            reassign, escalate) and send notifications.
            """,
        subcommands: [Status.self, Sweep.self, Report.self, Pause.self, Resume.self, Policy.self]
    )

    /// Prints clocks as `sla status` lists them.
    static func render(_ clocks: [SLAClock], now: Date, output: Output, emptyMessage: String? = "Nothing to list.")
        throws
    {
        try output.render(
            clocks.map { ClockRow(clock: $0, now: now) }, columns: clockColumns(now: now), emptyMessage: emptyMessage)
    }

    /// The columns of a clock listing.
    static func clockColumns(now: Date) -> [Column<ClockRow>] {
        [
            Column("target") { $0.ref }, Column("metric") { $0.metric }, Column("state") { $0.state },
            Column("left") { $0.left }, Column("deadline", time: { $0.clock.deadline }),
            Column("severity") { $0.severity ?? "-" }, Column("assignee") { $0.assignee ?? "-" },
            Column("policy", maxWidth: 24) { $0.policy }, Column("title", maxWidth: 50) { $0.title ?? "" },
        ]
    }

    /// A clock as listed: the JSON fields of the API, and cells for people.
    struct ClockRow: Encodable, Sendable {
        var clock: SLAClock
        var now: Date
        var ref: String { clock.target == .alert ? "alert \(clock.reference)" : clock.reference }
        var metric: String { clock.metric.rawValue }
        var state: String { clock.state(at: now).rawValue }
        var left: String {
            let seconds = clock.timeLeft(at: now)
            if clock.stoppedAt != nil { return "-" }
            return seconds < 0 ? "overdue \(SLAClock.describe(seconds: -seconds))" : SLAClock.describe(seconds: seconds)
        }
        var severity: String? { clock.severity?.name }
        var assignee: String? { clock.assignee }
        var policy: String { clock.policy }
        var title: String? { clock.title }

        func encode(to encoder: any Encoder) throws {
            try JSONValueEncoding(clock.jsonObject(at: now)).encode(to: encoder)
        }
    }
}

extension SLACommand {
    /// `show` lines for each clock, latest cycle of each metric: `sla acknowledge: met at ... (goal 15m, policy p)`.
    static func showLines(_ clocks: [SLAClock], now: Date) -> [(String, String)] {
        var latest: [SLAMetric: SLAClock] = [:]
        for clock in clocks where (latest[clock.metric]?.cycle ?? 0) < clock.cycle { latest[clock.metric] = clock }
        return latest.keys.sorted().compactMap { metric in
            guard let clock = latest[metric] else { return nil }
            let state = clock.state(at: now)
            var text = state.rawValue
            switch state {
            case .met,
                .breached where clock.stoppedAt != nil:
                text += " at \(ISO8601Format.forPeople(clock.stoppedAt ?? now))"
            case .paused:
                text += ", \(SLAClock.describe(seconds: clock.remaining ?? 0)) working time left"
            case .breached:
                text += ", overdue \(SLAClock.describe(seconds: -clock.timeLeft(at: now)))"
            default:
                text += ", \(SLAClock.describe(seconds: clock.timeLeft(at: now))) left"
            }
            text +=
                " (deadline \(ISO8601Format.forPeople(clock.deadline)), goal \(SLAClock.describe(seconds: clock.goal)), "
                + "policy \(clock.policy)\(clock.cycle > 1 ? ", cycle \(clock.cycle)" : ""))"
            return ("sla \(metric.rawValue)", text)
        }
    }
}

/// Encodes a ``JSONValue`` through `Encodable`, for ``Output``.
struct JSONValueEncoding: Encodable {
    let value: JSONValue
    init(_ value: JSONValue) { self.value = value }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        switch value {
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .bool(let flag):
            var container = encoder.singleValueContainer()
            try container.encode(flag)
        case .number(let digits):
            var container = encoder.singleValueContainer()
            if let integer = Int64(digits) {
                try container.encode(integer)
            } else {
                try container.encode(Double(digits) ?? 0)
            }
        case .string(let text):
            var container = encoder.singleValueContainer()
            try container.encode(text)
        case .array(let items):
            var container = encoder.unkeyedContainer()
            for item in items { try container.encode(JSONValueEncoding(item)) }
        case .object(let members):
            var container = encoder.container(keyedBy: Key.self)
            for member in members {
                try container.encode(JSONValueEncoding(member.value), forKey: Key(stringValue: member.key))
            }
        }
    }
}

extension SLACommand {
    struct Status: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "List open SLA clocks, most urgent first, with the time left or overdue.")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Only clocks past their at-risk point and not yet breached.") var atRisk = false
        @Flag(help: "Only breached clocks that are still open.") var breached = false
        @Option(
            help: ArgumentHelp("Only alerts and incidents assigned to this user (none: unassigned).", valueName: "user")
        )
        var assignee: String?
        @Option(help: "Only clocks of alerts or of incidents.") var target: SLATarget?
        @Option(help: "Most clocks to list.") var limit = 100

        func validate() throws {
            guard (1...100_000).contains(limit) else { throw ValidationError("--limit must be 1...100000.") }
        }

        func run(with services: any CommandServices, output: Output) async throws {
            var filter = SLAService.StatusFilter()
            filter.atRiskOnly = atRisk
            filter.breachedOnly = breached
            filter.assignee = assignee
            filter.target = target
            filter.limit = limit
            let clocks = try await services.slaClocks.status(filter)
            // Only an empty answer asks why: no policy at all is worth saying.
            let unconfigured = clocks.isEmpty ? try await services.slaClocks.policies().policies.isEmpty : false
            try SLACommand.render(
                clocks, now: services.now(), output: output,
                emptyMessage: unconfigured
                    ? "No open SLA clocks: no policy is configured (sla.policies in the config file)."
                    : "No open SLA clocks match.")
        }
    }

    struct Sweep: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sweep",
            abstract: "Record new at-risk and breached clocks, run breach actions, send notifications (for cron).",
            discussion: """
                Each at-risk point and breach is recorded once, however many sweeps (and servers) run at the same \
                time, so each notifies once. Prints what is new. Exit codes: 0 nothing newly breached; 3 new \
                breaches were recorded; others as every command (1 failure, 69 database unavailable, 78 \
                configuration). Notifications that cannot be delivered stay queued and are retried by the next \
                sweep, `notify flush` or `serve`.
                """)
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Show what would be recorded; record, change and send nothing.") var dryRun = false

        struct Row: Encodable {
            var kind: String
            var clock: SLACommand.ClockRow
            var record: SLARecord
            func encode(to encoder: any Encoder) throws {
                try JSONValueEncoding(record.jsonObject(at: clock.now)).encode(to: encoder)
            }
        }

        func run(with services: any CommandServices, output: Output) async throws {
            let outcome = try await services.slaClocks.sweep(dryRun: dryRun)
            let now = services.now()
            let rows = outcome.records.map {
                Row(kind: $0.kind.rawValue, clock: SLACommand.ClockRow(clock: $0.clock, now: now), record: $0)
            }
            let breaches = outcome.records.filter { $0.kind == .breached }.count
            try output.render(
                rows,
                columns: [Column("record") { $0.kind }]
                    + SLACommand.clockColumns(now: now).map { column in
                        Column(column.header, maxWidth: column.maxWidth) { column.value($0.clock) }
                    },
                emptyMessage: dryRun
                    ? "A sweep now would record nothing." : "Nothing new: no clock newly at risk or breached.")
            for action in outcome.actions { notice("\(action.reference): \(action.action)") }
            if outcome.policyChanged {
                notice("SLA policies recorded (new since the last sweep); clocks started from now on follow them.")
            }
            if outcome.queued > 0
                || outcome.delivery.delivered + outcome.delivery.retrying + outcome.delivery.failed > 0
            {
                notice(
                    "notifications: \(outcome.queued) queued, \(outcome.delivery.delivered) delivered, "
                        + "\(outcome.delivery.retrying + outcome.delivery.deferred) to retry, "
                        + "\(outcome.delivery.failed) failed")
            }
            if breaches > 0 && !dryRun { throw ExitCode(3) }
        }
    }

    struct Report: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report",
            abstract: "Met share, breaches and times to acknowledge, contain and resolve, by group.",
            discussion: """
                Over the clocks started since --since. `breached` counts clocks stopped after their deadline and \
                open ones past it; `met %` is met / (met + breached); times are wall-clock, start to stop, of \
                the stopped clocks. --format md gives a Markdown table for a monthly report.
                """)
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("Clocks started since: 30d, 12h, or a timestamp.", valueName: "time"))
        var since = "30d"
        @Option(help: "Group by severity, assignee, source (alerts) or type (incidents).")
        var by: SLAReportGrouping = .severity

        func run(with services: any CommandServices, output: Output) async throws {
            let start = try TimeExpression.parse(since, now: services.now(), option: "--since")
            let rows = try await services.slaClocks.report(since: start, by: by)
            @Sendable func time(_ seconds: Double?) -> String { seconds.map { SLAClock.describe(seconds: $0) } ?? "-" }
            try output.render(
                rows,
                columns: [
                    Column("target") { $0.target }, Column(by.rawValue, maxWidth: 30) { $0.group },
                    Column("metric") { $0.metric }, Column("clocks") { "\($0.clocks)" }, Column("met") { "\($0.met)" },
                    Column("breached") { "\($0.breached)" }, Column("open") { "\($0.open)" },
                    Column("met %") { row in row.metShare.map { String(format: "%.1f", $0 * 100) } ?? "-" },
                    Column("mean") { time($0.meanSeconds) }, Column("median") { time($0.medianSeconds) },
                    Column("p90") { time($0.p90Seconds) },
                ], emptyMessage: "No SLA clock started since \(ISO8601Format.forPeople(start)).")
        }
    }

    struct Pause: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pause",
            abstract: "Pause the running SLA clocks of an alert or incident; paused time does not count.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("An alert id (42) or incident (IR-2026-0007).", valueName: "id")) var reference:
            String
        @Option(help: "Why (recorded in the history).") var reason: String
        @OptionGroup var actor: ActorOption

        func run(with services: any CommandServices, output: Output) async throws {
            try SLACommand.render(
                try await services.slaClocks.pause(reference, reason: reason, by: try services.actor(actor.actor)),
                now: services.now(), output: output)
        }
    }

    struct Resume: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "resume",
            abstract: "Resume paused SLA clocks: each continues with the working time it had left.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("An alert id (42) or incident (IR-2026-0007).", valueName: "id")) var reference:
            String
        @Option(help: "Why (recorded in the history).") var reason: String?
        @OptionGroup var actor: ActorOption

        func run(with services: any CommandServices, output: Output) async throws {
            try SLACommand.render(
                try await services.slaClocks.resume(reference, reason: reason, by: try services.actor(actor.actor)),
                now: services.now(), output: output)
        }
    }

    struct Policy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "policy",
            abstract: "The SLA policies and calendars in force.", subcommands: [List.self, Show.self])

        struct List: RemoteCapableCommand {
            static let configuration = CommandConfiguration(
                commandName: "list", abstract: "List the SLA policies, first match first.")
            @OptionGroup var global: GlobalOptions

            func run(with services: any CommandServices, output: Output) async throws {
                @Sendable func goal(_ row: SLAPolicySummary, _ metric: SLAMetric) -> String {
                    row.goals[metric.rawValue].map { SLAClock.describe(seconds: Double($0)) } ?? "-"
                }
                try output.render(
                    try await services.slaClocks.policies().policies,
                    columns: [
                        Column("name") { $0.name }, Column("target") { $0.target },
                        Column("severity") { $0.severities.isEmpty ? "any" : $0.severities.joined(separator: ",") },
                        Column("source/type") {
                            ($0.sources + $0.types).isEmpty ? "any" : ($0.sources + $0.types).joined(separator: ",")
                        },
                        Column("acknowledge") { goal($0, .acknowledge) }, Column("contain") { goal($0, .contain) },
                        Column("resolve") { goal($0, .resolve) }, Column("calendar") { $0.calendar },
                        Column("on breach", maxWidth: 40) { $0.onBreach },
                    ], emptyMessage: "No SLA policies; define them under sla.policies in the config file.")
            }
        }

        struct Show: RemoteCapableCommand {
            static let configuration = CommandConfiguration(
                commandName: "show",
                abstract: "Show one policy, its calendar, and when the policy set last changed.")
            @OptionGroup var global: GlobalOptions
            @Argument(help: "The policy name.") var name: String

            func run(with services: any CommandServices, output: Output) async throws {
                let (policies, recordedAt) = try await services.slaClocks.policies()
                guard let row = policies.first(where: { $0.name == name }) else {
                    throw CoreReconError.notFound(kind: "SLA policy", id: name)
                }
                if !global.format.isForPeople {
                    output.writeJSON(row)
                    return
                }
                var lines: [(String, String)] = [("name", row.name), ("target", row.target)]
                lines.append(("severity", row.severities.isEmpty ? "any" : row.severities.joined(separator: ", ")))
                if !row.sources.isEmpty { lines.append(("source", row.sources.joined(separator: ", "))) }
                if !row.types.isEmpty { lines.append(("type", row.types.joined(separator: ", "))) }
                for metric in SLAMetric.allCases {
                    guard let goal = row.goals[metric.rawValue] else { continue }
                    lines.append((metric.rawValue, SLAClock.describe(seconds: Double(goal))))
                }
                lines.append(("calendar", row.calendar == "24x7" ? "24x7" : "\(row.calendar): \(row.calendarHours)"))
                lines.append(("at risk", "\(Int((row.atRisk * 100).rounded())) %"))
                lines.append(("on breach", row.onBreach))
                if let recordedAt { lines.append(("policies recorded", ISO8601Format.forPeople(recordedAt))) }
                try output.renderKeyValues(lines)
            }
        }
    }
}
