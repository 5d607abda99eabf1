import ArgumentParser
import CoreRecon
import CoreReconStore
import Foundation

extension IncidentCommand {
    struct ObservableCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "observable",
            abstract: "Add, list and remove an incident's observables.",
            discussion: """
                Types: \(ObservableType.allCases.map(\.rawValue).joined(separator: ", ")). Without --type the type \
                is detected from the value. Values are kept once per incident in canonical form (hashes, domains \
                and e-mail addresses lower-cased).
                """,
            subcommands: [Add.self, List.self, Remove.self]
        )
    }

    struct EvidenceCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "evidence",
            abstract: "Keep files as evidence, with their SHA-256 and chain of custody.",
            discussion: """
                Evidence is stored in the database (table evidence_blobs), content-addressed by SHA-256, up to \
                256 MB a file (over the API, up to the server's server.evidenceLimit, 64 MB by default); the same \
                content is stored once. Adding, verifying and exporting are recorded in the item's chain of custody \
                (`evidence custody`). An export is written to FILE.partial and takes its name only once its SHA-256 \
                is the recorded one; over the API it goes to disk as it arrives.
                """,
            subcommands: [Add.self, List.self, Verify.self, Export.self, Custody.self]
        )
    }

    struct TimelineCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "timeline",
            abstract: "Print an incident's timeline, or add a note to it.",
            discussion: """
                Changes (state, assignee, observables, tasks, evidence, mappings, alerts) are added \
                automatically; `timeline add` records what happened and when, with an ATT&CK tactic as category.
                """,
            subcommands: [Show.self, Add.self],
            defaultSubcommand: Show.self
        )

        static let columns: [Column<TimelineEntry>] = [
            Column("at", time: { $0.at }), Column("category") { $0.category ?? "-" },
            Column("actor") { $0.actor }, Column("entry") { $0.message },
        ]
    }

    struct TaskCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "task",
            abstract: "An incident's tasks: add, list, start, done, cancel, reopen.",
            discussion: """
                Tasks are numbered per incident. An incident created with --type starts with the tasks of that \
                type's playbook (incidents.taskTemplates; examples/task-templates has phishing and ransomware).
                """,
            subcommands: [Add.self, List.self, Start.self, Done.self, Cancel.self, Reopen.self]
        )

        static let columns: [Column<IncidentTask>] = [
            Column("#") { "\($0.number)" }, Column("state") { $0.state.rawValue }, Column("phase") { $0.phase ?? "-" },
            Column("assignee") { $0.assignee ?? "-" }, Column("title") { $0.title },
        ]
    }
}

// MARK: - Observables

extension IncidentCommand.ObservableCommand {
    static let columns: [Column<IncidentObservable>] = [
        Column("type") { $0.type.rawValue }, Column("value") { $0.value }, Column("ioc") { $0.isIOC ? "yes" : "no" },
        Column("tlp") { $0.tlp?.rawValue ?? "-" }, Column("tags") { $0.tags.joined(separator: ",") },
        Column("origin") { $0.origin },
    ]

