import CoreRecon
import CoreReconStore
import CoreReconTestSupport
import Foundation
import Testing

/// Ingest, dedup, re-delivery and triage against real databases.
@Suite("Alert pipeline")
struct AlertPipelineTests {
    /// A Suricata EVE alert with the given rule, source IP and time; `flow` makes the delivery distinct.
    static func eve(
        sid: Int = 2001219, source: String = "203.0.113.9", destination: String = "10.0.0.2",
        time: String = "2026-11-20T10:00:00.000000+0000", flow: Int = 1, severity: Int = 2,
        signature: String = "ET SCAN Potential SSH Scan"
    ) -> String {
        #"{"timestamp":"\#(time)","flow_id":\#(flow),"event_type":"alert","src_ip":"\#(source)","src_port":4904,"dest_ip":"\#(destination)","dest_port":22,"proto":"TCP","alert":{"action":"allowed","gid":1,"signature_id":\#(sid),"rev":1,"signature":"\#(signature)","category":"Attempted Information Leak","severity":\#(severity)}}"#
    }

    static func ingest(_ lines: [String], into services: AppServices, batchSize: Int? = nil) async throws
        -> IngestSummary
    {
        let session = services.makeIngestSession(format: nil, sourceLabel: "test")
        for (index, line) in lines.enumerated() {
            try await session.add(Array(line.utf8), location: "test:\(index + 1)")
        }
        return try await session.finish()
    }

