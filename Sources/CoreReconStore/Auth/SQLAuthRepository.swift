import CoreRecon
import Foundation
import HummingbirdBcrypt
import SQLKit

/// bcrypt, cost 12 by default (about a quarter of a second here: slow for guessing, fine for signing in).
public struct BcryptHasher: PasswordHasher {
    public let cost: UInt8

    public init(cost: UInt8 = 12) {
        self.cost = cost
    }

    public func hash(_ password: String) -> String { Bcrypt.hash(password, cost: cost) }
    public func verify(_ password: String, hash: String) -> Bool { Bcrypt.verify(password, hash: hash) }
}

/// ``AuthRepository`` over SQL, the same statements on SQLite and PostgreSQL.
public struct SQLAuthRepository: AuthRepository {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    static let userColumns = "id, name, role, disabled, created_at, updated_at, password_hash"
    static let keyColumns = "id, name, role, prefix, created_by, created_at, expires_at, last_used_at, revoked_at"

    public func insertUser(name: String, role: Role, passwordHash: String, at: Date, audit: AuditEvent) async throws
        -> User
    {
        try await database.transaction { sql in
            let row = try await sql.raw(
                """
                INSERT INTO users (name, role, password_hash, created_at, updated_at)
                VALUES (\(bind: name), \(bind: role.rawValue), \(bind: passwordHash), \(bind: at.milliseconds),
                        \(bind: at.milliseconds))
                RETURNING \(unsafeRaw: Self.userColumns)
                """
            ).first()
            guard let row else { throw CoreReconError.failed("the user was not stored.") }
            try await SQLAuditLog.append([audit], on: sql, backend: database.backend)
            return try Self.decodeUser(row)
        }
    }

    public func user(named name: String) async throws -> (User, passwordHash: String)? {
        try await database.withConnection { sql in
            guard
                let row = try await sql.raw(
                    "SELECT \(unsafeRaw: Self.userColumns) FROM users WHERE name = \(bind: name)"
                ).first()
            else { return nil }
            return (try Self.decodeUser(row), try row.decode(column: "password_hash", as: String.self))
        }
    }

    public func user(id: Int64) async throws -> User? {
        try await database.withConnection { sql in
            try await sql.raw("SELECT \(unsafeRaw: Self.userColumns) FROM users WHERE id = \(bind: id)").first()
                .map(Self.decodeUser)
        }
    }

    public func users() async throws -> [User] {
        try await database.withConnection { sql in
            try await sql.raw("SELECT \(unsafeRaw: Self.userColumns) FROM users ORDER BY name").all()
                .map(Self.decodeUser)
        }
    }

    public func updateUser(
        named name: String, disabled: Bool?, passwordHash: String?, at: Date, audit: AuditEvent
    ) async throws -> Bool {
        try await database.transaction { sql in
            guard
                let id = try await sql.raw("SELECT id FROM users WHERE name = \(bind: name)")
                    .first(decodingColumn: "id", as: Int64.self)
            else { return false }
            if let disabled {
                try await sql.raw(
                    "UPDATE users SET disabled = \(bind: disabled ? 1 : 0), updated_at = \(bind: at.milliseconds) WHERE id = \(bind: id)"
                ).run()
            }
            if let passwordHash {
                try await sql.raw(
                    "UPDATE users SET password_hash = \(bind: passwordHash), updated_at = \(bind: at.milliseconds) WHERE id = \(bind: id)"
                ).run()
            }
            if disabled == true || passwordHash != nil {
                // Signing out everywhere: a disabled user or a new password ends every session.
                try await sql.raw(
                    "UPDATE refresh_tokens SET revoked_at = \(bind: at.milliseconds) WHERE user_id = \(bind: id) AND revoked_at IS NULL"
                ).run()
            }
            try await SQLAuditLog.append([audit], on: sql, backend: database.backend)
            return true
        }
    }

    public func insertAPIKey(_ key: APIKey, digest: String, audit: AuditEvent) async throws -> APIKey {
        try await database.transaction { sql in
            let row = try await sql.raw(
                """
                INSERT INTO api_keys (name, role, prefix, digest, created_by, created_at, expires_at)
                VALUES (\(bind: key.name), \(bind: key.role.rawValue), \(bind: key.prefix), \(bind: digest),
                        \(bind: key.createdBy), \(bind: key.createdAt.milliseconds), \(bind: key.expiresAt?.milliseconds))
                RETURNING \(unsafeRaw: Self.keyColumns)
                """
            ).first()
            guard let row else { throw CoreReconError.failed("the key was not stored.") }
            try await SQLAuditLog.append([audit], on: sql, backend: database.backend)
            return try Self.decodeKey(row)
        }
    }

    public func apiKey(digest: String) async throws -> APIKey? {
        try await database.withConnection { sql in
            try await sql.raw("SELECT \(unsafeRaw: Self.keyColumns) FROM api_keys WHERE digest = \(bind: digest)")
                .first().map(Self.decodeKey)
        }
    }

