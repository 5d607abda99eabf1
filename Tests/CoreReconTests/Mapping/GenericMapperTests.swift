import Foundation
import Testing

@testable import CoreRecon

@Suite("Generic JSON mapping")
struct GenericMapperTests {
    /// An alert of a product no mapper knows, its fields nested the way that product nests them.
    static let unknownEDR = """
        {"title":"Suspicious beacon","severity":"high","id":"0123456789abcdef0123456789abcdef",
         "detector":{"productName":"AcmeEDR","companyName":"Acme"},
         "details":{"endpoint":{"hostname":"ws-17","local_ip":"10.1.2.3"},"actor":{"username":"CORP\\\\bob"},
           "file":{"sha256":"E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855","path":"C:\\\\Users\\\\bob\\\\x.exe"},
           "network":[{"remote":"203.0.113.5","c2_url":"http://evil.example.com/a","c2_domain":"evil.example.com"}],
           "notes":"seen twice, reported by soc@example.com","reporter":"soc@example.com","agent_user":"svc-agent",
           "build":"5.4.1"}}
        """

    @Test("Product, vendor and observables are found by name and shape wherever they sit in the record")
    func nestedFields() throws {
        let alert = try GenericMapper.map(FieldReader(try JSONParser.parse(Self.unknownEDR)))
        #expect(alert.product == "AcmeEDR" && alert.vendor == "Acme")
        #expect(alert.severity == .high)
        let found = Dictionary(alert.observables.map { ($0.value, $0.kind) }, uniquingKeysWith: { a, _ in a })
        #expect(found["ws-17"] == .hostname)
        #expect(found["10.1.2.3"] == .ip && found["203.0.113.5"] == .ip)
        #expect(found["CORP\\bob"] == .user)
        #expect(found["e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"] == .hash)
        #expect(found["C:\\Users\\bob\\x.exe"] == .path)
        #expect(found["http://evil.example.com/a"] == .url)
        #expect(found["evil.example.com"] == .domain)
        #expect(found["soc@example.com"] == .email)
        // An id of 32 hex digits is not a hash, a version is not a host, and an agent's account is not the user.
        #expect(found["0123456789abcdef0123456789abcdef"] == nil)
        #expect(found["5.4.1"] == nil && found["svc-agent"] == nil)
        #expect(alert.observables.first { $0.value == "203.0.113.5" }?.name == "unmapped.remote")
    }

    @Test("Shapes: an e-mail address has one @ and a domain after it; a URL starts with http(s):// in any case")
    func shapes() {
        for text in ["soc@example.com", "a.b+c@mail.example.org"] { #expect(ObservableScan.isEmail(text), "\(text)") }
        let notEmail = [
            "@example.com", "a@b@example.com", "soc@localhost", "a b@example.com", "soc@", "plain", "a@-x.com",
        ]
        for text in notEmail { #expect(!ObservableScan.isEmail(text), "\(text)") }
        for text in ["http://x", "HTTPS://X/a", "hTtP://"] { #expect(ObservableScan.hasHTTPScheme(text), "\(text)") }
        for text in ["http:/x", "https:x", "ftp://x", "httpx://x", "http", "", "https//x", "hxxp://x"] {
            #expect(!ObservableScan.hasHTTPScheme(text), "\(text)")
        }
    }

    @Test("A `source` that is an address is where the event came from, not the product")
    func sourceAddress() throws {
        let audit = try GenericMapper.map(
            FieldReader(
                try JSONParser.parse(
                    #"{"action":"add-user","source":"2a01:e34:ec57:b230::1","message":"User added","component":"Identity"}"#
                )))
        #expect(audit.product == "Generic")
        #expect(audit.observables.contains { $0.kind == .ip && $0.value == "2a01:e34:ec57:b230::1" })
        let named = try GenericMapper.map(FieldReader(try JSONParser.parse(#"{"title":"x","source":"AcmeIDS"}"#)))
        #expect(named.product == "AcmeIDS")
    }

    @Test("The scan is bounded: a deep or wide record costs a bounded walk and at most 256 observables")
    func bounded() throws {
        var deep = "\"10.0.0.1\""
        for _ in 0..<40 { deep = "{\"a\":\(deep)}" }
        let nested = try GenericMapper.map(FieldReader(try JSONParser.parse(#"{"title":"deep","x":\#(deep)}"#)))
        #expect(nested.observables.isEmpty, "below 16 levels nothing is read")
        let wide = (0..<5_000).map { "\"10.0.\($0 / 256).\($0 % 256)\"" }.joined(separator: ",")
        let many = try GenericMapper.map(FieldReader(try JSONParser.parse(#"{"title":"wide","ips":[\#(wide)]}"#)))
        #expect(many.observables.count == 256)
    }
}
