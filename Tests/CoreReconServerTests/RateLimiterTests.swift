import Testing

@testable import CoreReconServer

@Suite("Rate limiter")
struct RateLimiterTests {
    @Test("A bucket holds a minute's worth, refills continuously, and idle buckets are forgotten")
    func buckets() async {
        let limiter = RateLimiter()
        let start = ContinuousClock.now
        let limits = [RateLimiter.Limit(key: "a", perMinute: 60)]
        for _ in 0..<60 { #expect(limiter.admit(limits, now: start) == nil) }
        #expect(limiter.admit(limits, now: start) == .seconds(1))
        // One request a second comes back.
        #expect(limiter.admit(limits, now: start + .seconds(1)) == nil)
        #expect(limiter.admit(limits, now: start + .seconds(1)) != nil)
        // A refused request spends nothing from the other bucket.
        let both = limits + [RateLimiter.Limit(key: "b", perMinute: 1)]
        #expect(limiter.admit(both, now: start + .milliseconds(1_500)) != nil)
        #expect(limiter.admit([RateLimiter.Limit(key: "b", perMinute: 1)], now: start + .seconds(2)) == nil)
        // Zero means no limit.
        #expect(limiter.admit([RateLimiter.Limit(key: "c", perMinute: 0)], now: start) == nil)
        #expect(limiter.count == 2)
        #expect(limiter.admit([], now: start + .seconds(200)) == nil)
        #expect(limiter.count == 0)
    }
}
