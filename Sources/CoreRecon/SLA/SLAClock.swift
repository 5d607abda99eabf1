import Foundation

/// What an SLA clock runs on.
public enum SLATarget: String, Sendable, Codable, CaseIterable {
    case alert
    case incident
}

/// What an SLA clock measures: the time to a state.
public enum SLAMetric: String, Sendable, Codable, CaseIterable, Comparable {
    /// To the first acknowledgement or triage.
    case acknowledge
    /// To `contained` (incidents only).
    case contain
    /// To closing (an alert also ends it by being escalated into an incident, whose own clocks then run).
    case resolve

    public static func < (lhs: SLAMetric, rhs: SLAMetric) -> Bool {
        (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
    }

    /// The metrics an alert in `status` has reached.
    public static func reached(by status: AlertStatus) -> Set<SLAMetric> {
        switch status {
        case .new: []
        case .acknowledged, .inProgress: [.acknowledge]
        case .escalated, .closed: [.acknowledge, .resolve]
        }
    }

    /// The metrics an incident in `state` has reached.
    public static func reached(by state: IncidentState) -> Set<SLAMetric> {
        switch state {
        case .new: []
        case .triage, .investigating: [.acknowledge]
        case .contained, .eradicated, .recovered: [.acknowledge, .contain]
        case .closed: [.acknowledge, .contain, .resolve]
        }
    }
}

/// Where a clock stands.
public enum SLAState: String, Sendable, Codable, CaseIterable {
    case running
    /// Past the at-risk share of its goal, not yet past the deadline.
    case atRisk = "at_risk"
    case breached
    case met
    case paused
}

/// One SLA clock: a goal for one metric of one alert or incident, started by its creation (or reopening), stopped
/// by reaching the metric's state. Its policy's goal and calendar are copied when it starts, so a later change
/// to the policy applies to clocks started after it.
public struct SLAClock: Sendable, Equatable {
    public var id: Int64
    public var target: SLATarget
    /// The alert's or incident's row id.
    public var targetID: Int64
    /// How people name it: `42` or `IR-2026-0007`.
    public var reference: String
    public var metric: SLAMetric
    /// 1 for the first clock of this metric, 2 after a reopening, ...
    public var cycle: Int
    public var policy: String
    public var calendar: String
    /// The goal in working seconds of the calendar.
    public var goal: Double
    public var startedAt: Date
    public var deadline: Date
    public var atRiskAt: Date
    /// Set while paused; `remaining` holds the working time left at the pause.
    public var pausedAt: Date?
    public var remaining: Double?
    public var stoppedAt: Date?
    /// `met` or `breached`, once stopped.
    public var outcome: SLAState?
    /// The target's current severity, assignee and title, for listing.
    public var severity: Severity?
    public var assignee: String?
    public var title: String?

    public init(
        id: Int64, target: SLATarget, targetID: Int64, reference: String, metric: SLAMetric, cycle: Int,
        policy: String, calendar: String, goal: Double, startedAt: Date, deadline: Date, atRiskAt: Date,
        pausedAt: Date? = nil, remaining: Double? = nil, stoppedAt: Date? = nil, outcome: SLAState? = nil,
        severity: Severity? = nil, assignee: String? = nil, title: String? = nil
    ) {
        self.id = id
        self.target = target
        self.targetID = targetID
        self.reference = reference
        self.metric = metric
        self.cycle = cycle
        self.policy = policy
        self.calendar = calendar
        self.goal = goal
        self.startedAt = startedAt
        self.deadline = deadline
        self.atRiskAt = atRiskAt
        self.pausedAt = pausedAt
        self.remaining = remaining
        self.stoppedAt = stoppedAt
        self.outcome = outcome
        self.severity = severity
        self.assignee = assignee
        self.title = title
    }

    public var isOpen: Bool { stoppedAt == nil }

    /// The state at `now`.
    public func state(at now: Date) -> SLAState {
        if let outcome, stoppedAt != nil { return outcome }
        if pausedAt != nil { return .paused }
        if now >= deadline { return .breached }
        if now >= atRiskAt { return .atRisk }
        return .running
    }

    /// Wall-clock seconds to the deadline at `now`, negative when overdue; while paused, the working time left.
    public func timeLeft(at now: Date) -> Double {
        if let remaining, pausedAt != nil { return remaining }
        return deadline.timeIntervalSince(stoppedAt ?? now)
    }

    /// Seconds from start to stop (wall clock), once stopped.
    public var elapsed: Double? { stoppedAt.map { $0.timeIntervalSince(startedAt) } }
}

extension SLAClock {
    /// `2h 5m`, `3d 4h`, `45s`; negative as `-2h 5m`.
    public static func describe(seconds: Double) -> String {
        let sign = seconds < 0 ? "-" : ""
        var rest = Int(abs(seconds).rounded())
        let days = rest / 86_400
        rest %= 86_400
        let hours = rest / 3_600
        rest %= 3_600
        let minutes = rest / 60
        let secs = rest % 60
        let parts: [String] =
            days > 0
            ? ["\(days)d", hours > 0 ? "\(hours)h" : nil].compactMap { $0 }
            : hours > 0
                ? ["\(hours)h", minutes > 0 ? "\(minutes)m" : nil].compactMap { $0 }
                : minutes > 0 ? ["\(minutes)m", secs > 0 ? "\(secs)s" : nil].compactMap { $0 } : ["\(secs)s"]
        return sign + parts.joined(separator: " ")
    }
}