    @Test("New records create alerts; the same fingerprint within the window merges", arguments: TestDatabases.backends)
    func dedup(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            let summary = try await Self.ingest(
                [
                    Self.eve(flow: 1),
                    Self.eve(time: "2026-11-20T11:00:00.000000+0000", flow: 2),  // same fingerprint, an hour later
                    Self.eve(source: "198.51.100.7", flow: 3),  // another attacker: another alert
                    Self.eve(time: "2026-11-22T12:00:00.000000+0000", flow: 4),  // 49 h later: outside the 24 h window
                ], into: services)
            #expect(summary.read == 4)
            #expect(summary.created == 3)
            #expect(summary.merged == 1)
            #expect(summary.redelivered == 0)

            let page = try await services.alerts.list(AlertQuery())
            #expect(page.alerts.count == 3)
            let merged = try #require(page.alerts.first { $0.occurrences == 2 })
            #expect(merged.firstSeen == TimestampParser.iso8601("2026-11-20T10:00:00Z"))
            #expect(merged.lastSeen == TimestampParser.iso8601("2026-11-20T11:00:00Z"))
            let explained = try await services.alerts.explain(merged.id)
            #expect(explained.deliveries.count == 2)
            #expect(explained.basis.first { $0.field == "src_ip" }?.value == "203.0.113.9")
        }
    }

    @Test(
        "New alerts take ids in input order that are never handed out twice, not even after the newest is deleted",
        arguments: TestDatabases.backends)
    func ids(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            let first = (1...5).map { Self.eve(source: "198.51.100.\($0)", flow: $0) }
            #expect(try await Self.ingest(first, into: services).created == 5)
            var query = AlertQuery()
            query.sort = .id
            let stored = try await services.alerts.list(query).alerts
            #expect(Set(stored.map(\.id)).count == 5)
            let newest = try #require(stored.map(\.id).max())
            // The last record made the highest id: ids follow the input.
            #expect(
                try await services.alerts.explain(newest).basis.contains(
                    FingerprintPart(field: "src_ip", value: "198.51.100.5")))
            try await services.database.withConnection { sql in
                try await sql.raw("DELETE FROM alerts WHERE id = \(bind: newest)").run()
            }
            let second = (6...8).map { Self.eve(source: "198.51.100.\($0)", flow: $0) }
            #expect(try await Self.ingest(second, into: services).created == 3)
            let after = try await services.alerts.list(query).alerts.map(\.id)
            #expect(after.count == 7 && after.filter { $0 > newest }.count == 3, "\(after), newest was \(newest)")
            // Each row's first delivery is in alert_deliveries only.
            let origins = try await services.database.read { sql in
                try await sql.raw("SELECT COUNT(*) AS n FROM alerts WHERE origin_key <> ''").first(
                    decodingColumn: "n", as: Int.self)
            }
            #expect(origins == 0)
        }
    }

    @Test(
        "Re-delivering the same records changes nothing, across runs and within a batch",
        arguments: TestDatabases.backends)
    func redelivery(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            let lines = [
                Self.eve(flow: 1), Self.eve(sid: 7, flow: 2, signature: "Other"),
                #"{"title":"no id here","severity":"high"}"#,
            ]
            let first = try await Self.ingest(lines + [lines[0]], into: services)
            #expect(first.created == 3)
            #expect(first.redelivered == 1)
            let second = try await Self.ingest(lines, into: services)
            #expect(second.redelivered == 3)
            #expect(second.created == 0 && second.merged == 0)
            #expect(second.alertIDs == Array(first.alertIDs.prefix(3)))
            let page = try await services.alerts.list(AlertQuery())
            #expect(page.alerts.map(\.occurrences).sorted() == [1, 1, 1])
        }
    }

    @Test("A closed alert does not absorb new occurrences", arguments: TestDatabases.backends)
    func closedAlertsStayClosed(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            let first = try await Self.ingest([Self.eve(flow: 1)], into: services)
            let id = try #require(first.alertIDs.first)
            try await services.alerts.apply(.close(reason: .falsePositive, message: "scanner"), to: id, by: "ana")
            let second = try await Self.ingest([Self.eve(flow: 2)], into: services)
            #expect(second.created == 1)
            #expect(second.alertIDs != [id])
        }
    }

    @Test(
        "Bad records are rejected with their location; the good ones around them are stored",
        arguments: TestDatabases.backends)
    func rejections(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            var rejected: [Rejection] = []
            let session = services.makeIngestSession(format: nil, sourceLabel: nil, onReject: { rejected.append($0) })
            try await session.add(Array(Self.eve(flow: 1).utf8), location: "feed.ndjson:1")
            try await session.add(
                Array(#"{"event_type":"alert","alert":{"#.utf8), location: "feed.ndjson:2", isTruncated: true)
            try await session.add(Array(#"{"foo":1}"#.utf8), location: "feed.ndjson:3")
            try await session.add(Array(#"[1,2]"#.utf8), location: "feed.ndjson:4")
            try await session.add(Array(Self.eve(sid: 7, flow: 5, signature: "Other").utf8), location: "feed.ndjson:5")
            let summary = try await session.finish()
            #expect(summary.created == 2)
            #expect(summary.rejected == 3)
            #expect(rejected.map(\.location) == ["feed.ndjson:2", "feed.ndjson:3", "feed.ndjson:4"])
            #expect(rejected[0].reason.contains("invalid JSON"))
            #expect(rejected[1].reason.contains("--input-format"))
            #expect(rejected[2].reason.contains("not an object"))
            #expect(rejected[1].raw == #"{"foo":1}"#)
        }
    }

    @Test("list filters by status, severity, source, time, search and technique", arguments: TestDatabases.backends)
    func listFilters(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            _ = try await Self.ingest(
                [
                    Self.eve(
                        sid: 1, time: "2026-11-20T10:00:00Z", flow: 1, severity: 1, signature: "ET TROJAN NanoCore C2"),
                    Self.eve(
                        sid: 2, time: "2026-11-21T10:00:00Z", flow: 2, severity: 3,
                        signature: "ET POLICY curl User-Agent"),
                    #"{"title":"Mimikatz detected","severity":"critical","host":"ws-7","technique":"T1003.001","timestamp":"2026-11-22T10:00:00Z"}"#,
                ], into: services)
            func titles(_ configure: (inout AlertQuery) -> Void) async throws -> [String] {
                var query = AlertQuery()
                configure(&query)
                return try await services.alerts.list(query).alerts.map(\.title)
            }
            #expect(
                try await titles { _ in } == [
                    "Mimikatz detected", "ET POLICY curl User-Agent", "ET TROJAN NanoCore C2",
                ])
            #expect(try await titles { $0.minimumSeverity = .high } == ["Mimikatz detected", "ET TROJAN NanoCore C2"])
            #expect(try await titles { $0.search = "nanocore" } == ["ET TROJAN NanoCore C2"])
            #expect(try await titles { $0.search = "ws-7" } == ["Mimikatz detected"])
            #expect(try await titles { $0.technique = "T1003" } == ["Mimikatz detected"])
            #expect(try await titles { $0.since = TimestampParser.iso8601("2026-11-21T00:00:00Z") }.count == 2)
            #expect(
                try await titles { $0.until = TimestampParser.iso8601("2026-11-21T00:00:00Z") } == [
                    "ET TROJAN NanoCore C2"
                ])
            #expect(try await titles { $0.sort = .severity }.first == "Mimikatz detected")
            #expect(try await titles { $0.statuses = [.closed] }.isEmpty)
            #expect(try await titles { $0.sources = ["other"] }.isEmpty)
        }
    }

    @Test("Cursor paging walks every alert exactly once", arguments: TestDatabases.backends)
    func cursorPaging(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            let lines = (1...25).map {
                Self.eve(sid: $0, time: "2026-11-20T10:00:00Z", flow: $0, signature: "rule \($0)")
            }
            _ = try await Self.ingest(lines, into: services)
            var query = AlertQuery()
            query.limit = 10
            var seen: [Alert.ID] = []
            while true {
                let page = try await services.alerts.list(query)
                seen += page.alerts.map(\.id)
                guard let next = page.nextCursor else { break }
                query.cursor = next
            }
            #expect(seen.count == 25)
            #expect(Set(seen).count == 25)
            #expect(seen == seen.sorted(by: >))  // same last_seen: ties broken by id, newest first
        }
    }

    @Test("Status transitions follow the workflow and land in the history", arguments: TestDatabases.backends)
    func transitions(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            let id = try #require(try await Self.ingest([Self.eve()], into: services).alertIDs.first)
            let alerts = services.alerts
            #expect(try await alerts.apply(.acknowledge, to: id, by: "ana").status == .acknowledged)
            await #expect {
                try await alerts.apply(.acknowledge, to: id, by: "ana")
            } throws: { error in
                "\(error)".contains("can become: in_progress, closed")
            }
            let assigned = try await alerts.apply(.assign(to: "bob"), to: id, by: "ana")
            #expect(assigned.status == .inProgress && assigned.assignee == "bob")
            try await alerts.apply(.comment("looked at pcap"), to: id, by: "bob")
            let closed = try await alerts.apply(.close(reason: .truePositive, message: "confirmed"), to: id, by: "bob")
            #expect(closed.status == .closed && closed.closeReason == .truePositive)
            let reopened = try await alerts.apply(.reopen(message: nil), to: id, by: "carol")
            #expect(reopened.status == .inProgress && reopened.closeReason == nil)

            let history = try await alerts.history(id)
            #expect(
                history.map(\.action) == [
                    "created", "acknowledge", "assign", "assign", "comment", "close", "close",
                    "reopen", "reopen",
                ])
            #expect(history.map(\.actor).suffix(2) == ["carol", "carol"])
            #expect(history.first { $0.action == "comment" }?.message == "looked at pcap")
            await #expect(throws: CoreReconError.notFound(kind: "alert", id: "999999")) {
                try await alerts.apply(.acknowledge, to: 999_999, by: "ana")
            }
        }
    }

    @Test("Alerts sharing an observable within the window are related", arguments: TestDatabases.backends)
    func related(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            let ids = try await Self.ingest(
                [
                    Self.eve(sid: 1, source: "203.0.113.9", time: "2026-11-20T10:00:00Z", flow: 1, signature: "scan"),
                    Self.eve(
                        sid: 2, source: "203.0.113.9", time: "2026-11-20T10:30:00Z", flow: 2, signature: "exploit"),
                    Self.eve(
                        sid: 3, source: "203.0.113.9", destination: "10.9.9.9", time: "2026-11-20T15:00:00Z", flow: 3,
                        signature: "later"),
                    Self.eve(
                        sid: 4, source: "192.0.2.1", destination: "10.8.8.8", time: "2026-11-20T10:10:00Z", flow: 4,
                        signature: "unrelated"),
                ], into: services
            ).alertIDs
            let related = try await services.alerts.related(ids[0])
            #expect(related.map(\.alert.id) == [ids[1]])
            #expect(Set(related[0].shared.map(\.value)) == ["203.0.113.9", "10.0.0.2"])
        }
    }

    @Test(
        "An observable that a later record brings to an open alert relates it, and a deleted alert relates nothing",
        arguments: TestDatabases.backends)
    func relatedByMergedObservable(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            /// The id of the alert one record from 198.51.100.7 or 192.0.2.50 went to, its own batch each time.
            func ingest(_ sid: Int, from source: String, at minute: Int, withHost: Bool) async throws -> Alert.ID {
                var line = Self.eve(
                    sid: sid, source: source, destination: "10.0.0.\(sid)", time: "2026-11-20T10:\(10 + minute):00Z",
                    flow: minute)
                if withHost {
                    line = line.replacingOccurrences(
                        of: #""proto":"TCP""#, with: #""proto":"TCP","http":{"hostname":"evil.example","url":"/x"}"#)
                }
                return try await Self.ingest([line], into: services).alertIDs[0]
            }
            let first = try await ingest(7, from: "198.51.100.7", at: 0, withHost: false)
            // The same fingerprint a few minutes later, in four batches at once: merged into the stored alert, each
            // with a domain and a URL it did not have, which it then holds once (on PostgreSQL no unique index says
            // so since migration 23: the batches wait for each other on the alert's row).
            let merged = try await withThrowingTaskGroup(of: Alert.ID.self) { group in
                for minute in 2...5 {
                    group.addTask { try await ingest(7, from: "198.51.100.7", at: minute, withHost: true) }
                }
                return try await group.reduce(into: Set<Alert.ID>()) { $0.insert($1) }
            }
            #expect(merged == [first])
            #expect(try await services.alerts.alert(first).occurrences == 5)
            let (rows, distinct) = try await services.database.withConnection { sql in
                let row = try await sql.raw(
                    """
                    SELECT COUNT(*) AS n, COUNT(DISTINCT type || ' ' || value) AS distinct_values FROM alert_observables
                    WHERE alert_id = \(bind: first)
                    """
                ).first()
                return (
                    try row?.decode(column: "n", as: Int.self), try row?.decode(column: "distinct_values", as: Int.self)
                )
            }
            #expect(rows == distinct)
            #expect((rows ?? 0) > 2)
            let other = try await ingest(8, from: "192.0.2.50", at: 10, withHost: true)
            let related = try await services.alerts.related(other)
            #expect(related.map(\.alert.id) == [first])
            #expect(Set(related.first?.shared.map(\.value) ?? []) == ["evil.example", "http://evil.example/x"])
            #expect(try await services.alerts.related(first).map(\.alert.id) == [other])

            // On SQLite, the alerts' documents in the observable index (migration 22); a deleted alert's leaves it.
            func indexed() async throws -> Int {
                try await services.database.withConnection { sql in
                    try await sql.raw(
                        """
                        SELECT COUNT(*) AS n FROM alert_observable_keys WHERE alert_observable_keys
                        MATCH '"' || corerecon_observable_key('domain', 'evil.example') || '"'
                        """
                    ).first(decodingColumn: "n", as: Int.self) ?? -1
                }
            }
            if backend == .sqlite { #expect(try await indexed() == 2) }
            try await services.database.withConnection { sql in
                try await sql.raw("DELETE FROM alerts WHERE id = \(bind: first)").run()
            }
            #expect(try await services.alerts.related(other).isEmpty)
            if backend == .sqlite { #expect(try await indexed() == 1) }
        }
    }

    @Test(
        "Two Security Hub findings about the same bucket are related by its ARN (a Resource UID observable)",
        arguments: TestDatabases.backends)
    func relatedByResource(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            func finding(_ id: String, _ title: String, _ bucket: String) -> String {
                #"{"SchemaVersion":"2018-10-08","Id":"\#(id)","ProductArn":"arn:aws:securityhub:eu-central-1::product/aws/securityhub","GeneratorId":"\#(title)","AwsAccountId":"111122223333","Types":["Software and Configuration Checks"],"CreatedAt":"2026-11-20T10:00:00Z","UpdatedAt":"2026-11-20T10:00:00Z","Severity":{"Label":"MEDIUM"},"Title":"\#(title)","Description":"d","Resources":[{"Type":"AwsS3Bucket","Id":"arn:aws:s3:::\#(bucket)","Partition":"aws","Region":"eu-central-1"}]}"#
            }
            let ids = try await Self.ingest(
                [
                    finding("f-1", "S3.8 Block public access", "payroll-exports"),
                    finding("f-2", "S3.5 Require SSL", "payroll-exports"),
                    finding("f-3", "S3.5 Require SSL", "marketing-site"),
                ], into: services
            ).alertIDs
            let related = try await services.alerts.related(ids[0])
            #expect(related.map(\.alert.id) == [ids[1]])
            #expect(related.first?.shared.map(\.value) == ["arn:aws:s3:::payroll-exports"])
        }
    }

    @Test(
        "Loopback addresses and placeholders are kept but do not relate alerts; real shared values still do",
        arguments: TestDatabases.backends)
    func commonValuesDoNotRelate(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            let ids = try await Self.ingest(
                [
                    Self.eve(
                        sid: 1, source: "127.0.0.1", destination: "10.1.1.1", time: "2026-11-20T10:00:00Z", flow: 1,
                        signature: "a"),
                    Self.eve(
                        sid: 2, source: "127.0.0.1", destination: "10.2.2.2", time: "2026-11-20T10:05:00Z", flow: 2,
                        signature: "b"),
                    Self.eve(
                        sid: 3, source: "127.0.0.1", destination: "10.1.1.1", time: "2026-11-20T10:10:00Z", flow: 3,
                        signature: "c"),
                    #"{"title":"d","rule_id":"d","user":"unknown","src_ip":"::1","timestamp":"2026-11-20T10:01:00Z"}"#,
                    #"{"title":"e","rule_id":"e","user":"unknown","src_ip":"::1","timestamp":"2026-11-20T10:02:00Z"}"#,
                ], into: services
            ).alertIDs
            let related = try await services.alerts.related(ids[0])
            #expect(related.map(\.alert.id) == [ids[2]])
            #expect(related.first?.shared.map(\.value) == ["10.1.1.1"])
            #expect(try await services.alerts.related(ids[1]).isEmpty)
            #expect(try await services.alerts.related(ids[3]).isEmpty)
            // Still observables of the alert.
            #expect(try await services.alerts.ocsf(ids[0]).contains("127.0.0.1"))
        }
    }

    @Test(
        "list filters by the time CoreRecon received alerts, apart from their event time",
        arguments: TestDatabases.backends)
    func receivedSince(backend: DatabaseBackend) async throws {
        let received = Date(timeIntervalSince1970: 1_800_000_000)
        try await TestDatabases.withServices(backend, now: { received }) { services in
            _ = try await Self.ingest([Self.eve(time: "2020-03-01T08:00:00Z")], into: services)
            var query = AlertQuery()
            query.since = received.addingTimeInterval(-86_400)
            #expect(try await services.alerts.list(query).alerts.isEmpty)
            query = AlertQuery()
            query.receivedSince = received.addingTimeInterval(-3_600)
            #expect(try await services.alerts.list(query).alerts.count == 1)
            query.receivedSince = received.addingTimeInterval(1)
            #expect(try await services.alerts.list(query).alerts.isEmpty)
        }
    }

    @Test(
        "Each change writes its stream events in its own transaction, in commit order, and signals this process",
        arguments: TestDatabases.backends)
    func events(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            let signals = services.changes.subscribe()
            let summary = try await Self.ingest(
                [Self.eve(flow: 1), Self.eve(sid: 8, flow: 2, signature: "b")], into: services)
            try await services.alerts.apply(.acknowledge, to: summary.alertIDs[0], by: "ana")
            // Re-ingesting a record already stored changes nothing, so it writes no event.
            _ = try await Self.ingest([Self.eve(flow: 1)], into: services)
            var iterator = signals.makeAsyncIterator()
            #expect(await iterator.next() != nil)
            let events = try await EventLog(database: services.database).events(after: 0)
            #expect(events.map(\.type) == ["alert.created", "alert.created", "alert.updated"])
            #expect(events.map(\.id) == events.map(\.id).sorted())
            let ids = events.map { (try? JSONParser.parse($0.payload))?[key: "id"]?.text }
            #expect(ids == [summary.alertIDs[0], summary.alertIDs[1], summary.alertIDs[0]].map { "\($0)" })
            #expect(events.last?.payload.contains(#""status":"acknowledged""#) == true)
        }
    }

    @Test("A change that fails leaves no stream event behind", arguments: TestDatabases.backends)
    func noEventWithoutChange(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            let id = try await Self.ingest([Self.eve(flow: 1)], into: services).alertIDs[0]
            try await services.alerts.apply(.close(reason: .falsePositive, message: nil), to: id, by: "ana")
            await #expect(throws: CoreReconError.self) {
                try await services.alerts.apply(.acknowledge, to: id, by: "ana")
            }
            let events = try await EventLog(database: services.database).events(after: 0)
            #expect(events.map(\.type) == ["alert.created", "alert.updated"])
        }
    }
}

