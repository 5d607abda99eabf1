import CoreRecon
import CoreReconStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// Gives every request an id (`X-Request-ID` as received, else a new one), echoes it, and writes one structured
/// JSON access-log line per request: method, path, route, status, duration, caller.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = AppContext
    let accessLog: Logger

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response)
        async throws -> Response
    {
        var context = context
        let received = request.headers[.requestID].flatMap { id in
            id.count <= 128 && id.allSatisfy({ $0.isASCII && !$0.isWhitespace }) ? id : nil
        }
        context.requestID = received ?? RequestIDs.next()
        context.logger[metadataKey: "request.id"] = .string(context.requestID)
        let started = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = ProblemMiddleware.response(for: error, request: request, context: context)
        }
        response.headers[.requestID] = context.requestID
        // Which corerecon answers, so that a client of another API version can say so instead of guessing.
        response.headers[.coreReconVersion] = CoreReconVersion.current
        response.headers[.coreReconAPI] = APIClient.apiVersion
        let elapsed = ContinuousClock.now - started
        accessLog.info(
            "request",
            metadata: [
                "request.id": .string(context.requestID), "method": .string(request.method.rawValue),
                "path": .string(request.uri.path), "status": .stringConvertible(response.status.code),
                "duration_ms": .stringConvertible((elapsed / .milliseconds(1) * 1_000).rounded() / 1_000),
            ])
        return response
    }
}

/// Request ids for requests that bring none: 20 base62 characters, ten drawn from the system's random source once
/// a process and ten counting requests, so that no request pays a system call for its id. Unique within a process,
/// and between processes as their random halves are.
enum RequestIDs {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
    private static let prefix = Array(Secrets.randomString(length: 10).utf8)
    private static let counter = Atomic<UInt64>(0)

    static func next() -> String {
        var number = counter.wrappingAdd(1, ordering: .relaxed).newValue
        return String(unsafeUninitializedCapacity: 20) { buffer in
            for index in 0..<10 { buffer[index] = prefix[index] }
            for index in (10..<20).reversed() {
                buffer[index] = alphabet[Int(number % 62)]
                number /= 62
            }
            return 20
        }
    }
}

/// Turns every error into an RFC 9457 problem document; nothing else reaches the client.
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = AppContext

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response)
        async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch {
            return Self.response(for: error, request: request, context: context)
        }
    }

    static func response(for error: any Error, request: Request, context: AppContext) -> Response {
        let problem: APIError
        switch error {
        case let error as APIError: problem = error
        case let error as CoreReconError: problem = APIError(error)
        case let error as AuthError:
            problem = APIError(status: .badRequest, detail: error.message, extra: ["error": error.code])
        case is CancellationError:
            // Shutdown cancelled the request before it finished: nothing was stored that was not reported.
            problem = APIError(CoreReconError.unavailable("the server is shutting down; retry."))
        case is NIOTooManyBytesError:
            problem = APIError(status: .contentTooLarge, detail: "the request body is over the server's limit.")
        case let error as HTTPError:
            problem = APIError(
                status: error.status,
                detail: error.status == .notFound
                    ? "no resource at \(request.uri.path)." : error.body ?? error.status.reasonPhrase)
        default:
            context.logger.error("Unhandled error", metadata: ["error": "\(error)"])
            problem = APIError(status: .internalServerError, detail: "an internal error occurred; see the server log.")
        }
        return problem.response(instance: request.uri.path, requestID: context.requestID)
    }
}

/// Resolves `Authorization: Bearer ...` (a JWT access token or an API key) to an ``Identity``. It never rejects:
/// routes say what they require with ``AppContext/require(_:)``, so a missing or bad token is a 401 there.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppContext
    let credentials: Credentials

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response)
        async throws -> Response
    {
        guard let header = request.headers[.authorization] else { return try await next(request, context) }
        guard header.lowercased().hasPrefix("bearer "), case let token = String(header.dropFirst(7)), !token.isEmpty
        else {
            throw APIError.unauthorized("use `Authorization: Bearer TOKEN`.")
        }
        var context = context
        context.identity = try await credentials.identity(for: token)
        return try await next(request, context)
    }
}

