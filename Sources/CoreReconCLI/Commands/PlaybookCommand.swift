import ArgumentParser
import CoreRecon
import CoreReconStore
import Foundation

/// `corerecon playbook`: response playbooks: lint, test, run, and their runs.
struct PlaybookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "playbook",
        abstract: "Response playbooks: YAML files that react to events and do work, with every run on the record.",
        discussion: """
            A playbook (a *.yaml file in playbooks.path, by default playbooks/ beside the config file) names the \
            events it reacts to (on: alert.created, alert.updated, alert.ioc_matched, incident.created, \
            incident.updated, sla.at_risk, sla.breached, schedule, manual), each with an optional `if:` condition, \
            and lists steps: alert.set, alert.close, alert.comment, alert.related, alert.escalate, incident.create, \
            incident.set, incident.task.add, incident.observable.add, incident.timeline.add, incident.map, ioc.lookup, \
            ioc.add, notify, http.request, wait, playbook.call and exec. Values take ${{ expressions }}.

            `serve` runs playbooks in the background; `playbook run-pending` does the same from cron. Each event is \
            handled once per playbook, even with several runners; a run that stops mid-way resumes after its last \
            finished step. `playbook lint` checks files (exit 65 on an error), `playbook test` is a dry run.
            """,
        subcommands: [
            Lint.self, Test.self, List.self, Show.self, Enable.self, Disable.self, Run.self, Runs.self,
            RunPending.self,
        ]
    )
}

extension PlaybookCommand {
    struct Lint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lint",
            abstract: "Check playbook files: YAML, actions and inputs, expressions, step references, calls.",
            discussion: """
                Prints each problem as FILE:LINE:COLUMN: error|warning: message. Exits 65 when a file has an error, \
                0 otherwise (warnings included), so it serves in a pre-commit hook or CI. Files are checked \
                together: names must be unique and playbook.call must name one of them. Without files, checks the \
                playbooks of playbooks.path.
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(
            help: ArgumentHelp("Playbook files or directories.", valueName: "file"),
            completion: .file(extensions: ["yaml", "yml"]))
        var files: [String] = []

        func run() async throws {
            let config: AppConfig
            do {
                config = try global.loadConfig()
            } catch {
                Terminal.printError("error: \(error)")
                throw ExitCode(error.exitCode)
            }
            var paths: [String] = []
            for file in files.isEmpty ? [config.playbooksPath ?? "playbooks"] : files {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) else {
                    Terminal.printError("error: \(file): no such file or directory")
                    throw ExitCode(66)
                }
                paths += isDirectory.boolValue ? PlaybookLibrary.files(in: file) : [file]
            }
            let library = PlaybookLibrary.load(files: paths, allowExec: config.playbooksAllowExec)
            let errors = library.issues.filter { $0.level == .error }.count
            let output = global.makeOutput()
            if global.format.isForPeople {
                for issue in library.issues { print(issue.description) }
                if !global.quiet {
                    let warnings = library.issues.count - errors
                    Terminal.printError(
                        "\(paths.count) file(s): \(errors) error(s), \(warnings) warning(s)"
                            + (errors == 0 ? "; \(library.playbooks.count) playbook(s) fine" : ""))
                }
            } else {
                try output.render(
                    library.issues,
                    columns: [
                        Column("file") { $0.file }, Column("line") { "\($0.line)" },
                        Column("column") { "\($0.column)" },
                        Column("level") { $0.level.rawValue }, Column("message") { $0.message },
                    ], emptyMessage: nil)
            }
            if errors > 0 { throw ExitCode(65) }
        }
    }

    struct Test: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "test",
            abstract: "Dry-run a playbook against an event: which conditions hold, what each step would do.",
            discussion: """
                The event is a file (or - for stdin): a stream event as the API and `serve`'s WebSocket send them \
                ({"type": "alert.created", "alert": {...}}), or an alert record of any format `ingest` reads, taken \
                as the alert it would become. Or --alert ID / --incident KEY for a stored one. Read-only steps \
                (alert.related, ioc.lookup) run against the database; every other step only shows its resolved \
                inputs (http.request the request, notify the message). Nothing is written. Exits 0 when the \
                playbook would run, 1 when its trigger does not hold, 65 on an error in a step.
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(
            help: ArgumentHelp("The playbook file, or the name of a loaded playbook.", valueName: "playbook"),
            completion: .file(extensions: ["yaml", "yml"]))
        var playbook: String
        @Option(help: ArgumentHelp("An event or alert record (JSON), or - for stdin.", valueName: "file"))
        var event: String?
        @Option(help: ArgumentHelp("A stored alert, as in an alert.created event.", valueName: "id")) var alert: Int64?
        @Option(help: ArgumentHelp("A stored incident, as in an incident.created event.", valueName: "key"))
        var incident: String?
        @Option(help: ArgumentHelp("The event type, when not the default for the source.", valueName: "type"))
        var type: String?
        @Option(help: ArgumentHelp("An input, for manual playbooks (repeatable).", valueName: "name=value"))
        var input: [String] = []

