import CPedigreeKernels
import Dispatch
import PedigreeFormat
import PedigreeSupport
import Synchronization

/// The spectral view of one reference pair's change (issue 12): for each 2-D tensor, the
/// top singular subspace of Δ = D − A (kohya's reshape: a convolution is out × in·kh·kw)
/// and the candidate's change c = C − A measured against it.
///
/// Why: the seed article (README, "Method") hides a lineage by extracting a rank-k LoRA of NoobAI's change and
/// merging it at strength −1. That removes the top of Δ's spectrum and leaves the rest, so
/// the whole-change share ⟨c, Δ⟩/‖Δ‖² falls while the share beyond rank k,
/// ρ_k = (⟨c, Δ⟩ − ⟨c, L_k⟩) / (‖Δ‖² − ‖L_k‖²) with L_k = U_k Σ_k V_kᵀ, stays what the
/// candidate really carries. ⟨c, L_k⟩ = Σ σ_t u_tᵀ c v_t is computed exactly (k·rows·cols
/// per tensor) from the whole tensors, so the pass needs checkpoints, not fingerprints.
public struct SpectralPass: Sendable {
    /// The probed ranks at full width; at reduced widths each is scaled (see `scaledRank`).
    public static let ranks = [64, 128, 256]
    /// Tensors larger than this (elements) are not decomposed: the token embeddings, which a
    /// LoRA does not touch either. They count in ⟨c, Δ⟩ and ‖Δ‖² with L_k = 0.
    public static let maxElements = 1 << 25
    /// The default limit on new spectral-basis work per pair, in floating-point operations.
    /// A full-size SDXL pair (~2.2·10¹³ by `estimatedCost`) fits: its basis and sample take
    /// about 110 s on this project's 2-core AVX-512 machine (Scripts/bench-spectral.sh 1),
    /// once, and are cached, so a default audit looks for un-merges at every SDXL size. A
    /// larger architecture, or a machine much slower, is skipped unless `--spectral` asks.
    public static let defaultBudget = 3e13

    /// Past this much work for the exact ⟨c, L_k⟩ of a pair (`projectionCost`), an audit
    /// against checkpoints reads the pair's spectral sample instead of whole tensors: at
    /// full size the exact terms cost ~2·10¹² operations and three more reads of whole
    /// files per pair, against the sampled rows' ~1/128 of one file. Width ÷4 files
    /// (~3·10¹⁰ a pair) stay exact; half and full size are sampled, with the row
    /// sampling's noise inside the jackknife interval as against fingerprints.
    public static let exactProjectionLimit = 5e10

    public var workers: Int
    public init(workers: Int) { self.workers = max(1, workers) }

    /// One tensor's terms: ⟨c, Δ⟩, ‖Δ‖², and per probed rank ⟨c, L_k⟩ and ‖L_k‖².
    public struct Terms: Sendable, Equatable {
        public var block: String
        public var cd: Double
        public var dd: Double
        public var cl: [Double]
        public var ll: [Double]
        /// The exact-axis terms (`CopiedStructure`): with m_t = u_tᵀ c v_t the candidate's
        /// coordinate on the change's t-th singular pair, (m_0 − m_1)(σ_0 − σ_1) and
        /// (σ_0 − σ_1)². Both 0 where not measured (sampled rows carry no singular pairs).
        public var exactNum: Double = 0
        public var exactDen: Double = 0
        /// The variance the slope (m_0 − m_1)/(σ_0 − σ_1) would have from the candidate's
        /// change alone if it were unrelated to the pair's axes: 2‖c‖²/(rows·cols)/(σ_0 − σ_1)²
        /// (a unit singular pair picks up ‖c‖²/(rows·cols) of an unrelated change's energy).
        public var exactNoise: Double = 0
    }

    /// The width divisor of a (synthetic, reduced) SDXL file from its shapes: the most common
    /// ratio of a full SDXL width (a multiple of 64) to the file's; 1 for a full-size file.
    public static func widthDivisor(shapes: [String: [Int]]) -> Int {
        var counts: [Int: Int] = [:]
        for (name, shape) in shapes {
            guard let full = SDXLLayout.shapeByName[name], full.count == shape.count else { continue }
            for (f, s) in zip(full, shape) where f >= 64 && f % 64 == 0 && s > 0 && f % s == 0 {
                counts[f / s, default: 0] += 1
            }
        }
        return counts.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key ?? 1
    }

    /// A full-width rank at width divisor N: max(1, round(k / N)) (the rank keeps its share
    /// of the width, as the synth's un-merge scales it), at most the tensor's smaller side.
    public static func scaledRank(_ rank: Int, divisor: Int, rows: Int, cols: Int) -> Int {
        max(0, min(rows, cols, max(1, Int((Double(rank) / Double(max(divisor, 1))).rounded()))))
    }

