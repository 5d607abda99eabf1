import CoreRecon
import CoreReconTestSupport
import PostgresNIO
import Testing

@testable import CoreReconStore

/// How PostgreSQL's connection failures reach callers: as "unavailable" (a 503 with `Retry-After` from the API, a
/// retry for the webhook sender), never as an unexplained internal error.
@Suite(
    "PostgreSQL connection errors",
    .enabled(if: TestDatabases.postgresURL != nil, "needs CORERECON_TEST_POSTGRES_URL"))
struct PostgresErrorTests {
    static func location() throws -> PostgresLocation {
        guard case .postgres(let location) = try DatabaseLocation(url: try #require(TestDatabases.postgresURL)) else {
            throw CoreReconError.configuration("CORERECON_TEST_POSTGRES_URL is not a PostgreSQL URL")
        }
        return location
    }

    static func isUnavailable(_ error: any Error) -> Bool {
        if case .unavailable? = error as? CoreReconError { return true }
        return false
    }

    @Test("A statement sent while a connection closes is a retryable error, not an internal one")
    func closingConnection() async throws {
        let location = try Self.location()
        let logger = TestDatabases.quietLogger
        let connection = try await PostgresConnectionProvider.connect(
            location, config: AppConfig(database: .postgres(location)), logger: logger)
        // A connection closing waits for the statement in flight; one sent meanwhile is refused at once, the
        // channel still open. A restart's shutdown message closes connections the same way. The statement in
        // flight waits for an advisory lock another connection holds, so the close cannot end before the test's
        // statement goes out (PostgresNIO never answers one sent on a closed channel).
        let holder = try await PostgresConnectionProvider.connect(
            location, config: AppConfig(database: .postgres(location)), logger: logger)
        _ = try await holder.query("SELECT pg_advisory_lock(424242)", logger: logger).collect()
        let inFlight = Task {
            try await connection.query("SELECT pg_advisory_lock(424242)", logger: logger).collect()
        }
        var waiting = false
        for _ in 0..<600 where !waiting {
            waiting =
                try await holder.query(
                    """
                    SELECT COUNT(*) FROM pg_stat_activity
                    WHERE query = 'SELECT pg_advisory_lock(424242)' AND wait_event_type = 'Lock'
                    """,
                    logger: logger
                ).collect().first?.decode(Int64.self) == 1
            if !waiting { try await Task.sleep(for: .milliseconds(50)) }
        }
        try #require(waiting, "the statement in flight never reached the lock")
        let closing = Task { try await connection.closeGracefully() }
        try await Task.sleep(for: .seconds(1))
        try #require(!connection.isClosed)
        let error = await #expect(throws: PSQLError.self) {
            try await connection.query("SELECT 1", logger: logger).collect()
        }
        #expect(error?.code == .clientClosedConnection)
        let translated = PostgresConnectionProvider.translate(try #require(error), location: location)
        #expect(Self.isUnavailable(translated), "\(translated)")
        #expect("\(translated)".contains(location.endpoint), "\(translated)")
        _ = try await holder.query("SELECT pg_advisory_unlock(424242)", logger: logger).collect()
        try await holder.close()
        _ = try await inFlight.value
        try await closing.value
    }

    @Test("A connection the server ends, as a restart does: the next statement fails as unavailable")
    func endedConnection() async throws {
        let location = try Self.location()
        var config = AppConfig(database: .postgres(location))
        config.connectionPool = false
        // A statement sent before the server's message arrives can be lost with the connection; the statement
        // timeout (two minutes by default) is what then fails it, as unavailable too.
        config.statementTimeout = .seconds(5)
        try await Database.withDatabase(config, logger: TestDatabases.quietLogger) { database in
            let pid = try await database.withConnection {
                try await $0.raw("SELECT pg_backend_pid() AS pid").first(decodingColumn: "pid", as: Int.self)
            }
            let victim = try #require(pid)
            try await Database.withDatabase(config, logger: TestDatabases.quietLogger) { other in
                try await other.execute("SELECT pg_terminate_backend(\(victim))")
            }
            let error = await #expect(throws: (any Error).self) { try await database.execute("SELECT 1") }
            #expect(error.map(Self.isUnavailable) == true, "\(String(describing: error))")
        }
    }
}
