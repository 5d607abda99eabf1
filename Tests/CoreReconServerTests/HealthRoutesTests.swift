import CoreReconServer
import CoreReconStore
import CoreReconTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Health endpoints")
struct HealthRoutesTests {
    @Test("healthz and readyz answer over a real socket", arguments: TestDatabases.backends)
    func health(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            try await APIFixture(services: services).run { client in
                try await client.execute(uri: "/healthz", method: .get) { response in
                    #expect(response.status == .ok)
                }
                try await client.execute(uri: "/readyz", method: .get) { response in
                    #expect(response.status == .ok)
                    let report = try JSONDecoder().decode([String: String].self, from: Data(buffer: response.body))
                    #expect(report["database"] == backend.rawValue)
                }
                try await client.execute(uri: "/nope", method: .get) { response in
                    #expect(response.status == .notFound)
                }
            }
        }
    }
}
