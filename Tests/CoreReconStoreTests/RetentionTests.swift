import CoreRecon
import CoreReconTestSupport
import Foundation
import SQLKit
import Testing

@testable import CoreReconStore

@Suite("Retention: alert and incident purges")
struct RetentionTests {
    /// A Suricata alert of flow `flow` whose event happened at `time`.
    static func eve(flow: Int, at time: String) -> String {
        SLATests.eve(flow: flow).replacingOccurrences(of: "2026-11-20T10:00:00.000000+0000", with: time)
    }

    static func rows(_ table: String, _ services: AppServices) async throws -> Int {
        try await Backups.count(table, services.database)
    }

    /// The counts the purge audit entries of `action` add up to.
    static func audited(_ action: String, _ services: AppServices) async throws -> [Int] {
        try await services.audit.list(AuditQuery(action: action, limit: 1_000)).compactMap { entry in
            guard let range = entry.summary.range(of: #""count"\s*:\s*"[0-9]+""#, options: .regularExpression) else {
                return nil
            }
            return Int(entry.summary[range].filter(\.isNumber))
        }
    }

    @Test(
        "Alerts last seen before the cutoff go in batches, audited, except those an open incident holds",
        arguments: TestDatabases.backends)
    func alerts(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            let old = (1...1_203).map { Self.eve(flow: $0, at: "2026-10-01T10:00:00.000000+0000") }
            let recent = (2_001...2_003).map { Self.eve(flow: $0, at: ISO8601Format.string(from: services.now())) }
            _ = try await SLATests.ingest(old + recent, into: services)
            #expect(try await Self.rows("alerts", services) == 1_206)
            // The first old alert goes into an incident that stays open.
            let held = try #require(
                try await services.database.withConnection { sql in
                    try await sql.raw("SELECT MIN(id) AS id FROM alerts").first(decodingColumn: "id", as: Int64.self)
                })
            _ = try await services.incidents.create(.init(title: "Still open"), alerts: [held], by: "ann")
            let retention = Retention(database: services.database, now: services.now, pacing: .fixed(500))
            let cutoff = services.now().addingTimeInterval(-30 * 86_400)

            let dry = try await retention.purgeAlerts(olderThan: cutoff, dryRun: true, actor: "ann")
            #expect(dry.purged == 1_202 && dry.keptForOpenIncidents == 1)
            #expect(try await Self.rows("alerts", services) == 1_206, "a dry run deletes nothing")
            let onlyClosed = try await retention.purgeAlerts(
                olderThan: cutoff, statuses: [.closed], dryRun: true, actor: "ann")
            #expect(onlyClosed.purged == 0)

