import CoreRecon
import CoreReconStore
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle
import Synchronization

/// How `corerecon serve` runs.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// PEM certificate chain and private key: HTTPS (TLS 1.2 and 1.3) when both are set.
    public var tlsCertificate: String?
    public var tlsKey: String?
    /// PEM certificates of the CAs whose client certificates are accepted: with it, every TLS client must show
    /// one (mutual TLS) before any request, and still authenticate as usual.
    public var tlsClientCA: String?
    public var jwt: JWTSettings
    /// Request bodies over this many bytes get 413.
    public var bodyLimit: Int
    /// Webhook HMAC secrets per source.
    public var webhookSecrets: [String: String]
    /// How long stream events are kept for clients resuming with `since`.
    public var eventRetention: TimeInterval = EventLog.retention
    /// How often the stream relay looks for changes made by other processes; nil: 250 ms on SQLite, 2 s on
    /// PostgreSQL (where NOTIFY brings them at once).
    public var streamPollInterval: Duration?
    /// Rate limits, proxy trust and whether `/metrics` is public (from `server.*` in the configuration).
    public var settings: ServerSettings
    /// What the server ages out daily (`retention.*`).
    public var retention = RetentionSettings()
    /// The syslog listeners (`--syslog`, `syslog:`); none by default.
    public var syslog = SyslogSettings()

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
func makeRouter(
    services: AppServices, configuration: ServerConfiguration, metrics: ServerMetrics = ServerMetrics(),
    hub: StreamHub = StreamHub()
) async throws -> (Router<AppContext>, [APIRoute]) {
    let tokens = try await AccessTokens(settings: configuration.jwt)
    let router = Router(context: AppContext.self)
    var accessLog = services.logger
    accessLog[metadataKey: "log"] = "access"
    let limiter = RateLimiter()
    let settings = configuration.settings
    router.add(middleware: RequestLogMiddleware(accessLog: accessLog))
    router.add(middleware: MetricsMiddleware(metrics: metrics))
    router.add(middleware: ProblemMiddleware())
    let routeIndex = RouteIndex()
    router.add(middleware: MethodNotAllowedMiddleware(routes: routeIndex))
    router.add(
        middleware: RateLimitMiddleware(stage: .address, limiter: limiter, settings: settings, metrics: metrics))
    let credentials = Credentials(tokens: tokens, auth: services.auth)
    router.add(middleware: AuthMiddleware(credentials: credentials))
    router.add(
        middleware: RateLimitMiddleware(stage: .credential, limiter: limiter, settings: settings, metrics: metrics))
    HealthRoutes(database: services.database, writes: services.groupCommit).register(on: router)

    var table = RouteTable(router: router)
    table.add(
        .get, "/metrics", settings.isMetricsPublic ? nil : .admin, tag: "metrics",
        "Prometheus metrics: requests by route and status, latency, ingest counts, WebSocket connections.",
        APIOperation(responses: [
            APIResponse(
                status: 200, description: "The Prometheus text format 0.0.4.",
                content: [("text/plain", Schema.string())])
        ])
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
    IncidentRoutes(
        services: services, bodyLimit: configuration.bodyLimit,
        evidenceLimit: configuration.settings.evidenceLimit
    ).register(on: &table)
    AttackRoutes(services: services, bodyLimit: configuration.bodyLimit).register(on: &table)
    StreamRoutes(services: services, hub: hub, credentials: credentials, metrics: metrics).register(on: &table)
    IOCRoutes(services: services, bodyLimit: configuration.bodyLimit).register(on: &table)
    SLARoutes(services: services, bodyLimit: configuration.bodyLimit).register(on: &table)
    PlaybookRoutes(services: services, bodyLimit: configuration.bodyLimit).register(on: &table)
    AuditRoutes(services: services).register(on: &table)
    AccountRoutes(services: services, keys: credentials.keys, bodyLimit: configuration.bodyLimit).register(on: &table)
    let health = Schema.ref("Health")
    for (path, summary, responses) in [
        ("/healthz", "The process answers (for load balancers).", [APIResponse.json(200, "Alive.", health)]),
        (
            "/readyz", "The database answers and writes work: 200, or 503 with the reason.",
            [APIResponse.json(200, "Ready.", health), .json(503, "Not ready: `detail` says why.", health)]
        ),
        ("/api/v1/openapi.json", "This document.", [.json(200, "The OpenAPI 3.1 document.", Schema.any)]),
        (
            "/docs", "A page listing the operations.",
            [APIResponse(status: 200, description: "An HTML page.", content: [("text/html", Schema.string())])]
        ),
    ] {
        table.document(
            APIRoute(
                method: .get, path: path, permission: nil, summary: summary, tag: "service",
                operation: APIOperation(responses: responses)))
    }
    let routes = table.routes
    routeIndex.set(routes)
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
    services: AppServices, configuration: ServerConfiguration, metrics: ServerMetrics = ServerMetrics(),
    hub: StreamHub = StreamHub()
) async throws -> some ApplicationProtocol {
    let (router, _) = try await makeRouter(
        services: services, configuration: configuration, metrics: metrics, hub: hub)
    let relay = EventRelay(
        services: services, hub: hub, retention: configuration.eventRetention,
        pollInterval: configuration.streamPollInterval)
    let address = BindAddress.hostname(configuration.host, port: configuration.port)
    // Pings every 30 s keep idle connections (and the proxies between) alive and find dead peers.
    let webSocket = HTTPServerBuilder.http1WebSocketUpgrade(
        webSocketRouter: router,
        configuration: .init(ws: .init(maxFrameSize: 1 << 16, autoPing: .enabled(timePeriod: .seconds(30)))))
    let server: HTTPServerBuilder
    if let certificate = configuration.tlsCertificate, let key = configuration.tlsKey {
        server = try .tls(
            webSocket,
            tlsConfiguration: try tlsConfiguration(
                certificate: certificate, key: key, clientCA: configuration.tlsClientCA))
    } else {
        server = webSocket
    }
    return Application(
        router: router, server: server,
        configuration: .init(address: address, serverName: "corerecon"),
        services: [relay],
        logger: services.logger)
}

/// TLS 1.2 minimum; 1.3 is negotiated when the client offers it. With `clientCA`, a client must show a certificate
/// that one of its CAs signed (the name in it is not checked: a client's address says nothing).
func tlsConfiguration(certificate: String, key: String, clientCA: String? = nil) throws -> TLSConfiguration {
    var configuration: TLSConfiguration
    do {
        let chain = try NIOSSLCertificate.fromPEMFile(certificate).map { NIOSSLCertificateSource.certificate($0) }
        let privateKey = try NIOSSLPrivateKey(file: key, format: .pem)
        configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain, privateKey: .privateKey(privateKey))
        configuration.minimumTLSVersion = .tlsv12
    } catch {
        throw CoreReconError.configuration(
            "cannot load TLS certificate \(certificate) or key \(key): \(error). Give PEM files.")
    }
    if let clientCA {
        let authorities = (try? NIOSSLCertificate.fromPEMFile(clientCA)) ?? []
        guard !authorities.isEmpty else {
            throw CoreReconError.configuration("--tls-client-ca \(clientCA) holds no PEM certificate")
        }
        configuration.trustRoots = .certificates(authorities)
        configuration.certificateVerification = .noHostnameVerification
    }
    return configuration
}

