import CoreRecon
import Foundation

/// A PostgreSQL server of a test's own, for faults that would disturb other tests on the shared one: restarting
/// it, stopping it. Made with the installed server binaries (as `scripts/postgres-throwaway` does); as root the
/// server runs as the `postgres` OS user, which PostgreSQL requires.
public final class PrivatePostgres: Sendable {
    public let directory: String
    public let port: Int
    let binaries: String

    /// The installed server binaries, or nil when PostgreSQL's server is not installed.
    public static var binaries: String? {
        let base = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []
        guard let newest = versions.compactMap({ Int($0) }).max() else { return nil }
        let path = "\(base)/\(newest)/bin"
        return FileManager.default.fileExists(atPath: path + "/initdb") ? path : nil
    }

    /// Creates and starts a server with fsync on (a restart must not lose what was committed).
    public init() throws {
        guard let binaries = Self.binaries else { throw CoreReconError.unavailable("PostgreSQL is not installed") }
        self.binaries = binaries
        directory = try TemporaryDirectory().path
        port = try LoopbackPort.free()
        if getuid() == 0 { try Self.shell("chown postgres: '\(directory)'") }
        try run("initdb -D '\(directory)/data' -U postgres -A trust -E UTF8 --no-sync")
        try start()
    }

    public var url: String { "postgres://postgres@127.0.0.1:\(port)/postgres?sslmode=disable" }

    public func start() throws {
        try run(
            "pg_ctl -D '\(directory)/data' -l '\(directory)/server.log' -w -t 60 -o "
                + "\"-c listen_addresses=127.0.0.1 -p \(port) -k \(directory) -c max_connections=100\" start")
    }

    /// `pg_ctl restart -m fast`: every connection is cut, the server is back within about a second.
    public func restart() throws {
        try run(
            "pg_ctl -D '\(directory)/data' -m fast -w -t 60 restart -o \"-c listen_addresses=127.0.0.1 -p \(port) -k \(directory) -c max_connections=100\" -l '\(directory)/server.log'"
        )
    }

    public func stop() {
        try? run("pg_ctl -D '\(directory)/data' -m fast -w stop")
    }

    /// Stops the server and deletes its files.
    public func remove() {
        stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func run(_ command: String) throws {
        let line = "\(binaries)/\(command) >>'\(directory)/ctl.log' 2>&1"
        try Self.shell(
            getuid() == 0
                ? "runuser -u postgres -- sh -c \"\(line.replacingOccurrences(of: "\"", with: "\\\""))\"" : line)
    }

    /// `system(3)`, not `Process`: the server that `pg_ctl` leaves running keeps Foundation from noticing the
    /// shell's exit. system forks this whole process, though, and that server would keep every descriptor it was
    /// given (other tests' pipes and sockets) open for its life, so bash closes all but stdin, stdout and stderr first.
    private static func shell(_ command: String) throws {
        let closeInherited = #"for fd in /proc/$$/fd/*; do n=${fd##*/}; [ "$n" -gt 2 ] && eval "exec $n>&-"; done; "#
        let script = (closeInherited + command).replacingOccurrences(of: "'", with: #"'\''"#)
        let status = system("exec /bin/bash -c '\(script)'")
        guard status == 0 else { throw CoreReconError.failed("`\(command)` exited \(status)") }
    }
}
