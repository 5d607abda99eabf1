import CoreRecon
import Foundation

/// The playbooks a side has loaded, as `playbook list` prints them.
public struct PlaybookCatalog: Sendable {
    public var playbooks: [PlaybookOverview]
    /// The files of `playbooks.path` left out, and why.
    public var issues: [PlaybookIssue]
    /// `playbooks.path` of the side that answers, for the message when there is no playbook.
    public var directory: String?

    public init(playbooks: [PlaybookOverview], issues: [PlaybookIssue], directory: String?) {
        self.playbooks = playbooks
        self.issues = issues
        self.directory = directory
    }

    /// What is said of a playbook that is not loaded: the playbooks that are, and the files left out.
    public static func notLoaded(_ name: String, loaded: [String], issues: [PlaybookIssue]) -> String {
        let broken = issues.filter { $0.level == .error }.map(\.file)
        var reason = "no playbook named '\(name)' is loaded"
        reason += loaded.isEmpty ? " (none are: see playbooks.path)" : "; loaded: \(loaded.joined(separator: ", "))"
        if !broken.isEmpty { reason += "; files with errors: \(Set(broken).sorted().joined(separator: ", "))" }
        return reason + "."
    }

    /// The error for a playbook that is not loaded (exit 1; 404 over the API).
    public static func notLoadedError(_ name: String, loaded: [String], issues: [PlaybookIssue]) -> CoreReconError {
        .failed(notLoaded(name, loaded: loaded, issues: issues))
    }
}

/// What `playbook test` dry-runs a playbook against.
public struct PlaybookTestRequest: Sendable {
    public enum Subject: Sendable {
        /// An event or alert record (JSON text) read from `file`.
        case event(text: String, file: String)
        case alert(Alert.ID)
        case incident(String)
        /// No event: a manual run's inputs only.
        case none
    }

    /// A loaded playbook's name, or a playbook file (a path, or a name ending in .yaml or .yml).
    public var playbook: String
    public var subject: Subject
    /// The event type, when not the subject's default.
    public var type: String?
    public var inputs: [String: JSONValue]

    public init(playbook: String, subject: Subject, type: String?, inputs: [String: JSONValue]) {
        self.playbook = playbook
        self.subject = subject
        self.type = type
        self.inputs = inputs
    }

    /// Whether `playbook` names a file rather than a loaded playbook.
    public var namesFile: Bool {
        playbook.contains("/") || playbook.hasSuffix(".yaml") || playbook.hasSuffix(".yml")
    }
}

/// `corerecon playbook` as the commands use it, whichever side answers: the database and this machine's
/// `playbooks.path` (``LocalPlaybooks``), or the API of a running server and its playbooks (``RemotePlaybooks``).
public protocol PlaybookOperations: Sendable {
    func catalog() async throws -> PlaybookCatalog
    func setEnabled(_ name: String, _ enabled: Bool, by actor: String) async throws
    /// A dry run: conditions, resolved inputs, read-only steps carried out; nothing written.
    func test(_ request: PlaybookTestRequest) async throws -> PlaybookTestReport
    /// Starts a manual run; unless `queue`, waits for it to finish (or to wait on a `wait` step).
    func start(
        _ name: String, target: PlaybookService.Target?, inputs: [String: JSONValue], actor: String, queue: Bool
    ) async throws -> (run: PlaybookRun, steps: [PlaybookStepRecord])
    func run(_ id: Int64) async throws -> (run: PlaybookRun, steps: [PlaybookStepRecord])
    func cancel(_ id: Int64, actor: String) async throws -> PlaybookRun
    /// Queues a failed or cancelled run again; unless `queue`, waits for it as ``start(_:target:inputs:actor:queue:)``.
    func retry(_ id: Int64, actor: String, queue: Bool) async throws -> (run: PlaybookRun, steps: [PlaybookStepRecord])
    func runs(playbook: String?, status: PlaybookRun.Status?, target: PlaybookService.Target?, limit: Int)
        async throws -> [PlaybookRun]
}

