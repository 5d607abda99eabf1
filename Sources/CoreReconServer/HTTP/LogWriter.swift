import Foundation
import NIOConcurrencyHelpers

/// Log lines for a file descriptor (stderr), written by a thread of their own so that a request never waits on
/// the log's destination: a file on a disk busy with the database's fsyncs, or a pipe a log shipper drains
/// slowly. Lines keep their order. When more than ``limit`` bytes are waiting, the caller writes them itself,
/// so the buffer stays bounded and nothing is dropped. ``flush()`` runs at exit; a crash loses at most the lines
/// of the last few milliseconds.
final class LogWriter: @unchecked Sendable {
    static let standardError: LogWriter = {
        let writer = LogWriter(descriptor: STDERR_FILENO)
        atexit { LogWriter.standardError.flush() }
        return writer
    }()
    static let limit = 1 << 20

    private let descriptor: Int32
    /// Its value is 1 while lines wait; guards `pending`.
    private let condition = ConditionLock(value: 0)
    private var pending: [UInt8] = []
    /// Held while taking lines and writing them, so that chunks reach the descriptor in order.
    private let writing = NIOLock()

    init(descriptor: Int32) {
        self.descriptor = descriptor
        let thread = Thread { [self] in
            while true {
                condition.lock(whenValue: 1)
                condition.unlock()
                flush()
            }
        }
        thread.name = "corerecon-log"
        thread.start()
    }

    func write(_ line: [UInt8]) {
        condition.lock()
        pending.append(contentsOf: line)
        let full = pending.count >= Self.limit
        condition.unlock(withValue: 1)
        if full { flush() }
    }

    /// Writes every waiting line now.
    func flush() {
        writing.withLock {
            condition.lock()
            let lines = pending
            pending.removeAll(keepingCapacity: true)
            condition.unlock(withValue: 0)
            lines.withUnsafeBytes { bytes in
                guard let start = bytes.baseAddress else { return }
                var offset = 0
                while offset < bytes.count {
                    let written = Glibc.write(descriptor, start + offset, bytes.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        return  // the destination is gone; logging must not take the server down
                    }
                    offset += written
                }
            }
        }
    }
}
