import Crypto
import Foundation

/// Indicators as a STIX 2.1 bundle: one `indicator` per indicator, with a pattern other tools understand and
/// `x_corerecon_type`/`x_corerecon_value` so `ioc import` restores exactly what was exported. Ids are UUIDv5 of
/// the type and value, so exporting twice names the same objects.
public enum STIXExport {
    /// TLP 2.0 marking definitions.
    static let markings: [TLP: String] = [
        .clear: "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
        .green: "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
        .amber: "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
        .amberStrict: "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
        .red: "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
    ]

    public static func bundle(_ indicators: [Indicator], now: Date) -> JSONValue {
        .object([
            JSONMember("type", .string("bundle")),
            JSONMember("id", .string("bundle--" + uuid5("bundle:" + ISO8601Format.string(from: now)))),
            JSONMember("objects", .array(indicators.map(object))),
        ])
    }

    static func object(_ indicator: Indicator) -> JSONValue {
        var members: [JSONMember] = [
            JSONMember("type", .string("indicator")), JSONMember("spec_version", .string("2.1")),
            JSONMember("id", .string("indicator--" + uuid5(indicator.type.rawValue + ":" + indicator.value))),
            JSONMember("created", .string(ISO8601Format.string(from: indicator.createdAt))),
            JSONMember("modified", .string(ISO8601Format.string(from: indicator.updatedAt))),
            JSONMember("name", .string(indicator.value)),
            JSONMember("pattern", .string(indicator.pattern ?? pattern(indicator))),
            JSONMember("pattern_type", .string("stix")),
            JSONMember("valid_from", .string(ISO8601Format.string(from: indicator.validFrom ?? indicator.firstSeen))),
            JSONMember("confidence", .int(indicator.confidence)),
        ]
        if let until = indicator.validUntil {
            members.append(JSONMember("valid_until", .string(ISO8601Format.string(from: until))))
        }
        if let description = indicator.description { members.append(JSONMember("description", .string(description))) }
        if !indicator.tags.isEmpty {
            members.append(JSONMember("labels", .array(indicator.tags.map(JSONValue.string))))
        }
        if indicator.revoked { members.append(JSONMember("revoked", .bool(true))) }
        if let tlp = indicator.tlp, let marking = markings[tlp] {
            members.append(JSONMember("object_marking_refs", .array([.string(marking)])))
        }
        if !indicator.techniques.isEmpty {
            members.append(
                JSONMember(
                    "external_references",
                    .array(
                        indicator.techniques.map {
                            .object([
                                JSONMember("source_name", .string("mitre-attack")),
                                JSONMember("external_id", .string($0)),
                            ])
                        })))
        }
        // valid_from is required in STIX; this says whether it was CoreRecon's own (else the first sighting).
        if let from = indicator.validFrom {
            members.append(JSONMember("x_corerecon_valid_from", .string(ISO8601Format.string(from: from))))
        }
        members.append(JSONMember("x_corerecon_type", .string(indicator.type.rawValue)))
        members.append(JSONMember("x_corerecon_value", .string(indicator.value)))
        return .object(members)
    }

    /// A STIX pattern for one value.
    public static func pattern(_ indicator: Indicator) -> String {
        let value = quote(indicator.value)
        switch indicator.type {
        case .ipv4: return "[ipv4-addr:value = \(value)]"
        case .ipv6: return "[ipv6-addr:value = \(value)]"
        case .cidr:
            return indicator.value.contains(":")
                ? "[ipv6-addr:value ISSUBSET \(value)]" : "[ipv4-addr:value ISSUBSET \(value)]"
        case .ipPort:
            guard let (address, port) = IndicatorType.splitAddressAndPort(indicator.value) else {
                return "[x-corerecon:value = \(value)]"
            }
            let object = address.contains(":") ? "ipv6-addr" : "ipv4-addr"
            return
                "[network-traffic:dst_ref.type = '\(object)' AND network-traffic:dst_ref.value = \(quote(address)) AND network-traffic:dst_port = \(port)]"
        case .domain, .hostname: return "[domain-name:value = \(value)]"
        case .url: return "[url:value = \(value)]"
        case .email: return "[email-addr:value = \(value)]"
        case .md5: return "[file:hashes.'MD5' = \(value)]"
        case .sha1: return "[file:hashes.'SHA-1' = \(value)]"
        case .sha256: return "[file:hashes.'SHA-256' = \(value)]"
        case .sha512: return "[file:hashes.'SHA-512' = \(value)]"
        case .ssdeep: return "[file:hashes.'SSDEEP' = \(value)]"
        case .filename: return "[file:name = \(value)]"
        case .registry: return "[windows-registry-key:key = \(value)]"
        case .userAgent: return "[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = \(value)]"
        case .asn: return "[autonomous-system:number = \(indicator.value.dropFirst(2))]"
        case .ja3: return "[x-corerecon-ja3:value = \(value)]"
        case .ja4: return "[x-corerecon-ja4:value = \(value)]"
        case .stixPattern: return indicator.value
        }
    }

    static func quote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }

    /// RFC 9562 UUIDv5 (SHA-1) of `name` in CoreRecon's namespace.
    static func uuid5(_ name: String) -> String {
        // The namespace is itself the UUIDv5 of "corerecon" in the URL namespace; fixed, so ids are stable.
        let namespace: [UInt8] = [
            0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8,
        ]
        var bytes = Array(Insecure.SHA1.hash(data: namespace + Array(("corerecon:" + name).utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        let parts = [
            hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4),
            hex.dropFirst(20),
        ]
        return parts.joined(separator: "-")
    }
}
