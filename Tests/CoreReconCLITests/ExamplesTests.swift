import CoreReconTestSupport
import Foundation
import Testing

/// Every file in examples/ is exercised here, so none can rot.
@Suite("examples/")
struct ExamplesTests {
    static let examples = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples")

    @Test("quickstart.sh runs the main job on the embedded default")
    func quickstart() throws {
        let binDirectory = CoreReconProcess.executable.deletingLastPathComponent().path
        let cli = try CoreReconProcess(environment: ["PATH": binDirectory + ":/usr/bin:/bin"])
        defer { cli.remove() }
        let result = try cli.runScript(Self.examples.appendingPathComponent("quickstart.sh").path)
        #expect(result.exitCode == 0, "\(result.stderr)")
        // Five example records: the two SSH scans from one attacker merge into one alert.
        #expect(result.stderr.contains("ingested 5 records"))
        #expect(result.stderr.contains("4 new alerts, 1 duplicates merged"))
        #expect(result.stdout.contains("ET SCAN Potential SSH Scan"))
        #expect(result.stdout.contains("Impossible travel for j.doe"))
        // The Wazuh brute-force alert on bastion-01 shares the attacker's IP with the scan and the sign-in.
        #expect(result.stdout.contains("ip:203.0.113.77"))
        #expect(FileManager.default.fileExists(atPath: cli.home.path + "/data/corerecon/corerecon.db"))
    }

    @Test("config.yaml is a valid configuration")
    func sampleConfig() throws {
        let cli = try CoreReconProcess()
        defer { cli.remove() }
        let config = Self.examples.appendingPathComponent("config.yaml").path
        // The sample's relative sqlite:corerecon.db lands in the working directory (the test's home).
        let result = try cli.run(["migrate", "status", "--config", config, "--format", "json"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let document = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(document?["location"] as? String == "sqlite://\(cli.home.path)/corerecon.db")
    }
}

extension ExamplesTests {
    @Test("attack/coverage.sh maps an alert, shows coverage and compares the example layer")
    func attackCoverage() throws {
        let binDirectory = CoreReconProcess.executable.deletingLastPathComponent().path
        let cli = try CoreReconProcess(environment: ["PATH": binDirectory + ":/usr/bin:/bin"])
        defer { cli.remove() }
        let result = try cli.runScript(Self.examples.appendingPathComponent("attack/coverage.sh").path)
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout.contains("CREDENTIAL ACCESS"))
        #expect(result.stdout.contains("T1110.001"))
        // The plan's SSH password guessing was seen; its phishing was not.
        #expect(result.stdout.contains("difference: 2 only in the layer"))
        #expect(FileManager.default.fileExists(atPath: cli.home.path + "/coverage-layer.json"))
    }
}
