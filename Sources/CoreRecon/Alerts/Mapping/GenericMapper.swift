/// Any JSON alert, by common field names. Everything it does not map stays under OCSF `unmapped`.
///
/// | OCSF | source fields, first present wins |
/// |---|---|
/// | finding_info.title | title, name, alert_name, alertname, rule_name, rule.name, signature, summary, message, msg, description |
/// | severity_id | severity, level, priority, risk_score, risk (words, 0–10 or 0–100 numbers) |
/// | time | @timestamp, timestamp, time, event_time, eventTime, created_at, createdAt, date |
///
/// Numeric severities: up to 10 is read as a 0–10 score, above 10 as a 0–100 risk score (see ``SeverityScale``).
public enum GenericMapper: AlertMapper {
    static let titleFields = [
        "title", "name", "alert_name", "alertname", "alert.name", "rule_name", "rule.name", "signature", "summary",
        "message", "msg", "description",
    ]

    public static func recognizes(_ record: JSONValue) -> Bool {
        guard record.members != nil else { return false }
        return record.firstText(titleFields) != nil
    }

    public static func map(_ record: FieldReader) throws(MappingError) -> MappedAlert {
        guard record.record.members != nil else {
            throw MappingError("the record is not a JSON object")
        }
        var titleField: String?
        for field in titleFields where record.record.firstText(field) != nil {
            titleField = field
            break
        }
        guard let titleField, let title = record.text(titleField) else {
            throw MappingError(
                field: "title",
                "no title found (looked for \(titleFields.joined(separator: ", "))); add one or use --input-format"
            )
        }
        let (severity, sourceSeverity) = severity(of: record)
        let product = record.text("product", "product_name", "source", "vendor_product") ?? "Generic"
        let vendor = record.text("vendor", "vendor_name") ?? "Unknown"
        var alert = MappedAlert(format: .generic, product: product, vendor: vendor, title: title, severity: severity)
        alert.sourceSeverity = sourceSeverity
        alert.time = record.time(
            "@timestamp", "timestamp", "time", "event_time", "eventTime", "created_at",
            "createdAt", "date")
        alert.sourceID = record.text("id", "uid", "alert_id", "alertId", "event_id", "_id")
        alert.ruleUID = record.text("rule_id", "rule.id", "ruleId", "signature_id")
        alert.ruleName = titleField == "title" ? record.text("rule_name", "rule.name") : nil
        if titleField != "description" {
            alert.description = record.text("description", "desc", "details")
        }
        if let category = record.text("category", "type", "alert_type") { alert.types = [category] }

        let host = record.text("host.name", "hostname", "host", "computer", "computer_name", "device", "agent.name")
        let user = record.text("user.name", "username", "user_name", "user", "account")
        let sourceIP = record.text("source.ip", "src_ip", "source_ip", "srcip", "src", "client_ip")
        let destinationIP = record.text("destination.ip", "dst_ip", "dest_ip", "destination_ip", "dstip", "dst")
        alert.identify(host: host, user: user, sourceIP: sourceIP, destinationIP: destinationIP)
        alert.observe(.email, record.text("email", "sender", "from"), name: "email.from")
        alert.observe(.url, record.text("url", "uri", "request_url"), name: "url.url_string")
        alert.observe(.domain, record.text("domain", "fqdn", "dns.query"), name: "domain")
        for field in ["sha256", "file.hash.sha256", "sha1", "file.hash.sha1", "md5", "file.hash.md5", "hash"] {
            alert.observe(.hash, record.text(field), name: "file.hashes.value")
        }
        alert.observe(.process, record.text("process.name", "process_name", "process"), name: "process.name")
        for technique in record.texts("technique") + record.texts("mitre.technique") + record.texts("technique_id") {
            alert.attack(technique: technique)
        }
        alert.set("device", OCSFObjects.device(hostname: host))
        if let evidence = OCSFObjects.evidence([
            ("src_endpoint", OCSFObjects.endpoint(ip: sourceIP)),
            ("dst_endpoint", OCSFObjects.endpoint(ip: destinationIP)),
            ("user", OCSFObjects.user(name: user)),
        ]) {
            alert.set("evidences", .array([evidence]))
        }
        return alert
    }

    static func severity(of record: FieldReader) -> (Severity, String?) {
        for field in ["severity", "level", "priority", "risk_score", "risk", "severity_label"] {
            guard let value = record.record[field], let text = value.nonEmptyText else { continue }
            if let word = SeverityScale.fromWord(text) {
                _ = record[field]
                return (word, text)
            }
            if let number = value.double {
                _ = record[field]
                return (number <= 10 ? SeverityScale.fromTen(number) : SeverityScale.fromHundred(number), text)
            }
        }
        return (.unknown, nil)
    }
}
