import Foundation

/// CrowdStrike Falcon, in two shapes:
/// - Event Streams API / SIEM Connector records, `{"metadata": {"eventType", "customerIDString", "offset",
///   "eventCreationTime"}, "event": {...}}` (Falcon documentation: "Event streams APIs" and the "Streaming API
///   Event Dictionary"), nested or as `flatjson`;
/// - Alerts API v2 alert entities (`POST /alerts/entities/alerts/v2`, "Alerts APIs").
///
/// Severity: the vendor's word (`SeverityName`, `severity_name`: Informational, Low, Medium, High, Critical) when
/// there is one. Otherwise the number: `DetectionSummaryEvent` and `IdentityProtectionEvent` use 1–5
/// (1 Informational, 2 Low, 3 Medium, 4 High, 5 Critical); the newer events and the Alerts API use 0–100, read
/// with ``SeverityScale/fromHundred(_:)``; an incident's `FineScore` (0–10) with ``SeverityScale/fromTen(_:)``.
/// Stream events that are neither detections nor incidents (audit, remote response, firewall matches, IOC
/// events) map as Informational findings, so a SIEM Connector feed ingests without errors.
public enum CrowdStrikeMapper: AlertMapper {
    /// Event types whose numeric `Severity` is on the original 1–5 scale.
    static let fiveLevelTypes: Set<String> = ["DetectionSummaryEvent", "IdentityProtectionEvent"]

    public static func recognizes(_ record: JSONValue) -> Bool {
        if record["metadata.eventType"]?.text != nil {
            // customerIDString is Falcon's own; offset with eventCreationTime covers feeds that drop the tenant.
            return record["metadata.customerIDString"] != nil
                || (record["metadata.offset"] != nil && record["metadata.eventCreationTime"] != nil)
        }
        guard record[key: "composite_id"]?.text != nil else { return false }
        return record[key: "cid"] != nil || record[key: "falcon_host_link"] != nil || record[key: "pattern_id"] != nil
    }

    public static func map(_ record: FieldReader) throws(MappingError) -> MappedAlert {
        if let eventType = record.record["metadata.eventType"]?.nonEmptyText {
            return try mapStreamEvent(record, eventType: eventType)
        }
        if record.record[key: "composite_id"]?.nonEmptyText != nil {
            return try mapAPIAlert(record)
        }
        throw MappingError(
            field: "metadata.eventType",
            "missing; a Falcon stream record names its event type there (an Alerts API record has a composite_id)"
        )
    }

    // MARK: - Event Streams API

    private enum StreamKind {
        case detection, incident, identityIncident, other
    }

