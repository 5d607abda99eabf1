import ArgumentParser
import CoreRecon
import CoreReconStore
import Foundation
import Synchronization

/// What `alert watch` and `incident watch` follow, and for how long.
struct WatchOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Only events at or above this severity.", valueName: "severity")) var severity: String?
    @Option(help: ArgumentHelp("Only events of alerts of this source (repeatable).", valueName: "source"))
    var source: [String] = []
    @Option(help: ArgumentHelp("Only events of what is assigned to this user.", valueName: "user")) var assignee:
        String?
    @Option(
        help: ArgumentHelp(
            "Start after this cursor (each event carries one; resumes a watch that stopped) instead of now.",
            valueName: "cursor"))
    var since: Int64?
    @Option(help: ArgumentHelp("Stop after this many events (default: until interrupted).", valueName: "n"))
    var count: Int?

    func validate() throws {
        if let severity, Severity(name: severity) == nil {
            throw ValidationError("--severity must be informational, low, medium, high or critical.")
        }
        if let since, since < 0 { throw ValidationError("--since is a cursor: 0 or more.") }
        if let count, count < 1 { throw ValidationError("--count must be 1 or more.") }
    }

    func filter(channel: String) -> StreamFilter {
        var filter = StreamFilter()
        filter.channels = [channel]
        filter.minimumSeverity = severity.flatMap(Severity.init(name:))
        filter.sources = Set(source)
        filter.assignee = assignee
        return filter
    }

    /// Prints each event as it comes: its JSON line with --format json or ndjson (for `jq` and scripts), else one
    /// line for people with the cursor to resume from.
    func run(channel: String, services: any CommandServices, format: OutputFormat, notice: (String) -> Void)
        async throws
    {
        notice(
            "following \(channel) "
                + (since.map { "after cursor \($0)" } ?? "from now on")
                + (count.map { " until \($0) events" } ?? " (Ctrl-C stops)"))
        let printed = Mutex(0)
        let limit = count ?? .max
        let raw = format == .json || format == .ndjson
        try await services.eventStream.follow(filter(channel: channel), after: since) { message, cursor in
            let line = raw ? message : Self.describe(message, cursor: cursor)
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
            return printed.withLock { count in
                count += 1
                return count < limit
            }
        }
    }

    /// `2026-12-05 16:20:01Z  alert.created  42  high  new  ET SCAN probe  (cursor 17)`.
    static func describe(_ message: String, cursor: Int64) -> String {
        let event = (try? JSONParser.parse(message)) ?? .null
        let subject = event[key: "alert"] ?? event[key: "incident"] ?? event[key: "run"] ?? .null
        let at = event[key: "at"]?.text.flatMap(TimestampParser.iso8601).map(ISO8601Format.forPeople) ?? "-"
        let fields = [
            at, event[key: "type"]?.text ?? "-", subject[key: "id"]?.text ?? "-", subject[key: "severity"]?.text ?? "-",
            subject[key: "status"]?.text ?? subject[key: "state"]?.text ?? "-",
            subject[key: "title"]?.text ?? subject[key: "playbook"]?.text ?? "",
        ]
        return fields.joined(separator: "  ") + "  (cursor \(cursor))"
    }
}

extension AlertCommand {
    struct Watch: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "watch",
            abstract: "Follow alert events as they happen: created, updated, matched.",
            discussion: """
                On the database it reads the events table; over the API it follows the server's WebSocket \
                stream, and after a dropped connection resumes after the last event's cursor (said on stderr), so \
                nothing is printed twice or lost while the server keeps the events (a day). --format ndjson \
                prints each event's JSON, one a line, for jq; otherwise a line per event ending with its cursor, \
                which --since resumes from.
                """)
        @OptionGroup var global: GlobalOptions
        @OptionGroup var watch: WatchOptions

        func run(with services: any CommandServices, output: Output) async throws {
            try await watch.run(channel: "alerts", services: services, format: global.format) { notice($0) }
        }
    }
}

extension IncidentCommand {
    struct Watch: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "watch",
            abstract: "Follow incident events as they happen: created, updated, closed.",
            discussion: """
                As `alert watch`, for incidents: the events table on the database, the WebSocket stream over \
                the API, resumed after a dropped connection; --format ndjson for scripts, --since CURSOR to \
                resume.
                """)
        @OptionGroup var global: GlobalOptions
        @OptionGroup var watch: WatchOptions

        func run(with services: any CommandServices, output: Output) async throws {
            try await watch.run(channel: "incidents", services: services, format: global.format) { notice($0) }
        }
    }
}
