import CoreRecon
import Foundation
import Logging

/// The composition root: the configuration, the open database and the services built on it.
///
/// The CLI and the server get one from ``withLive(_:logger:schema:_:)``; tests build one over a temporary
/// database. Nothing else constructs repositories.
public struct AppServices: Sendable {
    public let config: AppConfig
    public let database: Database
    public let logger: Logger
    public let now: @Sendable () -> Date
    /// Rung after each change this process commits, so the stream relay reads the events table at once.
    public let changes: ChangeSignal
    /// The active indicators in memory, for matching what is ingested.
    public let matcherCache = IndicatorMatcherCache()
    /// Observable values that matched no indicator, so the next alerts carrying them cost one set look-up.
    public let matcherMemo = IndicatorMissMemo(capacity: 250_000)
    /// The response playbooks, read again when their files change.
    public let playbookCache = PlaybookLibraryCache()

    public init(
        config: AppConfig,
        database: Database,
        logger: Logger,
        changes: ChangeSignal = ChangeSignal(),
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.config = config
        self.database = database
        self.logger = logger
        self.changes = changes
        self.now = now
    }

    public var alertRepository: any AlertRepository {
        groupCommit ?? SQLAlertRepository(database: database, sla: config.sla)
    }

    /// Set by the server: concurrent ingest requests share transactions.
    public var groupCommit: GroupCommitAlertRepository?

    /// These services with ingest writes grouped across concurrent callers (for the server).
    public func withGroupCommit() -> AppServices {
        var copy = self
        copy.groupCommit = GroupCommitAlertRepository(inner: SQLAlertRepository(database: database, sla: config.sla))
        return copy
    }

    /// An instant by which every alert this process has reported stored was committed: when the group commit's
    /// last round committed, in the server; now otherwise.
    public var alertsCommitted: ContinuousClock.Instant {
        groupCommit?.writeHealth.lastCommitted ?? .now
    }

    public var alerts: AlertService {
        AlertService(repository: alertRepository, changes: changes, settings: config.ingest, logger: logger, now: now)
    }

    public var incidentRepository: any IncidentRepository { SQLIncidentRepository(database: database, sla: config.sla) }

    public var incidents: IncidentService {
        let attack = self.attack
        return IncidentService(
            repository: incidentRepository, changes: changes, settings: config.incidents, logger: logger, now: now,
            validateTechnique: { try await attack.validate($0) })
    }

    /// Password hashing; tests use a cheaper bcrypt cost.
    public var passwordHasher: any PasswordHasher = BcryptHasher()

    public var auth: AuthService {
        AuthService(
            repository: SQLAuthRepository(database: database), hasher: passwordHasher, logger: logger, now: now)
    }

    public var attackRepository: any ATTACKRepository { SQLATTACKRepository(database: database) }

    /// Imported ATT&CK data, with the embedded catalog as fallback; validates technique ids for mapping.
    public var attack: ATTACKService {
        let downloader = HTTPDownloader(timeout: config.mitreSyncTimeout)
        return ATTACKService(
            repository: attackRepository, logger: logger, now: now, download: { try await downloader.download($0) })
    }

    /// A new ingest run: records go through `normalizer` and are stored in batches (or only normalized, in
    /// `.dryRun` mode), each batch with an audit row naming `actor`.
    public func makeIngestSession(
        format: AlertFormat?,
        sourceLabel: String?,
        mode: IngestSession.Mode = .store,
        actor: String = "ingest",
        onReject: @escaping (Rejection) throws -> Void = { _ in },
        onNormalized: @escaping (NormalizedAlert) throws -> Void = { _ in },
        onProgress: @escaping (IngestSummary) -> Void = { _ in }
    ) -> IngestSession {
        IngestSession(
            repository: alertRepository,
            changes: changes,
            normalizer: AlertNormalizer(settings: config.ingest, format: format, sourceLabel: sourceLabel),
            mode: mode,
            actor: actor,
            now: now,
            onReject: onReject,
            onNormalized: onNormalized,
            onProgress: onProgress
        )
    }

