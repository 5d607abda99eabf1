import CoreRecon
import CoreReconStore
import CoreReconTestSupport
import Foundation
import Testing

/// Small ATT&CK bundles and layers written for these tests (Fixtures/attack).
enum ATTACKFixtures {
    /// The message of the ``CoreReconError`` `body` throws; a failed expectation when it throws none.
    static func message(_ body: () async throws -> some Any) async -> String {
        do {
            _ = try await body()
            Issue.record("expected an error")
            return ""
        } catch {
            return "\(error)"
        }
    }

    static func url(_ name: String) throws -> URL {
        try #require(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures/attack"))
    }

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: url(name)))
    }

    static func bundle(_ name: String) throws -> ATTACKBundle {
        try ATTACKBundle.parse(bytes(name), source: name + ".json")
    }

    /// Imports the tiny Enterprise (STIX 2.0) and ICS (STIX 2.1) bundles.
    @discardableResult
    static func importTiny(into services: AppServices) async throws -> [ATTACKImportSummary] {
        try await services.attack.importBundles([
            bundle("tiny-enterprise-stix20"), bundle("tiny-ics-stix21"),
        ])
    }
}

@Suite("ATT&CK import")
struct ATTACKImportTests {
    @Test("STIX 2.0 and 2.1 bundles import with their domains, versions and counts", arguments: TestDatabases.backends)
    func importsBundles(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            let summaries = try await ATTACKFixtures.importTiny(into: services)
            #expect(summaries.map(\.record.domain) == [.enterprise, .ics])
            let enterprise = try #require(summaries.first)
            #expect(enterprise.record.specVersion == "2.0")
            #expect(enterprise.record.techniqueCount == 6)
            #expect(enterprise.counts["x-mitre-tactic"] == 2)
            #expect(enterprise.revoked == 1 && enterprise.deprecated == 1)
            #expect(enterprise.skipped == ["identity": 1, "marking-definition": 1])
            let ics = try #require(summaries.last)
            #expect(ics.record.specVersion == "2.1")
            #expect(ics.record.attackVersion == "18.1")
            #expect(ics.counts["x-mitre-asset"] == 1 && ics.counts["x-mitre-detection-strategy"] == 1)
            #expect(ics.skipped == ["x-acme-thing": 1])
            // Cobalt Strike is in both bundles: stored once, updated by the second.
            #expect(ics.updated == 1)

            let imports = try await services.attack.imports()
            #expect(imports.map(\.label) == ["enterprise-attack", "ics-attack 18.1"])
            let tactics = try await services.attack.catalog().tactics
            #expect(tactics.map(\.id) == ["TA0002", "TA0003", "TA0104"])
            #expect(tactics.last?.domain == .ics)
            let ics2 = try await services.attack.catalog(domain: .ics)
            #expect(ics2.techniques.map(\.id) == ["T0807"])
        }
    }

    @Test(
        "show reads tactics, mitigations, groups, software and sub-techniques from relationships",
        arguments: TestDatabases.backends)
    func showsRelationships(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            try await ATTACKFixtures.importTiny(into: services)
            let detail = try await services.attack.technique("t1059.001")
            #expect(detail.technique.name == "PowerShell")
            #expect(detail.tactics.map(\.id) == ["TA0002"])
            #expect(detail.parent?.id == "T1059")
            #expect(detail.mitigations.map(\.id) == ["M1038"])
            #expect(detail.groups.map(\.id) == ["G0016"])
            #expect(detail.software.map(\.id) == ["S0154"])
            #expect(detail.description == "PowerShell description.(Citation: Example)")
            #expect(detail.detection == "Watch for PowerShell.")
            #expect(detail.catalog == "imported enterprise-attack")

            let parent = try await services.attack.technique("T1059")
            #expect(parent.subtechniques.map(\.id) == ["T1059.001"])
            #expect(parent.software.map(\.id) == ["S0002"])

            let revoked = try await services.attack.technique("T1004")
            #expect(revoked.technique.isRevoked)
            #expect(revoked.replacedBy?.id == "T1547.004")
            let deprecated = try await services.attack.technique("T1086")
            #expect(deprecated.technique.isDeprecated && !deprecated.technique.isRevoked)

            let ics = try await services.attack.technique("T0807")
            #expect(ics.tactics.map(\.id) == ["TA0104"])
            #expect(ics.software.map(\.id) == ["S0154"])
            #expect(ics.mitigations.map(\.id) == ["M0801"])
        }
    }

    @Test("Re-importing the same bundle changes nothing but the import time", arguments: TestDatabases.backends)
    func reimportIsIdempotent(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            let first = try await ATTACKFixtures.importTiny(into: services)
            let before = try await services.attack.catalog().techniques
            let second = try await ATTACKFixtures.importTiny(into: services)
            #expect(second.map(\.added) == [0, 0])
            #expect(second.map(\.removed) == [0, 0])
            #expect(second.map(\.record.objectCount) == first.map(\.record.objectCount))
            #expect(try await services.attack.catalog().techniques == before)
        }
    }

    @Test(
        "A newer bundle of a domain updates objects in place and removes what it no longer has",
        arguments: TestDatabases.backends)
    func newerBundleReplacesDomain(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            try await ATTACKFixtures.importTiny(into: services)
            let summary = try #require(
                try await services.attack.importBundles([ATTACKFixtures.bundle("tiny-enterprise-v2-stix21")]).first)
            #expect(summary.record.attackVersion == "16.1")
            #expect(summary.record.specVersion == "2.1")
            // G0016 and its 3 relationships, the Cobalt Strike use of T1059.001; Cobalt Strike itself stays for ICS.
            #expect(summary.removed == 5)
            let detail = try await services.attack.technique("T1059.001")
            #expect(detail.technique.name == "PowerShell v2")
            #expect(detail.groups.isEmpty && detail.software.isEmpty)
            #expect(detail.mitigations.map(\.id) == ["M1038"])
            let ics = try await services.attack.technique("T0807")
            #expect(ics.software.map(\.id) == ["S0154"])
        }
    }

    @Test(
        "Validation refuses unknown, revoked and deprecated techniques, naming the replacement",
        arguments: TestDatabases.backends)
    func validation(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            // Nothing imported: the embedded catalog decides.
            #expect(try await services.attack.validate("t1059.001").name == "PowerShell")
            await #expect(throws: CoreReconError.self) { try await services.attack.validate("T9999") }
            let embedded = await ATTACKFixtures.message { try await services.attack.validate("T1004") }
            #expect(embedded.contains("revoked") && embedded.contains("T1547.004"))

            try await ATTACKFixtures.importTiny(into: services)
            #expect(try await services.attack.validate("T1059.001").domains == [.enterprise])
            // Imported Enterprise decides alone: T1003 is in the embedded catalog but not in the tiny bundle.
            await #expect(throws: CoreReconError.self) { try await services.attack.validate("T1003") }
            #expect(
                await ATTACKFixtures.message { try await services.attack.validate("T1004") }
                    == "T1004: Winlogon Helper DLL is revoked in ATT&CK. Use T1547.004 (Winlogon Helper DLL).")
            #expect(await ATTACKFixtures.message { try await services.attack.validate("T1086") }.contains("deprecated"))
        }
    }

    @Test("Input that is not JSON or not a STIX bundle is refused naming the file")
    func badInput() throws {
        #expect(
            throws: CoreReconError.invalidInput(
                location: "x.json", reason: "not JSON: unexpected end of input, expected a value at byte 7.")
        ) {
            try ATTACKBundle.parse(Array(#"{"a": "#.utf8), source: "x.json")
        }
        do {
            _ = try ATTACKBundle.parse(Array("[1, 2]".utf8), source: "list.json")
            Issue.record("a JSON array was taken for a bundle")
        } catch {
            #expect("\(error)".hasPrefix("list.json: not a STIX bundle"))
        }
        do {
            _ = try ATTACKBundle.parse(
                Array(#"{"type":"bundle","id":"bundle--1","objects":[]}"#.utf8), source: "e.json")
            Issue.record("a bundle without a domain was accepted")
        } catch {
            #expect("\(error)".contains("no ATT&CK domain"))
        }
    }
}

@Suite("ATT&CK mapping and coverage")
struct ATTACKMappingTests {
    static func ingest(_ records: [String], into services: AppServices) async throws -> [Alert.ID] {
        let session = services.makeIngestSession(format: nil, sourceLabel: "test")
        for (index, record) in records.enumerated() {
            try await session.add(Array(record.utf8), location: "test:\(index + 1)")
        }
        return try await session.finish().alertIDs
    }

    @Test(
        "alert map validates the technique and tactic, stores the mapping and records history",
        arguments: TestDatabases.backends)
    func mapAlert(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            let ids = try await Self.ingest([#"{"title":"LSASS read","severity":"high","id":"a"}"#], into: services)
            let id = try #require(ids.first)
            let alert = try await services.alerts.mapTechnique(
                id, technique: "t1003.001", tactic: nil, by: "bob", using: services.attack)
            #expect(alert.techniques == ["T1003.001"])
            let history = try await services.alerts.history(id)
            let entry = try #require(history.last)
            #expect(entry.action == "map" && entry.field == "technique" && entry.actor == "bob")
            #expect(entry.newValue == "T1003.001 (Credential Access)")

            await #expect(throws: CoreReconError.conflict("alert \(id) is already mapped to T1003.001.")) {
                try await services.alerts.mapTechnique(
                    id, technique: "T1003.001", tactic: nil, by: "bob", using: services.attack)
            }
            await #expect(throws: CoreReconError.self) {
                try await services.alerts.mapTechnique(
                    id, technique: "T1004", tactic: nil, by: "bob", using: services.attack)
            }
            await #expect(throws: CoreReconError.self) {
                try await services.alerts.mapTechnique(
                    id, technique: "T1059", tactic: "impact", by: "bob", using: services.attack)
            }
            await #expect(throws: CoreReconError.notFound(kind: "alert", id: "999")) {
                try await services.alerts.mapTechnique(
                    999, technique: "T1059", tactic: nil, by: "bob", using: services.attack)
            }
            let unmapped = try await services.alerts.unmapTechnique(id, technique: "T1003.001", by: "eve")
            #expect(unmapped.techniques.isEmpty)
            #expect(try await services.alerts.history(id).last?.action == "unmap")
        }
    }

    @Test("Coverage counts alerts per technique under the tactic they carry", arguments: TestDatabases.backends)
    func coverage(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            let ids = try await Self.ingest(
                [
                    #"{"title":"a","severity":"high","technique":"T1059.001","id":"1"}"#,
                    #"{"title":"b","severity":"high","technique":"T1059.001","id":"2"}"#,
                    #"{"title":"c","severity":"high","id":"3"}"#,
                ], into: services)
            try await services.alerts.mapTechnique(
                ids[2], technique: "T1078", tactic: "Persistence", by: "bob", using: services.attack)
            let coverage = try await services.attack.coverage(from: .alerts, since: nil)
            #expect(coverage.techniques.map(\.id) == ["T1059.001", "T1078"])
            #expect(coverage.techniques.map(\.count) == [2, 1])
            #expect(coverage.tactics.map(\.tactic.shortName) == ["execution", "persistence"])
            #expect(coverage.tactics.last?.techniques.map(\.id) == ["T1078"])
            #expect(coverage.catalog == ATTACKCatalog.embedded.source)

            let future = try await services.attack.coverage(from: .alerts, since: Date().addingTimeInterval(86_400))
            #expect(future.techniques.isEmpty)
            // Incidents: the two escalated PowerShell alerts bring T1059.001 along; T1566 is mapped by hand.
            let incident = try await services.incidents.escalate([ids[0], ids[1]], to: nil, by: "bob")
            try await services.incidents.map(incident.key, technique: "T1566", tactic: nil, by: "bob")
            let incidents = try await services.attack.coverage(from: .incidents, since: nil)
            #expect(incidents.techniques.map(\.id) == ["T1059.001", "T1566"])
            #expect(incidents.techniques.map(\.count) == [1, 1])
        }
    }
}

