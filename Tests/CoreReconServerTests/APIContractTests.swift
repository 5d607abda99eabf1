import CoreRecon
import CoreReconServer
import CoreReconStore
import CoreReconTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The OpenAPI document describes every operation completely, and the server holds to it: parameters outside
/// their declared schema are refused, and the inputs schemathesis found crashing the server are answered.
/// (`scripts/api-contract` runs schemathesis itself against a live server.)
@Suite("API contract")
struct APIContractTests {
    @Test("Every operation declares its parameters, body and responses, and every reference resolves")
    func documentIsComplete() async throws {
        try await TestDatabases.withServices(.sqlite) { services in
            let fixture = APIFixture(services: services)
            try await fixture.run { client in
                let text = try await client.send(.get, "/api/v1/openapi.json").body
                let document = object(text)
                let paths = try #require(document["paths"] as? [String: [String: [String: Any]]])
                let components = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
                var operationIDs: Set<String> = []
                for (path, operations) in paths {
                    for (method, operation) in operations {
                        let name = "\(method.uppercased()) \(path)"
                        let id = try #require(operation["operationId"] as? String, "\(name)")
                        #expect(operationIDs.insert(id).inserted, "\(name): operationId \(id) is used twice")
                        let responses = try #require(operation["responses"] as? [String: [String: Any]], "\(name)")
                        let successes = responses.filter { $0.key.hasPrefix("2") || $0.key == "101" }
                        #expect(!successes.isEmpty, "\(name) declares no success response")
                        #expect(responses["default"] != nil, "\(name) has no default (problem) response")
                        if operation["x-roles"] != nil {
                            #expect(responses["401"] != nil && responses["403"] != nil, "\(name): 401/403")
                        }
                        // Path parameters are declared with a schema.
                        let declared = Set(
                            (operation["parameters"] as? [[String: Any]] ?? []).filter { $0["in"] as? String == "path" }
                                .compactMap { $0["name"] as? String })
                        let inPath = Set(
                            path.split(separator: "/").filter { $0.hasPrefix("{") }.map {
                                String($0.dropFirst().dropLast())
                            })
                        #expect(declared == inPath, "\(name) path parameters")
                        if ["post", "patch"].contains(method), path.hasPrefix("/api/v1/"),
                            !path.hasSuffix("/reopen"), !path.hasSuffix("/revoke"), !path.hasSuffix("/retry"),
                            !path.hasSuffix("/pull"), !path.hasSuffix("/cancel"), !path.hasSuffix("/sweep"),
                            !path.hasSuffix("/verify"), !path.hasSuffix("/enable"), !path.hasSuffix("/disable"),
                            !path.hasSuffix("/flush"), !path.hasSuffix("/hunt"), path != "/api/v1/attack/sync",
                            path != "/api/v1/notify/channels/{name}/test"
                        {
                            let body = operation["requestBody"] as? [String: Any]
                            #expect(body != nil, "\(name) declares no body")
                            #expect((body?["content"] as? [String: Any])?.isEmpty == false, "\(name) body content")
                        }
                    }
                }
                // Every $ref names a component, and every link names an operation.
                let references = text.components(separatedBy: "\"$ref\":\"#/components/schemas/").dropFirst()
                    .map { String($0.prefix { $0 != "\"" }) }
                #expect(!references.isEmpty)
                for name in references { #expect(components[name] != nil, "unresolved $ref \(name)") }
                let links = text.components(separatedBy: "\"operationId\":\"").dropFirst()
                    .map { String($0.prefix { $0 != "\"" }) }
                for id in links { #expect(operationIDs.contains(id), "link or operation to unknown \(id)") }
                // The alert list's filters are typed.
                let list = try #require(paths["/api/v1/alerts"]?["get"]?["parameters"] as? [[String: Any]])
                let limit = try #require(list.first { $0["name"] as? String == "limit" }?["schema"] as? [String: Any])
                #expect(limit["type"] as? String == "integer")
                #expect(limit["maximum"] as? Int == 1_000)
                let ingest = try #require(paths["/api/v1/ingest"]?["post"]?["responses"] as? [String: [String: Any]])
                #expect(ingest["202"]?["links"] != nil, "ingest links to the alerts it created")
            }
        }
    }

    @Test("Query parameters outside their declared schema are 400 naming the parameter")
    func queryParameters() async throws {
        try await TestDatabases.withServices(.sqlite) { services in
            let fixture = APIFixture(services: services)
            let viewer = try await fixture.key(.viewer)
            try await fixture.run { client in
                for (query, parameter) in [
                    ("limit=0", "limit"), ("limit=1001", "limit"), ("limit=ten", "limit"), ("limit=", "limit"),
                    ("status=new,bogus", "status"), ("since=1e16s", "since"), ("since=infs", "since"),
                    ("since=soon", "since"), ("technique=T10", "technique"), ("sort=random", "sort"),
                    ("cursor=abc", "cursor"), ("severity=high&severity=low", "severity"),
                    // One character on screen, 201 code points: over the 200 the document allows.
                    ("assignee=o" + String(repeating: "%CC%81", count: 200), "assignee"),
                ] {
                    let response = try await client.send(.get, "/api/v1/alerts?\(query)", token: viewer)
                    #expect(response.status == .badRequest, "\(query): \(response.body)")
                    #expect(response.body.contains(parameter), "\(query): \(response.body)")
                }
                for query in [
                    "limit=1000", "since=24h", "since=1.5h", "since=2026-11-25", "since=99999w",
                    "until=2026-11-25T08:00:00.5+01:00", "status=new,closed", "technique=t1059.001",
                ] {
                    let response = try await client.send(.get, "/api/v1/alerts?\(query)", token: viewer)
                    #expect(response.status == .ok, "\(query): \(response.body)")
                }
            }
        }
    }

    @Test("The client's alert query goes out as parameters the document declares, and the server takes them")
    func clientQuery() async throws {
        try await TestDatabases.withServices(.sqlite) { services in
            let fixture = APIFixture(services: services)
            let viewer = try await fixture.key(.viewer)
            var query = AlertQuery()
            query.statuses = [.new, .inProgress]
            query.minimumSeverity = .high
            query.sources = ["sensor-a", "edr"]
            query.since = Date(timeIntervalSince1970: 1_795_593_600.123)
            query.until = Date(timeIntervalSince1970: 1_795_600_000)
            query.receivedSince = Date(timeIntervalSince1970: 1_795_500_000)
            query.assignee = "ana & bob"
            query.search = "ssh brute-force"
            query.technique = "T1059.001"
            query.sla = .atRisk
            query.sort = .severity
            query.limit = 1_000
            query.offset = 20
            var paged = query
            paged.cursor = AlertCursor(sort: .id, value: 9, id: 9)
            let queries = [query, paged]
            try await fixture.run { client in
                let document = object(try await client.send(.get, "/api/v1/openapi.json").body)
                let paths = document["paths"] as? [String: [String: [String: Any]]]
                let declared = Set(
                    (paths?["/api/v1/alerts"]?["get"]?["parameters"] as? [[String: Any]] ?? []).compactMap {
                        $0["name"] as? String
                    })
                for query in queries {
                    let parameters = query.apiParameters
                    #expect(Set(parameters.map(\.0)).isSubset(of: declared), "\(parameters.map(\.0))")
                    let uri = "/api/v1/alerts" + APIClient.encode(parameters)
                    let response = try await client.send(.get, uri, token: viewer)
                    #expect(response.status == .ok, "\(uri): \(response.body)")
                }
                // corerecon's client names the API it speaks, and is held to the document: a parameter the route
                // does not declare is refused, so a client call that drifts from the contract fails its tests.
                let api: HTTPFields = [HTTPField.Name("CoreRecon-API")!: "1"]
                let stray = try await client.send(
                    .get, "/api/v1/alerts?severity=high&colour=red", token: viewer, headers: api)
                #expect(stray.status == .badRequest)
                #expect(stray.body.contains("colour is not a query parameter of GET /api/v1/alerts"), "\(stray.body)")
                let lenient = try await client.send(.get, "/api/v1/alerts?severity=high&colour=red", token: viewer)
                #expect(lenient.status == .ok, "others' clients are not held to it")
                let none = try await client.send(.get, "/api/v1/iocs/stats?x=1", token: viewer, headers: api)
                #expect(none.body.contains("x is not a query parameter of GET /api/v1/iocs/stats."), "\(none.body)")
            }
        }
    }

    @Test("Inputs that crashed the server are answered: a nameless form field, a window that ends before it starts")
    func formerCrashes() async throws {
        try await TestDatabases.withServices(.sqlite) { services in
            let fixture = APIFixture(services: services)
            let viewer = try await fixture.key(.viewer)
            try await fixture.run { client in
                for form in ["=", "grant_type=password&=", "=x&grant_type=refresh_token"] {
                    let token = try await client.send(.post, "/api/v1/auth/token", form: form)
                    #expect(token.status == .badRequest, "\(form): \(token.body)")
                    let revoke = try await client.send(.post, "/api/v1/auth/revoke", form: form)
                    #expect(revoke.status == .badRequest, "\(form): \(revoke.body)")
                }
                for query in ["since=2099-01-01", "until=60d", "since=1s&until=1h"] {
                    let metrics = try await client.send(.get, "/api/v1/incident-metrics?\(query)", token: viewer)
                    #expect(metrics.status == .ok, "\(query): \(metrics.body)")
                    #expect(object(metrics.body)["total"] as? Int == 0)
                }
                // Far back is the year 1, and is written back as a valid timestamp.
                let far = try await client.send(.get, "/api/v1/attack/coverage?since=99999w", token: viewer)
                #expect(far.status == .ok, "\(far.body)")
                #expect(try await client.send(.get, "/healthz").status == .ok)
            }
        }
    }

    @Test("Bodies: null fields, blank text, unknown enums and empty filters are refused; valid ones work")
    func bodies() async throws {
        try await TestDatabases.withServices(.sqlite) { services in
            let fixture = APIFixture(services: services)
            let analyst = try await fixture.key(.analyst)
            try await fixture.run { client in
                let ingested = try await client.send(
                    .post, "/api/v1/ingest", token: try await fixture.key(.ingest), json: RestAPITests.eve)
                let id = try #require((object(ingested.body)["alertIds"] as? [Int])?.first)
                let refused: [(String, String, String, String)] = [
                    ("PATCH", "/api/v1/alerts/\(id)", #"{"status":null}"#, "status"),
                    ("PATCH", "/api/v1/alerts/\(id)", #"{"assignee":"  "}"#, "assignee"),
                    ("PATCH", "/api/v1/alerts/\(id)", #"{"comment":"x","closeReason":"bored"}"#, "closeReason"),
                    ("POST", "/api/v1/alerts/bulk", #"{"action":"ack","filter":{}}"#, "filter"),
                    ("POST", "/api/v1/alerts/bulk", #"{"action":"ack","filter":{"colour":"red"}}"#, "colour"),
                    ("POST", "/api/v1/alerts/bulk", #"{"action":"ack","filter":{"source":""}}"#, "source"),
                    ("POST", "/api/v1/alerts/bulk", #"{"action":"ack","ids":[]}"#, "ids"),
                    ("POST", "/api/v1/alerts/bulk", #"{"action":"ack","ids":[0]}"#, "ids"),
                    ("POST", "/api/v1/incidents", #"{"title":" \n"}"#, "title"),
                ]
                for (method, path, json, field) in refused {
                    let response = try await client.send(
                        HTTPRequest.Method(method)!, path, token: analyst, json: json)
                    #expect(response.status == .badRequest, "\(json): \(response.body)")
                    #expect(response.body.contains(field), "\(json): \(response.body)")
                }
                // A null in a field the operation does not have is ignored, as unknown fields are.
                let patched = try await client.send(
                    .patch, "/api/v1/alerts/\(id)", token: analyst, json: #"{"comment":"seen","x-extra":null}"#)
                #expect(patched.status == .ok, "\(patched.body)")
                let bulk = try await client.send(
                    .post, "/api/v1/alerts/bulk", token: analyst,
                    json: #"{"action":"ack","filter":{"severity":"low","status":"new"}}"#)
                #expect(bulk.status == .ok, "\(bulk.body)")
                #expect(bulk.body.contains(#""status":"acknowledged""#))
                let incident = try await client.send(
                    .post, "/api/v1/incidents", token: analyst, json: #"{"title":"t"}"#)
                let key = try #require(object(incident.body)["id"] as? String)
                let evidence = try await client.send(
                    .post, "/api/v1/incidents/\(key)/evidence?name=a.txt", token: analyst)
                #expect(evidence.status == .badRequest, "an empty body is not evidence: \(evidence.body)")
                let reopen = try await client.send(
                    .post, "/api/v1/incidents/\(key)/reopen", token: analyst, json: "not json")
                #expect(reopen.status == .badRequest, "\(reopen.body)")
            }
        }
    }

    @Test(
        "NUL: an alert holding \\u0000 is stored beside its neighbours (PostgreSQL's text cannot hold NUL); NUL in a body is U+FFFD, in parameters and forms 400",
        arguments: TestDatabases.backends)
    func nul(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            let fixture = APIFixture(services: services)
            let admin = try await fixture.key(.admin)
            try await fixture.run { client in
                let body = #"{"title":"nul\u0000here","host":"h1"}"# + "\n" + #"{"title":"fine","host":"h2"}"#
                let ingested = try await client.send(.post, "/api/v1/ingest", token: admin, json: body)
                #expect(ingested.status == .accepted, "\(ingested.body)")
                #expect((object(ingested.body)["alertIds"] as? [Int])?.count == 2)
                let list = try await client.send(.get, "/api/v1/alerts?search=here", token: admin)
                #expect(list.body.contains("nul\u{FFFD}here"), "\(list.body)")
                for uri in ["/api/v1/alerts?search=a%00b", "/api/v1/alerts?assignee=%00"] {
                    #expect(try await client.send(.get, uri, token: admin).status == .badRequest, "\(uri)")
                }
                // A search of nothing but white space (NEL here) has no word: it filters nothing, on both backends
                // (an empty FTS5 query was a 500, found by schemathesis).
                let blank = try await client.send(.get, "/api/v1/alerts?search=%C2%85%20", token: admin)
                #expect(blank.status == .ok, "\(blank.body)")
                #expect(blank.body.contains("fine"), "\(blank.body)")
                let bulk = try await client.send(
                    .post, "/api/v1/alerts/bulk", token: admin,
                    json: #"{"action":"acknowledge","filter":{"search":"\u0085"}}"#)
                #expect(bulk.status == .ok, "\(bulk.body)")
                let incident = try await client.send(
                    .post, "/api/v1/incidents", token: admin, json: #"{"title":"a\u0000b"}"#)
                #expect(incident.status == .created, "\(incident.body)")
                #expect(object(incident.body)["title"] as? String == "a\u{FFFD}b")
                let escaped = try await client.send(
                    .post, "/api/v1/incidents", token: admin, json: #"{"title":"a\\u0000b"}"#)
                #expect(escaped.status == .created, "a backslash before u0000 is text: \(escaped.body)")
                let form = try await client.send(
                    .post, "/api/v1/auth/token", form: "grant_type=password&username=a%00&password=b")
                #expect(form.status == .badRequest, "\(form.body)")
            }
        }
    }

    @Test("An alert ingested over the API is matched against the indicators: GET /alerts/{id} lists the match")
    func iocMatchOverAPI() async throws {
        try await TestDatabases.withServices(.sqlite) { services in
            let report = try IndicatorReport.parse("203.0.113.9", source: "osint", location: "test")
            _ = try await services.indicators.importReports([report], actor: "test")
            let fixture = APIFixture(services: services)
            let admin = try await fixture.key(.admin)
            try await fixture.run { client in
                let ingested = try await client.send(.post, "/api/v1/ingest", token: admin, json: RestAPITests.eve)
                let id = try #require((object(ingested.body)["alertIds"] as? [Int])?.first)
                let alert = object(try await client.send(.get, "/api/v1/alerts/\(id)", token: admin).body)
                let matches = try #require(alert["iocMatches"] as? [[String: Any]])
                #expect(matches.first?["indicator"] as? String == "203.0.113.9")
                #expect(matches.first?["sources"] as? [String] == ["osint"])
            }
        }
    }

    @Test("/api/v1/iocs: add, report again, import a feed, sight, revoke, export and delete, with the role matrix")
    func iocAPI() async throws {
        try await TestDatabases.withServices(.sqlite) { services in
            let fixture = APIFixture(services: services)
            let analyst = try await fixture.key(.analyst)
            let viewer = try await fixture.key(.viewer)
            let ingest = try await fixture.key(.ingest)
            try await fixture.run { client in
                let body = #"{"value":"hxxp://evil[.]example/x","tlp":"amber","tags":["c2"],"expires":"30d"}"#
                let created = try await client.send(.post, "/api/v1/iocs", token: analyst, json: body)
                #expect(created.status == .created, "\(created.body)")
                let id = try #require(object(created.body)["id"] as? Int)
                #expect(object(created.body)["value"] as? String == "http://evil.example/x")
                #expect(try await client.send(.post, "/api/v1/iocs", token: analyst, json: body).status == .ok)
                #expect(try await client.send(.post, "/api/v1/iocs", token: viewer, json: body).status == .forbidden)
                let bad = try await client.send(
                    .post, "/api/v1/iocs", token: analyst, json: #"{"value":"x y","type":"ipv4"}"#)
                #expect(bad.status == .unprocessableContent, "\(bad.body)")

                let feed = try await client.send(
                    .post, "/api/v1/iocs/import?source=isac", token: ingest,
                    headers: [.contentType: "text/plain"], body: "198.51.100.7\nnot a value at all\n")
                #expect(feed.status == .ok, "\(feed.body)")
                #expect(object(feed.body)["new"] as? Int == 1)
                #expect(object(feed.body)["rejected"] as? Int == 1)

                let sighted = try await client.send(
                    .post, "/api/v1/iocs/\(id)/sightings", token: analyst,
                    json: #"{"falsePositive":true,"source":"soc"}"#)
                #expect(sighted.status == .created)
                #expect(object(sighted.body)["falsePositives"] as? Int == 1)
                let detail = object(try await client.send(.get, "/api/v1/iocs/\(id)", token: viewer).body)
                #expect((detail["recentSightings"] as? [[String: Any]])?.first?["source"] as? String == "soc")

                let list = try await client.send(.get, "/api/v1/iocs?type=ipv4", token: viewer)
                #expect(list.body.contains("198.51.100.7") && !list.body.contains("evil.example"))
                let text = try await client.send(.get, "/api/v1/iocs/export?to=txt", token: viewer)
                #expect(text.body.split(separator: "\n").sorted() == ["198.51.100.7", "http://evil.example/x"])
                let amber = try await client.send(.get, "/api/v1/iocs/export?to=txt&tlpMax=green", token: viewer)
                #expect(amber.body == "198.51.100.7\n")

                let revoked = try await client.send(.post, "/api/v1/iocs/\(id)/revoke", token: analyst)
                #expect(object(revoked.body)["active"] as? Bool == false)
                #expect(try await client.send(.delete, "/api/v1/iocs/\(id)", token: analyst).status == .noContent)
                #expect(try await client.send(.get, "/api/v1/iocs/\(id)", token: viewer).status == .notFound)
            }
        }
    }

    @Test("A plain GET of the WebSocket stream is 426, not an empty 200")
    func streamWithoutHandshake() async throws {
        try await TestDatabases.withServices(.sqlite) { services in
            let fixture = APIFixture(services: services)
            let viewer = try await fixture.key(.viewer)
            try await fixture.run { client in
                let response = try await client.send(.get, "/api/v1/stream", token: viewer)
                #expect(response.status == .upgradeRequired)
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(try await client.send(.get, "/api/v1/stream").status == .unauthorized)
            }
        }
    }
}