    /// Deletes stream events older than `retention`. `serve` does it every minute; an ingest run from the CLI
    /// does it too, so a deployment without a server does not keep every change's event forever. Events the
    /// notification router or the playbook runner has still to read are kept, however old, when notifications or
    /// playbooks are configured: the events table is their outbox, and a day without `serve`, `sla sweep` or
    /// `notify flush` must not lose a notification.
    @discardableResult
    public func pruneStreamEvents(retention: TimeInterval = EventLog.retention) async throws -> Int {
        var consumers: [(table: String, name: String)] = []
        if notifications.routesEvents { consumers.append(("notify_state", NotificationService.cursorName)) }
        if !loadPlaybooks().sorted.isEmpty { consumers.append(("playbook_state", PlaybookService.cursorName)) }
        var bound: Int64?
        if !consumers.isEmpty {
            bound = try await database.read { sql in
                var lowest = Int64.max
                for consumer in consumers {
                    // A consumer without a cursor row starts from the newest event: nothing before it is unread.
                    let cursor = try await sql.raw(
                        "SELECT cursor FROM \(unsafeRaw: consumer.table) WHERE name = \(bind: consumer.name)"
                    ).first(decodingColumn: "cursor", as: Int64.self)
                    if let cursor { lowest = min(lowest, cursor) }
                }
                return lowest == .max ? nil : lowest
            }
        }
        return try await EventLog(database: database).prune(
            before: now().addingTimeInterval(-retention), keepingAfter: bound)
    }

    /// What to do about the schema when opening the database.
    public enum SchemaPolicy: Sendable {
        /// Require the schema this binary expects, applying pending migrations when `database.autoMigrate` is on.
        case prepare
        /// Open as it is: for `migrate` itself, which reports and repairs the schema.
        case asIs
    }

    /// Threat intelligence: indicators, their sources, sightings and decay.
    public var indicators: IndicatorService {
        IndicatorService(
            repository: SQLIndicatorRepository(database: database), settings: config.ioc, logger: logger, now: now)
    }

    /// Loads the indicator matcher into ``matcherCache`` over a connection of its own, so that a command which
    /// matches at its end (`ingest`) can have it load beside its own work rather than after it: on SQLite a read
    /// on another connection never waits on the writer. Failures are left to the later, real load to report.
    public func prefetchIndicatorMatcher() async {
        // Another connection to an in-memory database would be another, empty database.
        if case .sqliteMemory = config.database { return }
        try? await Database.withDatabase(config, logger: logger) { database in
            let intel = IndicatorService(
                repository: SQLIndicatorRepository(database: database), settings: config.ioc, logger: logger, now: now)
            let version = try await intel.version()
            _ = try await matcherCache.matcher(version: version) { try await intel.matcher(version: version) }
        }
    }

    /// Named indicator feeds (TAXII, MISP feeds, URLs) and their pulls. Credentials come from the environment.
    public var feeds: FeedService {
        FeedService(
            database: database, indicators: indicators, environment: ProcessInfo.processInfo.environment,
            logger: logger, now: now)
    }

    public var audit: AuditService { AuditService(repository: SQLAuditRepository(database: database)) }

    public var migrator: Migrator { Migrator(database: database, logger: logger, now: now) }

    /// Opens the configured database, checks its schema, runs `body`, and closes everything.
    public static func withLive<Result: Sendable>(
        _ config: AppConfig,
        logger: Logger,
        schema: SchemaPolicy = .prepare,
        _ body: (AppServices) async throws -> Result
    ) async throws -> Result {
        try await Database.withDatabase(config, logger: logger) { database in
            let services = AppServices(config: config, database: database, logger: logger)
            if schema == .prepare {
                try await services.migrator.prepareForUse(autoMigrate: config.autoMigrate)
            }
            return try await body(services)
        }
    }
}
