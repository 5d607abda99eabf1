import CoreRecon
import CoreReconStore
import CoreReconTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CoreReconServer

@Suite("Threat intel API: edits, score history, feeds")
struct IOCAPITests {
    @Test("PATCH edits an indicator; its detail carries the score history; feeds are added, pulled and removed")
    func editsAndFeeds() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try "evil-feed.example\n203.0.113.77\n".write(
            toFile: directory.path + "/list.txt", atomically: true, encoding: .utf8)
        let web = try StaticWebServer(directory: directory.path)
        defer { web.stop() }
        let clock = TestClock()
        try await TestDatabases.withServices(.sqlite, now: clock.closure) { services in
            try await Self.body(services, clock, feedURL: "http://127.0.0.1:\(web.port)/list.txt")
        }
    }

    static func body(_ services: AppServices, _ clock: TestClock, feedURL: String) async throws {
        let fixture = APIFixture(services: services)
        let admin = try await fixture.key(.admin)
        let analyst = try await fixture.key(.analyst)
        let viewer = try await fixture.key(.viewer)
        try await fixture.run { client in
            let added = try await client.send(
                .post, "/api/v1/iocs", token: analyst,
                json: #"{"value":"c2.evil.example","confidence":80,"tags":["c2"]}"#)
            #expect(added.status == .created, "\(added.body)")
            let id = try #require(try JSONParser.parse(added.body)[key: "id"]?.int)
            clock.advance(86_400)
            _ = try await client.send(.post, "/api/v1/iocs/\(id)/sightings", token: analyst, json: #"{"source":"edr"}"#)

            let refused = try await client.send(.patch, "/api/v1/iocs/\(id)", token: viewer, json: #"{"tlp":"red"}"#)
            #expect(refused.status == .forbidden)
            let bad = try await client.send(
                .patch, "/api/v1/iocs/\(id)", token: analyst, json: #"{"expires":"soon"}"#)
            #expect(bad.status == .badRequest)
            let patched = try await client.send(
                .patch, "/api/v1/iocs/\(id)", token: analyst,
                json: #"{"tlp":"amber","confidence":90,"addTags":["apt"],"removeTags":["c2"],"expires":"30d"}"#)
            #expect(patched.status == .ok, "\(patched.body)")
            let edited = try JSONParser.parse(patched.body)
            #expect(edited[key: "tlp"]?.text == "amber" && edited[key: "confidence"]?.int == 90)
            #expect(edited[key: "tags"]?.arrayValue?.compactMap(\.text) == ["apt"])
            #expect(edited[key: "validUntil"]?.text != nil)

            let detail = try JSONParser.parse(try await client.send(.get, "/api/v1/iocs/\(id)", token: viewer).body)
            let history = detail[key: "scoreHistory"]?.arrayValue ?? []
            #expect(
                history.compactMap { $0[key: "event"]?.text } == ["reported by api", "sighted (edr)", "now", "expires"])
            // The sighting starts the decay over: the score after it is the base again.
            #expect(history[1][key: "score"]?.int == 90 && (history[0][key: "score"]?.int ?? 0) == 90)

            // Feeds: admins add and remove; analysts pull; everyone reads.
            let body = #"{"kind":"url","url":"\#(feedURL)","source":"partner","every":3600,"confidence":60}"#
            let notAdmin = try await client.send(.put, "/api/v1/ioc-feeds/partner-list", token: analyst, json: body)
            #expect(notAdmin.status == .forbidden)
            let badName = try await client.send(.put, "/api/v1/ioc-feeds/bad%20name", token: admin, json: body)
            #expect(badName.status == .unprocessableContent, "\(badName.body)")
            // The wrong scheme is against the schema (400); an http(s) address that cannot be fetched is 422.
            let badURLs: [(String, HTTPResponse.Status)] = [
                ("http://[x", .unprocessableContent), ("https://", .unprocessableContent),
                ("http://feeds.example:99999/x", .unprocessableContent), ("ftp://feeds.example/x", .badRequest),
            ]
            for (url, status) in badURLs {
                let badURL = try await client.send(
                    .put, "/api/v1/ioc-feeds/partner-list", token: admin,
                    json: #"{"kind":"url","url":"\#(url)","source":"partner"}"#)
                #expect(badURL.status == status, "\(url): \(badURL.body)")
                #expect(badURL.body.contains("url"), "\(url): \(badURL.body)")
            }
            let badRoot = try await client.send(
                .post, "/api/v1/taxii-pulls", token: admin, json: #"{"apiRoot":"http://[x","collection":"c"}"#)
            #expect(badRoot.status == .unprocessableContent && badRoot.body.contains("apiRoot"), "\(badRoot.body)")
            let listed = try await client.send(.get, "/api/v1/ioc-feeds", token: admin)
            #expect(!listed.body.contains("[x"), "a refused feed must not be stored: \(listed.body)")
            let saved = try await client.send(.put, "/api/v1/ioc-feeds/partner-list", token: admin, json: body)
            #expect(saved.status == .ok, "\(saved.body)")
            #expect(try JSONParser.parse(saved.body)[key: "every"]?.int == 3_600)
            let pulled = try await client.send(.post, "/api/v1/ioc-feeds/partner-list/pull", token: analyst)
            #expect(pulled.status == .ok, "\(pulled.body)")
            #expect(try JSONParser.parse(pulled.body)[key: "summary"]?[key: "new"]?.int == 2)
            let feeds = try JSONParser.parse(try await client.send(.get, "/api/v1/ioc-feeds", token: viewer).body)
            #expect(feeds.arrayValue?.first?[key: "lastStatus"]?.text != nil)
            let removed = try await client.send(.delete, "/api/v1/ioc-feeds/partner-list", token: admin)
            #expect(removed.status == .noContent)
            let gone = try await client.send(.post, "/api/v1/ioc-feeds/partner-list/pull", token: analyst)
            #expect(gone.status == .notFound)
        }
    }
}

extension IOCAPITests {
    @Test("POST /iocs/reports: NDJSON keeps the good lines, an array is checked whole, no body imports nothing")
    func reports() async throws {
        try await TestDatabases.withServices(.sqlite) { services in try await Self.reports(services) }
    }

    static func reports(_ services: AppServices) async throws {
        let fixture = APIFixture(services: services)
        let ingest = try await fixture.key(.ingest)
        try await fixture.run { client in
            let ndjson: HTTPFields = [.contentType: "application/x-ndjson"]
            let good = #"{"type":"ipv4","value":"010.0.0.1","source":"feed","location":"feed.txt:3"}"#
            let bad = #"{"type":"ipv4","value":"not an address","source":"feed"}"#
            let mixed = try await client.send(
                .post, "/api/v1/iocs/reports", token: ingest, headers: ndjson, body: good + "\n" + bad + "\n")
            #expect(mixed.status == .ok, "\(mixed.body)")
            let answer = try JSONParser.parse(mixed.body)
            #expect(answer[key: "new"]?.int == 1 && answer[key: "rejected"]?.int == 1, "\(mixed.body)")
            #expect(answer[key: "rejections"]?.arrayValue?.first?[key: "location"]?.text == "line 2: value")
            // Stored canonical, whatever the sender wrote.
            #expect(try await services.indicators.find("10.0.0.1").value == "10.0.0.1")
            let json: HTTPFields = [.contentType: "application/json"]
            let array = try await client.send(
                .post, "/api/v1/iocs/reports", token: ingest, headers: json, body: "[\(good),\(bad)]")
            #expect(array.status == .unprocessableContent, "an array is all or nothing: \(array.body)")
            for body in ["\n", "[]", "{}"] {
                let refused = try await client.send(
                    .post, "/api/v1/iocs/reports", token: ingest, headers: json, body: body)
                #expect([.badRequest, .unprocessableContent].contains(refused.status), "\(body): \(refused.body)")
            }
            let none = try await client.send(.post, "/api/v1/iocs/reports", token: ingest, headers: ndjson)
            #expect(none.status == .ok, "\(none.body)")
            #expect(try JSONParser.parse(none.body)[key: "read"]?.int == 0)
        }
    }
}
