import Foundation
import Testing

@testable import CoreRecon

@Suite("Splunk and QRadar mapping")
struct SplunkQRadarMapperTests {
    static func attribute(_ alert: MappedAlert, _ key: String) -> JSONValue? {
        alert.attributes.first { $0.key == key }?.value
    }

    @Test("An ES notable maps rule title, urgency, security domain, event id, dest and user")
    func notable() throws {
        let path = "alerts/splunk/notable.json"
        #expect(AlertFormat.detect(try Fixtures.json(path)) == .splunk)
        let alert = try Fixtures.map(path, as: .splunk)
        #expect(alert.title == "Root user use")
        #expect(alert.product == "Splunk Enterprise Security" && alert.vendor == "Splunk")
        #expect(alert.severity == .informational && alert.sourceSeverity == "informational")
        #expect(alert.types == ["identity"])
        #expect(alert.ruleUID == "Identity - Root sucess - Rule")
        #expect(alert.ruleName == "Root sucess")
        #expect(alert.sourceID == "5E6DE97D-B137-47AB-8905-8C4F42998937@@notable@@e4f07602f507975e9f7ba47c4ae0c417")
        #expect(alert.time == TimestampParser.iso8601("2024-06-05T09:15:24.000+00:00"))
        #expect(alert.entities.user == "root")
        #expect(alert.observables.contains { $0.kind == .user && $0.value == "root" })
        #expect(alert.description == "user=root AND (action=success OR action=failure)")
    }

    @Test("A webhook alert action maps the saved search, its run id and the result row's fields")
    func webhook() throws {
        let path = "alerts/splunk/webhook.json"
        #expect(AlertFormat.detect(try Fixtures.json(path)) == .splunk)
        // Splunk's documented example has a null search_name: the alert is named by the search's run.
        let documented = try Fixtures.map(path, as: .splunk)
        #expect(documented.title == "Splunk alert (search scheduler_admin_search_W2_at_14232356_132)")
        #expect(documented.sourceID == "scheduler_admin_search_W2_at_14232356_132")
        #expect(documented.severity == .unknown)
        #expect(throws: MappingError.self) {
            try SplunkMapper.map(FieldReader(try JSONParser.parse(#"{"sid":null,"results_link":"x","result":{}}"#)))
        }
        let record = try JSONParser.parse(
            """
            {"sid":"scheduler__admin__search__RMD5_at_1717578900_42","search_name":"Brute force on $dest$",
             "app":"search","owner":"admin","results_link":"https://splunk.example.com:8000/app/search/@go?sid=42",
             "result":{"_time":"1717578900","src":"203.0.113.9","dest":"web-01","user":"CORP\\\\alice","urgency":"high",
             "count":"57","file_hash":"D41D8CD98F00B204E9800998ECF8427E","annotations":{"mitre_attack":["T1110.001"]}}}
            """)
        let alert = try SplunkMapper.map(FieldReader(record))
        #expect(alert.title == "Brute force on web-01", "$dest$ filled from the result")
        #expect(alert.product == "Splunk")
        #expect(alert.severity == .high)
        #expect(alert.sourceID == "scheduler__admin__search__RMD5_at_1717578900_42")
        #expect(alert.ruleUID == "Brute force on $dest$")
        #expect(alert.entities == Entities(host: "web-01", user: "CORP\\alice", sourceIP: "203.0.113.9"))
        #expect(alert.observables.contains { $0.kind == .hash && $0.value == "d41d8cd98f00b204e9800998ecf8427e" })
        #expect(alert.attacks.map(\.techniqueID) == ["T1110.001"])
        #expect(alert.time == Date(timeIntervalSince1970: 1_717_578_900))
        #expect(Self.attribute(alert, "src_url")?.text == "https://splunk.example.com:8000/app/search/@go?sid=42")
        #expect(SplunkMapper.substituted("$a$ and $b$ and $", from: record, row: "result.") == "$a$ and $b$ and $")
    }

    @Test("QRadar offenses map description, magnitude, offense source by type, rule and categories")
    func offenses() throws {
        let records = try AlertNormalizer.parse(Array(try Fixtures.data("alerts/qradar/offenses.json")))
        #expect(records.count == 1, "a JSON array is one record to parse; the input reader splits it")
        let offenses = try #require(try Fixtures.json("alerts/qradar/offenses.json").arrayValue)
        #expect(offenses.map { AlertFormat.detect($0) } == [.qradar, .qradar])
        let first = try QRadarMapper.map(FieldReader(offenses[0]))
        #expect(first.title == "Session Closed")
        #expect(first.product == "QRadar" && first.vendor == "IBM")
        #expect(first.severity == .low && first.sourceSeverity == "1")
        #expect(first.sourceID == "16:1613399051536")
        #expect(first.ruleUID == "100405")
        #expect(first.types == ["Session Closed"])
        #expect(first.entities.sourceIP == "39.116.161.122", "offense_type 0: the source IP")
        #expect(first.time == Date(timeIntervalSince1970: 1_613_399_051.536))
        let second = try QRadarMapper.map(FieldReader(offenses[1]))
        #expect(second.title == "Multiple Login Failures for the Same User")
        #expect(second.description?.contains("containing Failure Audit") == true)

        var user = offenses[0].members ?? []
        user.removeAll { $0.key == "offense_type" || $0.key == "offense_source" }
        user += [JSONMember("offense_type", .int(3)), JSONMember("offense_source", .string("jdoe"))]
        #expect(try QRadarMapper.map(FieldReader(.object(user))).entities == Entities(user: "jdoe"))
    }
}
