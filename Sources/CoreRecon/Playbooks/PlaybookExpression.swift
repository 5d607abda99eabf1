import Foundation

/// An expression of a playbook, the text inside `${{ ... }}` or an `if:`: a small, side-effect-free language.
///
/// - Values are JSON: null, booleans, numbers, strings, lists and objects.
/// - Field access `alert.severity`, `steps.related.ids`, indexing `alert.techniques[0]`, `x["a key"]`; a missing
///   field is null, never an error.
/// - Literals: `'text'` (a quote doubled inside) or `"text"` (backslash escapes), numbers, `true`, `false`,
///   `null`, lists `[a, b]`.
/// - Operators, loosest first: `||`, `&&`, `==` `!=`, `<` `<=` `>` `>=`, `in` / `not in`, `+` `-`, `!` and
///   unary `-`. Two severity names compare by rank (`"high" > "medium"`); other strings compare as text,
///   numbers as numbers. `+` adds numbers, joins strings and concatenates lists. `x in list` is membership,
///   `x in text` a substring test, `x in object` a key test.
/// - Functions: `contains(a, b)`, `startsWith(text, prefix)`, `endsWith(text, suffix)`, `len(x)`, `lower(text)`,
///   `upper(text)`, `cidrMatch(address, cidr)`, `now()` (Unix seconds), `time(text)` (an ISO 8601 time in Unix
///   seconds), `duration("1h")` (seconds), `join(list, separator)`, `default(x, fallback)`.
///
/// Truthiness, for `if:` and `!`: null, false, 0, "" and empty lists and objects are false.
public indirect enum PlaybookExpression: Sendable, Equatable {
    case literal(JSONValue)
    case list([PlaybookExpression])
    /// A root name: `alert`, `incident`, `event`, `steps`, `inputs`, `item`, `run`.
    case name(String, offset: Int)
    case member(PlaybookExpression, String)
    case index(PlaybookExpression, PlaybookExpression)
    case call(String, [PlaybookExpression], offset: Int)
    case unary(Operator, PlaybookExpression)
    case binary(Operator, PlaybookExpression, PlaybookExpression)

    public enum Operator: String, Sendable, Equatable {
        case or = "||"
        case and = "&&"
        case equal = "=="
        case notEqual = "!="
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="
        case `in` = "in"
        case notIn = "not in"
        case plus = "+"
        case minus = "-"
        case not = "!"
    }

    /// An expression that cannot be read, with the offset (in characters from the expression's start) of the
    /// problem.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public var offset: Int
        public var description: String { message }
    }

    /// An expression that failed while it was evaluated: a type mismatch, an unknown name or function.
    public struct EvaluationError: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// The functions expressions may call, with their number of arguments.
    public static let functions: [String: ClosedRange<Int>] = [
        "contains": 2...2, "startsWith": 2...2, "endsWith": 2...2, "len": 1...1, "lower": 1...1, "upper": 1...1,
        "cidrMatch": 2...2, "now": 0...0, "time": 1...1, "duration": 1...1, "join": 1...2, "default": 2...2,
    ]

    /// Parses `text`; errors carry the offset of the problem.
    public static func parse(_ text: String) throws(ParseError) -> PlaybookExpression {
        var parser = Parser(tokens: try Lexer.tokens(of: text), length: text.count)
        let expression = try parser.expression()
        if let extra = parser.peek {
            throw ParseError(message: "unexpected \(extra.kind.description) after the expression", offset: extra.offset)
        }
        return expression
    }

    // MARK: - References

    /// `steps.X` ids the expression reads, with the offset of each.
    public var stepReferences: [(id: String, offset: Int)] {
        var found: [(String, Int)] = []
        visit { expression in
            if case .member(.name("steps", let offset), let id) = expression { found.append((id, offset)) }
            if case .index(.name("steps", let offset), .literal(.string(let id))) = expression {
                found.append((id, offset))
            }
        }
        return found
    }

    /// Root names the expression reads, with the offset of each.
    public var rootNames: [(name: String, offset: Int)] {
        var found: [(String, Int)] = []
        visit { expression in
            if case .name(let name, let offset) = expression { found.append((name, offset)) }
        }
        return found
    }

    /// Whether the expression reads `root.field` (or all of `root`).
    public func reads(_ root: String, _ field: String) -> Bool {
        var found = false
        visit { expression in
            if case .member(.name(root, _), field) = expression { found = true }
        }
        return found
    }

    func visit(_ body: (PlaybookExpression) -> Void) {
        body(self)
        switch self {
        case .literal, .name: break
        case .list(let items): for item in items { item.visit(body) }
        case .member(let base, _): base.visit(body)
        case .index(let base, let index):
            base.visit(body)
            index.visit(body)
        case .call(_, let arguments, _): for argument in arguments { argument.visit(body) }
        case .unary(_, let operand): operand.visit(body)
        case .binary(_, let left, let right):
            left.visit(body)
            right.visit(body)
        }
    }
}

