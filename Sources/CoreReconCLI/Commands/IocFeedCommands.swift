import ArgumentParser
import CoreRecon
import CoreReconStore
import Foundation

extension FeedSubscription.Kind: ExpressibleByArgument {}

/// Credentials for a feed server, from the environment: never on the command line, where `ps` would show them.
struct FeedCredentialOptions: ParsableArguments {
    @Option(help: ArgumentHelp("User name for basic authentication.", valueName: "name")) var user: String?
    @Option(
        help: ArgumentHelp(
            "The environment variable holding the user's password (default: CORERECON_FEED_PASSWORD).",
            valueName: "variable"))
    var passwordEnv: String?
    @Option(
        help: ArgumentHelp(
            "The environment variable holding a bearer token (instead of a user).", valueName: "variable"))
    var tokenEnv: String?

    func validate() throws {
        if user != nil && tokenEnv != nil { throw ValidationError("--user and --token-env exclude each other.") }
        if passwordEnv != nil && user == nil { throw ValidationError("--password-env needs --user.") }
    }

    func apply(to feed: inout FeedSubscription) {
        feed.username = user
        feed.passwordEnvironment = passwordEnv
        feed.tokenEnvironment = tokenEnv
    }
}

/// A pull's outcome, as `ioc feed pull` and `ioc import --taxii` print it.
func describe(_ result: FeedPullResult) -> String {
    guard result.changed else { return "\(result.feed): nothing new" }
    let summary = result.summary
    var text =
        "\(result.feed): \(result.fetched) fetched; \(summary.read) records: \(summary.new) new, "
        + "\(summary.updated) updated, \(summary.unchanged) unchanged, \(summary.rejected) rejected, "
        + "\(summary.patternOnly) pattern-only"
    if summary.warninglisted > 0 { text += "; \(summary.warninglisted) on a warninglist (flagged, never matched)" }
    if let retro = summary.retroMatches {
        text += "; retro-hunt: \(retro) stored \(retro == 1 ? "alert" : "alerts") matched"
    }
    return text
}

