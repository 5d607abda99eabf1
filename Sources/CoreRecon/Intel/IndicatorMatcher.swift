import Foundation
import Synchronization

/// Finds indicators in text: every active indicator in memory (a hash table of values, and the networks), so a
/// look-up costs no query. Candidates are taken from each line's tokens, refanged; a domain matches its listed
/// parents too (`a.evil.example` hits `evil.example`), an address the networks that contain it.
///
/// Built from whole indicators it answers with them (``hits(in:)``). Built from ``Entry`` values (id, type and
/// value: what a million indicators can be loaded as in seconds) it answers with ids (``matches(in:)``), and the
/// caller reads the few indicators that were hit.
public struct IndicatorMatcher: Sendable {
    public struct Hit: Sendable, Equatable {
        /// The text as found in the line.
        public var found: String
        public var indicator: Indicator

        public init(found: String, indicator: Indicator) {
            self.found = found
            self.indicator = indicator
        }
    }

    /// What matching needs of an indicator.
    public struct Entry: Sendable, Equatable {
        public var id: Indicator.ID
        public var type: IndicatorType
        public var value: String

        public init(id: Indicator.ID, type: IndicatorType, value: String) {
            self.id = id
            self.type = type
            self.value = value
        }
    }

    /// A hit by id.
    public struct Match: Sendable, Equatable {
        public var found: String
        public var id: Indicator.ID
    }

    /// The indicators of each look-up key (its lower-cased value).
    public private(set) var table: IndicatorTable
    var networks: [(Network, Indicator.ID)] = []
    /// The indicators themselves, when built from them.
    var indicators: [Indicator.ID: Indicator] = [:]
    /// Tells matchers apart (a memo of values that matched nothing is only good for the matcher that said so).
    public let generation = IndicatorMatcher.nextGeneration.add(1, ordering: .relaxed).newValue
    static let nextGeneration = Atomic<Int>(0)

