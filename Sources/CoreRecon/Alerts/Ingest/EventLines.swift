import Foundation

/// Text event lines that appliances send instead of JSON: ArcSight CEF and IBM LEEF, bare or behind a syslog
/// header (RFC 3164 or RFC 5424). Each parses into a JSON object the `cef` and `leef` mappers read:
///
/// ```
/// {"syslog": {"priority": 13, "timestamp": "...", "host": "fw-01"},
///  "cef": {"version": "0", "device_vendor": "...", "device_product": "...", "device_version": "...",
///          "signature_id": "...", "name": "...", "severity": "..."},
///  "extensions": {"src": "10.0.0.1", "cs1Label": "Rule", "cs1": "..."}}
/// ```
///
/// (`leef` holds `version`, `vendor`, `product`, `product_version`, `event_id` and, in LEEF 2.0, `delimiter`;
/// its attributes are under `attributes`.) Values are strings as written, unescaped.
public enum EventLines {
    /// Whether `bytes` (one record) is a text line rather than JSON: it starts with neither `{` nor `[`.
    static func isTextLine(_ bytes: [UInt8]) -> Bool {
        guard let first = bytes.first(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D && $0 != 0x0A }) else {
            return false
        }
        return first != UInt8(ascii: "{") && first != UInt8(ascii: "[")
    }

    /// The record a CEF or LEEF line makes, or nil when `text` is neither (no `CEF:` or `LEEF:` in it).
    public static func parse(_ text: String) throws(MappingError) -> JSONValue? {
        let cefStart = text.range(of: "CEF:")
        let leefStart = text.range(of: "LEEF:")
        let start: String.Index
        let isCEF: Bool
        switch (cefStart, leefStart) {
        case (let c?, let l?):
            (start, isCEF) = c.lowerBound < l.lowerBound ? (c.lowerBound, true) : (l.lowerBound, false)
        case (let c?, nil): (start, isCEF) = (c.lowerBound, true)
        case (nil, let l?): (start, isCEF) = (l.lowerBound, false)
        case (nil, nil): return nil
        }
        var members: [JSONMember] = []
        if let header = syslogHeader(text[..<start]) { members.append(JSONMember("syslog", header)) }
        let body = text[start...].trimmingCharacters(in: CharacterSet(charactersIn: "\r\n"))
        members += isCEF ? try cef(body[...]) : try leef(body[...])
        return .object(members)
    }

    // MARK: - Syslog

    /// What a syslog header before the event says: the priority (facility and severity), the time and the host as
    /// written. Nil when there is nothing before the event.
    static func syslogHeader(_ prefix: Substring) -> JSONValue? {
        var rest = prefix.drop { $0 == " " }
        guard !rest.isEmpty else { return nil }
        var parts: [(String, JSONValue?)] = []
        if rest.first == "<", let close = rest.firstIndex(of: ">"),
            let priority = Int(rest[rest.index(after: rest.startIndex)..<close]),
            (0...191).contains(priority)
        {
            parts += [
                ("priority", .int(priority)), ("facility", .int(priority / 8)), ("severity", .int(priority % 8)),
            ]
            rest = rest[rest.index(after: close)...].drop { $0 == " " }
        }
        let words = rest.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        if let version = words.first, version == "1", words.count >= 3 {
            // RFC 5424: VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA; "-" is nil.
            func field(_ index: Int) -> JSONValue? {
                index < words.count && words[index] != "-" ? .string(words[index]) : nil
            }
            parts += [("timestamp", field(1)), ("host", field(2)), ("app", field(3))]
        } else if words.count >= 3, months.contains(words[0]), Int(words[1]) != nil, words[2].contains(":") {
            // RFC 3164: Mmm dd hh:mm:ss HOSTNAME [TAG:]
            parts.append(("timestamp", .string(words[0...2].joined(separator: " "))))
            if words.count >= 4 { parts.append(("host", .string(words[3]))) }
        } else if let first = words.first, first.first?.isNumber == true, first.contains("T") {
            // An ISO 8601 time and a host, as rsyslog's own templates write them.
            parts.append(("timestamp", .string(first)))
            if words.count >= 2 { parts.append(("host", .string(words[1]))) }
        }
        return JSONValue.compactObject(parts)
    }

    /// The JSON object after a syslog header (`<134>1 2026-12-06T09:00:00Z host app - - - {...}`, or an RFC 3164
    /// header), nil when the line has no such header or nothing after it starts like a JSON object.
    static func jsonAfterSyslogHeader(_ bytes: [UInt8]) -> ArraySlice<UInt8>? {
        // A header is short: the object starts within the first 512 bytes or not at all.
        guard let brace = bytes.prefix(512).firstIndex(of: UInt8(ascii: "{")) else { return nil }
        let prefix = String(decoding: bytes[..<brace], as: UTF8.self)
        guard case .object(let members)? = syslogHeader(prefix[...]),
            members.contains(where: { $0.key == "priority" || $0.key == "timestamp" })
        else { return nil }
        return bytes[brace...]
    }

    static let months: Set<String> = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]

    // MARK: - CEF

    static let cefHeader = [
        "version", "device_vendor", "device_product", "device_version", "signature_id", "name", "severity",
    ]

    /// `CEF:Version|Device Vendor|Device Product|Device Version|Device Event Class ID|Name|Severity|Extension`,
    /// as ArcSight's "Implementing ArcSight CEF" defines it: `\|` and `\\` escape in the header; the extension is
    /// `key=value` pairs separated by spaces, where `\=`, `\\`, `\n` and `\r` escape in values.
    static func cef(_ body: Substring) throws(MappingError) -> [JSONMember] {
        var fields: [String] = []
        var current = ""
        var index = body.index(body.startIndex, offsetBy: 4)  // after "CEF:"
        while index < body.endIndex, fields.count < 7 {
            let character = body[index]
            if character == "\\", body.index(after: index) < body.endIndex {
                let next = body[body.index(after: index)]
                if next == "|" || next == "\\" {
                    current.append(next)
                    index = body.index(index, offsetBy: 2)
                    continue
                }
            }
            if character == "|" {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
            index = body.index(after: index)
        }
        guard fields.count == 7 else {
            throw MappingError(
                field: "cef",
                "a CEF header has 7 fields separated by '|' (version to severity); this one has \(fields.count + (current.isEmpty ? 0 : 1))"
            )
        }
        guard Int(fields[0].trimmingWhitespace) != nil else {
            throw MappingError(field: "cef.version", "'\(fields[0].prefix(20))' is not a CEF version number")
        }
        let header = zip(cefHeader, fields).map { JSONMember($0, .string($1.trimmingWhitespace)) }
        var members = [JSONMember("cef", .object(header))]
        let extensions = Self.pairs(body[index...], separator: " ")
        if !extensions.isEmpty { members.append(JSONMember("extensions", .object(extensions))) }
        return members
    }

    /// `key=value` pairs as CEF and LEEF write them. With `separator` a space (CEF, and LEEF written without
    /// tabs), a value runs to the space before the next `key=`, so it may hold spaces; an `=` that does not
    /// follow a key (`a<=b`) stays in the value. `\=`, `\\`, `\n`, `\r` and `\|` are unescaped.
    static func pairs(_ text: Substring, separator: Character) -> [JSONMember] {
        var members: [JSONMember] = []
        var key: Substring?
        var valueStart = text.startIndex
        func close(at end: Substring.Index) {
            guard let key else { return }
            var value = text[valueStart..<end]
            if separator == " " { while value.last == " " { value = value.dropLast() } }
            members.append(JSONMember(String(key), .string(unescape(value))))
        }
        var index = text.startIndex
        var escaped = false
        // Where the token being read began: just after the last separator (kept as the scan goes, so a line of
        // many `=` costs one pass, not a walk back for each).
        var tokenStart = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if escaped {
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == separator {
                tokenStart = text.index(after: index)
            } else if character == "=" {
                if key == nil || tokenStart >= valueStart, tokenStart < index, isKey(text[tokenStart..<index]) {
                    close(at: tokenStart > text.startIndex ? text.index(before: tokenStart) : tokenStart)
                    key = text[tokenStart..<index].drop { $0 == " " }
                    valueStart = text.index(after: index)
                }
            }
            index = text.index(after: index)
        }
        close(at: text.endIndex)
        return members
    }

    /// Extension keys: letters, digits and `_`, `.`, `-`, `[`, `]` (vendors' own keys use them), up to 64.
    static func isKey(_ text: Substring) -> Bool {
        var count = 0
        for byte in text.utf8.drop(while: { $0 == 0x20 }) {
            count += 1
            guard count <= 64 else { return false }
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"),
                UInt8(ascii: "["), UInt8(ascii: "]"):
                continue
            default:
                return false
            }
        }
        return count > 0
    }

    static func unescape(_ value: Substring) -> String {
        guard value.contains("\\") else { return String(value) }
        var result = ""
        var index = value.startIndex
        while index < value.endIndex {
            let character = value[index]
            let next = value.index(after: index)
            if character == "\\", next < value.endIndex {
                switch value[next] {
                case "=", "\\", "|": result.append(value[next])
                case "n": result.append("\n")
                case "r": result.append("\r")
                default: result.append(character); result.append(value[next])
                }
                index = value.index(after: next)
            } else {
                result.append(character)
                index = next
            }
        }
        return result
    }

    // MARK: - LEEF

    /// `LEEF:1.0|Vendor|Product|Version|EventID|attributes`, and LEEF 2.0's
    /// `LEEF:2.0|Vendor|Product|Version|EventID|DelimiterCharacter|attributes` (the delimiter a character, or its
    /// code as `x09`/`0x09`; tab when empty), as IBM's LEEF specification defines them. Attributes are `key=value`
    /// separated by the delimiter (tab in LEEF 1.0). Records written with spaces or `|` between attributes
    /// (flattened by a forwarder, or as some vendors write them) are read too.
    static func leef(_ body: Substring) throws(MappingError) -> [JSONMember] {
        let parts = body.dropFirst(5).split(separator: "|", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count >= 5 else {
            throw MappingError(
                field: "leef",
                "a LEEF header has 5 fields separated by '|' (version, vendor, product, version, event id); this one has \(parts.count)"
            )
        }
        let version = String(parts[0]).trimmingWhitespace
        guard version.hasPrefix("1") || version.hasPrefix("2") else {
            throw MappingError(field: "leef.version", "'\(version.prefix(20))' is not LEEF 1.0 or 2.0")
        }
        var header = [
            JSONMember("version", .string(version)), JSONMember("vendor", .string(String(parts[1]))),
            JSONMember("product", .string(String(parts[2]))), JSONMember("product_version", .string(String(parts[3]))),
            JSONMember("event_id", .string(String(parts[4]))),
        ]
        var attributes = parts.count > 5 ? parts[5] : ""
        var delimiter: Character = "\t"
        if version.hasPrefix("2"), parts.count > 5 {
            // LEEF 2.0: the sixth field is the delimiter (empty: tab), unless it is missing (attributes right after
            // the id).
            let rest = parts[5]
            if let bar = rest.firstIndex(of: "|"), let declared = delimiterCharacter(rest[..<bar]) {
                delimiter = declared
                header.append(JSONMember("delimiter", .string(String(declared))))
                attributes = rest[rest.index(after: bar)...]
            }
        }
        let separator: Character =
            attributes.contains(delimiter)
            ? delimiter
            : ([Character("|"), "^"].first {
                attributes.contains($0) && attributes.contains("=") && separatesPairs(attributes, $0)
            } ?? " ")
        var members = [JSONMember("leef", .object(header))]
        let pairs = Self.pairs(attributes, separator: separator)
        if !pairs.isEmpty { members.append(JSONMember("attributes", .object(pairs))) }
        return members
    }

    /// The character a LEEF 2.0 delimiter field names: one character, or `x09`, `0x09`, `X5E` in hex. Nil for
    /// anything else (then the field is not a delimiter field).
    static func delimiterCharacter(_ field: Substring) -> Character? {
        if field.isEmpty { return "\t" }
        if field.count == 1 { return field.first }
        var hex = field.lowercased()[...]
        if hex.hasPrefix("0x") {
            hex = hex.dropFirst(2)
        } else if hex.hasPrefix("x") {
            hex = hex.dropFirst()
        } else {
            return nil
        }
        guard (1...4).contains(hex.count), let code = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(code) else {
            return nil
        }
        return Character(scalar)
    }

    /// Whether `separator` stands between `key=value` pairs: most pieces it makes hold an `=` after a key.
    static func separatesPairs(_ text: Substring, _ separator: Character) -> Bool {
        let pieces = text.split(separator: separator)
        let pairs = pieces.filter { piece in
            guard let equals = piece.firstIndex(of: "=") else { return false }
            return isKey(piece[..<equals])
        }
        return pieces.count > 1 && pairs.count * 2 > pieces.count
    }
}
