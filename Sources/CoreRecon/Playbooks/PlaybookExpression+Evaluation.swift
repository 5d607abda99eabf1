import Foundation
import Synchronization

extension PlaybookExpression {
    /// What an expression can read: the run's context (`alert`, `incident`, `event`, `steps`, `inputs`, `item`,
    /// `run`) and the clock.
    public struct Scope: Sendable {
        public var values: [String: JSONValue]
        public var now: Date
        /// When set, records each `root.field` read that found nothing: a caller that leaves out a costly part
        /// of the context (an alert's observables) loads it only when an expression asked for it.
        public var misses: Misses?

        public init(values: [String: JSONValue], now: Date, misses: Misses? = nil) {
            self.values = values
            self.now = now
            self.misses = misses
        }
    }

    /// The `root.field` reads that found nothing, in one evaluation.
    public final class Misses: Sendable {
        private let fields = Mutex<Set<String>>([])

        public init() {}

        func insert(_ field: String) { _ = fields.withLock { $0.insert(field) } }

        public func contains(_ field: String) -> Bool { fields.withLock { $0.contains(field) } }
    }

    /// The value of the expression in `scope`.
    public func evaluate(in scope: Scope) throws(EvaluationError) -> JSONValue {
        switch self {
        case .literal(let value):
            return value
        case .list(let items):
            var values: [JSONValue] = []
            for item in items { values.append(try item.evaluate(in: scope)) }
            return .array(values)
        case .name(let name, _):
            guard let value = scope.values[name] else {
                throw EvaluationError(
                    message:
                        "'\(name)' is not defined here; defined: \(scope.values.keys.sorted().joined(separator: ", "))")
            }
            return value
        case .member(let base, let field):
            let value = Self.member(try base.evaluate(in: scope), field)
            if value == .null, let misses = scope.misses, case .name(let root, _) = base {
                misses.insert(root + "." + field)
            }
            return value
        case .index(let base, let index):
            let container = try base.evaluate(in: scope)
            let key = try index.evaluate(in: scope)
            if case .array(let items) = container, let number = key.double, number == number.rounded() {
                let position = Int(number) < 0 ? items.count + Int(number) : Int(number)
                return items.indices.contains(position) ? items[position] : .null
            }
            guard let text = key.text else { return .null }
            return Self.member(container, text)
        case .unary(.not, let operand):
            return .bool(!Self.truthy(try operand.evaluate(in: scope)))
        case .unary(_, let operand):
            let value = try operand.evaluate(in: scope)
            guard let number = Self.number(value) else {
                throw EvaluationError(message: "cannot negate \(Self.describe(value))")
            }
            return Self.json(-number)
        case .binary(.and, let left, let right):
            let first = try left.evaluate(in: scope)
            return Self.truthy(first) ? try right.evaluate(in: scope) : first
        case .binary(.or, let left, let right):
            let first = try left.evaluate(in: scope)
            return Self.truthy(first) ? first : try right.evaluate(in: scope)
        case .binary(let op, let left, let right):
            return try Self.apply(op, try left.evaluate(in: scope), try right.evaluate(in: scope))
        case .call(let name, let arguments, _):
            var values: [JSONValue] = []
            for argument in arguments { values.append(try argument.evaluate(in: scope)) }
            return try Self.call(name, values, now: scope.now)
        }
    }

    /// Whether the value counts as true for `if:`.
    public static func truthy(_ value: JSONValue) -> Bool {
        switch value {
        case .null: false
        case .bool(let bool): bool
        case .number(let text): (Double(text) ?? 0) != 0
        case .string(let text): !text.isEmpty
        case .array(let items): !items.isEmpty
        case .object(let members): !members.isEmpty
        }
    }

    static func member(_ value: JSONValue, _ field: String) -> JSONValue {
        if case .object(let members) = value { return members.last { $0.key == field }?.value ?? .null }
        if case .array(let items) = value {
            if field == "length" { return .int(items.count) }
            // `steps.each.results.id`: a field of every element, as GitHub Actions' `.*.` does.
            return .array(items.map { member($0, field) })
        }
        return .null
    }

    static func number(_ value: JSONValue) -> Double? {
        if case .number(let text) = value { return Double(text) }
        return nil
    }

