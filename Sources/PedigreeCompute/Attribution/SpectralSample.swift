import CPedigreeKernels
import PedigreeFormat
import PedigreeSupport

/// A reference pair's spectral profile in a form a fingerprint can carry (issue 12).
///
/// Why: the share beyond rank k needs the top of the pair's change Δ = D − A, which only
/// whole tensors give, while a hub audits against fingerprints. The terms the profile is
/// made of (`SpectralPass.Terms`: ⟨c, Δ⟩, ‖Δ‖², ⟨c, L_k⟩, ‖L_k‖²) are sums over a tensor's
/// rows, so a seeded sample of rows estimates them without bias: for each sampled row i
/// the sample keeps A's row, D's row and the rows of the rank-k approximations L_k, and
/// the candidate's same rows are read at audit time (c = C − A). Each tensor's sums are
/// scaled by rows / sampled rows, and the blocks are the jackknife's units as for the
/// whole tensors, so the sampling's own noise is inside the reported interval.
///
/// At full size the sample is about 1/128 of each tensor's rows in five arrays (A and D
/// in their stored type, L_64, L_128 and L_256 in F16): about 4% of the checkpoint.
public enum SpectralSample {
    public static let version = "1"
    /// The fraction of each tensor's rows kept, and the least kept (all, when fewer).
    public static let rowRate = 1.0 / 128
    public static let minimumRows = 4
    public static let defaultSeed: UInt64 = 0x5EC7_4A1

    /// How many rows of a `rows`-row tensor the sample keeps.
    public static func sampledRowCount(rows: Int) -> Int {
        guard rows > 0 else { return 0 }
        return min(rows, max(minimumRows, Int((Double(rows) * rowRate).rounded(.up))))
    }

    /// The sampled rows of `name`, ascending: the same seeded choice as the fingerprint's
    /// columns, so a reader recomputes them instead of trusting a stored list.
    public static func sampledRows(name: String, rows: Int, seed: UInt64) -> [Int] {
        ColumnSampling.columns(name: name, columns: rows, count: sampledRowCount(rows: rows), seed: seed)
    }

    /// Whether a planned tensor has a spectral view at all (as `SpectralPass.measure`).
    static func eligible(_ tensor: PlannedTensor) -> Bool {
        eligible(name: tensor.name, shape: tensor.shape)
    }

    static func eligible(name: String, shape: [Int]) -> Bool {
        shape.count >= 2 && Component.of(name) != .vae && shape.allSatisfy { $0 > 0 }
    }

    /// The bytes a sample of checkpoints with these shapes takes in a fingerprint, with A's
    /// and D's rows in `bytesPerValue` (2 for F16 checkpoints) and L_k's in F16.
    public static func bytes(shapes: [String: [Int]], bytesPerValue: Int = 2) -> Int {
        shapes.reduce(0) { total, entry in
            guard eligible(name: entry.key, shape: entry.value) else { return total }
            let rows = entry.value[0], cols = entry.value.dropFirst().reduce(1, *)
            let kept = sampledRowCount(rows: rows) * cols
            let decomposed = rows * cols <= SpectralPass.maxElements
            return total + kept * 2 * bytesPerValue + (decomposed ? kept * SpectralPass.ranks.count * 2 : 0)
        }
    }

    /// One tensor's sampled rows, in Float32 (row-major, `indices.count × cols` each).
    public struct Rows: Sendable {
        public var name: String
        public var rows: Int
        public var cols: Int
        public var indices: [Int]
        /// Scaled ranks in `SpectralPass.ranks` order; all 0 when the tensor is not decomposed.
        public var ranks: [Int]
        public var ancestor: [Float]
        public var descendant: [Float]
        /// `ranks.count` slabs of `indices.count × cols` (L_k's rows); empty when not decomposed.
        public var low: [Float]

        public var decomposed: Bool { !low.isEmpty }

