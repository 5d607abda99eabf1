import ArgumentParser
import CoreRecon
import CoreReconServer
import CoreReconStore
import Foundation
import Hummingbird
import Logging

/// `corerecon serve`: the REST API and webhooks.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the REST API (/api/v1), SIEM webhooks, health checks and API docs.",
        discussion: """
            Access tokens are JWTs signed with CORERECON_JWT_SECRET (HS256, 32 bytes or more) or with the key in \
            --jwt-secret-file / CORERECON_JWT_SECRET_FILE (an HS256 secret, or a PEM private key for RS256 or \
            ES256); the server refuses to start without one. CORERECON_JWT_ISSUER, CORERECON_JWT_AUDIENCE and \
            CORERECON_JWT_LIFETIME (default 15m) tune the tokens. Webhooks accept an API key with the ingest \
            role, or an HMAC-SHA256 signature made with CORERECON_WEBHOOK_SECRET_<SOURCE>.

            Requests are rate-limited per client address (server.rateLimit.perAddress, default 12000 a minute), \
            per credential (server.rateLimit.perToken, 6000) and, for POST /api/v1/auth/token, per address \
            (server.rateLimit.tokenEndpoint, 10): over the limit the answer is 429 with Retry-After. GET /metrics \
            serves Prometheus metrics, publicly unless server.metricsPublic is false (then it needs an admin).

            SIGTERM or SIGINT stops accepting connections, finishes in-flight requests and closes the database, \
            within server.shutdownTimeout (default 10s): requests still running after 70 % of it are cancelled \
            (503), named on stderr, and the exit code is 70. A database that goes away (a PostgreSQL restart, a \
            full disk) gets 503 with Retry-After until it is back; /readyz says why. Changes made by any process \
            (CLI commands, cron jobs, other instances) reach the WebSocket stream. On SQLite run a single \
            instance. Docs: /docs and /api/v1/openapi.json.

            --syslog (or syslog.listen) receives alerts over syslog: CEF and LEEF lines and JSON, each with or \
            without an RFC 3164 or RFC 5424 header, through the same pipeline as webhooks. syslog.senders labels \
            senders by address or network (source, and optionally format); others are labelled syslog. Messages \
            wait in a queue of syslog.queue bytes (default 32MB): when it is full, TCP and TLS connections are not \
            read until there is room, and UDP messages are dropped and counted in corerecon_syslog_dropped_total.
            """
    )

    @OptionGroup var global: GlobalOptions
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0 picks a free one).") var port = 8080
    @Option(name: .customLong("tls-cert"), help: ArgumentHelp("PEM certificate chain: serve HTTPS.", valueName: "path"))
    var tlsCertificate: String?
    @Option(name: .customLong("tls-key"), help: ArgumentHelp("PEM private key of the certificate.", valueName: "path"))
    var tlsKey: String?
    @Option(
        name: .customLong("tls-client-ca"),
        help: ArgumentHelp(
            "PEM certificates of the CAs whose client certificates are accepted: every client must show one (mutual TLS).",
            valueName: "path"))
    var tlsClientCA: String?
    @Option(
        name: .customLong("jwt-secret-file"),
        help: ArgumentHelp("File holding the JWT secret or PEM private key.", valueName: "path"))
    var jwtSecretFile: String?
    @Option(help: ArgumentHelp("Largest request body, in MB.", valueName: "MB")) var bodyLimit = 10
    @Option(
        help: ArgumentHelp(
            """
            Receive CEF, LEEF and JSON alerts over syslog: comma-separated udp://HOST:PORT, tcp://HOST:PORT (RFC 6587 \
            framing) and tls://HOST:PORT (RFC 5425, with --tls-cert) listeners (also syslog.listen).
            """, valueName: "listeners"))
    var syslog: String?
    @Flag(
        help: """
            Behind a reverse proxy: rate-limit by the last X-Forwarded-For address (the one the proxy adds), \
            not the connection's (also server.trustProxy).
            """)
    var trustProxy = false

    func validate() throws {
        guard (tlsCertificate == nil) == (tlsKey == nil) else {
            throw ValidationError("--tls-cert and --tls-key go together.")
        }
        guard tlsClientCA == nil || tlsCertificate != nil else {
            throw ValidationError(
                "--tls-client-ca needs --tls-cert and --tls-key: client certificates are part of TLS.")
        }
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0 to 65535.") }
        guard bodyLimit > 0 else { throw ValidationError("--body-limit must be 1 MB or more.") }
        if let syslog {
            do {
                let endpoints = try SyslogSettings.parseEndpoints(syslog)
                if endpoints.contains(where: { $0.transport == .tls }), tlsCertificate == nil {
                    throw ValidationError("a tls:// syslog listener needs --tls-cert and --tls-key.")
                }
            } catch let error as CoreReconError {
                throw ValidationError("--syslog: \(error)")
            }
        }
    }

    func run() async throws {
        do {
            let environment = ProcessInfo.processInfo.environment
            var config = try global.loadConfig()
            // Concurrent requests read SQLite through read-only connections beside the writer.
            config.sqliteReaders = 3
            config.sqliteBackgroundCheckpoint = true
            config.connectionPool = true
            let jwt = try JWTSettings.load(secretFile: jwtSecretFile, environment: environment)
            // One JSON object per line on stderr; access logs are at info, so info is the quietest level served.
            var logger = Logger(label: "corerecon") { JSONLogHandler(label: $0) }
            logger.logLevel = min(config.logLevel, .info)
            var settings = config.server
            settings.trustProxy = settings.trustProxy || trustProxy
            var server = ServerConfiguration(
                host: host, port: port, tlsCertificate: tlsCertificate, tlsKey: tlsKey, jwt: jwt,
                bodyLimit: bodyLimit * 1_024 * 1_024,
                webhookSecrets: WebhookSecrets.from(environment: environment), settings: settings)
            server.tlsClientCA = tlsClientCA
            server.retention = config.retention
            server.syslog = config.syslog
            if let syslog { server.syslog.listen = try SyslogSettings.parseEndpoints(syslog) }
            try await AppServices.withLive(config, logger: logger) { services in
                try await runServer(services: services.withGroupCommit(), configuration: server)
            }
        } catch let error as CoreReconError {
            Terminal.printError("error: \(error)")
            throw ExitCode(error.exitCode)
        } catch is ShutdownCutShort {
            // Already named on stderr when it was cut short.
            throw ExitCode(70)
        }
    }
}
