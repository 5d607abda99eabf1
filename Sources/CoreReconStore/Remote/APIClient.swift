import AsyncHTTPClient
import CoreRecon
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A running `corerecon serve` to work against instead of the database, and how to reach it.
public struct RemoteTarget: Sendable, Equatable {
    /// The server's base URL, without a trailing slash: `https://soc.example:8443`.
    public var server: String
    /// `CORERECON_TOKEN`: an API key or an access token, used instead of the stored sign-in.
    public var token: String?
    /// Certificates to trust instead of the system's (PEM).
    public var caFile: String?
    /// Accept any certificate (`--insecure`, never from the config file).
    public var insecure = false
    /// A client certificate (PEM chain) and its private key, for a server that asks for one (mutual TLS).
    public var clientCertificate: ClientCertificate?

    public struct ClientCertificate: Sendable, Equatable {
        public var certificate: String
        public var key: String

        public init(certificate: String, key: String) {
            self.certificate = certificate
            self.key = key
        }
    }

    /// `url` as a server address: http or https, a host, nothing after the path.
    public init(
        server url: String, token: String? = nil, caFile: String? = nil, insecure: Bool = false,
        clientCertificate: ClientCertificate? = nil
    ) throws(CoreReconError) {
        var text = url.trimmingCharacters(in: .whitespaces)
        while text.hasSuffix("/") { text.removeLast() }
        guard let parsed = URL(string: text), let scheme = parsed.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = parsed.host, !host.isEmpty, parsed.query == nil,
            parsed.user == nil
        else {
            throw .configuration("'\(url)' is not a server address; give one such as https://soc.example:8443.")
        }
        server = text
        self.token = token.flatMap { $0.isEmpty ? nil : $0 }
        self.caFile = caFile
        self.insecure = insecure
        self.clientCertificate = clientCertificate
    }
}

/// The one HTTP client of remote mode: every command that works over the API sends its requests through it.
///
/// It signs requests with `CORERECON_TOKEN` or the stored sign-in (refreshed before it expires and once after a
/// 401), waits out 429 and 503 answers on requests that are safe to repeat (saying so on stderr), checks that the
/// server speaks its API version, and turns every other failure into a ``CoreReconError`` a person can act on,
/// naming the server and never a token.
public final class APIClient: Sendable {
    /// The API version this client speaks; the server names its own in `CoreRecon-API`.
    public static let apiVersion = "1"
    public static let versionHeader = "CoreRecon-Version"
    public static let apiVersionHeader = "CoreRecon-API"

    public struct Response: Sendable {
        public var status: Int
        public var headers: HTTPHeaders
        public var body: [UInt8]
    }

    public let target: RemoteTarget
    let http: HTTPClient
    let session: TokenSession
    /// The TLS settings of every connection to the server (HTTP and the WebSocket stream).
    let tls: TLSConfiguration
    let notice: @Sendable (String) -> Void
    /// How many times a 429 or 503 is waited out before giving up.
    let retries = 3

