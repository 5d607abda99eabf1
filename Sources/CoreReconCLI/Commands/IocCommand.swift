import ArgumentParser
import CoreRecon
import CoreReconStore
import Foundation

/// `corerecon ioc`: threat intelligence — indicators from analysts and feeds, with decaying scores.
struct IocCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ioc",
        abstract: "Manage indicators of compromise: import feeds, add, list, sight, match, export.",
        discussion: """
            An indicator is a value of a type (\(IndicatorType.allCases.map(\.rawValue).joined(separator: ", "))), \
            stored once in canonical form (refanged, lower-case where the type is, IDNA, IPv6 in RFC 5952 form) \
            with every feed that reported it. Its score starts at its confidence and decays with the time since \
            it was last reported or sighted, faster for addresses than for names and hashes, after MISP's \
            decaying model: score = confidence × (1 − (age / lifetime)^(1 / 0.3)). Under a score of 30, past \
            valid_until, or revoked, it is expired: kept and listed with --all, never matched.
            """,
        subcommands: [
            Import.self, Add.self, List.self, Show.self, Update.self, Sight.self, Revoke.self, Delete.self,
            Match.self, Hunt.self, Export.self, Stats.self, Expire.self, Feed.self, WarninglistCommand.self,
        ]
    )
}

extension IndicatorType: ExpressibleByArgument {
    public init?(argument: String) { self.init(feedName: argument) }
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

extension IndicatorFeedFormat: ExpressibleByArgument {}

extension TLP: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

/// An indicator as `ioc list` and `ioc show` print it.
typealias IndicatorRow = IndicatorSummary

extension IndicatorSummary {
    static let columns: [Column<IndicatorRow>] = [
        Column("id") { "\($0.id)" }, Column("type") { $0.type }, Column("value", maxWidth: 60) { $0.value },
        Column("score") { "\($0.score)" }, Column("tlp") { $0.tlp ?? "-" },
        Column("sources", maxWidth: 30) { $0.sources.map(\.name).joined(separator: ",") },
        Column("tags", maxWidth: 40) { $0.tags.joined(separator: ",") }, Column("last seen", time: { $0.lastSeen }),
    ]
}

extension IocCommand {
    struct Import: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Import indicators from feed files, directories or stdin (idempotent).",
            discussion: """
                Formats: STIX 2.0/2.1 bundles (indicators whose patterns are lists of values become one \
                indicator per value; other patterns are kept whole as stix-pattern indicators, and counted), MISP \
                events (attributes marked to_ids, objects' attributes, tags and ATT&CK galaxies), CSV with a \
                header (value, type, tags, confidence, tlp, description; --column renames), and plain lists (one \
                value per line, # comments, extra fields ignored, as IPsum and Maltrail publish them). Values \
                are refanged and made canonical. Re-importing a feed adds no rows: it refreshes each indicator's \
                last seen (its decay starts over) and adds the source.

                A file that is not valid JSON (for STIX and MISP) is refused whole, naming the position; a bad \
                record is rejected with its location and the rest kept. Prints read, new, updated, unchanged, \
                rejected and pattern-only counts (JSON with --format json); exit 65 when something was rejected.

                A directory holding a MISP feed's manifest.json is read as that feed: the events it lists. \
                With --taxii and --collection it pulls a TAXII 2.1 collection instead, every page, and remembers \
                the last date added the server reported, so the same command run from cron fetches only what is \
                new (--added-after overrides; credentials come from the environment, see --user and --token-env). \
                Over the API the server pulls it, for admins: with its network and its environment's credentials. \
                After storing, it looks back over the alerts of the last ioc.retroHunt (default 30d) for matches \
                with the new and changed indicators, and records them as ingest would. When it changed something \
                in a store of 10,000 indicators or more, it then rebuilds the matcher that ingest and serve load \
                (about 2 s for a million indicators), so they need not.
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(
            help: ArgumentHelp("Feed files or directories; `-` for stdin.", valueName: "path"), completion: .file())
        var paths: [String] = []
        @Option(name: .customLong("input-format"), help: "The feed's format (default: detected).")
        var inputFormat: IndicatorFeedFormat = .auto
        @Option(
            help: ArgumentHelp(
                "The feed's name, stored as the indicators' source (default: the file name).", valueName: "name"))
        var source: String?
        @Option(help: "The type of every value, for lists and CSV without a type column.") var type: IndicatorType?
        @Option(help: ArgumentHelp("TLP for indicators the feed does not mark.", valueName: "tlp")) var tlp: TLP?
        @Option(help: "Confidence (0 to 100) for indicators the feed gives none.") var confidence = 75
        @Option(name: .customLong("tag"), help: "A tag for every imported indicator (repeatable).") var tags: [String] =
            []
        @Option(
            name: .customLong("column"),
            help: ArgumentHelp(
                "CSV column names: value=NAME, type=NAME, tags=NAME ... (repeatable).", valueName: "key=name"))
        var columns: [String] = []
        @Flag(help: "Parse and report, store nothing.") var dryRun = false
        @Flag(help: "Do not flag values that are on a warninglist (they are matched like any other).") var force = false
        @Option(
            help: ArgumentHelp("Write each rejected record and its reason to this file (NDJSON).", valueName: "path"),
            completion: .file())
        var rejectFile: String?
        @Option(help: ArgumentHelp("Pull from a TAXII 2.1 API root, such as https://host/api1/.", valueName: "url"))
        var taxii: String?
        @Option(help: ArgumentHelp("The TAXII collection's id.", valueName: "id")) var collection: String?
        @Option(
            name: .customLong("added-after"),
            help: ArgumentHelp(
                "Only TAXII objects added after this time (default: where the last pull stopped).",
                valueName: "time"))
        var addedAfter: String?
        @OptionGroup var credentials: FeedCredentialOptions
        @OptionGroup var actor: ActorOption

        func validate() throws {
            if taxii != nil || collection != nil || addedAfter != nil {
                guard let taxii, collection != nil else {
                    throw ValidationError("--taxii and --collection go together (and --added-after with them).")
                }
                guard taxii.isHTTPURL else {
                    throw ValidationError("--taxii '\(taxii)' is not an http:// or https:// URL with a host.")
                }
                if !paths.isEmpty { throw ValidationError("Give files or --taxii, not both.") }
                if dryRun { throw ValidationError("--dry-run is for files; a TAXII pull stores what it fetches.") }
                guard (0...100).contains(confidence) else { throw ValidationError("--confidence must be 0 to 100.") }
                return
            }
            guard (0...100).contains(confidence) else { throw ValidationError("--confidence must be 0 to 100.") }
            for column in columns where !column.contains("=") {
                throw ValidationError("--column takes key=name, for example value=indicator.")
            }
            if paths.isEmpty && Terminal.isTerminal(.standardInput) {
                throw ValidationError("No input: name feed files or directories, or pipe a feed to stdin (`-`).")
            }
        }

        func run(with services: any CommandServices, output: Output) async throws {
            if let taxii, let collection {
                var template = FeedSubscription(name: "", kind: .taxii, url: taxii, source: source ?? collection)
                template.tlp = tlp
                template.confidence = confidence
                template.tags = tags
                credentials.apply(to: &template)
                var addedAfter = self.addedAfter
                if let text = addedAfter {
                    do {
                        addedAfter = ISO8601Format.string(
                            from: try TimeExpression.parse(text, now: services.now(), option: "--added-after"))
                    } catch {
                        throw ValidationError("\(error)")
                    }
                }
                let result = try await services.feedOperations.pullTAXII(
                    apiRoot: taxii, collection: collection, addedAfter: addedAfter, template: template,
                    actor: try services.actor(actor.actor))
                try writeRejections(result.rejected)
                for rejection in result.rejected.prefix(20) {
                    notice("rejected \(rejection.location): \(rejection.reason)")
                }
                if global.format.isForPeople { notice(describe(result)) } else { output.writeJSON(result) }
                if !result.rejected.isEmpty { throw ExitCode(65) }
                return
            }
            var columnNames: [String: String] = [:]
            for column in columns {
                let parts = column.split(separator: "=", maxSplits: 1).map(String.init)
                columnNames[parts[0].lowercased()] = parts.count > 1 ? parts[1] : ""
            }
            var reports: [IndicatorReport] = []
            var rejections: [Rejection] = []
            var skipped = 0
            for (name, bytes) in try FeedFiles.read(paths.isEmpty ? ["-"] : paths) {
                let reader = IndicatorFeedReader(
                    source: source ?? (name == "-" ? "stdin" : URL(fileURLWithPath: name).lastPathComponent),
                    type: type, columns: columnNames)
                let feed = try reader.read(bytes, name: name, format: inputFormat)
                reports += feed.reports.map { report in
                    var report = report
                    report.tlp = report.tlp ?? tlp
                    report.tags = IndicatorReport.merging(report.tags, tags)
                    return report
                }
                rejections += feed.rejections
                skipped += feed.skipped
            }
            var summary: IndicatorImportSummary
            if dryRun {
                summary = IndicatorImportSummary()
                summary.read = reports.count
                summary.patternOnly = reports.filter { $0.pattern != nil }.count
            } else {
                let quiet = global.quiet
                summary = try await services.intel.importReports(
                    reports, defaultConfidence: confidence, force: force, by: try services.actor(actor.actor)
                ) { warning in
                    // The indicators are stored; a step after that failed.
                    if !quiet { Terminal.printError("warning: \(warning)") }
                }
            }
            summary.rejected = rejections.count
            summary.read += rejections.count
            summary.skipped = skipped
            try writeRejections(rejections)
            for rejection in rejections.prefix(20) { notice("rejected \(rejection.location): \(rejection.reason)") }
            if rejections.count > 20 { notice("... and \(rejections.count - 20) more rejected") }
            if global.format.isForPeople {
                notice(
                    "\(dryRun ? "would import" : "imported") \(summary.read) records: \(summary.new) new, \(summary.updated) updated, "
                        + "\(summary.unchanged) unchanged, \(summary.rejected) rejected, \(summary.patternOnly) pattern-only"
                        + (skipped > 0 ? ", \(skipped) not for detection (MISP to_ids false) skipped" : "")
                        + (summary.warninglisted > 0
                            ? "; \(summary.warninglisted) on a warninglist (flagged, never matched)" : "")
                        + (summary.retroMatches.map {
                            "; retro-hunt: \($0) stored \($0 == 1 ? "alert" : "alerts") matched"
                        } ?? ""))
            } else {
                output.writeJSON(summary)
            }
            if !rejections.isEmpty { throw ExitCode(65) }
        }

        func writeRejections(_ rejections: [Rejection]) throws {
            guard let rejectFile else { return }
            var text = ""
            for rejection in rejections { text += rejection.jsonObject.jsonString + "\n" }
            do {
                try text.write(toFile: rejectFile, atomically: true, encoding: .utf8)
            } catch {
                throw CoreReconError.invalidInput(
                    location: rejectFile, reason: "cannot write the reject file: \(error.localizedDescription)")
            }
        }
    }

    struct Add: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Add an indicator (or report one that exists again).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The value: an address, domain, URL, hash ... (defanged values are refanged).") var value:
            String
        @Option(help: "Its type (default: detected from the value).") var type: IndicatorType?
        @Option(help: ArgumentHelp("TLP: clear, green, amber, amber+strict or red.", valueName: "tlp")) var tlp: TLP?
        @Option(help: "How sure (0 to 100).") var confidence = 75
        @Option(name: .customLong("tag"), help: "A tag, MISP-style namespace:predicate=\"value\" welcome (repeatable).")
        var tags: [String] = []
        @Option(help: ArgumentHelp("Valid for this long: 30d, 12h.", valueName: "duration")) var expires: String?
        @Option(help: "Who reported it (default: manual).") var source = "manual"
        @Option(help: "What it is.") var description: String?
        @OptionGroup var actor: ActorOption

        func validate() throws {
            guard (0...100).contains(confidence) else { throw ValidationError("--confidence must be 0 to 100.") }
            if let expires, AppConfig.parseDuration(expires) == nil {
                throw ValidationError("--expires '\(expires)' is not a duration such as 30d or 12h.")
            }
        }

        func run(with services: any CommandServices, output: Output) async throws {
            var report = try IndicatorReport.parse(value, type: type, source: source, location: "value")
            report.tlp = tlp
            report.confidence = confidence
            report.tags = tags
            report.description = description
            let added = try await services.intel.add(report, expires: expires, by: try services.actor(actor.actor))
            try output.render([added], columns: IndicatorRow.columns)
        }
    }

    struct List: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List indicators, most recently seen first.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Only this type (repeatable).") var type: [IndicatorType] = []
        @Option(help: "Only indicators with this tag.") var tag: String?
        @Option(help: "Only indicators this feed reported.") var source: String?
        @Option(help: ArgumentHelp("Only this TLP.", valueName: "tlp")) var tlp: TLP?
        @Option(help: "Only scores at or above (0 to 100).") var minScore: Double?
        @Option(help: ArgumentHelp("Only reported or sighted since: 24h, 7d, or a timestamp.", valueName: "time"))
        var since: String?
        @Option(help: "Values, descriptions or tags containing this text.") var search: String?
        @Flag(help: "Only expired indicators.") var expired = false
        @Flag(help: "Active and expired indicators.") var all = false
        @Option(help: "Most rows to print (1 to 100000).") var limit = 100

        func validate() throws {
            guard (1...100_000).contains(limit) else { throw ValidationError("--limit must be 1 to 100000.") }
            if expired && all { throw ValidationError("--expired and --all exclude each other.") }
        }

        func run(with services: any CommandServices, output: Output) async throws {
            var query = IndicatorQuery()
            query.types = type
            query.tag = tag
            query.source = source
            query.tlp = tlp
            query.minimumScore = minScore
            query.search = search
            query.limit = limit
            query.expired = all ? nil : expired
            if let since {
                do {
                    query.since = try TimeExpression.parse(since, now: services.now(), option: "--since")
                } catch {
                    throw ValidationError("\(error)")
                }
            }
            try output.render(
                try await services.intel.list(query), columns: IndicatorRow.columns,
                emptyMessage: "No indicators match.")
        }
    }

    struct Show: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "One indicator: sources, score and its history, sightings.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Its id or value.") var indicator: String

        func run(with services: any CommandServices, output: Output) async throws {
            let detail = try await services.intel.detail(indicator)
            let row = detail.indicator
            let sightings = detail.sightings
            let history = detail.scoreHistory
            if global.format.isForPeople {
                var pairs: [(String, String)] = [
                    ("id", "\(row.id)"), ("type", row.type), ("value", row.value), ("status", row.status),
                    ("score", "\(row.score) (confidence \(row.confidence), \(row.falsePositives) false positives)"),
                    ("tlp", row.tlp ?? "-"), ("tags", row.tags.joined(separator: ", ")),
                    ("techniques", row.techniques.joined(separator: ", ")), ("description", row.description ?? "-"),
                    ("first seen", ISO8601Format.forPeople(row.firstSeen)),
                    ("last seen", ISO8601Format.forPeople(row.lastSeen)),
                    ("valid until", row.validUntil.map(ISO8601Format.forPeople) ?? "-"),
                ]
                for source in row.sources {
                    pairs.append(
                        (
                            "source",
                            "\(source.name) (first \(ISO8601Format.forPeople(source.firstSeen)), last \(ISO8601Format.forPeople(source.lastSeen)))"
                        ))
                }
                for sighting in sightings.prefix(20) {
                    pairs.append(
                        (
                            "sighting",
                            "\(ISO8601Format.forPeople(sighting.at)) \(sighting.source)\(sighting.isFalsePositive ? " (false positive)" : "")"
                        ))
                }
                if let pattern = detail.pattern { pairs.append(("pattern", pattern)) }
                for point in history {
                    pairs.append(
                        (
                            "score history",
                            "\(ISO8601Format.forPeople(point.at)) \(Int(point.score.rounded())) \(point.event)"
                        ))
                }
                try output.renderKeyValues(pairs)
            } else {
                struct Detail: Encodable {
                    var indicator: IndicatorRow
                    var pattern: String?
                    var sightings: [IndicatorSighting]
                    var scoreHistory: [DecayModel.ScorePoint]
                }
                output.writeJSON(
                    Detail(indicator: row, pattern: detail.pattern, sightings: sightings, scoreHistory: history))
            }
        }
    }

    struct Sight: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sight",
            abstract: "Record a sighting: fresh evidence (the decay starts over), or with --false-positive, a penalty.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Its id or value.") var indicator: String
        @Flag(help: "It was seen, and was harmless: lowers the score by 20.") var falsePositive = false
        @Option(help: "Where it was seen (default: manual).") var source = "manual"
        @OptionGroup var actor: ActorOption

        func run(with services: any CommandServices, output: Output) async throws {
            let found = try await services.intel.sight(
                indicator, source: source, falsePositive: falsePositive, by: try services.actor(actor.actor))
            try output.render([found], columns: IndicatorRow.columns)
        }
    }

    struct Revoke: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke", abstract: "Revoke an indicator: kept, never matched.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Its id or value.") var indicator: String
        @OptionGroup var actor: ActorOption

        func run(with services: any CommandServices, output: Output) async throws {
            let found = try await services.intel.revoke(indicator, by: try services.actor(actor.actor))
            try output.render([found], columns: IndicatorRow.columns)
        }
    }

    struct Delete: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "delete", abstract: "Delete an indicator, its sources and sightings.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Its id or value.") var indicator: String
        @OptionGroup var actor: ActorOption

        func run(with services: any CommandServices, output: Output) async throws {
            let found = try await services.intel.delete(indicator, by: try services.actor(actor.actor))
            notice("deleted indicator \(found.id) (\(found.type) \(found.value))")
        }
    }

    struct Stats: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stats", abstract: "Counts: active, expired, by type and by source.")
        @OptionGroup var global: GlobalOptions

        func run(with services: any CommandServices, output: Output) async throws {
            let stats = try await services.intel.stats()
            if global.format.isForPeople || global.format == .csv {
                var pairs = [
                    ("total", "\(stats.total)"), ("active", "\(stats.active)"), ("expired", "\(stats.expired)"),
                    ("sightings", "\(stats.sightings)"),
                ]
                pairs += stats.byType.sorted { $0.key < $1.key }.map { ("type \($0.key)", "\($0.value)") }
                pairs += stats.bySource.sorted { $0.key < $1.key }.map { ("source \($0.key)", "\($0.value)") }
                try output.renderKeyValues(pairs)
            } else {
                output.writeJSON(stats)
            }
        }
    }

    struct Expire: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "expire",
            abstract: "For cron: recompute every score and print how many indicators are active and expired.",
            discussion: """
                Scores decay continuously and are computed when read, so nothing is rewritten; this prints the \
                counts a monitoring job can alert on (JSON with --format json).
                """)
        @OptionGroup var global: GlobalOptions

        func run(with services: any CommandServices, output: Output) async throws {
            let stats = try await services.intel.stats()
            if global.format.isForPeople || global.format == .csv {
                try output.renderKeyValues([("active", "\(stats.active)"), ("expired", "\(stats.expired)")])
            } else {
                output.writeJSON(["active": stats.active, "expired": stats.expired])
            }
        }
    }

    struct Match: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "match",
            abstract:
                "A grep for indicators: print each line's hits as NDJSON; exit 0 on a match, 1 on none, 2 on error.",
            discussion: """
                Reads any text (log lines, NDJSON, CSV) from files, directories (every file under them) or \
                stdin, gzip or not, a line at a time in bounded memory, and looks every token up among the \
                active indicators, in memory: addresses (also inside listed networks), domains and their \
                subdomains, URLs and their hosts, e-mail addresses and their domains, hashes. Defanged text is \
                refanged first. Expired, revoked and warninglisted indicators never match. Each hit is one JSON \
                line: file, line number, what was found, and the indicator with its score and tags. Over the API \
                the lines go to the server's matcher a thousand (or 512 KB) at a time, so hits print a batch at a \
                time; a slow stream (`tail -f`) prints each hit at once only on the database.
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("Files to read; `-` or none for stdin.", valueName: "path"), completion: .file())
        var paths: [String] = []
        @Flag(name: [.customShort("o"), .long], help: "Print only what matched, one per line.") var onlyMatching = false
        @Flag(name: [.customShort("c"), .long], help: "Print only the number of matching lines.") var count = false

