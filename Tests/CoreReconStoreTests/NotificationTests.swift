import CoreRecon
import CoreReconStore
import CoreReconTestSupport
import Foundation
import Testing

@Suite("Notification routing and throttling")
struct NotificationTests {
    static func settings(_ web: RecordingWebServer) -> NotifySettings {
        var settings = NotifySettings()
        var hook = NotifyChannel(name: "hook", kind: .webhook)
        hook.url = .literal(web.url("/alerts"))
        var states = NotifyChannel(name: "states", kind: .webhook)
        states.url = .literal(web.url("/incidents"))
        settings.channels = ["hook": hook, "states": states]
        var storm = NotifyRule(name: "storm", events: ["alert.created"], channels: ["hook"])
        storm.throttle = .seconds(60)
        storm.minimumSeverity = .medium
        var lifecycle = NotifyRule(name: "lifecycle", events: ["incident.updated"], channels: ["states"])
        lifecycle.throttle = nil
        settings.rules = [storm, lifecycle]
        return settings
    }

    @Test(
        "An alert storm becomes one message and a summary; incident updates notify on a change of state only",
        arguments: TestDatabases.backends)
    func throttling(backend: DatabaseBackend) async throws {
        let web = try RecordingWebServer()
        defer { web.stop() }
        let clock = TestClock()
        try await TestDatabases.withServices(
            backend, now: clock.closure, configure: { $0.notify = Self.settings(web) }
        ) { services in try await Self.throttlingBody(services, clock, web) }
    }

    static func throttlingBody(_ services: AppServices, _ clock: TestClock, _ web: RecordingWebServer) async throws {
        // Five high alerts and one low: the low one matches no rule; the first high one goes out.
        _ = try await SLATests.ingest(
            (1...5).map { SLATests.eve(flow: $0) } + [SLATests.eve(flow: 9, priority: 3)], into: services)
        var (queued, report) = try await services.notifications.flush()
        #expect(queued == 1 && report.delivered == 1)
        // Nothing new: nothing routed twice.
        (queued, report) = try await services.notifications.flush()
        #expect(queued == 0 && report.delivered == 0)
        // A minute later the four held back are summarised, once.
        clock.advance(61)
        (queued, report) = try await services.notifications.flush()
        #expect(queued == 1 && report.delivered == 1)
        (queued, _) = try await services.notifications.flush()
        #expect(queued == 0)
        let alerts = web.requests.filter { $0.path == "/alerts" }
        #expect(alerts.count == 2)
        #expect(try JSONParser.parse(alerts[0].body)[key: "type"]?.text == "alert.created")
        let summary = try JSONParser.parse(alerts[1].body)
        #expect(summary[key: "type"]?.text == "notify.summary")
        #expect(summary[key: "subject"]?.text?.contains("4 more alert.created held back by rule storm") == true)

        // A storm that goes on is summarised window by window: three more held back, then the next window's first
        // alert brings their summary with it.
        _ = try await SLATests.ingest((11...13).map { SLATests.eve(flow: $0) }, into: services)
        (queued, _) = try await services.notifications.flush()
        #expect(queued == 0)
        clock.advance(61)
        _ = try await SLATests.ingest([SLATests.eve(flow: 14)], into: services)
        (queued, report) = try await services.notifications.flush()
        #expect(queued == 2 && report.delivered == 2)
        let later = web.requests.filter { $0.path == "/alerts" }.dropFirst(2).map { try? JSONParser.parse($0.body) }
        #expect(later.compactMap { $0?[key: "type"]?.text }.sorted() == ["alert.created", "notify.summary"])
        #expect(later.contains { $0?[key: "subject"]?.text?.contains("3 more alert.created") == true })

        // Incidents: an assignment is an update but not news; a change of state is.
        let incident = try await services.incidents.create(
            IncidentService.NewIncident(title: "Intrusion", severity: .high), by: "ana")
        clock.advance(1)
        _ = try await services.incidents.assign(incident.key, to: "ben", by: "ana")
        clock.advance(1)
        _ = try await services.incidents.move(incident.key, to: .triage, by: "ben")
        (queued, report) = try await services.notifications.flush()
        #expect(queued == 1 && report.delivered == 1)
        let states = web.requests.filter { $0.path == "/incidents" }
        #expect(states.count == 1)
        #expect(try JSONParser.parse(states[0].body)[key: "subject"]?.text?.contains("is triage") == true)
        let records = try await services.notifications.list(state: "delivered", channel: nil, limit: 10)
        #expect(records.count == 5 && records.allSatisfy { $0.attempts == 1 && $0.response == "HTTP 200: ok" })
    }

