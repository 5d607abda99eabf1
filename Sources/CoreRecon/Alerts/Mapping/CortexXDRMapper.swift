import Foundation

/// Palo Alto Networks Cortex XDR (and XSIAM, which shares the API), from the public API:
/// - alerts (`/public_api/v1/alerts/get_alerts_multi_events` and v2): `alert_id`, `name`, `severity`,
///   `detection_timestamp` (epoch ms), `source` (XDR Agent, XDR Analytics, PAN NGFW, or a third-party
///   "Vendor - Product"). Event fields (`host_name`, `user_name`, `actor_process_*`, `action_file_*`,
///   `action_local_ip`, `action_remote_ip`, ...) sit in `events[]` in v1 and on the alert itself, as lists of the
///   distinct values, in v2; both are read.
/// - incidents (`/public_api/v1/incidents/get_incidents`, `get_incident_extra_data`): `incident_id`,
///   `description`, `severity`, `manual_severity`, `creation_time`, `hosts` (`name:endpoint_id`), `users`.
///
/// Replies (`{"reply": {"alerts": [...]}}`, `{"reply": {"incidents": [...]}}`, extra data) are split by ingest,
/// a record an alert or incident. Severity: the words low, medium, high, critical, informational (also in the
/// `SEV_040_HIGH` form of other endpoints); an analyst's `manual_severity` wins on incidents. ATT&CK: the
/// `"T1059.001 - Command and Scripting Interpreter: PowerShell"` strings of `mitre_technique_id_and_name`.
public enum CortexXDRMapper: AlertMapper {
    public static func recognizes(_ record: JSONValue) -> Bool {
        guard record.members != nil else { return false }
        if record[key: "alert_id"] != nil {
            return record[key: "detection_timestamp"] != nil
                && (record[key: "action_pretty"] != nil || record[key: "matching_status"] != nil
                    || record[key: "resolution_status"] != nil || record[key: "mitre_technique_id_and_name"] != nil)
        }
        if record[key: "incident_id"] != nil {
            return record[key: "xdr_url"] != nil || record[key: "med_severity_alert_count"] != nil
                || record[key: "incident_sources"] != nil
        }
        return false
    }

    public static func map(_ record: FieldReader) throws(MappingError) -> MappedAlert {
        if record.record[key: "alert_id"] != nil { return try mapAlert(record) }
        return try mapIncident(record)
    }

    // MARK: - Alerts

