import CoreRecon
import CoreReconServer
import CoreReconStore
import CoreReconTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import HummingbirdWSClient
import HummingbirdWSTesting
import Logging
import ServiceLifecycle
import Synchronization
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Messages a test WebSocket client received.
final class Inbox: Sendable {
    private let messages = Mutex<[String]>([])

    func append(_ message: String) { messages.withLock { $0.append(message) } }
    var all: [String] { messages.withLock { $0 } }
    var types: [String] { all.map { object($0)["type"] as? String ?? "?" } }

    /// Waits until `predicate` holds for the messages: a bound against hanging, not a latency check.
    func wait(_ what: String, _ predicate: @Sendable ([String]) -> Bool) async throws {
        for _ in 0..<3_000 {
            if predicate(all) { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("timed out waiting for \(what); got \(all)")
    }
}

/// Connects a client to `url`, collecting text messages until the server closes or the task is cancelled.
func streamClient(url: String, token: String? = nil, inbox: Inbox, send: [String] = []) async throws
    -> WebSocketCloseFrame?
{
    var configuration = WebSocketClientConfiguration()
    if let token { configuration.additionalHeaders[.authorization] = "Bearer \(token)" }
    return try await WebSocketClient.connect(
        url: url, configuration: configuration, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
    ) { inbound, outbound, _ in
        for message in send { try await outbound.write(.text(message)) }
        for try await message in inbound.messages(maxSize: 1 << 20) {
            if case .text(let text) = message { inbox.append(text) }
        }
    }
}

@Suite("WebSocket stream")
struct StreamTests {
    static func eve(flow: Int, severity: Int = 2, signature: String = "ET SCAN Potential SSH Scan") -> String {
        RestAPITests.eve.replacingOccurrences(of: "\"flow_id\":7", with: "\"flow_id\":\(flow)")
            .replacingOccurrences(of: "203.0.113.9", with: "203.0.113.\(flow)")
            .replacingOccurrences(of: "\"severity\":2", with: "\"severity\":\(severity)")
            .replacingOccurrences(of: "ET SCAN Potential SSH Scan", with: signature)
    }

    @Test(
        "Events arrive filtered; subscribe messages refilter; since= replays what was missed",
        arguments: TestDatabases.backends)
    func liveFilterResume(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            let fixture = APIFixture(services: services)
            let viewer = try await fixture.key(.viewer)
            let ingest = try await fixture.key(.ingest)
            let hub = StreamHub()
            try await fixture.run(hub: hub) { client in
                let port = try #require(client.port)
                let all = Inbox()
                let high = Inbox()
                let subscriber = Inbox()
                let clients = Task {
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask {
                            _ = try await streamClient(
                                url: "ws://127.0.0.1:\(port)/api/v1/stream", token: viewer, inbox: all)
                        }
                        group.addTask {
                            _ = try await streamClient(
                                url:
                                    "ws://127.0.0.1:\(port)/api/v1/stream?channels=alerts&severity=high&access_token=\(viewer)",
                                inbox: high)
                        }
                        group.addTask {
                            _ = try await streamClient(
                                url: "ws://127.0.0.1:\(port)/api/v1/stream", token: viewer, inbox: subscriber,
                                send: [#"{"type":"subscribe","channels":["incidents"]}"#])
                        }
                        try await group.waitForAll()
                    }
                }
                defer { clients.cancel() }
                for _ in 0..<3_000 where hub.clientCount < 3 { try await Task.sleep(for: .milliseconds(10)) }
                try await subscriber.wait("subscribed") { $0.contains { $0.contains("subscribed") } }
                #expect(hub.clientCount == 3)

                // Suricata severity 2 is medium; 1 is high.
                _ = try await client.send(.post, "/api/v1/ingest", token: ingest, json: Self.eve(flow: 1, severity: 2))
                _ = try await client.send(
                    .post, "/api/v1/ingest", token: ingest,
                    json: Self.eve(flow: 2, severity: 1, signature: "ET TROJAN x"))
                try await all.wait("two alerts") { $0.count >= 2 }
                try await high.wait("one high alert") { $0.count >= 1 }
                #expect(all.types == ["alert.created", "alert.created"])
                #expect(high.all.count == 1)
                #expect(high.all.first?.contains("ET TROJAN x") == true)
                let first = object(all.all[0])
                #expect((first["alert"] as? [String: Any])?["title"] as? String == "ET SCAN Potential SSH Scan")
                let cursor = try #require(first["cursor"] as? String)

                let analyst = try await fixture.key(.analyst)
                _ = try await client.send(.post, "/api/v1/incidents", token: analyst, json: #"{"title":"Scan"}"#)
                try await subscriber.wait("the incident") { $0.contains { $0.contains("incident.created") } }
                #expect(!subscriber.all.contains { $0.contains("alert.created") })

                // A client that was away resumes after the first event: it gets the rest, in order.
                let resumed = Inbox()
                let late = Task {
                    try await streamClient(
                        url: "ws://127.0.0.1:\(port)/api/v1/stream?since=\(cursor)", token: viewer, inbox: resumed)
                }
                defer { late.cancel() }
                try await resumed.wait("the replay") { $0.count >= 2 }
                #expect(resumed.types == ["alert.created", "incident.created"])
                let cursors = resumed.all.compactMap { Int(object($0)["cursor"] as? String ?? "") }
                #expect(cursors == cursors.sorted() && cursors.allSatisfy { $0 > Int(cursor)! })
            }
        }
    }

    @Test(
        "Two instances on one PostgreSQL: an alert ingested through A reaches B's stream clients (LISTEN/NOTIFY)",
        .enabled(if: TestDatabases.postgresURL != nil, "needs CORERECON_TEST_POSTGRES_URL"))
    func twoInstances() async throws {
        try await TestDatabases.withServices(.postgres) { services in
            let first = APIFixture(services: services)
            let ingest = try await first.key(.ingest)
            let viewer = try await first.key(.viewer)
            try await Database.withDatabase(services.config, logger: TestDatabases.quietLogger) { database in
                // A second process: its own pool, its own in-process bus.
                var secondFixture = APIFixture(
                    services: AppServices(
                        config: services.config, database: database, logger: TestDatabases.quietLogger))
                // B polls once an hour: only NOTIFY can bring it A's change within the wait below.
                secondFixture.configuration.streamPollInterval = .seconds(3_600)
                let second = secondFixture
                let hubB = StreamHub()
                try await first.run { clientA in
                    try await second.run(hub: hubB) { clientB in
                        let port = try #require(clientB.port)
                        let inbox = Inbox()
                        let listener = Task {
                            try await streamClient(
                                url: "ws://127.0.0.1:\(port)/api/v1/stream", token: viewer, inbox: inbox)
                        }
                        defer { listener.cancel() }
                        for _ in 0..<3_000 where hubB.clientCount < 1 { try await Task.sleep(for: .milliseconds(10)) }
                        let result = try await clientA.send(
                            .post, "/api/v1/ingest", token: ingest, json: Self.eve(flow: 40))
                        #expect(result.status == .accepted)
                        try await inbox.wait("the alert through instance B") {
                            $0.contains { $0.contains("alert.created") }
                        }
                        #expect(inbox.all.count == 1)
                    }
                }
            }
        }
    }

    @Test("Without a token, or with the ingest role, there is no stream")
    func refused() async throws {
        try await TestDatabases.withServices(.sqlite) { services in
            let fixture = APIFixture(services: services)
            let ingest = try await fixture.key(.ingest)
            try await fixture.run { client in
                let port = try #require(client.port)
                for token in [nil, ingest, "crk_bogus"] {
                    await #expect(throws: (any Error).self) {
                        try await streamClient(
                            url: "ws://127.0.0.1:\(port)/api/v1/stream", token: token, inbox: Inbox())
                    }
                }
                let plain = try await client.send(.get, "/api/v1/stream", token: nil)
                #expect(plain.status == .unauthorized)
            }
        }
    }

    @Test("Graceful shutdown closes streams with 1001 before the server stops")
    func shutdown() async throws {
        try await TestDatabases.withServices(.sqlite) { services in
            var fixture = APIFixture(services: services)
            let viewer = try await fixture.key(.viewer)
            fixture.configuration.port = try freePort()
            let port = fixture.configuration.port
            let hub = StreamHub()
            let app = try await buildApplication(
                services: fixture.services, configuration: fixture.configuration, hub: hub)
            let group = ServiceGroup(
                configuration: .init(
                    services: [.init(service: app), .init(service: StreamCloser(hub: hub))],
                    logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                var connected = false
                for _ in 0..<300 where !connected {
                    try await Task.sleep(for: .milliseconds(10))
                    connected = (try? await Self.get(port: port, path: "/healthz")) == 200
                }
                let client = Task {
                    try await streamClient(url: "ws://127.0.0.1:\(port)/api/v1/stream", token: viewer, inbox: Inbox())
                }
                for _ in 0..<3_000 where hub.clientCount < 1 { try await Task.sleep(for: .milliseconds(10)) }
                #expect(hub.clientCount == 1)
                await group.triggerGracefulShutdown()
                let frame = try await client.value
                #expect(frame?.closeCode == .goingAway)
                try await tasks.waitForAll()
            }
        }
    }

    /// The status of a plain GET.
    static func get(port: Int, path: String) async throws -> Int {
        try await LoopbackHTTP.send(.GET, "http://127.0.0.1:\(port)\(path)").status
    }

    @Test("A live client that stops reading is cut off once its unsent bytes pass the limit; others keep receiving")
    func stalledLiveClient() async throws {
        try await TestDatabases.withServices(.sqlite) { services in
            let fixture = APIFixture(services: services)
            let viewer = try await fixture.key(.viewer)
            let hub = StreamHub(directBufferLimit: 256 << 10)
            try await fixture.run(hub: hub) { client in
                let port = try #require(client.port)
                // A raw socket with a small receive buffer that upgrades and then never reads.
                // Off the shared threads: the handshake it waits for is answered by tasks of this process.
                let stalled = try await offPool { try RawWebSocket(port: port, token: viewer, receiveBuffer: 8_192) }
                defer { stalled.close() }
                let inbox = Inbox()
                let reader = Task {
                    try await streamClient(url: "ws://127.0.0.1:\(port)/api/v1/stream", token: viewer, inbox: inbox)
                }
                defer { reader.cancel() }
                for _ in 0..<3_000 where hub.clientCount < 2 { try await Task.sleep(for: .milliseconds(10)) }
                #expect(hub.clientCount == 2)

                // 1,500 events of 8 KB (12 MB): far more than the stalled client's socket buffers and the 256 KB limit.
                let payload = "{\"pad\":\"" + String(repeating: "x", count: 8_000) + "\"}"
                for id in 1...1_500 {
                    hub.broadcast([
                        StoredEvent(
                            id: Int64(id), at: Date(), type: "alert.created", channel: "alerts", severity: .high,
                            source: "s", assignee: nil, payload: payload)
                    ])
                    try await Task.sleep(for: .milliseconds(1))
                    // Paced by the reading client, so only the stalled one falls behind, however loaded the
                    // machine (the stalled one passes its 256 KB in the first 32 events).
                    if id % 50 == 0 { try await inbox.wait("event \(id - 25)") { $0.count >= id - 25 } }
                }
                try await inbox.wait("every event") { $0.count >= 1_500 }
                for _ in 0..<3_000 where hub.clientCount > 1 { try await Task.sleep(for: .milliseconds(10)) }
                #expect(hub.clientCount == 1, "the stalled client is still registered")
                #expect(inbox.all.count == 1_500)
            }
        }
    }

    @Test("A client that lets its queue fill is cut off; the others keep receiving")
    func slowClient() async throws {
        let hub = StreamHub(queueLimit: 3)
        let slow = try #require(hub.add(filter: StreamFilter()))
        let fast = try #require(hub.add(filter: StreamFilter()))
        let events = (1...5).map {
            StoredEvent(
                id: Int64($0), at: Date(), type: "alert.created", channel: "alerts", severity: .high, source: "s",
                assignee: nil, payload: "{}")
        }
        var received: [Int64] = []
        for event in events {
            hub.broadcast([event])
            for await delivered in fast.events {
                received.append(delivered.event.id)
                break
            }
        }
        #expect(received == [1, 2, 3, 4, 5])
        #expect(hub.clientCount == 1)
        #expect(slow.client.ending.withLock { $0 } == .tooSlow)
        var queued: [Int64] = []
        for await outgoing in slow.events { queued.append(outgoing.event.id) }
        #expect(queued == [1, 2, 3])
    }
}

/// A free TCP port on 127.0.0.1.
func freePort() throws -> Int { try LoopbackPort.free() }

/// A WebSocket client on a plain socket: upgrades, then reads only when told to. For clients that stall.
final class RawWebSocket: Sendable {
    let socket: Int32

    init(port: Int, token: String, receiveBuffer: Int32) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var size = receiveBuffer
        setsockopt(socket, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw CoreReconError.failed("connect to port \(port) failed") }
        let request =
            "GET /api/v1/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
            + "Authorization: Bearer \(token)\r\n\r\n"
        _ = request.withCString { send(socket, $0, strlen($0), 0) }
        // Read the 101 response head, byte by byte so nothing after it is consumed.
        var head: [UInt8] = []
        var byte: UInt8 = 0
        while !head.suffix(4).elementsEqual("\r\n\r\n".utf8), recv(socket, &byte, 1, 0) == 1 { head.append(byte) }
        guard String(decoding: head, as: UTF8.self).hasPrefix("HTTP/1.1 101") else {
            throw CoreReconError.failed("no upgrade: \(String(decoding: head, as: UTF8.self))")
        }
    }

    func close() { _ = Glibc.close(socket) }

}

extension StreamTests {
    /// The database URL of `config`, for a CLI process beside the server.
    static func databaseURL(_ config: AppConfig) -> String { TestDatabases.url(config) }

    /// A stream client of `client`'s server, connected (the hub counts it) before this returns.
    static func connect(to client: any TestClientProtocol, token: String, hub: StreamHub) async throws
        -> (Inbox, Task<WebSocketCloseFrame?, any Error>)
    {
        let port = try #require(client.port)
        let inbox = Inbox()
        let clients = hub.clientCount
        let listener = Task {
            try await streamClient(url: "ws://127.0.0.1:\(port)/api/v1/stream", token: token, inbox: inbox)
        }
        for _ in 0..<3_000 where hub.clientCount <= clients { try await Task.sleep(for: .milliseconds(10)) }
        return (inbox, listener)
    }

    static func alertID(_ message: String) -> Int? {
        (object(message)["alert"] as? [String: Any])?["id"] as? Int
    }

    @Test(
        "Changes made by CLI commands beside a running server reach its stream clients, in commit order",
        arguments: TestDatabases.backends)
    func cliChanges(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            var fixture = APIFixture(services: services)
            // An hour-long poll on PostgreSQL: there the CLI's changes must come by NOTIFY.
            if backend == .postgres { fixture.configuration.streamPollInterval = .seconds(3_600) }
            let viewer = try await fixture.key(.viewer)
            let cli = try CoreReconProcess(environment: ["CORERECON_DATABASE_URL": Self.databaseURL(services.config)])
            defer { cli.remove() }
            let file = cli.home.path + "/alert.json"
            try Self.eve(flow: 60).write(toFile: file, atomically: true, encoding: .utf8)
            let hub = StreamHub()
            try await fixture.run(hub: hub) { client in
                let (inbox, listener) = try await Self.connect(to: client, token: viewer, hub: hub)
                defer { listener.cancel() }

                let ingested = try await offPool { try cli.run(["ingest", file]) }
                #expect(ingested.exitCode == 0, "\(ingested.stderr)")
                try await inbox.wait("alert.created from `corerecon ingest`") { $0.count >= 1 }
                let id = try #require(inbox.all.first.flatMap(Self.alertID))
                #expect(try await offPool { try cli.run(["alert", "ack", "\(id)"]) }.exitCode == 0)
                try await inbox.wait("alert.updated from `corerecon alert ack`") { $0.count >= 2 }
                let escalated = try await offPool {
                    try cli.run(["alert", "escalate", "\(id)", "--title", "Scan from the CLI"])
                }
                #expect(escalated.exitCode == 0, "\(escalated.stderr)")
                try await inbox.wait("the escalation's events") { $0.count >= 4 }
                #expect(inbox.types == ["alert.created", "alert.updated", "alert.updated", "incident.created"])
                #expect(inbox.all.dropFirst().first?.contains(#""status":"acknowledged""#) == true)
                let cursors = inbox.all.compactMap { Int(object($0)["cursor"] as? String ?? "") }
                #expect(cursors == cursors.sorted() && Set(cursors).count == 4)
            }
        }
    }

    @Test(
        "An alert committed by a server killed right after its 202 still reaches another server's stream clients",
        arguments: TestDatabases.backends)
    func killedAfterCommit(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            let fixture = APIFixture(services: services)
            let viewer = try await fixture.key(.viewer)
            let ingest = try await fixture.key(.ingest)
            let cli = try CoreReconProcess(environment: [
                "CORERECON_DATABASE_URL": Self.databaseURL(services.config), "CORERECON_JWT_SECRET": testSecret,
            ])
            defer { cli.remove() }
            let hub = StreamHub()
            try await fixture.run(hub: hub) { client in
                let (inbox, listener) = try await Self.connect(to: client, token: viewer, hub: hub)
                defer { listener.cancel() }

                // Another `corerecon serve` process takes the alert, answers 202 once it is committed, and is
                // killed at once, before it could hand the event to anyone.
                let (other, otherPort, _, _) = try await offPool { try cli.startServer() }
                let response = try await LoopbackHTTP.send(
                    .POST, "http://127.0.0.1:\(otherPort)/api/v1/ingest",
                    headers: [("Authorization", "Bearer \(ingest)"), ("Content-Type", "application/json")],
                    body: Array(Self.eve(flow: 61).utf8))
                kill(other.processIdentifier, SIGKILL)
                try await offPool { other.waitUntilExit() }
                #expect(response.status == 202)
                try await inbox.wait("the committed alert, delivered by the surviving server") { $0.count >= 1 }
                #expect(inbox.types == ["alert.created"])
                let stored = try await services.alerts.list(AlertQuery()).alerts.map(\.id)
                #expect(stored.count == 1 && stored.first.map(Int.init) == inbox.all.first.flatMap(Self.alertID))
            }
        }
    }
}
