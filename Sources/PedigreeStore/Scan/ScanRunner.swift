import Foundation
import PedigreeSupport
import Synchronization

/// One candidate's line in the summary.
public struct ScanEntry: Sendable {
    public let path: String
    public let bytes: Int64
    public let outcome: CandidateOutcome
}

/// What a scan did, in candidate order.
public struct ScanSummary: Sendable {
    public let store: String
    public let entries: [ScanEntry]
    public let seconds: Double
    /// Candidates audited at once.
    public var jobs: Int = 1

    public var audited: Int { entries.filter { if case .audited = $0.outcome { true } else { false } }.count }
    public var alreadyStored: Int { entries.filter { if case .stored = $0.outcome { true } else { false } }.count }
    public var failed: Int { entries.filter { $0.outcome.result == nil }.count }

    /// Whether any audited file's verdict was a fail.
    public var anyFailed: Bool { entries.contains { $0.outcome.result?.verdict == .fail } }
}

/// Audits many candidates, `jobs` at a time, each on its own thread with its share of the
/// cores. Every result is committed as soon as it exists, so a scan killed at any moment
/// loses at most the audits in flight, and the next scan skips everything committed.
public struct ScanRunner: Sendable {
    public let processor: CandidateProcessor
    public let jobs: Int

    public init(processor: CandidateProcessor, jobs: Int) {
        self.processor = processor
        self.jobs = max(1, jobs)
    }

    public func run(_ paths: [String], progress: any ProgressSink = SilentProgress()) -> ScanSummary {
        let started = Date()
        let sizes = paths.map { FileStamp.of($0)?.size ?? 0 }
        progress.begin(label: "scanning", totalItems: paths.count, totalBytes: sizes.reduce(0, +))
        let shared = SharedProgress(count: paths.count)
        let processor = self.processor
        let work: @Sendable () -> Void = {
            while true {
                let index = shared.next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < paths.count else { break }
                let outcome = processor.process(paths[index])
                shared.outcomes.withLock { $0[index] = outcome }
                progress.advance(items: 1, bytes: sizes[index])
            }
        }
        // Threads of their own, not the cooperative pool: each audit blocks on disk and on
        // its own engine threads for seconds at a time. Joined before the summary is made,
        // so none is still exiting while the store closes and the process ends.
        let running = min(jobs, max(paths.count, 1))
        let threads = (0 ..< running).compactMap { _ in JoinedThread(work) }
        if threads.isEmpty { work() }  // no thread to be had: audit on this one
        threads.forEach { $0.join() }
        progress.finish()
        let collected = shared.outcomes.withLock { $0 }
        let entries = paths.indices.map { i in
            ScanEntry(path: paths[i], bytes: sizes[i], outcome: collected[i] ?? .failed(code: "INTERNAL", message: "not processed"))
        }
        return ScanSummary(store: processor.store.location, entries: entries, seconds: Date().timeIntervalSince(started), jobs: max(1, threads.count))
    }
}

/// The scan threads' shared state: the next candidate to take and the outcomes so far.
private final class SharedProgress: Sendable {
    let next = Atomic<Int>(0)
    let outcomes: Mutex<[CandidateOutcome?]>

    init(count: Int) { outcomes = Mutex(Array(repeating: nil, count: count)) }
}
