import CoreRecon
import CoreReconServer
import CoreReconStore
import CoreReconTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Rate limits, Prometheus metrics and the audit log over a live server.
@Suite("API rate limits, metrics and audit")
struct OperationsAPITests {
    static func forwarded(_ address: String) -> HTTPFields {
        // swift-format-ignore: NeverForceUnwrap
        [HTTPField.Name("X-Forwarded-For")!: "10.9.9.9, \(address)"]
    }

    @Test("Over the per-credential limit: 429 problem+json with Retry-After; another key is unaffected")
    func credentialLimit() async throws {
        try await TestDatabases.withServices(.sqlite) { services in
            var settings = ServerSettings()
            settings.rateLimitPerToken = 5
            let fixture = APIFixture(services: services, settings: settings)
            let first = try await fixture.key(.analyst, name: "first")
            let second = try await fixture.key(.analyst, name: "second")
            try await fixture.run { client in
                // 5 a minute: the bucket refills one every 12 s, so however slow a loaded machine answers, 20
                // requests in a row meet a refusal (and the first 5 pass).
                var statuses: [HTTPResponse.Status] = []
                var refusal: (status: HTTPResponse.Status, headers: HTTPFields, body: String)?
                for _ in 0..<20 where refusal == nil {
                    let response = try await client.send(.get, "/api/v1/alerts?limit=1", token: first)
                    statuses.append(response.status)
                    if response.status != .ok { refusal = response }
                }
                #expect(statuses.prefix(5).allSatisfy { $0 == .ok }, "\(statuses)")
                let refused = try #require(refusal, "20 requests at 5 a minute were all admitted")
                #expect(refused.status == .tooManyRequests)
                #expect(refused.headers[.contentType] == "application/problem+json")
                let retryAfter = try #require(refused.headers[.retryAfter].flatMap { Int($0) })
                #expect((1...12).contains(retryAfter))
                #expect(object(refused.body)["status"] as? Int == 429)
                #expect(try await client.send(.get, "/api/v1/alerts?limit=1", token: second).status == .ok)
            }
        }
    }