    @Test(
        "A channel that is down costs one attempt a pass, not one per notification; other channels are not held up",
        arguments: TestDatabases.backends)
    func downChannel(backend: DatabaseBackend) async throws {
        let web = try RecordingWebServer(failures: 1_000)
        defer { web.stop() }
        let clock = TestClock()
        var settings = NotifySettings()
        var down = NotifyChannel(name: "down", kind: .webhook)
        down.url = .literal(web.url("/down"))
        var refused = NotifyChannel(name: "refused", kind: .webhook)
        refused.url = .literal("http://127.0.0.1:9/nothing-listens")
        settings.channels = ["down": down, "refused": refused]
        settings.rules = [NotifyRule(name: "all", events: ["alert.created"], channels: ["down", "refused"])]
        settings.maxAttempts = 3
        try await TestDatabases.withServices(backend, now: clock.closure, configure: { $0.notify = settings }) {
            services in try await Self.downChannelBody(services, clock, web)
        }
    }

    static func downChannelBody(_ services: AppServices, _ clock: TestClock, _ web: RecordingWebServer) async throws {
        _ = try await SLATests.ingest((1...5).map { SLATests.eve(flow: $0) }, into: services)
        var (queued, report) = try await services.notifications.flush()
        #expect(queued == 10)
        #expect(report.retrying == 2 && report.deferred == 8 && report.delivered == 0, "\(report)")
        #expect(web.requests.count == 1)
        // Nothing is due until the first retry's time; then again one attempt per channel.
        (_, report) = try await services.notifications.flush()
        #expect(report == DeliveryReport())
        clock.advance(11)
        (_, report) = try await services.notifications.flush()
        #expect(report.retrying == 2 && report.deferred == 8, "\(report)")
        #expect(web.requests.count == 2)
        let pending = try await services.notifications.list(state: "pending", channel: "down", limit: 10)
        #expect(pending.map(\.attempts).sorted() == [0, 0, 0, 0, 2])
    }

    @Test(
        "Rules route by source and ATT&CK tactic, and on indicator matches, new incidents and clocks at risk",
        arguments: TestDatabases.backends)
    func conditions(backend: DatabaseBackend) async throws {
        let web = try RecordingWebServer()
        defer { web.stop() }
        let clock = TestClock()
        var settings = NotifySettings()
        var rules: [NotifyRule] = []
        for (name, event) in [
            ("source", "alert.created"), ("tactic", "alert.created"), ("ioc", "alert.ioc_matched"),
            ("incident", "incident.created"), ("risk", "sla.at_risk"),
        ] {
            var channel = NotifyChannel(name: name, kind: .webhook)
            channel.url = .literal(web.url("/" + name))
            settings.channels[name] = channel
            rules.append(NotifyRule(name: name, events: [event], channels: [name]))
        }
        rules[0].sources = ["edr"]
        rules[1].tactics = ["credential-access"]
        settings.rules = rules
        var sla = SLASettings()
        var policy = SLAPolicy(name: "triage", target: .alert)
        policy.goals = [.acknowledge: 100]
        sla.policies = [policy]
        try await TestDatabases.withServices(
            backend, now: clock.closure,
            configure: {
                $0.notify = settings
                $0.sla = sla
            }
        ) { services in try await Self.conditionsBody(services, clock, web) }
    }

