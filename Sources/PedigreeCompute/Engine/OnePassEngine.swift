import CPedigreeKernels
import Dispatch
import PedigreeFormat
import PedigreeSupport
import Synchronization

/// Reads every planned tensor of every file exactly once, in bounded memory, on all cores,
/// and accumulates the per-column Gram matrix of all files together.
///
/// Memory: each worker holds, per file, one chunk of raw bytes and its Float32 copy
/// (`chunkElements` each, sized to stay in L2 cache) plus one tensor's accumulators;
/// nothing scales with the model's size.
public struct OnePassEngine: Sendable {
    public var workers: Int
    /// Elements per file per chunk; 64 Ki floats = 256 KB per file keeps a 4-file chunk in L2.
    public var chunkElements: Int
    /// Whether to gather `SupportStatistics` (where the candidate equals each reference),
    /// which attribution needs and nothing else does.
    public var measuresSupport: Bool

    public init(workers: Int = max(1, System.availableCores), chunkElements: Int = 1 << 16, measuresSupport: Bool = true) {
        self.workers = workers
        self.chunkElements = chunkElements
        self.measuresSupport = measuresSupport
    }

    public func run(
        sources: [any TensorSource], tensors: [PlannedTensor], columnSamples: [String: [Int]] = [:],
        progress: any ProgressSink
    ) throws -> [TensorStatistics] {
        let pairs = PairIndex(files: sources.count)
        let results = Mutex<[TensorStatistics?]>(Array(repeating: nil, count: tensors.count))
        let failure = Mutex<(any Error)?>(nil)
        let next = Atomic<Int>(0)
        let totalBytes = tensors.reduce(Int64(0)) { total, t in
            total + sources.reduce(Int64(0)) { $0 + Int64($1.bytesPerRow(of: t.name) * t.rows) }
        }
        progress.begin(label: "comparing", totalItems: tensors.count, totalBytes: totalBytes)
        defer { progress.finish() }

        DispatchQueue.concurrentPerform(iterations: max(1, workers)) { _ in
            let worker = Worker(files: sources.count, chunkElements: chunkElements, measuresSupport: measuresSupport)
            while failure.withLock({ $0 == nil }) {
                let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < tensors.count else { break }
                let tensor = tensors[index]
                do {
                    let stats = try worker.process(tensor, sources: sources, columns: columnSamples[tensor.name], pairs: pairs, progress: progress)
                    results.withLock { $0[index] = stats }
                } catch {
                    failure.withLock { if $0 == nil { $0 = error } }
                }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        return results.withLock { $0.compactMap { $0 } }
    }
}

/// One worker's buffers and the per-tensor loop. Never shared between threads.
private final class Worker {
    let files: Int
    let chunkElements: Int
    let scratch = ScratchSpace()
    let support: SupportAccumulator?
    var rowBuffers: [UnsafeMutableBufferPointer<Float>] = []
    var rowCapacity = 0
    var accumulators = UnsafeMutableBufferPointer<Double>.allocate(capacity: 1)

    init(files: Int, chunkElements: Int, measuresSupport: Bool) {
        // The Gram kernel does nothing past PK_MAX_FILES files; the comparison refuses more
        // first (ComputeError.tooManyFiles), so reaching here with more is a program error.
        precondition(files >= 1 && files <= Comparison.maxFiles, "\(files) files; the kernels take 1 ... \(Comparison.maxFiles)")
        self.files = files
        self.chunkElements = chunkElements
        support = measuresSupport ? SupportAccumulator(files: files) : nil
    }

    deinit {
        rowBuffers.forEach { $0.deallocate() }
        accumulators.deallocate()
    }

    func process(_ tensor: PlannedTensor, sources: [any TensorSource], columns: [Int]?, pairs: PairIndex, progress: any ProgressSink) throws -> TensorStatistics {
        let compared = columns?.count ?? tensor.columns
        // No rows, no bytes: every accumulator would stay 0, so the figures are known without
        // buffers, which would otherwise be sized by a column count the header declares freely.
        if tensor.rows == 0 {
            support?.reset()
            var stats = TensorStatistics.withoutRows(tensor: tensor, pairs: pairs, columns: compared, keepMoments: columns != nil)
            stats.support = support?.statistics
            progress.advance(items: 1, bytes: 0)
            return stats
        }
        let rowsPerChunk = max(1, chunkElements / max(tensor.columns, 1))
        ensureRowBuffers(elements: rowsPerChunk * compared)
        ensureAccumulators(pairs.count * compared)
        let accumulated = UnsafeMutableBufferPointer(rebasing: accumulators[0 ..< pairs.count * compared])
        accumulated.initialize(repeating: 0)
        support?.reset()

        var start = 0
        while start < tensor.rows {
            let end = min(tensor.rows, start + rowsPerChunk)
            var bytes = 0
            let chunk = (end - start) * compared
            for (f, source) in sources.enumerated() {
                // SAFETY: chunk <= rowCapacity (ensureRowBuffers), so the slice is inside the buffer.
                let rows = UnsafeMutableBufferPointer(rebasing: rowBuffers[f][0 ..< chunk])
                try source.readRows(tensor.name, rows: start ..< end, columns: columns, into: rows, scratch: scratch)
                bytes += source.bytesPerRow(of: tensor.name) * (end - start)
            }
            let pointers: [UnsafePointer<Float>?] = rowBuffers.map { $0.baseAddress.map { UnsafePointer($0) } }
            precondition(pointers.count == files && files <= Comparison.maxFiles && accumulated.count == pairs.count * compared)
            pointers.withUnsafeBufferPointer { rebound in
                // SAFETY: `files` pointers (<= PK_MAX_FILES, checked), each to at least chunk =
                // (end - start) × compared floats written just above; `accumulated` holds
                // pairs.count × compared doubles, pairs.count = PK_PAIR_COUNT(files).
                pk_gram_columns(rebound.baseAddress, Int32(files), end - start, compared, accumulated.baseAddress)
                support?.add(rebound, count: chunk)
            }
            progress.advance(items: 0, bytes: Int64(bytes))
            start = end
        }
        progress.advance(items: 1, bytes: 0)
        var stats = TensorStatistics.reduce(tensor: tensor, pairs: pairs, columns: compared, accumulators: UnsafeBufferPointer(accumulated), keepMoments: columns != nil)
        stats.support = support?.statistics
        return stats
    }

    private func ensureRowBuffers(elements: Int) {
        guard elements > rowCapacity || rowBuffers.isEmpty else { return }
        rowBuffers.forEach { $0.deallocate() }
        rowCapacity = max(elements, 1)
        rowBuffers = (0 ..< files).map { _ in UnsafeMutableBufferPointer<Float>.allocate(capacity: rowCapacity) }
    }

    private func ensureAccumulators(_ count: Int) {
        guard count > accumulators.count else { return }
        accumulators.deallocate()
        accumulators = UnsafeMutableBufferPointer<Double>.allocate(capacity: count)
    }
}
