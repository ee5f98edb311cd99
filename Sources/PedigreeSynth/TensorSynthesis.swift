import CPedigreeKernels
import PedigreeFormat
import PedigreeSupport

/// Everything needed to compute any rows of one tensor of a weighted sum of components:
/// per component with a non-zero weight, its noise keys and per-column coefficients
/// (weight · amplitude · column factor, rounded once to Float), and for a delta with a
/// spectrum, its packed right factor.
struct TensorSynthesis {
    enum Term {
        /// i.i.d. noise: out[i, j] += coefficients[j] · noise(key, i·cols + j).
        case noise(keyLo: UInt32, keyHi: UInt32, coefficients: [Float])
        /// Rank-r product: out[i, j] += Σ_k singular[k] · u(key, i·r + k) · packed V[k, j],
        /// where V[k, j] = coefficient[j] · noise(vKey, j·r + k) (see `ps_lowrank_pack`).
        case lowRank(keyLo: UInt32, keyHi: UInt32, singular: [Float], packed: [Float], rank: Int)
    }

    let rows: Int
    let cols: Int
    let terms: [Term]

    init(recipe: SynthRecipe, weights: [(component: String, weight: Double)], tensor: String, shape: [Int], widthDivisor: Int) {
        (rows, cols) = SynthField.geometry(of: shape)
        let (rows, cols) = (self.rows, self.cols)
        // Declaration order, not the model's listing order, fixes the summation order, so
        // `{a: 1, b: 1}` and `{b: 1, a: 1}` give the same bytes.
        terms = recipe.components.flatMap { component -> [Term] in
            let weight = weights.first { $0.component == component.name }?.weight ?? 0
            guard weight != 0 else { return [] }
            let field = SynthField(recipeSeed: recipe.seed, component: component)
            let amplitude = weight * field.amplitude(tensor: tensor, shape: shape)
            let key = field.noiseKey(tensor: tensor)
            let factors = field.columnFactors(tensor: tensor, shape: shape)
            guard shape.count >= 2, let spectrum = component.spectrum,
                  case let rank = spectrum.effectiveRank(rows: rows, cols: cols, widthDivisor: widthDivisor), rank > 0 else {
                return [Self.noiseTerm(key, factors.map { Float(amplitude * $0) })]
            }
            // Energy: u and v have unit variance, so element variance is Σ s_k²; the
            // singular values are normalised to 1 − tail and the tail carries the rest, so the
            // tensor keeps the expected energy of the i.i.d. component (scales keep their meaning).
            // A look-alike (`shares`) keeps (1 − overlap) of the low-rank energy on its own axes.
            let ownFraction = 1 - (component.shares?.overlap ?? 0)
            let singular = Self.powerLaw(rank: rank, exponent: spectrum.exponent, energy: (1 - spectrum.tail) * ownFraction).map { Float($0) }
            let (uKey, vKey) = (field.factorKey(tensor: tensor, side: 0), field.factorKey(tensor: tensor, side: 1))
            let coefficients = factors.map { Float(amplitude * $0) }
            var packed = [Float](repeating: 0, count: cols * rank)
            packed.withUnsafeMutableBufferPointer { vp in
                coefficients.withUnsafeBufferPointer { c in
                    // SAFETY: vp holds cols·rank floats and c holds cols, as the kernel requires.
                    precondition(vp.count >= cols * rank && c.count >= cols)
                    ps_lowrank_pack(vp.baseAddress, cols, rank, UInt32(truncatingIfNeeded: vKey), UInt32(truncatingIfNeeded: vKey >> 32), c.baseAddress)
                }
            }
            var result = [Term.lowRank(keyLo: UInt32(truncatingIfNeeded: uKey), keyHi: UInt32(truncatingIfNeeded: uKey >> 32),
                                       singular: singular, packed: packed, rank: rank)]
            if let shares = component.shares, shares.overlap > 0, let target = recipe.component(named: shares.component),
               let shared = Self.sharedSubspaceTerm(recipe: recipe, component: component, target: target, overlap: shares.overlap,
                                                   amplitude: amplitude, tensor: tensor, shape: shape, widthDivisor: widthDivisor) {
                result.append(shared)
            }
            if spectrum.tail > 0 {
                let t = spectrum.tail.squareRoot()
                result.append(Self.noiseTerm(key, factors.map { Float(amplitude * t * $0) }))
            }
            return result
        }
    }

    /// s_k ∝ (k+1)^−exponent for k < rank, scaled so Σ s_k² = energy.
    static func powerLaw(rank: Int, exponent: Double, energy: Double) -> [Double] {
        let raw = (0 ..< rank).map { DeterministicMath.exp(-exponent * DeterministicMath.log(Double($0 + 1))) }
        let norm = (raw.reduce(0) { $0 + $1 * $1 } / energy).squareRoot()
        return raw.map { $0 / norm }
    }

