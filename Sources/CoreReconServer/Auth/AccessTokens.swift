import CoreRecon
import Crypto
import Foundation
import JWTKit

/// How access tokens are signed and checked.
public struct JWTSettings: Sendable {
    public enum Key: Sendable {
        /// HS256 with a shared secret of at least 32 bytes.
        case hmac(String)
        /// RS256 with an RSA private key (PEM).
        case rsa(pem: String)
        /// ES256 with a P-256 private key (PEM).
        case ecdsa(pem: String)
    }

    public var key: Key
    public var issuer: String
    public var audience: String
    /// Access token lifetime (default 15 minutes).
    public var lifetime: TimeInterval

    public init(
        key: Key, issuer: String = "corerecon", audience: String = "corerecon-api", lifetime: TimeInterval = 900
    ) {
        self.key = key
        self.issuer = issuer
        self.audience = audience
        self.lifetime = lifetime
    }

    /// The algorithm tokens must name in their header.
    var algorithm: String {
        switch key {
        case .hmac: "HS256"
        case .rsa: "RS256"
        case .ecdsa: "ES256"
        }
    }

    /// Reads the key from `CORERECON_JWT_SECRET`, or from the file named by `secretFile` or
    /// `CORERECON_JWT_SECRET_FILE` (a PEM private key for RS256/ES256, anything else an HS256 secret). Never from
    /// a flag, so it stays out of the process list. Refuses to go on without one.
    public static func load(secretFile: String?, environment: [String: String]) throws(CoreReconError) -> JWTSettings {
        let path = secretFile ?? environment["CORERECON_JWT_SECRET_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        var material: String
        var origin: String
        if let path {
            guard let data = FileManager.default.contents(atPath: path),
                let text = String(data: data, encoding: .utf8)
            else {
                throw .configuration("cannot read the JWT secret file \(path).")
            }
            material = text
            origin = path
        } else if let secret = environment["CORERECON_JWT_SECRET"], !secret.isEmpty {
            material = secret
            origin = "CORERECON_JWT_SECRET"
        } else {
            throw .configuration(
                "no JWT secret: set CORERECON_JWT_SECRET (32+ random bytes, e.g. `openssl rand -base64 48`) or "
                    + "pass --jwt-secret-file with a secret or a PEM private key. There is no built-in default.")
        }
        let lifetime =
            try environment["CORERECON_JWT_LIFETIME"].map { text throws(CoreReconError) -> TimeInterval in
                guard let duration = AppConfig.parseDuration(text), duration > .zero else {
                    throw .configuration("CORERECON_JWT_LIFETIME: '\(text)' is not a duration such as 15m.")
                }
                return Double(duration.milliseconds) / 1_000
            } ?? 900
        let issuer = environment["CORERECON_JWT_ISSUER"].flatMap { $0.isEmpty ? nil : $0 } ?? "corerecon"
        let audience = environment["CORERECON_JWT_AUDIENCE"].flatMap { $0.isEmpty ? nil : $0 } ?? "corerecon-api"
        if material.contains("-----BEGIN") {
            let key: Key =
                material.contains("EC PRIVATE KEY") || Self.isP256(material)
                ? .ecdsa(pem: material) : .rsa(pem: material)
            return JWTSettings(key: key, issuer: issuer, audience: audience, lifetime: lifetime)
        }
        material = material.trimmingCharacters(in: .whitespacesAndNewlines)
        guard material.utf8.count >= 32 else {
            throw .configuration("\(origin): the JWT secret has \(material.utf8.count) bytes; use at least 32.")
        }
        return JWTSettings(key: .hmac(material), issuer: issuer, audience: audience, lifetime: lifetime)
    }

    private static func isP256(_ pem: String) -> Bool { (try? P256.Signing.PrivateKey(pemRepresentation: pem)) != nil }
}

/// The claims of a CoreRecon access token.
struct AccessClaims: JWTPayload {
    var sub: SubjectClaim
    var role: String
    var exp: ExpirationClaim
    var nbf: NotBeforeClaim
    var iat: IssuedAtClaim
    var iss: IssuerClaim
    var aud: AudienceClaim
    var jti: IDClaim

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
        try nbf.verifyNotBefore()
    }
}

/// Signs and verifies access tokens.
public struct AccessTokens: Sendable {
    let settings: JWTSettings
    let keys: JWTKeyCollection

    public init(settings: JWTSettings) async throws {
        self.settings = settings
        let keys = JWTKeyCollection()
        switch settings.key {
        case .hmac(let secret):
            await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        case .rsa(let pem):
            await keys.add(rsa: try Insecure.RSA.PrivateKey(pem: pem), digestAlgorithm: .sha256)
        case .ecdsa(let pem):
            await keys.add(ecdsa: try ES256PrivateKey(pem: pem))
        }
        self.keys = keys
    }

    public var lifetime: TimeInterval { settings.lifetime }

    /// A signed access token for `user`.
    public func issue(for user: User, now: Date = Date()) async throws -> String {
        // RFC 7519 NumericDate may be fractional, but many clients expect integers: whole seconds, and the
        // expiry cut down rather than up so a token never outlives its lifetime.
        let issuedAt = Self.wholeSeconds(now)
        let claims = AccessClaims(
            sub: .init(value: user.name), role: user.role.rawValue,
            exp: .init(value: Self.wholeSeconds(now + settings.lifetime)), nbf: .init(value: issuedAt - 5),
            iat: .init(value: issuedAt), iss: .init(value: settings.issuer), aud: .init(value: [settings.audience]),
            jti: .init(value: Secrets.newRefreshToken().prefix(16).description))
        return try await keys.sign(claims)
    }

    /// `date` without its fraction of a second.
    static func wholeSeconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }

    /// The identity in `token`, or nil when the signature, algorithm, expiry, not-before, issuer or audience is
    /// wrong.
    public func verify(_ token: String) async -> Identity? {
        // The header must name our algorithm: `none` and algorithm switching are refused before any key is used.
        guard let header = Self.header(of: token), header["alg"] == settings.algorithm else { return nil }
        guard let claims = try? await keys.verify(token, as: AccessClaims.self),
            claims.iss.value == settings.issuer, claims.aud.value.contains(settings.audience),
            let role = Role(rawValue: claims.role)
        else { return nil }
        return Identity(kind: .user, name: claims.sub.value, role: role)
    }

    static func header(of token: String) -> [String: String]? {
        guard let first = token.split(separator: ".", omittingEmptySubsequences: false).first,
            token.split(separator: ".", omittingEmptySubsequences: false).count == 3
        else { return nil }
        var base64 = first.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let members = (try? JSONParser.parse(data))?.members else {
            return nil
        }
        return Dictionary(members.compactMap { member in member.value.text.map { (member.key, $0) } }) { first, _ in
            first
        }
    }
}
