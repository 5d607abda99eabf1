import Foundation

/// Amazon GuardDuty findings (https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_findings-format.html and
/// the API reference's `Finding` type): the bare finding, as exported to S3 or returned by `GetFindings`, and the
/// EventBridge event that carries one in `detail` (`"source": "aws.guardduty"`, `"detail-type": "GuardDuty
/// Finding"`). Keys match whatever their case, so an SDK dump's `AccountId` reads like the event's `accountId`.
///
/// Severity: `severity` is AWS's 0–10 score, banded as AWS documents it with ``SeverityScale/fromTen(_:)``:
/// below 1 Informational, 1.0–3.9 Low, 4.0–6.9 Medium, 7.0–8.9 High, 9.0–10 Critical.
public enum GuardDutyMapper: AlertMapper {
    public static func recognizes(_ record: JSONValue) -> Bool {
        if let detail = LooseFields.member("detail", of: record), detail.members != nil {
            if LooseFields.member("detail-type", of: record)?.text == "GuardDuty Finding" { return true }
            return LooseFields.member("source", of: record)?.text == "aws.guardduty" && isFinding(detail)
        }
        return isFinding(record)
    }

    /// A bare finding names GuardDuty in its ARN or service, or has the finding's shape: an account, a schema
    /// version and a `Purpose:Resource/Name` type.
    private static func isFinding(_ value: JSONValue) -> Bool {
        guard value.members != nil, let type = LooseFields.member("type", of: value)?.text else { return false }
        if LooseFields.member("arn", of: value)?.text?.contains(":guardduty:") == true { return true }
        if let service = LooseFields.member("service", of: value),
            LooseFields.member("serviceName", of: service)?.text == "guardduty"
        {
            return true
        }
        return LooseFields.member("accountId", of: value) != nil
            && LooseFields.member("schemaVersion", of: value) != nil
            && type.contains(":") && type.contains("/")
    }

