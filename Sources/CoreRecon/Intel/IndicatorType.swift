import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What an indicator of compromise is: the types MISP and STIX feeds carry.
public enum IndicatorType: String, Sendable, Codable, CaseIterable {
    case ipv4, ipv6, cidr
    case ipPort = "ip:port"
    case domain, hostname, url, email
    case md5, sha1, sha256, sha512, ssdeep, ja3, ja4
    case filename, registry
    case userAgent = "user-agent"
    case asn
    /// A STIX pattern no list of values expresses (`AND` across objects, `FOLLOWEDBY`, `MATCHES`): kept whole,
    /// listed and exported, never matched.
    case stixPattern = "stix-pattern"

    /// Guesses the type of an already refanged `value`, or nil when nothing fits (give the type then).
    /// A 32-digit hex value is an MD5 (a JA3 fingerprint has the same shape: say `ja3`).
    public static func detect(_ value: String) -> IndicatorType? {
        let text = value.trimmedOfWhitespace(newlines: false)
        guard !text.isEmpty, !text.utf8.contains(0x0A) else { return nil }
        if IPAddressShape.isIPv4(text) { return .ipv4 }
        if IPAddressShape.isIPv6(text) { return .ipv6 }
        if Network.parse(text) != nil { return .cidr }
        if Self.splitAddressAndPort(text) != nil { return .ipPort }
        let lowered = text.lowercased()
        if let scheme = lowered.rangeOfBytes("://"), scheme.lowerBound != lowered.startIndex,
            lowered[..<scheme.lowerBound].allSatisfy({ $0.isASCII && ($0.isLetter || $0 == "+" || $0 == "-") })
        {
            return .url
        }
        // A host and a path without a scheme, as Maltrail lists them: `example.com/panel/fre.php`.
        if let slash = text.firstIndex(of: "/"), slash != text.startIndex, !text.utf8.contains(0x20),
            ObservableType.isDomainName(String(text[..<slash]).lowercased())
                || IPAddressShape.isIPv4(String(text[..<slash]))
        {
            return .url
        }
        if lowered.hasPrefix("as"), lowered.count > 2, lowered.dropFirst(2).allSatisfy(\.isASCIIDigit) { return .asn }
        if text.utf8.allSatisfy(ObservableType.isHexDigit) {
            switch text.utf8.count {
            case 32: return .md5
            case 40: return .sha1
            case 64: return .sha256
            case 128: return .sha512
            default: break
            }
        }
        if isSSDeep(text) { return .ssdeep }
        if isJA4(lowered) { return .ja4 }
        if lowered.hasPrefix("hklm\\") || lowered.hasPrefix("hkcu\\") || lowered.hasPrefix("hkey_")
            || lowered.hasPrefix("hkcr\\") || lowered.hasPrefix("hku\\")
        {
            return .registry
        }
        if let at = text.firstIndex(of: "@"), at != text.startIndex, !text.utf8.contains(0x20),
            ObservableType.isDomainName(String(text[text.index(after: at)...]))
        {
            return .email
        }
        if text.utf8.contains(UInt8(ascii: "/")) && (text.rangeOfBytes(" (") != nil || text.hasPrefix("Mozilla/")) {
            return .userAgent
        }
        if let dot = lowered.lastIndex(of: "."),
            Self.fileExtensions.contains(String(lowered[lowered.index(after: dot)...])),
            !text.utf8.contains(UInt8(ascii: "/")), !text.utf8.contains(UInt8(ascii: "\\"))
        {
            return .filename
        }
        let name = withoutTrailingDot(lowered)
        if ObservableType.isDomainName(Punycode.domainToASCII(name) ?? name) { return .domain }
        return nil
    }

    /// Extensions that make a dotted name a file rather than a domain (`invoice.pdf.exe`; `.zip` is both: a
    /// file wins).
    static let fileExtensions: Set<String> = [
        "exe", "dll", "scr", "sys", "ps1", "bat", "cmd", "vbs", "vbe", "js", "jse", "wsf", "hta", "lnk", "msi",
        "jar", "apk", "dmg", "iso", "img", "zip", "rar", "7z", "gz", "tgz", "doc", "docx", "docm", "xls", "xlsx",
        "xlsm", "ppt", "pptx", "pdf", "rtf", "one", "elf", "bin", "sh", "py", "so", "dylib",
    ]

