import Foundation

extension SLAClock {
    /// The clock as the API, `--format json` and stream events give it.
    public func jsonObject(at now: Date) -> JSONValue {
        func time(_ date: Date?) -> JSONValue { date.map { .string(ISO8601Format.string(from: $0)) } ?? .null }
        return .object([
            JSONMember("id", .int(id)),
            JSONMember("target", .string(target.rawValue)),
            JSONMember("ref", .string(reference)),
            JSONMember("metric", .string(metric.rawValue)),
            JSONMember("cycle", .int(cycle)),
            JSONMember("state", .string(state(at: now).rawValue)),
            JSONMember("policy", .string(policy)),
            JSONMember("calendar", .string(calendar)),
            JSONMember("goalSeconds", .number(String(Int64(goal.rounded())))),
            JSONMember("startedAt", time(startedAt)),
            JSONMember("atRiskAt", time(atRiskAt)),
            JSONMember("deadline", time(deadline)),
            JSONMember("secondsLeft", .number(String(Int64(timeLeft(at: now).rounded())))),
            JSONMember("pausedAt", time(pausedAt)),
            JSONMember("stoppedAt", time(stoppedAt)),
            JSONMember("severity", severity.map { .string($0.name) } ?? .null),
            JSONMember("assignee", assignee.map(JSONValue.string) ?? .null),
            JSONMember("title", title.map(JSONValue.string) ?? .null),
        ])
    }
}

extension SLAClock {
    /// A clock from ``jsonObject(at:)``, as the API answers: nil when a field is missing or of the wrong kind.
    /// The stopped outcome and a paused clock's working time left come from `state` and `secondsLeft`; an
    /// incident clock's row id is not in the answer (0).
    public init?(json: JSONValue) {
        func date(_ key: String) -> Date? { json[key: key]?.text.flatMap(TimestampParser.iso8601) }
        guard let id = json[key: "id"]?.int, let target = json[key: "target"]?.text.flatMap(SLATarget.init(rawValue:)),
            let reference = json[key: "ref"]?.text,
            let metric = json[key: "metric"]?.text.flatMap(SLAMetric.init(rawValue:)),
            let cycle = json[key: "cycle"]?.int, let state = json[key: "state"]?.text.flatMap(SLAState.init(rawValue:)),
            let policy = json[key: "policy"]?.text, let calendar = json[key: "calendar"]?.text,
            let goal = json[key: "goalSeconds"]?.double, let startedAt = date("startedAt"),
            let atRiskAt = date("atRiskAt"), let deadline = date("deadline"),
            let secondsLeft = json[key: "secondsLeft"]?.double
        else { return nil }
        let pausedAt = date("pausedAt")
        let stoppedAt = date("stoppedAt")
        self.init(
            id: Int64(id), target: target, targetID: target == .alert ? Int64(reference) ?? 0 : 0,
            reference: reference, metric: metric, cycle: cycle, policy: policy, calendar: calendar, goal: goal,
            startedAt: startedAt, deadline: deadline, atRiskAt: atRiskAt, pausedAt: pausedAt,
            remaining: pausedAt != nil && stoppedAt == nil ? secondsLeft : nil, stoppedAt: stoppedAt,
            outcome: stoppedAt != nil ? state : nil,
            severity: json[key: "severity"]?.text.flatMap(Severity.init(name:)),
            assignee: json[key: "assignee"]?.text, title: json[key: "title"]?.text)
    }
}