    static func mapAlert(_ record: FieldReader) throws(MappingError) -> MappedAlert {
        let description = record.record[key: "description"]?.nonEmptyText
        guard let title = record.text("name") ?? description else {
            throw MappingError(field: "name", "missing; a Cortex XDR alert is named by `name` or `description`")
        }
        if description != nil { record.consume("description") }
        let word = record.text("severity")
        var alert = MappedAlert(
            format: .cortexxdr, product: "Cortex XDR", vendor: "Palo Alto Networks", title: title,
            severity: word.flatMap(severity) ?? .unknown)
        alert.sourceSeverity = word
        alert.sourceID = record.text("alert_id")
        alert.description = description == title ? nil : description
        alert.time = record.time("detection_timestamp", "local_insert_ts")
        alert.ruleUID = record.text("matching_service_rule_id", "bioc_indicator")
        alert.ruleName = title
        // The detector: one of Cortex's own engines, or a third-party product whose alerts Cortex collected.
        let detector = record.text("source")
        alert.types = MappingText.unique([record.text("category"), detector].compactMap { $0 })
        attacks(record, techniques: "mitre_technique_id_and_name", tactics: "mitre_tactic_id_and_name", into: &alert)

        let host = record.text("host_name", "events.host_name", "agent_fqdn")
        let account = record.text("user_name", "events.user_name", "os_actor_effective_username").map(
            MappingText.splitAccount)
        let hostIPs = MappingText.unique(
            (record.texts("host_ip") + record.texts("events.host_ip")).flatMap(MappingText.splitList))
        let localIP = record.text("action_local_ip", "events.action_local_ip")
        let remoteIP = record.text("action_remote_ip", "events.action_remote_ip")
        alert.identify(host: host, user: account?.name, sourceIP: localIP, destinationIP: remoteIP)
        for address in hostIPs { alert.observe(.ip, address, name: "device.ip") }
        alert.observe(
            .domain, record.text("action_external_hostname", "events.action_external_hostname"),
            name: "dst_endpoint.hostname")
        alert.observe(.domain, record.text("dns_query_name", "events.dns_query_name"), name: "query.hostname")

        var processes: [JSONValue] = []
        for prefix in ["actor_process", "causality_actor_process", "os_actor_process", "action_process"] {
            let name = record.text("\(prefix)_image_name", "events.\(prefix)_image_name")
            let path = record.text("\(prefix)_image_path", "events.\(prefix)_image_path")
            let commandLine = record.text("\(prefix)_command_line", "events.\(prefix)_command_line")
            let sha256 = record.text("\(prefix)_image_sha256", "events.\(prefix)_image_sha256")
            let md5 = record.text("\(prefix)_image_md5", "events.\(prefix)_image_md5")
            let field = prefix == "actor_process" ? "process" : "\(prefix).process"
            alert.observe(.process, name ?? path.map(OCSFObjects.lastPathComponent), name: "\(field).name")
            alert.observe(.commandLine, commandLine, name: "\(field).cmd_line")
            alert.observe(.hash, sha256, name: "\(field).file.hashes.value")
            alert.observe(.hash, md5, name: "\(field).file.hashes.value")
            if prefix == "actor_process" || prefix == "causality_actor_process",
                let process = OCSFObjects.process(
                    name: name ?? path.map(OCSFObjects.lastPathComponent),
                    pid: record.int("\(prefix)_os_pid", "events.\(prefix)_os_pid"), commandLine: commandLine,
                    path: path)
            {
                processes.append(process)
            }
        }
        let filePath = record.text("action_file_path", "events.action_file_path")
        let fileName =
            record.text("action_file_name", "events.action_file_name") ?? filePath.map(OCSFObjects.lastPathComponent)
        let fileSHA256 = record.text("action_file_sha256", "events.action_file_sha256")
        let fileMD5 = record.text("action_file_md5", "events.action_file_md5")
        alert.observe(.file, fileName, name: "file.name")
        alert.observe(.path, filePath, name: "file.path")
        alert.observe(.hash, fileSHA256, name: "file.hashes.value")
        alert.observe(.hash, fileMD5, name: "file.hashes.value")
        alert.observe(
            .path, record.text("action_registry_key_name", "events.action_registry_key_name"), name: "reg_key.path")

        alert.set(
            "device",
            OCSFObjects.device(
                hostname: host, ip: hostIPs.first, uid: record.text("endpoint_id"),
                os: record.text("agent_os_type").flatMap { $0 == "NO_HOST" ? nil : $0 }))
        let file = OCSFObjects.file(name: fileName, path: filePath, md5: fileMD5, sha256: fileSHA256)
        let user = OCSFObjects.user(name: account?.name, domain: account?.domain)
        let source = OCSFObjects.endpoint(
            ip: localIP, port: record.int("action_local_port", "events.action_local_port"))
        let destination = OCSFObjects.endpoint(
            ip: remoteIP, port: record.int("action_remote_port", "events.action_remote_port"))
        if let evidence = OCSFObjects.evidence([
            ("process", processes.first), ("file", file), ("user", user), ("src_endpoint", source),
            ("dst_endpoint", destination),
        ]) {
            alert.set("evidences", .array([evidence]))
        }
        // BLOCKED, BLOCKED_9 ("Prevented (Blocked)"); DETECTED and REPORTED let it run.
        if let action = record.text("action")?.uppercased() {
            if action.hasPrefix("BLOCKED") || action.hasPrefix("PREVENTED") {
                alert.set("action_id", .int(2))
                alert.set("action", .string("Denied"))
            } else if action.hasPrefix("DETECTED") || action.hasPrefix("REPORTED") {
                alert.set("action_id", .int(1))
                alert.set("action", .string("Allowed"))
            }
        }
        return alert
    }

