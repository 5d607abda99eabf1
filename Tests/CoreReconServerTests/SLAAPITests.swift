import CoreRecon
import CoreReconStore
import CoreReconTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CoreReconServer

@Suite("SLA API")
struct SLAAPITests {
    @Test("Clocks on alerts and incidents, status, pause and resume, the report, and the alert list's SLA filter")
    func clocks() async throws {
        let clock = TestClock()
        var settings = SLASettings()
        var policy = SLAPolicy(name: "all", target: .alert)
        policy.goals = [.acknowledge: 600, .resolve: 3_600]
        var incidents = SLAPolicy(name: "incidents", target: .incident)
        incidents.goals = [.contain: 7_200]
        settings.policies = [policy, incidents]
        try await TestDatabases.withServices(.sqlite, now: clock.closure, configure: { $0.sla = settings }) {
            services in try await Self.clocksBody(services, clock)
        }
    }

    static func clocksBody(_ services: AppServices, _ clock: TestClock) async throws {
        let fixture = APIFixture(services: services)
        let admin = try await fixture.key(.admin)
        let viewer = try await fixture.key(.viewer)
        let eve =
            #"{"timestamp":"2026-11-20T10:00:00.000000+0000","flow_id":1,"event_type":"alert","src_ip":"203.0.113.1","src_port":1,"dest_ip":"10.0.0.5","dest_port":22,"proto":"TCP","alert":{"signature_id":1,"signature":"Test","severity":1}}"#
        try await fixture.run { client in
            let ingested = try await client.send(.post, "/api/v1/ingest", token: admin, body: eve)
            #expect(ingested.status == .accepted || ingested.status == .ok, "\(ingested.body)")
            let detail = try JSONParser.parse(try await client.send(.get, "/api/v1/alerts/1", token: viewer).body)
            let clocks = detail[key: "sla"]?.arrayValue ?? []
            #expect(clocks.compactMap { $0[key: "metric"]?.text } == ["acknowledge", "resolve"])
            #expect(clocks.first?[key: "state"]?.text == "running" && clocks.first?[key: "secondsLeft"]?.int == 600)

            clock.advance(700)
            let breached = try await client.send(.get, "/api/v1/sla/status?breached=true", token: viewer)
            #expect(try JSONParser.parse(breached.body).arrayValue?.count == 1, "\(breached.body)")
            let listed = try await client.send(.get, "/api/v1/alerts?sla=breached", token: viewer)
            #expect(try JSONParser.parse(listed.body)[key: "alerts"]?.arrayValue?.count == 1, "\(listed.body)")

            let refused = try await client.send(.post, "/api/v1/sla/1/pause", token: viewer, json: #"{"reason":"x"}"#)
            #expect(refused.status == .forbidden)
            let noReason = try await client.send(.post, "/api/v1/sla/1/pause", token: admin, json: "{}")
            #expect(noReason.status == .badRequest)
            let paused = try await client.send(
                .post, "/api/v1/sla/1/pause", token: admin, json: #"{"reason":"waiting on customer"}"#)
            #expect(paused.status == .ok, "\(paused.body)")
            #expect(
                try JSONParser.parse(paused.body).arrayValue?.compactMap { $0[key: "state"]?.text } == [
                    "paused", "paused",
                ])
            let again = try await client.send(.post, "/api/v1/sla/1/pause", token: admin, json: #"{"reason":"again"}"#)
            #expect(again.status == .conflict)
            let resumed = try await client.send(.post, "/api/v1/sla/1/resume", token: admin, json: "{}")
            #expect(resumed.status == .ok, "\(resumed.body)")
            let missing = try await client.send(.post, "/api/v1/sla/IR-2026-0099/resume", token: admin, json: "{}")
            #expect(missing.status == .notFound)

            let created = try await client.send(
                .post, "/api/v1/incidents", token: admin, json: #"{"title":"Intrusion","severity":"high"}"#)
            let key = try JSONParser.parse(created.body)[key: "id"]?.text ?? ""
            let incident = try JSONParser.parse(
                try await client.send(.get, "/api/v1/incidents/\(key)", token: viewer).body)
            #expect(incident[key: "sla"]?.arrayValue?.first?[key: "metric"]?.text == "contain")
            #expect(incident[key: "incident"]?[key: "id"]?.text == key)

            let report = try await client.send(.get, "/api/v1/sla/report?since=1d&by=severity", token: viewer)
            let rows = try JSONParser.parse(report.body).arrayValue ?? []
            #expect(
                rows.contains { $0[key: "metric"]?.text == "acknowledge" && $0[key: "breached"]?.int == 1 },
                "\(report.body)")
        }
    }
}
