import Dispatch
import PedigreeSupport
import Synchronization

/// Produces chunk k into a buffer; returns the number of bytes written. One per thread.
protocol ChunkProducer: AnyObject, Sendable {
    func produce(chunk: Int, into slot: UnsafeMutableRawBufferPointer) -> Int
}

/// Runs producers on worker threads and hands their chunks to `consume` in order on the
/// calling thread: while chunk k is being written, the next chunks are being generated.
///
/// Worker w makes chunks w, w + W, w + 2W, …; chunk k lives in slot k mod R of a ring of
/// R = 4W buffers. Slot tokens (`free`) and ready signals (`filled`) pass each buffer back
/// and forth, so memory stays at R buffers whatever the model size, and no buffer is ever
/// touched by two threads at once.
enum ChunkPipeline {
    static func run(chunkCount: Int, producers: [any ChunkProducer], slotBytes: Int,
                    consume: (Int, UnsafeRawBufferPointer) throws -> Void) throws {
        let workers = max(producers.count, 1)
        let slotCount = 4 * workers
        let ring = BufferRing(count: slotCount, byteCount: slotBytes)
        let free = (0 ..< slotCount).map { _ in DispatchSemaphore(value: 1) }
        let filled = (0 ..< slotCount).map { _ in DispatchSemaphore(value: 0) }
        let lengths = SlotLengths(count: slotCount)
        let cancelled = CancelFlag()
        let group = DispatchGroup()
        defer {
            group.wait()
            ring.deallocate()
        }

        for (w, producer) in producers.enumerated() {
            DispatchQueue.global(qos: .userInitiated).async(group: group) {
                for chunk in stride(from: w, to: chunkCount, by: workers) {
                    let slot = chunk % slotCount
                    free[slot].wait()
                    // After a failure, pass empty chunks along so the consumer drains quickly.
                    lengths.set(slot, cancelled.isSet ? 0 : producer.produce(chunk: chunk, into: ring[slot]))
                    filled[slot].signal()
                }
            }
        }

        var failure: (any Error)?
        for chunk in 0 ..< chunkCount {
            let slot = chunk % slotCount
            filled[slot].wait()
            if failure == nil {
                do {
                    try consume(chunk, UnsafeRawBufferPointer(rebasing: ring[slot][0 ..< lengths.get(slot)]))
                } catch {
                    failure = error
                    cancelled.set()
                }
            }
            free[slot].signal()
        }
        if let failure { throw failure }
    }
}

/// Per-slot byte counts, written by the producing worker before `filled.signal()` and read
/// by the consumer after `filled.wait()`; the mutex makes that hand-over explicit.
private final class SlotLengths: Sendable {
    private let values: Mutex<[Int]>
    init(count: Int) { values = Mutex([Int](repeating: 0, count: count)) }
    func set(_ slot: Int, _ value: Int) { values.withLock { $0[slot] = value } }
    func get(_ slot: Int) -> Int { values.withLock { $0[slot] } }
}

private final class CancelFlag: Sendable {
    private let flag = Atomic(false)
    var isSet: Bool { flag.load(ordering: .relaxed) }
    func set() { flag.store(true, ordering: .relaxed) }
}
