import CoreRecon
import CoreReconFuzzTargets
import CoreReconServer
import CoreReconStore
import CoreReconTestSupport
import Foundation
import Synchronization
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Hostile bodies against a live server, beside a client that only sends good alerts.
@Suite("Hostile input over HTTP")
struct HostileInputTests {
    final class Tally: Sendable {
        let statuses = Mutex<[Int: Int]>([:])
    }

    static func post(port: Int, token: String, body: Data, path: String = "/api/v1/ingest") async -> Int {
        await LoopbackHTTP.status(
            .POST, "http://127.0.0.1:\(port)\(path)",
            headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")], body: Array(body)
        ).status
    }

    @Test(
        "The bytes that used to hang the server, and hundreds of mutated alerts, get 4xx answers; a normal client beside them has every alert stored",
        arguments: TestDatabases.backends)
    func hostileBodies(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            let fixture = APIFixture(services: services)
            let token = try await fixture.key(.ingest)
            let tally = Tally()
            try await fixture.run { client in
                let port = try #require(client.port)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        // The reported crashers first, then mutated real records.
                        var bodies = [#""x","#, "1,S", #"{"a":1},S"#, ",,,,", "]}"].map { Data($0.utf8) }
                        var mutator = AlertMutator(seed: 11)
                        for flow in 0..<300 {
                            bodies.append(Data(mutator.mutate(StreamTests.eve(flow: 1_000 + flow)).text.utf8))
                        }
                        for (index, body) in bodies.enumerated() {
                            let path = index % 2 == 0 ? "/api/v1/webhooks/generic" : "/api/v1/ingest"
                            let status = await Self.post(port: port, token: token, body: body, path: path)
                            tally.statuses.withLock { $0[status, default: 0] += 1 }
                        }
                    }
                    group.addTask {
                        for flow in 1...100 {
                            let status = await Self.post(
                                port: port, token: token, body: Data(StreamTests.eve(flow: flow).utf8))
                            #expect(status == 202, "good alert \(flow) answered \(status)")
                        }
                    }
                    try await group.waitForAll()
                }
                let health = try await client.send(.get, "/healthz")
                #expect(health.status == .ok)
            }
            let seen = tally.statuses.withLock { $0 }
            // Stored (202/200) or refused as bad input (400/413/422); never a server error, never no answer.
            #expect(Set(seen.keys).isSubset(of: [200, 202, 400, 413, 422]), "\(seen)")
            #expect((seen[400] ?? 0) + (seen[422] ?? 0) > 0)
            let keys = try await services.database.withConnection { sql in
                try await sql.raw("SELECT delivery_key FROM alert_deliveries").all()
                    .map { try $0.decode(column: "delivery_key", as: String.self) }
            }
            let flows = Set(keys.compactMap { $0.split(separator: ":").dropFirst().first.flatMap { Int($0) } })
            #expect(Set(1...100).isSubset(of: flows))
        }
    }
}
