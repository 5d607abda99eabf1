import CoreRecon
import Foundation
import Testing

@Suite("Suricata EVE mapping")
struct SuricataMapperTests {
    @Test("An EVE alert maps rule, severity, endpoints and ATT&CK metadata")
    func alert() throws {
        let record = try Fixtures.json("alerts/suricata/alert-ssh-scan.json")
        #expect(AlertFormat.detect(record) == .suricata)
        let alert = try Fixtures.map("alerts/suricata/alert-ssh-scan.json", as: .suricata)
        #expect(alert.title == "ET SCAN Potential SSH Scan")
        #expect(alert.severity == .medium)
        #expect(alert.ruleUID == "1:2001219")
        #expect(alert.types == ["Attempted Information Leak"])
        #expect(alert.entities == Entities(host: "sensor-1", sourceIP: "203.0.113.46", destinationIP: "10.0.0.2"))
        #expect(alert.observables.map(\.value) == ["203.0.113.46", "10.0.0.2"])
        #expect(
            alert.attacks == [
                Attack(
                    techniqueID: "T1595", techniqueName: "Active Scanning", tacticID: "TA0043",
                    tacticName: "Reconnaissance")
            ])
        #expect(alert.time == TimestampParser.iso8601("2024-03-29T11:01:38.221126Z"))
        #expect(alert.sourceID == "1959620435402694:2024-03-29T11:01:38.221126+0000:1:2001219")
    }

    @Test("Priority 1 is High, 3 is Low, and a Critical signature_severity wins")
    func severities() throws {
        func severity(_ priority: Int, _ signatureSeverity: String? = nil) throws -> Severity {
            let metadata = signatureSeverity.map { #","metadata":{"signature_severity":["\#($0)"]}"# } ?? ""
            let record = try JSONParser.parse(
                #"{"event_type":"alert","alert":{"signature":"x","severity":\#(priority)\#(metadata)}}"#)
            return try SuricataMapper.map(FieldReader(record)).severity
        }
        #expect(try severity(1) == .high)
        #expect(try severity(3) == .low)
        #expect(try severity(4) == .informational)
        #expect(try severity(3, "Critical") == .critical)
    }

    @Test("An alert without a signature is rejected naming the field")
    func missingSignature() throws {
        let record = try JSONParser.parse(#"{"event_type":"alert","alert":{"severity":1}}"#)
        #expect(throws: MappingError(field: "alert.signature", "missing; a Suricata alert names the rule that fired")) {
            try SuricataMapper.map(FieldReader(record))
        }
    }
}
