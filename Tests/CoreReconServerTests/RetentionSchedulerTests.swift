import CoreRecon
import CoreReconServer
import CoreReconStore
import CoreReconTestSupport
import Foundation
import Testing

@Suite("serve's daily retention")
struct RetentionSchedulerTests {
    @Test("retention.alerts and retention.alertStatuses: a pass purges what the policy names, and nothing else")
    func pass() async throws {
        try await TestDatabases.withServices(.sqlite) { services in
            let session = services.makeIngestSession(format: nil, sourceLabel: "test")
            let now = ISO8601Format.string(from: services.now())
            for (index, time) in ["2026-01-05T10:00:00Z", "2026-01-06T10:00:00Z", now].enumerated() {
                let record =
                    #"{"@timestamp":"\#(time)","rule":{"name":"rule \#(index)"},"host":{"name":"host-\#(index)"}}"#
                try await session.add(Array(record.utf8), location: "test:\(index + 1)")
            }
            _ = try await session.finish()
            let ids = try await services.alerts.list(AlertQuery()).alerts.map(\.id).sorted()
            #expect(ids.count == 3)
            // One old alert closed: a policy for closed alerts takes that one only.
            try await services.alerts.apply(.close(reason: .falsePositive, message: "scanner"), to: ids[0], by: "ann")
            var settings = RetentionSettings()
            settings.alerts = .seconds(30 * 86_400)
            settings.alertStatuses = [.closed]
            await RetentionScheduler(services: services, settings: settings).apply()
            #expect(try await services.alerts.list(AlertQuery()).alerts.map(\.id).sorted() == Array(ids.dropFirst()))
            // Any status: the other old one goes; the recent one stays.
            settings.alertStatuses = nil
            await RetentionScheduler(services: services, settings: settings).apply()
            #expect(try await services.alerts.list(AlertQuery()).alerts.map(\.id) == [ids[2]])
            let entries = try await services.audit.list(AuditQuery(actor: "retention"))
            #expect(entries.map(\.action) == ["alert.purge", "alert.purge"])
        }
    }
}