    public static func map(_ record: FieldReader) throws(MappingError) -> MappedAlert {
        let isEvent = LooseFields.member("detail", of: record.record)?.members != nil
        let finding = LooseFields(reader: record, root: isEvent ? "detail." : "")
        guard let type = finding.text("type") else {
            throw MappingError(
                field: finding.root + "type",
                "missing; a GuardDuty finding names its type (ThreatPurpose:ResourceTypeAffected/ThreatFamilyName)"
            )
        }
        let severityText = finding.text("severity")
        let severity =
            severityText.flatMap { Double($0) }.map(SeverityScale.fromTen)
            ?? severityText.flatMap(SeverityScale.fromWord) ?? .unknown

        let title = finding.text("title") ?? type
        var alert = MappedAlert(
            format: .guardduty, product: "GuardDuty", vendor: "AWS", title: title, severity: severity
        )
        alert.sourceSeverity = severityText
        alert.description = finding.text("description")
        alert.time =
            finding.time("updatedAt", "service.eventLastSeen", "createdAt")
            ?? (isEvent ? record.time("time") : nil)
        alert.ruleUID = type
        alert.ruleName = type
        alert.types = [type]
        if let id = finding.text("id") {
            // GuardDuty re-publishes a finding under the same id whenever new activity adds to it (new updatedAt,
            // higher count). Each version is a delivery of its own, which the dedup fingerprint folds into the same
            // alert; the same version sent twice is recognized as a re-delivery.
            alert.sourceID = [id, finding.text("updatedAt")].compactMap { $0 }.joined(separator: ":")
        }
        if isEvent {
            // The envelope repeats the finding's account, region and ARN; its own id is kept under unmapped.
            record.consume("version", "source", "detail-type", "account", "region", "time", "resources")
        }

        let region = finding.text("region")
        let accountID = finding.text("accountId")
        alert.set(
            "cloud",
            JSONValue.compactObject([
                ("provider", .string("AWS")),
                ("region", region.map(JSONValue.string)),
                ("cloud_partition", finding.text("partition").map(JSONValue.string)),
                (
                    "account",
                    accountID.flatMap { uid in
                        JSONValue.compactObject([
                            ("uid", .string(uid)), ("type_id", .int(10)), ("type", .string("AWS Account")),
                        ])
                    }
                ),
            ]))

        let instance = "resource.instanceDetails."
        let instanceID = finding.text(instance + "instanceId")
        let privateDNS = finding.text(instance + "networkInterfaces.privateDnsName")
        let privateIP = finding.text(instance + "networkInterfaces.privateIpAddress")
        let accessKey = "resource.accessKeyDetails."
        let userName = finding.text(
            accessKey + "userName", "resource.kubernetesDetails.kubernetesUserDetails.username",
            "resource.rdsDbUserDetails.user"
        )
        let accessKeyID = finding.text(accessKey + "accessKeyId")
        let principalID = finding.text(accessKey + "principalId")
        // The compute the finding is about; storage (S3 buckets) is a resource, not a host.
        let host =
            instanceID ?? privateDNS
            ?? finding.text(
                "resource.eksClusterDetails.name", "resource.ecsClusterDetails.name",
                "resource.rdsDbInstanceDetails.dbInstanceIdentifier", "resource.lambdaDetails.functionName"
            )

        let action = "service.action."
        let remoteIPs = MappingText.unique(remoteIPPaths.flatMap { finding.texts(action + $0) })
        let localIP =
            finding.text(
                [
                    "networkConnectionAction.localIpDetails.ipAddressV4",
                    "networkConnectionAction.localIpDetails.ipAddressV6",
                    "portProbeAction.portProbeDetails.localIpDetails.ipAddressV4",
                    "portProbeAction.portProbeDetails.localIpDetails.ipAddressV6",
                ].map { action + $0 }) ?? privateIP
        let direction = finding.text(action + "networkConnectionAction.connectionDirection")?.uppercased()
        let domain = finding.text(action + "dnsRequestAction.domain")
        // Outbound connections and DNS lookups start on the instance; everything else reaches it from outside.
        let outbound = direction == "OUTBOUND" || domain != nil
        let remoteIP = remoteIPs.first
        let localPort = finding.int(
            action + "networkConnectionAction.localPortDetails.port",
            action + "portProbeAction.portProbeDetails.localPortDetails.port"
        )
        let remotePort = finding.int(action + "networkConnectionAction.remotePortDetails.port")
        let sourceIP = outbound ? localIP : remoteIP
        let destinationIP = outbound ? remoteIP : localIP

        alert.entities = Entities(host: host, user: userName, sourceIP: sourceIP, destinationIP: destinationIP)
        let remoteName = outbound ? "dst_endpoint.ip" : "src_endpoint.ip"
        let localName = outbound ? "src_endpoint.ip" : "dst_endpoint.ip"
        if outbound { alert.observe(.ip, localIP, name: localName) }
        for ip in remoteIPs { alert.observe(.ip, ip, name: remoteName) }
        if !outbound { alert.observe(.ip, localIP, name: localName) }
        alert.observe(.hostname, privateDNS, name: "device.hostname")
        alert.observe(.user, userName, name: "actor.user.name")
        alert.observe(.domain, domain, name: "query.hostname")
        let callerDomain = finding.text(action + "awsApiCallAction.domainDetails.domain")
        alert.observe(.domain, callerDomain, name: "src_endpoint.domain")

        let process = mapProcessAndFiles(finding: finding, into: &alert)
        mapAttacks(type: type, finding: finding, into: &alert)

        let source = OCSFObjects.endpoint(ip: sourceIP, port: outbound ? localPort : remotePort)
        let destination = OCSFObjects.endpoint(ip: destinationIP, port: outbound ? remotePort : localPort)
        let protocolName = finding.text(
            action + "networkConnectionAction.protocol", action + "dnsRequestAction.protocol"
        )
        let directionID: (Int, String)? =
            switch direction {
            case "INBOUND"?: (1, "Inbound")
            case "OUTBOUND"?: (2, "Outbound")
            default: nil
            }
        let connection = JSONValue.compactObject([
            ("protocol_name", protocolName.map { .string($0.lowercased()) }),
            ("direction_id", directionID.map { .int($0.0) }),
            ("direction", directionID.map { .string($0.1) }),
        ])
        let apiService = finding.text(action + "awsApiCallAction.serviceName")
        let apiError = finding.text(action + "awsApiCallAction.errorCode")
        let api = finding.text(action + "awsApiCallAction.api").flatMap { operation in
            JSONValue.compactObject([
                ("operation", .string(operation)),
                ("service", apiService.flatMap { JSONValue.compactObject([("name", .string($0))]) }),
                ("response", apiError.flatMap { JSONValue.compactObject([("error", .string($0))]) }),
            ])
        }
        let user = JSONValue.compactObject([
            ("name", userName.map(JSONValue.string)),
            ("uid", principalID.map(JSONValue.string)),
            ("credential_uid", accessKeyID.map(JSONValue.string)),
        ])
        alert.set(
            "device",
            OCSFObjects.device(
                hostname: privateDNS, ip: privateIP, uid: instanceID, os: finding.text(instance + "platform")
            ))
        if let evidence = OCSFObjects.evidence([
            ("src_endpoint", source), ("dst_endpoint", destination), ("connection_info", connection), ("api", api),
            ("actor", user.flatMap { JSONValue.compactObject([("user", $0)]) }),
            ("query", domain.flatMap { JSONValue.compactObject([("hostname", .string($0))]) }),
            ("process", process),
        ]) {
            alert.set("evidences", .array([evidence]))
        }
        let resources = resources(of: finding, region: region, userName: userName, accessKeyID: accessKeyID)
        if !resources.isEmpty { alert.set("resources", .array(resources)) }

        let blocked = [
            "networkConnectionAction.blocked", "portProbeAction.blocked", "dnsRequestAction.blocked",
        ].lazy.compactMap { finding.bool(action + $0) }.first
        switch blocked {
        case false?: alert.set("action_id", .int(1)); alert.set("action", .string("Allowed"))
        case true?: alert.set("action_id", .int(2)); alert.set("action", .string("Denied"))
        case nil: break
        }
        alert.set("count", finding.int("service.count").map(JSONValue.int))
        alert.set("start_time", finding.time("service.eventFirstSeen").map { .int($0.milliseconds) })
        alert.set("end_time", finding.time("service.eventLastSeen").map { .int($0.milliseconds) })
        return alert
    }

