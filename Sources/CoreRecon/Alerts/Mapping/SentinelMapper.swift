/// Microsoft Sentinel alerts and incidents, in the shapes Microsoft documents:
/// - a row of the Log Analytics `SecurityAlert` table
///   (https://learn.microsoft.com/azure/azure-monitor/reference/tables/securityalert), where `Entities`,
///   `ExtendedProperties`, `Techniques` and `RemediationSteps` are JSON carried as strings, and the same alert
///   schema as playbooks receive it (`AlertDisplayName`, `Severity`, `Entities` as an array);
/// - a Security Insights REST alert (`kind: SecurityAlert`, `properties.alertDisplayName`, `properties.severity`,
///   `properties.systemAlertId`, https://learn.microsoft.com/rest/api/securityinsights/), which is also the shape of
///   Defender for Cloud alerts, and the same model as the Azure SDK serializes it (`alert_display_name`...);
/// - an incident: REST (`type: Microsoft.SecurityInsights/incidents`, `properties.title`), as the Azure SDK
///   serializes it (`title`, `incident_number`, `created_time_utc`), or a `SecurityIncident` table row.
///
/// Entities follow the Sentinel entity schema (https://learn.microsoft.com/azure/sentinel/entities-reference):
/// `$id`/`$ref` references are resolved and keys are matched regardless of case (PascalCase in Log Analytics,
/// camelCase in REST).
///
/// Severity: `AlertSeverity` (or `Severity`, `properties.severity`) is High, Medium, Low or Informational and maps
/// word for word through ``SeverityScale/fromWord(_:)``; a missing or unknown word is Unknown.
public enum SentinelMapper: AlertMapper {
    public static func recognizes(_ record: JSONValue) -> Bool {
        isIncident(record) || isAlert(record)
    }

    public static func map(_ record: FieldReader) throws(MappingError) -> MappedAlert {
        if isIncident(record.record) {
            return try mapIncident(record)
        }
        return try mapAlert(record)
    }

    private static func isAlert(_ record: JSONValue) -> Bool {
        if record[key: "SystemAlertId"] != nil || record[key: "Type"]?.text == "SecurityAlert" { return true }
        if record[key: "AlertSeverity"] != nil, record[key: "AlertName"] != nil || record[key: "DisplayName"] != nil {
            return true
        }
        if record[key: "system_alert_id"] != nil || record[key: "alert_display_name"] != nil { return true }
        guard let properties = record[key: "properties"], properties.members != nil else { return false }
        return properties[key: "systemAlertId"] != nil || properties[key: "alertDisplayName"] != nil
    }

    private static func isIncident(_ record: JSONValue) -> Bool {
        if let type = record[key: "type"]?.text?.lowercased(), type.hasSuffix("microsoft.securityinsights/incidents") {
            return true
        }
        if record[key: "Type"]?.text == "SecurityIncident" { return true }
        if record[key: "IncidentNumber"] != nil, record[key: "Title"] != nil { return true }
        if record[key: "incident_number"] != nil, record[key: "title"] != nil { return true }
        let properties = record[key: "properties"]
        return properties?[key: "incidentNumber"] != nil && properties?[key: "title"] != nil
    }

    // MARK: - Alerts

