import Dispatch
import Synchronization

/// Lets the first of several concurrent streams wait (up to 10 s) until a second one has
/// started, so two streams that can run together are certainly seen together by a
/// `StreamGauge`: concurrency tests count streams in flight rather than time anything.
public final class Rendezvous: Sendable {
    private let entered = Mutex(0)
    private let second = DispatchSemaphore(value: 0)

    public init() {}

    /// Called as each stream starts.
    public func arrive() {
        let order = entered.withLock { $0 += 1; return $0 }
        if order == 1 { _ = second.wait(timeout: .now() + 10) } else if order == 2 { second.signal() }
    }
}