    /// The value in canonical form, so the same indicator from two feeds is one row: lower-case hashes, domains,
    /// host names and e-mail addresses; international domains in IDNA (punycode); no trailing dot; IPv4 without
    /// leading zeros; IPv6 in RFC 5952 form; networks at their first address; URLs with a lower-case scheme and
    /// host. Nil when `value` is not of this type.
    public func canonical(_ value: String) -> String? {
        let text = value.trimmedOfWhitespace()
        guard problem(with: text) == nil else { return nil }
        return canonical(shaped: text)
    }

    /// ``canonical(_:)`` of a trimmed value already known to have this type's shape (``detect(_:)`` said so).
    func canonical(shaped text: String) -> String? {
        switch self {
        case .md5, .sha1, .sha256, .sha512, .ja3: return text.lowercased()
        case .ja4: return text.lowercased()
        case .ssdeep, .filename, .registry, .userAgent, .stixPattern: return text
        case .asn: return "AS" + text.dropFirst(2)
        case .ipv4: return Self.canonicalIPv4(text)
        case .ipv6: return Self.canonicalIPv6(text)
        case .cidr: return Network.parse(text)?.description
        case .ipPort:
            guard let (address, port) = Self.splitAddressAndPort(text) else { return nil }
            return IPAddressShape.isIPv4(address)
                ? "\(Self.canonicalIPv4(address)):\(port)" : "[\(Self.canonicalIPv6(address))]:\(port)"
        case .domain, .hostname:
            var name = text.lowercased()
            if name.hasSuffix(".") { name.removeLast() }
            return Punycode.domainToASCII(name) ?? name
        case .email:
            guard let at = text.lastIndex(of: "@") else { return nil }
            let domain = Self.domainCanonical(String(text[text.index(after: at)...]))
            return text[..<at].lowercased() + "@" + domain
        case .url: return Self.canonicalURL(text)
        }
    }

    /// Nil when `value` has the shape of this type, else why not.
    public func problem(with value: String) -> String? {
        let text = value.trimmedOfWhitespace()
        guard !text.isEmpty else { return "the value is empty" }
        guard !text.utf8.contains(0x0A) else { return "the value spans lines" }
        let lowered = text.lowercased()
        let fits: Bool =
            switch self {
            case .ipv4: IPAddressShape.isIPv4(text)
            case .ipv6: IPAddressShape.isIPv6(text)
            case .cidr: Network.parse(text) != nil
            case .ipPort: Self.splitAddressAndPort(text) != nil
            case .md5, .ja3: Self.isHex(text, count: 32)
            case .sha1: Self.isHex(text, count: 40)
            case .sha256: Self.isHex(text, count: 64)
            case .sha512: Self.isHex(text, count: 128)
            case .ssdeep: Self.isSSDeep(text)
            case .ja4: Self.isJA4(lowered)
            case .asn: lowered.hasPrefix("as") && lowered.count > 2 && lowered.dropFirst(2).allSatisfy(\.isASCIIDigit)
            case .domain:
                ObservableType.isDomainName(Punycode.domainToASCII(Self.withoutTrailingDot(lowered)) ?? lowered)
            case .hostname: !text.utf8.contains(0x20) && !text.utf8.contains(UInt8(ascii: "/"))
            case .email: Self.detect(text) == .email
            case .url: Self.detect(text) == .url
            case .filename: true
            case .registry, .userAgent, .stixPattern: true
            }
        return fits ? nil : "'\(text)' is not a valid \(rawValue)"
    }

    static func isHex(_ text: String, count: Int) -> Bool {
        text.utf8.count == count && text.utf8.allSatisfy(ObservableType.isHexDigit)
    }

