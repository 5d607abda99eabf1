import CoreRecon
import Foundation

/// `corerecon user` and `corerecon token` as the commands use them, whichever side answers: the database
/// (``LocalAccounts``) or the API of a running server, for an admin (``RemoteAccounts``).
public protocol AccountOperations: Sendable {
    func addUser(name: String, role: Role, password: String, by actor: String) async throws -> User
    func users() async throws -> [User]
    func setDisabled(_ name: String, _ disabled: Bool, by actor: String) async throws
    func setPassword(_ name: String, _ password: String, by actor: String) async throws
    /// A new key: the secret (shown once) and what is kept of it.
    func createAPIKey(name: String, role: Role, expiresIn: Duration?, createdBy: String) async throws
        -> (secret: String, key: APIKey)
    func apiKeys() async throws -> [APIKey]
    func revokeAPIKey(named name: String, by actor: String) async throws
}

/// Users and keys on the database.
public struct LocalAccounts: AccountOperations {
    let auth: AuthService

    public init(auth: AuthService) { self.auth = auth }

    public func addUser(name: String, role: Role, password: String, by actor: String) async throws -> User {
        try await auth.addUser(name: name, role: role, password: password, by: actor)
    }

    public func users() async throws -> [User] { try await auth.users() }

    public func setDisabled(_ name: String, _ disabled: Bool, by actor: String) async throws {
        try await auth.setDisabled(name, disabled, by: actor)
    }

    public func setPassword(_ name: String, _ password: String, by actor: String) async throws {
        try await auth.setPassword(name, password, by: actor)
    }

    public func createAPIKey(name: String, role: Role, expiresIn: Duration?, createdBy: String) async throws
        -> (secret: String, key: APIKey)
    {
        try await auth.createAPIKey(name: name, role: role, expiresIn: expiresIn, createdBy: createdBy)
    }

    public func apiKeys() async throws -> [APIKey] { try await auth.apiKeys() }

    public func revokeAPIKey(named name: String, by actor: String) async throws {
        try await auth.revokeAPIKey(named: name, by: actor)
    }
}

/// Users and keys over the API: `/api/v1/users` and `/api/v1/api-keys` (admins only). Passwords go in request
/// bodies only, never in a URL.
public struct RemoteAccounts: AccountOperations {
    let client: APIClient

    public init(client: APIClient) { self.client = client }

    public func addUser(name: String, role: Role, password: String, by actor: String) async throws -> User {
        try await client.decode(
            User.self, .POST, "/api/v1/users",
            body: .object([
                JSONMember("name", .string(name)), JSONMember("role", .string(role.rawValue)),
                JSONMember("password", .string(password)),
            ]))
    }

    public func users() async throws -> [User] { try await client.decode([User].self, .GET, "/api/v1/users") }

    public func setDisabled(_ name: String, _ disabled: Bool, by actor: String) async throws {
        _ = try await client.decode(
            User.self, .PATCH, "/api/v1/users/\(APIClient.pathSegment(name))",
            body: .object([JSONMember("disabled", .bool(disabled))]))
    }

    public func setPassword(_ name: String, _ password: String, by actor: String) async throws {
        _ = try await client.decode(
            User.self, .PATCH, "/api/v1/users/\(APIClient.pathSegment(name))",
            body: .object([JSONMember("password", .string(password))]))
    }

    public func createAPIKey(name: String, role: Role, expiresIn: Duration?, createdBy: String) async throws
        -> (secret: String, key: APIKey)
    {
        struct Created: Decodable {
            var key: String
            var apiKey: APIKey
        }
        var members = [JSONMember("name", .string(name)), JSONMember("role", .string(role.rawValue))]
        if let expiresIn {
            members.append(JSONMember("expiresInSeconds", .int(max(1, expiresIn.components.seconds))))
        }
        let created = try await client.decode(Created.self, .POST, "/api/v1/api-keys", body: .object(members))
        return (created.key, created.apiKey)
    }

    public func apiKeys() async throws -> [APIKey] { try await client.decode([APIKey].self, .GET, "/api/v1/api-keys") }

    public func revokeAPIKey(named name: String, by actor: String) async throws {
        _ = try await client.decode(
            APIKey.self, .POST, "/api/v1/api-keys/\(APIClient.pathSegment(name))/revoke")
    }
}
