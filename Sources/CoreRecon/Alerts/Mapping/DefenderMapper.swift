/// Microsoft Defender alerts (Defender XDR / Microsoft 365 Defender, Defender for Endpoint), in three shapes:
/// - the Defender for Endpoint alerts API v1 (https://learn.microsoft.com/defender-endpoint/api/alerts): `id`,
///   `title`, `severity`, `alertCreationTime`, `computerDnsName`, `relatedUser`, `evidence[].entityType`...;
/// - the Microsoft Graph security alert v2 (https://learn.microsoft.com/graph/api/resources/security-alert):
///   `id`, `title`, `severity`, `serviceSource`, `createdDateTime`, `evidence[]` typed by `@odata.type`;
/// - Defender XDR streaming (Event Hub) records of the advanced hunting `AlertInfo` and `AlertEvidence` tables
///   (https://learn.microsoft.com/defender-xdr/advanced-hunting-alertinfo-table,
///   https://learn.microsoft.com/defender-xdr/advanced-hunting-alertevidence-table):
///   `{"category": "AdvancedHunting-AlertInfo", "properties": {...}}`, and the same rows flat, as the advanced
///   hunting API and the Sentinel `AlertInfo`/`AlertEvidence` tables return them.
///
/// An `AlertEvidence` row describes one entity of an alert. Its source id is the alert id plus the entity, so each
/// row is its own delivery; its rule id is the alert id alone and it names no dedup entities, so every row of an
/// alert (and its `AlertInfo` row) folds into one CoreRecon alert.
///
/// Severity: the word (`High`, `Medium`, `Low`, `Informational`, Graph's lowercase `high` ... `informational`)
/// maps through ``SeverityScale/fromWord(_:)``; `UnSpecified`, `unknown` and a missing severity are Unknown.
public enum DefenderMapper: AlertMapper {
    public static func recognizes(_ record: JSONValue) -> Bool {
        shape(of: record) != nil
    }

    public static func map(_ record: FieldReader) throws(MappingError) -> MappedAlert {
        switch shape(of: record.record) {
        case .hunting(let prefix, let isEvidence)?:
            return try mapHuntingRow(record, prefix: prefix, isEvidence: isEvidence)
        case .graph?:
            return try mapGraph(record)
        case .endpoint?:
            return try mapEndpoint(record)
        case nil:
            // Chosen with --input-format: the Graph alert is the current API, v1 the older one.
            if record.record[key: "createdDateTime"] != nil || record.record[key: "serviceSource"] != nil {
                return try mapGraph(record)
            }
            return try mapEndpoint(record)
        }
    }

    private enum Shape {
        case endpoint
        case graph
        /// `prefix` is "properties." for streamed records, "" for flat rows.
        case hunting(prefix: String, isEvidence: Bool)
    }

    private static func shape(of record: JSONValue) -> Shape? {
        if let category = record[key: "category"]?.text?.lowercased(), record[key: "properties"]?.members != nil {
            if category == "advancedhunting-alertinfo" { return .hunting(prefix: "properties.", isEvidence: false) }
            if category == "advancedhunting-alertevidence" {
                return .hunting(prefix: "properties.", isEvidence: true)
            }
        }
        if record[key: "AlertId"]?.nonEmptyText != nil,
            record[key: "ServiceSource"] != nil || record[key: "DetectionSource"] != nil
                || record[key: "EntityType"] != nil
        {
            return .hunting(prefix: "", isEvidence: record[key: "EntityType"] != nil)
        }
        guard record[key: "title"]?.nonEmptyText != nil else { return nil }
        if record[key: "@odata.type"]?.text?.lowercased() == "#microsoft.graph.security.alert"
            || record[key: "providerAlertId"] != nil || record[key: "serviceSource"] != nil
            || record[key: "alertWebUrl"] != nil
        {
            return .graph
        }
        if record[key: "alertCreationTime"] != nil || record[key: "computerDnsName"] != nil
            || record[key: "machineId"] != nil || record[key: "relatedUser"] != nil
        {
            return .endpoint
        }
        return nil
    }

    // MARK: - Defender for Endpoint API v1

