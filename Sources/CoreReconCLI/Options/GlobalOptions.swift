import ArgumentParser
import CoreRecon
import CoreReconStore
import Foundation
import Logging

/// Options every subcommand takes: where the database is, how to print, how much to say.
struct GlobalOptions: ParsableArguments {
    @Option(
        name: .customLong("database-url"),
        help: ArgumentHelp(
            "Database to use: sqlite:PATH, sqlite::memory: or postgres://USER@HOST:PORT/DB (env: CORERECON_DATABASE_URL).",
            valueName: "url"
        )
    )
    var databaseURL: String?

    @Option(
        help: ArgumentHelp(
            "A running `corerecon serve` to work against instead of the database (env: CORERECON_SERVER; see `corerecon context`).",
            valueName: "url"
        )
    )
    var server: String?

    @Option(
        name: .customLong("ca-file"),
        help: ArgumentHelp(
            "PEM certificates to trust for --server instead of the system's (env: CORERECON_CA_FILE).",
            valueName: "path"),
        completion: .file(extensions: ["pem", "crt"])
    )
    var caFile: String?

    @Flag(help: "Do not check the server's TLS certificate: warned about on every use, never read from a file.")
    var insecure = false

    @Option(
        name: .customLong("client-cert"),
        help: ArgumentHelp(
            "PEM client certificate for a --server that asks for one, with --client-key (env: CORERECON_CLIENT_CERT).",
            valueName: "path"),
        completion: .file(extensions: ["pem", "crt"])
    )
    var clientCertificate: String?

    @Option(
        name: .customLong("client-key"),
        help: ArgumentHelp(
            "PEM private key of --client-cert, not protected by a passphrase (env: CORERECON_CLIENT_KEY).",
            valueName: "path"),
        completion: .file(extensions: ["pem", "key"])
    )
    var clientKey: String?

    @Option(
        help: ArgumentHelp(
            "Config file to read (default: $XDG_CONFIG_HOME/corerecon/config.yaml).",
            valueName: "path"
        ),
        completion: .file(extensions: ["yaml", "yml"])
    )
    var config: String?

    @Option(help: ArgumentHelp("Log level for messages on stderr (env: CORERECON_LOG_LEVEL).", valueName: "level"))
    var logLevel: LogLevelOption?

    @Option(help: "Output format: table for people; json, ndjson or csv for pipelines; md for Markdown.")
    var format: OutputFormat = .table

    @Flag(help: "Do not color the output (also when NO_COLOR is set).")
    var noColor = false

    @Flag(name: [.short, .long], help: "Print only results and errors: no summaries or notices.")
    var quiet = false

    /// Builds the configuration: these flags > `CORERECON_*` environment > config file > defaults.
    func loadConfig(environment: [String: String] = ProcessInfo.processInfo.environment) throws(CoreReconError)
        -> AppConfig
    {
        var flags: [AppConfig.Key: String] = [:]
        flags[.databaseURL] = databaseURL
        flags[.logLevel] = logLevel?.rawValue
        return try AppConfig.load(.init(flags: flags, environment: environment, configPath: config))
    }

    /// The server to work against, and what chose it, when a command is to go over the API: --server, else
    /// CORERECON_SERVER, else the current context (`corerecon context use`), else `server.url` in the config file;
    /// nil for the database. --database-url (or CORERECON_DATABASE_URL) beside a server at the same level is a
    /// conflict, not a guess.
    func remoteTarget(
        config: AppConfig, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(CoreReconError) -> (target: RemoteTarget, origin: String)? {
        func nonEmpty(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        if server != nil, databaseURL != nil {
            throw .configuration("give --server or --database-url, not both")
        }
        if databaseURL != nil { return nil }
        let contexts = ContextStore(environment: environment)
        var chosen: (url: String, origin: String, context: ContextStore.Context?)?
        if let server {
            chosen = (server, "--server", nil)
        } else if let url = nonEmpty("CORERECON_SERVER") {
            guard nonEmpty("CORERECON_DATABASE_URL") == nil else {
                throw .configuration("both CORERECON_SERVER and CORERECON_DATABASE_URL are set; unset one")
            }
            chosen = (url, "CORERECON_SERVER", nil)
        } else if nonEmpty("CORERECON_DATABASE_URL") != nil {
            return nil
        } else if let (name, context) = try contexts.current() {
            chosen = (context.server, "context \(name)", context)
        } else if let url = config.serverURL {
            chosen = (url, config.serverURLOrigin ?? "server.url", nil)
        }
        guard let chosen else { return nil }
        // Each of the pair comes from the same place as the other: a flag's key never meets a context's certificate.
        let pairs: [(certificate: String?, key: String?, origin: String)] = [
            (clientCertificate, clientKey, "--client-cert and --client-key"),
            (
                nonEmpty("CORERECON_CLIENT_CERT"), nonEmpty("CORERECON_CLIENT_KEY"),
                "CORERECON_CLIENT_CERT and CORERECON_CLIENT_KEY"
            ),
            (chosen.context?.clientCert, chosen.context?.clientKey, "\(chosen.origin): clientCert and clientKey"),
            (config.serverClientCert, config.serverClientKey, "server.clientCert and server.clientKey"),
        ]
        var client: RemoteTarget.ClientCertificate?
        for pair in pairs where pair.certificate != nil || pair.key != nil {
            guard let certificate = pair.certificate, let key = pair.key else {
                throw .configuration("\(pair.origin) go together; give both or neither")
            }
            client = .init(certificate: certificate, key: key)
            break
        }
        do {
            let target = try RemoteTarget(
                server: chosen.url, token: nonEmpty("CORERECON_TOKEN"),
                caFile: caFile ?? nonEmpty("CORERECON_CA_FILE") ?? chosen.context?.caFile ?? config.serverCAFile,
                insecure: insecure, clientCertificate: client)
            return (target, chosen.origin)
        } catch {
            throw .configuration("\(chosen.origin): \(error)")
        }
    }

    /// Where results go, in the chosen format.
    func makeOutput(environment: [String: String] = ProcessInfo.processInfo.environment) -> Output {
        let colorAllowed = !noColor && environment["NO_COLOR"].map(\.isEmpty) ?? true
        return Output(format: format, useColor: colorAllowed && Terminal.isTerminal(.standardOutput), quiet: quiet)
    }
}

enum LogLevelOption: String, ExpressibleByArgument, CaseIterable {
    case trace, debug, info, notice, warning, error, critical
}
