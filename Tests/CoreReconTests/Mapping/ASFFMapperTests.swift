import Foundation
import Testing

@testable import CoreRecon

@Suite("Security Hub (ASFF) finding mapping")
struct ASFFMapperTests {
    static func attribute(_ alert: MappedAlert, _ key: String) -> JSONValue? {
        alert.attributes.first { $0.key == key }?.value
    }

    @Test("A Security Hub control finding maps product, control, severity label, account, resource and remediation")
    func controlFinding() throws {
        let path = "alerts/asff/control-ec2-8.json"
        #expect(AlertFormat.detect(try Fixtures.json(path)) == .asff)
        let alert = try Fixtures.map(path, as: .asff)
        #expect(alert.title == "EC2.8 EC2 instances should use Instance Metadata Service Version 2 (IMDSv2)")
        #expect(alert.product == "Security Hub" && alert.vendor == "AWS")
        #expect(alert.severity == .high && alert.sourceSeverity == "HIGH")
        #expect(alert.ruleUID == "aws-foundational-security-best-practices/v/1.0.0/EC2.8")
        #expect(alert.ruleName == "EC2.8")
        #expect(alert.time == TimestampParser.iso8601("2023-08-21T23:04:49.836Z"))
        #expect(
            alert.sourceID?.hasSuffix("/EC2.8/finding/7ff2dedd-7f57-4195-a7c9-b2d5dacd7de6:2023-08-21T23:04:49.836Z")
                == true)
        #expect(alert.entities.host == "i-077c4d5f32561ac45", "the instance id from the resource's ARN")
        #expect(Self.attribute(alert, "cloud")?["account.uid"]?.text == "111111111111")
        #expect(Self.attribute(alert, "cloud")?["cloud_partition"]?.text == "aws")
        let resource = try #require(Self.attribute(alert, "resources")?.arrayValue?.first)
        #expect(resource["type"]?.text == "AwsEc2Instance")
        #expect(resource["uid"]?.text == "arn:aws:ec2:us-east-1:111111111111:instance/i-077c4d5f32561ac45")
        #expect(
            Self.attribute(alert, "remediation")?[key: "references"]?.arrayValue?.first?.text
                == "https://docs.aws.amazon.com/console/securityhub/EC2.8/remediation")
        #expect(Self.attribute(alert, "device")?["uid"]?.text == "i-077c4d5f32561ac45")
    }

    @Test("A Config finding names Config as its product; a label-less severity falls back to Normalized")
    func configFinding() throws {
        let alert = try Fixtures.map("alerts/asff/config-s3.json", as: .asff)
        #expect(alert.product == "Config")
        #expect(alert.severity == .medium)
        var record = try Fixtures.json("alerts/asff/config-s3.json")
        record = try JSONParser.parse(
            record.jsonString.replacingOccurrences(of: #""Label":"MEDIUM","#, with: "")
                .replacingOccurrences(of: #"{"Label":"MEDIUM"}"#, with: "{}"))
        let normalized = try ASFFMapper.map(FieldReader(record))
        #expect(normalized.severity == .medium && normalized.sourceSeverity == "40")
        #expect(ASFFMapper.severity(normalized: 0) == .informational)
        #expect(ASFFMapper.severity(normalized: 39) == .low)
        #expect(ASFFMapper.severity(normalized: 70) == .high)
        #expect(ASFFMapper.severity(normalized: 90) == .critical)
    }

    @Test("EventBridge events and GetFindings pages are unwrapped, a finding a record")
    func envelopes() throws {
        let event = try Fixtures.data("alerts/asff/eventbridge-imported.json")
        let records = try AlertNormalizer.parse(Array(event))
        #expect(records.count == 1)
        #expect(AlertFormat.detect(records[0]) == .asff)
        #expect(try ASFFMapper.map(FieldReader(records[0])).title == "IAM.4 IAM root user access key should not exist")

        let one = try Fixtures.json("alerts/asff/control-ec2-8.json")
        let two = try Fixtures.json("alerts/asff/config-s3.json")
        let page = JSONValue.object([JSONMember("Findings", .array([one, two]))])
        #expect(try AlertNormalizer.parse(Array(page.jsonString.utf8)).count == 2)
        // Two findings in one event are two records too.
        let both = try JSONParser.parse(
            #"{"source":"aws.securityhub","detail-type":"Security Hub Findings - Imported","detail":{"findings":["#
                + one.jsonString + "," + two.jsonString + "]}}")
        #expect(
            try AlertNormalizer.parse(Array(both.jsonString.utf8)).map { AlertFormat.detect($0) } == [.asff, .asff])
        // An event of another source with a findings array is left whole.
        let other = #"{"source":"aws.other","detail":{"findings":[{"a":1}]}}"#
        #expect(try AlertNormalizer.parse(Array(other.utf8)).count == 1)
    }

    /// A GuardDuty finding as Security Hub carries it, written from the ASFF syntax reference
    /// (`Network`, `Action.NetworkConnectionAction`, `ThreatIntelIndicators`, `Process`, `Resources[].Details`).
    static let guardDutyFinding = """
        {"SchemaVersion":"2018-10-08","Id":"arn:aws:guardduty:eu-west-1:123456789012:detector/d1/finding/f1",
        "ProductArn":"arn:aws:securityhub:eu-west-1::product/aws/guardduty","GeneratorId":"arn:aws:guardduty:eu-west-1:123456789012:detector/d1",
        "AwsAccountId":"123456789012","Types":["TTPs/Command and Control/Backdoor:EC2-C&CActivity.B!DNS"],
        "CreatedAt":"2024-03-01T10:00:00.000Z","UpdatedAt":"2024-03-01T10:05:00.000Z",
        "Severity":{"Normalized":80},"Title":"Command and control server domain name queried by EC2 instance i-99999999.",
        "Description":"EC2 instance i-99999999 is querying a domain name associated with a known command and control server.",
        "Network":{"Direction":"OUT","Protocol":"UDP","SourceIpV4":"10.0.0.5","SourcePort":53000,"DestinationIpV4":"198.51.100.7","DestinationPort":53,"DestinationDomain":"evil.example.com"},
        "Action":{"ActionType":"DNS_REQUEST","DnsRequestAction":{"Domain":"evil.example.com","Protocol":"UDP","Blocked":true}},
        "Process":{"Name":"curl","Path":"/usr/bin/curl","Pid":4242},
        "ThreatIntelIndicators":[{"Type":"DOMAIN","Value":"evil.example.com"},{"Type":"HASH_SHA256","Value":"E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"}],
        "Resources":[{"Type":"AwsEc2Instance","Id":"arn:aws:ec2:eu-west-1:123456789012:instance/i-99999999","Partition":"aws","Region":"eu-west-1",
          "Details":{"AwsEc2Instance":{"IpV4Addresses":["10.0.0.5"],"PrivateDnsName":"ip-10-0-0-5.eu-west-1.compute.internal"}}},
         {"Type":"AwsIamAccessKey","Id":"AKIAEXAMPLE","Details":{"AwsIamAccessKey":{"UserName":"deploy-bot"}}}]}
        """

    @Test("A GuardDuty finding through Security Hub maps network, DNS, process, indicators and the instance")
    func guardDutyThroughSecurityHub() throws {
        let record = try JSONParser.parse(Self.guardDutyFinding)
        #expect(AlertFormat.detect(record) == .asff, "ASFF, not GuardDuty's own format")
        let alert = try ASFFMapper.map(FieldReader(record))
        #expect(alert.product == "guardduty", "named by the product ARN when ProductName is absent")
        #expect(alert.severity == .high && alert.sourceSeverity == "80")
        #expect(
            alert.entities
                == Entities(
                    host: "ip-10-0-0-5.eu-west-1.compute.internal", user: "deploy-bot", sourceIP: "10.0.0.5",
                    destinationIP: "198.51.100.7"))
        let values = Set(alert.observables.map(\.value))
        for value in [
            "10.0.0.5", "198.51.100.7", "evil.example.com", "curl", "/usr/bin/curl", "deploy-bot",
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        ] {
            #expect(values.contains(value), "\(value)")
        }
        let evidence = try #require(Self.attribute(alert, "evidences")?.arrayValue?.first)
        #expect(evidence["connection_info.direction"]?.text == "Outbound")
        #expect(evidence["dst_endpoint.port"]?.int == 53)
        #expect(evidence["query.hostname"]?.text == "evil.example.com")
        #expect(evidence["process.pid"]?.int == 4242)
        #expect(Self.attribute(alert, "action")?.text == "Denied")
    }

    @Test("A finding without a title is refused, naming the field")
    func missingTitle() throws {
        let record = try JSONParser.parse(#"{"SchemaVersion":"2018-10-08","ProductArn":"x","AwsAccountId":"1"}"#)
        #expect(throws: MappingError(field: "Title", "missing; every ASFF finding has a title")) {
            try ASFFMapper.map(FieldReader(record))
        }
    }
}
