import CPedigreeKernels
import PedigreeFormat
import Synchronization
import PedigreeSupport

/// Rows of one tensor of one model, in Float32: a weighted sum of components, or a merge
/// of other models computed from their rows. `fill` overwrites `out`.
protocol TensorSource: AnyObject {
    func fill(_ out: UnsafeMutablePointer<Float>, rows: Range<Int>)
}

/// Values every worker computes the same way and the family's truth reports: the model
/// stock interpolation t of each tensor of each model stock merge.
final class MergeStatistics: Sendable {
    private let stockT = Mutex<[String: [String: Double]]>([:])

    func recordStock(model: String, tensor: String, t: Double) {
        stockT.withLock { $0[model, default: [:]][tensor] = t }
    }

    /// Truncated SVDs of reference changes, computed once per (reference, base, tensor, rank)
    /// however many models and workers ask (un-merges; a tensor's factors are small at the
    /// reduced widths merges are used at).
    private let factors = Mutex<[String: LowRankFactors]>([:])

    func lowRank(key: String, compute: () -> LowRankFactors) -> LowRankFactors {
        if let cached = factors.withLock({ $0[key] }) { return cached }
        let computed = compute()
        return factors.withLock { all in
            if let first = all[key] { return first }
            all[key] = computed
            return computed
        }
    }

    /// The mean t over the model's non-VAE tensors (nil when nothing was computed).
    func meanStockT(model: String) -> Double? {
        stockT.withLock { all in
            let values = (all[model] ?? [:]).filter { PedigreeFormat.Component.of($0.key) != .vae }.values
            return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
        }
    }
}

/// Builds the source tree of a model for one tensor. Merges run their pre-passes (norms,
/// dot products, magnitude thresholds) here, over the whole tensor in a fixed row order,
/// so the result never depends on how the writer chunks rows or which worker asks.
struct TensorPlanner {
    let recipe: SynthRecipe
    let widthDivisor: Int
    let tensor: String
    let shape: [Int]
    let statistics: MergeStatistics
    let rows: Int
    let cols: Int

    init(recipe: SynthRecipe, widthDivisor: Int, tensor: String, shape: [Int], statistics: MergeStatistics) {
        self.recipe = recipe
        self.widthDivisor = widthDivisor
        self.tensor = tensor
        self.shape = shape
        self.statistics = statistics
        (rows, cols) = SynthField.geometry(of: shape)
    }

    func source(for model: SynthRecipe.Model) -> any TensorSource {
        let plus = model.weights.isEmpty ? nil
            : TensorSynthesis(recipe: recipe, weights: model.weights, tensor: tensor, shape: shape, widthDivisor: widthDivisor)
        guard let merge = model.merge else { return LinearSource(synthesis: plus!) }
        let input = { (name: String) -> any TensorSource in
            // The loader checked every name and ordered the models.
            self.source(for: self.recipe.model(named: name)!)
        }
        let core: any TensorSource
        switch merge.method {
        case .slerp:
            core = SlerpSource(a: input(merge.a!), b: input(merge.b!), alpha: merge.alpha, planner: self)
        case .blockWeights:
            let alpha = merge.blocks[SynthRecipe.blockLabel(of: tensor)] ?? merge.alpha
            core = WeightedPairSource(a: input(merge.a!), b: input(merge.b!), alpha: Float(alpha), cols: cols)
        case .transplant:
            core = input(merge.source(of: PedigreeFormat.Component.of(tensor))!)
        case .ties, .dare:
            core = TaskArithmeticSource(base: input(merge.base!), inputs: merge.inputs.map { (input($0.model), $0.weight) },
                                        merge: merge, planner: self)
        case .unmerge:
            core = UnmergeSource(model: input(merge.model!), reference: input(merge.reference!), base: input(merge.base!),
                                 key: "\(merge.reference!)|\(merge.base!)", rank: merge.removedRank(widthDivisor: widthDivisor, rows: rows, cols: cols),
                                 strength: Float(merge.strength), planner: self)
        case .modelStock:
            let stock = ModelStockSource(base: input(merge.base!), inputs: merge.inputs.map { input($0.model) }, planner: self)
            statistics.recordStock(model: model.name, tensor: tensor, t: stock.t)
            core = stock
        }
        return plus.map { PlusSource(core: core, plus: $0) } ?? core
    }

    /// Runs `body` over the whole tensor in fixed blocks of rows, with each source's values.
    func prePass(_ sources: [any TensorSource], _ body: ([UnsafeMutableBufferPointer<Float>], Range<Int>) -> Void) {
        let blockRows = max(1, (1 << 16) / max(cols, 1))
        let buffers = sources.map { _ in UnsafeMutableBufferPointer<Float>.allocate(capacity: blockRows * cols) }
        defer { buffers.forEach { $0.deallocate() } }
        var start = 0
        while start < rows {
            let range = start ..< min(rows, start + blockRows)
            for (source, buffer) in zip(sources, buffers) { source.fill(buffer.baseAddress!, rows: range) }
            body(buffers.map { UnsafeMutableBufferPointer(rebasing: $0[0 ..< range.count * cols]) }, range)
            start = range.upperBound
        }
    }

