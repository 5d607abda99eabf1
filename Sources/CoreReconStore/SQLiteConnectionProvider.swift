import CoreRecon
import Foundation
import Logging
import NIOPosix
import SQLKit
import SQLiteKit
import Synchronization

/// The embedded backend: one SQLite connection in WAL mode, used by one task at a time.
///
/// SQLite allows one writer per database, so a single serialized connection loses nothing for writes, and keeps
/// a transaction from seeing another task's half-done work.
final class SQLiteConnectionProvider: ConnectionProvider {
    let backend = DatabaseBackend.sqlite
    private let connection: SQLiteConnection
    /// The connection's own thread: SQLite blocks it while waiting on a lock (busy_timeout), and on a shared pool
    /// that wait could starve the very connection that holds the lock.
    private let thread: NIOThreadPool
    private let lock = AsyncLock()
    private let path: String
    private let busyTimeout: Duration
    /// Read-only connections for `withReadConnection`, each on its own thread; empty for one-shot commands.
    private let readers: [Reader]
    private let nextReader = Atomic<Int>(0)
    /// Copies the write-ahead log into the database in the background when the writer is shared (serve).
    private let checkpointer: Checkpointer?

    struct Reader: Sendable {
        let connection: SQLiteConnection
        let thread: NIOThreadPool
        let lock = AsyncLock()
    }

    private init(
        connection: SQLiteConnection, thread: NIOThreadPool, path: String, busyTimeout: Duration, readers: [Reader],
        checkpointer: Checkpointer?
    ) {
        self.connection = connection
        self.thread = thread
        self.path = path
        self.busyTimeout = busyTimeout
        self.readers = readers
        self.checkpointer = checkpointer
    }

    static func open(_ config: AppConfig, logger: Logger) async throws -> SQLiteConnectionProvider {
        let storage: SQLiteConnection.Storage
        let path: String
        switch config.database {
        case .sqliteFile(let file):
            try prepareFile(file, createDirectory: config.isDefaultDatabase)
            storage = .file(path: file)
            path = file
        default:
            storage = .memory
            path = ":memory:"
        }
        let thread = NIOThreadPool(numberOfThreads: 1)
        thread.start()
        let connection: SQLiteConnection
        do {
            connection = try await SQLiteConnection.open(
                storage: storage,
                threadPool: thread,
                logger: logger,
                on: MultiThreadedEventLoopGroup.singleton.any()
            )
        } catch {
            try? await thread.shutdownGracefully()
            throw translate(error, path: path, busyTimeout: config.busyTimeout)
        }
        var readers: [Reader] = []
        if case .sqliteFile = config.database {
            for _ in 0..<config.sqliteReaders {
                let readerThread = NIOThreadPool(numberOfThreads: 1)
                readerThread.start()
                guard
                    let reader = try? await SQLiteConnection.open(
                        storage: storage, threadPool: readerThread, logger: logger,
                        on: MultiThreadedEventLoopGroup.singleton.any())
                else {
                    try? await readerThread.shutdownGracefully()
                    break
                }
                let sql = reader.sql()
                try? await sql.raw("PRAGMA busy_timeout = \(unsafeRaw: String(config.busyTimeout.milliseconds))").run()
                try? await sql.raw("PRAGMA query_only = ON").run()
                try? await sql.raw("PRAGMA cache_size = -32768").run()
                try? await sql.raw("PRAGMA temp_store = MEMORY").run()
                readers.append(Reader(connection: reader, thread: readerThread))
            }
        }
        let checkpointer =
            readers.isEmpty || !config.sqliteBackgroundCheckpoint
            ? nil : await Checkpointer.start(storage: storage, logger: logger)
        let provider = SQLiteConnectionProvider(
            connection: connection,
            thread: thread,
            path: path,
            busyTimeout: config.busyTimeout,
            readers: readers,
            checkpointer: checkpointer
        )
        do {
            let sql = connection.sql()
            // busy_timeout replaces sqlite-nio's retry-forever busy handler with a bounded wait.
            try await sql.raw("PRAGMA busy_timeout = \(unsafeRaw: String(config.busyTimeout.milliseconds))").run()
            if case .sqliteFile = config.database {
                // Reading the journal mode is the first real read of the file: a non-database fails here, untouched.
                try await switchToWAL(sql, busyTimeout: config.busyTimeout)
                // In WAL mode NORMAL survives a process crash or kill; only an OS crash can lose the last commits.
                try await sql.raw("PRAGMA synchronous = NORMAL").run()
                // A page cache of tens of MB keeps batch inserts from spilling and re-reading index pages (an
                // upper bound, not an allocation). Checkpointing every 64 MB of WAL instead of every 4 MB copies
                // the hot index pages to the database far less often: ingest is several times faster.
                let cacheKiB = max(config.sqliteWriterCacheMiB, 2) * 1024
                try await sql.raw("PRAGMA cache_size = -\(unsafeRaw: String(cacheKiB))").run()
                // With a background checkpointer, the writer's own checkpoints find the log nearly copied.
                try await sql.raw("PRAGMA wal_autocheckpoint = 16384").run()
                // When the log starts over, cut the file back to 64 MB rather than keep its largest size.
                try await sql.raw("PRAGMA journal_size_limit = 67108864").run()
                try await sql.raw("PRAGMA temp_store = MEMORY").run()
            }
            try await sql.raw("PRAGMA foreign_keys = ON").run()
            // Migration 22 builds the observable index with it; the writer alone writes that index.
            try await connection.install(customFunction: ObservableKey.sqlFunction())
        } catch {
            await provider.close()
            throw translate(error, path: path, busyTimeout: config.busyTimeout)
        }
        return provider
    }

