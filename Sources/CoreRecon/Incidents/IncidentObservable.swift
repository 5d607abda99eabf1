import Foundation

/// An observable recorded on an incident: an indicator or an entity involved.
public struct IncidentObservable: Sendable, Equatable, Codable {
    public var id: Int64
    public var type: ObservableType
    public var value: String
    /// True when it is an indicator of compromise (worth sharing or blocking), not just an entity involved.
    public var isIOC: Bool
    public var tlp: TLP?
    public var tags: [String]
    /// `manual`, or `alert:123` when it came with an escalated alert.
    public var origin: String
    public var addedBy: String
    public var addedAt: Date

    public init(
        id: Int64 = 0, type: ObservableType, value: String, isIOC: Bool = false, tlp: TLP? = nil,
        tags: [String] = [], origin: String = "manual", addedBy: String, addedAt: Date
    ) {
        self.id = id
        self.type = type
        self.value = value
        self.isIOC = isIOC
        self.tlp = tlp
        self.tags = tags
        self.origin = origin
        self.addedBy = addedBy
        self.addedAt = addedAt
    }
}

/// Traffic Light Protocol 2.0 marking.
public enum TLP: String, Sendable, Codable, CaseIterable {
    case clear
    case green
    case amber
    case amberStrict = "amber+strict"
    case red

    /// Parses `amber`, `TLP:AMBER+STRICT`, and TLP 1.0's `white` (now `clear`).
    public init?(name: String) {
        var lowered = name.lowercased()
        if lowered.hasPrefix("tlp:") { lowered.removeFirst(4) }
        if lowered == "white" { lowered = "clear" }
        self.init(rawValue: lowered.replacingOccurrences(of: "_", with: "+"))
    }
}

/// What kind of value an observable is.
public enum ObservableType: String, Sendable, Codable, CaseIterable {
    case ipv4, ipv6, cidr, domain, url, email, md5, sha1, sha256, hostname, user
    case filePath = "file_path"

