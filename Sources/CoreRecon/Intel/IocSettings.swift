import Foundation

/// The `ioc.*` configuration: decay, the retro-hunt window, and what a match does to an alert.
public struct IocSettings: Sendable, Equatable {
    /// Lifetimes per type and the expiry threshold (`ioc.lifetime.<type>`, `ioc.threshold`).
    public var decay = DecayModel()
    /// How far back an import looks for stored alerts its new and changed indicators would have matched
    /// (`ioc.retroHunt`); nil turns the look back off.
    public var retroHunt: TimeInterval? = 30 * 86_400
    /// What a match does beyond recording it (`ioc.matchPolicy.*`).
    public var matchPolicy = MatchPolicy()

    public struct MatchPolicy: Sendable, Equatable {
        /// A match with an indicator scoring at least `minimumScore` raises the alert to `raiseTo` when it is
        /// lower. nil: matches never change severity.
        public var raiseTo: Severity?
        public var minimumScore: Double = 50

        public init(raiseTo: Severity? = nil, minimumScore: Double = 50) {
            self.raiseTo = raiseTo
            self.minimumScore = minimumScore
        }
    }

    public init() {}
}
