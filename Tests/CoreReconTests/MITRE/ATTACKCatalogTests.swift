import CoreRecon
import Testing

@Suite("Embedded ATT&CK catalog")
struct ATTACKCatalogTests {
    let catalog = ATTACKCatalog.embedded

    @Test("Holds the Enterprise tactics in matrix order and the active techniques")
    func contents() {
        #expect(catalog.tactics.count == 14)
        #expect(catalog.tactics.first?.id == "TA0043")  // Reconnaissance opens the Enterprise matrix.
        #expect(catalog.tactics.map(\.shortName).contains("credential-access"))
        let active = catalog.techniques.filter(\.isActive)
        #expect(active.count >= 600)
        #expect(active.contains { $0.isSubtechnique })
    }

    @Test("Looks techniques up by id in any case, with tactics and platforms")
    func lookUp() throws {
        let powershell = try #require(catalog.technique("t1059.001"))
        #expect(powershell.name == "PowerShell")
        #expect(powershell.tactics == ["execution"])
        #expect(powershell.platforms.contains("Windows"))
        #expect(powershell.parentID == "T1059")
        #expect(catalog.technique("T9999") == nil)
        #expect(catalog.tactic("Credential Access")?.id == "TA0006")
        #expect(catalog.tactic("ta0006")?.shortName == "credential-access")
    }

    @Test("Filters by tactic, platform and words")
    func filters() throws {
        let credentialAccess = try #require(catalog.tactic("credential-access"))
        let found = catalog.techniques(tactic: credentialAccess, platform: "linux", search: "credential dumping")
        #expect(found.map(\.id).contains("T1003"))
        #expect(found.allSatisfy { $0.tactics.contains("credential-access") && $0.platforms.contains("Linux") })
        #expect(catalog.techniques(search: "no such technique words").isEmpty)
    }

    @Test("Validation refuses unknown ids and names the replacement of revoked ones")
    func validation() throws {
        #expect(try catalog.validate("T1059.001").name == "PowerShell")
        #expect {
            try catalog.validate("T1086")
        } throws: { error in
            "\(error)".contains("revoked") && "\(error)".contains("T1059.001")
        }
        #expect(throws: CoreReconError.self) { try catalog.validate("T9999") }
    }
}
