import Foundation

/// Builds the OCSF Detection Finding (class 2004, schema 1.5.0) for a mapped alert.
public enum DetectionFinding {
    public static let schemaVersion = "1.5.0"
    public static let classUID = 2004
    public static let categoryUID = 2
    /// activity_id 1 = Create: a new finding.
    public static let activityID = 1

    /// The attributes of class 2004 in OCSF 1.5.0. A mapper attribute outside this set is kept under
    /// `unmapped` instead, so records stay valid whatever a source sends.
    public static let classAttributes: Set<String> = [
        "action", "action_id", "activity_id", "activity_name", "actor", "anomaly_analyses", "api", "assignee",
        "assignee_group", "attacks", "authorizations", "category_name", "category_uid", "class_name", "class_uid",
        "cloud", "comment", "confidence", "confidence_id", "confidence_score", "count", "device", "disposition",
        "disposition_id", "duration", "end_time", "end_time_dt", "enrichments", "evidences", "finding_info",
        "firewall_rule", "impact", "impact_id", "impact_score", "is_alert", "is_suspected_breach", "malware",
        "malware_scan_info", "message", "metadata", "observables", "osint", "policy", "priority", "priority_id",
        "raw_data", "raw_data_size", "remediation", "resources", "risk_details", "risk_level", "risk_level_id",
        "risk_score", "severity", "severity_id", "src_url", "start_time", "start_time_dt", "status", "status_code",
        "status_detail", "status_id", "ticket", "tickets", "time", "time_dt", "timezone_offset", "type_name",
        "type_uid", "unmapped", "vendor_attributes", "verdict", "verdict_id", "vulnerabilities",
    ]

    /// The attributes of an OCSF 1.5.0 `evidences` object.
    public static let evidenceAttributes: Set<String> = [
        "actor", "api", "connection_info", "container", "data", "database", "databucket", "device", "dst_endpoint",
        "email", "file", "http_request", "http_response", "ja4_fingerprint_list", "job", "name", "process", "query",
        "reg_key", "reg_value", "resources", "script", "src_endpoint", "tls", "uid", "url", "user", "verdict",
        "verdict_id", "win_service",
    ]

    /// The OCSF record. `uid` is CoreRecon's finding uid, `raw` the source record's text, kept verbatim.
    public static func build(_ alert: MappedAlert, uid: String, raw: String, receivedAt: Date) -> JSONValue {
        let time = (alert.time ?? receivedAt).milliseconds
        var members: [(String, JSONValue?)] = [
            ("class_uid", .int(classUID)),
            ("class_name", .string("Detection Finding")),
            ("category_uid", .int(categoryUID)),
            ("category_name", .string("Findings")),
            ("activity_id", .int(activityID)),
            ("activity_name", .string("Create")),
            ("type_uid", .int(classUID * 100 + activityID)),
            ("type_name", .string("Detection Finding: Create")),
            ("time", .int(time)),
            ("severity_id", .int(alert.severity.rawValue)),
            ("severity", .string(alert.severity.caption)),
            ("status_id", .int(1)),
            ("status", .string("New")),
            ("is_alert", .bool(true)),
            ("message", .string(alert.title)),
            ("metadata", metadata(alert, receivedAt: receivedAt)),
            ("finding_info", findingInfo(alert, uid: uid, time: time)),
        ]
        if !alert.observables.isEmpty {
            members.append(("observables", .array(alert.observables.map(observable))))
        }
        if !alert.attacks.isEmpty {
            members.append(("attacks", .array(alert.attacks.compactMap(attack))))
        }
        var outside: [JSONMember] = []
        for attribute in alert.attributes {
            guard classAttributes.contains(attribute.key) else {
                outside.append(attribute)
                continue
            }
            members.append(
                (attribute.key, attribute.key == "evidences" ? conformEvidences(attribute.value) : attribute.value))
        }
        members.append(("raw_data", .string(raw)))
        members.append(("raw_data_size", .int(raw.utf8.count)))
        var unmapped = alert.unmapped
        if !outside.isEmpty {
            unmapped = .object((unmapped?.members ?? (unmapped.map { [JSONMember("value", $0)] } ?? [])) + outside)
        }
        members.append(("unmapped", unmapped))
        return JSONValue.compactObject(members) ?? .object([])
    }

    /// Fills what OCSF requires in evidence objects that sources cannot know: a connection's `direction_id`
    /// (0 = Unknown) when only its protocol is known.
    static func conformEvidences(_ evidences: JSONValue) -> JSONValue {
        guard let elements = evidences.arrayValue else { return evidences }
        return .array(
            elements.map { evidence in
                guard var members = evidence.members,
                    let index = members.firstIndex(where: { $0.key == "connection_info" }),
                    var connection = members[index].value.members,
                    !connection.contains(where: { $0.key == "direction_id" })
                else { return evidence }
                connection.append(JSONMember("direction_id", .int(0)))
                members[index].value = .object(connection)
                return .object(members)
            })
    }

