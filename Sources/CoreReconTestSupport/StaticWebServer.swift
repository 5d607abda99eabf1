import CoreRecon
import Foundation

/// A real HTTP server for a directory of files (Python's `http.server`) on a free loopback port: feeds published
/// as files, as MISP feeds and list providers publish them. Or a Python script of a test's own.
public final class StaticWebServer: @unchecked Sendable {
    public let port: Int
    let process: Process

    public convenience init(directory: String) throws {
        try self.init(python: ["-m", "http.server", "{port}", "--bind", "127.0.0.1", "--directory", directory])
    }

    /// A server that is a Python script (`-c SCRIPT`), given its port as its first argument: a stand-in that
    /// answers what a test needs.
    public convenience init(script: String) throws {
        try self.init(python: ["-c", script, "{port}"])
    }

    /// `python3 ARGUMENTS` with `{port}` replaced by a free loopback port, once it accepts connections.
    init(python arguments: [String]) throws {
        let port = try LoopbackPort.free()
        self.port = port
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments.map { $0 == "{port}" ? "\(port)" : $0 }
        try CoreReconProcess.spawn(process) { process in
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            process.standardInput = FileHandle.nullDevice
        }
        self.process = process
        let deadline = Date() + 30
        while Date() < deadline {
            if LoopbackPort.accepts(port) { return }
            guard process.isRunning else { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        stop()
        throw CoreReconError.unavailable("python3 \(arguments.first ?? "") did not start on port \(port)")
    }

    public func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }
}

/// Loopback ports for servers a test starts.
public enum LoopbackPort {
    /// A port nothing listens on now, below the kernel's range of ephemeral ports.
    ///
    /// A server given a port from that range can find it taken when it (re)starts: any outgoing connection may
    /// use it as its source port, and a client retrying a connection to a server that is down can even connect to
    /// itself there (a TCP simultaneous open), after which the restarted server cannot bind at all.
    public static func free() throws -> Int {
        let range =
            (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8))?
            .split(whereSeparator: \.isWhitespace).compactMap { Int($0) } ?? []
        let ephemeralStart = range.first ?? 32_768
        let candidates = ephemeralStart > 12_000 ? 10_000..<(ephemeralStart - 1) : 1_024..<10_000
        for _ in 0..<200 {
            let port = Int.random(in: candidates)
            if canBind(port) { return port }
        }
        throw CoreReconError.unavailable("no free port below \(ephemeralStart)")
    }

    static func canBind(_ port: Int) -> Bool {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    /// Whether something listens on the loopback port.
    public static func accepts(_ port: Int) -> Bool {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