    public func apiKeys() async throws -> [APIKey] {
        try await database.withConnection { sql in
            try await sql.raw("SELECT \(unsafeRaw: Self.keyColumns) FROM api_keys ORDER BY name, id").all()
                .map(Self.decodeKey)
        }
    }

    public func revokeAPIKey(named name: String, at: Date, audit: AuditEvent) async throws -> Bool {
        try await database.transaction { sql in
            let revoked =
                try await sql.raw(
                    """
                    UPDATE api_keys SET revoked_at = \(bind: at.milliseconds)
                    WHERE name = \(bind: name) AND revoked_at IS NULL RETURNING id
                    """
                ).first() != nil
            if revoked { try await SQLAuditLog.append([audit], on: sql, backend: database.backend) }
            return revoked
        }
    }

    public func touchAPIKey(id: Int64, at: Date) async throws {
        try await database.withConnection { sql in
            try await sql.raw("UPDATE api_keys SET last_used_at = \(bind: at.milliseconds) WHERE id = \(bind: id)")
                .run()
        }
    }

    public func insertRefreshToken(digest: String, userID: Int64, family: String, at: Date, expiresAt: Date)
        async throws
    {
        try await database.withConnection { sql in
            try await sql.raw(
                """
                INSERT INTO refresh_tokens (digest, user_id, family, created_at, expires_at)
                VALUES (\(bind: digest), \(bind: userID), \(bind: family), \(bind: at.milliseconds),
                        \(bind: expiresAt.milliseconds))
                """
            ).run()
        }
    }

    public func consumeRefreshToken(digest: String, at: Date) async throws -> RefreshOutcome {
        try await database.transaction { sql in
            guard
                let row = try await sql.raw(
                    """
                    SELECT user_id, family, expires_at, used_at, revoked_at FROM refresh_tokens
                    WHERE digest = \(bind: digest)\(unsafeRaw: database.backend.lockForUpdate)
                    """
                ).first()
            else { return .unknown }
            let family = try row.decode(column: "family", as: String.self)
            if try row.decode(column: "used_at", as: Int64?.self) != nil
                || row.decode(column: "revoked_at", as: Int64?.self) != nil
            {
                try await sql.raw(
                    """
                    UPDATE refresh_tokens SET revoked_at = \(bind: at.milliseconds)
                    WHERE family = \(bind: family) AND revoked_at IS NULL
                    """
                ).run()
                return .reused
            }
            if try row.decode(column: "expires_at", as: Int64.self) <= at.milliseconds { return .expired }
            try await sql.raw(
                "UPDATE refresh_tokens SET used_at = \(bind: at.milliseconds) WHERE digest = \(bind: digest)"
            ).run()
            return .valid(userID: try row.decode(column: "user_id", as: Int64.self), family: family)
        }
    }

    public func revokeRefreshFamily(digest: String, at: Date) async throws -> Bool {
        try await database.transaction { sql in
            guard
                let family = try await sql.raw("SELECT family FROM refresh_tokens WHERE digest = \(bind: digest)")
                    .first(decodingColumn: "family", as: String.self)
            else { return false }
            try await sql.raw(
                """
                UPDATE refresh_tokens SET revoked_at = \(bind: at.milliseconds)
                WHERE family = \(bind: family) AND revoked_at IS NULL
                """
            ).run()
            return true
        }
    }

    static func decodeUser(_ row: any SQLRow) throws -> User {
        User(
            id: try row.decode(column: "id", as: Int64.self),
            name: try row.decode(column: "name", as: String.self),
            role: Role(rawValue: try row.decode(column: "role", as: String.self)) ?? .viewer,
            isDisabled: try row.decode(column: "disabled", as: Int.self) != 0,
            createdAt: Date(milliseconds: try row.decode(column: "created_at", as: Int64.self)),
            updatedAt: Date(milliseconds: try row.decode(column: "updated_at", as: Int64.self)))
    }

    static func decodeKey(_ row: any SQLRow) throws -> APIKey {
        APIKey(
            id: try row.decode(column: "id", as: Int64.self),
            name: try row.decode(column: "name", as: String.self),
            role: Role(rawValue: try row.decode(column: "role", as: String.self)) ?? .viewer,
            prefix: try row.decode(column: "prefix", as: String.self),
            createdBy: try row.decode(column: "created_by", as: String.self),
            createdAt: Date(milliseconds: try row.decode(column: "created_at", as: Int64.self)),
            expiresAt: try row.decode(column: "expires_at", as: Int64?.self).map(Date.init(milliseconds:)),
            lastUsedAt: try row.decode(column: "last_used_at", as: Int64?.self).map(Date.init(milliseconds:)),
            revokedAt: try row.decode(column: "revoked_at", as: Int64?.self).map(Date.init(milliseconds:)))
    }
}
