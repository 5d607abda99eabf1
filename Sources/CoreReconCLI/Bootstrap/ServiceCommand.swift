import ArgumentParser
import CoreRecon
import CoreReconStore
import Foundation
import Logging

/// A subcommand that needs CoreRecon's services. Errors become one `error:` line on stderr and an exit code.
protocol ServiceCommand: AsyncParsableCommand {
    var global: GlobalOptions { get }
    /// How the command treats the schema: most require it current; `migrate` takes it as it is.
    static var schemaPolicy: AppServices.SchemaPolicy { get }
    /// Read-only SQLite connections beside the writer, for a command that reads while it writes.
    static var sqliteReaders: Int { get }
    func run(using services: AppServices, output: Output) async throws
}

extension ServiceCommand {
    static var schemaPolicy: AppServices.SchemaPolicy { .prepare }
    static var sqliteReaders: Int { 0 }

    func run() async throws {
        do {
            var config = try global.loadConfig()
            config.sqliteReaders = max(config.sqliteReaders, Self.sqliteReaders)
            var logger = Logger(label: "corerecon")
            logger.logLevel = config.logLevel
            let output = global.makeOutput()
            try await AppServices.withLive(config, logger: logger, schema: Self.schemaPolicy) { services in
                try await run(using: services, output: output)
            }
        } catch let error as CoreReconError {
            Terminal.printError("error: \(error)")
            throw ExitCode(error.exitCode)
        }
    }

    /// Prints a notice on stderr unless `--quiet` was given.
    func notice(_ message: String) {
        if !global.quiet { Terminal.printError(message) }
    }
}

extension CoreReconError {
    /// The process exit code for this error, as documented in the README and man page.
    var exitCode: Int32 {
        switch self {
        case .notFound, .conflict, .failed: 1
        case .invalidInput: 65
        case .unavailable: 69
        case .configuration, .schemaBehind, .schemaNewer: 78
        }
    }
}
