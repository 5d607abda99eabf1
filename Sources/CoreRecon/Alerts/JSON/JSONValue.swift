/// A JSON document as parsed: object members keep their order and numbers keep their text, so a record can be
/// written back without loss.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number exactly as written (`1e3`, `0.10`, `18446744073709551616`).
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([JSONMember])

    public static func int(_ value: Int64) -> JSONValue { .number(String(value)) }
    public static func int(_ value: Int) -> JSONValue { .number(String(value)) }
}

/// One member of a JSON object.
public struct JSONMember: Sendable, Equatable {
    public var key: String
    public var value: JSONValue

    public init(_ key: String, _ value: JSONValue) {
        self.key = key
        self.value = value
    }
}

extension [JSONMember] {
    /// Replaces the value of the first member named `key` in place, or appends the member.
    public mutating func set(_ key: String, _ value: JSONValue) {
        if let index = firstIndex(where: { $0.key == key }) {
            self[index].value = value
        } else {
            append(JSONMember(key, value))
        }
    }
}

extension JSONValue {
    /// The members of an object, or nil.
    public var members: [JSONMember]? {
        if case .object(let members) = self { return members }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// A string, or the text of a number or boolean: source formats are loose about which they send.
    public var text: String? {
        switch self {
        case .string(let string): string
        case .number(let number): number
        case .bool(let bool): bool ? "true" : "false"
        default: nil
        }
    }

    /// A non-empty, trimmed string (or number text); nil for empty strings, "-" and "N/A" placeholders.
    public var nonEmptyText: String? {
        guard let text = text?.trimmingWhitespace, !text.isEmpty, text != "-",
            text.utf8.count != 3 || text.lowercased() != "n/a"
        else {
            return nil
        }
        return text
    }

    /// A number, also from a numeric string.
    public var double: Double? {
        switch self {
        case .number(let number): Double(number)
        case .string(let string): Double(string.trimmingWhitespace)
        default: nil
        }
    }

    public var int: Int? {
        guard let double, double.isFinite, abs(double) < 9.0e15 else { return nil }
        return Int(double)
    }

    public var bool: Bool? {
        switch self {
        case .bool(let bool): bool
        case .string(let string): ["true": true, "false": false][string.lowercased()]
        default: nil
        }
    }

    public var isNull: Bool { self == .null }

    /// JSON that a source carries as a string (Log Analytics `dynamic` columns, advanced hunting fields) parsed,
    /// or the value itself when it is already structured. Nil for text that is not a JSON object or array, or
    /// does not parse: such fields never fail a record.
    public var embeddedJSON: JSONValue? {
        guard !isNull else { return nil }
        guard case .string(let text) = self else { return self }
        let trimmed = text.trimmingWhitespace
        guard trimmed.hasPrefix("{") || trimmed.hasPrefix("[") else { return nil }
        return try? JSONParser.parse(trimmed)
    }

    /// ``embeddedJSON`` of an optional value.
    public static func embedded(_ value: JSONValue?) -> JSONValue? { value?.embeddedJSON }

    /// The member named `key` of an object (exact key, no path splitting).
    public subscript(key key: String) -> JSONValue? {
        members?.first { $0.key == key }?.value
    }

    /// The value at a dotted path, matching nested objects (`{"rule":{"id":1}}`), flattened keys
    /// (`{"rule.id":1}`) and any mix of the two, as Elastic documents have. Arrays on the way are searched
    /// element by element; the first match wins.
    public subscript(path: String) -> JSONValue? {
        values(at: path).first
    }

    /// Every value at a dotted path; arrays met on the way contribute each element's match, and an array at
    /// the end contributes its elements.
    public func values(at path: String) -> [JSONValue] {
        var results: [JSONValue] = []
        collect(Substring(path), into: &results)
        return results
    }

    /// The first non-empty text at `path`, found without collecting every match.
    public func firstNonEmptyText(at path: String) -> String? {
        var path = path
        return path.withUTF8 { bytes in firstNonEmptyText(bytes) }
    }

    private func firstNonEmptyText(_ path: UnsafeBufferPointer<UInt8>) -> String? {
        switch self {
        case .array(let elements):
            for element in elements {
                if let text = element.firstNonEmptyText(path) { return text }
            }
        case .object(let members):
            for member in members {
                guard let keyLength = Self.matchedLength(of: member.key, in: path) else { continue }
                if keyLength == path.count {
                    if case .array(let elements) = member.value {
                        if let text = elements.lazy.compactMap(\.nonEmptyText).first { return text }
                    } else if let text = member.value.nonEmptyText {
                        return text
                    }
                } else if path[keyLength] == UInt8(ascii: "."),
                    let text = member.value.firstNonEmptyText(UnsafeBufferPointer(rebasing: path[(keyLength + 1)...]))
                {
                    return text
                }
            }
        default:
            break
        }
        return nil
    }

    /// The first non-empty text at any of `paths`, in order.
    public func firstText(_ paths: String...) -> String? {
        firstText(paths)
    }

    public func firstText(_ paths: [String]) -> String? {
        for path in paths {
            if let text = firstNonEmptyText(at: path) { return text }
        }
        return nil
    }

    /// Every non-empty text at `path`.
    public func texts(at path: String) -> [String] {
        values(at: path).compactMap(\.nonEmptyText)
    }

    private func collect(_ path: Substring, into results: inout [JSONValue]) {
        var path = path
        path.withUTF8 { bytes in collect(bytes, into: &results) }
    }

    /// The length of `key` when it is `path` or the part of `path` before a dot, else nil. Lengths are checked
    /// first: most keys of a record end where the path has no dot, and are passed over without comparing a byte.
    /// Byte-wise: paths are ASCII in practice, and comparing UTF-8 avoids Character work on every key.
    @inline(__always)
    private static func matchedLength(of key: String, in path: UnsafeBufferPointer<UInt8>) -> Int? {
        let utf8 = key.utf8
        let length = utf8.count
        guard length <= path.count, length == path.count || path[length] == UInt8(ascii: ".") else { return nil }
        let prefix = UnsafeBufferPointer(rebasing: path[0..<length])
        let equal = utf8.withContiguousStorageIfAvailable { $0.elementsEqual(prefix) } ?? utf8.elementsEqual(prefix)
        return equal ? length : nil
    }

    private func collect(_ path: UnsafeBufferPointer<UInt8>, into results: inout [JSONValue]) {
        switch self {
        case .array(let elements):
            for element in elements { element.collect(path, into: &results) }
        case .object(let members):
            for member in members {
                guard let keyLength = Self.matchedLength(of: member.key, in: path) else { continue }
                if keyLength == path.count {
                    if case .array(let elements) = member.value {
                        results += elements
                    } else {
                        results.append(member.value)
                    }
                } else if path[keyLength] == UInt8(ascii: ".") {
                    member.value.collect(UnsafeBufferPointer(rebasing: path[(keyLength + 1)...]), into: &results)
                }
            }
        default:
            break
        }
    }
}

extension JSONValue {
    /// Builds an object from members, dropping nil values and empty objects and arrays, so mapped records carry
    /// only what the source had.
    public static func compactObject(_ members: [(String, JSONValue?)]) -> JSONValue? {
        let kept = members.compactMap { key, value -> JSONMember? in
            guard let value else { return nil }
            switch value {
            case .object(let inner) where inner.isEmpty: return nil
            case .array(let inner) where inner.isEmpty: return nil
            default: return JSONMember(key, value)
            }
        }
        return kept.isEmpty ? nil : .object(kept)
    }
}

extension String {
    var trimmingWhitespace: String {
        // Fast path: most values have no surrounding whitespace.
        if let first = utf8.first, let last = utf8.last, !Self.isASCIIWhitespace(first), !Self.isASCIIWhitespace(last),
            first < 0x80, last < 0x80
        {
            return self
        }
        var view = Substring(self)
        while let first = view.first, first.isWhitespace { view.removeFirst() }
        while let last = view.last, last.isWhitespace { view.removeLast() }
        return view.count == count ? self : String(view)
    }

    static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0B || byte == 0x0C
    }
}
