import CoreRecon
import CoreReconStore
import CoreReconTestSupport
import Foundation
import Testing

/// The hash-chained audit log against real databases: what writes it, tampering, and concurrent appends.
@Suite("Audit log")
struct AuditLogTests {
    /// Lets a test tamper with the log the way someone with database access could: without the triggers that
    /// refuse UPDATE and DELETE.
    static func dropTriggers(_ services: AppServices) async throws {
        switch services.database.backend {
        case .sqlite:
            try await services.database.execute("DROP TRIGGER audit_log_no_update")
            try await services.database.execute("DROP TRIGGER audit_log_no_delete")
        case .postgres:
            try await services.database.execute("DROP TRIGGER audit_log_append_only ON audit_log")
        }
    }

    /// Five rows: an ingest batch, an alert change, an incident, a user and an API key.
    static func makeChanges(_ services: AppServices) async throws {
        let session = services.makeIngestSession(format: nil, sourceLabel: "test", actor: "key:siem")
        try await session.add(Array(AlertPipelineTests.eve().utf8), location: "test:1")
        let summary = try await session.finish()
        let alertID = try #require(summary.alertIDs.first)
        try await services.alerts.apply(.acknowledge, to: alertID, by: "ana")
        _ = try await services.incidents.create(.init(title: "Phishing wave", severity: .high), by: "ana")
        _ = try await services.auth.addUser(name: "bob", role: .analyst, password: "correct horse battery", by: "root")
        _ = try await services.auth.createAPIKey(name: "splunk", role: .ingest, expiresIn: nil, createdBy: "root")
    }

    @Test("Changes append chained rows with actor, action, target and before/after", arguments: TestDatabases.backends)
    func recording(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            var services = services
            services.passwordHasher = BcryptHasher(cost: 4)
            try await Self.makeChanges(services)
            let rows = try await services.audit.list(AuditQuery())
            #expect(rows.map(\.id) == [5, 4, 3, 2, 1])
            #expect(
                rows.map(\.action) == [
                    "key.create", "user.add", "incident.create", "alert.acknowledge", "ingest.batch",
                ])
            let ingest = try #require(rows.last)
            #expect(ingest.actor == "key:siem")
            #expect(ingest.target == "ingest:test")
            #expect(ingest.changes?.after["created"] == "1")
            #expect(ingest.previousHash == AuditChain.genesis)
            let acknowledge = rows[3]
            #expect(acknowledge.target.hasPrefix("alert:"))
            #expect(acknowledge.changes == AuditSummary(before: ["status": "new"], after: ["status": "acknowledged"]))
            #expect(acknowledge.previousHash == ingest.hash)
            #expect(rows[2].target.hasPrefix("incident:IR-"))
            #expect(rows[2].changes?.after["create"]?.hasPrefix("IR-") == true)
            // Never a secret: the password and the key are nowhere in the log.
            #expect(!rows.contains { $0.summary.contains("correct horse") || $0.summary.contains("crk_") })

            #expect(try await services.audit.list(AuditQuery(actor: "root")).count == 2)
            #expect(try await services.audit.list(AuditQuery(action: "incident")).count == 1)
            #expect(try await services.audit.list(AuditQuery(action: "incident.create")).count == 1)
            #expect(try await services.audit.list(AuditQuery(action: "incid")).isEmpty)
            #expect(try await services.audit.list(AuditQuery(target: "user:bob")).map(\.action) == ["user.add"])
            #expect(try await services.audit.list(AuditQuery(limit: 2)).map(\.id) == [5, 4])