// MARK: - Lexer

extension PlaybookExpression {
    struct Token: Equatable {
        enum Kind: Equatable, CustomStringConvertible {
            case number(String)
            case string(String)
            case identifier(String)
            case symbol(String)

            var description: String {
                switch self {
                case .number(let text): "number \(text)"
                case .string(let text): "string '\(text)'"
                case .identifier(let text): "'\(text)'"
                case .symbol(let text): "'\(text)'"
                }
            }
        }

        var kind: Kind
        var offset: Int
    }

    enum Lexer {
        static let symbols = [
            "||", "&&", "==", "!=", "<=", ">=", "<", ">", "!", "+", "-", ".", ",", "(", ")", "[", "]",
        ]

        static func tokens(of text: String) throws(ParseError) -> [Token] {
            let characters = Array(text)
            var tokens: [Token] = []
            var position = 0
            while position < characters.count {
                let character = characters[position]
                if character.isWhitespace {
                    position += 1
                    continue
                }
                let start = position
                if character.isNumber {
                    while position < characters.count, characters[position].isNumber { position += 1 }
                    if position + 1 < characters.count, characters[position] == ".", characters[position + 1].isNumber {
                        position += 1
                        while position < characters.count, characters[position].isNumber { position += 1 }
                    }
                    tokens.append(Token(kind: .number(String(characters[start..<position])), offset: start))
                } else if character.isLetter || character == "_" {
                    while position < characters.count,
                        characters[position].isLetter || characters[position].isNumber || characters[position] == "_"
                            || characters[position] == "-"
                    {
                        position += 1
                    }
                    // A trailing hyphen belongs to a minus sign: `a-1` is a name, `a - 1` a subtraction.
                    while position > start + 1, characters[position - 1] == "-" { position -= 1 }
                    tokens.append(Token(kind: .identifier(String(characters[start..<position])), offset: start))
                } else if character == "'" {
                    // GitHub Actions' quoting: a quote is doubled inside.
                    var value = ""
                    position += 1
                    while true {
                        guard position < characters.count else {
                            throw ParseError(message: "a string is not closed", offset: start)
                        }
                        if characters[position] == "'" {
                            if position + 1 < characters.count, characters[position + 1] == "'" {
                                value.append("'")
                                position += 2
                                continue
                            }
                            position += 1
                            break
                        }
                        value.append(characters[position])
                        position += 1
                    }
                    tokens.append(Token(kind: .string(value), offset: start))
                } else if character == "\"" {
                    var value = ""
                    position += 1
                    while true {
                        guard position < characters.count else {
                            throw ParseError(message: "a string is not closed", offset: start)
                        }
                        let next = characters[position]
                        if next == "\"" {
                            position += 1
                            break
                        }
                        if next == "\\" {
                            guard position + 1 < characters.count else {
                                throw ParseError(message: "a string is not closed", offset: start)
                            }
                            let escaped = characters[position + 1]
                            switch escaped {
                            case "n": value.append("\n")
                            case "t": value.append("\t")
                            case "\\", "\"", "'": value.append(escaped)
                            default:
                                throw ParseError(message: "unknown escape \\\(escaped)", offset: position)
                            }
                            position += 2
                            continue
                        }
                        value.append(next)
                        position += 1
                    }
                    tokens.append(Token(kind: .string(value), offset: start))
                } else if let symbol = symbols.first(where: { matches($0, characters, at: position) }) {
                    tokens.append(Token(kind: .symbol(symbol), offset: start))
                    position += symbol.count
                } else {
                    let hint = character == "=" ? " (comparison is ==)" : ""
                    throw ParseError(message: "unexpected character '\(character)'\(hint)", offset: start)
                }
            }
            return tokens
        }

        static func matches(_ symbol: String, _ characters: [Character], at position: Int) -> Bool {
            var index = position
            for character in symbol {
                guard index < characters.count, characters[index] == character else { return false }
                index += 1
            }
            return true
        }
    }
}

// MARK: - Parser

extension PlaybookExpression {
    /// Recursive descent, one function per precedence level.
    struct Parser {
        let tokens: [Token]
        let length: Int
        var position = 0
        /// Nesting depth, bounded so hostile input cannot exhaust the stack.
        var depth = 0
        static let maximumDepth = 64

        init(tokens: [Token], length: Int) {
            self.tokens = tokens
            self.length = length
        }

        var peek: Token? { position < tokens.count ? tokens[position] : nil }

        mutating func take(_ symbol: String) -> Bool {
            if let token = peek, token.kind == .symbol(symbol) || token.kind == .identifier(symbol) {
                position += 1
                return true
            }
            return false
        }

        mutating func expect(_ symbol: String, _ context: String) throws(ParseError) {
            guard take(symbol) else {
                let found = peek.map { $0.kind.description } ?? "the end"
                throw ParseError(
                    message: "expected '\(symbol)' \(context), found \(found)", offset: peek?.offset ?? length)
            }
        }