    /// Alerts come as Log Analytics columns (PascalCase), REST `properties` (camelCase) or as the Azure SDK
    /// serializes the REST model (snake_case); each field is looked up under its three names.
    private static func mapAlert(_ record: FieldReader) throws(MappingError) -> MappedAlert {
        guard
            let title = record.text(
                "DisplayName", "AlertDisplayName", "AlertName", "properties.alertDisplayName",
                "alert_display_name", "properties.friendlyName", "friendly_name")
        else {
            let field =
                record.record[key: "properties"]?.members != nil
                ? "properties.alertDisplayName"
                : record.record[key: "system_alert_id"] != nil ? "alert_display_name" : "AlertName"
            throw MappingError(field: field, "missing; a Sentinel alert names the analytic or detection that fired")
        }
        let severityWord = record.text("AlertSeverity", "Severity", "properties.severity", "severity")
        let severity = severityWord.flatMap(SeverityScale.fromWord) ?? .unknown
        let product = record.text("ProductName", "properties.productName", "product_name") ?? "Microsoft Sentinel"
        let vendor = record.text("VendorName", "properties.vendorName", "vendor_name") ?? "Microsoft"
        var alert = MappedAlert(format: .sentinel, product: product, vendor: vendor, title: title, severity: severity)
        alert.sourceSeverity = severityWord
        alert.time = record.time(
            "TimeGenerated", "properties.timeGenerated", "properties.timeGeneratedUtc",
            "time_generated", "StartTime", "StartTimeUtc", "properties.startTimeUtc",
            "start_time_utc")
        alert.sourceID = record.text("SystemAlertId", "properties.systemAlertId", "system_alert_id")
        record.consume("Type", "kind", "type")
        alert.description = record.text("Description", "properties.description", "description")

        // Only the rule id and name are taken from ExtendedProperties; the rest (query, counts) stays unmapped.
        let extended = JSONValue.embedded(
            nested(record.record, "ExtendedProperties")
                ?? nested(record.record, "properties.extendedProperties")
                ?? nested(record.record, "properties.additionalData")
                ?? nested(record.record, "additional_data"))
        let analyticRule = strings(member(extended, "Analytic Rule Ids")).first.map(lastPathComponent)
        alert.ruleUID = analyticRule ?? record.text("AlertType", "properties.alertType", "alert_type")
        alert.ruleName = member(extended, "Analytic Rule Name")?.nonEmptyText ?? record.text("AlertName")

        let tactics = strings(
            raw(
                record, "Tactics", "Intent", "properties.tactics", "properties.intent", "tactics",
                "intent"))
        let techniques = strings(raw(record, "Techniques", "properties.techniques", "techniques"))
        let subTechniques = strings(raw(record, "SubTechniques", "properties.subTechniques", "sub_techniques"))
        addAttacks(tactics: tactics, techniques: techniques + subTechniques, to: &alert)

        if let steps = raw(record, "RemediationSteps", "properties.remediationSteps", "remediation_steps") {
            // A JSON list of steps (as a string in Log Analytics), or plain text.
            let desc =
                JSONValue.embedded(steps)?.arrayValue?.compactMap(\.nonEmptyText).joined(separator: "\n")
                ?? steps.nonEmptyText
            if let desc, !desc.isEmpty { alert.set("remediation", .object([JSONMember("desc", .string(desc))])) }
        }
        alert.set(
            "src_url",
            record.text(
                "AlertLink", "properties.alertLink", "alert_link", "AlertUri",
                "properties.alertUri"
            ).map(JSONValue.string))

        var found = Found()
        let rawEntities = nested(record.record, "Entities") ?? nested(record.record, "properties.entities")
        if let entities = JSONValue.embedded(rawEntities) {
            // A string that does not parse is left alone (and kept under `unmapped`), never a reason to fail.
            record.consume("Entities", "properties.entities")
            collect(EntityGraph(entities), into: &found, alert: &alert)
        }
        if let compromised = record.text("CompromisedEntity", "properties.compromisedEntity", "compromised_entity") {
            // The main entity of the alert: a user when it looks like a UPN, a host otherwise.
            if compromised.contains("@") {
                found.user = found.user ?? compromised
                alert.observe(.user, compromised, name: "evidences.user.name")
            } else if found.host == nil {
                found.host = compromised
                found.device = OCSFObjects.device(hostname: compromised)
                alert.observe(.hostname, compromised, name: "device.hostname")
            }
        }
        alert.entities = Entities(
            host: found.host, user: found.user,
            sourceIP: found.connectionSource ?? found.addresses.first,
            destinationIP: found.connectionDestination)
        alert.set("device", found.device)
        if !found.evidences.isEmpty { alert.set("evidences", .array(found.evidences)) }
        if !found.resources.isEmpty { alert.set("resources", .array(found.resources)) }
        return alert
    }

    // MARK: - Incidents

