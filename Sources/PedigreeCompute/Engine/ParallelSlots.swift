import Dispatch
import Synchronization

/// Per-item work shared by `workers` threads, each with its own `ScratchSpace`: item i's
/// result lands in slot i, so the results (and any sums over them) come in the same order
/// whatever the threads did. The first error stops the other threads' next items and is
/// rethrown. Used by the spectral passes; the one-pass engine keeps its own loop because
/// it owns per-worker buffers beyond the scratch space.
enum ParallelSlots {
    static func map<T: Sendable>(count: Int, workers: Int, _ body: @Sendable (Int, ScratchSpace) throws -> T?) throws -> [T?] {
        let results = Mutex<[T?]>(Array(repeating: nil, count: count))
        let failure = Mutex<(any Error)?>(nil)
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: max(1, workers)) { _ in
            let scratch = ScratchSpace()
            while failure.withLock({ $0 == nil }) {
                let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < count else { break }
                do {
                    let value = try body(index, scratch)
                    results.withLock { $0[index] = value }
                } catch {
                    failure.withLock { if $0 == nil { $0 = error } }
                }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        return results.withLock { $0 }
    }
}