    /// A number as JSON: whole numbers without a fraction.
    public static func json(_ number: Double) -> JSONValue {
        if number == number.rounded(), abs(number) < 9e15 { return .number(String(Int64(number))) }
        return .number(String(number))
    }

    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .number(let text): "the number \(text)"
        case .string(let text): "the string '\(text.prefix(40))'"
        case .array: "a list"
        case .object: "an object"
        }
    }

    /// Text of a value for templates and string functions: strings as they are, other values as JSON.
    public static func text(_ value: JSONValue) -> String {
        switch value {
        case .null: ""
        case .string(let text): text
        case .number(let text): text
        case .bool(let bool): bool ? "true" : "false"
        case .array, .object: value.jsonString
        }
    }

    static func equal(_ left: JSONValue, _ right: JSONValue) -> Bool {
        switch (left, right) {
        case (.number(let a), .number(let b)): return Double(a) == Double(b)
        case (.array(let a), .array(let b)): return a.count == b.count && zip(a, b).allSatisfy { equal($0, $1) }
        case (.object(let a), .object(let b)):
            return a.count == b.count
                && a.allSatisfy { member in b.contains { $0.key == member.key && equal($0.value, member.value) } }
        default: return left == right
        }
    }

    /// -1, 0 or 1; nil when the two cannot be ordered (a comparison with them is false).
    static func order(_ left: JSONValue, _ right: JSONValue) -> Int? {
        func sign<T: Comparable>(_ a: T, _ b: T) -> Int { a < b ? -1 : a > b ? 1 : 0 }
        switch (left, right) {
        case (.number, .number):
            guard let a = number(left), let b = number(right) else { return nil }
            return sign(a, b)
        case (.string(let a), .string(let b)):
            if let first = Severity(name: a), let second = Severity(name: b), Int(a) == nil, Int(b) == nil {
                return sign(first, second)
            }
            return sign(a, b)
        case (.string(let a), .number):
            // A severity name against its OCSF id (`alert.severity >= 4`), or a numeric string.
            if let severity = Severity(name: a), let b = number(right) { return sign(Double(severity.rawValue), b) }
            guard let a = Double(a), let b = number(right) else { return nil }
            return sign(a, b)
        case (.number, .string):
            return order(right, left).map { -$0 }
        default:
            return nil
        }
    }

    static func apply(_ op: Operator, _ left: JSONValue, _ right: JSONValue) throws(EvaluationError) -> JSONValue {
        switch op {
        case .equal: return .bool(equal(left, right))
        case .notEqual: return .bool(!equal(left, right))
        case .less: return .bool(order(left, right).map { $0 < 0 } ?? false)
        case .lessOrEqual: return .bool(order(left, right).map { $0 <= 0 } ?? false)
        case .greater: return .bool(order(left, right).map { $0 > 0 } ?? false)
        case .greaterOrEqual: return .bool(order(left, right).map { $0 >= 0 } ?? false)
        case .in: return .bool(contains(right, left))
        case .notIn: return .bool(!contains(right, left))
        case .plus:
            switch (left, right) {
            case (.number, .number): return json((number(left) ?? 0) + (number(right) ?? 0))
            case (.array(let a), .array(let b)): return .array(a + b)
            case (.array(let a), _): return .array(a + [right])
            case (.string, _), (_, .string): return .string(text(left) + text(right))
            default:
                throw EvaluationError(message: "cannot add \(describe(left)) and \(describe(right))")
            }
        case .minus:
            guard let a = number(left), let b = number(right) else {
                throw EvaluationError(message: "cannot subtract \(describe(right)) from \(describe(left))")
            }
            return json(a - b)
        case .and, .or, .not:
            throw EvaluationError(message: "'\(op.rawValue)' is not a binary operator here")
        }
    }

    /// `needle in haystack`.
    static func contains(_ haystack: JSONValue, _ needle: JSONValue) -> Bool {
        switch haystack {
        case .array(let items): return items.contains { equal($0, needle) }
        case .string(let text):
            guard case .string(let part) = needle else { return false }
            return text.contains(part)
        case .object(let members):
            guard let key = needle.text else { return false }
            return members.contains { $0.key == key }
        default: return false
        }
    }

    static func call(_ name: String, _ arguments: [JSONValue], now: Date) throws(EvaluationError) -> JSONValue {
        func string(_ index: Int) throws(EvaluationError) -> String {
            switch arguments[index] {
            case .string(let text): return text
            case .number(let text): return text
            case .null: return ""
            default:
                throw EvaluationError(
                    message: "\(name): argument \(index + 1) must be text, not \(describe(arguments[index]))")
            }
        }
        switch name {
        case "contains": return .bool(contains(arguments[0], arguments[1]))
        case "startsWith": return .bool(try string(0).hasPrefix(try string(1)))
        case "endsWith": return .bool(try string(0).hasSuffix(try string(1)))
        case "lower": return .string(try string(0).lowercased())
        case "upper": return .string(try string(0).uppercased())
        case "len":
            switch arguments[0] {
            case .array(let items): return .int(items.count)
            case .object(let members): return .int(members.count)
            case .string(let text): return .int(text.count)
            case .null: return .int(0)
            default: throw EvaluationError(message: "len: \(describe(arguments[0])) has no length")
            }
        case "cidrMatch":
            let address = try string(0)
            let cidr = try string(1)
            guard let network = Network.parse(cidr) else {
                throw EvaluationError(message: "cidrMatch: '\(cidr)' is not a network such as 10.0.0.0/8")
            }
            guard let bytes = Network.bytes(address) else { return .bool(false) }
            return .bool(network.contains(bytes))
        case "now":
            return json((now.timeIntervalSince1970 * 1_000).rounded() / 1_000)
        case "time":
            guard let date = TimestampParser.date(from: arguments[0]) else {
                throw EvaluationError(message: "time: \(describe(arguments[0])) is not a time")
            }
            return json((date.timeIntervalSince1970 * 1_000).rounded() / 1_000)
        case "duration":
            let text = try string(0)
            guard let duration = AppConfig.parseDuration(text) else {
                throw EvaluationError(message: "duration: '\(text)' is not a duration such as 90s, 15m, 4h or 3d")
            }
            return json(duration.seconds)
        case "join":
            guard case .array(let items) = arguments[0] else { return .string(text(arguments[0])) }
            let separator = arguments.count > 1 ? try string(1) : ","
            return .string(items.map(text).joined(separator: separator))
        case "default":
            return truthy(arguments[0]) ? arguments[0] : arguments[1]
        default:
            throw EvaluationError(message: "unknown function '\(name)'")
        }
    }
}

