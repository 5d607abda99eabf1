import Foundation
import Logging

/// Storage of indicators, sources and sightings. Every change appends its audit row in the same transaction.
public protocol IndicatorRepository: Sendable {
    /// Merges feed reports: a new (type, value) becomes a row, a known one gains the source, tags and techniques
    /// and a fresh `lastSeen`. Reports keep the highest confidence and the strictest TLP given.
    func merge(_ reports: [IndicatorReport], at: Date, actor: String, defaultConfidence: Int) async throws
        -> IndicatorImportSummary
    func indicators(_ query: IndicatorQuery) async throws -> [Indicator]
    func indicator(id: Indicator.ID) async throws -> Indicator?
    /// The indicators with these ids (those that exist), with their sources.
    func indicators(ids: [Indicator.ID]) async throws -> [Indicator]
    /// What a matcher needs of every indicator that can match: not revoked, not on a warninglist, not a STIX
    /// pattern. Validity and expiry by score are left to the caller, on the indicators it hits, so the entries
    /// change only with ``version()``.
    func matchEntries() async throws -> [IndicatorMatcher.Entry]
    /// The matcher's table as stored for `version` by ``saveMatcherSnapshot(_:version:)``, if it was.
    func matcherSnapshot(version: String) async throws -> Data?
    /// Keeps a matcher's table (``IndicatorTable/serialized()``) for the processes that load one at `version`.
    func saveMatcherSnapshot(_ data: Data, entries: Int, version: String) async throws
    func indicators(value: String) async throws -> [Indicator]
    func sightings(of id: Indicator.ID, limit: Int) async throws -> [IndicatorSighting]
    func addSighting(_ sighting: IndicatorSighting, to id: Indicator.ID, actor: String) async throws
    func setRevoked(_ revoked: Bool, id: Indicator.ID, at: Date, actor: String) async throws
    /// Stores an analyst's edit of TLP, confidence, tags, description and validity, with its audit row.
    func update(_ indicator: Indicator, before: Indicator, at: Date, actor: String) async throws
    func delete(id: Indicator.ID, at: Date, actor: String) async throws
    func warninglists() async throws -> [Warninglist]
    /// Moves with every change matching must see (not with sightings): a cheap check for a cached matcher.
    func version() async throws -> String
    /// The observable values of alerts.
    func observables(of alertIDs: [Int64]) async throws -> [(Int64, String)]
    /// Records matches not recorded before (with sightings, an audit row and `alert.ioc_matched` events) and
    /// returns them; `raise` lifts the severity of those alerts, when lower, in the same transaction.
    func recordMatches(
        _ matches: [(alertID: Int64, indicator: Indicator, value: String)], at: Date, actor: String,
        raise: SeverityRaise?
    ) async throws -> [AlertIndicatorMatch]
    /// The alerts whose last occurrence is at or after `since`, in id order.
    func alertIDs(lastSeenSince since: Date) async throws -> [Int64]
    func matches(ofAlert id: Int64) async throws -> [AlertIndicatorMatch]
    /// Stores a warninglist (replacing one of the same name) and the indicators' new `warning`s, in one
    /// transaction with its audit row.
    func save(_ list: Warninglist, warnings: [Indicator.ID: String?], at: Date, actor: String) async throws
}

/// Alerts whose severity a match raises (`ioc.matchPolicy`), and the severity they are raised to.
public struct SeverityRaise: Sendable, Equatable {
    public var alerts: Set<Int64>
    public var to: Severity

    public init(alerts: Set<Int64>, to: Severity) {
        self.alerts = alerts
        self.to = to
    }
}

/// Threat intelligence: indicators from analysts and feeds, their decaying scores, sightings.
public struct IndicatorService: Sendable {
    let repository: any IndicatorRepository
    public let settings: IocSettings
    public var decay: DecayModel { settings.decay }
    let logger: Logger
    let now: @Sendable () -> Date
    /// The fewest entries a matcher must hold to be stored as the snapshot other processes load: below it,
    /// reading the indicators themselves is about as quick.
    public var snapshotMinimum = 10_000

    public init(
        repository: any IndicatorRepository, settings: IocSettings = IocSettings(), logger: Logger,
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.repository = repository
        self.settings = settings
        self.logger = logger
        self.now = now
    }

