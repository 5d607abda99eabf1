import Crypto
import Foundation

/// What a user or API key may do. Deny by default: every API route names the permission it needs.
public enum Role: String, Sendable, Codable, CaseIterable {
    /// Everything, including users, keys and the audit log.
    case admin
    /// Triage and incident work, plus ingest and response playbooks.
    case lead
    /// Triage and incident work.
    case analyst
    /// Read only.
    case viewer
    /// Webhooks and `POST /ingest` only: for SIEMs and CI jobs.
    case ingest

    public var permissions: Set<Permission> {
        switch self {
        case .admin: Set(Permission.allCases)
        case .lead: [.read, .triage, .ingest, .respond]
        case .analyst: [.read, .triage]
        case .viewer: [.read]
        case .ingest: [.ingest]
        }
    }
}

/// A permission an API route requires.
public enum Permission: String, Sendable, Codable, CaseIterable {
    /// Read alerts, incidents and ATT&CK data.
    case read
    /// Change alerts and incidents.
    case triage
    /// Send alerts in (webhooks, `POST /ingest`).
    case ingest
    /// Run any response playbook; cancel and retry runs (analysts may run `manual` playbooks only).
    case respond
    /// Read the audit log; manage users and keys.
    case admin
}

/// A person who signs in with a password (OAuth2 password grant).
public struct User: Sendable, Equatable, Codable {
    public var id: Int64
    public var name: String
    public var role: Role
    public var isDisabled: Bool
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: Int64, name: String, role: Role, isDisabled: Bool, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.name = name
        self.role = role
        self.isDisabled = isDisabled
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A long-lived API key for a SIEM, CI job or script. Only its SHA-256 is stored.
public struct APIKey: Sendable, Equatable, Codable {
    public var id: Int64
    public var name: String
    public var role: Role
    /// The first characters of the key, to recognise it in lists (`crk_AbC1…`).
    public var prefix: String
    public var createdBy: String
    public var createdAt: Date
    public var expiresAt: Date?
    public var lastUsedAt: Date?
    public var revokedAt: Date?

    public init(
        id: Int64, name: String, role: Role, prefix: String, createdBy: String, createdAt: Date, expiresAt: Date?,
        lastUsedAt: Date?, revokedAt: Date?
    ) {
        self.id = id
        self.name = name
        self.role = role
        self.prefix = prefix
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }

    public func isUsable(at date: Date) -> Bool {
        revokedAt == nil && (expiresAt.map { $0 > date } ?? true)
    }
}

/// Who made a request: a signed-in user or an API key, with its role.
public struct Identity: Sendable, Equatable {
    public enum Kind: String, Sendable { case user, apiKey = "api_key", webhook }
    public var kind: Kind
    public var name: String
    public var role: Role

    public init(kind: Kind, name: String, role: Role) {
        self.kind = kind
        self.name = name
        self.role = role
    }

    /// The actor recorded in histories: `ana`, or `key:splunk-prod`.
    public var actor: String { kind == .user ? name : "\(kind == .apiKey ? "key" : "webhook"):\(name)" }

    public func may(_ permission: Permission) -> Bool { role.permissions.contains(permission) }
}

/// Hashes and checks passwords (bcrypt in production).
public protocol PasswordHasher: Sendable {
    func hash(_ password: String) -> String
    func verify(_ password: String, hash: String) -> Bool
}

/// Random secrets and their stored hashes.
public enum Secrets {
    /// A new API key: `crk_` and 40 characters of base62 (238 bits).
    public static func newAPIKey() -> String {
        "crk_" + randomString(length: 40)
    }

    /// A new refresh token: 48 characters of base62.
    public static func newRefreshToken() -> String {
        randomString(length: 48)
    }

    /// SHA-256 of a secret, hex: what is stored instead of the secret.
    public static func digest(_ secret: String) -> String {
        Hex.encode(SHA256.hash(data: Data(secret.utf8)))
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)

    /// `length` characters of base62 from the system's secure random source.
    public static func randomString(length: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        var text: [UInt8] = []
        text.reserveCapacity(length)
        // Eight random bytes a draw; bytes of 248 and over are dropped so that `% 62` stays uniform.
        while text.count < length {
            var word = generator.next()
            for _ in 0..<8 where text.count < length {
                let byte = Int(word & 0xFF)
                word >>= 8
                if byte < 248 { text.append(alphabet[byte % alphabet.count]) }
            }
        }
        return String(decoding: text, as: UTF8.self)
    }
}
