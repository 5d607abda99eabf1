import Foundation

extension IndicatorReport {
    /// One line of `POST /api/v1/iocs/reports`: a feed record as `corerecon ioc import` read it.
    public var jsonObject: JSONValue {
        func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
        func time(_ date: Date?) -> JSONValue { date.map { .string(ISO8601Format.string(from: $0)) } ?? .null }
        return .object([
            JSONMember("type", .string(type.rawValue)), JSONMember("value", .string(value)),
            JSONMember("source", .string(source)), JSONMember("tlp", optional(tlp?.rawValue)),
            JSONMember("confidence", confidence.map { .int($0) } ?? .null),
            JSONMember("tags", .array(tags.map(JSONValue.string))),
            JSONMember("techniques", .array(techniques.map(JSONValue.string))),
            JSONMember("description", optional(description)), JSONMember("validFrom", time(validFrom)),
            JSONMember("validUntil", time(validUntil)), JSONMember("revoked", .bool(revoked)),
            JSONMember("pattern", optional(pattern)), JSONMember("location", .string(location)),
        ])
    }

    /// A report from ``jsonObject``, checked as a feed record is: the type known, the value valid for it (and
    /// made canonical here, whatever the sender did), confidence 0 to 100. Errors name `location` and the field.
    public init(json: JSONValue, location: String) throws(CoreReconError) {
        func text(_ key: String) throws(CoreReconError) -> String? {
            switch json[key: key] {
            case nil, .null?: return nil
            case .string(let value)?: return value
            default: throw .invalidInput(location: "\(location): \(key)", reason: "must be a string or null.")
            }
        }
        func texts(_ key: String) throws(CoreReconError) -> [String] {
            guard let value = json[key: key], value != .null else { return [] }
            guard let items = value.arrayValue else {
                throw .invalidInput(location: "\(location): \(key)", reason: "must be an array of strings.")
            }
            return try items.map { item throws(CoreReconError) in
                guard case .string(let string) = item else {
                    throw .invalidInput(location: "\(location): \(key)", reason: "must be an array of strings.")
                }
                return string
            }
        }
        func time(_ key: String) throws(CoreReconError) -> Date? {
            guard let string = try text(key) else { return nil }
            guard let date = TimestampParser.iso8601(string) else {
                throw .invalidInput(location: "\(location): \(key)", reason: "'\(string)' is not an RFC 3339 time.")
            }
            return date
        }
        guard case .object = json else { throw .invalidInput(location: location, reason: "not a JSON object.") }
        guard let typeName = try text("type"), let type = IndicatorType(rawValue: typeName) else {
            throw .invalidInput(
                location: "\(location): type",
                reason: "must be one of \(IndicatorType.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        guard let raw = try text("value"), !raw.isEmpty else {
            throw .invalidInput(location: "\(location): value", reason: "is required.")
        }
        guard let canonical = type.canonical(raw) else {
            throw .invalidInput(
                location: "\(location): value", reason: type.problem(with: raw) ?? "'\(raw)' is not a valid \(typeName)"
            )
        }
        guard let source = try text("source"), !source.isEmpty else {
            throw .invalidInput(location: "\(location): source", reason: "is required.")
        }
        var tlp: TLP?
        if let name = try text("tlp") {
            guard let value = TLP(rawValue: name) else {
                throw .invalidInput(location: "\(location): tlp", reason: "'\(name)' is not a TLP.")
            }
            tlp = value
        }
        var confidence: Int?
        if let value = json[key: "confidence"], value != .null {
            guard let number = value.int, (0...100).contains(number) else {
                throw .invalidInput(location: "\(location): confidence", reason: "must be an integer 0 to 100.")
            }
            confidence = number
        }
        var revoked = false
        if let value = json[key: "revoked"], value != .null {
            guard let flag = value.bool else {
                throw .invalidInput(location: "\(location): revoked", reason: "must be true or false.")
            }
            revoked = flag
        }
        self.init(
            type: type, value: canonical, source: source, tlp: tlp, confidence: confidence, tags: try texts("tags"),
            techniques: try texts("techniques"), description: try text("description"), validFrom: try time("validFrom"),
            validUntil: try time("validUntil"), revoked: revoked, pattern: try text("pattern"),
            location: try text("location") ?? location)
    }
}

extension IndicatorReport {
    /// Reports from NDJSON, one a line (blank lines skipped), as `POST /api/v1/iocs/reports` takes them: each line
    /// that is not JSON or not a valid report is rejected with `line N` (and the field), the rest kept.
    public static func reports(ndjson bytes: [UInt8], limits: InputLimits = InputLimits())
        -> (reports: [IndicatorReport], rejections: [Rejection])
    {
        var reports: [IndicatorReport] = []
        var rejections: [Rejection] = []
        var number = 0
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            number += 1
            let location = "line \(number)"
            guard line.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\r") }) else { continue }
            let raw = String(decoding: line, as: UTF8.self)
            let json: JSONValue
            do { json = try JSONParser.parse(Array(line), limits: limits.json) } catch {
                rejections.append(Rejection(location: location, reason: "not JSON: \(error)", raw: raw))
                continue
            }
            do {
                reports.append(try IndicatorReport(json: json, location: location))
            } catch {
                if case .invalidInput(let at, let reason) = error {
                    rejections.append(Rejection(location: at ?? location, reason: reason, raw: raw))
                } else {
                    rejections.append(Rejection(location: location, reason: "\(error)", raw: raw))
                }
            }
        }
        return (reports, rejections)
    }

    /// Reports from a JSON array, as `POST /api/v1/iocs/reports` takes them with `application/json`: each element
    /// that is not a valid report is rejected with `item N` (and the field), the rest kept. A body that is not a
    /// JSON array is refused whole.
    public static func reports(jsonArray bytes: [UInt8], limits: InputLimits = InputLimits()) throws(CoreReconError)
        -> (reports: [IndicatorReport], rejections: [Rejection])
    {
        let json: JSONValue
        do { json = try JSONParser.parse(bytes, limits: limits.json) } catch {
            throw .invalidInput(location: "body", reason: "not JSON: \(error)")
        }
        guard let items = json.arrayValue else {
            throw .invalidInput(location: "body", reason: "not a JSON array of reports.")
        }
        guard !items.isEmpty else { throw .invalidInput(location: "body", reason: "the array holds no reports.") }
        var reports: [IndicatorReport] = []
        var rejections: [Rejection] = []
        for (index, item) in items.enumerated() {
            let location = "item \(index + 1)"
            do {
                reports.append(try IndicatorReport(json: item, location: location))
            } catch {
                if case .invalidInput(let at, let reason) = error {
                    rejections.append(Rejection(location: at ?? location, reason: reason, raw: item.jsonString))
                } else {
                    rejections.append(Rejection(location: location, reason: "\(error)", raw: item.jsonString))
                }
            }
        }
        return (reports, rejections)
    }
}
