import CoreRecon
import CoreReconServer
import CoreReconStore
import CoreReconTestSupport
import Foundation
import Testing

@Suite("Playbooks over the API")
struct PlaybookAPITests {
    static let manual = """
        name: note-it
        on: manual
        inputs:
          text: { required: true }
        steps:
          - uses: alert.comment
            with: { alert: "${{ alert.id }}", text: "${{ inputs.text }}" }
        """
    static let automatic = """
        name: on-high
        on:
          alert.created:
            if: alert.severity >= "high"
        steps:
          - uses: alert.set
            with: { alert: "${{ alert.id }}", status: acknowledged }
        """

    @Test(
        "List, show, lint, dry-run, run (analysts: manual only), follow, cancel and retry",
        arguments: TestDatabases.backends)
    func lifecycle(backend: DatabaseBackend) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try Self.manual.write(toFile: directory.path + "/note-it.yaml", atomically: true, encoding: .utf8)
        try Self.automatic.write(toFile: directory.path + "/on-high.yaml", atomically: true, encoding: .utf8)
        try "name: broken\non: manual\nsteps:\n  - uses: nothing\n".write(
            toFile: directory.path + "/broken.yaml", atomically: true, encoding: .utf8)
        try await TestDatabases.withServices(backend, configure: { $0.playbooksPath = directory.path }) { services in
            try await Self.lifecycleBody(services)
        }
    }

    static func lifecycleBody(_ services: AppServices) async throws {
        let fixture = APIFixture(services: services)
        let analyst = try await fixture.key(.analyst)
        let lead = try await fixture.key(.lead)
        let viewer = try await fixture.key(.viewer)
        let ids = try await Self.ingest(services)
        try await fixture.run { client in
            // The list names both playbooks and the broken file's problem.
            var result = try await client.send(.get, "/api/v1/playbooks", token: viewer)
            #expect(result.status == .ok)
            let list = try JSONParser.parse(result.body)
            #expect(list[key: "playbooks"]?.arrayValue?.compactMap { $0[key: "name"]?.text } == ["note-it", "on-high"])
            #expect(list[key: "issues"]?.arrayValue?.first?[key: "message"]?.text?.contains("unknown action") == true)
            result = try await client.send(.get, "/api/v1/playbooks/note-it", token: viewer)
            #expect(try JSONParser.parse(result.body)[key: "inputs"]?.arrayValue?.count == 1)
            #expect(try await client.send(.get, "/api/v1/playbooks/nope", token: viewer).status == .notFound)

            // Lint: problems with line and column.
            result = try await client.send(
                .post, "/api/v1/playbooks/lint", token: viewer,
                json: #"{"files":[{"name":"x.yaml","content":"name: x\non: manual\nsteps:\n  - uses: wait\n"}]}"#)
            let lint = try JSONParser.parse(result.body)
            #expect(lint[key: "valid"] == .bool(false))
            #expect(lint[key: "issues"]?.arrayValue?.first?[key: "line"]?.int == 4, "\(result.body)")

            // Dry run against a stored alert: nothing changes.
            result = try await client.send(
                .post, "/api/v1/playbooks/on-high/test", token: viewer, json: #"{"alert":\#(ids[0])}"#)
            let report = try JSONParser.parse(result.body)
            #expect(report[key: "triggered"] == .bool(true), "\(result.body)")
            #expect(try await services.alerts.alert(ids[0]).status == .new)

            // Analysts run manual playbooks, not the others; viewers run none.
            let body = #"{"alert":\#(ids[0]),"inputs":{"text":"checked by the API"}}"#
            #expect(
                try await client.send(.post, "/api/v1/playbooks/note-it/run", token: viewer, json: body).status
                    == .forbidden)
            #expect(
                try await client.send(
                    .post, "/api/v1/playbooks/on-high/run", token: analyst, json: #"{"alert":\#(ids[0])}"#
                )
                .status == .forbidden)
            result = try await client.send(
                .post, "/api/v1/playbooks/note-it/run", token: analyst, json: #"{"alert":\#(ids[0])}"#)
            #expect(result.status == .unprocessableContent, "a required input is missing: \(result.body)")
            result = try await client.send(.post, "/api/v1/playbooks/note-it/run", token: analyst, json: body)
            #expect(result.status == .accepted, "\(result.body)")
            let run = try JSONParser.parse(result.body)
            #expect(run[key: "status"]?.text == "queued")
            let runID = try #require(run[key: "id"]?.int)

            // The server's runner carries it out (here: one pass of it).
            _ = try await services.playbooks().runPending()
            result = try await client.send(.get, "/api/v1/playbook-runs/\(runID)", token: viewer)
            let detail = try JSONParser.parse(result.body)
            #expect(detail[key: "status"]?.text == "succeeded", "\(result.body)")
            #expect(detail[key: "actor"]?.text == "key:test-analyst")
            #expect(detail[key: "steps"]?.arrayValue?.first?[key: "status"]?.text == "succeeded")
            let comments = try await services.alerts.history(ids[0]).filter { $0.action == "comment" }
            #expect(comments.map(\.message) == ["checked by the API"])
            #expect(comments.first?.actor == "playbook:note-it")

            result = try await client.send(.get, "/api/v1/playbook-runs?alert=\(ids[0])", token: viewer)
            #expect(try JSONParser.parse(result.body).arrayValue?.count ?? 0 >= 1)
            // Cancel and retry are for leads: a finished run cannot be cancelled.
            #expect(
                try await client.send(.post, "/api/v1/playbook-runs/\(runID)/cancel", token: analyst).status
                    == .forbidden)
            #expect(
                try await client.send(.post, "/api/v1/playbook-runs/\(runID)/cancel", token: lead).status == .conflict)
            #expect(
                try await client.send(.post, "/api/v1/playbook-runs/\(runID)/retry", token: lead).status == .conflict)
        }
    }

    /// Two high-severity Suricata alerts.
    static func ingest(_ services: AppServices) async throws -> [Alert.ID] {
        let session = services.makeIngestSession(format: nil, sourceLabel: "test")
        for flow in 1...2 {
            let line =
                #"{"timestamp":"2026-11-20T10:00:00.000000+0000","flow_id":\#(flow),"event_type":"alert","src_ip":"203.0.113.9","src_port":4904,"dest_ip":"10.0.0.5","dest_port":22,"proto":"TCP","alert":{"signature_id":\#(2_000_000 + flow),"signature":"Test \#(flow)","category":"Attempted Administrator Privilege Gain","severity":1}}"#
            try await session.add(Array(line.utf8), location: "test:\(flow)")
        }
        _ = try await session.finish()
        return try await services.alerts.list(AlertQuery()).alerts.map(\.id).sorted()
    }
}