    /// Stores reports, in batches of `batchSize` (each a transaction of its own). Values on a warninglist are
    /// flagged, unless `force`.
    public func importReports(
        _ reports: [IndicatorReport], actor: String, defaultConfidence: Int = 75, batchSize: Int = 1_000,
        force: Bool = false
    ) async throws -> IndicatorImportSummary {
        var reports = reports
        if !force {
            let checker = WarninglistChecker(try await repository.warninglists())
            if !checker.isEmpty {
                for index in reports.indices {
                    let lists = checker.lists(containing: reports[index].value, type: reports[index].type)
                    reports[index].warning = lists.isEmpty ? nil : lists.joined(separator: ",")
                }
            }
        }
        var total = IndicatorImportSummary()
        var start = 0
        while start < reports.count {
            let batch = Array(reports[start..<min(start + batchSize, reports.count)])
            let summary = try await repository.merge(
                batch, at: now(), actor: actor, defaultConfidence: defaultConfidence)
            total.new += summary.new
            total.updated += summary.updated
            total.unchanged += summary.unchanged
            total.changed += summary.changed
            start += batchSize
        }
        total.read = reports.count
        total.patternOnly = reports.filter { $0.pattern != nil }.count
        total.warninglisted = reports.filter { $0.warning != nil }.count
        return total
    }

    /// The retro-hunt that follows an import: the stored alerts of the last `ioc.retroHunt` that the new and
    /// changed indicators of `summary` match, recorded as matches are at ingest. Nothing when the look back is off.
    public func retroHunt(after summary: IndicatorImportSummary, actor: String) async throws -> [AlertIndicatorMatch] {
        guard let window = settings.retroHunt, !summary.changed.isEmpty else { return [] }
        // Most imports find no alert in the window (a fresh install, a quiet lab): then nothing is loaded.
        let alertIDs = try await repository.alertIDs(lastSeenSince: now().addingTimeInterval(-window))
        guard !alertIDs.isEmpty else { return [] }
        // A few indicators are read one by one; many, in one pass over the table.
        var indicators: [Indicator] = []
        if summary.changed.count <= 1_000 {
            for id in summary.changed {
                if let indicator = try await repository.indicator(id: id) { indicators.append(indicator) }
            }
        } else {
            let changed = Set(summary.changed)
            var query = IndicatorQuery()
            query.limit = Int.max
            indicators = try await repository.indicators(query).filter { changed.contains($0.id) }
        }
        return try await hunt(alertIDs: alertIDs, candidates: indicators, record: true, actor: actor)
    }

    /// Looks the observables of alerts seen since `since` up among `indicators` (default: every active one) and
    /// records what was not matched before; with `record` false only reports it. Alerts are read a page at a time.
    public func hunt(since: Date, indicators: [Indicator]? = nil, record: Bool = true, actor: String) async throws
        -> [AlertIndicatorMatch]
    {
        let candidates: [Indicator]
        if let indicators {
            candidates = indicators
        } else {
            var query = IndicatorQuery()
            query.limit = Int.max
            candidates = try await list(query)
        }
        let alertIDs = try await repository.alertIDs(lastSeenSince: since)
        return try await hunt(alertIDs: alertIDs, candidates: candidates, record: record, actor: actor)
    }

    private func hunt(alertIDs: [Int64], candidates: [Indicator], record: Bool, actor: String) async throws
        -> [AlertIndicatorMatch]
    {
        let at = now()
        let matcher = IndicatorMatcher(candidates.filter { decay.expiry($0, at: at) == nil && $0.warning == nil })
        guard !matcher.isEmpty, !alertIDs.isEmpty else { return [] }
        var matches: [AlertIndicatorMatch] = []
        for start in stride(from: 0, to: alertIDs.count, by: 2_000) {
            let page = Array(alertIDs[start..<min(start + 2_000, alertIDs.count)])
            var found: [(alertID: Int64, indicator: Indicator, value: String)] = []
            for (alertID, value) in try await repository.observables(of: page) {
                for hit in matcher.hits(in: value) { found.append((alertID, hit.indicator, value)) }
            }
            guard !found.isEmpty else { continue }
            if record {
                matches += try await repository.recordMatches(found, at: at, actor: actor, raise: raise(for: found))
            } else {
                var known: Set<String> = []
                for alertID in Set(found.map(\.alertID)) {
                    for match in try await repository.matches(ofAlert: alertID) {
                        known.insert("\(match.alertID) \(match.indicatorID)")
                    }
                }
                var seen: Set<String> = []
                for match in found where !known.contains("\(match.alertID) \(match.indicator.id)") {
                    guard seen.insert("\(match.alertID) \(match.indicator.id)").inserted else { continue }
                    matches.append(
                        AlertIndicatorMatch(
                            alertID: match.alertID, indicatorID: match.indicator.id, value: match.value,
                            type: match.indicator.type, indicator: match.indicator.value, tags: match.indicator.tags,
                            tlp: match.indicator.tlp, sources: match.indicator.sources.map(\.name), matchedAt: at))
                }
            }
        }
        return matches
    }

