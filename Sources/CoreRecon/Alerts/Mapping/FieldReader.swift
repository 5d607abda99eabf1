import Foundation

/// Read access to a source record that remembers which fields a mapper used, so everything else can be kept
/// under OCSF `unmapped`.
public final class FieldReader {
    public let record: JSONValue
    private(set) var usedPaths: Set<String> = []

    public init(_ record: JSONValue) {
        self.record = record
    }

    /// Marks paths as mapped without reading them (fields folded into something else, like a raw log line).
    public func consume(_ paths: String...) {
        usedPaths.formUnion(paths)
    }

    /// The value at a dotted path (nested or flattened keys), marked as mapped.
    public subscript(path: String) -> JSONValue? {
        let value = record[path]
        if value != nil { usedPaths.insert(path) }
        return value
    }

    /// Every value at a path (arrays flattened), marked as mapped.
    public func values(_ path: String) -> [JSONValue] {
        let values = record.values(at: path)
        if !values.isEmpty { usedPaths.insert(path) }
        return values
    }

    /// The first non-empty text among `paths`; only the path it came from is marked.
    public func text(_ paths: String...) -> String? { text(paths) }

    public func text(_ paths: [String]) -> String? {
        for path in paths {
            if let text = record.firstNonEmptyText(at: path) {
                usedPaths.insert(path)
                return text
            }
        }
        return nil
    }

    /// Every non-empty text at `path`.
    public func texts(_ path: String) -> [String] {
        let texts = record.texts(at: path)
        if !texts.isEmpty { usedPaths.insert(path) }
        return texts
    }

    public func double(_ paths: String...) -> Double? {
        for path in paths {
            if let number = record[path]?.double {
                usedPaths.insert(path)
                return number
            }
        }
        return nil
    }

    /// A whole number at the first of `paths` that has one; nil for a value no `Int` holds (`1e308`, `inf`), so a
    /// hostile number can never trap a conversion.
    public func int(_ paths: String...) -> Int? {
        for path in paths {
            if let number = record[path]?.int {
                usedPaths.insert(path)
                return number
            }
        }
        return nil
    }

    /// A time from an ISO 8601 string or epoch number at the first of `paths` that has one.
    public func time(_ paths: String...) -> Date? {
        for path in paths {
            if let value = record[path], let date = TimestampParser.date(from: value) {
                usedPaths.insert(path)
                return date
            }
        }
        return nil
    }

    /// The record without the fields the mapper used.
    public var unmappedFields: JSONValue? {
        record.removing(paths: usedPaths)
    }
}

extension JSONValue {
    /// A copy without the values at `paths` (dotted, matching nested or flattened keys); containers left empty
    /// disappear. Nil when nothing remains.
    func removing(paths: Set<String>) -> JSONValue? {
        guard !paths.isEmpty else { return self }
        switch self {
        case .object(let members):
            var kept: [JSONMember] = []
            for member in members {
                if paths.contains(member.key) { continue }
                // The paths under this member: "KEY." and a rest, compared as bytes (`hasPrefix` compares
                // characters, and this runs for every member against every used path).
                let key = member.key.utf8
                var nested: Set<String> = []
                for path in paths where path.utf8.count > key.count + 1 {
                    let bytes = path.utf8
                    let dot = bytes.index(bytes.startIndex, offsetBy: key.count)
                    guard bytes[dot] == UInt8(ascii: "."), bytes.starts(with: key) else { continue }
                    nested.insert(String(decoding: bytes[bytes.index(after: dot)...], as: UTF8.self))
                }
                if nested.isEmpty {
                    kept.append(member)
                } else if let rest = member.value.removing(paths: nested) {
                    kept.append(JSONMember(member.key, rest))
                }
            }
            return kept.isEmpty ? nil : .object(kept)
        case .array(let elements):
            let kept = elements.compactMap { $0.removing(paths: paths) }
            return kept.isEmpty ? nil : .array(kept)
        default:
            return self
        }
    }
}