    /// `BLOCKSIZE:HASH1:HASH2` in base64 characters.
    static func isSSDeep(_ text: String) -> Bool {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, parts[0].allSatisfy(\.isASCIIDigit) else { return false }
        return parts.dropFirst().allSatisfy { part in
            !part.isEmpty && part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "/" || $0 == "+") }
        }
    }

    /// FoxIO's JA4: `t13d1516h2_8daaf6152771_b186095e22b6` (protocol, version, SNI, counts, ALPN; two hashes).
    static func isJA4(_ text: String) -> Bool {
        let parts = text.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 10, let first = parts[0].first, "tqd".contains(first) else {
            return false
        }
        return parts.dropFirst().allSatisfy { $0.count == 12 && $0.utf8.allSatisfy(ObservableType.isHexDigit) }
    }

    /// `10.0.0.1:443` or `[2001:db8::1]:443`.
    static func splitAddressAndPort(_ text: String) -> (String, Int)? {
        let address: Substring
        let portText: Substring
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            address = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
            portText = rest.dropFirst()
            guard IPAddressShape.isIPv6(String(address)) else { return nil }
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            address = text[..<colon]
            portText = text[text.index(after: colon)...]
            guard IPAddressShape.isIPv4(String(address)) else { return nil }
        }
        guard !portText.isEmpty, portText.count <= 5, portText.allSatisfy(\.isASCIIDigit), let port = Int(portText),
            (0...65_535).contains(port)
        else { return nil }
        return (String(address), port)
    }

    static func canonicalIPv4(_ text: String) -> String {
        text.split(separator: ".").map { String(Int($0) ?? 0) }.joined(separator: ".")
    }

    /// RFC 5952: lower case, leading zeros dropped, the longest run of zero groups as `::`.
    static func canonicalIPv6(_ text: String) -> String {
        var address = in6_addr()
        var zone = ""
        var bare = text
        if let percent = text.firstIndex(of: "%") {
            zone = String(text[percent...])
            bare = String(text[..<percent])
        }
        guard inet_pton(AF_INET6, bare, &address) == 1 else { return text.lowercased() }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count)) != nil else { return text.lowercased() }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) + zone
    }

    static func withoutTrailingDot(_ name: String) -> String {
        name.hasSuffix(".") ? String(name.dropLast()) : name
    }

    static func domainCanonical(_ name: String) -> String {
        let lowered = withoutTrailingDot(name.lowercased())
        return Punycode.domainToASCII(lowered) ?? lowered
    }

    /// Lower-case scheme and host (IDNA), no default port; the rest as given. Without a scheme, the host is
    /// lower-cased and the rest kept.
    static func canonicalURL(_ text: String) -> String {
        guard let schemeEnd = text.rangeOfBytes("://") else {
            guard let slash = text.firstIndex(of: "/") else { return text }
            return domainCanonical(String(text[..<slash])) + text[slash...]
        }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        let rest = text[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        var authority = String(rest[..<authorityEnd])
        var userInfo = ""
        if let at = authority.lastIndex(of: "@") {
            userInfo = String(authority[...at])
            authority = String(authority[authority.index(after: at)...])
        }
        var host = authority
        var port = ""
        if !authority.hasPrefix("["), let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            port = String(authority[colon...])
        }
        if (scheme == "http" && port == ":80") || (scheme == "https" && port == ":443") { port = "" }
        host = host.hasPrefix("[") ? host.lowercased() : domainCanonical(host)
        return scheme + "://" + userInfo + host + port + rest[authorityEnd...]
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

/// Undoes the ways reports defang indicators so they cannot be clicked: `hxxp://`, `example[.]com`,
/// `example(dot)com`, `user[@]example.com`, `[:]`, `[://]`.
public enum Refang {
    public static func refang(_ text: String) -> String {
        // Most text is not defanged: every bracketed form holds one of `[({`, and the schemes start with h or f.
        let bytes = text.utf8
        if let first = bytes.first, first < 0x80,
            !bytes.contains(where: { $0 == UInt8(ascii: "[") || $0 == UInt8(ascii: "(") || $0 == UInt8(ascii: "{") }),
            !hasDefangedScheme(bytes)
        {
            return text.trimmedOfWhitespace()
        }
        var result = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let defangings: [(StaticString, String)] = [
            ("[://]", "://"), ("[:]", ":"), ("[.]", "."), ("(.)", "."), ("{.}", "."), ("[dot]", "."), ("(dot)", "."),
            ("[@]", "@"), ("(@)", "@"), ("[at]", "@"), ("(at)", "@"), ("[/]", "/"),
        ]
        for (defanged, plain) in defangings where result.lowercased().rangeOfBytes(defanged) != nil {
            result = result.replacingOccurrences(of: "\(defanged)", with: plain, options: .caseInsensitive)
        }
        let lowered = result.lowercased()
        for (defanged, plain) in [("hxxps://", "https://"), ("hxxp://", "http://"), ("fxp://", "ftp://")]
        where lowered.hasPrefix(defanged) {
            result = plain + result.dropFirst(defanged.count)
        }
        return result
    }

    /// Whether `bytes`, after leading ASCII blanks, start with `hxxp` or `fxp` in any case.
    static func hasDefangedScheme(_ bytes: String.UTF8View) -> Bool {
        let start = bytes.drop { $0 == 0x20 || (0x09...0x0D).contains($0) }.prefix(4).map { $0 | 0x20 }
        return start == Array("hxxp".utf8) || start.starts(with: "fxp:".utf8)
    }
}

/// An IP network in CIDR notation, at its first address.
public struct Network: Sendable, Hashable, CustomStringConvertible {
    /// 4 or 16 bytes.
    public var bytes: [UInt8]
    public var prefix: Int

    public static func parse(_ text: String) -> Network? {
        guard let slash = text.firstIndex(of: "/") else { return nil }
        let address = String(text[..<slash])
        let prefixText = text[text.index(after: slash)...]
        guard !prefixText.isEmpty, prefixText.count <= 3, prefixText.allSatisfy(\.isASCIIDigit),
            let prefix = Int(prefixText), var bytes = Self.bytes(address)
        else { return nil }
        guard prefix <= bytes.count * 8 else { return nil }
        for index in bytes.indices {
            let bitsKept = max(0, min(8, prefix - index * 8))
            bytes[index] &= bitsKept == 0 ? 0 : UInt8(truncatingIfNeeded: 0xFF << (8 - bitsKept))
        }
        return Network(bytes: bytes, prefix: prefix)
    }

    /// The bytes of an IPv4 or IPv6 address.
    public static func bytes(_ address: String) -> [UInt8]? {
        if IPAddressShape.isIPv4(address) { return address.split(separator: ".").map { UInt8($0) ?? 0 } }
        var raw = in6_addr()
        guard IPAddressShape.isIPv6(address), !address.utf8.contains(UInt8(ascii: "%")),
            inet_pton(AF_INET6, address, &raw) == 1
        else {
            return nil
        }
        return withUnsafeBytes(of: &raw) { Array($0) }
    }

    public func contains(_ address: [UInt8]) -> Bool {
        guard address.count == bytes.count else { return false }
        for index in bytes.indices {
            let bitsKept = max(0, min(8, prefix - index * 8))
            if bitsKept == 0 { return true }
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bitsKept))
            if address[index] & mask != bytes[index] { return false }
        }
        return true
    }

    public var description: String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") + "/\(prefix)" }
        var raw = in6_addr()
        withUnsafeMutableBytes(of: &raw) { $0.copyBytes(from: bytes) }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        _ = inet_ntop(AF_INET6, &raw, &buffer, socklen_t(buffer.count))
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) + "/\(prefix)"
    }
}