    private static func mapEndpoint(_ record: FieldReader) throws(MappingError) -> MappedAlert {
        guard let title = record.text("title") else {
            throw MappingError(field: "title", "missing; a Defender for Endpoint alert has a title")
        }
        let severityWord = record.text("severity")
        var alert = MappedAlert(
            format: .defender, product: "Microsoft Defender for Endpoint", vendor: "Microsoft",
            title: title, severity: severityWord.flatMap(SeverityScale.fromWord) ?? .unknown)
        alert.sourceSeverity = severityWord
        alert.sourceID = record.text("id")
        alert.ruleUID = record.text("detectorId")
        alert.time = record.time("alertCreationTime", "firstEventTime", "lastEventTime")
        alert.description = record.text("description")
        alert.types = record.text("category").map { [$0] } ?? []
        for technique in record.texts("mitreTechniques") { addTechnique(technique, to: &alert) }
        alert.set("cloud", cloud(tenant: record.text("aadTenantId")))

        let host = record.text("computerDnsName")
        alert.observe(.hostname, host, name: "device.hostname")
        alert.set("device", OCSFObjects.device(hostname: host, uid: record.text("machineId")))
        var user = record.text("relatedUser.userName")
        alert.observe(.user, user, name: "evidences.user.name")
        var evidences: [JSONValue] = []
        if let related = OCSFObjects.user(name: user, domain: record.text("relatedUser.domainName")) {
            evidences.append(.object([JSONMember("user", related)]))
        }
        var remoteIPs: [String] = []
        for item in record.values("evidence") {
            let fileName = item[key: "fileName"]?.nonEmptyText
            let path = joinPath(item[key: "filePath"]?.nonEmptyText, fileName)
            let sha1 = item[key: "sha1"]?.nonEmptyText, sha256 = item[key: "sha256"]?.nonEmptyText
            let commandLine = item[key: "processCommandLine"]?.nonEmptyText
            let address = item[key: "ipAddress"]?.nonEmptyText, url = item[key: "url"]?.nonEmptyText
            let account = item[key: "userPrincipalName"]?.nonEmptyText ?? item[key: "accountName"]?.nonEmptyText
            alert.observe(.file, fileName, name: "evidences.file.name")
            alert.observe(.path, path, name: "evidences.file.path")
            for hash in [sha256, sha1] { alert.observe(.hash, hash, name: "evidences.file.hashes.value") }
            alert.observe(.commandLine, commandLine, name: "evidences.process.cmd_line")
            alert.observe(.ip, address, name: "evidences.dst_endpoint.ip")
            alert.observe(.url, url, name: "evidences.url.url_string")
            alert.observe(.user, account, name: "evidences.user.name")
            if let address { remoteIPs.append(address) }
            if user == nil { user = account }
            let isProcess = item[key: "entityType"]?.text?.lowercased() == "process"
            let evidence = OCSFObjects.evidence([
                ("file", OCSFObjects.file(name: fileName, path: path, sha1: sha1, sha256: sha256)),
                (
                    "process",
                    isProcess
                        ? OCSFObjects.process(
                            name: fileName, pid: item[key: "processId"]?.int, commandLine: commandLine,
                            path: path)
                        : nil
                ),
                ("dst_endpoint", OCSFObjects.endpoint(ip: address)),
                ("url", url.map { .object([JSONMember("url_string", .string($0))]) }),
                (
                    "user",
                    OCSFObjects.user(
                        name: account,
                        uid: item[key: "aadUserId"]?.nonEmptyText
                            ?? item[key: "userSid"]?.nonEmptyText,
                        domain: item[key: "domainName"]?.nonEmptyText)
                ),
            ])
            if let evidence, !evidences.contains(evidence) { evidences.append(evidence) }
        }
        if !evidences.isEmpty { alert.set("evidences", .array(evidences)) }
        // An endpoint alert is about the device: an IP in its evidence is the other end of a connection.
        alert.entities = Entities(host: host, user: user, destinationIP: remoteIPs.first)
        return alert
    }

    // MARK: - Microsoft Graph security alert v2

