import ArgumentParser
import CoreRecon
import CoreReconStore
import Foundation

extension MitreCommand {
    struct Import: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Import ATT&CK STIX bundles: Enterprise, Mobile or ICS, STIX 2.0 or 2.1.",
            discussion: """
                Reads bundles as MITRE publishes them (enterprise-attack.json, ics-attack.json, ...) and stores \
                techniques, tactics, groups, software, mitigations, campaigns, data sources and components, assets, \
                detection strategies and analytics, and their relationships. Revoked and deprecated objects are kept \
                and marked. Other STIX types (identity, marking-definition) are skipped and counted.

                Each bundle replaces its domain's earlier import in place: objects are updated by STIX id, and \
                those the new bundle no longer has are removed (an object shared with another imported domain \
                stays for that domain). All files are imported in one transaction: a file that is not JSON or not \
                a STIX bundle fails the run (exit 65) and changes nothing. Over the API (an admin's) every file is \
                read and checked here first, then each goes up gzip-compressed and is imported in a transaction of \
                its own.
                """
        )
        @OptionGroup var global: GlobalOptions

        @Argument(help: ArgumentHelp("STIX bundle files.", valueName: "file"), completion: .file(extensions: ["json"]))
        var files: [String] = []

        func validate() throws {
            guard !files.isEmpty else { throw ValidationError("Name one or more STIX bundle files.") }
        }

        func run(with services: any CommandServices, output: Output) async throws {
            let started = ContinuousClock.now
            let progress = ProgressLine()
            var bundles: [ATTACKBundleFile] = []
            for file in files {
                progress.update("reading \(file)…")
                guard let data = FileManager.default.contents(atPath: file) else {
                    progress.clear()
                    throw CoreReconError.invalidInput(location: file, reason: "cannot be read (missing or not a file).")
                }
                do {
                    let bytes = Array(data)
                    bundles.append(
                        ATTACKBundleFile(name: file, bytes: bytes, bundle: try ATTACKBundle.parse(bytes, source: file)))
                } catch {
                    progress.clear()
                    throw error
                }
                progress.update("read \(bundles.count) of \(files.count) bundles")
            }
            progress.update("storing \(bundles.map(\.bundle.objects.count).reduce(0, +).grouped) objects…")
            let summaries = try await services.attackLookups.importBundles(bundles)
            progress.clear()
            MitreCommand.report(
                summaries, seconds: (ContinuousClock.now - started).seconds, command: self, output: output)
        }
    }

    struct Sync: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sync",
            abstract: "Download the latest ATT&CK bundle of a domain from MITRE and import it.",
            discussion: """
                Downloads from MITRE's public STIX data (the mitre.syncURL setting, CORERECON_MITRE_SYNC_URL: \
                \(AppConfig.defaultMITRESyncURL), with {domain} replaced), or from --url, then imports as \
                `mitre import` does. When the download fails (offline, refused, timed out after mitre.syncTimeout) \
                nothing changes and the exit code is 69. Over the API (an admin's) the server downloads, with its \
                network and its mitre.syncURL.
                """
        )
        @OptionGroup var global: GlobalOptions

        @Option(help: "The domain: enterprise, mobile or ics.")
        var domain: ATTACKDomain = .enterprise

        @Option(help: ArgumentHelp("Download from this URL instead.", valueName: "url"))
        var url: String?

        func run(with services: any CommandServices, output: Output) async throws {
            let started = ContinuousClock.now
            let progress = ProgressLine()
            progress.update("downloading \(url ?? "the latest \(domain.rawValue) bundle")…")
            defer { progress.clear() }
            let summary = try await services.attackLookups.sync(domain, url: url)
            progress.clear()
            MitreCommand.report(
                [summary], seconds: (ContinuousClock.now - started).seconds, command: self, output: output)
        }
    }

    /// Prints import summaries: JSON on stdout with --format json, else one line each on stderr.
    static func report(
        _ summaries: [ATTACKImportSummary], seconds: Double, command: some ServiceCommand, output: Output
    ) {
        if command.global.format == .json || command.global.format == .ndjson {
            output.writeJSON(summaries)
        }
        for summary in summaries {
            let counts = summary.counts
            func count(_ types: String...) -> String { types.map { counts[$0] ?? 0 }.reduce(0, +).grouped }
            let skipped = summary.skipped.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
            command.notice(
                "imported \(summary.record.label) from \(summary.record.source): \(count("attack-pattern")) techniques, "
                    + "\(count("x-mitre-tactic")) tactics, \(count("intrusion-set")) groups, "
                    + "\(count("malware", "tool")) software, \(count("course-of-action")) mitigations, "
                    + "\(count("campaign")) campaigns, \(summary.record.relationshipCount.grouped) relationships; "
                    + "\(summary.revoked.grouped) revoked and \(summary.deprecated.grouped) deprecated kept and marked; "
                    + "\(summary.added.grouped) new, \(summary.updated.grouped) updated, "
                    + "\(summary.removed.grouped) removed"
                    + (skipped.isEmpty ? "" : "; skipped \(skipped.joined(separator: ", "))"))
        }
        command.notice("done in \(String(format: "%.2f", seconds)) s")
    }
}
