import CoreRecon
import CoreReconStore
import CoreReconTestSupport
import Foundation
import SQLKit
import Testing

@Suite("SLA clocks")
struct SLATests {
    /// High and critical alerts: acknowledge in 15 min, resolve in 4 h, with breach actions; the rest 1 d / 5 d.
    static func settings() -> SLASettings {
        var settings = SLASettings()
        var urgent = SLAPolicy(name: "urgent", target: .alert)
        urgent.severities = [.high, .critical]
        urgent.goals = [.acknowledge: 900, .resolve: 4 * 3_600]
        urgent.onBreach.raiseSeverity = .critical
        urgent.onBreach.reassign = ["lead"]
        var rest = SLAPolicy(name: "rest", target: .alert)
        rest.goals = [.acknowledge: 86_400, .resolve: 5 * 86_400]
        var incidents = SLAPolicy(name: "incidents", target: .incident)
        incidents.goals = [.acknowledge: 1_800, .contain: 4 * 3_600, .resolve: 3 * 86_400]
        settings.policies = [urgent, rest, incidents]
        return settings
    }

    /// A Suricata alert: priority 1 is high, 3 is low.
    static func eve(flow: Int, priority: Int = 1, source: String = "203.0.113.9") -> String {
        #"{"timestamp":"2026-11-20T10:00:00.000000+0000","flow_id":\#(flow),"event_type":"alert","src_ip":"\#(source)","src_port":4904,"dest_ip":"10.0.0.5","dest_port":22,"proto":"TCP","alert":{"action":"allowed","gid":1,"signature_id":\#(2_000_000 + flow),"rev":1,"signature":"Test \#(flow)","category":"Attempted Information Leak","severity":\#(priority)}}"#
    }

    static func ingest(_ lines: [String], into services: AppServices) async throws -> [Alert.ID] {
        let session = services.makeIngestSession(format: nil, sourceLabel: "test")
        for (index, line) in lines.enumerated() {
            try await session.add(Array(line.utf8), location: "test:\(index + 1)")
        }
        _ = try await session.finish()
        return try await services.alerts.list(AlertQuery()).alerts.map(\.id).sorted()
    }

    static func withClock(
        _ backend: DatabaseBackend, _ body: @escaping (AppServices, TestClock) async throws -> Void
    ) async throws {
        let clock = TestClock()
        try await TestDatabases.withServices(backend, now: clock.closure, configure: { $0.sla = settings() }) {
            services in try await body(services, clock)
        }
    }

    @Test(
        "Clocks start at ingest by the first matching policy, stop when their state is reached, and a reopening starts a new cycle",
        arguments: TestDatabases.backends)
    func lifecycle(backend: DatabaseBackend) async throws {
        try await Self.withClock(backend, Self.lifecycleBody)
    }