    private static func mapGraph(_ record: FieldReader) throws(MappingError) -> MappedAlert {
        guard let title = record.text("title") else {
            throw MappingError(field: "title", "missing; a Microsoft Graph security alert has a title")
        }
        let severityWord = record.text("severity")
        let product = serviceName(record.text("serviceSource")) ?? "Microsoft Defender XDR"
        var alert = MappedAlert(
            format: .defender, product: product, vendor: "Microsoft", title: title,
            severity: severityWord.flatMap(SeverityScale.fromWord) ?? .unknown)
        alert.sourceSeverity = severityWord
        alert.sourceID = record.text("id")
        alert.ruleUID = record.text("detectorId")
        alert.time = record.time("createdDateTime", "firstActivityDateTime", "lastUpdateDateTime")
        alert.description = record.text("description")
        alert.types = record.text("category").map { [$0] } ?? []
        for technique in record.texts("mitreTechniques") { addTechnique(technique, to: &alert) }
        alert.set("src_url", record.text("alertWebUrl").map(JSONValue.string))
        alert.set("remediation", record.text("recommendedActions").map { .object([JSONMember("desc", .string($0))]) })
        alert.set("cloud", cloud(tenant: record.text("tenantId")))

        var graph = GraphEvidence()
        for item in record.values("evidence") { graph.add(item, to: &alert) }
        alert.entities = Entities(
            host: graph.host, user: graph.user ?? graph.mailboxUser, sourceIP: graph.sourceIP,
            destinationIP: graph.destinationIP)
        alert.set("device", graph.device)
        if !graph.evidences.isEmpty { alert.set("evidences", .array(graph.evidences)) }
        if !graph.resources.isEmpty { alert.set("resources", .array(graph.resources)) }
        return alert
    }

    /// Graph evidence, one `@odata.type` at a time.
    private struct GraphEvidence {
        var host: String?
        var device: JSONValue?
        var user: String?
        /// A mailbox's owner, the user when no user evidence is listed.
        var mailboxUser: String?
        var sourceIP: String?
        var destinationIP: String?
        var evidences: [JSONValue] = []
        var resources: [JSONValue] = []

        mutating func add(_ item: JSONValue, to alert: inout MappedAlert) {
            let type = item[key: "@odata.type"]?.text?.split(separator: ".").last?.lowercased() ?? ""
            var evidence: JSONValue?
            switch type {
            case "deviceevidence":
                let hostname = text(item, "deviceDnsName") ?? text(item, "hostName")
                alert.observe(.hostname, hostname, name: "device.hostname")
                let device = OCSFObjects.device(
                    hostname: hostname,
                    uid: text(item, "mdeDeviceId")
                        ?? text(item, "azureAdDeviceId"),
                    os: text(item, "osPlatform"))
                if host == nil, let hostname {
                    host = hostname
                    self.device = device
                }
                evidence = OCSFObjects.evidence([("device", device)])
            case "userevidence":
                evidence = OCSFObjects.evidence([("user", account(item["userAccount"], alert: &alert))])
            case "ipevidence":
                let address = text(item, "ipAddress")
                // Graph says which end the address was; without a role it is the remote party.
                let roles = (item[key: "roles"]?.arrayValue ?? []).compactMap { $0.text?.lowercased() }
                let isSource = roles.contains("source") || roles.contains("attacker")
                alert.observe(.ip, address, name: isSource ? "evidences.src_endpoint.ip" : "evidences.dst_endpoint.ip")
                if isSource { sourceIP = sourceIP ?? address } else { destinationIP = destinationIP ?? address }
                evidence = OCSFObjects.evidence([
                    (
                        isSource ? "src_endpoint" : "dst_endpoint",
                        OCSFObjects.endpoint(ip: address)
                    )
                ])
            case "fileevidence":
                evidence = OCSFObjects.evidence([("file", file(item["fileDetails"], alert: &alert))])
            case "processevidence":
                let image = item["imageFile"]
                let imageName = text(image, "fileName")
                let commandLine = text(item, "processCommandLine")
                alert.observe(.process, imageName, name: "evidences.process.name")
                alert.observe(.commandLine, commandLine, name: "evidences.process.cmd_line")
                let owner = account(item["userAccount"], alert: &alert, isSubject: false)
                evidence = OCSFObjects.evidence([
                    (
                        "process",
                        OCSFObjects.process(
                            name: imageName, pid: item[key: "processId"]?.int,
                            commandLine: commandLine,
                            path: joinPath(text(image, "filePath"), imageName),
                            user: text(owner, "name"))
                    ),
                    ("file", file(image, alert: &alert)),
                ])
            case "urlevidence":
                let url = text(item, "url")
                alert.observe(.url, url, name: "evidences.url.url_string")
                evidence = OCSFObjects.evidence([("url", url.map { .object([JSONMember("url_string", .string($0))]) })])
            case "dnsevidence":
                let domain = text(item, "domainName")
                alert.observe(.domain, domain, name: "evidences.query.hostname")
                let query = domain.map { JSONValue.object([JSONMember("hostname", .string($0))]) }
                evidence = OCSFObjects.evidence([("query", query)])
            case "mailboxevidence":
                let address = text(item, "primaryAddress")
                let upn = text(item, "upn") ?? text(item["userAccount"], "userPrincipalName")
                alert.observe(.email, address, name: "evidences.user.email_addr")
                mailboxUser = mailboxUser ?? upn ?? address
                evidence = OCSFObjects.evidence([
                    (
                        "user",
                        JSONValue.compactObject([
                            ("name", (upn ?? address).map(JSONValue.string)),
                            ("email_addr", address.map(JSONValue.string)),
                            ("full_name", text(item, "displayName").map(JSONValue.string)),
                        ])
                    )
                ])
            case "analyzedmessageevidence":
                evidence = OCSFObjects.evidence([("email", message(item, alert: &alert))])
            case "azureresourceevidence":
                if let resource = text(item, "resourceId") {
                    resources.append(.object([JSONMember("uid", .string(resource))]))
                }
            default:
                break
            }
            if let evidence, !evidences.contains(evidence) { evidences.append(evidence) }
        }

