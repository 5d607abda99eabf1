import CoreRecon
import Foundation

/// Runs the built `corerecon` executable, as a user or a script would.
public struct CoreReconProcess: Sendable {
    public struct Result: Sendable {
        public var exitCode: Int32
        public var stdout: String
        public var stderr: String
        public var elapsed: Duration
    }

    /// The executable: `CORERECON_BINARY` when set, else the one built beside the test bundle.
    public static var executable: URL {
        if let path = ProcessInfo.processInfo.environment["CORERECON_BINARY"] {
            return URL(fileURLWithPath: path)
        }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        // On macOS the tests run inside an .xctest bundle: climb out of it.
        while directory.pathExtension == "xctest" || directory.lastPathComponent == "Contents"
            || directory.lastPathComponent == "MacOS"
        {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent("corerecon")
    }

    /// A minimal, isolated environment: its own HOME and XDG directories, no color, nothing from the developer's
    /// shell that could change the result.
    public let environment: [String: String]
    public let home: TemporaryDirectory

    public init(environment extra: [String: String] = [:]) throws {
        home = try TemporaryDirectory()
        var environment = [
            "HOME": home.path,
            "XDG_DATA_HOME": home.path + "/data",
            "XDG_CONFIG_HOME": home.path + "/config",
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "USER": "analyst",
        ]
        environment.merge(extra) { $1 }
        self.environment = environment
    }

    /// Runs `corerecon ARGUMENTS` with `input` on stdin and waits for it to finish.
    public func run(_ arguments: [String], input: String? = nil, in directory: String? = nil) throws -> Result {
        try launch(Self.executable, arguments, input: input, in: directory)
    }

    /// Runs a shell script (an example) in the same isolated environment.
    public func runScript(_ path: String, _ arguments: [String] = [], input: String? = nil) throws -> Result {
        try launch(URL(fileURLWithPath: "/bin/bash"), [path] + arguments, input: input, in: nil)
    }

    /// Runs a Python script (a validator from PyPI, say) in the same isolated environment.
    public func runPython(_ script: String, arguments: [String] = []) throws -> Result {
        // Packages installed with `pip install --user` live under the real home, not the isolated one.
        let userBase = ProcessInfo.processInfo.environment["PYTHONUSERBASE"] ?? NSHomeDirectory() + "/.local"
        return try launch(
            URL(fileURLWithPath: "/usr/bin/env"), ["PYTHONUSERBASE=\(userBase)", "python3", "-c", script] + arguments,
            input: nil, in: nil)
    }

    private func launch(_ executable: URL, _ arguments: [String], input: String?, in directory: String?) throws
        -> Result
    {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: directory ?? home.path)
        // stderr goes to a file so a chatty process can never block on a full pipe while stdout is read.
        let errorPath = home.path + "/stderr-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        let stderr = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        defer { try? FileManager.default.removeItem(atPath: errorPath) }
        let started = ContinuousClock.now
        let (stdout, stdin) = try Self.spawn(process) { process in
            let stdout = Self.privatePipe()
            let stdin = Self.privatePipe()
            Self.keepPrivate(stderr.fileDescriptor)
            process.standardOutput = stdout
            process.standardError = stderr
            process.standardInput = stdin
            return (stdout, stdin)
        }
        // A command that never ends must fail its test, not hang the run: past the limit it is killed, and its
        // stderr says so.
        let limit = Self.commandTimeLimit
        let watch = Watch(pid: process.processIdentifier)
        DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(limit)) { watch.killIfRunning() }
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        let outputData = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        watch.finished()
        try stderr.close()
        var errorText = String(decoding: FileManager.default.contents(atPath: errorPath) ?? Data(), as: UTF8.self)
        if watch.wasKilled {
            errorText +=
                "\n[test harness] `\(([executable.lastPathComponent] + arguments).joined(separator: " "))` "
                + "was still running after \(limit) s and was killed\n"
        }
        return Result(
            exitCode: process.terminationStatus,
            stdout: String(decoding: outputData, as: UTF8.self),
            stderr: errorText,
            elapsed: ContinuousClock.now - started
        )
    }

    /// How long one command may run before the harness kills it (CORERECON_TEST_COMMAND_TIME_LIMIT seconds,
    /// default 300): far above any command's time in the suite, far below CI's limit.
    static let commandTimeLimit: Int =
        ProcessInfo.processInfo.environment["CORERECON_TEST_COMMAND_TIME_LIMIT"].flatMap(Int.init) ?? 300

    /// Kills a child that outlives its time limit, unless it has been waited for (and its pid may be reused).
    private final class Watch: @unchecked Sendable {
        private let lock = NSLock()
        private let pid: Int32
        private var done = false
        private var killed = false
        init(pid: Int32) { self.pid = pid }
        func finished() { lock.withLock { done = true } }
        func killIfRunning() {
            lock.withLock {
                guard !done else { return }
                killed = true
                kill(-pid, SIGKILL)  // its process group: a script's background jobs too
            }
        }
        var wasKilled: Bool { lock.withLock { killed } }
    }

    /// Starts `corerecon serve --port 0 ARGUMENTS` in this environment, waits (up to 30 s) for the address it
    /// logs, and returns the process, its port, its log (read all along, so a full pipe never blocks the server)
    /// and what it logged up to then.
    /// As root, `user` runs it as that user instead (for faults root is immune to, such as permissions).
    public func startServer(_ arguments: [String] = [], as user: String? = nil) throws -> (
        Process, Int, ServerLog, String
    ) {
        let process = Process()
        if let user {
            process.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
            process.arguments =
                ["-u", user, "--", "env"] + environment.map { "\($0.key)=\($0.value)" }
                + [Self.executable.path, "serve", "--port", "0"] + arguments
        } else {
            process.executableURL = Self.executable
            process.arguments = ["serve", "--port", "0"] + arguments
        }
        process.environment = environment
        let errors = try Self.spawn(process) { process in
            let errors = Self.privatePipe()
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            return errors
        }
        let log = ServerLog(errors)
        let deadline = Date() + 30
        while Date() < deadline {
            let text = log.text
            // The HTTP server's own line: syslog listeners log addresses of their own before it.
            if let range = text.range(of: #"listening on 127\.0\.0\.1:(\d+)"#, options: .regularExpression),
                let port = Int(text[range].split(separator: ":").last ?? "")
            {
                return (process, port, log, text)
            }
            if log.ended { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        process.terminate()
        throw CoreReconError.unavailable("serve did not start: \(log.text)")
    }

    public func remove() { home.remove() }

    /// Tests start processes from many threads at once. A pipe made for one child must not leak into another
    /// started at the same moment: a long-lived `serve` holding the write end of another command's stdout keeps
    /// that command's reader from ever seeing end of file (and a leaked stdin write end keeps `ingest -`
    /// waiting for input forever). So pipes are close-on-exec in this process (the child's own stdio is set by
    /// dup2, which clears the flag), and making them and spawning is one critical section.
    static let spawnLock = NSLock()

    ///
    /// A child also inherits the signal mask of the thread that spawns it, and the threads tests run on block
    /// most signals: a server started from one would ignore `terminate()` and leave its test waiting forever.
    /// So the spawning thread unblocks every signal for the moment of the spawn.
    public static func spawn<Handles>(_ process: Process, _ prepare: (Process) -> Handles) throws -> Handles {
        spawnLock.lock()
        defer { spawnLock.unlock() }
        var none = sigset_t()
        var previous = sigset_t()
        sigemptyset(&none)
        pthread_sigmask(SIG_SETMASK, &none, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        let handles = prepare(process)
        try process.run()
        return handles
    }

    public static func privatePipe() -> Pipe {
        let pipe = Pipe()
        keepPrivate(pipe.fileHandleForReading.fileDescriptor)
        keepPrivate(pipe.fileHandleForWriting.fileDescriptor)
        return pipe
    }

    static func keepPrivate(_ descriptor: Int32) {
        _ = fcntl(descriptor, F_SETFD, fcntl(descriptor, F_GETFD) | FD_CLOEXEC)
    }
}

/// Runs blocking `work` (a subprocess, a shell command) on a thread of its own, so that it cannot take one of the
/// few threads every test's tasks share: a test waiting on a process that waits on a server in this process
/// would otherwise starve that server.
public func offPool<Result: Sendable>(_ work: @escaping @Sendable () throws -> Result) async throws -> Result {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Swift.Result { try work() }) }
    }
}