    private static func mapIncident(_ record: FieldReader) throws(MappingError) -> MappedAlert {
        guard let title = record.text("properties.title", "title", "Title") else {
            let isRow = record.record[key: "Type"] != nil || record.record[key: "IncidentNumber"] != nil
            let isREST = record.record[key: "properties"]?.members != nil
            let field = isREST ? "properties.title" : isRow ? "Title" : "title"
            throw MappingError(field: field, "missing; a Sentinel incident has a title")
        }
        let severityWord = record.text("properties.severity", "severity", "Severity")
        let severity = severityWord.flatMap(SeverityScale.fromWord) ?? .unknown
        var alert = MappedAlert(
            format: .sentinel, product: "Microsoft Sentinel", vendor: "Microsoft", title: title,
            severity: severity)
        alert.sourceSeverity = severityWord
        alert.sourceID = record.text("name", "IncidentName")
        record.consume("Type", "type")
        alert.time = record.time("properties.createdTimeUtc", "created_time_utc", "CreatedTime", "TimeGenerated")
        alert.description = record.text("properties.description", "description", "Description")
        let rules = strings(
            raw(
                record, "properties.relatedAnalyticRuleIds", "related_analytic_rule_ids",
                "RelatedAnalyticRuleIds"))
        alert.ruleUID = rules.first.map(lastPathComponent)
        alert.set("src_url", record.text("properties.incidentUrl", "incident_url", "IncidentUrl").map(JSONValue.string))

        // The Log Analytics row carries AdditionalData as a string; REST and the SDK nest it.
        let additional = JSONValue.embedded(
            nested(record.record, "properties.additionalData")
                ?? nested(record.record, "additional_data")
                ?? nested(record.record, "AdditionalData"))
        let tactics = strings(member(additional, "tactics"))
        let techniques = strings(member(additional, "techniques"))
        addAttacks(tactics: tactics, techniques: techniques, to: &alert)
        // The owner is the analyst assigned to the incident, not an entity of the attack: it stays unmapped.
        return alert
    }

    // MARK: - ATT&CK

    /// Microsoft writes tactics as words ("InitialAccess", "CommandAndControl"); ATT&CK ids and names for them.
    private static let tacticIDs: [String: (id: String, name: String)] = [
        "reconnaissance": ("TA0043", "Reconnaissance"),
        "resourcedevelopment": ("TA0042", "Resource Development"),
        "initialaccess": ("TA0001", "Initial Access"),
        "execution": ("TA0002", "Execution"),
        "persistence": ("TA0003", "Persistence"),
        "privilegeescalation": ("TA0004", "Privilege Escalation"),
        "defenseevasion": ("TA0005", "Defense Evasion"),
        "credentialaccess": ("TA0006", "Credential Access"),
        "discovery": ("TA0007", "Discovery"),
        "lateralmovement": ("TA0008", "Lateral Movement"),
        "collection": ("TA0009", "Collection"),
        "exfiltration": ("TA0010", "Exfiltration"),
        "commandandcontrol": ("TA0011", "Command and Control"),
        "impact": ("TA0040", "Impact"),
        "impairprocesscontrol": ("TA0106", "Impair Process Control"),
        "inhibitresponsefunction": ("TA0107", "Inhibit Response Function"),
    ]

    /// Tactics and techniques come as two unrelated lists. The analytics rule editor only offers techniques of
    /// the chosen tactics, so with a single tactic every technique belongs to it; with several, pairing them
    /// would be a guess, so techniques and tactics are listed separately.
    private static func addAttacks(tactics: [String], techniques: [String], to alert: inout MappedAlert) {
        let words = tactics.filter { $0.lowercased() != "unknown" }
        alert.types = words
        let known = words.compactMap { tacticIDs[$0.lowercased().filter { $0.isLetter }] }
        var ids: [String] = []
        for technique in techniques {
            let id = technique.trimmingWhitespace.uppercased()
            guard id.count >= 5, id.hasPrefix("T"), id.dropFirst().first?.isNumber == true, !ids.contains(id) else {
                continue
            }
            ids.append(id)
        }
        // A sub-technique already names its parent.
        let listed = ids
        ids.removeAll { id in !id.contains(".") && listed.contains { $0.hasPrefix(id + ".") } }
        if known.count == 1, let tactic = known.first, !ids.isEmpty {
            for id in ids { alert.attack(technique: id, tactic: tactic.id, tacticName: tactic.name) }
            return
        }
        for id in ids { alert.attack(technique: id) }
        for tactic in known { alert.attack(technique: nil, tactic: tactic.id, tacticName: tactic.name) }
    }

    // MARK: - Entities

    /// What the entities say about the alert, gathered while they are mapped.
    private struct Found {
        var host: String?
        var device: JSONValue?
        var user: String?
        /// A mailbox's owner, the user when no account entity is listed.
        var mailboxUser: String?
        var addresses: [String] = []
        var connectionSource: String?
        var connectionDestination: String?
        var evidences: [JSONValue] = []
        var resources: [JSONValue] = []

        mutating func add(_ evidence: JSONValue?) {
            if let evidence, !evidences.contains(evidence) { evidences.append(evidence) }
        }
    }