    static func mapStreamEvent(_ record: FieldReader, eventType: String) throws(MappingError) -> MappedAlert {
        let hasEvent =
            record.record[key: "event"]?.members != nil
            || record.record.members?.contains { $0.key.hasPrefix("event.") } == true
        guard hasEvent else {
            throw MappingError(
                field: "event", "missing; a Falcon stream record carries the event's fields in an event object")
        }
        record.consume("metadata.eventType")
        let raw = record.record
        let kind: StreamKind
        if eventType == "IncidentSummaryEvent" {
            kind = .incident
        } else if eventType == "IdentityProtectionEvent" {
            kind = .identityIncident
        } else if eventType.hasSuffix("DetectionSummaryEvent") || eventType.hasSuffix("LeadSummaryEvent")
            || raw["event.DetectId"] != nil || raw["event.CompositeId"] != nil
        {
            kind = .detection
        } else {
            kind = .other
        }

        let displayName = record.text("event.DisplayName")
        let detectName = record.text("event.DetectName")
        let name = record.text("event.Name")
        let title: String
        switch kind {
        case .detection:
            title = displayName ?? detectName ?? name ?? humanized(eventType: eventType)
        case .incident:
            let incidentID = raw["event.IncidentID"]?.nonEmptyText ?? raw["event.IncidentId"]?.nonEmptyText
            title = name ?? ["Falcon incident", incidentID].compactMap { $0 }.joined(separator: " ")
        case .identityIncident:
            let type = record.text("event.IncidentType").map(humanized(constant:))
            title = ["Identity protection incident", type].compactMap { $0 }.joined(separator: ": ")
        case .other:
            let detail =
                firstText(record, ["event.OperationName", "event.RuleName"])
                ?? displayName ?? detectName ?? name
            title = [humanized(eventType: eventType), detail].compactMap { $0 }.joined(separator: ": ")
        }

        let (severity, sourceSeverity) = streamSeverity(record, eventType: eventType, kind: kind)
        var alert = MappedAlert(
            format: .crowdstrike, product: "Falcon", vendor: "CrowdStrike", title: title,
            severity: severity)
        alert.sourceSeverity = sourceSeverity
        alert.time = record.time(
            "metadata.eventCreationTime", "event.UTCTimestamp", "event.Timestamp",
            "event.EventTimestamp")
        alert.description = firstText(
            record,
            [
                "event.DetectDescription", "event.Description",
                "event.IncidentDescription", "event.RuleDescription",
            ])
        alert.sourceID = streamSourceID(record, eventType: eventType)
        switch kind {
        case .detection:
            alert.ruleUID = record.text("event.PatternId") ?? detectName ?? name
            alert.ruleName = name ?? detectName ?? displayName
        case .other:
            alert.ruleUID = record.text("event.RuleId")
            alert.ruleName = record.text("event.RuleName") ?? (alert.ruleUID == nil ? nil : name)
        case .incident, .identityIncident:
            break
        }
        alert.set("src_url", record.text("event.FalconHostLink").map(JSONValue.string))

        // Hosts and accounts: endpoint detections name the computer, identity ones the source endpoint,
        // audit events the console user and the address they came from.
        let host = firstText(
            record,
            [
                "event.ComputerName", "event.Hostname", "event.HostName", "event.HostnameField",
                "event.EndpointName", "event.SourceEndpointHostName",
            ])
        let account = firstText(record, ["event.UserName", "event.SourceAccountName", "event.UserId"]).map(
            MappingText.splitAccount)
        let userDomain =
            account?.domain
            ?? firstText(record, ["event.SourceAccountDomain", "event.LogonDomain"])
        let deviceIP = firstText(record, ["event.LocalIP", "event.EndpointIp"])
        var sourceIP = firstText(record, ["event.SourceEndpointIpAddress", "event.UserIp"])
        var destinationIP: String?
        var sourcePort: Int?
        var destinationPort: Int?
        if eventType == "FirewallMatchEvent" {
            let local = record.text("event.LocalAddress"), remote = record.text("event.RemoteAddress")
            let localPort = record["event.LocalPort"]?.int, remotePort = record["event.RemotePort"]?.int
            // ConnectionDirection 1 is inbound: the remote side started it.
            if record.text("event.ConnectionDirection") == "1" {
                (sourceIP, destinationIP, sourcePort, destinationPort) = (remote, local, remotePort, localPort)
            } else {
                (sourceIP, destinationIP, sourcePort, destinationPort) = (local, remote, localPort, remotePort)
            }
        }
        alert.identify(host: host, user: account?.name, sourceIP: sourceIP, destinationIP: destinationIP)
        alert.observe(.ip, deviceIP, name: "device.ip")
        alert.observe(.hostname, record.text("event.TargetEndpointHostName"), name: "dst_endpoint.hostname")

        // The triggering process and its image file. DetectionSummaryEvent gives FilePath as the directory,
        // the newer events as the full path.
        let fileName = record.text("event.FileName", "event.Filename")
        let filePath =
            fullPath(directory: record.text("event.FilePath"), name: fileName)
            ?? record.text("event.ImageFileName")
        let commandLine = record.text("event.CommandLine")
        let md5 = validHash(record.text("event.MD5String"))
        let sha1 = validHash(record.text("event.SHA1String"))
        var sha256 = validHash(record.text("event.SHA256String"))
        let extraHashes = record.texts("event.SHA256Hashes").flatMap(MappingText.splitList).compactMap(validHash)
        sha256 = sha256 ?? extraHashes.first
        let parentImage = record.text("event.ParentImageFilePath", "event.ParentImageFileName")
        let parent = processObject(
            image: parentImage, commandLine: record.text("event.ParentCommandLine"), pid: nil,
            uid: record.text("event.ParentProcessId"), user: nil, parent: nil)
        let process = processObject(
            image: filePath ?? fileName, commandLine: commandLine, pid: record["event.LocalProcessId"]?.int,
            uid: record.text("event.ProcessId"), user: account?.name, parent: parent)
        alert.observe(.file, fileName ?? filePath.map(lastComponent), name: "file.name")
        alert.observe(.path, filePath, name: "file.path")
        for hash in [sha256, sha1, md5] + extraHashes { alert.observe(.hash, hash, name: "file.hashes.value") }
        alert.observe(.process, fileName ?? filePath.map(lastComponent), name: "process.name")
        alert.observe(.commandLine, commandLine, name: "process.cmd_line")
        alert.observe(.process, parentImage.map(lastComponent), name: "process.parent_process.name")
        if observeIOC(&alert, type: raw["event.IOCType"]?.nonEmptyText, value: raw["event.IOCValue"]?.nonEmptyText) {
            record.consume("event.IOCType", "event.IOCValue")
        }
        alert.observe(.domain, record.text("event.DomainName"), name: "domain")
        alert.observe(.ip, record.text("event.IPv4"), name: "ip")
        alert.observe(.ip, record.text("event.IPv6"), name: "ip")
        // Connections the process made; left whole under unmapped, only the remote addresses become pivots.
        for address in raw.texts(at: "event.NetworkAccesses.RemoteAddress") where isRoutable(address) {
            alert.observe(.ip, address, name: "dst_endpoint.ip")
        }

        let tactic = record.text("event.Tactic"), technique = record.text("event.Technique")
        let tactics = record.texts("event.Tactics").flatMap(MappingText.splitList)
        let techniques = record.texts("event.Techniques").flatMap(MappingText.splitList)
        alert.types = MappingText.unique([tactic, technique].compactMap { $0 } + tactics + techniques)
        if alert.types.isEmpty { alert.types = [humanized(eventType: eventType)] }
        addAttack(
            &alert, tacticID: record.text("event.TacticId"), tactic: tactic,
            techniqueID: record.text("event.TechniqueId"), technique: technique)
        let tacticIDs = record.texts("event.TacticIds").flatMap(MappingText.splitList)
        let techniqueIDs = record.texts("event.TechniqueIds").flatMap(MappingText.splitList)
        for index in 0..<max(tacticIDs.count, techniqueIDs.count, tactics.count, techniques.count) {
            addAttack(
                &alert, tacticID: tacticIDs[safe: index], tactic: tactics[safe: index],
                techniqueID: techniqueIDs[safe: index], technique: techniques[safe: index])
        }
        for entry in record.values("event.MitreAttack") {
            addAttack(
                &alert, tacticID: entry[key: "TacticID"]?.nonEmptyText,
                tactic: entry[key: "Tactic"]?.nonEmptyText,
                techniqueID: entry[key: "TechniqueID"]?.nonEmptyText,
                technique: entry[key: "Technique"]?.nonEmptyText)
        }

        alert.set(
            "device",
            OCSFObjects.device(
                hostname: host, ip: deviceIP,
                uid: firstText(
                    record,
                    [
                        "event.SensorId", "event.AgentId", "event.AgentIdString", "event.DeviceId",
                        "event.HostID",
                    ]) ?? record.text("event.SensorIds").flatMap { MappingText.splitList($0).first },
                os: record.text("event.Platform")))
        // Detection Finding has no top-level endpoints; the connection is evidence.
        let source = OCSFObjects.endpoint(ip: sourceIP, port: sourcePort)
        let destination = OCSFObjects.endpoint(ip: destinationIP, port: destinationPort)
        let file = OCSFObjects.file(name: fileName, path: filePath, md5: md5, sha1: sha1, sha256: sha256)
        let user = OCSFObjects.user(name: account?.name, domain: userDomain)
        if let evidence = OCSFObjects.evidence([
            ("process", process), ("file", file), ("user", user), ("src_endpoint", source),
            ("dst_endpoint", destination),
        ]) {
            alert.set("evidences", .array([evidence]))
        }
        setAction(
            &alert,
            blocked: blocked(
                flags: raw["event.PatternDispositionFlags"],
                description: raw["event.PatternDispositionDescription"]?.nonEmptyText,
                response: raw["event.ResponseAction"]?.nonEmptyText))
        return alert
    }

