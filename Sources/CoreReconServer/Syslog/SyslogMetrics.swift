import CoreRecon
import Prometheus

/// The syslog listeners' Prometheus metrics, beside the server's own (the ingest outcomes of syslog messages count
/// in `corerecon_ingest_records_total` with the webhooks').
final class SyslogMetrics: Sendable {
    /// Drop reasons.
    enum Drop: String, CaseIterable {
        /// A UDP message found the queue full.
        case queueFull = "queue_full"
        /// Over `syslog.maxMessageSize`.
        case oversized
        /// A counted TCP frame cut short by the end of its connection.
        case incomplete
        /// The database refused a batch three times for reasons other than being unavailable, or shutdown's deadline
        /// cut the retries short.
        case storeFailed = "store_failed"
    }

    private let received: [SyslogEndpoint.Transport: Counter]
    private let dropped: [String: Counter]
    private let refused: Counter
    let connections: Gauge
    let queueBytes: Gauge

    init(registry: PrometheusCollectorRegistry) {
        var received: [SyslogEndpoint.Transport: Counter] = [:]
        var dropped: [String: Counter] = [:]
        for transport in SyslogEndpoint.Transport.allCases {
            received[transport] = registry.makeCounter(
                descriptor: MetricNameDescriptor(
                    namespace: "corerecon", subsystem: "syslog", metricName: "messages", unitName: "total",
                    helpText: "Syslog messages received, by transport."),
                labels: [("transport", transport.rawValue)])
            for reason in Drop.allCases {
                dropped["\(transport.rawValue)/\(reason.rawValue)"] = registry.makeCounter(
                    descriptor: MetricNameDescriptor(
                        namespace: "corerecon", subsystem: "syslog", metricName: "dropped", unitName: "total",
                        helpText:
                            "Syslog messages dropped, by transport and reason (queue_full, oversized, incomplete, store_failed)."
                    ),
                    labels: [("transport", transport.rawValue), ("reason", reason.rawValue)])
            }
        }
        self.received = received
        self.dropped = dropped
        refused = registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "corerecon", subsystem: "syslog", metricName: "connections_refused", unitName: "total",
                helpText: "TCP and TLS connections closed at once: syslog.maxConnections were open."))
        connections = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "corerecon", subsystem: "syslog", metricName: "connections", unitName: "",
                helpText: "Open syslog TCP and TLS connections."))
        queueBytes = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "corerecon", subsystem: "syslog", metricName: "queue", unitName: "bytes",
                helpText: "Bytes of syslog messages waiting for the database."))
    }

    func received(_ transport: SyslogEndpoint.Transport) { received[transport]?.increment() }

    func dropped(_ transport: SyslogEndpoint.Transport, _ reason: Drop, count: Int = 1) {
        dropped["\(transport.rawValue)/\(reason.rawValue)"]?.increment(by: Int64(count))
    }

    func refusedConnection() { refused.increment() }
}
