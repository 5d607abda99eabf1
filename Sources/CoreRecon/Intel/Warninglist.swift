import Foundation

/// A MISP warninglist: values known not to be malicious (public resolvers, CDN ranges, sinkholes, hashes of
/// empty files). An indicator on one is flagged at import, shown as such, and never matched.
public struct Warninglist: Sendable, Equatable {
    /// MISP's list types.
    public enum Kind: String, Sendable, CaseIterable {
        /// Exact values (case-insensitive).
        case string
        /// Values that contain an entry.
        case substring
        /// Host names equal to an entry or under it.
        case hostname
        /// Addresses in a listed network (or equal to a listed address).
        case cidr
        /// Values an entry (a regular expression) finds.
        case regex
    }

    public var name: String
    public var description: String
    public var kind: Kind
    public var version: Int
    /// The MISP attribute types the list applies to; empty: every type.
    public var matchingAttributes: [String]
    public var entries: [String]

    public init(
        name: String, description: String, kind: Kind, version: Int, matchingAttributes: [String], entries: [String]
    ) {
        self.name = name
        self.description = description
        self.kind = kind
        self.version = version
        self.matchingAttributes = matchingAttributes
        self.entries = entries
    }

    /// Parses a MISP warninglist file (`name`, `type`, `list`, optional `description`, `version`,
    /// `matching_attributes`).
    public static func parse(_ bytes: [UInt8], location: String) throws(CoreReconError) -> Warninglist {
        let root: JSONValue
        do {
            root = try JSONParser.parse(bytes)
        } catch {
            throw .invalidInput(location: "\(location):\(error.offset + 1)", reason: "not valid JSON: \(error)")
        }
        guard case .string(let name)? = root[key: "name"], !name.isEmpty else {
            throw .invalidInput(location: location, reason: "a warninglist needs a name.")
        }
        let typeName: String
        if case .string(let text)? = root[key: "type"] { typeName = text } else { typeName = "string" }
        guard let kind = Kind(rawValue: typeName) else {
            throw .invalidInput(
                location: location,
                reason:
                    "unknown warninglist type '\(typeName)'; one of \(Kind.allCases.map(\.rawValue).joined(separator: ", "))."
            )
        }
        guard let list = root[key: "list"]?.arrayValue else {
            throw .invalidInput(location: location, reason: "a warninglist needs a `list` array.")
        }
        let entries = list.compactMap { value -> String? in
            guard case .string(let text) = value else { return nil }
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty ? nil : trimmed
        }
        var description = ""
        if case .string(let text)? = root[key: "description"] { description = text }
        let matching = (root[key: "matching_attributes"]?.arrayValue ?? []).compactMap { value -> String? in
            if case .string(let text) = value { return text }
            return nil
        }
        if kind == .regex {
            for entry in entries where (try? NSRegularExpression(pattern: entry)) == nil {
                throw .invalidInput(location: location, reason: "the regular expression '\(entry)' does not compile.")
            }
        }
        return Warninglist(
            name: name, description: description, kind: kind, version: root[key: "version"]?.int ?? 0,
            matchingAttributes: matching, entries: entries)
    }

    /// The MISP attribute types an indicator type corresponds to, for `matching_attributes`.
    static func mispTypes(_ type: IndicatorType) -> Set<String> {
        switch type {
        case .ipv4, .ipv6, .cidr: ["ip-src", "ip-dst", "domain|ip"]
        case .ipPort: ["ip-src|port", "ip-dst|port"]
        case .domain: ["domain", "domain|ip", "hostname"]
        case .hostname: ["hostname", "domain"]
        case .url: ["url", "uri", "link"]
        case .email: ["email", "email-src", "email-dst"]
        case .md5, .sha1, .sha256, .sha512, .ssdeep: [type.rawValue, "filename|\(type.rawValue)"]
        case .ja3: ["ja3-fingerprint-md5"]
        case .ja4: ["ja4-fingerprint"]
        case .filename: ["filename"]
        case .registry: ["regkey"]
        case .userAgent: ["user-agent"]
        case .asn: ["AS"]
        case .stixPattern: []
        }
    }
}

/// Every warninglist, compiled for look-ups.
public struct WarninglistChecker: Sendable {
    struct Compiled: Sendable {
        var list: Warninglist
        var exact: Set<String>
        var networks: [Network]
        var expressions: [NSRegularExpressionBox]
    }

    let lists: [Compiled]

    public init(_ lists: [Warninglist]) {
        self.lists = lists.map { list in
            var exact: Set<String> = []
            var networks: [Network] = []
            var expressions: [NSRegularExpressionBox] = []
            for entry in list.entries {
                switch list.kind {
                case .cidr:
                    if let network = Network.parse(entry) {
                        networks.append(network)
                    } else if let type = IndicatorType.detect(entry), let canonical = type.canonical(entry) {
                        exact.insert(canonical)
                    }
                case .regex:
                    if let expression = try? NSRegularExpression(pattern: entry) {
                        expressions.append(NSRegularExpressionBox(expression))
                    }
                case .hostname:
                    var name = entry.lowercased()
                    if name.hasPrefix(".") { name.removeFirst() }
                    if name.hasSuffix(".") { name.removeLast() }
                    exact.insert(name)
                case .string, .substring: exact.insert(entry.lowercased())
                }
            }
            return Compiled(list: list, exact: exact, networks: networks, expressions: expressions)
        }
    }

    public var isEmpty: Bool { lists.isEmpty }

    /// The names of the lists `value` of `type` is on.
    public func lists(containing value: String, type: IndicatorType) -> [String] {
        let lowered = value.lowercased()
        let misp = Warninglist.mispTypes(type)
        var found: [String] = []
        for compiled in lists {
            let applies =
                compiled.list.matchingAttributes.isEmpty || !misp.isDisjoint(with: compiled.list.matchingAttributes)
            guard applies else { continue }
            if Self.matches(compiled, lowered, type: type) { found.append(compiled.list.name) }
        }
        return found
    }

    static func matches(_ compiled: Compiled, _ value: String, type: IndicatorType) -> Bool {
        switch compiled.list.kind {
        case .string: return compiled.exact.contains(value)
        case .substring: return compiled.exact.contains { value.contains($0) }
        case .hostname:
            var host = value
            if type == .url { host = IndicatorMatcher.host(ofURL: value)?.lowercased() ?? value }
            if type == .email, let at = host.lastIndex(of: "@") { host = String(host[host.index(after: at)...]) }
            var labels = host.split(separator: ".")
            while !labels.isEmpty {
                if compiled.exact.contains(labels.joined(separator: ".")) { return true }
                labels.removeFirst()
            }
            return false
        case .cidr:
            if compiled.exact.contains(value) { return true }
            var address = value
            if type == .ipPort, let (host, _) = IndicatorType.splitAddressAndPort(value) { address = host }
            if type == .cidr, let network = Network.parse(value) {
                return compiled.networks.contains {
                    $0.bytes.count == network.bytes.count && $0.prefix <= network.prefix && $0.contains(network.bytes)
                }
            }
            guard let bytes = Network.bytes(address) else { return false }
            return compiled.networks.contains { $0.contains(bytes) }
        case .regex:
            let range = NSRange(value.startIndex..., in: value)
            return compiled.expressions.contains { $0.expression.firstMatch(in: value, range: range) != nil }
        }
    }
}

/// NSRegularExpression is immutable once made; safe to share between tasks.
final class NSRegularExpressionBox: @unchecked Sendable {
    let expression: NSRegularExpression
    init(_ expression: NSRegularExpression) { self.expression = expression }
}