    static func parseType(_ text: String?) throws -> ObservableType? {
        guard let text else { return nil }
        guard let type = ObservableType(rawValue: text.replacingOccurrences(of: "-", with: "_")) else {
            throw ValidationError(
                "--type must be one of \(ObservableType.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        return type
    }

    struct Add: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Add an observable to an incident.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var actor: ActorOption
        @Argument(help: "The incident id.") var id: String
        @Argument(help: "The value: an IP, domain, URL, hash, e-mail address, host, user or path.") var value: String
        @Option(help: ArgumentHelp("The type, when detection would guess wrong.", valueName: "type")) var type: String?
        @Flag(help: "Mark it as an indicator of compromise.") var ioc = false
        @Option(help: ArgumentHelp("TLP marking: clear, green, amber, amber+strict, red.", valueName: "tlp"))
        var tlp: String?
        @Option(help: ArgumentHelp("A tag (repeatable).", valueName: "tag")) var tag: [String] = []

        func validate() throws {
            _ = try IncidentCommand.ObservableCommand.parseType(type)
            if let tlp, TLP(name: tlp) == nil {
                throw ValidationError("--tlp must be clear, green, amber, amber+strict or red.")
            }
        }

        func run(with services: any CommandServices, output: Output) async throws {
            let key = try incidentKey(id, services)
            let addition = try await services.incidentOperations.addObservable(
                key, value: value, type: try IncidentCommand.ObservableCommand.parseType(type), isIOC: ioc,
                tlp: tlp.flatMap(TLP.init(name:)), tags: tag, by: try services.actor(actor.actor))
            let observable = addition.observable
            if !addition.isNew {
                notice("\(key) already had \(observable.type.rawValue) \(observable.value); flags merged.")
            }
            if let indicator = addition.indicator {
                notice("indicator \(indicator.id): \(indicator.type) \(indicator.value), matched from now on")
            }
            if let problem = addition.indicatorProblem {
                notice("warning: the observable is stored, but not as an indicator: \(problem)")
            }
            try output.render([observable], columns: IncidentCommand.ObservableCommand.columns)
        }
    }

    struct List: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List an incident's observables.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The incident id.") var id: String
        @Flag(help: "Only indicators of compromise.") var ioc = false

        func run(with services: any CommandServices, output: Output) async throws {
            let observables = try await services.incidentOperations.observables(try incidentKey(id, services))
            try output.render(
                observables.filter { !ioc || $0.isIOC }, columns: IncidentCommand.ObservableCommand.columns,
                emptyMessage: "No observables.")
        }
    }

    struct Remove: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove", abstract: "Remove an observable from an incident.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var actor: ActorOption
        @Argument(help: "The incident id.") var id: String
        @Argument(help: "The value.") var value: String
        @Option(help: ArgumentHelp("The type, when detection would guess wrong.", valueName: "type")) var type: String?

        func run(with services: any CommandServices, output: Output) async throws {
            try await services.incidentOperations.removeObservable(
                try incidentKey(id, services), value: value,
                type: try IncidentCommand.ObservableCommand.parseType(type), by: try services.actor(actor.actor))
            notice("Removed \(value).")
        }
    }
}

// MARK: - Evidence

extension IncidentCommand.EvidenceCommand {
    static let columns: [Column<IncidentEvidence>] = [
        Column("#") { "\($0.id)" }, Column("file") { $0.fileName }, Column("bytes") { "\($0.size)" },
        Column("sha256") { $0.sha256 }, Column("added", time: { $0.addedAt }),
        Column("by") { $0.addedBy }, Column("description") { $0.description ?? "-" },
    ]

    struct Add: RemoteCapableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Store a file as evidence.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var actor: ActorOption
        @Argument(help: "The incident id.") var id: String
        @Argument(help: "The file.", completion: .file()) var file: String
        @Option(help: "What it is and where it came from.") var description: String?

