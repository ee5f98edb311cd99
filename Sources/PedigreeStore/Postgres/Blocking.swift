import Foundation

/// Runs async database work from the synchronous scan and worker loops, and from any other
/// synchronous caller.
///
/// The work runs on `StoreExecutor.shared`, a thread of its own, never on Swift's cooperative
/// pool: a caller that blocks a pool thread here (a test body does) would otherwise wait for
/// work queued behind itself, and with every pool thread waiting (two, on a 2-core machine)
/// nothing runs again.
///
/// SAFETY: `@unchecked Sendable` because `value` is written once by the task before the
/// semaphore is signalled and read only after the wait returns.
private final class Outcome<T>: @unchecked Sendable {
    var value: Result<T, any Error>?
}

func blocking<T>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let outcome = Outcome<T>()
    let done = DispatchSemaphore(value: 0)
    Task.detached(executorPreference: StoreExecutor.shared) {
        do { outcome.value = .success(try await body()) } catch { outcome.value = .failure(error) }
        done.signal()
    }
    done.wait()
    return try outcome.value!.get()
}

/// One dedicated thread that runs the store's async tasks (the PostgreSQL client's run loop
/// and every `blocking` call) in the order they become ready. Database work is a few small
/// statements per audit, so one thread is never the bottleneck; network I/O itself happens
/// on NIO's event-loop threads.
///
/// SAFETY: `@unchecked Sendable` because `jobs` is only touched under `condition`.
final class StoreExecutor: TaskExecutor, @unchecked Sendable {
    static let shared = StoreExecutor()

    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []

    private init() {
        let thread = Thread { [self] in runJobs() }
        thread.name = "pedigree-store"
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func runJobs() -> Never {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let ready = jobs
            jobs.removeAll(keepingCapacity: true)
            condition.unlock()
            for job in ready { job.runSynchronously(on: asUnownedTaskExecutor()) }
        }
    }
}
