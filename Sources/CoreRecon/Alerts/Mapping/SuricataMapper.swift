/// Suricata EVE JSON `alert` events (https://docs.suricata.io/en/latest/output/eve/eve-json-format.html).
///
/// Severity: `alert.severity` is the rule priority, 1 (highest) to 3 (and up): 1 → High, 2 → Medium, 3 → Low,
/// 4+ → Informational; an ET/Proofpoint `signature_severity` of Critical raises it to Critical.
public enum SuricataMapper: AlertMapper {
    public static func recognizes(_ record: JSONValue) -> Bool {
        record[key: "event_type"]?.text == "alert" && record[key: "alert"]?.members != nil
    }

    public static func map(_ record: FieldReader) throws(MappingError) -> MappedAlert {
        guard let signature = record.text("alert.signature") else {
            throw MappingError(field: "alert.signature", "missing; a Suricata alert names the rule that fired")
        }
        let priority = record.int("alert.severity")
        var severity: Severity =
            switch priority {
            case 1?: .high
            case 2?: .medium
            case 3?: .low
            case .some: .informational
            case nil: .medium
            }
        let signatureSeverity = record.texts("alert.metadata.signature_severity").first
        if signatureSeverity?.lowercased() == "critical" { severity = .critical }

        var alert = MappedAlert(
            format: .suricata, product: "Suricata", vendor: "OISF", title: signature, severity: severity)
        alert.sourceSeverity = priority.map { "alert.severity \($0)" }
        alert.time = record.time("timestamp")
        let gid = record.text("alert.gid") ?? "1"
        let sid = record.text("alert.signature_id")
        alert.ruleUID = sid.map { "\(gid):\($0)" }
        alert.ruleName = signature
        if let rev = record.text("alert.rev") { alert.ruleName = "\(signature) (rev \(rev))" }
        let category = record.text("alert.category")
        alert.types = category.map { [$0] } ?? []
        alert.description = category.map { "\($0): \(signature)" }
        if let flow = record.record[key: "flow_id"]?.text, let time = record.record[key: "timestamp"]?.text, let sid {
            // A flow, a rule and the packet's timestamp identify one alert; re-sent EVE lines match exactly.
            alert.sourceID = "\(flow):\(time):\(gid):\(sid)"
        }
        record.consume("flow_id")

        let sourceIP = record.text("src_ip")
        let destinationIP = record.text("dest_ip")
        let sourcePort = record.int("src_port")
        let destinationPort = record.int("dest_port")
        let sensor = record.text("host")
        alert.entities = Entities(host: sensor, sourceIP: sourceIP, destinationIP: destinationIP)
        alert.observe(.ip, sourceIP, name: "src_endpoint.ip")
        alert.observe(.ip, destinationIP, name: "dst_endpoint.ip")

        let httpHost = record.text("http.hostname")
        alert.observe(.domain, httpHost, name: "http_request.url.hostname")
        if let path = record.text("http.url") {
            let url = path.hasPrefix("/") ? "http://\(httpHost ?? destinationIP ?? "")\(path)" : path
            alert.observe(.url, url, name: "http_request.url.url_string")
        }
        alert.observe(.domain, record.text("tls.sni"), name: "tls.sni")
        for query in record.texts("dns.query.rrname") + record.texts("dns.rrname") {
            alert.observe(.domain, query, name: "query.hostname")
        }
        let fileName = record.text("fileinfo.filename")
        alert.observe(.file, fileName, name: "file.name")
        let md5 = record.text("fileinfo.md5"), sha1 = record.text("fileinfo.sha1"),
            sha256 = record.text("fileinfo.sha256")
        for hash in [sha256, sha1, md5] { alert.observe(.hash, hash, name: "file.hashes.value") }
        for address in record.texts("email.from") { alert.observe(.email, address, name: "email.from") }

        // ET rules carry ATT&CK ids in metadata: parallel arrays of tactic and technique ids and names.
        let techniqueIDs = record.texts("alert.metadata.mitre_technique_id")
        let techniqueNames = record.texts("alert.metadata.mitre_technique_name")
        let tacticIDs = record.texts("alert.metadata.mitre_tactic_id")
        let tacticNames = record.texts("alert.metadata.mitre_tactic_name")
        for (index, technique) in techniqueIDs.enumerated() {
            alert.attack(
                technique: technique,
                name: techniqueNames[safe: index].map { $0.replacingOccurrences(of: "_", with: " ") },
                tactic: tacticIDs[safe: index] ?? tacticIDs.first,
                tacticName: (tacticNames[safe: index] ?? tacticNames.first).map {
                    $0.replacingOccurrences(of: "_", with: " ")
                }
            )
        }

        let source = OCSFObjects.endpoint(ip: sourceIP, port: sourcePort)
        let destination = OCSFObjects.endpoint(ip: destinationIP, port: destinationPort)
        let connection = JSONValue.compactObject([
            ("protocol_name", record.text("proto").map { .string($0.lowercased()) })
        ])
        // A Detection Finding has no top-level endpoints: they belong to the evidence.
        alert.set("device", OCSFObjects.device(hostname: sensor))
        let file = OCSFObjects.file(name: fileName, md5: md5, sha1: sha1, sha256: sha256)
        if let evidence = OCSFObjects.evidence([
            ("src_endpoint", source), ("dst_endpoint", destination), ("connection_info", connection), ("file", file),
        ]) {
            alert.set("evidences", .array([evidence]))
        }
        switch record.text("alert.action")?.lowercased() {
        case "allowed"?: alert.set("action_id", .int(1)); alert.set("action", .string("Allowed"))
        case "blocked"?: alert.set("action_id", .int(2)); alert.set("action", .string("Denied"))
        default: break
        }
        record.consume("event_type")
        return alert
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
