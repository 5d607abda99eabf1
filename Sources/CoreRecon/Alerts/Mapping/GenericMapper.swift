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
        // `source` often holds the address the event came from rather than a product's name.
        let named = record.record[key: "source"]?.nonEmptyText.map {
            IPAddressShape.isIPv4($0) || IPAddressShape.isIPv6($0)
        }
        let product =
            record.text(
                named == true
                    ? ["product", "product_name", "vendor_product"]
                    : ["product", "product_name", "source", "vendor_product"])
            ?? nested(record.record, named: ["product", "productname", "product_name"]) ?? "Generic"
        let vendor =
            record.text("vendor", "vendor_name")
            ?? nested(record.record, named: ["vendor", "vendorname", "vendor_name", "company", "companyname"])
            ?? "Unknown"
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
        var budget = ObservableScan(remaining: 4_096)
        budget.scan(record.record, key: "", depth: 0, into: &alert)
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

    /// The first text under a key of `names` (compared lowercased) anywhere in `value`, nearest the top first: a
    /// product or vendor name in `metadata.product`, `source.vendor`, `detector.productName`.
    static func nested(_ value: JSONValue, named names: Set<String>) -> String? {
        var level = [value]
        for _ in 0..<6 {
            var next: [JSONValue] = []
            for value in level {
                for member in value.members ?? [] {
                    if names.contains(member.key.lowercased()), let text = member.value.nonEmptyText,
                        text.count <= 128
                    {
                        return text
                    }
                    if member.value.members != nil { next.append(member.value) }
                    next += (member.value.arrayValue ?? []).prefix(16).filter { $0.members != nil }
                }
            }
            guard !next.isEmpty else { return nil }
            level = Array(next.prefix(256))
        }
        return nil
    }
}

/// Observables anywhere in a record: values whose shape says what they are (an IP address, an http(s) URL, an
/// e-mail address) and values whose key says it (`*host*`, `*user*`/`*account*`, `*domain*`, `*hash*`/`md5`/`sha*`,
/// `*path*`). Bounded: at most `remaining` values looked at, 16 levels deep.
struct ObservableScan {
    var remaining: Int

    mutating func scan(_ value: JSONValue, key: String, depth: Int, into alert: inout MappedAlert) {
        guard remaining > 0, depth <= 16 else { return }
        remaining -= 1
        if let members = value.members {
            for member in members { scan(member.value, key: member.key, depth: depth + 1, into: &alert) }
        } else if let elements = value.arrayValue {
            for element in elements { scan(element, key: key, depth: depth + 1, into: &alert) }
        } else if case .string(let text) = value {
            classify(text, key: key.lowercased(), into: &alert)
        }
    }

    private func classify(_ text: String, key: String, into alert: inout MappedAlert) {
        let value = text.trimmingWhitespace
        guard !value.isEmpty, value.utf8.count <= 2_048, alert.observables.count < 256 else { return }
        if IPAddressShape.isIPv4(value) || (value.utf8.contains(UInt8(ascii: ":")) && IPAddressShape.isIPv6(value)) {
            alert.observe(.ip, value, name: "unmapped.\(key)")
            return
        }
        if Self.hasHTTPScheme(value) {
            alert.observe(.url, value, name: "unmapped.\(key)")
            return
        }
        if Self.isEmail(value) {
            alert.observe(.email, value, name: "unmapped.\(key)")
            return
        }
        guard !value.utf8.contains(0x20) || key.rangeOfBytes("path") != nil else { return }
        if key.rangeOfBytes("hash") != nil || key == "md5" || key.hasPrefix("sha") || key.hasSuffix("md5")
            || key.hasSuffix("sha1")
            || key.hasSuffix("sha256"), [32, 40, 64, 128].contains(value.utf8.count),
            value.utf8.allSatisfy(ObservableType.isHexDigit)
        {
            alert.observe(.hash, value, name: "unmapped.\(key)")
        } else if key.rangeOfBytes("hostname") != nil || key == "host" || key.hasSuffix("host")
            || key.hasSuffix("computer"),
            Self.isHostName(value)
        {
            alert.observe(.hostname, value, name: "unmapped.\(key)")
        } else if key.rangeOfBytes("domain") != nil, ObservableType.isDomainName(value) {
            alert.observe(.domain, value, name: "unmapped.\(key)")
        } else if (key.hasSuffix("user") || key.hasSuffix("username") || key.hasSuffix("user_name")
            || key == "account" || key.hasSuffix("accountname")), key.rangeOfBytes("agent") == nil,
            value.utf8.count <= 256
        {
            alert.observe(.user, value, name: "unmapped.\(key)")
        } else if key.hasSuffix("path"),
            value.hasPrefix("/") || value.rangeOfBytes(":\\") != nil || value.hasPrefix("\\\\")
        {
            alert.observe(.path, value, name: "unmapped.\(key)")
        }
    }

    /// Whether `value` starts with `http://` or `https://`, in any case, compared as bytes (no lowercased copy).
    static func hasHTTPScheme(_ value: String) -> Bool {
        var bytes = value.utf8.makeIterator()
        for expected in "http".utf8 {
            guard let byte = bytes.next(), byte | 0x20 == expected else { return false }
        }
        var byte = bytes.next()
        if byte.map({ $0 | 0x20 }) == UInt8(ascii: "s") { byte = bytes.next() }
        return byte == UInt8(ascii: ":") && bytes.next() == UInt8(ascii: "/") && bytes.next() == UInt8(ascii: "/")
    }

    static func isEmail(_ value: String) -> Bool {
        // Byte checks first: this runs for every string of a record, and few of them hold an `@`.
        let utf8 = value.utf8
        guard let at = utf8.firstIndex(of: UInt8(ascii: "@")), at != utf8.startIndex else { return false }
        let domain = utf8[utf8.index(after: at)...]
        guard !domain.contains(UInt8(ascii: "@")), domain.contains(UInt8(ascii: ".")), !utf8.contains(0x20) else {
            return false
        }
        return ObservableType.isDomainName(String(value[domain.startIndex...]))
    }

    /// A host name: dot-separated labels of letters, digits, `-` and `_` (`ws-17`, `db01.corp.example.com`).
    static func isHostName(_ value: String) -> Bool {
        guard value.utf8.count <= 253, value.first?.isLetter == true || value.first?.isNumber == true else {
            return false
        }
        return value.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            !label.isEmpty && label.count <= 63
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        }
    }
}
