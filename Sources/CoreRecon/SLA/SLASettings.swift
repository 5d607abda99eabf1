import Foundation

/// The `sla:` section of the config file: calendars, policies and how often `serve` evaluates clocks.
public struct SLASettings: Sendable, Equatable {
    /// How often `serve` runs the evaluator that `sla sweep` runs.
    public var interval: Duration = .seconds(30)
    /// The share of a goal after which a clock is at risk.
    public var atRiskShare = 0.8
    /// Calendars by name; `24x7` always exists.
    public var calendars: [String: BusinessCalendar] = ["24x7": .alwaysOpen]
    /// Policies in file order: the first that matches an alert or incident sets its clocks.
    public var policies: [SLAPolicy] = []

    public init() {}

    /// The first policy for this alert or incident, nil when none applies.
    public func policy(for target: SLATarget, severity: Severity, source: String?, type: String?) -> SLAPolicy? {
        policies.first { $0.matches(target: target, severity: severity, source: source, type: type) }
    }

    public func calendar(named name: String) -> BusinessCalendar {
        calendars[name] ?? .alwaysOpen
    }

    /// A stable description of the policies and calendars, to record when they change.
    public var fingerprint: String {
        var lines = ["atRisk=\(atRiskShare)"]
        for policy in policies {
            lines.append(policy.summary)
        }
        for (name, calendar) in calendars.sorted(by: { $0.key < $1.key }) where name != "24x7" {
            lines.append(
                "calendar \(name): \(calendar.timeZone.identifier) days=\(calendar.workingDays.sorted()) "
                    + "\(calendar.opens)-\(calendar.closes) holidays=\(calendar.holidays.sorted().joined(separator: ","))"
            )
        }
        return lines.joined(separator: "\n")
    }
}

/// One SLA policy: which alerts or incidents it covers, its goals, calendar, and what to do on a breach.
public struct SLAPolicy: Sendable, Equatable {
    public var name: String
    public var target: SLATarget
    /// Empty: every severity.
    public var severities: [Severity] = []
    /// Alert sources (`--source` labels or format names); empty: any.
    public var sources: [String] = []
    /// Incident types; empty: any.
    public var types: [String] = []
    /// Goals in working seconds of the calendar.
    public var goals: [SLAMetric: Double] = [:]
    public var calendar = "24x7"
    /// Overrides the section's at-risk share.
    public var atRiskShare: Double?
    public var onBreach = SLABreachActions()

    public init(name: String, target: SLATarget) {
        self.name = name
        self.target = target
    }

    func matches(target: SLATarget, severity: Severity, source: String?, type: String?) -> Bool {
        guard target == self.target else { return false }
        if !severities.isEmpty && !severities.contains(severity) { return false }
        if !sources.isEmpty && !sources.contains(where: { $0 == source }) { return false }
        if !types.isEmpty && !types.contains(where: { $0 == type }) { return false }
        return true
    }

    /// One line for `sla policy list` and change records.
    public var summary: String {
        var parts = ["\(name): \(target.rawValue)"]
        if !severities.isEmpty { parts.append("severity=" + severities.map(\.name).joined(separator: ",")) }
        if !sources.isEmpty { parts.append("source=" + sources.joined(separator: ",")) }
        if !types.isEmpty { parts.append("type=" + types.joined(separator: ",")) }
        for metric in goals.keys.sorted() {
            parts.append("\(metric.rawValue)=\(SLAClock.describe(seconds: goals[metric] ?? 0))")
        }
        parts.append("calendar=\(calendar)")
        if let atRiskShare { parts.append("atRisk=\(Int((atRiskShare * 100).rounded()))%") }
        if !onBreach.isEmpty { parts.append("onBreach=" + onBreach.summary) }
        return parts.joined(separator: " ")
    }
}

/// What happens when one of a policy's clocks breaches, besides the record, the history entry and the
/// `sla.breached` event (which notification rules route).
public struct SLABreachActions: Sendable, Equatable {
    /// Channels notified about this policy's breaches.
    public var notify: [String] = []
    /// Raise the severity to this (never lowers it).
    public var raiseSeverity: Severity?
    /// Reassign: one name (a lead), or an on-call list in which the next name after the current assignee takes
    /// over.
    public var reassign: [String] = []
    /// Escalate a breached alert into a new incident.
    public var escalate = false

    public init() {}

    public var isEmpty: Bool { notify.isEmpty && raiseSeverity == nil && reassign.isEmpty && !escalate }

    /// Whether anything but notifying is to be done (notifications go through the outbox).
    public var changesTarget: Bool { raiseSeverity != nil || !reassign.isEmpty || escalate }

    /// The assignee after `current` in the on-call list (the first when `current` is not on it).
    public func nextAssignee(after current: String?) -> String? {
        guard !reassign.isEmpty else { return nil }
        guard let current, let index = reassign.firstIndex(of: current) else { return reassign[0] }
        return reassign[(index + 1) % reassign.count]
    }

