import CoreRecon
import CoreReconStore
import CoreReconTestSupport
import Foundation
import Testing

/// Incidents against real databases: numbering, lifecycle, escalation, evidence, history and metrics.
@Suite("Incidents")
struct IncidentTests {
    static func ingest(_ lines: [String], into services: AppServices) async throws {
        let session = services.makeIngestSession(format: nil, sourceLabel: "test")
        for (index, line) in lines.enumerated() {
            try await session.add(Array(line.utf8), location: "test:\(index + 1)")
        }
        _ = try await session.finish()
    }

    static func expectError(_ expected: String, _ body: () async throws -> Void) async {
        do {
            try await body()
            Issue.record("expected an error containing \(expected)")
        } catch {
            #expect("\(error)".contains(expected), "\(error)")
        }
    }

    @Test("Ids are numbered per year and unique under concurrent creation", arguments: TestDatabases.backends)
    func numbering(backend: DatabaseBackend) async throws {
        let clock = TestClock()
        try await TestDatabases.withServices(backend, now: clock.closure) { services in
            let incidents = services.incidents
            let keys = try await withThrowingTaskGroup(of: IncidentKey.self) { group in
                for index in 0..<12 {
                    group.addTask {
                        try await incidents.create(.init(title: "Incident \(index)"), by: "ann").key
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(keys).count == 12)
            #expect(Set(keys.map(\.number)) == Set(1...12))
            #expect(keys.allSatisfy { $0.year == 2026 })
            // A new year starts again at 1.
            clock.advance(60 * 86_400)
            let next = try await services.incidents.create(.init(title: "New year"), by: "ann")
            #expect(next.key.description == "IR-2027-0001")
            #expect(try services.incidents.key("IR-0001") == next.key)
        }
    }

    @Test(
        "Invalid transitions fail naming the allowed states; skips, reopen and metrics timestamps",
        arguments: TestDatabases.backends)
    func lifecycle(backend: DatabaseBackend) async throws {
        let clock = TestClock()
        try await TestDatabases.withServices(backend, now: clock.closure) { services in
            let service = services.incidents
            let key = try await service.create(.init(title: "Lateral movement", severity: .high), by: "ann").key
            clock.advance(300)
            try await service.move(key, to: .triage, by: "ann")
            await Self.expectError("cannot become new; from triage it can become: investigating, contained") {
                try await service.move(key, to: .new, by: "ann")
            }
            await Self.expectError("incident close") { try await service.move(key, to: .closed, by: "ann") }
            clock.advance(600)
            try await service.move(key, to: .contained, by: "bob")  // skips investigating
            try await service.move(key, to: .investigating, by: "bob")  // containment was incomplete
            await Self.expectError("say in a sentence") {
                try await service.close(key, resolution: .benign, summary: " ", lessons: nil, by: "bob")
            }
            clock.advance(3_000)
            let closed = try await service.close(
                key, resolution: .truePositiveWithoutImpact, summary: "Contained on one host", lessons: "MFA",
                by: "bob")
            #expect(closed.state == .closed)
            #expect(closed.timeToAcknowledge == 300)
            #expect(closed.timeToInvestigate == 900)
            #expect(closed.timeToResolve == 3_900)
            await Self.expectError("already closed") {
                try await service.close(key, resolution: .benign, summary: "x", lessons: nil, by: "bob")
            }
            await Self.expectError("reopen it") { try await service.assign(key, to: "cy", by: "bob") }
            let reopened = try await service.reopen(key, message: "Beacon seen again", by: "cy")
            #expect(reopened.state == .investigating)
            #expect(reopened.resolution == nil && reopened.closedAt == nil)

            let history = try await service.history(key)
            let states = history.filter { $0.field == "state" }.map { "\($0.oldValue ?? "")→\($0.newValue ?? "")" }
            #expect(
                states == [
                    "new→triage", "triage→contained", "contained→investigating", "investigating→closed",
                    "closed→investigating",
                ])
            #expect(history.contains { $0.field == "resolution" && $0.newValue == "true_positive_without_impact" })
            #expect(history.first { $0.field == "state" }?.actor == "ann")
            let timeline = try await service.timeline(key)
            #expect(timeline.contains { $0.message == "State: triage → contained" && $0.actor == "bob" })
            #expect(timeline.contains { $0.kind == "note" && $0.message == "Beacon seen again" })
        }
    }

    @Test(
        "Escalation moves alerts, observables and techniques; closing the incident closes its alerts",
        arguments: TestDatabases.backends)
    func escalation(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            try await Self.ingest(
                [
                    #"{"@timestamp":"2026-11-20T10:00:00Z","kibana.alert.uuid":"a1","kibana.alert.rule.name":"Suspicious PowerShell","kibana.alert.severity":"medium","host":{"name":"WKS-042"},"source":{"ip":"203.0.113.9"},"threat":[{"framework":"MITRE ATT&CK","tactic":{"id":"TA0002","name":"Execution"},"technique":[{"id":"T1059","name":"Command and Scripting Interpreter","subtechnique":[{"id":"T1059.001","name":"PowerShell"}]}]}]}"#,
                    #"{"@timestamp":"2026-11-20T10:05:00Z","kibana.alert.uuid":"a2","kibana.alert.rule.name":"C2 beacon","kibana.alert.severity":"critical","host":{"name":"WKS-042"},"destination":{"ip":"198.51.100.23"}}"#,
                    #"{"@timestamp":"2026-11-20T10:06:00Z","kibana.alert.uuid":"a3","kibana.alert.rule.name":"Unrelated","kibana.alert.severity":"low","host":{"name":"SRV-1"}}"#,
                ], into: services)
            let alerts = try await services.alerts.list(AlertQuery()).alerts.sorted { $0.id < $1.id }
            #expect(alerts.count == 3)
            let incident = try await services.incidents.escalate([alerts[0].id], to: nil, by: "ann")
            #expect(incident.title == "Suspicious PowerShell")
            #expect(incident.severity == .medium)
            let merged = try await services.incidents.escalate([alerts[1].id], to: incident.key, by: "ann")
            #expect(merged.severity == .critical)  // raised to its worst alert

            let detail = try await services.incidents.detail(incident.key)
            #expect(detail.alerts.map(\.id).sorted() == [alerts[0].id, alerts[1].id])
            #expect(detail.alerts.allSatisfy { $0.status == AlertStatus.escalated.rawValue })
            let values = Set(detail.observables.map { "\($0.type.rawValue):\($0.value)" })
            #expect(values.isSuperset(of: ["hostname:wks-042", "ipv4:203.0.113.9", "ipv4:198.51.100.23"]))
            #expect(detail.observables.filter { $0.value == "wks-042" }.count == 1)  // once, though both alerts have it
            #expect(detail.techniques.map(\.techniqueID).contains("T1059.001"))
            #expect(detail.techniques.first { $0.techniqueID == "T1059.001" }?.tactic == "execution")

            let other = try await services.incidents.create(.init(title: "Other"), by: "ann")
            await Self.expectError("already escalated to \(incident.key)") {
                _ = try await services.incidents.escalate([alerts[0].id], to: other.key, by: "ann")
            }
            try await services.alerts.apply(.close(reason: .other, message: nil), to: alerts[2].id, by: "ann")
            await Self.expectError("reopen it") {
                _ = try await services.incidents.escalate([alerts[2].id], to: other.key, by: "ann")
            }

            try await services.incidents.close(
                incident.key, resolution: .falsePositive, summary: "Admin script", lessons: nil, by: "bob")
            for id in [alerts[0].id, alerts[1].id] {
                let alert = try await services.alerts.alert(id)
                #expect(alert.status == .closed)
                #expect(alert.closeReason == .falsePositive)
                let history = try await services.alerts.history(id)
                #expect(history.map(\.newValue).contains("escalated"))
            }
            try await services.incidents.reopen(incident.key, message: nil, by: "bob")
            #expect(try await services.alerts.alert(alerts[0].id).status == .escalated)
            let listed = try await services.alerts.list(
                {
                    var query = AlertQuery(); query.statuses = [.escalated]; return query
                }())
            #expect(listed.alerts.count == 2)
        }
    }

