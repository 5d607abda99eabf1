import Foundation
import Logging

/// Stores users, API keys and refresh tokens. Implemented over SQL (`SQLAuthRepository`). Changes to users and
/// keys append their `audit` row in the same transaction (only when something changed).
public protocol AuthRepository: Sendable {
    func insertUser(name: String, role: Role, passwordHash: String, at: Date, audit: AuditEvent) async throws -> User
    func user(named name: String) async throws -> (User, passwordHash: String)?
    func user(id: Int64) async throws -> User?
    func users() async throws -> [User]
    /// Changes a user; false when there is no such user.
    func updateUser(named name: String, disabled: Bool?, passwordHash: String?, at: Date, audit: AuditEvent)
        async throws -> Bool

    func insertAPIKey(_ key: APIKey, digest: String, audit: AuditEvent) async throws -> APIKey
    func apiKey(digest: String) async throws -> APIKey?
    func apiKeys() async throws -> [APIKey]
    /// Revokes the key named `name`; false when there is no usable key by that name.
    func revokeAPIKey(named name: String, at: Date, audit: AuditEvent) async throws -> Bool
    func touchAPIKey(id: Int64, at: Date) async throws

    func insertRefreshToken(digest: String, userID: Int64, family: String, at: Date, expiresAt: Date) async throws
    /// Marks the refresh token used and returns its user and family; when it was already used or revoked, revokes
    /// its whole family instead and returns nil with `reused` true.
    func consumeRefreshToken(digest: String, at: Date) async throws -> RefreshOutcome
    /// Revokes the family of the refresh token; false when the token is unknown.
    func revokeRefreshFamily(digest: String, at: Date) async throws -> Bool
}

/// What presenting a refresh token did.
public enum RefreshOutcome: Sendable, Equatable {
    case valid(userID: Int64, family: String)
    /// The token had been used before (or revoked): its family is revoked now.
    case reused
    case unknown
    case expired
}

/// Users, API keys and refresh tokens: who may call the API.
public struct AuthService: Sendable {
    let repository: any AuthRepository
    let hasher: any PasswordHasher
    let logger: Logger
    let now: @Sendable () -> Date
    /// How long a refresh token lives.
    public var refreshLifetime: TimeInterval = 7 * 86_400

    public init(
        repository: any AuthRepository, hasher: any PasswordHasher, logger: Logger,
        now: @escaping @Sendable () -> Date
    ) {
        self.repository = repository
        self.hasher = hasher
        self.logger = logger
        self.now = now
    }

    // MARK: - Users

    public func addUser(name: String, role: Role, password: String, by actor: String) async throws -> User {
        try Self.checkName(name, what: "user name")
        try Self.checkPassword(password)
        if try await repository.user(named: name) != nil {
            throw CoreReconError.conflict(
                "user \(name) already exists; change it with `user passwd` or `user disable`.")
        }
        let at = now()
        return try await repository.insertUser(
            name: name, role: role, passwordHash: hasher.hash(password), at: at,
            audit: AuditEvent(
                at: at, actor: actor, action: "user.add", target: "user:\(name)",
                summary: AuditSummary(after: ["role": role.rawValue])))
    }

    public func users() async throws -> [User] { try await repository.users() }

    public func setDisabled(_ name: String, _ disabled: Bool, by actor: String) async throws {
        let at = now()
        let audit = AuditEvent(
            at: at, actor: actor, action: disabled ? "user.disable" : "user.enable", target: "user:\(name)",
            summary: AuditSummary(after: ["disabled": "\(disabled)"]))
        guard
            try await repository.updateUser(named: name, disabled: disabled, passwordHash: nil, at: at, audit: audit)
        else {
            throw CoreReconError.notFound(kind: "user", id: name)
        }
    }

    public func setPassword(_ name: String, _ password: String, by actor: String) async throws {
        try Self.checkPassword(password)
        let at = now()
        // The audit row says that the password changed, never what to.
        let audit = AuditEvent(
            at: at, actor: actor, action: "user.passwd", target: "user:\(name)",
            summary: AuditSummary(after: ["password": "changed", "sessions": "revoked"]))
        guard
            try await repository.updateUser(
                named: name, disabled: nil, passwordHash: hasher.hash(password), at: at, audit: audit)
        else { throw CoreReconError.notFound(kind: "user", id: name) }
    }

    /// The user with these credentials, or nil (unknown user, wrong password, disabled). The hash costs the same
    /// for unknown users, so timing does not tell which names exist.
    public func authenticate(name: String, password: String) async throws -> User? {
        guard let (user, hash) = try await repository.user(named: name) else {
            // As slow as a wrong password: hashing costs what checking does.
            _ = hasher.hash(password)
            return nil
        }
        guard hasher.verify(password, hash: hash), !user.isDisabled else { return nil }
        return user
    }

    public func user(id: Int64) async throws -> User? { try await repository.user(id: id) }

    static func checkName(_ name: String, what: String) throws {
        guard !name.isEmpty, name.count <= 64,
            name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-@".contains($0)) })
        else {
            throw CoreReconError.invalidInput(
                location: what, reason: "'\(name)' must be 1–64 letters, digits, '.', '_', '-' or '@'.")
        }
    }

