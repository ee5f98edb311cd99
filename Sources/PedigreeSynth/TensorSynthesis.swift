import CPedigreeKernels
import PedigreeFormat

/// Everything needed to compute any rows of one tensor of one model: per component with
/// a non-zero weight, the noise key and the per-column coefficients (weight · amplitude ·
/// column factor, rounded once to Float).
struct TensorSynthesis {
    struct Term {
        let keyLo: UInt32
        let keyHi: UInt32
        let coefficients: [Float]
    }

    let rows: Int
    let cols: Int
    let terms: [Term]

    init(recipe: SynthRecipe, model: SynthRecipe.Model, tensor: String, shape: [Int]) {
        (rows, cols) = SynthField.geometry(of: shape)
        // Declaration order, not the model's listing order, fixes the summation order, so
        // `{a: 1, b: 1}` and `{b: 1, a: 1}` give the same bytes.
        terms = recipe.components.compactMap { component in
            let weight = model.weight(of: component.name)
            guard weight != 0 else { return nil }
            let field = SynthField(recipeSeed: recipe.seed, component: component)
            let amplitude = weight * field.amplitude(tensor: tensor, shape: shape)
            let key = field.noiseKey(tensor: tensor)
            return Term(keyLo: UInt32(truncatingIfNeeded: key), keyHi: UInt32(truncatingIfNeeded: key >> 32),
                        coefficients: field.columnFactors(tensor: tensor, shape: shape).map { Float(amplitude * $0) })
        }
    }

    /// Writes rows `rowRange` (row-major, `rowRange.count * cols` floats) into `out`.
    func fill(_ out: UnsafeMutablePointer<Float>, rows rowRange: Range<Int>) {
        let count = rowRange.count * cols
        out.initialize(repeating: 0, count: count)
        for term in terms {
            term.coefficients.withUnsafeBufferPointer { coefficients in
                // SAFETY: `out` holds rowRange.count * cols floats (the caller's chunk) and
                // `coefficients` holds cols floats; the kernel touches nothing else.
                ps_accumulate_noise(out, rowRange.count, cols, UInt32(truncatingIfNeeded: rowRange.lowerBound * cols),
                                    term.keyLo, term.keyHi, coefficients.baseAddress)
            }
        }
    }
}