    static func lifecycleBody(_ services: AppServices, _ clock: TestClock) async throws {
        let ids = try await ingest([eve(flow: 1, priority: 1), eve(flow: 2, priority: 3)], into: services)
        let start = clock.now
        let urgent = try await services.sla.clocks(of: .alert, id: ids[0])
        #expect(urgent.map(\.metric) == [.acknowledge, .resolve])
        #expect(urgent.map(\.policy) == ["urgent", "urgent"])
        #expect(urgent[0].deadline == start.addingTimeInterval(900))
        #expect(urgent[0].atRiskAt == start.addingTimeInterval(720))  // 80 %
        #expect(try await services.sla.clocks(of: .alert, id: ids[1]).map(\.policy) == ["rest", "rest"])

        clock.advance(600)
        #expect(try await services.sla.clocks(of: .alert, id: ids[0])[0].state(at: clock.now) == .running)
        clock.advance(200)
        #expect(try await services.sla.clocks(of: .alert, id: ids[0])[0].state(at: clock.now) == .atRisk)
        try await services.alerts.apply(.acknowledge, to: ids[0], by: "ana")
        var clocks = try await services.sla.clocks(of: .alert, id: ids[0])
        #expect(clocks[0].state(at: clock.now) == .met)
        #expect(clocks[0].stoppedAt == start.addingTimeInterval(800))
        #expect(clocks[1].state(at: clock.now) == .running)

        // The second alert is acknowledged a day late: breached.
        clock.advance(2 * 86_400)
        try await services.alerts.apply(.acknowledge, to: ids[1], by: "ana")
        #expect(try await services.sla.clocks(of: .alert, id: ids[1])[0].state(at: clock.now) == .breached)

        try await services.alerts.apply(.close(reason: .truePositive, message: nil), to: ids[0], by: "ana")
        try await services.alerts.apply(.reopen(message: "came back"), to: ids[0], by: "ana")
        clocks = try await services.sla.clocks(of: .alert, id: ids[0])
        #expect(clocks.map(\.cycle) == [1, 1, 2])
        #expect(clocks[1].state(at: clock.now) == .breached)  // closed two days after a 4-hour goal
        #expect(clocks[2].metric == .resolve && clocks[2].state(at: clock.now) == .running)
        #expect(clocks[2].deadline == clock.now.addingTimeInterval(4 * 3_600))
        // Open clocks filter alert lists.
        var query = AlertQuery()
        query.sla = .breached
        query.slaAt = clock.now
        // Stopped clocks do not count: no open clock is past its deadline yet.
        #expect(try await services.alerts.list(query).alerts.isEmpty)
        query.slaAt = clock.now.addingTimeInterval(5 * 86_400)
        #expect(Set(try await services.alerts.list(query).alerts.map(\.id)) == Set(ids))

        // Incidents: acknowledge by triage, contain by containment, resolve by closing.
        let incident = try await services.incidents.create(
            IncidentService.NewIncident(title: "Intrusion", severity: .high), by: "ana")
        clock.advance(60)
        _ = try await services.incidents.move(incident.key, to: .triage, by: "ana")
        clock.advance(5 * 3_600)
        _ = try await services.incidents.move(incident.key, to: .investigating, by: "ana")
        _ = try await services.incidents.move(incident.key, to: .contained, by: "ana")
        let states = try await services.sla.clocks(of: .incident, id: incident.id).map {
            ($0.metric, $0.state(at: clock.now))
        }
        #expect(states.map(\.0) == [.acknowledge, .contain, .resolve])
        #expect(states.map(\.1) == [.met, .breached, .running])
    }

    @Test(
        "Pausing stops the clock: a resumed clock keeps the working time it had left",
        arguments: TestDatabases.backends)
    func pause(backend: DatabaseBackend) async throws {
        try await Self.withClock(backend, Self.pauseBody)
    }

