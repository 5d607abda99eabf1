import Foundation

/// An indicator of compromise: a value of a type, what feeds said about it, and how much it is still worth.
public struct Indicator: Sendable, Equatable {
    public typealias ID = Int64

    public var id: ID
    public var type: IndicatorType
    public var value: String
    public var tlp: TLP?
    /// 0 to 100: how sure the sources are.
    public var confidence: Int
    public var tags: [String]
    public var techniques: [String]
    public var description: String?
    public var validFrom: Date?
    public var validUntil: Date?
    public var revoked: Bool
    /// First and last time any source reported it, or it was sighted (a fresh report or sighting resets the decay).
    public var firstSeen: Date
    public var lastSeen: Date
    public var sightings: Int
    public var falsePositives: Int
    /// For an indicator that is a STIX pattern no single value expresses (`AND` across objects, `FOLLOWEDBY`).
    public var pattern: String?
    public var sources: [IndicatorSource]
    /// The warninglists it is on (comma-separated names): shown as such, never matched.
    public var warning: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: ID, type: IndicatorType, value: String, tlp: TLP? = nil, confidence: Int, tags: [String] = [],
        techniques: [String] = [], description: String? = nil, validFrom: Date? = nil, validUntil: Date? = nil,
        revoked: Bool = false, firstSeen: Date, lastSeen: Date, sightings: Int = 0, falsePositives: Int = 0,
        pattern: String? = nil, sources: [IndicatorSource] = [], warning: String? = nil, createdAt: Date,
        updatedAt: Date
    ) {
        self.warning = warning
        self.id = id
        self.type = type
        self.value = value
        self.tlp = tlp
        self.confidence = confidence
        self.tags = tags
        self.techniques = techniques
        self.description = description
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.revoked = revoked
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.sightings = sightings
        self.falsePositives = falsePositives
        self.pattern = pattern
        self.sources = sources
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// One feed's history with an indicator.
public struct IndicatorSource: Sendable, Equatable, Codable {
    public var name: String
    public var firstSeen: Date
    public var lastSeen: Date

    public init(name: String, firstSeen: Date, lastSeen: Date) {
        self.name = name
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
    }
}

/// Someone saw the indicator (or an alert matched it); a false positive lowers its score.
public struct IndicatorSighting: Sendable, Equatable, Codable {
    public var at: Date
    public var source: String
    public var isFalsePositive: Bool
    public var alertID: Int64?

    public init(at: Date, source: String, isFalsePositive: Bool, alertID: Int64? = nil) {
        self.at = at
        self.source = source
        self.isFalsePositive = isFalsePositive
        self.alertID = alertID
    }
}

/// What one feed record says about an indicator, before it is stored.
public struct IndicatorReport: Sendable, Equatable {
    public var type: IndicatorType
    /// Canonical.
    public var value: String
    public var source: String
    public var tlp: TLP?
    public var confidence: Int?
    public var tags: [String]
    public var techniques: [String]
    public var description: String?
    public var validFrom: Date?
    public var validUntil: Date?
    public var revoked: Bool
    public var pattern: String?
    /// The warninglists the value is on, set at import.
    public var warning: String?
    /// Where it came from in the input (`feed.txt:12`), for messages.
    public var location: String

    public init(
        type: IndicatorType, value: String, source: String, tlp: TLP? = nil, confidence: Int? = nil,
        tags: [String] = [], techniques: [String] = [], description: String? = nil, validFrom: Date? = nil,
        validUntil: Date? = nil, revoked: Bool = false, pattern: String? = nil, location: String = ""
    ) {
        self.type = type
        self.value = value
        self.source = source
        self.tlp = tlp
        self.confidence = confidence
        self.tags = tags
        self.techniques = techniques
        self.description = description
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.revoked = revoked
        self.pattern = pattern
        self.location = location
    }

    /// `a` then what `b` adds, without repeats.
    public static func merging(_ a: [String], _ b: [String]) -> [String] {
        var seen = Set(a)
        return a + b.filter { seen.insert($0).inserted }
    }

    /// A report of `text`, refanged, typed (detected when `type` is nil) and made canonical; throws naming why not.
    public static func parse(
        _ text: String, type: IndicatorType? = nil, source: String, location: String
    ) throws(CoreReconError) -> IndicatorReport {
        let refanged = Refang.refang(text)
        guard let kind = type ?? IndicatorType.detect(refanged) else {
            throw .invalidInput(
                location: location, reason: "cannot tell what '\(text)' is; give its type (--type, or a type column).")
        }
        guard let canonical = kind.canonical(refanged) else {
            throw .invalidInput(
                location: location, reason: kind.problem(with: refanged) ?? "'\(text)' is not a valid \(kind.rawValue)")
        }
        return IndicatorReport(type: kind, value: canonical, source: source, location: location)
    }
}

/// How an indicator's score decays with age, after MISP's polynomial decaying model:
/// `score = base × (1 − (age / lifetime)^(1 / speed))`, where base is the confidence less 20 points per false-positive
/// sighting, and age counts from the last report or sighting. Under `threshold`, past `validUntil`, or revoked, an
/// indicator is expired: kept, listed with --all, never matched.
public struct DecayModel: Sendable, Equatable {
    public var lifetimes: [IndicatorType: TimeInterval]
    public var speed: Double
    public var threshold: Double
    public var falsePositivePenalty: Int

    public init(
        lifetimes: [IndicatorType: TimeInterval] = DecayModel.defaultLifetimes, speed: Double = 0.3,
        threshold: Double = 30, falsePositivePenalty: Int = 20
    ) {
        self.lifetimes = lifetimes
        self.speed = speed
        self.threshold = threshold
        self.falsePositivePenalty = falsePositivePenalty
    }

    /// Addresses go stale fastest (re-assigned, cloud ranges), names slower, file hashes slowest.
    public static let defaultLifetimes: [IndicatorType: TimeInterval] = {
        let day: TimeInterval = 86_400
        var lifetimes: [IndicatorType: TimeInterval] = [:]
        for type in IndicatorType.allCases {
            switch type {
            case .ipv4, .ipv6, .ipPort, .cidr: lifetimes[type] = 30 * day
            case .url: lifetimes[type] = 60 * day
            case .domain, .hostname, .email: lifetimes[type] = 90 * day
            case .ja3, .ja4, .userAgent, .asn: lifetimes[type] = 180 * day
            case .md5, .sha1, .sha256, .sha512, .ssdeep, .filename, .registry, .stixPattern:
                lifetimes[type] = 365 * day
            }
        }
        return lifetimes
    }()

    public func lifetime(_ type: IndicatorType) -> TimeInterval {
        lifetimes[type] ?? 90 * 86_400
    }

    /// 0 to 100, at `now`.
    public func score(_ indicator: Indicator, at now: Date) -> Double {
        let base = Double(max(0, min(100, indicator.confidence - falsePositivePenalty * indicator.falsePositives)))
        let age = max(0, now.timeIntervalSince(indicator.lastSeen))
        let lifetime = self.lifetime(indicator.type)
        guard age < lifetime else { return 0 }
        return base * (1 - pow(age / lifetime, 1 / speed))
    }

    /// Why the indicator is expired at `now`, or nil while it is active.
    public func expiry(_ indicator: Indicator, at now: Date) -> String? {
        if indicator.revoked { return "revoked" }
        if let until = indicator.validUntil, until <= now { return "valid until \(ISO8601Format.string(from: until))" }
        let score = self.score(indicator, at: now)
        if score < threshold { return "score \(Int(score.rounded())) under \(Int(threshold))" }
        return nil
    }
}

/// Filters for `ioc list`.
public struct IndicatorQuery: Sendable, Equatable {
    public var types: [IndicatorType] = []
    public var tag: String?
    public var source: String?
    public var tlp: TLP?
    public var minimumScore: Double?
    /// Reported or sighted since.
    public var since: Date?
    /// Only expired (true), only active (false), or both (nil).
    public var expired: Bool? = false
    public var search: String?
    public var limit = 100
    /// Rows to skip (the service pages through the store with it).
    public var offset = 0

    public init() {}
}

/// `ioc stats`.
public struct IndicatorStats: Sendable, Equatable, Codable {
    public var total: Int
    public var active: Int
    public var expired: Int
    public var byType: [String: Int]
    public var bySource: [String: Int]
    public var sightings: Int

    public init(total: Int, active: Int, expired: Int, byType: [String: Int], bySource: [String: Int], sightings: Int) {
        self.total = total
        self.active = active
        self.expired = expired
        self.byType = byType
        self.bySource = bySource
        self.sightings = sightings
    }
}

/// What an import did.
public struct IndicatorImportSummary: Sendable, Equatable, Codable {
    public var read = 0
    public var new = 0
    public var updated = 0
    public var unchanged = 0
    public var rejected = 0
    /// STIX patterns kept whole because no single value expresses them.
    public var patternOnly = 0
    /// Records not meant for detection (MISP attributes with `to_ids` false).
    public var skipped = 0
    /// Values on a warninglist: stored, flagged, never matched.
    public var warninglisted = 0
    /// The ids of the new and updated indicators, for the retro-hunt (not printed).
    public var changed: [Int64] = []
    /// Stored alerts the new and updated indicators matched, found by the retro-hunt after the import.
    public var retroMatches: Int?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case read, new, updated, unchanged, rejected, patternOnly, skipped, warninglisted, retroMatches
    }
}

