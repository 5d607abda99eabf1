import Foundation

/// Google Security Command Center findings (the `Finding` resource,
/// https://cloud.google.com/security-command-center/docs/reference/rest/v1/organizations.sources.findings, and
/// notifications, https://cloud.google.com/security-command-center/docs/how-to-notifications): a bare finding; the
/// Pub/Sub notification `{"notificationConfigName", "finding", "resource"}`, which is also the shape of a
/// `ListFindings` result; and a Pub/Sub push request whose `message.data` carries the notification in base64.
/// Keys match whatever their case or underscores, so an export's `event_time` reads like the API's `eventTime`.
///
/// Severity: `severity` is a word. CRITICAL, HIGH, MEDIUM and LOW become the OCSF severity of the same name;
/// SEVERITY_UNSPECIFIED or none falls back to the older `sourceProperties.SeverityLevel` (Security Health Analytics)
/// or `sourceProperties.detectionPriority` (Event Threat Detection), else Unknown.
public enum SCCMapper: AlertMapper {
    public static func recognizes(_ record: JSONValue) -> Bool {
        if let data = pushData(record) {
            return decode(data).map(isNotification) ?? false
        }
        return isNotification(record)
    }

    private static func isNotification(_ record: JSONValue) -> Bool {
        if let payload = loggedPayload(record) { return isNotification(payload) }
        if let finding = LooseFields.member("finding", of: record), finding.members != nil { return isFinding(finding) }
        return isFinding(record)
    }

    /// The `jsonPayload` of a Cloud Logging entry that carries a finding (findings exported to Logging).
    private static func loggedPayload(_ record: JSONValue) -> JSONValue? {
        guard let payload = LooseFields.member("jsonPayload", of: record),
            let finding = LooseFields.member("finding", of: payload), finding.members != nil
        else { return nil }
        return payload
    }

    /// Findings are named `organizations|folders|projects/N/sources/S/[locations/L/]findings/F`.
    private static func isFinding(_ value: JSONValue) -> Bool {
        guard value.members != nil else { return false }
        let name = LooseFields.member("name", of: value)?.text ?? ""
        if name.contains("/sources/") && name.contains("/findings/") { return true }
        let parent = LooseFields.member("parent", of: value)?.text ?? ""
        return parent.contains("/sources/") && LooseFields.member("category", of: value)?.text != nil
    }

    /// `message.data` of a Pub/Sub push request (or of a pulled message).
    private static func pushData(_ record: JSONValue) -> String? {
        guard let message = LooseFields.member("message", of: record), message.members != nil else { return nil }
        return LooseFields.member("data", of: message)?.text
    }

    private static func decode(_ data: String) -> JSONValue? {
        base64Bytes(data).flatMap { try? JSONParser.parse($0) }
    }

    /// Standard base64, also without padding or in the URL-safe alphabet.
    private static func base64Bytes(_ text: String) -> Data? {
        var normalized = text.trimmingWhitespace
            .replacingOccurrences(of: "-", with: "+")
            .replacingOccurrences(of: "_", with: "/")
        let remainder = normalized.utf8.count % 4
        if remainder != 0 { normalized += String(repeating: "=", count: 4 - remainder) }
        return Data(base64Encoded: normalized)
    }

    public static func map(_ record: FieldReader) throws(MappingError) -> MappedAlert {
        guard let data = pushData(record.record) else { return try mapNotification(record) }
        let envelope = LooseFields(reader: record, root: "")
        let dataPath = envelope.path("message.data")
        guard let bytes = base64Bytes(data) else {
            throw MappingError(field: dataPath, "not base64; a Pub/Sub push message carries the notification encoded")
        }
        let notification: JSONValue
        do {
            notification = try JSONParser.parse(bytes)
        } catch {
            throw MappingError(field: dataPath, "the decoded Pub/Sub message is not JSON (\(error))")
        }
        let inner = FieldReader(notification)
        var alert = try mapNotification(inner)
        record.consume(dataPath)
        if alert.time == nil { alert.time = envelope.time("message.publishTime") }
        // What the notification left over lives in the decoded data, which the envelope's reader cannot see.
        let leftovers = [inner.unmappedFields, record.unmappedFields].compactMap { $0?.members }.flatMap { $0 }
        alert.unmapped = leftovers.isEmpty ? nil : .object(leftovers)
        return alert
    }