    static func pauseBody(_ services: AppServices, _ clock: TestClock) async throws {
        let id = try await ingest([eve(flow: 1)], into: services)[0]
        let deadline = try await services.sla.clocks(of: .alert, id: id)[0].deadline
        clock.advance(300)
        let paused = try await services.sla.pause(
            .alert, id: id, reference: "\(id)", reason: "waiting on customer", by: "ana")
        #expect(paused.allSatisfy { $0.state(at: clock.now) == .paused })
        #expect(paused[0].remaining == 600)
        await #expect(throws: CoreReconError.self) {
            try await services.sla.pause(.alert, id: id, reference: "\(id)", reason: "again", by: "ana")
        }
        clock.advance(7_200)
        // A paused clock is never swept as breached.
        #expect(try await services.sla.sweep().isEmpty)
        let resumed = try await services.sla.resume(.alert, id: id, reference: "\(id)", reason: nil, by: "ana")
        #expect(resumed[0].deadline == deadline.addingTimeInterval(7_200))
        #expect(resumed[0].atRiskAt == clock.now.addingTimeInterval(600 - 180))
        let history = try await services.alerts.history(id)
        #expect(history.contains { $0.action == "sla.pause" && $0.message?.contains("waiting on customer") == true })
        #expect(history.contains { $0.action == "sla.resume" })
    }

    @Test(
        "The report gives each group's met share and mean, median and 90th-percentile times, by severity, assignee, source and type",
        arguments: TestDatabases.backends)
    func report(backend: DatabaseBackend) async throws {
        try await Self.withClock(backend, Self.reportBody)
    }

    static func reportBody(_ services: AppServices, _ clock: TestClock) async throws {
        let start = clock.now
        let ids = try await ingest((1...4).map { eve(flow: $0) }, into: services)
        // Triaged (assigned, which acknowledges) after 100, 200, 300 and 1,000 seconds, against a 900-second goal.
        for (index, (id, after)) in zip(ids, [100.0, 200, 300, 1_000]).enumerated() {
            clock.advance(after - clock.now.timeIntervalSince(start))
            _ = try await services.alerts.apply(.assign(to: index < 2 ? "ana" : "ben"), to: id, by: "lead")
        }
        _ = try await services.incidents.create(
            IncidentService.NewIncident(title: "Phish", severity: .medium, type: "phishing"), by: "ana")
        let since = start.addingTimeInterval(-60)

        let bySeverity = try await services.sla.report(since: since, by: .severity)
        let high = try #require(bySeverity.first { $0.group == "high" && $0.metric == "acknowledge" })
        #expect(high.clocks == 4 && high.met == 3 && high.breached == 1 && high.metShare == 0.75)
        // Interpolated between closest ranks, as `incident metrics` and spreadsheets do: 300 + 0.7 × 700.
        #expect(high.meanSeconds == 400 && high.medianSeconds == 250 && abs((high.p90Seconds ?? 0) - 790) < 0.001)
        let resolve = try #require(bySeverity.first { $0.group == "high" && $0.metric == "resolve" })
        #expect(resolve.open == 4 && resolve.metShare == nil && resolve.meanSeconds == nil)

        let byAssignee = try await services.sla.report(since: since, by: .assignee)
        let ana = try #require(byAssignee.first { $0.group == "ana" && $0.metric == "acknowledge" })
        #expect(ana.met == 2 && ana.breached == 0 && ana.meanSeconds == 150 && ana.medianSeconds == 150)
        let ben = try #require(byAssignee.first { $0.group == "ben" && $0.metric == "acknowledge" })
        #expect(ben.met == 1 && ben.breached == 1 && ben.metShare == 0.5 && abs((ben.p90Seconds ?? 0) - 930) < 0.001)
        #expect(byAssignee.contains { $0.target == "incident" && $0.group == "(unassigned)" })

        // Alerts group by their source and incidents by their type, whichever of the two is asked for.
        for grouping in [SLAReportGrouping.source, .type] {
            let rows = try await services.sla.report(since: since, by: grouping)
            #expect(Set(rows.map { "\($0.target):\($0.group)" }) == ["alert:test", "incident:phishing"], "\(grouping)")
        }
        // Clocks started before the period are left out.
        #expect(try await services.sla.report(since: clock.now.addingTimeInterval(60), by: .severity).isEmpty)
    }

    @Test(
        "sla status filters by at-risk, breached and assignee, most urgent first, paused clocks last",
        arguments: TestDatabases.backends)
    func statusFilters(backend: DatabaseBackend) async throws {
        try await Self.withClock(backend, Self.statusFiltersBody)
    }

    static func statusFiltersBody(_ services: AppServices, _ clock: TestClock) async throws {
        // Three high alerts (acknowledge in 900 s) a minute apart, then one low (a day).
        var ids: [Alert.ID] = []
        for flow in 1...3 {
            ids += try await ingest([eve(flow: flow)], into: services).filter { !ids.contains($0) }
            clock.advance(60)
        }
        let low = try #require(
            try await ingest([eve(flow: 4, priority: 3)], into: services).first { !ids.contains($0) })
        _ = try await services.sla.pause(.alert, id: ids[2], reference: "\(ids[2])", reason: "customer", by: "ana")
        // 790 s after the first: the first two are at risk (past 80 % of 900 s), the third is paused.
        clock.advance(790 - 180)
        var filter = SLAService.StatusFilter()
        filter.target = .alert
        let all = try await services.sla.status(filter).filter { $0.metric == .acknowledge }
        #expect(all.map(\.targetID) == [ids[0], ids[1], low, ids[2]], "\(all.map(\.targetID))")
        filter.atRiskOnly = true
        #expect(try await services.sla.status(filter).map(\.targetID) == [ids[0], ids[1]])
        // Assigning the second triages it: its acknowledge clock stops, its resolve clock runs on, not at risk.
        _ = try await services.alerts.apply(.assign(to: "ana"), to: ids[1], by: "lead")
        #expect(try await services.sla.status(filter).map(\.targetID) == [ids[0]])
        filter.atRiskOnly = false
        filter.assignee = "ana"
        let ana = try await services.sla.status(filter)
        #expect(ana.map(\.targetID) == [ids[1]] && ana.map(\.metric) == [.resolve])
        filter = SLAService.StatusFilter()
        filter.breachedOnly = true
        #expect(try await services.sla.status(filter).isEmpty)
        clock.advance(120)
        #expect(try await services.sla.status(filter).map(\.targetID) == [ids[0]])
        filter.assignee = "none"
        #expect(try await services.sla.status(filter).map(\.targetID) == [ids[0]])
        filter.assignee = "ana"
        #expect(try await services.sla.status(filter).isEmpty)
    }

    @Test(
        "Concurrent sweeps record each at-risk point and breach once, with one event each, and run breach actions once",
        arguments: TestDatabases.backends)
    func sweepOnce(backend: DatabaseBackend) async throws {
        try await Self.withClock(backend, Self.sweepOnceBody)
    }

    static func sweepOnceBody(_ services: AppServices, _ clock: TestClock) async throws {
        let ids = try await ingest((1...30).map { eve(flow: $0, priority: $0 % 2 == 0 ? 1 : 3) }, into: services)
        #expect(ids.count == 30)
        clock.advance(750)  // past the urgent at-risk point (720 s)
        #expect(try await services.sla.sweep(dryRun: true).count == 15)
        let first = try await concurrentSweeps(services, count: 4)
        #expect(first.count == 15 && first.allSatisfy { $0.kind == .atRisk })
        clock.advance(200)  // past the urgent deadline (900 s)
        let second = try await concurrentSweeps(services, count: 4)
        #expect(second.count == 15 && second.allSatisfy { $0.kind == .breached })
        #expect(try await services.sla.sweep().isEmpty)

        // Actions: pending until applied, applied once however often asked.
        async let a = services.sla.applyPendingActions { _, _ in "never" }
        async let b = services.sla.applyPendingActions { _, _ in "never" }
        let actions = try await a + b
        #expect(actions.count == 30)  // 15 raised to critical, 15 reassigned
        #expect(try await services.sla.applyPendingActions { _, _ in "never" }.isEmpty)
        let urgent = try await services.alerts.alert(ids[1])
        #expect(urgent.severity == .critical && urgent.assignee == "lead")
        let history = try await services.alerts.history(ids[1]).map(\.action)
        #expect(history.filter { $0 == "sla.breached" }.count == 1)
        #expect(history.filter { $0 == "sla.at_risk" }.count == 1)
        #expect(history.filter { $0 == "severity" }.count == 1)

        let events = try await EventLog(database: services.database).events(after: 0, limit: 10_000)
        #expect(events.filter { $0.type == "sla.breached" }.count == 15)
        #expect(events.filter { $0.type == "sla.at_risk" }.count == 15)
        let breach = try #require(events.first { $0.type == "sla.breached" })
        #expect(breach.message.contains(#""sla":{"#) && breach.message.contains(#""metric":"acknowledge""#))
        let records = try await services.database.read { sql in
            try await sql.raw("SELECT COUNT(*) AS n FROM sla_records").first(decodingColumn: "n", as: Int.self)
        }
        #expect(records == 30)

        // The report: 15 breached acknowledgements among high alerts, low ones still open.
        let report = try await services.sla.report(since: clock.now.addingTimeInterval(-86_400), by: .severity)
        let critical = try #require(report.first { $0.group == "critical" && $0.metric == "acknowledge" })
        #expect(critical.clocks == 15 && critical.breached == 15 && critical.met == 0 && critical.metShare == 0)
        let low = try #require(report.first { $0.group == "low" && $0.metric == "acknowledge" })
        #expect(low.open == 15)
    }

    @Test(
        "Sweeps racing acknowledgements of the same alerts neither fail nor deadlock, and every clock ends consistent",
        arguments: TestDatabases.backends)
    func sweepsRacingChanges(backend: DatabaseBackend) async throws {
        try await Self.withClock(backend, Self.sweepsRacingChangesBody)
    }

    static func sweepsRacingChangesBody(_ services: AppServices, _ clock: TestClock) async throws {
        let ids = try await ingest((1...120).map { eve(flow: $0) }, into: services)
        clock.advance(1_000)  // every acknowledge clock breached, none recorded yet
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<3 { group.addTask { _ = try await services.sla.sweep() } }
            for part in 0..<4 {
                let mine = ids.enumerated().filter { $0.offset % 4 == part }.map(\.element)
                group.addTask {
                    for id in mine { try await services.alerts.apply(.acknowledge, to: id, by: "ana") }
                }
            }
            try await group.waitForAll()
        }
        _ = try await services.sla.sweep()
        for id in ids {
            let clocks = try await services.sla.clocks(of: .alert, id: id)
            #expect(clocks[0].state(at: clock.now) == .breached && clocks[0].stoppedAt != nil)
            #expect(clocks[1].state(at: clock.now) == .running)
        }
        // A breach is recorded at most once per clock; one stopped before any sweep saw it has none.
        let records = try await services.database.read { sql in
            try await sql.raw("SELECT clock_id, COUNT(*) AS n FROM sla_records GROUP BY clock_id, kind").all()
                .map { try $0.decode(column: "n", as: Int.self) }
        }
        #expect(records.allSatisfy { $0 == 1 })
    }

    static func concurrentSweeps(_ services: AppServices, count: Int) async throws -> [SLARecord] {
        try await withThrowingTaskGroup(of: [SLARecord].self) { group in
            for _ in 0..<count { group.addTask { try await services.sla.sweep() } }
            var all: [SLARecord] = []
            for try await records in group { all += records }
            return all
        }
    }

    @Test(
        "A breach whose policy escalates takes the alert into a new incident, once", arguments: TestDatabases.backends)
    func escalation(backend: DatabaseBackend) async throws {
        let clock = TestClock()
        var settings = Self.settings()
        settings.policies[0].onBreach = SLABreachActions()
        settings.policies[0].onBreach.escalate = true
        try await TestDatabases.withServices(backend, now: clock.closure, configure: { $0.sla = settings }) {
            services in try await Self.escalationBody(services, clock)
        }
    }

    static func escalationBody(_ services: AppServices, _ clock: TestClock) async throws {
        let id = try await ingest([eve(flow: 7)], into: services)[0]
        clock.advance(1_000)
        let outcome = try await services.evaluateSLAs()
        #expect(outcome.records.map(\.kind) == [.breached])
        #expect(outcome.actions.count == 1 && outcome.actions[0].action.hasPrefix("escalated into IR-"))
        #expect(try await services.alerts.alert(id).status == .escalated)
        #expect(try await services.evaluateSLAs().actions.isEmpty)
        let incidents = try await services.incidents.list(IncidentQuery())
        #expect(incidents.count == 1 && incidents[0].title.hasPrefix("SLA breach: "))
        // The incident has its own clocks, from its policy.
        #expect(try await services.sla.clocks(of: .incident, id: incidents[0].id).count == 3)
    }

    @Test(
        "A policy change is recorded once, and clocks already running keep their goal",
        arguments: TestDatabases.backends)
    func policyChange(backend: DatabaseBackend) async throws {
        let clock = TestClock()
        try await TestDatabases.withServices(backend, now: clock.closure, configure: { $0.sla = Self.settings() }) {
            services in try await Self.policyChangeBody(services, clock)
        }
    }

    static func policyChangeBody(_ services: AppServices, _ clock: TestClock) async throws {
        #expect(try await services.sla.recordPolicyChange())
        #expect(try await !services.sla.recordPolicyChange())
        let first = try await ingest([eve(flow: 1)], into: services)[0]
        var config = services.config
        config.sla.policies[0].goals[.acknowledge] = 60
        let changed = AppServices(
            config: config, database: services.database, logger: services.logger, now: clock.closure)
        #expect(try await changed.sla.recordPolicyChange())
        #expect(try await changed.sla.policyChanges().count == 2)
        let second = try #require(try await ingest([eve(flow: 2)], into: changed).first { $0 != first })
        #expect(try await changed.sla.clocks(of: .alert, id: first)[0].goal == 900)
        #expect(try await changed.sla.clocks(of: .alert, id: second)[0].goal == 60)
        let audit = try await services.audit.list(AuditQuery()).filter { $0.action == "sla.policy.change" }
        #expect(audit.count == 2)
    }
}