        func run(with services: any CommandServices, output: Output) async throws {
            do {
                try await match(with: services.lineMatcher)
            } catch let error as ExitCode {
                throw error
            } catch {
                Terminal.printError("error: \(error)")
                throw ExitCode(2)
            }
        }

        func match(with matcher: any LineMatching) async throws {
            try await matcher.prepare()
            var matchedLines = 0
            // Lines wait for their look-up in batches (one line on the database; over the API as many as one
            // request takes), read a megabyte at a time: a log of any size (gzip too) in bounded memory.
            var pending: [(line: String, number: Int)] = []
            var pendingBytes = 0
            var pendingName = "-"
            func flush() async throws {
                guard !pending.isEmpty else { return }
                let batch = pending
                pending = []
                pendingBytes = 0
                let hits = try await matcher.hits(in: batch.map(\.line))
                matchedLines += Set(hits.map(\.line)).count
                guard !count else { return }
                for hit in hits {
                    if onlyMatching {
                        print(hit.found)
                        continue
                    }
                    print(
                        JSONValue.object([
                            JSONMember("file", .string(pendingName)), JSONMember("line", .int(batch[hit.line].number)),
                            JSONMember("found", .string(hit.found)), JSONMember("indicator", hit.indicator),
                        ]).jsonString)
                }
            }
            let reader = InputReader()
            for input in try InputReader.inputs(for: paths.isEmpty ? ["-"] : paths, extensions: nil) {
                try await flush()
                pendingName = input == .standardInput ? "-" : InputReader.name(of: input)
                try await reader.readLines(input) { line, number in
                    pending.append((line, number))
                    pendingBytes += line.utf8.count
                    if pending.count >= matcher.batchLines || pendingBytes >= matcher.batchBytes { try await flush() }
                }
            }
            try await flush()
            if count { print(matchedLines) }
            if matchedLines == 0 { throw ExitCode(1) }
        }
    }

    struct Export: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Export active indicators: STIX 2.1, a MISP event, Suricata rules, CSV, or a plain list.",
            discussion: """
                stix writes one STIX 2.1 indicator per value with its pattern, TLP marking, confidence, labels \
                and validity, which `ioc import` reads back unchanged. misp writes one MISP event with an \
                attribute per indicator (to_ids, tags, TLP and ATT&CK as tags; uuids stable across exports). \
                suricata writes rules for sensors: addresses and networks on any IP traffic, domains in DNS \
                queries and TLS SNI (subdomains too), URLs on HTTP host and path, JA3/JA4, user agents; file \
                hashes and other types are counted in the header and left out (--action drop blocks in IPS \
                mode; sids are --sid-base + 4 × id + n, stable across exports). csv writes type, value, score, \
                tlp, tags, confidence and description (the columns `ioc import` reads); txt one value per line.
                """)
        @OptionGroup var global: GlobalOptions
        @Option(
            name: .customLong("to"),
            help: "What to write: stix (a STIX 2.1 bundle), misp (an event), suricata, csv or txt.")
        var exportFormat: ExportFormat = .stix
        @Option(help: "Only this type (repeatable).") var type: [IndicatorType] = []
        @Option(help: "Only indicators with this tag.") var tag: String?
        @Option(help: "Only scores at or above.") var minScore: Double?
        @Option(
            help: ArgumentHelp(
                "Leave out what is marked stricter than this TLP (amber leaves out amber+strict and red).",
                valueName: "tlp"))
        var tlpMax: TLP?
        @Option(help: ArgumentHelp("Suricata rules' action: alert, or drop to block (IPS mode).", valueName: "action"))
        var action: RuleAction = .alert
        @Option(help: "The first Suricata sid.") var sidBase = 1_000_000_000
        @Option(help: ArgumentHelp("The MISP event's title.", valueName: "text")) var info = "CoreRecon indicators"

        enum ExportFormat: String, ExpressibleByArgument, CaseIterable { case stix, misp, suricata, csv, txt }
        enum RuleAction: String, ExpressibleByArgument, CaseIterable { case alert, drop }

        func validate() throws {
            guard (1...4_000_000_000).contains(sidBase) else {
                throw ValidationError("--sid-base must be 1 to 4000000000.")
            }
        }

        func run(with services: any CommandServices, output: Output) async throws {
            var request = IndicatorExportRequest()
            request.format = IndicatorExportRequest.Format(rawValue: exportFormat.rawValue) ?? .stix
            request.types = type
            request.tag = tag
            request.minimumScore = minScore
            request.tlpMax = tlpMax
            request.action = action.rawValue
            request.sidBase = sidBase
            request.info = info
            // The JSON documents end with a newline; the text formats end as they are.
            let text = try await services.intel.export(request)
            print(text, terminator: [.stix, .misp].contains(request.format) ? "\n" : "")
        }
    }
}