extension IocCommand {
    struct Feed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "feed",
            abstract: "Named feeds to pull: TAXII 2.1 collections, MISP feeds, URLs of lists.",
            discussion: """
                A pull fetches only what is new since the last one: TAXII objects added after the last date \
                added the server reported, MISP events whose manifest timestamp is newer, a document whose ETag \
                or Last-Modified changed. What it fetches is imported as `ioc import` would (warninglists, the \
                retro-hunt). `corerecon serve` pulls feeds that have --every on that schedule; `ioc feed pull \
                --due` does the same from cron. Passwords and tokens are read from environment variables named \
                by the feed, never stored.
                """,
            subcommands: [Add.self, List.self, Remove.self, Pull.self])

        struct Add: RemoteCapableCommand {
            static let configuration = CommandConfiguration(
                commandName: "add",
                abstract: "Add a feed, or change one (its position is kept when the address stays the same).")
            @OptionGroup var global: GlobalOptions
            @Argument(help: "The feed's name: letters, digits, '.', '_', '-'.") var name: String
            @Option(help: ArgumentHelp("A TAXII 2.1 API root, such as https://host/api1/.", valueName: "url"))
            var taxii: String?
            @Option(help: ArgumentHelp("The TAXII collection's id.", valueName: "id")) var collection: String?
            @Option(
                help: ArgumentHelp(
                    "A MISP feed: the URL or directory holding manifest.json and the events.", valueName: "url"))
            var misp: String?
            @Option(help: ArgumentHelp("The URL of a list, CSV, STIX bundle or MISP event.", valueName: "url"))
            var url: String?
            @Option(name: .customLong("input-format"), help: "The format of a --url document (default: detected).")
            var inputFormat: IndicatorFeedFormat = .auto
            @Option(help: ArgumentHelp("Source name for its indicators (default: the feed's name).", valueName: "name"))
            var source: String?
            @Option(help: ArgumentHelp("TLP for indicators the feed does not mark.", valueName: "tlp")) var tlp: TLP?
            @Option(help: "Confidence (0 to 100) for indicators the feed gives none.") var confidence = 75
            @Option(name: .customLong("tag"), help: "A tag for every indicator it brings (repeatable).")
            var tags: [String] = []
            @Option(
                help: ArgumentHelp(
                    "How often `serve` pulls it: 1h, 30m, 1d (default: on demand).", valueName: "duration"))
            var every: String?
            @OptionGroup var credentials: FeedCredentialOptions
            @OptionGroup var actor: ActorOption

            func validate() throws {
                let kinds = [taxii, misp, url].compactMap { $0 }
                guard kinds.count == 1 else { throw ValidationError("Give one of --taxii, --misp or --url.") }
                if taxii != nil && collection == nil { throw ValidationError("--taxii needs --collection.") }
                if taxii == nil && collection != nil { throw ValidationError("--collection is for --taxii feeds.") }
                guard (0...100).contains(confidence) else { throw ValidationError("--confidence must be 0 to 100.") }
                if let every {
                    guard let interval = AppConfig.parseDuration(every), interval >= .seconds(60) else {
                        throw ValidationError("--every '\(every)' is not a duration of a minute or more, such as 1h.")
                    }
                }
                for address in [taxii, url].compactMap({ $0 })
                where !address.isHTTPURL {
                    throw ValidationError("'\(address)' is not an http:// or https:// URL with a host.")
                }
            }

            func run(with services: any CommandServices, output: Output) async throws {
                var feed: FeedSubscription
                if let taxii {
                    feed = FeedSubscription(name: name, kind: .taxii, url: taxii, source: source)
                    feed.collection = collection
                    feed.inputFormat = "stix"
                } else if let misp {
                    feed = FeedSubscription(name: name, kind: .misp, url: misp, source: source)
                    feed.inputFormat = "misp"
                } else {
                    feed = FeedSubscription(name: name, kind: .url, url: url ?? "", source: source)
                    feed.inputFormat = inputFormat.rawValue
                }
                feed.tlp = tlp
                feed.confidence = confidence
                feed.tags = tags
                feed.every = every.flatMap(AppConfig.parseDuration).map(\.seconds)
                credentials.apply(to: &feed)
                try await services.feedOperations.save(feed, actor: try services.actor(actor.actor))
                try output.render(
                    [FeedRow(try await services.feedOperations.feed(named: name))], columns: FeedRow.columns)
            }
        }

        struct List: RemoteCapableCommand {
            static let configuration = CommandConfiguration(
                commandName: "list", abstract: "The feeds, their schedule and last pull.")
            @OptionGroup var global: GlobalOptions

            func run(with services: any CommandServices, output: Output) async throws {
                try output.render(
                    try await services.feedOperations.feeds().map(FeedRow.init), columns: FeedRow.columns,
                    emptyMessage: "No feeds. Add one with `corerecon ioc feed add`.")
            }
        }

        struct Remove: RemoteCapableCommand {
            static let configuration = CommandConfiguration(
                commandName: "remove",
                abstract: "Remove a feed (its indicators stay; `ioc list --source NAME` finds them).")
            @OptionGroup var global: GlobalOptions
            @Argument(help: "The feed's name.") var name: String
            @OptionGroup var actor: ActorOption

            func run(with services: any CommandServices, output: Output) async throws {
                try await services.feedOperations.remove(named: name, actor: try services.actor(actor.actor))
                notice("removed feed \(name)")
            }
        }

        struct Pull: RemoteCapableCommand {
            static let configuration = CommandConfiguration(
                commandName: "pull",
                abstract: "Pull feeds now: the named ones, those due (--due, for cron), or all.",
                discussion: """
                    Each feed is pulled in turn; one that fails is reported and the others still pulled. Exit 0 \
                    when every pull worked, 69 when a server could not be reached or refused, 65 when a feed \
                    sent something that is not what it should be (or records were rejected).
                    """)
            @OptionGroup var global: GlobalOptions
            @Argument(help: "Feed names (default: every feed).") var names: [String] = []
            @Flag(help: "Only the feeds whose --every has passed since their last pull.") var due = false
            @Flag(help: "Start from the beginning instead of where the last pull stopped.") var full = false
            @OptionGroup var actor: ActorOption

            func validate() throws {
                if due && !names.isEmpty { throw ValidationError("--due and feed names exclude each other.") }
            }

            func run(with services: any CommandServices, output: Output) async throws {
                let selected: [String]
                if !names.isEmpty {
                    selected = names
                } else if due {
                    selected = try await services.feedOperations.due().map(\.name)
                } else {
                    selected = try await services.feedOperations.feeds().map(\.name)
                }
                let actor = try services.actor(actor.actor)
                var results: [FeedPullResult] = []
                var exitCode: Int32 = 0
                for name in selected {
                    do {
                        let result = try await services.feedOperations.pull(named: name, full: full, actor: actor)
                        results.append(result)
                        for rejection in result.rejected.prefix(10) {
                            notice("rejected \(rejection.location): \(rejection.reason)")
                        }
                        if result.summary.rejected > 0 && exitCode == 0 { exitCode = 65 }
                        if global.format.isForPeople { notice(describe(result)) }
                    } catch let error as CoreReconError {
                        if case .notFound = error {
                            Terminal.printError("error: \(error)")
                        } else {
                            Terminal.printError("error: feed \(name): \(error)")
                        }
                        exitCode = exitCode == 0 || error.exitCode == 69 ? error.exitCode : exitCode
                    }
                }
                if !global.format.isForPeople { output.writeJSON(results) }
                if selected.isEmpty { notice(due ? "no feed is due" : "no feeds") }
                if exitCode != 0 { throw ExitCode(exitCode) }
            }
        }
    }

    struct Hunt: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "hunt",
            abstract: "Look back over stored alerts for matches with the active indicators.",
            discussion: """
                Every alert seen since --since is matched against every active indicator, as ingest does for new \
                alerts; matches not recorded before are recorded (a sighting, the alert's enrichment, an \
                alert.ioc_matched event) and printed. An import does this by itself for the indicators it adds or \
                changes, over ioc.retroHunt (default 30d).
                """)
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("How far back: 30d, 12h, or a timestamp.", valueName: "time")) var since = "30d"
        @Flag(help: "Print what would match, record nothing.") var dryRun = false
        @OptionGroup var actor: ActorOption

        func run(with services: any CommandServices, output: Output) async throws {
            let start: Date
            do {
                start = try TimeExpression.parse(since, now: services.now(), option: "--since")
            } catch {
                throw ValidationError("\(error)")
            }
            let matches = try await services.intel.hunt(
                since: start, record: !dryRun, by: try services.actor(actor.actor))
            try output.render(
                matches.map(HuntRow.init), columns: HuntRow.columns, emptyMessage: "No new matches.")
            let alerts = Set(matches.map(\.alertID)).count
            notice(
                "\(dryRun ? "would record" : "recorded") \(matches.count) \(matches.count == 1 ? "match" : "matches") "
                    + "in \(alerts) \(alerts == 1 ? "alert" : "alerts")")
        }
    }

    struct Update: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "update",
            abstract: "Change an indicator's TLP, confidence, tags, description or validity.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Its id or value.") var indicator: String
        @Option(help: ArgumentHelp("TLP: clear, green, amber, amber+strict or red.", valueName: "tlp")) var tlp: TLP?
        @Option(help: "Confidence, 0 to 100 (its score follows).") var confidence: Int?
        @Option(name: .customLong("tag"), help: "Add a tag (repeatable).") var addTags: [String] = []
        @Option(name: .customLong("untag"), help: "Remove a tag (repeatable).") var removeTags: [String] = []
        @Option(help: "What it is (an empty text removes it).") var description: String?
        @Option(help: ArgumentHelp("Valid for this long from now: 30d, 12h.", valueName: "duration")) var expires:
            String?
        @Flag(help: "Remove its end of validity.") var noExpiry = false
        @Flag(help: "Take a revocation back.") var unrevoke = false
        @OptionGroup var actor: ActorOption

        func validate() throws {
            if let confidence, !(0...100).contains(confidence) {
                throw ValidationError("--confidence must be 0 to 100.")
            }
            if let expires, AppConfig.parseDuration(expires) == nil {
                throw ValidationError("--expires '\(expires)' is not a duration such as 30d or 12h.")
            }
            if expires != nil && noExpiry { throw ValidationError("--expires and --no-expiry exclude each other.") }
        }

        func run(with services: any CommandServices, output: Output) async throws {
            var change = IndicatorUpdate()
            change.tlp = tlp
            change.confidence = confidence
            change.addTags = addTags
            change.removeTags = removeTags
            change.description = description
            change.expires = noExpiry ? "never" : expires
            change.unrevoke = unrevoke
            let updated = try await services.intel.update(indicator, change, by: try services.actor(actor.actor))
            try output.render([updated], columns: IndicatorRow.columns)
        }
    }
}

