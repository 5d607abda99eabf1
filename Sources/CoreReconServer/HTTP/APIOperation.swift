import CoreRecon
import Foundation

/// What the OpenAPI document says about one operation beyond its method, path and permission: query parameters,
/// request body and responses. Query parameters are also enforced from here (``QueryParameter/problem(with:)``),
/// so the document and the server cannot disagree about what a parameter accepts.
public struct APIOperation: Sendable {
    public var query: [QueryParameter] = []
    public var body: RequestBody?
    /// The success responses; the problem responses (400, 401, 403, 404, 413, 429, 503) are added from the
    /// route's shape.
    public var responses: [APIResponse] = []
    /// Other problem statuses the operation answers, with what they mean (409: "the incident is closed").
    public var problems: [(status: Int, description: String)] = []
    /// Request headers the operation reads (optional ones), documented as header parameters.
    public var headers: [(name: String, description: String, schema: JSONValue)] = []

    public init(
        query: [QueryParameter] = [], headers: [(name: String, description: String, schema: JSONValue)] = [],
        body: RequestBody? = nil, responses: [APIResponse] = [], problems: [(status: Int, description: String)] = []
    ) {
        self.query = query
        self.headers = headers
        self.body = body
        self.responses = responses
        self.problems = problems
    }
}

/// A request body: its content types and schema.
public struct RequestBody: Sendable {
    public var description: String
    public var contentTypes: [String]
    public var schema: JSONValue
    public var isRequired = true

    /// A JSON body with `schema`.
    public static func json(_ schema: JSONValue, _ description: String = "") -> RequestBody {
        RequestBody(description: description, contentTypes: ["application/json"], schema: schema)
    }
}

/// One documented response.
public struct APIResponse: Sendable {
    public var status: Int
    public var description: String
    /// Content type to schema; empty for a response without a body.
    public var content: [(type: String, schema: JSONValue)]
    public var headers: [(name: String, description: String, schema: JSONValue)] = []
    /// OpenAPI links: name → (operationId, parameters, requestBody), so clients and schemathesis can follow
    /// from a created resource to what can be done with it.
    public var links: [(name: String, link: JSONValue)] = []

    public static func json(
        _ status: Int, _ description: String, _ schema: JSONValue,
        headers: [(name: String, description: String, schema: JSONValue)] = []
    ) -> APIResponse {
        APIResponse(status: status, description: description, content: [("application/json", schema)], headers: headers)
    }

    public func linking(_ links: [(name: String, link: JSONValue)]) -> APIResponse {
        var copy = self
        copy.links += links
        return copy
    }
}

/// A query parameter: its schema, and the check the server makes before the handler runs.
public struct QueryParameter: Sendable {
    public enum Kind: Sendable {
        /// Any text, at most `maxLength` characters.
        case text(maxLength: Int)
        /// Text matching `pattern` (an ECMA-262 regular expression the document carries as is).
        case pattern(String, example: String)
        /// One of the values.
        case choice([String])
        /// A comma-separated list of the values.
        case choices([String])
        /// An integer in the range.
        case integer(ClosedRange<Int>)
        /// A point in time: a duration back from now (`30m`, `24h`, `7d`, `2w`) or an RFC 3339 timestamp or date.
        case time
    }

    /// `T1059` or `T1059.001`.
    public static let techniquePattern = "^[Tt][0-9]{4}(\\.[0-9]{3})?$"
    /// A duration back from now, as time parameters take it.
    public static let durationPattern = "^[0-9]{1,5}(\\.[0-9]{1,3})?[smhdw]$"

    public var name: String
    public var description: String
    public var kind: Kind
    public var isRequired: Bool
    private let matcher: PatternMatcher?

    public init(_ name: String, _ kind: Kind, _ description: String, required: Bool = false) {
        self.name = name
        self.description = description
        self.kind = kind
        self.isRequired = required
        switch kind {
        case .pattern(let pattern, _): matcher = PatternMatcher(pattern)
        case .time: matcher = PatternMatcher(Self.durationPattern)
        default: matcher = nil
        }
    }

