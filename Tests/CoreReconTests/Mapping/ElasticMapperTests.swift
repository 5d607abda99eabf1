import CoreRecon
import Foundation
import Testing

@Suite("Elastic Security alert mapping")
struct ElasticMapperTests {
    @Test("An 8.x alert with flattened keys maps rule, severity, host, process and ATT&CK")
    func flattenedAlert() throws {
        let record = try Fixtures.json("alerts/elastic/alert-powershell-encoded.json")
        #expect(AlertFormat.detect(record) == .elastic)
        let alert = try Fixtures.map("alerts/elastic/alert-powershell-encoded.json", as: .elastic)
        #expect(alert.title == "Encoded PowerShell Command")
        #expect(alert.product == "Elastic Security")
        #expect(alert.productVersion == "8.13.4")
        #expect(alert.severity == .high)
        #expect(alert.sourceSeverity == "high")
        #expect(alert.ruleUID == "4f3e2d1c-0b9a-4876-a543-210fedcba987")
        #expect(alert.sourceID == "7c1e2f0a9b8d4c6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e")
        #expect(alert.time == TimestampParser.iso8601("2024-05-14T09:12:44.518Z"))
        #expect(alert.types == ["Custom Query Rule"])
        #expect(alert.description?.hasPrefix("process event with process powershell.exe") == true)
        #expect(alert.entities == Entities(host: "WS-0142", user: "j.doe"))
        #expect(alert.observables.contains { $0.kind == .hostname && $0.value == "ws-0142" })
        // Loopback and link-local addresses in host.ip are skipped.
        #expect(alert.observables.filter { $0.kind == .ip }.map(\.value) == ["10.20.30.41"])
        #expect(alert.observables.contains { $0.kind == .process && $0.value == "powershell.exe" })
        #expect(alert.observables.contains { $0.kind == .commandLine && $0.value.contains("-EncodedCommand") })
        #expect(
            alert.observables.contains {
                $0.kind == .hash && $0.value == "9f914d42706fe215501044acd85a32d58aaef1419d404fddfa5d3b48f66ccd9f"
            })
        #expect(
            alert.attacks == [
                Attack(
                    techniqueID: "T1059.001", techniqueName: "PowerShell", tacticID: "TA0002", tacticName: "Execution"),
                Attack(
                    techniqueID: "T1027", techniqueName: "Obfuscated Files or Information", tacticID: "TA0005",
                    tacticName: "Defense Evasion"),
            ])
        let device = try #require(alert.attributes.first { $0.key == "device" }?.value)
        #expect(device["hostname"]?.text == "WS-0142")
        #expect(device["ip"]?.text == "10.20.30.41")
        let evidence = try #require(alert.attributes.first { $0.key == "evidences" }?.value.arrayValue?.first)
        #expect(evidence["process.pid"]?.int == 4312)
    }

    @Test("A search hit is read from _source, and only the fields used leave unmapped")
    func searchHit() throws {
        let record = try Fixtures.json("alerts/elastic/search-hit-dns-exfiltration.json")
        #expect(AlertFormat.detect(record) == .elastic)
        let reader = FieldReader(record)
        let alert = try ElasticMapper.map(reader)
        #expect(alert.title == "Unusual DNS Tunnel Domain")
        // No severity word: the risk score decides.
        #expect(alert.severity == .medium)
        #expect(alert.sourceSeverity == "risk_score 47")
        #expect(alert.ruleUID == "a1b2c3d4-e5f6-4789-8abc-def012345678")
        #expect(alert.sourceID == "e3b9c2a1d0f94e8b7a6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a")
        #expect(alert.time == TimestampParser.iso8601("2024-06-02T17:40:03.771Z"))
        #expect(
            alert.entities
                == Entities(
                    host: "srv-build-07", sourceIP: "10.20.30.57",
                    destinationIP: "198.51.100.9"))
        #expect(alert.observables.contains { $0.kind == .domain && $0.value == "agvsbg8td29ybgq.tunnel.example" })
        #expect(alert.observables.contains { $0.kind == .url && $0.value == "https://tunnel.example/upload?id=77" })
        #expect(
            alert.attacks == [
                Attack(
                    techniqueID: "T1048", techniqueName: "Exfiltration Over Alternative Protocol",
                    tacticID: "TA0010", tacticName: "Exfiltration")
            ])
        let destination = try #require(alert.attributes.first { $0.key == "evidences" }?.value["dst_endpoint"])
        #expect(destination["port"]?.int == 53)
        let unmapped = try #require(reader.unmappedFields)
        #expect(unmapped["_index"]?.text == ".internal.alerts-security.alerts-default-000002")
        #expect(unmapped["_source.kibana.alert.rule.name"] == nil)
        #expect(unmapped["_source.dns.question.type"]?.text == "TXT")
    }

    @Test("A 7.x .siem-signals hit maps signal.rule fields and takes its id from _id")
    func legacySignal() throws {
        let record = try Fixtures.json("alerts/elastic/siem-signal-7x.json")
        #expect(AlertFormat.detect(record) == .elastic)
        let alert = try Fixtures.map("alerts/elastic/siem-signal-7x.json", as: .elastic)
        #expect(alert.title == "Macro Attachment From New Sender")
        #expect(alert.severity == .critical)
        #expect(alert.ruleUID == "c4d5e6f7-0819-4a2b-9c3d-4e5f60718293")
        #expect(alert.sourceID == "b7f1c0e9d8a7465b")
        #expect(alert.time == TimestampParser.iso8601("2021-09-21T08:02:17.310Z"))
        #expect(alert.types == ["eql"])
        #expect(alert.entities == Entities(host: "mail-gw-2", user: "a.kowalski"))
        // Addresses are compared lowercased.
        #expect(alert.observables.contains { $0.kind == .email && $0.value == "billing@invoices.example" })
        #expect(alert.observables.contains { $0.kind == .file && $0.value == "invoice_0921.docm" })
        #expect(
            alert.attacks == [
                Attack(
                    techniqueID: "T1566.001", techniqueName: "Spearphishing Attachment",
                    tacticID: "TA0001", tacticName: "Initial Access")
            ])
    }

    @Test("kibana.alert.severity words map directly and win over the risk score")
    func severityWords() throws {
        func severity(_ word: String, risk: Int) throws -> Severity {
            let fields = #""kibana.alert.severity":"\#(word)","kibana.alert.risk_score":\#(risk)"#
            let record = try JSONParser.parse(#"{"kibana.alert.rule.name":"r",\#(fields)}"#)
            return try ElasticMapper.map(FieldReader(record)).severity
        }
        #expect(try severity("low", risk: 90) == .low)
        #expect(try severity("medium", risk: 10) == .medium)
        #expect(try severity("high", risk: 10) == .high)
        #expect(try severity("critical", risk: 10) == .critical)
    }

    @Test("Without a severity word, risk score bands are 0–21 Low, 22–47 Medium, 48–73 High, 74–100 Critical")
    func riskScoreBands() throws {
        func severity(_ risk: Int) throws -> Severity {
            let record = try JSONParser.parse(#"{"kibana":{"alert":{"rule":{"name":"r"},"risk_score":\#(risk)}}}"#)
            return try ElasticMapper.map(FieldReader(record)).severity
        }
        #expect(try severity(0) == .low)
        #expect(try severity(21) == .low)
        #expect(try severity(22) == .medium)
        #expect(try severity(47) == .medium)
        #expect(try severity(48) == .high)
        #expect(try severity(73) == .high)
        #expect(try severity(74) == .critical)
        #expect(try severity(100) == .critical)
    }

    @Test("A search hit with fields (every value an array) maps, ATT&CK from flattened threat lists")
    func fieldsHit() throws {
        let record = try JSONParser.parse(
            """
            {"_id":"hit-1","fields":{"kibana.alert.rule.name":["Credential Dump"],
            "kibana.alert.severity":["critical"],
            "kibana.alert.rule.threat.tactic.id":["TA0006"],
            "kibana.alert.rule.threat.tactic.name":["Credential Access"],
            "kibana.alert.rule.threat.technique.id":["T1003"],
            "kibana.alert.rule.threat.technique.name":["OS Credential Dumping"],
            "kibana.alert.rule.threat.technique.subtechnique.id":["T1003.001"],
            "kibana.alert.rule.threat.technique.subtechnique.name":["LSASS Memory"],
            "host.name":["dc-01"],"@timestamp":["2024-01-02T03:04:05.000Z"]}}
            """)
        #expect(AlertFormat.detect(record) == .elastic)
        let alert = try ElasticMapper.map(FieldReader(record))
        #expect(alert.title == "Credential Dump")
        #expect(alert.severity == .critical)
        #expect(alert.sourceID == "hit-1")
        #expect(alert.entities.host == "dc-01")
        #expect(alert.time == TimestampParser.iso8601("2024-01-02T03:04:05.000Z"))
        #expect(
            alert.attacks == [
                Attack(
                    techniqueID: "T1003.001", techniqueName: "LSASS Memory", tacticID: "TA0006",
                    tacticName: "Credential Access")
            ])
    }

    @Test("An es_archiver doc record is read from value.source")
    func archiveRecord() throws {
        let record = try JSONParser.parse(
            """
            {"type":"doc","value":{"index":".internal.alerts-security.alerts-default-000001","id":"doc-9",
            "source":{"kibana.alert.rule.name":"threat-match-rule","kibana.alert.severity":"low",
            "kibana.alert.original_time":"2022-03-19T02:47:57.376Z","host":{"name":"linux-1"}}}}
            """)
        #expect(AlertFormat.detect(record) == .elastic)
        let alert = try ElasticMapper.map(FieldReader(record))
        #expect(alert.title == "threat-match-rule")
        #expect(alert.severity == .low)
        #expect(alert.sourceID == "doc-9")
        // No @timestamp: the source event's time.
        #expect(alert.time == TimestampParser.iso8601("2022-03-19T02:47:57.376Z"))
        #expect(alert.entities.host == "linux-1")
    }

    @Test("ECS threat.* lists on the event pair tactics and techniques by position")
    func ecsThreatLists() throws {
        let record = try JSONParser.parse(
            """
            {"kibana":{"alert":{"rule":{"name":"r"},"severity":"medium"}},
            "threat":{"tactic":{"id":["TA0002","TA0005"],"name":["Execution","Defense Evasion"]},
            "technique":{"id":["T1059","T1027"],"name":["Command and Scripting Interpreter","Obfuscated Files"]}}}
            """)
        let alert = try ElasticMapper.map(FieldReader(record))
        #expect(
            alert.attacks == [
                Attack(
                    techniqueID: "T1059", techniqueName: "Command and Scripting Interpreter", tacticID: "TA0002",
                    tacticName: "Execution"),
                Attack(
                    techniqueID: "T1027", techniqueName: "Obfuscated Files", tacticID: "TA0005",
                    tacticName: "Defense Evasion"),
            ])
    }

    @Test("Records without a detection rule are not Elastic alerts")
    func recognition() throws {
        let ecsEvent = try JSONParser.parse(
            #"{"@timestamp":"2024-01-01T00:00:00Z","host":{"name":"h"},"rule":{"name":"x"}}"#)
        #expect(!ElasticMapper.recognizes(ecsEvent))
        let wazuh = try Fixtures.json("alerts/wazuh/sshd-brute-force.json")
        #expect(!ElasticMapper.recognizes(wazuh))
        let legacy = try JSONParser.parse(#"{"signal":{"rule":{"name":"x"}}}"#)
        #expect(ElasticMapper.recognizes(legacy))
    }

    @Test("An alert without a rule name is rejected naming the field")
    func missingRuleName() throws {
        let record = try JSONParser.parse(#"{"kibana.alert.rule.uuid":"u","kibana.alert.severity":"high"}"#)
        #expect(AlertFormat.detect(record) == .elastic)
        let error = #expect(throws: MappingError.self) {
            try ElasticMapper.map(FieldReader(record))
        }
        #expect(error?.field == "kibana.alert.rule.name")
    }
}