        /// A `userAccount`; the first one of a user evidence is the alert's user.
        private mutating func account(_ value: JSONValue?, alert: inout MappedAlert, isSubject: Bool = true)
            -> JSONValue?
        {
            let name = text(value, "userPrincipalName") ?? text(value, "accountName")
            alert.observe(.user, name, name: "evidences.user.name")
            if isSubject { user = user ?? name }
            return JSONValue.compactObject([
                ("name", name.map(JSONValue.string)),
                ("uid", (text(value, "azureAdUserId") ?? text(value, "userSid")).map(JSONValue.string)),
                ("domain", text(value, "domainName").map(JSONValue.string)),
                ("full_name", text(value, "displayName").map(JSONValue.string)),
            ])
        }

        private func file(_ details: JSONValue?, alert: inout MappedAlert) -> JSONValue? {
            let name = text(details, "fileName")
            let path = joinPath(text(details, "filePath"), name)
            let md5 = text(details, "md5"), sha1 = text(details, "sha1"), sha256 = text(details, "sha256")
            alert.observe(.file, name, name: "evidences.file.name")
            alert.observe(.path, path, name: "evidences.file.path")
            for hash in [sha256, sha1, md5] { alert.observe(.hash, hash, name: "evidences.file.hashes.value") }
            return OCSFObjects.file(name: name, path: path, md5: md5, sha1: sha1, sha256: sha256)
        }

        private func message(_ item: JSONValue, alert: inout MappedAlert) -> JSONValue? {
            let sender = text(item["p1Sender"], "emailAddress") ?? text(item["p2Sender"], "emailAddress")
            let recipient = text(item, "recipientEmailAddress")
            return alert.emailEvidence(
                from: sender, to: recipient, subject: text(item, "subject"), uid: text(item, "networkMessageId"),
                messageUID: text(item, "internetMessageId"), senderIP: text(item, "senderIp"),
                urls: (item[key: "urls"]?.arrayValue ?? []).compactMap(\.nonEmptyText))
        }

        private func text(_ value: JSONValue?, _ key: String) -> String? {
            value?[key: key]?.nonEmptyText
        }
    }

    // MARK: - Advanced hunting AlertInfo / AlertEvidence rows

