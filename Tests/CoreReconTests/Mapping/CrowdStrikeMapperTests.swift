import CoreRecon
import Foundation
import Testing

@Suite("CrowdStrike Falcon mapping")
struct CrowdStrikeMapperTests {
    /// A stream record of `eventType` with `event` as its fields.
    static func streamRecord(_ eventType: String, _ event: String) throws -> JSONValue {
        try JSONParser.parse(
            #"{"metadata":{"customerIDString":"c0ffee","offset":7,"eventType":"\#(eventType)","#
                + #""eventCreationTime":1718208000000},"event":\#(event)}"#)
    }

    static func attribute(_ alert: MappedAlert, _ key: String) -> JSONValue? {
        alert.attributes.first { $0.key == key }?.value
    }

    @Test("A DetectionSummaryEvent maps detect name, pattern, host, user, process, hashes and ATT&CK")
    func detectionSummary() throws {
        let record = try Fixtures.json("alerts/crowdstrike/detection-summary.json")
        #expect(AlertFormat.detect(record) == .crowdstrike)
        let alert = try Fixtures.map("alerts/crowdstrike/detection-summary.json", as: .crowdstrike)
        #expect(alert.title == "Credential Theft")
        #expect(alert.description == "A process attempted to dump the memory of the LSASS process.")
        #expect(alert.severity == .high)
        #expect(alert.sourceSeverity == "High")
        #expect(alert.ruleUID == "10183")
        #expect(alert.ruleName == "Credential Theft")
        #expect(alert.sourceID == "ldt:aa11bb22cc33dd44ee55ff6677889900:1234567")
        #expect(alert.time == Date(timeIntervalSince1970: 1_718_208_000))
        #expect(alert.entities == Entities(host: "WS-FIN-07", user: "alice"))
        #expect(alert.types == ["Credential Access", "OS Credential Dumping"])
        #expect(
            alert.attacks == [
                Attack(
                    techniqueID: "T1003", techniqueName: "OS Credential Dumping",
                    tacticID: "TA0006", tacticName: "Credential Access")
            ])

        let values = alert.observables.map(\.value)
        #expect(values.contains("ws-fin-07"))
        #expect(values.contains("alice"))
        #expect(values.contains("10.20.30.40"))
        #expect(values.contains("\\Device\\HarddiskVolume3\\Windows\\System32\\rundll32.exe"))
        #expect(values.contains("3a7f5c1e9b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a1c3e5b7d9f2a4c6e8b0d1f3a"))
        #expect(values.contains("cmd.exe"))
        // Remote addresses of the process's connections are pivots; link-local chatter is not.
        #expect(values.contains("198.51.100.23"))
        #expect(!values.contains("fe80::2"))

        #expect(Self.attribute(alert, "action_id") == .int(2))
        #expect(Self.attribute(alert, "src_url")?.text?.hasPrefix("https://falcon.crowdstrike.com/") == true)
        let process = try #require(Self.attribute(alert, "evidences")?.arrayValue?.first?[key: "process"])
        #expect(process[key: "uid"]?.text == "98765432101")
        #expect(process["parent_process.name"]?.text == "cmd.exe")
    }

