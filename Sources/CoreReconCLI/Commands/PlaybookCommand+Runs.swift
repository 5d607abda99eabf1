import ArgumentParser
import CoreRecon
import CoreReconStore
import Foundation

extension PlaybookCommand {
    /// `playbook run NAME`, and `playbook run show|cancel|retry RUN_ID`.
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Run a playbook now, or show, cancel or retry a run.",
            subcommands: [Start.self, ShowRun.self, Cancel.self, Retry.self],
            defaultSubcommand: Start.self)
    }

    struct Start: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "start",
            abstract: "Run a playbook now, about an alert or an incident, with inputs; print how the run ended.",
            discussion: """
                `playbook run NAME` is short for `playbook run start NAME`. The run is recorded with its trigger \
                `manual` and carried out here (with --queue, left to `serve` or `run-pending`); over the API the \
                server's runner carries it out and the command follows it to the end. A run that reaches a \
                `wait` step is left waiting, for the runner to resume. Exits 1 when the run failed.
                """)
        @OptionGroup var global: GlobalOptions
        @OptionGroup var actor: ActorOption
        @Argument(help: "The playbook's name.") var name: String
        @Option(help: ArgumentHelp("The alert the run is about.", valueName: "id")) var alert: Int64?
        @Option(help: ArgumentHelp("The incident the run is about.", valueName: "key")) var incident: String?
        @Option(help: ArgumentHelp("An input (repeatable); JSON values keep their type.", valueName: "name=value"))
        var input: [String] = []
        @Flag(help: "Only queue the run, for the runner of `serve` or `run-pending`.") var queue = false

        func validate() throws {
            guard alert == nil || incident == nil else {
                throw ValidationError("Give --alert or --incident, not both.")
            }
        }

        func run(with services: any CommandServices, output: Output) async throws {
            let target: PlaybookService.Target? = alert.map { .alert($0) } ?? incident.map { .incident($0) }
            let (run, steps) = try await services.playbookOperations.start(
                name, target: target, inputs: try PlaybookCommand.inputs(input),
                actor: try services.actor(actor.actor), queue: queue)
            try PlaybookCommand.printRun(run, steps: steps, global: global, output: output)
            if run.status == .failed { throw ExitCode(1) }
        }
    }

    struct ShowRun: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Show a run: each step's inputs, outputs, timing and error.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The run's id.") var id: Int64

        func run(with services: any CommandServices, output: Output) async throws {
            let (run, steps) = try await services.playbookOperations.run(id)
            try PlaybookCommand.printRun(run, steps: steps, global: global, output: output)
        }
    }

    struct Cancel: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cancel",
            abstract: "Cancel a run that has not finished; it stops before its next step.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var actor: ActorOption
        @Argument(help: "The run's id.") var id: Int64

        func run(with services: any CommandServices, output: Output) async throws {
            let run = try await services.playbookOperations.cancel(id, actor: try services.actor(actor.actor))
            notice("run \(run.id) cancelled")
        }
    }

    struct Retry: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "retry",
            abstract: "Run a failed or cancelled run again from the step that did not finish.",
            discussion: """
                Steps that succeeded are not repeated. The run is carried out here (over the API, by the server's \
                runner, and followed to the end) unless --queue.
                """)
        @OptionGroup var global: GlobalOptions
        @OptionGroup var actor: ActorOption
        @Argument(help: "The run's id.") var id: Int64
        @Flag(help: "Only queue it again, for the runner.") var queue = false

        func run(with services: any CommandServices, output: Output) async throws {
            let (run, steps) = try await services.playbookOperations.retry(
                id, actor: try services.actor(actor.actor), queue: queue)
            try PlaybookCommand.printRun(run, steps: steps, global: global, output: output)
            if run.status == .failed { throw ExitCode(1) }
        }
    }

    struct Runs: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "runs", abstract: "List playbook runs, newest first.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Only this playbook's.") var playbook: String?
        @Option(help: "Only runs in this status: queued, running, waiting, succeeded, failed, cancelled, joined.")
        var status: String?
        @Option(help: ArgumentHelp("Only runs about this alert.", valueName: "id")) var alert: Int64?
        @Option(help: ArgumentHelp("Only runs about this incident.", valueName: "key")) var incident: String?
        @Option(help: "Most runs to list.") var limit = 50

        func validate() throws {
            if let status, PlaybookRun.Status(rawValue: status) == nil {
                throw ValidationError(
                    "--status must be one of \(PlaybookRun.Status.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be 1...10000.") }
            guard alert == nil || incident == nil else {
                throw ValidationError("Give --alert or --incident, not both.")
            }
        }

        func run(with services: any CommandServices, output: Output) async throws {
            let target: PlaybookService.Target? = alert.map { .alert($0) } ?? incident.map { .incident($0) }
            let runs = try await services.playbookOperations.runs(
                playbook: playbook, status: status.flatMap(PlaybookRun.Status.init(rawValue:)), target: target,
                limit: limit)
            if global.format.isForPeople {
                try output.render(
                    runs.map { RunRow($0) },
                    columns: [
                        Column("id") { "\($0.id)" }, Column("playbook") { $0.playbook },
                        Column("trigger") { $0.trigger },
                        Column("target") { $0.target ?? "-" }, Column("status") { $0.status },
                        Column("created", time: { $0.createdAt }), Column("error", maxWidth: 60) { $0.error ?? "-" },
                    ], emptyMessage: "No playbook runs.")
            } else {
                try output.render(
                    runs.map { RunRow($0) },
                    columns: [
                        Column("id") { "\($0.id)" }, Column("playbook") { $0.playbook },
                        Column("trigger") { $0.trigger },
                        Column("target") { $0.target ?? "" }, Column("status") { $0.status },
                        Column("error") { $0.error ?? "" },
                    ], emptyMessage: nil)
            }
        }
    }

    /// A run as listed.
    struct RunRow: Encodable {
        var id: Int64
        var playbook: String
        var trigger: String
        var eventId: Int64?
        var target: String?
        var status: String
        var actor: String
        var error: String?
        var createdAt: Date
        var finishedAt: Date?

        init(_ run: PlaybookRun) {
            id = run.id
            playbook = run.playbook
            trigger = run.trigger
            eventId = run.eventID
            target = run.targetType.flatMap { type in run.targetID.map { "\(type) \($0)" } }
            status = run.status.rawValue
            actor = run.actor
            error = run.error
            createdAt = run.createdAt
            finishedAt = run.finishedAt
        }
    }

    static func printRun(_ run: PlaybookRun, steps: [PlaybookStepRecord], global: GlobalOptions, output: Output) throws
    {
        guard global.format.isForPeople else {
            var json = run.json
            if case .object(var members) = json {
                members.append(JSONMember("steps", .array(steps.map(\.json))))
                json = .object(members)
            }
            output.writeJSON(JSONValueEncoding(json))
            return
        }
        var pairs: [(String, String)] = [
            ("run", "\(run.id)"), ("playbook", run.playbook), ("status", run.status.rawValue),
            ("trigger", run.trigger + (run.eventID.map { " (event \($0))" } ?? "")),
            ("target", run.targetType.flatMap { type in run.targetID.map { "\(type) \($0)" } } ?? "-"),
            ("actor", run.actor), ("created", ISO8601Format.forPeople(run.createdAt)),
        ]
        if let error = run.error { pairs.append(("error", error)) }
        if let wake = run.wakeAt { pairs.append(("resumes", ISO8601Format.forPeople(wake))) }
        if let joined = run.joinedRun { pairs.append(("joined run", "\(joined)")) }
        for step in steps where step.iteration == -1 || step.status == .failed {
            let time =
                step.startedAt.flatMap { start in
                    step.finishedAt.map { " \(Int($0.timeIntervalSince(start) * 1_000)) ms" }
                } ?? ""
            let label = step.iteration >= 0 ? "\(step.stepID)[\(step.iteration)]" : step.stepID
            var line = "\(step.action): \(step.status.rawValue)\(time)"
            if step.attempts > 1 { line += " after \(step.attempts) attempts" }
            if let error = step.error { line += " — \(error)" }
            if let outputs = step.outputs, step.status == .succeeded {
                line += " → " + String(outputs.jsonString.prefix(200))
            }
            pairs.append(("step \(label)", line))
        }
        try output.renderKeyValues(pairs)
    }
}