    private static func mapHuntingRow(_ record: FieldReader, prefix: String, isEvidence: Bool)
        throws(MappingError) -> MappedAlert
    {
        let alertID = record.text(prefix + "AlertId")
        if isEvidence && alertID == nil {
            throw MappingError(field: prefix + "AlertId", "missing; an AlertEvidence row names the alert it belongs to")
        }
        var title = record.text(prefix + "Title")
        if title == nil, isEvidence, let alertID { title = "Microsoft Defender alert \(alertID)" }
        guard let title else {
            throw MappingError(field: prefix + "Title", "missing; an AlertInfo row carries the alert's title")
        }
        let severityWord = record.text(prefix + "Severity")
        let product = serviceName(record.text(prefix + "ServiceSource")) ?? "Microsoft Defender XDR"
        var alert = MappedAlert(
            format: .defender, product: product, vendor: "Microsoft", title: title,
            severity: severityWord.flatMap(SeverityScale.fromWord) ?? .unknown)
        alert.sourceSeverity = severityWord
        alert.time = record.time(prefix + "Timestamp", "time", "TimeGenerated")
        // Rows of one alert share the rule id, so they dedup into one alert whatever entity each describes.
        alert.ruleUID = alertID
        alert.sourceID = alertID
        alert.types = record.text(prefix + "Category").map { [$0] } ?? strings(raw(record, prefix + "Categories"))
        for technique in strings(raw(record, prefix + "AttackTechniques")) { addTechnique(technique, to: &alert) }
        // Only the streaming envelope names the Entra tenant; a Log Analytics row's TenantId is its workspace.
        alert.set("cloud", cloud(tenant: record.text("tenantId")))
        record.consume("category")
        if isEvidence, let alertID {
            mapEvidenceRow(record, prefix: prefix, alertID: alertID, into: &alert)
        }
        return alert
    }

    private static func mapEvidenceRow(
        _ record: FieldReader, prefix: String, alertID: String,
        into alert: inout MappedAlert
    ) {
        let p = prefix
        let entityType = record.text(p + "EntityType")
        let role = record.text(p + "EvidenceRole")
        // AdditionalFields holds the entity in the Sentinel entity schema; only what the columns lack is read
        // from it, and it stays under `unmapped`.
        let extra = JSONValue.embedded(nested(record.record, p + "AdditionalFields"))
        let hostEntity = firstEntity(ofType: "host", in: extra)

        let deviceName = record.text(p + "DeviceName") ?? hostEntity.flatMap(hostname)
        let deviceID = record.text(p + "DeviceId") ?? hostEntity?[key: "MachineId"]?.nonEmptyText
        alert.observe(.hostname, deviceName, name: "device.hostname")
        let device = OCSFObjects.device(hostname: deviceName, uid: deviceID)
        alert.set("device", device)

        let upn = record.text(p + "AccountUpn")
        let accountName = record.text(p + "AccountName")
        let accountDomain = record.text(p + "AccountDomain")
        let accountID = record.text(p + "AccountObjectId", p + "AccountSid")
        alert.observe(.user, upn ?? accountName, name: "evidences.user.name")
        let mailbox = extra?[key: "MailboxPrimaryAddress"]?.nonEmptyText
        alert.observe(.email, mailbox, name: "evidences.user.email_addr")
        let user = JSONValue.compactObject([
            ("name", (upn ?? accountName).map(JSONValue.string)),
            ("uid", accountID.map(JSONValue.string)),
            ("domain", accountDomain.map(JSONValue.string)),
            ("email_addr", mailbox.map(JSONValue.string)),
        ])

        let fileName = record.text(p + "FileName")
        let path = joinPath(record.text(p + "FolderPath"), fileName)
        let sha1 = record.text(p + "SHA1"), sha256 = record.text(p + "SHA256")
        let isProcess = entityType?.lowercased() == "process"
        let hashes = extra?[key: "FileHashes"] ?? (isProcess ? extra?[key: "ImageFile"]?[key: "FileHashes"] : nil)
        let md5 = (hashes?.arrayValue ?? []).first { $0[key: "Algorithm"]?.text?.uppercased() == "MD5" }?[key: "Value"]?
            .nonEmptyText
        alert.observe(.file, fileName, name: "evidences.file.name")
        alert.observe(.path, path, name: "evidences.file.path")
        for hash in [sha256, sha1, md5] { alert.observe(.hash, hash, name: "evidences.file.hashes.value") }
        let file = OCSFObjects.file(name: fileName, path: path, md5: md5, sha1: sha1, sha256: sha256)
        let commandLine = record.text(p + "ProcessCommandLine")
        alert.observe(.commandLine, commandLine, name: "evidences.process.cmd_line")
        if isProcess { alert.observe(.process, fileName, name: "evidences.process.name") }
        let process =
            isProcess || commandLine != nil
            ? OCSFObjects.process(
                name: isProcess ? fileName : nil, pid: extra?[key: "ProcessId"]?.int,
                commandLine: commandLine, path: isProcess ? path : nil)
            : nil

        let remoteIP = record.text(p + "RemoteIP"), localIP = record.text(p + "LocalIP")
        alert.observe(.ip, remoteIP, name: "evidences.dst_endpoint.ip")
        alert.observe(.ip, localIP, name: "evidences.src_endpoint.ip")
        let remoteURL = record.text(p + "RemoteUrl")
        // RemoteUrl is sometimes a bare domain.
        if let remoteURL, !remoteURL.contains("/") {
            alert.observe(.domain, remoteURL, name: "evidences.url.hostname")
        } else {
            alert.observe(.url, remoteURL, name: "evidences.url.url_string")
        }
        let email = mailMessage(record, prefix: p, extra: extra, alert: &alert)

        alert.set(
            "evidences",
            .array(
                [
                    OCSFObjects.evidence([
                        ("device", device),
                        ("user", user),
                        ("file", file),
                        ("process", process),
                        ("src_endpoint", OCSFObjects.endpoint(ip: localIP)),
                        ("dst_endpoint", OCSFObjects.endpoint(ip: remoteIP)),
                        ("url", remoteURL.map { .object([JSONMember("url_string", .string($0))]) }),
                        ("email", email),
                        (
                            "data",
                            JSONValue.compactObject([
                                ("entity_type", entityType.map(JSONValue.string)),
                                ("evidence_role", role.map(JSONValue.string)),
                            ])
                        ),
                    ])
                ].compactMap { $0 }))

        // The entity's own key when Defender gives one (MergeByKey), else its most specific column.
        let key =
            extra?[key: "MergeByKey"]?.nonEmptyText
            ?? [
                deviceID, deviceName, accountID, upn, accountName, sha256, sha1, path, commandLine, remoteIP,
                remoteURL, record.text(p + "NetworkMessageId"), mailbox, record.text(p + "RegistryKey"),
                record.text(p + "OAuthApplicationId"), record.text(p + "ApplicationId"), localIP,
            ]
            .lazy.compactMap { $0 }.first
            ?? ""
        alert.sourceID = [alertID, entityType ?? "", role ?? "", key].joined(separator: ":")
    }

