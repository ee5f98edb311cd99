import CPedigreeKernels

/// Per tensor: where the candidate is bit-for-bit equal to each reference, and the Gram
/// matrix of every file's difference from that reference over those elements.
///
/// Why: TIES and DARE merges leave most weights exactly equal to the base they were merged
/// onto, so a projection over the whole tensor dilutes the change they carry. The Gram over
/// the *changed* support is the whole difference Gram minus this "equal" part, so the
/// attribution can be re-solved on the support alone without a second pass.
public struct SupportStatistics: Sendable, Equatable {
    /// Elements compared (rows × compared columns).
    public var elements: Int
    /// By file index (0, the candidate, is always 0): elements where the candidate equals it.
    public var equalCounts: [Int]
    /// By file index: Σ over equal elements of (x_f − x_base)(x_g − x_base), indexed by
    /// `PairIndex`; empty where the candidate never equals that file.
    public var equalGram: [[Double]]

    public init(files: Int) {
        elements = 0
        equalCounts = Array(repeating: 0, count: files)
        equalGram = Array(repeating: [], count: files)
    }
}

/// Accumulates `SupportStatistics` chunk by chunk inside a worker. Never shared.
final class SupportAccumulator {
    let files: Int
    let pairs: Int
    private(set) var statistics: SupportStatistics
    private var scratch: [Double]

    init(files: Int) {
        self.files = files
        pairs = files * (files + 1) / 2
        statistics = SupportStatistics(files: files)
        scratch = Array(repeating: 0, count: pairs)
    }

    /// About 256 probes per chunk.
    static func probeStride(_ count: Int) -> Int { max(1, count / 256) }
    static let minimumProbeHits = 4

    func reset() { statistics = SupportStatistics(files: files) }

    /// `buffers[f]` holds `count` floats of file f for the same elements.
    func add(_ buffers: UnsafeBufferPointer<UnsafePointer<Float>?>, count: Int) {
        precondition(buffers.count == files && files <= Int(PK_MAX_FILES) && count >= 0, "one buffer per file, at most PK_MAX_FILES")
        precondition(scratch.count >= pairs, "pair accumulators for \(files) files")
        statistics.elements += count
        guard files > 1, let candidate = buffers[0] else { return }
        for base in 1 ..< files {
            guard let reference = buffers[base] else { continue }
            // A strided probe first (~256 elements): a fine-tune or a dense merge has almost no
            // equal element, and then the chunk costs ~256 comparisons. Rounded models agree
            // by chance on 0.1–0.5% of elements, so it takes `minimumProbeHits` to go on; a
            // sparsified chunk (≥ 5% equal, what the support estimate needs) has ≥ 13 expected
            // hits and is missed with odds under 1 in 500. Tensors smaller than 256 elements
            // are probed whole.
            // SAFETY: both buffers hold `count` floats (the worker's chunk for this tensor).
            let stride = Self.probeStride(count)
            let probes = (count + stride - 1) / stride
            guard pk_count_equal_strided(candidate, reference, count, stride) >= min(Self.minimumProbeHits, probes) else { continue }
            for p in 0 ..< pairs { scratch[p] = 0 }
            let equal = scratch.withUnsafeMutableBufferPointer { acc in
                // SAFETY: every buffer holds `count` floats; `acc` holds pairs(files) doubles.
                pk_equal_difference_gram(buffers.baseAddress, Int32(files), count, Int32(base), acc.baseAddress)
            }
            guard equal > 0 else { continue }
            statistics.equalCounts[base] += equal
            if statistics.equalGram[base].isEmpty { statistics.equalGram[base] = Array(repeating: 0, count: pairs) }
            for p in 0 ..< pairs { statistics.equalGram[base][p] += scratch[p] }
        }
    }
}
