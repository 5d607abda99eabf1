import CoreRecon
import CoreReconStore
import CoreReconTestSupport
import Foundation
import Testing

/// Every real alert in ../shared/data/alerts is ingested or rejected with a reason; none crashes the process.
@Suite("Real SIEM alerts", .enabled(if: SharedData.isAvailable, SharedData.skipReason))
struct RealAlertDataTests {
    /// The raw alert files and the format each holds.
    static let rawFiles: [(path: String, format: AlertFormat)] = [
        ("alerts/suricata-eve/first-org-conf-2015-alerts.json", .suricata),
        ("alerts/suricata-eve/honeypot-2018-alerts.json", .suricata),
        ("alerts/wazuh/ait-lds-insect-wazuh-alerts.ndjson", .wazuh),
        ("alerts/elastic-security/kibana-8.1.0-es_archive-alerts-docs1-2.ndjson", .elastic),
        ("alerts/sekoia-intake-formats/aws-guardduty/aws-guardduty.raw-events.ndjson", .guardduty),
        ("alerts/sekoia-intake-formats/crowdstrike_falcon/crowdstrike_falcon.raw-events.ndjson", .crowdstrike),
        ("alerts/sekoia-intake-formats/microsoft-365-defender/microsoft-365-defender.raw-events.ndjson", .defender),
        ("alerts/sekoia-intake-formats/microsoft-sentinel/microsoft-sentinel.raw-events.ndjson", .sentinel),
        ("alerts/sekoia-intake-formats/sentinelone/sentinelone.raw-events.ndjson", .sentinelone),
        ("alerts/sekoia-intake-formats/suricata/suricata.raw-events.ndjson", .suricata),
        ("alerts/sekoia-intake-formats/ocsf/ocsf.raw-events.ndjson", .ocsf),
    ]

    @Test("Each vendor's raw alerts are detected as that vendor and stored", arguments: TestDatabases.backends)
    func rawFilesIngest(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            for (path, format) in Self.rawFiles {
                var rejected: [Rejection] = []
                var formats: [AlertFormat: Int] = [:]
                // Detection first, on its own: which mapper claims each record.
                try await InputReader().read(.file(SharedData.url(path).path)) { record in
                    for value in (try? AlertNormalizer.parse(record.bytes)) ?? [] {
                        if let detected = AlertFormat.detect(value) { formats[detected, default: 0] += 1 }
                    }
                }
                let session = services.makeIngestSession(
                    format: nil, sourceLabel: format.rawValue,
                    onReject: { rejected.append($0) })
                try await InputReader().read(.file(SharedData.url(path).path)) { record in
                    try await session.add(record.bytes, location: record.location, isTruncated: record.isTruncated)
                }
                let summary = try await session.finish()
                #expect(summary.read > 0, "\(path): no records read")
                #expect(summary.read == summary.created + summary.merged + summary.redelivered + summary.rejected)
                #expect(rejected.isEmpty, "\(path): \(rejected.prefix(3).map { "\($0.location) \($0.reason)" })")
                #expect(formats.keys.sorted { $0.rawValue < $1.rawValue } == [format], "\(path): detected \(formats)")
            }
        }
    }

    @Test("Google SCC notifications and the vendor test wrappers' raw events are all accepted or explained")
    func wrappedEvents() async throws {
        try await TestDatabases.withServices(.sqlite) { services in
            var rejected: [Rejection] = []
            let session = services.makeIngestSession(
                format: nil, sourceLabel: "real", onReject: { rejected.append($0) })
            for file in SharedData.files(in: "alerts/google-scc", suffixes: [".json"]) {
                let bytes = try [UInt8](Data(contentsOf: file))
                try await session.add(bytes, location: file.lastPathComponent)
                #expect(AlertFormat.detect(try JSONParser.parse(bytes)) == .scc, "\(file.lastPathComponent)")
            }
            for file in SharedData.files(in: "alerts/sekoia-intake-formats", suffixes: [".json"])
            where file.path.contains("/tests/") {
                let wrapper = try JSONParser.parse(try Data(contentsOf: file))
                guard let message = wrapper["input.message"]?.text else { continue }
                try await session.add(
                    Array(message.utf8),
                    location: file.path.components(separatedBy: "sekoia-intake-formats/").last ?? file.path)
            }
            let summary = try await session.finish()
            #expect(summary.read > 40)
            // Every rejection must say why, naming a field or the problem.
            for rejection in rejected {
                #expect(!rejection.reason.isEmpty)
            }
            // HarfangLab has no mapper of its own (generic takes what it can); every other vendor must map.
            let unexpected = rejected.filter { !$0.location.hasPrefix("harfanglab") }
            #expect(unexpected.isEmpty, "\(unexpected.map { "\($0.location): \($0.reason)" })")
        }
    }
}