    private static func mapNotification(_ record: FieldReader) throws(MappingError) -> MappedAlert {
        let payload = loggedPayload(record.record)
        let base = payload == nil ? "" : LooseFields(reader: record, root: "").path("jsonPayload") + "."
        let notification = payload ?? record.record
        let wrapped = LooseFields.member("finding", of: notification)?.members != nil
        let finding = LooseFields(reader: record, root: base + (wrapped ? "finding." : ""))
        // A notification puts the resource beside the finding; some exports nest it in the finding.
        let besideFinding = wrapped && LooseFields.member("resource", of: notification)?.members != nil
        let resource = LooseFields(
            reader: record, root: besideFinding ? base + "resource." : finding.root + "resource.")
        guard let category = finding.text("category") else {
            throw MappingError(
                field: finding.path("category"), "missing; an SCC finding names its category (the kind of finding)"
            )
        }
        let severityText = finding.text("severity")
        var severity = severityText.flatMap(SeverityScale.fromWord) ?? .unknown
        var sourceSeverity = severityText
        if severity == .unknown,
            let legacy = finding.text("sourceProperties.SeverityLevel", "sourceProperties.detectionPriority"),
            let level = SeverityScale.fromWord(legacy)
        {
            severity = level
            sourceSeverity = legacy
        }

        let resourceName = finding.text("resourceName") ?? resource.text("name")
        resource.consume("name")
        let displayName = resource.text("displayName") ?? finding.text("assetDisplayName")
        let projectName =
            resource.text("projectDisplayName", "gcpMetadata.projectDisplayName")
            ?? finding.text("sourceProperties.ProjectId")
        let isProject = resourceName?.contains("cloudresourcemanager.googleapis.com/projects/") == true
        let shortName = displayName ?? (isProject ? projectName : nil) ?? resourceName.flatMap(lastSegment)
        let name = readable(category)

        var alert = MappedAlert(
            format: .scc, product: "Security Command Center", vendor: "Google",
            title: shortName.map { "\(name) on \($0)" } ?? name, severity: severity
        )
        alert.sourceSeverity = sourceSeverity
        alert.description = finding.text("description", "sourceProperties.Explanation")
        // An unset protobuf Timestamp exports as 1970-01-01T00:00:00Z: that is no time at all.
        alert.time = ["eventTime", "createTime"].lazy.compactMap { finding.time($0) }
            .first { $0.timeIntervalSince1970 > 0 }
        alert.ruleUID = category
        alert.ruleName = name
        alert.types = finding.text("findingClass").map { [$0] } ?? []
        if let findingName = finding.text("name") {
            // eventTime moves when a detector sees the finding's activity again, or a scanner re-evaluates it: a
            // new delivery. The same notification delivered twice keeps both.
            alert.sourceID = [findingName, finding.text("eventTime")].compactMap { $0 }.joined(separator: ":")
        }
        record.consume(base + "notificationConfigName")

        alert.set(
            "cloud",
            cloud(
                finding: finding, resource: resource, resourceName: resourceName,
                projectName: projectName))
        let location = resource.text("location")
        let resourceType = resource.text("type")
        alert.set(
            "resources",
            JSONValue.compactObject([
                ("uid", resourceName.map(JSONValue.string)),
                ("name", (displayName ?? shortName).map(JSONValue.string)),
                ("type", resourceType.map(JSONValue.string)),
                ("region", location.map(JSONValue.string)),
            ]).map { .array([$0]) })

        let user = finding.text(
            "access.principalEmail", "sourceProperties.properties.principalEmail",
            "access.userName")
        let callerIP = finding.text("access.callerIp")
        let connections = finding.elements("connections")
        let connection = connections.first
        let connectionSource = connection.flatMap { LooseFields.member("sourceIp", of: $0)?.nonEmptyText }
        let connectionDestination = connection.flatMap { LooseFields.member("destinationIp", of: $0)?.nonEmptyText }
        let sourcePort = connection.flatMap { LooseFields.member("sourcePort", of: $0)?.int }
        let destinationPort = connection.flatMap { LooseFields.member("destinationPort", of: $0)?.int }
        let protocolName = connection.flatMap { LooseFields.member("protocol", of: $0)?.nonEmptyText }
            .flatMap { $0.uppercased().hasSuffix("UNSPECIFIED") ? nil : $0.lowercased() }
        for field in ["sourceIp", "destinationIp", "sourcePort", "destinationPort", "protocol"] {
            finding.consume("connections." + field)
        }
        let indicatorIPs = finding.texts("indicator.ipAddresses")
        // Event Threat Detection's older findings list login attempts, with their source, in sourceProperties.
        let attemptIPs = finding.texts("sourceProperties.properties.attempts.sourceIp")
        // A connection says which way it went, so it wins over an indicator IP, which may be either end.
        let sourceIP = callerIP ?? connectionSource ?? indicatorIPs.first ?? attemptIPs.first
        let destinationIP = connectionDestination
        alert.entities = Entities(host: shortName, user: user, sourceIP: sourceIP, destinationIP: destinationIP)

        if let user, user.contains("@") {
            alert.observe(.email, user, name: "actor.user.email_addr")
        } else {
            alert.observe(.user, user, name: "actor.user.name")
        }
        alert.observe(.ip, sourceIP, name: "src_endpoint.ip")
        alert.observe(.ip, destinationIP, name: "dst_endpoint.ip")
        for connection in connections {
            alert.observe(.ip, LooseFields.member("sourceIp", of: connection)?.nonEmptyText, name: "src_endpoint.ip")
            alert.observe(
                .ip, LooseFields.member("destinationIp", of: connection)?.nonEmptyText, name: "dst_endpoint.ip")
        }
        for ip in attemptIPs { alert.observe(.ip, ip, name: "src_endpoint.ip") }
        for ip in indicatorIPs { alert.observe(.ip, ip, name: "indicator.ip_addresses") }
        for domain in finding.texts("indicator.domains") { alert.observe(.domain, domain, name: "indicator.domains") }
        for uri in finding.texts("indicator.uris") { alert.observe(.url, uri, name: "indicator.uris") }
        let isInstance =
            resourceType == "google.compute.Instance"
            || resourceName.map { $0.hasPrefix("//compute.googleapis.com/") && $0.contains("/instances/") } == true
        if isInstance { alert.observe(.hostname, shortName, name: "device.hostname") }

        let (process, file) = mapProcessesAndFiles(finding: finding, into: &alert)
        mapAttacks(finding: finding, into: &alert)

        let source = OCSFObjects.endpoint(ip: sourceIP, port: sourceIP == connectionSource ? sourcePort : nil)
        let destination = OCSFObjects.endpoint(ip: destinationIP, port: destinationPort)
        if isInstance { alert.set("device", OCSFObjects.device(hostname: shortName, uid: resourceName)) }
        let methodName = finding.text("access.methodName")
        let serviceName = finding.text("access.serviceName")
        let api = methodName.flatMap { method in
            JSONValue.compactObject([
                ("operation", .string(method)),
                ("service", serviceName.flatMap { JSONValue.compactObject([("name", .string($0))]) }),
            ])
        }
        let actorUser = user.flatMap { user in
            JSONValue.compactObject([(user.contains("@") ? "email_addr" : "name", .string(user))])
        }
        if let evidence = OCSFObjects.evidence([
            ("actor", actorUser.flatMap { JSONValue.compactObject([("user", $0)]) }),
            ("api", api),
            ("src_endpoint", source), ("dst_endpoint", destination),
            ("connection_info", protocolName.flatMap { JSONValue.compactObject([("protocol_name", .string($0))]) }),
            ("process", process), ("file", file),
        ]) {
            alert.set("evidences", .array([evidence]))
        }
        let remedy = finding.text("nextSteps", "sourceProperties.Recommendation")
        alert.set("remediation", remedy.flatMap { JSONValue.compactObject([("desc", .string($0))]) })
        let cves = finding.texts("vulnerability.cve.id")
        if !cves.isEmpty {
            let vulnerabilities = cves.map { id in
                JSONValue.object([JSONMember("cve", .object([JSONMember("uid", .string(id))]))])
            }
            alert.set("vulnerabilities", .array(vulnerabilities))
        }
        return alert
    }