    /// Why `value` is refused, or nil when the parameter accepts it.
    public func problem(with value: String) -> String? {
        if value.contains("\u{0}") { return "\(name) holds a NUL character." }
        switch kind {
        case .text(let maxLength):
            // JSON Schema's maxLength counts code points: a letter with 200 combining marks is 201 of them.
            return value.unicodeScalars.count <= maxLength
                ? nil : "\(name) is longer than \(maxLength) characters."
        case .pattern(_, let example):
            return matcher?.matches(value) == true ? nil : "\(name) '\(value)' is not valid; for example \(example)."
        case .choice(let values):
            return values.contains(value) ? nil : "\(name) must be one of \(values.joined(separator: ", "))."
        case .choices(let values):
            let given = value.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return given.allSatisfy(values.contains)
                ? nil : "\(name) must be one or more of \(values.joined(separator: ", ")), separated by commas."
        case .integer(let range):
            guard let number = Int(value), range.contains(number), value.allSatisfy(\.isASCIIDigit) else {
                return "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound)."
            }
            return nil
        case .time:
            guard matcher?.matches(value) == true || TimestampParser.iso8601(value) != nil else {
                return "\(name) '\(value)' is not a time: give a duration back from now (30m, 24h, 7d, 2w) or a "
                    + "timestamp (2026-11-25 or 2026-11-25T08:00:00Z)."
            }
            return nil
        }
    }

    /// The parameter object of the OpenAPI document.
    var document: JSONValue {
        .object([
            JSONMember("name", .string(name)), JSONMember("in", .string("query")),
            JSONMember("description", .string(description)), JSONMember("required", .bool(isRequired)),
            JSONMember("schema", schema),
        ])
    }

    /// The schema of the value inside a JSON body, where an escaped NUL arrives as U+FFFD.
    var bodySchema: JSONValue {
        if case .text(let maxLength) = kind { return Schema.string(maxLength: maxLength) }
        return schema
    }

    /// The schema of the value.
    var schema: JSONValue {
        let schema: JSONValue
        switch kind {
        case .text(let maxLength): schema = Schema.string(pattern: "^[^\\u0000]*$", maxLength: maxLength)
        case .pattern(let pattern, let example): schema = Schema.string(pattern: pattern, example: example)
        case .choice(let values): schema = Schema.string(enumeration: values)
        case .choices(let values):
            schema = Schema.string(
                pattern: "^(\(values.joined(separator: "|")))(,(\(values.joined(separator: "|"))))*$",
                example: values[0])
        case .integer(let range): schema = Schema.integer(range)
        case .time:
            schema = .object([
                JSONMember(
                    "anyOf",
                    .array([
                        Schema.string("A duration back from now.", pattern: Self.durationPattern, example: "24h"),
                        Schema.dateTime(), Schema.string(format: "date"),
                    ]))
            ])
        }
        return schema
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}

/// A compiled regular expression, shared between requests.
private final class PatternMatcher: @unchecked Sendable {
    // NSRegularExpression is immutable once made and documented as safe to use from several threads.
    private let expression: NSRegularExpression?

    init(_ pattern: String) {
        expression = try? NSRegularExpression(pattern: pattern)
    }

    func matches(_ text: String) -> Bool {
        guard let expression else { return false }
        let range = NSRange(text.startIndex..., in: text)
        return expression.firstMatch(in: text, range: range) != nil
    }
}

/// JSON Schema (2020-12, as OpenAPI 3.1 uses it) fragments, as ``JSONValue``.
public enum Schema {
    public static func string(
        _ description: String? = nil, format: String? = nil, pattern: String? = nil, enumeration: [String]? = nil,
        minLength: Int? = nil, maxLength: Int? = nil, example: String? = nil, nullable: Bool = false
    ) -> JSONValue {
        var members = [type("string", nullable: nullable)]
        if let description { members.append(JSONMember("description", .string(description))) }
        if let format { members.append(JSONMember("format", .string(format))) }
        if let pattern { members.append(JSONMember("pattern", .string(pattern))) }
        if let enumeration {
            members.append(
                JSONMember("enum", .array(enumeration.map(JSONValue.string) + (nullable ? [.null] : []))))
        }
        if let minLength { members.append(JSONMember("minLength", .int(minLength))) }
        if let maxLength { members.append(JSONMember("maxLength", .int(maxLength))) }
        if let example { members.append(JSONMember("examples", .array([.string(example)]))) }
        return .object(members)
    }

