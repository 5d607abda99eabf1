import Foundation

/// Read access to a source record that remembers which fields a mapper used, so everything else can be kept
/// under OCSF `unmapped`.
public final class FieldReader {
    public let record: JSONValue
    /// Every path a read found something at, in reading order (repeats included: appending is cheaper than
    /// hashing, and ``PathTree`` merges them).
    private(set) var usedPaths: [String] = []

    public init(_ record: JSONValue) {
        self.record = record
    }

    /// Marks paths as mapped without reading them (fields folded into something else, like a raw log line).
    public func consume(_ paths: String...) {
        usedPaths += paths
    }

    /// The value at a dotted path (nested or flattened keys), marked as mapped.
    public subscript(path: String) -> JSONValue? {
        let value = record[path]
        if value != nil { usedPaths.append(path) }
        return value
    }

    /// Every value at a path (arrays flattened), marked as mapped.
    public func values(_ path: String) -> [JSONValue] {
        let values = record.values(at: path)
        if !values.isEmpty { usedPaths.append(path) }
        return values
    }

    /// The first non-empty text among `paths`; only the path it came from is marked.
    public func text(_ paths: String...) -> String? { text(paths) }

    public func text(_ paths: [String]) -> String? {
        for path in paths {
            if let text = record.firstNonEmptyText(at: path) {
                usedPaths.append(path)
                return text
            }
        }
        return nil
    }

    /// Every non-empty text at `path`.
    public func texts(_ path: String) -> [String] {
        let texts = record.texts(at: path)
        if !texts.isEmpty { usedPaths.append(path) }
        return texts
    }

    public func double(_ paths: String...) -> Double? {
        for path in paths {
            if let number = record[path]?.double {
                usedPaths.append(path)
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
                usedPaths.append(path)
                return number
            }
        }
        return nil
    }

    /// A time from an ISO 8601 string or epoch number at the first of `paths` that has one.
    public func time(_ paths: String...) -> Date? {
        for path in paths {
            if let value = record[path], let date = TimestampParser.date(from: value) {
                usedPaths.append(path)
                return date
            }
        }
        return nil
    }

    /// The record without the fields the mapper used.
    public var unmappedFields: JSONValue? {
        usedPaths.isEmpty ? record : record.removing(PathTree(usedPaths), at: PathTree.root)
    }
}

/// Dotted paths as a tree of their segments (`rule.id` and `rule.name` share `rule`), so that removing them from a
/// record visits each member once instead of matching every member against every path. Flat: nodes link to their
/// first child and next sibling, and segments are ranges of one byte array, so building it for a record costs a
/// few allocations, not one for each node.
struct PathTree {
    private struct Node {
        var segmentStart: Int32 = 0
        var segmentLength: Int32 = 0
        var firstChild: Int32 = -1
        var nextSibling: Int32 = -1
        var isEnd = false
    }

    static let root = 0
    private var nodes = [Node()]
    private var segments: [UInt8] = []

    init(_ paths: [String]) {
        nodes.reserveCapacity(paths.count * 2)
        for path in paths {
            var path = path
            path.withUTF8 { insert($0) }
        }
    }

    private mutating func insert(_ path: UnsafeBufferPointer<UInt8>) {
        var node = Self.root
        var start = 0
        while true {
            let end = Self.segmentEnd(path, from: start)
            let segment = UnsafeBufferPointer(rebasing: path[start..<end])
            if let child = child(of: node, named: segment) {
                node = child
            } else {
                var added = Node(segmentStart: Int32(segments.count), segmentLength: Int32(segment.count))
                segments.append(contentsOf: segment)
                added.nextSibling = nodes[node].firstChild
                nodes.append(added)
                nodes[node].firstChild = Int32(nodes.count - 1)
                node = nodes.count - 1
            }
            guard end < path.count else { break }
            start = end + 1
        }
        nodes[node].isEnd = true
    }

    private static func segmentEnd(_ path: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var end = start
        while end < path.count && path[end] != UInt8(ascii: ".") { end += 1 }
        return end
    }

    private func child(of node: Int, named segment: UnsafeBufferPointer<UInt8>) -> Int? {
        var child = Int(nodes[node].firstChild)
        while child >= 0 {
            let candidate = nodes[child]
            if Int(candidate.segmentLength) == segment.count {
                let start = Int(candidate.segmentStart)
                let equal = segments.withUnsafeBufferPointer { stored in
                    var index = 0
                    while index < segment.count && stored[start + index] == segment[index] { index += 1 }
                    return index == segment.count
                }
                if equal { return child }
            }
            child = Int(candidate.nextSibling)
        }
        return nil
    }

    /// Whether a path ends at `node`: the whole value there was used.
    func isEnd(_ node: Int) -> Bool { nodes[node].isEnd }

    /// The node that `key`'s segments lead to from `node` (a flattened key such as `rule.id` takes two steps), or
    /// nil when no path goes through it.
    func node(after key: String, from node: Int) -> Int? {
        var key = key
        return key.withUTF8 { bytes -> Int? in
            var node = node
            var start = 0
            while true {
                let end = Self.segmentEnd(bytes, from: start)
                guard let next = child(of: node, named: UnsafeBufferPointer(rebasing: bytes[start..<end])) else {
                    return nil
                }
                node = next
                guard end < bytes.count else { return node }
                start = end + 1
            }
        }
    }
}

extension JSONValue {
    /// A copy without the values at the paths of `tree` below `node` (dotted, matching nested or flattened keys);
    /// containers left empty disappear. Nil when nothing remains.
    func removing(_ tree: PathTree, at node: Int) -> JSONValue? {
        switch self {
        case .object(let members):
            var kept: [JSONMember] = []
            kept.reserveCapacity(members.count)
            for member in members {
                guard let child = tree.node(after: member.key, from: node) else {
                    kept.append(member)
                    continue
                }
                if tree.isEnd(child) { continue }
                if let rest = member.value.removing(tree, at: child) { kept.append(JSONMember(member.key, rest)) }
            }
            return kept.isEmpty ? nil : .object(kept)
        case .array(let elements):
            let kept = elements.compactMap { $0.removing(tree, at: node) }
            return kept.isEmpty ? nil : .array(kept)
        default:
            return self
        }
    }
}