    /// Puts the database in WAL mode, waiting out other connections that are doing the same.
    ///
    /// Switching a new file to WAL takes an exclusive lock that SQLite does not wait for: when several processes
    /// (or connections) open a fresh database at once, all but one can get SQLITE_BUSY at once, whatever
    /// busy_timeout says. This retries for up to `busyTimeout`, as busy_timeout would.
    private static func switchToWAL(_ sql: any SQLDatabase, busyTimeout: Duration) async throws {
        let deadline = ContinuousClock.now + busyTimeout
        var pause = Duration.milliseconds(1)
        while true {
            do {
                try await sql.raw("PRAGMA journal_mode = WAL").run()
                return
            } catch let error as SQLiteError where error.reason == .busy && ContinuousClock.now < deadline {
                try await Task.sleep(for: pause)
                pause = min(pause * 2, .milliseconds(50))
            }
        }
    }

    /// Checks the file's directory before SQLite creates anything, so errors name the real problem.
    private static func prepareFile(_ file: String, createDirectory: Bool) throws {
        let directory = (file as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory), isDirectory.boolValue {
            throw CoreReconError.unavailable(
                "cannot open SQLite database \(file): it is a directory. Check --database-url or CORERECON_DATABASE_URL."
            )
        }
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw CoreReconError.unavailable(
                    "cannot create SQLite database \(file): \(directory) is not a directory. "
                        + "Check --database-url or CORERECON_DATABASE_URL."
                )
            }
            return
        }
        guard createDirectory else {
            throw CoreReconError.unavailable(
                "cannot create SQLite database \(file): directory \(directory) does not exist. "
                    + "Create it or check --database-url or CORERECON_DATABASE_URL."
            )
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw CoreReconError.unavailable(
                "cannot create the data directory \(directory) (\(error.localizedDescription)). "
                    + "Set XDG_DATA_HOME, or choose a database with --database-url."
            )
        }
    }

    func withConnection<Result: Sendable>(
        _ body: (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        try await lock.withLock {
            try await body(PlainSQLiteSQL(connection))
        }
    }

    /// A read-only connection when there are readers (round robin), else the one connection. In WAL mode a
    /// reader sees every commit made before its query starts and never waits on the writer.
    func withReadConnection<Result: Sendable>(
        _ body: (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        guard !readers.isEmpty else { return try await withConnection(body) }
        let reader = readers[nextReader.add(1, ordering: .relaxed).oldValue % readers.count]
        return try await reader.lock.withLock { try await body(PlainSQLiteSQL(reader.connection)) }
    }

    /// Closes the connections, also when the calling task was cancelled: sqlite-nio skips work for cancelled
    /// tasks, and an unclosed connection leaks its file handle (and asserts in debug builds).
    func close() async {
        let connection = connection
        let thread = thread
        let readers = readers
        let checkpointer = checkpointer
        await Task {
            await checkpointer?.stop()
            for reader in readers {
                try? await reader.lock.withLock { try await reader.connection.close() }
                try? await reader.thread.shutdownGracefully()
            }
            try? await lock.withLock { try await connection.close() }
            try? await thread.shutdownGracefully()
        }.value
    }

    func translate(_ error: any Error) -> any Error {
        Self.translate(error, path: path, busyTimeout: busyTimeout)
    }

    static func translate(_ error: any Error, path: String, busyTimeout: Duration) -> any Error {
        guard let error = error as? SQLiteError else { return error }
        let advice = "Check --database-url or CORERECON_DATABASE_URL."
        switch error.reason {
        case .notADatabase:
            return CoreReconError.unavailable(
                "\(path) is not a SQLite database (\(error.message)); it was left untouched. \(advice)"
            )
        case .corrupt:
            return CoreReconError.unavailable(
                "SQLite database \(path) is corrupt (\(error.message)). Restore it from a backup. \(advice)"
            )
        case .cantOpen, .permission, .auth, .ioError:
            return CoreReconError.unavailable(
                "cannot open SQLite database \(path) (\(error.message)). Check that the file and its directory "
                    + "exist and are writable. \(advice)"
            )
        case .readOnly:
            return CoreReconError.unavailable(
                "SQLite database \(path) is read-only (\(error.message)). Make the file and its directory "
                    + "writable. \(advice)"
            )
        case .busy, .locked:
            return CoreReconError.unavailable(
                "SQLite database \(path) stayed locked by another process for \(busyTimeout.seconds)s. "
                    + "Try again, or raise database.busyTimeout."
            )
        case .full:
            // Nothing was written (the transaction rolled back); it works again once space is freed.
            return CoreReconError.unavailable(
                "SQLite database \(path): the disk is full (\(error.message)); nothing was stored. Free space and retry."
            )
        default:
            return error
        }
    }
}

/// Passive checkpoints on a connection and thread of its own: the frames committed to the write-ahead log are
/// copied into the database file while the writer goes on committing, every ``busyInterval`` while commits keep
/// coming and every ``idleInterval`` when none came.
///
/// Left to the writer alone, the commit that crosses the checkpoint threshold copies the whole log (about 100 ms
/// for 64 MB), and every request waiting on that commit sees it. Small, frequent checkpoints also keep each sync
/// small: on ext4 a sync makes other writes to the file system wait while its journal commits, and the webhook
/// p99 on a million-alert queue fell from about 125 ms with a checkpoint a second to about 27 ms with one every
/// 10 ms. The writer still checkpoints at 64 MB, because under a steady stream of commits a checkpoint from
/// another connection never finds the log fully copied and the log only starts over when it is; by then nearly
/// every frame has been copied here, so the writer's checkpoint is short, and the log file stays bounded.
final class Checkpointer: Sendable {
    static let busyInterval: Duration = .milliseconds(10)
    static let idleInterval: Duration = .milliseconds(250)

    private let connection: SQLiteConnection
    private let thread: NIOThreadPool
    private let loop: Task<Void, Never>

    private init(connection: SQLiteConnection, thread: NIOThreadPool, loop: Task<Void, Never>) {
        self.connection = connection
        self.thread = thread
        self.loop = loop
    }

    static func start(storage: SQLiteConnection.Storage, logger: Logger) async -> Checkpointer? {
        let thread = NIOThreadPool(numberOfThreads: 1)
        thread.start()
        guard
            let connection = try? await SQLiteConnection.open(
                storage: storage, threadPool: thread, logger: logger, on: MultiThreadedEventLoopGroup.singleton.any())
        else {
            try? await thread.shutdownGracefully()
            return nil
        }
        let sql = connection.sql()
        let loop = Task {
            var lastFrames = 0
            var interval = idleInterval
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                if Task.isCancelled { break }
                do {
                    // `log` is the number of frames in the log: unchanged means nothing was committed meanwhile.
                    let frames =
                        try await sql.raw("PRAGMA wal_checkpoint(PASSIVE)").first(decodingColumn: "log", as: Int.self)
                        ?? 0
                    interval = frames == lastFrames ? idleInterval : busyInterval
                    lastFrames = frames
                } catch {
                    // Stopping cancels a checkpoint under way: nothing failed.
                    if Task.isCancelled { break }
                    logger.warning("SQLite checkpoint failed", metadata: ["error": "\(error)"])
                    interval = idleInterval
                }
            }
        }
        return Checkpointer(connection: connection, thread: thread, loop: loop)
    }

    func stop() async {
        loop.cancel()
        await loop.value
        try? await connection.close()
        try? await thread.shutdownGracefully()
    }
}
