import CoreRecon
import CoreReconServer
import CoreReconStore
import CoreReconTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("API authentication and roles")
struct AuthAPITests {
    @Test("Every route × every role: 401 without credentials, 403 without the permission, through otherwise")
    func roleMatrix() async throws {
        try await TestDatabases.withServices(.sqlite) { services in
            let fixture = APIFixture(services: services)
            var roleKeys: [Role: String] = [:]
            for role in Role.allCases { roleKeys[role] = try await fixture.key(role) }
            let keys = roleKeys
            let routes = try await apiRoutes(services: fixture.services, configuration: fixture.configuration)
            #expect(routes.count >= 25)
            try await fixture.run { client in
                for route in routes {
                    let uri = route.path.replacingOccurrences(
                        of: "{id}", with: route.path.contains("incidents") ? "IR-0001" : "1"
                    )
                    .replacingOccurrences(of: "{number}", with: "1").replacingOccurrences(of: "{ref}", with: "1")
                    .replacingOccurrences(of: "{name}", with: "feed").replacingOccurrences(
                        of: "{technique}", with: "T1046"
                    )
                    .replacingOccurrences(
                        of: "{source}", with: "generic")
                    let anonymous = try await client.send(route.method, uri)
                    if route.permission != nil {
                        #expect(anonymous.status == .unauthorized, "\(route.method) \(route.path) anonymous")
                        #expect(anonymous.headers[.wwwAuthenticate] != nil)
                    } else {
                        #expect(anonymous.status != .forbidden, "\(route.method) \(route.path) public")
                    }
                    for role in Role.allCases {
                        let result = try await client.send(route.method, uri, token: keys[role])
                        let allowed = route.permission.map { role.permissions.contains($0) } ?? true
                        if allowed {
                            #expect(
                                result.status != .forbidden && result.status != .unauthorized,
                                "\(route.method) \(route.path) as \(role): \(result.status) \(result.body)")
                        } else {
                            #expect(result.status == .forbidden, "\(route.method) \(route.path) as \(role)")
                            #expect(result.headers[.contentType] == "application/problem+json")
                        }
                    }
                }
            }
        }
    }

    @Test("Password grant, refresh rotation, reuse revokes the family, revoke", arguments: TestDatabases.backends)
    func tokens(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            let fixture = APIFixture(services: services)
            _ = try await fixture.services.auth.addUser(
                name: "ana", role: .analyst, password: "correct horse battery", by: "test")
            _ = try await fixture.services.auth.addUser(
                name: "old", role: .lead, password: "correct horse battery", by: "test")
            try await fixture.services.auth.setDisabled("old", true, by: "test")
            try await fixture.run { client in
                let wrong = try await client.send(
                    .post, "/api/v1/auth/token", form: "grant_type=password&username=ana&password=nope")
                #expect(wrong.status == .badRequest)
                #expect(object(wrong.body)["error"] as? String == "invalid_grant")
                let disabled = try await client.send(
                    .post, "/api/v1/auth/token", form: "grant_type=password&username=old&password=correct+horse+battery"
                )
                #expect(disabled.status == .badRequest)
                let unsupported = try await client.send(
                    .post, "/api/v1/auth/token", form: "grant_type=client_credentials")
                #expect(object(unsupported.body)["error"] as? String == "unsupported_grant_type")

                let signIn = try await client.send(
                    .post, "/api/v1/auth/token", form: "grant_type=password&username=ana&password=correct+horse+battery"
                )
                #expect(signIn.status == .ok, "\(signIn.body)")
                #expect(signIn.headers[.cacheControl] == "no-store")
                let first = object(signIn.body)
                let access = try #require(first["access_token"] as? String)
                #expect(first["expires_in"] as? Int == 900)
                #expect(try await client.send(.get, "/api/v1/alerts", token: access).status == .ok)
                // An analyst may not ingest.
                #expect(try await client.send(.post, "/api/v1/ingest", token: access, json: "{}").status == .forbidden)

                let refresh1 = try #require(first["refresh_token"] as? String)
                let rotated = try await client.send(
                    .post, "/api/v1/auth/token", form: "grant_type=refresh_token&refresh_token=\(refresh1)")
                #expect(rotated.status == .ok)
                let refresh2 = try #require(object(rotated.body)["refresh_token"] as? String)
                #expect(refresh2 != refresh1)
                // The old token again: a leak. The whole family goes, the newer token too.
                let reuse = try await client.send(
                    .post, "/api/v1/auth/token", form: "grant_type=refresh_token&refresh_token=\(refresh1)")
                #expect(reuse.status == .badRequest)
                #expect((object(reuse.body)["detail"] as? String)?.contains("already used") == true)
                let afterReuse = try await client.send(
                    .post, "/api/v1/auth/token", form: "grant_type=refresh_token&refresh_token=\(refresh2)")
                #expect(afterReuse.status == .badRequest)

                let again = try await client.send(
                    .post, "/api/v1/auth/token", form: "grant_type=password&username=ana&password=correct+horse+battery"
                )
                let refresh3 = try #require(object(again.body)["refresh_token"] as? String)
                #expect(try await client.send(.post, "/api/v1/auth/revoke", form: "token=\(refresh3)").status == .ok)
                let revoked = try await client.send(
                    .post, "/api/v1/auth/token", form: "grant_type=refresh_token&refresh_token=\(refresh3)")
                #expect(revoked.status == .badRequest)
            }
        }
    }

    @Test("Expired, forged, alg:none, wrong-key, wrong-issuer and revoked credentials are refused")
    func badTokens() async throws {
        try await TestDatabases.withServices(.sqlite) { services in
            let fixture = APIFixture(services: services)
            let user = try await fixture.services.auth.addUser(
                name: "ana", role: .admin, password: "correct horse battery", by: "test")
            let tokens = try await AccessTokens(settings: fixture.configuration.jwt)
            let good = try await tokens.issue(for: user)
            let expired = try await tokens.issue(for: user, now: Date() - 3_600)
            let future = try await tokens.issue(for: user, now: Date() + 3_600)  // not valid before an hour from now
            let otherKey = try await AccessTokens(settings: JWTSettings(key: .hmac(String(testSecret.reversed()))))
                .issue(for: user)
            let otherIssuer = try await AccessTokens(settings: JWTSettings(key: .hmac(testSecret), issuer: "evil"))
                .issue(for: user)
            let otherAudience = try await AccessTokens(settings: JWTSettings(key: .hmac(testSecret), audience: "x"))
                .issue(for: user)
            let parts = good.split(separator: ".")
            let forged = parts[0] + "." + parts[1] + "." + String(parts[2].reversed())
            let none =
                Data(#"{"alg":"none","typ":"JWT"}"#.utf8).base64EncodedString()
                .replacingOccurrences(of: "=", with: "") + "." + parts[1] + "."
            let key = try await fixture.key(.admin, name: "gone")
            try await fixture.services.auth.revokeAPIKey(named: "gone", by: "test")
            try await fixture.run { client in
                #expect(try await client.send(.get, "/api/v1/alerts", token: good).status == .ok)
                for (name, token) in [
                    ("expired", expired), ("not yet valid", future), ("other key", otherKey),
                    ("other issuer", otherIssuer), ("other audience", otherAudience), ("forged", String(forged)),
                    ("alg none", none), ("revoked key", key), ("garbage", "abc"), ("unknown key", "crk_nope"),
                ] {
                    let result = try await client.send(.get, "/api/v1/alerts", token: token)
                    #expect(result.status == .unauthorized, "\(name)")
                }
                let basic = try await client.send(.get, "/api/v1/alerts", headers: [.authorization: "Basic YTpi"])
                #expect(basic.status == .unauthorized)
            }
        }
    }

    @Test("Access tokens carry exp, nbf and iat as whole seconds, and still verify")
    func integerTimeClaims() async throws {
        let tokens = try await AccessTokens(settings: JWTSettings(key: .hmac(testSecret), lifetime: 900.5))
        let user = User(id: 1, name: "ana", role: .analyst, isDisabled: false, createdAt: Date(), updatedAt: Date())
        let whole = Int(Date().timeIntervalSince1970.rounded(.down))
        let token = try await tokens.issue(for: user, now: Date(timeIntervalSince1970: Double(whole) + 0.163008))
        let payload = try #require(token.split(separator: ".").dropFirst().first)
        var base64 = payload.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        let claims = try JSONParser.parse(try #require(Data(base64Encoded: base64)))
        for (name, expected) in [("iat", whole), ("nbf", whole - 5), ("exp", whole + 900)] {
            guard case .number(let text)? = claims[key: name] else {
                Issue.record("\(name) is not a number: \(String(describing: claims[key: name]))")
                continue
            }
            #expect(text == "\(expected)", "\(name) is \(text)")
        }
        #expect(await tokens.verify(token)?.name == "ana")
    }

    @Test("The README's route × role matrix is the one the server enforces")
    func readmeMatrix() async throws {
        try await TestDatabases.withServices(.sqlite) { services in
            let fixture = APIFixture(services: services)
            let routes = try await apiRoutes(services: fixture.services, configuration: fixture.configuration)
            let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("README.md")
            let text = try String(contentsOf: readme, encoding: .utf8)
            let expected = APIRoute.roleMatrix(routes)
            #expect(
                text.contains(expected),
                "README.md's role matrix is stale; replace it with:\n\(expected)")
        }
    }

    @Test("Without a JWT secret there is no server; short secrets are refused")
    func secrets() throws {
        #expect(throws: CoreReconError.self) { try JWTSettings.load(secretFile: nil, environment: [:]) }
        #expect(throws: CoreReconError.self) {
            try JWTSettings.load(secretFile: nil, environment: ["CORERECON_JWT_SECRET": "short"])
        }
        let settings = try JWTSettings.load(
            secretFile: nil, environment: ["CORERECON_JWT_SECRET": testSecret, "CORERECON_JWT_LIFETIME": "5m"])
        #expect(settings.lifetime == 300)
    }
}
