import CoreRecon
import CoreReconTestSupport
import Foundation
import Testing

/// `corerecon serve --syslog` fed by rsyslog, as a site forwards its appliances' logs.
@Suite("syslog end to end")
struct SyslogEndToEndTests {
    static let rsyslogd = "/usr/sbin/rsyslogd"
    /// Under CI rsyslog is installed, so its absence fails the test rather than skipping it.
    static let canRun =
        FileManager.default.isExecutableFile(atPath: rsyslogd) || ProcessInfo.processInfo.environment["CI"] != nil

    @Test(
        "rsyslog forwards to serve over TCP (octet-counted), logger sends over UDP; labels from syslog.senders; SIGTERM stores what came and exits 0",
        .enabled(if: canRun, "rsyslog is not installed (apt-get install rsyslog)"))
    func rsyslogForwarding() async throws {
        let cli = try CoreReconProcess(environment: ["CORERECON_JWT_SECRET": String(repeating: "k", count: 40)])
        defer { cli.remove() }
        let configDirectory = cli.home.path + "/config/corerecon"
        try FileManager.default.createDirectory(atPath: configDirectory, withIntermediateDirectories: true)
        try """
        syslog:
          listen: [tcp://127.0.0.1:0, udp://127.0.0.1:0]
          senders:
            - from: 127.0.0.1
              source: dc1-relay
        """.write(toFile: configDirectory + "/config.yaml", atomically: true, encoding: .utf8)
        let (server, _, log, started) = try await offPool { try cli.startServer() }
        defer { if server.isRunning { kill(server.processIdentifier, SIGKILL) } }
        func port(_ transport: String) throws -> Int {
            let range = try #require(
                started.range(of: transport + #"://127\.0\.0\.1:\d+"#, options: .regularExpression))
            return try #require(Int(started[range].split(separator: ":").last ?? ""))
        }
        let (tcp, udp) = (try port("tcp"), try port("udp"))

        // rsyslog receives on a port of its own and forwards everything to serve, octet-counted (RFC 6587).
        let relayPort = try LoopbackPort.free()
        let work = cli.home.path + "/rsyslog"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        try """
        global(workDirectory="\(work)")
        module(load="imtcp")
        input(type="imtcp" port="\(relayPort)" address="127.0.0.1")
        action(type="omfwd" target="127.0.0.1" port="\(tcp)" protocol="tcp" TCP_Framing="octet-counted"
               template="RSYSLOG_SyslogProtocol23Format")
        """.write(toFile: work + "/rsyslog.conf", atomically: true, encoding: .utf8)
        let relay = Process()
        relay.executableURL = URL(fileURLWithPath: Self.rsyslogd)
        relay.arguments = ["-n", "-f", work + "/rsyslog.conf", "-i", work + "/rsyslogd.pid"]
        try CoreReconProcess.spawn(relay) { process in
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
        }
        defer {
            relay.terminate()
            relay.waitUntilExit()
        }
        func logger(_ arguments: [String]) throws -> Int32 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/logger")
            process.arguments = ["--server", "127.0.0.1"] + arguments
            try CoreReconProcess.spawn(process) { process in
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
            }
            process.waitUntilExit()
            return process.terminationStatus
        }
        // rsyslog takes a moment to listen.
        let cef = "CEF:0|Acme|Edge FW|4.2|100|Port scan from outside|7|src=203.0.113.5 dst=10.0.0.8"
        var relayed = false
        for _ in 0..<100 where !relayed {
            relayed = try logger(["--port", "\(relayPort)", "--tcp", "-t", "fw", cef]) == 0
            if !relayed { try await Task.sleep(for: .milliseconds(100)) }
        }
        try #require(relayed, "rsyslog did not start listening")
        let json = #"{"title":"Impossible travel","severity":"high","host":"ws-7","user":"ana","product":"IdP"}"#
        #expect(try logger(["--port", "\(relayPort)", "--tcp", "-t", "idp", json]) == 0)
        #expect(
            try logger([
                "--port", "\(udp)", "--udp", "--rfc5424", "-t", "fw",
                cef.replacingOccurrences(of: "|100|Port scan", with: "|101|Sweep"),
            ]) == 0)

        var listed: [JSONValue] = []
        for _ in 0..<100 {
            let result = try await offPool { try cli.run(["alert", "list", "--format", "json"]) }
            listed = (try? JSONParser.parse(Array(result.stdout.utf8)))?.arrayValue ?? []
            if listed.count >= 3 { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(listed.count == 3, "\(log.text)")
        #expect(Set(listed.compactMap { $0[key: "source"]?.text }) == ["dc1-relay"])
        #expect(
            Set(listed.compactMap { $0[key: "title"]?.text }) == [
                "Port scan from outside", "Impossible travel", "Sweep from outside",
            ])

        server.terminate()
        try await offPool { server.waitUntilExit() }
        #expect(server.terminationStatus == 0, "\(log.untilEnd())")
    }

    @Test("A syslog port that cannot be bound stops serve at once with a message naming it; a bad --syslog is refused")
    func bindFailure() async throws {
        let cli = try CoreReconProcess(environment: ["CORERECON_JWT_SECRET": String(repeating: "k", count: 40)])
        defer { cli.remove() }
        // A port already taken by a listener of our own.
        let (socket, taken) = try #require(LoopbackSocket.bound(Int32(SOCK_STREAM.rawValue)))
        defer { close(socket) }
        try #require(listen(socket, 1) == 0)
        let result = try await offPool {
            try cli.run(["serve", "--port", "0", "--syslog", "tcp://127.0.0.1:\(taken)"])
        }
        #expect(result.exitCode == 78, "\(result.stderr)")
        #expect(result.stderr.contains("cannot listen for syslog on tcp://127.0.0.1:\(taken)"), "\(result.stderr)")

        let bad = try cli.run(["serve", "--syslog", "syslog://0.0.0.0:514"])
        #expect(bad.exitCode == 64)
        #expect(bad.stderr.contains("'syslog://0.0.0.0:514' is not a syslog listener"), "\(bad.stderr)")
        let noCertificate = try cli.run(["serve", "--syslog", "tls://127.0.0.1:6514"])
        #expect(noCertificate.exitCode == 64)
        #expect(noCertificate.stderr.contains("needs --tls-cert and --tls-key"), "\(noCertificate.stderr)")
    }
}
