import CoreRecon
import CoreReconTestSupport
import SQLKit
import Testing

@testable import CoreReconStore

@Suite("Rows read straight from the driver")
struct PlainRowsTests {
    @Test(
        "Alerts read by position from the driver equal alerts read through SQLKit, NULLs, numbers and aggregates included",
        arguments: TestDatabases.backends)
    func sameAlerts(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            let ids = try await SLATests.ingest((1...30).map { SLATests.eve(flow: $0) }, into: services)
            try await services.database.withConnection { sql in
                try await sql.raw(
                    "UPDATE alerts SET assignee = 'ana', close_reason = 'false_positive' WHERE id = \(bind: ids[3])"
                ).run()
                for technique in ["T1071.001", "T1059"] {
                    try await sql.raw(
                        "INSERT INTO alert_techniques (alert_id, technique_id) VALUES (\(bind: ids[5]), \(bind: technique))"
                    ).run()
                }
            }
            let statement: SQLQueryString = """
                SELECT \(unsafeRaw: SQLAlertRepository.alertColumns(backend)) FROM alerts
                WHERE alerts.id >= \(bind: ids[0]) AND alerts.source IN (\(binds: ["test", "wazuh"]))
                ORDER BY alerts.id
                """
            let (plain, throughSQLKit, fromDriver) = try await services.database.read { sql in
                (
                    try await SQLAlertRepository.alerts(statement, on: sql),
                    try await sql.raw(statement).all().map(SQLAlertRepository.decodeAlert),
                    try await (sql as? any PlainRowReading)?.plainRows(statement)?.count
                )
            }
            #expect(fromDriver == ids.count, "the connection reads the rows itself, not through SQLKit")
            #expect(plain.count == ids.count)
            #expect(plain == throughSQLKit)
            let assigned = try #require(plain.first { $0.id == ids[3] })
            #expect(assigned.assignee == "ana" && assigned.closeReason == .falsePositive && assigned.vendor == "OISF")
            #expect(plain.first { $0.id == ids[5] }?.techniques == ["T1059", "T1071.001"])
            #expect(plain.first { $0.id == ids[0] }?.assignee == nil)
        }
    }

    @Test("A value of the wrong kind is an error naming the column, not a crash")
    func mismatch() throws {
        let row = PlainRow(values: [.text("x"), .null, .integer(Int64.max)])
        #expect(throws: CoreReconError.self) { try row.int64(0) }
        #expect(throws: CoreReconError.self) { try row.text(1) }
        #expect(try row.optionalText(1) == nil)
        #expect(throws: CoreReconError.self) { try row.text(5) }
        #expect(try row.int64(2) == Int64.max)
        do {
            _ = try row.int64(0)
        } catch {
            #expect("\(error)".contains("column 1"), "\(error)")
        }
    }
}
