import Dispatch

/// Runs async database work from the synchronous scan and worker loops, which run on
/// ordinary threads (never on Swift's cooperative pool, which the wait would starve).
///
/// SAFETY: `@unchecked Sendable` because `value` is written once by the task before the
/// semaphore is signalled and read only after the wait returns.
private final class Outcome<T>: @unchecked Sendable {
    var value: Result<T, any Error>?
}

func blocking<T>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let outcome = Outcome<T>()
    let done = DispatchSemaphore(value: 0)
    Task.detached {
        do { outcome.value = .success(try await body()) } catch { outcome.value = .failure(error) }
        done.signal()
    }
    done.wait()
    return try outcome.value!.get()
}
