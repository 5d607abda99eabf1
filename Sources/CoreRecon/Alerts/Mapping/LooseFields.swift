import Foundation

/// Reads a record whose keys a source spells in more than one way (`eventTime`, `EventTime`, `event_time`)
/// below a root (`detail.` in an EventBridge event, `finding.` in an SCC notification), marking the fields it
/// reads as mapped under their real spelling.
struct LooseFields {
    let reader: FieldReader
    let root: String

    /// The record's own spelling of `root + path`, or the path as given when nothing matches.
    func path(_ path: String) -> String {
        let wanted = (root + path).split(separator: ".")
        return Self.spelling(wanted[...], in: reader.record)?.joined(separator: ".") ?? root + path
    }

    private static func spelling(_ segments: ArraySlice<Substring>, in value: JSONValue) -> [String]? {
        guard let segment = segments.first else { return [] }
        if let elements = value.arrayValue {
            return elements.lazy.compactMap { spelling(segments, in: $0) }.first
        }
        guard let members = value.members,
            let match = members.first(where: { $0.key == segment })
                ?? members.first(where: { looselyEqual($0.key, segment) }),
            let rest = spelling(segments.dropFirst(), in: match.value)
        else { return nil }
        return [match.key] + rest
    }

    func text(_ paths: String...) -> String? { text(paths) }

    func text(_ paths: [String]) -> String? {
        paths.lazy.compactMap { reader.text(path($0)) }.first
    }

    func texts(_ path: String) -> [String] { reader.texts(self.path(path)) }

    func int(_ paths: String...) -> Int? {
        paths.lazy.compactMap { reader.int(path($0)) }.first
    }

    func bool(_ path: String) -> Bool? {
        let resolved = self.path(path)
        guard let bool = reader.record[resolved]?.bool else { return nil }
        reader.consume(resolved)
        return bool
    }

    func time(_ paths: String...) -> Date? {
        paths.lazy.compactMap { reader.time(path($0)) }.first
    }

    /// The elements at `path`, read without marking (the caller marks what it maps).
    func elements(_ path: String) -> [JSONValue] { reader.record.values(at: self.path(path)) }

    func raw(_ path: String) -> JSONValue? { reader.record[self.path(path)] }

    func consume(_ path: String) { reader.consume(self.path(path)) }

    /// A member by name, preferring the exact key, else one that differs only in case, `_` or `-`.
    static func member(_ key: String, of value: JSONValue) -> JSONValue? {
        guard let members = value.members else { return nil }
        return (members.first { $0.key == key } ?? members.first { looselyEqual($0.key, key) })?.value
    }

    /// `loose(a) == loose(b)` without building either string: format detection asks this of every key of
    /// every record that is not of this format.
    static func looselyEqual(_ a: some StringProtocol, _ b: some StringProtocol) -> Bool {
        var left = a.utf8.makeIterator()
        var right = b.utf8.makeIterator()
        func next(_ iterator: inout some IteratorProtocol<UInt8>) -> UInt8? {
            while let byte = iterator.next() {
                if byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") { continue }
                return byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
            }
            return nil
        }
        while true {
            let x = next(&left)
            let y = next(&right)
            if x != y { return false }
            if x == nil { return true }
        }
    }

    static func loose(_ key: some StringProtocol) -> String {
        key.lowercased().filter { $0 != "_" && $0 != "-" }
    }
}