        func run(with services: any CommandServices, output: Output) async throws {
            let key = try incidentKey(id, services)
            let url = URL(fileURLWithPath: file)
            let content: Data
            do {
                content = try Data(contentsOf: url, options: .alwaysMapped)
            } catch {
                let reason = FileManager.default.fileExists(atPath: file) ? "cannot be read" : "does not exist"
                throw CoreReconError.invalidInput(location: file, reason: "the file \(reason).")
            }
            let item = try await services.incidentOperations.addEvidence(
                key, content: content, fileName: url.lastPathComponent, description: description,
                by: try services.actor(actor.actor))
            try output.render([item], columns: IncidentCommand.EvidenceCommand.columns)
        }
    }

    struct List: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List an incident's evidence with hashes.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The incident id.") var id: String

        func run(with services: any CommandServices, output: Output) async throws {
            let items = try await services.incidentOperations.evidence(try incidentKey(id, services))
            try output.render(items, columns: IncidentCommand.EvidenceCommand.columns, emptyMessage: "No evidence.")
        }
    }

    struct Verify: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Re-hash stored evidence; exits 1 when any item no longer matches its recorded SHA-256.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var actor: ActorOption
        @Argument(help: "The incident id.") var id: String
        @Argument(help: "Evidence numbers (default: all).") var evidence: [Int64] = []

        struct Row: Encodable {
            var evidence: Int64
            var file: String
            var recordedSHA256: String
            var actualSHA256: String?
            var intact: Bool
        }

        func run(with services: any CommandServices, output: Output) async throws {
            let key = try incidentKey(id, services)
            let incidents = services.incidentOperations
            let numbers = evidence.isEmpty ? try await incidents.evidence(key).map(\.id) : evidence
            let actor = try services.actor(self.actor.actor)
            var rows: [Row] = []
            for number in numbers {
                let result = try await incidents.verifyEvidence(key, evidence: number, by: actor)
                rows.append(
                    Row(
                        evidence: number, file: result.evidence.fileName, recordedSHA256: result.evidence.sha256,
                        actualSHA256: result.actualSHA256, intact: result.isIntact))
            }
            try output.render(
                rows,
                columns: [
                    Column("#") { "\($0.evidence)" }, Column("file") { $0.file },
                    Column("result") { $0.intact ? "ok" : "MISMATCH (now \($0.actualSHA256 ?? "missing"))" },
                    Column("sha256") { $0.recordedSHA256 },
                ], emptyMessage: "No evidence.")
            if let broken = rows.first(where: { !$0.intact }) {
                throw CoreReconError.failed(
                    "evidence \(broken.evidence) (\(broken.file)) of \(key) does not match its recorded SHA-256.")
            }
        }
    }

    struct Export: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Write stored evidence to a file, after checking its hash.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var actor: ActorOption
        @Argument(help: "The incident id.") var id: String
        @Argument(help: "The evidence number.") var evidence: Int64
        @Option(help: ArgumentHelp("Where to write it (`-` for stdout).", valueName: "path"), completion: .file())
        var out: String

        func run(with services: any CommandServices, output: Output) async throws {
            let key = try incidentKey(id, services)
            if out == "-" {
                // Checked whole before a byte is written: a pipe cannot take back what it was given.
                let (_, content) = try await services.incidentOperations.exportEvidence(
                    key, evidence: evidence, destination: "stdout", by: try services.actor(actor.actor))
                FileHandle.standardOutput.write(content)
                return
            }
            // Written beside the destination, then given its name: never a partial file under it.
            let item = try await services.incidentOperations.saveEvidence(
                key, evidence: evidence, to: URL(fileURLWithPath: out).path, by: try services.actor(actor.actor))
            notice("Wrote \(item.fileName) (\(item.size) bytes, sha256 \(item.sha256)) to \(out).")
        }
    }

    struct Custody: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "custody", abstract: "The chain of custody of one evidence item.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The incident id.") var id: String
        @Argument(help: "The evidence number.") var evidence: Int64

        func run(with services: any CommandServices, output: Output) async throws {
            let entries = try await services.incidentOperations.custody(
                try incidentKey(id, services), evidence: evidence)
            try output.render(
                entries,
                columns: [
                    Column("at", time: { $0.at }), Column("action") { $0.action },
                    Column("actor") { $0.actor }, Column("detail") { $0.detail ?? "-" },
                ])
        }
    }
}

// MARK: - Timeline

extension IncidentCommand.TimelineCommand {
    struct Show: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Print the timeline, in the order things happened.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The incident id.") var id: String