        func validate() throws {
            guard [event != nil, alert != nil, incident != nil].filter({ $0 }).count <= 1 else {
                throw ValidationError("Give one of --event, --alert and --incident.")
            }
            if let type, !Playbook.triggerNames.contains(type) {
                throw ValidationError("--type must be one of \(Playbook.triggerNames.joined(separator: ", ")).")
            }
        }

        func run(with services: any CommandServices, output: Output) async throws {
            let subject: PlaybookTestRequest.Subject =
                if let event {
                    .event(text: try PlaybookCommand.read(event), file: event)
                } else if let alert {
                    .alert(alert)
                } else if let incident {
                    .incident(incident)
                } else {
                    .none
                }
            let report = try await services.playbookOperations.test(
                PlaybookTestRequest(
                    playbook: playbook, subject: subject, type: type, inputs: try PlaybookCommand.inputs(input)))
            if global.format.isForPeople {
                print("\(report.playbook) (\(report.file)) on \(report.event): \(report.reason)")
                if let key = report.concurrencyKey { print("concurrency key: \(key)") }
                for step in report.steps {
                    print("- \(step.id) [\(step.action)]: \(step.decision)\(step.note.map { " — \($0)" } ?? "")")
                    if let inputs = step.inputs { print("    inputs: \(inputs.jsonString)") }
                    if let outputs = step.outputs { print("    outputs: \(outputs.jsonString)") }
                }
            } else {
                output.writeJSON(JSONValueEncoding(report.json))
            }
            if report.steps.contains(where: { $0.decision == "error" }) { throw ExitCode(65) }
            if !report.triggered { throw ExitCode(1) }
        }
    }

    struct List: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the playbooks of playbooks.path: triggers, whether enabled, the last run.")
        @OptionGroup var global: GlobalOptions

        func run(with services: any CommandServices, output: Output) async throws {
            let catalog = try await services.playbookOperations.catalog()
            for issue in catalog.issues where issue.level == .error { notice("left out: \(issue)") }
            try output.render(
                catalog.playbooks.map { PlaybookRow($0) },
                columns: [
                    Column("name") { $0.name }, Column("enabled") { $0.enabled ? "yes" : "no" },
                    Column("on", maxWidth: 40) { $0.on.joined(separator: ", ") }, Column("steps") { "\($0.steps)" },
                    Column("last run") { $0.lastRun.map { "\($0)" } ?? "-" }, Column("status") { $0.lastStatus ?? "-" },
                    Column("file", maxWidth: 50) { $0.file },
                ],
                emptyMessage: "No playbooks in \(catalog.directory ?? "playbooks.path").")
        }
    }

    struct Show: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Show a playbook: triggers, steps, inputs.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The playbook's name.") var name: String

        func run(with services: any CommandServices, output: Output) async throws {
            let playbook = try await PlaybookCommand.loaded(name, services: services)
            if global.format.isForPeople {
                var pairs: [(String, String)] = [
                    ("name", playbook.name), ("description", playbook.description ?? "-"), ("file", playbook.file),
                    ("version", String(playbook.version.prefix(12))), ("enabled", playbook.enabled ? "yes" : "no"),
                    ("on", playbook.triggers.map(\.event).joined(separator: ", ")),
                ]
                for input in playbook.inputs {
                    pairs.append(
                        (
                            "input \(input.name)",
                            (input.required ? "required" : "optional") + (input.description.map { ": \($0)" } ?? "")
                        ))
                }
                for (index, step) in playbook.steps.enumerated() {
                    pairs.append(
                        (
                            "step \(index + 1)",
                            "\(step.id): \(step.uses)\(step.conditional ? " (if)" : "")\(step.forEach ? " (for_each)" : "")"
                        ))
                }
                try output.renderKeyValues(pairs)
            } else {
                output.writeJSON(JSONValueEncoding(playbook.json))
            }
        }
    }

    struct Enable: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "enable", abstract: "Switch a playbook on: it reacts to events again.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var actor: ActorOption
        @Argument(help: "The playbook's name.") var name: String

        func run(with services: any CommandServices, output: Output) async throws {
            try await services.playbookOperations.setEnabled(name, true, by: try services.actor(actor.actor))
            notice("\(name) enabled")
        }
    }

    struct Disable: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "disable",
            abstract: "Switch a playbook off: events are no longer turned into its runs (runs under way go on).")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var actor: ActorOption
        @Argument(help: "The playbook's name.") var name: String

        func run(with services: any CommandServices, output: Output) async throws {
            try await services.playbookOperations.setEnabled(name, false, by: try services.actor(actor.actor))
            notice("\(name) disabled")
        }
    }

    struct RunPending: ServiceCommand {
        static let configuration = CommandConfiguration(
            commandName: "run-pending",
            abstract: "Turn new events into runs and carry out every run that can go now (for cron or systemd).",
            discussion: """
                What `serve` does in the background, for deployments without a server. With --once, one pass and \
                exit (cron); without, keep going until SIGTERM or SIGINT, polling every --interval. Exits 1 when a \
                run of this pass failed.
                """)
        @OptionGroup var global: GlobalOptions
        static let databaseOnlyReason: String? = "as the playbook runner itself: a server runs its own"
        @Flag(help: "One pass, then exit.") var once = false
        @Option(help: ArgumentHelp("Between passes, without --once.", valueName: "duration")) var interval = "2s"

        func validate() throws {
            guard AppConfig.parseDuration(interval) != nil else {
                throw ValidationError("--interval must be a duration such as 2s or 1m.")
            }
        }

        func run(using services: AppServices, output: Output) async throws {
            let runner = services.playbooks()
            for issue in runner.library.issues where issue.level == .error { notice("left out: \(issue)") }
            var failed = false
            repeat {
                let pass = try await runner.runPending()
                var runs: [PlaybookRun] = []
                for id in pass.finished { runs.append(try await runner.run(id).run) }
                failed = failed || runs.contains { $0.status == .failed }
                if global.format.isForPeople {
                    if !global.quiet || !runs.isEmpty {
                        for run in runs {
                            print(
                                "run \(run.id) \(run.playbook): \(run.status.rawValue)\(run.error.map { " — \($0)" } ?? "")"
                            )
                        }
                        notice("\(pass.queued) queued, \(runs.count) finished, \(pass.waiting) waiting")
                    }
                } else {
                    for run in runs { output.writeJSON(JSONValueEncoding(run.json)) }
                }
                if once { break }
                try await Task.sleep(for: AppConfig.parseDuration(interval) ?? .seconds(2))
            } while !Task.isCancelled
            if failed { throw ExitCode(1) }
        }
    }
}

