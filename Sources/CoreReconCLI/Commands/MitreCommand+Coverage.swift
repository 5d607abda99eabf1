import ArgumentParser
import CoreRecon
import CoreReconStore
import Foundation

/// Which alerts or incidents coverage counts: `--from` and `--since`.
struct CoverageOptions: ParsableArguments {
    @Option(help: "Count techniques of alerts or incidents.")
    var from: ATTACKCoverageSource = .alerts

    @Option(
        help: ArgumentHelp(
            "Only alerts last seen (incidents created) since this time: 24h, 30d, 2w, or a timestamp.",
            valueName: "time"))
    var since: String?

    func sinceDate(now: Date) throws -> Date? {
        try since.map { text throws(CoreReconError) in try TimeExpression.parse(text, now: now, option: "--since") }
    }
}

extension MitreCommand {
    struct Coverage: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "coverage",
            abstract: "Show which ATT&CK techniques alerts or incidents carried, per tactic.",
            discussion: """
                On a terminal: a matrix with a column per tactic and the techniques seen under it with their \
                counts, most frequent first. A technique mapped with a tactic counts under that tactic; one \
                without, under each of its tactics. --format json gives every technique and tactic for scripts.
                """
        )
        @OptionGroup var global: GlobalOptions
        @OptionGroup var coverage: CoverageOptions

        @Option(help: "Only this domain's tactics: enterprise, mobile or ics (default: every imported one).")
        var domain: ATTACKDomain?

        func run(with services: any CommandServices, output: Output) async throws {
            let since = try coverage.sinceDate(now: services.now())
            let report = try await services.attackLookups.coverage(from: coverage.from, since: since, domain: domain)
            let depth = report.tactics.map(\.techniques.count).max() ?? 0
            let rows = (0..<depth).map { row in
                report.tactics.map { column in
                    row < column.techniques.count
                        ? "\(column.techniques[row].id) \(column.techniques[row].count)" : ""
                }
            }
            let columns = report.tactics.enumerated().map { index, column in
                Column<[String]>(column.tactic.name) { $0[index] }
            }
            let unknown = report.techniques.filter { !$0.isKnown }.map(\.id)
            try output.render(
                rows, columns: columns, document: report,
                summary: [
                    "source": coverage.from.rawValue + (since.map { " since " + ISO8601Format.forPeople($0) } ?? ""),
                    "catalog": report.catalog,
                    "techniques": "\(report.techniques.count - unknown.count) seen"
                        + (unknown.isEmpty ? "" : ", not in the catalog: " + unknown.joined(separator: ", ")),
                ],
                emptyMessage: "No techniques seen.")
        }
    }

    struct Layer: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "layer",
            abstract: "Export coverage as an ATT&CK Navigator layer, or compare a layer with coverage.",
            subcommands: [Export.self, Import.self]
        )
    }
}

extension MitreCommand.Layer {
    struct Export: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Write coverage as an ATT&CK Navigator layer (layer format 4.5).",
            discussion: """
                Each technique seen is scored with its count, under the tactic it was seen with, on a white to \
                red gradient; parents of seen sub-techniques are expanded. Open the file in the ATT&CK Navigator \
                (Open Existing Layer → Upload from local).
                """
        )
        @OptionGroup var global: GlobalOptions
        @OptionGroup var coverage: CoverageOptions

        @Option(help: "The layer's domain: enterprise, mobile or ics.")
        var domain: ATTACKDomain = .enterprise

        @Option(name: .shortAndLong, help: ArgumentHelp("The file to write, `-` for stdout.", valueName: "path"))
        var out: String

        @Option(help: ArgumentHelp("The layer's name.", valueName: "name"))
        var name: String?

        func run(with services: any CommandServices, output: Output) async throws {
            let since = try coverage.sinceDate(now: services.now())
            // The layer is the coverage of its domain, drawn here from whichever side answers.
            let layer = NavigatorLayer(
                coverage: try await services.attackLookups.coverage(from: coverage.from, since: since, domain: domain),
                domain: domain, name: name ?? "CoreRecon \(coverage.from.rawValue) coverage",
                generator: "corerecon \(CoreReconVersion.current)")
            let data = try Output.prettyEncoder.encode(layer) + Data("\n".utf8)
            if out == "-" {
                FileHandle.standardOutput.write(data)
                return
            }
            guard FileManager.default.createFile(atPath: out, contents: data) else {
                throw CoreReconError.failed("cannot write \(out): check that its directory exists and is writable.")
            }
            notice("wrote \(out): \(layer.techniques.filter { $0.score != nil }.count) techniques (\(layer.domain))")
        }
    }

    struct Import: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Compare an ATT&CK Navigator layer (format 3.0 to 4.5) with coverage.",
            discussion: """
                Every technique id of the layer must be in the catalog of its domain; unknown ids are listed and \
                the exit code is 65. A technique is in the layer when it has a score, a color or a comment and is \
                not disabled. Prints the techniques only in the layer, only seen, and in both; the layer itself is \
                not stored.
                """
        )
        @OptionGroup var global: GlobalOptions
        @OptionGroup var coverage: CoverageOptions

        @Argument(help: ArgumentHelp("The layer file.", valueName: "file"), completion: .file(extensions: ["json"]))
        var file: String

        func run(with services: any CommandServices, output: Output) async throws {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw CoreReconError.invalidInput(location: file, reason: "cannot be read (missing or not a file).")
            }
            let layer = try NavigatorLayerDocument.parse(Array(data), source: file)
            let since = try coverage.sinceDate(now: services.now())
            let comparison = try await services.attackLookups.compare(
                layer, bytes: Array(data), name: file, from: coverage.from, since: since)
            struct Row: Encodable {
                var status: String
                var item: LayerComparison.Item
            }
            let rows =
                comparison.layerOnly.map { Row(status: "layer only", item: $0) }
                + comparison.seenOnly.map { Row(status: "seen only", item: $0) }
                + comparison.both.map { Row(status: "both", item: $0) }
            try output.render(
                rows,
                columns: [
                    Column("status") { $0.status }, Column("id") { $0.item.id }, Column("name") { $0.item.name },
                    Column("seen") { "\($0.item.count)" },
                    Column("score") { $0.item.score.map { String(format: "%g", $0) } ?? "-" },
                ],
                document: comparison,
                summary: [
                    "layer": "\(comparison.layer) (format \(comparison.layerVersion), \(comparison.domain.rawValue))",
                    "catalog": comparison.catalog,
                    "difference": "\(comparison.layerOnly.count) only in the layer, \(comparison.seenOnly.count) "
                        + "only seen in \(comparison.source.rawValue), \(comparison.both.count) in both",
                    "outdated": comparison.outdated.isEmpty ? "-" : comparison.outdated.joined(separator: ", "),
                ],
                emptyMessage: "Neither the layer nor the \(comparison.source.rawValue) have techniques.")
        }
    }
}
