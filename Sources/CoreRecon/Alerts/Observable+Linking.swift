import Foundation

extension Observable {
    /// True when this observable may relate alerts to each other: its kind correlates and its value is not one
    /// that unrelated alerts share anyway (see ``isTooCommonToLink(kind:value:)``).
    public var isLinkable: Bool {
        kind.correlates && !Self.isTooCommonToLink(kind: kind, value: value)
    }

    /// True for values that appear in unrelated alerts all the time, so sharing one says nothing: loopback,
    /// link-local, unspecified and broadcast addresses (`127.0.0.1`, `::1`, `fe80::/10`, `169.254.0.0/16`,
    /// `0.0.0.0`, `::`) and the placeholders sources write when they do not know (`-`, `N/A`, `unknown`, `null`,
    /// empty). Such observables are kept on the alert, but never link it to others.
    ///
    /// The one place this rule lives: correlation (`alert related`) and the mappers that pick a host's address
    /// both ask here.
    public static func isTooCommonToLink(kind: Kind, value: String) -> Bool {
        let text = value.trimmingWhitespace.lowercased()
        if placeholders.contains(text) { return true }
        switch kind {
        case .ip:
            return IPAddressScope.isSharedByEveryHost(text)
        case .hostname, .domain:
            return ["localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"].contains(text)
        default:
            return false
        }
    }

    /// What sources write in place of a value they do not have.
    static let placeholders: Set<String> = [
        "", "-", "--", "n/a", "na", "none", "null", "(null)", "nil", "unknown", "undefined",
    ]
}

/// Just enough IP address parsing to tell addresses every host has from ones that identify a host.
enum IPAddressScope {
    /// Loopback (`127.0.0.0/8`, `::1`), link-local (`169.254.0.0/16`, `fe80::/10`), unspecified (`0.0.0.0`, `::`,
    /// `0.0.0.0/8`) and the limited broadcast `255.255.255.255`; also IPv4 ones written as IPv6 (`::ffff:127.0.0.1`).
    static func isSharedByEveryHost(_ address: String) -> Bool {
        var text = Substring(address.trimmingWhitespace.lowercased())
        if text.hasPrefix("["), text.hasSuffix("]") { text = text.dropFirst().dropLast() }
        if let zone = text.firstIndex(of: "%") { text = text[..<zone] }  // fe80::1%eth0
        if let octets = ipv4(text) { return isSharedByEveryHost(octets) }
        guard let groups = ipv6(text) else { return false }
        if groups.allSatisfy({ $0 == 0 }) { return true }  // ::
        if groups.dropLast().allSatisfy({ $0 == 0 }) && groups[7] == 1 { return true }  // ::1
        if groups[0] & 0xFFC0 == 0xFE80 { return true }  // fe80::/10
        // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d) addresses carry an IPv4 address.
        if groups[0..<5].allSatisfy({ $0 == 0 }) && (groups[5] == 0xFFFF || groups[5] == 0) {
            let octets = [groups[6] >> 8, groups[6] & 0xFF, groups[7] >> 8, groups[7] & 0xFF].map { Int($0) }
            return isSharedByEveryHost(octets)
        }
        return false
    }

    private static func isSharedByEveryHost(_ octets: [Int]) -> Bool {
        octets[0] == 127 || octets[0] == 0 || (octets[0] == 169 && octets[1] == 254)
            || octets.allSatisfy { $0 == 255 }
    }

    /// The four octets of a dotted-quad IPv4 address, or nil.
    static func ipv4(_ text: Substring) -> [Int]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var octets: [Int] = []
        for part in parts {
            guard (1...3).contains(part.count), part.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                let value = Int(part), value <= 255
            else { return nil }
            octets.append(value)
        }
        return octets
    }

    /// The eight 16-bit groups of an IPv6 address (with `::` and a trailing dotted quad expanded), or nil.
    static func ipv6(_ text: Substring) -> [UInt16]? {
        guard text.contains(":") else { return nil }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String) -> [UInt16]? {
            guard !part.isEmpty else { return [] }
            var result: [UInt16] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if index == pieces.count - 1, piece.contains("."), let octets = ipv4(piece) {
                    result.append(UInt16(octets[0] << 8 | octets[1]))
                    result.append(UInt16(octets[2] << 8 | octets[3]))
                } else {
                    guard (1...4).contains(piece.count), let value = UInt16(piece, radix: 16) else { return nil }
                    result.append(value)
                }
            }
            return result
        }
        guard let head = groups(halves[0]) else { return nil }
        if halves.count == 1 { return head.count == 8 ? head : nil }
        guard let tail = groups(halves[1]), head.count + tail.count < 8 else { return nil }
        return head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
    }
}