import Foundation

/// Runs a throwing closure on a thread of its own and hands back its result on `wait()`.
/// Used to overlap independent blocking work (hashing a file while comparing it) without
/// pulling async/await through synchronous call chains.
public final class BackgroundTask<Value: Sendable>: @unchecked Sendable {
    // SAFETY: `result` is written once by the worker thread before it signals `done`, and
    // read only after `wait()` has received that signal.
    private var result: Result<Value, any Error>?
    private let done = DispatchSemaphore(value: 0)

    public init(_ body: @escaping @Sendable () throws -> Value) {
        let thread = Thread { [self] in
            result = Result { try body() }
            done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    public func wait() throws -> Value {
        done.wait()
        done.signal()  // let a second wait() return too
        guard let result else { preconditionFailure("BackgroundTask finished without a result") }
        return try result.get()
    }
}