    private static func streamSeverity(
        _ record: FieldReader, eventType: String,
        kind: StreamKind
    ) -> (Severity, String?) {
        if let word = record.record["event.SeverityName"]?.nonEmptyText, let level = SeverityScale.fromWord(word) {
            record.consume("event.SeverityName", "event.Severity")
            return (level, word)
        }
        if let number = record.double("event.Severity") {
            if fiveLevelTypes.contains(eventType), number <= 5 {
                return (fiveLevel(number), "Severity \(record.record["event.Severity"]?.text ?? "")")
            }
            return (SeverityScale.fromHundred(number), "Severity \(record.record["event.Severity"]?.text ?? "")")
        }
        if let score = record.double("event.FineScore") {
            return (SeverityScale.fromTen(score), "FineScore \(record.record["event.FineScore"]?.text ?? "")")
        }
        return (kind == .other ? .informational : .unknown, nil)
    }

    private static func fiveLevel(_ number: Double) -> Severity {
        switch number {
        case ..<2: .informational
        case ..<3: .low
        case ..<4: .medium
        case ..<5: .high
        default: .critical
        }
    }

    /// The detection's or incident's own id; Identity Protection incident ids (`INC-12`) are only unique within a
    /// customer, and events without an id fall back to their place in the customer's stream.
    private static func streamSourceID(_ record: FieldReader, eventType: String) -> String? {
        let raw = record.record
        let customer = raw["metadata.customerIDString"]?.nonEmptyText
        if let id = firstText(
            record,
            [
                "event.CompositeId", "event.DetectId", "event.IncidentID", "event.IncidentId",
                "event.LeadId",
            ])
        {
            if raw["event.DetectId"]?.nonEmptyText == id { record.consume("event.DetectId") }
            return id
        }
        if let id = record.text("event.IdentityProtectionIncidentId") {
            return [customer, eventType, id].compactMap { $0 }.joined(separator: ":")
        }
        if let offset = raw["metadata.offset"]?.nonEmptyText {
            return [customer, eventType, offset].compactMap { $0 }.joined(separator: ":")
        }
        return nil
    }

