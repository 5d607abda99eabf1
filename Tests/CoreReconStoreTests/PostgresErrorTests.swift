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
        // channel still open. A restart's shutdown message closes connections the same way.
        let inFlight = Task { try await connection.query("SELECT pg_sleep(1)", logger: logger).collect() }
        try await Task.sleep(for: .milliseconds(200))
        let closing = Task { try await connection.closeGracefully() }
        try await Task.sleep(for: .milliseconds(200))
        #expect(!connection.isClosed)
        let error = await #expect(throws: PSQLError.self) {
            try await connection.query("SELECT 1", logger: logger).collect()
        }
        #expect(error?.code == .clientClosedConnection)
        let translated = PostgresConnectionProvider.translate(try #require(error), location: location)
        #expect(Self.isUnavailable(translated), "\(translated)")
        #expect("\(translated)".contains(location.endpoint), "\(translated)")
        _ = try await inFlight.value
        try await closing.value
    }

    @Test("A connection the server ends (as a restart does) fails the next statement as unavailable, at once")
    func endedConnection() async throws {
        let location = try Self.location()
        var config = AppConfig(database: .postgres(location))
        config.connectionPool = false
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
