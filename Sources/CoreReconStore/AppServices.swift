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

    public init(config: AppConfig, database: Database, logger: Logger, now: @escaping @Sendable () -> Date = Date.init) {
        self.config = config
        self.database = database
        self.logger = logger
        self.now = now
    }

    /// What to do about the schema when opening the database.
    public enum SchemaPolicy: Sendable {
        /// Require the schema this binary expects, applying pending migrations when `database.autoMigrate` is on.
        case prepare
        /// Open as it is: for `migrate` itself, which reports and repairs the schema.
        case asIs
    }

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
