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

        let process = Process()
        process.executableURL = CoreReconProcess.executable
        process.arguments = ["serve", "--port", "0"]
        process.environment = cli.environment
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // The server logs where it listens, as JSON.
        var port: Int?
        var log = ""
        let deadline = Date() + 20
        while port == nil && Date() < deadline {
            let chunk = errors.fileHandleForReading.availableData
            log += String(decoding: chunk, as: UTF8.self)
            if let range = log.range(of: #"127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                port = Int(log[range].split(separator: ":").last ?? "")
            }
        }
        let bound = try #require(port, "no listening address in: \(log)")
        var request = URLRequest(url: try #require(URL(string: "http://127.0.0.1:\(bound)/api/v1/alerts")))
        request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
        let (_, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)

        process.terminate()  // SIGTERM
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let rest = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        // Access logs are JSON lines.
        let line = (log + rest).split(separator: "\n").first { $0.contains("\"path\":\"/api/v1/alerts\"") }
        let entry = try JSONSerialization.jsonObject(with: Data((line ?? "").utf8)) as? [String: Any]
        #expect(entry?["status"] as? Int == 200)
    }
}
