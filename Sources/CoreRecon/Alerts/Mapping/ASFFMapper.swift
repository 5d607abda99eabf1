import Foundation

/// AWS Security Hub findings in the AWS Security Finding Format
/// (https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-findings-format.html): the bare finding, as
/// `GetFindings` returns it or `BatchImportFindings` takes it, from any product that reports to Security Hub
/// (Security Hub's own controls, GuardDuty, Inspector, Config, Macie, IAM Access Analyzer, partners). The
/// EventBridge event `Security Hub Findings - Imported` and a `{"Findings": [...]}` page are unwrapped by the
/// normalizer (``AlertNormalizer/parse(_:limits:)``), each finding a record of its own.
///
/// Severity: `Severity.Label` (INFORMATIONAL, LOW, MEDIUM, HIGH, CRITICAL), else the finding provider's label,
/// else `Severity.Normalized` (0–100) banded as AWS documents the labels: 0 informational, 1–39 low, 40–69 medium,
/// 70–89 high, 90–100 critical.
public enum ASFFMapper: AlertMapper {
    public static func recognizes(_ record: JSONValue) -> Bool {
        guard record.members != nil else { return false }
        return LooseFields.member("SchemaVersion", of: record) != nil
            && LooseFields.member("ProductArn", of: record) != nil
            && LooseFields.member("AwsAccountId", of: record) != nil
    }

    public static func map(_ record: FieldReader) throws(MappingError) -> MappedAlert {
        let finding = LooseFields(reader: record, root: "")
        guard let title = finding.text("Title") else {
            throw MappingError(field: "Title", "missing; every ASFF finding has a title")
        }
        let label = finding.text("Severity.Label", "FindingProviderFields.Severity.Label")
        let normalized = finding.raw("Severity.Normalized")?.double
        if normalized != nil { finding.consume("Severity.Normalized") }
        let severity =
            label.flatMap(SeverityScale.fromWord) ?? normalized.map(Self.severity(normalized:)) ?? .unknown
        let productArn = finding.text("ProductArn")
        let product =
            finding.text("ProductName", "ProductFields.aws/securityhub/ProductName")
            ?? productArn.flatMap(Self.productName(arn:)) ?? "Security Hub"
        let company = finding.text("CompanyName", "ProductFields.aws/securityhub/CompanyName") ?? "AWS"
        var alert = MappedAlert(format: .asff, product: product, vendor: company, title: title, severity: severity)
        alert.sourceSeverity = label ?? normalized.map { String(Int($0)) }
        alert.description = finding.text("Description")
        alert.time = finding.time("UpdatedAt", "LastObservedAt", "CreatedAt")
        let generator = finding.text("GeneratorId")
        alert.ruleUID = generator
        alert.ruleName = finding.text("Compliance.SecurityControlId", "ProductFields.ControlId") ?? generator
        alert.types = finding.texts("Types")
        if alert.types.isEmpty { alert.types = finding.texts("FindingProviderFields.Types") }
        if let id = finding.text("Id") {
            // A finding is updated in place under its id (a control evaluated again, new activity); each version
            // is a delivery, which dedup folds into one alert, and the same version sent twice is a re-delivery.
            alert.sourceID = [id, finding.text("UpdatedAt")].compactMap { $0 }.joined(separator: ":")
        }
        finding.consume("SchemaVersion")
        finding.consume("ProductArn")

        let region = finding.text("Region")
        let account = finding.text("AwsAccountId")
        let resources = finding.elements("Resources")
        let partition = resources.lazy.compactMap { LooseFields.member("Partition", of: $0)?.nonEmptyText }.first
        alert.set(
            "cloud",
            JSONValue.compactObject([
                ("provider", .string("AWS")),
                ("region", region.map(JSONValue.string)),
                ("cloud_partition", partition.map(JSONValue.string)),
                (
                    "account",
                    account.flatMap { uid in
                        JSONValue.compactObject([
                            ("uid", .string(uid)), ("type_id", .int(10)), ("type", .string("AWS Account")),
                        ])
                    }
                ),
            ]))

        let subjects = mapResources(resources, finding: finding, region: region, into: &alert)
        let network = mapNetwork(finding: finding, into: &alert)
        let process = mapProcess(finding: finding, into: &alert)
        mapIndicators(finding: finding, into: &alert)
        alert.entities = Entities(
            host: subjects.host, user: subjects.user, sourceIP: network.source, destinationIP: network.destination)
        if let evidence = OCSFObjects.evidence([
            ("src_endpoint", OCSFObjects.endpoint(ip: network.source, port: network.sourcePort)),
            ("dst_endpoint", OCSFObjects.endpoint(ip: network.destination, port: network.destinationPort)),
            ("connection_info", network.connection), ("api", network.api), ("process", process),
            ("query", network.domain.flatMap { JSONValue.compactObject([("hostname", .string($0))]) }),
        ]) {
            alert.set("evidences", .array([evidence]))
        }
        if let host = subjects.instance {
            alert.set("device", OCSFObjects.device(hostname: subjects.hostname, ip: subjects.ip, uid: host))
        }

        let recommendation = finding.text("Remediation.Recommendation.Text")
        let reference = finding.text("Remediation.Recommendation.Url")
        alert.set(
            "remediation",
            JSONValue.compactObject([
                ("desc", recommendation.map(JSONValue.string)),
                ("references", reference.map { .array([.string($0)]) }),
            ]))
        let cves = finding.texts("Vulnerabilities.Id").filter { $0.uppercased().hasPrefix("CVE-") }
        if !cves.isEmpty {
            alert.set(
                "vulnerabilities",
                .array(cves.map { .object([JSONMember("cve", .object([JSONMember("uid", .string($0))]))]) }))
        }
        alert.set("start_time", finding.time("FirstObservedAt").map { .int($0.milliseconds) })
        alert.set("end_time", finding.time("LastObservedAt").map { .int($0.milliseconds) })
        if let count = finding.int("Threats.ItemCount") { alert.set("count", .int(count)) }
        if let confidence = finding.int("Confidence"), (0...100).contains(confidence) {
            alert.set("confidence_score", .int(confidence))
        }
        return alert
    }

