import ArgumentParser
import CoreRecon
import CoreReconStore
import Foundation

/// `corerecon mitre`: MITRE ATT&CK look-ups, imports, coverage and Navigator layers.
struct MitreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mitre",
        abstract: "Look up MITRE ATT&CK, import its data, and measure coverage.",
        discussion: """
            Look-ups answer from ATT&CK data imported into the database (`mitre import FILE`, `mitre sync`) \
            when there is some, else from the ATT&CK Enterprise catalog compiled into corerecon (ATT&CK \
            \(ATTACKCatalog.embeddedVersion)), so they work offline; a notice on stderr (and a `catalog` field in \
            JSON) says which answered. © 2025 The MITRE Corporation. This work is reproduced and distributed with \
            the permission of The MITRE Corporation.
            """,
        subcommands: [
            Import.self, Sync.self, Tactics.self, Techniques.self, Show.self, Coverage.self, Layer.self,
        ]
    )
}

extension ATTACKDomain: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
    public static var allValueStrings: [String] { allCases.map(\.shortName) }
}

extension ATTACKCoverageSource: ExpressibleByArgument {}

extension MitreCommand {
    struct Tactics: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tactics", abstract: "List the tactics in matrix order.")
        @OptionGroup var global: GlobalOptions

        @Option(help: "Only this domain: enterprise, mobile or ics (default: every imported one).")
        var domain: ATTACKDomain?

        func run(with services: any CommandServices, output: Output) async throws {
            let (tactics, source) = try await services.attackLookups.tactics(domain: domain)
            notice("catalog: \(source)")
            try output.render(
                tactics,
                columns: [
                    Column("id") { $0.id }, Column("short name") { $0.shortName }, Column("name") { $0.name },
                    Column("domain") { $0.domain.shortName },
                ]
            )
        }
    }

    struct Techniques: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "techniques",
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

        @Option(help: "Only this domain: enterprise, mobile or ics (default: every imported one).")
        var domain: ATTACKDomain?

        func run(with services: any CommandServices, output: Output) async throws {
            var tacticFilter: ATTACKTactic?
            if let tactic {
                // The tactics of the side that answers, so a tactic only imported data has is found.
                let (tactics, _) = try await services.attackLookups.tactics(domain: domain)
                let catalog = ATTACKCatalog(version: "", source: "", tactics: tactics, techniques: [])
                guard let found = catalog.tactic(tactic) else {
                    let known = tactics.map(\.shortName).joined(separator: ", ")
                    throw ValidationError("Unknown tactic '\(tactic)'. Tactics: \(known).")
                }
                tacticFilter = found
            }
            let (techniques, source) = try await services.attackLookups.techniques(
                tactic: tacticFilter, platform: platform, search: search, domain: domain)
            notice("catalog: \(source)")
            try output.render(
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

    struct Show: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract:
                "Show a technique: tactics, platforms, mitigations, and the groups, campaigns and software using it.",
            discussion: """
                Also its description and detection advice, its sub-techniques or parent, and, when ATT&CK revoked \
                or deprecated it, its replacement. Mitigations, groups, software and descriptions come from \
                imported data; the embedded catalog has names, tactics and platforms only.
                """
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The technique id, for example T1059.001.") var id: String

        func run(with services: any CommandServices, output: Output) async throws {
            let detail = try await services.attackLookups.technique(id)
            if global.format == .json || global.format == .ndjson {
                output.writeJSON(detail)
                return
            }
            notice("catalog: \(detail.catalog)")
            let technique = detail.technique
            func list(_ references: [ATTACKReference]) -> String {
                references.map { "\($0.id) \($0.name)" }.joined(separator: "; ")
            }
            var lines: [(String, String)] = [("id", technique.id), ("name", technique.name)]
            if let parent = detail.parent { lines.append(("parent", "\(parent.id) \(parent.name)")) }
            lines += [
                ("tactics", detail.tactics.map { "\($0.name) (\($0.id))" }.joined(separator: ", ")),
                ("platforms", technique.platforms.joined(separator: ", ")),
            ]
            if technique.isRevoked || technique.isDeprecated {
                let state = technique.isRevoked ? "revoked" : "deprecated"
                let replacement = detail.replacedBy.map { ", replaced by \($0.id) \($0.name)" } ?? ""
                lines.append(("status", state + replacement))
            }
            let related: [(String, [ATTACKReference])] = [
                ("sub-techniques", detail.subtechniques), ("mitigations", detail.mitigations),
                ("groups", detail.groups), ("campaigns", detail.campaigns), ("software", detail.software),
            ]
            for (label, references) in related where !references.isEmpty {
                lines.append((label, "\(references.count): " + list(references)))
            }
            lines.append(("url", detail.url))
            if let description = detail.description { lines.append(("description", Self.plain(description))) }
            if let detection = detail.detection { lines.append(("detection", Self.plain(detection))) }
            try output.renderKeyValues(lines)
        }

        /// ATT&CK prose without its `(Citation: ...)` markers, on one line.
        static func plain(_ text: String) -> String {
            var result = ""
            var rest = Substring(text)
            while let start = rest.range(of: "(Citation:") {
                result += rest[..<start.lowerBound]
                guard let end = rest[start.upperBound...].firstIndex(of: ")") else {
                    rest = rest[rest.endIndex...]
                    break
                }
                rest = rest[rest.index(after: end)...]
            }
            result += rest
            return result.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }.joined(separator: " ")
        }
    }
}