    /// Observables of every process and file the finding lists; returns the first of each, in OCSF, for the
    /// evidence.
    private static func mapProcessesAndFiles(
        finding: LooseFields,
        into alert: inout MappedAlert
    ) -> (process: JSONValue?, file: JSONValue?) {
        var first: JSONValue?
        for process in finding.elements("processes") {
            let name = LooseFields.member("name", of: process)?.nonEmptyText
            let binary = LooseFields.member("binary", of: process)
            let path = binary.flatMap { LooseFields.member("path", of: $0)?.nonEmptyText }
            let hash = binary.flatMap { LooseFields.member("sha256", of: $0)?.nonEmptyText }
            let commandLine = (LooseFields.member("args", of: process)?.arrayValue?.compactMap(\.text)).flatMap {
                arguments in
                arguments.isEmpty ? nil : arguments.joined(separator: " ")
            }
            alert.observe(.process, name, name: "process.name")
            alert.observe(.path, path, name: "process.file.path")
            alert.observe(.hash, hash, name: "process.file.hashes.value")
            alert.observe(.commandLine, commandLine, name: "process.cmd_line")
            if first == nil {
                first = JSONValue.compactObject([
                    ("name", name.map(JSONValue.string)),
                    ("pid", LooseFields.member("pid", of: process)?.int.map(JSONValue.int)),
                    ("cmd_line", commandLine.map(JSONValue.string)),
                    ("file", OCSFObjects.file(name: nil, path: path, sha256: hash)),
                ])
            }
        }
        for field in ["name", "pid", "args", "binary.path", "binary.sha256"] { finding.consume("processes." + field) }
        let paths = finding.texts("files.path")
        let hashes = finding.texts("files.sha256")
        for path in paths { alert.observe(.path, path, name: "file.path") }
        for hash in hashes { alert.observe(.hash, hash, name: "file.hashes.value") }
        return (first, OCSFObjects.file(name: nil, path: paths.first, sha256: hashes.first))
    }

