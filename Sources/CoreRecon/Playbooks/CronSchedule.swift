import Foundation

/// A five-field cron schedule (`minute hour day-of-month month day-of-week`), in UTC: `*`, lists `1,15`, ranges
/// `1-5`, steps `*/10` and `0-30/5`, day names `mon`-`sun` and month names `jan`-`dec`. As in Vixie cron, when
/// both day fields are restricted a day matching either one is due.
public struct CronSchedule: Sendable, Equatable, CustomStringConvertible {
    public var minutes: Set<Int>
    public var hours: Set<Int>
    public var days: Set<Int>
    public var months: Set<Int>
    public var weekdays: Set<Int>
    let daysRestricted: Bool
    let weekdaysRestricted: Bool
    public var description: String

    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    public init(_ text: String) throws(ParseError) {
        let fields = text.split(whereSeparator: \.isWhitespace).map { $0.lowercased() }
        guard fields.count == 5 else {
            throw ParseError(
                message: "'\(text)' has \(fields.count) field(s); a schedule has five: minute hour day month weekday")
        }
        let monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        let dayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
        minutes = try Self.field(fields[0], "minute", 0...59, names: [])
        hours = try Self.field(fields[1], "hour", 0...23, names: [])
        days = try Self.field(fields[2], "day of month", 1...31, names: [])
        months = try Self.field(fields[3], "month", 1...12, names: monthNames, firstName: 1)
        // 7 is Sunday too.
        weekdays = Set(try Self.field(fields[4], "day of week", 0...7, names: dayNames).map { $0 % 7 })
        daysRestricted = fields[2] != "*"
        weekdaysRestricted = fields[4] != "*"
        description = fields.joined(separator: " ")
    }

    static func field(_ text: String, _ name: String, _ range: ClosedRange<Int>, names: [String], firstName: Int = 0)
        throws(ParseError) -> Set<Int>
    {
        func number(_ part: Substring) throws(ParseError) -> Int {
            if let value = Int(part), range.contains(value) { return value }
            if let index = names.firstIndex(of: String(part)) { return index + firstName }
            throw ParseError(message: "\(name) '\(part)' is not in \(range.lowerBound)-\(range.upperBound)")
        }
        var values = Set<Int>()
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = item.split(separator: "/", omittingEmptySubsequences: false)
            guard (1...2).contains(pieces.count), !pieces[0].isEmpty else {
                throw ParseError(message: "\(name) '\(item)' is not a value, range or step")
            }
            var step = 1
            if pieces.count == 2 {
                guard let value = Int(pieces[1]), value > 0 else {
                    throw ParseError(message: "\(name) step '\(pieces[1])' is not a positive number")
                }
                step = value
            }
            var low = range.lowerBound
            var high = range.upperBound
            if pieces[0] != "*" {
                let bounds = pieces[0].split(separator: "-", omittingEmptySubsequences: false)
                guard (1...2).contains(bounds.count) else {
                    throw ParseError(message: "\(name) '\(pieces[0])' is not a value or range")
                }
                low = try number(bounds[0])
                high = bounds.count == 2 ? try number(bounds[1]) : (pieces.count == 2 ? range.upperBound : low)
                guard low <= high else { throw ParseError(message: "\(name) range '\(pieces[0])' runs backwards") }
            }
            for value in stride(from: low, through: high, by: step) { values.insert(value) }
        }
        return values
    }

    /// Whether the minute starting at `date` (UTC) is due.
    public func isDue(_ date: Date) -> Bool {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        let parts = calendar.dateComponents([.minute, .hour, .day, .month, .weekday], from: date)
        guard let minute = parts.minute, let hour = parts.hour, let day = parts.day, let month = parts.month,
            let weekday = parts.weekday
        else { return false }
        guard minutes.contains(minute), hours.contains(hour), months.contains(month) else { return false }
        let dayMatches = days.contains(day)
        let weekdayMatches = weekdays.contains(weekday - 1)
        if daysRestricted && weekdaysRestricted { return dayMatches || weekdayMatches }
        return dayMatches && weekdayMatches
    }
}
