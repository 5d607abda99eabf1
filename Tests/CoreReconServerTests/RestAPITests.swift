import CoreRecon
import CoreReconServer
import CoreReconStore
import CoreReconTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("REST API")
struct RestAPITests {
    static let eve =
        #"{"timestamp":"2026-11-20T10:00:00.000000+0000","flow_id":7,"event_type":"alert","src_ip":"203.0.113.9","src_port":4904,"dest_ip":"10.0.0.2","dest_port":22,"proto":"TCP","alert":{"action":"allowed","gid":1,"signature_id":2001219,"rev":1,"signature":"ET SCAN Potential SSH Scan","category":"Attempted Information Leak","severity":2}}"#

    @Test("HMAC webhooks: good, re-delivered, bad, replayed and stale signatures", arguments: TestDatabases.backends)
    func webhooks(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            let secret = "suricata-shared-secret"
            let fixture = APIFixture(services: services, webhookSecrets: ["suricata": secret])
            try await fixture.run { client in
                let body = Data(Self.eve.utf8)
                let signature = WebhookVerifierSigning.sign(body, secret: secret, at: Date())
                let created = try await client.send(
                    .post, "/api/v1/webhooks/suricata", json: Self.eve,
                    headers: [HTTPField.Name("X-CoreRecon-Signature")!: signature])
                #expect(created.status == .accepted, "\(created.body)")
                let ids = object(created.body)["alertIds"] as? [Int]
                #expect(ids?.count == 1)

                let replay = try await client.send(
                    .post, "/api/v1/webhooks/suricata", json: Self.eve,
                    headers: [HTTPField.Name("X-CoreRecon-Signature")!: signature])
                #expect(replay.status == .unauthorized)
                #expect(replay.body.contains("replay"))

                // The SIEM retries with a fresh signature: a re-delivery, 200 with the same alert.
                let retried = try await client.send(
                    .post, "/api/v1/webhooks/suricata", json: Self.eve,
                    headers: [
                        HTTPField.Name("X-CoreRecon-Signature")!: WebhookVerifierSigning.sign(
                            body, secret: secret, at: Date() + 1)
                    ])
                #expect(retried.status == .ok, "\(retried.body)")
                #expect(object(retried.body)["alertIds"] as? [Int] == ids)

                let wrong = try await client.send(
                    .post, "/api/v1/webhooks/suricata", json: Self.eve,
                    headers: [
                        HTTPField.Name("X-CoreRecon-Signature")!: WebhookVerifierSigning.sign(
                            body, secret: "guess", at: Date())
                    ])
                #expect(wrong.status == .unauthorized)
                let stale = try await client.send(
                    .post, "/api/v1/webhooks/suricata", json: Self.eve,
                    headers: [
                        HTTPField.Name("X-CoreRecon-Signature")!: WebhookVerifierSigning.sign(
                            body, secret: secret, at: Date() - 3_600)
                    ])
                #expect(stale.status == .unauthorized)
                #expect(stale.body.contains("clock"))
                let unsigned = try await client.send(.post, "/api/v1/webhooks/suricata", json: Self.eve)
                #expect(unsigned.status == .unauthorized)
                let unconfigured = try await client.send(.post, "/api/v1/webhooks/wazuh", json: "{}")
                #expect(unconfigured.status == .unauthorized)
                #expect(unconfigured.body.contains("CORERECON_WEBHOOK_SECRET_WAZUH"))
                let unknown = try await client.send(.post, "/api/v1/webhooks/splunkish", json: "{}")
                #expect(unknown.status == .notFound)
            }
            #expect(try await services.alerts.list(AlertQuery()).alerts.count == 1)
        }
    }

    /// A record from the ingest tests' fixtures.
    static func fixture(_ path: String) throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        return try String(
            contentsOf: root.appendingPathComponent("CoreReconTests/Fixtures/alerts/\(path)"), encoding: .utf8)
    }

    @Test(
        "Security Hub, Splunk and QRadar records arrive through their webhooks: an event's findings and an array's offenses each an alert",
        arguments: TestDatabases.backends)
    func vendorWebhooks(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            let fixture = APIFixture(services: services)
            let key = try await fixture.key(.ingest)
            try await fixture.run { client in
                // The event carries one finding; a second one is added to it.
                let event = try Self.fixture("asff/eventbridge-imported.json")
                let second = try Self.fixture("asff/control-ec2-8.json")
                let wider = try #require(event.range(of: "\"findings\":["))
                let twoFindings = event.replacingCharacters(in: wider, with: "\"findings\": [" + second + ",")
                // The same event again, detected rather than named: both findings are re-deliveries (200).
                for (source, body, status, count) in [
                    ("asff", twoFindings, HTTPResponse.Status.accepted, 2),
                    ("splunk", try Self.fixture("splunk/notable.json"), .accepted, 1),
                    ("qradar", try Self.fixture("qradar/offenses.json"), .accepted, 2),
                    ("cortexxdr", try Self.fixture("cortexxdr/alerts-v2-reply.json"), .accepted, 2),
                    ("chronicle", try Self.fixture("chronicle/stream-batch.json"), .accepted, 2),
                    ("sophos", try Self.fixture("sophos/siem-events.json"), .accepted, 2),
                    ("auto", twoFindings, .ok, 2),
                ] {
                    let response = try await client.send(
                        .post, "/api/v1/webhooks/\(source)", token: key, json: body)
                    #expect(response.status == status, "\(source): \(response.body)")
                    #expect((object(response.body)["alertIds"] as? [Int])?.count == count, "\(source)")
                }
                // CEF lines in the body, a record a line, behind syslog headers or not.
                let lines = try Self.fixture("cef/events.log")
                let cef = try await client.send(.post, "/api/v1/webhooks/cef", token: key, body: lines)
                #expect(cef.status == .accepted, "\(cef.body)")
                #expect(object(cef.body)["created"] as? Int == 5, "\(cef.body)")
            }
            var query = AlertQuery()
            query.limit = 100
            let alerts = try await services.alerts.list(query).alerts
            #expect(alerts.count == 16)
            #expect(
                Set(alerts.map(\.product)) == [
                    "Security Hub", "Splunk Enterprise Security", "QRadar", "threatmanager", "PTA", "Cortex XDR Agent",
                    "Cortex XDR", "Google SecOps", "Sophos Central",
                ])
            #expect(alerts.contains { $0.title == "Multiple Login Failures for the Same User" && $0.severity == .low })
        }
    }

    @Test("Ingest by API key, with bad records named and good ones kept; body limit; malformed JSON")
    func ingest() async throws {
        try await TestDatabases.withServices(.sqlite) { services in
            let fixture = APIFixture(services: services, bodyLimit: 4_096)
            let key = try await fixture.key(.ingest)
            try await fixture.run { client in
                let mixed =
                    Self.eve + "\n{\"oops\": \n"
                    + Self.eve.replacingOccurrences(of: "\"flow_id\":7", with: "\"flow_id\":8")
                let result = try await client.send(.post, "/api/v1/ingest?source=dmz", token: key, json: mixed)
                #expect(result.status == .accepted, "\(result.body)")
                let summary = object(result.body)
                #expect(summary["rejected"] as? Int == 1)
                #expect(summary["read"] as? Int == 3)
                let rejection = (summary["rejections"] as? [[String: Any]])?.first
                #expect(rejection?["location"] as? String == "line 2")

                let big = String(repeating: " ", count: 5_000) + Self.eve
                #expect(
                    try await client.send(.post, "/api/v1/ingest", token: key, json: big).status == .contentTooLarge)
                let empty = try await client.send(.post, "/api/v1/ingest", token: key, json: "")
                #expect(empty.status == .badRequest)
            }
            let alerts = try await services.alerts.list(AlertQuery()).alerts
            #expect(alerts.count == 1)
            #expect(alerts.first?.source == "dmz")
            #expect(alerts.first?.occurrences == 2)
        }
    }

    @Test(
        "Alerts and incidents over the API, errors as problem documents, request ids echoed",
        arguments: TestDatabases.backends)
    func triage(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            let fixture = APIFixture(services: services)
            let analyst = try await fixture.key(.analyst)
            let ingest = try await fixture.key(.ingest)
            try await fixture.run { client in
                _ = try await client.send(.post, "/api/v1/ingest", token: ingest, json: Self.eve)
                let list = try await client.send(
                    .get, "/api/v1/alerts?severity=medium&limit=10", token: analyst,
                    headers: [.requestID: "trace-42"])
                #expect(list.headers[.requestID] == "trace-42")
                let alerts = object(list.body)["alerts"] as? [[String: Any]]
                let id = try #require(alerts?.first?["id"] as? Int)

                let bad = try await client.send(.patch, "/api/v1/alerts/\(id)", token: analyst, json: #"{"status": "#)
                #expect(bad.status == .badRequest)
                #expect(bad.headers[.contentType] == "application/problem+json")
                #expect(object(bad.body)["position"] as? String != nil)
                #expect(object(bad.body)["status"] as? Int == 400)
                let ack = try await client.send(
                    .patch, "/api/v1/alerts/\(id)", token: analyst, json: #"{"status":"acknowledged"}"#)
                #expect(object(ack.body)["status"] as? String == "acknowledged")
                let again = try await client.send(
                    .patch, "/api/v1/alerts/\(id)", token: analyst, json: #"{"status":"acknowledged"}"#)
                #expect(again.status == .conflict)
                #expect((object(again.body)["detail"] as? String)?.contains("can become") == true)
                #expect(try await client.send(.get, "/api/v1/alerts/999999", token: analyst).status == .notFound)
                #expect(
                    try await client.send(.get, "/api/v1/alerts?severity=loud", token: analyst).status
                        == .badRequest)

                let history = try await client.send(.get, "/api/v1/alerts/\(id)/history", token: analyst)
                #expect(history.body.contains("key:test-analyst"))

                let created = try await client.send(
                    .post, "/api/v1/alerts/escalate", token: analyst, json: #"{"ids":[\#(id)],"title":"SSH scan"}"#)
                #expect(created.status == .created, "\(created.body)")
                let incident = try #require(object(created.body)["id"] as? String)
                let moved = try await client.send(
                    .patch, "/api/v1/incidents/\(incident)", token: analyst, json: #"{"state":"contained"}"#)
                #expect(object(moved.body)["state"] as? String == "contained")
                let back = try await client.send(
                    .patch, "/api/v1/incidents/\(incident)", token: analyst, json: #"{"state":"new"}"#)
                #expect(back.status == .conflict)
                // Closing needs /close with a resolution: a state change to closed is a refused move too.
                let closing = try await client.send(
                    .patch, "/api/v1/incidents/\(incident)", token: analyst, json: #"{"state":"closed"}"#)
                #expect(closing.status == .conflict)
                let uploaded = try await client.send(
                    .post, "/api/v1/incidents/\(incident)/evidence?name=scan.pcap&description=sensor", token: analyst,
                    json: "pcap bytes")
                #expect(uploaded.status == .created, "\(uploaded.body)")
                let sha = try #require(object(uploaded.body)["sha256"] as? String)
                let downloaded = try await client.send(.get, "/api/v1/incidents/\(incident)/evidence/1", token: analyst)
                #expect(downloaded.body == "pcap bytes")
                #expect(downloaded.headers[HTTPField.Name("X-Content-SHA256")!] == sha)
                // A body that is not what its sender hashed changed on the way: refused, nothing stored.
                let tampered = try await client.send(
                    .post, "/api/v1/incidents/\(incident)/evidence?name=other.pcap", token: analyst,
                    headers: [HTTPField.Name("X-Content-SHA256")!: sha], body: "pcap bytez")
                #expect(tampered.status == .unprocessableContent, "\(tampered.body)")
                #expect(tampered.body.contains("nothing was stored"))
                let listed = try await client.send(.get, "/api/v1/incidents/\(incident)/evidence", token: analyst)
                #expect((try JSONSerialization.jsonObject(with: Data(listed.body.utf8)) as? [Any])?.count == 1)
                let verified = try await client.send(
                    .post, "/api/v1/incidents/\(incident)/evidence/1/verify", token: analyst)
                #expect(object(verified.body)["intact"] as? Bool == true, "\(verified.body)")
                let custody = try await client.send(
                    .get, "/api/v1/incidents/\(incident)/evidence/1/custody", token: analyst)
                let actions = (try JSONSerialization.jsonObject(with: Data(custody.body.utf8)) as? [[String: Any]])?
                    .compactMap { $0["action"] as? String }
                #expect(actions?.count == 3, "added, exported, verified: \(custody.body)")
                let report = try await client.send(.get, "/api/v1/incidents/\(incident)/report", token: analyst)
                #expect(report.headers[.contentType]?.hasPrefix("text/markdown") == true)
                #expect(report.body.contains("| 1 | scan.pcap | 10 | `\(sha)`"))
                let coverage = try await client.send(.get, "/api/v1/attack/coverage?from=incidents", token: analyst)
                #expect(coverage.status == .ok)
                let closed = try await client.send(
                    .post, "/api/v1/incidents/\(incident)/close", token: analyst,
                    json: #"{"resolution":"false_positive","summary":"Vulnerability scanner"}"#)
                #expect(object(closed.body)["state"] as? String == "closed")
                let detail = try await client.send(.get, "/api/v1/incidents/\(incident)", token: analyst)
                let alertsOfIncident = object(detail.body)["alerts"] as? [[String: Any]]
                #expect(alertsOfIncident?.first?["status"] as? String == "closed")
                #expect(
                    try await client.send(.get, "/api/v1/incidents/IR-2020-0009", token: analyst).status == .notFound)
            }
        }
    }

    @Test(
        "GET /alerts filters on event time with since, on receipt with receivedSince",
        arguments: TestDatabases.backends)
    func receivedSince(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            let fixture = APIFixture(services: services)
            let viewer = try await fixture.key(.viewer)
            let ingest = try await fixture.key(.ingest)
            // Historical data: the events happened in 2020, the server receives them now.
            let historical = Self.eve.replacingOccurrences(of: "2026-11-20", with: "2020-03-01")
            try await fixture.run { client in
                let stored = try await client.send(.post, "/api/v1/ingest", token: ingest, json: historical)
                #expect(stored.status.code < 300, "\(stored.body)")
                func count(_ query: String) async throws -> Int? {
                    let response = try await client.send(.get, "/api/v1/alerts?\(query)", token: viewer)
                    return (object(response.body)["alerts"] as? [Any])?.count
                }
                #expect(try await count("since=24h") == 0)
                #expect(try await count("receivedSince=1h") == 1)
                #expect(try await count("receivedSince=2099-01-01") == 0)
                let bad = try await client.send(.get, "/api/v1/alerts?receivedSince=soon", token: viewer)
                #expect(bad.status == .badRequest)
                #expect(bad.body.contains("receivedSince"))
            }
        }
    }

    @Test("A method the API does not declare for an existing path is 405 with Allow; an unknown path is 404")
    func methodNotAllowed() async throws {
        try await TestDatabases.withServices(.sqlite) { services in
            let fixture = APIFixture(services: services)
            let admin = try await fixture.key(.admin)
            try await fixture.run { client in
                let list = try await client.send(.delete, "/api/v1/alerts", token: admin)
                #expect(list.status == .methodNotAllowed)
                #expect(list.headers[.allow] == "GET")
                #expect(list.headers[.contentType] == "application/problem+json")
                let one = try await client.send(.put, "/api/v1/alerts/42", token: admin)
                #expect(one.status == .methodNotAllowed)
                #expect(one.headers[.allow]?.contains("GET") == true)
                #expect(one.headers[.allow]?.contains("PATCH") == true)
                // A literal segment is a resource of its own: /alerts/bulk takes POST only.
                let bulk = try await client.send(.get, "/api/v1/alerts/bulk", token: admin)
                #expect(bulk.status == .methodNotAllowed)
                #expect(bulk.headers[.allow] == "POST")
                let unknown = try await client.send(.get, "/api/v1/nothing-here", token: admin)
                #expect(unknown.status == .notFound)
            }
        }
    }

    @Test("The OpenAPI document names exactly the routes that exist, with their roles")
    func openAPI() async throws {
        try await TestDatabases.withServices(.sqlite) { services in
            let fixture = APIFixture(services: services)
            let routes = try await apiRoutes(services: fixture.services, configuration: fixture.configuration)
            try await fixture.run { client in
                let document = object(try await client.send(.get, "/api/v1/openapi.json").body)
                #expect(document["openapi"] as? String == "3.1.0")
                let paths = try #require(document["paths"] as? [String: [String: Any]])
                var documented: Set<String> = []
                for (path, operations) in paths {
                    for method in operations.keys { documented.insert("\(method.uppercased()) \(path)") }
                }
                let registered = Set(routes.map { "\($0.method.rawValue) \($0.path)" })
                #expect(documented == registered)
                // Every documented path answers (not the router's 404 for an unknown path).
                for route in routes {
                    let uri = route.path.replacingOccurrences(of: "{id}", with: "1")
                        .replacingOccurrences(of: "{number}", with: "1").replacingOccurrences(of: "{ref}", with: "1")
                        .replacingOccurrences(of: "{name}", with: "feed").replacingOccurrences(
                            of: "{technique}", with: "T1046"
                        )
                        .replacingOccurrences(
                            of: "{source}", with: "generic")
                    let result = try await client.send(route.method, uri)
                    #expect(!result.body.contains("no resource at"), "\(route.method) \(route.path)")
                }
                let roles = (paths["/api/v1/alerts"]?["get"] as? [String: Any])?["x-roles"] as? [String]
                #expect(roles == ["admin", "lead", "analyst", "viewer"])
                let page = try await client.send(.get, "/docs")
                #expect(page.status == .ok)
                #expect(page.body.contains("/api/v1/alerts/{id}"))
            }
        }
    }
}

/// Signing as a SIEM would.
enum WebhookVerifierSigning {
    static func sign(_ body: Data, secret: String, at time: Date) -> String {
        WebhookSignature.sign(body, secret: secret, at: time)
    }
}

extension HTTPField.Name {
    // swift-format-ignore: NeverForceUnwrap
    static let requestID = HTTPField.Name("X-Request-ID")!
}
