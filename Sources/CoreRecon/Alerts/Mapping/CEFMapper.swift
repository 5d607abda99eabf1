import Foundation

/// ArcSight Common Event Format lines (``EventLines``): the header gives product, vendor, signature and
/// severity; the extension's standard keys give the rest ("Implementing ArcSight CEF", the CEF key dictionary).
///
/// Severity: 0–3 Low, 4–6 Medium, 7–8 High, 9–10 Very-High (Critical), as the CEF specification bands it; the
/// words `Unknown`, `Low`, `Medium`, `High` and `Very-High` by name.
public enum CEFMapper: AlertMapper {
    public static func recognizes(_ record: JSONValue) -> Bool {
        record[key: "cef"]?[key: "device_product"] != nil && record[key: "cef"]?[key: "signature_id"] != nil
    }

    public static func map(_ record: FieldReader) throws(MappingError) -> MappedAlert {
        let header = record.record[key: "cef"]
        func head(_ key: String) -> String? {
            record.consume("cef.\(key)")
            return header?[key: key]?.nonEmptyText
        }
        let signature = head("signature_id")
        guard let title = head("name") ?? signature else {
            throw MappingError(field: "cef.name", "empty; a CEF event is named in its header's sixth field")
        }
        let severityText = head("severity")
        var alert = MappedAlert(
            format: .cef, product: head("device_product") ?? "CEF", vendor: head("device_vendor") ?? "Unknown",
            title: title, severity: severityText.map(Self.severity) ?? .unknown)
        _ = head("version")
        alert.productVersion = head("device_version")
        alert.sourceSeverity = severityText
        alert.ruleUID = signature
        alert.ruleName = title
        let fields = ExtensionFields(record: record, root: "extensions.")
        fields.mapCommon(into: &alert, syslog: record)
        alert.sourceID = fields.text("externalId")
        return alert
    }

    /// CEF's bands, or its words.
    static func severity(_ text: String) -> Severity {
        if let number = Double(text.trimmingWhitespace) {
            switch number {
            case ..<0: return .unknown
            case ..<4: return .low
            case ..<7: return .medium
            case ..<9: return .high
            case ...10: return .critical
            default: return .unknown
            }
        }
        switch text.trimmingWhitespace.lowercased() {
        case "very-high", "veryhigh", "very high": return .critical
        default: return SeverityScale.fromWord(text) ?? .unknown
        }
    }
}

/// IBM Log Event Extended Format lines (``EventLines``): the header gives vendor, product and the event id; the
/// attributes are LEEF's predefined keys (`src`, `dst`, `usrName`, `sev`, `devTime`, ...) and CEF's, which LEEF
/// senders often use too.
///
/// Severity: `sev` (1–10) as a 0–10 score (``SeverityScale/fromTen(_:)``).
public enum LEEFMapper: AlertMapper {
    public static func recognizes(_ record: JSONValue) -> Bool {
        record[key: "leef"]?[key: "event_id"] != nil && record[key: "leef"]?[key: "vendor"] != nil
    }

    public static func map(_ record: FieldReader) throws(MappingError) -> MappedAlert {
        let header = record.record[key: "leef"]
        func head(_ key: String) -> String? {
            record.consume("leef.\(key)")
            return header?[key: key]?.nonEmptyText
        }
        let fields = ExtensionFields(record: record, root: "attributes.")
        let eventID = head("event_id")
        // LEEF has no name in its header; senders put one in an attribute (CyberArk's EventMessage and Action).
        guard let title = fields.text("name", "msg", "eventName", "EventMessage", "Action") ?? eventID else {
            throw MappingError(field: "leef.event_id", "empty; a LEEF event is named by its header's fifth field")
        }
        let severityText = fields.text("sev", "severity")
        var alert = MappedAlert(
            format: .leef, product: head("product") ?? "LEEF", vendor: head("vendor") ?? "Unknown", title: title,
            severity: severityText.flatMap { Double($0) }.map(SeverityScale.fromTen)
                ?? severityText.flatMap(SeverityScale.fromWord) ?? .unknown)
        _ = head("version")
        _ = head("delimiter")
        alert.productVersion = head("product_version")
        alert.sourceSeverity = severityText
        alert.ruleUID = eventID
        alert.ruleName = eventID
        fields.mapCommon(into: &alert, syslog: record)
        alert.sourceID = fields.text("externalId", "eventId")
        if alert.time == nil, let text = fields.text("devTime") {
            alert.time = Self.deviceTime(text, format: fields.text("devTimeFormat"))
        }
        return alert
    }

    /// `devTime` as `devTimeFormat` (Java's date pattern) says, else in LEEF's default `MMM dd yyyy HH:mm:ss` (with
    /// milliseconds and a zone, or not) and the other forms ``CEFTime`` reads.
    static func deviceTime(_ text: String, format: String?) -> Date? {
        if let format {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(secondsFromGMT: 0)
            formatter.dateFormat = format
            if let date = formatter.date(from: text.trimmingWhitespace) { return date }
        }
        return CEFTime.date(text)
    }
}

/// The keys CEF defines (and LEEF senders reuse), read from `extensions.` or `attributes.`.
struct ExtensionFields {
    let record: FieldReader
    let root: String

    func text(_ keys: String...) -> String? { record.text(keys.map { root + $0 }) }