    /// The rows sampled to estimate a magnitude quantile: about 2^16 elements, evenly spaced rows.
    var sampledRows: [Int] {
        let wanted = max(1, ((1 << 16) + cols - 1) / max(cols, 1))
        let step = max(1, rows / wanted)
        return Array(stride(from: 0, to: rows, by: step))
    }
}

/// A scratch of `count` floats for one fill (merges are only used at reduced width).
private func scratch(_ count: Int) -> UnsafeMutablePointer<Float> { .allocate(capacity: max(count, 1)) }

final class LinearSource: TensorSource {
    let synthesis: TensorSynthesis
    init(synthesis: TensorSynthesis) { self.synthesis = synthesis }
    func fill(_ out: UnsafeMutablePointer<Float>, rows: Range<Int>) {
        out.initialize(repeating: 0, count: rows.count * synthesis.cols)
        synthesis.accumulate(out, rows: rows)
    }
}

/// A merge result plus a change of its own (a fine-tune trained on top of the merge).
final class PlusSource: TensorSource {
    let core: any TensorSource
    let plus: TensorSynthesis
    init(core: any TensorSource, plus: TensorSynthesis) {
        self.core = core
        self.plus = plus
    }
    func fill(_ out: UnsafeMutablePointer<Float>, rows: Range<Int>) {
        core.fill(out, rows: rows)
        plus.accumulate(out, rows: rows)
    }
}

/// (1 − α)·a + α·b: block-weighted merges (α per block) and, with per-tensor coefficients, slerp.
final class WeightedPairSource: TensorSource {
    let a: any TensorSource, b: any TensorSource
    let ca: Float, cb: Float
    let cols: Int
    convenience init(a: any TensorSource, b: any TensorSource, alpha: Float, cols: Int) {
        self.init(a: a, b: b, ca: 1 - alpha, cb: alpha, cols: cols)
    }
    init(a: any TensorSource, b: any TensorSource, ca: Float, cb: Float, cols: Int) {
        (self.a, self.b, self.ca, self.cb, self.cols) = (a, b, ca, cb, cols)
    }
    func fill(_ out: UnsafeMutablePointer<Float>, rows: Range<Int>) {
        let n = rows.count * cols
        let other = scratch(n)
        defer { other.deallocate() }
        a.fill(out, rows: rows)
        b.fill(other, rows: rows)
        for i in 0 ..< n { out[i] = ca * out[i] + cb * other[i] }
    }
}

/// Spherical interpolation over the flattened tensor (supermerger / sd-mecha, without
/// sd-mecha's final norm rescale): with θ the angle between a and b,
/// result = sin((1−α)θ)/sin θ · a + sin(αθ)/sin θ · b; nearly parallel tensors fall back to lerp.
final class SlerpSource: TensorSource {
    let pair: WeightedPairSource
    let theta: Double
    init(a: any TensorSource, b: any TensorSource, alpha: Double, planner: TensorPlanner) {
        var dot = 0.0, aa = 0.0, bb = 0.0
        planner.prePass([a, b]) { values, _ in
            for (x, y) in zip(values[0], values[1]) {
                dot += Double(x) * Double(y)
                aa += Double(x) * Double(x)
                bb += Double(y) * Double(y)
            }
        }
        let cosine = aa > 0 && bb > 0 ? dot / (aa * bb).squareRoot() : 1
        theta = DeterministicMath.acos(cosine)
        let s = DeterministicMath.sin(theta)
        let (ca, cb) = abs(s) < 1e-6 ? (1 - alpha, alpha)
            : (DeterministicMath.sin((1 - alpha) * theta) / s, DeterministicMath.sin(alpha * theta) / s)
        pair = WeightedPairSource(a: a, b: b, ca: Float(ca), cb: Float(cb), cols: planner.cols)
    }
    func fill(_ out: UnsafeMutablePointer<Float>, rows: Range<Int>) { pair.fill(out, rows: rows) }
}

/// TIES and DARE (task arithmetic on deltas from a common base). Per element, delta
/// d_m = x_m − base; TIES keeps |d_m| ≥ the tensor's (1 − density) quantile of |d_m|
/// (estimated on ~65k sampled elements, not a full sort); DARE drops d_m with probability
/// p by a counter-based hash of (seed, model, tensor, element) and rescales by 1/(1 − p);
/// then d_m is weighted. With sign election (always for TIES), the elected sign is that of
/// Σ d_m and the merged delta is the mean of the d_m ≠ 0 with that sign (disjoint mean);
/// without it, Σ d_m. Result = base + α · merged. No rescale after trimming.
final class TaskArithmeticSource: TensorSource {
    let base: any TensorSource
    let inputs: [(source: any TensorSource, weight: Float)]
    let thresholds: [Float]
    let dropLimit: Float      // an element is dropped when its hash value is below this
    let rescale: Float
    let dropKeys: [(UInt32, UInt32)]
    let signElection: Bool
    let alpha: Float
    let cols: Int