    /// Observables of the process Runtime Monitoring saw and of the files a malware scan flagged; returns the
    /// OCSF process for the evidence.
    private static func mapProcessAndFiles(finding: LooseFields, into alert: inout MappedAlert) -> JSONValue? {
        let process = "service.runtimeDetails.process."
        let name = finding.text(process + "name")
        let path = finding.text(process + "executablePath")
        let hash = finding.text(process + "executableSha256")
        alert.observe(.process, name, name: "process.name")
        alert.observe(.path, path, name: "process.file.path")
        alert.observe(.hash, hash, name: "process.file.hashes.value")
        let scanned = "service.ebsVolumeScanDetails.scanDetections.threatDetectedByName.threatNames.filePaths."
        let threats = "service.malwareScanDetails.threats."
        for field in [scanned + "hash", threats + "hash", threats + "itemPaths.hash", threats + "itemDetails.hash"] {
            for value in finding.texts(field) { alert.observe(.hash, value, name: "file.hashes.value") }
        }
        for field in [scanned + "filePath", threats + "itemPaths.nestedItemPath", threats + "itemDetails.itemPath"] {
            for value in finding.texts(field) { alert.observe(.path, value, name: "file.path") }
        }
        for value in finding.texts(scanned + "fileName") { alert.observe(.file, value, name: "file.name") }
        return JSONValue.compactObject([
            ("name", name.map(JSONValue.string)),
            ("pid", finding.int(process + "pid").map(JSONValue.int)),
            ("file", OCSFObjects.file(name: nil, path: path, sha256: hash)),
            ("user", finding.text(process + "user").flatMap { JSONValue.compactObject([("name", .string($0))]) }),
        ])
    }

    /// Where an action records the other side of the activity.
    private static let remoteIPPaths: [String] = {
        let actions = [
            "networkConnectionAction.remoteIpDetails", "awsApiCallAction.remoteIpDetails",
            "kubernetesApiCallAction.remoteIpDetails", "rdsLoginAttemptAction.remoteIpDetails",
            "portProbeAction.portProbeDetails.remoteIpDetails",
        ]
        return actions.flatMap { ["\($0).ipAddressV4", "\($0).ipAddressV6"] } + ["kubernetesApiCallAction.sourceIPs"]
    }()

    /// ATT&CK from the finding type's threat purpose and, for attack sequences, the tactics and techniques
    /// GuardDuty lists among the sequence's indicators.
    private static func mapAttacks(type: String, finding: LooseFields, into alert: inout MappedAlert) {
        if type.contains(":"), let purpose = type.split(separator: ":").first,
            let tactic = tactics[LooseFields.loose(purpose)]
        {
            alert.attack(technique: nil, tactic: tactic.id, tacticName: tactic.name)
        }
        for indicator in finding.elements("service.detection.sequence.sequenceIndicators") {
            let values = LooseFields.member("values", of: indicator)?.arrayValue?.compactMap(\.nonEmptyText) ?? []
            switch LooseFields.member("key", of: indicator)?.text?.uppercased() {
            case "ATTACK_TACTIC"?:
                for value in values {
                    if let tactic = tactics[LooseFields.loose(value)] {
                        alert.attack(technique: nil, tactic: tactic.id, tacticName: tactic.name)
                    }
                }
            case "ATTACK_TECHNIQUE"?:
                for value in values {
                    let (id, name) = techniqueReference(value)
                    if id != nil {
                        alert.attack(technique: id, name: name)
                    } else if !alert.attacks.contains(where: { $0.techniqueName == value }) {
                        alert.attacks.append(Attack(techniqueName: value))
                    }
                }
            default:
                break
            }
        }
    }

