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

    @Test(
        "Columns bound as arrays come back as the rows they were: NULLs, empty and escaped text, bytes, extreme integers",
        arguments: TestDatabases.backends)
    func columnsAsArrays(backend: DatabaseBackend) async throws {
        let rows: [[PlainValue]] = [
            [.integer(Int64.min), .text(""), .bytes([0, 1, 255]), .null],
            [.integer(Int64.max), .text("tab\tquote\" back\\slash ☃ {a,b} NULL"), .bytes([]), .text("x")],
            [.integer(0), .null, .null, .text("'; DROP TABLE alerts; --")],
        ]
        // Beside them, enough rows for PostgreSQL to bind arrays (and fewer, for `VALUES`).
        let filler: [[PlainValue]] = (1...PlainStatement.arrayRows).map {
            [.integer(Int64($0)), .text("row \($0)"), .bytes([UInt8($0)]), .null]
        }
        try await TestDatabases.withServices(backend) { services in
            for (set, arrays) in [(rows, false), (rows + filler, backend == .postgres)] {
                var statement = PlainStatement(backend, "WITH t (n, s, b, o) AS (")
                statement.bindColumns([.int8, .text, .bytea, .text], rows: set)
                statement.append(") SELECT n, s, b, o FROM t ORDER BY n")
                #expect(statement.binds.count == (arrays ? 4 : set.count * 4), "one value a column as arrays")
                let read = try await services.database.withConnection { sql in try await sql.run(statement) }
                let ordered = set.sorted { first, second in
                    guard case .integer(let a) = first[0], case .integer(let b) = second[0] else { return false }
                    return a < b
                }
                #expect(read.map(\.values) == ordered)
            }
            if backend == .sqlite {
                // SQLite has no arrays: it gets the JSON array's text, for `json_each`.
                var statement = PlainStatement(backend, "SELECT value FROM json_each(")
                statement.bind(.array(PlainArray(element: .text, values: rows.map { $0[1] } + [.text("two\nlines")])))
                statement.append(") ORDER BY key")
                let read = try await services.database.withConnection { sql in try await sql.run(statement) }
                #expect(read.map(\.values) == (rows.map { [$0[1]] } + [[.text("two\nlines")]]))
            }
            if backend == .postgres {
                var empty = PlainStatement(backend, "SELECT count(*) FROM unnest(")
                empty.bind(.array(PlainArray(element: .text, values: [])))
                empty.append("::text[])")
                let count = try await services.database.withConnection { sql in try await sql.run(empty) }
                #expect(try count.first?.int64(0) == 0)
                var wrong = PlainStatement(backend, "SELECT count(*) FROM unnest(")
                wrong.bind(.array(PlainArray(element: .int8, values: [.text("1")])))
                wrong.append("::int8[])")
                await #expect(throws: CoreReconError.self) {
                    _ = try await services.database.withConnection { sql in try await sql.run(wrong) }
                }
            }
        }
    }

    @Test(
        "On PostgreSQL the batch writer's look-ups probe their indexes key by key, on a table a scan would have read whole",
        .enabled(if: TestDatabases.backends.contains(.postgres), "needs CORERECON_TEST_POSTGRES_URL"))
    func lookupsProbeIndexes() async throws {
        try await TestDatabases.withServices(.postgres) { services in
            let id = try #require(try await SLATests.ingest([SLATests.eve(flow: 1)], into: services).first)
            try await services.database.withConnection { sql in
                // 50,000 open alerts with 4 observables each, 200,000 deliveries: sizes at which the planner chose
                // a scan of the whole table for a thousand keys in `IN (...)`.
                try await sql.raw(
                    """
                    INSERT INTO alerts (id, fingerprint, fingerprint_basis, origin_key, format, source, product, title,
                        severity_id, first_seen, last_seen, created_at, updated_at, ocsf)
                    SELECT \(bind: id) + g, md5(g::text), '', '', 'generic', 'test', 'p', 't', 3, 0, 0, 0, 0,
                        '\\x00'::bytea
                    FROM generate_series(1, 50000) AS g
                    """
                ).run()
                try await sql.raw(
                    """
                    INSERT INTO alert_observables (alert_id, type, value)
                    SELECT a.id, 'ip', '10.0.' || (a.id % 256) || '.' || g FROM alerts a, generate_series(1, 4) AS g
                    WHERE a.id > \(bind: id)
                    """
                ).run()
                try await sql.raw(
                    """
                    INSERT INTO alert_deliveries (delivery_key, alert_id, received_at, event_time)
                    SELECT md5(g::text), \(bind: id) + 1 + g % 50000, 0, 0 FROM generate_series(1, 200000) AS g
                    """
                ).run()
                try await sql.raw("ANALYZE alert_deliveries, alert_observables, alerts").run()
            }
            let keys = (1...1_000).map { "key-\($0)" }
            let statements: [(PlainStatement, String)] = [
                (AlertBatchWriter.deliveryLookup(.postgres, keys), "alert_deliveries_pkey"),
                (AlertBatchWriter.openAlertLookup(.postgres, keys), "alerts_open_fingerprint"),
                (
                    AlertBatchWriter.heldObservableLookup(
                        Array((id + 1)...(id + 300)), values: (1...800).map { "10.0.\($0 % 256).\($0 % 4 + 1)" }),
                    "alert_observables_alert"
                ),
            ]
            for (statement, index) in statements {
                let explain = PlainStatement(.postgres, sql: "EXPLAIN " + statement.sql, binds: statement.binds)
                let plan = try await services.database.withConnection { sql in
                    try await sql.run(explain).map { try $0.text(0) }.joined(separator: "\n")
                }
                #expect(!plan.contains("Seq Scan"), "\(plan)")
                #expect(plan.contains("Nested Loop") && plan.contains(index), "\(plan)")
            }
            // The look-ups answer as the `IN` lists did.
            let found = try await services.database.withConnection { sql in
                try await sql.run(
                    AlertBatchWriter.deliveryLookup(.postgres, ["nope", "c4ca4238a0b923820dcc509a6f75849b"]))
            }
            #expect(found.map(\.values) == [[.text("c4ca4238a0b923820dcc509a6f75849b"), .integer(id + 2)]])
            let value = "10.0.\((id + 1) % 256).3"
            let held = try await services.database.withConnection { sql in
                try await sql.run(AlertBatchWriter.heldObservableLookup([id, id + 1], values: [value, "10.9.9.9"]))
            }
            #expect(held.map(\.values) == [[.integer(id + 1), .text("ip"), .text(value)]])
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
