import Foundation

/// Google Security Operations (SecOps, formerly Chronicle) rule detections, as the Detection Engine API returns
/// them (`ListDetections`, `StreamDetectionAlerts`, `legacySearchDetections`, `legacyGetDetection`): `id`
/// (`de_...`), `type` (RULE_DETECTION for a customer's YARA-L rule, GCTI_FINDING for a Google curated one),
/// `detection[]` (`ruleName`, `ruleId`, `ruleLabels`, `severity`, `riskScore`, `outcomes`), `detectionTime`, and the
/// UDM events that matched in `collectionElements[].references[].event`.
///
/// Pages (`{"detections": [...], "nextPageToken": ...}`) and stream batches (`{"continuationTime": ...,
/// "detections": [...]}`) are split by ingest; heartbeats are skipped.
///
/// Severity, first found: the detection's `severity` (curated rules: INFORMATIONAL, LOW, MEDIUM, HIGH,
/// CRITICAL); the rule's `meta:` label `severity` ("High", "Medium", ...); `riskScore` or the `risk_score` outcome
/// as a 0–100 score. ATT&CK: curated detections' `tags` (TA0003, T1485) and the rule labels `tactic`,
/// `technique`, `mitre_attack_tactic` and `mitre_attack_technique` when they hold ATT&CK ids.
public enum ChronicleMapper: AlertMapper {
    public static func recognizes(_ record: JSONValue) -> Bool {
        guard let first = record[key: "detection"]?.arrayValue?.first, first[key: "ruleName"] != nil else {
            return false
        }
        return record[key: "id"]?.text?.hasPrefix("de_") == true || record[key: "collectionElements"] != nil
            || record[key: "type"]?.text == "RULE_DETECTION" || record[key: "type"]?.text == "GCTI_FINDING"
    }

