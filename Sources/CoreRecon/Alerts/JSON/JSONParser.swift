/// A strict, fast JSON parser over UTF-8 bytes (RFC 8259), with error positions for messages.
public struct JSONParser {
    /// A syntax error, or a limit the input went over: what was wrong and the byte offset where it was found.
    public struct SyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
        public var reason: String
        public var offset: Int
        /// Set when the JSON may be valid but goes over one of the ``Limits``.
        public var limit: Limit?

        public init(reason: String, offset: Int, limit: Limit? = nil) {
            self.reason = reason
            self.offset = offset
            self.limit = limit
        }

        public var description: String { "\(reason) at byte \(offset + 1)" }
    }

    /// Which of the ``Limits`` a document went over.
    public enum Limit: String, Sendable, Equatable {
        case depth, stringLength, values
    }

    /// Bounds on what one document may hold, so that hostile input can exhaust neither the stack nor memory.
    public struct Limits: Sendable, Equatable {
        /// Nesting of objects and arrays.
        public var depth: Int
        /// Bytes in one string (a member name or a value), after unescaping.
        public var stringLength: Int
        /// Values in the whole document: every member, element and scalar counts one.
        public var values: Int

        public init(depth: Int = 512, stringLength: Int = .max, values: Int = .max) {
            self.depth = depth
            self.stringLength = stringLength
            self.values = values
        }

        /// For documents the user chose to load (ATT&CK bundles, layers, configuration): only the depth bound.
        public static let trusted = Limits()
    }

    /// Parses one JSON value that must fill `bytes` (surrounding whitespace allowed).
    public static func parse(_ bytes: some Collection<UInt8>, limits: Limits = .trusted) throws(SyntaxError)
        -> JSONValue
    {
        let array = Array(bytes)
        do {
            return try array.withUnsafeBufferPointer { buffer throws(SyntaxError) in
                var parser = Cursor(bytes: buffer, limits: limits)
                parser.skipWhitespace()
                let value = try parser.parseValue(depth: 0)
                parser.skipWhitespace()
                guard parser.position == buffer.count else {
                    throw parser.error("unexpected '\(parser.printable(parser.position))' after the JSON value")
                }
                return value
            }
        } catch let error as SyntaxError {
            throw error
        } catch {
            preconditionFailure("unreachable")
        }
    }

    public static func parse(_ text: String) throws(SyntaxError) -> JSONValue {
        try parse(Array(text.utf8))
    }

    struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        let limits: Limits
        var position = 0
        var valueCount = 0

        init(bytes: UnsafeBufferPointer<UInt8>, limits: Limits) {
            self.bytes = bytes
            self.limits = limits
        }

        func error(_ reason: String, limit: Limit? = nil) -> SyntaxError {
            SyntaxError(reason: reason, offset: position, limit: limit)
        }

        func checkStringLength(_ length: Int) throws(SyntaxError) {
            guard length <= limits.stringLength else {
                throw error("a string longer than \(limits.stringLength) bytes", limit: .stringLength)
            }
        }

        func printable(_ index: Int) -> String {
            guard index < bytes.count else { return "end of input" }
            let byte = bytes[index]
            return byte >= 0x20 && byte < 0x7F ? String(UnicodeScalar(byte)) : "\\u{\(String(byte, radix: 16))}"
        }

        mutating func skipWhitespace() {
            while position < bytes.count {
                switch bytes[position] {
                case 0x20, 0x0A, 0x0D, 0x09: position += 1
                default: return
                }
            }
        }

        mutating func parseValue(depth: Int) throws(SyntaxError) -> JSONValue {
            guard position < bytes.count else { throw error("unexpected end of input, expected a value") }
            valueCount += 1
            guard valueCount <= limits.values else {
                throw error("more than \(limits.values) values in the document", limit: .values)
            }
            switch bytes[position] {
            case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
            case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
            case UInt8(ascii: "\""): return .string(try parseString())
            case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
            case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
            case UInt8(ascii: "n"): try expectLiteral("null"); return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
            default: throw error("unexpected '\(printable(position))', expected a value")
            }
        }

        mutating func expectLiteral(_ literal: StaticString) throws(SyntaxError) {
            let count = literal.utf8CodeUnitCount
            guard position + count <= bytes.count else { throw error("unexpected end of input in a literal") }
            for offset in 0..<count where bytes[position + offset] != literal.utf8Start[offset] {
                throw error("invalid literal, expected '\(literal)'")
            }
            position += count
        }

        mutating func parseObject(depth: Int) throws(SyntaxError) -> JSONValue {
            guard depth <= limits.depth else {
                throw error("nesting deeper than \(limits.depth) levels", limit: .depth)
            }
            position += 1
            var members: [JSONMember] = []
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
                position += 1
                return .object(members)
            }
            while true {
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                    throw error("expected a member name in double quotes, found '\(printable(position))'")
                }
                let key = try parseString()
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
                    throw error("expected ':' after member name \"\(key)\"")
                }
                position += 1
                skipWhitespace()
                members.append(JSONMember(key, try parseValue(depth: depth)))
                skipWhitespace()
                guard position < bytes.count else { throw error("unexpected end of input in an object") }
                switch bytes[position] {
                case UInt8(ascii: ","): position += 1
                case UInt8(ascii: "}"): position += 1; return .object(members)
                default: throw error("expected ',' or '}' in an object, found '\(printable(position))'")
                }
            }
        }

        mutating func parseArray(depth: Int) throws(SyntaxError) -> JSONValue {
            guard depth <= limits.depth else {
                throw error("nesting deeper than \(limits.depth) levels", limit: .depth)
            }
            position += 1
            var elements: [JSONValue] = []
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
                position += 1
                return .array(elements)
            }
            while true {
                skipWhitespace()
                elements.append(try parseValue(depth: depth))
                skipWhitespace()
                guard position < bytes.count else { throw error("unexpected end of input in an array") }
                switch bytes[position] {
                case UInt8(ascii: ","): position += 1
                case UInt8(ascii: "]"): position += 1; return .array(elements)
                default: throw error("expected ',' or ']' in an array, found '\(printable(position))'")
                }
            }
        }

        mutating func parseNumber() throws(SyntaxError) -> String {
            let start = position
            if bytes[position] == UInt8(ascii: "-") { position += 1 }
            guard position < bytes.count, isDigit(bytes[position]) else { throw error("invalid number") }
            if bytes[position] == UInt8(ascii: "0") {
                position += 1
            } else {
                while position < bytes.count, isDigit(bytes[position]) { position += 1 }
            }
            if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
                position += 1
                guard position < bytes.count, isDigit(bytes[position]) else {
                    throw error("invalid number: digit expected after '.'")
                }
                while position < bytes.count, isDigit(bytes[position]) { position += 1 }
            }
            if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
                position += 1
                if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-")
                {
                    position += 1
                }
                guard position < bytes.count, isDigit(bytes[position]) else {
                    throw error("invalid number: digit expected in exponent")
                }
                while position < bytes.count, isDigit(bytes[position]) { position += 1 }
            }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        }

        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

        mutating func parseString() throws(SyntaxError) -> String {
            position += 1
            let start = position
            // Fast path: no escapes.
            while position < bytes.count {
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") {
                    try checkStringLength(position - start)
                    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                    position += 1
                    return text
                }
                if byte == UInt8(ascii: "\\") { break }
                if byte < 0x20 { throw error("control character in a string (escape it, e.g. \\n)") }
                position += 1
            }
            guard position < bytes.count else { throw error("unterminated string") }
            var buffer = Array(UnsafeBufferPointer(rebasing: bytes[start..<position]))
            while position < bytes.count {
                let byte = bytes[position]
                switch byte {
                case UInt8(ascii: "\""):
                    try checkStringLength(buffer.count)
                    position += 1
                    return String(decoding: buffer, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    position += 1
                    guard position < bytes.count else { throw error("unterminated escape") }
                    let escape = bytes[position]
                    position += 1
                    switch escape {
                    case UInt8(ascii: "\""): buffer.append(0x22)
                    case UInt8(ascii: "\\"): buffer.append(0x5C)
                    case UInt8(ascii: "/"): buffer.append(0x2F)
                    case UInt8(ascii: "b"): buffer.append(0x08)
                    case UInt8(ascii: "f"): buffer.append(0x0C)
                    case UInt8(ascii: "n"): buffer.append(0x0A)
                    case UInt8(ascii: "r"): buffer.append(0x0D)
                    case UInt8(ascii: "t"): buffer.append(0x09)
                    case UInt8(ascii: "u"):
                        var scalar = try parseHex4()
                        if (0xD800...0xDBFF).contains(scalar) {
                            // A high surrogate must pair with a low one; a lone one becomes U+FFFD.
                            if position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                                bytes[position + 1] == UInt8(ascii: "u")
                            {
                                position += 2
                                let low = try parseHex4()
                                if (0xDC00...0xDFFF).contains(low) {
                                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                                } else {
                                    appendScalar(0xFFFD, to: &buffer)
                                    scalar = low
                                }
                            } else {
                                scalar = 0xFFFD
                            }
                        } else if (0xDC00...0xDFFF).contains(scalar) {
                            scalar = 0xFFFD
                        }
                        // NUL becomes U+FFFD too: PostgreSQL's text cannot hold it, and one alert with a \u0000
                        // must not make a batch fail to store.
                        if scalar == 0 { scalar = 0xFFFD }
                        appendScalar(scalar, to: &buffer)
                    default:
                        position -= 1
                        throw error("invalid escape '\\\(printable(position))' in a string")
                    }
                default:
                    if byte < 0x20 { throw error("control character in a string (escape it, e.g. \\n)") }
                    buffer.append(byte)
                    position += 1
                }
            }
            throw error("unterminated string")
        }

        mutating func parseHex4() throws(SyntaxError) -> UInt32 {
            guard position + 4 <= bytes.count else { throw error("incomplete \\u escape") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[position]
                let digit: UInt32
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
                default: throw error("invalid hex digit in \\u escape")
                }
                value = value << 4 | digit
                position += 1
            }
            return value
        }

        func appendScalar(_ value: UInt32, to buffer: inout [UInt8]) {
            let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
            buffer.append(contentsOf: Array(String(Character(scalar)).utf8))
        }
    }
}
