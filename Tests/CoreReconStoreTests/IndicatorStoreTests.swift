import CoreRecon
import CoreReconStore
import CoreReconTestSupport
import Foundation
import Testing

@Suite("Indicator store")
struct IndicatorStoreTests {
    @Test(
        "Two feeds reporting one indicator make one row with two sources; re-importing changes nothing; sightings, revoke and delete are audited",
        arguments: TestDatabases.backends)
    func lifecycle(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            let intel = services.indicators
            let reader = IndicatorFeedReader(source: "feed-a")
            let first = try reader.read(Array("evil[.]example\n10.0.0.1\n".utf8), name: "a.txt", format: .txt)
            let imported = try await intel.importReports(first.reports, actor: "ci")
            #expect(imported.new == 2 && imported.updated == 0)
            let again = try await intel.importReports(first.reports, actor: "ci")
            #expect(again.new == 0 && again.updated == 0 && again.unchanged == 2)

            var report = try IndicatorReport.parse("EVIL.example.", source: "feed-b", location: "b")
            report.tags = ["c2"]
            report.tlp = .amber
            report.confidence = 90
            let other = try await intel.importReports([report], actor: "ci")
            #expect(other.updated == 1)
            let indicator = try await intel.find("evil.example")
            #expect(indicator.sources.map(\.name).sorted() == ["feed-a", "feed-b"])
            #expect(indicator.tags == ["c2"] && indicator.tlp == .amber && indicator.confidence == 90)

            let sighted = try await intel.sight("evil.example", source: "soc", falsePositive: true, actor: "ana")
            #expect(sighted.falsePositives == 1)
            #expect(intel.decay.score(sighted, at: services.now()) < 90)
            #expect(try await intel.sightings(of: sighted).first?.isFalsePositive == true)

            _ = try await intel.revoke("10.0.0.1", actor: "ana")
            var active = IndicatorQuery()
            active.limit = 100
            #expect(try await intel.list(active).map(\.value) == ["evil.example"])
            active.expired = nil
            #expect(try await intel.list(active).count == 2)
            active.tag = "c2"
            #expect(try await intel.list(active).map(\.value) == ["evil.example"])

            // A warninglist flags what is stored, and what is imported after it; --force does not flag.
            let resolvers = try Warninglist.parse(
                Array(#"{"name":"resolvers","type":"cidr","list":["9.9.9.0/24","10.0.0.0/8"]}"#.utf8),
                location: "r.json")
            #expect(try await intel.importWarninglist(resolvers, actor: "ci") == 1)
            #expect(try await intel.find("10.0.0.1").warning == "resolvers")
            let quad9 = try IndicatorReport.parse("9.9.9.9", source: "feed-c", location: "c")
            let flagged = try await intel.importReports([quad9], actor: "ci")
            #expect(flagged.warninglisted == 1)
            #expect(try await intel.find("9.9.9.9").warning == "resolvers")
            _ = try await intel.importReports([quad9], actor: "ci", force: true)
            #expect(try await intel.find("9.9.9.9").warning == nil)
            #expect(try await intel.warninglists().map(\.name) == ["resolvers"])

            _ = try await intel.delete("evil.example", actor: "ana")
            await #expect(throws: CoreReconError.self) { try await intel.find("evil.example") }
            let audit = try await services.audit.list(AuditQuery(action: "ioc"))
            #expect(Set(audit.map(\.action)).isSuperset(of: ["ioc.import", "ioc.sight", "ioc.revoke", "ioc.delete"]))
        }
    }