        mutating func expression() throws(ParseError) -> PlaybookExpression {
            depth += 1
            defer { depth -= 1 }
            guard depth <= Self.maximumDepth else {
                throw ParseError(message: "nested too deeply", offset: peek?.offset ?? length)
            }
            return try or()
        }

        mutating func or() throws(ParseError) -> PlaybookExpression {
            var left = try and()
            while take("||") { left = .binary(.or, left, try and()) }
            return left
        }

        mutating func and() throws(ParseError) -> PlaybookExpression {
            var left = try equality()
            while take("&&") { left = .binary(.and, left, try equality()) }
            return left
        }

        mutating func equality() throws(ParseError) -> PlaybookExpression {
            var left = try comparison()
            while true {
                if take("==") {
                    left = .binary(.equal, left, try comparison())
                } else if take("!=") {
                    left = .binary(.notEqual, left, try comparison())
                } else {
                    return left
                }
            }
        }

        mutating func comparison() throws(ParseError) -> PlaybookExpression {
            var left = try membership()
            while true {
                let operators: [(String, Operator)] = [
                    ("<=", .lessOrEqual), (">=", .greaterOrEqual), ("<", .less), (">", .greater),
                ]
                guard let (_, op) = operators.first(where: { take($0.0) }) else { return left }
                left = .binary(op, left, try membership())
            }
        }

        mutating func membership() throws(ParseError) -> PlaybookExpression {
            let left = try additive()
            if take("in") { return .binary(.in, left, try additive()) }
            if let token = peek, token.kind == .identifier("not"), position + 1 < tokens.count,
                tokens[position + 1].kind == .identifier("in")
            {
                position += 2
                return .binary(.notIn, left, try additive())
            }
            return left
        }

        mutating func additive() throws(ParseError) -> PlaybookExpression {
            var left = try unary()
            while true {
                if take("+") {
                    left = .binary(.plus, left, try unary())
                } else if take("-") {
                    left = .binary(.minus, left, try unary())
                } else {
                    return left
                }
            }
        }

        mutating func unary() throws(ParseError) -> PlaybookExpression {
            depth += 1
            defer { depth -= 1 }
            guard depth <= Self.maximumDepth else {
                throw ParseError(message: "nested too deeply", offset: peek?.offset ?? length)
            }
            if take("!") { return .unary(.not, try unary()) }
            if take("-") { return .unary(.minus, try unary()) }
            return try postfix()
        }

        mutating func postfix() throws(ParseError) -> PlaybookExpression {
            var base = try primary()
            while true {
                if take(".") {
                    guard let token = peek, case .identifier(let field) = token.kind else {
                        throw ParseError(
                            message: "expected a field name after '.'", offset: peek?.offset ?? length)
                    }
                    position += 1
                    base = .member(base, field)
                } else if take("[") {
                    let index = try expression()
                    try expect("]", "to close the index")
                    base = .index(base, index)
                } else {
                    return base
                }
            }
        }

        mutating func primary() throws(ParseError) -> PlaybookExpression {
            guard let token = peek else { throw ParseError(message: "the expression ends too early", offset: length) }
            position += 1
            switch token.kind {
            case .number(let text): return .literal(.number(text))
            case .string(let text): return .literal(.string(text))
            case .identifier(let name):
                switch name {
                case "true": return .literal(.bool(true))
                case "false": return .literal(.bool(false))
                case "null": return .literal(.null)
                case "in", "not":
                    throw ParseError(message: "'\(name)' needs a value before it", offset: token.offset)
                default: break
                }
                guard take("(") else { return .name(name, offset: token.offset) }
                guard let arity = PlaybookExpression.functions[name] else {
                    throw ParseError(
                        message: "unknown function '\(name)'; known: "
                            + PlaybookExpression.functions.keys.sorted().joined(separator: ", "),
                        offset: token.offset)
                }
                var arguments: [PlaybookExpression] = []
                if !take(")") {
                    repeat { arguments.append(try expression()) } while take(",")
                    try expect(")", "to close the call of \(name)")
                }
                guard arity.contains(arguments.count) else {
                    let count = arity.lowerBound == arity.upperBound ? "\(arity.lowerBound)" : "\(arity)"
                    throw ParseError(
                        message: "\(name) takes \(count) argument(s), not \(arguments.count)", offset: token.offset)
                }
                return .call(name, arguments, offset: token.offset)
            case .symbol("("):
                let inner = try expression()
                try expect(")", "to close the parenthesis")
                return inner
            case .symbol("["):
                var items: [PlaybookExpression] = []
                if !take("]") {
                    repeat { items.append(try expression()) } while take(",")
                    try expect("]", "to close the list")
                }
                return .list(items)
            case .symbol(let symbol):
                throw ParseError(message: "unexpected '\(symbol)'", offset: token.offset)
            }
        }
    }
}