    /// The alert's entity list with `$ref` references resolved. Json.NET writes an entity in full where it first
    /// appears (often nested inside another: a process's image file, an account's host) and `{"$ref": id}`
    /// everywhere after, including in the top-level list.
    private struct EntityGraph {
        let entities: [JSONValue]
        private let byID: [String: JSONValue]
        /// Every entity with an `$id`, in the order they appear.
        private let all: [JSONValue]

        init(_ value: JSONValue) {
            var index: [String: JSONValue] = [:]
            var all: [JSONValue] = []
            Self.index(value, into: &index, all: &all)
            byID = index
            self.all = all
            let list = value.arrayValue ?? (value.members != nil ? [value] : [])
            var resolved: [JSONValue] = []
            var seen: Set<String> = []
            for element in list where element.members != nil {
                let id = element[key: "$ref"]?.text ?? element[key: "$id"]?.text
                if let id {
                    guard let target = index[id], seen.insert(id).inserted else { continue }
                    resolved.append(target)
                } else if !resolved.contains(element) {
                    resolved.append(element)
                }
            }
            entities = resolved
        }

        private static func index(_ value: JSONValue, into index: inout [String: JSONValue], all: inout [JSONValue]) {
            switch value {
            case .object(let members):
                if let id = value[key: "$id"]?.text, index[id] == nil {
                    index[id] = value
                    all.append(value)
                }
                for member in members { Self.index(member.value, into: &index, all: &all) }
            case .array(let elements):
                for element in elements { Self.index(element, into: &index, all: &all) }
            default:
                break
            }
        }

        /// The entity itself, or the one a `{"$ref": id}` points to.
        func resolve(_ value: JSONValue?) -> JSONValue? {
            guard let value else { return nil }
            if let ref = value[key: "$ref"]?.text { return byID[ref] }
            return value
        }

        /// The first entity of `type`, nested or not: a host may only appear inside a process or an account.
        func first(ofType type: String) -> JSONValue? {
            all.first { SentinelMapper.entityType($0) == type }
        }
    }

    private static func entityType(_ entity: JSONValue) -> String? {
        text(entity, "Type")?.lowercased()
    }

    private static func collect(_ graph: EntityGraph, into found: inout Found, alert: inout MappedAlert) {
        for entity in graph.entities {
            switch entityType(entity) {
            case "account"?: addAccount(entity, into: &found, alert: &alert)
            case "host"?: addHost(entity, into: &found, alert: &alert)
            case "ip"?:
                guard let address = text(entity, "Address") else { continue }
                alert.observe(.ip, address, name: "evidences.src_endpoint.ip")
                if !isLoopback(address) { found.addresses.append(address) }
                found.add(OCSFObjects.evidence([("src_endpoint", OCSFObjects.endpoint(ip: address))]))
            case "network-connection"?:
                addConnection(entity, graph: graph, into: &found, alert: &alert)
            case "file"?: addFile(entity, graph: graph, into: &found, alert: &alert)
            case "filehash"?:
                alert.observe(.hash, text(entity, "Value"), name: "evidences.file.hashes.value")
            case "process"?: addProcess(entity, graph: graph, into: &found, alert: &alert)
            case "url"?:
                guard let url = text(entity, "Url") else { continue }
                alert.observe(.url, url, name: "evidences.url.url_string")
                found.add(OCSFObjects.evidence([("url", .object([JSONMember("url_string", .string(url))]))]))
            case "dns"?:
                guard let domain = text(entity, "DomainName") else { continue }
                alert.observe(.domain, domain, name: "evidences.query.hostname")
                found.add(OCSFObjects.evidence([("query", .object([JSONMember("hostname", .string(domain))]))]))
            case "mailbox"?: addMailbox(entity, into: &found, alert: &alert)
            case "mailmessage"?: addMailMessage(entity, into: &found, alert: &alert)
            case "azure-resource"?:
                if let resource = text(entity, "ResourceId") {
                    found.resources.append(.object([JSONMember("uid", .string(resource))]))
                }
            default:
                break
            }
        }
        if found.host == nil, let host = graph.first(ofType: "host") {
            addHost(host, into: &found, alert: &alert, asEvidence: false)
        }
        found.user = found.user ?? found.mailboxUser
    }