    init(base: any TensorSource, inputs: [(any TensorSource, Double)], merge: SynthRecipe.Merge, planner: TensorPlanner) {
        self.base = base
        self.inputs = inputs.map { ($0.0, Float($0.1)) }
        cols = planner.cols
        signElection = merge.signElection
        alpha = Float(merge.alpha)
        rescale = Float(1 / (1 - merge.drop))
        // ps_noise_value is uniform on (−√3, √3): below −√3 + 2√3·p with probability p.
        dropLimit = merge.drop > 0 ? Float(-3.0.squareRoot() + 2 * 3.0.squareRoot() * merge.drop) : -.infinity
        dropKeys = inputs.indices.map { m in
            let key = DeterministicMath.key(merge.seed, UInt64(m), FNV1a.hash(planner.tensor), 5)
            return (UInt32(truncatingIfNeeded: key), UInt32(truncatingIfNeeded: key >> 32))
        }
        if merge.density < 1 {
            let sampled = planner.sampledRows
            let cols = planner.cols
            thresholds = inputs.map { input in
                var magnitudes: [Float] = []
                magnitudes.reserveCapacity(sampled.count * cols)
                let x = scratch(cols), b = scratch(cols)
                defer { x.deallocate(); b.deallocate() }
                for row in sampled {
                    input.0.fill(x, rows: row ..< row + 1)
                    base.fill(b, rows: row ..< row + 1)
                    for j in 0 ..< cols { magnitudes.append(abs(x[j] - b[j])) }
                }
                magnitudes.sort()
                let index = min(magnitudes.count - 1, Int((1 - merge.density) * Double(magnitudes.count)))
                return index <= 0 ? 0 : magnitudes[index]
            }
        } else {
            thresholds = inputs.map { _ in 0 }
        }
    }

    func fill(_ out: UnsafeMutablePointer<Float>, rows: Range<Int>) {
        let n = rows.count * cols
        base.fill(out, rows: rows)
        let deltas = inputs.map { _ in scratch(n) }
        defer { deltas.forEach { $0.deallocate() } }
        let first = UInt32(truncatingIfNeeded: rows.lowerBound * cols)
        for (m, input) in inputs.enumerated() {
            let d = deltas[m]
            input.source.fill(d, rows: rows)
            let threshold = thresholds[m]
            let (keyLo, keyHi) = dropKeys[m]
            for i in 0 ..< n {
                var value = d[i] - out[i]
                if abs(value) < threshold { value = 0 }
                if dropLimit > -.infinity {
                    value = ps_noise_value(keyLo, keyHi, first &+ UInt32(truncatingIfNeeded: i)) < dropLimit ? 0 : value * rescale
                }
                d[i] = value * input.weight
            }
        }
        for i in 0 ..< n {
            var merged: Float = 0
            if signElection {
                var total: Float = 0
                for d in deltas { total += d[i] }
                var count: Float = 0
                for d in deltas where d[i] != 0 && (d[i] > 0) == (total >= 0) {
                    merged += d[i]
                    count += 1
                }
                if count > 0 { merged /= count }
            } else {
                for d in deltas { merged += d[i] }
            }
            out[i] += alpha * merged
        }
    }
}

/// Model stock (Jang et al. 2024, as sd-mecha computes it per tensor): with cos θ the mean
/// pairwise cosine between the fine-tunes' deltas from the base and k fine-tunes,
/// t = k·cos θ / (1 + (k − 1)·cos θ), result = base + t · mean(deltas).
final class ModelStockSource: TensorSource {
    let base: any TensorSource
    let inputs: [any TensorSource]
    let t: Double
    let cols: Int

    init(base: any TensorSource, inputs: [any TensorSource], planner: TensorPlanner) {
        self.base = base
        self.inputs = inputs
        cols = planner.cols
        let k = inputs.count
        var gram = [Double](repeating: 0, count: k * k)
        planner.prePass([base] + inputs) { values, _ in
            let b = values[0]
            for i in 0 ..< b.count {
                for p in 0 ..< k {
                    let dp = Double(values[p + 1][i] - b[i])
                    for q in p ..< k { gram[p * k + q] += dp * Double(values[q + 1][i] - b[i]) }
                }
            }
        }
        var cosines = 0.0, pairs = 0.0
        for p in 0 ..< k {
            for q in p + 1 ..< k {
                let norm = (gram[p * k + p] * gram[q * k + q]).squareRoot()
                cosines += norm > 0 ? gram[p * k + q] / norm : 0
                pairs += 1
            }
        }
        let cosine = pairs > 0 ? cosines / pairs : 0
        let denominator = 1 + Double(k - 1) * cosine
        t = denominator > 1e-9 ? Double(k) * cosine / denominator : 0
    }