    /// The email of a MailMessage row: the columns, plus sender and recipient from AdditionalFields.
    private static func mailMessage(
        _ record: FieldReader, prefix: String, extra: JSONValue?,
        alert: inout MappedAlert
    ) -> JSONValue? {
        let subject = record.text(prefix + "EmailSubject") ?? extra?[key: "Subject"]?.nonEmptyText
        let messageID = record.text(prefix + "NetworkMessageId") ?? extra?[key: "NetworkMessageId"]?.nonEmptyText
        let sender = extra?[key: "Sender"]?.nonEmptyText ?? extra?[key: "P1Sender"]?.nonEmptyText
        let recipient = extra?[key: "Recipient"]?.nonEmptyText
        return alert.emailEvidence(
            from: sender, to: recipient, subject: subject, uid: messageID,
            senderIP: extra?[key: "SenderIP"]?.nonEmptyText)
    }

    // MARK: - Helpers

    /// Service names as the APIs write them ("microsoftDefenderForEndpoint", "MicrosoftDefenderforOffice365",
    /// "Microsoft Defender for Office 365") reduced to one display name, so one product fingerprints alike.
    private static let services: [String: String] = [
        "microsoftdefenderforendpoint": "Microsoft Defender for Endpoint",
        "microsoftdefenderforidentity": "Microsoft Defender for Identity",
        "microsoftdefenderforcloudapps": "Microsoft Defender for Cloud Apps",
        "microsoftcloudappsecurity": "Microsoft Defender for Cloud Apps",
        "microsoftdefenderforoffice365": "Microsoft Defender for Office 365",
        "microsoft365defender": "Microsoft Defender XDR",
        "microsoftdefenderxdr": "Microsoft Defender XDR",
        "azureadidentityprotection": "Microsoft Entra ID Protection",
        "aadidentityprotection": "Microsoft Entra ID Protection",
        "microsoftentraidprotection": "Microsoft Entra ID Protection",
        "microsoftappgovernance": "App Governance",
        "appgovernance": "App Governance",
        "datalossprevention": "Microsoft Purview Data Loss Prevention",
        "microsoftdatalossprevention": "Microsoft Purview Data Loss Prevention",
        "microsoftdefenderforcloud": "Microsoft Defender for Cloud",
        "microsoftsentinel": "Microsoft Sentinel",
    ]

    private static func serviceName(_ value: String?) -> String? {
        guard let value else { return nil }
        let key = value.lowercased().filter { $0.isLetter || $0.isNumber }
        if key == "unknown" || key == "unknownfuturevalue" { return nil }
        return services[key] ?? value
    }

