import ArgumentParser
import CoreRecon
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

    /// Where results go, in the chosen format.
    func makeOutput(environment: [String: String] = ProcessInfo.processInfo.environment) -> Output {
        let colorAllowed = !noColor && environment["NO_COLOR"].map(\.isEmpty) ?? true
        return Output(format: format, useColor: colorAllowed && Terminal.isTerminal(.standardOutput), quiet: quiet)
    }
}

enum LogLevelOption: String, ExpressibleByArgument, CaseIterable {
    case trace, debug, info, notice, warning, error, critical
}