    init(target: RemoteTarget, store: CredentialStore, notice: @escaping @Sendable (String) -> Void) throws {
        self.target = target
        self.notice = notice
        var tls = TLSConfiguration.makeClientConfiguration()
        if let caFile = target.caFile {
            guard FileManager.default.isReadableFile(atPath: caFile) else {
                throw CoreReconError.configuration("cannot read the CA file \(caFile)")
            }
            tls.trustRoots = .file(caFile)
        }
        if target.insecure { tls.certificateVerification = .none }
        if let client = target.clientCertificate {
            for path in [client.certificate, client.key] where !FileManager.default.isReadableFile(atPath: path) {
                throw CoreReconError.configuration("cannot read the client certificate file \(path)")
            }
            let chain = (try? NIOSSLCertificate.fromPEMFile(client.certificate)) ?? []
            guard !chain.isEmpty else {
                throw CoreReconError.configuration(
                    "the client certificate file \(client.certificate) holds no PEM certificate")
            }
            let key: NIOSSLPrivateKey
            do {
                key = try NIOSSLPrivateKey(file: client.key, format: .pem)
            } catch {
                throw CoreReconError.configuration(
                    "the client key file \(client.key) holds no PEM private key, or one protected by a passphrase")
            }
            tls.certificateChain = chain.map { .certificate($0) }
            tls.privateKey = .privateKey(key)
            // Loading the pair alone into a context checks that the key is the certificate's.
            do {
                var pair = TLSConfiguration.makeClientConfiguration()
                pair.certificateChain = tls.certificateChain
                pair.privateKey = tls.privateKey
                _ = try NIOSSLContext(configuration: pair)
            } catch {
                throw CoreReconError.configuration(
                    "the key in \(client.key) is not the one of the certificate in \(client.certificate)")
            }
        }
        self.tls = tls
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: tls, redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(10), read: .seconds(120)))
        configuration.connectionPool.retryConnectionEstablishment = false
        http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        session = TokenSession(server: target.server, fixedToken: target.token, store: store)
    }

    /// Runs `body` with a client for `target`, shut down after it.
    public static func with<Result: Sendable>(
        _ target: RemoteTarget, store: CredentialStore, notice: @escaping @Sendable (String) -> Void,
        _ body: (APIClient) async throws -> Result
    ) async throws -> Result {
        if target.insecure {
            notice(
                "warning: --insecure: the certificate of \(target.server) is not checked; anyone between can read and change what is sent"
            )
        }
        let client = try APIClient(target: target, store: store, notice: notice)
        do {
            let result = try await body(client)
            try? await client.http.shutdown()
            return result
        } catch {
            try? await client.http.shutdown()
            throw error
        }
    }

    /// Sends one request and returns a 2xx answer (or one of `accepting`); any other answer is thrown as a
    /// ``CoreReconError``. GET, PUT and DELETE are repeated after a 429 or 503, others only when `idempotent` says
    /// so.
    ///
    /// `upload` is a body sent a few megabytes at a time instead of `body` (a memory-mapped file stays on disk);
    /// `download` is handed a 2xx answer's body as it arrives, instead of it being held (the answer's `body` is then
    /// empty). Both may take up to an hour.
    public func send(
        _ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: [UInt8]? = nil,
        upload: Data? = nil, contentType: String = "application/json", headers: [(String, String)] = [],
        idempotent: Bool? = nil, signed: Bool = true, accepting: Set<Int> = [],
        download: ((ByteBuffer) async throws -> Void)? = nil
    ) async throws -> Response {
        let repeatable = idempotent ?? [.GET, .HEAD, .PUT, .DELETE].contains(method)
        var refreshed = false
        var attempt = 0
        while true {
            let authorization = signed ? try await session.authorization(using: self) : nil
            let response = try await exchange(
                method, path, query: query, body: body, upload: upload, contentType: contentType, headers: headers,
                authorization: authorization, download: download)
            if (200..<300).contains(response.status) || accepting.contains(response.status) {
                try checkVersion(response)
                return response
            }
            if response.status == 401, signed, !refreshed, try await session.refresh(using: self) {
                refreshed = true
                continue
            }
            if response.status == 429 || response.status == 503, repeatable, attempt < retries {
                attempt += 1
                let wait = min(Int(response.headers.first(name: "Retry-After") ?? "") ?? 2, 60)
                notice(
                    "\(target.server) answered \(response.status) (\(response.status == 429 ? "too many requests" : "unavailable")); "
                        + "retrying in \(wait) s (\(attempt) of \(retries))")
                try await Task.sleep(for: .seconds(max(wait, 1)))
                continue
            }
            throw failure(response, method: method, path: path)
        }
    }

    /// A 2xx answer's body as JSON.
    public func json(
        _ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: JSONValue? = nil
    ) async throws -> JSONValue {
        let response = try await send(method, path, query: query, body: body.map { Array($0.jsonString.utf8) })
        do {
            return try JSONParser.parse(response.body)
        } catch {
            throw CoreReconError.unavailable(
                "\(target.server) answered \(method) \(path) with what is not JSON: \(error)")
        }
    }

    /// A JSON array answer, each element read by `read`; one it cannot read is the server's fault, and said so.
    public func items<Item>(_ path: String, _ query: [(String, String)], _ read: (JSONValue) -> Item?) async throws
        -> [Item]
    {
        let answer = try await json(.GET, path, query: query)
        guard let elements = answer.arrayValue else {
            throw CoreReconError.unavailable("\(target.server) answered GET \(path) with what is not a list")
        }
        return try elements.map { element in
            guard let item = read(element) else {
                throw CoreReconError.unavailable(
                    "\(target.server) answered GET \(path) with an item this corerecon cannot read")
            }
            return item
        }
    }

    /// A 2xx JSON answer read by `read`; one it cannot read is the server's fault, and said so (`what` names what
    /// was expected: "an alert").
    public func read<Value>(
        _ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: JSONValue? = nil, as what: String,
        _ read: (JSONValue) -> Value?
    ) async throws -> Value {
        guard let value = read(try await json(method, path, query: query, body: body)) else {
            throw CoreReconError.unavailable(
                "\(target.server) answered \(method) \(path) with what this corerecon cannot read as \(what)")
        }
        return value
    }

    /// A 2xx answer's body decoded as `type` (times as RFC 3339 text); a body that is not one is the server's
    /// fault, and said so.
    public func decode<Value: Decodable>(
        _ type: Value.Type, _ method: HTTPMethod, _ path: String, query: [(String, String)] = [],
        body: JSONValue? = nil
    ) async throws -> Value {
        let response = try await send(method, path, query: query, body: body.map { Array($0.jsonString.utf8) })
        return try decode(type, response, method, path)
    }

    /// `response`'s body decoded as `type`.
    public func decode<Value: Decodable>(_ type: Value.Type, _ response: Response, _ method: HTTPMethod, _ path: String)
        throws -> Value
    {
        do {
            return try Self.decoder.decode(type, from: Data(response.body))
        } catch {
            throw CoreReconError.unavailable(
                "\(target.server) answered \(method) \(path) with what this corerecon cannot read: \(error)")
        }
    }

    static let decoder = JSONDecoder.rfc3339()

    func exchange(
        _ method: HTTPMethod, _ path: String, query: [(String, String)], body: [UInt8]?, upload: Data? = nil,
        contentType: String, headers: [(String, String)] = [], authorization: String?,
        download: ((ByteBuffer) async throws -> Void)? = nil
    ) async throws -> Response {
        var request = HTTPClientRequest(url: target.server + path + Self.encode(query))
        request.method = method
        request.headers.add(name: "User-Agent", value: "corerecon/\(CoreReconVersion.current)")
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: Self.apiVersionHeader, value: Self.apiVersion)
        if let authorization { request.headers.add(name: "Authorization", value: "Bearer \(authorization)") }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(bytes: body))
        } else if let upload {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(upload)
        }
        let streamed = upload != nil || download != nil
        do {
            let response = try await http.execute(request, timeout: .seconds(streamed ? 3_600 : 300))
            if let download, (200..<300).contains(Int(response.status.code)) {
                // Checked before a byte is handed on; `send` checks the answer again, as it does every answer.
                try checkVersion(Response(status: Int(response.status.code), headers: response.headers, body: []))
                for try await chunk in response.body { try await download(chunk) }
                return Response(status: Int(response.status.code), headers: response.headers, body: [])
            }
            let bytes = try await response.body.collect(upTo: 1 << 30)
            return Response(status: Int(response.status.code), headers: response.headers, body: Array(buffer: bytes))
        } catch let error as HTTPClientError {
            throw CoreReconError.unavailable("cannot reach \(target.server): \(HTTPFetcher.describe(error))")
        } catch let error as NIOConnectionError {
            throw CoreReconError.unavailable("cannot reach \(target.server): \(Self.describe(connectionError: error))")
        } catch let error where Self.isTLS(error) {
            throw CoreReconError.unavailable(
                "cannot reach \(target.server) over TLS: \(Self.describe(tlsError: error, target: target))")
        } catch let error as IOError {
            throw CoreReconError.unavailable(
                "cannot reach \(target.server): \(String(cString: strerror(error.errnoCode)).lowercased())")
        } catch let error as CoreReconError {
            throw error
        } catch {
            throw CoreReconError.unavailable("cannot reach \(target.server): \(error)")
        }
    }

    /// One path segment, percent-encoded: a reference or name typed by a person never adds a segment.
    public static func pathSegment(_ text: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#%;")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    static func isTLS(_ error: any Error) -> Bool { error is NIOSSLError || error is BoringSSLError }

    /// What a failed TLS handshake means for the person running the command, from BoringSSL's reason, and what to
    /// do about it.
    static func describe(tlsError error: any Error, target: RemoteTarget) -> String {
        let text = "\(error)"
        if text.contains("CERTIFICATE_VERIFY_FAILED") {
            return "its certificate is not trusted here (not signed by a CA in "
                + (target.caFile.map { "--ca-file \($0)" } ?? "the system's trust store; give its CA with --ca-file")
                + ", expired, or not made out to this host name)"
        }
        if text.contains("CERTIFICATE_REQUIRED")
            || (target.clientCertificate == nil && text.contains("HANDSHAKE_FAILURE"))
        {
            return "the server asks for a client certificate; give one with --client-cert and --client-key"
        }
        if let client = target.clientCertificate,
            [
                "UNKNOWN_CA", "BAD_CERTIFICATE", "CERTIFICATE_EXPIRED", "CERTIFICATE_REVOKED", "CERTIFICATE_UNKNOWN",
                "UNSUPPORTED_CERTIFICATE", "DECRYPT_ERROR", "ACCESS_DENIED",
            ].contains(where: text.contains)
        {
            return "the server refused the client certificate \(client.certificate) (not signed by a CA it accepts, "
                + "expired, or revoked)"
        }
        if text.contains("WRONG_VERSION_NUMBER") || text.contains("HTTP_REQUEST") {
            return "it does not speak TLS on that port (is the address http://?)"
        }
        if text.contains("UNSUPPORTED_PROTOCOL") || text.contains("PROTOCOL_VERSION") {
            return "it and this corerecon share no TLS version (corerecon needs TLS 1.2 or newer)"
        }
        // BoringSSL's reason alone, without its source file and line.
        if let reason = text.range(of: #"OPENSSL_internal:[A-Z0-9_]+"#, options: .regularExpression) {
            return text[reason].dropFirst("OPENSSL_internal:".count).lowercased().replacingOccurrences(
                of: "_", with: " ")
        }
        return text
    }

    /// Why a connection failed, in a few words: `connection refused`, not NIO's whole error.
    public static func describe(connectionError error: any Error) -> String {
        if let error = error as? NIOConnectionError {
            return error.connectionErrors.first.map { describe(connectionError: $0.error) } ?? "\(error)"
        }
        if let error = error as? IOError { return String(cString: strerror(error.errnoCode)).lowercased() }
        return "\(error)"
    }

    /// `?a=1&b=x%20y`, or nothing.
    public static func encode(_ query: [(String, String)]) -> String {
        guard !query.isEmpty else { return "" }
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+?#")
        return "?"
            + query.map { name, value in
                "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)"
            }.joined(separator: "&")
    }

    /// A server of another API version is named, not guessed at; one that does not say is no corerecon.
    func checkVersion(_ response: Response) throws {
        guard let api = response.headers.first(name: Self.apiVersionHeader) else {
            throw CoreReconError.configuration(
                "\(target.server) does not answer as a corerecon server (no \(Self.apiVersionHeader) header); "
                    + "check the address")
        }
        guard api == Self.apiVersion else {
            let version = response.headers.first(name: Self.versionHeader) ?? "unknown"
            throw CoreReconError.configuration(
                "\(target.server) runs corerecon \(version), API version \(api); this corerecon "
                    + "\(CoreReconVersion.current) speaks API version \(Self.apiVersion). Use a corerecon of the server's version."
            )
        }
    }

    /// What a non-2xx answer means for the person at the terminal, with the server's own explanation
    /// (`detail` of its problem document).
    func failure(_ response: Response, method: HTTPMethod, path: String) -> CoreReconError {
        let problem = try? JSONParser.parse(response.body)
        let detail = problem?[key: "detail"]?.text ?? HTTPResponseStatus(statusCode: response.status).reasonPhrase
        switch response.status {
        case 401:
            return .denied(
                "\(target.server) did not accept the sign-in (\(detail)). "
                    + (target.token != nil
                        ? "Check CORERECON_TOKEN." : "Sign in again: corerecon login --server \(target.server)"))
        case 403: return .denied("not allowed on \(target.server): \(detail)")
        case 404: return .failed(detail)
        case 409: return .conflict(detail)
        case 413: return .invalidInput(location: nil, reason: "\(target.server) refuses a body this large: \(detail)")
        case 400, 422: return .invalidInput(location: nil, reason: detail)
        // A dependency of the server failed (a feed's or MITRE's server): its reason, as a call from here would say it.
        case 424: return .unavailable(detail)
        case 429: return .unavailable("\(target.server) is limiting requests (429): \(detail); try again later")
        default: return .unavailable("\(target.server) answered \(method) \(path) with \(response.status): \(detail)")
        }
    }
}