    public static func map(_ record: FieldReader) throws(MappingError) -> MappedAlert {
        guard let ruleName = record.text("detection.ruleName") else {
            throw MappingError(field: "detection.ruleName", "missing; a detection names the rule that fired")
        }
        let labels = keyValues(record.values("detection.ruleLabels"))
        record.consume("detection.ruleLabels")
        let outcomes = keyValues(record.values("detection.outcomes"))
        // A customer rule's name is an identifier (`suspicious_powershell_download`); its meta label may say it in
        // words.
        let title = labels["rule_name"] ?? labels["title"] ?? ruleName

        var severity = Severity.unknown
        var sourceSeverity: String?
        if let word = record.text("detection.severity"), let level = SeverityScale.fromWord(word) {
            (severity, sourceSeverity) = (level, word)
        } else if let word = labels["severity"], let level = SeverityScale.fromWord(word) {
            (severity, sourceSeverity) = (level, "severity label \(word)")
        } else if let score = record.double("detection.riskScore") ?? outcomes["risk_score"].flatMap(Double.init) {
            (severity, sourceSeverity) = (SeverityScale.fromHundred(score), "riskScore \(Int(score))")
        }
        var alert = MappedAlert(
            format: .chronicle, product: "Google SecOps", vendor: "Google", title: title, severity: severity)
        alert.sourceSeverity = sourceSeverity
        let ruleID = record.text("detection.ruleId")
        // One detection per rule; Google's own samples reuse a detection id across rules.
        alert.sourceID = [record.text("id"), ruleID].compactMap { $0 }.joined(separator: ":")
        if alert.sourceID?.isEmpty == true { alert.sourceID = nil }
        alert.time = record.time("detectionTime", "timeWindow.endTime", "createdTime")
        alert.ruleUID = ruleID
        alert.ruleName = ruleName
        alert.description = record.text("detection.description") ?? labels["description"]
        alert.types = MappingText.unique(
            [record.text("detection.ruleSetDisplayName"), labels["type"], record.text("detection.ruleType")]
                .compactMap { $0 })
        alert.set("src_url", record.text("detection.urlBackToProduct").map(JSONValue.string))

        // ATT&CK ids from curated tags and rule labels; names alone are left in the labels.
        var attackIDs = record.texts("tags")
        for key in ["tactic", "technique", "mitre_attack_tactic", "mitre_attack_technique"] {
            attackIDs += (labels[key] ?? "").split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
        }
        for id in MappingText.unique(attackIDs.map { $0.uppercased() }) where MappingText.isAttackID(id) {
            if id.hasPrefix("TA") {
                alert.attack(technique: nil, tactic: id)
            } else {
                alert.attack(technique: id)
            }
        }

        // The matched UDM events: who did what to what.
        let events = "collectionElements.references.event."
        let host = record.text(events + "principal.hostname", events + "principal.asset.hostname")
        let user = record.text(
            events + "principal.user.userid", events + "principal.user.emailAddresses", events + "target.user.userid")
        let sourceIP = record.text(events + "principal.ip", events + "principal.asset.ip")
        let destinationIP = record.text(events + "target.ip", events + "target.asset.ip")
        alert.identify(host: host, user: user, sourceIP: sourceIP, destinationIP: destinationIP)
        for path in ["principal.hostname", "target.hostname", "principal.asset.hostname", "target.asset.hostname"] {
            for value in record.texts(events + path) { alert.observe(.hostname, value, name: "device.hostname") }
        }
        for path in ["principal.ip", "target.ip", "src.ip", "principal.asset.ip", "target.asset.ip"] {
            for value in record.texts(events + path) { alert.observe(.ip, value, name: "\(path)") }
        }
        for path in ["principal.user.userid", "target.user.userid", "principal.user.userDisplayName"] {
            for value in record.texts(events + path) { alert.observe(.user, value, name: "actor.user.name") }
        }
        for path in [
            "principal.user.emailAddresses", "target.user.emailAddresses", "network.email.from", "network.email.to",
        ] {
            for value in record.texts(events + path) { alert.observe(.email, value, name: "\(path)") }
        }
        for path in [
            "target.file.sha256", "target.file.sha1", "target.file.md5", "principal.process.file.sha256",
            "target.process.file.sha256",
        ] {
            for value in record.texts(events + path) { alert.observe(.hash, value, name: "file.hashes.value") }
        }
        for path in ["target.file.fullPath", "target.process.file.fullPath", "principal.process.file.fullPath"] {
            for value in record.texts(events + path) { alert.observe(.path, value, name: "file.path") }
        }
        for path in ["principal.process.commandLine", "target.process.commandLine"] {
            for value in record.texts(events + path) { alert.observe(.commandLine, value, name: "process.cmd_line") }
        }
        for value in record.texts(events + "target.url") { alert.observe(.url, value, name: "url") }
        for value in record.texts(events + "network.dns.questions.name") {
            alert.observe(.domain, value, name: "query.hostname")
        }
        for value in record.texts(events + "target.domain.name") { alert.observe(.domain, value, name: "domain") }
        // The rule's own match variables and outcomes often name the entities too (`principal_hostname`, `ip`).
        var scan = ObservableScan(remaining: 512)
        for (key, value) in keyValues(record.values("detection.detectionFields")).sorted(by: { $0.key < $1.key }) {
            scan.scan(.string(value), key: key, depth: 0, into: &alert)
        }
        for (key, value) in outcomes.sorted(by: { $0.key < $1.key }) {
            scan.scan(.string(value), key: key, depth: 0, into: &alert)
        }

        let product = record.text(events + "metadata.productName")
        alert.set(
            "device",
            OCSFObjects.device(hostname: host, ip: sourceIP, uid: record.text(events + "principal.asset.assetId")))
        if let product { alert.types = MappingText.unique(alert.types + ["Log source: \(product)"]) }
        return alert
    }

    /// `[{"key": "severity", "value": "High"}, ...]` as a dictionary (the first value of a key wins).
    static func keyValues(_ entries: [JSONValue]) -> [String: String] {
        var result: [String: String] = [:]
        for entry in entries {
            for item in entry.arrayValue ?? [entry] {
                guard let key = item[key: "key"]?.nonEmptyText?.lowercased(), result[key] == nil,
                    let value = item[key: "value"]?.nonEmptyText
                else { continue }
                result[key] = value
            }
        }
        return result
    }
}