    /// 0–100 as AWS bands its labels.
    static func severity(normalized score: Double) -> Severity {
        switch score {
        case ..<1: .informational
        case ..<40: .low
        case ..<70: .medium
        case ..<90: .high
        default: .critical
        }
    }

    /// The product a product ARN names: `arn:aws:securityhub:us-east-1::product/aws/guardduty` → "guardduty".
    static func productName(arn: String) -> String? {
        guard let range = arn.range(of: ":product/") else { return nil }
        return arn[range.upperBound...].split(separator: "/").last.map(String.init)
    }

    // MARK: - Resources

    struct Subjects {
        /// The dedup host: the instance's DNS name, else its id.
        var host: String? { hostname ?? instance }
        var instance: String?
        var hostname: String?
        var ip: String?
        var user: String?
    }

    /// OCSF `resources`, and the host and user the finding is about: the first EC2 instance (its id from the ARN,
    /// its addresses and DNS name) and the first IAM user or access key's user.
    private static func mapResources(
        _ resources: [JSONValue], finding: LooseFields, region: String?, into alert: inout MappedAlert
    ) -> Subjects {
        var subjects = Subjects()
        var mapped: [JSONValue] = []
        for resource in resources {
            let type = LooseFields.member("Type", of: resource)?.nonEmptyText
            let id = LooseFields.member("Id", of: resource)?.nonEmptyText
            let details = LooseFields.member("Details", of: resource)
            mapped.append(
                JSONValue.compactObject([
                    ("uid", id.map(JSONValue.string)),
                    ("type", type.map(JSONValue.string)),
                    (
                        "region",
                        (LooseFields.member("Region", of: resource)?.nonEmptyText ?? region).map(JSONValue.string)
                    ),
                    (
                        "cloud_partition",
                        LooseFields.member("Partition", of: resource)?.nonEmptyText.map(JSONValue.string)
                    ),
                ]) ?? .object([]))
            // The resource itself is what an analyst pivots on across findings (Security Hub, GuardDuty, Config).
            alert.observe(.resource, id, name: "resources.uid")
            switch type {
            case "AwsEc2Instance"?:
                let instance = details.flatMap { LooseFields.member("AwsEc2Instance", of: $0) }
                let ips =
                    instance.map {
                        (LooseFields.member("IpV4Addresses", of: $0)?.arrayValue ?? [])
                            + (LooseFields.member("IpV6Addresses", of: $0)?.arrayValue ?? [])
                    } ?? []
                let name = instance.flatMap { LooseFields.member("PrivateDnsName", of: $0)?.nonEmptyText }
                let uid = id.map(Self.instanceID(arn:))
                if subjects.instance == nil {
                    subjects.instance = uid
                    subjects.hostname = name
                    subjects.ip = ips.first?.nonEmptyText
                }
                alert.observe(.resource, uid, name: "device.uid")
                alert.observe(.hostname, name, name: "device.hostname")
                for ip in ips.compactMap(\.nonEmptyText) { alert.observe(.ip, ip, name: "device.ip") }
            case "AwsIamAccessKey"?, "AwsIamUser"?:
                let key = details.flatMap { LooseFields.member(type ?? "", of: $0) }
                let user = key.flatMap {
                    LooseFields.member("UserName", of: $0)?.nonEmptyText
                        ?? LooseFields.member("PrincipalName", of: $0)?.nonEmptyText
                }
                if subjects.user == nil { subjects.user = user }
                alert.observe(.user, user, name: "actor.user.name")
            default:
                break
            }
        }
        finding.consume("Resources.Type")
        finding.consume("Resources.Id")
        finding.consume("Resources.Region")
        finding.consume("Resources.Partition")
        if !mapped.isEmpty { alert.set("resources", .array(mapped)) }
        return subjects
    }