/// Playbooks of this machine's `playbooks.path`, runs carried out in this process.
public struct LocalPlaybooks: PlaybookOperations {
    let services: AppServices

    public init(services: AppServices) { self.services = services }

    public func catalog() async throws -> PlaybookCatalog {
        let runner = services.playbooks()
        return PlaybookCatalog(
            playbooks: try await runner.summaries().map(PlaybookOverview.init), issues: runner.library.issues,
            directory: services.config.playbooksPath)
    }

    public func setEnabled(_ name: String, _ enabled: Bool, by actor: String) async throws {
        try await services.playbooks().setEnabled(name, enabled, by: actor)
    }

    public func test(_ request: PlaybookTestRequest) async throws -> PlaybookTestReport {
        let playbook = try resolve(request)
        let runner = services.playbooks(PlaybookLibrary(playbooks: [playbook]))
        var type = request.type
        var context: [JSONMember] = []
        switch request.subject {
        case .event(let text, let file):
            let (detected, found) = try runner.testContext(eventJSON: text, file: file)
            type = type ?? detected
            context = found
        case .alert(let id):
            context = [try await runner.targetContext(.alert(id)).0]
            type = type ?? "alert.created"
        case .incident(let key):
            context = [try await runner.targetContext(.incident(key)).0]
            type = type ?? "incident.created"
        case .none:
            break
        }
        return try await runner.test(playbook, type: type ?? "manual", context: context, inputs: request.inputs)
    }

    /// The playbook of a file (refused when it has errors) or of `playbooks.path` by name.
    func resolve(_ request: PlaybookTestRequest) throws -> Playbook {
        guard request.namesFile else {
            let library = services.loadPlaybooks()
            guard let playbook = library.playbooks[request.playbook] else {
                throw services.playbooks(library).notLoadedError(request.playbook)
            }
            return playbook
        }
        let (playbook, issues) = Playbook.load(path: request.playbook)
        return try Playbook.checked(
            playbook, issues: issues, file: request.playbook, allowExec: services.config.playbooksAllowExec)
    }

    public func start(
        _ name: String, target: PlaybookService.Target?, inputs: [String: JSONValue], actor: String, queue: Bool
    ) async throws -> (run: PlaybookRun, steps: [PlaybookStepRecord]) {
        let runner = services.playbooks()
        let run = try await runner.start(name, target: target, inputs: inputs, actor: actor)
        if !queue { _ = try await runner.runNow(run.id) }
        return try await runner.run(run.id)
    }

    public func run(_ id: Int64) async throws -> (run: PlaybookRun, steps: [PlaybookStepRecord]) {
        try await services.playbooks(PlaybookLibrary()).run(id)
    }

    public func cancel(_ id: Int64, actor: String) async throws -> PlaybookRun {
        try await services.playbooks(PlaybookLibrary()).cancel(id, actor: actor)
    }

    public func retry(_ id: Int64, actor: String, queue: Bool) async throws -> (
        run: PlaybookRun, steps: [PlaybookStepRecord]
    ) {
        let runner = services.playbooks()
        let run = try await runner.retry(id, actor: actor)
        if !queue { _ = try await runner.runNow(run.id) }
        return try await runner.run(run.id)
    }

    public func runs(playbook: String?, status: PlaybookRun.Status?, target: PlaybookService.Target?, limit: Int)
        async throws -> [PlaybookRun]
    {
        try await services.playbooks(PlaybookLibrary()).runs(
            playbook: playbook, status: status, target: target, limit: limit)
    }
}

extension Playbook {
    /// A playbook read from `file`, refused with its first error (of reading or of `playbook lint`'s checks).
    public static func checked(_ playbook: Playbook?, issues: [PlaybookIssue], file: String, allowExec: Bool)
        throws(CoreReconError) -> Playbook
    {
        let errors =
            (issues + (playbook.map { PlaybookLint.check($0, allowExec: allowExec) } ?? [])).filter {
                $0.level == .error
            }
        guard let playbook, errors.isEmpty else {
            throw .invalidInput(
                location: file, reason: "has errors (see `playbook lint`): \(errors.first?.description ?? "")")
        }
        return playbook
    }
}
