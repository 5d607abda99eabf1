import CoreRecon
import Foundation
import Testing

@Suite("SentinelOne mapping")
struct SentinelOneMapperTests {
    static func attribute(_ alert: MappedAlert, _ key: String) -> JSONValue? {
        alert.attributes.first { $0.key == key }?.value
    }

    @Test("A threat maps name, verdict severity, agent, user, file, hashes and ATT&CK from its indicators")
    func threat() throws {
        let record = try Fixtures.json("alerts/sentinelone/threat.json")
        #expect(AlertFormat.detect(record) == .sentinelone)
        let alert = try Fixtures.map("alerts/sentinelone/threat.json", as: .sentinelone)
        #expect(alert.title == "invoice_2024.exe")
        #expect(alert.severity == .high)
        #expect(alert.sourceSeverity == "confidenceLevel malicious")
        #expect(alert.sourceID == "1900000000000000101")
        #expect(alert.time == TimestampParser.iso8601("2024-06-12T09:15:02.250000Z"))
        #expect(alert.types == ["Trojan"])
        #expect(alert.ruleName == "Behavioral AI")
        #expect(
            alert.description
                == "Process hollowing was detected. The process called native APIs to start a payload.")
        #expect(alert.entities == Entities(host: "WS-HR-03", user: "bob"))
        #expect(
            alert.attacks == [
                Attack(techniqueID: "T1055.012", tacticID: "TA0004", tacticName: "Privilege Escalation"),
                Attack(techniqueID: "T1106", techniqueName: "Native API", tacticID: "TA0002", tacticName: "Execution"),
                Attack(tacticID: "TA0005", tacticName: "Defense Evasion"),
            ])

        let values = alert.observables.map(\.value)
        #expect(values.contains("ws-hr-03"))
        #expect(values.contains("10.1.2.3"))
        #expect(values.contains("192.0.2.10"))
        #expect(values.contains("\\Device\\HarddiskVolume3\\Users\\bob\\Downloads\\invoice_2024.exe"))
        #expect(values.contains("c4e6a8b0d2f4e6a8c0b2d4f6a8e0c2b4d6f8a0c2e4b6d8f0a2c4e6b8d0f2a4c6"))
        #expect(values.contains("8e1f3a5c7b9d2e4f6a8c0b1d3e5f7a9c2b4d6e8f"))
        #expect(values.contains("explorer.exe"))

        #expect(Self.attribute(alert, "action_id") == .int(2))
        let device = try #require(Self.attribute(alert, "device"))
        #expect(device[key: "uid"]?.text == "1800000000000000777")
        #expect(device["os.type_id"] == .int(100))
    }

    @Test("Threat severity follows confidenceLevel: malicious High, suspicious Medium, anything else Low")
    func threatSeverities() throws {
        func severity(_ confidence: String?) throws -> Severity {
            let field = confidence.map { #","confidenceLevel":"\#($0)""# } ?? ""
            let record = try JSONParser.parse(
                #"{"id":"1","agentRealtimeInfo":{"agentComputerName":"h"},"#
                    + #""threatInfo":{"threatName":"x.exe"\#(field)}}"#)
            return try SentinelOneMapper.map(FieldReader(record)).severity
        }
        #expect(try severity("malicious") == .high)
        #expect(try severity("suspicious") == .medium)
        #expect(try severity("n/a") == .low)
        #expect(try severity(nil) == .low)
    }

    @Test("A cloud detection alert maps the rule, its severity, the connection and the DNS request")
    func cloudAlert() throws {
        let record = try Fixtures.json("alerts/sentinelone/cloud-alert.json")
        #expect(AlertFormat.detect(record) == .sentinelone)
        let alert = try Fixtures.map("alerts/sentinelone/cloud-alert.json", as: .sentinelone)
        #expect(alert.title == "Beacon to rare domain")
        #expect(alert.severity == .high)
        #expect(alert.sourceSeverity == "High")
        #expect(alert.sourceID == "1900000000000000202")
        #expect(alert.ruleUID == "1900000000000000303")
        #expect(alert.description == "Workstation resolved a domain seen on fewer than 3 hosts.")
        #expect(alert.time == TimestampParser.iso8601("2024-06-12T10:20:30.100000Z"))
        #expect(
            alert.entities
                == Entities(
                    host: "WS-HR-03", user: "bob", sourceIP: "10.1.2.3",
                    destinationIP: "198.51.100.53"))
        #expect(alert.observables.contains { $0.kind == .domain && $0.value == "update-check.example.net" })
        #expect(alert.observables.contains { $0.kind == .process && $0.value == "updater.exe" })
        #expect(alert.observables.contains { $0.kind == .hash && $0.value == "f1e2d3c4b5a697887766554433221100" })
        let evidence = try #require(Self.attribute(alert, "evidences")?.arrayValue?.first)
        #expect(evidence["dst_endpoint.port"] == .int(53))
        #expect(evidence["process.parent_process.name"]?.text == "explorer.exe")
    }

    @Test("Rule severities map word for word, including the activity feed's E_ prefix")
    func ruleSeverities() throws {
        func severity(_ word: String) throws -> Severity {
            let record = try JSONParser.parse(
                #"{"alertInfo":{"alertId":"1"},"ruleInfo":{"name":"r","severity":"\#(word)"}}"#)
            return try SentinelOneMapper.map(FieldReader(record)).severity
        }
        #expect(try severity("Critical") == .critical)
        #expect(try severity("High") == .high)
        #expect(try severity("Medium") == .medium)
        #expect(try severity("Low") == .low)
        #expect(try severity("E_LOW") == .low)
    }

    @Test("A custom-rule alert activity maps as the rule's alert with its detection time")
    func customRuleActivity() throws {
        let record = try Fixtures.json("alerts/sentinelone/activity-custom-rule.json")
        #expect(AlertFormat.detect(record) == .sentinelone)
        let alert = try Fixtures.map("alerts/sentinelone/activity-custom-rule.json", as: .sentinelone)
        #expect(alert.title == "Encoded PowerShell")
        #expect(alert.severity == .high)
        #expect(alert.sourceSeverity == "E_HIGH")
        #expect(alert.sourceID == "1900000000000000606")
        #expect(alert.ruleUID == "1900000000000000505")
        #expect(alert.description?.hasPrefix("Alert created for powershell.exe from Custom Rule") == true)
        #expect(alert.time == Date(timeIntervalSince1970: 1_718_189_999))
        #expect(alert.entities == Entities(host: "WS-HR-03", user: "bob"))
        #expect(alert.observables.contains { $0.kind == .commandLine && $0.value == "powershell.exe -enc SQBFAFgA" })
        #expect(
            alert.observables.contains {
                $0.kind == .hash && $0.value == "2b4d6f8a0c1e3b5d7f9a2c4e6b8d0f1a3c5e7b9d"
            })
    }

    @Test("Other activities map as informational findings titled by their description")
    func consoleActivity() throws {
        let record = try JSONParser.parse(
            #"{"activityType":27,"createdAt":"2024-06-12T12:00:00Z","id":"1900000000000000707","#
                + #""primaryDescription":"The management user Jane Roe logged in to the management console.","#
                + #""data":{"username":"Jane Roe","ipAddress":"192.0.2.80"}}"#)
        #expect(AlertFormat.detect(record) == .sentinelone)
        let alert = try SentinelOneMapper.map(FieldReader(record))
        #expect(alert.title == "The management user Jane Roe logged in to the management console.")
        #expect(alert.severity == .informational)
        #expect(alert.sourceID == "1900000000000000707")
        #expect(alert.entities == Entities(user: "Jane Roe", sourceIP: "192.0.2.80"))
        #expect(alert.time == TimestampParser.iso8601("2024-06-12T12:00:00Z"))
    }

    @Test("A threat without a name and an alert without a rule name are rejected naming the field")
    func rejected() throws {
        let threat = try JSONParser.parse(
            #"{"id":"1","agentRealtimeInfo":{},"threatInfo":{"classification":"Malware"}}"#)
        #expect(
            throws: MappingError(
                field: "threatInfo.threatName",
                "missing; a SentinelOne threat names what was detected")
        ) {
            try SentinelOneMapper.map(FieldReader(threat))
        }
        let alert = try JSONParser.parse(#"{"alertInfo":{"alertId":"1"},"ruleInfo":{"id":"2"}}"#)
        #expect(
            throws: MappingError(
                field: "ruleInfo.name",
                "missing; a SentinelOne alert names the rule that fired")
        ) {
            try SentinelOneMapper.map(FieldReader(alert))
        }
        let other = try JSONParser.parse(#"{"name":"not a SentinelOne record"}"#)
        #expect(throws: MappingError.self) {
            try SentinelOneMapper.map(FieldReader(other))
        }
    }

    @Test("Records of other sources are not claimed")
    func otherSources() throws {
        #expect(!SentinelOneMapper.recognizes(try Fixtures.json("alerts/crowdstrike/detection-summary.json")))
        #expect(!SentinelOneMapper.recognizes(try Fixtures.json("alerts/crowdstrike/alert-api.json")))
        #expect(!SentinelOneMapper.recognizes(try Fixtures.json("alerts/suricata/alert-ssh-scan.json")))
        #expect(!SentinelOneMapper.recognizes(try JSONParser.parse(#"{"threatInfo":{"threatName":"x"}}"#)))
    }
}