    @Test("An EppDetectionSummaryEvent without SeverityName reads Severity on the 0-100 scale")
    func eppDetection() throws {
        let record = try Fixtures.json("alerts/crowdstrike/epp-detection-summary.json")
        #expect(AlertFormat.detect(record) == .crowdstrike)
        let alert = try Fixtures.map("alerts/crowdstrike/epp-detection-summary.json", as: .crowdstrike)
        #expect(alert.title == "ServiceCreatedByUnusualProcess")
        #expect(alert.severity == .high)
        #expect(alert.sourceSeverity == "Severity 70")
        #expect(
            alert.sourceID
                == "0123456789abcdef0123456789abcdef:ind:bb22cc33dd44ee55ff66778899001122:77001122-5801-90001")
        #expect(alert.ruleUID == "5801")
        #expect(alert.entities == Entities(host: "srv-app-02", user: "svc_deploy"))
        #expect(
            alert.attacks == [
                Attack(
                    techniqueID: "T1543", techniqueName: "Create or Modify System Process",
                    tacticID: "TA0003", tacticName: "Persistence")
            ])
        // The newer events give FilePath as the full path: it is not joined with FileName again.
        #expect(alert.observables.contains { $0.kind == .path && $0.value.hasSuffix("System32\\sc.exe") })
        #expect(Self.attribute(alert, "action_id") == .int(1))
        #expect(Self.attribute(alert, "device")?["os.type_id"] == .int(100))
    }

    @Test("Severity: SeverityName wins, DetectionSummaryEvent is 1-5, newer events 0-100, FineScore 0-10")
    func severities() throws {
        func severity(_ eventType: String, _ fields: String) throws -> Severity {
            let record = try Self.streamRecord(eventType, "{\"DetectName\":\"x\",\(fields)}")
            return try CrowdStrikeMapper.map(FieldReader(record)).severity
        }
        let named = #""Severity":5,"SeverityName":"Informational""#
        #expect(try severity("DetectionSummaryEvent", named) == .informational)
        #expect(try severity("IdentityProtectionEvent", #""Severity":1,"SeverityName":"INFO""#) == .informational)
        #expect(try severity("DetectionSummaryEvent", #""Severity":1"#) == .informational)
        #expect(try severity("DetectionSummaryEvent", #""Severity":2"#) == .low)
        #expect(try severity("DetectionSummaryEvent", #""Severity":3"#) == .medium)
        #expect(try severity("DetectionSummaryEvent", #""Severity":4"#) == .high)
        #expect(try severity("DetectionSummaryEvent", #""Severity":5"#) == .critical)
        #expect(try severity("EppDetectionSummaryEvent", #""Severity":21"#) == .low)
        #expect(try severity("EppDetectionSummaryEvent", #""Severity":22"#) == .medium)
        #expect(try severity("EppDetectionSummaryEvent", #""Severity":73"#) == .high)
        #expect(try severity("EppDetectionSummaryEvent", #""Severity":74"#) == .critical)
        #expect(try severity("EppDetectionSummaryEvent", #""Severity":4"#) == .low)
        #expect(try severity("IncidentSummaryEvent", #""FineScore":0.3"#) == .informational)
        #expect(try severity("IncidentSummaryEvent", #""FineScore":9"#) == .critical)
    }

    @Test("An IncidentSummaryEvent maps its incident id, FineScore and tactics")
    func incident() throws {
        let record = try Fixtures.json("alerts/crowdstrike/incident-summary.json")
        #expect(AlertFormat.detect(record) == .crowdstrike)
        let alert = try Fixtures.map("alerts/crowdstrike/incident-summary.json", as: .crowdstrike)
        #expect(alert.title == "Falcon incident inc:aa11bb22cc33dd44ee55ff6677889900:beef0001")
        #expect(alert.severity == .high)
        #expect(alert.sourceSeverity == "FineScore 7.5")
        #expect(alert.sourceID == "inc:aa11bb22cc33dd44ee55ff6677889900:beef0001")
        #expect(alert.ruleUID == nil)
        #expect(alert.attacks.map(\.tacticID) == ["TA0006", "TA0003"])
        #expect(Self.attribute(alert, "device")?[key: "uid"]?.text == "aa11bb22cc33dd44ee55ff6677889900")
    }

    @Test("An Alerts API alert maps display name, composite id, device and parent, and skips all-zero hashes")
    func alertsAPI() throws {
        let record = try Fixtures.json("alerts/crowdstrike/alert-api.json")
        #expect(AlertFormat.detect(record) == .crowdstrike)
        let alert = try Fixtures.map("alerts/crowdstrike/alert-api.json", as: .crowdstrike)
        #expect(alert.title == "Suspicious PowerShell download cradle")
        // severity_name wins over the 0-100 number (55 would read High).
        #expect(alert.severity == .medium)
        #expect(
            alert.sourceID
                == "0123456789abcdef0123456789abcdef:ind:cc33dd44ee55ff667788990011223344:66001234-50102-1")
        #expect(alert.ruleUID == "50102")
        #expect(alert.ruleName == "PowerShellDownloadCradle")
        #expect(alert.time == TimestampParser.iso8601("2024-06-12T18:05:00.123456789Z"))
        #expect(alert.entities == Entities(host: "LT-SALES-11", user: "carol"))
        #expect(
            alert.attacks == [
                Attack(
                    techniqueID: "T1059.001", techniqueName: "PowerShell", tacticID: "TA0002",
                    tacticName: "Execution")
            ])
        #expect(!alert.observables.contains { $0.value == "0000000000000000000000000000000000000000" })
        #expect(alert.observables.contains { $0.kind == .process && $0.value == "WINWORD.EXE" })
        let process = try #require(Self.attribute(alert, "evidences")?.arrayValue?.first?[key: "process"])
        #expect(process[key: "pid"] == .int(7420))
        #expect(process["parent_process.pid"] == .int(6100))
        #expect(Self.attribute(alert, "device")?[key: "ip"]?.text == "10.20.40.11")
    }

    @Test("Audit events map as informational findings keyed by their place in the stream")
    func auditEvent() throws {
        let record = try Fixtures.json("alerts/crowdstrike/user-activity-audit.json")
        #expect(AlertFormat.detect(record) == .crowdstrike)
        let alert = try Fixtures.map("alerts/crowdstrike/user-activity-audit.json", as: .crowdstrike)
        #expect(alert.title == "User activity audit: detection_update")
        #expect(alert.severity == .informational)
        #expect(alert.sourceID == "0123456789abcdef0123456789abcdef:UserActivityAuditEvent:4302")
        #expect(alert.entities == Entities(user: "analyst@corp.example", sourceIP: "192.0.2.44"))
        #expect(alert.time == Date(timeIntervalSince1970: 1_718_215_260))
    }

    @Test("Falcon's own tactics are kept as types, not reported as ATT&CK")
    func falconTactics() throws {
        let record = try Self.streamRecord(
            "DetectionSummaryEvent",
            #"{"DetectName":"Machine Learning","Severity":2,"Tactic":"Machine Learning","TacticId":"CSTA0004","#
                + #""Technique":"Adware/PUP","TechniqueId":"CST0000"}"#)
        let alert = try CrowdStrikeMapper.map(FieldReader(record))
        #expect(alert.attacks.isEmpty)
        #expect(alert.types == ["Machine Learning", "Adware/PUP"])
    }

    @Test("A stream record without an event object is rejected naming the field")
    func missingEvent() throws {
        let record = try JSONParser.parse(
            #"{"metadata":{"customerIDString":"c0ffee","offset":1,"eventType":"DetectionSummaryEvent"}}"#)
        #expect(
            throws: MappingError(
                field: "event", "missing; a Falcon stream record carries the event's fields in an event object")
        ) {
            try CrowdStrikeMapper.map(FieldReader(record))
        }
    }

    @Test("An Alerts API record without a name is rejected naming the field")
    func missingName() throws {
        let record = try JSONParser.parse(#"{"composite_id":"c:ind:a:1","cid":"c","severity":50}"#)
        #expect(
            throws: MappingError(
                field: "display_name", "missing; a Falcon alert names its detection in display_name or name")
        ) {
            try CrowdStrikeMapper.map(FieldReader(record))
        }
    }

    @Test("Records of other sources are not claimed")
    func otherSources() throws {
        #expect(!CrowdStrikeMapper.recognizes(try Fixtures.json("alerts/sentinelone/threat.json")))
        #expect(!CrowdStrikeMapper.recognizes(try Fixtures.json("alerts/suricata/alert-ssh-scan.json")))
        // A message-bus envelope with an offset is not a Falcon stream record.
        #expect(
            !CrowdStrikeMapper.recognizes(
                try JSONParser.parse(
                    #"{"metadata":{"eventType":"order.created","offset":12},"event":{"name":"x"}}"#)))
    }
}
