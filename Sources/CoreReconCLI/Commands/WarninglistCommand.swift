import ArgumentParser
import CoreRecon
import CoreReconStore
import Foundation

/// `corerecon ioc warninglist`: MISP warninglists, values known not to be malicious.
struct WarninglistCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "warninglist",
        abstract: "MISP warninglists: import, list, check a value.",
        discussion: """
            A warninglist names values known not to be malicious: public DNS resolvers, cloud and CDN ranges, \
            sinkholes, hashes of empty files, URL shorteners. Types: string (exact), substring, hostname (the \
            name or anything under it), cidr (addresses in the networks) and regex. An indicator on one is \
            flagged when imported (`ioc import --force` does not flag), shown as such, and never matched; \
            importing a list flags (or clears) the indicators already stored.
            """,
        subcommands: [Import.self, List.self, Check.self])
}

extension WarninglistCommand {
    struct Import: ServiceCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import MISP warninglist files (list.json), replacing lists of the same name.")
        @OptionGroup var global: GlobalOptions
        @Argument(
            help: ArgumentHelp("Warninglist files or directories of them.", valueName: "path"), completion: .file())
        var paths: [String]
        @OptionGroup var actor: ActorOption

        func run(using services: AppServices, output: Output) async throws {
            struct Imported: Encodable {
                var name: String
                var type: String
                var entries: Int
                var indicatorsOnIt: Int
            }
            var imported: [Imported] = []
            for (name, bytes) in try FeedFiles.read(paths) where name.hasSuffix(".json") {
                let list = try Warninglist.parse(bytes, location: name)
                let flagged = try await services.indicators.importWarninglist(list, actor: actor.name)
                imported.append(
                    Imported(
                        name: list.name, type: list.kind.rawValue, entries: list.entries.count, indicatorsOnIt: flagged)
                )
            }
            try output.render(
                imported,
                columns: [
                    Column("name", maxWidth: 60) { $0.name }, Column("type") { $0.type },
                    Column("entries") { "\($0.entries)" }, Column("indicators on it") { "\($0.indicatorsOnIt)" },
                ], emptyMessage: "No warninglist files (*.json) found.")
        }
    }

    struct List: ServiceCommand {
        static let configuration = CommandConfiguration(abstract: "List the warninglists.")
        @OptionGroup var global: GlobalOptions

        func run(using services: AppServices, output: Output) async throws {
            struct Row: Encodable {
                var name: String
                var type: String
                var version: Int
                var entries: Int
                var description: String
            }
            let rows = try await services.indicators.warninglists().map {
                Row(
                    name: $0.name, type: $0.kind.rawValue, version: $0.version, entries: $0.entries.count,
                    description: $0.description)
            }
            try output.render(
                rows,
                columns: [
                    Column("name", maxWidth: 60) { $0.name }, Column("type") { $0.type },
                    Column("version") { "\($0.version)" },
                    Column("entries") { "\($0.entries)" },
                ], emptyMessage: "No warninglists; import some with `ioc warninglist import`.")
        }
    }

    struct Check: ServiceCommand {
        static let configuration = CommandConfiguration(
            abstract: "Say which warninglists a value is on; exit 0 when on one, 1 when on none.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The value (defanged values are refanged).") var value: String
        @Option(help: "Its type (default: detected).") var type: IndicatorType?

        func run(using services: AppServices, output: Output) async throws {
            let (report, lists) = try await services.indicators.checkWarninglists(value, type: type)
            if global.format.isForPeople {
                if lists.isEmpty {
                    print("\(report.type.rawValue) \(report.value): on no warninglist")
                } else {
                    print("\(report.type.rawValue) \(report.value): on \(lists.joined(separator: ", "))")
                }
            } else {
                struct Result: Encodable {
                    var type: String
                    var value: String
                    var warninglists: [String]
                }
                output.writeJSON(Result(type: report.type.rawValue, value: report.value, warninglists: lists))
            }
            if lists.isEmpty { throw ExitCode(1) }
        }
    }
}