    /// The alerts `ioc.matchPolicy` raises for these matches, and to what.
    func raise(for matches: [(alertID: Int64, indicator: Indicator, value: String)]) -> SeverityRaise? {
        guard let target = settings.matchPolicy.raiseTo else { return nil }
        let at = now()
        let alerts = Set(
            matches.filter { decay.score($0.indicator, at: at) >= settings.matchPolicy.minimumScore }.map(\.alertID))
        return alerts.isEmpty ? nil : SeverityRaise(alerts: alerts, to: target)
    }

    /// Indicators matching `query`. Expiry and score depend on the time, so they are filtered here, page by page
    /// in the store's order, until `limit` are found; without those filters the store applies the limit itself.
    public func list(_ query: IndicatorQuery) async throws -> [Indicator] {
        guard query.expired != nil || query.minimumScore != nil else { return try await repository.indicators(query) }
        let at = now()
        var page = query
        page.expired = nil
        page.minimumScore = nil
        page.limit = max(min(query.limit, 10_000) * 2, 1_000)
        page.offset = 0
        var found: [Indicator] = []
        while found.count < query.limit {
            let rows = try await repository.indicators(page)
            found += rows.filter { indicator in
                if let wanted = query.expired, wanted != (decay.expiry(indicator, at: at) != nil) { return false }
                if let minimum = query.minimumScore, decay.score(indicator, at: at) < minimum { return false }
                return true
            }
            if rows.count < page.limit { break }
            page.offset += page.limit
        }
        return Array(found.prefix(query.limit))
    }

    /// The indicator an id (`42`) or a value (any type; refanged and made canonical first) names.
    public func find(_ reference: String) async throws -> Indicator {
        if let id = Int64(reference), id > 0, let found = try await repository.indicator(id: id) { return found }
        let refanged = Refang.refang(reference)
        var candidates = [refanged]
        if let type = IndicatorType.detect(refanged), let canonical = type.canonical(refanged) {
            candidates.insert(canonical, at: 0)
        }
        for value in candidates {
            let found = try await repository.indicators(value: value)
            if found.count == 1 { return found[0] }
            if found.count > 1 {
                throw CoreReconError.conflict(
                    "indicator: '\(reference)' is \(found.count) indicators "
                        + "(\(found.map { "\($0.id) \($0.type.rawValue)" }.joined(separator: ", "))); give the id.")
            }
        }
        throw CoreReconError.notFound(kind: "indicator", id: reference)
    }

    public func sightings(of indicator: Indicator, limit: Int = 100) async throws -> [IndicatorSighting] {
        try await repository.sightings(of: indicator.id, limit: limit)
    }

    /// Records a sighting: a true one refreshes the indicator (its decay starts over), a false positive lowers its
    /// score by the penalty.
    public func sight(_ reference: String, source: String, falsePositive: Bool, actor: String) async throws
        -> Indicator
    {
        let indicator = try await find(reference)
        try await repository.addSighting(
            IndicatorSighting(at: now(), source: source, isFalsePositive: falsePositive), to: indicator.id,
            actor: actor)
        return try await find(String(indicator.id))
    }

    public func revoke(_ reference: String, actor: String) async throws -> Indicator {
        let indicator = try await find(reference)
        try await repository.setRevoked(true, id: indicator.id, at: now(), actor: actor)
        return try await find(String(indicator.id))
    }

    /// What `ioc update` and `PATCH /iocs/{id}` change; nil leaves a field as it is.
    public struct Edit: Sendable {
        public var tlp: TLP?
        public var confidence: Int?
        public var addTags: [String] = []
        public var removeTags: [String] = []
        public var description: String?
        /// A new end of validity; `.some(nil)` removes it.
        public var validUntil: Date??
        public var revoked: Bool?

        public init() {}
    }

    /// Edits an indicator. An un-revoke or a longer validity can bring an expired indicator back into matching.
    public func update(_ reference: String, _ edit: Edit, actor: String) async throws -> Indicator {
        let before = try await find(reference)
        var after = before
        if let tlp = edit.tlp { after.tlp = tlp }
        if let confidence = edit.confidence {
            guard (0...100).contains(confidence) else {
                throw CoreReconError.invalidInput(location: "confidence", reason: "\(confidence) is not 0 to 100")
            }
            after.confidence = confidence
        }
        let removing = Set(edit.removeTags)
        after.tags = IndicatorReport.merging(after.tags.filter { !removing.contains($0) }, edit.addTags)
        if let description = edit.description { after.description = description.isEmpty ? nil : description }
        if let validUntil = edit.validUntil { after.validUntil = validUntil }
        if let revoked = edit.revoked { after.revoked = revoked }
        guard after != before else { return before }
        try await repository.update(after, before: before, at: now(), actor: actor)
        return try await find(String(before.id))
    }

