/// Wazuh alerts as the manager writes them to `alerts.json`, one JSON object a line
/// (https://documentation.wazuh.com/current/user-manual/manager/alert-management.html, rule fields in
/// https://documentation.wazuh.com/current/user-manual/ruleset/ruleset-xml-syntax/rules.html), bare or as a
/// Wazuh indexer search hit (`_source`).
///
/// Severity: `rule.level` 0–15: 0–3 → Informational, 4–6 → Low, 7–11 → Medium, 12–14 → High, 15 → Critical.
public enum WazuhMapper: AlertMapper {
    static let envelopes: [DocumentEnvelope] = [.bare, .searchHit]

    public static func recognizes(_ record: JSONValue) -> Bool {
        envelope(of: record) != nil
    }

    static func envelope(of record: JSONValue) -> DocumentEnvelope? {
        envelopes.first { envelope in
            guard let document = envelope.document(in: record), document["rule.level"]?.int != nil else {
                return false
            }
            return document.containsPath("agent") || document.containsPath("manager")
                || document.containsPath("decoder")
        }
    }

    public static func map(_ reader: FieldReader) throws(MappingError) -> MappedAlert {
        let record = EnvelopedDocument(reader, envelope(of: reader.record) ?? .bare)
        guard let title = record.text("rule.description") else {
            throw MappingError(field: "rule.description", "missing; a Wazuh alert describes the rule that fired")
        }
        let level = record.int("rule.level")
        var alert = MappedAlert(
            format: .wazuh, product: "Wazuh", vendor: "Wazuh", title: title,
            severity: level.map(severity(level:)) ?? .unknown)
        alert.sourceSeverity = level.map { "rule.level \($0)" }
        alert.time = record.time("timestamp", "@timestamp")
        alert.sourceID = record.text("id") ?? record.envelopeID()
        alert.ruleUID = record.text("rule.id")
        alert.ruleName = title
        alert.types = record.texts("rule.groups")

        // Without an agent, the manager raised the alert about itself.
        let host = record.text("agent.name", "manager.name")
        let hostIP = record.text("agent.ip").flatMap { NetworkAddress.preferred([$0]) }
        let targetUser = userName(record.text("data.dstuser"))
        let actingUser = userName(record.text("data.srcuser"))
        let windowsTarget = record.text("data.win.eventdata.targetUserName")
        let sysmonUser = record.text("data.win.eventdata.user")
        let user = targetUser ?? actingUser ?? windowsTarget ?? sysmonUser
        // Snort fast.log and some syslog decoders leave the port on the address.
        let (sourceIP, sourcePortInAddress) = NetworkAddress.split(
            record.text("data.srcip", "data.src_ip", "data.win.eventdata.ipAddress", "data.win.eventdata.sourceIp"))
        let (destinationIP, destinationPortInAddress) = NetworkAddress.split(
            record.text("data.dstip", "data.dest_ip", "data.win.eventdata.destinationIp"))
        alert.entities = Entities(host: host, user: user, sourceIP: sourceIP, destinationIP: destinationIP)
        alert.observe(.hostname, host, name: "device.hostname")
        alert.observe(.ip, hostIP, name: "device.ip")
        alert.observe(.user, targetUser, name: "user.name")
        alert.observe(.user, windowsTarget, name: "user.name")
        alert.observe(.user, actingUser, name: "actor.user.name")
        alert.observe(.user, sysmonUser, name: "actor.user.name")
        alert.observe(.ip, sourceIP, name: "src_endpoint.ip")
        alert.observe(.ip, destinationIP, name: "dst_endpoint.ip")

        let filePath = record.text(
            "syscheck.path", "data.win.eventdata.targetFilename",
            "data.virustotal.source.file")
        let md5 = record.text("syscheck.md5_after", "data.virustotal.source.md5")
        let sha1 = record.text("syscheck.sha1_after", "data.virustotal.source.sha1")
        let sha256 = record.text("syscheck.sha256_after")
        alert.observe(.path, filePath, name: "file.path")
        for hash in [sha256, sha1, md5] { alert.observe(.hash, hash, name: "file.hashes.value") }

        let httpHost = record.text("data.http.hostname")
        alert.observe(.domain, httpHost, name: "http_request.url.hostname")
        alert.observe(.url, record.text("data.url"), name: "url.url_string")
        if let path = record.text("data.http.url") {
            let url = path.hasPrefix("/") ? "http://\(httpHost ?? destinationIP ?? "")\(path)" : path
            alert.observe(.url, url, name: "http_request.url.url_string")
        }
        alert.observe(.domain, record.text("data.win.eventdata.queryName"), name: "query.hostname")

        let image = record.text("data.win.eventdata.image")
        let commandLine = record.text("data.win.eventdata.commandLine", "data.command")
        alert.observe(.process, image?.pathFileName, name: "process.name")
        alert.observe(.path, image, name: "process.file.path")
        alert.observe(.commandLine, commandLine, name: "process.cmd_line")
        let processHashes = sysmonHashes(record.text("data.win.eventdata.hashes"))
        for algorithm in ["SHA256", "SHA1", "MD5"] {
            alert.observe(.hash, processHashes[algorithm], name: "process.file.hashes.value")
        }

        let ids = record.texts("rule.mitre.id")
        let names = record.texts("rule.mitre.technique")
        let techniques = ids.enumerated().map { (id: $1, name: names[safe: $0]) }
        // Tactics are names, one list for all of the rule's techniques.
        for (technique, tactic) in techniques.paired(with: record.texts("rule.mitre.tactic")) {
            if let technique {
                alert.attack(technique: technique.id, name: technique.name, tacticName: tactic)
            } else if let tactic, !alert.attacks.contains(Attack(tacticName: tactic)) {
                // A tactic no technique could be paired with: `attack(...)` wants an id, and Wazuh gives names.
                alert.attacks.append(Attack(tacticName: tactic))
            }
        }

        let source = OCSFObjects.endpoint(
            ip: sourceIP,
            port: record.int("data.srcport", "data.src_port", "data.win.eventdata.sourcePort")
                ?? sourcePortInAddress)
        let destination = OCSFObjects.endpoint(
            ip: destinationIP,
            port: record.int("data.dstport", "data.dest_port", "data.win.eventdata.destinationPort")
                ?? destinationPortInAddress)
        let connection = JSONValue.compactObject([
            ("protocol_name", record.text("data.protocol", "data.proto").map { .string($0.lowercased()) })
        ])
        let file = OCSFObjects.file(name: nil, path: filePath, md5: md5, sha1: sha1, sha256: sha256)
        var process: JSONValue?
        if image != nil || commandLine != nil {
            process = OCSFObjects.process(
                name: nil, pid: record.int("data.win.eventdata.processId"),
                commandLine: commandLine, path: image, user: sysmonUser)
        }
        alert.set("device", OCSFObjects.device(hostname: host, ip: hostIP, uid: record.text("agent.id")))
        if let evidence = OCSFObjects.evidence([
            ("src_endpoint", source), ("dst_endpoint", destination), ("connection_info", connection),
            ("file", file), ("process", process), ("user", OCSFObjects.user(name: user)),
        ]) {
            alert.set("evidences", .array([evidence]))
        }
        return alert
    }

    static func severity(level: Int) -> Severity {
        switch level {
        case ..<4: .informational
        case ..<7: .low
        case ..<12: .medium
        case ..<15: .high
        default: .critical
        }
    }

    /// Dovecot's decoder keeps the brackets of `user=<name>`; the account must correlate with other sources.
    static func userName(_ text: String?) -> String? {
        guard let text else { return nil }
        guard text.count > 2, text.hasPrefix("<"), text.hasSuffix(">") else { return text }
        let name = String(text.dropFirst().dropLast()).trimmingWhitespace
        return name.isEmpty ? nil : name
    }

    /// Sysmon writes every configured hash into one field: `SHA1=…,MD5=…,SHA256=…,IMPHASH=…`.
    static func sysmonHashes(_ text: String?) -> [String: String] {
        var hashes: [String: String] = [:]
        for part in (text ?? "").split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            hashes[String(pair[0]).trimmingWhitespace.uppercased()] = String(pair[1]).trimmingWhitespace
        }
        return hashes
    }
}
