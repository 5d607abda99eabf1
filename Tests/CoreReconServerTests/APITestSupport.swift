import CoreRecon
import CoreReconServer
import CoreReconStore
import CoreReconTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore

/// A test secret of the length production requires.
let testSecret = "test-secret-0123456789-0123456789-abcdef"

/// Services with cheap bcrypt, and a server configuration with the test secret.
struct APIFixture {
    var services: AppServices
    var configuration: ServerConfiguration
    var metrics = ServerMetrics()

    init(
        services: AppServices, webhookSecrets: [String: String] = [:], bodyLimit: Int = 1_024 * 1_024,
        settings: ServerSettings = ServerSettings()
    ) {
        // As `serve` runs them: ingest writes grouped across concurrent requests.
        var services = services.withGroupCommit()
        services.passwordHasher = BcryptHasher(cost: 4)
        self.services = services
        configuration = ServerConfiguration(
            host: "127.0.0.1", port: 0, jwt: JWTSettings(key: .hmac(testSecret)), bodyLimit: bodyLimit,
            webhookSecrets: webhookSecrets, settings: settings)
    }

    /// An API key with `role`.
    func key(_ role: Role, name: String? = nil) async throws -> String {
        try await services.auth.createAPIKey(
            name: name ?? "test-\(role.rawValue)", role: role, expiresIn: nil, createdBy: "test"
        ).secret
    }

    func run(hub: StreamHub = StreamHub(), _ body: @Sendable (any TestClientProtocol) async throws -> Void)
        async throws
    {
        let app = try await buildApplication(
            services: services, configuration: configuration, metrics: metrics, hub: hub)
        try await app.test(.live, body)
    }
}

extension TestClientProtocol {
    /// Sends a request and returns status, headers and body.
    func send(
        _ method: HTTPRequest.Method, _ uri: String, token: String? = nil, json: String? = nil,
        form: String? = nil, headers extra: HTTPFields = [:], body raw: String? = nil
    ) async throws -> (status: HTTPResponse.Status, headers: HTTPFields, body: String) {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        var body: ByteBuffer?
        if let json {
            headers[.contentType] = "application/json"
            body = ByteBuffer(string: json)
        }
        if let raw { body = ByteBuffer(string: raw) }
        if let form {
            headers[.contentType] = "application/x-www-form-urlencoded"
            body = ByteBuffer(string: form)
        }
        return try await execute(uri: uri, method: method, headers: headers, body: body) { response in
            (response.status, response.headers, String(buffer: response.body))
        }
    }
}

/// A JSON object from a response body.
func object(_ text: String) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
}
