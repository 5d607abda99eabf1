import ArgumentParser
import CoreRecon
import CoreReconStore
import Foundation

/// `corerecon audit`: the append-only, hash-chained record of every change.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "List and verify the audit log.",
        discussion: """
            Every change made through the CLI or the API (alert triage, incident work, ingest batches, users and \
            API keys) appends one row in the same transaction as the change: time, actor, action, target and the \
            fields before and after (never secrets). Each row's SHA-256 covers its fields and the previous row's \
            hash, so `audit verify` finds any row that was altered, removed or reordered afterwards.
            """,
        subcommands: [List.self, Verify.self]
    )
}

extension AuditCommand {
    struct List: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List audit log rows, newest first.")
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("Only rows since: 30m, 24h, 7d, or a timestamp.", valueName: "time"))
        var since: String?
        @Option(
            help: ArgumentHelp("Only changes by this actor (a user, key:NAME or webhook:SOURCE).", valueName: "actor"))
        var actor: String?
        @Option(
            help: ArgumentHelp(
                "Only this action (incident.close), or every action under a prefix (incident).", valueName: "action"))
        var action: String?
        @Option(
            help: ArgumentHelp(
                "Only changes to this target (alert:42, incident:IR-2026-0001, user:ana, key:splunk).",
                valueName: "target"))
        var target: String?
        @Option(help: "Most rows to print (1 to 10000).") var limit = 100

        func validate() throws {
            guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be 1 to 10000.") }
            _ = try query(now: Date())
        }

        func query(now: Date) throws -> AuditQuery {
            do {
                let since = try since.map { text throws(CoreReconError) in
                    try TimeExpression.parse(text, now: now, option: "--since")
                }
                return AuditQuery(since: since, actor: actor, action: action, target: target, limit: limit)
            } catch {
                throw ValidationError("\(error)")
            }
        }

        func run(with services: any CommandServices, output: Output) async throws {
            let entries = try await services.auditList(try query(now: services.now()))
            try output.render(
                entries,
                columns: [
                    Column("id") { "\($0.id)" }, Column("at", time: { $0.at }),
                    Column("actor") { $0.actor }, Column("action") { $0.action }, Column("target") { $0.target },
                    Column("summary") { $0.changes?.text ?? $0.summary },
                ], emptyMessage: "No audit rows match.")
        }
    }

    struct Verify: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Recompute the hash chain; exit 1 naming the first broken row.",
            discussion: """
                Checks that ids are consecutive, that each row's hash matches its fields and links to the row \
                before, and that the newest row is the one the log's head records. Prints the number of rows \
                checked and the last hash (keep it elsewhere to detect a rewrite of the whole log), or the first \
                row that was altered, removed or reordered, and exits 1.
                """)
        @OptionGroup var global: GlobalOptions

        func run(with services: any CommandServices, output: Output) async throws {
            let result = try await services.auditVerify()
            if global.format.isForPeople || global.format == .csv {
                var pairs = [
                    ("status", result.isIntact ? "intact" : "broken"), ("rows checked", "\(result.rowsChecked)"),
                    ("last good row", "\(result.lastID)"), ("last hash", result.lastHash),
                ]
                if let problem = result.problem {
                    pairs += [
                        ("broken row", "\(problem.id)"), ("problem", problem.kind.rawValue), ("detail", problem.detail),
                    ]
                }
                try output.renderKeyValues(pairs)
            } else {
                output.writeJSON(result)
            }
            if let problem = result.problem {
                Terminal.printError("error: the audit log is broken at \(problem)")
                throw ExitCode(1)
            }
        }
    }
}