/// IDNA's ASCII form of domain names: each label with characters outside ASCII is encoded with Punycode
/// (RFC 3492) behind `xn--`. Labels are lower-cased first (the IDNA mapping step, for the common cases).
public enum Punycode {
    public static func domainToASCII(_ domain: String) -> String? {
        guard domain.unicodeScalars.contains(where: { !$0.isASCII }) else { return domain }
        var labels: [String] = []
        for label in domain.lowercased().split(separator: ".", omittingEmptySubsequences: false) {
            if label.unicodeScalars.allSatisfy(\.isASCII) {
                labels.append(String(label))
            } else {
                guard let encoded = encode(String(label)) else { return nil }
                labels.append("xn--" + encoded)
            }
        }
        return labels.joined(separator: ".")
    }

    /// RFC 3492 §6.3.
    public static func encode(_ input: String) -> String? {
        let base = 36, tMin = 1, tMax = 26, skew = 38, damp = 700, initialBias = 72, initialN = 128
        let scalars = input.unicodeScalars.map { Int($0.value) }
        var output = scalars.filter { $0 < 0x80 }.map { Character(Unicode.Scalar(UInt8($0))) }
        let basicCount = output.count
        var handled = basicCount
        if basicCount > 0 { output.append("-") }
        var n = initialN, delta = 0, bias = initialBias
        func digit(_ value: Int) -> Character {
            Character(Unicode.Scalar(UInt8(value < 26 ? value + 97 : value + 22)))
        }
        func adapt(_ delta: Int, _ points: Int, _ first: Bool) -> Int {
            var delta = first ? delta / damp : delta / 2
            delta += delta / points
            var k = 0
            while delta > ((base - tMin) * tMax) / 2 {
                delta /= base - tMin
                k += base
            }
            return k + (base - tMin + 1) * delta / (delta + skew)
        }
        while handled < scalars.count {
            guard let m = scalars.filter({ $0 >= n }).min() else { return nil }
            let (product, overflow) = (m - n).multipliedReportingOverflow(by: handled + 1)
            guard !overflow, delta <= Int(Int32.max) - product else { return nil }
            delta += product
            n = m
            for scalar in scalars {
                if scalar < n { delta += 1 }
                if scalar == n {
                    var q = delta
                    var k = base
                    while true {
                        let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                        if q < t { break }
                        output.append(digit(t + (q - t) % (base - t)))
                        q = (q - t) / (base - t)
                        k += base
                    }
                    output.append(digit(q))
                    bias = adapt(delta, handled + 1, handled == basicCount)
                    delta = 0
                    handled += 1
                }
            }
            delta += 1
            n += 1
        }
        return String(output)
    }
}

