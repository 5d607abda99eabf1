import CoreRecon
import Foundation
import SQLKit

/// How `sla report` groups clocks.
public enum SLAReportGrouping: String, Sendable, CaseIterable {
    case severity
    case assignee
    /// Alert source; incidents group under their type.
    case source
    /// Incident type; alerts group under their source.
    case type
}

/// One line of an SLA report: the clocks of one group and metric started in the period.
public struct SLAReportRow: Sendable, Equatable, Codable {
    public var target: String
    public var group: String
    public var metric: String
    public var clocks: Int
    public var met: Int
    /// Stopped after the deadline, or still open past it.
    public var breached: Int
    /// Still open and within the deadline.
    public var open: Int
    /// met / (met + breached); nil when neither.
    public var metShare: Double?
    /// Wall-clock seconds from start to stop of the stopped clocks.
    public var meanSeconds: Double?
    public var medianSeconds: Double?
    public var p90Seconds: Double?
}

extension SLAService {
    /// Met share, breaches and times to each metric over the clocks started since `since`.
    public func report(since: Date, by grouping: SLAReportGrouping) async throws -> [SLAReportRow] {
        let at = now()
        let clocks = try await database.read { sql in
            try await sql.raw(
                """
                SELECT \(unsafeRaw: Self.columns) \(unsafeRaw: Self.joins)
                WHERE c.started_at >= \(bind: since.milliseconds) ORDER BY c.id
                """
            ).all().map { row -> (SLAClock, String?, String?) in
                (
                    try Self.decode(row), try row.decode(column: "source", as: String?.self),
                    try row.decode(column: "type", as: String?.self)
                )
            }
        }
        struct Key: Hashable {
            var target: SLATarget
            var group: String
            var metric: SLAMetric
        }
        var groups: [Key: [SLAClock]] = [:]
        for (clock, source, type) in clocks {
            let group: String
            switch grouping {
            case .severity: group = clock.severity?.name ?? "-"
            case .assignee: group = clock.assignee ?? "(unassigned)"
            case .source, .type: group = (clock.target == .alert ? source : type) ?? "-"
            }
            groups[Key(target: clock.target, group: group, metric: clock.metric), default: []].append(clock)
        }
        let severityOrder = { (name: String) in Severity(name: name)?.rawValue ?? -1 }
        return groups.sorted { left, right in
            let (a, b) = (left.key, right.key)
            if a.target != b.target { return a.target == .alert }
            if a.group != b.group {
                return grouping == .severity ? severityOrder(a.group) > severityOrder(b.group) : a.group < b.group
            }
            return a.metric < b.metric
        }.map { key, clocks in
            var met = 0
            var breached = 0
            var open = 0
            var durations: [Double] = []
            for clock in clocks {
                switch clock.state(at: at) {
                case .met: met += 1
                case .breached: breached += 1
                default: open += 1
                }
                if let elapsed = clock.elapsed { durations.append(elapsed) }
            }
            // The same statistics as `incident metrics`: percentiles interpolated between closest ranks.
            let times = IncidentMetrics.DurationStats(durations)
            return SLAReportRow(
                target: key.target.rawValue, group: key.group, metric: key.metric.rawValue, clocks: clocks.count,
                met: met, breached: breached, open: open,
                metShare: met + breached > 0 ? Double(met) / Double(met + breached) : nil,
                meanSeconds: times.meanSeconds, medianSeconds: times.medianSeconds, p90Seconds: times.p90Seconds)
        }
    }
}
