import ArgumentParser
import CoreRecon
import CoreReconStore
import Foundation

/// `corerecon alert`: triage of the alert queue.
struct AlertCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alert",
        abstract: "List, inspect and triage alerts.",
        discussion: """
            Statuses move new → acknowledged → in_progress → closed; `reopen` brings a closed alert back to \
            in_progress; `escalate` takes open alerts into an incident (status escalated), and they close with \
            it. Every change is recorded with its actor (--as, else CORERECON_USER, else the login name) and \
            time; `alert history ID` shows them.

            Changes take several ids, `-` to read ids from stdin (one per line), or --where with the filters of \
            `alert list`: corerecon alert list --format ndjson --json id | jq -r .id | corerecon alert ack -
            """,
        subcommands: [
            List.self, Show.self, Ack.self, Assign.self, Comment.self, Close.self, Reopen.self,
            Explain.self, Related.self, History.self, Escalate.self, Map.self, Unmap.self, Watch.self, Purge.self,
        ]
    )
}

extension AlertCommand {
    struct List: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List alerts, most recently seen first.",
            discussion: """
                Pages with --limit and --cursor (printed on stderr when more alerts follow) or --offset. \
                --limit 0 streams every match. --json picks fields and implies JSON output unless --format \
                ndjson or csv is given. Fields: \(Alert.jsonFields.joined(separator: ", ")).
                """
        )

        @OptionGroup var global: GlobalOptions
        @OptionGroup var filters: AlertFilterOptions

        @Option(help: "Most alerts to print; 0 prints every match.")
        var limit = 50

        @Option(help: "Skip this many alerts (ignored with --cursor).")
        var offset = 0

        @Option(help: ArgumentHelp("Continue after the cursor printed by the previous page.", valueName: "cursor"))
        var cursor: String?

        @Option(
            help: ArgumentHelp(
                "Sort order, descending: last_seen, first_seen, severity, occurrences, id.", valueName: "field"))
        var sort: String = AlertSort.lastSeen.rawValue

        @Option(
            name: .customLong("json"),
            help: ArgumentHelp("Fields to print, comma-separated (implies JSON).", valueName: "fields"))
        var jsonFields: String?

        func validate() throws {
            guard limit >= 0 else { throw ValidationError("--limit must be 0 (all) or more.") }
            guard offset >= 0 else { throw ValidationError("--offset must be 0 or more.") }
            guard AlertSort(rawValue: sort) != nil else {
                throw ValidationError(
                    "--sort must be one of \(AlertSort.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            if let jsonFields {
                let unknown = jsonFields.split(separator: ",").map(String.init).filter {
                    !Alert.jsonFields.contains($0)
                }
                guard unknown.isEmpty else {
                    throw ValidationError(
                        "Unknown --json field \(unknown.joined(separator: ", ")). Fields: \(Alert.jsonFields.joined(separator: ", "))."
                    )
                }
            }
        }

        /// Said on stderr when the list is empty: which filters were applied, or that this page is past the end.
        var emptyMessage: String {
            filters.applied.isEmpty && (offset > 0 || cursor != nil) ? "No more alerts." : filters.emptyMessage
        }

        func run(with services: any CommandServices, output: Output) async throws {
            var query = try filters.query(now: services.now())
            query.sort = AlertSort(rawValue: sort) ?? .lastSeen
            query.offset = offset
            query.cursor = try cursor.map { token throws(CoreReconError) in try AlertCursor(token: token) }
            let fields = jsonFields.map { $0.split(separator: ",").map(String.init) } ?? Alert.jsonFields
            let format: OutputFormat = jsonFields != nil && global.format.isForPeople ? .json : global.format
            let stream = ObjectStream(
                format: format, fields: fields, columns: AlertTable.columns, useColor: output.useColor,
                isStreaming: limit == 0, quiet: global.quiet)
            stream.begin()
            if limit == 0 {
                // Every match, fetched a page at a time so memory stays flat on a large queue.
                query.limit = 1_000
                while true {
                    let page = try await services.triage.list(query)
                    for alert in page.alerts {
                        stream.write(alert.jsonObject(fields: format.isForPeople ? Alert.jsonFields : fields))
                    }
                    guard let next = page.nextCursor else { break }
                    query.cursor = next
                    query.offset = 0
                }
                stream.end(emptyMessage: emptyMessage)
                return
            }
            query.limit = limit
            let page = try await services.triage.list(query)
            for alert in page.alerts {
                stream.write(alert.jsonObject(fields: format.isForPeople ? Alert.jsonFields : fields))
            }
            stream.end(emptyMessage: emptyMessage)
            if let next = page.nextCursor {
                notice("more alerts follow: --cursor \(next.token)")
            }
        }
    }

    struct Show: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show one alert: a summary, or the full OCSF record with --format json."
        )

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The alert id.") var id: Int64

        func run(with services: any CommandServices, output: Output) async throws {
            let detail = try await services.alertDetail(id)
            switch global.format {
            case .json, .ndjson:
                let ocsf = detail.ocsf
                if global.format == .json, let pretty = try? JSONSerialization.jsonObject(with: Data(ocsf.utf8)),
                    let data = try? JSONSerialization.data(
                        withJSONObject: pretty, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
                {
                    FileHandle.standardOutput.write(data + Data("\n".utf8))
                } else {
                    FileHandle.standardOutput.write(Data((ocsf + "\n").utf8))
                }
            case .table, .csv, .markdown:
                let alert = detail.alert
                // The same alerts `alert related` lists (its default limit, and one more to know there are more).
                let related = try await services.triage.related(id, limit: Related.defaultLimit + 1)
                var lines: [(String, String)] = [
                    ("id", "\(alert.id)"), ("title", alert.title), ("severity", alert.severity.name),
                    ("status", alert.status.rawValue + (alert.closeReason.map { " (\($0.rawValue))" } ?? "")),
                    ("assignee", alert.assignee ?? "-"), ("source", alert.source),
                    ("product", Self.product(vendor: alert.vendor, product: alert.product)),
                    ("rule", alert.ruleUID ?? "-"), ("occurrences", "\(alert.occurrences)"),
                    ("first seen", ISO8601Format.forPeople(alert.firstSeen)),
                    ("last seen", ISO8601Format.forPeople(alert.lastSeen)),
                    ("received", ISO8601Format.forPeople(alert.createdAt)),
                    (
                        "techniques",
                        Self.describe(alert.techniques, names: try await services.techniqueNames(alert.techniques))
                    ),
                    ("related", Self.describeRelated(related.map(\.alert.id), of: alert.id)),
                ]
                if let description = alert.description { lines.insert(("description", description), at: 2) }
                lines += SLACommand.showLines(detail.clocks, now: services.now())
                for match in detail.matches {
                    let tags = match.tags.isEmpty ? "" : " [\(match.tags.joined(separator: ", "))]"
                    lines.append(
                        (
                            "ioc match",
                            "\(match.value) → \(match.type.rawValue) \(match.indicator) (indicator \(match.indicatorID), "
                                + "\(match.sources.joined(separator: ", "))\(match.tlp.map { ", TLP:\($0.rawValue)" } ?? ""))\(tags)"
                        ))
                }
                try output.renderKeyValues(lines)
            }
        }
    }
}