    /// `notify hook; raise to critical; reassign ana,ben; escalate`.
    public var summary: String {
        var parts: [String] = []
        if !notify.isEmpty { parts.append("notify " + notify.joined(separator: ",")) }
        if let raiseSeverity { parts.append("raise to \(raiseSeverity.name)") }
        if !reassign.isEmpty { parts.append("reassign " + reassign.joined(separator: ",")) }
        if escalate { parts.append("escalate") }
        return parts.joined(separator: "; ")
    }
}

extension SLASettings {
    /// Reads the `sla:` section. Relative `.ics` paths are resolved against the config file's directory.
    static func parse(_ section: ConfigSection) throws(CoreReconError) -> SLASettings {
        try section.requireKeys(in: ["interval", "atRisk", "calendars", "policies"])
        var settings = SLASettings()
        if let interval = try section.duration("interval") {
            guard interval >= .seconds(1) else { throw section.error(key: "interval", "must be at least 1s.") }
            settings.interval = interval
        }
        if let share = try section.share("atRisk") { settings.atRiskShare = share }
        if let calendars = section.child("calendars") {
            for (name, entry) in try calendars.entries() {
                guard name != "24x7" else { throw entry.error("24x7 is built in and cannot be redefined.") }
                settings.calendars[name] = try parseCalendar(name: name, entry)
            }
        }
        var names = Set<String>()
        for (index, entry) in try (section.child("policies")?.items() ?? []).enumerated() {
            let policy = try parsePolicy(entry, index: index, settings: settings)
            guard names.insert(policy.name).inserted else {
                throw entry.error("the policy name '\(policy.name)' is used twice.")
            }
            settings.policies.append(policy)
        }
        return settings
    }

    static let weekdays = ["sun": 1, "mon": 2, "tue": 3, "wed": 4, "thu": 5, "fri": 6, "sat": 7]

    /// `mon` for 2 (Foundation's weekday numbering, as ``BusinessCalendar/workingDays``).
    public static func weekdayName(_ number: Int) -> String? {
        weekdays.first { $0.value == number }?.key
    }

    private static func parseCalendar(name: String, _ entry: ConfigSection) throws(CoreReconError) -> BusinessCalendar {
        try entry.requireKeys(in: ["timeZone", "days", "hours", "holidays"])
        let zoneName = try entry.string("timeZone") ?? "UTC"
        guard let zone = TimeZone(identifier: zoneName) else {
            throw entry.error(key: "timeZone", "'\(zoneName)' is not an IANA time zone such as Europe/Berlin.")
        }
        var days = Set<Int>()
        for day in try entry.strings("days") {
            let key = String(day.lowercased().prefix(3))
            guard let number = weekdays[key] else {
                throw entry.error(key: "days", "'\(day)' is not a weekday (mon, tue, ... sun).")
            }
            days.insert(number)
        }
        if entry.child("days") == nil { days = [2, 3, 4, 5, 6] }
        guard !days.isEmpty else { throw entry.error("a calendar needs at least one working day.") }
        var opens = 9 * 60
        var closes = 17 * 60
        if let hours = try entry.string("hours") {
            let parts = hours.split(separator: "-").map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let open = minutes(parts[0]), let close = minutes(parts[1]), open < close else {
                throw entry.error(key: "hours", "'\(hours)' is not working hours such as 09:00-17:00.")
            }
            opens = open
            closes = close
        }
        var holidays = Set<String>()
        for value in try entry.strings("holidays") {
            if value.lowercased().hasSuffix(".ics") {
                let base = (entry.file as NSString).deletingLastPathComponent
                let path = value.hasPrefix("/") ? value : base + "/" + value
                guard let data = FileManager.default.contents(atPath: path),
                    let text = String(data: data, encoding: .utf8)
                else { throw entry.error(key: "holidays", "cannot read the iCalendar file \(path).") }
                holidays.formUnion(try ICalendarHolidays.parse(text, location: path))
            } else if let key = dayKey(value) {
                holidays.insert(key)
            } else {
                throw entry.error(key: "holidays", "'\(value)' is neither a date (2026-12-25) nor an .ics file.")
            }
        }
        return BusinessCalendar(
            name: name, timeZone: zone, workingDays: days, opens: opens, closes: closes, holidays: holidays)
    }

