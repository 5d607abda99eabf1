import CoreRecon
import Foundation
import Testing

@Suite("Wazuh alert mapping")
struct WazuhMapperTests {
    @Test("An sshd brute-force alert maps rule, level, agent, source address, user and ATT&CK")
    func sshdAlert() throws {
        let record = try Fixtures.json("alerts/wazuh/sshd-brute-force.json")
        #expect(AlertFormat.detect(record) == .wazuh)
        let reader = FieldReader(record)
        let alert = try WazuhMapper.map(reader)
        #expect(alert.title == "sshd: brute force trying to get access to the system. Authentication failed.")
        #expect(alert.product == "Wazuh")
        #expect(alert.severity == .medium)
        #expect(alert.sourceSeverity == "rule.level 10")
        #expect(alert.ruleUID == "5763")
        #expect(alert.sourceID == "1700000000.123456")
        #expect(alert.time == TimestampParser.iso8601("2023-11-14T22:13:20.456+0000"))
        #expect(alert.types == ["syslog", "sshd", "authentication_failures"])
        #expect(alert.entities == Entities(host: "web-01", user: "root", sourceIP: "198.51.100.23"))
        #expect(alert.observables.map(\.value) == ["web-01", "10.0.4.21", "root", "198.51.100.23"])
        #expect(
            alert.attacks == [
                Attack(
                    techniqueID: "T1110", techniqueName: "Brute Force",
                    tacticName: "Credential Access")
            ])
        let source = try #require(alert.attributes.first { $0.key == "evidences" }?.value["src_endpoint"])
        #expect(source["port"]?.int == 50122)
        let device = try #require(alert.attributes.first { $0.key == "device" }?.value)
        #expect(device["uid"]?.text == "003")
        // The log line is evidence for an analyst, not a mapped field.
        #expect(reader.unmappedFields?["full_log"] != nil)
        #expect(reader.unmappedFields?["rule.description"] == nil)
    }

    @Test("rule.level 0–3 is Informational, 4–6 Low, 7–11 Medium, 12–14 High, 15 Critical")
    func levels() throws {
        func severity(_ level: Int) throws -> Severity {
            let record = try JSONParser.parse(
                #"{"rule":{"level":\#(level),"description":"d","id":"1"},"agent":{"name":"a"}}"#)
            return try WazuhMapper.map(FieldReader(record)).severity
        }
        #expect(try severity(0) == .informational)
        #expect(try severity(3) == .informational)
        #expect(try severity(4) == .low)
        #expect(try severity(6) == .low)
        #expect(try severity(7) == .medium)
        #expect(try severity(11) == .medium)
        #expect(try severity(12) == .high)
        #expect(try severity(14) == .high)
        #expect(try severity(15) == .critical)
    }

    @Test("A file integrity alert observes the path and the new hashes")
    func syscheck() throws {
        let alert = try Fixtures.map("alerts/wazuh/syscheck-modified.json", as: .wazuh)
        #expect(alert.severity == .medium)
        #expect(alert.ruleUID == "550")
        #expect(alert.entities == Entities(host: "db-02"))
        #expect(alert.observables.contains { $0.kind == .path && $0.value == "/etc/sudoers" })
        let hashes = alert.observables.filter { $0.kind == .hash }.map(\.value)
        #expect(
            hashes == [
                "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592",
                "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12",
                "6f1ed002ab5595859014ebf0951522d9",
            ])
        #expect(
            alert.attacks == [
                Attack(
                    techniqueID: "T1565.001", techniqueName: "Stored Data Manipulation",
                    tacticName: "Impact")
            ])
        let evidence = try #require(alert.attributes.first { $0.key == "evidences" }?.value.arrayValue?.first)
        #expect(evidence["file.name"]?.text == "sudoers")
        #expect(evidence.values(at: "file.hashes").count == 3)
    }

    @Test("A Sysmon process alert observes image, command line and the hashes Sysmon packs into one field")
    func sysmonProcess() throws {
        let alert = try Fixtures.map("alerts/wazuh/sysmon-encoded-powershell.json", as: .wazuh)
        #expect(alert.severity == .high)
        #expect(alert.entities == Entities(host: "WS-0142", user: #"CORP\j.doe"#))
        #expect(alert.observables.contains { $0.kind == .process && $0.value == "powershell.exe" })
        #expect(alert.observables.contains { $0.kind == .commandLine && $0.value.contains("-enc SQBF") })
        let hashes = alert.observables.filter { $0.kind == .hash }.map(\.value)
        #expect(
            hashes == [
                "de96a6e69944335375dc1ac238336066889d9ffc7d73628ef4fe1b1b160ab32c",
                "6cbce4a295c163791b60fc23d285e6d84f28ee4c",
                "7353f60b1739074eb17c5f4dddefe239",
            ])
        #expect(
            alert.attacks == [
                Attack(
                    techniqueID: "T1059.001", techniqueName: "PowerShell",
                    tacticName: "Execution")
            ])
        let evidence = try #require(alert.attributes.first { $0.key == "evidences" }?.value.arrayValue?.first)
        #expect(evidence["process.pid"]?.int == 6120)
    }

    @Test("An address with its port is split, and a user in angle brackets is unwrapped")
    func decoderQuirks() throws {
        let record = try JSONParser.parse(
            """
            {"timestamp":"2020-03-04T14:14:36.000000+0000","rule":{"level":5,"description":"Dovecot login failed.",
            "id":"9705"},"agent":{"id":"000","name":"mail"},"manager":{"name":"mail"},"id":"1583331276.1234",
            "decoder":{"name":"dovecot"},"data":{"srcip":"203.0.113.7","srcuser":"<violet>","dstip":"192.0.2.10:143"}}
            """)
        let alert = try WazuhMapper.map(FieldReader(record))
        #expect(
            alert.entities
                == Entities(
                    host: "mail", user: "violet", sourceIP: "203.0.113.7",
                    destinationIP: "192.0.2.10"))
        let destination = try #require(alert.attributes.first { $0.key == "evidences" }?.value["dst_endpoint"])
        #expect(destination["ip"]?.text == "192.0.2.10")
        #expect(destination["port"]?.int == 143)
    }

    @Test("One technique with several tactics gives one attack per tactic; unpairable lists stay apart")
    func mitreTactics() throws {
        func attacks(_ mitre: String) throws -> [Attack] {
            let record = try JSONParser.parse(
                #"{"rule":{"level":5,"description":"d","id":"1","mitre":\#(mitre)},"agent":{"name":"a"}}"#)
            return try WazuhMapper.map(FieldReader(record)).attacks
        }
        let validAccounts = try attacks(
            #"{"id":["T1078"],"tactic":["Defense Evasion","Initial Access"],"technique":["Valid Accounts"]}"#)
        #expect(
            validAccounts == [
                Attack(techniqueID: "T1078", techniqueName: "Valid Accounts", tacticName: "Defense Evasion"),
                Attack(techniqueID: "T1078", techniqueName: "Valid Accounts", tacticName: "Initial Access"),
            ])
        let unpaired = try attacks(
            #"{"id":["T1070","T1565","T1485"],"tactic":["Defense Evasion","Impact"],"technique":["a","b","c"]}"#)
        #expect(unpaired.compactMap(\.techniqueID) == ["T1070", "T1565", "T1485"])
        #expect(unpaired.compactMap(\.tacticName) == ["Defense Evasion", "Impact"])
    }

    @Test("An indexer search hit is read from _source, with _id when the alert has no id")
    func searchHit() throws {
        let record = try JSONParser.parse(
            """
            {"_index":"wazuh-alerts-4.x-2024.01.01","_id":"hit-7","_source":{"timestamp":"2024-01-01T10:00:00.000+0000",
            "rule":{"level":15,"description":"Rootkit detected","id":"510"},"agent":{"name":"app-3"}}}
            """)
        #expect(AlertFormat.detect(record) == .wazuh)
        let alert = try WazuhMapper.map(FieldReader(record))
        #expect(alert.title == "Rootkit detected")
        #expect(alert.severity == .critical)
        #expect(alert.sourceID == "hit-7")
        #expect(alert.entities.host == "app-3")
    }

    @Test("Recognition needs rule.level and an agent, manager or decoder")
    func recognition() throws {
        let bare = try JSONParser.parse(#"{"rule":{"level":5,"description":"d"}}"#)
        #expect(!WazuhMapper.recognizes(bare))
        let managerOnly = try JSONParser.parse(#"{"rule":{"level":5,"description":"d"},"manager":{"name":"m"}}"#)
        #expect(WazuhMapper.recognizes(managerOnly))
        let suricata = try Fixtures.json("alerts/suricata/alert-ssh-scan.json")
        #expect(!WazuhMapper.recognizes(suricata))
        // Wazuh's own Suricata decoder keeps the EVE fields under data: still a Wazuh alert.
        let forwarded = try JSONParser.parse(
            """
            {"rule":{"level":3,"description":"Suricata: Alert - ET SCAN","id":"86601"},"agent":{"name":"ids-1"},
            "decoder":{"name":"json"},"data":{"event_type":"alert","alert":{"signature":"ET SCAN"}}}
            """)
        #expect(AlertFormat.detect(forwarded) == .wazuh)
    }

    @Test("An alert without a rule description is rejected naming the field")
    func missingDescription() throws {
        let record = try JSONParser.parse(#"{"rule":{"level":5,"id":"1"},"agent":{"name":"a"}}"#)
        #expect(AlertFormat.detect(record) == .wazuh)
        let error = #expect(throws: MappingError.self) {
            try WazuhMapper.map(FieldReader(record))
        }
        #expect(error?.field == "rule.description")
    }
}