    /// `i-0abc` from `arn:aws:ec2:us-east-1:111111111111:instance/i-0abc`; anything else as it is.
    static func instanceID(arn: String) -> String {
        guard let range = arn.range(of: ":instance/") else { return arn }
        return String(arn[range.upperBound...])
    }

    // MARK: - Network, process, indicators

    struct Network {
        var source: String?
        var destination: String?
        var sourcePort: Int?
        var destinationPort: Int?
        var domain: String?
        var connection: JSONValue?
        var api: JSONValue?
    }

    /// The finding's `Network` (source and destination as the provider saw them) and `Action` (GuardDuty's
    /// activity, with the remote side in `RemoteIpDetails`).
    private static func mapNetwork(finding: LooseFields, into alert: inout MappedAlert) -> Network {
        var network = Network()
        network.source = finding.text("Network.SourceIpV4", "Network.SourceIpV6")
        network.destination = finding.text("Network.DestinationIpV4", "Network.DestinationIpV6")
        network.sourcePort = finding.int("Network.SourcePort")
        network.destinationPort = finding.int("Network.DestinationPort")
        let sourceDomain = finding.text("Network.SourceDomain")
        let destinationDomain = finding.text("Network.DestinationDomain")
        let action = "Action."
        let remote = finding.text(
            action + "NetworkConnectionAction.RemoteIpDetails.IpAddressV4",
            action + "AwsApiCallAction.RemoteIpDetails.IpAddressV4",
            action + "PortProbeAction.PortProbeDetails.RemoteIpDetails.IpAddressV4")
        let local = finding.text(action + "PortProbeAction.PortProbeDetails.LocalIpDetails.IpAddressV4")
        let outbound = finding.text(action + "NetworkConnectionAction.ConnectionDirection")?.uppercased() == "OUTBOUND"
        if network.source == nil, network.destination == nil {
            network.source = outbound ? local : remote
            network.destination = outbound ? remote : local
        }
        network.domain =
            finding.text(action + "DnsRequestAction.Domain", action + "AwsApiCallAction.DomainDetails.Domain")
            ?? destinationDomain
        alert.observe(.ip, network.source, name: "src_endpoint.ip")
        alert.observe(.ip, network.destination, name: "dst_endpoint.ip")
        alert.observe(.domain, sourceDomain, name: "src_endpoint.domain")
        alert.observe(.domain, network.domain, name: "query.hostname")
        let direction = finding.text("Network.Direction", action + "NetworkConnectionAction.ConnectionDirection")?
            .uppercased()
        let directionID: (Int, String)? =
            switch direction {
            case "IN"?, "INBOUND"?: (1, "Inbound")
            case "OUT"?, "OUTBOUND"?: (2, "Outbound")
            default: nil
            }
        network.connection = JSONValue.compactObject([
            (
                "protocol_name",
                finding.text("Network.Protocol", action + "NetworkConnectionAction.Protocol").map {
                    .string($0.lowercased())
                }
            ),
            ("direction_id", directionID.map { .int($0.0) }),
            ("direction", directionID.map { .string($0.1) }),
        ])
        if let operation = finding.text(action + "AwsApiCallAction.Api") {
            network.api = JSONValue.compactObject([
                ("operation", .string(operation)),
                (
                    "service",
                    finding.text(action + "AwsApiCallAction.ServiceName").flatMap {
                        JSONValue.compactObject([("name", .string($0))])
                    }
                ),
            ])
        }
        let blocked = ["NetworkConnectionAction.Blocked", "DnsRequestAction.Blocked", "PortProbeAction.Blocked"]
            .lazy.compactMap { finding.bool(action + $0) }.first
        switch blocked {
        case false?: alert.set("action_id", .int(1)); alert.set("action", .string("Allowed"))
        case true?: alert.set("action_id", .int(2)); alert.set("action", .string("Denied"))
        case nil: break
        }
        return network
    }