    /// `09:00` → 540; `24:00` → 1440.
    static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]), (0...59).contains(minute),
            (0...24).contains(hour), hour < 24 || minute == 0
        else { return nil }
        return hour * 60 + minute
    }

    /// `2026-12-25` (checked), nil otherwise.
    static func dayKey(_ text: String) -> String? {
        let parts = text.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, let year = Int(parts[0]), let month = Int(parts[1]),
            let day = Int(parts[2]), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        return BusinessCalendar.dayKey(year: year, month: month, day: day)
    }

    private static func parsePolicy(_ entry: ConfigSection, index: Int, settings: SLASettings)
        throws(CoreReconError) -> SLAPolicy
    {
        try entry.requireKeys(in: [
            "name", "target", "severity", "source", "type", "acknowledge", "contain", "resolve", "calendar", "atRisk",
            "onBreach",
        ])
        let targetName = try entry.string("target") ?? "alert"
        guard let target = SLATarget(rawValue: targetName) else {
            throw entry.error(key: "target", "'\(targetName)' is not a target: alert or incident.")
        }
        var policy = SLAPolicy(name: try entry.string("name") ?? "policy-\(index + 1)", target: target)
        for name in try entry.strings("severity") {
            guard let severity = Severity(name: name) else {
                throw entry.error(key: "severity", "'\(name)' is not a severity (informational ... critical).")
            }
            policy.severities.append(severity)
        }
        policy.sources = try entry.strings("source")
        policy.types = try entry.strings("type")
        if target == .alert && !policy.types.isEmpty {
            throw entry.error(key: "type", "alerts have no type; use source, or target: incident.")
        }
        if target == .incident && !policy.sources.isEmpty {
            throw entry.error(key: "source", "incidents have no source; use type, or target: alert.")
        }
        for metric in SLAMetric.allCases {
            guard let goal = try entry.duration(metric.rawValue) else { continue }
            if metric == .contain && target == .alert {
                throw entry.error(key: "contain", "alerts are not contained; contain is for target: incident.")
            }
            guard goal > .zero else { throw entry.error(key: metric.rawValue, "a goal must be longer than 0.") }
            policy.goals[metric] = goal.seconds
        }
        guard !policy.goals.isEmpty else {
            throw entry.error("a policy needs at least one goal: acknowledge, resolve or (incidents) contain.")
        }
        policy.calendar = try entry.string("calendar") ?? "24x7"
        guard settings.calendars[policy.calendar] != nil else {
            throw entry.error(
                key: "calendar",
                "no calendar named '\(policy.calendar)'; define it under sla.calendars, or use 24x7.")
        }
        policy.atRiskShare = try entry.share("atRisk")
        if let actions = entry.child("onBreach") {
            try actions.requireKeys(in: ["notify", "raiseSeverity", "reassign", "escalate"])
            policy.onBreach.notify = try actions.strings("notify")
            if let name = try actions.string("raiseSeverity") {
                guard let severity = Severity(name: name), [.low, .medium, .high, .critical].contains(severity) else {
                    throw actions.error(key: "raiseSeverity", "'\(name)' is not a severity: low ... critical.")
                }
                policy.onBreach.raiseSeverity = severity
            }
            policy.onBreach.reassign = try actions.strings("reassign")
            policy.onBreach.escalate = try actions.bool("escalate") ?? false
            if policy.onBreach.escalate && target == .incident {
                throw actions.error(key: "escalate", "only alerts are escalated into incidents.")
            }
        }
        return policy
    }
}

/// A policy as `sla policy list/show --format json` and `GET /api/v1/sla/policies` give it.
public struct SLAPolicySummary: Sendable, Equatable, Codable {
    public var name: String
    public var target: String
    public var severities: [String]
    public var sources: [String]
    public var types: [String]
    /// Goals in working seconds, by metric.
    public var goals: [String: Int]
    public var calendar: String
    /// The calendar's time zone, days and hours, and how many holidays it has; `24x7` for the always-open one.
    public var calendarHours: String
    public var atRisk: Double
    public var onBreach: String

    /// The policies of `settings`, first match first.
    public static func summaries(_ settings: SLASettings) -> [SLAPolicySummary] {
        settings.policies.map { policy in
            SLAPolicySummary(
                name: policy.name, target: policy.target.rawValue, severities: policy.severities.map(\.name),
                sources: policy.sources, types: policy.types,
                goals: Dictionary(uniqueKeysWithValues: policy.goals.map { ($0.key.rawValue, Int($0.value)) }),
                calendar: policy.calendar,
                calendarHours: hours(settings.calendar(named: policy.calendar), policy.calendar),
                atRisk: policy.atRiskShare ?? settings.atRiskShare,
                onBreach: policy.onBreach.isEmpty ? "-" : policy.onBreach.summary)
        }
    }

    static func hours(_ calendar: BusinessCalendar, _ name: String) -> String {
        if name == "24x7" { return "24x7" }
        let days = calendar.workingDays.sorted().compactMap(SLASettings.weekdayName).joined(separator: ",")
        return "\(calendar.timeZone.identifier), \(days) "
            + String(
                format: "%02d:%02d-%02d:%02d", calendar.opens / 60, calendar.opens % 60, calendar.closes / 60,
                calendar.closes % 60)
            + ", \(calendar.holidays.count) holidays"
    }
}