/// The bearer token of a client: `CORERECON_TOKEN` as given, or the stored sign-in, refreshed (and stored again)
/// shortly before it expires and once when the server no longer takes it.
actor TokenSession {
    let server: String
    let fixedToken: String?
    let store: CredentialStore
    private var credential: Credential?
    private var loaded = false

    init(server: String, fixedToken: String?, store: CredentialStore) {
        self.server = server
        self.fixedToken = fixedToken
        self.store = store
    }

    func authorization(using client: APIClient) async throws -> String? {
        if let fixedToken { return fixedToken }
        if !loaded {
            credential = try store.credential(for: server)
            loaded = true
        }
        guard let credential else {
            throw CoreReconError.denied(
                "not signed in to \(server): run `corerecon login --server \(server)` (or set CORERECON_TOKEN)")
        }
        if credential.expiresAt.timeIntervalSinceNow < 30, try await refresh(using: client) {
            return self.credential?.accessToken
        }
        return credential.accessToken
    }

    /// Trades the refresh token for new tokens; false when there is none or the server refuses it.
    ///
    /// Processes of one user refresh one at a time (a lock file beside the credentials): the server revokes a
    /// whole sign-in when a refresh token is used twice, and `alert list ... | alert ack -` starts two processes
    /// at once. The one that waited finds the tokens the other stored and uses them.
    func refresh(using client: APIClient) async throws -> Bool {
        guard fixedToken == nil, let current = credential else { return false }
        let lock = try store.lock()
        defer { lock.release() }
        if let stored = try store.credential(for: server), stored.refreshToken != current.refreshToken {
            credential = stored
            return true
        }
        let form =
            "grant_type=refresh_token&refresh_token=\(current.refreshToken.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        let response = try await client.exchange(
            .POST, "/api/v1/auth/token", query: [], body: Array(form.utf8),
            contentType: "application/x-www-form-urlencoded", authorization: nil)
        guard response.status == 200, let answer = try? JSONParser.parse(response.body),
            let access = answer[key: "access_token"]?.text,
            let refresh = answer[key: "refresh_token"]?.text
        else { return false }
        let lifetime = answer[key: "expires_in"]?.int ?? 900
        let renewed = Credential(
            user: current.user, role: answer[key: "role"]?.text ?? current.role, accessToken: access,
            refreshToken: refresh, expiresAt: Date().addingTimeInterval(Double(lifetime)))
        credential = renewed
        try store.save(renewed, for: server)
        return true
    }
}