    // MARK: - Alerts API v2

    static func mapAPIAlert(_ record: FieldReader) throws(MappingError) -> MappedAlert {
        let displayName = record.text("display_name")
        let name = record.text("name")
        guard let title = displayName ?? name else {
            throw MappingError(
                field: "display_name", "missing; a Falcon alert names its detection in display_name or name")
        }
        let raw = record.record
        var severity = Severity.unknown
        var sourceSeverity: String?
        if let word = raw[key: "severity_name"]?.nonEmptyText, let level = SeverityScale.fromWord(word) {
            record.consume("severity_name", "severity")
            (severity, sourceSeverity) = (level, word)
        } else if let number = record.double("severity") {
            severity = SeverityScale.fromHundred(number)
            sourceSeverity = "severity \(raw[key: "severity"]?.text ?? "")"
        }
        var alert = MappedAlert(
            format: .crowdstrike, product: "Falcon", vendor: "CrowdStrike", title: title,
            severity: severity)
        alert.sourceSeverity = sourceSeverity
        alert.sourceID = record.text("composite_id")
        alert.time = record.time("created_timestamp", "timestamp")
        alert.description = record.text("description")
        alert.ruleUID = record.text("pattern_id") ?? name
        alert.ruleName = name ?? displayName
        alert.set("src_url", record.text("falcon_host_link").map(JSONValue.string))

        let host = record.text("device.hostname", "source_endpoint_host_name", "hostname")
        let account = record.text("user_name", "source_account_name").map(MappingText.splitAccount)
        let userDomain = account?.domain ?? record.text("logon_domain", "source_account_domain")
        let deviceIP = record.text("device.local_ip")
        let sourceIP = record.text("source_endpoint_ip_address", "source_endpoint_address_ip4")
        alert.entities = Entities(host: host, user: account?.name, sourceIP: sourceIP)
        alert.observe(.hostname, host, name: "device.hostname")
        alert.observe(.user, account?.name, name: "actor.user.name")
        alert.observe(.ip, deviceIP, name: "device.ip")
        alert.observe(.ip, sourceIP, name: "src_endpoint.ip")
        alert.observe(.hostname, record.text("target_endpoint_host_name"), name: "dst_endpoint.hostname")

        let fileName = record.text("filename")
        let filePath = fullPath(directory: record.text("filepath"), name: fileName)
        let commandLine = record.text("cmdline")
        let md5 = validHash(record.text("md5")), sha1 = validHash(record.text("sha1"))
        let sha256 = validHash(record.text("sha256"))
        let parentImage = record.text("parent_details.filepath", "parent_details.filename")
        let parent = processObject(
            image: parentImage, commandLine: record.text("parent_details.cmdline"),
            pid: record["parent_details.local_process_id"]?.int, uid: record.text("parent_details.process_id"),
            user: record.text("parent_details.user_name"), parent: nil)
        let process = processObject(
            image: filePath ?? fileName, commandLine: commandLine, pid: record["local_process_id"]?.int,
            uid: record.text("process_id"), user: account?.name, parent: parent)
        alert.observe(.file, fileName ?? filePath.map(lastComponent), name: "file.name")
        alert.observe(.path, filePath, name: "file.path")
        for hash in [sha256, sha1, md5] { alert.observe(.hash, hash, name: "file.hashes.value") }
        alert.observe(.process, fileName ?? filePath.map(lastComponent), name: "process.name")
        alert.observe(.commandLine, commandLine, name: "process.cmd_line")
        alert.observe(.process, parentImage.map(lastComponent), name: "process.parent_process.name")
        if observeIOC(&alert, type: raw[key: "ioc_type"]?.nonEmptyText, value: raw[key: "ioc_value"]?.nonEmptyText) {
            record.consume("ioc_type", "ioc_value")
        }

        let tactic = record.text("tactic"), technique = record.text("technique")
        alert.types = MappingText.unique([tactic, technique].compactMap { $0 })
        addAttack(
            &alert, tacticID: record.text("tactic_id"), tactic: tactic, techniqueID: record.text("technique_id"),
            technique: technique)
        for entry in record.values("mitre_attack") {
            addAttack(
                &alert, tacticID: entry[key: "tactic_id"]?.nonEmptyText,
                tactic: entry[key: "tactic"]?.nonEmptyText,
                techniqueID: entry[key: "technique_id"]?.nonEmptyText,
                technique: entry[key: "technique"]?.nonEmptyText)
        }

        alert.set(
            "device",
            OCSFObjects.device(
                hostname: host, ip: deviceIP, uid: record.text("device.device_id", "agent_id"),
                os: record.text("device.platform_name", "platform")))
        let source = OCSFObjects.endpoint(ip: sourceIP)
        let file = OCSFObjects.file(name: fileName, path: filePath, md5: md5, sha1: sha1, sha256: sha256)
        let user = OCSFObjects.user(name: account?.name, uid: record.text("user_id"), domain: userDomain)
        if let evidence = OCSFObjects.evidence([
            ("process", process), ("file", file), ("user", user), ("src_endpoint", source),
        ]) {
            alert.set("evidences", .array([evidence]))
        }
        setAction(
            &alert,
            blocked: blocked(
                flags: raw[key: "pattern_disposition_details"],
                description: raw[key: "pattern_disposition_description"]?.nonEmptyText,
                response: nil))
        return alert
    }

