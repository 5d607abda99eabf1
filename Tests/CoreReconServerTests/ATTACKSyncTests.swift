import CoreRecon
import CoreReconStore
import CoreReconTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `mitre sync` against a real HTTP server on localhost serving the test bundles.
@Suite("ATT&CK sync")
struct ATTACKSyncTests {
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("CoreReconStoreTests/Fixtures/attack")

    static func server() throws -> some ApplicationProtocol {
        let enterprise = try Data(contentsOf: fixtures.appendingPathComponent("tiny-enterprise-stix20.json"))
        let router = Router()
        router.get("/enterprise-attack/enterprise-attack.json") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(bytes: enterprise)))
        }
        router.get("/moved") { _, _ in
            Response(status: .movedPermanently, headers: [.location: "/enterprise-attack/enterprise-attack.json"])
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    @Test("sync downloads a bundle over HTTP, following redirects, and imports it", arguments: TestDatabases.backends)
    func sync(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            try await Self.server().test(.live) { client in
                let port = try #require(client.port)
                let template = "http://127.0.0.1:\(port)/{domain}/{domain}.json"
                var config = services.config
                config.mitreSyncURL = template
                let summary = try await services.attack.sync(
                    .enterprise, url: config.mitreSyncURL(for: "enterprise-attack"))
                #expect(summary.record.domain == .enterprise)
                #expect(summary.record.source == "http://127.0.0.1:\(port)/enterprise-attack/enterprise-attack.json")
                #expect(summary.record.techniqueCount == 6)

                let again = try await services.attack.sync(.enterprise, url: "http://127.0.0.1:\(port)/moved")
                #expect(again.added == 0)
                await #expect(throws: CoreReconError.self) {
                    try await services.attack.sync(.ics, url: "http://127.0.0.1:\(port)/moved")
                }
                await #expect(throws: CoreReconError.self) {
                    try await services.attack.sync(.enterprise, url: "http://127.0.0.1:\(port)/missing.json")
                }
            }
        }
    }

    @Test("An unreachable URL fails as unavailable and changes nothing")
    func unreachable() async throws {
        try await TestDatabases.withServices(.sqlite) { services in
            do {
                _ = try await services.attack.sync(.enterprise, url: "http://127.0.0.1:1/enterprise-attack.json")
                Issue.record("a download from a closed port succeeded")
            } catch let error as CoreReconError {
                guard case .unavailable(let message) = error else {
                    Issue.record("expected unavailable, got \(error)")
                    return
                }
                #expect(message.hasPrefix("cannot download http://127.0.0.1:1/enterprise-attack.json: "))
                #expect(message.hasSuffix("Nothing was changed."))
            }
            #expect(try await services.attack.imports().isEmpty)
        }
    }
}
