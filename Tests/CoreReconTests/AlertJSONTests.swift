import CoreRecon
import Foundation
import Testing

@Suite("Alert JSON")
struct AlertJSONTests {
    static let full = Alert(
        id: 42, fingerprint: "f00d", source: "suricata", product: "Suricata", vendor: "OISF", ruleUID: "2019401",
        title: "ET POLICY \"quoted\"", description: "line\nbreak", severity: .high, status: .closed,
        assignee: "ana", closeReason: .falsePositive, occurrences: 3,
        firstSeen: Date(milliseconds: 1_795_000_000_123), lastSeen: Date(timeIntervalSince1970: 1_795_000_060),
        createdAt: Date(timeIntervalSince1970: 1_795_000_001), updatedAt: Date(timeIntervalSince1970: 1_795_000_099.5),
        techniques: ["T1059", "T1071.001"])
    static let sparse = Alert(
        id: 7, fingerprint: "beef", source: "generic", product: "Generic", vendor: nil, ruleUID: nil, title: "x",
        description: nil, severity: .unknown, status: .new, assignee: nil, closeReason: nil, occurrences: 1,
        firstSeen: Date(timeIntervalSince1970: 0), lastSeen: Date(timeIntervalSince1970: 0),
        createdAt: Date(timeIntervalSince1970: 0), updatedAt: Date(timeIntervalSince1970: 0))

    @Test("Every field in jsonFields order, or the fields asked for; and it reads back as the alert")
    func everyField() throws {
        for alert in [Self.full, Self.sparse] {
            let object = alert.jsonObject()
            #expect(
                alert.jsonObject(fields: ["status", "no-such-field", "id"])
                    == .object([
                        JSONMember("status", .string(alert.status.rawValue)), JSONMember("no-such-field", .null),
                        JSONMember("id", .int(alert.id)),
                    ]))
            #expect(object.members?.map(\.key) == Alert.jsonFields)
            let back = try #require(Alert(json: try JSONParser.parse(object.jsonString)))
            #expect(back.id == alert.id && back.description == alert.description && back.vendor == alert.vendor)
            #expect(back.closeReason == alert.closeReason && back.techniques == alert.techniques)
            #expect(back.firstSeen.milliseconds == alert.firstSeen.milliseconds)
            #expect(back.updatedAt.milliseconds == alert.updatedAt.milliseconds)
        }
        #expect(Self.full.jsonObject()[key: "firstSeen"]?.text == "2026-11-18T11:06:40.123Z")
        #expect(Self.sparse.jsonObject()[key: "vendor"] == .null)
    }
}
