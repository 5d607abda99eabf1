import CoreRecon
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// OASIS's TAXII 2.1 reference server, medallion (`pip install medallion`), on a free loopback port with one
/// readable, writable collection in memory, for tests of TAXII pulls against a real server.
public final class TAXIIServer: @unchecked Sendable {
    public static let collection = "91a7b528-80eb-42ed-a74d-c6fbd5a26116"
    public static let user = "analyst"
    public static let password = "taxii-test-password"

    public let port: Int
    public let directory: TemporaryDirectory
    let process: Process

    /// The medallion executable: on PATH or where `pip install --user` puts it.
    public static var executable: String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let candidates =
            path.split(separator: ":").map { "\($0)/medallion" }
            + [NSHomeDirectory() + "/.local/bin/medallion"]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The API root, with its trailing slash.
    public var apiRoot: String { "http://127.0.0.1:\(port)/api1/" }

    /// Starts medallion with pages of `pageSize` objects (small, so a pull must follow `next`).
    public init(pageSize: Int = 5) throws {
        guard let executable = Self.executable else {
            throw CoreReconError.unavailable("medallion is not installed (python3 -m pip install --user medallion)")
        }
        directory = try TemporaryDirectory()
        port = try LoopbackPort.free()
        let data: [String: Any] = [
            "/discovery": [
                "title": "CoreRecon tests", "api_roots": ["http://127.0.0.1:\(port)/api1/"],
                "default": "http://127.0.0.1:\(port)/api1/",
            ],
            "api1": [
                "information": [
                    "title": "api1", "versions": ["application/taxii+json;version=2.1"],
                    "max_content_length": 100_000_000,
                ],
                "status": [] as [Any],
                "collections": [
                    [
                        "id": Self.collection, "title": "Indicators", "can_read": true, "can_write": true,
                        "media_types": ["application/stix+json;version=2.1"], "objects": [] as [Any],
                        "manifest": [] as [Any],
                    ]
                ],
            ],
        ]
        let config: [String: Any] = [
            "backend": [
                "module": "medallion.backends.memory_backend", "module_class": "MemoryBackend",
                "filename": directory.path + "/data.json",
            ],
            "users": [Self.user: Self.password],
            "taxii": ["max_page_size": pageSize],
        ]
        try JSONSerialization.data(withJSONObject: data).write(to: URL(fileURLWithPath: directory.path + "/data.json"))
        try JSONSerialization.data(withJSONObject: config).write(
            to: URL(fileURLWithPath: directory.path + "/config.json"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--host", "127.0.0.1", "--port", "\(port)", directory.path + "/config.json"]
        let log = directory.path + "/medallion.log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        try CoreReconProcess.spawn(process) { process in
            process.standardOutput = handle
            process.standardError = handle
            process.standardInput = FileHandle.nullDevice
        }
        try? handle.close()
        self.process = process
        // Ready when it answers the discovery endpoint (within 30 s).
        let deadline = Date() + 30
        while Date() < deadline {
            if LoopbackPort.accepts(port) { return }
            guard process.isRunning else { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        process.terminate()
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        throw CoreReconError.unavailable("medallion did not start: \(output.suffix(2_000))")
    }

    /// Adds STIX objects to the collection, as a producer would (TAXII's Add Objects), and waits for the status.
    public func add(_ objects: [JSONValue]) async throws {
        let response = try await LoopbackHTTP.send(
            .POST, apiRoot + "collections/\(Self.collection)/objects/",
            headers: [
                ("Content-Type", "application/taxii+json;version=2.1"),
                ("Accept", "application/taxii+json;version=2.1"),
                ("Authorization", "Basic " + Data("\(Self.user):\(Self.password)".utf8).base64EncodedString()),
            ],
            body: Array(JSONValue.object([JSONMember("objects", .array(objects))]).jsonString.utf8))
        guard response.status == 202 else {
            throw CoreReconError.failed("medallion answered \(response.status): \(response.text)")
        }
    }

    public func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        directory.remove()
    }
}
