import Foundation

/// Indicators as a MISP event, for a MISP instance or anything that reads MISP's JSON (PyMISP's `MISPEvent.load`).
public enum MISPExport {
    /// One event holding every indicator as an attribute marked `to_ids`, with its tags, TLP and ATT&CK
    /// techniques as tags; the event carries the strictest TLP of its attributes. Attribute uuids derive from type
    /// and value, so a second export updates the same attributes in MISP instead of adding copies.
    public static func event(_ indicators: [Indicator], info: String, now: Date) -> JSONValue {
        let seconds = "\(Int64(now.timeIntervalSince1970))"
        var attributes: [JSONValue] = []
        var strictest: TLP?
        for indicator in indicators {
            guard let (type, category) = attributeType(indicator.type) else { continue }
            strictest = TLP.stricterOf(strictest, indicator.tlp)
            var tags = indicator.tags.map { JSONValue.object([JSONMember("name", .string($0))]) }
            if let tlp = indicator.tlp { tags.append(.object([JSONMember("name", .string("tlp:\(tlp.rawValue)"))])) }
            for technique in indicator.techniques {
                tags.append(
                    .object([JSONMember("name", .string("misp-galaxy:mitre-attack-pattern=\"\(technique)\""))]))
            }
            var value = indicator.value
            if indicator.type == .ipPort, let colon = value.lastIndex(of: ":") {
                let address = value[..<colon].trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
                value = address + "|" + value[value.index(after: colon)...]
            }
            var members = [
                JSONMember(
                    "uuid", .string(STIXExport.uuid5("misp-attribute/\(indicator.type.rawValue)/\(indicator.value)"))),
                JSONMember("type", .string(type)), JSONMember("category", .string(category)),
                JSONMember("value", .string(value)), JSONMember("to_ids", .bool(true)),
                JSONMember("distribution", .string("5")),
                JSONMember("timestamp", .string("\(Int64(indicator.lastSeen.timeIntervalSince1970))")),
                JSONMember("first_seen", .string(ISO8601Format.string(from: indicator.firstSeen))),
                JSONMember("comment", .string(indicator.description ?? "")),
                JSONMember("Tag", .array(tags)),
            ]
            if let until = indicator.validUntil {
                members.append(JSONMember("last_seen", .string(ISO8601Format.string(from: until))))
            }
            attributes.append(.object(members))
        }
        var eventTags: [JSONValue] = []
        if let strictest { eventTags.append(.object([JSONMember("name", .string("tlp:\(strictest.rawValue)"))])) }
        let day = String(ISO8601Format.string(from: now).prefix(10))
        return .object([
            JSONMember(
                "Event",
                .object([
                    JSONMember("uuid", .string(STIXExport.uuid5("misp-event/\(info)/\(seconds)"))),
                    JSONMember("info", .string(info)), JSONMember("date", .string(day)),
                    JSONMember("timestamp", .string(seconds)), JSONMember("published", .bool(false)),
                    // 4: undefined threat level; 2: analysis complete; 0: this organisation only.
                    JSONMember("threat_level_id", .string("4")), JSONMember("analysis", .string("2")),
                    JSONMember("distribution", .string("0")),
                    JSONMember("Orgc", .object([JSONMember("name", .string("CoreRecon"))])),
                    JSONMember("Tag", .array(eventTags)), JSONMember("Attribute", .array(attributes)),
                ]))
        ])
    }

    /// MISP's attribute type and category for an indicator type (as PyMISP's describeTypes lists them); nil for
    /// what MISP has no type for.
    static func attributeType(_ type: IndicatorType) -> (String, String)? {
        switch type {
        case .ipv4, .ipv6, .cidr: ("ip-dst", "Network activity")
        case .ipPort: ("ip-dst|port", "Network activity")
        case .domain: ("domain", "Network activity")
        case .hostname: ("hostname", "Network activity")
        case .url: ("url", "Network activity")
        case .email: ("email-src", "Payload delivery")
        case .md5, .sha1, .sha256, .sha512, .ssdeep: (type.rawValue, "Payload delivery")
        case .filename: ("filename", "Payload delivery")
        case .ja3: ("ja3-fingerprint-md5", "Network activity")
        case .userAgent: ("user-agent", "Network activity")
        case .registry: ("regkey", "Persistence mechanism")
        case .asn: ("AS", "Network activity")
        case .stixPattern: ("stix2-pattern", "Network activity")
        // MISP has no JA4 type yet.
        case .ja4: nil
        }
    }
}

