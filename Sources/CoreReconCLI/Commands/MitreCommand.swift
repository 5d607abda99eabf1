import ArgumentParser
import CoreRecon
import Foundation

/// `corerecon mitre`: look up ATT&CK tactics and techniques.
struct MitreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mitre",
        abstract: "Look up MITRE ATT&CK tactics and techniques.",
        discussion: """
            Answers from the ATT&CK Enterprise catalog compiled into corerecon (ATT&CK \
            \(ATTACKCatalog.embeddedVersion)), so it works offline. © 2025 The MITRE Corporation. This work is \
            reproduced and distributed with the permission of The MITRE Corporation.
            """,
        subcommands: [Tactics.self, Techniques.self, Show.self]
    )
}

extension MitreCommand {
    struct Tactics: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the tactics in matrix order.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let catalog = ATTACKCatalog.embedded
            try global.makeOutput().render(
                catalog.tactics,
                columns: [
                    Column("id") { $0.id }, Column("short name") { $0.shortName }, Column("name") { $0.name },
                ]
            )
        }
    }

    struct Techniques: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List active techniques and sub-techniques, optionally by tactic, platform or words."
        )
        @OptionGroup var global: GlobalOptions

        @Option(
            help: ArgumentHelp("Only techniques of this tactic: id (TA0002), short name or name.", valueName: "tactic"))
        var tactic: String?

        @Option(
            help: ArgumentHelp("Only techniques for this platform (Windows, Linux, macOS, ...).", valueName: "platform")
        )
        var platform: String?

        @Option(help: ArgumentHelp("Only techniques whose id or name contains every word.", valueName: "words"))
        var search: String?

        func run() async throws {
            let catalog = ATTACKCatalog.embedded
            var tacticFilter: ATTACKTactic?
            if let tactic {
                guard let found = catalog.tactic(tactic) else {
                    let known = catalog.tactics.map(\.shortName).joined(separator: ", ")
                    throw ValidationError("Unknown tactic '\(tactic)'. Tactics: \(known).")
                }
                tacticFilter = found
            }
            let techniques = catalog.techniques(tactic: tacticFilter, platform: platform, search: search)
            try global.makeOutput().render(
                techniques,
                columns: [
                    Column("id") { $0.id }, Column("name") { $0.name },
                    Column("tactics") { $0.tactics.joined(separator: ",") },
                    Column("platforms") { $0.platforms.joined(separator: ",") },
                ],
                emptyMessage: "No technique matches."
            )
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a technique: name, tactics, platforms, sub-techniques, and its replacement if revoked."
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The technique id, for example T1059.001.") var id: String

        struct Report: Encodable {
            var technique: ATTACKTechnique
            var tactics: [ATTACKTactic]
            var parent: ATTACKTechnique?
            var subtechniques: [ATTACKTechnique]
            var url: String
        }

        func run() async throws {
            let catalog = ATTACKCatalog.embedded
            guard let technique = catalog.technique(id) else {
                Terminal.printError("error: technique \(id) not found in the ATT&CK \(catalog.version) catalog.")
                throw ExitCode(1)
            }
            let report = Report(
                technique: technique,
                tactics: technique.tactics.compactMap(catalog.tactic),
                parent: technique.isSubtechnique ? catalog.technique(technique.parentID) : nil,
                subtechniques: catalog.techniques.filter {
                    $0.isActive && $0.isSubtechnique && $0.parentID == technique.id
                },
                url: "https://attack.mitre.org/techniques/" + technique.id.replacingOccurrences(of: ".", with: "/")
            )
            let output = global.makeOutput()
            if global.format == .json || global.format == .ndjson {
                output.writeJSON(report)
                return
            }
            var lines: [(String, String)] = [
                ("id", technique.id), ("name", technique.name),
                ("tactics", report.tactics.map { "\($0.name) (\($0.id))" }.joined(separator: ", ")),
                ("platforms", technique.platforms.joined(separator: ", ")), ("url", report.url),
            ]
            if let parent = report.parent { lines.insert(("parent", "\(parent.id) \(parent.name)"), at: 2) }
            if !report.subtechniques.isEmpty {
                lines.append(
                    ("sub-techniques", report.subtechniques.map { "\($0.id) \($0.name)" }.joined(separator: "; ")))
            }
            if technique.isRevoked || technique.isDeprecated {
                let state = technique.isRevoked ? "revoked" : "deprecated"
                lines.append(("status", state + (technique.replacedBy.map { ", replaced by \($0)" } ?? "")))
            }
            try output.renderKeyValues(lines)
        }
    }
}
