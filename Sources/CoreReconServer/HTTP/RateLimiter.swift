import Foundation
import Synchronization

/// In-process token buckets by key: each holds up to a minute's worth of requests and refills continuously.
/// Buckets that have refilled completely are forgotten once a minute, so idle clients cost nothing.
final class RateLimiter: Sendable {
    /// One limit a request counts against: the bucket's key and its requests per minute.
    struct Limit: Sendable {
        var key: String
        var perMinute: Int
    }

    fileprivate struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    fileprivate struct State {
        var buckets: [String: Bucket] = [:]
        var lastPrune = ContinuousClock.now
        var limitsSeen: [String: Int] = [:]
    }

    /// A lock, not an actor: admitting is a few dictionary operations, and every request asks twice, so a hop to
    /// an actor's executor and back would cost more than the work.
    private let state = Mutex(State())

    /// Takes one request from every bucket in `limits`, or from none when any is empty. Returns nil when
    /// admitted, else how long until every bucket holds a request again.
    func admit(_ limits: [Limit], now: ContinuousClock.Instant = .now) -> Duration? {
        state.withLock { state in state.admit(limits, now: now) }
    }

    /// How many buckets are held (for tests and metrics).
    var count: Int { state.withLock { $0.buckets.count } }
}

extension RateLimiter.State {
    mutating func admit(_ limits: [RateLimiter.Limit], now: ContinuousClock.Instant) -> Duration? {
        prune(now: now)
        var refilled: [(String, RateLimiter.Bucket)] = []
        var wait: Double = 0
        for limit in limits where limit.perMinute > 0 {
            let capacity = Double(limit.perMinute)
            let perSecond = capacity / 60
            var bucket = buckets[limit.key] ?? RateLimiter.Bucket(tokens: capacity, updated: now)
            let elapsed =
                Double((now - bucket.updated).components.seconds)
                + Double((now - bucket.updated).components.attoseconds) / 1e18
            bucket.tokens = min(capacity, bucket.tokens + max(0, elapsed) * perSecond)
            bucket.updated = now
            if bucket.tokens < 1 { wait = max(wait, (1 - bucket.tokens) / perSecond) }
            refilled.append((limit.key, bucket))
            limitsSeen[limit.key] = limit.perMinute
        }
        for (key, var bucket) in refilled {
            if wait == 0 { bucket.tokens -= 1 }
            buckets[key] = bucket
        }
        return wait == 0 ? nil : .milliseconds(Int64((wait * 1_000).rounded(.up)))
    }

    /// Forgets buckets that are full again: the same as a client never seen.
    private mutating func prune(now: ContinuousClock.Instant) {
        guard now - lastPrune >= .seconds(60) else { return }
        lastPrune = now
        buckets = buckets.filter { key, bucket in
            let perMinute = Double(limitsSeen[key] ?? 0)
            let elapsed = Double((now - bucket.updated).components.seconds)
            return bucket.tokens + elapsed * perMinute / 60 < perMinute
        }
        limitsSeen = limitsSeen.filter { buckets[$0.key] != nil }
    }
}
