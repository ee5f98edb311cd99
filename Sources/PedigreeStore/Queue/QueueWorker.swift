import Foundation
import PedigreeSupport
import Synchronization

/// How a worker behaves.
public struct WorkerOptions: Sendable {
    /// Seconds a claim holds without renewal; renewed every third of that while working.
    public var leaseSeconds: Double = 60
    /// Seconds between looks at an empty queue.
    public var pollSeconds: Double = 2
    /// Stop once nothing is queued or running (for batch runs and tests).
    public var exitWhenEmpty = false
    /// Re-audit even when the key is stored.
    public var force = false
    /// This worker's name in `jobs.lease_owner`: host and process id.
    public var owner = "\(ProcessInfo.processInfo.hostName):\(getpid())"
    /// Test hook: seconds to wait after each claim, under the lease, before auditing, so a
    /// test can kill a worker while it certainly holds a job.
    public var holdAfterClaim: Double = 0

    public init() {}
}

/// What a worker did before it stopped.
public struct WorkerStats: Sendable, Equatable {
    public var audited = 0
    public var alreadyStored = 0
    public var failed = 0
    public var leasesLost = 0
}

/// One worker of a hub's fleet: claims a job, audits it through the same pipeline as
/// `scan`, and completes it with its result in one transaction, until stopped (or, with
/// `exitWhenEmpty`, until the queue holds nothing queued or running).
public struct QueueWorker: Sendable {
    public let context: AuditContext
    public let queue: PostgresResultStore
    public let options: WorkerOptions

    public init(context: AuditContext, queue: PostgresResultStore, options: WorkerOptions) {
        self.context = context
        self.queue = queue
        self.options = options
    }

    public func run(log: @Sendable (String) -> Void = { _ in }) throws -> WorkerStats {
        var stats = WorkerStats()
        let processor = CandidateProcessor(context: context, store: queue, force: options.force)
        while true {
            guard let job = try queue.claim(owner: options.owner, leaseSeconds: options.leaseSeconds) else {
                let counts = try queue.counts()
                // Running jobs may still come back (their worker may die), so a draining
                // worker waits for them rather than leaving them to nobody.
                if options.exitWhenEmpty, counts.queued == 0, counts.running == 0 { return stats }
                Thread.sleep(forTimeInterval: options.pollSeconds)
                continue
            }
            log("claimed job \(job.id) (attempt \(job.attempts)): \(job.path)")
            let renewal = LeaseRenewal(queue: queue, job: job, owner: options.owner, leaseSeconds: options.leaseSeconds)
            defer { renewal.stop() }
            if options.holdAfterClaim > 0 { Thread.sleep(forTimeInterval: options.holdAfterClaim) }
            do {
                let stamp = FileStamp.of(job.path)
                var outcomeStored = false
                let result: StoredResult
                if var stored = try processor.storedResult(for: job.path, stamp: stamp) {
                    stored.candidatePath = job.path
                    result = stored
                    outcomeStored = true
                } else {
                    result = try context.audit(candidate: job.path)
                }
                renewal.stop()
                if try queue.complete(job, owner: options.owner, result: result, stamp: stamp, replace: options.force) {
                    if outcomeStored { stats.alreadyStored += 1 } else { stats.audited += 1 }
                    log("done job \(job.id): \(result.verdict.rawValue.uppercased()) \(job.path)")
                } else {
                    stats.leasesLost += 1
                    log("lost the lease on job \(job.id); another worker completes it")
                }
            } catch let error as StoreError {
                throw error
            } catch {
                renewal.stop()
                let failure = CandidateProcessor.failure(error)
                if case let .failed(code, message) = failure {
                    try queue.fail(job, owner: options.owner, error: "\(message) [\(code)]")
                    log("failed job \(job.id): \(message) [\(code)]")
                }
                stats.failed += 1
            }
        }
    }
}

/// Renews a job's lease on a thread of its own while the audit runs, every third of the
/// lease, so a worker that is alive never loses its job and one that dies loses it within
/// one lease.
final class LeaseRenewal: Sendable {
    private let stopped = Mutex(false)
    private let wake = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)

    init(queue: PostgresResultStore, job: ClaimedJob, owner: String, leaseSeconds: Double) {
        let thread = Thread { [self] in
            while true {
                _ = wake.wait(timeout: .now() + leaseSeconds / 3)
                if stopped.withLock({ $0 }) { break }
                // A failed renewal is not fatal: completion checks the lease again.
                _ = try? queue.renew(job, owner: owner, leaseSeconds: leaseSeconds)
            }
            done.signal()
        }
        thread.start()
    }

    func stop() {
        let first = stopped.withLock { s -> Bool in
            defer { s = true }
            return !s
        }
        guard first else { return }
        wake.signal()
        done.wait()
    }
}

extension QueueWorker {
    /// Runs `jobs` workers in this process, each on a thread of its own and claiming under
    /// its own lease owner (`owner/1`, `owner/2`, …), and returns their stats summed. The
    /// first store error stops the others at their next claim.
    public static func run(context: AuditContext, queue: PostgresResultStore, options: WorkerOptions, jobs: Int,
                           log: @escaping @Sendable (String) -> Void = { _ in }) throws -> WorkerStats {
        guard jobs > 1 else { return try QueueWorker(context: context, queue: queue, options: options).run(log: log) }
        let outcomes = Mutex<[Result<WorkerStats, any Error>]>([])
        let threads = (1 ... jobs).compactMap { index -> JoinedThread? in
            var own = options
            own.owner = "\(options.owner)/\(index)"
            let worker = QueueWorker(context: context, queue: queue, options: own)
            return JoinedThread {
                let outcome = Result { try worker.run(log: { log("[\(index)] " + $0) }) }
                outcomes.withLock { $0.append(outcome) }
            }
        }
        if threads.isEmpty { return try QueueWorker(context: context, queue: queue, options: options).run(log: log) }
        threads.forEach { $0.join() }
        var total = WorkerStats()
        for outcome in outcomes.withLock({ $0 }) {
            let stats = try outcome.get()
            total.audited += stats.audited
            total.alreadyStored += stats.alreadyStored
            total.failed += stats.failed
            total.leasesLost += stats.leasesLost
        }
        return total
    }
}
