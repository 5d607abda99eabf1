/// STIX 2.x patterning (STIX 2.1 §9), parsed far enough to tell which patterns are plain lists of values: one
/// or more `[object:path = 'value']` comparisons joined by `OR` (also `IN (...)` and `ISSUBSET` for networks).
/// Anything else (`AND` across values, `FOLLOWEDBY`, qualifiers, `MATCHES`, `LIKE`, `NOT`) is kept whole.
public enum STIXPattern {
    /// One comparison: `file:hashes.'SHA-256' = 'abc...'`.
    public struct Comparison: Sendable, Equatable {
        public var path: String
        public var op: String
        public var values: [String]
    }

    public indirect enum Node: Sendable, Equatable {
        case comparison(Comparison)
        case and([Node])
        case or([Node])
        /// Qualified, negated, sequenced: not a list of values.
        case complex
    }

    public struct SyntaxError: Error, Sendable, CustomStringConvertible {
        public var offset: Int
        public var reason: String
        public var description: String { "\(reason) at character \(offset + 1)" }
    }

    enum Token: Equatable {
        case open, close, openParen, closeParen, comma
        case word(String)
        case string(String)
        case number(String)
        case op(String)
    }

    public static func parse(_ text: String) throws(SyntaxError) -> Node {
        var parser = Parser(tokens: try tokenize(text))
        let node = try parser.observationExpression()
        guard parser.index == parser.tokens.count else {
            throw SyntaxError(offset: parser.offsets.last ?? 0, reason: "unexpected text after the pattern")
        }
        return node
    }

    /// The (path, value) pairs when the pattern is only `=` / `IN` / `ISSUBSET` comparisons joined by `OR`; nil
    /// when it says more than a list of values can.
    public static func values(of node: Node) -> [(path: String, value: String)]? {
        switch node {
        case .comparison(let comparison):
            guard ["=", "IN", "ISSUBSET"].contains(comparison.op) else { return nil }
            return comparison.values.map { (comparison.path, $0) }
        case .or(let nodes):
            var all: [(path: String, value: String)] = []
            for node in nodes {
                guard let values = values(of: node) else { return nil }
                all += values
            }
            return all
        case .and(let nodes) where nodes.count == 1: return values(of: nodes[0])
        case .and, .complex: return nil
        }
    }