public enum ServerVersion {
    public static let current = "0.1.0"
}

/// Runs the server until SIGTERM or SIGINT, then shuts down in order: stream clients are closed with 1001 first,
/// then the HTTP server stops accepting and finishes in-flight requests, then the event relay stops.
///
/// Shutdown has a deadline (`server.shutdownTimeout`): in-flight requests get most of it, then what is still
/// running is cancelled, named on stderr, and the function throws ``ShutdownCutShort`` (exit 70). A process that
/// still has not ended when the whole deadline has passed exits 70 by itself.
public func runServer(services: AppServices, configuration: ServerConfiguration) async throws {
    let hub = StreamHub()
    let metrics = ServerMetrics()
    let app = try await buildApplication(
        services: services, configuration: configuration, metrics: metrics, hub: hub)
    let limit = configuration.settings.shutdownTimeout
    // Bound before anything is served, so a syslog port in use or refused stops `serve` at once.
    var syslog: [ServiceGroupConfiguration.ServiceConfiguration] = []
    if !configuration.syslog.listen.isEmpty {
        let tls = try configuration.tlsCertificate.flatMap { certificate in
            try configuration.tlsKey.map {
                try tlsConfiguration(certificate: certificate, key: $0, clientCA: configuration.tlsClientCA)
            }
        }
        syslog.append(
            .init(
                service: try await SyslogServer.bind(
                    services: services, settings: configuration.syslog, tls: tls, metrics: metrics)))
    }
    var group = ServiceGroupConfiguration(
        services: syslog + [
            .init(service: app), .init(service: StreamCloser(hub: hub)),
            .init(service: FeedScheduler(services: services)), .init(service: SLAEvaluator(services: services)),
            .init(service: PlaybookRunner(services: services)),
            .init(service: RetentionScheduler(services: services, settings: configuration.retention)),
            .init(service: ShutdownDeadline(limit: limit, logger: services.logger)),
        ],
        gracefulShutdownSignals: [.sigterm, .sigint], logger: services.logger)
    group.maximumGracefulShutdownDuration = limit * 0.7
    group.maximumCancellationDuration = limit * 0.2
    try await ServiceGroup(configuration: group).run()
    let cut = metrics.cutShort.load(ordering: .relaxed)
    if cut > 0 {
        let description = "\(cut) requests in flight"
        services.logger.error("Shutdown cut requests short", metadata: ["requests": "\(cut)"])
        FileHandle.standardError.write(
            Data(
                "error: shutdown did not finish within \((limit * 0.7).seconds) s (70 % of server.shutdownTimeout); cut short: \(description)\n"
                    .utf8))
        throw ShutdownCutShort(description: description)
    }
}

/// Shutdown ended only by cancelling requests that were still running; `description` says what.
public struct ShutdownCutShort: Error, CustomStringConvertible {
    public var description: String
}

/// Once shutdown starts, gives the process `limit` to end, then exits 70 from a thread of its own (it must fire
/// even if every task is stuck). The service group shuts services down last to first, so this, the last, starts
/// the clock first.
public struct ShutdownDeadline: Service {
    let limit: Duration
    let logger: Logger

    public init(limit: Duration, logger: Logger) {
        self.limit = limit
        self.logger = logger
    }

    public func run() async throws {
        try? await gracefulShutdown()
        let (limit, logger) = (limit, logger)
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: limit.seconds)
            logger.critical("Shutdown did not end; exiting", metadata: ["after": "\(limit)"])
            FileHandle.standardError.write(
                Data("error: shutdown did not end within \(limit.seconds) s (server.shutdownTimeout); exiting\n".utf8))
            exit(70)
        }
    }
}

/// On graceful shutdown, closes every stream with 1001 (going away) before the HTTP server shuts down (a service
/// group shuts its services down last to first, so this one goes before the application).
public struct StreamCloser: Service {
    let hub: StreamHub

    public init(hub: StreamHub) {
        self.hub = hub
    }

    public func run() async throws {
        try? await gracefulShutdown()
        hub.shutdown()
        await hub.waitForConnectionsToClose()
    }
}
