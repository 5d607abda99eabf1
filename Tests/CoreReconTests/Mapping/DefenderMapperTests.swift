import CoreRecon
import Foundation
import Testing

@Suite("Microsoft Defender mapping")
struct DefenderMapperTests {
    static let fixtures = [
        "alerts/defender/mde-alert.json", "alerts/defender/graph-alert.json", "alerts/defender/stream-alertinfo.json",
        "alerts/defender/stream-alertevidence-process.json",
    ]

    /// "kind value" for each observable, to check membership without caring about order.
    private static func observed(_ alert: MappedAlert) -> Set<String> {
        Set(alert.observables.map { "\($0.kind.rawValue) \($0.value)" })
    }

    private static func attribute(_ alert: MappedAlert, _ key: String) -> JSONValue? {
        alert.attributes.first { $0.key == key }?.value
    }

    /// A streamed AlertEvidence row of alert `da6385_1` with the given columns.
    private static func evidenceRow(_ columns: String) throws -> JSONValue {
        try JSONParser.parse(
            #"""
            {"time": "2024-08-20T02:42:03Z", "category": "AdvancedHunting-AlertEvidence",
             "properties": {"Timestamp": "2024-08-20T02:41:18Z", "AlertId": "da6385_1", "Title": "Ransomware behavior",
                            "Severity": "High", "ServiceSource": "Microsoft Defender for Endpoint", \#(columns)}}
            """#)
    }

    @Test("A Defender for Endpoint API alert maps title, severity, detector, host, user, evidence and ATT&CK")
    func endpointAlert() throws {
        let record = try Fixtures.json("alerts/defender/mde-alert.json")
        #expect(AlertFormat.detect(record) == .defender)
        let alert = try Fixtures.map("alerts/defender/mde-alert.json", as: .defender)
        #expect(alert.title == "Suspicious access to LSASS service")
        #expect(alert.severity == .medium)
        #expect(alert.product == "Microsoft Defender for Endpoint")
        #expect(alert.vendor == "Microsoft")
        #expect(alert.sourceID == "da638512345678901234_-1122334455")
        #expect(alert.ruleUID == "17e10bbc-3a68-474a-8aad-faef14d43952")
        #expect(alert.time == TimestampParser.iso8601("2024-07-09T13:22:41.5031122Z"))
        #expect(alert.types == ["CredentialAccess"])
        #expect(
            alert.entities
                == Entities(
                    host: "srv-db-07.corp.contoso.com", user: "svc_backup",
                    destinationIP: "203.0.113.77"))
        #expect(alert.attacks == [Attack(techniqueID: "T1003.001")])
        let observed = Self.observed(alert)
        #expect(observed.contains("hostname srv-db-07.corp.contoso.com"))
        #expect(observed.contains("command_line procdump64.exe -accepteula -ma lsass.exe C:\\Temp\\l.dmp"))
        #expect(observed.contains("hash 9b1c3e5a7d9f1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b1d"))
        #expect(observed.contains(#"path C:\Users\svc_backup\AppData\Local\Temp\procdump64.exe"#))
        #expect(observed.contains("url https://files.example.org/tools/procdump64.exe"))
        #expect(Self.attribute(alert, "device")?["uid"]?.text == "4b9e2f0a1c3d5e7f9a1b3c5d7e9f0a2b4c6d8e0f")
    }

    @Test("A Graph security alert maps its service, evidence types and the attacker IP as the source")
    func graphAlert() throws {
        let record = try Fixtures.json("alerts/defender/graph-alert.json")
        #expect(AlertFormat.detect(record) == .defender)
        let alert = try Fixtures.map("alerts/defender/graph-alert.json", as: .defender)
        #expect(alert.title == "Ransomware behavior detected in the file system")
        #expect(alert.severity == .high)
        #expect(alert.sourceSeverity == "high")
        // "microsoftDefenderForEndpoint" reads as the same product the streamed rows name.
        #expect(alert.product == "Microsoft Defender for Endpoint")
        #expect(alert.sourceID == "da638598765432109876_1357924680")
        #expect(alert.ruleUID == "0b2d4f6a-8c0e-4b2d-9f6a-8c0e2b4d6f8a")
        #expect(alert.time == TimestampParser.iso8601("2024-08-20T02:41:18.2233445Z"))
        #expect(
            alert.entities
                == Entities(
                    host: "lt-finance-12.corp.contoso.com", user: "carol@contoso.com",
                    sourceIP: "192.0.2.150"))
        #expect(alert.attacks == [Attack(techniqueID: "T1486"), Attack(techniqueID: "T1490")])
        let observed = Self.observed(alert)
        #expect(observed.contains("command_line \"invoice_viewer.exe\" --silent"))
        #expect(observed.contains("hash f1e2d3c4b5a697887766554433221100ffeeddccbbaa99887766554433221100"))
        #expect(observed.contains("url http://invoices.example.com/download/invoice_viewer.exe"))
        #expect(observed.contains("email carol@contoso.com"))
        #expect(Self.attribute(alert, "src_url")?.text?.hasPrefix("https://security.microsoft.com/alerts/") == true)
        #expect(Self.attribute(alert, "evidences")?.arrayValue?.count == 6)
    }

    @Test("A streamed AlertInfo record maps title, severity, service and named techniques")
    func streamedAlertInfo() throws {
        let record = try Fixtures.json("alerts/defender/stream-alertinfo.json")
        #expect(AlertFormat.detect(record) == .defender)
        let alert = try Fixtures.map("alerts/defender/stream-alertinfo.json", as: .defender)
        #expect(alert.title == "Ransomware behavior detected in the file system")
        #expect(alert.severity == .high)
        #expect(alert.product == "Microsoft Defender for Endpoint")
        #expect(alert.sourceID == "da638598765432109876_1357924680")
        #expect(alert.ruleUID == "da638598765432109876_1357924680")
        #expect(alert.time == TimestampParser.iso8601("2024-08-20T02:41:18.2233445Z"))
        #expect(alert.types == ["Impact"])
        #expect(
            alert.attacks == [
                Attack(techniqueID: "T1486", techniqueName: "Data Encrypted for Impact"),
                Attack(techniqueID: "T1490", techniqueName: "Inhibit System Recovery"),
            ])
        #expect(alert.entities == Entities())
    }

    @Test("A streamed AlertEvidence row is keyed by alert and entity, and reads AdditionalFields for the host")
    func streamedAlertEvidence() throws {
        let record = try Fixtures.json("alerts/defender/stream-alertevidence-process.json")
        #expect(AlertFormat.detect(record) == .defender)
        let alert = try Fixtures.map("alerts/defender/stream-alertevidence-process.json", as: .defender)
        #expect(alert.title == "Ransomware behavior detected in the file system")
        #expect(alert.sourceID == "da638598765432109876_1357924680:Process:Related:k2Vq9fJ0cS8xWm4tYb7nRa1pZuE=")
        #expect(alert.ruleUID == "da638598765432109876_1357924680")
        #expect(alert.entities == Entities())
        #expect(alert.types == ["Impact"])
        #expect(alert.attacks == [Attack(techniqueID: "T1486", techniqueName: "Data Encrypted for Impact")])
        let observed = Self.observed(alert)
        #expect(observed.contains("hostname lt-finance-12.corp.contoso.com"))
        #expect(observed.contains("process invoice_viewer.exe"))
        #expect(observed.contains("command_line \"invoice_viewer.exe\" --silent"))
        #expect(observed.contains("hash 00112233445566778899aabbccddeeff"))
        #expect(observed.contains(#"path C:\Users\carol\Downloads\invoice_viewer.exe"#))
        #expect(Self.attribute(alert, "device")?["uid"]?.text == "7c1e3a5b9d0f2e4a6c8b0d2f4a6c8e0b2d4f6a8c")
    }

    @Test("Evidence rows of one alert share the rule id and fingerprint basis but are separate deliveries")
    func evidenceRowsOfOneAlert() throws {
        let user = try DefenderMapper.map(
            FieldReader(
                try Self.evidenceRow(
                    #"""
                    "EntityType": "User", "EvidenceRole": "Impacted", "AccountName": "carol", "AccountDomain": "CORP",
                    "AccountUpn": "carol@contoso.com", "AccountObjectId": "0d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6"
                    """#)))
        let ip = try DefenderMapper.map(
            FieldReader(
                try Self.evidenceRow(
                    #"""
                    "EntityType": "Ip", "EvidenceRole": "Related", "RemoteIP": "192.0.2.150"
                    """#)))
        #expect(user.ruleUID == "da6385_1")
        #expect(ip.ruleUID == "da6385_1")
        #expect(user.sourceID == "da6385_1:User:Impacted:0d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6")
        #expect(ip.sourceID == "da6385_1:Ip:Related:192.0.2.150")
        #expect(user.entities == Entities())
        #expect(ip.entities == Entities())
        #expect(Self.observed(user).contains("user carol@contoso.com"))
        #expect(Self.observed(ip).contains("ip 192.0.2.150"))
    }

    @Test("A flat advanced hunting AlertInfo row, as the hunting API returns it, is recognized")
    func flatHuntingRow() throws {
        let record = try JSONParser.parse(
            #"""
            {"Timestamp": "2024-09-01T10:00:00Z", "AlertId": "aa1234567890", "Title": "Suspected DCSync attack",
             "Category": "CredentialAccess", "Severity": "High", "ServiceSource": "Microsoft Defender for Identity",
             "DetectionSource": "Microsoft Defender for Identity",
             "AttackTechniques": "[\"OS Credential Dumping (T1003)\",\"DCSync (T1003.006)\"]"}
            """#)
        #expect(AlertFormat.detect(record) == .defender)
        #expect(!SentinelMapper.recognizes(record))
        let alert = try DefenderMapper.map(FieldReader(record))
        #expect(alert.product == "Microsoft Defender for Identity")
        #expect(alert.sourceID == "aa1234567890")
        #expect(alert.attacks.map(\.techniqueID) == ["T1003", "T1003.006"])
        #expect(alert.attacks.map(\.techniqueName) == ["OS Credential Dumping", "DCSync"])
    }

    @Test("Severity words of every shape, UnSpecified and unknown being Unknown")
    func severities() throws {
        func severity(_ word: String) throws -> Severity {
            let record = try JSONParser.parse(
                #"{"id":"x","title":"x","alertCreationTime":"2024-01-01T00:00:00Z","severity":"\#(word)"}"#)
            return try DefenderMapper.map(FieldReader(record)).severity
        }
        #expect(try severity("High") == .high)
        #expect(try severity("medium") == .medium)
        #expect(try severity("Low") == .low)
        #expect(try severity("Informational") == .informational)
        #expect(try severity("UnSpecified") == .unknown)
        #expect(try severity("unknown") == .unknown)
    }

    @Test("A record without its title or alert id is rejected naming the field")
    func rejected() throws {
        let graph = try JSONParser.parse(
            #"""
            {"@odata.type": "#microsoft.graph.security.alert", "id": "x", "severity": "high",
             "createdDateTime": "2024-01-01T00:00:00Z"}
            """#)
        #expect(throws: MappingError(field: "title", "missing; a Microsoft Graph security alert has a title")) {
            try DefenderMapper.map(FieldReader(graph))
        }
        let row = try JSONParser.parse(
            #"""
            {"category": "AdvancedHunting-AlertEvidence", "properties": {"Title": "x", "EntityType": "File"}}
            """#)
        #expect(
            throws: MappingError(
                field: "properties.AlertId",
                "missing; an AlertEvidence row names the alert it belongs to")
        ) {
            try DefenderMapper.map(FieldReader(row))
        }
    }

    @Test("Defender records are not taken for Sentinel ones")
    func notConfused() throws {
        for path in Self.fixtures {
            let record = try Fixtures.json(path)
            #expect(AlertFormat.detect(record) == .defender, "\(path)")
            #expect(!SentinelMapper.recognizes(record), "\(path)")
        }
        for path in SentinelMapperTests.fixtures {
            #expect(!DefenderMapper.recognizes(try Fixtures.json(path)), "\(path)")
        }
    }
}
