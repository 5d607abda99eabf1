import Foundation

/// An alert that matched an indicator, as `alert show` and the API print it.
public struct AlertIndicatorMatch: Sendable, Equatable, Encodable {
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
/// by the ingest paths of a process: with a million indicators a load takes tens of seconds.
public actor IndicatorMatcherCache {
    public let maximumAge: Duration
    private var matcher: IndicatorMatcher?
    private var version: String?
    private var loaded = ContinuousClock.now

    public init(maximumAge: Duration = .seconds(600)) {
        self.maximumAge = maximumAge
    }

    /// The matcher for `version` (a cheap summary of the table), loading it with `load` when it changed or aged.
    public func matcher(
        version: String, load: @Sendable () async throws -> IndicatorMatcher
    ) async throws -> IndicatorMatcher {
        if let matcher, self.version == version, ContinuousClock.now - loaded < maximumAge { return matcher }
        let fresh = try await load()
        matcher = fresh
        self.version = version
        loaded = .now
        return fresh
    }
}

extension IndicatorService {
    /// Looks the observables of `alertIDs` up among the active indicators and records each new match: a row
    /// for `alert show`, a sighting of the indicator (its decay starts over), an audit row and an
    /// `alert.ioc_matched` event, in one transaction. Returns the new matches.
    public func matchAlerts(_ alertIDs: [Int64], cache: IndicatorMatcherCache, actor: String) async throws
        -> [AlertIndicatorMatch]
    {
        guard !alertIDs.isEmpty else { return [] }
        let version = try await repository.version()
        let matcher = try await cache.matcher(version: version) { [self] in
            var query = IndicatorQuery()
            query.limit = Int.max
            return IndicatorMatcher(try await list(query))
        }
        guard !matcher.isEmpty else { return [] }
        var found: [(alertID: Int64, indicator: Indicator, value: String)] = []
        let at = now()
        for (alertID, value) in try await repository.observables(of: Array(Set(alertIDs))) {
            for hit in matcher.hits(in: value) where decay.expiry(hit.indicator, at: at) == nil {
                found.append((alertID, hit.indicator, value))
            }
        }
        guard !found.isEmpty else { return [] }
        return try await repository.recordMatches(found, at: at, actor: actor, raise: raise(for: found))
    }

    /// The store's revision as the matcher cache compares it.
    public func version() async throws -> String { try await repository.version() }

    public func matches(ofAlert id: Int64) async throws -> [AlertIndicatorMatch] {
        try await repository.matches(ofAlert: id)
    }
}
