import Foundation

/// When the SOC works: a time zone, working days and hours, and holidays. SLA goals are measured in its working
/// time, so a 4-hour goal started on Friday at 16:00 in a 09:00–17:00 calendar ends on Monday at 12:00.
///
/// Local times go through Foundation's calendar in the named IANA zone, so a working day keeps its wall-clock
/// hours across a daylight-saving change (the day itself is 23 or 25 hours long).
public struct BusinessCalendar: Sendable, Equatable {
    /// The name policies use; `24x7` is the calendar that never closes.
    public var name: String
    public var timeZone: TimeZone
    /// Working weekdays, Foundation's numbering: 1 is Sunday, 7 Saturday.
    public var workingDays: Set<Int>
    /// Opening and closing time in minutes after local midnight; closing may be 1440 (midnight).
    public var opens: Int
    public var closes: Int
    /// Local dates (`2026-12-25`) on which nothing counts.
    public var holidays: Set<String>

    public init(
        name: String, timeZone: TimeZone, workingDays: Set<Int>, opens: Int, closes: Int, holidays: Set<String> = []
    ) {
        self.name = name
        self.timeZone = timeZone
        self.workingDays = workingDays
        self.opens = opens
        self.closes = closes
        self.holidays = holidays
    }

    /// Every hour of every day.
    public static let alwaysOpen = BusinessCalendar(
        name: "24x7", timeZone: .gmt, workingDays: Set(1...7), opens: 0, closes: 1_440)

    /// True when every moment is working time, so arithmetic is plain addition.
    public var isAlwaysOpen: Bool {
        workingDays.count == 7 && opens == 0 && closes == 1_440 && holidays.isEmpty
    }

    /// Days looked at before giving up on finding working time (a calendar with no working day at all is
    /// refused when the configuration is read; this bounds a calendar of holidays only).
    static let dayLimit = 40_000

    private var gregorian: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }

    /// The working interval of the local day that starts at `dayStart`, nil on a day off.
    private func workingInterval(dayStart: Date, calendar: Calendar) -> (start: Date, end: Date)? {
        let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: dayStart)
        guard let weekday = parts.weekday, workingDays.contains(weekday),
            let year = parts.year, let month = parts.month, let day = parts.day
        else { return nil }
        if !holidays.isEmpty, holidays.contains(Self.dayKey(year: year, month: month, day: day)) { return nil }
        guard let next = calendar.date(byAdding: .day, value: 1, to: dayStart) else { return nil }
        let start =
            opens == 0
            ? dayStart : calendar.date(bySettingHour: opens / 60, minute: opens % 60, second: 0, of: dayStart)
        let end =
            closes >= 1_440
            ? next : calendar.date(bySettingHour: closes / 60, minute: closes % 60, second: 0, of: dayStart)
        guard let start, let end, start < end else { return nil }
        return (start, end)
    }

    /// `2026-12-25`.
    public static func dayKey(year: Int, month: Int, day: Int) -> String {
        let digits = { (value: Int, width: Int) in
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(digits(year, 4))-\(digits(month, 2))-\(digits(day, 2))"
    }

    /// The moment `seconds` of working time after `start`.
    public func adding(_ seconds: Double, to start: Date) -> Date {
        if isAlwaysOpen || seconds <= 0 { return start.addingTimeInterval(max(0, seconds)) }
        let calendar = gregorian
        var remaining = seconds
        var day = calendar.startOfDay(for: start)
        for _ in 0..<Self.dayLimit {
            guard let next = calendar.date(byAdding: .day, value: 1, to: day) else { break }
            if let (open, close) = workingInterval(dayStart: day, calendar: calendar) {
                let from = max(open, start)
                if from < close {
                    let available = close.timeIntervalSince(from)
                    if remaining <= available { return from.addingTimeInterval(remaining) }
                    remaining -= available
                }
            }
            day = next
        }
        return start.addingTimeInterval(seconds)
    }

    /// Working time between two moments, negative when `end` is before `start`.
    public func workingSeconds(from start: Date, to end: Date) -> Double {
        if end < start { return -workingSeconds(from: end, to: start) }
        if isAlwaysOpen { return end.timeIntervalSince(start) }
        let calendar = gregorian
        var total = 0.0
        var day = calendar.startOfDay(for: start)
        for _ in 0..<Self.dayLimit where day < end {
            guard let next = calendar.date(byAdding: .day, value: 1, to: day) else { break }
            if let (open, close) = workingInterval(dayStart: day, calendar: calendar) {
                let from = max(open, start)
                let to = min(close, end)
                if from < to { total += to.timeIntervalSince(from) }
            }
            day = next
        }
        return total
    }
}