extension AlertCommand.Show {
    /// Related alert ids listed in full before "and N more".
    static let relatedShown = 10

    /// "3, 7, 12", or the first ``relatedShown`` and "and 5 more (alert related 9)" when there are more: the same
    /// alerts as `alert related`. `ids` holds at most one more than `alert related` lists by default, so one
    /// beyond that limit reads "at least".
    static func describeRelated(_ ids: [Alert.ID], of id: Alert.ID) -> String {
        guard !ids.isEmpty else { return "-" }
        let shown = ids.prefix(relatedShown).map(String.init).joined(separator: ", ")
        let more = ids.count - min(ids.count, relatedShown)
        guard more > 0 else { return shown }
        let count = ids.count > AlertCommand.Related.defaultLimit ? "at least \(more)" : "\(more)"
        return "\(shown) and \(count) more (alert related \(id))"
    }

    /// "Elastic Security", or "Wazuh" once when the vendor and the product have the same name.
    static func product(vendor: String?, product: String) -> String {
        guard let vendor, !vendor.isEmpty, vendor.caseInsensitiveCompare(product) != .orderedSame,
            !product.lowercased().hasPrefix(vendor.lowercased() + " ")
        else { return product }
        return vendor + " " + product
    }

    /// "T1595 Active Scanning, T1071 Application Layer Protocol", with `names` (from imported ATT&CK data when
    /// there is some); an id without a name stands alone.
    static func describe(_ techniques: [String], names: [String: String]) -> String {
        guard !techniques.isEmpty else { return "-" }
        return techniques.map { id in names[id].map { "\(id) \($0)" } ?? id }.joined(separator: ", ")
    }

    /// The same, with names from `catalog`.
    static func describe(_ techniques: [String], catalog: ATTACKCatalog = .embedded) -> String {
        describe(
            techniques,
            names: Dictionary(techniques.compactMap { id in catalog.technique(id).map { (id, $0.name) } }) { a, _ in a }
        )
    }
}

/// The columns of alert tables.
enum AlertTable {
    static let columns: [ObjectStream.TableColumn] = [
        .init(header: "id", width: ColumnWidth.id) { ObjectStream.cell($0[key: "id"]) },
        .init(header: "severity", width: ColumnWidth.severity) { ObjectStream.cell($0[key: "severity"]) },
        .init(header: "status", width: ColumnWidth.status) { ObjectStream.cell($0[key: "status"]) },
        // ISO8601Format.forPeople of the JSON time (2026-11-24T22:14:03.120Z): cut to the second.
        .init(header: "last seen", width: ColumnWidth.time) {
            String(ObjectStream.cell($0[key: "lastSeen"]).prefix(19)) + "Z"
        },
        .init(header: "count", width: ColumnWidth.count) { ObjectStream.cell($0[key: "occurrences"]) },
        .init(header: "source", width: ColumnWidth.name) { ObjectStream.cell($0[key: "source"]) },
        .init(header: "assignee", width: ColumnWidth.name) {
            ObjectStream.cell($0[key: "assignee"]).isEmpty ? "-" : ObjectStream.cell($0[key: "assignee"])
        },
        .init(header: "title", width: 80) { ObjectStream.cell($0[key: "title"]) },
    ]
}
