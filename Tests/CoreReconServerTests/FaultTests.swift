import CoreRecon
import CoreReconServer
import CoreReconStore
import CoreReconTestSupport
import Foundation
import Synchronization
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Faults an operator meets: the database restarting under load.
@Suite("Faults")
struct FaultTests {
    /// What the webhook clients saw.
    final class Ledger: Sendable {
        /// Flow ids whose POST was answered 2xx: the server said they are stored.
        let acknowledged = Mutex<Set<Int>>([])
        let unavailable = Atomic<Int>(0)
        let unavailableWithoutRetryAfter = Atomic<Int>(0)
        let other = Mutex<[String]>([])
        /// The other answers, counted (0: no answer at all).
        var otherSummary: String {
            let counts = other.withLock { Dictionary($0.map { ($0, 1) }, uniquingKeysWith: +) }
            return counts.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
        }
        /// Seconds from the fault's end (the restart done, the space freed) to the first 2xx after it.
        let firstSuccessAfterFault = Mutex<Double?>(nil)
        let faultEndedAt = Mutex<ContinuousClock.Instant?>(nil)
        let stop = Atomic<Bool>(false)

        /// Waits until `count` alerts are acknowledged, for up to a minute (a bound against hanging).
        func waitForAcknowledged(_ count: Int) async throws {
            for _ in 0..<600 where acknowledged.withLock({ $0.count }) < count {
                try await Task.sleep(for: .milliseconds(100))
            }
        }

        /// One client posting its own alerts one after another until `stop`, retrying a 503 with the same record
        /// (its re-delivery key makes a retry of something that did commit harmless), and recording every answer.
        func send(as sender: Int, port: Int, token: String, pause: Duration) async throws {
            var flow = sender * 1_000_000
            while !stop.load(ordering: .relaxed) {
                flow += 1
                while !stop.load(ordering: .relaxed) {
                    let (status, retryAfter, detail) = await FaultTests.post(port: port, token: token, flow: flow)
                    if (200..<300).contains(status) {
                        acknowledged.withLock { _ = $0.insert(flow) }
                        if let ended = faultEndedAt.withLock({ $0 }) {
                            firstSuccessAfterFault.withLock {
                                if $0 == nil { $0 = (ContinuousClock.now - ended).seconds }
                            }
                        }
                        break
                    }
                    if status == 503 {
                        unavailable.add(1, ordering: .relaxed)
                        if retryAfter == nil { unavailableWithoutRetryAfter.add(1, ordering: .relaxed) }
                    } else {
                        other.withLock { $0.append(detail.map { "\(status) (\($0))" } ?? "\(status)") }
                    }
                    try await Task.sleep(for: pause)
                }
            }
        }
    }

    /// What the database holds after a fault: the flows whose deliveries are stored, the deliveries and the
    /// occurrences they add up to (equal unless a retry stored a record twice), and SQLite's integrity check.
    static func stored(in database: Database) async throws -> (
        flows: Set<Int>, deliveries: Int, occurrences: Int, integrity: String?
    ) {
        try await database.withConnection { sql in
            let keys = try await sql.raw("SELECT delivery_key FROM alert_deliveries").all()
                .map { try $0.decode(column: "delivery_key", as: String.self) }
            let occurrences =
                try await sql.raw("SELECT COALESCE(SUM(occurrences), 0) AS n FROM alerts")
                .first(decodingColumn: "n", as: Int.self) ?? -1
            let integrity =
                database.backend == .sqlite
                ? try await sql.raw("PRAGMA integrity_check").first(decodingColumn: "integrity_check", as: String.self)
                : nil
            let flows = Set(keys.compactMap { $0.split(separator: ":").dropFirst().first.flatMap { Int($0) } })
            return (flows, keys.count, occurrences, integrity)
        }
    }