    // MARK: - Shared pieces

    /// ATT&CK only: Falcon also files detections under its own tactics and techniques (`CSTA0004`,
    /// `CST0000`, "Machine Learning"), which stay in `finding_info.types`.
    private static func addAttack(
        _ alert: inout MappedAlert, tacticID: String?, tactic: String?, techniqueID: String?,
        technique: String?
    ) {
        let techniqueUID = techniqueID.flatMap { isTechniqueID($0) ? $0 : nil }
        let tacticUID =
            tacticID.flatMap { isTacticID($0) ? $0.uppercased() : nil }
            ?? tactic.flatMap { attackTactics[$0.lowercased()] }
        alert.attack(
            technique: techniqueUID, name: techniqueUID == nil ? nil : technique, tactic: tacticUID,
            tacticName: tacticUID == nil ? nil : tactic)
    }

    /// Observes an IOC of a kind CoreRecon knows; false leaves the IOC fields for `unmapped`.
    @discardableResult
    private static func observeIOC(_ alert: inout MappedAlert, type: String?, value: String?) -> Bool {
        guard let type = type?.lowercased(), let value else { return false }
        if type.hasPrefix("hash") {
            alert.observe(.hash, value, name: "file.hashes.value")
        } else if type.hasPrefix("domain") {
            alert.observe(.domain, value, name: "domain")
        } else if type.hasPrefix("ipv") || type == "ip" {
            alert.observe(.ip, value, name: "ip")
        } else if type == "url" {
            alert.observe(.url, value, name: "url.url_string")
        } else {
            return false
        }
        return true
    }