    /// OCSF `cloud`: the provider (SCC also reports on AWS and Azure resources), the project, account or
    /// subscription, the organization and the region.
    private static func cloud(
        finding: LooseFields, resource: LooseFields, resourceName: String?,
        projectName: String?
    ) -> JSONValue? {
        let provider = resource.text("cloudProvider")?.uppercased() ?? ""
        let account: (uid: String?, name: String?, typeID: Int, type: String)
        let providerName: String
        var projectID: String?
        if provider.contains("AMAZON") || provider == "AWS" {
            providerName = "AWS"
            account = (
                resource.text("awsMetadata.account.id"), resource.text("awsMetadata.account.name"), 10,
                "AWS Account"
            )
        } else if provider.contains("AZURE") {
            providerName = "Azure"
            account = (
                resource.text("azureMetadata.subscription.id"),
                resource.text("azureMetadata.subscription.displayName"), 13, "Azure Subscription"
            )
        } else {
            providerName = "GCP"
            let paths = [
                resource.text("projectName", "gcpMetadata.project", "project"), finding.text("canonicalName"),
                finding.text("name"), finding.text("parent"), resourceName,
            ]
            projectID = paths.lazy.compactMap { segment(after: "projects", in: $0) }.first
            account = (projectID, projectName, 11, "GCP Project")
        }
        let organization =
            segment(after: "organizations", in: finding.text("name") ?? finding.text("parent"))
            ?? segment(after: "organizations", in: resource.text("organization", "gcpMetadata.organization"))
        return JSONValue.compactObject([
            ("provider", .string(providerName)),
            ("region", resource.text("location").map(JSONValue.string)),
            (
                "account",
                account.uid == nil && account.name == nil
                    ? nil
                    : JSONValue.compactObject([
                        ("uid", account.uid.map(JSONValue.string)),
                        ("name", account.name.map(JSONValue.string)),
                        ("type_id", .int(account.typeID)),
                        ("type", .string(account.type)),
                    ])
            ),
            ("org", organization.flatMap { JSONValue.compactObject([("uid", .string($0))]) }),
            ("project_uid", projectID.map(JSONValue.string)),
        ])
    }

