/// The 95% interval of a stratified estimate: each tensor is a stratum whose sampled
/// columns stand for all of its columns. Variance terms add up over strata; the
/// Welch–Satterthwaite degrees of freedom turn them into a Student-t interval, which
/// matters when a block has few tensors with few sampled columns each.
struct StratifiedInterval {
    private(set) var variance = 0.0
    private var dfDenominator = 0.0

    /// Adds one stratum's variance contribution `term` (already scaled), estimated from
    /// `samples` values.
    mutating func add(term: Double, samples: Double) {
        guard term > 0, samples > 1 else { return }
        variance += term
        dfDenominator += term * term / (samples - 1)
    }

    var degreesOfFreedom: Double { dfDenominator > 0 ? variance * variance / dfDenominator : .infinity }

    /// Half-width of the two-sided 95% interval.
    var halfWidth: Double { Self.t975(degreesOfFreedom) * variance.squareRoot() }

    /// The 97.5% quantile of Student's t: exact table to 30 degrees of freedom, then an
    /// expansion in 1/df that is within 0.001 of the true value.
    static func t975(_ df: Double) -> Double {
        let table: [Double] = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                               2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
                               2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042]
        guard df.isFinite else { return 1.959964 }
        if df < 1 { return table[0] }
        if df <= 30 { return table[Int(df.rounded(.down)) - 1] }
        let z = 1.959964
        return z + (z * z * z + z) / (4 * df) + (5 * pow5(z) + 16 * z * z * z + 3 * z) / (96 * df * df)
    }

    private static func pow5(_ x: Double) -> Double { x * x * x * x * x }
}
