import Synchronization

/// A tiny mutual-exclusion lock for state shared between worker threads.
/// Wraps `Synchronization.Mutex` so call sites read `lock.locked { … }`.
public final class NSLockLike: Sendable {
    private let mutex = Mutex(())
    public init() {}
    public func locked<T>(_ body: () throws -> T) rethrows -> T {
        try mutex.withLock { _ in try body() }
    }
}