    static func metadata(_ alert: MappedAlert, receivedAt: Date) -> JSONValue? {
        let product = JSONValue.compactObject([
            ("name", .string(alert.product)),
            ("vendor_name", .string(alert.vendor)),
            ("version", alert.productVersion.map(JSONValue.string)),
        ])
        return JSONValue.compactObject([
            ("version", .string(schemaVersion)),
            ("product", product),
            ("log_name", .string(alert.format.rawValue)),
            ("uid", alert.sourceID.map(JSONValue.string)),
            ("original_time", alert.time.map { .string(ISO8601Format.string(from: $0)) }),
            ("processed_time", .int(receivedAt.milliseconds)),
        ])
    }

    static func findingInfo(_ alert: MappedAlert, uid: String, time: Int64) -> JSONValue? {
        let analytic = JSONValue.compactObject([
            ("uid", alert.ruleUID.map(JSONValue.string)),
            ("name", alert.ruleName.map(JSONValue.string)),
            // type_id 1 = Rule.
            ("type_id", alert.ruleUID != nil || alert.ruleName != nil ? .int(1) : nil),
            ("type", alert.ruleUID != nil || alert.ruleName != nil ? .string("Rule") : nil),
        ])
        return JSONValue.compactObject([
            ("uid", .string(uid)),
            ("title", .string(alert.title)),
            ("desc", alert.description.map(JSONValue.string)),
            ("types", alert.types.isEmpty ? nil : .array(alert.types.map(JSONValue.string))),
            ("analytic", analytic),
            ("created_time", .int(time)),
            ("first_seen_time", .int(time)),
            ("last_seen_time", .int(time)),
        ])
    }

    static func observable(_ observable: Observable) -> JSONValue {
        .object([
            JSONMember("name", .string(observable.name)),
            JSONMember("type_id", .int(observable.kind.typeID)),
            JSONMember("type", .string(observable.kind.typeName)),
            JSONMember("value", .string(observable.value)),
        ])
    }

    static func attack(_ attack: Attack) -> JSONValue? {
        var technique = attack.techniqueID
        var subTechnique: String?
        if let id = attack.techniqueID, let dot = id.firstIndex(of: ".") {
            technique = String(id[..<dot])
            subTechnique = id
        }
        let tactic = JSONValue.compactObject([
            ("uid", attack.tacticID.map(JSONValue.string)),
            ("name", attack.tacticName.map(JSONValue.string)),
        ])
        return JSONValue.compactObject([
            (
                "technique",
                technique.map { id in
                    JSONValue.compactObject([
                        ("uid", .string(id)),
                        ("name", subTechnique == nil ? attack.techniqueName.map(JSONValue.string) : nil),
                    ])
                } ?? nil
            ),
            (
                "sub_technique",
                subTechnique.map { id in
                    JSONValue.compactObject([
                        ("uid", .string(id)), ("name", attack.techniqueName.map(JSONValue.string)),
                    ])
                } ?? nil
            ),
            ("tactic", tactic),
            ("version", .string("15.1")),
        ])
    }
}

/// ISO 8601 in UTC with milliseconds (`2026-11-25T08:00:00.123Z`), for JSON, CSV and OCSF strings; and to the
/// second (`2026-11-25T08:00:00Z`) for people: tables, summaries and reports.
///
/// Works from whole milliseconds, so a stored time prints exactly as stored (floating-point formatting would
/// show .221 as .220).
public enum ISO8601Format {
    public static func string(from date: Date) -> String {
        string(milliseconds: date.milliseconds)
    }

    /// The one time format for people: UTC to the second, `2026-11-25T08:00:00Z` (milliseconds are cut, not
    /// rounded, so a time never shows later than it was).
    public static func forPeople(_ date: Date) -> String {
        String(string(from: date).dropLast(5)) + "Z"  // without ".123Z"
    }

    public static func string(milliseconds: Int64) -> String {
        let days = Int(floorDivide(milliseconds, 86_400_000))
        let millisecondOfDay = Int(milliseconds - Int64(days) * 86_400_000)
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        let hour = millisecondOfDay / 3_600_000
        let minute = millisecondOfDay / 60_000 % 60
        let second = millisecondOfDay / 1_000 % 60
        let millisecond = millisecondOfDay % 1_000
        guard (0...9_999).contains(year) else {
            // Outside four digits (no alert lives there): the same layout, the year as wide as it needs.
            func pad(_ value: Int, _ width: Int) -> String {
                let text = String(value)
                return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
            }
            return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hour, 2)):\(pad(minute, 2)):"
                + "\(pad(second, 2)).\(pad(millisecond, 3))Z"
        }
        // Digits written in place, right to left into the layout: a list of 50 alerts formats 200 of these.
        var digits =
            (((((year * 100 + month) * 100 + day) * 100 + hour) * 100 + minute) * 100 + second) * 1_000 + millisecond
        return String(unsafeUninitializedCapacity: 24) { text in
            layout.withUTF8Buffer { layout in
                for index in stride(from: layout.count - 1, through: 0, by: -1) {
                    guard layout[index] == UInt8(ascii: "0") else {
                        text[index] = layout[index]
                        continue
                    }
                    text[index] = UInt8(truncatingIfNeeded: 0x30 + digits % 10)
                    digits /= 10
                }
            }
            return 24
        }
    }

    /// Where ``string(milliseconds:)`` puts its digits (each `0`) between the separators.
    private static let layout: StaticString = "0000-00-00T00:00:00.000Z"

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        value >= 0 ? value / divisor : (value - divisor + 1) / divisor
    }
}
