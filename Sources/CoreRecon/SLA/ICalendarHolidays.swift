import Foundation

/// Holidays from an iCalendar file (RFC 5545), as public-holiday calendars publish them: each `VEVENT` with a
/// `DTSTART` (a date, or a date-time whose local date counts), an optional exclusive `DTEND`, and optionally
/// `RRULE:FREQ=YEARLY` (with `COUNT` or `UNTIL`) for a holiday on the same date every year.
public enum ICalendarHolidays {
    /// Years a yearly rule without an end is expanded to, after its first year.
    static let yearlyHorizon = 30
    /// Longest event taken as a run of holidays (a longer one is a mistake, not a holiday).
    static let longestEventDays = 366

    /// The local dates (`2026-12-25`) the file's events cover. Errors name the file and line.
    public static func parse(_ text: String, location: String) throws(CoreReconError) -> Set<String> {
        // Unfold: a line starting with a space or tab continues the previous one.
        var lines: [(number: Int, text: String)] = []
        // CRLF is one Character in Swift: split on any line break.
        for (index, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            if let first = line.first, first == " " || first == "\t", !lines.isEmpty {
                lines[lines.count - 1].text += line.dropFirst()
            } else {
                lines.append((index + 1, String(line)))
            }
        }
        guard lines.contains(where: { $0.text.uppercased() == "BEGIN:VCALENDAR" }) else {
            throw .invalidInput(location: location, reason: "not an iCalendar file (no BEGIN:VCALENDAR).")
        }
        var days = Set<String>()
        var inEvent = false
        var eventLine = 0
        var start: DateComponents?
        var end: DateComponents?
        var rule: String?
        for (number, line) in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let head = line[..<colon].uppercased()
            let value = String(line[line.index(after: colon)...])
            let name = head.split(separator: ";").first.map(String.init) ?? head
            switch name {
            case "BEGIN" where value.uppercased() == "VEVENT":
                inEvent = true
                eventLine = number
                start = nil
                end = nil
                rule = nil
            case "END" where value.uppercased() == "VEVENT":
                guard inEvent else { continue }
                inEvent = false
                guard let start else {
                    throw .invalidInput(location: "\(location):\(eventLine)", reason: "the event has no DTSTART.")
                }
                try days.formUnion(expand(start: start, end: end, rule: rule, location: "\(location):\(eventLine)"))
            case "DTSTART" where inEvent:
                guard let date = date(value) else {
                    throw .invalidInput(
                        location: "\(location):\(number)", reason: "DTSTART '\(value)' is not a date (YYYYMMDD).")
                }
                start = date
            case "DTEND" where inEvent:
                guard let date = date(value) else {
                    throw .invalidInput(
                        location: "\(location):\(number)", reason: "DTEND '\(value)' is not a date (YYYYMMDD).")
                }
                end = date
            case "RRULE" where inEvent:
                rule = value.uppercased()
            default:
                continue
            }
        }
        return days
    }

    /// `20261225` or `20261225T000000Z`: the date part.
    private static func date(_ value: String) -> DateComponents? {
        let digits = value.prefix(8)
        guard digits.count == 8, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
            let year = Int(digits.prefix(4)), let month = Int(digits.dropFirst(4).prefix(2)),
            let day = Int(digits.suffix(2)), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        return DateComponents(year: year, month: month, day: day)
    }

    private static func expand(start: DateComponents, end: DateComponents?, rule: String?, location: String)
        throws(CoreReconError) -> Set<String>
    {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        guard let first = calendar.date(from: start) else {
            throw .invalidInput(location: location, reason: "the start is not a date.")
        }
        var length = 1
        if let end, let last = calendar.date(from: end) {
            length = calendar.dateComponents([.day], from: first, to: last).day ?? 1
            guard (0...longestEventDays).contains(length) else {
                throw .invalidInput(location: location, reason: "the event ends before it starts or lasts over a year.")
            }
            length = max(1, length)
        }
        var years = 1
        if let rule {
            let parts = Dictionary(
                rule.split(separator: ";").compactMap { part -> (String, String)? in
                    let pair = part.split(separator: "=", maxSplits: 1)
                    return pair.count == 2 ? (String(pair[0]), String(pair[1])) : nil
                }, uniquingKeysWith: { first, _ in first })
            guard parts["FREQ"] == "YEARLY" else {
                throw .invalidInput(
                    location: location, reason: "only yearly rules (RRULE:FREQ=YEARLY) are understood in holidays.")
            }
            if let count = parts["COUNT"].flatMap(Int.init) {
                years = min(max(count, 1), yearlyHorizon + 1)
            } else if let until = parts["UNTIL"].flatMap({ date($0) }), let year = until.year, let from = start.year {
                years = min(max(year - from + 1, 1), yearlyHorizon + 1)
            } else {
                years = yearlyHorizon + 1
            }
        }
        var days = Set<String>()
        for offset in 0..<years {
            guard let yearStart = calendar.date(byAdding: .year, value: offset, to: first) else { continue }
            for dayOffset in 0..<length {
                guard let day = calendar.date(byAdding: .day, value: dayOffset, to: yearStart) else { continue }
                let parts = calendar.dateComponents([.year, .month, .day], from: day)
                days.insert(
                    BusinessCalendar.dayKey(year: parts.year ?? 0, month: parts.month ?? 0, day: parts.day ?? 0))
            }
        }
        return days
    }
}
