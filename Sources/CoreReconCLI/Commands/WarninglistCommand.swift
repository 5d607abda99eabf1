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
    struct Import: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Import MISP warninglist files (list.json), replacing lists of the same name.",
            discussion: """
                Over the API each file goes up as read (within the server's --body-limit) to be stored there; it \
                is read and checked here first, so that an error names the file.
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(
            help: ArgumentHelp("Warninglist files or directories of them.", valueName: "path"), completion: .file())
        var paths: [String]
        @OptionGroup var actor: ActorOption

        func run(with services: any CommandServices, output: Output) async throws {
            let who = try services.actor(actor.actor)
            var imported: [WarninglistImport] = []
            for (name, bytes) in try FeedFiles.read(paths) where name.hasSuffix(".json") {
                let list = try Warninglist.parse(bytes, location: name)
                imported.append(try await services.warninglists.importList(list, bytes: bytes, file: name, by: who))
            }
            try output.render(
                imported,
                columns: [
                    Column("name", maxWidth: 60) { $0.name }, Column("type") { $0.type },
                    Column("entries") { "\($0.entries)" }, Column("indicators on it") { "\($0.indicatorsOnIt)" },
                ], emptyMessage: "No warninglist files (*.json) found.")
        }
    }

    struct List: RemoteCapableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the warninglists.")
        @OptionGroup var global: GlobalOptions

        func run(with services: any CommandServices, output: Output) async throws {
            try output.render(
                try await services.warninglists.lists(),
                columns: [
                    Column("name", maxWidth: 60) { $0.name }, Column("type") { $0.type },
                    Column("version") { "\($0.version)" },
                    Column("entries") { "\($0.entries)" },
                ], emptyMessage: "No warninglists; import some with `ioc warninglist import`.")
        }
    }

    struct Check: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Say which warninglists a value is on; exit 0 when on one, 1 when on none.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The value (defanged values are refanged).") var value: String
        @Option(help: "Its type (default: detected).") var type: IndicatorType?

        func run(with services: any CommandServices, output: Output) async throws {
            let result = try await services.warninglists.check(value, type: type)
            if global.format.isForPeople {
                let lists = result.warninglists
                print(
                    "\(result.type) \(result.value): on \(lists.isEmpty ? "no warninglist" : lists.joined(separator: ", "))"
                )
            } else {
                output.writeJSON(result)
            }
            if result.warninglists.isEmpty { throw ExitCode(1) }
        }
    }
}
