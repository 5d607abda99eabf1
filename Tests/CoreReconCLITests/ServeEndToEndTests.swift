import CoreRecon
import CoreReconTestSupport
import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `corerecon serve`, `user` and `token` as an operator runs them.
@Suite("serve CLI")
struct ServeEndToEndTests {
    @Test("serve refuses to start without a JWT secret")
    func noSecret() throws {
        let cli = try CoreReconProcess()
        defer { cli.remove() }
        let result = try cli.run(["serve", "--port", "0"])
        #expect(result.exitCode == 78)
        #expect(result.stderr.contains("CORERECON_JWT_SECRET"))
    }

    /// Runs a tool and returns its exit code and stdout.
    static func tool(_ path: String, _ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let output = try CoreReconProcess.spawn(process) { process in
            let output = CoreReconProcess.privatePipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            return output
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test("HTTPS with --tls-cert/--tls-key: TLS 1.2 and 1.3 accepted, TLS 1.1 refused")
    func tls() throws {
        let cli = try CoreReconProcess(environment: ["CORERECON_JWT_SECRET": String(repeating: "k", count: 40)])
        defer { cli.remove() }
        let key = cli.home.path + "/key.pem"
        let certificate = cli.home.path + "/cert.pem"
        let (made, _) = try Self.tool(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-days", "1", "-keyout", key,
                "-out", certificate,
            ])
        try #require(made == 0, "openssl could not make a test certificate")
        let (server, port, _, _) = try cli.startServer(["--tls-cert", certificate, "--tls-key", key])
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        let url = "https://127.0.0.1:\(port)/healthz"
        let (tls13, body) = try Self.tool("/usr/bin/curl", ["-sk", "--tlsv1.3", url])
        #expect(tls13 == 0)
        #expect(body.contains("\"ok\""))
        let (tls12, _) = try Self.tool("/usr/bin/curl", ["-sk", "--tlsv1.2", "--tls-max", "1.2", url])
        #expect(tls12 == 0)
        let (tls11, _) = try Self.tool("/usr/bin/curl", ["-sk", "--tlsv1.1", "--tls-max", "1.1", url])
        #expect(tls11 != 0)
        // Plain HTTP on the TLS port gets no HTTP answer.
        let (_, plainBody) = try Self.tool(
            "/usr/bin/curl", ["-s", "--max-time", "5", "http://127.0.0.1:\(port)/healthz"])
        #expect(!plainBody.contains("\"ok\""))
    }

    @Test("Keys are printed once and work; SIGTERM stops the server cleanly with exit 0")
    func serveAndStop() async throws {
        let cli = try CoreReconProcess(environment: ["CORERECON_JWT_SECRET": String(repeating: "k", count: 40)])
        defer { cli.remove() }
        let created = try cli.run(["token", "create", "--name", "ci", "--role", "viewer"])
        #expect(created.exitCode == 0)
        let key = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(key.hasPrefix("crk_") && key.count == 44)
        #expect(created.stderr.contains("not shown again"))
        let listed = try cli.run(["token", "list", "--format", "csv"])
        #expect(!listed.stdout.contains(key))
        #expect(listed.stdout.contains("ci,viewer,\(key.prefix(8))…,active"))
        let weak = try cli.run(["user", "add", "ana", "--role", "analyst", "--password-stdin"], input: "short\n")
        #expect(weak.exitCode == 65)

        // The server logs where it listens, as JSON.
        let (process, bound, errors, log) = try cli.startServer([])
        let response = try await LoopbackHTTP.send(
            .GET, "http://127.0.0.1:\(bound)/api/v1/alerts", headers: [("Authorization", "Bearer \(key)")])
        #expect(response.status == 200)

        process.terminate()  // SIGTERM
        try await offPool { process.waitUntilExit() }
        #expect(process.terminationStatus == 0)
        let whole = errors.untilEnd()
        #expect(whole.hasPrefix(log))
        // Access logs are JSON lines.
        let line = whole.split(separator: "\n").first { $0.contains("\"path\":\"/api/v1/alerts\"") }
        let entry = try JSONSerialization.jsonObject(with: Data((line ?? "").utf8)) as? [String: Any]
        #expect(entry?["status"] as? Int == 200)
    }

    @Test("SIGTERM with a request that never finishes: exit 70 after server.shutdownTimeout, naming what was cut short")
    func shutdownDeadline() async throws {
        let cli = try CoreReconProcess(environment: [
            "CORERECON_JWT_SECRET": String(repeating: "k", count: 40), "CORERECON_SERVER_SHUTDOWN_TIMEOUT": "2s",
        ])
        defer { cli.remove() }
        let key = try await offPool { try cli.run(["token", "create", "--name", "ci", "--role", "ingest"]) }.stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let (process, port, errors, _) = try await offPool { try cli.startServer() }
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

        // A client that announces a body and sends only part of it: its request stays in flight.
        let socket = try #require(LoopbackSocket.connect(port: port))
        defer { close(socket) }
        let head =
            "POST /api/v1/ingest HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(key)\r\n"
            + "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"partial\":"
        _ = head.withCString { send(socket, $0, strlen($0), 0) }
        try await Task.sleep(for: .milliseconds(500))

        let stopping = ContinuousClock.now
        process.terminate()  // SIGTERM
        for _ in 0..<300 where process.isRunning { try await Task.sleep(for: .milliseconds(100)) }
        #expect(!process.isRunning, "still running 30 s after SIGTERM")
        try await offPool { process.waitUntilExit() }
        #expect(process.terminationStatus == 70)
        // Not before the grace period: the request had its time.
        #expect(ContinuousClock.now - stopping >= .seconds(1.4))
        let log = errors.untilEnd()
        #expect(log.contains("error: shutdown did not finish within 1.4 s"), "\(log.suffix(600))")
        #expect(log.contains("1 requests in flight"))
    }
}
