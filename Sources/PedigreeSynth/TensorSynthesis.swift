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
            let raw = (0 ..< rank).map { DeterministicMath.exp(-spectrum.exponent * DeterministicMath.log(Double($0 + 1))) }
            let norm = (raw.reduce(0) { $0 + $1 * $1 } / (1 - spectrum.tail)).squareRoot()
            let singular = raw.map { Float($0 / norm) }
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
            if spectrum.tail > 0 {
                let t = spectrum.tail.squareRoot()
                result.append(Self.noiseTerm(key, factors.map { Float(amplitude * t * $0) }))
            }
            return result
        }
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
