import Foundation

/// Sophos Central, from its public APIs:
/// - Common API alerts (`GET /common/v1/alerts`): `id`, `description`, `severity` (low, medium, high), `raisedAt`,
///   `type` (`Event::Endpoint::Threat::CleanupFailed`), `category`, `product`, `managedAgent`, `person`.
/// - SIEM Integration API alerts and events (`/siem/v1/alerts`, `/siem/v1/events`), as the API returns them and as
///   Sophos's own `siem.py` writes them out (`rt`, `end`, `dhost`, `suser`, `filePath`): `id`, `name` (events) or
///   `description` (alerts), `severity` (low, medium, high; the script also knows none and very_high), `when`,
///   `created_at`, `type`, `location` (the host), `source` (`DOMAIN\user`), `source_info.ip`, `threat`,
///   `endpoint_id`.
/// - XDR detections (`/detections/v1/queries/detections` results): `id`, `detectionRule`, `ruleDescription`,
///   `severity` (0–10), `time`, `device.entity` (the host), `sensor`, `mitreAttacks[].tactic.techniques[]`,
///   `rawData` (`meta_hostname`, `process_sha256`, `process_cmd_line`, ...).
///
/// Pages (`{"items": [...], "pages": {...}}`, `{"items": [...], "has_more": ...}`) are split by ingest. Threat
/// records name the threat and the file in their text (`Malware detected: 'Eicar-AV-Test' at 'C:\...'`); both are
/// taken from it.
public enum SophosMapper: AlertMapper {
    public static func recognizes(_ record: JSONValue) -> Bool {
        guard record.members != nil else { return false }
        if let type = record[key: "type"]?.text, type.hasPrefix("Event::") {
            return record[key: "raisedAt"] != nil || record[key: "customer_id"] != nil
                || record[key: "endpoint_id"] != nil || record[key: "managedAgent"] != nil
        }
        if record[key: "raisedAt"] != nil, record[key: "groupKey"] != nil || record[key: "allowedActions"] != nil {
            return true
        }
        return record[key: "detectionRule"] != nil && record[key: "sensor"]?.members != nil
            && record[key: "device"]?.members != nil
    }

    public static func map(_ record: FieldReader) throws(MappingError) -> MappedAlert {
        let raw = record.record
        if raw[key: "detectionRule"] != nil, raw[key: "sensor"] != nil { return try mapDetection(record) }
        if raw[key: "raisedAt"] != nil { return try mapCommonAlert(record) }
        return try mapSIEM(record)
    }

    // MARK: - Common API alerts

    static func mapCommonAlert(_ record: FieldReader) throws(MappingError) -> MappedAlert {
        guard let title = record.text("description") ?? record.text("type") else {
            throw MappingError(field: "description", "missing; a Sophos alert says what happened in its description")
        }
        let word = record.text("severity")
        var alert = MappedAlert(
            format: .sophos, product: "Sophos Central", vendor: "Sophos", title: title,
            severity: word.flatMap(severity) ?? .unknown)
        alert.sourceSeverity = word
        alert.sourceID = record.text("id")
        alert.time = record.time("raisedAt")
        alert.types = MappingText.unique(
            [record.text("category"), record.text("type"), record.text("product")].compactMap { $0 })
        let host = record.text("managedAgent.name")
        let user = record.text("person.name")
        alert.identify(host: host, user: user, sourceIP: nil, destinationIP: nil)
        let (threat, path) = threatAndPath(title)
        alert.ruleName = threat
        alert.observe(.path, path, name: "file.path")
        alert.observe(.file, path.map(OCSFObjects.lastPathComponent), name: "file.name")
        alert.set(
            "device",
            OCSFObjects.device(hostname: host, uid: record.text("managedAgent.id")))
        if let file = OCSFObjects.file(name: path.map(OCSFObjects.lastPathComponent), path: path),
            let evidence = OCSFObjects.evidence([
                ("file", file), ("user", OCSFObjects.user(name: user, uid: record.text("person.id"))),
            ])
        {
            alert.set("evidences", .array([evidence]))
        }
        return alert
    }

    // MARK: - SIEM alerts and events