            let summary = try await retention.purgeAlerts(olderThan: cutoff, actor: "ann")
            #expect(summary.purged == 1_202)
            #expect(summary.keptForOpenIncidents == 1)
            #expect(summary.batches == 3, "500 a transaction")
            // Paced as serve and the CLI pace it, the same purge of what is left takes batches sized by time.
            let more = (3_001...3_300).map { Self.eve(flow: $0, at: "2026-10-02T10:00:00.000000+0000") }
            _ = try await SLATests.ingest(more, into: services)
            let paced = try await Retention(database: services.database, now: services.now)
                .purgeAlerts(olderThan: cutoff, actor: "ann")
            #expect(paced.purged == 300 && paced.batches >= 2, "the first batch takes 100: \(paced.batches)")
            #expect(summary.oldest.map(ISO8601Format.string(from:)) == "2026-10-01T10:00:00.000Z")
            #expect(try await Self.rows("alerts", services) == 4)
            // What an alert holds goes with it: deliveries, observables, the full-text index.
            for table in ["alert_deliveries", "alert_observables"] {
                let orphans = try await services.database.withConnection { sql in
                    try await sql.raw(
                        "SELECT COUNT(*) AS n FROM \(unsafeRaw: table) WHERE alert_id NOT IN (SELECT id FROM alerts)"
                    ).first(decodingColumn: "n", as: Int.self)
                }
                #expect(orphans == 0, "\(table)")
            }
            if backend == .sqlite { #expect(try await Self.rows("alerts_fts", services) == 4) }
            var search = AlertQuery()
            search.search = "Test 17"
            #expect(try await services.alerts.list(search).alerts.isEmpty)
            // Each batch has its audit entry, and the chain still verifies.
            #expect(try await Self.audited("alert.purge", services).reduce(0, +) == 1_502)
            #expect(Array(try await Self.audited("alert.purge", services).sorted().suffix(3)) == [202, 500, 500])
            #expect(try await services.audit.verify().isIntact)
            // Nothing left to purge: a second run changes nothing and writes no entry.
            #expect(try await retention.purgeAlerts(olderThan: cutoff, actor: "ann").purged == 0)
            #expect(try await Self.audited("alert.purge", services).count == 3 + paced.batches)
        }
    }

    @Test(
        "Closed incidents closed before the cutoff go with what they hold; shared evidence stays, open incidents stay",
        arguments: TestDatabases.backends)
    func incidents(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            let shared = Data("a capture two incidents hold".utf8)
            let own = Data("a memory image only one incident holds".utf8)
            let closing = try await services.incidents.create(.init(title: "Done"), by: "ann").key
            let open = try await services.incidents.create(.init(title: "Ongoing"), by: "ann").key
            let alsoClosing = try await services.incidents.create(.init(title: "Also done"), by: "ann").key
            _ = try await services.incidents.addEvidence(
                closing, content: shared, fileName: "a.pcap", description: nil, by: "ann")
            _ = try await services.incidents.addEvidence(
                open, content: shared, fileName: "b.pcap", description: nil, by: "ann")
            _ = try await services.incidents.addEvidence(
                alsoClosing, content: own, fileName: "mem.raw", description: nil, by: "ann")
            for key in [closing, alsoClosing] {
                _ = try await services.incidents.close(
                    key, resolution: .falsePositive, summary: "nothing there", lessons: nil, by: "ann")
            }
            let retention = Retention(database: services.database, now: services.now)
            let later = services.now().addingTimeInterval(60)
            #expect(try await retention.purgeIncidents(closedBefore: later, dryRun: true, actor: "ann").purged == 2)
            #expect(
                try await retention.purgeIncidents(closedBefore: services.now().addingTimeInterval(-60), actor: "ann")
                    .purged == 0, "closed just now: not before a minute ago")

            let summary = try await retention.purgeIncidents(closedBefore: later, actor: "ann")
            #expect(summary.purged == 2)
            #expect(summary.evidenceFiles == 1, "the shared capture stays with the open incident")
            #expect(try await Self.rows("incidents", services) == 1)
            #expect(try await Self.rows("evidence_blobs", services) == 1)
            #expect(try await services.incidents.verifyEvidence(open, evidence: 2, by: "ann").isIntact)
            for table in ["incident_timeline", "incident_history", "incident_evidence"] {
                let orphans = try await services.database.withConnection { sql in
                    try await sql.raw(
                        "SELECT COUNT(*) AS n FROM \(unsafeRaw: table) WHERE incident_id NOT IN (SELECT id FROM incidents)"
                    ).first(decodingColumn: "n", as: Int.self)
                }
                #expect(orphans == 0, "\(table)")
            }
            #expect(try await Self.audited("incident.purge", services) == [2])
            #expect(try await services.audit.verify().isIntact)
        }
    }

    @Test("Purge batches are sized to hold the write lock about 25 ms, and on SQLite pause as long between them")
    func pacing() {
        var pacer = PurgePacing().start(backend: .sqlite)
        #expect(pacer.size == 100)
        // Fast batches grow, at most doubling a step, up to the bound.
        #expect(pacer.next(after: .milliseconds(5)) == .milliseconds(25), "never less than the minimum pause")
        #expect(pacer.size == 200)
        for _ in 0..<10 { _ = pacer.next(after: .milliseconds(1)) }
        #expect(pacer.size == 2_000)
        // A slow batch halves the next, and the pause is as long as the batch.
        #expect(pacer.next(after: .milliseconds(200)) == .milliseconds(200))
        #expect(pacer.size == 1_000)
        // At the budget the size holds.
        _ = pacer.next(after: .milliseconds(25))
        #expect(pacer.size == 1_000)
        // 50 ms for 1,000 rows: 500 make 25 ms.
        _ = pacer.next(after: .milliseconds(50))
        #expect(pacer.size == 500)
        for _ in 0..<20 { _ = pacer.next(after: .seconds(1)) }
        #expect(pacer.size == 10)

        var postgres = PurgePacing().start(backend: .postgres)
        #expect(postgres.next(after: .milliseconds(40)) == .zero, "PostgreSQL locks rows: no pause")
        #expect(postgres.size == 63)
        var fixed = PurgePacing.fixed(500).start(backend: .sqlite)
        #expect(fixed.next(after: .seconds(1)) == .zero && fixed.size == 500)
    }

    @Test(
        "Stream events are pruned from the oldest on, up to the first young enough to keep, and never past a consumer's cursor",
        arguments: TestDatabases.backends)
    func streamEventPruning(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            let now = Date()
            // Hours ago of events 1 to 7; the fourth is stamped older than the third, as a second process's clock may.
            let ages: [Double] = [30, 29, 3, 28, 2, 27, 1]
            let events = ages.map {
                StoredEvent(
                    at: now.addingTimeInterval(-$0 * 3_600), type: "alert.created", channel: "alerts", severity: nil,
                    source: nil, assignee: nil, payload: "{}")
            }
            let stored = try await services.database.transaction { sql in
                try await EventLog.append(events, on: sql, backend: backend)
            }
            let ids = stored.map(\.id)
            let log = EventLog(database: services.database)
            func kept() async throws -> [Int64] { try await log.events(after: 0).map(\.id) }
            let dayAgo = now.addingTimeInterval(-EventLog.retention)
            // A consumer has read up to the first event only.
            #expect(try await log.prune(before: dayAgo, keepingAfter: ids[0]) == 1)
            #expect(try await kept() == Array(ids[1...]))
            // Without one: the second goes, and the old ones after the third wait for it.
            #expect(try await log.prune(before: dayAgo) == 1)
            #expect(try await kept() == Array(ids[2...]))
            #expect(try await log.prune(before: dayAgo) == 0)
            // Once the third is old enough, the fourth goes with it; the fifth stops the pruning again.
            #expect(try await log.prune(before: now.addingTimeInterval(-2.5 * 3_600)) == 2)
            #expect(try await kept() == Array(ids[4...]))
            // Everything older than the future: all of them.
            #expect(try await log.prune(before: now.addingTimeInterval(60)) == 3)
            #expect(try await kept().isEmpty)
        }
    }
}
