import Foundation

/// Incident counts and response times over a period, for `incident metrics` and dashboards.
public struct IncidentMetrics: Codable, Sendable, Equatable {
    /// Mean, median and 90th percentile of a duration, in seconds, over the incidents that reached it.
    public struct DurationStats: Codable, Sendable, Equatable {
        public var count: Int
        public var meanSeconds: Double?
        public var medianSeconds: Double?
        public var p90Seconds: Double?

        public init(_ values: [Double]) {
            let sorted = values.sorted()
            count = sorted.count
            guard !sorted.isEmpty else { return }
            meanSeconds = sorted.reduce(0, +) / Double(sorted.count)
            medianSeconds = Self.percentile(sorted, 0.5)
            p90Seconds = Self.percentile(sorted, 0.9)
        }

        /// Linear interpolation between closest ranks, as spreadsheets and NumPy compute it by default.
        static func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
            let position = fraction * Double(sorted.count - 1)
            let lower = Int(position.rounded(.down))
            let upper = min(lower + 1, sorted.count - 1)
            return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
        }
    }

    /// Response times of a group of incidents.
    public struct ResponseTimes: Codable, Sendable, Equatable {
        public var incidents: Int
        /// Created → triage (first move out of `new`).
        public var timeToAcknowledge: DurationStats
        /// Created → investigating (or a later state, when skipped).
        public var timeToInvestigate: DurationStats
        /// Created → closed.
        public var timeToResolve: DurationStats

        init(_ incidents: [Incident]) {
            self.incidents = incidents.count
            timeToAcknowledge = DurationStats(incidents.compactMap(\.timeToAcknowledge))
            timeToInvestigate = DurationStats(incidents.compactMap(\.timeToInvestigate))
            timeToResolve = DurationStats(incidents.compactMap(\.timeToResolve))
        }
    }

    public var since: Date
    public var until: Date
    public var total: Int
    public var byState: [String: Int]
    public var bySeverity: [String: Int]
    public var byType: [String: Int]
    public var byResolution: [String: Int]
    /// Incidents per ATT&CK technique id.
    public var byTechnique: [String: Int]
    public var responseTimes: ResponseTimes
    /// Response times per severity name.
    public var responseTimesBySeverity: [String: ResponseTimes]

    public init(incidents: [(Incident, [String])], since: Date, until: Date) {
        self.since = since
        self.until = until
        let all = incidents.map(\.0)
        total = all.count
        byState = Dictionary(grouping: all, by: \.state.rawValue).mapValues(\.count)
        bySeverity = Dictionary(grouping: all, by: \.severity.name).mapValues(\.count)
        byType = Dictionary(grouping: all, by: { $0.type ?? "unspecified" }).mapValues(\.count)
        byResolution = Dictionary(grouping: all.compactMap(\.resolution), by: \.rawValue).mapValues(\.count)
        var techniques: [String: Int] = [:]
        for (_, ids) in incidents {
            for id in Set(ids) { techniques[id, default: 0] += 1 }
        }
        byTechnique = techniques
        responseTimes = ResponseTimes(all)
        responseTimesBySeverity = Dictionary(grouping: all, by: \.severity.name).mapValues(ResponseTimes.init)
    }
}

extension IncidentService {
    /// Metrics over incidents created in `since...until`.
    public func metrics(since: Date, until: Date) async throws -> IncidentMetrics {
        // A window that ends before it starts holds nothing (as the alert list's since/until do).
        let rows =
            since <= until
            ? try await repository.read { try await $0.incidentsWithTechniques(createdIn: since...until) } : []
        return IncidentMetrics(incidents: rows, since: since, until: until)
    }
}