    /// The answer's status (0: none), its `Retry-After`, and for an error other than 503 the problem's detail.
    static func post(port: Int, token: String, flow: Int) async -> (Int, String?, String?) {
        guard
            let response = try? await LoopbackHTTP.send(
                .POST, "http://127.0.0.1:\(port)/api/v1/ingest",
                headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")],
                body: Array(StreamTests.eve(flow: flow).utf8))
        else { return (0, nil, nil) }
        let detail =
            response.status >= 400 && response.status != 503
            ? (try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])?["detail"] as? String
            : nil
        return (response.status, response.headers.first(name: "Retry-After"), detail)
    }

    @Test(
        "A PostgreSQL restart under webhook load: 503 with Retry-After meanwhile, recovery by itself, no acknowledged alert lost, none duplicated by retries",
        .enabled(if: PrivatePostgres.binaries != nil, "needs PostgreSQL's server binaries"))
    func postgresRestart() async throws {
        let postgres = try await offPool { try PrivatePostgres() }
        defer { postgres.remove() }
        var config = AppConfig(database: try DatabaseLocation(url: postgres.url), autoMigrate: true)
        config.connectionPool = true
        try await Database.withDatabase(config, logger: TestDatabases.quietLogger) { database in
            let services = AppServices(config: config, database: database, logger: TestDatabases.quietLogger)
            try await services.migrator.migrate()
            let fixture = APIFixture(services: services)
            let token = try await fixture.key(.ingest)
            let ledger = Ledger()
            try await fixture.run { client in
                let port = try #require(client.port)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    // Eight webhook clients.
                    for sender in 0..<8 {
                        group.addTask {
                            try await ledger.send(as: sender, port: port, token: token, pause: .milliseconds(100))
                        }
                    }
                    try await ledger.waitForAcknowledged(20)  // under load before the fault
                    try await offPool { try postgres.restart() }
                    ledger.faultEndedAt.withLock { $0 = .now }
                    // Up to a minute to recover: a bound against hanging, not a latency check (the test prints
                    // the measured figure).
                    for _ in 0..<600 where ledger.firstSuccessAfterFault.withLock({ $0 }) == nil {
                        try await Task.sleep(for: .milliseconds(100))
                    }
                    // And writes go on after it.
                    try await ledger.waitForAcknowledged(ledger.acknowledged.withLock { $0.count } + 20)
                    ledger.stop.store(true, ordering: .relaxed)
                    try await group.waitForAll()
                }
                let ready = try await client.send(.get, "/readyz")
                #expect(ready.status == .ok)
            }
            let recovered = ledger.firstSuccessAfterFault.withLock { $0 }
            #expect(recovered != nil, "no webhook succeeded after the restart")
            #expect(ledger.unavailableWithoutRetryAfter.load(ordering: .relaxed) == 0)
            #expect(ledger.other.withLock { $0 }.isEmpty, "answers other than 2xx and 503: \(ledger.otherSummary)")
            let acknowledged = ledger.acknowledged.withLock { $0 }
            // Every acknowledged record is stored (its delivery key), and no retry stored one twice (the
            // occurrences add up to the deliveries).
            let stored = try await Self.stored(in: database)
            #expect(acknowledged.subtracting(stored.flows).isEmpty, "acknowledged but lost")
            #expect(stored.deliveries == stored.occurrences, "a retry stored a record twice")
            #expect(acknowledged.count >= 40)
            print(
                "PostgreSQL restart: \(acknowledged.count) acknowledged, \(stored.deliveries) stored, "
                    + "\(ledger.unavailable.load(ordering: .relaxed)) answered 503, first success "
                    + String(format: "%.2f", recovered ?? -1) + " s after the restart")
        }
    }

    /// Runs `body` with a 64 MB tmpfs mounted at a new directory (root only), unmounting it however `body` ends.
    static func withSmallDisk(_ body: (String) async throws -> Void) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try #require(system("mount -t tmpfs -o size=64m tmpfs '\(directory.path)'") == 0, "mount failed")
        do {
            try await body(directory.path)
        } catch {
            _ = system("umount -l '\(directory.path)'")
            throw error
        }
        _ = system("umount -l '\(directory.path)'")
    }

    @Test(
        "SQLite with the disk full under webhook load: 503 with Retry-After while full, nothing acknowledged lost, recovery when space returns, no corruption",
        .enabled(if: getuid() == 0, "needs root to mount a small file system"))
    func sqliteDiskFull() async throws {
        try await Self.withSmallDisk { directory in
            let config = AppConfig(database: .sqliteFile(path: directory + "/soc.db"), autoMigrate: true)
            try await Database.withDatabase(config, logger: TestDatabases.quietLogger) { database in
                let services = AppServices(config: config, database: database, logger: TestDatabases.quietLogger)
                try await services.migrator.migrate()
                let fixture = APIFixture(services: services)
                let token = try await fixture.key(.ingest)
                let ledger = Ledger()
                try await fixture.run { client in
                    let port = try #require(client.port)
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for sender in 0..<4 {
                            group.addTask {
                                try await ledger.send(as: sender, port: port, token: token, pause: .milliseconds(50))
                            }
                        }
                        try await ledger.waitForAcknowledged(20)
                        // A reader holding a snapshot (another process, say a backup) keeps checkpoints from
                        // restarting the write-ahead log, so every commit must grow it: into a full disk.
                        let release = AsyncStream<Void>.makeStream()
                        let reader = Task {
                            try await Database.withDatabase(config, logger: TestDatabases.quietLogger) { other in
                                try await other.withConnection { sql in
                                    try await sql.raw("BEGIN").run()
                                    _ = try await sql.raw("SELECT COUNT(*) AS n FROM alerts").first()
                                    for await _ in release.stream {}
                                    try await sql.raw("COMMIT").run()
                                }
                            }
                        }
                        try await Task.sleep(for: .milliseconds(300))
                        // Fill the file system to the last block.
                        _ = try await offPool { system("dd if=/dev/zero of='\(directory)/filler' bs=4k 2>/dev/null") }
                        // Full until a request has met the full disk (at most a minute: a bound, not a timing).
                        for _ in 0..<600 where ledger.unavailable.load(ordering: .relaxed) == 0 {
                            try await Task.sleep(for: .milliseconds(100))
                        }
                        let unavailableWhileFull = ledger.unavailable.load(ordering: .relaxed)
                        // Reads still work, but the server cannot do its job: not ready, and it says why.
                        let readyWhileFull = try await client.send(.get, "/readyz")
                        #expect(readyWhileFull.status == .serviceUnavailable)
                        #expect(readyWhileFull.body.contains("disk is full"), "\(readyWhileFull.body)")
                        try FileManager.default.removeItem(atPath: directory + "/filler")
                        release.continuation.finish()
                        try await reader.value
                        ledger.faultEndedAt.withLock { $0 = .now }
                        for _ in 0..<600 where ledger.firstSuccessAfterFault.withLock({ $0 }) == nil {
                            try await Task.sleep(for: .milliseconds(100))
                        }
                        try await ledger.waitForAcknowledged(ledger.acknowledged.withLock { $0.count } + 20)
                        ledger.stop.store(true, ordering: .relaxed)
                        try await group.waitForAll()
                        #expect(unavailableWhileFull > 0, "no request saw the full disk")
                        #expect(try await client.send(.get, "/readyz").status == .ok)
                    }
                }
                #expect(
                    ledger.firstSuccessAfterFault.withLock { $0 } != nil, "no webhook succeeded after space returned")
                #expect(ledger.unavailableWithoutRetryAfter.load(ordering: .relaxed) == 0)
                #expect(ledger.other.withLock { $0 }.isEmpty, "answers other than 2xx and 503: \(ledger.otherSummary)")
                let acknowledged = ledger.acknowledged.withLock { $0 }
                let stored = try await Self.stored(in: database)
                #expect(acknowledged.subtracting(stored.flows).isEmpty, "acknowledged but lost")
                #expect(stored.deliveries == stored.occurrences, "a retry stored a record twice")
                #expect(stored.integrity == "ok")
                print(
                    "SQLite disk full: \(acknowledged.count) acknowledged, \(stored.deliveries) stored, "
                        + "\(ledger.unavailable.load(ordering: .relaxed)) answered 503, first success "
                        + String(format: "%.2f", ledger.firstSuccessAfterFault.withLock { $0 } ?? -1)
                        + " s after space returned")
            }
        }
    }

    @Test(
        "SQLite with its directory made read-only under webhook load (serve as an unprivileged user): writes go on, nothing acknowledged is lost, no corruption",
        .enabled(if: getuid() == 0, "needs root to run serve as another user"))
    func sqliteReadOnlyDirectory() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/soc.db"
        let config = AppConfig(database: .sqliteFile(path: path), autoMigrate: true)
        let token = try await Database.withDatabase(config, logger: TestDatabases.quietLogger) { database in
            let services = AppServices(config: config, database: database, logger: TestDatabases.quietLogger)
            try await services.migrator.migrate()
            return try await APIFixture(services: services).key(.ingest)
        }
        #expect(system("chown -R nobody: '\(directory.path)'") == 0)
        let cli = try CoreReconProcess(environment: [
            "CORERECON_DATABASE_URL": "sqlite://\(path)", "CORERECON_JWT_SECRET": testSecret,
            "HOME": directory.path,
        ])
        defer { cli.remove() }
        let (server, port, log, _) = try await offPool { try cli.startServer(as: "nobody") }
        defer { kill(server.processIdentifier, SIGKILL) }
        let ledger = Ledger()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for sender in 0..<4 {
                group.addTask { try await ledger.send(as: sender, port: port, token: token, pause: .milliseconds(50)) }
            }
            try await ledger.waitForAcknowledged(20)
            // The owner may no longer create, rename or remove files there; the open ones stay writable.
            #expect(system("chmod 555 '\(directory.path)'") == 0)
            let before = ledger.acknowledged.withLock { $0.count }
            try await ledger.waitForAcknowledged(before + 40)
            #expect(
                ledger.acknowledged.withLock { $0.count } >= before + 40,
                "writes stopped while read-only; answers \(ledger.otherSummary); server log: \(log.text.suffix(2_000))")
            #expect(system("chmod 755 '\(directory.path)'") == 0)
            ledger.stop.store(true, ordering: .relaxed)
            try await group.waitForAll()
        }
        // runuser relays the signal; how it reports the child's exit is not what this test is about.
        server.terminate()
        try await offPool { server.waitUntilExit() }
        #expect(ledger.other.withLock { $0 }.isEmpty, "answers other than 2xx and 503: \(ledger.otherSummary)")
        #expect(ledger.unavailableWithoutRetryAfter.load(ordering: .relaxed) == 0)
        let acknowledged = ledger.acknowledged.withLock { $0 }
        try await Database.withDatabase(config, logger: TestDatabases.quietLogger) { database in
            let stored = try await Self.stored(in: database)
            #expect(acknowledged.subtracting(stored.flows).isEmpty, "acknowledged but lost")
            #expect(stored.deliveries == stored.occurrences, "a retry stored a record twice")
            #expect(stored.integrity == "ok")
            print(
                "SQLite read-only directory: \(acknowledged.count) acknowledged, \(stored.deliveries) stored, "
                    + "\(ledger.unavailable.load(ordering: .relaxed)) answered 503")
        }
    }
}
