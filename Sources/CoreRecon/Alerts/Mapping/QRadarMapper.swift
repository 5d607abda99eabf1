import Foundation

/// IBM QRadar offenses as the SIEM API returns them (`GET /api/siem/offenses`: `id`, `description`, `magnitude`,
/// `severity`, `offense_source`, `offense_type`, `categories`, `start_time`, ...). A page of the API's output is a
/// JSON array, which ingest reads as one record an offense.
///
/// Severity: `magnitude` (1–10, QRadar's own weighting of the offense's severity, relevance and credibility)
/// banded as a 0–10 score (``SeverityScale/fromTen(_:)``), else `severity` (1–10) the same way.
public enum QRadarMapper: AlertMapper {
    public static func recognizes(_ record: JSONValue) -> Bool {
        guard record.members != nil else { return false }
        return record["offense_source"] != nil && (record["offense_type"] != nil || record["magnitude"] != nil)
    }

    public static func map(_ record: FieldReader) throws(MappingError) -> MappedAlert {
        guard let text = record.text("description") else {
            throw MappingError(field: "description", "missing; a QRadar offense is named by its description")
        }
        // QRadar's description is the rule's offense name, and may go on over lines ("... \n containing ...").
        let lines = text.split(whereSeparator: \.isNewline).map { String($0).trimmingWhitespace }.filter { !$0.isEmpty }
        let title = lines.first ?? text
        let magnitude = record.double("magnitude")
        let rated = record.double("severity")
        var alert = MappedAlert(
            format: .qradar, product: "QRadar", vendor: "IBM", title: title,
            severity: (magnitude ?? rated).map(SeverityScale.fromTen) ?? .unknown)
        alert.sourceSeverity = (magnitude ?? rated).map { "\(Int($0))" }
        if lines.count > 1 { alert.description = lines.joined(separator: " ") }
        alert.time = record.time("last_updated_time", "start_time")
        let id = record.text("id")
        if let id {
            // The API returns an offense again each time it grows (new events, a new magnitude); each version is a
            // delivery of its own that dedup folds into the offense's alert.
            alert.sourceID = [id, record.text("last_updated_time")].compactMap { $0 }.joined(separator: ":")
        }
        let rules = record.values("rules").compactMap { $0["id"]?.text }
        alert.ruleUID = rules.first
        alert.types = record.texts("categories")

        let source = record.text("offense_source")
        var sourceIP: String?
        var destinationIP: String?
        var host: String?
        var user: String?
        // What `offense_source` holds depends on `offense_type` (the API's offense_types).
        switch record.int("offense_type") {
        case 0?, 10?: sourceIP = source
        case 1?, 11?: destinationIP = source
        case 3?: user = source
        case 7?: host = source
        case nil:
            if let source, IPAddressShape.isIPv4(source) || IPAddressShape.isIPv6(source) { sourceIP = source }
        default: break
        }
        alert.identify(host: host, user: user, sourceIP: sourceIP, destinationIP: destinationIP)
        alert.set("start_time", record.time("start_time").map { .int($0.milliseconds) })
        alert.set("end_time", record.time("last_updated_time").map { .int($0.milliseconds) })
        alert.set("count", record.int("event_count").map(JSONValue.int))
        if let evidence = OCSFObjects.evidence([
            ("src_endpoint", OCSFObjects.endpoint(ip: sourceIP)),
            ("dst_endpoint", OCSFObjects.endpoint(ip: destinationIP)),
            ("user", OCSFObjects.user(name: user)),
            ("device", OCSFObjects.device(hostname: host)),
        ]) {
            alert.set("evidences", .array([evidence]))
        }
        return alert
    }
}