extension String {
    /// Where `needle` first occurs, comparing UTF-8 bytes: the standard library's `firstRange(of:)` is generic and
    /// many times slower on the short strings of a log line, Foundation's `range(of:)` slower still.
    func rangeOfBytes(_ needle: StaticString) -> Range<String.Index>? {
        let pattern = UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
        guard let first = pattern.first else { return nil }
        let found: Int?? = utf8.withContiguousStorageIfAvailable { bytes -> Int? in
            guard bytes.count >= pattern.count else { return nil }
            var offset = 0
            while offset <= bytes.count - pattern.count {
                if bytes[offset] == first && (1..<pattern.count).allSatisfy({ bytes[offset + $0] == pattern[$0] }) {
                    return offset
                }
                offset += 1
            }
            return nil
        }
        let offset: Int?
        if let found {
            offset = found
        } else {
            let bytes = Array(utf8)
            offset = bytes.indices.first { start in
                start + pattern.count <= bytes.count
                    && (0..<pattern.count).allSatisfy { bytes[start + $0] == pattern[$0] }
            }
        }
        guard let offset else { return nil }
        let lower = utf8.index(utf8.startIndex, offsetBy: offset)
        return lower..<utf8.index(lower, offsetBy: pattern.count)
    }

    /// The text without leading and trailing whitespace (and newlines unless `newlines` is false), as
    /// Foundation's `trimmingCharacters(in:)` gives it, but without calling it when both ends are visible ASCII,
    /// as nearly every token of a log line is.
    func trimmedOfWhitespace(newlines: Bool = true) -> String {
        if let first = utf8.first, let last = utf8.last, first > 0x20, first < 0x7F, last > 0x20, last < 0x7F {
            return self
        }
        return trimmingCharacters(in: newlines ? .whitespacesAndNewlines : .whitespaces)
    }
}