/// A feed as `ioc feed list` prints it.
struct FeedRow: Encodable {
    var name: String
    var kind: String
    var url: String
    var collection: String?
    var source: String
    var every: String?
    var cursor: String?
    var lastPull: Date?
    var lastStatus: String?
    var lastSummary: String?

    init(_ feed: FeedSubscription) {
        name = feed.name
        kind = feed.kind.rawValue
        url = feed.url
        collection = feed.collection
        source = feed.source
        every = feed.every.map { DurationText.short($0) }
        cursor = feed.cursor
        lastPull = feed.lastPull
        lastStatus = feed.lastStatus
        lastSummary = feed.lastSummary
    }

    static let columns: [Column<FeedRow>] = [
        Column("name") { $0.name }, Column("kind") { $0.kind },
        Column("url", maxWidth: 50) { $0.url + ($0.collection.map { " " + $0 } ?? "") },
        Column("every") { $0.every ?? "-" }, Column("last pull", time: { $0.lastPull }),
        Column("status", maxWidth: 40) { $0.lastStatus ?? "never pulled" },
    ]
}

/// A retro-hunt match.
struct HuntRow: Encodable {
    var alertID: Int64
    var value: String
    var type: String
    var indicatorID: Int64
    var indicator: String
    var tags: [String]
    var sources: [String]

    init(_ match: AlertIndicatorMatch) {
        alertID = match.alertID
        value = match.value
        type = match.type.rawValue
        indicatorID = match.indicatorID
        indicator = match.indicator
        tags = match.tags
        sources = match.sources
    }

    static let columns: [Column<HuntRow>] = [
        Column("alert") { "\($0.alertID)" }, Column("value", maxWidth: 50) { $0.value }, Column("type") { $0.type },
        Column("indicator", maxWidth: 50) { $0.indicator },
        Column("sources", maxWidth: 30) { $0.sources.joined(separator: ",") },
    ]
}

/// Durations as people write them: 90s, 30m, 1h, 7d.
enum DurationText {
    static func short(_ seconds: TimeInterval) -> String {
        let whole = Int(seconds)
        if whole % 86_400 == 0 { return "\(whole / 86_400)d" }
        if whole % 3_600 == 0 { return "\(whole / 3_600)h" }
        if whole % 60 == 0 { return "\(whole / 60)m" }
        return "\(whole)s"
    }
}
