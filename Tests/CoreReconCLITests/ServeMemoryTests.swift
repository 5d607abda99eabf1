import CoreRecon
import CoreReconFuzzTargets
import CoreReconTestSupport
import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A real `corerecon serve` under hostile bodies: its memory stays bounded and does not grow from one round of
/// them to the next. Measured from the process's own /proc/PID/status, so other tests do not count.
@Suite("serve's memory under hostile input")
struct ServeMemoryTests {
    /// VmRSS and VmHWM (peak) of `pid`, in MiB.
    static func memory(of pid: Int32) throws -> (resident: Int, peak: Int) {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        func field(_ name: String) -> Int {
            let line = status.split(separator: "\n").first { $0.hasPrefix(name + ":") } ?? ""
            return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) / 1_024
        }
        return (field("VmRSS"), field("VmHWM"))
    }

    static func post(port: Int, token: String, body: Data, path: String) async -> Int {
        await LoopbackHTTP.status(
            .POST, "http://127.0.0.1:\(port)\(path)", headers: [("Authorization", "Bearer \(token)")],
            body: Array(body), timeout: .seconds(120)
        ).status
    }

    /// The hostile bodies of one round: the bytes that used to hang the server, mutated real alerts, bodies near
    /// the 10 MB limit built to cost memory (deep nesting, one huge string), and twenty thousand tiny records.
    static func hostileBodies(seed: UInt64) -> [Data] {
        var bodies = [#""x","#, "1,S", #"{"a":1},S"#, ",,,,", "]}"].map { Data($0.utf8) }
        var mutator = AlertMutator(seed: seed)
        let eve =
            #"{"timestamp":"2026-11-20T10:00:00.000000+0000","flow_id":7,"event_type":"alert","src_ip":"203.0.113.9","dest_ip":"10.0.0.2","dest_port":22,"proto":"TCP","alert":{"signature_id":2001219,"signature":"ET SCAN Potential SSH Scan","category":"Attempted Information Leak","severity":2}}"#
        for flow in 0..<400 {
            bodies.append(
                Data(
                    mutator.mutate(eve.replacingOccurrences(of: "\"flow_id\":7", with: "\"flow_id\":\(flow)")).text.utf8
                ))
        }
        let size = 9 * 1_024 * 1_024
        bodies.append(Data(String(repeating: "[", count: size).utf8))
        bodies.append(Data((#"{"title":""# + String(repeating: "A", count: size) + #""}"#).utf8))
        bodies.append(Data(String(repeating: "{\"title\":\"t\"}\n", count: 20_000).utf8))
        bodies.append(Data(String(repeating: "{\"a\":", count: size / 5).utf8))
        return bodies
    }

    @Test(
        "Two rounds of hostile bodies: the server answers every one, peaks under 512 MiB, and round two adds under 64 MiB"
    )
    func boundedMemory() async throws {
        let cli = try CoreReconProcess(environment: [
            "CORERECON_JWT_SECRET": String(repeating: "k", count: 40), "CORERECON_LOG_LEVEL": "error",
            "CORERECON_SERVER_RATE_LIMIT_PER_ADDRESS": "0", "CORERECON_SERVER_RATE_LIMIT_PER_TOKEN": "0",
        ])
        defer { cli.remove() }
        let token = try await offPool { try cli.run(["token", "create", "--name", "siem", "--role", "ingest"]) }
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        // Blocking waits run off the shared pool (see offPool).
        let (server, port, _, _) = try await offPool { try cli.startServer() }
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        let pid = server.processIdentifier

        for flow in 1...200 {
            let body = Data(#"{"title":"warm-up \#(flow)","host":"h\#(flow)"}"#.utf8)
            #expect(await Self.post(port: port, token: token, body: body, path: "/api/v1/ingest") == 202)
        }
        let baseline = try Self.memory(of: pid)
        var afterRound: [Int] = []
        for round in 0..<2 {
            let bodies = Self.hostileBodies(seed: 17)
            let statuses = await withTaskGroup(of: [Int].self, returning: [Int].self) { group in
                for worker in 0..<4 {
                    group.addTask {
                        var answered: [Int] = []
                        for index in stride(from: worker, to: bodies.count, by: 4) {
                            let path = index % 2 == 0 ? "/api/v1/webhooks/generic" : "/api/v1/ingest"
                            answered.append(await Self.post(port: port, token: token, body: bodies[index], path: path))
                        }
                        return answered
                    }
                }
                return await group.reduce(into: []) { $0 += $1 }
            }
            #expect(!statuses.contains(0), "round \(round): a request got no answer")
            #expect(statuses.allSatisfy { $0 < 500 }, "round \(round): \(Set(statuses))")
            afterRound.append(try Self.memory(of: pid).resident)
        }
        let end = try Self.memory(of: pid)
        print(
            "serve memory: baseline \(baseline.resident) MiB, after round 1 \(afterRound[0]) MiB, after round 2 "
                + "\(afterRound[1]) MiB, peak \(end.peak) MiB")
        #expect(server.isRunning)
        #expect(end.peak < 512, "peak \(end.peak) MiB")
        #expect(afterRound[1] - afterRound[0] < 64, "round 2 grew by \(afterRound[1] - afterRound[0]) MiB")
    }
}