    /// Whether the sensor prevented the activity: from the disposition flags when present, else the disposition
    /// text ("Prevention, process was blocked", "Detection, standard detection") or a response action.
    private static func blocked(flags: JSONValue?, description: String?, response: String?) -> Bool? {
        if let members = flags?.members {
            // Stream events write the flags in PascalCase, the Alerts API in snake_case.
            let on = Set(
                members.filter { $0.value.bool == true }.map {
                    $0.key.lowercased().replacingOccurrences(of: "_", with: "")
                })
            let prevention: Set<String> = [
                "processblocked", "operationblocked", "registryoperationblocked", "fsoperationblocked",
                "quarantinefile", "quarantinemachine", "suspendprocess", "suspendparent",
            ]
            let kills: Set<String> = ["killprocess", "killsubprocess", "killparent"]
            if !on.isDisjoint(with: prevention) { return true }
            if !on.isDisjoint(with: kills) && !on.contains("killactionfailed") { return true }
            return false
        }
        if let description = description?.lowercased() {
            if description.hasPrefix("detection") { return false }
            if description.contains("blocked") || description.contains("killed") || description.contains("quarantine") {
                return true
            }
        }
        if let response = response?.lowercased() { return response == "blocked" }
        return nil
    }
}

// MARK: - Helpers

private func setAction(_ alert: inout MappedAlert, blocked: Bool?) {
    switch blocked {
    case true?: alert.set("action_id", .int(2)); alert.set("action", .string("Denied"))
    case false?: alert.set("action_id", .int(1)); alert.set("action", .string("Allowed"))
    case nil: break
    }
}

/// The first non-empty text among `paths`, marking only the path it came from.
private func firstText(_ record: FieldReader, _ paths: [String]) -> String? {
    for path in paths {
        if let text = record.text(path) { return text }
    }
    return nil
}

/// Joins a directory and a file name unless the path already ends with the name.
private func fullPath(directory: String?, name: String?) -> String? {
    guard let directory else { return nil }
    guard let name, !directory.lowercased().hasSuffix(name.lowercased()) else { return directory }
    let separator = directory.contains("/") && !directory.contains("\\") ? "/" : "\\"
    return directory.hasSuffix(separator) ? directory + name : directory + separator + name
}

