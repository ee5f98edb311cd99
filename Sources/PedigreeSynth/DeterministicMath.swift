import PedigreeSupport
/// Hashing and the few transcendental functions synthetic weights need, written out in
/// plain IEEE double arithmetic so that every platform computes the same bits.
///
/// Why not `Foundation.exp`/`log`: libm implementations differ in their last bit between
/// glibc, Darwin and versions of each, and a one-ulp difference in a column scale changes
/// the bytes of a checkpoint. Same recipe → same bytes is a promise of `pedigree synth`.
enum DeterministicMath {
    /// The SplitMix64 finaliser: turns structured inputs (seeds, counters) into well-mixed keys.
    static func mix64(_ value: UInt64) -> UInt64 {
        SplitMix64.finalise(value &+ SplitMix64.gamma)
    }

    /// Combines several 64-bit values into one key; order matters.
    static func key(_ parts: UInt64...) -> UInt64 {
        parts.reduce(0x5eed_5eed_5eed_5eed) { mix64($0 ^ mix64($1)) }
    }

    /// A uniform value in [0, 1) from the top 53 bits of a hash.
    static func unit(_ hash: UInt64) -> Double { Double(hash >> 11) * 0x1p-53 }

    /// A log-uniform factor in [1/spread, spread] from a hash: spread^(2u - 1).
    static func logUniform(_ hash: UInt64, logSpread: Double) -> Double {
        exp((2 * unit(hash) - 1) * logSpread)
    }

    static let ln2 = 0.693_147_180_559_945_3

    /// Natural logarithm for x > 0 (x ≤ 0 gives 0; callers validate first).
    static func log(_ x: Double) -> Double {
        guard x > 0, x.isFinite else { return 0 }
        // x = m · 2^e with m in [1, 2); move m into [√½, √2] so the series converges fast.
        var m = x.significand
        var e = Double(Int(x.exponent))
        if m > 1.414_213_562_373_095 { m /= 2; e += 1 }
        // ln m = 2 atanh(z), z = (m - 1)/(m + 1), |z| ≤ 0.172: 13 odd terms reach 1e-21.
        let z = (m - 1) / (m + 1)
        let z2 = z * z
        var term = z
        var sum = 0.0
        var n = 1.0
        for _ in 0 ..< 13 {
            sum += term / n
            term *= z2
            n += 2
        }
        return 2 * sum + e * ln2
    }

    /// e^x for |x| below a few hundred (column and block factors stay within ±10).
    static func exp(_ x: Double) -> Double {
        let k = (x / ln2).rounded()
        let r = x - k * ln2  // |r| ≤ ln2/2, where 20 Taylor terms are exact to double precision.
        var term = 1.0
        var sum = 1.0
        for i in 1 ... 20 {
            term *= r / Double(i)
            sum += term
        }
        return Double(sign: .plus, exponent: Int(k), significand: sum)
    }
}

extension DeterministicMath {
    static let pi = 3.141_592_653_589_793

    /// sin x for |x| ≤ π (slerp angles), by its Taylor series: 30 terms reach double precision there.
    static func sin(_ x: Double) -> Double {
        var term = x, sum = x
        for i in 1 ... 30 {
            term *= -x * x / Double((2 * i) * (2 * i + 1))
            sum += term
        }
        return sum
    }

    /// cos x for |x| ≤ π.
    static func cos(_ x: Double) -> Double {
        var term = 1.0, sum = 1.0
        for i in 1 ... 30 {
            term *= -x * x / Double((2 * i - 1) * (2 * i))
            sum += term
        }
        return sum
    }

    /// arccos c for c in [−1, 1], by bisection on the decreasing cos over [0, π]
    /// (64 halvings: below double resolution of the angle).
    static func acos(_ c: Double) -> Double {
        let c = Swift.min(1, Swift.max(-1, c))
        var low = 0.0, high = pi
        for _ in 0 ..< 64 {
            let mid = (low + high) / 2
            if cos(mid) > c { low = mid } else { high = mid }
        }
        return (low + high) / 2
    }
}
