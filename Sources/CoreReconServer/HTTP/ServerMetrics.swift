import CoreRecon
import Foundation
import HTTPTypes
import Prometheus
import Synchronization

/// The server's Prometheus metrics, in a registry of its own: no global metrics system is bootstrapped, so tests
/// can build many applications in one process.
public final class ServerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let webSockets: Gauge
    /// Ingest counters by outcome, made once.
    private let ingestCounters: [String: Counter]
    /// Request counters and latency histograms by their labels: the registry looks a metric up by building its
    /// name and label strings, too slow to do on every request.
    private let requestMetrics = Mutex<[RequestKey: (Counter, DurationHistogram)]>([:])
    /// Requests that ended cancelled (shutdown's deadline cut them short), for the shutdown report.
    let cutShort = Atomic<Int>(0)

    private struct RequestKey: Hashable {
        var method: HTTPRequest.Method
        var route: String
        var status: Int
    }

    /// Request latency buckets, in seconds: 5 ms to 10 s.
    static let latencyBuckets: [Duration] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10].map {
        .milliseconds(Int64($0 * 1_000))
    }

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        webSockets = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "corerecon", metricName: "websocket_connections", unitName: "",
                helpText: "Open WebSocket connections."))
        // Present from the start, so dashboards see zeros rather than missing series.
        var counters: [String: Counter] = [:]
        for outcome in ["read", "created", "merged", "redelivered", "rejected"] {
            counters[outcome] = registry.makeCounter(
                descriptor: MetricNameDescriptor(
                    namespace: "corerecon", subsystem: "ingest", metricName: "records", unitName: "total",
                    helpText: "Ingested records by outcome (read, created, merged, redelivered, rejected)."),
                labels: [("outcome", outcome)])
        }
        ingestCounters = counters
    }

    /// Counts a request by method, route template (`/api/v1/alerts/{id}`, never the raw path) and status, and
    /// records its latency.
    func request(method: HTTPRequest.Method, route: String, status: HTTPResponse.Status, duration: Duration) {
        let key = RequestKey(method: method, route: route, status: status.code)
        let (counter, histogram) = requestMetrics.withLock { metrics in
            if let known = metrics[key] { return known }
            let made = (
                registry.makeCounter(
                    descriptor: MetricNameDescriptor(
                        namespace: "corerecon", subsystem: "http", metricName: "requests", unitName: "total",
                        helpText: "HTTP requests by method, route template and status."),
                    labels: [("method", method.rawValue), ("route", route), ("status", String(status.code))]),
                registry.makeDurationHistogram(
                    descriptor: MetricNameDescriptor(
                        namespace: "corerecon", subsystem: "http", metricName: "request_duration",
                        unitName: "seconds", helpText: "HTTP request latency by method and route template."),
                    labels: [("method", method.rawValue), ("route", route)], buckets: Self.latencyBuckets)
            )
            metrics[key] = made
            return made
        }
        counter.increment()
        histogram.record(duration)
    }

    /// Counts the records of one ingest request or webhook delivery.
    func ingested(_ summary: IngestSummary) {
        ingestCounter("read").increment(by: Int64(summary.read))
        ingestCounter("created").increment(by: Int64(summary.created))
        ingestCounter("merged").increment(by: Int64(summary.merged))
        ingestCounter("redelivered").increment(by: Int64(summary.redelivered))
        ingestCounter("rejected").increment(by: Int64(summary.rejected))
    }

    private func ingestCounter(_ outcome: String) -> Counter {
        // swift-format-ignore: NeverForceUnwrap
        ingestCounters[outcome]!
    }

    /// Counts a request refused with 429, by the limit it hit (address, token_endpoint, credential).
    func rateLimited(limit: String) {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "corerecon", subsystem: "http", metricName: "rate_limited", unitName: "total",
                helpText: "Requests refused with 429, by the limit they hit."),
            labels: [("limit", limit)]
        ).increment()
    }

    /// Call when a WebSocket connection opens.
    public func webSocketOpened() { webSockets.increment() }

    /// Call when a WebSocket connection closes.
    public func webSocketClosed() { webSockets.decrement() }

    /// Everything in the Prometheus text exposition format.
    public func exposition() -> [UInt8] { registry.emitToBuffer() }
}