extension IndicatorReport {
    /// Adds what `other` (the same indicator, in the same batch) says.
    public mutating func absorb(_ other: IndicatorReport) {
        tags = Self.merging(tags, other.tags)
        techniques = Self.merging(techniques, other.techniques)
        if let confidence = other.confidence { self.confidence = max(self.confidence ?? 0, confidence) }
        tlp = TLP.stricterOf(tlp, other.tlp)
        description = description ?? other.description
        revoked = revoked || other.revoked
        validFrom = [validFrom, other.validFrom].compactMap { $0 }.min()
        validUntil = [validUntil, other.validUntil].compactMap { $0 }.max()
    }
}

extension Indicator {
    /// Adds a fresh report: its tags and techniques, the higher confidence, the stricter TLP, the wider validity,
    /// the warninglists as now checked, and `at` as last seen.
    public mutating func absorb(_ report: IndicatorReport, at: Date) {
        tags = IndicatorReport.merging(tags, report.tags)
        techniques = IndicatorReport.merging(techniques, report.techniques)
        if let confidence = report.confidence { self.confidence = max(self.confidence, confidence) }
        tlp = TLP.stricterOf(tlp, report.tlp)
        if description == nil { description = report.description }
        if let until = report.validUntil { validUntil = max(validUntil ?? until, until) }
        if let from = report.validFrom { validFrom = min(validFrom ?? from, from) }
        revoked = revoked || report.revoked
        if pattern == nil { pattern = report.pattern }
        warning = report.warning
        lastSeen = max(lastSeen, at)
    }

    /// Whether anything but the times changed.
    public func differsInContent(from other: Indicator) -> Bool {
        tags != other.tags || techniques != other.techniques || confidence != other.confidence || tlp != other.tlp
            || description != other.description || validUntil != other.validUntil || validFrom != other.validFrom
            || revoked != other.revoked || pattern != other.pattern || warning != other.warning
    }
}
