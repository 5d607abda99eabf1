import ArgumentParser
import CoreRecon
import CoreReconStore
import Foundation

extension AlertCommand {
    struct Explain: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "explain",
            abstract: "Show why records merged into an alert: its fingerprint fields and every occurrence."
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The alert id.") var id: Int64

        struct Report: Encodable {
            struct Occurrence: Encodable {
                var deliveryKey: String
                var eventTime: Date?
                var receivedAt: Date
            }

            var id: Int64
            var fingerprint: String
            var fields: [FingerprintPart]
            var occurrences: Int
            var deliveries: [Occurrence]
        }

        func run(with services: any CommandServices, output: Output) async throws {
            let explanation = try await services.explainAlert(id)
            let (alert, basis, deliveries) = (explanation.alert, explanation.fields, explanation.deliveries)
            let report = Report(
                id: alert.id, fingerprint: alert.fingerprint, fields: basis, occurrences: alert.occurrences,
                deliveries: deliveries.map {
                    .init(deliveryKey: $0.key, eventTime: $0.eventTime, receivedAt: $0.receivedAt)
                }
            )
            try output.render(
                report.deliveries,
                columns: [
                    Column("event time", time: { $0.eventTime }), Column("received", time: { $0.receivedAt }),
                    Column("delivery") { $0.deliveryKey },
                ],
                document: report,
                summary: [
                    "alert": "\(alert.id) \(alert.title)",
                    "fingerprint": alert.fingerprint,
                    "fields": basis.map { "\($0.field)=\($0.value.isEmpty ? "∅" : $0.value)" }.joined(separator: " "),
                    "occurrences": "\(alert.occurrences)",
                ]
            )
        }
    }

    struct Related: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "related",
            abstract:
                "List alerts sharing an observable (IP, host, user, hash, domain, URL, email) within the correlation window.",
            discussion: """
                Values every host or source has are not links: loopback, link-local and unspecified addresses \
                (127.0.0.0/8, ::1, 169.254.0.0/16, fe80::/10, 0.0.0.0, ::), localhost, and placeholders such as \
                `-`, `N/A`, `unknown`, `null` or an empty value. They stay on the alert as observables (`alert show \
                ID --format json`), but two alerts sharing only them are not related. The window is \
                alerts.correlationWindow (default 1h) around the alert's first and last seen.
                """
        )
        /// How many related alerts are listed without --limit (and what `alert show` counts against).
        static let defaultLimit = 100

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The alert id.") var id: Int64
        @Option(help: "Most related alerts to list.") var limit = Related.defaultLimit

        struct Row: Encodable {
            var id: Int64
            var title: String
            var severity: String
            var status: String
            var lastSeen: Date
            var shared: [String]
        }

        func run(with services: any CommandServices, output: Output) async throws {
            let related = try await services.triage.related(id, limit: limit)
            let rows = related.map { item in
                Row(
                    id: item.alert.id, title: item.alert.title, severity: item.alert.severity.name,
                    status: item.alert.status.rawValue, lastSeen: item.alert.lastSeen,
                    shared: item.shared.map { "\($0.kind.rawValue):\($0.value)" })
            }
            try output.render(
                rows,
                columns: [
                    Column("id", maxWidth: ColumnWidth.id) { "\($0.id)" },
                    Column("severity", maxWidth: ColumnWidth.severity) { $0.severity },
                    Column("status", maxWidth: ColumnWidth.status) { $0.status },
                    Column("last seen", time: { $0.lastSeen }),
                    Column("shared") { $0.shared.joined(separator: " ") }, Column("title") { $0.title },
                ],
                emptyMessage: "No related alerts within the correlation window."
            )
        }
    }

    struct History: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "history", abstract: "Show every change to an alert, with actor and time.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The alert id.") var id: Int64

        struct Row: Encodable {
            var at: Date
            var actor: String
            var action: String
            var field: String?
            var from: String?
            var to: String?
            var message: String?
        }

        func run(with services: any CommandServices, output: Output) async throws {
            let rows = try await services.triage.history(id).map {
                Row(
                    at: $0.at, actor: $0.actor, action: $0.action, field: $0.field, from: $0.oldValue, to: $0.newValue,
                    message: $0.message)
            }
            try output.render(
                rows,
                columns: [
                    Column("at", time: { $0.at }), Column("actor") { $0.actor },
                    Column("action") { $0.action },
                    Column("change") { row in row.field.map { "\($0): \(row.from ?? "∅") → \(row.to ?? "∅")" } ?? "" },
                    Column("message") { $0.message ?? "" },
                ]
            )
        }
    }
}