    private static func mapProcess(finding: LooseFields, into alert: inout MappedAlert) -> JSONValue? {
        let name = finding.text("Process.Name")
        let path = finding.text("Process.Path")
        alert.observe(.process, name, name: "process.name")
        alert.observe(.path, path, name: "process.file.path")
        for threat in finding.elements("Threats.FilePaths") {
            alert.observe(.path, LooseFields.member("FilePath", of: threat)?.nonEmptyText, name: "file.path")
            alert.observe(.file, LooseFields.member("FileName", of: threat)?.nonEmptyText, name: "file.name")
            alert.observe(.hash, LooseFields.member("Hash", of: threat)?.nonEmptyText, name: "file.hashes.value")
        }
        finding.consume("Threats.FilePaths")
        for path in finding.texts("Malware.Path") { alert.observe(.path, path, name: "malware.path") }
        return JSONValue.compactObject([
            ("name", name.map(JSONValue.string)),
            ("pid", finding.int("Process.Pid").map(JSONValue.int)),
            ("file", OCSFObjects.file(name: nil, path: path, sha256: nil)),
        ])
    }

    /// `ThreatIntelIndicators[]`: each typed value an observable of its kind.
    private static func mapIndicators(finding: LooseFields, into alert: inout MappedAlert) {
        for indicator in finding.elements("ThreatIntelIndicators") {
            let value = LooseFields.member("Value", of: indicator)?.nonEmptyText
            switch LooseFields.member("Type", of: indicator)?.text?.uppercased() {
            case "IPV4_ADDRESS"?, "IPV6_ADDRESS"?: alert.observe(.ip, value, name: "osint.value")
            case "DOMAIN"?: alert.observe(.domain, value, name: "osint.value")
            case "URL"?: alert.observe(.url, value, name: "osint.value")
            case "EMAIL_ADDRESS"?: alert.observe(.email, value, name: "osint.value")
            case let type? where type.hasPrefix("HASH_"): alert.observe(.hash, value, name: "osint.value")
            case "PROCESS"?: alert.observe(.process, value, name: "osint.value")
            default: break
            }
        }
        finding.consume("ThreatIntelIndicators.Type")
        finding.consume("ThreatIntelIndicators.Value")
    }
}