    /// Floating-point operations the randomized SVD of one tensor's change costs (range
    /// finder, power iterations, projection, ⟨c, L_k⟩), or 0 when it is not decomposed.
    public static func estimatedCost(_ tensor: PlannedTensor, divisor: Int) -> Double {
        let (rows, cols) = (tensor.rows, tensor.columns)
        guard let top = decomposedRank(tensor, divisor: divisor) else { return 0 }
        // The kernel rounds the test vectors up to a multiple of 16 (its register tiles).
        let l = Double(min((top + SpectralBasis.oversample + 15) / 16 * 16, min(rows, cols)))
        let passes = Double(3 + 2 * SpectralBasis.powerIterations)
        let elements = Double(rows) * Double(cols)
        // Products with the matrix, orthonormalisations of the tall factors, then ⟨c, L_k⟩.
        return 2 * elements * l * passes + 4 * Double(rows + cols) * l * l * passes + 2 * elements * Double(top)
    }

    /// Floating-point operations of the exact ⟨c, L_k⟩ over a pair's tensors (k·rows·cols
    /// multiply-adds for each decomposed tensor).
    public static func projectionCost(_ tensors: [PlannedTensor], divisor: Int) -> Double {
        tensors.reduce(0) { total, tensor in
            guard let top = decomposedRank(tensor, divisor: divisor) else { return total }
            return total + 2 * Double(tensor.rows) * Double(tensor.columns) * Double(top)
        }
    }

    /// The deepest probed rank a tensor's change is decomposed to, or nil when it is not
    /// decomposed at all (not a matrix, the VAE, empty, larger than `maxElements`, or no
    /// probed rank fits): the one rule the costs, the bases and the sample sizes follow.
    static func decomposedRank(_ tensor: PlannedTensor, divisor: Int) -> Int? {
        let (rows, cols) = (tensor.rows, tensor.columns)
        guard tensor.shape.count >= 2, tensor.component != .vae, rows > 0, cols > 0, rows * cols <= maxElements else { return nil }
        let top = ranks.map { scaledRank($0, divisor: divisor, rows: rows, cols: cols) }.max() ?? 0
        return top > 0 ? top : nil
    }

    /// Measures every 2-D tensor of `tensors` (files: candidate, descendant, ancestor).
    /// `cached` bases are used where their geometry and rank match; the bases computed
    /// afresh are returned for the cache when `keep` is set.
    public func measure(candidate: any TensorSource, descendant: any TensorSource, ancestor: any TensorSource,
                        tensors: [PlannedTensor], divisor: Int, cached: [String: SpectralBasis.Stored] = [:],
                        keep: Bool = false) throws -> (terms: [Terms], computed: [String: SpectralBasis.Stored]) {
        let eligible = tensors.filter { $0.shape.count >= 2 && $0.component != .vae && $0.rows > 0 && $0.columns > 0 }
        let computed = Mutex<[String: SpectralBasis.Stored]>([:])
        let terms = try ParallelSlots.map(count: eligible.count, workers: workers) { index, scratch -> Terms? in
            let tensor = eligible[index]
            let (terms, fresh) = try Self.measure(tensor, files: [candidate, descendant, ancestor], divisor: divisor,
                                                  cached: cached[tensor.name], scratch: scratch)
            if keep, let fresh { computed.withLock { $0[tensor.name] = fresh } }
            return terms
        }
        return (terms.compactMap { $0 }, computed.withLock { $0 })
    }

