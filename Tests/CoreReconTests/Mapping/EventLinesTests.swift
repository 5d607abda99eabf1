import Foundation
import Testing

@testable import CoreRecon

@Suite("CEF and LEEF lines")
struct EventLinesTests {
    static func record(_ line: String) throws -> JSONValue {
        try #require(try EventLines.parse(line))
    }

    static func attribute(_ alert: MappedAlert, _ key: String) -> JSONValue? {
        alert.attributes.first { $0.key == key }?.value
    }

    @Test("The CEF header splits on unescaped pipes; extension values keep spaces and unescape \\=, \\\\, \\n, \\r")
    func cefEscapes() throws {
        let record = try Self.record(
            #"CEF:0|security\\compliance|threat\|->manager|1.0|100|message contains escapes|10|msg=Newlines\nare allowed.\r\nso are backslash\\es\=. act=blocked a \= b angle=106.7<=180 cs1Label=Rule Name cs1=Block all"#
        )
        #expect(record["cef.device_vendor"]?.text == #"security\compliance"#)
        #expect(record["cef.device_product"]?.text == "threat|->manager")
        #expect(record["cef.severity"]?.text == "10")
        #expect(record["extensions.msg"]?.text == "Newlines\nare allowed.\r\nso are backslash\\es=.")
        #expect(record["extensions.act"]?.text == "blocked a = b")
        #expect(record["extensions.angle"]?.text == "106.7<=180", "an = after no key stays in the value")
        #expect(record["extensions.cs1Label"]?.text == "Rule Name")
        #expect(record["extensions.cs1"]?.text == "Block all")
    }

    @Test("Syslog headers before the event, RFC 3164 and RFC 5424, are read; a short header is refused by name")
    func syslogHeaders() throws {
        let bsd = try Self.record("<189>Jun 18 10:55:50 fw-01 CEF:0|V|P|1|7|Name|3|src=10.1.1.1")
        #expect(bsd["syslog.priority"]?.int == 189 && bsd["syslog.severity"]?.int == 5)
        #expect(bsd["syslog.host"]?.text == "fw-01")
        #expect(bsd["syslog.timestamp"]?.text == "Jun 18 10:55:50")
        let ietf = try Self.record("<182>1 2020-10-04T10:41:14.608731Z cortexxdr - - - - CEF:0|V|P|1|7|Name|9|")
        #expect(ietf["syslog.timestamp"]?.text == "2020-10-04T10:41:14.608731Z")
        #expect(ietf["syslog.host"]?.text == "cortexxdr" && ietf["syslog.app"] == nil)
        #expect(ietf["extensions"] == nil)
        #expect(throws: MappingError.self) { try EventLines.parse("CEF:0|only|three") }
        #expect(throws: MappingError.self) { try EventLines.parse("CEF:x|V|P|1|7|Name|9|") }
        #expect(try EventLines.parse("plain text, neither format") == nil)
    }