    /// A date and time, RFC 3339.
    public static func dateTime(_ description: String? = nil, nullable: Bool = false) -> JSONValue {
        string(description, format: "date-time", nullable: nullable)
    }

    public static func integer(
        _ range: ClosedRange<Int>? = nil, _ description: String? = nil, nullable: Bool = false
    ) -> JSONValue {
        var members = [type("integer", nullable: nullable)]
        if let description { members.append(JSONMember("description", .string(description))) }
        if let range {
            members.append(JSONMember("minimum", .int(range.lowerBound)))
            members.append(JSONMember("maximum", .int(range.upperBound)))
        }
        return .object(members)
    }

    public static func number(_ description: String? = nil, nullable: Bool = false) -> JSONValue {
        var members = [type("number", nullable: nullable)]
        if let description { members.append(JSONMember("description", .string(description))) }
        return .object(members)
    }

    public static func boolean(_ description: String? = nil, nullable: Bool = false) -> JSONValue {
        var members = [type("boolean", nullable: nullable)]
        if let description { members.append(JSONMember("description", .string(description))) }
        return .object(members)
    }

    public static func array(
        _ items: JSONValue, minItems: Int? = nil, maxItems: Int? = nil, _ description: String? = nil,
        nullable: Bool = false
    ) -> JSONValue {
        var members = [type("array", nullable: nullable), JSONMember("items", items)]
        if let minItems { members.append(JSONMember("minItems", .int(minItems))) }
        if let maxItems { members.append(JSONMember("maxItems", .int(maxItems))) }
        if let description { members.append(JSONMember("description", .string(description))) }
        return .object(members)
    }

    /// An object; `required` lists the properties always present. Other properties are allowed.
    public static func object(
        _ properties: [(String, JSONValue)], required: [String] = [], _ description: String? = nil,
        nullable: Bool = false, extra: [JSONMember] = []
    ) -> JSONValue {
        var members = [
            type("object", nullable: nullable),
            JSONMember("properties", .object(properties.map { JSONMember($0.0, $0.1) })),
        ]
        if !required.isEmpty { members.append(JSONMember("required", .array(required.map(JSONValue.string)))) }
        if let description { members.append(JSONMember("description", .string(description))) }
        return .object(members + extra)
    }

    /// An object whose property names are free and whose values follow `values` (a map).
    public static func map(_ values: JSONValue, _ description: String? = nil) -> JSONValue {
        var members = [JSONMember("type", .string("object")), JSONMember("additionalProperties", values)]
        if let description { members.append(JSONMember("description", .string(description))) }
        return .object(members)
    }

    /// Any JSON value.
    public static let any: JSONValue = .object([])

    /// Any JSON value, with what it means (fields read leniently: a string, a number, ...).
    public static func describe(_ description: String) -> JSONValue {
        .object([JSONMember("description", .string(description))])
    }

    public static func ref(_ name: String) -> JSONValue {
        .object([JSONMember("$ref", .string("#/components/schemas/\(name)"))])
    }

    private static func type(_ name: String, nullable: Bool) -> JSONMember {
        JSONMember("type", nullable ? .array([.string(name), .string("null")]) : .string(name))
    }
}

/// A link of the OpenAPI document: from a response to an operation, with values taken from the response.
public enum Link {
    public static func to(
        _ operationID: String, _ description: String, parameters: [(String, String)] = [],
        requestBody: JSONValue? = nil
    ) -> JSONValue {
        var members = [
            JSONMember("operationId", .string(operationID)), JSONMember("description", .string(description)),
        ]
        if !parameters.isEmpty {
            members.append(JSONMember("parameters", .object(parameters.map { JSONMember($0.0, .string($0.1)) })))
        }
        if let requestBody { members.append(JSONMember("requestBody", requestBody)) }
        return .object(members)
    }
}