    static func tokenize(_ text: String) throws(SyntaxError) -> [(Token, Int)] {
        let scalars = Array(text.unicodeScalars)
        var tokens: [(Token, Int)] = []
        var index = 0
        while index < scalars.count {
            let start = index
            let character = scalars[index]
            switch character {
            case " ", "\t", "\n", "\r": index += 1
            case "[": tokens.append((.open, start)); index += 1
            case "]": tokens.append((.close, start)); index += 1
            case "(": tokens.append((.openParen, start)); index += 1
            case ")": tokens.append((.closeParen, start)); index += 1
            case ",": tokens.append((.comma, start)); index += 1
            case "=": tokens.append((.op("="), start)); index += 1
            case "!", "<", ">":
                if index + 1 < scalars.count, scalars[index + 1] == "=" {
                    tokens.append((.op(String(character) + "="), start))
                    index += 2
                } else if character == "!" {
                    throw SyntaxError(offset: start, reason: "'!' without '='")
                } else {
                    tokens.append((.op(String(character)), start))
                    index += 1
                }
            case "'":
                index += 1
                var value = ""
                var closed = false
                while index < scalars.count {
                    let next = scalars[index]
                    if next == "\\", index + 1 < scalars.count {
                        value.unicodeScalars.append(scalars[index + 1])
                        index += 2
                    } else if next == "'" {
                        index += 1
                        closed = true
                        break
                    } else {
                        value.unicodeScalars.append(next)
                        index += 1
                    }
                }
                guard closed else { throw SyntaxError(offset: start, reason: "unterminated string") }
                tokens.append((.string(value), start))
            default:
                if character.properties.isAlphabetic || character == "_" || character == "-"
                    || ("0"..."9").contains(character)
                {
                    var word = ""
                    // Object paths: letters, digits, -, _, :, . and quoted or indexed steps.
                    while index < scalars.count {
                        let next = scalars[index]
                        if next.properties.isAlphabetic || ("0"..."9").contains(next)
                            || "-_:.*".unicodeScalars.contains(next)
                        {
                            word.unicodeScalars.append(next)
                            index += 1
                        } else if next == "'" && word.hasSuffix(".") {
                            // hashes.'SHA-256'
                            index += 1
                            var quoted = ""
                            while index < scalars.count, scalars[index] != "'" {
                                quoted.unicodeScalars.append(scalars[index])
                                index += 1
                            }
                            guard index < scalars.count else {
                                throw SyntaxError(offset: start, reason: "unterminated quoted path step")
                            }
                            index += 1
                            word += "'" + quoted + "'"
                        } else if next == "[", word.contains(":"), index + 1 < scalars.count,
                            ("0"..."9").contains(scalars[index + 1]) || scalars[index + 1] == "*"
                        {
                            // values[0], values[*]
                            while index < scalars.count, scalars[index] != "]" {
                                word.unicodeScalars.append(scalars[index])
                                index += 1
                            }
                            guard index < scalars.count else {
                                throw SyntaxError(offset: start, reason: "unterminated index")
                            }
                            word += "]"
                            index += 1
                        } else {
                            break
                        }
                    }
                    if word.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" }) {
                        tokens.append((.number(word), start))
                    } else if index < scalars.count, scalars[index] == "'", ["t", "h", "b"].contains(word) {
                        // t'2016-...', h'ff', b'...': typed literals, kept as their text.
                        continue
                    } else {
                        tokens.append((.word(word), start))
                    }
                } else {
                    throw SyntaxError(offset: start, reason: "unexpected '\(character)'")
                }
            }
        }
        return tokens
    }

    /// Deepest nesting of brackets and parentheses a pattern may have: recursion is bounded by it, so no input
    /// can exhaust the stack.
    public static let maximumDepth = 64

    struct Parser {
        var tokens: [Token]
        var offsets: [Int]
        var index = 0
        var depth = 0

        mutating func descend() throws(SyntaxError) {
            depth += 1
            guard depth <= STIXPattern.maximumDepth else {
                throw SyntaxError(offset: offset, reason: "nested more than \(STIXPattern.maximumDepth) levels deep")
            }
        }

        init(tokens: [(Token, Int)]) {
            self.tokens = tokens.map(\.0)
            offsets = tokens.map(\.1)
        }

        var offset: Int { index < offsets.count ? offsets[index] : (offsets.last ?? 0) }

        func peekWord() -> String? {
            guard index < tokens.count, case .word(let word) = tokens[index] else { return nil }
            return word.uppercased()
        }

        /// observations joined by AND / OR / FOLLOWEDBY, each possibly qualified.
        mutating func observationExpression() throws(SyntaxError) -> Node {
            var parts = [try observation()]
            var joiners: Set<String> = []
            while let word = peekWord(), ["AND", "OR", "FOLLOWEDBY"].contains(word) {
                index += 1
                joiners.insert(word)
                parts.append(try observation())
            }
            if parts.count == 1 { return parts[0] }
            if joiners == ["OR"] { return .or(parts) }
            return .complex
        }

        mutating func observation() throws(SyntaxError) -> Node {
            guard index < tokens.count else { throw SyntaxError(offset: offset, reason: "the pattern ends early") }
            try descend()
            defer { depth -= 1 }
            var node: Node
            switch tokens[index] {
            case .open:
                index += 1
                node = try comparisonExpression()
                guard index < tokens.count, tokens[index] == .close else {
                    throw SyntaxError(offset: offset, reason: "expected ']'")
                }
                index += 1
            case .openParen:
                index += 1
                node = try observationExpression()
                guard index < tokens.count, tokens[index] == .closeParen else {
                    throw SyntaxError(offset: offset, reason: "expected ')'")
                }
                index += 1
            default:
                throw SyntaxError(offset: offset, reason: "expected '[' to start an observation")
            }
            // Qualifiers: WITHIN n SECONDS, REPEATS n TIMES, START t'..' STOP t'..'.
            while let word = peekWord(), ["WITHIN", "REPEATS", "START", "STOP"].contains(word) {
                index += 1
                guard index < tokens.count else { throw SyntaxError(offset: offset, reason: "qualifier without value") }
                index += 1
                if let unit = peekWord(), ["SECONDS", "TIMES"].contains(unit) { index += 1 }
                node = .complex
            }
            return node
        }

        mutating func comparisonExpression() throws(SyntaxError) -> Node {
            var ors = [try comparisonAnd()]
            while peekWord() == "OR" {
                index += 1
                ors.append(try comparisonAnd())
            }
            return ors.count == 1 ? ors[0] : .or(ors)
        }

        mutating func comparisonAnd() throws(SyntaxError) -> Node {
            var ands = [try propertyTest()]
            while peekWord() == "AND" {
                index += 1
                ands.append(try propertyTest())
            }
            return ands.count == 1 ? ands[0] : .and(ands)
        }

        mutating func propertyTest() throws(SyntaxError) -> Node {
            guard index < tokens.count else { throw SyntaxError(offset: offset, reason: "the pattern ends early") }
            try descend()
            defer { depth -= 1 }
            if tokens[index] == .openParen {
                index += 1
                let node = try comparisonExpression()
                guard index < tokens.count, tokens[index] == .closeParen else {
                    throw SyntaxError(offset: offset, reason: "expected ')'")
                }
                index += 1
                return node
            }
            guard case .word(let path) = tokens[index], path.contains(":") else {
                throw SyntaxError(offset: offset, reason: "expected an object path such as ipv4-addr:value")
            }
            index += 1
            var negated = false
            if peekWord() == "NOT" {
                negated = true
                index += 1
            }
            guard index < tokens.count else { throw SyntaxError(offset: offset, reason: "comparison without operator") }
            let op: String
            switch tokens[index] {
            case .op(let symbol): op = symbol
            case .word(let word)
            where ["IN", "LIKE", "MATCHES", "ISSUBSET", "ISSUPERSET", "EXISTS"].contains(word.uppercased()):
                op = word.uppercased()
            default: throw SyntaxError(offset: offset, reason: "expected a comparison operator")
            }
            index += 1
            var values: [String] = []
            if op == "IN" {
                guard index < tokens.count, tokens[index] == .openParen else {
                    throw SyntaxError(offset: offset, reason: "IN needs a list in parentheses")
                }
                index += 1
                while index < tokens.count, tokens[index] != .closeParen {
                    values.append(try literal())
                    if index < tokens.count, tokens[index] == .comma { index += 1 }
                }
                guard index < tokens.count else { throw SyntaxError(offset: offset, reason: "unterminated list") }
                index += 1
            } else {
                values.append(try literal())
            }
            let comparison = Comparison(path: path, op: op, values: values)
            return negated ? .complex : .comparison(comparison)
        }

        mutating func literal() throws(SyntaxError) -> String {
            guard index < tokens.count else { throw SyntaxError(offset: offset, reason: "expected a value") }
            defer { index += 1 }
            switch tokens[index] {
            case .string(let value), .number(let value): return value
            case .word(let word) where ["TRUE", "FALSE"].contains(word.uppercased()): return word.lowercased()
            default: throw SyntaxError(offset: offset, reason: "expected a value")
            }
        }
    }
}