    private static func addAccount(_ entity: JSONValue, into found: inout Found, alert: inout MappedAlert) {
        guard let name = text(entity, "Name") ?? text(entity, "DisplayName") else { return }
        let suffix = text(entity, "UPNSuffix")
        // Name@UPNSuffix is the user principal name, which identifies the account across tenants' domains.
        let userName = suffix.map { name.contains("@") ? name : "\(name)@\($0)" } ?? name
        alert.observe(.user, userName, name: "evidences.user.name")
        found.user = found.user ?? userName
        let user = JSONValue.compactObject([
            ("name", .string(userName)),
            (
                "uid",
                (text(entity, "AadUserId") ?? text(entity, "Sid") ?? text(entity, "ObjectGuid"))
                    .map(JSONValue.string)
            ),
            ("domain", (text(entity, "NTDomain") ?? text(entity, "DnsDomain")).map(JSONValue.string)),
            ("full_name", text(entity, "DisplayName").map(JSONValue.string)),
        ])
        found.add(OCSFObjects.evidence([("user", user)]))
    }

    private static func addHost(
        _ entity: JSONValue, into found: inout Found, alert: inout MappedAlert,
        asEvidence: Bool = true
    ) {
        guard let hostname = fullHostname(entity) else { return }
        alert.observe(.hostname, hostname, name: "device.hostname")
        let device = OCSFObjects.device(
            hostname: hostname,
            uid: text(entity, "MdatpDeviceId") ?? text(entity, "AzureID") ?? text(entity, "OMSAgentID"),
            os: text(entity, "OSFamily")
        )
        if found.host == nil {
            found.host = hostname
            found.device = device
        }
        if asEvidence { found.add(OCSFObjects.evidence([("device", device)])) }
    }

    /// The host's FQDN when the entity allows one: HostName + DnsDomain is how Defender for Endpoint and the
    /// Defender APIs name the same machine (`computerDnsName`, `deviceDnsName`).
    private static func fullHostname(_ entity: JSONValue) -> String? {
        if let fqdn = text(entity, "FQDN") { return fqdn }
        if let host = text(entity, "HostName") {
            if let domain = text(entity, "DnsDomain"), !host.contains(".") { return "\(host).\(domain)" }
            return host
        }
        return text(entity, "NetBiosName") ?? text(entity, "FullName")
    }

    private static func addConnection(
        _ entity: JSONValue, graph: EntityGraph, into found: inout Found,
        alert: inout MappedAlert
    ) {
        let source = graph.resolve(member(entity, "SourceAddress")).flatMap { text($0, "Address") }
        let destination = graph.resolve(member(entity, "DestinationAddress")).flatMap { text($0, "Address") }
        alert.observe(.ip, source, name: "evidences.src_endpoint.ip")
        alert.observe(.ip, destination, name: "evidences.dst_endpoint.ip")
        found.connectionSource = found.connectionSource ?? source
        found.connectionDestination = found.connectionDestination ?? destination
        let protocolName = text(entity, "Protocol").map { JSONValue.string($0.lowercased()) }
        found.add(
            OCSFObjects.evidence([
                ("src_endpoint", OCSFObjects.endpoint(ip: source, port: member(entity, "SourcePort")?.int)),
                ("dst_endpoint", OCSFObjects.endpoint(ip: destination, port: member(entity, "DestinationPort")?.int)),
                ("connection_info", JSONValue.compactObject([("protocol_name", protocolName)])),
            ]))
    }

    private static func addFile(
        _ entity: JSONValue, graph: EntityGraph, into found: inout Found,
        alert: inout MappedAlert
    ) {
        let name = text(entity, "Name")
        let path = joinPath(text(entity, "Directory"), name)
        alert.observe(.file, name, name: "evidences.file.name")
        alert.observe(.path, path, name: "evidences.file.path")
        var hashes: [String: String] = [:]
        for hash in (member(entity, "FileHashes")?.arrayValue ?? []).compactMap({ graph.resolve($0) }) {
            guard let value = text(hash, "Value") else { continue }
            alert.observe(.hash, value, name: "evidences.file.hashes.value")
            if let algorithm = text(hash, "Algorithm")?.lowercased().filter({ $0.isLetter || $0.isNumber }) {
                hashes[algorithm] = value
            }
        }
        found.add(
            OCSFObjects.evidence([
                (
                    "file",
                    OCSFObjects.file(
                        name: name, path: path, md5: hashes["md5"], sha1: hashes["sha1"],
                        sha256: hashes["sha256"])
                )
            ]))
    }