    @Test(
        "A cached matcher reloads when an import, edit, revocation or deletion lands in any process, not for sightings",
        arguments: TestDatabases.backends)
    func matcherFollowsChanges(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            let intel = services.indicators
            let cache = IndicatorMatcherCache()
            let loads = Counter()
            func load() async throws -> Bool {
                let before = loads.value
                _ = try await cache.matcher(version: try await intel.version()) {
                    loads.increment()
                    return IndicatorMatcher([])
                }
                return loads.value > before
            }
            let reports = try IndicatorFeedReader(source: "feed").read(
                Array("198.51.100.7\nevil.example\n".utf8), name: "f", format: .txt
            ).reports
            _ = try await intel.importReports(reports, actor: "ci")
            #expect(try await load())
            #expect(try await !load(), "nothing changed: the cached matcher is used")
            _ = try await intel.sight("evil.example", source: "soc", falsePositive: false, actor: "ana")
            #expect(try await !load(), "a sighting does not change what matching sees")
            _ = try await intel.revoke("198.51.100.7", actor: "ana")
            #expect(try await load(), "a revocation reaches the matcher at once")
            var edit = IndicatorService.Edit()
            edit.revoked = false
            _ = try await intel.update("198.51.100.7", edit, actor: "ana")
            #expect(try await load())
            _ = try await intel.delete("evil.example", actor: "ana")
            #expect(try await load())
            _ = try await intel.importReports(reports, actor: "ci")
            #expect(try await load(), "an import, even of known values, refreshes their decay")
        }
    }

    @Test(
        "Alerts committed together share one read of the revision; a read that began before a commit never answers for it",
        arguments: TestDatabases.backends)
    func sharedRevisionRead(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            let intel = services.indicators
            let cache = IndicatorMatcherCache()
            let reads = Counter()
            let read: @Sendable () async throws -> String = {
                reads.increment()
                return try await intel.version()
            }
            let committed = ContinuousClock.now
            let first = try await cache.revision(committed: committed, read: read)
            #expect(reads.value == 1)
            #expect(try await cache.revision(committed: committed, read: read) == first)
            #expect(reads.value == 1, "a read that began after the commit answers again")

            // An import, then alerts committed after it: a read from before cannot answer; a new one sees it.
            let reports = try IndicatorFeedReader(source: "feed").read(
                Array("198.51.100.7\n".utf8), name: "f", format: .txt
            )
            .reports
            _ = try await intel.importReports(reports, actor: "ci")
            let second = try await cache.revision(committed: .now, read: read)
            #expect(reads.value == 2)
            #expect(second != first)

            // While a read is under way, callers committed before it began join it; one committed after it began
            // reads again.
            let (started, start) = AsyncStream<Void>.makeStream()
            let (gate, open) = AsyncStream<Void>.makeStream()
            let held: @Sendable () async throws -> String = {
                reads.increment()
                start.yield()
                for await _ in gate { break }
                return try await intel.version()
            }
            let before = ContinuousClock.now
            async let slow = cache.revision(committed: before, read: held)
            for await _ in started { break }
            async let joined = cache.revision(committed: before, read: read)
            try await Task.sleep(for: .milliseconds(50))
            #expect(reads.value == 3, "the second caller waits for the read under way")
            let late = try await cache.revision(committed: .now, read: read)
            #expect(reads.value == 4)
            open.yield()
            open.finish()
            #expect(try await [slow, joined] == [late, late])
        }
    }

    @Test(
        "The matcher is stored for its version, rebuilt when unreadable or outdated, and its hits are checked for expiry",
        arguments: TestDatabases.backends)
    func matcherSnapshot(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in try await Self.matcherSnapshot(services) }
    }

    static func matcherSnapshot(_ services: AppServices) async throws {
        var intel = services.indicators
        intel.snapshotMinimum = 1
        func stored() async throws -> (version: String, entries: Int64, table: IndicatorTable?)? {
            try await services.database.read { sql in
                guard
                    let row = try await sql.raw("SELECT version, entries, data FROM indicator_matcher_snapshot").first()
                else { return nil }
                return (
                    try row.decode(column: "version", as: String.self),
                    try row.decode(column: "entries", as: Int64.self),
                    try? IndicatorTable(serialized: try row.decode(column: "data", as: Data.self))
                )
            }
        }
        let reports = try IndicatorFeedReader(source: "feed").read(
            Array("198.51.100.7\n203.0.113.5\nevil.example\n".utf8), name: "f", format: .txt
        ).reports
        _ = try await intel.importReports(reports, actor: "ci")
        #expect(try await stored() == nil, "an import alone stores no matcher")
        let first = try await intel.version()
        let built = try await intel.matcher(version: first)
        let snapshot = try #require(try await stored())
        #expect(snapshot.version == first && snapshot.entries == 3 && snapshot.table == built.table)

        // Unreadable bytes are rebuilt, not trusted.
        try await services.database.transaction { sql in
            try await sql.raw("UPDATE indicator_matcher_snapshot SET data = \(bind: Data("CRIXTBL1 cut short".utf8))")
                .run()
        }
        #expect(try await intel.matcher(version: first).table == built.table)
        #expect(try await stored()?.table == built.table)

        // Past its validity, an indicator stays in the table (validity is time, not a change), but a hit on it is
        // checked and dropped.
        var edit = IndicatorService.Edit()
        edit.validUntil = .some(Date(timeIntervalSinceNow: -60))
        _ = try await intel.update("203.0.113.5", edit, actor: "ana")
        let alerts = try await AlertPipelineTests.ingest(
            [AlertPipelineTests.eve(source: "203.0.113.5", destination: "198.51.100.7")], into: services
        ).alertIDs
        let matches = try await intel.matchAlerts(alerts, cache: IndicatorMatcherCache(), actor: "test")
        #expect(matches.map(\.value) == ["198.51.100.7"])
        #expect(try await stored()?.version == (try await intel.version()), "matching stored the new version")
        #expect(try await stored()?.entries == 3)

        // A revocation is a new version: the stored matcher of the old one is not used.
        _ = try await intel.revoke("198.51.100.7", actor: "ana")
        let now = try await intel.activeMatcher()
        #expect(now.matches(in: "198.51.100.7").isEmpty)
        #expect(now.matches(in: "www.evil.example").count == 1)
        #expect(try await stored()?.entries == 2)
    }
}

/// A count shared with a `@Sendable` closure.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func increment() { lock.withLock { count += 1 } }
}