/// Turns a bearer token (a JWT access token or an API key) into an ``Identity``, or a 401 naming what is wrong.
struct Credentials: Sendable {
    let tokens: AccessTokens
    let auth: AuthService
    let keyUses = KeyUseRecorder()
    let keys = APIKeyCache()

    func identity(for token: String) async throws -> Identity {
        if token.hasPrefix("crk_") {
            let digest = Secrets.digest(token)
            var found = keys.key(digest: digest)
            if found == nil, let stored = try await auth.apiKey(digest: digest) {
                keys.remember(stored, digest: digest)
                found = stored
            }
            guard let key = found, key.isUsable(at: Date()) else {
                throw APIError.unauthorized("the API key is unknown, revoked or expired.")
            }
            await keyUses.used(key, auth: auth)
            return Identity(kind: .apiKey, name: key.name, role: key.role)
        }
        guard let identity = await tokens.verify(token) else {
            throw APIError.unauthorized(
                "the access token is invalid or expired; get a new one from /api/v1/auth/token.")
        }
        return identity
    }
}

/// API keys recently found valid, by the digest of their secret, so a SIEM posting thousands of webhooks a second
/// does not cost a database read each. An entry lives ``lifetime`` (5 seconds): a key revoked with
/// `corerecon token revoke` is refused by every running server within that time (at once by a server it was revoked
/// through). Unknown keys are never cached,
/// so a new key works at once; expiry is checked on every use.
final class APIKeyCache: Sendable {
    static let lifetime: Duration = .seconds(5)
    /// Most keys held; past that the cache starts over rather than growing.
    static let capacity = 10_000

    private let entries = Mutex<[String: (key: APIKey, until: ContinuousClock.Instant)]>([:])

    func key(digest: String) -> APIKey? {
        let now = ContinuousClock.now
        return entries.withLock { entries in
            guard let entry = entries[digest] else { return nil }
            guard entry.until > now else {
                entries[digest] = nil
                return nil
            }
            return entry.key
        }
    }

    /// Drops the keys named `name`, revoked through this server.
    func forget(name: String) {
        entries.withLock { entries in entries = entries.filter { $0.value.key.name != name } }
    }

    func remember(_ key: APIKey, digest: String) {
        entries.withLock { entries in
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[digest] = (key, ContinuousClock.now + Self.lifetime)
        }
    }
}

/// Records when API keys were last used, at most once a minute per key, so a busy SIEM does not write on every
/// request.
final class KeyUseRecorder: Sendable {
    private let recorded = Mutex<[Int64: ContinuousClock.Instant]>([:])

    func used(_ key: APIKey, auth: AuthService) async {
        let now = ContinuousClock.now
        let due = recorded.withLock { recorded in
            if let last = recorded[key.id], now - last < .seconds(60) { return false }
            recorded[key.id] = now
            return true
        }
        if due { try? await auth.touch(key) }
    }
}

extension HTTPField.Name {
    // swift-format-ignore: NeverForceUnwrap
    static let requestID = HTTPField.Name("X-Request-ID")!
    // swift-format-ignore: NeverForceUnwrap
    static let contentSHA256 = HTTPField.Name("X-Content-SHA256")!
    // swift-format-ignore: NeverForceUnwrap
    static let coreReconVersion = HTTPField.Name(APIClient.versionHeader)!
    // swift-format-ignore: NeverForceUnwrap
    static let coreReconAPI = HTTPField.Name(APIClient.apiVersionHeader)!
    // swift-format-ignore: NeverForceUnwrap
    static let coreReconCatalog = HTTPField.Name(RemoteATTACK.catalogHeader)!
}
