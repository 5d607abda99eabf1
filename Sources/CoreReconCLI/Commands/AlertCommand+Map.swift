import ArgumentParser
import CoreRecon
import CoreReconStore
import Foundation

extension AlertCommand {
    /// The result of `alert map` and `alert unmap`, as printed.
    struct TechniqueChange: Encodable {
        var id: Int64
        var technique: String
        var techniques: [String]
    }

    struct Map: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "map",
            abstract: "Map an alert to an ATT&CK technique.",
            discussion: """
                The technique must be active in the ATT&CK catalog (imported data, else the embedded catalog): \
                unknown ids are refused, and so are revoked or deprecated ones, naming their replacement. \
                --tactic picks one of the technique's tactics (default: its only one). The change is recorded in \
                the alert's history with its actor.
                """
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The alert id.") var id: Int64
        @Argument(help: "The technique id, for example T1059.001.") var technique: String

        @Option(help: ArgumentHelp("The tactic: id (TA0002), short name or name.", valueName: "tactic"))
        var tactic: String?

        @Option(
            name: .customLong("as"),
            help: ArgumentHelp("Act as this user (default: CORERECON_USER, else the login name).", valueName: "user"))
        var actor: String?

        func run(with services: any CommandServices, output: Output) async throws {
            let techniques = try await services.mapTechnique(
                id, technique: technique, tactic: tactic, by: try services.actor(actor))
            try AlertCommand.render(
                TechniqueChange(id: id, technique: technique.uppercased(), techniques: techniques),
                global: global, output: output)
        }
    }

    struct Unmap: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "unmap",
            abstract: "Remove an ATT&CK technique from an alert.",
            discussion: "The change is recorded in the alert's history with its actor."
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The alert id.") var id: Int64
        @Argument(help: "The technique id.") var technique: String

        @Option(
            name: .customLong("as"),
            help: ArgumentHelp("Act as this user (default: CORERECON_USER, else the login name).", valueName: "user"))
        var actor: String?

        func run(with services: any CommandServices, output: Output) async throws {
            let techniques = try await services.unmapTechnique(id, technique: technique, by: try services.actor(actor))
            try AlertCommand.render(
                TechniqueChange(id: id, technique: technique.uppercased(), techniques: techniques),
                global: global, output: output)
        }
    }

    static func render(_ change: TechniqueChange, global: GlobalOptions, output: Output) throws {
        if global.format == .json || global.format == .ndjson {
            output.writeJSON(change)
            return
        }
        try output.renderKeyValues([
            ("alert", "\(change.id)"), ("techniques", AlertCommand.Show.describe(change.techniques)),
        ])
    }
}