    /// One tensor's terms, and its basis when it was computed here (not taken from `cached`).
    static func measure(_ tensor: PlannedTensor, files: [any TensorSource], divisor: Int, cached: SpectralBasis.Stored?,
                        scratch: ScratchSpace) throws -> (Terms, SpectralBasis.Stored?) {
        let (rows, cols) = (tensor.rows, tensor.columns)
        let count = rows * cols
        var terms = Terms(block: tensor.block, cd: 0, dd: 0, cl: Self.ranks.map { _ in 0 }, ll: Self.ranks.map { _ in 0 })
        var cc = 0.0
        let c = UnsafeMutablePointer<Float>.allocate(capacity: count)
        let d = UnsafeMutablePointer<Float>.allocate(capacity: count)
        let a = UnsafeMutablePointer<Float>.allocate(capacity: count)
        defer { c.deallocate(); d.deallocate(); a.deallocate() }
        // Whole tensors in bounded row blocks (the sources read any row range).
        let blockRows = max(1, (1 << 20) / cols)
        var start = 0
        while start < rows {
            let range = start ..< min(rows, start + blockRows)
            // SAFETY: each block holds count = rows × cols floats and `range` lies in 0 ..< rows,
            // so these row slices are inside it; readRows checks each slice's count.
            for (file, block) in zip(files, [c, d, a]) {
                try file.readRows(tensor.name, rows: range, columns: nil, into: rowSlice(block, range, cols), scratch: scratch)
            }
            start = range.upperBound
        }
        for i in 0 ..< count {
            let delta = d[i] - a[i], change = c[i] - a[i]
            // A non-finite weight contributes nothing (the engine's statistics report it).
            guard delta.isFinite, change.isFinite else { d[i] = 0; c[i] = 0; continue }
            d[i] = delta
            c[i] = change
            terms.cd += Double(change) * Double(delta)
            terms.dd += Double(delta) * Double(delta)
            cc += Double(change) * Double(change)
        }
        let ks = Self.ranks.map { Self.scaledRank($0, divisor: divisor, rows: rows, cols: cols) }
        let (found, fresh) = Self.basis(of: tensor, delta: UnsafeBufferPointer(start: d, count: count), divisor: divisor, cached: cached)
        guard let basis = found else { return (terms, nil) }
        var partial = [Double](repeating: 0, count: basis.rank)
        basis.u.withUnsafeBufferPointer { u in
            basis.s.withUnsafeBufferPointer { s in
                basis.v.withUnsafeBufferPointer { v in
                    partial.withUnsafeMutableBufferPointer { p in
                        // SAFETY: c holds rows·cols floats (allocated above); u rows·rank, s rank,
                        // v cols·rank (as SpectralBasis.compute wrote them, checked here); p rank doubles.
                        precondition(u.count >= rows * basis.rank && s.count >= basis.rank && v.count >= cols * basis.rank && p.count >= basis.rank)
                        _ = pk_lowrank_inner(c, rows, cols, u.baseAddress, s.baseAddress, v.baseAddress, basis.rank, p.baseAddress)
                    }
                }
            }
        }
        var energy = 0.0
        var cumulative = [Double](repeating: 0, count: basis.rank)
        for t in 0 ..< basis.rank {
            energy += Double(basis.s[t]) * Double(basis.s[t])
            cumulative[t] = energy
        }
        for (r, k) in ks.enumerated() where k > 0 {
            let kk = min(k, basis.rank)
            terms.cl[r] = partial[kk - 1]
            terms.ll[r] = cumulative[kk - 1]
        }
        // The candidate's coordinates on the top two singular pairs, from the cumulative
        // sums (partial[t] − partial[t − 1] = σ_t m_t).
        if basis.rank >= 2, basis.s[0] > 0, basis.s[1] > 0 {
            let (s0, s1) = (Double(basis.s[0]), Double(basis.s[1]))
            let m0 = partial[0] / s0, m1 = (partial[1] - partial[0]) / s1
            terms.exactNum = (m0 - m1) * (s0 - s1)
            terms.exactDen = (s0 - s1) * (s0 - s1)
            terms.exactNoise = terms.exactDen > 0 ? 2 * cc / Double(count) / terms.exactDen : 0
        }
        return (terms, fresh)
    }
}

extension SpectralPass {
    /// The basis of one tensor's change `delta` (rows × cols): `cached` when its geometry
    /// and rank match, otherwise computed (and returned as `fresh` for the cache). nil when
    /// the tensor is not decomposed (too large, or no probed rank fits it).
    static func basis(of tensor: PlannedTensor, delta: UnsafeBufferPointer<Float>, divisor: Int,
                      cached: SpectralBasis.Stored?) -> (basis: SpectralBasis?, fresh: SpectralBasis.Stored?) {
        let (rows, cols) = (tensor.rows, tensor.columns)
        guard let top = decomposedRank(tensor, divisor: divisor) else { return (nil, nil) }
        if let cached, cached.rows == rows, cached.cols == cols, cached.basis.rank == top { return (cached.basis, nil) }
        // A fixed seed per tensor: reproducible bases.
        let basis = SpectralBasis.compute(delta: delta, rows: rows, cols: cols, rank: top, seed: FNV1a.hash(tensor.name))
        guard basis.rank > 0 else { return (nil, nil) }
        return (basis, SpectralBasis.Stored(rows: rows, cols: cols, basis: basis))
    }

    /// Each tensor's spectral sample (see `SpectralSample`) from the descendant and the
    /// ancestor read whole, on `workers` threads; with the bases computed afresh.
    func sample(descendant: any TensorSource, ancestor: any TensorSource, tensors: [PlannedTensor], divisor: Int, seed: UInt64,
                cached: [String: SpectralBasis.Stored], keep: Bool, progress: any ProgressSink) throws
        -> (rows: [SpectralSample.Rows], computed: [String: SpectralBasis.Stored]) {
        let computed = Mutex<[String: SpectralBasis.Stored]>([:])
        let rows = try ParallelSlots.map(count: tensors.count, workers: workers) { index, scratch -> SpectralSample.Rows? in
            let tensor = tensors[index]
            let (rows, fresh) = try Self.sample(tensor, descendant: descendant, ancestor: ancestor, divisor: divisor, seed: seed,
                                                cached: cached[tensor.name], scratch: scratch)
            if keep, let fresh { computed.withLock { $0[tensor.name] = fresh } }
            progress.advance(items: 1, bytes: 0)
            return rows
        }
        return (rows.compactMap { $0 }, computed.withLock { $0 })
    }

