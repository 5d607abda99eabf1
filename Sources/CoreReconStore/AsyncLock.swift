import Synchronization

/// A first-come-first-served lock for async code: waiters suspend instead of blocking a thread.
final class AsyncLock: Sendable {
    private struct State {
        var isLocked = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    func withLock<Result: Sendable>(_ body: () async throws -> Result) async throws -> Result {
        await lock()
        defer { unlock() }
        return try await body()
    }

    private func lock() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let acquired = state.withLock { state in
                if state.isLocked {
                    state.waiters.append(continuation)
                    return false
                }
                state.isLocked = true
                return true
            }
            if acquired { continuation.resume() }
        }
    }

    private func unlock() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.waiters.isEmpty else {
                state.isLocked = false
                return nil
            }
            // Ownership passes straight to the next waiter; the lock stays taken.
            return state.waiters.removeFirst()
        }
        next?.resume()
    }
}

/// An ``AsyncLock`` for other modules (the server's evidence uploads): one body at a time, first come first served.
///
/// A wrapper rather than a public ``AsyncLock``: with `withLock` public, Swift 6.3.1's debug build of the tests
/// crashed in `Database.withConnection` (a bad pointer at 0x88) on every run.
public final class AsyncGate: Sendable {
    private let lock = AsyncLock()

    public init() {}

    public func run<Result: Sendable>(_ body: () async throws -> Result) async throws -> Result {
        try await lock.withLock(body)
    }
}