        /// The candidate's terms against these rows. Non-finite values contribute nothing,
        /// as in the whole-tensor pass.
        func terms(block: String, candidate: any TensorSource, scratch: ScratchSpace) throws -> SpectralPass.Terms {
            var terms = SpectralPass.Terms(block: block, cd: 0, dd: 0, cl: ranks.map { _ in 0 }, ll: ranks.map { _ in 0 })
            let count = indices.count
            guard count > 0 else { return terms }
            var row = [Float](repeating: 0, count: cols)
            let scale = Double(rows) / Double(count)
            for (r, index) in indices.enumerated() {
                try row.withUnsafeMutableBufferPointer { buffer in
                    // SAFETY: buffer holds cols floats, one row of `name` with every column (readRows checks).
                    try candidate.readRows(name, rows: index ..< index + 1, columns: nil, into: buffer, scratch: scratch)
                }
                // Unchecked reads of one row's slices: every index below is < cols within the
                // row's slab (r < count; ancestor and descendant hold count·cols values, low
                // ranks.count·count·cols, as `SpectralSampleLayout` and `rows` guarantee).
                let base = r * cols
                row.withUnsafeBufferPointer { c in
                    ancestor.withUnsafeBufferPointer { aBuffer in
                        descendant.withUnsafeBufferPointer { dBuffer in
                            low.withUnsafeBufferPointer { lBuffer in
                                var cd = 0.0, dd = 0.0
                                var cl = [Double](repeating: 0, count: ranks.count), ll = cl
                                for j in 0 ..< cols {
                                    let a = aBuffer[base + j]
                                    let change = c[j] - a, delta = dBuffer[base + j] - a
                                    guard change.isFinite, delta.isFinite else { continue }
                                    cd += Double(change) * Double(delta)
                                    dd += Double(delta) * Double(delta)
                                }
                                if decomposed {
                                    for k in ranks.indices where ranks[k] > 0 {
                                        let slab = (k * count + r) * cols
                                        var ckl = 0.0, kll = 0.0
                                        for j in 0 ..< cols {
                                            let a = aBuffer[base + j], l = lBuffer[slab + j]
                                            let change = c[j] - a
                                            guard change.isFinite, l.isFinite, (dBuffer[base + j] - a).isFinite else { continue }
                                            ckl += Double(change) * Double(l)
                                            kll += Double(l) * Double(l)
                                        }
                                        cl[k] = ckl
                                        ll[k] = kll
                                    }
                                }
                                terms.cd += cd * scale
                                terms.dd += dd * scale
                                for k in ranks.indices { terms.cl[k] += cl[k] * scale; terms.ll[k] += ll[k] * scale }
                            }
                        }
                    }
                }
            }
            return terms
        }
    }

    /// Builds a tensor's sampled rows from its whole change `delta` (rows × cols, D − A
    /// with non-finite entries zeroed), the ancestor's rows, and its basis. D's rows are
    /// A + delta: D itself up to the Float32 rounding of D − A (none for a weight and its
    /// fine-tuned value, whose F16 exponents are close); where D − A was not finite, D's row
    /// holds A's value, which contributes nothing.
    static func rows(name: String, rows: Int, cols: Int, seed: UInt64, ranks: [Int], ancestor: UnsafePointer<Float>,
                     delta: UnsafePointer<Float>, basis: SpectralBasis?) -> Rows {
        let indices = sampledRows(name: name, rows: rows, seed: seed)
        var a = [Float](), d = [Float]()
        a.reserveCapacity(indices.count * cols)
        d.reserveCapacity(indices.count * cols)
        for i in indices {
            for j in 0 ..< cols {
                a.append(ancestor[i * cols + j])
                d.append(ancestor[i * cols + j] + delta[i * cols + j])
            }
        }
        guard let basis, basis.rank > 0, ranks.contains(where: { $0 > 0 }) else {
            return Rows(name: name, rows: rows, cols: cols, indices: indices, ranks: ranks.map { _ in 0 }, ancestor: a, descendant: d, low: [])
        }
        // L_k's row i is Σ_{t<k} σ_t u_t[i] v_tᵀ: accumulated rank by rank, copied out at each probed rank.
        var low = [Float](repeating: 0, count: ranks.count * indices.count * cols)
        var sum = [Double](repeating: 0, count: cols)
        for (r, i) in indices.enumerated() {
            for j in 0 ..< cols { sum[j] = 0 }
            var t = 0
            for (k, rank) in ranks.enumerated() {
                let kk = min(rank, basis.rank)
                while t < kk {
                    let weight = Double(basis.s[t]) * Double(basis.u[i * basis.rank + t])
                    if weight != 0 {
                        for j in 0 ..< cols { sum[j] += weight * Double(basis.v[j * basis.rank + t]) }
                    }
                    t += 1
                }
                let out = (k * indices.count + r) * cols
                for j in 0 ..< cols { low[out + j] = Float(sum[j]) }
            }
        }
        return Rows(name: name, rows: rows, cols: cols, indices: indices, ranks: ranks, ancestor: a, descendant: d, low: low)
    }
}

extension SpectralSampleBuild {
    /// The rows as a file holding this sample gives them back (A and D in their stored
    /// type, L_k in F16): what an audit measures, whether it made the sample or read it.
    fileprivate var asStored: [SpectralSample.Rows] {
        tensors.map { rows in
            let stored = storedTypes[rows.name] ?? .f32
            var copy = rows
            copy.ancestor = SpectralSampleWriting.roundTrip(rows.ancestor, as: stored)
            copy.descendant = SpectralSampleWriting.roundTrip(rows.descendant, as: stored)
            copy.low = SpectralSampleWriting.roundTrip(rows.low, as: .f16)
            return copy
        }
    }
}