        func run(with services: any CommandServices, output: Output) async throws {
            let entries = try await services.incidentOperations.timeline(try incidentKey(id, services))
            try output.render(entries, columns: IncidentCommand.TimelineCommand.columns)
        }
    }

    struct Add: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add a note: what happened, when, under which tactic.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var actor: ActorOption
        @Argument(help: "The incident id.") var id: String
        @Option(
            help: ArgumentHelp(
                "When it happened: a timestamp or a duration back (2h). Default: now.", valueName: "time"))
        var at: String?
        @Option(
            help: ArgumentHelp("ATT&CK tactic: id (TA0001), short name (initial-access) or name.", valueName: "tactic"))
        var category: String?
        @Option(name: [.short, .customLong("message")], help: "What happened.") var message: String

        func validate() throws {
            if let category, ATTACKCatalog.embedded.tactic(category) == nil {
                let known = ATTACKCatalog.embedded.tactics.map(\.shortName).joined(separator: ", ")
                throw ValidationError("--category '\(category)' is not an ATT&CK tactic. Tactics: \(known).")
            }
        }

        func run(with services: any CommandServices, output: Output) async throws {
            let key = try incidentKey(id, services)
            let when = try at.map { text throws(CoreReconError) in
                try TimeExpression.parse(text, now: services.now(), option: "--at")
            }
            let tactic = category.flatMap { ATTACKCatalog.embedded.tactic($0)?.shortName }
            let entries = try await services.incidentOperations.addNote(
                key, at: when, category: tactic, message: message, by: try services.actor(actor.actor))
            try output.render(entries, columns: IncidentCommand.TimelineCommand.columns)
        }
    }
}

// MARK: - Tasks

extension IncidentCommand.TaskCommand {
    struct Add: RemoteCapableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a task to an incident.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var actor: ActorOption
        @Argument(help: "The incident id.") var id: String
        @Argument(help: "What to do.") var title: String
        @Option(help: "Details.") var description: String?
        @Option(help: ArgumentHelp("Who does it.", valueName: "user")) var assignee: String?

        func run(with services: any CommandServices, output: Output) async throws {
            let task = try await services.incidentOperations.addTask(
                try incidentKey(id, services), title: title, description: description, assignee: assignee,
                by: try services.actor(actor.actor))
            try output.render([task], columns: IncidentCommand.TaskCommand.columns)
        }
    }

    struct List: RemoteCapableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List an incident's tasks.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The incident id.") var id: String

        func run(with services: any CommandServices, output: Output) async throws {
            let tasks = try await services.incidentOperations.view(try incidentKey(id, services)).detail.tasks
            try output.render(tasks, columns: IncidentCommand.TaskCommand.columns, emptyMessage: "No tasks.")
        }
    }

    struct Start: TaskChangeCommand {
        static let configuration = CommandConfiguration(
            commandName: "start", abstract: "Start tasks (open → in_progress).")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var target: TaskTarget
        static let state = TaskState.inProgress
    }

    struct Done: TaskChangeCommand {
        static let configuration = CommandConfiguration(commandName: "done", abstract: "Mark tasks done.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var target: TaskTarget
        static let state = TaskState.done
    }

    struct Cancel: TaskChangeCommand {
        static let configuration = CommandConfiguration(
            commandName: "cancel", abstract: "Cancel tasks that no longer apply.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var target: TaskTarget
        static let state = TaskState.cancelled
    }

    struct Reopen: TaskChangeCommand {
        static let configuration = CommandConfiguration(
            commandName: "reopen", abstract: "Reopen done or cancelled tasks.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var target: TaskTarget
        static let state = TaskState.open
    }
}

/// The incident and task numbers a task change applies to.
struct TaskTarget: ParsableArguments {
    @OptionGroup var actor: ActorOption
    @Argument(help: "The incident id.") var id: String
    @Argument(help: "Task numbers.") var numbers: [Int]

    func validate() throws {
        guard !numbers.isEmpty else { throw ValidationError("Name at least one task number.") }
    }
}

/// A command that moves tasks to ``state``.
protocol TaskChangeCommand: RemoteCapableCommand {
    var target: TaskTarget { get }
    static var state: TaskState { get }
}

extension TaskChangeCommand {
    func run(with services: any CommandServices, output: Output) async throws {
        let key = try incidentKey(target.id, services)
        let actor = try services.actor(target.actor.actor)
        var changed: [IncidentTask] = []
        var failed = false
        for number in target.numbers {
            do {
                changed.append(
                    try await services.incidentOperations.setTask(key, number: number, to: Self.state, by: actor))
            } catch let error as CoreReconError {
                Terminal.printError("error: \(error)")
                failed = true
            }
        }
        try output.render(changed, columns: IncidentCommand.TaskCommand.columns, emptyMessage: "No task changed.")
        if failed { throw ExitCode(1) }
    }
}