    static func sample(_ tensor: PlannedTensor, descendant: any TensorSource, ancestor: any TensorSource, divisor: Int, seed: UInt64,
                       cached: SpectralBasis.Stored?, scratch: ScratchSpace) throws -> (SpectralSample.Rows, SpectralBasis.Stored?) {
        let (rows, cols) = (tensor.rows, tensor.columns)
        let count = rows * cols
        let d = UnsafeMutablePointer<Float>.allocate(capacity: count)
        let a = UnsafeMutablePointer<Float>.allocate(capacity: count)
        defer { d.deallocate(); a.deallocate() }
        let blockRows = max(1, (1 << 20) / cols)
        var start = 0
        while start < rows {
            let range = start ..< min(rows, start + blockRows)
            // SAFETY: d and a hold rows × cols floats and `range` lies in 0 ..< rows.
            try descendant.readRows(tensor.name, rows: range, columns: nil, into: rowSlice(d, range, cols), scratch: scratch)
            try ancestor.readRows(tensor.name, rows: range, columns: nil, into: rowSlice(a, range, cols), scratch: scratch)
            start = range.upperBound
        }
        for i in 0 ..< count {
            let delta = d[i] - a[i]
            d[i] = delta.isFinite ? delta : 0
        }
        let ks = ranks.map { scaledRank($0, divisor: divisor, rows: rows, cols: cols) }
        let (basis, fresh) = Self.basis(of: tensor, delta: UnsafeBufferPointer(start: d, count: count), divisor: divisor, cached: cached)
        return (SpectralSample.rows(name: tensor.name, rows: rows, cols: cols, seed: seed, ranks: ks, ancestor: a, delta: d, basis: basis), fresh)
    }

    /// Rows `range` of a row-major block of `cols`-wide rows, as a buffer carrying its count.
    private static func rowSlice(_ block: UnsafeMutablePointer<Float>, _ range: Range<Int>, _ cols: Int) -> UnsafeMutableBufferPointer<Float> {
        UnsafeMutableBufferPointer(start: block + range.lowerBound * cols, count: range.count * cols)
    }
}

/// The top singular triplets of one tensor's change.
public struct SpectralBasis: Sendable {
    public var rank: Int
    public var u: [Float]
    public var s: [Float]
    public var v: [Float]

    /// Oversampling and power iterations of the randomized range finder: with 2 power
    /// iterations and at least 10 extra directions (the kernel rounds k + 10 up to a multiple
    /// of 16) the energy beyond rank k is within 1% of the optimum on decaying spectra
    /// (Halko et al. §10; `SpectralTests`).
    public static let oversample = 10
    public static let powerIterations = 2

    /// Randomized SVD of `delta` (rows × cols, row-major, at least rows × cols floats);
    /// exact when k + oversample reaches the smaller side. rank 0 when memory could not be had.
    public static func compute(delta: UnsafeBufferPointer<Float>, rows: Int, cols: Int, rank: Int, seed: UInt64) -> SpectralBasis {
        precondition(rows >= 0 && cols >= 0 && delta.count >= rows * cols, "SVD of \(rows) × \(cols) from a buffer of \(delta.count)")
        var u = [Float](repeating: 0, count: rows * rank), s = [Float](repeating: 0, count: rank)
        var v = [Float](repeating: 0, count: cols * rank)
        let found = u.withUnsafeMutableBufferPointer { up in
            s.withUnsafeMutableBufferPointer { sp in
                v.withUnsafeMutableBufferPointer { vp in
                    // SAFETY: delta holds rows·cols floats (checked above); up rows·rank, sp rank,
                    // vp cols·rank, allocated just above.
                    precondition(rank >= 0 && up.count == rows * rank && sp.count == rank && vp.count == cols * rank)
                    return pk_svd_top_randomized(delta.baseAddress, rows, cols, rank, oversample, Int32(powerIterations), seed,
                                          up.baseAddress, sp.baseAddress, vp.baseAddress)
                }
            }
        }
        guard found > 0 else { return SpectralBasis(rank: 0, u: [], s: [], v: []) }
        let k = Int(found)
        // The kernel writes k columns with stride k: when k < rank, repack is not needed
        // because it used k as the stride; keep only the first k·rows / k·cols values.
        return SpectralBasis(rank: k, u: Array(u.prefix(rows * k)), s: Array(s.prefix(k)), v: Array(v.prefix(cols * k)))
    }
}