    /// Threat purposes that name an ATT&CK tactic (keys without case, `_` or `-`). GuardDuty's other purposes
    /// (Backdoor, Behavior, CryptoCurrency, PenTest, Policy, Stealth, Trojan, UnauthorizedAccess) are not tactics
    /// and are not guessed at.
    private static let tactics: [String: (id: String, name: String)] = [
        "recon": ("TA0043", "Reconnaissance"), "reconnaissance": ("TA0043", "Reconnaissance"),
        "resourcedevelopment": ("TA0042", "Resource Development"), "initialaccess": ("TA0001", "Initial Access"),
        "execution": ("TA0002", "Execution"), "persistence": ("TA0003", "Persistence"),
        "privilegeescalation": ("TA0004", "Privilege Escalation"), "defenseevasion": ("TA0005", "Defense Evasion"),
        "credentialaccess": ("TA0006", "Credential Access"), "discovery": ("TA0007", "Discovery"),
        "lateralmovement": ("TA0008", "Lateral Movement"), "collection": ("TA0009", "Collection"),
        "exfiltration": ("TA0010", "Exfiltration"), "commandandcontrol": ("TA0011", "Command and Control"),
        "impact": ("TA0040", "Impact"),
    ]

    /// "T1078.004 - Cloud Accounts" → ("T1078.004", "Cloud Accounts"); a bare name has no id.
    private static func techniqueReference(_ value: String) -> (id: String?, name: String?) {
        let token = value.prefix { $0.isLetter || $0.isNumber || $0 == "." }
        let parts = token.dropFirst().split(separator: ".", omittingEmptySubsequences: false)
        let isID =
            token.first.map { $0 == "T" || $0 == "t" } == true && (1...2).contains(parts.count)
            && parts[0].count == 4 && parts.allSatisfy { $0.allSatisfy(\.isNumber) }
            && (parts.count == 1 || parts[1].count == 3)
        guard isID else { return (nil, value) }
        let name = value.dropFirst(token.count).trimmingCharacters(in: CharacterSet(charactersIn: " -:–"))
        return (String(token), name.isEmpty ? nil : name)
    }

    /// OCSF `resources`: every affected resource the finding describes, typed as CloudFormation names them.
    private static func resources(
        of finding: LooseFields, region: String?, userName: String?,
        accessKeyID: String?
    ) -> [JSONValue] {
        var resources: [JSONValue] = []
        func add(_ type: String, uid: String?, name: String?, namespace: String? = nil) {
            guard uid != nil || name != nil else { return }
            resources.append(
                JSONValue.compactObject([
                    ("uid", uid.map(JSONValue.string)),
                    ("name", name.map(JSONValue.string)),
                    ("type", .string(type)),
                    ("namespace", namespace.map(JSONValue.string)),
                    ("region", region.map(JSONValue.string)),
                ]) ?? .object([]))
        }
        add("AWS::EC2::Instance", uid: finding.text("resource.instanceDetails.instanceId"), name: nil)
        let hasAccessKey = finding.raw("resource.accessKeyDetails") != nil
        add("AWS::IAM::AccessKey", uid: accessKeyID, name: hasAccessKey ? userName : nil)
        for bucket in finding.elements("resource.s3BucketDetails") {
            add(
                "AWS::S3::Bucket", uid: LooseFields.member("arn", of: bucket)?.nonEmptyText,
                name: LooseFields.member("name", of: bucket)?.nonEmptyText)
        }
        finding.consume("resource.s3BucketDetails.arn")
        finding.consume("resource.s3BucketDetails.name")
        add(
            "AWS::EKS::Cluster", uid: finding.text("resource.eksClusterDetails.arn"),
            name: finding.text("resource.eksClusterDetails.name"))
        add(
            "AWS::ECS::Cluster", uid: finding.text("resource.ecsClusterDetails.arn"),
            name: finding.text("resource.ecsClusterDetails.name"))
        add(
            "AWS::RDS::DBInstance", uid: finding.text("resource.rdsDbInstanceDetails.dbInstanceArn"),
            name: finding.text("resource.rdsDbInstanceDetails.dbInstanceIdentifier"))
        add(
            "AWS::Lambda::Function", uid: finding.text("resource.lambdaDetails.functionArn"),
            name: finding.text("resource.lambdaDetails.functionName"))
        let workload = "resource.kubernetesDetails.kubernetesWorkloadDetails."
        if let kind = finding.text(workload + "type") {
            add(
                "Kubernetes \(kind)", uid: finding.text(workload + "uid"), name: finding.text(workload + "name"),
                namespace: finding.text(workload + "namespace"))
        }
        return resources
    }

}
