import Foundation

/// An indicator as `ioc list`, `ioc show` and the commands that change one print it: its score and status worked
/// out at one moment by the decay model of the side that stores it.
public struct IndicatorSummary: Sendable, Equatable, Encodable {
    public var id: Int64
    public var type: String
    public var value: String
    public var score: Int
    /// `active`, `expired (REASON)`, or `on a warninglist (NAMES): never matched`.
    public var status: String
    public var confidence: Int
    public var tlp: String?
    public var tags: [String]
    public var techniques: [String]
    public var sources: [IndicatorSource]
    public var sightings: Int
    public var falsePositives: Int
    public var description: String?
    public var validUntil: Date?
    public var firstSeen: Date
    public var lastSeen: Date

    public init(_ indicator: Indicator, decay: DecayModel, at now: Date) {
        id = indicator.id
        type = indicator.type.rawValue
        value = indicator.value
        score = Int(decay.score(indicator, at: now).rounded())
        status = Self.status(expiry: decay.expiry(indicator, at: now), warning: indicator.warning)
        confidence = indicator.confidence
        tlp = indicator.tlp?.rawValue
        tags = indicator.tags
        techniques = indicator.techniques
        sources = indicator.sources
        sightings = indicator.sightings
        falsePositives = indicator.falsePositives
        description = indicator.description
        validUntil = indicator.validUntil
        firstSeen = indicator.firstSeen
        lastSeen = indicator.lastSeen
    }

    static func status(expiry: String?, warning: String?) -> String {
        expiry.map { "expired (\($0))" } ?? warning.map { "on a warninglist (\($0)): never matched" } ?? "active"
    }

    /// An indicator as the API answers it (`GET /api/v1/iocs`, `/iocs/{id}`); nil when a field is missing or of
    /// the wrong kind.
    public init?(json: JSONValue) {
        func date(_ value: JSONValue?) -> Date? { value?.text.flatMap(TimestampParser.iso8601) }
        func texts(_ key: String) -> [String]? {
            json[key: key]?.arrayValue?.compactMap { value -> String? in
                guard case .string(let text) = value else { return nil }
                return text
            }
        }
        guard let id = json[key: "id"]?.int, let type = json[key: "type"]?.text, let value = json[key: "value"]?.text,
            let score = json[key: "score"]?.int, let confidence = json[key: "confidence"]?.int,
            let tags = texts("tags"), let techniques = texts("techniques"),
            let sourceValues = json[key: "sources"]?.arrayValue, let sightings = json[key: "sightings"]?.int,
            let falsePositives = json[key: "falsePositives"]?.int, let firstSeen = date(json[key: "firstSeen"]),
            let lastSeen = date(json[key: "lastSeen"])
        else { return nil }
        var sources: [IndicatorSource] = []
        for source in sourceValues {
            guard let name = source[key: "name"]?.text, let first = date(source[key: "firstSeen"]),
                let last = date(source[key: "lastSeen"])
            else { return nil }
            sources.append(IndicatorSource(name: name, firstSeen: first, lastSeen: last))
        }
        self.id = Int64(id)
        self.type = type
        self.value = value
        self.score = score
        self.status = Self.status(expiry: json[key: "expired"]?.text, warning: json[key: "warninglists"]?.text)
        self.confidence = confidence
        self.tlp = json[key: "tlp"]?.text
        self.tags = tags
        self.techniques = techniques
        self.sources = sources
        self.sightings = sightings
        self.falsePositives = falsePositives
        self.description = json[key: "description"]?.text
        self.validUntil = date(json[key: "validUntil"])
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
    }
}

/// `ioc show`: an indicator with its pattern, recent sightings and score over time.
public struct IndicatorDetail: Sendable, Equatable {
    public var indicator: IndicatorSummary
    public var pattern: String?
    public var sightings: [IndicatorSighting]
    public var scoreHistory: [DecayModel.ScorePoint]

    public init(
        indicator: IndicatorSummary, pattern: String?, sightings: [IndicatorSighting],
        scoreHistory: [DecayModel.ScorePoint]
    ) {
        self.indicator = indicator
        self.pattern = pattern
        self.sightings = sightings
        self.scoreHistory = scoreHistory
    }

    /// From `GET /api/v1/iocs/{id}`.
    public init?(json: JSONValue) {
        func date(_ value: JSONValue?) -> Date? { value?.text.flatMap(TimestampParser.iso8601) }
        guard let indicator = IndicatorSummary(json: json),
            let sightingValues = json[key: "recentSightings"]?.arrayValue,
            let pointValues = json[key: "scoreHistory"]?.arrayValue
        else { return nil }
        var sightings: [IndicatorSighting] = []
        for value in sightingValues {
            guard let at = date(value[key: "at"]), let source = value[key: "source"]?.text,
                let falsePositive = value[key: "falsePositive"]?.bool
            else { return nil }
            sightings.append(
                IndicatorSighting(
                    at: at, source: source, isFalsePositive: falsePositive,
                    alertID: value[key: "alertId"]?.int.map(Int64.init)))
        }
        var points: [DecayModel.ScorePoint] = []
        for value in pointValues {
            guard let at = date(value[key: "at"]), let event = value[key: "event"]?.text,
                let score = value[key: "score"]?.double
            else { return nil }
            points.append(DecayModel.ScorePoint(at: at, event: event, score: score))
        }
        self.init(indicator: indicator, pattern: json[key: "pattern"]?.text, sightings: sightings, scoreHistory: points)
    }
}
