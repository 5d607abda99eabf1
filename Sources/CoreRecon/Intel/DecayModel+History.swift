import Foundation

extension DecayModel {
    /// One point of an indicator's score over time.
    public struct ScorePoint: Sendable, Equatable, Encodable {
        public var at: Date
        /// `reported by FEED`, `sighted (SOURCE)`, `false positive (SOURCE)`, `expires`, `now`.
        public var event: String
        public var score: Double

        public init(at: Date, event: String, score: Double) {
            self.at = at
            self.event = event
            self.score = score
        }

        /// The score is given whole, as everywhere it is shown.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(at, forKey: .at)
            try container.encode(event, forKey: .event)
            try container.encode(Int(score.rounded()), forKey: .score)
        }

        enum CodingKeys: String, CodingKey { case at, event, score }
    }

    /// The score just after each report and sighting, as MISP's decaying model draws it: every fresh report or
    /// sighting starts the decay again, a false positive lowers the base; then the moment the score falls under the
    /// threshold, and now. Computed from the current confidence (changes of confidence are not kept), from the
    /// first and last report of each source and from `sightings` (the recent ones the store keeps).
    public func history(_ indicator: Indicator, sightings: [IndicatorSighting], now: Date) -> [ScorePoint] {
        var events: [(at: Date, event: String, fresh: Bool, falsePositive: Bool)] = []
        for source in indicator.sources {
            events.append((source.firstSeen, "reported by \(source.name)", true, false))
            if source.lastSeen > source.firstSeen {
                events.append((source.lastSeen, "reported again by \(source.name)", true, false))
            }
        }
        for sighting in sightings {
            events.append(
                (
                    sighting.at,
                    sighting.isFalsePositive ? "false positive (\(sighting.source))" : "sighted (\(sighting.source))",
                    !sighting.isFalsePositive, sighting.isFalsePositive
                ))
        }
        events.sort { $0.at < $1.at }
        // False positives older than the kept sightings still count: start from those the indicator has beyond them.
        var falsePositives = max(0, indicator.falsePositives - sightings.filter(\.isFalsePositive).count)
        var lastFresh: Date?
        var points: [ScorePoint] = []
        var state = indicator
        for event in events where event.at <= now {
            if event.fresh { lastFresh = max(lastFresh ?? event.at, event.at) }
            if event.falsePositive { falsePositives += 1 }
            state.lastSeen = lastFresh ?? event.at
            state.falsePositives = falsePositives
            points.append(ScorePoint(at: event.at, event: event.event, score: score(state, at: event.at)))
        }
        state.lastSeen = lastFresh ?? indicator.lastSeen
        state.falsePositives = indicator.falsePositives
        // When the score crosses the threshold: base × (1 − (age/lifetime)^(1/speed)) = threshold.
        let base = Double(max(0, min(100, state.confidence - falsePositivePenalty * state.falsePositives)))
        if base > threshold {
            let age = lifetime(state.type) * pow(1 - threshold / base, speed)
            points.append(
                ScorePoint(at: state.lastSeen.addingTimeInterval(age), event: "expires", score: threshold))
        }
        points.append(ScorePoint(at: now, event: "now", score: score(state, at: now)))
        // By time; at the same moment, in the order added (an event before "now").
        return points.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element)
    }
}
