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