    /// ATT&CK from `mitreAttack`, whose tactic and technique names Google documents with their ATT&CK ids; names
    /// the table does not know are kept as names. Older Event Threat Detection findings only link the technique
    /// (`sourceProperties.contextUris.mitreUri.url`).
    private static func mapAttacks(finding: LooseFields, into alert: inout MappedAlert) {
        func add(technique: String?, tactic: String?) {
            let techniqueID = technique.flatMap { techniques[enumName($0)] }
            let tacticID = tactic.flatMap { tactics[enumName($0)] }
            let attack = Attack(
                techniqueID: techniqueID, techniqueName: technique.map(titleCase),
                tacticID: tacticID, tacticName: tactic.map(titleCase))
            guard technique != nil || tactic != nil, !alert.attacks.contains(attack) else { return }
            alert.attacks.append(attack)
        }
        let primaryTactic = finding.text("mitreAttack.primaryTactic")
        let primaryTechniques = mostSpecific(finding.texts("mitreAttack.primaryTechniques"))
        for technique in primaryTechniques { add(technique: technique, tactic: primaryTactic) }
        if primaryTechniques.isEmpty, primaryTactic != nil { add(technique: nil, tactic: primaryTactic) }
        for technique in mostSpecific(finding.texts("mitreAttack.additionalTechniques")) {
            add(technique: technique, tactic: nil)
        }
        for tactic in finding.texts("mitreAttack.additionalTactics") {
            let name = titleCase(tactic)
            if !alert.attacks.contains(where: { $0.tacticName == name }) { add(technique: nil, tactic: tactic) }
        }
        if alert.attacks.isEmpty, let url = finding.text("sourceProperties.contextUris.mitreUri.url") {
            // https://attack.mitre.org/techniques/T1078/003/ → T1078.003
            let parts = url.split(separator: "/")
            if let index = parts.firstIndex(of: "techniques"), index + 1 < parts.count,
                parts[index + 1].hasPrefix("T")
            {
                let sub = index + 2 < parts.count && parts[index + 2].allSatisfy(\.isNumber) ? parts[index + 2] : nil
                alert.attack(technique: sub.map { "\(parts[index + 1]).\($0)" } ?? String(parts[index + 1]))
            }
        }
    }

    /// Google lists a sub-technique together with its parents; the sub-technique alone says it all.
    private static func mostSpecific(_ names: [String]) -> [String] {
        let ids = names.compactMap { techniques[enumName($0)] }
        return names.filter { name in
            guard let id = techniques[enumName(name)] else { return true }
            return !ids.contains { $0.hasPrefix(id + ".") }
        }
    }

    /// `MitreAttack.Tactic` values and the ATT&CK ids Google documents for them (mitre_attack.proto).
    private static let tactics: [String: String] = [
        "RECONNAISSANCE": "TA0043", "RESOURCE_DEVELOPMENT": "TA0042", "INITIAL_ACCESS": "TA0001",
        "EXECUTION": "TA0002", "PERSISTENCE": "TA0003", "PRIVILEGE_ESCALATION": "TA0004",
        "DEFENSE_EVASION": "TA0005", "CREDENTIAL_ACCESS": "TA0006", "DISCOVERY": "TA0007",
        "LATERAL_MOVEMENT": "TA0008", "COLLECTION": "TA0009", "COMMAND_AND_CONTROL": "TA0011",
        "EXFILTRATION": "TA0010", "IMPACT": "TA0040",
    ]

    /// `MitreAttack.Technique` values and the ATT&CK ids Google documents for them (mitre_attack.proto).
    private static let techniques: [String: String] = [
        "MASQUERADING": "T1036", "MATCH_LEGITIMATE_NAME_OR_LOCATION": "T1036.005",
        "BOOT_OR_LOGON_INITIALIZATION_SCRIPTS": "T1037", "STARTUP_ITEMS": "T1037.005",
        "NETWORK_SERVICE_DISCOVERY": "T1046", "PROCESS_DISCOVERY": "T1057",
        "COMMAND_AND_SCRIPTING_INTERPRETER": "T1059", "UNIX_SHELL": "T1059.004",
        "PERMISSION_GROUPS_DISCOVERY": "T1069", "CLOUD_GROUPS": "T1069.003",
        "APPLICATION_LAYER_PROTOCOL": "T1071", "DNS": "T1071.004", "SOFTWARE_DEPLOYMENT_TOOLS": "T1072",
        "VALID_ACCOUNTS": "T1078", "DEFAULT_ACCOUNTS": "T1078.001", "LOCAL_ACCOUNTS": "T1078.003",
        "CLOUD_ACCOUNTS": "T1078.004", "PROXY": "T1090", "EXTERNAL_PROXY": "T1090.002",
        "MULTI_HOP_PROXY": "T1090.003", "ACCOUNT_MANIPULATION": "T1098", "ADDITIONAL_CLOUD_CREDENTIALS": "T1098.001",
        "SSH_AUTHORIZED_KEYS": "T1098.004", "ADDITIONAL_CONTAINER_CLUSTER_ROLES": "T1098.006",
        "INGRESS_TOOL_TRANSFER": "T1105", "NATIVE_API": "T1106", "BRUTE_FORCE": "T1110", "SHARED_MODULES": "T1129",
        "ACCESS_TOKEN_MANIPULATION": "T1134", "TOKEN_IMPERSONATION_OR_THEFT": "T1134.001",
        "EXPLOIT_PUBLIC_FACING_APPLICATION": "T1190", "DOMAIN_POLICY_MODIFICATION": "T1484",
        "DATA_DESTRUCTION": "T1485", "SERVICE_STOP": "T1489", "INHIBIT_SYSTEM_RECOVERY": "T1490",
        "RESOURCE_HIJACKING": "T1496", "NETWORK_DENIAL_OF_SERVICE": "T1498", "CLOUD_SERVICE_DISCOVERY": "T1526",
        "STEAL_APPLICATION_ACCESS_TOKEN": "T1528", "ACCOUNT_ACCESS_REMOVAL": "T1531",
        "STEAL_WEB_SESSION_COOKIE": "T1539", "CREATE_OR_MODIFY_SYSTEM_PROCESS": "T1543",
        "ABUSE_ELEVATION_CONTROL_MECHANISM": "T1548", "UNSECURED_CREDENTIALS": "T1552",
        "MODIFY_AUTHENTICATION_PROCESS": "T1556", "IMPAIR_DEFENSES": "T1562", "DISABLE_OR_MODIFY_TOOLS": "T1562.001",
        "EXFILTRATION_OVER_WEB_SERVICE": "T1567", "EXFILTRATION_TO_CLOUD_STORAGE": "T1567.002",
        "DYNAMIC_RESOLUTION": "T1568", "LATERAL_TOOL_TRANSFER": "T1570", "MODIFY_CLOUD_COMPUTE_INFRASTRUCTURE": "T1578",
        "CREATE_SNAPSHOT": "T1578.001", "CLOUD_INFRASTRUCTURE_DISCOVERY": "T1580", "OBTAIN_CAPABILITIES": "T1588",
        "ACTIVE_SCANNING": "T1595", "SCANNING_IP_BLOCKS": "T1595.001", "CONTAINER_AND_RESOURCE_DISCOVERY": "T1613",
    ]