@Suite("Navigator layers")
struct NavigatorLayerTests {
    @Test(
        "An exported layer is Navigator 4.5 JSON and compares equal to the coverage it came from",
        arguments: TestDatabases.backends)
    func roundTrip(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            _ = try await ATTACKMappingTests.ingest(
                [
                    #"{"title":"a","severity":"high","technique":"T1059.001","id":"1"}"#,
                    #"{"title":"b","severity":"high","technique":"T1566","id":"2"}"#,
                ], into: services)
            let layer = try await services.attack.exportLayer(
                from: .alerts, since: nil, domain: .enterprise, name: nil, generator: "test")
            let encoder = JSONEncoder()
            let json = try JSONParser.parse(Array(try encoder.encode(layer)))
            #expect(json["versions.layer"]?.text == "4.5")
            #expect(json[key: "domain"]?.text == "enterprise-attack")
            #expect(json["gradient.maxValue"]?.text == "1")
            let entries = try #require(json[key: "techniques"]?.arrayValue)
            let powershell = try #require(entries.first { $0[key: "techniqueID"]?.text == "T1059.001" })
            #expect(powershell[key: "tactic"]?.text == "execution")
            #expect(powershell[key: "score"]?.text == "1")
            #expect(powershell[key: "comment"]?.text == "1 alert")
            // The parent is expanded so Navigator shows the sub-technique.
            let parent = try #require(entries.first { $0[key: "techniqueID"]?.text == "T1059" })
            #expect(parent[key: "showSubtechniques"]?.bool == true)
            #expect(parent[key: "score"] == nil || parent[key: "score"]?.isNull == true)

            let document = try NavigatorLayerDocument.parse(Array(try encoder.encode(layer)), source: "layer.json")
            let comparison = try await services.attack.compare(
                document, source: "layer.json", from: .alerts, since: nil)
            #expect(comparison.isSame)
            #expect(comparison.both.map(\.id) == ["T1059.001", "T1566"])
        }
    }

    @Test("A layer's marked techniques are those with a score, color or comment that are not disabled")
    func annotatedTechniques() throws {
        let layer = try NavigatorLayerDocument.parse(ATTACKFixtures.bytes("tiny-layer-v45"), source: "tiny.json")
        #expect(layer.layerVersion == "4.5")
        #expect(layer.annotatedIDs == ["T1059.001", "T1547.004"])
    }

    @Test("A layer with unknown technique ids is refused listing them", arguments: TestDatabases.backends)
    func unknownIDs(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            let layer = try NavigatorLayerDocument.parse(ATTACKFixtures.bytes("bad-layer-v30"), source: "bad.json")
            #expect(layer.domain == .enterprise && layer.layerVersion == "3.0")
            do {
                _ = try await services.attack.compare(layer, source: "bad.json", from: .alerts, since: nil)
                Issue.record("unknown ids were accepted")
            } catch let error as CoreReconError {
                #expect(
                    "\(error)".hasPrefix(
                        "bad.json: 2 technique ids not in the embedded ATT&CK 15 catalog: T8888.001, T9999."))
            }
        }
    }

    @Test("Layers of unsupported versions or that are not layers are refused")
    func badLayers() {
        #expect(throws: CoreReconError.self) {
            try NavigatorLayerDocument.parse(Array(#"{"versions":{"layer":"5.0"},"techniques":[]}"#.utf8), source: "x")
        }
        #expect(throws: CoreReconError.self) {
            try NavigatorLayerDocument.parse(Array(#"{"name":"x"}"#.utf8), source: "x")
        }
        #expect(throws: CoreReconError.self) {
            try NavigatorLayerDocument.parse(Array(#"{"version":"3.0","techniques":[{"score":1}]}"#.utf8), source: "x")
        }
    }
}