    @Test("The token endpoint is limited per address, stricter than the rest; another address is unaffected")
    func tokenEndpointLimit() async throws {
        try await TestDatabases.withServices(.sqlite) { services in
            var settings = ServerSettings()
            settings.rateLimitTokenEndpoint = 3
            settings.rateLimitPerAddress = 100
            settings.trustProxy = true
            let fixture = APIFixture(services: services, settings: settings)
            try await fixture.run { client in
                let form = "grant_type=password&username=ana&password=wrong-password-123"
                for _ in 0..<3 {
                    let result = try await client.send(
                        .post, "/api/v1/auth/token", form: form, headers: Self.forwarded("203.0.113.1"))
                    #expect(result.status == .badRequest)
                }
                let refused = try await client.send(
                    .post, "/api/v1/auth/token", form: form, headers: Self.forwarded("203.0.113.1"))
                #expect(refused.status == .tooManyRequests)
                #expect(Int(refused.headers[.retryAfter] ?? "") ?? 0 >= 1)
                // Other routes from that address, and the token endpoint from another, still answer.
                #expect(
                    try await client.send(.get, "/healthz", headers: Self.forwarded("203.0.113.1")).status == .ok)
                let other = try await client.send(
                    .post, "/api/v1/auth/token", form: form, headers: Self.forwarded("203.0.113.2"))
                #expect(other.status == .badRequest)

                // The per-address limit counts every request, with or without credentials.
                // The bucket refills while the test runs (100 a minute), so a slow run needs a few more requests
                // than 100 to empty it; it must empty long before 300.
                var statuses: [HTTPResponse.Status] = []
                while statuses.count < 300 && statuses.last != .tooManyRequests {
                    statuses.append(
                        try await client.send(.get, "/healthz", headers: Self.forwarded("198.51.100.7")).status)
                }
                #expect(statuses.prefix(100).allSatisfy { $0 == .ok })
                #expect(statuses.last == .tooManyRequests)
            }
        }
    }

    @Test("/metrics counts requests by route template and status, with latency histograms and ingest counters")
    func metrics() async throws {
        try await TestDatabases.withServices(.sqlite) { services in
            let fixture = APIFixture(services: services)
            let ingest = try await fixture.key(.ingest)
            let viewer = try await fixture.key(.viewer)
            fixture.metrics.webSocketOpened()
            try await fixture.run { client in
                #expect(try await client.send(.get, "/api/v1/alerts/999", token: viewer).status == .notFound)
                #expect(try await client.send(.get, "/api/v1/alerts/998", token: viewer).status == .notFound)
                #expect(try await client.send(.get, "/no/such/path").status == .notFound)
                let stored = try await client.send(.post, "/api/v1/ingest", token: ingest, json: RestAPITests.eve)
                #expect(stored.status == .accepted, "\(stored.body)")
                let result = try await client.send(.get, "/metrics")
                #expect(result.status == .ok)
                #expect(result.headers[.contentType]?.hasPrefix("text/plain") == true)
                let text = result.body
                #expect(
                    text.contains(
                        #"corerecon_http_requests_total{method="GET",route="/api/v1/alerts/{id}",status="404"} 2"#),
                    "\(text)")
                #expect(text.contains(#"route="unmatched",status="404"} 1"#))
                #expect(!text.contains("/no/such/path"))
                #expect(
                    text.contains(
                        #"corerecon_http_request_duration_seconds_bucket{method="GET",route="/api/v1/alerts/{id}",le="#)
                )
                #expect(
                    text.contains(
                        #"corerecon_http_request_duration_seconds_count{method="GET",route="/api/v1/alerts/{id}"} 2"#))
                #expect(text.contains(#"corerecon_ingest_records_total{outcome="created"} 1"#))
                #expect(text.contains(#"corerecon_ingest_records_total{outcome="rejected"} 0"#))
                #expect(text.contains("corerecon_websocket_connections 1"))
            }
        }
    }

    @Test("With server.metricsPublic false, /metrics needs an admin")
    func privateMetrics() async throws {
        try await TestDatabases.withServices(.sqlite) { services in
            var settings = ServerSettings()
            settings.isMetricsPublic = false
            let fixture = APIFixture(services: services, settings: settings)
            let admin = try await fixture.key(.admin)
            let lead = try await fixture.key(.lead)
            try await fixture.run { client in
                let anonymous = try await client.send(.get, "/metrics")
                #expect(anonymous.status == .unauthorized)
                #expect(try await client.send(.get, "/metrics", token: lead).status == .forbidden)
                #expect(try await client.send(.get, "/metrics", token: admin).status == .ok)
            }
        }
    }

    @Test("GET /api/v1/audit lists changes made over the API, with filters", arguments: TestDatabases.backends)
    func auditLog(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            let fixture = APIFixture(services: services)
            let admin = try await fixture.key(.admin)
            let analyst = try await fixture.key(.analyst)
            try await fixture.run { client in
                let created = try await client.send(
                    .post, "/api/v1/incidents", token: analyst, json: #"{"title":"Beaconing host"}"#)
                #expect(created.status == .created, "\(created.body)")
                #expect(try await client.send(.get, "/api/v1/audit", token: analyst).status == .forbidden)
                let result = try await client.send(.get, "/api/v1/audit?action=incident", token: admin)
                #expect(result.status == .ok)
                let rows = try #require(
                    try JSONSerialization.jsonObject(with: Data(result.body.utf8)) as? [[String: Any]])
                #expect(rows.count == 1)
                #expect(rows.first?["actor"] as? String == "key:test-analyst")
                #expect(rows.first?["action"] as? String == "incident.create")
                #expect((rows.first?["summary"] as? [String: Any])?["after"] != nil)
                let keys = try await client.send(.get, "/api/v1/audit?actor=test&limit=1", token: admin)
                #expect(keys.body.contains("key.create"))
                #expect(try await client.send(.get, "/api/v1/audit?limit=0", token: admin).status == .badRequest)
            }
            #expect(try await services.audit.verify().isIntact)
        }
    }
}