    /// Words kept in capitals when names are made readable.
    private static let acronyms: Set<String> = [
        "2SV", "ACL", "API", "C2", "CIS", "CMEK", "CSEK", "CVE", "DNS", "DNSSEC", "GKE", "HTTP", "HTTPS", "IAM",
        "IAP", "IP", "K8S", "KMS", "MFA", "OS", "PCI", "RBAC", "RDP", "RSASHA1", "SQL", "SSH", "SSL", "TCP",
        "TLS", "UDP", "URL", "VM", "VPC",
    ]

    /// Scanner categories such as OPEN_FIREWALL read "Open firewall"; a category already written for people
    /// ("Brute Force: SSH") is kept.
    private static func readable(_ category: String) -> String {
        guard !category.contains(" "), !category.contains(where: \.isLowercase) else { return category }
        return category.split(separator: "_").enumerated().map { index, word in
            if acronyms.contains(String(word)) { return String(word) }
            let lower = word.lowercased()
            return index == 0 ? lower.prefix(1).uppercased() + lower.dropFirst() : lower
        }.joined(separator: " ")
    }

    /// Enum names as ATT&CK writes them: CREDENTIAL_ACCESS → "Credential Access", COMMAND_AND_CONTROL →
    /// "Command and Control".
    private static func titleCase(_ name: String) -> String {
        guard !name.contains(where: \.isLowercase) else { return name }
        return name.split(separator: "_").enumerated().map { index, word in
            if acronyms.contains(String(word)) { return String(word) }
            let lower = word.lowercased()
            if index > 0, ["and", "or", "of", "to", "the", "for", "in", "on"].contains(lower) { return lower }
            return lower.prefix(1).uppercased() + lower.dropFirst()
        }.joined(separator: " ")
    }

    /// "Credential Access" or "credential_access" → CREDENTIAL_ACCESS, for the tables.
    private static func enumName(_ name: String) -> String {
        String(name.trimmingWhitespace.uppercased().map { $0 == " " || $0 == "-" ? "_" : $0 })
    }

    /// The last part of a resource name: "//storage.googleapis.com/my-bucket" → "my-bucket".
    private static func lastSegment(_ path: String) -> String? {
        path.split(separator: "/").last.map(String.init)
    }

    /// The id after `kind` in a resource path: ("projects", "//cloudresourcemanager.googleapis.com/projects/12")
    /// → "12".
    private static func segment(after kind: String, in path: String?) -> String? {
        guard let parts = path?.split(separator: "/"), let index = parts.firstIndex(of: Substring(kind)),
            index + 1 < parts.count
        else { return nil }
        return String(parts[index + 1])
    }

}