    private static func addProcess(
        _ entity: JSONValue, graph: EntityGraph, into found: inout Found,
        alert: inout MappedAlert
    ) {
        let image = graph.resolve(member(entity, "ImageFile"))
        let imageName = image.flatMap { text($0, "Name") }
        let imagePath = image.flatMap { joinPath(text($0, "Directory"), imageName) }
        let commandLine = text(entity, "CommandLine")
        alert.observe(.commandLine, commandLine, name: "evidences.process.cmd_line")
        alert.observe(.process, imageName, name: "evidences.process.name")
        let account = graph.resolve(member(entity, "Account")).flatMap { text($0, "Name") }
        found.add(
            OCSFObjects.evidence([
                (
                    "process",
                    OCSFObjects.process(
                        name: imageName, pid: member(entity, "ProcessId")?.int,
                        commandLine: commandLine, path: imagePath, user: account)
                )
            ]))
    }

    private static func addMailbox(_ entity: JSONValue, into found: inout Found, alert: inout MappedAlert) {
        let address = text(entity, "MailboxPrimaryAddress")
        let upn = text(entity, "Upn")
        alert.observe(.email, address, name: "evidences.user.email_addr")
        found.mailboxUser = found.mailboxUser ?? upn ?? address
        found.add(
            OCSFObjects.evidence([
                (
                    "user",
                    JSONValue.compactObject([
                        ("name", (upn ?? address).map(JSONValue.string)),
                        ("email_addr", address.map(JSONValue.string)),
                        ("full_name", text(entity, "DisplayName").map(JSONValue.string)),
                        ("uid", text(entity, "AadId").map(JSONValue.string)),
                    ])
                )
            ]))
    }

    private static func addMailMessage(_ entity: JSONValue, into found: inout Found, alert: inout MappedAlert) {
        let sender = text(entity, "Sender") ?? text(entity, "P1Sender") ?? text(entity, "P2Sender")
        let recipient = text(entity, "Recipient")
        let email = alert.emailEvidence(
            from: sender, to: recipient, subject: text(entity, "Subject"), uid: text(entity, "NetworkMessageId"),
            messageUID: text(entity, "InternetMessageId"), senderIP: text(entity, "SenderIP"),
            urls: strings(member(entity, "Urls")))
        found.add(OCSFObjects.evidence([("email", email)]))
    }

    // MARK: - JSON helpers

    /// The value at a path of nested keys as written: unlike a path look-up, an array stays whole.
    private static func nested(_ value: JSONValue, _ path: String) -> JSONValue? {
        var current: JSONValue? = value
        for key in path.split(separator: ".") { current = current?[key: String(key)] }
        guard let current, !current.isNull else { return nil }
        return current
    }

    /// The first of `paths` that has a value, as written, marked as mapped.
    private static func raw(_ record: FieldReader, _ paths: String...) -> JSONValue? {
        for path in paths {
            if let value = nested(record.record, path) {
                record.consume(path)
                return value
            }
        }
        return nil
    }

    /// A member by name whatever its case: entity keys are PascalCase in Log Analytics, camelCase over REST.
    private static func member(_ value: JSONValue?, _ name: String) -> JSONValue? {
        guard let members = value?.members else { return nil }
        if let exact = members.first(where: { $0.key == name }) { return exact.value }
        let lowered = name.lowercased()
        return members.first { $0.key.lowercased() == lowered }?.value
    }

    private static func text(_ value: JSONValue?, _ name: String) -> String? {
        member(value, name)?.nonEmptyText
    }

    /// A list however it is written: a JSON array, an array encoded as a string, or comma-separated words.
    private static func strings(_ value: JSONValue?) -> [String] {
        guard let value else { return [] }
        if let elements = JSONValue.embedded(value)?.arrayValue { return elements.compactMap(\.nonEmptyText) }
        guard let text = value.nonEmptyText else { return [] }
        if text.hasPrefix("[") { return [] }
        return text.split(separator: ",").map { String($0).trimmingWhitespace }.filter { !$0.isEmpty }
    }

    /// Rule ids are written as ARM resource ids (`.../alertRules/<guid>`) or bare GUIDs; the GUID is kept.
    private static func lastPathComponent(_ id: String) -> String {
        String(id.split(separator: "/").last ?? Substring(id))
    }

    private static func joinPath(_ directory: String?, _ name: String?) -> String? {
        guard let directory else { return nil }
        guard let name else { return directory }
        let separator = directory.contains("/") && !directory.contains("\\") ? "/" : "\\"
        if directory.lowercased().hasSuffix((separator + name).lowercased()) { return directory }
        return directory.hasSuffix(separator) ? directory + name : directory + separator + name
    }

    private static func isLoopback(_ address: String) -> Bool {
        address.hasPrefix("127.") || address == "::1"
    }
}
