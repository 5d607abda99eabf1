import Foundation

/// In-process token buckets by key: each holds up to a minute's worth of requests and refills continuously.
/// Buckets that have refilled completely are forgotten once a minute, so idle clients cost nothing.
actor RateLimiter {
    /// One limit a request counts against: the bucket's key and its requests per minute.
    struct Limit: Sendable {
        var key: String
        var perMinute: Int
    }

    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    private var buckets: [String: Bucket] = [:]
    private var lastPrune = ContinuousClock.now
    private var limitsSeen: [String: Int] = [:]

    /// Takes one request from every bucket in `limits`, or from none when any is empty. Returns nil when
    /// admitted, else how long until every bucket holds a request again.
    func admit(_ limits: [Limit], now: ContinuousClock.Instant = .now) -> Duration? {
        prune(now: now)
        var refilled: [(String, Bucket)] = []
        var wait: Double = 0
        for limit in limits where limit.perMinute > 0 {
            let capacity = Double(limit.perMinute)
            let perSecond = capacity / 60
            var bucket = buckets[limit.key] ?? Bucket(tokens: capacity, updated: now)
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
    private func prune(now: ContinuousClock.Instant) {
        guard now - lastPrune >= .seconds(60) else { return }
        lastPrune = now
        buckets = buckets.filter { key, bucket in
            let perMinute = Double(limitsSeen[key] ?? 0)
            let elapsed = Double((now - bucket.updated).components.seconds)
            return bucket.tokens + elapsed * perMinute / 60 < perMinute
        }
        limitsSeen = limitsSeen.filter { buckets[$0.key] != nil }
    }

    /// How many buckets are held (for tests and metrics).
    var count: Int { buckets.count }
}
