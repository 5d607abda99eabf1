import Foundation

/// SentinelOne Singularity, from the Management API v2.1 (documented in the console under `/api-doc`):
/// - threats (`GET /web/api/v2.1/threats`): `threatInfo`, `agentRealtimeInfo`, `agentDetectionInfo`,
///   `indicators`;
/// - cloud detection alerts, STAR and custom rules (`GET /web/api/v2.1/cloud-detection/alerts`): `alertInfo`,
///   `ruleInfo`, `sourceProcessInfo`, `targetProcessInfo`;
/// - activities (`GET /web/api/v2.1/activities`): `activityType`, `primaryDescription`, `data`.
///
/// Severity: a rule's own word (`ruleInfo.severity` Critical/High/Medium/Low; `E_HIGH`-style in activity
/// data). A threat has no severity, only a verdict: `threatInfo.confidenceLevel` malicious → High,
/// suspicious → Medium, anything else (`n/a`) → Low. Activities without either are Informational: most are
/// console and agent housekeeping, kept so an activity feed ingests without errors.
public enum SentinelOneMapper: AlertMapper {
    public static func recognizes(_ record: JSONValue) -> Bool {
        if record[key: "threatInfo"]?.members != nil {
            return record[key: "agentRealtimeInfo"]?.members != nil || record[key: "agentDetectionInfo"]?.members != nil
                || record[key: "indicators"] != nil
        }
        if record[key: "alertInfo"]?.members != nil {
            return record[key: "ruleInfo"]?.members != nil || record[key: "sourceProcessInfo"]?.members != nil
                || record[key: "agentDetectionInfo"]?.members != nil
        }
        if record[key: "activityType"]?.int != nil {
            return record[key: "primaryDescription"] != nil
                || (record[key: "data"]?.members != nil && record[key: "createdAt"] != nil)
        }
        return false
    }

    public static func map(_ record: FieldReader) throws(MappingError) -> MappedAlert {
        let raw = record.record
        if raw[key: "threatInfo"]?.members != nil { return try mapThreat(record) }
        if raw[key: "alertInfo"]?.members != nil { return try mapCloudAlert(record) }
        if raw[key: "activityType"]?.int != nil { return mapActivity(record) }
        throw MappingError(
            field: "threatInfo",
            "missing; a SentinelOne record is a threat (threatInfo), a cloud detection alert (alertInfo and ruleInfo) "
                + "or an activity (activityType)"
        )
    }

    // MARK: - Threats

