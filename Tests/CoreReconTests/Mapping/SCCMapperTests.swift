import CoreRecon
import Foundation
import Testing

@Suite("Security Command Center finding mapping")
struct SCCMapperTests {
    @Test("A Pub/Sub notification maps category, severity, access, ATT&CK and the project")
    func notification() throws {
        let path = "alerts/scc/iam-grant-notification.json"
        #expect(AlertFormat.detect(try Fixtures.json(path)) == .scc)
        let alert = try Fixtures.map(path, as: .scc)
        #expect(alert.title == "Persistence: IAM Anomalous Grant on acme-prod")
        #expect(alert.severity == .high)
        #expect(alert.sourceSeverity == "HIGH")
        #expect(alert.ruleUID == "Persistence: IAM Anomalous Grant")
        #expect(alert.types == ["THREAT"])
        #expect(
            alert.sourceID == "organizations/123456789012/sources/9876543210123456789/findings/"
                + "0a1b2c3d4e5f60718293a4b5c6d7e8f9:2024-07-08T13:45:12.345Z")
        #expect(alert.time == TimestampParser.iso8601("2024-07-08T13:45:12.345Z"))
        #expect(alert.entities == Entities(host: "acme-prod", user: "mallory@example.com", sourceIP: "198.51.100.23"))
        #expect(
            alert.observables.map { "\($0.kind.rawValue) \($0.value) \($0.name)" } == [
                "email mallory@example.com actor.user.email_addr", "ip 198.51.100.23 src_endpoint.ip",
            ])
        #expect(
            alert.attacks == [
                Attack(
                    techniqueID: "T1098", techniqueName: "Account Manipulation", tacticID: "TA0003",
                    tacticName: "Persistence"),
                Attack(tacticID: "TA0004", tacticName: "Privilege Escalation"),
            ])
        let cloud = try #require(attribute("cloud", of: alert))
        #expect(cloud["provider"]?.text == "GCP")
        #expect(cloud["org.uid"]?.text == "123456789012")
        #expect(cloud["account.uid"]?.text == "456789012345")
        #expect(cloud["account.name"]?.text == "acme-prod")
        let evidence = try #require(attribute("evidences", of: alert)?.arrayValue?.first)
        #expect(evidence["api.operation"]?.text == "SetIamPolicy")
    }

    @Test("A bare finding's connection sets the direction; a sub-technique stands for its parent")
    func bareFinding() throws {
        let path = "alerts/scc/bad-ip-finding.json"
        #expect(AlertFormat.detect(try Fixtures.json(path)) == .scc)
        let alert = try Fixtures.map(path, as: .scc)
        #expect(alert.title == "Malware: Bad IP on web-1")
        #expect(alert.severity == .medium)
        #expect(alert.entities == Entities(host: "web-1", sourceIP: "10.132.0.7", destinationIP: "203.0.113.200"))
        #expect(
            alert.attacks == [
                Attack(
                    techniqueID: "T1090.002", techniqueName: "External Proxy", tacticID: "TA0011",
                    tacticName: "Command and Control")
            ])
        let values = alert.observables.map(\.value)
        for expected in [
            "10.132.0.7", "203.0.113.200", "bad.example.org", "web-1", "curl", "/usr/bin/curl",
            "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03",
        ] {
            #expect(values.contains(expected), "missing observable \(expected)")
        }
        #expect(attribute("evidences", of: alert)?["dst_endpoint.port"]?.int == 443)
        #expect(attribute("device", of: alert)?["hostname"]?.text == "web-1")
    }

    @Test("A Pub/Sub push request is decoded from base64; leftovers of both layers stay unmapped")
    func pushEnvelope() throws {
        let path = "alerts/scc/open-firewall-push.json"
        #expect(AlertFormat.detect(try Fixtures.json(path)) == .scc)
        let alert = try Fixtures.map(path, as: .scc)
        #expect(alert.title == "Open firewall on allow-ssh-anywhere")
        #expect(alert.severity == .high)
        #expect(alert.ruleUID == "OPEN_FIREWALL")
        #expect(alert.types == ["MISCONFIGURATION"])
        #expect(
            alert.sourceID == "organizations/123456789012/sources/5566778899001122334/findings/"
                + "9f8e7d6c5b4a39281706f5e4d3c2b1a0:2024-09-03T10:00:00Z")
        #expect(alert.time == TimestampParser.iso8601("2024-09-03T10:00:00Z"))
        #expect(alert.entities == Entities(host: "allow-ssh-anywhere"))
        #expect(
            attribute("remediation", of: alert)?["desc"]?.text
                == "Restrict the source ranges of firewall rule allow-ssh-anywhere.")
        let unmapped = try #require(alert.unmapped)
        #expect(unmapped["subscription"]?.text == "projects/acme-sec/subscriptions/scc-findings-push")
        #expect(unmapped["finding.mute"]?.text == "UNMUTED")
        #expect(unmapped["message.data"] == nil)
    }

    @Test("Severity words map one to one; unspecified falls back to the older SeverityLevel, else Unknown")
    func severities() throws {
        func severity(_ fields: String) throws -> Severity {
            let record = try JSONParser.parse(
                #"{"finding":{"name":"organizations/1/sources/2/findings/3","category":"X",\#(fields)}}"#)
            return try SCCMapper.map(FieldReader(record)).severity
        }
        #expect(try severity(#""severity":"CRITICAL""#) == .critical)
        #expect(try severity(#""severity":"HIGH""#) == .high)
        #expect(try severity(#""severity":"MEDIUM""#) == .medium)
        #expect(try severity(#""severity":"LOW""#) == .low)
        #expect(
            try severity(#""severity":"SEVERITY_UNSPECIFIED","sourceProperties":{"SeverityLevel":"Medium"}"#)
                == .medium)
        #expect(try severity(#""sourceProperties":{"detectionPriority":"LOW"}"#) == .low)
        #expect(try severity(#""severity":"SEVERITY_UNSPECIFIED""#) == .unknown)
    }

    @Test("snake_case exports read like the API; an unset 1970 eventTime gives way to createTime")
    func snakeCase() throws {
        let record = try JSONParser.parse(
            #"""
            {"finding":{"name":"organizations/1/sources/2/findings/3","category":"PUBLIC_BUCKET_ACL",
             "resource_name":"//storage.googleapis.com/shared-data","event_time":"1970-01-01T00:00:00Z",
             "create_time":"2024-02-03T04:05:06Z","severity":"HIGH",
             "mitre_attack":{"primary_tactic":"INITIAL_ACCESS",
                             "primary_techniques":["VALID_ACCOUNTS","CLOUD_ACCOUNTS"]}}}
            """#)
        #expect(AlertFormat.detect(record) == .scc)
        let alert = try SCCMapper.map(FieldReader(record))
        #expect(alert.title == "Public bucket ACL on shared-data")
        #expect(alert.time == TimestampParser.iso8601("2024-02-03T04:05:06Z"))
        #expect(
            alert.attacks == [
                Attack(
                    techniqueID: "T1078.004", techniqueName: "Cloud Accounts", tacticID: "TA0001",
                    tacticName: "Initial Access")
            ])
    }

    @Test("A finding without a category, or a push request that is not base64, is rejected naming the field")
    func rejected() throws {
        let noCategory = try JSONParser.parse(#"{"finding":{"name":"organizations/1/sources/2/findings/3"}}"#)
        #expect(AlertFormat.detect(noCategory) == .scc)
        let categoryError = #expect(throws: MappingError.self) { try SCCMapper.map(FieldReader(noCategory)) }
        #expect(categoryError?.field == "finding.category")
        let badPush = try JSONParser.parse(#"{"message":{"data":"%%% not base64 %%%"},"subscription":"s"}"#)
        let dataError = #expect(throws: MappingError.self) { try SCCMapper.map(FieldReader(badPush)) }
        #expect(dataError?.field == "message.data")
    }

    @Test("Other records are not taken for SCC findings")
    func otherRecords() throws {
        // {"foo": 1}: a push request for some other topic.
        let otherPush = try JSONParser.parse(#"{"message":{"data":"eyJmb28iOiAxfQ=="},"subscription":"s"}"#)
        #expect(!SCCMapper.recognizes(otherPush))
        #expect(!SCCMapper.recognizes(try Fixtures.json("alerts/guardduty/api-call-finding.json")))
        #expect(!SCCMapper.recognizes(try Fixtures.json("alerts/suricata/alert-ssh-scan.json")))
    }

    private func attribute(_ key: String, of alert: MappedAlert) -> JSONValue? {
        alert.attributes.first { $0.key == key }?.value
    }
}
