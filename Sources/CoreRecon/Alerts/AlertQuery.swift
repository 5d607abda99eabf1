import Foundation

/// The filters of `alert list` (and `GET /alerts`), and of `--where` for bulk changes.
public struct AlertQuery: Sendable, Equatable {
    public var statuses: [AlertStatus] = []
    /// Minimum severity.
    public var minimumSeverity: Severity?
    public var sources: [String] = []
    /// Bounds on the alert's event time (`last_seen`): when what it reports happened, as the source says.
    public var since: Date?
    public var until: Date?
    /// Only alerts CoreRecon first received (stored) at or after this time, whatever their event time.
    public var receivedSince: Date?
    public var assignee: String?
    /// Full-text search over title, description and observables.
    public var search: String?
    public var technique: String?
    /// Only alerts with an open SLA clock in this state (`breached`, `at_risk` or `paused`) at `slaAt`.
    public var sla: SLAState?
    public var slaAt: Date?
    public var sort: AlertSort = .lastSeen
    /// 0 means no limit.
    public var limit: Int = 50
    public var offset: Int = 0
    /// Continue after this cursor (from the previous page's `nextCursor`); replaces `offset`.
    public var cursor: AlertCursor?

    public init() {}
}

/// Sort orders for alert lists, newest or most severe first; ties broken by id, newest first.
public enum AlertSort: String, Sendable, CaseIterable {
    case lastSeen = "last_seen"
    case firstSeen = "first_seen"
    case severity
    case occurrences
    case id
}

/// A position in a sorted alert list: the sort value and id of the last alert seen.
public struct AlertCursor: Sendable, Equatable {
    public var sort: AlertSort
    public var value: Int64
    public var id: Alert.ID

    public init(sort: AlertSort, value: Int64, id: Alert.ID) {
        self.sort = sort
        self.value = value
        self.id = id
    }

    /// An opaque token for the command line and the API: `<sort>~<value>~<id>`.
    public var token: String { "\(sort.rawValue)~\(value)~\(id)" }

    public init(token: String) throws(CoreReconError) {
        let parts = token.split(separator: "~")
        guard parts.count == 3, let sort = AlertSort(rawValue: String(parts[0])), let value = Int64(parts[1]),
            let id = Int64(parts[2])
        else {
            throw .invalidInput(location: "--cursor", reason: "'\(token)' is not a cursor from a previous page.")
        }
        self.init(sort: sort, value: value, id: id)
    }

    public static func after(_ alert: Alert, sort: AlertSort) -> AlertCursor {
        let value: Int64 =
            switch sort {
            case .lastSeen: alert.lastSeen.milliseconds
            case .firstSeen: alert.firstSeen.milliseconds
            case .severity: Int64(alert.severity.rawValue)
            case .occurrences: Int64(alert.occurrences)
            case .id: alert.id
            }
        return AlertCursor(sort: sort, value: value, id: alert.id)
    }
}

/// A page of alerts and the cursor of the next page, if there is one.
public struct AlertPage: Sendable {
    public var alerts: [Alert]
    public var nextCursor: AlertCursor?

    public init(alerts: [Alert], nextCursor: AlertCursor?) {
        self.alerts = alerts
        self.nextCursor = nextCursor
    }
}

/// Relative or absolute times for `--since` / `--until`: `24h`, `7d`, `30m`, or an ISO 8601 timestamp.
public enum TimeExpression {
    /// 0001-01-01T00:00:00Z: earlier times are taken as this one (nothing is older), so every time a query
    /// holds can be written back as an RFC 3339 timestamp.
    public static let earliest = Date(timeIntervalSince1970: -62_135_596_800)

    public static func parse(_ text: String, now: Date, option: String) throws(CoreReconError) -> Date {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let units: [(Character, Double)] = [("s", 1), ("m", 60), ("h", 3_600), ("d", 86_400), ("w", 604_800)]
        // Digits with an optional fraction: not Double's whole grammar (1e16, inf, nan, hex).
        let number = trimmed.dropLast()
        if let last = trimmed.last, let unit = units.first(where: { $0.0 == last }), !number.isEmpty,
            number.first != ".", number.last != ".", number.filter({ $0 == "." }).count <= 1,
            number.allSatisfy({ $0 == "." || ("0"..."9").contains($0) }), let amount = Double(number)
        {
            return max(now.addingTimeInterval(-amount * unit.1), earliest)
        }
        if let date = TimestampParser.iso8601(trimmed) { return max(date, earliest) }
        throw .invalidInput(
            location: option,
            reason: "'\(text)' is not a time. Use a duration back from now (30m, 24h, 7d, 2w) or a timestamp "
                + "(2026-11-25 or 2026-11-25T08:00:00Z)."
        )
    }
}