    static func mapThreat(_ record: FieldReader) throws(MappingError) -> MappedAlert {
        guard let title = record.text("threatInfo.threatName", "threatInfo.fileDisplayName") else {
            throw MappingError(field: "threatInfo.threatName", "missing; a SentinelOne threat names what was detected")
        }
        let raw = record.record
        let confidence = raw["threatInfo.confidenceLevel"]?.text?.trimmingWhitespace
        record.consume("threatInfo.confidenceLevel")
        let severity: Severity =
            switch confidence?.lowercased() {
            case "malicious"?: .high
            case "suspicious"?: .medium
            default: .low
            }
        var alert = MappedAlert(
            format: .sentinelone, product: "Singularity", vendor: "SentinelOne", title: title,
            severity: severity)
        alert.sourceSeverity = confidence.flatMap { $0.isEmpty ? nil : "confidenceLevel \($0)" }
        alert.sourceID = record.text("id", "threatInfo.threatId")
        if raw["threatInfo.threatId"]?.nonEmptyText == alert.sourceID { record.consume("threatInfo.threatId") }
        alert.time = record.time("threatInfo.identifiedAt", "threatInfo.createdAt")
        let classification = record.text("threatInfo.classification")
        alert.types = classification.map { [$0] } ?? []
        let engines = record.texts("threatInfo.detectionEngines.title")
        alert.ruleName = (engines.isEmpty ? record.texts("threatInfo.engines") : engines).joined(separator: ", ")
        if alert.ruleName?.isEmpty == true { alert.ruleName = nil }
        let indicators = record.texts("indicators.description")
        // Indicator descriptions are sentences; join them as such.
        let separator = indicators.allSatisfy { $0.hasSuffix(".") } ? " " : "; "
        alert.description = indicators.isEmpty ? nil : indicators.joined(separator: separator)

        let host = record.text("agentRealtimeInfo.agentComputerName", "agentDetectionInfo.agentComputerName")
        let account = record.text("threatInfo.processUser").map(MappingText.splitAccount)
        let loggedIn = record.text("agentDetectionInfo.agentLastLoggedInUserName")
        let userName = account?.name ?? loggedIn
        let addresses = MappingText.unique(
            record.texts("agentDetectionInfo.agentIpV4").flatMap(MappingText.splitList)
                + record.texts("agentRealtimeInfo.networkInterfaces.inet"))
        alert.entities = Entities(host: host, user: userName)
        alert.observe(.hostname, host, name: "device.hostname")
        alert.observe(.user, userName, name: "actor.user.name")
        for address in addresses { alert.observe(.ip, address, name: "device.ip") }

        let filePath = record.text("threatInfo.filePath")
        let fileName = raw["threatInfo.fileDisplayName"]?.nonEmptyText ?? filePath.map(lastComponent)
        let md5 = record.text("threatInfo.md5"), sha1 = record.text("threatInfo.sha1")
        let sha256 = record.text("threatInfo.sha256")
        let originator = record.text("threatInfo.originatorProcess")
        alert.observe(.file, fileName, name: "file.name")
        alert.observe(.path, filePath, name: "file.path")
        for hash in [sha256, sha1, md5] { alert.observe(.hash, hash, name: "file.hashes.value") }
        alert.observe(.process, originator, name: "process.name")

        for tactic in raw.values(at: "indicators.tactics") {
            addTactic(&alert, tactic)
        }
        record.consume("indicators.tactics")

        alert.set(
            "device",
            OCSFObjects.device(
                hostname: host, ip: addresses.first,
                uid: record.text(
                    "agentRealtimeInfo.agentId", "agentDetectionInfo.agentUuid",
                    "agentRealtimeInfo.agentUuid"),
                os: record.text("agentRealtimeInfo.agentOsName", "agentDetectionInfo.agentOsName")))
        let file = OCSFObjects.file(name: fileName, path: filePath, md5: md5, sha1: sha1, sha256: sha256)
        // The originator is the process that wrote or launched the threat, running as processUser.
        let process = processObject(name: originator, user: account?.name)
        let user = OCSFObjects.user(
            name: userName,
            domain: account?.domain
                ?? record.text("agentDetectionInfo.agentDomain", "agentRealtimeInfo.agentDomain"))
        if let evidence = OCSFObjects.evidence([("file", file), ("process", process), ("user", user)]) {
            alert.set("evidences", .array([evidence]))
        }
        let mitigation = record.text("threatInfo.mitigationStatus")
        setAction(&alert, mitigation: mitigation)
        return alert
    }

    // MARK: - Cloud detection alerts

