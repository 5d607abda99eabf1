import ArgumentParser
import CoreRecon
import CoreReconStore
import Foundation
import Logging

/// A subcommand that needs CoreRecon's services. Errors become one `error:` line on stderr and an exit code.
protocol ServiceCommand: AsyncParsableCommand {
    var global: GlobalOptions { get }
    /// How the command treats the schema: most require it current; `migrate` takes it as it is.
    static var schemaPolicy: AppServices.SchemaPolicy { get }
    /// Read-only SQLite connections beside the writer, for a command that reads while it writes.
    static var sqliteReaders: Int { get }
    /// Whether a thread of its own copies SQLite's write-ahead log into the database (with readers only), so
    /// the writer's commits do not wait for checkpoints and their syncs.
    static var sqliteBackgroundCheckpoint: Bool { get }
    /// The SQLite writer's page cache in MiB, when the command has measured a better size than the default.
    static var sqliteWriterCacheMiB: Int? { get }
    /// Whether the command only ever works on the database (`migrate`): a server chosen by the environment, a
    /// context or the config file is then not the command's business; only --server beside it is an error.
    static var isDatabaseOnly: Bool { get }
    /// Why the command does not work over the API, when it never will (said instead of "not over the API yet").
    static var databaseOnlyReason: String? { get }
    func run(using services: AppServices, output: Output) async throws
}

extension ServiceCommand {
    static var schemaPolicy: AppServices.SchemaPolicy { .prepare }
    static var sqliteReaders: Int { 0 }
    static var sqliteBackgroundCheckpoint: Bool { false }
    static var sqliteWriterCacheMiB: Int? { nil }
    static var isDatabaseOnly: Bool { false }
    static var databaseOnlyReason: String? { nil }

    func run() async throws {
        do {
            var config = try global.loadConfig()
            config.sqliteReaders = max(config.sqliteReaders, Self.sqliteReaders)
            config.sqliteBackgroundCheckpoint = config.sqliteBackgroundCheckpoint || Self.sqliteBackgroundCheckpoint
            if let cache = Self.sqliteWriterCacheMiB { config.sqliteWriterCacheMiB = cache }
            var logger = Logger(label: "corerecon")
            logger.logLevel = config.logLevel
            let output = global.makeOutput()
            // The composition root: the database, or the API of the server chosen; a command never asks which.
            let remote = Self.isDatabaseOnly && global.server == nil ? nil : try global.remoteTarget(config: config)
            if let (target, origin) = remote {
                guard let command = self as? any RemoteCapableCommand else {
                    throw CoreReconError.configuration(
                        "`corerecon \(Self.commandWords)` works on the database only, "
                            + (Self.databaseOnlyReason ?? "not over the API yet")
                            + "; \(origin) chose \(target.server). Run it with --database-url where the database is.")
                }
                let store = CredentialStore(environment: ProcessInfo.processInfo.environment)
                try await APIClient.with(target, store: store, notice: { Terminal.printError($0) }) { client in
                    try await command.run(with: RemoteServices(client: client, config: config), output: output)
                }
                return
            }
            try await AppServices.withLive(config, logger: logger, schema: Self.schemaPolicy) { services in
                try await run(using: services, output: output)
            }
        } catch let error as CoreReconError {
            Terminal.printError("error: \(error)")
            throw ExitCode(error.exitCode)
        }
    }

    /// The command as typed, for messages: `alert ack`, `ioc feed pull` (the leading lower-case words).
    static var commandWords: String {
        CommandLine.arguments.dropFirst().prefix { word in
            !word.isEmpty && word.first != "-" && word.allSatisfy { ("a"..."z").contains($0) || $0 == "-" }
        }.prefix(3).joined(separator: " ")
    }

    /// Prints a notice on stderr unless `--quiet` was given.
    func notice(_ message: String) {
        if !global.quiet { Terminal.printError(message) }
    }
}

extension CoreReconError {
    /// The process exit code for this error, as documented in the README and man page.
    var exitCode: Int32 {
        switch self {
        case .notFound, .conflict, .failed: 1
        case .invalidInput: 65
        case .unavailable: 69
        case .denied: 77
        case .configuration, .schemaBehind, .schemaNewer: 78
        }
    }
}

