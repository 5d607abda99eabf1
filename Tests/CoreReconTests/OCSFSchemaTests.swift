import CoreRecon
import CoreReconTestSupport
import Foundation
import Testing

/// Checks normalized alerts against the OCSF 1.5.0 schema in ../shared/data/ocsf: required attributes, enum
/// values, types and unknown attributes, recursively through objects, for class 2004 Detection Finding.
@Suite("OCSF schema conformance", .enabled(if: SharedData.isAvailable, SharedData.skipReason))
struct OCSFSchemaTests {
    struct Schema {
        let classAttributes: [JSONMember]
        let objects: [String: [JSONMember]]

        init() throws {
            let schema = try JSONParser.parse(
                try Data(contentsOf: SharedData.url("ocsf/compiled/ocsf-schema-1.5.0-compiled.json")))
            classAttributes = try #require(schema["classes"]?[key: "detection_finding"]?[key: "attributes"]?.members)
            var objects: [String: [JSONMember]] = [:]
            for member in schema["objects"]?.members ?? [] {
                objects[member.key] = member.value[key: "attributes"]?.members ?? []
            }
            self.objects = objects
        }

        /// Problems found in `value` (an object) against `attributes`, with paths.
        func problems(_ value: JSONValue, attributes: [JSONMember], path: String, profiles: Set<String>) -> [String] {
            guard let members = value.members else { return ["\(path): expected an object"] }
            var found: [String] = []
            let known = Dictionary(attributes.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
            for (name, spec) in known where spec[key: "requirement"]?.text == "required" {
                // Attributes a profile adds are required only when the record declares the profile.
                if let profile = spec[key: "profile"]?.text, !profiles.contains(profile) { continue }
                if value[key: name] == nil { found.append("\(path).\(name): required attribute missing") }
            }
            for member in members {
                let here = "\(path).\(member.key)"
                guard let spec = known[member.key] else {
                    found.append("\(here): not an attribute of this object")
                    continue
                }
                let isArray = spec[key: "is_array"]?.bool ?? false
                if isArray {
                    guard let elements = member.value.arrayValue else {
                        found.append("\(here): expected an array")
                        continue
                    }
                    for (index, element) in elements.enumerated() {
                        found += check(element, spec: spec, path: "\(here)[\(index)]", profiles: profiles)
                    }
                } else {
                    found += check(member.value, spec: spec, path: here, profiles: profiles)
                }
            }
            return found
        }

        func check(_ value: JSONValue, spec: JSONValue, path: String, profiles: Set<String>) -> [String] {
            let type = spec[key: "type"]?.text ?? ""
            if let enumeration = spec[key: "enum"]?.members, !enumeration.isEmpty {
                guard let text = value.text, enumeration.contains(where: { $0.key == text }) else {
                    return ["\(path): \(value.jsonString) is not one of \(enumeration.map(\.key))"]
                }
            }
            switch type {
            case "integer_t", "long_t", "timestamp_t", "port_t":
                return value.int != nil && !(value.text ?? "").contains(".") && value.text != nil && !isString(value)
                    ? [] : ["\(path): expected an integer, got \(value.jsonString)"]
            case "float_t":
                return value.double != nil && !isString(value) ? [] : ["\(path): expected a number"]
            case "boolean_t":
                return value.bool != nil && !isString(value) ? [] : ["\(path): expected a boolean"]
            case "json_t", "object":
                return []
            default:
                if let attributes = objects[type] {
                    return problems(value, attributes: attributes, path: path, profiles: profiles)
                }
                // Every other *_t type is a string in JSON.
                return isString(value) ? [] : ["\(path): expected a string (\(type)), got \(value.jsonString)"]
            }
        }

        func isString(_ value: JSONValue) -> Bool {
            if case .string = value { return true }
            return false
        }

        func validate(_ finding: JSONValue) -> [String] {
            let profiles = Set(finding["metadata.profiles"].map { _ in finding.texts(at: "metadata.profiles") } ?? [])
            guard finding["metadata.log_name"]?.text == "ocsf" else {
                return problems(finding, attributes: classAttributes, path: "finding", profiles: profiles)
            }
            // An OCSF record passed through keeps the objects its producer wrote (possibly for another OCSF
            // version); what CoreRecon writes — the top level, metadata and finding_info — is checked.
            let shallow = classAttributes.map { member -> JSONMember in
                guard let type = member.value[key: "type"]?.text, objects[type] != nil,
                    !["metadata", "finding_info"].contains(member.key)
                else { return member }
                return JSONMember(
                    member.key,
                    .object(
                        (member.value.members ?? []).map {
                            $0.key == "type" ? JSONMember("type", .string("json_t")) : $0
                        }))
            }
            return problems(finding, attributes: shallow, path: "finding", profiles: profiles)
        }
    }