/// A string of a playbook that may hold `${{ expression }}`s: an input, a concurrency key, a `for_each`.
///
/// A template that is one expression and nothing else keeps the expression's type (a list stays a list); any
/// other template is text, each expression replaced by its text.
public struct PlaybookTemplate: Sendable, Equatable {
    public enum Part: Sendable, Equatable {
        case text(String)
        /// The expression and its offset in the template's text.
        case expression(PlaybookExpression, offset: Int)
    }

    public var parts: [Part]
    public var source: String

    /// An error with the offset of the problem in the template's text.
    public struct ParseError: Error, Sendable, Equatable {
        public var message: String
        public var offset: Int
    }

    public init(_ source: String) throws(ParseError) {
        self.source = source
        var parts: [Part] = []
        let characters = Array(source)
        var position = 0
        var literal = ""
        while position < characters.count {
            if characters[position] == "$", position + 2 < characters.count, characters[position + 1] == "{",
                characters[position + 2] == "{"
            {
                let start = position + 3
                var end = start
                // The closing `}}`, outside quoted strings.
                var quote: Character?
                while end + 1 < characters.count {
                    let character = characters[end]
                    if let open = quote {
                        if character == "\\" && open == "\"" {
                            end += 2
                            continue
                        }
                        if character == open { quote = nil }
                    } else if character == "'" || character == "\"" {
                        quote = character
                    } else if character == "}" && characters[end + 1] == "}" {
                        break
                    }
                    end += 1
                }
                guard end + 1 < characters.count, characters[end] == "}", characters[end + 1] == "}" else {
                    throw ParseError(message: "'${{' is not closed by '}}'", offset: position)
                }
                if !literal.isEmpty {
                    parts.append(.text(literal))
                    literal = ""
                }
                let text = String(characters[start..<end])
                guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw ParseError(message: "'${{ }}' is empty", offset: position)
                }
                do {
                    parts.append(.expression(try PlaybookExpression.parse(text), offset: start))
                } catch {
                    throw ParseError(message: error.message, offset: start + error.offset)
                }
                position = end + 2
            } else {
                literal.append(characters[position])
                position += 1
            }
        }
        if !literal.isEmpty { parts.append(.text(literal)) }
        self.parts = parts
    }

    /// Whether the template has no expression.
    public var isConstant: Bool {
        !parts.contains { if case .expression = $0 { true } else { false } }
    }

    public var expressions: [(PlaybookExpression, offset: Int)] {
        parts.compactMap { if case .expression(let expression, let offset) = $0 { (expression, offset) } else { nil } }
    }

    public func evaluate(in scope: PlaybookExpression.Scope) throws(PlaybookExpression.EvaluationError) -> JSONValue {
        let meaningful = parts.filter {
            if case .text(let text) = $0 { !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty } else { true }
        }
        if meaningful.count == 1, case .expression(let expression, _) = meaningful[0] {
            return try expression.evaluate(in: scope)
        }
        var result = ""
        for part in parts {
            switch part {
            case .text(let text): result += text
            case .expression(let expression, _): result += PlaybookExpression.text(try expression.evaluate(in: scope))
            }
        }
        return .string(result)
    }
}
