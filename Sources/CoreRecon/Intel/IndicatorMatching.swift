import Foundation

/// An alert that matched an indicator, as `alert show` and the API print it.
public struct AlertIndicatorMatch: Sendable, Equatable, Codable {
    public var alertID: Int64
    public var indicatorID: Int64
    /// The alert's observable that matched.
    public var value: String
    public var type: IndicatorType
    /// The indicator's value (a listed parent domain, a network).
    public var indicator: String
    public var tags: [String]
    public var tlp: TLP?
    public var sources: [String]
    public var matchedAt: Date

    public init(
        alertID: Int64, indicatorID: Int64, value: String, type: IndicatorType, indicator: String, tags: [String],
        tlp: TLP?, sources: [String], matchedAt: Date
    ) {
        self.alertID = alertID
        self.indicatorID = indicatorID
        self.value = value
        self.type = type
        self.indicator = indicator
        self.tags = tags
        self.tlp = tlp
        self.sources = sources
        self.matchedAt = matchedAt
    }
}

/// The active indicators as a matcher, reloaded when the store's revision moves (an import, an edit, a
/// revocation, a deletion, a warninglist) and at the latest `maximumAge` after the last load, for indicators kept
/// alive by sightings alone. Hits are checked against expiry when they happen, so decay needs no reload. Shared
/// by the ingest paths of a process: with a million indicators a load takes seconds.
public actor IndicatorMatcherCache {
    public let maximumAge: Duration
    private var matcher: IndicatorMatcher?
    private var version: String?
    private var loaded = ContinuousClock.now
    /// A load under way: callers asking for the same version meanwhile wait for it rather than load again.
    private var loading: (version: String, task: Task<IndicatorMatcher, any Error>)?
    /// The store's revision as last read, and the instant before that read began.
    private var revision: (value: String, readFrom: ContinuousClock.Instant)?
    /// A read of the revision under way, and the instant before it began.
    private var revisionRead: (from: ContinuousClock.Instant, task: Task<String, any Error>)?

    public init(maximumAge: Duration = .seconds(600)) {
        self.maximumAge = maximumAge
    }

    /// The store's revision, read with `read` after `committed`, the instant by which the caller's alerts were
    /// committed: an import committed before then is in it, and one committed later has its retro-hunt find the
    /// alerts. A read that began after `committed`, finished or under way, answers for every caller it can, so
    /// the alerts of one group-commit round cost one read, not one each.
    public func revision(
        committed: ContinuousClock.Instant, read: @escaping @Sendable () async throws -> String
    ) async throws -> String {
        if let revision, revision.readFrom >= committed { return revision.value }
        if let revisionRead, revisionRead.from >= committed { return try await revisionRead.task.value }
        let from = ContinuousClock.now
        let task = Task { try await read() }
        revisionRead = (from, task)
        defer { if revisionRead?.from == from { revisionRead = nil } }
        let value = try await task.value
        if (revision?.readFrom ?? from) <= from { revision = (value, from) }
        return value
    }

    /// The matcher for `version` (a cheap summary of the table), loading it with `load` when it changed or aged.
    public func matcher(
        version: String, load: @escaping @Sendable () async throws -> IndicatorMatcher
    ) async throws -> IndicatorMatcher {
        if let matcher, self.version == version, ContinuousClock.now - loaded < maximumAge { return matcher }
        if let loading, loading.version == version { return try await loading.task.value }
        let task = Task { try await load() }
        loading = (version, task)
        do {
            let fresh = try await task.value
            matcher = fresh
            self.version = version
            loaded = .now
            if self.loading?.version == version { self.loading = nil }
            return fresh
        } catch {
            if self.loading?.version == version { self.loading = nil }
            throw error
        }
    }
}