    // MARK: - Incidents

    static func mapIncident(_ record: FieldReader) throws(MappingError) -> MappedAlert {
        guard let id = record.text("incident_id") else {
            throw MappingError(field: "incident_id", "missing; a Cortex XDR record is an alert or an incident")
        }
        let description = record.text("manual_description", "description")
        let title = record.text("incident_name") ?? description ?? "Cortex XDR incident \(id)"
        let manual = record.text("manual_severity")
        let word = manual ?? record.text("severity")
        if manual != nil { record.consume("severity") }
        var alert = MappedAlert(
            format: .cortexxdr, product: "Cortex XDR", vendor: "Palo Alto Networks", title: title,
            severity: word.flatMap(severity) ?? .unknown)
        alert.sourceSeverity = word
        alert.description = description == title ? nil : description
        // An incident comes back each time it changes; each version is a delivery that dedup folds into one alert.
        alert.sourceID = "incident:" + [id, record.text("modification_time")].compactMap { $0 }.joined(separator: ":")
        alert.time = record.time("detection_time", "creation_time")
        alert.types = MappingText.unique(record.texts("alert_categories") + record.texts("incident_sources"))
        attacks(
            record, techniques: "mitre_techniques_ids_and_names", tactics: "mitre_tactics_ids_and_names", into: &alert)
        // `hosts` are "name:endpoint_id".
        let hosts = record.texts("hosts").map { host in
            host.split(separator: ":", maxSplits: 1).first.map(String.init) ?? host
        }
        let users = record.texts("users").map(MappingText.splitAccount)
        alert.entities = Entities(host: hosts.first, user: users.first?.name)
        for host in hosts { alert.observe(.hostname, host, name: "device.hostname") }
        for user in users { alert.observe(.user, user.name, name: "actor.user.name") }
        alert.set("src_url", record.text("xdr_url").map(JSONValue.string))
        alert.set("count", record.int("alert_count").map(JSONValue.int))
        alert.set("device", OCSFObjects.device(hostname: hosts.first))
        return alert
    }

    // MARK: - Shared pieces

    /// low, medium, high, critical, informational; `SEV_040_HIGH`; `unknown`.
    static func severity(_ word: String) -> Severity? {
        var text = word.trimmingWhitespace
        if text.uppercased().hasPrefix("SEV_"), let last = text.split(separator: "_").last { text = String(last) }
        return SeverityScale.fromWord(text)
    }

    /// `"T1059.001 - Command and Scripting Interpreter: PowerShell"` and `"TA0002 - Execution"` lists. Cortex does
    /// not say which technique goes with which tactic; with one tactic, every technique goes with it.
    static func attacks(_ record: FieldReader, techniques: String, tactics: String, into alert: inout MappedAlert) {
        let techniqueList = (record.texts(techniques) + record.texts("events.\(techniques)")).compactMap(attackEntry)
        let tacticList = (record.texts(tactics) + record.texts("events.\(tactics)")).compactMap(attackEntry)
        let onlyTactic = tacticList.count == 1 ? tacticList.first : nil
        for technique in techniqueList {
            alert.attack(
                technique: technique.id, name: technique.name, tactic: onlyTactic?.id, tacticName: onlyTactic?.name)
        }
        if onlyTactic == nil || techniqueList.isEmpty {
            for tactic in tacticList { alert.attack(technique: nil, tactic: tactic.id, tacticName: tactic.name) }
        }
    }

    /// "T1048 - Exfiltration Over Alternative Protocol" → ("T1048", "Exfiltration Over Alternative Protocol").
    static func attackEntry(_ text: String) -> (id: String, name: String?)? {
        let parts = text.components(separatedBy: " - ")
        let id = parts[0].trimmingWhitespace.uppercased()
        guard MappingText.isAttackID(id) else { return nil }
        let name = parts.dropFirst().joined(separator: " - ").trimmingWhitespace
        return (id, name.isEmpty ? nil : name)
    }

}