    func fill(_ out: UnsafeMutablePointer<Float>, rows: Range<Int>) {
        let n = rows.count * cols
        base.fill(out, rows: rows)
        let sum = scratch(n), x = scratch(n)
        defer { sum.deallocate(); x.deallocate() }
        sum.initialize(repeating: 0, count: n)
        for input in inputs {
            input.fill(x, rows: rows)
            for i in 0 ..< n { sum[i] += x[i] - out[i] }
        }
        let scale = Float(t / Double(inputs.count))
        for i in 0 ..< n { out[i] += scale * sum[i] }
    }
}

/// The top singular triplets of one tensor's change: the rank-k approximation is
/// Σ_t s[t] · u[:, t] · v[:, t]ᵀ (u row-major rows × rank, v row-major cols × rank).
struct LowRankFactors: Sendable {
    let rank: Int
    let u: [Float]
    let s: [Float]
    let v: [Float]
    static let none = LowRankFactors(rank: 0, u: [], s: [], v: [])
}

/// The seed article's un-merge: a LoRA of the reference's change extracted at rank k
/// (kohya's extract_lora_from_models.py: the rank-k truncated SVD of reference − base per
/// 2-D tensor, convolutions as out × in·kh·kw) and merged into `model` at strength −1.
/// 1-D tensors (biases, norms) and the VAE are left as they are, as a LoRA leaves them.
final class UnmergeSource: TensorSource {
    let model: any TensorSource
    let factors: LowRankFactors
    let cols: Int
    let strength: Float

    init(model: any TensorSource, reference: any TensorSource, base: any TensorSource, key: String, rank: Int, strength: Float = -1,
         planner: TensorPlanner) {
        self.model = model
        self.strength = strength
        cols = planner.cols
        guard planner.shape.count >= 2, PedigreeFormat.Component.of(planner.tensor) != .vae, rank > 0 else {
            factors = .none
            return
        }
        let (rows, cols) = (planner.rows, planner.cols)
        factors = planner.statistics.lowRank(key: "\(key)|\(planner.tensor)|\(rank)") {
            // The whole change, in a fixed row order (the SVD needs all of it).
            var delta = [Float](repeating: 0, count: rows * cols)
            delta.withUnsafeMutableBufferPointer { d in
                planner.prePass([reference, base]) { values, range in
                    for i in 0 ..< values[0].count { d[range.lowerBound * cols + i] = values[0][i] - values[1][i] }
                }
            }
            var u = [Float](repeating: 0, count: rows * rank), s = [Float](repeating: 0, count: rank)
            var v = [Float](repeating: 0, count: cols * rank)
            let found = delta.withUnsafeBufferPointer { d in
                u.withUnsafeMutableBufferPointer { up in
                    s.withUnsafeMutableBufferPointer { sp in
                        v.withUnsafeMutableBufferPointer { vp in
                            // SAFETY: d holds rows·cols floats; up rows·rank, sp rank and vp
                            // cols·rank, as the kernel writes for k = rank ≤ min(rows, cols).
                            precondition(d.count >= rows * cols && up.count >= rows * rank && sp.count >= rank && vp.count >= cols * rank)
                            return pk_svd_top_exact(d.baseAddress, rows, cols, rank, up.baseAddress, sp.baseAddress, vp.baseAddress)
                        }
                    }
                }
            }
            // An allocation failure inside the kernel leaves the model as it is (found < 0);
            // the SVD itself cannot fail.
            return found == rank ? LowRankFactors(rank: rank, u: u, s: s, v: v) : .none
        }
    }

    func fill(_ out: UnsafeMutablePointer<Float>, rows: Range<Int>) {
        model.fill(out, rows: rows)
        let k = factors.rank
        guard k > 0 else { return }
        factors.u.withUnsafeBufferPointer { u in
            factors.v.withUnsafeBufferPointer { v in
                for (r, row) in rows.enumerated() {
                    // Scaled left factor of this row, then one FMA chain per element (fixed order).
                    var left = [Float](repeating: 0, count: k)
                    for t in 0 ..< k { left[t] = factors.s[t] * u[row * k + t] }
                    let o = out + r * cols
                    for j in 0 ..< cols {
                        var sum: Float = 0
                        for t in 0 ..< k { sum += left[t] * v[j * k + t] }
                        // −1 (the un-merge) gives the same bytes as subtracting: negation is exact.
                        o[j] += strength * sum
                    }
                }
            }
        }
    }
}