    static func mapCloudAlert(_ record: FieldReader) throws(MappingError) -> MappedAlert {
        guard let title = record.text("ruleInfo.name") else {
            throw MappingError(field: "ruleInfo.name", "missing; a SentinelOne alert names the rule that fired")
        }
        let word = record.text("ruleInfo.severity")
        var alert = MappedAlert(
            format: .sentinelone, product: "Singularity", vendor: "SentinelOne", title: title,
            severity: word.flatMap(ruleSeverity) ?? .unknown)
        alert.sourceSeverity = word
        alert.sourceID = record.text("alertInfo.alertId")
        alert.time = record.time("alertInfo.createdAt", "alertInfo.reportedAt")
        alert.ruleUID = record.text("ruleInfo.id")
        alert.ruleName = title
        alert.description = record.text("ruleInfo.description", "alertInfo.indicatorDescription")
        alert.types = MappingText.unique(
            [record.text("alertInfo.eventType"), record.text("alertInfo.indicatorCategory")]
                .compactMap { $0 })

        let host = record.text(
            "agentDetectionInfo.name", "agentRealtimeInfo.name",
            "agentRealtimeInfo.agentComputerName")
        let account = record.text("sourceProcessInfo.user", "alertInfo.loginsUserName").map(MappingText.splitAccount)
        let sourceIP = record.text("alertInfo.srcIp")
        let destinationIP = record.text("alertInfo.dstIp")
        let deviceIP = record.text("agentDetectionInfo.agentIpV4", "alertInfo.srcMachineIp")
            .flatMap { MappingText.splitList($0).first }
        alert.identify(host: host, user: account?.name, sourceIP: sourceIP, destinationIP: destinationIP)
        alert.observe(.ip, deviceIP, name: "device.ip")
        alert.observe(.domain, record.text("alertInfo.dnsRequest"), name: "query.hostname")
        let raw = record.record
        if let type = raw["alertInfo.tiIndicatorType"]?.nonEmptyText?.lowercased(),
            let value = raw["alertInfo.tiIndicatorValue"]?.nonEmptyText
        {
            let kind: Observable.Kind? =
                if type.contains("ip") {
                    .ip
                } else if type.contains("dns") || type.contains("domain") {
                    .domain
                } else if type.contains("url") {
                    .url
                } else if type.contains("sha") || type.contains("md5") || type.contains("hash") {
                    .hash
                } else {
                    nil
                }
            if let kind {
                alert.observe(kind, value, name: "osint.value")
                record.consume("alertInfo.tiIndicatorType", "alertInfo.tiIndicatorValue")
            }
        }

        let parent = infoProcess(record, prefix: "sourceParentProcessInfo.", parent: nil)
        let source = infoProcess(record, prefix: "sourceProcessInfo.", parent: parent)
        let targetPath = record.text("targetProcessInfo.tgtProcImagePath")
        let targetName = record.text("targetProcessInfo.tgtProcName")
        let target = processObject(
            name: targetName, path: targetPath, commandLine: record.text("targetProcessInfo.tgtProcCmdLine"),
            pid: record["targetProcessInfo.tgtProcPid"]?.int, uid: record.text("targetProcessInfo.tgtProcUid"))
        let sourceName =
            raw["sourceProcessInfo.name"]?.nonEmptyText
            ?? raw["sourceProcessInfo.filePath"]?.nonEmptyText.map(lastComponent)
        alert.observe(.process, sourceName, name: "process.name")
        alert.observe(.commandLine, raw["sourceProcessInfo.commandline"]?.nonEmptyText, name: "process.cmd_line")
        alert.observe(.process, raw["sourceParentProcessInfo.name"]?.nonEmptyText, name: "process.parent_process.name")
        for prefix in ["sourceProcessInfo.", "sourceParentProcessInfo."] {
            for field in ["fileHashSha256", "fileHashSha1", "fileHashMd5"] {
                alert.observe(.hash, raw[prefix + field]?.nonEmptyText, name: "process.file.hashes.value")
            }
        }
        alert.observe(.process, targetName ?? targetPath.map(lastComponent), name: "target_process.name")

        let filePath = record.text("targetProcessInfo.tgtFilePath")
        let fileSHA256 = record.text("targetProcessInfo.tgtFileHashSha256")
        let fileSHA1 = record.text("targetProcessInfo.tgtFileHashSha1")
        alert.observe(.path, filePath, name: "file.path")
        alert.observe(.hash, fileSHA256, name: "file.hashes.value")
        alert.observe(.hash, fileSHA1, name: "file.hashes.value")
        alert.observe(.hash, record.text("alertInfo.moduleSha1"), name: "module.file.hashes.value")
        let file = OCSFObjects.file(name: nil, path: filePath, sha1: fileSHA1, sha256: fileSHA256)

        alert.set(
            "device",
            OCSFObjects.device(
                hostname: host, ip: deviceIP,
                uid: record.text("agentRealtimeInfo.id", "agentDetectionInfo.uuid", "agentRealtimeInfo.uuid"),
                os: record.text("agentDetectionInfo.osName", "agentRealtimeInfo.os")))
        // Detection Finding has no top-level endpoints; the connection is evidence.
        let sourceEndpoint = OCSFObjects.endpoint(ip: sourceIP, port: record["alertInfo.srcPort"]?.int)
        let destinationEndpoint = OCSFObjects.endpoint(ip: destinationIP, port: record["alertInfo.dstPort"]?.int)
        let user = OCSFObjects.user(name: account?.name, domain: account?.domain)
        if let evidence = OCSFObjects.evidence([
            ("process", source), ("file", file), ("user", user), ("src_endpoint", sourceEndpoint),
            ("dst_endpoint", destinationEndpoint),
        ]) {
            var evidences = [evidence]
            if let target { evidences.append(.object([JSONMember("process", target)])) }
            alert.set("evidences", .array(evidences))
        }
        return alert
    }

    // MARK: - Activities