private func lastComponent(_ path: String) -> String { OCSFObjects.lastPathComponent(path) }

/// Falcon writes all-zero hashes when it has none.
private func validHash(_ hash: String?) -> String? {
    guard let hash, hash.contains(where: { $0 != "0" }) else { return nil }
    return hash
}

/// False for link-local and multicast addresses, which a process's DNS and discovery traffic is full of.
private func isRoutable(_ address: String) -> Bool {
    let lower = address.lowercased()
    if lower.hasPrefix("fe80:") || lower.hasPrefix("ff") || lower.hasPrefix("169.254.") { return false }
    guard lower.contains("."), let first = lower.split(separator: ".").first.flatMap({ Int($0) }) else { return true }
    return !(224...255).contains(first)
}

/// `process` with Falcon's process id as `uid` and the parent; `image` is a path or a bare name. The image
/// becomes a full `file` object (OCSF requires its name).
private func processObject(
    image: String?, commandLine: String?, pid: Int?, uid: String?, user: String?,
    parent: JSONValue?
) -> JSONValue? {
    // Falcon's image is a full path in some events and a bare name in others.
    let isPath = image.map { $0.contains("\\") || $0.contains("/") } ?? false
    return OCSFObjects.process(
        name: image.map(lastComponent), pid: pid, commandLine: commandLine,
        path: isPath ? image : nil, user: user, uid: uid, parent: parent)
}

/// "RemoteResponseSessionStartEvent" → "Remote response session start".
private func humanized(eventType: String) -> String {
    let base = eventType.hasSuffix("Event") && eventType.count > 5 ? String(eventType.dropLast(5)) : eventType
    var words: [String] = []
    var current = ""
    let characters = Array(base)
    for (index, character) in characters.enumerated() {
        let previous = index > 0 ? characters[index - 1] : nil
        let next = index + 1 < characters.count ? characters[index + 1] : nil
        let startsWord =
            character.isUppercase && previous != nil
            && (previous?.isLowercase == true || next?.isLowercase == true && previous?.isUppercase == true)
        if startsWord, !current.isEmpty {
            words.append(current)
            current = ""
        }
        current.append(character)
    }
    if !current.isEmpty { words.append(current) }
    let shaped = words.enumerated().map { index, word in
        word.allSatisfy(\.isUppercase) || index == 0 ? word : word.lowercased()
    }
    return shaped.joined(separator: " ")
}

/// "UNUSUAL_ACTIVITY" → "Unusual activity".
private func humanized(constant: String) -> String {
    let words = constant.lowercased().replacingOccurrences(of: "_", with: " ")
    return words.prefix(1).uppercased() + words.dropFirst()
}

/// T1059, T1059.001.
private func isTechniqueID(_ id: String) -> Bool {
    let parts = id.uppercased().split(separator: ".", omittingEmptySubsequences: false)
    guard let first = parts.first, first.count == 5, first.hasPrefix("T"), first.dropFirst().allSatisfy(\.isNumber)
    else { return false }
    return parts.count == 1 || (parts.count == 2 && parts[1].count == 3 && parts[1].allSatisfy(\.isNumber))
}

private func isTacticID(_ id: String) -> Bool {
    let upper = id.uppercased()
    return upper.count == 6 && upper.hasPrefix("TA") && upper.dropFirst(2).allSatisfy(\.isNumber)
}

/// Enterprise ATT&CK tactics by name, for sources that give only the name.
private let attackTactics: [String: String] = [
    "reconnaissance": "TA0043", "resource development": "TA0042", "initial access": "TA0001", "execution": "TA0002",
    "persistence": "TA0003", "privilege escalation": "TA0004", "defense evasion": "TA0005",
    "credential access": "TA0006", "discovery": "TA0007", "lateral movement": "TA0008", "collection": "TA0009",
    "command and control": "TA0011", "exfiltration": "TA0010", "impact": "TA0040",
]