            let result = try await services.audit.verify()
            #expect(result.isIntact)
            #expect(result.rowsChecked == 5)
            #expect(result.lastHash == rows[0].hash)
        }
    }

    @Test("A refused change writes no audit row", arguments: TestDatabases.backends)
    func refusedChange(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            let key = try await services.incidents.create(.init(title: "Scan"), by: "ana").key
            await #expect(throws: CoreReconError.self) {
                try await services.incidents.reopen(key, message: nil, by: "ana")
            }
            await #expect(throws: CoreReconError.self) {
                try await services.auth.revokeAPIKey(named: "none", by: "ana")
            }
            #expect(try await services.audit.list(AuditQuery()).count == 1)
            #expect(try await services.audit.verify().isIntact)
        }
    }

    @Test("The table refuses UPDATE and DELETE", arguments: TestDatabases.backends)
    func appendOnly(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            _ = try await services.incidents.create(.init(title: "Scan"), by: "ana")
            await #expect(throws: (any Error).self) {
                try await services.database.execute("UPDATE audit_log SET actor = 'mallory'")
            }
            await #expect(throws: (any Error).self) { try await services.database.execute("DELETE FROM audit_log") }
            #expect(try await services.audit.verify().isIntact)
        }
    }

    @Test("verify names the first altered, removed or reordered row", arguments: TestDatabases.backends)
    func tampering(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            var services = services
            services.passwordHasher = BcryptHasher(cost: 4)
            try await Self.makeChanges(services)
            try await Self.dropTriggers(services)
            let rows = try await services.audit.list(AuditQuery())

            // A changed field.
            try await services.database.execute("UPDATE audit_log SET actor = 'mallory' WHERE id = 3")
            var problem = try #require(try await services.audit.verify().problem)
            #expect(problem.kind == .altered)
            #expect(problem.id == 3)
            try await services.database.execute("UPDATE audit_log SET actor = 'ana' WHERE id = 3")
            #expect(try await services.audit.verify().isIntact)

            // A row rewritten with a hash that matches its new contents: the next row's link gives it away.
            let forged = AuditEntry(
                AuditEvent(
                    at: rows[2].at, actor: "mallory", action: rows[2].action, target: rows[2].target,
                    summary: AuditSummary()),
                id: 3, previousHash: rows[2].previousHash)
            try await services.database.execute(
                "UPDATE audit_log SET actor = 'mallory', summary = '\(forged.summary)', hash = '\(forged.hash)' WHERE id = 3"
            )
            problem = try #require(try await services.audit.verify().problem)
            #expect(problem.kind == .altered)
            #expect(problem.id == 3)
            try await services.database.execute(
                "UPDATE audit_log SET actor = 'ana', summary = '\(rows[2].summary)', hash = '\(rows[2].hash)' WHERE id = 3"
            )

            // Two rows swapped.
            try await services.database.execute("UPDATE audit_log SET id = 100 WHERE id = 2")
            try await services.database.execute("UPDATE audit_log SET id = 2 WHERE id = 3")
            try await services.database.execute("UPDATE audit_log SET id = 3 WHERE id = 100")
            problem = try #require(try await services.audit.verify().problem)
            #expect(problem.kind == .reordered)
            #expect(problem.id == 2)
            try await services.database.execute("UPDATE audit_log SET id = 100 WHERE id = 2")
            try await services.database.execute("UPDATE audit_log SET id = 2 WHERE id = 3")
            try await services.database.execute("UPDATE audit_log SET id = 3 WHERE id = 100")
            #expect(try await services.audit.verify().isIntact)

            // A deleted row in the middle, then the newest one.
            try await services.database.execute("DELETE FROM audit_log WHERE id = 2")
            problem = try #require(try await services.audit.verify().problem)
            #expect(problem.kind == .removed)
            #expect(problem.id == 2)
            #expect(problem.description.contains("row 2 is missing"))
            try await services.database.execute("DELETE FROM audit_log WHERE id >= 2")
            problem = try #require(try await services.audit.verify().problem)
            #expect(problem.kind == .removed)
            #expect(problem.id == 2)
            #expect(problem.description.contains("rows 2–5 are missing from the end"))
        }
    }

    @Test("Concurrent changes keep one linear chain", arguments: TestDatabases.backends)
    func concurrentAppends(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            let incidents = services.incidents
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<20 {
                    group.addTask { _ = try await incidents.create(.init(title: "Incident \(index)"), by: "ann") }
                }
                try await group.waitForAll()
            }
            let rows = try await services.audit.list(AuditQuery())
            #expect(rows.count == 20)
            #expect(Set(rows.map(\.id)) == Set(1...20))
            let result = try await services.audit.verify(pageSize: 7)
            #expect(result.isIntact, "\(result.problem.map(String.init(describing:)) ?? "")")
            #expect(result.rowsChecked == 20)
        }
    }
}