/// Reads feed inputs: files, directories (every regular file in them, recursively, hidden ones left out) and
/// stdin (`-`).
enum FeedFiles {
    static func read(_ paths: [String]) throws -> [(String, [UInt8])] {
        var result: [(String, [UInt8])] = []
        for path in paths {
            if path == "-" {
                result.append(("-", Array(FileHandle.standardInput.readDataToEndOfFile())))
                continue
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw CoreReconError.invalidInput(location: path, reason: "no such file or directory.")
            }
            if isDirectory.boolValue, let events = try mispFeedEvents(path) {
                result += events
            } else if isDirectory.boolValue {
                let files = (FileManager.default.enumerator(atPath: path)?.allObjects as? [String] ?? [])
                    .filter { file in
                        // Hidden files, and the licence and read-me files feeds ship beside their lists.
                        let name = file.split(separator: "/").last.map(String.init)?.uppercased() ?? ""
                        return !file.split(separator: "/").contains { $0.hasPrefix(".") }
                            && !["LICENSE", "LICENCE", "README", "COPYING", "NOTICE"].contains { name.hasPrefix($0) }
                    }.sorted()
                for file in files {
                    let full = (path as NSString).appendingPathComponent(file)
                    var nested: ObjCBool = false
                    if FileManager.default.fileExists(atPath: full, isDirectory: &nested), !nested.boolValue {
                        result.append((full, try bytes(full)))
                    }
                }
            } else {
                result.append((path, try bytes(path)))
            }
        }
        return result
    }

    /// A MISP feed directory (as MISP publishes one: `manifest.json` naming each event's `UUID.json`, beside
    /// `hashes.csv`): the events its manifest lists. nil for any other directory.
    static func mispFeedEvents(_ directory: String) throws -> [(String, [UInt8])]? {
        let manifestPath = (directory as NSString).appendingPathComponent("manifest.json")
        guard FileManager.default.fileExists(atPath: manifestPath) else { return nil }
        return try MISPFeedManifest.events(try bytes(manifestPath), location: manifestPath).map { event in
            let path = (directory as NSString).appendingPathComponent(event.uuid + ".json")
            return (path, try bytes(path))
        }
    }

    static func bytes(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CoreReconError.invalidInput(location: path, reason: "cannot read the file.")
        }
        return Array(data)
    }
}