    /// A matcher over `indicators`, leaving out STIX patterns and those on a warninglist.
    public init(_ indicators: [Indicator]) {
        let kept = indicators.filter { $0.type != .stixPattern && $0.warning == nil }
        self.init(entries: kept.map { Entry(id: $0.id, type: $0.type, value: $0.value) })
        self.indicators = Dictionary(kept.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// A matcher over entries the caller has already chosen (not revoked, not on a warninglist, not patterns).
    public init(entries: [Entry]) {
        // A network is also found written out as itself, so it is in the table too.
        self.init(
            table: IndicatorTable(
                entries.filter { $0.type != .stixPattern }.map { entry in
                    (entry.id, Self.key(entry.value), entry.type == .cidr)
                }))
    }

    /// A matcher over a table built before (the store's snapshot of it).
    public init(table: IndicatorTable) {
        self.table = table
        networks = table.networks.compactMap { entry in Network.parse(entry.key).map { ($0, entry.id) } }
    }

    public var isEmpty: Bool { table.count == 0 }

    /// The number of values and networks held.
    public var count: Int { table.count }

    /// The indicators `line` mentions, each once, in the order found (for a matcher built from indicators).
    public func hits(in line: String) -> [Hit] {
        matches(in: line).compactMap { match in
            indicators[match.id].map { Hit(found: match.found, indicator: $0) }
        }
    }

    private func ids(_ key: String) -> [Indicator.ID]? { table.ids(forKey: key) }

    static func key(_ value: String) -> String { value.lowercased() }

    /// ``separators`` by byte.
    static let separatorTable: [Bool] = (0..<256).map { byte in
        byte < 0x80 && separators.contains(Character(Unicode.Scalar(UInt8(byte))))
    }

    static func isPlainWord(_ text: String) -> Bool {
        text.utf8.allSatisfy { byte in
            byte < 0x80 && byte != UInt8(ascii: ".") && byte != UInt8(ascii: ":") && byte != UInt8(ascii: "/")
                && byte != UInt8(ascii: "@") && byte != UInt8(ascii: "\\") && byte != UInt8(ascii: "%")
        }
    }

    /// Characters that separate candidates in log lines, JSON and CSV.
    public static let separators: Set<Character> = [
        " ", "\t", "\"", "'", ",", ";", "<", ">", "(", ")", "{", "}", "|", "`", "\r", "\n", "=",
    ]

    /// The ids of the indicators `line` mentions, each once, in the order found.
    public func matches(in line: String) -> [Match] {
        var hits: [Match] = []
        var seen: Set<Indicator.ID> = []
        func record(_ found: String, _ ids: [Indicator.ID]) {
            for id in ids where seen.insert(id).inserted {
                hits.append(Match(found: found, id: id))
            }
        }
        /// Listed parents of a name: a.b.evil.example → b.evil.example, evil.example.
        func recordParents(of name: String, as found: String) {
            var labels = name.split(separator: ".")
            while labels.count > 2 {
                labels.removeFirst()
                if let ids = ids(labels.joined(separator: ".")) { record(found, ids) }
            }
        }
        // The separators are ASCII, so splitting the UTF-8 bytes cuts only between characters.
        for token in line.utf8.split(whereSeparator: { Self.separatorTable[Int($0)] }) {
            var text = Refang.refang(String(Substring(token)))
            // Trailing punctuation of prose and log formats.
            while let last = text.utf8.last,
                last == UInt8(ascii: ".") || last == UInt8(ascii: ":")
                    || last == UInt8(ascii: "]"), text.utf8.count > 1
            {
                text.removeLast()
            }
            if text.utf8.first == UInt8(ascii: "["), !text.utf8.contains(UInt8(ascii: "]")) { text.removeFirst() }
            guard !text.isEmpty else { continue }
            if let found = ids(Self.key(text)) { record(text, found) }
            // A plain ASCII word (no dot, colon, slash, at, backslash or percent) is no address, network, name,
            // URL or e-mail address, and its canonical form differs from it at most in case: the look-up above
            // was all it needed.
            guard !Self.isPlainWord(text) else { continue }
            let type = IndicatorType.detect(text)
            if let type, let canonical = type.canonical(shaped: text.trimmedOfWhitespace()), canonical != text,
                let found = ids(Self.key(canonical))
            {
                record(text, found)
            }
            switch type {
            case .ipv4, .ipv6:
                if !networks.isEmpty, let bytes = Network.bytes(text) {
                    for (network, id) in networks where network.contains(bytes) { record(text, [id]) }
                }
            case .ipPort:
                if let (address, _) = IndicatorType.splitAddressAndPort(text) {
                    let canonical = IndicatorType.detect(address)?.canonical(address) ?? address
                    if let found = ids(Self.key(canonical)) { record(text, found) }
                    if !networks.isEmpty, let bytes = Network.bytes(address) {
                        for (network, id) in networks where network.contains(bytes) { record(text, [id]) }
                    }
                }
            case .domain, .hostname:
                recordParents(of: text.lowercased(), as: text)
            case .url:
                // Lists keep URLs without their scheme too (Maltrail): try both.
                if let scheme = text.rangeOfBytes("://"),
                    let found = ids(Self.key(IndicatorType.canonicalURL(String(text[scheme.upperBound...]))))
                {
                    record(text, found)
                }
                if let host = Self.host(ofURL: text)?.lowercased() {
                    if let found = ids(host) { record(text, found) }
                    recordParents(of: host, as: text)
                }
            case .email:
                if let at = text.lastIndex(of: "@"), let found = ids(Self.key(String(text[text.index(after: at)...]))) {
                    record(text, found)
                }
            default: break
            }
        }
        return hits
    }

    /// The ids of the indicators an alert's observable names. An IPv4 address in canonical form, most of the
    /// distinct values of a day's alerts, costs one table look-up and the networks that hold it; anything else is
    /// read as text, as ``matches(in:)`` reads a line.
    public func matches(inObservable value: String) -> [Match] {
        guard Self.isCanonicalIPv4(value) else { return matches(in: value) }
        var hits = table.ids(forKey: value).map { $0.map { Match(found: value, id: $0) } } ?? []
        if !networks.isEmpty, let bytes = Network.bytes(value) {
            for (network, id) in networks where network.contains(bytes) && !hits.contains(where: { $0.id == id }) {
                hits.append(Match(found: value, id: id))
            }
        }
        return hits
    }

    /// Four decimal numbers up to 255 without leading zeros, joined by dots: what ``IndicatorType/canonical(_:)``
    /// leaves as it is.
    static func isCanonicalIPv4(_ value: String) -> Bool {
        var parts = 0
        var digits = 0
        var number = 0
        var leadingZero = false
        for byte in value.utf8 {
            if byte == UInt8(ascii: ".") {
                guard digits > 0 else { return false }
                parts += 1
                digits = 0
                number = 0
            } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                if digits == 0 { leadingZero = byte == UInt8(ascii: "0") } else if leadingZero { return false }
                digits += 1
                number = number * 10 + Int(byte - UInt8(ascii: "0"))
                guard digits <= 3, number <= 255 else { return false }
            } else {
                return false
            }
        }
        return parts == 3 && digits > 0
    }

    static func host(ofURL text: String) -> String? {
        let rest = text.rangeOfBytes("://").map { text[$0.upperBound...] } ?? Substring(text)
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let host = authority.split(separator: "@").last.map { $0.split(separator: ":").first ?? $0 } ?? authority
        return host.isEmpty ? nil : String(host)
    }
}

/// Values a matcher found nothing in, remembered across calls: the alerts of one ingest share most of their
/// hosts, users and addresses, and nearly every value matches nothing. Bounded; forgotten when the matcher
/// changes.
public final class IndicatorMissMemo: Sendable {
    private let state = Mutex<(generation: Int, misses: Set<String>)>((-1, []))
    public let capacity: Int

    public init(capacity: Int = 1_000_000) {
        self.capacity = capacity
    }

    /// The matches of an observable `value`, from the memo when it is a known miss. Addresses are looked up
    /// directly: as cheap as the memo, and mostly seen once, they would only crowd it.
    public func matches(in value: String, with matcher: IndicatorMatcher) -> [IndicatorMatcher.Match] {
        if IndicatorMatcher.isCanonicalIPv4(value) { return matcher.matches(inObservable: value) }
        let known = state.withLock { state in
            if state.generation != matcher.generation { state = (matcher.generation, []) }
            return state.misses.contains(value)
        }
        if known { return [] }
        let matches = matcher.matches(in: value)
        if matches.isEmpty {
            state.withLock { state in
                guard state.generation == matcher.generation else { return }
                if state.misses.count >= capacity { state.misses.removeAll(keepingCapacity: true) }
                state.misses.insert(value)
            }
        }
        return matches
    }
}