/// The services a command that works both ways uses: ``AppServices`` over the database, ``RemoteServices`` over
/// the API of a running server.
protocol CommandServices: Sendable {
    var triage: any AlertTriage { get }
    /// SLA clocks, policies, reports and the sweep.
    var slaClocks: any SLAOperations { get }
    /// Indicators: import, list, show, add, sight, revoke, delete, stats, export.
    var intel: any IndicatorOperations { get }
    /// Incidents: the lifecycle, timeline, tasks, techniques, history, metrics and reports.
    var incidentOperations: any IncidentOperations { get }
    /// The events of committed changes, as they happen.
    var eventStream: any EventFollowing { get }
    /// ATT&CK look-ups and coverage.
    var attackLookups: any ATTACKOperations { get }
    /// Playbooks, dry runs and runs.
    var playbookOperations: any PlaybookOperations { get }
    /// Notification channels and the outbox (admins over the API).
    var notificationOperations: any NotificationOperations { get }
    /// Users and API keys (admins over the API).
    var accounts: any AccountOperations { get }
    /// Indicator feeds: the side that answers pulls them.
    var feedOperations: any FeedOperations { get }
    /// `ioc match`'s look-ups.
    var lineMatcher: any LineMatching { get }
    var warninglists: any WarninglistOperations { get }
    /// The audit log (admins over the API).
    func auditList(_ query: AuditQuery) async throws -> [AuditEntry]
    func auditVerify() async throws -> AuditVerification
    func explainAlert(_ id: Alert.ID) async throws -> AlertExplanation
    /// Maps a technique onto an alert (or removes one); the alert's techniques after the change.
    func mapTechnique(_ id: Alert.ID, technique: String, tactic: String?, by actor: String) async throws -> [String]
    func unmapTechnique(_ id: Alert.ID, technique: String, by actor: String) async throws -> [String]
    /// One alert as `alert show` prints it.
    func alertDetail(_ id: Alert.ID) async throws -> AlertDetail
    /// ATT&CK technique names by id, from the catalog of the side that answers.
    func techniqueNames(_ ids: [String]) async throws -> [String: String]
    func escalate(_ ids: [Alert.ID], to incident: String?, title: String?, severity: Severity?, by actor: String)
        async throws -> Incident
    var now: @Sendable () -> Date { get }
    /// Who a change is made as: `--as`, else CORERECON_USER, else the login name on the database; the sign-in
    /// over the API.
    func actor(_ flag: String?) throws(CoreReconError) -> String
    /// The largest record `ingest` reads whole (`ingest.maxRecordSize` of this machine's configuration).
    var recordSize: Int { get }
    func startIngest(
        _ request: IngestRequest, onReject: @escaping (Rejection) throws -> Void,
        onNormalized: @escaping (NormalizedAlert) throws -> Void, onProgress: @escaping (IngestSummary) -> Void
    ) throws(CoreReconError) -> any IngestRun
}

extension AppServices: CommandServices {
    var triage: any AlertTriage { alerts }
    var slaClocks: any SLAOperations { LocalSLA(services: self) }
    var intel: any IndicatorOperations { LocalIndicators(services: self) }
    var incidentOperations: any IncidentOperations { LocalIncidents(services: self) }
    var attackLookups: any ATTACKOperations { LocalATTACK(services: self) }
    var eventStream: any EventFollowing { LocalEvents(services: self) }
    var playbookOperations: any PlaybookOperations { LocalPlaybooks(services: self) }
    var notificationOperations: any NotificationOperations { LocalNotifications(services: self) }
    var accounts: any AccountOperations { LocalAccounts(auth: auth) }
    var feedOperations: any FeedOperations { feeds }
    var lineMatcher: any LineMatching { LocalLineMatcher(indicators: indicators, now: now()) }
    var warninglists: any WarninglistOperations { LocalWarninglists(indicators: indicators) }
    func actor(_ flag: String?) -> String { Actor.resolve(flag) }
}

extension RemoteServices: CommandServices {
    var now: @Sendable () -> Date { Date.init }
    var slaClocks: any SLAOperations { RemoteSLA(client: client) }
    var intel: any IndicatorOperations { RemoteIndicators(client: client) }
    var incidentOperations: any IncidentOperations { RemoteIncidents(client: client) }
    var attackLookups: any ATTACKOperations { RemoteATTACK(client: client) }
    var eventStream: any EventFollowing { RemoteEvents(client: client) }
    var playbookOperations: any PlaybookOperations { RemotePlaybooks(client: client) }
    var notificationOperations: any NotificationOperations { RemoteNotifications(client: client) }
    var accounts: any AccountOperations { RemoteAccounts(client: client) }
    var feedOperations: any FeedOperations { RemoteFeeds(client: client) }
    var lineMatcher: any LineMatching { RemoteLineMatcher(client: client) }
    var warninglists: any WarninglistOperations { RemoteWarninglists(client: client) }
}

/// A subcommand that works against the database or over the API alike: it gets its services from the
/// composition root and does not know which side answers.
protocol RemoteCapableCommand: ServiceCommand {
    func run(with services: any CommandServices, output: Output) async throws
}

extension RemoteCapableCommand {
    func run(using services: AppServices, output: Output) async throws {
        try await run(with: services, output: output)
    }
}
