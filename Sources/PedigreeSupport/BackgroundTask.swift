import Synchronization

/// Runs a throwing closure on a thread of its own and hands back its result on `wait()`.
/// Used to overlap independent blocking work (hashing a file while comparing it) without
/// pulling async/await through synchronous call chains. The thread is joined by `wait()`
/// (or when the task is dropped), so it never outlives the work it belongs to.
public final class BackgroundTask<Value: Sendable>: Sendable {
    private final class Slot: Sendable {
        let value = Mutex<Result<Value, any Error>?>(nil)
    }

    private let slot: Slot
    private let thread: JoinedThread?

    public init(_ body: @escaping @Sendable () throws -> Value) {
        let slot = Slot()
        self.slot = slot
        thread = JoinedThread { slot.value.withLock { $0 = Result { try body() } } }
        // No thread to be had: do the work now, on this one.
        if thread == nil { slot.value.withLock { $0 = Result { try body() } } }
    }

    public func wait() throws -> Value {
        thread?.join()
        guard let outcome = slot.value.withLock({ $0 }) else { preconditionFailure("BackgroundTask finished without a result") }
        return try outcome.get()
    }
}
