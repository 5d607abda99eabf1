import CoreRecon
import Foundation
import Testing

@Suite("GuardDuty finding mapping")
struct GuardDutyMapperTests {
    @Test("An EventBridge port-probe event maps the finding in detail: rule, severity, endpoints, Reconnaissance")
    func portProbeEvent() throws {
        let path = "alerts/guardduty/port-probe-event.json"
        #expect(AlertFormat.detect(try Fixtures.json(path)) == .guardduty)
        let alert = try Fixtures.map(path, as: .guardduty)
        #expect(alert.title == "Unprotected port on EC2 instance i-0a1b2c3d4e5f67890 is being probed.")
        #expect(alert.severity == .low)
        #expect(alert.sourceSeverity == "2")
        #expect(alert.ruleUID == "Recon:EC2/PortProbeUnprotectedPort")
        #expect(alert.types == ["Recon:EC2/PortProbeUnprotectedPort"])
        #expect(alert.sourceID == "a4c7f1e2b3d94e8f9a0b1c2d3e4f5a6b:2024-05-14T09:15:42.108Z")
        #expect(alert.time == TimestampParser.iso8601("2024-05-14T09:15:42.108Z"))
        #expect(
            alert.entities
                == Entities(
                    host: "i-0a1b2c3d4e5f67890", sourceIP: "203.0.113.77",
                    destinationIP: "10.0.1.25"))
        #expect(
            alert.observables.map(\.value) == [
                "203.0.113.77", "203.0.113.78", "10.0.1.25", "ip-10-0-1-25.eu-central-1.compute.internal",
            ])
        #expect(alert.attacks == [Attack(tacticID: "TA0043", tacticName: "Reconnaissance")])
        #expect(attribute("cloud", of: alert)?["provider"]?.text == "AWS")
        #expect(attribute("cloud", of: alert)?["account.uid"]?.text == "123456789012")
        #expect(attribute("cloud", of: alert)?["region"]?.text == "eu-central-1")
        #expect(attribute("evidences", of: alert)?["dst_endpoint.port"]?.int == 22)
        #expect(attribute("count", of: alert)?.int == 14)
        #expect(attribute("action", of: alert)?.text == "Allowed")
    }

    @Test("The EventBridge envelope's repeated fields are consumed and its own event id stays unmapped")
    func envelopeLeftovers() throws {
        let reader = FieldReader(try Fixtures.json("alerts/guardduty/port-probe-event.json"))
        _ = try GuardDutyMapper.map(reader)
        let unmapped = try #require(reader.unmappedFields)
        #expect(unmapped["id"]?.text == "3f1c0b9e-5d2a-4c1e-9a57-7e1f0d2b6a10")
        #expect(unmapped["account"] == nil)
        #expect(unmapped["detail-type"] == nil)
        #expect(unmapped["detail.type"] == nil)
    }

    @Test("A bare API-call finding maps the access key's user, the caller IP and Credential Access")
    func apiCallFinding() throws {
        let path = "alerts/guardduty/api-call-finding.json"
        #expect(AlertFormat.detect(try Fixtures.json(path)) == .guardduty)
        let alert = try Fixtures.map(path, as: .guardduty)
        #expect(alert.severity == .high)
        #expect(alert.ruleUID == "CredentialAccess:IAMUser/AnomalousBehavior")
        #expect(alert.entities == Entities(user: "deploy-bot", sourceIP: "192.0.2.44"))
        #expect(alert.observables.map(\.value) == ["192.0.2.44", "deploy-bot"])
        #expect(alert.attacks == [Attack(tacticID: "TA0006", tacticName: "Credential Access")])
        let evidence = try #require(attribute("evidences", of: alert)?.arrayValue?.first)
        #expect(evidence["api.operation"]?.text == "GetSecretValue")
        #expect(evidence["actor.user.credential_uid"]?.text == "AKIAIOSFODNN7EXAMPLE")
        let resource = try #require(attribute("resources", of: alert)?.arrayValue?.first)
        #expect(resource["type"]?.text == "AWS::IAM::AccessKey")
        #expect(resource["uid"]?.text == "AKIAIOSFODNN7EXAMPLE")
    }

    @Test("A DNS finding puts the querying instance at the source and the domain among observables")
    func outboundDNS() throws {
        let alert = try Fixtures.map("alerts/guardduty/dns-finding.json", as: .guardduty)
        #expect(alert.entities == Entities(host: "i-0fedcba9876543210", sourceIP: "10.0.2.14"))
        let observables = alert.observables.map { "\($0.kind.rawValue) \($0.value) \($0.name)" }
        #expect(observables.contains("domain c2.example.net query.hostname"))
        #expect(observables.contains("ip 10.0.2.14 src_endpoint.ip"))
        // Backdoor is a GuardDuty threat purpose, not an ATT&CK tactic.
        #expect(alert.attacks.isEmpty)
        #expect(attribute("device", of: alert)?["os.name"]?.text == "windows")
    }

    @Test("Severity follows AWS's bands: under 1 Informational, 1-3.9 Low, 4-6.9 Medium, 7-8.9 High, 9+ Critical")
    func severities() throws {
        func severity(_ score: String) throws -> Severity {
            let record = try JSONParser.parse(
                #"{"schemaVersion":"2.0","accountId":"1","type":"Recon:EC2/Portscan","severity":\#(score)}"#)
            return try GuardDutyMapper.map(FieldReader(record)).severity
        }
        #expect(try severity("0.5") == .informational)
        #expect(try severity("1.0") == .low)
        #expect(try severity("3.9") == .low)
        #expect(try severity("4.0") == .medium)
        #expect(try severity("6.9") == .medium)
        #expect(try severity("7.0") == .high)
        #expect(try severity("8.9") == .high)
        #expect(try severity("9.0") == .critical)
        #expect(try severity("10") == .critical)
    }

    @Test("The PascalCase keys of an SDK dump read like the camelCase of events")
    func pascalCase() throws {
        let record = try JSONParser.parse(
            #"""
            {"SchemaVersion":"2.0","AccountId":"123456789012","Region":"us-east-1","Id":"f1","Severity":5.0,
             "Type":"Discovery:S3/TorIPCaller","Title":"S3 API invoked from a Tor exit node.",
             "UpdatedAt":"2024-01-02T03:04:05.000Z","Resource":{"AccessKeyDetails":{"UserName":"alice"}},
             "Service":{"Action":{"AwsApiCallAction":{"RemoteIpDetails":{"IpAddressV4":"198.51.100.9"}}}}}
            """#)
        #expect(AlertFormat.detect(record) == .guardduty)
        let reader = FieldReader(record)
        let alert = try GuardDutyMapper.map(reader)
        #expect(alert.title == "S3 API invoked from a Tor exit node.")
        #expect(alert.severity == .medium)
        #expect(alert.sourceID == "f1:2024-01-02T03:04:05.000Z")
        #expect(alert.entities == Entities(user: "alice", sourceIP: "198.51.100.9"))
        #expect(alert.attacks == [Attack(tacticID: "TA0007", tacticName: "Discovery")])
        #expect(reader.unmappedFields?["Type"] == nil)
    }

    @Test("A finding without a type is rejected naming the field, in the envelope too")
    func missingType() throws {
        let bare = try JSONParser.parse(#"{"schemaVersion":"2.0","accountId":"1","id":"x","severity":5}"#)
        let bareError = #expect(throws: MappingError.self) { try GuardDutyMapper.map(FieldReader(bare)) }
        #expect(bareError?.field == "type")
        let event = try JSONParser.parse(
            #"{"source":"aws.guardduty","detail-type":"GuardDuty Finding","detail":{"id":"x","severity":5}}"#)
        #expect(AlertFormat.detect(event) == .guardduty)
        let eventError = #expect(throws: MappingError.self) { try GuardDutyMapper.map(FieldReader(event)) }
        #expect(eventError?.field == "detail.type")
    }

    @Test("Other records are not taken for GuardDuty findings")
    func otherRecords() throws {
        #expect(AlertFormat.detect(try Fixtures.json("alerts/suricata/alert-ssh-scan.json")) == .suricata)
        let ec2 = try JSONParser.parse(
            #"{"source":"aws.ec2","detail-type":"EC2 Instance State-change Notification","detail":{"state":"on"}}"#)
        #expect(!GuardDutyMapper.recognizes(ec2))
        #expect(!GuardDutyMapper.recognizes(try Fixtures.json("alerts/scc/iam-grant-notification.json")))
    }

    private func attribute(_ key: String, of alert: MappedAlert) -> JSONValue? {
        alert.attributes.first { $0.key == key }?.value
    }
}