/// The spectral sample of one reference pair, made from the two whole checkpoints (the
/// expensive part is the pair's basis, shared with `SpectralPass` through the cache).
public struct SpectralSampleBuild: Sendable {
    public var ancestorID: String
    public var ancestorSHA256: String
    public var descendantSHA256: String
    public var divisor: Int
    public var seed: UInt64
    public var tensors: [SpectralSample.Rows]
    /// The type each tensor's A and D rows are stored in: the checkpoints' own when both
    /// use the same F16, BF16 or F32 (so the rows are kept exactly), F32 otherwise.
    public var storedTypes: [String: DType]

    /// Reads D (`descendant`) and A (`ancestor`) whole, tensor by tensor on `workers`
    /// threads, and keeps each tensor's sampled rows.
    public static func make(descendant: any TensorSource, ancestor: any TensorSource, ancestorID: String,
                            descendantSHA256: String, ancestorSHA256: String, filter: TensorFilter = TensorFilter(),
                            seed: UInt64 = SpectralSample.defaultSeed, workers: Int = 2, cache: SpectralBasisCache? = nil,
                            progress: any ProgressSink = SilentProgress()) throws -> SpectralSampleBuild {
        let (planned, _) = ComparisonPlanner.plan(
            sources: [descendant, ancestor].map { .init(label: $0.label, shapes: $0.shapes, dtypes: $0.dtypes) }, filter: filter)
        return try make(descendant: descendant, ancestor: ancestor, ancestorID: ancestorID, descendantSHA256: descendantSHA256,
                        ancestorSHA256: ancestorSHA256, tensors: planned, seed: seed, workers: workers, cache: cache, progress: progress)
    }

    /// The same for tensors already planned (an audit's comparison plan); the sample is
    /// stored in `cache` too, for later audits against the same two checkpoints. `bases`:
    /// the pair's cached bases when the caller has read them already.
    static func make(descendant: any TensorSource, ancestor: any TensorSource, ancestorID: String,
                     descendantSHA256: String, ancestorSHA256: String, tensors planned: [PlannedTensor],
                     seed: UInt64 = SpectralSample.defaultSeed, workers: Int, cache: SpectralBasisCache?,
                     bases: [String: SpectralBasis.Stored]? = nil, progress: any ProgressSink) throws -> SpectralSampleBuild {
        let tensors = planned.filter(SpectralSample.eligible)
        let divisor = SpectralPass.widthDivisor(shapes: descendant.shapes)
        // The pair's sample cached by an audit (or an earlier fingerprint) is this one: the
        // same two files, divisor and seed. Reading it back spares the bases (minutes).
        if let stored = cache?.loadSample(descendant: descendantSHA256, ancestor: ancestorSHA256, shapes: descendant.shapes,
                                          divisor: divisor, seed: seed, covering: tensors.map(\.name)) {
            var types: [String: DType] = [:]
            for tensor in tensors { types[tensor.name] = stored.layout.storedType(of: tensor.name) }
            return SpectralSampleBuild(ancestorID: ancestorID, ancestorSHA256: ancestorSHA256, descendantSHA256: descendantSHA256,
                                       divisor: divisor, seed: seed, tensors: try tensors.compactMap { try stored.rows(of: $0.name) },
                                       storedTypes: types)
        }
        let cached = bases ?? cache?.load(descendant: descendantSHA256, ancestor: ancestorSHA256) ?? [:]
        // Fresh bases are kept for the cache only when the cache would take them: otherwise
        // every tensor's U and V would sit in memory for nothing (gigabytes at full size).
        let basesBytes = tensors.reduce(0.0) { total, t in
            guard let top = SpectralPass.decomposedRank(t, divisor: divisor) else { return total }
            return total + Double(t.rows + t.columns + 1) * Double(top) * 4
        }
        let keep = cache != nil && basesBytes <= Double(SpectralBasisCache.maxBytes)
        progress.begin(label: "spectral sample", totalItems: tensors.count, totalBytes: 0)
        defer { progress.finish() }
        let (rows, computed) = try SpectralPass(workers: workers).sample(
            descendant: descendant, ancestor: ancestor, tensors: tensors, divisor: divisor, seed: seed, cached: cached,
            keep: keep, progress: progress)
        if let cache, !computed.isEmpty {
            cache.store(cached.merging(computed) { _, new in new }, descendant: descendantSHA256, ancestor: ancestorSHA256)
        }
        var types: [String: DType] = [:]
        for tensor in tensors {
            let pair = (descendant.dtypes[tensor.name], ancestor.dtypes[tensor.name])
            types[tensor.name] = pair.0 == pair.1 && [DType.f16, .bf16, .f32].contains(pair.0 ?? .f64) ? pair.0! : .f32
        }
        var build = SpectralSampleBuild(ancestorID: ancestorID, ancestorSHA256: ancestorSHA256, descendantSHA256: descendantSHA256,
                                        divisor: divisor, seed: seed, tensors: rows, storedTypes: types)
        // The rows as stored, whichever way they came: a sample made now and one read back
        // from the cache or a fingerprint measure the same values.
        build.tensors = build.asStored
        cache?.storeSample(build)
        return build
    }
}