    @Test("LEEF 1.0 with tabs, LEEF 2.0 with a declared delimiter (a character or hex), and | between attributes")
    func leefDelimiters() throws {
        let tabs = try Self.record("LEEF:1.0|Vendor|Product|1.2|login-failed|src=192.0.2.1\tusrName=joe black\tsev=7")
        #expect(tabs["leef.event_id"]?.text == "login-failed")
        #expect(tabs["attributes.usrName"]?.text == "joe black")
        for declared in ["^", "x5E", "0x5e"] {
            let record = try Self.record("LEEF:2.0|V|P|1|E|\(declared)|src=192.0.2.1^dst=198.51.100.2^sev=5")
            #expect(record["attributes.dst"]?.text == "198.51.100.2", "\(declared)")
            #expect(record["leef.delimiter"]?.text == "^")
        }
        let bars = try Self.record("LEEF:1.0|Palo Alto Networks|PAN-OS|8.1|allow|cat=TRAFFIC|src=1.1.1.1|dst=2.2.2.2")
        #expect(bars["attributes.dst"]?.text == "2.2.2.2")
        #expect(throws: MappingError.self) { try EventLines.parse("LEEF:3.0|V|P|1|E|a=b") }
        // CyberArk's Vault names the event in its attributes, not its header.
        let vault = try LEEFMapper.map(
            FieldReader(
                try Self.record(
                    "LEEF:1.0|Cyber-Ark|Vault|14.4|295|sev=6\tAction=Retrieve password\tEventMessage=Retrieve password\tusrName=ana\tsrc=10.1.2.3"
                )))
        #expect(vault.title == "Retrieve password" && vault.ruleUID == "295" && vault.severity == .medium)
        // Custom fields are read by their labels: a hash list, a host under a vendor key.
        let malop = try CEFMapper.map(
            FieldReader(
                try Self.record(
                    "CEF:0|Cybereason|Cybereason|1.0|1|Malop Created|5|rt=1629701622409 cs4Label=MalopHashList cs4=bb9dbdca921d84381c893086f65ffca17120b23d cs6Label=Link cs6=https://console.example/#/malop/11 VendorMachineHost=ws-12"
                )))
        #expect(
            malop.observables.contains { $0.kind == .hash && $0.value == "bb9dbdca921d84381c893086f65ffca17120b23d" })
        #expect(malop.observables.contains { $0.kind == .url && $0.value == "https://console.example/#/malop/11" })
        #expect(malop.observables.contains { $0.kind == .hostname && $0.value == "ws-12" })
        #expect(EventLines.delimiterCharacter("x09") == "\t" && EventLines.delimiterCharacter("zz") == nil)
    }

    @Test("A CEF event maps vendor, product, signature, severity bands, endpoints, users, hashes and the action")
    func cefMapping() throws {
        let line =
            "<13>Jan 18 11:07:53 fw-01 CEF:0|Check Point|VPN-1|R81|9|Malware blocked|7|src=10.0.0.5 spt=51123 dst=203.0.113.8 dpt=443 proto=TCP suser=CORP\\\\alice duser=bob dhost=ws-17 request=https://evil.example.com/x fileHash=44D88612FEA8A8F36DE82E1278ABB02F fname=eicar.com act=blocked rt=1705576073000 externalId=77 cat=Malware msg=Blocked a download"
        let record = try Self.record(line)
        #expect(AlertFormat.detect(record) == .cef)
        let alert = try CEFMapper.map(FieldReader(record))
        #expect(alert.title == "Malware blocked" && alert.product == "VPN-1" && alert.vendor == "Check Point")
        #expect(alert.productVersion == "R81" && alert.ruleUID == "9")
        #expect(alert.severity == .high && alert.sourceSeverity == "7")
        #expect(alert.sourceID == "77")
        #expect(alert.description == "Blocked a download" && alert.types == ["Malware"])
        #expect(alert.time == Date(timeIntervalSince1970: 1_705_576_073))
        #expect(
            alert.entities == Entities(host: "ws-17", user: "bob", sourceIP: "10.0.0.5", destinationIP: "203.0.113.8"))
        let values = Set(alert.observables.map(\.value))
        for value in [
            "10.0.0.5", "203.0.113.8", "ws-17", "bob", "CORP\\alice", "https://evil.example.com/x",
            "44d88612fea8a8f36de82e1278abb02f", "eicar.com",
        ] {
            #expect(values.contains(value), "\(value) in \(values)")
        }
        #expect(Self.attribute(alert, "action")?.text == "Denied")
        let evidence = try #require(Self.attribute(alert, "evidences")?.arrayValue?.first)
        #expect(evidence["src_endpoint.port"]?.int == 51123 && evidence["connection_info.protocol_name"]?.text == "tcp")
        #expect(Self.attribute(alert, "device")?["hostname"]?.text == "fw-01", "the syslog host sent it")
        for (text, severity) in [
            ("0", Severity.low), ("3", .low), ("4", .medium), ("8", .high), ("10", .critical),
            ("Very-High", .critical), ("Medium", .medium), ("Unknown", .unknown), ("11", .unknown),
        ] {
            #expect(CEFMapper.severity(text) == severity, "\(text)")
        }
    }

    @Test("A LEEF event maps the event id, sev, devTime in its declared format, endpoints and the user")
    func leefMapping() throws {
        let record = try Self.record(
            "LEEF:2.0|IBM|QRadar|7.5|Port Scan|^|src=192.0.2.9^dst=198.51.100.4^srcPort=4444^dstPort=22^usrName=root^sev=8^devTime=2024-03-01 10:00:00^devTimeFormat=yyyy-MM-dd HH:mm:ss^identHostName=db-01"
        )
        #expect(AlertFormat.detect(record) == .leef)
        let alert = try LEEFMapper.map(FieldReader(record))
        #expect(alert.title == "Port Scan" && alert.ruleUID == "Port Scan")
        #expect(alert.product == "QRadar" && alert.vendor == "IBM")
        #expect(alert.severity == .high && alert.sourceSeverity == "8")
        #expect(alert.time == TimestampParser.iso8601("2024-03-01T10:00:00Z"))
        #expect(
            alert.entities
                == Entities(host: "db-01", user: "root", sourceIP: "192.0.2.9", destinationIP: "198.51.100.4"))
    }

    @Test("The vendors' own lines parse and map, each with a product, a title and an observable or a time")
    func vendorLines() throws {
        for (path, format, count) in [
            ("alerts/cef/events.log", AlertFormat.cef, 5), ("alerts/leef/events.log", .leef, 5),
        ] {
            let lines = String(decoding: try Fixtures.data(path), as: UTF8.self).split(separator: "\n")
            #expect(lines.count == count)
            for line in lines {
                let record = try Self.record(String(line))
                #expect(AlertFormat.detect(record) == format, "\(line.prefix(60))")
                let alert = try format.mapper.map(FieldReader(record))
                #expect(!alert.title.isEmpty && alert.product != "CEF" && alert.product != "LEEF", "\(line.prefix(60))")
            }
        }
        let pta = try CEFMapper.map(
            FieldReader(
                try Self.record(
                    String(
                        String(decoding: try Fixtures.data("alerts/cef/events.log"), as: UTF8.self).split(
                            separator: "\n")[2]))))
        #expect(
            pta.entities
                == Entities(
                    host: "dev1.domain.com", user: "andy@dev1.domain.com", sourceIP: "1.1.1.1", destinationIP: "2.2.2.2"
                ))
    }

    @Test("Text lines are records of their own in a stream, CRLF or not, beside JSON lines")
    func splitting() throws {
        var splitter = RecordSplitter()
        let input =
            "CEF:0|V|P|1|7|One two|3|msg=a b c\r\n{\"title\":\"json\"}\nLEEF:1.0|V|P|1|E|a=b\tc=d e\n<13>Jan 18 11:07:53 h CEF:0|V|P|1|7|N|3|"
        let records = splitter.feed(Array(input.utf8)) + splitter.finish()
        #expect(
            records.map { String(decoding: $0.bytes, as: UTF8.self) } == [
                "CEF:0|V|P|1|7|One two|3|msg=a b c", "{\"title\":\"json\"}", "LEEF:1.0|V|P|1|E|a=b\tc=d e",
                "<13>Jan 18 11:07:53 h CEF:0|V|P|1|7|N|3|",
            ])
        #expect(records.map(\.line) == [1, 2, 3, 4])
        #expect(records.allSatisfy { !$0.isTruncated })
    }
}
