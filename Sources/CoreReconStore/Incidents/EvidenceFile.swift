import CoreRecon
import Crypto
import Foundation

/// Evidence being written to a file: the bytes go to `PATH.partial`, hashed as they come, and the file takes its
/// name only once it is complete and its SHA-256 is the recorded one. A failure leaves nothing under the name.
public final class EvidenceFile {
    public let path: String
    private let partial: String
    private let handle: FileHandle
    private var hasher = SHA256()
    private var finished = false

    /// Refuses a `path` that exists: evidence never overwrites a file.
    public init(path: String) throws(CoreReconError) {
        self.path = path
        partial = path + ".partial"
        guard !FileManager.default.fileExists(atPath: path) else {
            throw .conflict("\(path) already exists; choose another --out or remove it.")
        }
        // O_EXCL: two exports to the same place never write into one partial file.
        let descriptor = open(partial, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            if errno == EEXIST {
                throw .conflict(
                    "\(partial) exists: another export is writing it, or one was interrupted; remove it and retry.")
            }
            throw .failed("cannot write \(partial): \(String(cString: strerror(errno)).lowercased()).")
        }
        handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }

    deinit {
        if !finished { try? FileManager.default.removeItem(atPath: partial) }
    }

    public func write(_ bytes: some DataProtocol) throws(CoreReconError) {
        let data = Data(bytes)
        hasher.update(data: data)
        do {
            try handle.write(contentsOf: data)
        } catch {
            throw .failed("cannot write \(partial): \(error.localizedDescription); nothing was kept.")
        }
    }

    /// Checks the bytes against `sha256`, flushes them to disk and gives the file its name.
    public func finish(expecting sha256: String, what: String) throws(CoreReconError) {
        let actual = Hex.encode(hasher.finalize())
        guard actual == sha256 else {
            throw .unavailable("\(what) arrived with SHA-256 \(actual), not \(sha256) as recorded; nothing was kept.")
        }
        do {
            try handle.synchronize()
            try handle.close()
        } catch {
            throw .failed("cannot write \(partial): \(error.localizedDescription); nothing was kept.")
        }
        // link(2) fails when the name was taken meanwhile, where rename would replace it. A file system without
        // hard links gets a rename after one more look.
        if link(partial, path) == 0 {
            unlink(partial)
        } else if errno == EEXIST {
            throw .conflict("cannot write \(path): it appeared meanwhile; nothing was kept.")
        } else if FileManager.default.fileExists(atPath: path) || rename(partial, path) != 0 {
            throw .failed("cannot write \(path): \(String(cString: strerror(errno)).lowercased()); nothing was kept.")
        }
        finished = true
    }
}