    static func checkPassword(_ password: String) throws {
        guard password.count >= 12 else {
            throw CoreReconError.invalidInput(location: "password", reason: "use at least 12 characters.")
        }
        guard password.utf8.count <= 72 else {
            throw CoreReconError.invalidInput(location: "password", reason: "bcrypt uses at most 72 bytes.")
        }
    }

    // MARK: - API keys

    /// Creates a key; the secret is returned once and only its SHA-256 is kept.
    public func createAPIKey(name: String, role: Role, expiresIn: Duration?, createdBy: String) async throws
        -> (secret: String, key: APIKey)
    {
        try Self.checkName(name, what: "key name")
        if try await repository.apiKeys().contains(where: { $0.name == name && $0.revokedAt == nil }) {
            throw CoreReconError.conflict("an API key named \(name) exists; revoke it first or choose another name.")
        }
        let secret = Secrets.newAPIKey()
        let at = now()
        let expiresAt = expiresIn.map { at.addingTimeInterval(Double($0.milliseconds) / 1_000) }
        var after = ["role": role.rawValue]
        after["expires"] = expiresAt.map(ISO8601Format.string(from:))
        let key = try await repository.insertAPIKey(
            APIKey(
                id: 0, name: name, role: role, prefix: String(secret.prefix(8)), createdBy: createdBy, createdAt: at,
                expiresAt: expiresAt, lastUsedAt: nil, revokedAt: nil),
            digest: Secrets.digest(secret),
            audit: AuditEvent(
                at: at, actor: createdBy, action: "key.create", target: "key:\(name)",
                summary: AuditSummary(after: after)))
        return (secret, key)
    }

    public func apiKeys() async throws -> [APIKey] { try await repository.apiKeys() }

    public func revokeAPIKey(named name: String, by actor: String) async throws {
        let at = now()
        let audit = AuditEvent(
            at: at, actor: actor, action: "key.revoke", target: "key:\(name)",
            summary: AuditSummary(after: ["revoked": "true"]))
        guard try await repository.revokeAPIKey(named: name, at: at, audit: audit) else {
            throw CoreReconError.notFound(kind: "API key", id: name)
        }
    }

    /// The usable key with this secret, or nil.
    public func apiKey(secret: String) async throws -> APIKey? {
        guard secret.hasPrefix("crk_") else { return nil }
        return try await apiKey(digest: Secrets.digest(secret))
    }

    /// The usable key whose secret has this digest (``Secrets/digest(_:)``), or nil.
    public func apiKey(digest: String) async throws -> APIKey? {
        guard let key = try await repository.apiKey(digest: digest), key.isUsable(at: now()) else { return nil }
        return key
    }

    public func touch(_ key: APIKey) async throws { try await repository.touchAPIKey(id: key.id, at: now()) }

    // MARK: - Refresh tokens

    /// A new refresh token for `user`, in `family` (a new family at sign-in).
    public func issueRefreshToken(for user: User, family: String? = nil) async throws -> String {
        let token = Secrets.newRefreshToken()
        let at = now()
        try await repository.insertRefreshToken(
            digest: Secrets.digest(token), userID: user.id, family: family ?? Secrets.randomString(length: 16), at: at,
            expiresAt: at.addingTimeInterval(refreshLifetime))
        return token
    }

    /// Exchanges a refresh token for its user and a new token of the same family. A token presented twice means
    /// it leaked: the whole family is revoked and the call fails.
    public func rotate(refreshToken: String) async throws -> (User, String) {
        switch try await repository.consumeRefreshToken(digest: Secrets.digest(refreshToken), at: now()) {
        case .valid(let userID, let family):
            guard let user = try await repository.user(id: userID), !user.isDisabled else {
                throw AuthError.invalidGrant("the user is disabled.")
            }
            return (user, try await issueRefreshToken(for: user, family: family))
        case .reused:
            logger.warning("Refresh token reused; its family is revoked")
            throw AuthError.invalidGrant("the refresh token was already used; every token of its sign-in is revoked.")
        case .expired:
            throw AuthError.invalidGrant("the refresh token expired; sign in again.")
        case .unknown:
            throw AuthError.invalidGrant("unknown refresh token.")
        }
    }

    public func revoke(refreshToken: String) async throws -> Bool {
        try await repository.revokeRefreshFamily(digest: Secrets.digest(refreshToken), at: now())
    }
}

/// OAuth2 token endpoint errors (RFC 6749 §5.2).
public enum AuthError: Error, Sendable, Equatable {
    case invalidGrant(String)
    case invalidRequest(String)
    case unsupportedGrantType(String)

    public var code: String {
        switch self {
        case .invalidGrant: "invalid_grant"
        case .invalidRequest: "invalid_request"
        case .unsupportedGrantType: "unsupported_grant_type"
        }
    }

    public var message: String {
        switch self {
        case .invalidGrant(let message), .invalidRequest(let message), .unsupportedGrantType(let message): message
        }
    }
}