/// What a server writes to stderr, read by a thread of its own from the start: a server whose log nobody reads
/// blocks on its next line once the pipe's 64 KB are full. Keeps the last megabyte.
public final class ServerLog: @unchecked Sendable {
    private let lock = NSLock()
    private var buffer: [UInt8] = []
    private var finished = false
    private let done = DispatchSemaphore(value: 0)
    private static let limit = 1 << 20

    init(_ pipe: Pipe) {
        let descriptor = pipe.fileHandleForReading.fileDescriptor
        Thread.detachNewThread { [self] in
            var chunk = [UInt8](repeating: 0, count: 16_384)
            while true {
                let count = read(descriptor, &chunk, chunk.count)
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { break }
                lock.withLock {
                    buffer.append(contentsOf: chunk[0..<count])
                    if buffer.count > Self.limit { buffer.removeFirst(buffer.count - Self.limit) }
                }
            }
            withExtendedLifetime(pipe) {}
            lock.withLock { finished = true }
            done.signal()
        }
    }

    /// Everything read so far.
    public var text: String { lock.withLock { String(decoding: buffer, as: UTF8.self) } }
    /// Whether the server closed its stderr (it exited).
    public var ended: Bool { lock.withLock { finished } }

    /// The whole log once the server has closed its stderr (waits up to `seconds`, then returns what it has).
    public func untilEnd(seconds: Double = 30) -> String {
        if done.wait(timeout: .now() + seconds) == .success { done.signal() }
        return text
    }
}