    /// The part of a look-alike's change inside `target`'s dominant subspace (see
    /// `SynthRecipe.SubspaceShare`): U_target · G · V_targetᵀ with G = Qᵀ diag(σ′) Q, Q a
    /// rotation seeded by this component and tensor, σ′ this component's power law holding
    /// `overlap` of its low-rank energy. Written as a low-rank term on the target's left
    /// factor with unit singular values and the right factor G·V packed.
    static func sharedSubspaceTerm(recipe: SynthRecipe, component: SynthRecipe.Component, target: SynthRecipe.Component,
                                   overlap: Double, amplitude: Double, tensor: String, shape: [Int], widthDivisor: Int) -> Term? {
        let (rows, cols) = SynthField.geometry(of: shape)
        guard let spectrum = component.spectrum, let targetSpectrum = target.spectrum,
              case let rank = targetSpectrum.effectiveRank(rows: rows, cols: cols, widthDivisor: widthDivisor), rank > 0 else { return nil }
        let own = SynthField(recipeSeed: recipe.seed, component: component)
        let field = SynthField(recipeSeed: recipe.seed, component: target)
        let sigma = powerLaw(rank: rank, exponent: spectrum.exponent, energy: (1 - spectrum.tail) * overlap)
        let q = rotation(size: rank, seed: own.factorKey(tensor: tensor, side: 2))
        // G[a][b] = Σ_k Q[k][a] σ′_k Q[k][b]
        var g = [Double](repeating: 0, count: rank * rank)
        for a in 0 ..< rank {
            for b in 0 ..< rank {
                var sum = 0.0
                for k in 0 ..< rank { sum += q[k * rank + a] * sigma[k] * q[k * rank + b] }
                g[a * rank + b] = sum
            }
        }
        // The target's right factor with this component's amplitude on the target's columns:
        // the same right subspace as the target's own change.
        let coefficients = field.columnFactors(tensor: tensor, shape: shape).map { Float(amplitude * $0) }
        let vKey = field.factorKey(tensor: tensor, side: 1)
        var packed = [Float](repeating: 0, count: cols * rank)
        packed.withUnsafeMutableBufferPointer { vp in
            coefficients.withUnsafeBufferPointer { c in
                // SAFETY: vp holds cols·rank floats and c holds cols, as the kernel requires.
                precondition(vp.count >= cols * rank && c.count >= cols)
                ps_lowrank_pack(vp.baseAddress, cols, rank, UInt32(truncatingIfNeeded: vKey), UInt32(truncatingIfNeeded: vKey >> 32), c.baseAddress)
            }
        }
        // Mix each column's rank entries by G, in `ps_lowrank_pack`'s panel layout.
        let tile = 16, tiles = cols / tile, rem = cols - tiles * tile
        var column = [Double](repeating: 0, count: rank)
        for j in 0 ..< cols {
            let t = j / tile
            let index: (Int) -> Int = { k in t < tiles ? t * rank * tile + k * tile + (j % tile) : tiles * rank * tile + k * rem + (j - tiles * tile) }
            for k in 0 ..< rank { column[k] = Double(packed[index(k)]) }
            for a in 0 ..< rank {
                var sum = 0.0
                for b in 0 ..< rank { sum += g[a * rank + b] * column[b] }
                packed[index(a)] = Float(sum)
            }
        }
        let uKey = field.factorKey(tensor: tensor, side: 0)
        return .lowRank(keyLo: UInt32(truncatingIfNeeded: uKey), keyHi: UInt32(truncatingIfNeeded: uKey >> 32),
                        singular: [Float](repeating: 1, count: rank), packed: packed, rank: rank)
    }

    /// A seeded rotation (row-major size × size): Gram–Schmidt on uniform entries, in double.
    static func rotation(size: Int, seed: UInt64) -> [Double] {
        var generator = SplitMix64(seed: seed)
        var q = (0 ..< size * size).map { _ in DeterministicMath.unit(generator.next()) - 0.5 }
        for k in 0 ..< size {
            for p in 0 ..< k {
                var dot = 0.0
                for i in 0 ..< size { dot += q[k * size + i] * q[p * size + i] }
                for i in 0 ..< size { q[k * size + i] -= dot * q[p * size + i] }
            }
            var norm = 0.0
            for i in 0 ..< size { norm += q[k * size + i] * q[k * size + i] }
            norm = norm.squareRoot()
            for i in 0 ..< size { q[k * size + i] /= norm > 0 ? norm : 1 }
        }
        return q
    }

    private static func noiseTerm(_ key: UInt64, _ coefficients: [Float]) -> Term {
        .noise(keyLo: UInt32(truncatingIfNeeded: key), keyHi: UInt32(truncatingIfNeeded: key >> 32), coefficients: coefficients)
    }

    /// Adds rows `rowRange` (row-major, `rowRange.count * cols` floats) to `out`.
    func accumulate(_ out: UnsafeMutablePointer<Float>, rows rowRange: Range<Int>) {
        for term in terms {
            switch term {
            case .noise(let keyLo, let keyHi, let coefficients):
                coefficients.withUnsafeBufferPointer { coefficients in
                    // SAFETY: `out` holds rowRange.count * cols floats (the caller's chunk) and
                    // `coefficients` holds cols floats; the kernel touches nothing else.
                    precondition(coefficients.count >= cols)
                    ps_accumulate_noise(out, rowRange.count, cols, UInt32(truncatingIfNeeded: rowRange.lowerBound * cols),
                                        keyLo, keyHi, coefficients.baseAddress)
                }
            case .lowRank(let keyLo, let keyHi, let singular, let packed, let rank):
                singular.withUnsafeBufferPointer { s in
                    packed.withUnsafeBufferPointer { vp in
                        // SAFETY: `out` holds rowRange.count * cols floats, `s` rank floats and
                        // `vp` cols * rank floats packed by ps_lowrank_pack; rank ≤ 512 < 1024.
                        precondition(s.count >= rank && vp.count >= cols * rank && rank <= 1024)
                        ps_accumulate_lowrank(out, rowRange.count, cols, UInt32(truncatingIfNeeded: rowRange.lowerBound),
                                              keyLo, keyHi, s.baseAddress, vp.baseAddress, rank)
                    }
                }
            }
        }
    }
}

extension SynthField {
    /// Keys of a spectral delta's left (side 0) and right (side 1) factors.
    func factorKey(tensor: String, side: UInt64) -> UInt64 {
        DeterministicMath.key(recipeSeed, component.seed, FNV1a.hash(tensor), 3 + side)
    }
}