    func mapCommon(into alert: inout MappedAlert, syslog: FieldReader) {
        alert.description = text("msg", "reason")
        if let category = text("cat", "deviceEventCategory") { alert.types = [category] }
        let sourceIP = text("src", "c6a2", "srcPreNAT", "sourceTranslatedAddress")
        let destinationIP = text("dst", "c6a3", "dstPreNAT", "destinationTranslatedAddress")
        let sourceHost = text("shost", "srcHostName")
        let destinationHost = text("dhost", "dstHostName", "identHostName")
        let deviceHost = text("dvchost") ?? syslog.text("syslog.host")
        let user = text("duser", "usrName", "suser", "accountName")
        let sourceUser = text("suser")
        alert.identify(
            host: destinationHost ?? deviceHost ?? sourceHost, user: user, sourceIP: sourceIP,
            destinationIP: destinationIP)
        alert.observe(.hostname, sourceHost, name: "src_endpoint.hostname")
        alert.observe(.hostname, destinationHost, name: "dst_endpoint.hostname")
        alert.observe(.user, sourceUser, name: "actor.user.name")
        alert.observe(.ip, text("dvc"), name: "device.ip")
        alert.observe(.url, text("request", "url"), name: "url.url_string")
        for key in ["fileHash", "oldFileHash", "sha256", "md5", "sha1"] {
            alert.observe(.hash, text(key), name: "file.hashes.value")
        }
        alert.observe(.file, text("fname", "fileName"), name: "file.name")
        alert.observe(.path, text("filePath"), name: "file.path")
        alert.observe(.process, text("sproc", "dproc"), name: "process.name")
        alert.observe(.domain, text("destinationDnsDomain"), name: "dst_endpoint.domain")
        alert.observe(.email, text("suser").flatMap { $0.contains("@") ? $0 : nil }, name: "email.from")
        for key in ["rt", "end", "start"] {
            if let text = text(key), let time = CEFTime.date(text) {
                alert.time = time
                break
            }
        }
        if alert.time == nil, let text = syslog.text("syslog.timestamp") { alert.time = CEFTime.date(text) }
        alert.set(
            "device",
            OCSFObjects.device(hostname: deviceHost, ip: text("dvc"), uid: text("deviceExternalId")))
        let source = OCSFObjects.endpoint(
            ip: sourceIP, port: text("spt", "srcPort").flatMap { Int($0) }, hostname: sourceHost)
        let destination = OCSFObjects.endpoint(
            ip: destinationIP, port: text("dpt", "dstPort").flatMap { Int($0) }, hostname: destinationHost)
        let connection = JSONValue.compactObject([
            ("protocol_name", text("proto", "app").map { .string($0.lowercased()) })
        ])
        if let evidence = OCSFObjects.evidence([
            ("src_endpoint", source), ("dst_endpoint", destination), ("connection_info", connection),
            ("user", OCSFObjects.user(name: user)),
        ]) {
            alert.set("evidences", .array([evidence]))
        }
        // Vendor keys and custom fields by their labels (`cs4Label=MalopHashList cs4=...`), scanned as generic
        // records are: an IP, a URL or an e-mail address under any key; a hash, host, user, domain or path by its key.
        if let members = record.record[key: String(root.dropLast())]?.members {
            var labels: [String: String] = [:]
            for member in members where member.key.hasSuffix("Label") {
                labels[String(member.key.dropLast(5))] = member.value.nonEmptyText
            }
            var scan = ObservableScan(remaining: 1_024)
            for member in members where !member.key.hasSuffix("Label") {
                scan.scan(member.value, key: labels[member.key] ?? member.key, depth: 0, into: &alert)
            }
        }
        if let action = text("act", "action")?.lowercased() {
            if ["block", "blocked", "deny", "denied", "drop", "dropped", "reject", "quarantine", "quarantined"]
                .contains(action)
            {
                alert.set("action_id", .int(2))
                alert.set("action", .string("Denied"))
            } else if ["allow", "allowed", "accept", "accepted", "permit", "pass"].contains(action) {
                alert.set("action_id", .int(1))
                alert.set("action", .string("Allowed"))
            }
        }
    }
}

/// Times as CEF's `rt`, `start` and `end` take them: milliseconds since the epoch, or `MMM dd yyyy HH:mm:ss`
/// (with `.SSS` and a zone optionally), or `MMM dd HH:mm:ss` (this year), and ISO 8601; syslog's own forms too.
enum CEFTime {
    static func date(_ text: String) -> Date? {
        let text = text.trimmingWhitespace
        if let number = Int64(text), number > 0 {
            return Date(timeIntervalSince1970: Double(number) / (number > 100_000_000_000 ? 1_000 : 1))
        }
        if let date = TimestampParser.date(from: .string(text)) { return date }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        for pattern in [
            "MMM dd yyyy HH:mm:ss.SSS zzz", "MMM dd yyyy HH:mm:ss zzz", "MMM dd yyyy HH:mm:ss.SSS",
            "MMM dd yyyy HH:mm:ss", "MMM d HH:mm:ss",
        ] {
            formatter.dateFormat = pattern
            if var date = formatter.date(from: text) {
                if !pattern.contains("yyyy") {
                    // A syslog time has no year: this year's, unless that would be more than a day ahead.
                    var calendar = Calendar(identifier: .gregorian)
                    calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
                    let year = calendar.component(.year, from: Date())
                    var parts = calendar.dateComponents([.month, .day, .hour, .minute, .second], from: date)
                    parts.year = year
                    date = calendar.date(from: parts) ?? date
                    if date > Date().addingTimeInterval(86_400) {
                        parts.year = year - 1
                        date = calendar.date(from: parts) ?? date
                    }
                }
                return date
            }
        }
        return nil
    }
}
