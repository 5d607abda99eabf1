import CoreRecon
import Foundation
import Yams

/// A sign-in to one server, as `corerecon login` stores it.
public struct Credential: Sendable, Equatable, Codable {
    public var user: String
    public var role: String
    public var accessToken: String
    public var refreshToken: String
    public var expiresAt: Date

    public init(user: String, role: String, accessToken: String, refreshToken: String, expiresAt: Date) {
        self.user = user
        self.role = role
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.expiresAt = expiresAt
    }
}

/// `$XDG_CONFIG_HOME/corerecon/credentials.yaml`: the tokens of `corerecon login`, one entry per server. Written
/// with mode 0600 (through a temporary file and a rename, so a reader never sees half a file); a file that others
/// can read is refused rather than used, as ssh refuses a key.
public struct CredentialStore: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// The store of this user: `$XDG_CONFIG_HOME/corerecon/credentials.yaml`, else `~/.config/corerecon/...`.
    public init(environment: [String: String]) {
        self.init(path: AppConfig.directory(environment: environment) + "/credentials.yaml")
    }

    struct File: Codable {
        var servers: [String: Credential] = [:]
    }

    /// The sign-in stored for `server`, if any.
    public func credential(for server: String) throws(CoreReconError) -> Credential? {
        try load().servers[server]
    }

    /// Stores (or, with nil, forgets) the sign-in for `server`.
    public func save(_ credential: Credential?, for server: String) throws(CoreReconError) {
        var file = try load()
        file.servers[server] = credential
        let text: String
        do {
            text = try YAMLEncoder().encode(file)
        } catch {
            throw .failed("cannot write \(path): \(error)")
        }
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = path + ".\(getpid()).tmp"
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .failed("cannot create \(directory): \(error.localizedDescription)")
        }
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .failed("cannot write \(temporary): \(String(cString: strerror(errno)))") }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard written == bytes.count, synced, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw .failed("cannot write \(path): \(reason)")
        }
    }

    /// An exclusive lock on the store between processes (`flock` on `credentials.yaml.lock`), held until released.
    func lock() throws(CoreReconError) -> Lock {
        let directory = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let descriptor = open(path + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0, flock(descriptor, LOCK_EX) == 0 else {
            let reason = String(cString: strerror(errno))
            if descriptor >= 0 { close(descriptor) }
            throw .failed("cannot lock \(path).lock: \(reason)")
        }
        return Lock(descriptor: descriptor)
    }

    struct Lock {
        let descriptor: Int32

        func release() {
            flock(descriptor, LOCK_UN)
            close(descriptor)
        }
    }

    func load() throws(CoreReconError) -> File {
        var status = stat()
        guard stat(path, &status) == 0 else { return File() }
        guard status.st_mode & 0o077 == 0 else {
            throw .configuration(
                "\(path) may be read by others (mode \(String(status.st_mode & 0o777, radix: 8))); "
                    + "it holds tokens: run `chmod 600 \(path)` or `corerecon logout` and sign in again.")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .configuration("cannot read \(path)")
        }
        do {
            return try YAMLDecoder().decode(File.self, from: String(decoding: data, as: UTF8.self))
        } catch {
            throw .configuration("\(path) is not a credentials file corerecon wrote: \(error)")
        }
    }
}
