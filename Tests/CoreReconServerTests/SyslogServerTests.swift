import CoreRecon
import CoreReconStore
import CoreReconTestSupport
import Foundation
import Logging
import ServiceLifecycle
import Testing

@testable import CoreReconServer

@Suite("Syslog server")
struct SyslogServerTests {
    static let cef = "CEF:0|Acme|Edge FW|4.2|100|Port scan from outside|7|src=203.0.113.5 dst=10.0.0.8 dpt=22"
    static let leef =
        "LEEF:2.0|Trend Micro|Deep Security Agent|20.0|4000030|^|cat=Anti-Malware^name=HEU_AEGIS_CRYPT^sev=6^src=10.0.0.21^filePath=C:\\\\Users\\\\a\\\\x.exe"
    static let json = #"{"title":"Impossible travel","severity":"high","product":"IdP","host":"ws-7","user":"ana"}"#

    /// Runs `tool` with `arguments` (and `input` on stdin) and waits for it.
    static func run(_ tool: String, _ arguments: [String], input: String? = nil) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let stdin = Pipe()
        try CoreReconProcess.spawn(process) { process in
            process.standardInput = stdin
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
        }
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Sends one UDP datagram from `source` (a loopback address) to 127.0.0.1:`port`.
    static func sendDatagram(_ text: String, from source: String, to port: Int) throws {
        try #require(
            LoopbackSocket.sendDatagram(Array(text.utf8), from: source, to: port), "cannot send from \(source)")
    }

    /// The alerts stored, once there are `count` (or after 20 s, whatever there is).
    static func alerts(_ services: AppServices, count: Int) async throws -> [Alert] {
        var query = AlertQuery()
        query.limit = 100
        for _ in 0..<200 {
            let alerts = try await services.alerts.list(query).alerts
            if alerts.count >= count { return alerts }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try await services.alerts.list(query).alerts
    }

    /// A metric's value in the exposition, 0 when absent.
    static func metric(_ metrics: ServerMetrics, _ line: String) -> Double {
        let text = String(decoding: metrics.exposition(), as: UTF8.self)
        for entry in text.split(separator: "\n") where entry.hasPrefix(line + " ") {
            return Double(entry.dropFirst(line.count + 1)) ?? -1
        }
        return 0
    }

    @Test(
        "UDP, TCP (octet-counted and newline-framed) and TLS from real senders; labels per sender; text that is no alert is rejected and counted",
        arguments: TestDatabases.backends)
    func receives(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            let keys = try TemporaryDirectory()
            defer { keys.remove() }
            try SMTPTestServer.makeCertificate(certificate: keys.path + "/cert.pem", key: keys.path + "/key.pem")
            var settings = SyslogSettings()
            settings.listen = [
                SyslogEndpoint(transport: .udp, host: "127.0.0.1", port: 0),
                SyslogEndpoint(transport: .tcp, host: "127.0.0.1", port: 0),
                SyslogEndpoint(transport: .tls, host: "127.0.0.1", port: 0),
            ]
            settings.senders = [
                SyslogSender(networks: [try #require(Network.parse("127.0.0.2/32"))], source: "branch-fw", format: .cef)
            ]
            let metrics = ServerMetrics()
            let server = try await SyslogServer.bind(
                services: services, settings: settings,
                tls: try tlsConfiguration(certificate: keys.path + "/cert.pem", key: keys.path + "/key.pem"),
                metrics: metrics)
            let port = Dictionary(uniqueKeysWithValues: server.endpoints.map { ($0.transport, $0.port) })
            let (udp, tcp, tls) = (try #require(port[.udp]), try #require(port[.tcp]), try #require(port[.tls]))
            #expect(![udp, tcp, tls].contains(0))
            let group = ServiceGroup(
                configuration: .init(
                    services: [.init(service: server)], logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
                ))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                let logger = "/usr/bin/logger"
                // util-linux logger: RFC 5424 over UDP, octet-counted over TCP, newline-framed over TCP.
                #expect(
                    try Self.run(
                        logger,
                        ["--server", "127.0.0.1", "--port", "\(udp)", "--udp", "--rfc5424", "-t", "fw", Self.cef]) == 0)
                #expect(
                    try Self.run(
                        logger,
                        [
                            "--server", "127.0.0.1", "--port", "\(tcp)", "--tcp", "--octet-count", "--rfc5424", "-t",
                            "dsa", Self.leef,
                        ]) == 0)
                #expect(
                    try Self.run(
                        logger,
                        ["--server", "127.0.0.1", "--port", "\(tcp)", "--tcp", "--rfc3164", "-t", "idp", Self.json])
                        == 0)
                // Not an alert: counted as rejected, logged, nothing stored.
                #expect(
                    try Self.run(
                        logger,
                        [
                            "--server", "127.0.0.1", "--port", "\(udp)", "--udp", "-t", "sshd",
                            "session opened for user root",
                        ]) == 0)
                // TLS (RFC 5425): two octet-counted frames from OpenSSL's client.
                let frames = [
                    "<134>1 2026-12-06T09:00:00Z fw1 CEF - - - "
                        + Self.cef.replacingOccurrences(of: "203.0.113.5", with: "203.0.113.6"),
                    "<134>1 2026-12-06T09:00:01Z fw1 CEF - - - "
                        + Self.cef.replacingOccurrences(of: "Port scan", with: "Brute force"),
                ]
                .map { "\($0.utf8.count) \($0)" }.joined()
                #expect(
                    try Self.run(
                        "/usr/bin/openssl", ["s_client", "-connect", "127.0.0.1:\(tls)", "-quiet", "-no_ign_eof"],
                        input: frames)
                        == 0)
                // A sender with a rule of its own: labelled and read as CEF without detection.
                try Self.sendDatagram(
                    "<132>Dec  6 09:00:02 fw9 " + Self.cef.replacingOccurrences(of: "Port scan", with: "Policy"),
                    from: "127.0.0.2", to: udp)

                let alerts = try await Self.alerts(services, count: 6)
                #expect(alerts.count == 6, "\(alerts.map(\.title))")
                #expect(alerts.filter { $0.source == "branch-fw" }.map(\.title) == ["Policy from outside"])
                #expect(alerts.filter { $0.source == "syslog" }.count == 5)
                #expect(Set(alerts.map(\.product)) == ["Edge FW", "Deep Security Agent", "IdP"])
                let travel = try #require(alerts.first { $0.title == "Impossible travel" })
                #expect(travel.severity == .high)
                #expect(alerts.contains { $0.title == "Brute force from outside" })

                // Every message is counted where it came in, and the one that is no alert as rejected.
                // The counters move after the commit that made the alerts visible: wait until they settle.
                for _ in 0..<300
                where Self.metric(metrics, #"corerecon_ingest_records_total{outcome="rejected"}"#) < 1
                    || Self.metric(metrics, #"corerecon_ingest_records_total{outcome="created"}"#) < 6
                {
                    try await Task.sleep(for: .milliseconds(100))
                }
                #expect(Self.metric(metrics, #"corerecon_syslog_messages_total{transport="udp"}"#) == 3)
                #expect(Self.metric(metrics, #"corerecon_syslog_messages_total{transport="tcp"}"#) == 2)
                #expect(Self.metric(metrics, #"corerecon_syslog_messages_total{transport="tls"}"#) == 2)
                #expect(Self.metric(metrics, #"corerecon_ingest_records_total{outcome="rejected"}"#) == 1)
                #expect(Self.metric(metrics, #"corerecon_ingest_records_total{outcome="created"}"#) == 6)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }
    }

    @Test(
        "A full queue: TCP senders wait and lose nothing; UDP messages over it are dropped and counted, none unaccounted"
    )
    func backPressure() async throws {
        try await TestDatabases.withServices(.sqlite) { services in
            var settings = SyslogSettings()
            settings.listen = [
                SyslogEndpoint(transport: .udp, host: "127.0.0.1", port: 0),
                SyslogEndpoint(transport: .tcp, host: "127.0.0.1", port: 0),
            ]
            // Room for about two messages.
            settings.queueBytes = 256
            let metrics = ServerMetrics()
            let server = try await SyslogServer.bind(services: services, settings: settings, tls: nil, metrics: metrics)
            let port = Dictionary(uniqueKeysWithValues: server.endpoints.map { ($0.transport, $0.port) })
            let group = ServiceGroup(
                configuration: .init(
                    services: [.init(service: server)], logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
                ))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                // 300 distinct alerts in one TCP stream, far more than the queue holds.
                let lines = (0..<300).map { index in
                    "<134>1 2026-12-06T09:00:00Z fw CEF - - - CEF:0|Acme|FW|1|\(index)|Scan \(index)|5|src=198.51.100.\(index % 250)"
                }
                let stream = lines.map { "\($0.utf8.count) \($0)" }.joined()
                let tcp = try #require(port[.tcp])
                let sent = try await offPool { try Self.sendStream(stream, port: tcp) }
                #expect(sent)
                let alerts = try await Self.count(services, atLeast: 300)
                #expect(alerts == 300)

                // A burst of UDP datagrams: each is stored or dropped as queue_full, none is lost without a count.
                let udp = try #require(port[.udp])
                for index in 0..<400 {
                    try Self.sendDatagram(
                        "CEF:0|Acme|FW|1|u\(index)|Burst \(index)|5|src=192.0.2.1", from: "127.0.0.1", to: udp)
                }
                // Once the queue is empty, every datagram read was stored or counted as dropped. Up to a minute: a
                // bound against hanging, not a latency check.
                func tally() async throws -> (received: Double, dropped: Double, stored: Int) {
                    let received = Self.metric(metrics, #"corerecon_syslog_messages_total{transport="udp"}"#)
                    let dropped = Self.metric(
                        metrics, #"corerecon_syslog_dropped_total{transport="udp",reason="queue_full"}"#)
                    return (received, dropped, try await Self.count(services, atLeast: 0) - 300)
                }
                var (received, dropped, stored) = try await tally()
                for _ in 0..<600 where received == 0 || Double(stored) + dropped != received {
                    try await Task.sleep(for: .milliseconds(100))
                    (received, dropped, stored) = try await tally()
                }
                #expect(received > 0)
                #expect(
                    Double(stored) + dropped == received, "stored \(stored), dropped \(dropped), received \(received)")
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }
    }

    @Test(
        "PostgreSQL down under a TCP syslog stream: messages wait, then are stored once the database is back; none lost, none twice",
        .enabled(if: PrivatePostgres.binaries != nil, "needs PostgreSQL's server binaries"))
    func databaseOutage() async throws {
        let postgres = try await offPool { try PrivatePostgres() }
        defer { postgres.remove() }
        var config = AppConfig(database: try DatabaseLocation(url: postgres.url), autoMigrate: true)
        config.connectionPool = true
        try await Database.withDatabase(config, logger: TestDatabases.quietLogger) { database in
            let services = AppServices(config: config, database: database, logger: TestDatabases.quietLogger)
            try await services.migrator.migrate()
            var settings = SyslogSettings()
            settings.listen = [SyslogEndpoint(transport: .tcp, host: "127.0.0.1", port: 0)]
            let server = try await SyslogServer.bind(
                services: services, settings: settings, tls: nil, metrics: ServerMetrics())
            let tcp = try #require(server.endpoints.first?.port)
            let group = ServiceGroup(
                configuration: .init(
                    services: [.init(service: server)], logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
                ))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                let total = 200
                // One connection, a message every 10 ms; PostgreSQL stops for a second after the first 50.
                let sender = Task {
                    try await offPool {
                        try Self.sendStream(port: tcp) { index in
                            guard index < total else { return nil }
                            Thread.sleep(forTimeInterval: 0.01)
                            let line =
                                "<134>1 2026-12-06T09:00:00Z fw CEF - - - CEF:0|Acme|FW|1|s\(index)|Scan \(index)|5|src=198.51.100.1"
                            return "\(line.utf8.count) \(line)"
                        }
                    }
                }
                for _ in 0..<300 where try await Self.count(services, atLeast: 0) < 50 {
                    try await Task.sleep(for: .milliseconds(20))
                }
                try await offPool {
                    postgres.stop()
                    Thread.sleep(forTimeInterval: 1)
                    try postgres.start()
                }
                #expect(try await sender.value)
                // Up to a minute: a bound against hanging, not a latency check.
                var stored = 0
                for _ in 0..<600 {
                    stored = try await Self.count(services, atLeast: 0)
                    if stored >= total { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
                #expect(stored == total)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }
    }

    /// Writes the frames `next` gives (until nil) to a TCP connection to 127.0.0.1:`port`, then closes it; true
    /// when every byte was written.
    static func sendStream(port: Int, _ next: (Int) -> String?) throws -> Bool {
        guard let socket = LoopbackSocket.connect(port: port) else { return false }
        defer { close(socket) }
        var index = 0
        while let frame = next(index) {
            guard LoopbackSocket.send(Array(frame.utf8), on: socket) else { return false }
            index += 1
        }
        return true
    }

    /// Writes `stream` to a TCP connection to 127.0.0.1:`port` and closes it; true when every byte was written.
    static func sendStream(_ stream: String, port: Int) throws -> Bool {
        var sent = false
        return try sendStream(port: port) { _ in
            defer { sent = true }
            return sent ? nil : stream
        }
    }

    /// The number of alerts stored, once there are `atLeast` (or after a minute, whatever there is).
    static func count(_ services: AppServices, atLeast: Int) async throws -> Int {
        var query = AlertQuery()
        query.limit = 1_000
        var total = 0
        for _ in 0..<600 {
            total = try await services.alerts.list(query).alerts.count
            if total >= atLeast { return total }
            try await Task.sleep(for: .milliseconds(100))
        }
        return total
    }

    @Test("The queue: UDP offers fail when full; a waiting TCP reader goes in once there is room; close releases it")
    func queue() async throws {
        func message(_ size: Int) -> SyslogMessage {
            SyslogMessage(
                bytes: Array(repeating: 0x41, count: size), source: "s", format: nil, origin: "test", transport: .tcp)
        }
        let queue = SyslogQueue(capacity: 100)
        // One message always fits in an empty queue, whatever its size.
        #expect(queue.offer(message(150)))
        #expect(!queue.offer(message(1)))
        #expect(queue.bytes == 150)
        let pushed = Task { await queue.push(message(60)) }
        try await Task.sleep(for: .milliseconds(50))
        #expect(queue.bytes == 150)
        #expect(await queue.take(maximumCount: 10)?.count == 1)
        #expect(await pushed.value)
        #expect(queue.bytes == 60)
        #expect(queue.offer(message(40)))
        let waiting = Task { await queue.push(message(10)) }
        try await Task.sleep(for: .milliseconds(50))
        queue.close()
        #expect(await waiting.value == false)
        #expect(!queue.offer(message(1)))
        // What was queued before the close is still taken, then nothing.
        #expect(await queue.take(maximumCount: 1)?.count == 1)
        #expect(await queue.take(maximumCount: 10)?.count == 1)
        #expect(await queue.take(maximumCount: 10) == nil)
    }
}