    static func mapSIEM(_ record: FieldReader) throws(MappingError) -> MappedAlert {
        // Events are titled by `name`, alerts by `description`; `siem.py` replaces a threat event's name with the
        // bare threat name and keeps the sentence nowhere, so the type says what happened then.
        guard let text = record.text("name", "description") ?? record.text("type") else {
            throw MappingError(
                field: "name", "missing; a Sophos event or alert says what happened in name or description")
        }
        let word = record.text("severity")
        var alert = MappedAlert(
            format: .sophos, product: "Sophos Central", vendor: "Sophos", title: text,
            severity: word.flatMap(severity) ?? .unknown)
        alert.sourceSeverity = word
        alert.sourceID = record.text("id", "event_service_event_id")
        alert.time = record.time("when", "end", "created_at", "rt")
        let type = record.text("type")
        alert.types = MappingText.unique([record.text("group"), type, record.text("endpoint_type")].compactMap { $0 })
        var (threat, path) = threatAndPath(text)
        threat = record.text("threat", "detection_identity_name") ?? threat
        path = record.text("filePath", "data.core_remedy_items.items.descriptor") ?? path
        alert.ruleName = threat

        let host = record.text("location", "dhost")
        let account = record.text("source", "suser").flatMap { $0.lowercased() == "n/a" ? nil : $0 }
            .map(MappingText.splitAccount)
        let sourceIP = record.text("source_info.ip")
        alert.identify(host: host, user: account?.name, sourceIP: sourceIP, destinationIP: nil)
        alert.observe(.path, path, name: "file.path")
        alert.observe(.file, path.map(OCSFObjects.lastPathComponent), name: "file.name")
        for hash in record.texts("appSha256") + record.texts("data.app_sha256") {
            alert.observe(.hash, hash, name: "file.hashes.value")
        }
        // Network and exploit detections carry their own process and remote address.
        let remoteIP = record.text("data.ips_threat.remote_ip", "ips_threat_data.remoteIp")
        alert.observe(.ip, remoteIP, name: "dst_endpoint.ip")
        let executable = record.text(
            "data.ips_threat.executable_path", "ips_threat_data.executablePath", "data.hmpa_exploit.process_path")
        alert.observe(.path, executable, name: "process.file.path")
        alert.observe(
            .process,
            record.text(
                "data.ips_threat.executable_name", "ips_threat_data.executableName", "data.hmpa_exploit.process_name"),
            name: "process.name")
        alert.set(
            "device",
            OCSFObjects.device(
                hostname: host, ip: sourceIP, uid: record.text("endpoint_id", "data.endpoint_id"),
                os: record.text("data.endpoint_platform")))
        let file = OCSFObjects.file(name: path.map(OCSFObjects.lastPathComponent), path: path)
        let user = OCSFObjects.user(name: account?.name, domain: account?.domain)
        if let evidence = OCSFObjects.evidence([
            ("file", file), ("user", user), ("dst_endpoint", OCSFObjects.endpoint(ip: remoteIP)),
        ]) {
            alert.set("evidences", .array([evidence]))
        }
        // Threats Sophos removed or blocked by itself.
        if let type, type.hasSuffix("::CleanedUp") || type.hasSuffix("Blocked") || type.hasSuffix("Prevented") {
            alert.set("action_id", .int(2))
            alert.set("action", .string("Denied"))
        }
        return alert
    }

    // MARK: - XDR detections

    static func mapDetection(_ record: FieldReader) throws(MappingError) -> MappedAlert {
        guard let rule = record.text("detectionRule") else {
            throw MappingError(field: "detectionRule", "missing; a Sophos detection names its rule")
        }
        let description = record.text("ruleDescription", "detectionDescription.title")
        let score = record.double("severity")
        var alert = MappedAlert(
            format: .sophos, product: "Sophos XDR", vendor: "Sophos", title: description ?? rule,
            // 0 means not yet rated.
            severity: score.map { $0 == 0 ? .unknown : SeverityScale.fromTen($0) } ?? .unknown)
        alert.sourceSeverity = score.map { "\(Int($0))" }
        alert.sourceID = record.text("id")
        alert.time = record.time("time", "sensorGeneratedAt")
        alert.ruleUID = rule
        alert.ruleName = rule
        alert.types = MappingText.unique([record.text("sensor.type"), record.text("sensor.source")].compactMap { $0 })
        for tactic in record.values("mitreAttacks.tactic") {
            let tacticID = tactic[key: "id"]?.nonEmptyText
            let tacticName = tactic[key: "name"]?.nonEmptyText
            let techniques = tactic[key: "techniques"]?.arrayValue ?? []
            if techniques.isEmpty { alert.attack(technique: nil, tactic: tacticID, tacticName: tacticName) }
            for technique in techniques {
                alert.attack(
                    technique: technique[key: "id"]?.nonEmptyText, name: technique[key: "name"]?.nonEmptyText,
                    tactic: tacticID, tacticName: tacticName)
            }
        }
        record.consume("mitreAttacks")
        let host = record.text("device.entity", "rawData.meta_hostname")
        let user = record.text("rawData.meta_username", "rawData.username")
        let sourceIP = record.text("rawData.meta_ip_address", "rawData.source_ip")
        let destinationIP = record.text("rawData.destination_ip", "rawData.remote_ip")
        alert.identify(host: host, user: user, sourceIP: sourceIP, destinationIP: destinationIP)
        let processPath = record.text("rawData.path", "rawData.process_path")
        let commandLine = record.text("rawData.process_cmd_line", "rawData.cmd_line")
        alert.observe(.hash, record.text("rawData.process_sha256", "rawData.sha256"), name: "process.file.hashes.value")
        alert.observe(.path, processPath, name: "process.file.path")
        alert.observe(.commandLine, commandLine, name: "process.cmd_line")
        alert.observe(.domain, record.text("rawData.domain", "rawData.query_name"), name: "query.hostname")
        alert.set("device", OCSFObjects.device(hostname: host, ip: sourceIP, uid: record.text("device.id")))
        if let process = OCSFObjects.process(
            name: processPath.map(OCSFObjects.lastPathComponent), pid: nil, commandLine: commandLine, path: processPath),
            let evidence = OCSFObjects.evidence([("process", process)])
        {
            alert.set("evidences", .array([evidence]))
        }
        return alert
    }

    // MARK: - Shared pieces

    /// low, medium, high; the SIEM script's none and very_high.
    static func severity(_ word: String) -> Severity? {
        switch word.trimmingWhitespace.lowercased() {
        case "very_high", "very high": .critical
        default: SeverityScale.fromWord(word)
        }
    }

    /// `Malware detected: 'Eicar-AV-Test' at 'C:\Program Files\eicar.com'` → ("Eicar-AV-Test", "C:\...").
    static func threatAndPath(_ text: String) -> (threat: String?, path: String?) {
        let quoted = text.split(separator: "'", omittingEmptySubsequences: false)
        // 'a' at 'b' splits into: before, a, " at ", b, after.
        guard quoted.count >= 3 else { return (nil, nil) }
        let threat = String(quoted[1]).trimmingWhitespace
        var path: String?
        if quoted.count >= 5, String(quoted[2]).trimmingWhitespace == "at" {
            path = String(quoted[3]).trimmingWhitespace
        }
        return (threat.isEmpty ? nil : threat, path?.isEmpty == true ? nil : path)
    }
}