/// A playbook as listed.
struct PlaybookRow: Encodable {
    var name: String
    var description: String?
    var enabled: Bool
    var on: [String]
    var steps: Int
    var file: String
    var version: String
    var lastRun: Int64?
    var lastStatus: String?

    init(_ playbook: PlaybookOverview) {
        name = playbook.name
        description = playbook.description
        enabled = playbook.enabled
        on = playbook.triggers.map(\.event)
        steps = playbook.steps.count
        file = playbook.file
        version = playbook.version
        lastRun = playbook.lastRun?.id
        lastStatus = playbook.lastRun?.status.rawValue
    }
}

extension PlaybookCommand {
    /// A loaded playbook of the side that answers, by name; not loaded, the error names those that are.
    static func loaded(_ name: String, services: any CommandServices) async throws -> PlaybookOverview {
        let catalog = try await services.playbookOperations.catalog()
        guard let playbook = catalog.playbooks.first(where: { $0.name == name }) else {
            throw PlaybookCatalog.notLoadedError(name, loaded: catalog.playbooks.map(\.name), issues: catalog.issues)
        }
        return playbook
    }

    /// A file's text, or stdin's for `-`.
    static func read(_ path: String) throws -> String {
        if path == "-" {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            return String(decoding: data, as: UTF8.self)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CoreReconError.invalidInput(location: path, reason: "cannot be read.")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// `name=value` pairs; a value that is JSON (a number, true, a list) keeps its type.
    static func inputs(_ pairs: [String]) throws -> [String: JSONValue] {
        var inputs: [String: JSONValue] = [:]
        for pair in pairs {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw CoreReconError.invalidInput(location: "--input", reason: "'\(pair)' is not name=value.")
            }
            let name = String(pair[..<equals])
            let text = String(pair[pair.index(after: equals)...])
            let parsed = try? JSONParser.parse(text)
            inputs[name] =
                parsed.flatMap { value -> JSONValue? in
                    if case .string = value { return value }
                    return text.first.map { "[{0123456789-tfn".contains($0) } == true ? value : nil
                } ?? .string(text)
        }
        return inputs
    }
}