    /// Adds an ATT&CK technique written as an id ("T1566.001") or as Defender's advanced hunting tables write it,
    /// "Spearphishing Attachment (T1566.001)". Text without an id is ignored.
    private static func addTechnique(_ text: String, to alert: inout MappedAlert) {
        let bytes = Array(text.utf8)
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        func isWordByte(_ byte: UInt8) -> Bool {
            isDigit(byte) || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
        }
        var index = 0
        while index + 5 <= bytes.count {
            defer { index += 1 }
            guard bytes[index] | 0x20 == UInt8(ascii: "t"), index == 0 || !isWordByte(bytes[index - 1]),
                bytes[(index + 1)..<(index + 5)].allSatisfy(isDigit)
            else { continue }
            var end = index + 5
            if end + 4 <= bytes.count, bytes[end] == UInt8(ascii: "."),
                bytes[(end + 1)..<(end + 4)].allSatisfy(isDigit)
            {
                end += 4
            }
            guard end == bytes.count || !isWordByte(bytes[end]) else { continue }
            let id = String(decoding: bytes[index..<end], as: UTF8.self)
            var name = String(decoding: bytes[..<index], as: UTF8.self).trimmingWhitespace
            if name.hasSuffix("(") { name = String(name.dropLast()).trimmingWhitespace }
            alert.attack(technique: id, name: name.isEmpty ? nil : name)
            return
        }
    }

    private static func cloud(tenant: String?) -> JSONValue? {
        tenant.map {
            .object([
                JSONMember("provider", .string("Azure")),
                JSONMember("account", .object([JSONMember("uid", .string($0))])),
            ])
        }
    }

    /// The value at a path of nested keys as written: unlike a path look-up, an array stays whole.
    private static func nested(_ value: JSONValue, _ path: String) -> JSONValue? {
        var current: JSONValue? = value
        for key in path.split(separator: ".") { current = current?[key: String(key)] }
        guard let current, !current.isNull else { return nil }
        return current
    }

    /// The value at `path` as written, marked as mapped.
    private static func raw(_ record: FieldReader, _ path: String) -> JSONValue? {
        guard let value = nested(record.record, path) else { return nil }
        record.consume(path)
        return value
    }

    /// A JSON array of strings, whether an array or encoded as a string ("[\"InitialAccess\"]"), or
    /// comma-separated text.
    private static func strings(_ value: JSONValue?) -> [String] {
        if let elements = JSONValue.embedded(value)?.arrayValue { return elements.compactMap(\.nonEmptyText) }
        guard let text = value?.nonEmptyText, !text.hasPrefix("[") else { return [] }
        return text.split(separator: ",").map { String($0).trimmingWhitespace }.filter { !$0.isEmpty }
    }

    /// The first object of the Sentinel entity schema with `Type` `type`, searching nested objects too: a process
    /// names its host inside `ImageFile.Host`.
    private static func firstEntity(ofType type: String, in value: JSONValue?) -> JSONValue? {
        guard let value else { return nil }
        switch value {
        case .object(let members):
            if value[key: "Type"]?.text?.lowercased() == type, value[key: "$ref"] == nil { return value }
            for member in members {
                if let found = firstEntity(ofType: type, in: member.value) { return found }
            }
            return nil
        case .array(let elements):
            for element in elements {
                if let found = firstEntity(ofType: type, in: element) { return found }
            }
            return nil
        default:
            return nil
        }
    }

    /// HostName.DnsDomain, the FQDN that the DeviceName column and the APIs use for the same machine.
    private static func hostname(_ host: JSONValue) -> String? {
        guard let name = host[key: "HostName"]?.nonEmptyText else { return host[key: "NetBiosName"]?.nonEmptyText }
        if let domain = host[key: "DnsDomain"]?.nonEmptyText, !name.contains(".") { return "\(name).\(domain)" }
        return name
    }

    private static func joinPath(_ directory: String?, _ name: String?) -> String? {
        guard let directory else { return nil }
        guard let name else { return directory }
        let separator = directory.contains("/") && !directory.contains("\\") ? "/" : "\\"
        if directory.lowercased().hasSuffix((separator + name).lowercased()) { return directory }
        return directory.hasSuffix(separator) ? directory + name : directory + separator + name
    }
}
