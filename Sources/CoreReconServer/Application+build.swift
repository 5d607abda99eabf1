import CoreRecon
import CoreReconStore
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL

/// How `corerecon serve` runs.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// PEM certificate chain and private key: HTTPS (TLS 1.2 and 1.3) when both are set.
    public var tlsCertificate: String?
    public var tlsKey: String?
    public var jwt: JWTSettings
    /// Request bodies over this many bytes get 413.
    public var bodyLimit: Int
    /// Webhook HMAC secrets per source.
    public var webhookSecrets: [String: String]
    /// Rate limits, proxy trust and whether `/metrics` is public (from `server.*` in the configuration).
    public var settings: ServerSettings

    public init(
        host: String = "127.0.0.1", port: Int = 8080, tlsCertificate: String? = nil, tlsKey: String? = nil,
        jwt: JWTSettings, bodyLimit: Int = 10 * 1_024 * 1_024, webhookSecrets: [String: String] = [:],
        settings: ServerSettings = ServerSettings()
    ) {
        self.host = host
        self.port = port
        self.tlsCertificate = tlsCertificate
        self.tlsKey = tlsKey
        self.jwt = jwt
        self.bodyLimit = bodyLimit
        self.webhookSecrets = webhookSecrets
        self.settings = settings
    }
}

/// The API's routes, for the OpenAPI document, the README matrix and the tests.
public func apiRoutes(services: AppServices, configuration: ServerConfiguration) async throws -> [APIRoute] {
    try await makeRouter(services: services, configuration: configuration).1
}

/// Middleware order, outermost first: request id and access log; metrics (so 429s and errors count); problem
/// documents; the per-address rate limit (before authentication, so guessing credentials is limited too);
/// authentication; the per-credential rate limit.
func makeRouter(services: AppServices, configuration: ServerConfiguration, metrics: ServerMetrics = ServerMetrics())
    async throws -> (Router<AppContext>, [APIRoute])
{
    let tokens = try await AccessTokens(settings: configuration.jwt)
    let router = Router(context: AppContext.self)
    var accessLog = services.logger
    accessLog[metadataKey: "log"] = "access"
    let limiter = RateLimiter()
    let settings = configuration.settings
    router.add(middleware: RequestLogMiddleware(accessLog: accessLog))
    router.add(middleware: MetricsMiddleware(metrics: metrics))
    router.add(middleware: ProblemMiddleware())
    router.add(
        middleware: RateLimitMiddleware(stage: .address, limiter: limiter, settings: settings, metrics: metrics))
    router.add(middleware: AuthMiddleware(tokens: tokens, auth: services.auth, keyUses: KeyUseRecorder()))
    router.add(
        middleware: RateLimitMiddleware(stage: .credential, limiter: limiter, settings: settings, metrics: metrics))
    HealthRoutes(database: services.database).register(on: router)

    var table = RouteTable(router: router)
    table.add(
        .get, "/metrics", settings.isMetricsPublic ? nil : .admin, tag: "metrics",
        "Prometheus metrics: requests by route and status, latency, ingest counts, WebSocket connections."
    ) { _, _ in
        Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
    }
    AuthRoutes(services: services, tokens: tokens).register(on: &table)
    AlertRoutes(services: services, bodyLimit: configuration.bodyLimit).register(on: &table)
    IngestRoutes(
        services: services, bodyLimit: configuration.bodyLimit, metrics: metrics,
        webhooks: WebhookVerifier(secrets: configuration.webhookSecrets, now: services.now)
    ).register(on: &table)
    IncidentRoutes(services: services, bodyLimit: configuration.bodyLimit).register(on: &table)
    AttackRoutes().register(on: &table)
    AuditRoutes(services: services).register(on: &table)
    let routes = table.routes
    let document = OpenAPIDocument.make(routes: routes, version: ServerVersion.current)
    router.get("/api/v1/openapi.json") { _, _ in Body.response(json: document) }
    let page = OpenAPIDocument.page(routes: routes)
    router.get("/docs") { _, _ in
        Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: page)))
    }
    return (router, routes)
}

/// Builds the HTTP application over `services`. Routes are grouped by feature under `Routes/`. `metrics` is the
/// application's own Prometheus registry (served at `/metrics`).
public func buildApplication(
    services: AppServices, configuration: ServerConfiguration, metrics: ServerMetrics = ServerMetrics()
) async throws -> some ApplicationProtocol {
    let (router, _) = try await makeRouter(services: services, configuration: configuration, metrics: metrics)
    let address = BindAddress.hostname(configuration.host, port: configuration.port)
    let server: HTTPServerBuilder
    if let certificate = configuration.tlsCertificate, let key = configuration.tlsKey {
        server = try .tls(.http1(), tlsConfiguration: try tlsConfiguration(certificate: certificate, key: key))
    } else {
        server = .http1()
    }
    return Application(
        router: router, server: server,
        configuration: .init(address: address, serverName: "corerecon"),
        logger: services.logger)
}

/// TLS 1.2 minimum; 1.3 is negotiated when the client offers it.
func tlsConfiguration(certificate: String, key: String) throws -> TLSConfiguration {
    do {
        let chain = try NIOSSLCertificate.fromPEMFile(certificate).map { NIOSSLCertificateSource.certificate($0) }
        let privateKey = try NIOSSLPrivateKey(file: key, format: .pem)
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain, privateKey: .privateKey(privateKey))
        configuration.minimumTLSVersion = .tlsv12
        return configuration
    } catch {
        throw CoreReconError.configuration(
            "cannot load TLS certificate \(certificate) or key \(key): \(error). Give PEM files.")
    }
}

public enum ServerVersion {
    public static let current = "0.1.0"
}
