import CoreRecon
import Foundation

/// What `ioc export` writes, and how.
public struct IndicatorExportRequest: Sendable {
    public enum Format: String, Sendable, CaseIterable { case stix, misp, suricata, csv, txt }
    public var format: Format = .stix
    public var types: [IndicatorType] = []
    public var tag: String?
    public var minimumScore: Double?
    public var tlpMax: TLP?
    /// Suricata rules' action: `alert` or `drop`.
    public var action = "alert"
    public var sidBase = 1_000_000_000
    /// The MISP event's title.
    public var info = "CoreRecon indicators"

    public init() {}
}

/// What `ioc update` changes; fields not given stay.
public struct IndicatorUpdate: Sendable {
    public var tlp: TLP?
    public var confidence: Int?
    public var addTags: [String] = []
    public var removeTags: [String] = []
    /// An empty text removes it.
    public var description: String?
    /// Valid for this long from now (`30d`), or `never`: no end of validity.
    public var expires: String?
    /// Takes a revocation back.
    public var unrevoke = false

    public init() {}
}

/// `corerecon ioc` as the commands use it, whichever side answers: the database (``LocalIndicators``) or the API
/// of a running server (``RemoteIndicators``). An indicator is named by its id or its value.
public protocol IndicatorOperations: Sendable {
    func list(_ query: IndicatorQuery) async throws -> [IndicatorSummary]
    func detail(_ reference: String) async throws -> IndicatorDetail
    /// Adds one indicator (or reports it again); `expires` is a duration from now (`30d`).
    func add(_ report: IndicatorReport, expires: String?, by actor: String) async throws -> IndicatorSummary
    func sight(_ reference: String, source: String, falsePositive: Bool, by actor: String) async throws
        -> IndicatorSummary
    func revoke(_ reference: String, by actor: String) async throws -> IndicatorSummary
    func delete(_ reference: String, by actor: String) async throws -> IndicatorSummary
    func stats() async throws -> IndicatorStats
    /// Stores reports read from feeds, then looks back over the stored alerts; `warn` hears of steps after the
    /// storing that failed.
    func importReports(
        _ reports: [IndicatorReport], defaultConfidence: Int, force: Bool, by actor: String,
        warn: @Sendable (String) -> Void
    ) async throws -> IndicatorImportSummary
    /// The export's text, without a final newline for the JSON formats.
    func export(_ request: IndicatorExportRequest) async throws -> String
    func update(_ reference: String, _ change: IndicatorUpdate, by actor: String) async throws -> IndicatorSummary
    /// Matches the alerts seen since `since` against the active indicators; records the new matches unless
    /// `record` is false.
    func hunt(since: Date, record: Bool, by actor: String) async throws -> [AlertIndicatorMatch]
}

/// Indicators in the database.
public struct LocalIndicators: IndicatorOperations {
    let services: AppServices

    public init(services: AppServices) { self.services = services }

    var indicators: IndicatorService { services.indicators }

    func summary(_ indicator: Indicator) -> IndicatorSummary {
        IndicatorSummary(indicator, decay: indicators.decay, at: services.now())
    }

    public func list(_ query: IndicatorQuery) async throws -> [IndicatorSummary] {
        let now = services.now()
        let decay = indicators.decay
        return try await indicators.list(query).map { IndicatorSummary($0, decay: decay, at: now) }
    }

    public func detail(_ reference: String) async throws -> IndicatorDetail {
        let found = try await indicators.find(reference)
        let sightings = try await indicators.sightings(of: found)
        return IndicatorDetail(
            indicator: summary(found), pattern: found.pattern, sightings: sightings,
            scoreHistory: indicators.decay.history(found, sightings: sightings, now: services.now()))
    }

    public func add(_ report: IndicatorReport, expires: String?, by actor: String) async throws -> IndicatorSummary {
        var report = report
        if let expires {
            guard let duration = AppConfig.parseDuration(expires) else {
                throw CoreReconError.invalidInput(
                    location: "--expires", reason: "'\(expires)' is not a duration such as 30d or 12h.")
            }
            report.validUntil = services.now().addingTimeInterval(duration.seconds)
        }
        _ = try await indicators.importReports(
            [report], actor: actor, defaultConfidence: report.confidence ?? 75)
        return summary(try await indicators.find(report.value))
    }

    public func sight(_ reference: String, source: String, falsePositive: Bool, by actor: String) async throws
        -> IndicatorSummary
    {
        summary(try await indicators.sight(reference, source: source, falsePositive: falsePositive, actor: actor))
    }

    public func revoke(_ reference: String, by actor: String) async throws -> IndicatorSummary {
        summary(try await indicators.revoke(reference, actor: actor))
    }

    public func delete(_ reference: String, by actor: String) async throws -> IndicatorSummary {
        summary(try await indicators.delete(reference, actor: actor))
    }

    public func stats() async throws -> IndicatorStats { try await indicators.stats() }

    public func importReports(
        _ reports: [IndicatorReport], defaultConfidence: Int, force: Bool, by actor: String,
        warn: @Sendable (String) -> Void
    ) async throws -> IndicatorImportSummary {
        let outcome = try await indicators.importAndHunt(
            reports, actor: actor, defaultConfidence: defaultConfidence, force: force, refreshMatcher: true)
        for warning in outcome.warnings { warn(warning) }
        return outcome.summary
    }

    public func export(_ request: IndicatorExportRequest) async throws -> String {
        try await Self.export(request, indicators: indicators, now: services.now())
    }

    public func update(_ reference: String, _ change: IndicatorUpdate, by actor: String) async throws
        -> IndicatorSummary
    {
        summary(try await indicators.update(reference, try Self.edit(change, now: services.now()), actor: actor))
    }

    /// The edit `change` makes at `now` (the server's route makes the same).
    public static func edit(_ change: IndicatorUpdate, now: Date) throws(CoreReconError) -> IndicatorService.Edit {
        var edit = IndicatorService.Edit()
        edit.tlp = change.tlp
        edit.confidence = change.confidence
        edit.addTags = change.addTags
        edit.removeTags = change.removeTags
        edit.description = change.description
        if change.expires == "never" {
            edit.validUntil = .some(nil)
        } else if let expires = change.expires {
            guard let duration = AppConfig.parseDuration(expires) else {
                throw .invalidInput(
                    location: "expires", reason: "'\(expires)' is not a duration such as 30d or 12h, or never.")
            }
            edit.validUntil = .some(now.addingTimeInterval(duration.seconds))
        }
        if change.unrevoke { edit.revoked = false }
        return edit
    }

    public func hunt(since: Date, record: Bool, by actor: String) async throws -> [AlertIndicatorMatch] {
        try await indicators.hunt(since: since, record: record, actor: actor)
    }

    /// The export of `request` from `indicators` (the server's route writes the same).
    public static func export(_ request: IndicatorExportRequest, indicators: IndicatorService, now: Date) async throws
        -> String
    {
        var query = IndicatorQuery()
        query.types = request.types
        query.tag = request.tag
        query.minimumScore = request.minimumScore
        query.limit = Int.max
        let selected = IndicatorExport.markedAtMost(request.tlpMax, try await indicators.list(query))
        switch request.format {
        case .txt: return IndicatorExport.text(selected)
        case .csv: return IndicatorExport.csv(selected, decay: indicators.decay, at: now)
        case .stix: return STIXExport.bundle(selected, now: now).jsonString
        case .misp: return MISPExport.event(selected, info: request.info, now: now).jsonString
        case .suricata:
            return SuricataExport.rules(
                selected, action: request.action, sidBase: request.sidBase, decay: indicators.decay, now: now)
        }
    }
}