extension APIClient {
    /// The OAuth2 password grant: a sign-in to store. A refused password is ``CoreReconError/denied(_:)``.
    public func signIn(user: String, password: String) async throws -> Credential {
        func field(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "" }
        let form = "grant_type=password&username=\(field(user))&password=\(field(password))"
        let response = try await exchange(
            .POST, "/api/v1/auth/token", query: [], body: Array(form.utf8),
            contentType: "application/x-www-form-urlencoded", authorization: nil)
        guard response.status == 200 else {
            if response.status == 400 || response.status == 401 {
                let detail = (try? JSONParser.parse(response.body))?[key: "detail"]?.text
                throw CoreReconError.denied(
                    "\(target.server) refused the sign-in: \(detail ?? "wrong user name or password")")
            }
            throw failure(response, method: .POST, path: "/api/v1/auth/token")
        }
        try checkVersion(response)
        let answer = try JSONParser.parse(response.body)
        guard let access = answer[key: "access_token"]?.text, let refresh = answer[key: "refresh_token"]?.text else {
            throw CoreReconError.unavailable("\(target.server) answered the sign-in without tokens")
        }
        return Credential(
            user: user, role: answer[key: "role"]?.text ?? "unknown", accessToken: access, refreshToken: refresh,
            expiresAt: Date().addingTimeInterval(Double(answer[key: "expires_in"]?.int ?? 900)))
    }

    /// RFC 7009: the refresh token and its whole sign-in revoked.
    public func revoke(refreshToken: String) async throws {
        let form = "token=\(refreshToken.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        _ = try await send(
            .POST, "/api/v1/auth/revoke", body: Array(form.utf8), contentType: "application/x-www-form-urlencoded",
            signed: false)
    }
}