    public func delete(_ reference: String, actor: String) async throws -> Indicator {
        let indicator = try await find(reference)
        try await repository.delete(id: indicator.id, at: now(), actor: actor)
        return indicator
    }

    public func warninglists() async throws -> [Warninglist] {
        try await repository.warninglists()
    }

    /// Stores a warninglist and flags (or clears) every stored indicator against the lists as they now are.
    /// Returns how many indicators are on it.
    public func importWarninglist(_ list: Warninglist, actor: String) async throws -> Int {
        var lists = try await repository.warninglists().filter { $0.name != list.name }
        lists.append(list)
        let checker = WarninglistChecker(lists)
        var query = IndicatorQuery()
        query.expired = nil
        query.limit = Int.max
        var warnings: [Indicator.ID: String?] = [:]
        var onList = 0
        for indicator in try await repository.indicators(query) {
            let names = checker.lists(containing: indicator.value, type: indicator.type)
            if names.contains(list.name) { onList += 1 }
            let warning = names.isEmpty ? nil : names.joined(separator: ",")
            if warning != indicator.warning { warnings[indicator.id] = warning }
        }
        try await repository.save(list, warnings: warnings, at: now(), actor: actor)
        return onList
    }

    /// The warninglists `value` is on (refanged and made canonical first).
    public func checkWarninglists(_ value: String, type: IndicatorType?) async throws -> (IndicatorReport, [String]) {
        let report = try IndicatorReport.parse(value, type: type, source: "check", location: "value")
        let checker = WarninglistChecker(try await repository.warninglists())
        return (report, checker.lists(containing: report.value, type: report.type))
    }

    /// Counts for `ioc stats` and `ioc expire`.
    public func stats() async throws -> IndicatorStats {
        var query = IndicatorQuery()
        query.expired = nil
        query.limit = Int.max
        let all = try await repository.indicators(query)
        let at = now()
        let expired = all.filter { decay.expiry($0, at: at) != nil }.count
        var byType: [String: Int] = [:]
        var bySource: [String: Int] = [:]
        for indicator in all {
            byType[indicator.type.rawValue, default: 0] += 1
            for source in indicator.sources { bySource[source.name, default: 0] += 1 }
        }
        return IndicatorStats(
            total: all.count, active: all.count - expired, expired: expired, byType: byType, bySource: bySource,
            sightings: all.reduce(0) { $0 + $1.sightings })
    }
}

extension IndicatorService {
    /// What an import did, with the stored alerts its retro-hunt matched (nil when the look back is off) and the
    /// warnings of steps that failed after the indicators were stored.
    public struct ImportOutcome: Sendable {
        public var summary: IndicatorImportSummary
        public var retroAlerts: Set<Int64>?
        public var warnings: [String] = []

        public init(summary: IndicatorImportSummary, retroAlerts: Set<Int64>? = nil, warnings: [String] = []) {
            self.summary = summary
            self.retroAlerts = retroAlerts
            self.warnings = warnings
        }
    }

    /// An import as `ioc import` and the API do it: stores the reports, looks back over the stored alerts for the
    /// new and changed indicators, and (when `refreshMatcher` and something changed) rebuilds the matcher snapshot.
    /// The indicators are stored once the first step returns; the later two only warn when they fail.
    public func importAndHunt(
        _ reports: [IndicatorReport], actor: String, defaultConfidence: Int, force: Bool, refreshMatcher: Bool
    ) async throws -> ImportOutcome {
        var outcome = ImportOutcome(
            summary: try await importReports(
                reports, actor: actor, defaultConfidence: defaultConfidence, force: force))
        do {
            let retro = try await retroHunt(after: outcome.summary, actor: actor)
            if settings.retroHunt != nil {
                outcome.retroAlerts = Set(retro.map(\.alertID))
                outcome.summary.retroMatches = outcome.retroAlerts?.count
            }
        } catch {
            outcome.warnings.append("the retro-hunt over stored alerts failed: \(error)")
        }
        if refreshMatcher && !outcome.summary.changed.isEmpty {
            do {
                try await refreshMatcherSnapshot()
            } catch {
                outcome.warnings.append("the indicator matcher was not rebuilt (the next ingest rebuilds it): \(error)")
            }
        }
        return outcome
    }
}
