import Foundation

/// Parses the timestamps SIEMs write, without DateFormatter (slow, and strict about variants):
/// ISO 8601 with `T` or space, optional fractions of any length, `Z`, `+00:00` or `+0000` offsets, and epoch
/// seconds or milliseconds as numbers or numeric strings.
public enum TimestampParser {
    public static func date(from value: JSONValue) -> Date? {
        switch value {
        case .number(let text):
            return Double(text).flatMap(epoch)
        case .string(let text):
            if let date = iso8601(text) { return date }
            return Double(text).flatMap(epoch)
        default:
            return nil
        }
    }

    /// The last second of year 9999: later "times" are garbage, not alerts.
    static let latestSeconds = 253_402_300_799.0

    /// Epoch seconds, or milliseconds when the number is too large to be seconds (after year 5138); nil for a
    /// time past year 9999 whatever the unit.
    static func epoch(_ number: Double) -> Date? {
        guard number.isFinite, number > 0 else { return nil }
        let seconds =
            if number > 1e14 { number / 1e6 }  // microseconds
            else if number > 1e11 { number / 1e3 }  // milliseconds
            else { number }
        return seconds <= latestSeconds ? Date(timeIntervalSince1970: seconds) : nil
    }

    public static func iso8601(_ text: String) -> Date? {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 10 else { return nil }
        var index = 0
        func digits(_ count: Int) -> Int? {
            guard index + count <= utf8.count else { return nil }
            var value = 0
            for _ in 0..<count {
                let byte = utf8[index]
                guard byte >= 0x30 && byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
                index += 1
            }
            return value
        }
        func expect(_ byte: UInt8) -> Bool {
            guard index < utf8.count, utf8[index] == byte else { return false }
            index += 1
            return true
        }
        guard let year = digits(4), expect(UInt8(ascii: "-")), let month = digits(2), expect(UInt8(ascii: "-")),
            let day = digits(2), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var seconds = Double(daysFromCivil(year: year, month: month, day: day)) * 86_400
        if index == utf8.count { return Date(timeIntervalSince1970: seconds) }
        guard index < utf8.count, utf8[index] == UInt8(ascii: "T") || utf8[index] == UInt8(ascii: " ") else {
            return nil
        }
        index += 1
        guard let hour = digits(2), expect(UInt8(ascii: ":")), let minute = digits(2) else { return nil }
        var second = 0
        if expect(UInt8(ascii: ":")) {
            guard let value = digits(2) else { return nil }
            second = value
        }
        guard hour < 24, minute < 60, second <= 60 else { return nil }
        seconds += Double(hour * 3_600 + minute * 60 + second)
        if index < utf8.count, utf8[index] == UInt8(ascii: ".") || utf8[index] == UInt8(ascii: ",") {
            index += 1
            var scale = 0.1
            var fraction = 0.0
            while index < utf8.count, utf8[index] >= 0x30, utf8[index] <= 0x39 {
                fraction += Double(utf8[index] - 0x30) * scale
                scale /= 10
                index += 1
            }
            seconds += fraction
        }
        if index == utf8.count { return Date(timeIntervalSince1970: seconds) }  // no zone: UTC, as SIEMs mean
        let sign = utf8[index]
        if sign == UInt8(ascii: "Z") || sign == UInt8(ascii: "z") {
            index += 1
        } else if sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            index += 1
            guard let offsetHours = digits(2) else { return nil }
            _ = expect(UInt8(ascii: ":"))
            let offsetMinutes = digits(2) ?? 0
            let offset = Double(offsetHours * 3_600 + offsetMinutes * 60)
            seconds += sign == UInt8(ascii: "+") ? -offset : offset
        } else {
            return nil
        }
        return index == utf8.count ? Date(timeIntervalSince1970: seconds) : nil
    }

    /// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