    static func mapActivity(_ record: FieldReader) -> MappedAlert {
        let raw = record.record
        let activityType = raw[key: "activityType"]?.int ?? 0
        record.consume("activityType")
        let ruleName = record.text("data.ruleName", "data.rulename")
        let summary = record.text("primaryDescription")
        let title = ruleName ?? summary ?? "SentinelOne activity \(activityType)"

        var severity = Severity.informational
        var sourceSeverity: String?
        if let word = raw["data.severity"]?.nonEmptyText, let level = ruleSeverity(word) {
            record.consume("data.severity")
            (severity, sourceSeverity) = (level, word)
        } else if let confidence = raw["data.confidenceLevel"]?.nonEmptyText?.lowercased(),
            confidence == "malicious" || confidence == "suspicious"
        {
            record.consume("data.confidenceLevel")
            severity = confidence == "malicious" ? .high : .medium
            sourceSeverity = "confidenceLevel \(confidence)"
        }
        var alert = MappedAlert(
            format: .sentinelone, product: "Singularity", vendor: "SentinelOne", title: title,
            severity: severity)
        alert.sourceSeverity = sourceSeverity
        alert.sourceID = record.text("id")
        alert.time = record.time("data.detectedat", "data.detectedAt", "createdAt")
        alert.ruleUID = record.text("data.ruleId", "data.ruleid")
        // Custom-rule activities repeat some keys in lower case; the camel-case copy carries the value.
        record.consume("data.ruleid", "data.alertid")
        alert.ruleName = ruleName
        alert.description = ruleName == nil ? record.text("data.ruledescription") : summary
        alert.types = [record.text("data.threatClassification"), "Activity type \(activityType)"].compactMap { $0 }

        let host = record.text("data.computerName", "data.origagentname", "data.computername", "data.agentName")
        let account = record.text("data.sourceprocessusername", "data.processUser", "data.username").map(
            MappingText.splitAccount)
        // Console activities (logins, policy changes) carry the address the user came from.
        let sourceIP = record.text("data.ipAddress")
        alert.entities = Entities(host: host, user: account?.name, sourceIP: sourceIP)
        alert.observe(.hostname, host, name: "device.hostname")
        alert.observe(.user, account?.name, name: "actor.user.name")
        alert.observe(.ip, sourceIP, name: "src_endpoint.ip")

        let sourcePath = record.text("data.sourceprocessfilepath")
        let sourceName = record.text("data.sourceprocessname") ?? sourcePath.map(lastComponent)
        let commandLine = record.text("data.sourceprocesscommandline")
        let parentPath = record.text("data.sourceparentprocesspath")
        let parentName = record.text("data.sourceparentprocessname") ?? parentPath.map(lastComponent)
        let parent = processObject(
            name: parentName, path: parentPath, commandLine: record.text("data.sourceparentprocesscommandline"),
            pid: record["data.sourceparentprocesspid"]?.int, user: record.text("data.sourceparentprocessusername"))
        let process = processObject(
            name: sourceName, path: sourcePath, commandLine: commandLine,
            pid: record["data.sourceprocesspid"]?.int, user: account?.name, parent: parent)
        let fileName = record.text("data.fileDisplayName", "data.filedisplayname")
        let filePath = record.text("data.filePath", "data.filepath")
        let sha1 = record.text("data.sourceprocesssha1", "data.fileContentHash", "data.sha1")
        let sha256 = record.text("data.sourceprocesssha256", "data.sha256")
        let md5 = record.text("data.sourceprocessmd5", "data.md5")
        alert.observe(.process, sourceName, name: "process.name")
        alert.observe(.commandLine, commandLine, name: "process.cmd_line")
        alert.observe(.process, parentName, name: "process.parent_process.name")
        alert.observe(.file, fileName, name: "file.name")
        alert.observe(.path, filePath, name: "file.path")
        for hash in [sha256, sha1, md5] { alert.observe(.hash, hash, name: "file.hashes.value") }
        for hash in ["data.sourceparentprocesssha256", "data.sourceparentprocesssha1", "data.sourceparentprocessmd5"] {
            alert.observe(.hash, raw[hash]?.nonEmptyText, name: "process.parent_process.file.hashes.value")
        }

        alert.set(
            "device",
            OCSFObjects.device(
                hostname: host, ip: nil, uid: record.text("agentId"),
                os: record.text("data.origagentosname", "data.osName")))
        let sourceEndpoint = OCSFObjects.endpoint(ip: sourceIP)
        let file =
            sourcePath == nil
            ? OCSFObjects.file(name: fileName, path: filePath, md5: md5, sha1: sha1, sha256: sha256)
            : OCSFObjects.file(name: sourceName, path: sourcePath, md5: md5, sha1: sha1, sha256: sha256)
        let user = OCSFObjects.user(name: account?.name, domain: account?.domain)
        if let evidence = OCSFObjects.evidence([
            ("process", process), ("file", file), ("user", user), ("src_endpoint", sourceEndpoint),
        ]) {
            alert.set("evidences", .array([evidence]))
        }
        return alert
    }

    // MARK: - Shared pieces

