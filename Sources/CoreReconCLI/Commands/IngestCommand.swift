import ArgumentParser
import CoreRecon
import CoreReconStore
import Foundation
import Synchronization

/// `corerecon ingest`: SIEM alerts in, normalized to OCSF, deduplicated, stored.
struct IngestCommand: RemoteCapableCommand {
    /// Matching reads the stored alerts' observables while the next batches are written.
    static let sqliteReaders = 1
    /// Beyond memory, a checkpoint's copy and sync on the writer stall every batch behind it.
    static let sqliteBackgroundCheckpoint = true
    /// Batches of inserts ran as fast or faster with half the default page cache, and the process peaked about
    /// 30 MB lower (BENCHMARKS.md, "A smaller writer cache").
    static let sqliteWriterCacheMiB: Int? = 32
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Ingest SIEM alerts from files, directories or stdin.",
        discussion: """
            Reads JSON alerts — one object, a JSON array, or NDJSON; gzip-compressed or not — from files, \
            directories (recursively: *.json, *.ndjson, *.jsonl, *.log, *.eve, and their .gz) and stdin (`-`, or \
            no path with a pipe). Each record is normalized to an OCSF Detection Finding, checked against earlier \
            deliveries (a re-delivered record changes nothing) and merged into an open alert with the same \
            fingerprint within the dedup window, or stored as a new alert. Records are committed in batches, \
            each with an audit log row (counts and sources) naming who ingested it (--as). From a pipe, records \
            are taken as they arrive, and whatever has arrived is committed whenever stdin is quiet for 200 ms, \
            so `tail -F eve.json | corerecon ingest -` stores alerts as Suricata writes them.

            Stored alerts are matched against the active indicators (`corerecon ioc`): a match shows in `alert \
            show` and counts as a sighting of the indicator.

            A record that cannot be parsed or mapped is rejected with its file:line and the reason, and the \
            records around it are stored; --reject-file keeps every rejected record with its reason. The exit \
            code is 65 when anything was rejected.

            Formats: \(AlertFormat.allCases.map(\.rawValue).joined(separator: ", ")); `auto` detects each \
            record's format. Mappings are documented in docs/mappings/.

            CSV exports (--input-format csv, or files named *.csv) need a header row: each row becomes a record \
            keyed by the header's names, mapped like JSON (usually by the generic format, which knows title, \
            severity, host, user, src_ip, ...). --column KEY=NAME says which header holds a field: \
            `--column title=AlertName --column host=Computer`. A row with more fields than the header is \
            rejected with its line.

            With --server (or CORERECON_SERVER, or a context) the records go to that server's API instead, 500 \
            at a time (`corerecon login`, or an ingest-role key in CORERECON_TOKEN); the server stores and \
            matches them, and rejections still name the file and line they were read from.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(
        help: ArgumentHelp("Files or directories to read; `-` for stdin.", valueName: "path"),
        completion: .file())
    var paths: [String] = []

    @Option(help: ArgumentHelp("Record format, or auto to detect per record.", valueName: "format"))
    var inputFormat: InputFormatOption = .auto

    @Option(
        name: .customLong("column"),
        help: ArgumentHelp(
            "CSV input: the header's name for a field, KEY=NAME (repeatable). Keys: "
                + CSVAlertReader.keys.keys.sorted().joined(separator: ", ") + ".", valueName: "key=name"))
    var columns: [String] = []

    @Option(
        help: ArgumentHelp("Label for the feed, stored with each alert (default: the format name).", valueName: "name"))
    var source: String?

    @Flag(help: "Print the normalized OCSF records as NDJSON and store nothing.")
    var dryRun = false

    @Option(
        help: ArgumentHelp("Write each rejected record and its reason to this file (NDJSON).", valueName: "path"),
        completion: .file())
    var rejectFile: String?

    @OptionGroup var actor: ActorOption

    /// Rejections listed on stderr before they are only counted.
    static let rejectionsShown = 20

    func validate() throws {
        if paths.isEmpty && Terminal.isTerminal(.standardInput) {
            throw ValidationError("No input: name files or directories, or pipe records to stdin (`-`).")
        }
        for column in columns {
            let parts = column.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[1].isEmpty else {
                throw ValidationError("--column takes KEY=NAME, for example title=AlertName.")
            }
            guard CSVAlertReader.keys[parts[0].lowercased()] != nil else {
                throw ValidationError(
                    "--column: '\(parts[0])' is not a key; use one of "
                        + CSVAlertReader.keys.keys.sorted().joined(separator: ", ") + ".")
            }
        }
        if !columns.isEmpty, inputFormat != .csv, !paths.contains(where: Self.isCSV) {
            throw ValidationError("--column is for CSV input: add --input-format csv (or name .csv files).")
        }
    }

    /// A `.csv` or `.csv.gz` file.
    static func isCSV(_ path: String) -> Bool {
        let lowered = path.lowercased()
        return lowered.hasSuffix(".csv") || lowered.hasSuffix(".csv.gz")
    }

    func run(with services: any CommandServices, output: Output) async throws {
        let inputs = try InputReader.inputs(for: paths.isEmpty ? ["-"] : paths)
        let rejects = try rejectFile.map(RejectWriter.init)
        defer { rejects?.close() }
        let progress = ProgressLine()
        var shown = 0
        let ndjson = NDJSONWriter()

        let run = try services.startIngest(
            IngestRequest(
                format: inputFormat.format, source: source, dryRun: dryRun, actor: try services.actor(actor.actor)),
            onReject: { rejection in
                try rejects?.write(rejection)
                if shown < Self.rejectionsShown {
                    progress.clear()
                    Terminal.printError("rejected \(rejection.location): \(rejection.reason)")
                }
                shown += 1
            },
            onNormalized: { alert in ndjson.write(alert.ocsf) },
            onProgress: { summary in
                progress.update(
                    "\(summary.read.grouped) records, \(summary.created.grouped) new, \(summary.merged.grouped) merged, "
                        + "\(summary.rejected.grouped) rejected (\(Int(summary.alertsPerSecond).grouped)/s)")
            }
        )
        let session = run.session
        var unreadable: [String] = []
        let reader = InputReader(maximumRecordSize: services.recordSize)
        var columnNames: [String: String] = [:]
        for column in columns {
            let parts = column.split(separator: "=", maxSplits: 1).map(String.init)
            columnNames[parts[0].lowercased()] = parts[1]
        }
        for input in inputs {
            do {
                var isCSV = inputFormat == .csv
                if case .file(let path) = input, Self.isCSV(path) { isCSV = true }
                if isCSV {
                    try await reader.readCSV(input, columns: columnNames, onIdle: { try await session.commitPending() })
                    {
                        row, name in
                        switch row {
                        case .record(let bytes, let line):
                            try await session.add(bytes, location: "\(name):\(line)", isTruncated: false)
                        case .rejected(let reason, let line):
                            try await session.reject(location: "\(name):\(line)", reason: reason, raw: "")
                        }
                    }
                    continue
                }
                try await reader.read(input, onIdle: { try await session.commitPending() }) { record in
                    try await session.add(record.bytes, location: record.location, isTruncated: record.isTruncated)
                }
            } catch let error as CoreReconError {
                // One unreadable file does not stop the others; it makes the run fail at the end.
                progress.clear()
                Terminal.printError("error: \(error)")
                unreadable.append("\(error)")
            }
        }
        let summary = try await session.finish()
        try await run.stored()
        var matched: [(alertID: Int64, indicatorID: Int64)] = []
        // Threat intelligence: the stored alerts' observables against the active indicators. The alerts are
        // stored either way; a failure here is a warning, not a failed ingest.
        do {
            matched = try await run.matches(summary)
        } catch {
            Terminal.printError("warning: the alerts are stored, but matching them against indicators failed: \(error)")
        }
        ndjson.flush()
        progress.clear()
        if shown > Self.rejectionsShown {
            Terminal.printError(
                "... and \((shown - Self.rejectionsShown).grouped) more rejected"
                    + (rejectFile.map { " (all are in \($0))" } ?? " (use --reject-file to keep them)"))
        }
        report(summary, output: output)
        if !matched.isEmpty && !global.quiet {
            let alerts = Set(matched.map(\.alertID)).count
            let indicators = Set(matched.map(\.indicatorID)).count
            Terminal.printError(
                "\(alerts.grouped) alert\(alerts == 1 ? "" : "s") matched \(indicators.grouped) indicator"
                    + "\(indicators == 1 ? "" : "s") (`alert show ID` lists them)")
        }
        if summary.rejected > 0 || !unreadable.isEmpty { throw ExitCode(65) }
    }

    private func report(_ summary: IngestSummary, output: Output) {
        if global.format == .json && !dryRun {
            output.writeJSON(summary)
        }
        guard !global.quiet else { return }
        let verb = dryRun ? "normalized" : "ingested"
        Terminal.printError(
            "\(verb) \(summary.read.grouped) records in \(String(format: "%.2f", summary.seconds)) s "
                + "(\(Int(summary.alertsPerSecond).grouped) alerts/s): \(summary.created.grouped) new alerts, "
                + "\(summary.merged.grouped) duplicates merged, \(summary.redelivered.grouped) re-deliveries skipped, "
                + "\(summary.rejected.grouped) rejected"
        )
    }
}

/// `--input-format`: a format, `auto`, or `csv` (rows of a CSV export, each detected like a record).
enum InputFormatOption: ExpressibleByArgument, Equatable {
    case auto
    case csv
    case format(AlertFormat)

    init?(argument: String) {
        if argument == "auto" {
            self = .auto
        } else if argument.lowercased() == "csv" {
            self = .csv
        } else if let format = AlertFormat(rawValue: argument.lowercased()) {
            self = .format(format)
        } else {
            return nil
        }
    }

    var format: AlertFormat? {
        if case .format(let format) = self { return format }
        return nil
    }

    static var allValueStrings: [String] { ["auto", "csv"] + AlertFormat.allCases.map(\.rawValue) }
}

/// Appends rejected records to `--reject-file` as NDJSON: `{"location":…,"reason":…,"record":…}`.
final class RejectWriter {
    private let handle: FileHandle
    private let path: String

    init(path: String) throws {
        self.path = path
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forWritingAtPath: path)
        else {
            throw CoreReconError.invalidInput(location: path, reason: "cannot create the reject file.")
        }
        self.handle = handle
    }

    func write(_ rejection: Rejection) throws {
        let line =
            JSONValue.object([
                JSONMember("location", .string(rejection.location)),
                JSONMember("reason", .string(rejection.reason)),
                JSONMember("record", .string(rejection.raw)),
            ]).jsonString + "\n"
        do {
            try handle.write(contentsOf: Data(line.utf8))
        } catch {
            throw CoreReconError.failed("cannot write to the reject file \(path): \(error.localizedDescription).")
        }
    }

    func close() { try? handle.close() }
}

/// Buffered NDJSON on stdout.
final class NDJSONWriter {
    private var buffer: [UInt8] = []

    func write(_ line: String) {
        buffer.append(contentsOf: line.utf8)
        buffer.append(0x0A)
        if buffer.count >= 1 << 16 { flush() }
    }

    func flush() {
        guard !buffer.isEmpty else { return }
        FileHandle.standardOutput.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Matches the alerts of each committed batch against the indicators in a task of its own, so the look-ups
/// (and the matcher's load) overlap the ingest of the next batches. An alert merged again later is submitted
/// again, and only matches not recorded before are recorded.
final class BackgroundMatching: Sendable {
    private let submitted = Mutex(0)
    private let batches: AsyncStream<[Int64]>.Continuation
    private let task: Task<[AlertIndicatorMatch], any Error>

    init(services: AppServices, actor: String) {
        let (stream, continuation) = AsyncStream<[Int64]>.makeStream()
        batches = continuation
        task = Task {
            var matched: [AlertIndicatorMatch] = []
            var failure: (any Error)?
            for await ids in stream {
                do {
                    matched += try await services.indicators.matchAlerts(
                        ids, cache: services.matcherCache, memo: services.matcherMemo, actor: actor)
                } catch {
                    failure = failure ?? error
                }
            }
            if let failure { throw failure }
            return matched
        }
    }

    /// Hands over the ids not submitted yet (`all` is the session's growing list).
    func submit(_ all: [Int64]) {
        let from = submitted.withLock { count in
            defer { count = max(count, all.count) }
            return count
        }
        if all.count > from { batches.yield(Array(all[from...])) }
    }

    /// Waits for every submitted batch; the matches recorded, or the first error.
    func finish() async throws -> [AlertIndicatorMatch] {
        batches.finish()
        return try await task.value
    }
}

/// What `ingest` asks of the side that stores: the format, the feed's label, a dry run or not, and who ingests.
struct IngestRequest {
    var format: AlertFormat?
    var source: String?
    var dryRun: Bool
    var actor: String
}

/// An ingest under way: the session records go to, and what follows its last batch.
protocol IngestRun {
    var session: any AlertIngesting { get }
    /// After the last batch is stored: housekeeping of the side that stored it.
    func stored() async throws
    /// The indicator matches of the stored alerts: which alert, which indicator.
    func matches(_ summary: IngestSummary) async throws -> [(alertID: Int64, indicatorID: Int64)]
}

/// An ingest on the database: matching runs batch by batch beside it, and the matcher loads at once, on a
/// connection of its own (with a million indicators the table is tens of megabytes), so the first batch's
/// matching finds it ready or nearly so.
final class LocalIngestRun: IngestRun {
    let session: any AlertIngesting
    let services: AppServices
    let matching: BackgroundMatching?
    let prefetch: Task<Void, Never>?

    init(
        services: AppServices, request: IngestRequest, onReject: @escaping (Rejection) throws -> Void,
        onNormalized: @escaping (NormalizedAlert) throws -> Void, onProgress: @escaping (IngestSummary) -> Void
    ) {
        self.services = services
        let matching = request.dryRun ? nil : BackgroundMatching(services: services, actor: request.actor)
        self.matching = matching
        prefetch = request.dryRun ? nil : Task { await services.prefetchIndicatorMatcher() }
        session = services.makeIngestSession(
            format: request.format, sourceLabel: request.source, mode: request.dryRun ? .dryRun : .store,
            actor: request.actor, onReject: onReject, onNormalized: onNormalized,
            onProgress: { summary in
                matching?.submit(summary.alertIDs)
                onProgress(summary)
            })
    }

    deinit { prefetch?.cancel() }

    func stored() async throws {
        if matching != nil { try await services.pruneStreamEvents() }
    }

    func matches(_ summary: IngestSummary) async throws -> [(alertID: Int64, indicatorID: Int64)] {
        guard let matching else { return [] }
        matching.submit(summary.alertIDs)
        return try await matching.finish().map { ($0.alertID, $0.indicatorID) }
    }
}

extension AppServices {
    func startIngest(
        _ request: IngestRequest, onReject: @escaping (Rejection) throws -> Void,
        onNormalized: @escaping (NormalizedAlert) throws -> Void, onProgress: @escaping (IngestSummary) -> Void
    ) throws(CoreReconError) -> any IngestRun {
        LocalIngestRun(
            services: self, request: request, onReject: onReject, onNormalized: onNormalized, onProgress: onProgress)
    }

    var recordSize: Int { config.ingest.limits.recordSize }
}

/// An ingest through a server's API: it stores, and matches what it stores, batch by batch; its answers say
/// which alerts matched which indicators.
struct RemoteIngestRun: IngestRun {
    let remote: RemoteIngestSession
    var session: any AlertIngesting { remote }

    func stored() async throws {}
    func matches(_ summary: IngestSummary) async throws -> [(alertID: Int64, indicatorID: Int64)] {
        remote.indicatorMatches
    }
}

extension RemoteServices {
    func startIngest(
        _ request: IngestRequest, onReject: @escaping (Rejection) throws -> Void,
        onNormalized: @escaping (NormalizedAlert) throws -> Void, onProgress: @escaping (IngestSummary) -> Void
    ) throws(CoreReconError) -> any IngestRun {
        guard !request.dryRun else {
            throw .configuration("--dry-run stores nothing and needs no server: run it without --server")
        }
        return RemoteIngestRun(
            remote: RemoteIngestSession(
                client: client, format: request.format, source: request.source, recordSize: recordSize,
                onReject: onReject, onProgress: onProgress))
    }
}
