import CoreRecon
import CoreReconStore
import Foundation
import Hummingbird

/// `/api/v1/users` and `/api/v1/api-keys`: what `corerecon user` and `corerecon token` do, for admins. Passwords
/// and keys are never answered back, except a new key once, in the answer that creates it.
struct AccountRoutes {
    let services: AppServices
    /// This server's cache of valid keys: a key revoked here is refused here at once.
    let keys: APIKeyCache
    let bodyLimit: Int

    static let namePattern = "^[A-Za-z0-9._@-]{1,64}$"

    func register(on table: inout RouteTable) {
        let name = Schema.string("1–64 letters, digits, '.', '_', '-' or '@'.", pattern: Self.namePattern)
        let password = Schema.string("At least 12 characters, at most 72 bytes.", minLength: 12, maxLength: 72)
        let role = Schema.string(enumeration: Role.allCases.map(\.rawValue))
        table.add(
            .get, "/api/v1/users", .admin, tag: "accounts", "The users who sign in with a password.",
            APIOperation(responses: [.json(200, "The users.", Schema.array(Schema.ref("User")))])
        ) { _, _ in
            try Body.response(try await services.auth.users())
        }
        table.add(
            .post, "/api/v1/users", .admin, tag: "accounts", "Add a user.",
            APIOperation(
                body: .json(
                    Schema.object(
                        [("name", name), ("role", role), ("password", password)],
                        required: ["name", "role", "password"])),
                responses: [.json(201, "The new user.", Schema.ref("User"))],
                problems: [(409, "A user of that name exists.")])
        ) { request, context in
            let identity = try context.require(.admin)
            let body = try await Body.decode(NewUser.self, from: request, limit: bodyLimit)
            let user = try await services.auth.addUser(
                name: body.name, role: try Self.role(body.role), password: body.password, by: identity.actor)
            return try Body.response(user, status: .created)
        }
        table.add(
            .patch, "/api/v1/users/{name}", .admin, tag: "accounts",
            "Disable or enable a user (disabling revokes their sign-ins), or set their password (signs them out).",
            APIOperation(
                body: .json(
                    Schema.object([
                        ("disabled", Schema.boolean("Whether the user may sign in.")), ("password", password),
                    ])),
                responses: [.json(200, "The user after the change.", Schema.ref("User"))])
        ) { request, context in
            let identity = try context.require(.admin)
            let name = context.parameters.get("name") ?? ""
            let body = try await Body.decode(UserPatch.self, from: request, limit: bodyLimit)
            if let password = body.password {
                try await services.auth.setPassword(name, password, by: identity.actor)
            }
            if let disabled = body.disabled {
                try await services.auth.setDisabled(name, disabled, by: identity.actor)
            }
            guard let user = try await services.auth.users().first(where: { $0.name == name }) else {
                throw APIError.notFound("user \(name) not found.")
            }
            return try Body.response(user)
        }
        table.add(
            .get, "/api/v1/api-keys", .admin, tag: "accounts", "The API keys (never the keys themselves).",
            APIOperation(responses: [.json(200, "The keys.", Schema.array(Schema.ref("APIKey")))])
        ) { _, _ in
            try Body.response(try await services.auth.apiKeys())
        }
        table.add(
            .post, "/api/v1/api-keys", .admin, tag: "accounts",
            "Create an API key; the answer holds the key, shown this once (only its SHA-256 is kept).",
            APIOperation(
                body: .json(
                    Schema.object(
                        [
                            ("name", name), ("role", role),
                            ("expiresInSeconds", Schema.integer(1...Int(NewAPIKey.longest), "Lifetime; default none.")),
                        ], required: ["name", "role"])),
                responses: [
                    .json(
                        201, "The key and what is kept of it.",
                        Schema.object(
                            [
                                ("key", Schema.string("The key: send it as `Authorization: Bearer KEY`.")),
                                ("apiKey", Schema.ref("APIKey")),
                            ], required: ["key", "apiKey"]))
                ],
                problems: [(409, "An active key of that name exists.")])
        ) { request, context in
            let identity = try context.require(.admin)
            let body = try await Body.decode(NewAPIKey.self, from: request, limit: bodyLimit)
            let (secret, key) = try await services.auth.createAPIKey(
                name: body.name, role: try Self.role(body.role),
                expiresIn: body.expiresInSeconds.map { .seconds($0) }, createdBy: identity.actor)
            guard case .object(let members) = try JSONParser.parse(Array(try Body.encoder.encode(key))) else {
                throw APIError(status: .internalServerError, detail: "the key could not be written out.")
            }
            return Body.response(
                json: .object([JSONMember("key", .string(secret)), JSONMember("apiKey", .object(members))]),
                status: .created)
        }
        table.add(
            .post, "/api/v1/api-keys/{name}/revoke", .admin, tag: "accounts",
            "Revoke an API key by name; it is kept, listed as revoked.",
            APIOperation(responses: [.json(200, "The key after the change.", Schema.ref("APIKey"))])
        ) { _, context in
            let identity = try context.require(.admin)
            let name = context.parameters.get("name") ?? ""
            try await services.auth.revokeAPIKey(named: name, by: identity.actor)
            keys.forget(name: name)
            guard let key = try await services.auth.apiKeys().last(where: { $0.name == name }) else {
                throw APIError.notFound("API key \(name) not found.")
            }
            return try Body.response(key)
        }
    }

    static func role(_ text: String) throws -> Role {
        guard let role = Role(rawValue: text) else {
            throw APIError.badRequest("`role` must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        return role
    }
}

struct NewUser: CheckedBody {
    var name: String
    var role: String
    var password: String

    func check() throws {}
}

struct UserPatch: CheckedBody {
    var disabled: Bool?
    var password: String?

    /// An empty patch changes nothing and answers the user as it is.
    func check() throws {}
}

struct NewAPIKey: CheckedBody {
    var name: String
    var role: String
    var expiresInSeconds: Int64?

    static let longest: Int64 = 100 * 365 * 86_400

    func check() throws {
        if let expiresInSeconds, !(1...Self.longest).contains(expiresInSeconds) {
            throw APIError.badRequest("`expiresInSeconds` must be 1 to \(Self.longest) (a hundred years).")
        }
    }
}