    static func conditionsBody(_ services: AppServices, _ clock: TestClock, _ web: RecordingWebServer) async throws {
        func ingest(_ line: String, label: String) async throws {
            let session = services.makeIngestSession(format: nil, sourceLabel: label)
            try await session.add(Array(line.utf8), location: "test:1")
            _ = try await session.finish()
        }
        func bodies(_ path: String) -> [JSONValue] {
            web.requests.filter { $0.path == path }.compactMap { try? JSONParser.parse($0.body) }
        }
        // From the EDR, no technique; from the IDS, brute force (T1110, credential access); from the IDS, nothing
        // either rule asks for, but an address an indicator will name.
        try await ingest(SLATests.eve(flow: 1), label: "edr")
        let bruteForce = SLATests.eve(flow: 2).replacingOccurrences(
            of: #""severity":1}"#, with: #""severity":1,"metadata":{"mitre_technique_id":["T1110"]}}"#)
        try await ingest(bruteForce, label: "ids")
        try await ingest(SLATests.eve(flow: 3, source: "198.51.100.77"), label: "ids")
        var (queued, report) = try await services.notifications.flush()
        #expect(queued == 2 && report.delivered == 2)
        #expect(bodies("/source").map { $0[key: "event"]?[key: "alert"]?[key: "source"]?.text } == ["edr"])
        let tactic = bodies("/tactic")
        #expect(tactic.map { $0[key: "event"]?[key: "alert"]?[key: "title"]?.text } == ["Test 2"], "\(tactic)")

        let indicator = try IndicatorReport.parse("198.51.100.77", source: "feed", location: "feed:1")
        _ = try await services.indicators.importReports([indicator], actor: "ci")
        let matches = try await services.indicators.hunt(since: Date(timeIntervalSince1970: 0), actor: "ci")
        #expect(matches.count == 1)
        _ = try await services.incidents.create(
            IncidentService.NewIncident(title: "Brute force", severity: .high), by: "ana")
        (queued, report) = try await services.notifications.flush()
        #expect(queued == 2 && report.delivered == 2)
        #expect(bodies("/ioc").map { $0[key: "type"]?.text } == ["alert.ioc_matched"])
        #expect(bodies("/incident").first?[key: "subject"]?.text?.contains("Brute force") == true)

        // 80 % of the 100-second goal: each of the three clocks is at risk, once.
        clock.advance(85)
        var outcome = try await services.evaluateSLAs()
        #expect(outcome.records.count == 3 && outcome.delivery.delivered == 3, "\(outcome.records)")
        outcome = try await services.evaluateSLAs()
        #expect(outcome.records.isEmpty && outcome.queued == 0)
        #expect(bodies("/risk").compactMap { $0[key: "type"]?.text } == Array(repeating: "sla.at_risk", count: 3))
        #expect(bodies("/source").count == 1 && bodies("/tactic").count == 1)
    }

    @Test(
        "Events the router has not read are kept past the stream's retention, and pruned once routed",
        arguments: TestDatabases.backends)
    func unroutedEventsKept(backend: DatabaseBackend) async throws {
        let web = try RecordingWebServer()
        defer { web.stop() }
        let clock = TestClock()
        try await TestDatabases.withServices(
            backend, now: clock.closure, configure: { $0.notify = Self.settings(web) }
        ) { services in
            _ = try await SLATests.ingest([SLATests.eve(flow: 1)], into: services)
            // Two days without serve, sla sweep or notify flush: an ingest's pruning keeps the unread events.
            clock.advance(2 * 86_400)
            _ = try await SLATests.ingest([SLATests.eve(flow: 2, priority: 3)], into: services)
            #expect(try await services.pruneStreamEvents() == 0)
            let (queued, report) = try await services.notifications.flush()
            #expect(queued == 1 && report.delivered == 1)
            #expect(web.requests.filter { $0.path == "/alerts" }.count == 1)
            // Routed now: the old events go; the new one is kept for the stream's day.
            #expect(try await services.pruneStreamEvents() >= 1)
            let left = try await EventLog(database: services.database).bounds()
            #expect(left != nil)
        }
        // Without rules nothing waits for a router: the day's retention alone decides.
        try await TestDatabases.withServices(backend, now: clock.closure) { services in
            _ = try await SLATests.ingest([SLATests.eve(flow: 1)], into: services)
            clock.advance(2 * 86_400)
            #expect(try await services.pruneStreamEvents() >= 1)
        }
    }

    @Test("Messages render for people: Slack escapes its control characters, syslog escapes structured data")
    func rendering() throws {
        let event =
            #"{"type":"alert.created","cursor":"7","at":"2026-12-05T10:00:00.000Z","alert":{"id":42,"title":"<script> & \"quotes\"]","severity":"critical","status":"new","assignee":null,"source":"edr","techniques":["T1059.001"]}}"#
        let message = try NotificationMessage(eventJSON: event)
        #expect(message.subject == #"[CoreRecon] New alert 42: <script> & "quotes"]"#)
        #expect(message.facts.contains { $0 == ("ATT&CK", "T1059.001") })
        let slack = message.slackBody.jsonString
        #expect(slack.contains("&lt;script&gt; &amp;") && !slack.contains("*<script>"))
        let line = message.syslog(facility: 10, hostname: "soc host", date: Date(timeIntervalSince1970: 1_800_000_000))
        #expect(line.hasPrefix("<82>1 2027-01-15T08:00:00.000Z sochost corerecon - alert.created "))
        #expect(line.contains(#"ref="alert 42" severity="critical"]"#))
        let mail = message.email(from: "a@b.c", to: ["d@e.f"], date: Date(timeIntervalSince1970: 0), messageID: "x")
        #expect(mail.contains("Subject: [CoreRecon] New alert 42: <script> & \"quotes\"]\r\n"))
        #expect(mail.contains("Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n"))
        let unicode = try NotificationMessage(
            eventJSON: #"{"type":"alert.created","alert":{"id":1,"title":"Überwachung\r\nBcc: x@y.z"}}"#)
        let header =
            unicode.email(from: "a@b.c", to: ["d@e.f"], date: Date(), messageID: "y")
            .components(separatedBy: "\r\n").first { $0.hasPrefix("Subject:") } ?? ""
        #expect(header.hasPrefix("Subject: =?UTF-8?B?") && !header.contains("Bcc"))
    }
}