    /// Guesses the type of `value`: addresses, networks, URLs, e-mail addresses and hashes by shape; a dotted name
    /// with a known-looking top-level label is a domain, a bare name a hostname; paths by their separators;
    /// `DOMAIN\user` and anything else a user name.
    public static func detect(_ value: String) -> ObservableType {
        let text = value.trimmingCharacters(in: .whitespaces)
        if IPAddressShape.isIPv4(text) { return .ipv4 }
        if IPAddressShape.isIPv6(text) { return .ipv6 }
        if let slash = text.firstIndex(of: "/"), !text.hasPrefix("/") {
            let address = String(text[..<slash])
            let prefix = Int(text[text.index(after: slash)...])
            if let prefix, IPAddressShape.isIPv4(address), (0...32).contains(prefix) { return .cidr }
            if let prefix, IPAddressShape.isIPv6(address), (0...128).contains(prefix) { return .cidr }
        }
        let lowered = text.lowercased()
        if let scheme = lowered.range(of: "://"), lowered[..<scheme.lowerBound].allSatisfy(\.isLetter),
            scheme.lowerBound != lowered.startIndex
        {
            return .url
        }
        if text.utf8.allSatisfy(Self.isHexDigit) {
            switch text.utf8.count {
            case 32: return .md5
            case 40: return .sha1
            case 64: return .sha256
            default: break
            }
        }
        if let at = text.firstIndex(of: "@"), at != text.startIndex,
            Self.isDomainName(String(text[text.index(after: at)...])), !text.utf8.contains(0x20)
        {
            return .email
        }
        if text.hasPrefix("/") || text.hasPrefix("~/") || text.hasPrefix("\\\\")
            || (text.count >= 3 && text.dropFirst().hasPrefix(":\\") && text.first?.isLetter == true)
        {
            return .filePath
        }
        if text.contains("\\") { return .user }
        if Self.isDomainName(text) { return .domain }
        if !text.isEmpty, !text.utf8.contains(0x20),
            text.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }), text.contains(where: \.isLetter),
            text.uppercased() == text || text.utf8.contains(UInt8(ascii: "-"))
        {
            // WKS-042, DC01: host names are usually upper case or hyphenated.
            return .hostname
        }
        return .user
    }

    /// The value in its canonical form, so the same observable is recorded once: lower-cased hashes, domains,
    /// host names and e-mail addresses; IPv4 without leading zeros; file paths, URLs and user names as given.
    public func canonical(_ value: String) -> String {
        let text = value.trimmingCharacters(in: .whitespacesAndNewlines)
        switch self {
        case .md5, .sha1, .sha256, .domain, .hostname, .email, .ipv6: return text.lowercased()
        case .ipv4:
            return text.split(separator: ".").map { String(Int($0) ?? 0) }.joined(separator: ".")
        case .cidr: return text.lowercased()
        case .url, .user, .filePath: return text
        }
    }

    /// Checks that `value` has the shape of this type; nil when it does, else why not.
    public func problem(with value: String) -> String? {
        let text = value.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return "the value is empty" }
        let fits: Bool =
            switch self {
            case .ipv4: IPAddressShape.isIPv4(text)
            case .ipv6: IPAddressShape.isIPv6(text)
            case .cidr: Self.detect(text) == .cidr
            case .md5: text.utf8.count == 32 && text.utf8.allSatisfy(Self.isHexDigit)
            case .sha1: text.utf8.count == 40 && text.utf8.allSatisfy(Self.isHexDigit)
            case .sha256: text.utf8.count == 64 && text.utf8.allSatisfy(Self.isHexDigit)
            case .url: Self.detect(text) == .url
            case .email: Self.detect(text) == .email
            case .domain: Self.isDomainName(text)
            case .hostname, .user, .filePath: !text.utf8.contains(0x0A)
            }
        return fits ? nil : "'\(text)' is not a valid \(rawValue)"
    }

    /// The incident observable type for an alert observable, when one fits.
    public static func from(alertObservable observable: Observable) -> ObservableType? {
        switch observable.kind {
        case .ip:
            IPAddressShape.isIPv4(observable.value) ? .ipv4 : (IPAddressShape.isIPv6(observable.value) ? .ipv6 : nil)
        case .hostname: .hostname
        case .domain: .domain
        case .user: .user
        case .email: .email
        case .url: .url
        case .hash:
            switch observable.value.utf8.count {
            case 32: .md5
            case 40: .sha1
            case 64: .sha256
            default: nil
            }
        case .path: .filePath
        case .process, .file, .commandLine, .resource: nil
        }
    }

    static func isHexDigit(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte) || (0x41...0x46).contains(byte)
    }

    /// `example.com`, `mail.example.co.uk`: dot-separated labels of letters, digits and hyphens, ending in an
    /// alphabetic top-level label of two or more letters.
    static func isDomainName(_ text: String) -> Bool {
        let labels = text.lowercased().split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, text.utf8.count <= 253, let top = labels.last, top.count >= 2,
            top.allSatisfy({ $0.isASCII && $0.isLetter })
        else { return false }
        return labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        }
    }
}

/// Textual shape checks for IP addresses, without a resolver.
enum IPAddressShape {
    /// Four dot-separated decimal numbers of one to three digits, each at most 255.
    static func isIPv4(_ text: some StringProtocol) -> Bool {
        var parts = 0
        var digits = 0
        var value = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: ".") {
                guard digits > 0, parts < 3 else { return false }
                parts += 1
                digits = 0
                value = 0
            } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                digits += 1
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
                guard digits <= 3, value <= 255 else { return false }
            } else {
                return false
            }
        }
        return parts == 3 && digits > 0
    }

    static func isIPv6(_ text: String) -> Bool {
        var address = Substring(text)
        if let percent = address.firstIndex(of: "%") { address = address[..<percent] }  // zone index
        // Only hex digits, colons and (for an IPv4 tail) dots can make one: most words fail here, cheaply.
        guard
            address.utf8.allSatisfy({
                ObservableType.isHexDigit($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".")
            })
        else { return false }
        guard address.utf8.contains(UInt8(ascii: ":")), address.count >= 2 else { return false }
        var groups = address.split(separator: ":", omittingEmptySubsequences: false)
        // An embedded IPv4 tail (::ffff:10.0.0.1) counts as two groups.
        if let last = groups.last, last.utf8.contains(UInt8(ascii: ".")) {
            guard isIPv4(String(last)) else { return false }
            groups.removeLast()
            groups += ["0", "0"]
        }
        let compressions = address.components(separatedBy: "::").count - 1
        guard compressions <= 1 else { return false }
        let nonEmpty = groups.filter { !$0.isEmpty }
        guard nonEmpty.allSatisfy({ $0.count <= 4 && $0.utf8.allSatisfy(ObservableType.isHexDigit) }) else {
            return false
        }
        return compressions == 1 ? nonEmpty.count < 8 : groups.count == 8 && nonEmpty.count == 8
    }
}