    @Test("Auto-assignment and task templates apply on create", arguments: TestDatabases.backends)
    func assignmentAndTemplates(backend: DatabaseBackend) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try
            "type: phishing\nname: Phishing\ntasks:\n  - title: Pull the message\n    phase: triage\n  - Block the sender\n"
            .write(toFile: directory.path + "/phishing.yaml", atomically: true, encoding: .utf8)
        try await TestDatabases.withServices(
            backend,
            configure: {
                $0.incidents = IncidentSettings(
                    assignment: .roundRobin, analysts: ["ann", "bob"], taskTemplatesPath: directory.path)
            }
        ) { services in
            let first = try await services.incidents.create(.init(title: "One", type: "phishing"), by: "lead")
            let second = try await services.incidents.create(.init(title: "Two"), by: "lead")
            let third = try await services.incidents.create(.init(title: "Three"), by: "lead")
            let manual = try await services.incidents.create(.init(title: "Four", assignee: "zed"), by: "lead")
            let fifth = try await services.incidents.create(.init(title: "Five"), by: "lead")
            #expect([first, second, third, manual, fifth].map(\.assignee) == ["ann", "bob", "ann", "zed", "bob"])

            let tasks = try await services.incidents.tasks(first.key)
            #expect(tasks.map(\.title) == ["Pull the message", "Block the sender"])
            #expect(tasks.allSatisfy { $0.origin == "template:phishing" && $0.state == .open })
            #expect(try await services.incidents.tasks(second.key).isEmpty)
            await Self.expectError("unknown incident type 'phising'") {
                _ = try await services.incidents.create(.init(title: "Typo", type: "phising"), by: "lead")
            }

            let added = try await services.incidents.addTask(
                first.key, title: "Reset password", description: nil, assignee: "ann", by: "ann")
            #expect(added.number == 3)
            _ = try await services.incidents.setTask(first.key, number: 3, to: .inProgress, by: "ann")
            let done = try await services.incidents.setTask(first.key, number: 3, to: .done, by: "ann")
            #expect(done.completedAt != nil)
            await Self.expectError("is done and cannot become in_progress") {
                _ = try await services.incidents.setTask(first.key, number: 3, to: .inProgress, by: "ann")
            }
            await Self.expectError("task 9 of \(first.key) not found") {
                _ = try await services.incidents.setTask(first.key, number: 9, to: .done, by: "ann")
            }
        }
        try await TestDatabases.withServices(
            backend, configure: { $0.incidents = IncidentSettings(assignment: .leastOpen, analysts: ["ann", "bob"]) }
        ) { services in
            let one = try await services.incidents.create(.init(title: "One"), by: "lead")
            let two = try await services.incidents.create(.init(title: "Two"), by: "lead")
            try await services.incidents.close(two.key, resolution: .benign, summary: "ok", lessons: nil, by: "bob")
            let three = try await services.incidents.create(.init(title: "Three"), by: "lead")
            #expect([one.assignee, two.assignee, three.assignee] == ["ann", "bob", "bob"])
        }
    }

    @Test("Observables are typed, de-duplicated and removable", arguments: TestDatabases.backends)
    func observables(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            let key = try await services.incidents.create(.init(title: "Phish"), by: "ann").key
            let added = try await services.incidents.addObservable(
                key, value: "Evil.Example.com", type: nil, isIOC: true, tlp: .amber, tags: ["c2", "phish"], by: "ann")
            #expect(added.isNew)
            #expect(added.observable.type == .domain)
            #expect(added.observable.value == "evil.example.com")
            let again = try await services.incidents.addObservable(
                key, value: "evil.example.COM", type: nil, isIOC: false, tlp: .red, tags: ["c2", "x"], by: "ann")
            #expect(!again.isNew)
            #expect(again.observable.isIOC)  // never un-marked by a later add
            #expect(again.observable.tlp == .red)
            #expect(again.observable.tags == ["c2", "phish", "x"])
            await Self.expectError("not a valid ipv4") {
                _ = try await services.incidents.addObservable(
                    key, value: "300.1.1.1", type: .ipv4, isIOC: false, tlp: nil, tags: [], by: "ann")
            }
            let stored = try await services.incidents.observables(key)
            #expect(stored.count == 1)
            #expect(stored[0].tags == ["c2", "phish", "x"] && stored[0].tlp == .red && stored[0].isIOC)
            try await services.incidents.removeObservable(key, value: "EVIL.example.com", type: nil, by: "bob")
            #expect(try await services.incidents.observables(key).isEmpty)
            await Self.expectError("not found") {
                try await services.incidents.removeObservable(key, value: "evil.example.com", type: nil, by: "bob")
            }
            let history = try await services.incidents.history(key)
            #expect(
                history.map(\.action).filter { $0.hasPrefix("observable") }
                    == ["observable.add", "observable.update", "observable.remove"])
        }
    }

    @Test(
        "Evidence is content-addressed, verified, exported and its tampering detected",
        arguments: TestDatabases.backends)
    func evidence(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            let first = try await services.incidents.create(.init(title: "One"), by: "ann").key
            let second = try await services.incidents.create(.init(title: "Two"), by: "ann").key
            let content = Data((0..<100_000).map { UInt8($0 % 251) })
            let item = try await services.incidents.addEvidence(
                first, content: content, fileName: "capture.pcap", description: "from the sensor", by: "ann")
            #expect(item.sha256 == IncidentService.sha256(content))
            #expect(item.size == 100_000)
            await Self.expectError("already holds this content") {
                _ = try await services.incidents.addEvidence(
                    first, content: content, fileName: "again.pcap", description: nil, by: "ann")
            }
            // Another incident may hold the same file; it is stored once.
            _ = try await services.incidents.addEvidence(
                second, content: content, fileName: "copy.pcap", description: nil, by: "bob")
            let blobs = try await services.database.withConnection { sql in
                try await sql.raw("SELECT COUNT(*) AS n FROM evidence_blobs").first(decodingColumn: "n", as: Int.self)
            }
            #expect(blobs == 1)

            #expect(try await services.incidents.verifyEvidence(first, evidence: item.id, by: "cy").isIntact)
            let (exported, data) = try await services.incidents.exportEvidence(
                first, evidence: item.id, destination: "/tmp/out", by: "cy")
            #expect(exported.id == item.id && data == content)

            try await services.database.execute(
                "UPDATE evidence_blobs SET content = \(backend == .sqlite ? "x'00'" : "'\\x00'::bytea")")
            let broken = try await services.incidents.verifyEvidence(first, evidence: item.id, by: "cy")
            #expect(!broken.isIntact)
            await Self.expectError("does not match its recorded hash") {
                _ = try await services.incidents.exportEvidence(first, evidence: item.id, destination: "x", by: "cy")
            }
            let custody = try await services.incidents.custody(first, evidence: item.id)
            #expect(custody.map(\.action) == ["added", "verified", "exported", "verification_failed"])
            #expect(custody.map(\.actor) == ["ann", "cy", "cy", "cy"])
        }
    }

    @Test("Notes, mappings and lists", arguments: TestDatabases.backends)
    func notesMappingsLists(backend: DatabaseBackend) async throws {
        let clock = TestClock()
        try await TestDatabases.withServices(backend, now: clock.closure) { services in
            let key = try await services.incidents.create(
                .init(title: "Ransomware on file server", severity: .critical), by: "ann"
            ).key
            try await services.incidents.addNote(
                key, at: clock.now - 7_200, category: "initial-access", message: "VPN login from new country",
                by: "ann")
            #expect(try await services.incidents.map(key, technique: "t1486", tactic: nil, by: "ann"))
            #expect(try await !services.incidents.map(key, technique: "T1486", tactic: nil, by: "ann"))
            await Self.expectError("Use T1059.001") {
                _ = try await services.incidents.map(key, technique: "T1086", tactic: nil, by: "ann")
            }
            await Self.expectError("not an ATT&CK technique") {
                _ = try await services.incidents.map(key, technique: "T9999", tactic: nil, by: "ann")
            }
            let timeline = try await services.incidents.timeline(key)
            #expect(timeline.first?.message == "VPN login from new country")  // ordered by when it happened
            #expect(timeline.contains { $0.message.hasPrefix("Mapped to ATT&CK T1486 Data Encrypted for Impact") })

            clock.advance(10)
            let other = try await services.incidents.create(.init(title: "Phish", severity: .low), by: "ann").key
            _ = try await services.incidents.addObservable(
                other, value: "bad.example.org", type: nil, isIOC: true, tlp: nil, tags: [], by: "ann")
            var query = IncidentQuery()
            #expect(try await services.incidents.list(query).map(\.key) == [other, key])
            query.minimumSeverity = .high
            #expect(try await services.incidents.list(query).map(\.key) == [key])
            query = IncidentQuery()
            query.technique = "T1486"
            #expect(try await services.incidents.list(query).map(\.key) == [key])
            query = IncidentQuery()
            query.search = "BAD.example"
            #expect(try await services.incidents.list(query).map(\.key) == [other])
            query.search = "ransomware server"
            #expect(try await services.incidents.list(query).map(\.key) == [key])
            query = IncidentQuery()
            query.assignee = "none"
            query.limit = 1
            query.offset = 1
            #expect(try await services.incidents.list(query).map(\.key) == [key])
        }
    }

    @Test("Metrics count and time incidents per severity", arguments: TestDatabases.backends)
    func metrics(backend: DatabaseBackend) async throws {
        let clock = TestClock()
        try await TestDatabases.withServices(backend, now: clock.closure) { services in
            let start = clock.now
            var keys: [IncidentKey] = []
            for (index, severity) in [Severity.high, .high, .low].enumerated() {
                let key = try await services.incidents.create(.init(title: "I\(index)", severity: severity), by: "a")
                    .key
                _ = try await services.incidents.map(key, technique: "T1566", tactic: nil, by: "a")
                keys.append(key)
            }
            clock.advance(60)
            try await services.incidents.move(keys[0], to: .triage, by: "a")
            clock.advance(60)
            try await services.incidents.move(keys[1], to: .investigating, by: "a")
            try await services.incidents.move(keys[0], to: .investigating, by: "a")
            clock.advance(3_480)
            try await services.incidents.close(keys[0], resolution: .benign, summary: "s", lessons: nil, by: "a")
            let metrics = try await services.incidents.metrics(since: start, until: clock.now)
            #expect(metrics.total == 3)
            #expect(metrics.byState == ["closed": 1, "investigating": 1, "new": 1])
            #expect(metrics.bySeverity == ["high": 2, "low": 1])
            #expect(metrics.byTechnique == ["T1566": 3])
            #expect(metrics.responseTimes.timeToAcknowledge.count == 2)
            #expect(metrics.responseTimes.timeToAcknowledge.meanSeconds == 90)  // 60 and 120
            #expect(metrics.responseTimesBySeverity["high"]?.timeToResolve.medianSeconds == 3_600)
            #expect(metrics.responseTimesBySeverity["low"]?.timeToAcknowledge.count == 0)
            let none = try await services.incidents.metrics(since: clock.now + 1, until: clock.now + 2)
            #expect(none.total == 0)
        }
    }
}
