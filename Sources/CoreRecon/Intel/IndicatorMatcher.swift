import Foundation

/// Finds indicators in text: every active indicator in memory (a hash set per type, and the networks), so a
/// look-up costs no query. Candidates are taken from each line's tokens, refanged; a domain matches its listed
/// parents too (`a.evil.example` hits `evil.example`), an address the networks that contain it.
public struct IndicatorMatcher: Sendable {
    public struct Hit: Sendable, Equatable {
        /// The text as found in the line.
        public var found: String
        public var indicator: Indicator
    }

    var exact: [String: [Indicator]] = [:]
    var networks: [(Network, Indicator)] = []

    public init(_ indicators: [Indicator]) {
        for indicator in indicators where indicator.type != .stixPattern && indicator.warning == nil {
            if indicator.type == .cidr, let network = Network.parse(indicator.value) {
                networks.append((network, indicator))
            }
            // A network is also found written out as itself.
            exact[Self.key(indicator.value), default: []].append(indicator)
        }
    }

    public var isEmpty: Bool { exact.isEmpty && networks.isEmpty }

    static func key(_ value: String) -> String { value.lowercased() }

    /// Characters that separate candidates in log lines, JSON and CSV.
    public static let separators: Set<Character> = [
        " ", "\t", "\"", "'", ",", ";", "<", ">", "(", ")", "{", "}", "|", "`", "\r", "\n", "=",
    ]

    /// The indicators `line` mentions, each once, in the order found.
    public func hits(in line: String) -> [Hit] {
        var hits: [Hit] = []
        var seen: Set<Indicator.ID> = []
        func record(_ found: String, _ indicators: [Indicator]) {
            for indicator in indicators where seen.insert(indicator.id).inserted {
                hits.append(Hit(found: found, indicator: indicator))
            }
        }
        /// Listed parents of a name: a.b.evil.example → b.evil.example, evil.example.
        func recordParents(of name: String, as found: String) {
            var labels = name.split(separator: ".")
            while labels.count > 2 {
                labels.removeFirst()
                if let indicators = exact[labels.joined(separator: ".")] { record(found, indicators) }
            }
        }
        for token in line.split(whereSeparator: { Self.separators.contains($0) }) {
            var text = Refang.refang(String(token))
            // Trailing punctuation of prose and log formats.
            while let last = text.last, ".:]".contains(last), text.count > 1 { text.removeLast() }
            if text.hasPrefix("[") && !text.contains("]") { text.removeFirst() }
            guard !text.isEmpty else { continue }
            if let found = exact[Self.key(text)] { record(text, found) }
            let type = IndicatorType.detect(text)
            if let type, let canonical = type.canonical(text), canonical != text, let found = exact[Self.key(canonical)]
            {
                record(text, found)
            }
            switch type {
            case .ipv4, .ipv6:
                if !networks.isEmpty, let bytes = Network.bytes(text) {
                    for (network, indicator) in networks where network.contains(bytes) { record(text, [indicator]) }
                }
            case .ipPort:
                if let (address, _) = IndicatorType.splitAddressAndPort(text) {
                    let canonical = IndicatorType.detect(address)?.canonical(address) ?? address
                    if let found = exact[Self.key(canonical)] { record(text, found) }
                    if !networks.isEmpty, let bytes = Network.bytes(address) {
                        for (network, indicator) in networks where network.contains(bytes) { record(text, [indicator]) }
                    }
                }
            case .domain, .hostname:
                recordParents(of: text.lowercased(), as: text)
            case .url:
                // Lists keep URLs without their scheme too (Maltrail): try both.
                if let scheme = text.range(of: "://"),
                    let found = exact[Self.key(IndicatorType.canonicalURL(String(text[scheme.upperBound...])))]
                {
                    record(text, found)
                }
                if let host = Self.host(ofURL: text)?.lowercased() {
                    if let found = exact[host] { record(text, found) }
                    recordParents(of: host, as: text)
                }
            case .email:
                if let at = text.lastIndex(of: "@"), let found = exact[Self.key(String(text[text.index(after: at)...]))]
                {
                    record(text, found)
                }
            default: break
            }
        }
        return hits
    }

    static func host(ofURL text: String) -> String? {
        let rest = text.range(of: "://").map { text[$0.upperBound...] } ?? Substring(text)
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let host = authority.split(separator: "@").last.map { $0.split(separator: ":").first ?? $0 } ?? authority
        return host.isEmpty ? nil : String(host)
    }
}
