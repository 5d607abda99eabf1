import CoreRecon
import CoreReconStore
import CoreReconTestSupport
import Foundation
import Testing

/// MITRE's own bundles and sample Navigator layers from ../shared/data/attack, when present.
@Suite("Real ATT&CK data", .enabled(if: SharedData.hasATTACK, SharedData.attackSkipReason))
struct RealATTACKDataTests {
    static func bundle(_ name: String) throws -> ATTACKBundle {
        let url = SharedData.url("attack/" + name)
        return try ATTACKBundle.parse(Array(try Data(contentsOf: url)), source: url.lastPathComponent)
    }

    @Test(
        "Enterprise v15 (STIX 2.0) and ICS 18.1 (STIX 2.1) import with sane counts", arguments: TestDatabases.backends)
    func importsRealBundles(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            let summaries = try await services.attack.importBundles([
                Self.bundle("enterprise-attack-v15-stix2.0.json"), Self.bundle("ics-attack-18.1.json"),
            ])
            let enterprise = try #require(summaries.first)
            #expect(enterprise.record.domain == .enterprise && enterprise.record.attackVersion == "15")
            #expect(enterprise.counts["attack-pattern"] == 780)
            #expect(enterprise.counts["x-mitre-tactic"] == 14)
            #expect(enterprise.counts["intrusion-set"] == 163)
            #expect(enterprise.record.relationshipCount == 17_899)
            #expect(enterprise.revoked == 139)
            let ics = try #require(summaries.last)
            #expect(ics.record.domain == .ics && ics.record.attackVersion == "18.1")
            #expect(ics.counts["attack-pattern"] == 95 && ics.counts["x-mitre-tactic"] == 12)

            let catalog = try await services.attack.catalog(domain: .enterprise)
            #expect(catalog.tactics.count == 14)
            #expect(catalog.tactics.first?.id == "TA0043")
            // The embedded catalog was generated from the same release: the same active techniques.
            #expect(
                Set(catalog.techniques.filter(\.isActive).map(\.id))
                    == Set(ATTACKCatalog.embedded.techniques.filter(\.isActive).map(\.id)))

            let powershell = try await services.attack.technique("T1059.001")
            #expect(powershell.mitigations.contains { $0.id == "M1038" })
            #expect(powershell.groups.count > 20)
            #expect(powershell.software.contains { $0.id == "S0154" })
            #expect(try await services.attack.technique("T1059").subtechniques.count >= 8)
            let revoked = try await services.attack.technique("T1004")
            #expect(revoked.replacedBy?.id == "T1547.004")
            #expect(try await services.attack.technique("T0807").tactics.map(\.id) == ["TA0104"])
        }
    }

    @Test("The three sample Navigator layers (3.0 and 4.0) compare against the catalog")
    func sampleLayers() async throws {
        try await TestDatabases.withServices(.sqlite) { services in
            let files = SharedData.files(in: "attack/navigator", suffixes: [".json"])
            #expect(files.count == 3)
            for file in files {
                let layer = try NavigatorLayerDocument.parse(Array(try Data(contentsOf: file)), source: file.path)
                #expect(layer.domain == .enterprise)
                let comparison = try await services.attack.compare(
                    layer, source: file.path, from: .alerts, since: nil)
                #expect(comparison.layerOnly.count == layer.annotatedIDs.count, "\(file.lastPathComponent)")
                #expect(comparison.layerOnly.count > 40)
            }
        }
    }
}