    /// `process` from a `sourceProcessInfo`-style object; hashes stay for the observables and `unmapped`.
    private static func infoProcess(_ record: FieldReader, prefix: String, parent: JSONValue?) -> JSONValue? {
        processObject(
            name: record.text(prefix + "name"), path: record.text(prefix + "filePath"),
            commandLine: record.text(prefix + "commandline"), pid: record[prefix + "pid"]?.int,
            uid: record.text(prefix + "uniqueId"), user: record.text(prefix + "user"), parent: parent)
    }

    /// An indicator's tactic with its techniques; S1 links each technique to its ATT&CK page and sometimes
    /// names it by id ("T1055.012"), sometimes by name.
    private static func addTactic(_ alert: inout MappedAlert, _ tactic: JSONValue) {
        let tacticName = tactic[key: "name"]?.nonEmptyText
        let tacticID = tacticName.flatMap { attackTactics[$0.lowercased()] }
        let techniques = tactic[key: "techniques"]?.arrayValue ?? []
        if techniques.isEmpty {
            alert.attack(technique: nil, tactic: tacticID, tacticName: tacticID == nil ? nil : tacticName)
        }
        for technique in techniques {
            let name = technique[key: "name"]?.nonEmptyText
            let id =
                technique[key: "link"]?.nonEmptyText.flatMap(techniqueID(fromLink:))
                ?? name.flatMap { isTechniqueID($0) ? $0 : nil }
            let techniqueName = name.flatMap { isTechniqueID($0) ? nil : $0 }
            alert.attack(
                technique: id, name: id == nil ? nil : techniqueName, tactic: tacticID,
                tacticName: tacticID == nil ? nil : tacticName)
        }
    }

    /// "Critical", "High", ..., and the activity feed's "E_HIGH".
    private static func ruleSeverity(_ word: String) -> Severity? {
        let upper = word.uppercased()
        return SeverityScale.fromWord(upper.hasPrefix("E_") ? String(upper.dropFirst(2)) : upper)
    }

    private static func setAction(_ alert: inout MappedAlert, mitigation: String?) {
        switch mitigation?.lowercased() {
        case "mitigated"?, "blocked"?, "marked_as_benign"?:
            alert.set("action_id", .int(2)); alert.set("action", .string("Denied"))
        case "not_mitigated"?, "active"?:
            alert.set("action_id", .int(1)); alert.set("action", .string("Allowed"))
        default:
            break
        }
    }
}

// MARK: - Helpers

/// `process` whose image is a full `file` object (OCSF requires its name).
private func processObject(
    name: String?, path: String? = nil, commandLine: String? = nil, pid: Int? = nil,
    uid: String? = nil, user: String? = nil, parent: JSONValue? = nil
) -> JSONValue? {
    OCSFObjects.process(
        name: name, pid: pid, commandLine: commandLine, path: path, user: user, uid: uid, parent: parent)
}

/// "https://attack.mitre.org/techniques/T1055/012" → "T1055.012".
private func techniqueID(fromLink link: String) -> String? {
    guard let range = link.range(of: "/techniques/", options: .caseInsensitive) else { return nil }
    let parts = link[range.upperBound...].split(separator: "/").map(String.init)
    guard let base = parts.first, isTechniqueID(base) else { return nil }
    if let sub = parts[safe: 1], sub.count == 3, sub.allSatisfy(\.isNumber) { return "\(base).\(sub)" }
    return base
}

/// T1059, T1059.001.
private func isTechniqueID(_ id: String) -> Bool {
    let parts = id.uppercased().split(separator: ".", omittingEmptySubsequences: false)
    guard let first = parts.first, first.count == 5, first.hasPrefix("T"), first.dropFirst().allSatisfy(\.isNumber)
    else { return false }
    return parts.count == 1 || (parts.count == 2 && parts[1].count == 3 && parts[1].allSatisfy(\.isNumber))
}

private func lastComponent(_ path: String) -> String { OCSFObjects.lastPathComponent(path) }

/// Enterprise ATT&CK tactics by name: S1 indicators give tactics by name only.
private let attackTactics: [String: String] = [
    "reconnaissance": "TA0043", "resource development": "TA0042", "initial access": "TA0001", "execution": "TA0002",
    "persistence": "TA0003", "privilege escalation": "TA0004", "defense evasion": "TA0005",
    "credential access": "TA0006", "discovery": "TA0007", "lateral movement": "TA0008", "collection": "TA0009",
    "command and control": "TA0011", "exfiltration": "TA0010", "impact": "TA0040",
]
