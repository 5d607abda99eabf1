import Foundation

/// Splunk: the webhook alert action's POST body (`sid`, `search_name`, `app`, `owner`, `results_link` and the first
/// result row in `result`, https://help.splunk.com "Use a webhook alert action"), and Splunk Enterprise Security
/// notable events (the `notable` index as a search or the REST API returns it: `event_id`, `rule_name`,
/// `rule_title`, `urgency`, `security_domain` and the Common Information Model fields of the correlation search's
/// result: `src`, `dest`, `user`, ...).
///
/// Severity: a notable's `urgency` (informational, low, medium, high, critical: ES's mix of the rule's severity
/// and the asset's priority), else the CIM `severity` word; a webhook's from the same fields of its result row.
public enum SplunkMapper: AlertMapper {
    public static func recognizes(_ record: JSONValue) -> Bool {
        guard let members = record.members else { return false }
        let keys = Set(members.map(\.key))
        if keys.contains("sid"), keys.contains("results_link") || (keys.contains("result") && keys.contains("app")) {
            return true
        }
        if record["event_id"]?.text?.contains("@@notable@@") == true { return true }
        return keys.contains("event_id") && (keys.contains("rule_name") || keys.contains("search_name"))
            && (keys.contains("urgency") || keys.contains("security_domain"))
    }

    public static func map(_ record: FieldReader) throws(MappingError) -> MappedAlert {
        let isWebhook = record.record["sid"] != nil && record.record["event_id"] == nil
        // A webhook's fields of interest are the result row's; a notable's are its own.
        let row = isWebhook ? "result." : ""
        func text(_ fields: String...) -> String? { record.text(fields.map { row + $0 }) }

        let searchName = record.text("search_name")
        // A webhook of an unsaved search (Splunk's own example has `"search_name": null`) is named by its run.
        let title =
            isWebhook
            ? searchName ?? text("rule_title", "rule_name", "signature")
                ?? record.text("sid").map { "Splunk alert (search \($0))" }
            : record.text("rule_title", "rule_name", "search_name", "signature", "subject")
        guard let title else {
            throw MappingError(
                field: isWebhook ? "search_name" : "rule_name",
                isWebhook
                    ? "missing; a webhook names its saved search (search_name) or its run (sid)"
                    : "missing; a notable names its correlation rule (rule_name, rule_title or search_name)")
        }
        let severityText = text("urgency", "severity")
        var alert = MappedAlert(
            format: .splunk, product: isWebhook ? "Splunk" : "Splunk Enterprise Security", vendor: "Splunk",
            title: Self.substituted(title, from: record.record, row: row),
            severity:
                severityText.flatMap(SeverityScale.fromWord) ?? .unknown)
        alert.sourceSeverity = severityText
        alert.description = text("rule_description", "savedsearch_description", "description")
        alert.time = record.time(row + "_time", row + "orig_time", row + "info_search_time")
        if isWebhook {
            alert.sourceID = record.text("sid")
            alert.ruleUID = searchName
            alert.ruleName = searchName
            record.consume("app", "owner", "results_link")
        } else {
            alert.sourceID = record.text("event_id")
            alert.ruleUID = record.text("search_name", "orig_sid") ?? record.text("rule_name")
            alert.ruleName = record.text("rule_name") ?? searchName
            if let domain = record.text("security_domain") { alert.types = [domain] }
        }
        if let signature = text("signature"), signature != alert.title, alert.types.isEmpty {
            alert.types = [signature]
        }

        let sourceIP = text("src_ip").flatMap(Self.address) ?? text("src").flatMap(Self.address)
        let destinationIP = text("dest_ip").flatMap(Self.address) ?? text("dest").flatMap(Self.address)
        let host =
            text("dest_dns", "dest_host", "dest_nt_host").flatMap(Self.name)
            ?? text("dest").flatMap(Self.name) ?? text("dvc_host", "orig_host", "host").flatMap(Self.name)
        let sourceHost = text("src_dns", "src_host", "src_nt_host").flatMap(Self.name) ?? text("src").flatMap(Self.name)
        // As written: the CIM keeps `DOMAIN\user` and `user@domain` that way.
        let user = text("user", "src_user", "target_user")
        alert.identify(host: host, user: user, sourceIP: sourceIP, destinationIP: destinationIP)
        alert.observe(.hostname, sourceHost, name: "src_endpoint.hostname")
        for field in ["src_user", "target_user", "recipient_user"] {
            alert.observe(.user, text(field), name: "actor.user.name")
        }
        alert.observe(.url, text("url"), name: "url.url_string")
        alert.observe(.domain, text("query", "domain", "url_domain"), name: "query.hostname")
        alert.observe(.email, text("recipient"), name: "email.to")
        alert.observe(.email, text("src_user").flatMap { $0.contains("@") ? $0 : nil }, name: "email.from")
        for field in ["file_hash", "sha256", "sha1", "md5", "process_hash"] {
            alert.observe(.hash, text(field), name: "file.hashes.value")
        }
        alert.observe(.file, text("file_name"), name: "file.name")
        alert.observe(.path, text("file_path"), name: "file.path")
        alert.observe(.process, text("process_name", "process"), name: "process.name")
        alert.observe(.commandLine, text("process_exec", "cmdline"), name: "process.cmd_line")
        for technique in record.texts(row + "annotations.mitre_attack")
            + record.texts(row + "annotations.mitre_attack.mitre_technique_id")
        where technique.first == "T" {
            alert.attack(technique: technique)
        }
        alert.set("device", OCSFObjects.device(hostname: host, ip: destinationIP))
        if let evidence = OCSFObjects.evidence([
            ("src_endpoint", OCSFObjects.endpoint(ip: sourceIP, hostname: sourceHost)),
            ("dst_endpoint", OCSFObjects.endpoint(ip: destinationIP, hostname: host)),
            ("user", OCSFObjects.user(name: user)),
        ]) {
            alert.set("evidences", .array([evidence]))
        }
        if let link = record.record["results_link"]?.nonEmptyText, link.hasHTTPScheme {
            alert.set("src_url", .string(link))
        }
        return alert
    }

    /// A value that is an IP address, else nil.
    static func address(_ value: String) -> String? {
        IPAddressShape.isIPv4(value) || IPAddressShape.isIPv6(value) ? value : nil
    }

    /// A value that names a host (not an address, not `unknown`), else nil.
    static func name(_ value: String) -> String? {
        guard address(value) == nil, !["unknown", "n/a", "-"].contains(value.lowercased()) else { return nil }
        return value
    }

    /// ES titles carry `$field$` tokens (`Root user use on $dest$`) that the console fills from the notable's own
    /// fields; filled the same way here, a token without a value left as written.
    static func substituted(_ title: String, from record: JSONValue, row: String) -> String {
        guard title.contains("$") else { return title }
        var result = ""
        var rest = title[...]
        while let start = rest.firstIndex(of: "$") {
            let afterStart = rest.index(after: start)
            guard let end = rest[afterStart...].firstIndex(of: "$") else { break }
            let name = rest[afterStart..<end]
            result += rest[..<start]
            if !name.isEmpty, let value = record[row + name]?.nonEmptyText {
                result += value
            } else {
                result += rest[start...end]
            }
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }
}
