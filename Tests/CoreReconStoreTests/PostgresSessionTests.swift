import CoreRecon
import CoreReconTestSupport
import PostgresNIO
import SQLKit
import Testing

@testable import CoreReconStore

@Suite(
    "PostgreSQL sessions",
    .enabled(if: TestDatabases.postgresURL != nil, "needs CORERECON_TEST_POSTGRES_URL"))
struct PostgresSessionTests {
    @Test("Sessions start with JIT compilation off, pooled or not, unless the URL's options turn it on")
    func jitOff() async throws {
        let logger = TestDatabases.quietLogger
        try await TestDatabases.withServices(.postgres) { services in
            let pooled = try await services.database.withConnection { sql in
                try await sql.raw("SHOW jit").first(decodingColumn: "jit", as: String.self)
            }
            #expect(pooled == "off")
        }
        var location = try PostgresErrorTests.location()
        for (setting, expected) in [(nil, "off"), ("on", "on")] {
            location.parameters["jit"] = setting
            let connection = try await PostgresConnectionProvider.connect(
                location, config: AppConfig(database: .postgres(location)), logger: logger)
            let rows = try await connection.query("SHOW jit", logger: logger).collect()
            try await connection.close()
            #expect(try rows.first?.decode(String.self) == expected, "options: \(location.parameters)")
        }
    }
}