extension IndicatorService {
    /// Looks the observables of `alertIDs` up among the active indicators and records each new match: a row
    /// for `alert show`, a sighting of the indicator (its decay starts over), an audit row and an
    /// `alert.ioc_matched` event, in one transaction. Returns the new matches.
    ///
    /// `committed` is an instant by which the alerts were committed (now when nil): callers whose alerts were
    /// committed together share one read of the store's revision.
    public func matchAlerts(
        _ alertIDs: [Int64], cache: IndicatorMatcherCache, memo: IndicatorMissMemo? = nil, actor: String,
        committed: ContinuousClock.Instant? = nil
    ) async throws -> [AlertIndicatorMatch] {
        guard !alertIDs.isEmpty else { return [] }
        let repository = repository
        let version = try await cache.revision(committed: committed ?? .now) { try await repository.version() }
        let matcher = try await cache.matcher(version: version) { [self] in try await self.matcher(version: version) }
        guard !matcher.isEmpty else { return [] }
        var hits: [(alertID: Int64, id: Indicator.ID, value: String)] = []
        let at = now()
        // Alerts share most of their values (the same hosts, users and addresses): each is looked up once.
        var alertsByValue: [String: [Int64]] = [:]
        for (alertID, value) in try await repository.observables(of: Array(Set(alertIDs))) {
            alertsByValue[value, default: []].append(alertID)
        }
        for (value, alerts) in alertsByValue {
            let matches = memo?.matches(in: value, with: matcher) ?? matcher.matches(in: value)
            guard !matches.isEmpty else { continue }
            for alertID in alerts {
                for match in matches { hits.append((alertID, match.id, value)) }
            }
        }
        guard !hits.isEmpty else { return [] }
        hits.sort { ($0.alertID, $0.value, $0.id) < ($1.alertID, $1.value, $1.id) }
        // The few indicators hit, read whole; expiry by score is decided now, so the cached matcher needs no
        // reload as scores decay.
        let active = try await activeIndicators(Array(Set(hits.map(\.id))))
        let found = hits.compactMap { hit -> (alertID: Int64, indicator: Indicator, value: String)? in
            active[hit.id].map { (hit.alertID, $0, hit.value) }
        }
        guard !found.isEmpty else { return [] }
        return try await repository.recordMatches(found, at: at, actor: actor, raise: raise(for: found))
    }

    /// A matcher over every indicator that can match (see ``IndicatorRepository/matchEntries()``): ids, types and
    /// values only. Check what it finds with ``activeIndicators(_:)``.
    public func activeMatcher() async throws -> IndicatorMatcher {
        try await matcher(version: try await repository.version())
    }

    /// The matcher of the indicators at `version`: the store's snapshot of it when there is one; else built from
    /// the indicators and then stored as the snapshot, when it holds at least ``snapshotMinimum`` entries.
    public func matcher(version: String) async throws -> IndicatorMatcher {
        if let data = try await repository.matcherSnapshot(version: version) {
            do {
                return IndicatorMatcher(table: try IndicatorTable(serialized: data))
            } catch {
                logger.warning(
                    "the stored indicator matcher is unreadable; rebuilding it", metadata: ["error": "\(error)"])
            }
        }
        let matcher = IndicatorMatcher(entries: try await repository.matchEntries())
        if matcher.count >= snapshotMinimum {
            do {
                try await repository.saveMatcherSnapshot(
                    matcher.table.serialized(), entries: matcher.count, version: version)
            } catch {
                // A database this process may only read, or one busy beyond the timeout: the next load tries again.
                logger.notice("the indicator matcher was not stored", metadata: ["error": "\(error)"])
            }
        }
        return matcher
    }

    /// After a bulk import: builds the matcher of the indicators as they now are and stores it as the snapshot
    /// (when big enough), so that the next process to match, an ingest or a server, loads it in milliseconds
    /// instead of rebuilding it. Costs what one such rebuild costs (about 2 s for a million indicators).
    public func refreshMatcherSnapshot() async throws {
        _ = try await activeMatcher()
    }

    /// The indicators of `ids` that are active now (not expired, revoked or on a warninglist), by id.
    public func activeIndicators(_ ids: [Indicator.ID]) async throws -> [Indicator.ID: Indicator] {
        let at = now()
        return Dictionary(
            try await repository.indicators(ids: ids).filter { $0.warning == nil && decay.expiry($0, at: at) == nil }
                .map { ($0.id, $0) },
            uniquingKeysWith: { first, _ in first })
    }

    /// The store's revision as the matcher cache compares it.
    public func version() async throws -> String { try await repository.version() }

    public func matches(ofAlert id: Int64) async throws -> [AlertIndicatorMatch] {
        try await repository.matches(ofAlert: id)
    }
}