/// Indicators as Suricata rules, for sensors that should alert on (or, with `drop`, block) them: addresses and
/// networks on any IP traffic, domains in DNS queries and TLS SNI (subdomains included), URLs on HTTP host and
/// path, JA3/JA4 on TLS, user agents on HTTP. Suricata matches file hashes from lists (`filemd5`), not rules:
/// hashes and the other types are counted in the header and left out.
public enum SuricataExport {
    /// The rules file. Each rule's sid is `sidBase` plus four times the indicator's id plus the rule's place
    /// (an indicator has at most two rules), so re-exports keep sids stable for a sensor's suppressions.
    public static func rules(
        _ indicators: [Indicator], action: String = "alert", sidBase: Int = 1_000_000_000, decay: DecayModel,
        now: Date
    ) -> String {
        var rules: [String] = []
        var skipped: [String: Int] = [:]
        for indicator in indicators {
            let made = self.rules(for: indicator, action: action, score: Int(decay.score(indicator, at: now).rounded()))
            if made.isEmpty {
                skipped[indicator.type.rawValue, default: 0] += 1
                continue
            }
            for (offset, body) in made.enumerated() {
                rules.append(body.replacingOccurrences(of: "SID", with: "\(sidBase + Int(indicator.id) * 4 + offset)"))
            }
        }
        var header = [
            "# CoreRecon indicators as Suricata rules, \(ISO8601Format.string(from: now))",
            "# \(rules.count) rules from \(indicators.count - skipped.values.reduce(0, +)) indicators",
        ]
        if !skipped.isEmpty {
            header.append(
                "# left out (no rule matches them; file hashes belong in filemd5/filesha256 lists): "
                    + skipped.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", "))
        }
        return (header + rules).joined(separator: "\n") + "\n"
    }

    static func rules(for indicator: Indicator, action: String, score: Int) -> [String] {
        let message = content("CoreRecon IOC \(indicator.type.rawValue) \(indicator.value)", quoted: false)
        var metadata = "corerecon_id \(indicator.id), score \(score)"
        if let tlp = indicator.tlp { metadata += ", tlp \(tlp.rawValue)" }
        let tail = "classtype:trojan-activity; metadata:\(metadata); sid:SID; rev:1;)"
        let head = "\(action) "
        let msg = "msg:\"\(message)\"; "
        switch indicator.type {
        case .ipv4, .ipv6, .cidr:
            return [head + "ip any any <> [\(indicator.value)] any (" + msg + tail]
        case .ipPort:
            guard let colon = indicator.value.lastIndex(of: ":") else { return [] }
            let address = indicator.value[..<colon].trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            let port = indicator.value[indicator.value.index(after: colon)...]
            return [head + "ip any any <> [\(address)] \(port) (" + msg + tail]
        case .domain, .hostname:
            let name = content("." + indicator.value)
            return [
                head + "dns any any -> any any (" + msg + "dns.query; dotprefix; content:\(name); nocase; endswith; "
                    + tail,
                head + "tls any any -> any any (" + msg + "tls.sni; dotprefix; content:\(name); nocase; endswith; "
                    + tail,
            ]
        case .url:
            guard let (host, path) = hostAndPath(indicator.value) else { return [] }
            return [
                head + "http any any -> any any (" + msg + "http.host; content:\(content(host.lowercased())); "
                    + "nocase; endswith; http.uri; content:\(content(path)); startswith; " + tail
            ]
        case .ja3:
            return [head + "tls any any -> any any (" + msg + "ja3.hash; content:\(content(indicator.value)); " + tail]
        case .ja4:
            return [head + "tls any any -> any any (" + msg + "ja4.hash; content:\(content(indicator.value)); " + tail]
        case .userAgent:
            return [
                head + "http any any -> any any (" + msg
                    + "http.user_agent; content:\(content(indicator.value)); startswith; endswith; " + tail
            ]
        case .email, .md5, .sha1, .sha256, .sha512, .ssdeep, .filename, .registry, .asn, .stixPattern:
            return []
        }
    }

    /// A URL's host (without user or port) and the rest from its path on (`/` when it has none); the fragment,
    /// which never travels, is left out.
    static func hostAndPath(_ url: String) -> (String, String)? {
        // Feeds list URLs without their scheme too (example.com/panel/gate.php).
        let rest = url.range(of: "://").map { url[$0.upperBound...] } ?? url[...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        var host = rest[..<authorityEnd]
        if let at = host.lastIndex(of: "@") { host = host[host.index(after: at)...] }
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            host = host[host.index(after: host.startIndex)..<close]
        } else if let colon = host.lastIndex(of: ":") {
            host = host[..<colon]
        }
        guard !host.isEmpty else { return nil }
        var path = String(rest[authorityEnd...])
        if let hash = path.firstIndex(of: "#") { path = String(path[..<hash]) }
        if path.isEmpty || path.hasPrefix("?") { path = "/" + path }
        return (String(host), path)
    }

    /// A rule content (quoted) or message text: the characters Suricata's parser reserves, and anything outside
    /// printable ASCII, as hex bytes (`|3B|`); in messages, which take no hex, they are replaced.
    static func content(_ text: String, quoted: Bool = true) -> String {
        var out = ""
        for byte in text.utf8 {
            let reserved = byte == 0x3B || byte == 0x22 || byte == 0x5C || byte == 0x7C || byte < 0x20 || byte > 0x7E
            if !reserved {
                out.append(Character(UnicodeScalar(byte)))
            } else if quoted {
                out += "|" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2) + "|"
            } else {
                out.append("_")
            }
        }
        return quoted ? "\"" + out + "\"" : out
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