    static let normalizer = AlertNormalizer(settings: IngestSettings(), format: nil, sourceLabel: nil)

    /// Normalized findings for every record of `file` (NDJSON, a JSON array or one object).
    static func findings(in file: URL) async throws -> [(String, JSONValue)] {
        var findings: [(String, JSONValue)] = []
        try await InputReader().read(.file(file.path)) { record in
            for value in (try? AlertNormalizer.parse(record.bytes)) ?? [] {
                if let alert = try? normalizer.normalize(value, raw: value.jsonString, receivedAt: Date()) {
                    findings.append((record.location, try JSONParser.parse(alert.ocsf)))
                }
            }
        }
        return findings
    }

    @Test("Findings from every real alert file conform to OCSF 1.5.0 Detection Finding")
    func realAlerts() async throws {
        let schema = try Schema()
        let files = SharedData.files(in: "alerts", suffixes: [".json", ".ndjson"]).filter {
            !$0.path.contains("/tests/")
        }
        var checked = 0
        var problems: [String] = []
        for file in files {
            for (location, finding) in try await Self.findings(in: file) {
                checked += 1
                problems += schema.validate(finding).map { "\(location): \($0)" }
            }
        }
        #expect(checked > 700)
        #expect(problems.isEmpty, "\(problems.count) problems, first: \(problems.prefix(10))")
    }

    @Test("Findings from every format's test fixtures conform to OCSF 1.5.0 Detection Finding")
    func fixtures() async throws {
        let schema = try Schema()
        let root = try #require(Bundle.module.resourceURL?.appendingPathComponent("Fixtures/alerts"))
        let files = try #require(FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil))
            .compactMap { $0 as? URL }.filter { ["json", "log"].contains($0.pathExtension) }
        var formats: Set<AlertFormat> = []
        var problems: [String] = []
        for file in files {
            for (location, finding) in try await Self.findings(in: file) {
                if let format = AlertFormat(rawValue: file.deletingLastPathComponent().lastPathComponent) {
                    formats.insert(format)
                }
                problems += schema.validate(finding).map { "\(location): \($0)" }
            }
        }
        #expect(
            formats.isSuperset(of: [
                .asff, .splunk, .qradar, .cef, .leef, .guardduty, .elastic, .cortexxdr, .chronicle, .sophos,
            ]), "\(formats)")
        #expect(problems.isEmpty, "\(problems.count) problems, first: \(problems.prefix(10))")
    }

    @Test("The validator catches what it should: a missing required attribute and a bad enum value")
    func validatorCatches() throws {
        let schema = try Schema()
        let good = try JSONParser.parse(
            #"{"class_uid":2004,"category_uid":2,"activity_id":1,"type_uid":200401,"severity_id":3,"time":1,"metadata":{"version":"1.5.0","product":{"name":"x"}},"finding_info":{"uid":"u"}}"#
        )
        #expect(schema.validate(good).isEmpty)
        let bad = try JSONParser.parse(
            #"{"class_uid":2004,"category_uid":2,"activity_id":7,"type_uid":200401,"severity_id":3,"time":1,"metadata":{"version":"1.5.0"},"finding_info":{"uid":"u"},"bogus":1}"#
        )
        let found = schema.validate(bad)
        #expect(found.contains { $0.contains("activity_id") })
        #expect(found.contains { $0.contains("metadata.product: required") })
        #expect(found.contains { $0.contains("bogus") })
    }
}
