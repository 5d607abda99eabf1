import CoreRecon
import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresKit
import PostgresNIO
import SQLKit

/// The production backend: a pool of PostgreSQL connections (`PostgresClient`) for the server, or, for one-shot
/// commands, the single connection they need (opening a pool costs a second connection and its handshake).
final class PostgresConnectionProvider: ConnectionProvider {
    let backend = DatabaseBackend.postgres
    private let client: PostgresClient?
    private let single: PostgresConnection?
    private let singleLock = AsyncLock()
    private let location: PostgresLocation
    private let statementTimeout: TimeAmount?

    private init(client: PostgresClient?, single: PostgresConnection?, location: PostgresLocation, config: AppConfig) {
        self.client = client
        self.single = single
        self.location = location
        statementTimeout = config.statementTimeout.map { .milliseconds($0.milliseconds) }
    }

    /// Checks the server answers, then runs the pool for the duration of `body`.
    static func withProvider<Result: Sendable>(
        _ location: PostgresLocation,
        config: AppConfig,
        logger: Logger,
        _ body: (PostgresConnectionProvider) async throws -> Result
    ) async throws -> Result {
        // The pool retries failed connections quietly; one direct attempt first turns "nobody listens" into a
        // prompt, specific error instead of a hang. A one-shot command keeps that connection and needs no pool.
        let connection = try await connect(location, config: config, logger: logger)
        guard config.connectionPool else {
            do {
                let result = try await body(
                    PostgresConnectionProvider(client: nil, single: connection, location: location, config: config))
                try? await connection.close()
                return result
            } catch {
                try? await connection.close()
                throw error
            }
        }
        try? await connection.close()

        // The pool's background chatter (including a benign warning when the first lease races `run()`) is
        // for debugging; failures reach callers as thrown errors.
        var backgroundLogger = logger
        if logger.logLevel > .debug { backgroundLogger.logLevel = .error }
        let client = PostgresClient(
            configuration: try clientConfiguration(location, config: config),
            backgroundLogger: backgroundLogger
        )
        let provider = PostgresConnectionProvider(client: client, single: nil, location: location, config: config)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(provider)
        }
    }

    func withConnection<Result: Sendable>(
        _ body: (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        if let single {
            return try await singleLock.withLock { try await body(guarded(single)) }
        }
        guard let client else { preconditionFailure("a provider has a pool or a connection") }
        return try await client.withConnection { connection in
            try await body(guarded(connection))
        }
    }

    private func guarded(_ connection: PostgresConnection) -> any SQLDatabase {
        GuardedPostgresSQL(connection: connection, inner: connection.sql(), timeout: statementTimeout)
    }

    /// Runs `handler` for every notification on `channel` until cancelled, on a connection of its own.
    func listen(_ channel: String, _ handler: @escaping @Sendable (String) async -> Void) async throws {
        guard let client else {
            throw CoreReconError.failed("LISTEN needs the connection pool of `serve`.")
        }
        try await client.withConnection { connection in
            try await connection.listen(on: channel) { notifications in
                for try await notification in notifications { await handler(notification.payload) }
            }
        }
    }

    func withReadConnection<Result: Sendable>(
        _ body: (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        try await withConnection(body)
    }

    func translate(_ error: any Error) -> any Error {
        Self.translate(error, location: location)
    }

    // MARK: - Configuration

    private static func tlsConfiguration(_ mode: PostgresLocation.TLSMode) -> TLSConfiguration? {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch mode {
        case .disable:
            return nil
        case .allow, .prefer, .require:
            // libpq encrypts in these modes but does not verify the server's certificate.
            tls.certificateVerification = .none
        case .verifyCA:
            tls.certificateVerification = .noHostnameVerification
        case .verifyFull:
            tls.certificateVerification = .fullVerification
        }
        return tls
    }

    /// The run-time parameters each session starts with: the URL's `options`, and `jit = off` unless they set
    /// `jit`. The server compiles a statement whose estimated cost passes `jit_above_cost` into machine code before
    /// running it, tens of milliseconds each time; CoreRecon's statements are short, and a bulk ingest on a new
    /// server spent a third of its backend's time in LLVM, the batch writer's look-up of open alerts taking 64 ms
    /// where it takes 8-16 ms uncompiled.
    static func startupParameters(_ location: PostgresLocation) -> [(String, String)] {
        var parameters = location.parameters
        if parameters["jit"] == nil { parameters["jit"] = "off" }
        return parameters.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    private static func clientConfiguration(
        _ location: PostgresLocation,
        config: AppConfig
    ) throws -> PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        if location.isUnixSocket {
            configuration = .init(
                unixSocketPath: "\(location.host)/.s.PGSQL.\(location.port)",
                username: location.user,
                password: location.password,
                database: location.database
            )
        } else {
            let tls: PostgresClient.Configuration.TLS
            switch (location.tlsMode, tlsConfiguration(location.tlsMode)) {
            case (_, nil): tls = .disable
            case (.allow, let settings?), (.prefer, let settings?): tls = .prefer(settings)
            case (_, let settings?): tls = .require(settings)
            }
            configuration = .init(
                host: location.host,
                port: location.port,
                username: location.user,
                password: location.password,
                database: location.database,
                tls: tls
            )
        }
        configuration.options.connectTimeout = .milliseconds(config.connectTimeout.milliseconds)
        configuration.options.maximumConnections = config.poolSize
        configuration.options.additionalStartupParameters = startupParameters(location)
        configuration.options.tlsServerName = location.isUnixSocket ? nil : location.host
        return configuration
    }

    static func connect(_ location: PostgresLocation, config: AppConfig, logger: Logger) async throws
        -> PostgresConnection
    {
        var configuration: PostgresConnection.Configuration
        if location.isUnixSocket {
            configuration = .init(
                unixSocketPath: "\(location.host)/.s.PGSQL.\(location.port)",
                username: location.user,
                password: location.password,
                database: location.database
            )
        } else {
            let tls: PostgresConnection.Configuration.TLS
            do {
                switch (location.tlsMode, tlsConfiguration(location.tlsMode)) {
                case (_, nil): tls = .disable
                case (.allow, let settings?), (.prefer, let settings?):
                    tls = .prefer(try NIOSSLContext(configuration: settings))
                case (_, let settings?): tls = .require(try NIOSSLContext(configuration: settings))
                }
            } catch {
                throw CoreReconError.configuration("cannot set up TLS for PostgreSQL (\(error)).")
            }
            configuration = .init(
                host: location.host,
                port: location.port,
                username: location.user,
                password: location.password,
                database: location.database,
                tls: tls
            )
            configuration.options.tlsServerName = location.host
        }
        configuration.options.connectTimeout = .milliseconds(config.connectTimeout.milliseconds)
        configuration.options.additionalStartupParameters = startupParameters(location)
        do {
            return try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
        } catch {
            throw translate(error, location: location)
        }
    }

    // MARK: - Errors

    static func translate(_ error: any Error, location: PostgresLocation) -> any Error {
        let advice = "Check --database-url or CORERECON_DATABASE_URL."
        if let lost = error as? GuardedPostgresSQL.Failure {
            return CoreReconError.unavailable(
                "lost the connection to PostgreSQL at \(location.endpoint) (\(lost)); retry.")
        }
        if let error = error as? PSQLError {
            if error.code == .server, let state = error.serverInfo?[.sqlState], state.hasPrefix("57P") {
                // 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now: a restart, not bad settings.
                let message = error.serverInfo?[.message] ?? "shutting down"
                return CoreReconError.unavailable(
                    "PostgreSQL at \(location.endpoint) is restarting or shutting down (\(message)); retry shortly.")
            }
            switch error.code {
            case .clientClosedConnection:
                // PostgresNIO says "client closed" of a statement sent while the connection is closing, whatever
                // closed it: during a restart, the server's shutdown message. Like a connection the server
                // closed, it is worth a retry, not an internal error.
                if let cause = error.underlying.flatMap({ translate($0, location: location) as? CoreReconError }),
                    case .unavailable = cause
                {
                    return cause
                }
                return CoreReconError.unavailable(
                    "lost the connection to PostgreSQL at \(location.endpoint) (it was closing); retry.")
            case .connectionError, .sslUnsupported, .failedToAddSSLHandler, .serverClosedConnection,
                .receivedUnencryptedDataAfterSSLRequest, .uncleanShutdown, .poolClosed:
                let reason = error.underlying.map(describeNetworkError) ?? describeCode(error.code)
                return CoreReconError.unavailable(
                    "cannot connect to PostgreSQL at \(location.endpoint) (\(reason)). \(advice)"
                )
            case .server:
                let state = error.serverInfo?[.sqlState] ?? ""
                let message = error.serverInfo?[.message] ?? "server error"
                // 08: connection exceptions, 28: authorization, 3D: unknown database, 57P: server shutting down.
                if state.hasPrefix("08") || state.hasPrefix("28") || state == "3D000" || state.hasPrefix("57P") {
                    return CoreReconError.unavailable(
                        "PostgreSQL at \(location.endpoint) refused the connection as user '\(location.user)' to "
                            + "database '\(location.database)' (\(message)). \(advice)"
                    )
                }
                if let severity = error.serverInfo?[.severity], severity == "FATAL" || severity == "PANIC" {
                    // The server ended the session (a conflict with recovery, a crash of another backend, an
                    // idle timeout): its transaction is gone, and the pool opens another connection.
                    return CoreReconError.unavailable(
                        "PostgreSQL at \(location.endpoint) ended the connection (\(state): \(message)); retry.")
                }
                return CoreReconError.failed("PostgreSQL error \(state): \(message).")
            case .unsupportedAuthMechanism, .authMechanismRequiresPassword, .saslError:
                return CoreReconError.unavailable(
                    "cannot log in to PostgreSQL at \(location.endpoint) as '\(location.user)' "
                        + "(\(describeCode(error.code))). Set the password in the URL or PGPASSWORD. \(advice)"
                )
            default:
                return error
            }
        }
        if error is IOError || error is NIOConnectionError || error is ChannelError {
            return CoreReconError.unavailable(
                "cannot connect to PostgreSQL at \(location.endpoint) (\(describeNetworkError(error))). \(advice)"
            )
        }
        return error
    }

    private static func describeCode(_ code: PSQLError.Code) -> String {
        switch code {
        case .sslUnsupported: "the server does not support TLS; use sslmode=disable or prefer"
        case .serverClosedConnection: "the server closed the connection"
        case .authMechanismRequiresPassword: "a password is required"
        default: "\(code)"
        }
    }

    /// "connection refused", "timed out after 5 s", "host not found" rather than NIO's type dumps.
    private static func describeNetworkError(_ error: any Error) -> String {
        if let error = error as? IOError {
            return String(cString: strerror(error.errnoCode)).lowercased()
        }
        if let error = error as? NIOConnectionError {
            if let first = error.connectionErrors.first {
                return describeNetworkError(first.error)
            }
            if error.dnsAError != nil || error.dnsAAAAError != nil {
                return "host '\(error.host)' not found"
            }
            return "no address to connect to"
        }
        if let error = error as? ChannelError {
            switch error {
            case .connectTimeout(let amount):
                return "timed out after \(Double(amount.nanoseconds) / 1e9) s"
            default:
                return "\(error)"
            }
        }
        if let error = error as? NIOSSLError {
            return "TLS failed: \(error)"
        }
        if let error = error as? PSQLError {
            return error.underlying.map(describeNetworkError) ?? describeCode(error.code)
        }
        return "\(error)"
    }
}

/// A connection's SQL interface that can neither lose a statement nor wait on one forever.
///
/// PostgresNIO writes a statement into the channel without a write promise: one written just after the server
/// closed the connection (a restart) is dropped, and its caller waits forever (a group-commit writer waiting so
/// stalls every ingest). Here each statement is sent from the connection's event loop after checking the channel
/// is still open, so it either reaches the connection's handler, which fails it if the connection then closes, or
/// fails at once. A statement with no answer within `timeout` (a server gone silent) closes the connection, which
/// the pool then replaces, and fails.
struct GuardedPostgresSQL: PlainRowReading, WrappedSQLDatabase {
    enum Failure: Error, CustomStringConvertible {
        case closed
        case timedOut(TimeAmount)

        var description: String {
            switch self {
            case .closed: "the connection is closed"
            case .timedOut(let amount): "no answer within \(amount.nanoseconds / 1_000_000_000) s"
            }
        }
    }

    let connection: PostgresConnection
    let inner: any SQLDatabase
    let timeout: TimeAmount?

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void)
        -> EventLoopFuture<Void>
    {
        let inner = inner
        return guarded { inner.execute(sql: query, onRow) }
    }

    /// Starts `statement` on the connection's event loop once the channel is seen open (or fails at once), and
    /// fails it, closing the connection, when no answer comes within the timeout.
    private func guarded<Value: Sendable>(_ statement: @escaping @Sendable () -> EventLoopFuture<Value>)
        -> EventLoopFuture<Value>
    {
        let connection = connection
        let timeout = timeout
        let loop = connection.eventLoop
        return loop.flatSubmit {
            guard !connection.isClosed else { return loop.makeFailedFuture(Failure.closed) }
            let result = statement()
            guard let timeout else { return result }
            let promise = loop.makePromise(of: Value.self)
            // Both callbacks run on `loop`, so they cannot race; NIO ignores a second completion anyway.
            let timer = loop.scheduleTask(in: timeout) {
                promise.fail(Failure.timedOut(timeout))
                let _: EventLoopFuture<Void> = connection.close()
            }
            result.whenComplete { outcome in
                timer.cancel()
                promise.completeWith(outcome)
            }
            return promise.futureResult
        }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try await execute(sql: query, onRow).get()
    }

    func plainRows(_ query: any SQLExpression) async throws -> [PlainRow]? {
        var serializer = SQLSerializer(database: self)
        query.serialize(to: &serializer)
        var bindings = PostgresBindings(capacity: serializer.binds.count)
        for bind in serializer.binds {
            switch bind {
            case let value as Int64: bindings.append(value)
            case let value as Int: bindings.append(value)
            case let value as String: bindings.append(value)
            case let value as Double: bindings.append(value)
            case let value as Bool: bindings.append(value)
            default: return nil
            }
        }
        return try await rows(serializer.sql, bindings)
    }

    func plainRows(_ statement: PlainStatement) async throws -> [PlainRow] {
        var bindings = PostgresBindings(capacity: statement.binds.count)
        for value in statement.binds { try value.append(to: &bindings) }
        return try await rows(statement.sql, bindings)
    }

    /// Runs the query as `execute` does (``guarded(_:)``).
    private func rows(_ sql: String, _ bindings: PostgresBindings) async throws -> [PlainRow] {
        let connection = connection
        let logger = logger
        let result = try await guarded {
            connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger)
        }.get()
        var rows: [PlainRow] = []
        rows.reserveCapacity(result.rows.count)
        for row in result.rows {
            var values: [PlainValue] = []
            values.reserveCapacity(row.count)
            for cell in row { values.append(try PlainValue(cell)) }
            rows.append(PlainRow(values: values))
        }
        return rows
    }
}
