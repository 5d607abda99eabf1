import Foundation

/// Indicators written for other tools: CSV in the columns `ioc import` reads, or one value per line. (STIX is
/// ``STIXExport``.) Shared by `ioc export` and `GET /api/v1/iocs/export`.
public enum IndicatorExport {
    /// Leaves out what is marked stricter than `ceiling` (amber leaves out amber+strict and red).
    public static func markedAtMost(_ ceiling: TLP?, _ indicators: [Indicator]) -> [Indicator] {
        guard let ceiling, let limit = TLP.allCases.firstIndex(of: ceiling) else { return indicators }
        return indicators.filter { ($0.tlp.flatMap(TLP.allCases.firstIndex(of:)) ?? 0) <= limit }
    }

    /// `type,value,score,tlp,tags,confidence,description`, RFC 4180 quoting.
    public static func csv(_ indicators: [Indicator], decay: DecayModel, at now: Date) -> String {
        var lines = ["type,value,score,tlp,tags,confidence,description"]
        for indicator in indicators {
            lines.append(
                [
                    indicator.type.rawValue, indicator.value, "\(Int(decay.score(indicator, at: now).rounded()))",
                    indicator.tlp?.rawValue ?? "", indicator.tags.joined(separator: ";"), "\(indicator.confidence)",
                    indicator.description ?? "",
                ].map(quote).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One value per line (stix-pattern indicators have no single value and are left out).
    public static func text(_ indicators: [Indicator]) -> String {
        indicators.filter { $0.type != .stixPattern }.map { $0.value + "\n" }.joined()
    }

    static func quote(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