@Suite("Alert search at scale")
struct AlertSearchScaleTests {
    @Test(
        "A search matching thousands of alerts still lists the newest matches first", arguments: TestDatabases.backends)
    func broadSearch(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            // More matches than the broad-search threshold, interleaved in time with alerts that do not match.
            let count = 5_800
            let matches = { (index: Int) in index % 10 != 0 }  // 5,220 matches
            let lines = (0..<count).map { index -> String in
                let word = matches(index) ? "beacon" : "quiet"
                let minute = String(format: "%02d", index % 60)
                let hour = String(format: "%02d", (index / 60) % 24)
                let day = String(format: "%02d", 1 + index / 1_440)
                return AlertPipelineTests.eve(
                    sid: index, time: "2026-11-\(day)T\(hour):\(minute):00Z", flow: index,
                    signature: "\(word) rule \(index)")
            }
            _ = try await AlertPipelineTests.ingest(lines, into: services)
            var query = AlertQuery()
            query.search = "beacon"
            query.limit = 20
            let page = try await services.alerts.list(query)
            let expected = (0..<count).filter(matches).suffix(20).reversed().map { "beacon rule \($0)" }
            #expect(page.alerts.map(\.title) == Array(expected))
            #expect(page.nextCursor != nil)
        }
    }
}
