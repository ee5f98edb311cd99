import CPedigreeKernels
import Foundation
import PedigreeFormat
import PedigreeSupport
import Testing
@testable import PedigreeCompute

/// The spectral view of a reference pair (issue 12): the hand-written SVD kernels against
/// known decompositions and each other, the width-divisor inference, the removal rule, and
/// hostile spectral profiles in compare JSON.
@Suite("Spectral profile") struct SpectralTests {
    /// A deterministic pseudo-random value in [-1, 1).
    static func value(_ i: Int, _ seed: UInt64) -> Float {
        let z = SplitMix64.finalise(UInt64(i) &* SplitMix64.gamma &+ seed)
        return Float(Double(z >> 40) / Double(1 << 24) * 2 - 1)
    }

    /// rows × cols with singular values s_t = (t + 1)^-exponent on random orthonormal
    /// directions (orthonormalised in Double), plus `noise` times i.i.d. values.
    static func matrix(rows: Int, cols: Int, rank: Int, exponent: Double, noise: Float = 0) -> (m: [Float], s: [Double]) {
        func orthonormal(_ n: Int, _ seed: UInt64) -> [[Double]] {
            var basis: [[Double]] = []
            for t in 0 ..< rank {
                var x = (0 ..< n).map { Double(value(t * n + $0, seed)) }
                for _ in 0 ..< 2 {
                    for b in basis {
                        let dot = zip(x, b).reduce(0) { $0 + $1.0 * $1.1 }
                        for i in 0 ..< n { x[i] -= dot * b[i] }
                    }
                }
                let norm = x.reduce(0) { $0 + $1 * $1 }.squareRoot()
                basis.append(x.map { $0 / norm })
            }
            return basis
        }
        let u = orthonormal(rows, 1), v = orthonormal(cols, 2)
        let s = (0 ..< rank).map { pow(Double($0 + 1), -exponent) }
        var m = [Float](repeating: 0, count: rows * cols)
        for i in 0 ..< rows {
            for j in 0 ..< cols {
                var sum = 0.0
                for t in 0 ..< rank { sum += s[t] * u[t][i] * v[t][j] }
                m[i * cols + j] = Float(sum) + noise * value(i * cols + j, 3)
            }
        }
        return (m, s)
    }

    static func decompose(_ m: [Float], rows: Int, cols: Int, k: Int, randomized: Bool, oversample: Int = 10) -> (u: [Float], s: [Float], v: [Float], found: Int) {
        var u = [Float](repeating: 0, count: rows * k), s = [Float](repeating: 0, count: k), v = [Float](repeating: 0, count: cols * k)
        let found = m.withUnsafeBufferPointer { mp in
            u.withUnsafeMutableBufferPointer { up in
                s.withUnsafeMutableBufferPointer { sp in
                    v.withUnsafeMutableBufferPointer { vp in
                        randomized
                            ? pk_svd_top_randomized(mp.baseAddress, rows, cols, k, oversample, 2, 7, up.baseAddress, sp.baseAddress, vp.baseAddress)
                            : pk_svd_top_exact(mp.baseAddress, rows, cols, k, up.baseAddress, sp.baseAddress, vp.baseAddress)
                    }
                }
            }
        }
        return (u, s, v, Int(found))
    }

    static func lowRank(_ d: (u: [Float], s: [Float], v: [Float], found: Int), rows: Int, cols: Int) -> [Double] {
        let k = d.found
        var out = [Double](repeating: 0, count: rows * cols)
        for i in 0 ..< rows {
            for j in 0 ..< cols {
                var sum = 0.0
                for t in 0 ..< k { sum += Double(d.s[t]) * Double(d.u[i * k + t]) * Double(d.v[j * k + t]) }
                out[i * cols + j] = sum
            }
        }
        return out
    }

    @Test("exact SVD recovers planted singular values and directions, tall and wide")
    func exactRecoversPlanted() {
        for (rows, cols) in [(90, 40), (40, 90)] {
            let (m, s) = Self.matrix(rows: rows, cols: cols, rank: 12, exponent: 0.7)
            let d = Self.decompose(m, rows: rows, cols: cols, k: 12, randomized: false)
            #expect(d.found == 12)
            for t in 0 ..< 12 { #expect(abs(Double(d.s[t]) - s[t]) < 1e-5, "σ\(t) \(d.s[t]) vs \(s[t])") }
            // Rank 12 reproduces the whole (rank-12) matrix.
            let rebuilt = Self.lowRank(d, rows: rows, cols: cols)
            let error = zip(rebuilt, m).map { ($0 - Double($1)) * ($0 - Double($1)) }.reduce(0, +).squareRoot()
            #expect(error < 1e-4, "reconstruction error \(error)")
        }
    }

    @Test("randomized SVD matches the exact one on a decaying spectrum with a noise floor")
    func randomizedMatchesExact() {
        let (rows, cols, k) = (300, 160, 16)
        let (m, _) = Self.matrix(rows: rows, cols: cols, rank: 60, exponent: 1.0, noise: 0.002)
        let exact = Self.decompose(m, rows: rows, cols: cols, k: k, randomized: false)
        let fast = Self.decompose(m, rows: rows, cols: cols, k: k, randomized: true)
        #expect(exact.found == k && fast.found == k)
        for t in 0 ..< k { #expect(abs(exact.s[t] - fast.s[t]) <= 2e-3 * exact.s[0], "σ\(t): \(fast.s[t]) vs \(exact.s[t])") }
        // What the profile needs: the energy beyond rank k, ‖M − L_k‖², within 1% of the
        // optimum (Eckart–Young: the exact truncation's), and L_k the projection it claims.
        let total = m.reduce(0.0) { $0 + Double($1) * Double($1) }
        func beyond(_ d: (u: [Float], s: [Float], v: [Float], found: Int)) -> Double {
            let l = Self.lowRank(d, rows: rows, cols: cols)
            return zip(l, m).reduce(0.0) { $0 + ($1.0 - Double($1.1)) * ($1.0 - Double($1.1)) }
        }
        let optimum = beyond(exact), found = beyond(fast)
        #expect(found <= optimum * 1.01, "beyond rank \(k): \(found) vs optimum \(optimum)")
        #expect(abs(found - (total - fast.s.reduce(0.0) { $0 + Double($1) * Double($1) })) < 1e-3 * total)
        // With k + oversample at the smaller side it is the exact decomposition.
        let whole = Self.decompose(m, rows: rows, cols: cols, k: 150, randomized: true, oversample: 10)
        let exactWhole = Self.decompose(m, rows: rows, cols: cols, k: 150, randomized: false)
        #expect(whole.s == exactWhole.s)
    }

    @Test("randomized SVD of a change of lower rank than asked (a LoRA-trained model): exact on the rank, zero beyond")
    func randomizedLowRank() {
        let (rows, cols) = (300, 200)
        let (m, s) = Self.matrix(rows: rows, cols: cols, rank: 5, exponent: 0.5)
        let d = Self.decompose(m, rows: rows, cols: cols, k: 16, randomized: true)
        #expect(d.found == 16)
        for t in 0 ..< 5 { #expect(abs(Double(d.s[t]) - s[t]) < 1e-4, "σ\(t) \(d.s[t]) vs \(s[t])") }
        for t in 5 ..< 16 { #expect(d.s[t] < 1e-4, "σ\(t) \(d.s[t])") }
        let rebuilt = Self.lowRank(d, rows: rows, cols: cols)
        let error = zip(rebuilt, m).map { ($0 - Double($1)) * ($0 - Double($1)) }.reduce(0, +).squareRoot()
        #expect(error < 1e-3, "reconstruction error \(error)")
    }

    @Test("symmetric eigen-decomposition: known eigenvalues, orthonormal vectors, descending")
    func symmetricEigen() {
        let n = 40
        // Q diag(λ) Qᵀ with Q from the planted orthonormal directions.
        let (rows, _) = (n, n)
        let (m, _) = Self.matrix(rows: rows, cols: n, rank: n, exponent: 0)  // orthogonal-ish: s = 1
        let q = m.map(Double.init)
        let lambda = (0 ..< n).map { Double(n - $0) * 0.5 - 3 }  // includes negatives
        var a = [Double](repeating: 0, count: n * n)
        for i in 0 ..< n { for j in 0 ..< n { for t in 0 ..< n { a[i * n + j] += q[i * n + t] * lambda[t] * q[j * n + t] } } }
        var values = [Double](repeating: 0, count: n), vectors = [Double](repeating: 0, count: n * n)
        var copy = a
        _ = pk_sym_eigen(&copy, n, &values, &vectors)
        for t in 0 ..< n { #expect(abs(values[t] - lambda[t]) < 1e-6, "λ\(t) \(values[t]) vs \(lambda[t])") }
        for s in 0 ..< n {
            for t in 0 ..< n {
                let dot = (0 ..< n).reduce(0.0) { $0 + vectors[$1 * n + s] * vectors[$1 * n + t] }
                #expect(abs(dot - (s == t ? 1 : 0)) < 1e-9)
            }
        }
    }

    @Test("⟨c, L_k⟩ from the kernel equals the direct sum, with cumulative partials")
    func lowRankInner() {
        let (rows, cols, k) = (50, 30, 6)
        let (m, _) = Self.matrix(rows: rows, cols: cols, rank: 10, exponent: 0.5)
        let d = Self.decompose(m, rows: rows, cols: cols, k: k, randomized: false)
        let c = (0 ..< rows * cols).map { Self.value($0, 9) }
        var partial = [Double](repeating: 0, count: k)
        let total = c.withUnsafeBufferPointer { cp in
            pk_lowrank_inner(cp.baseAddress, rows, cols, d.u, d.s, d.v, k, &partial)
        }
        let direct = zip(Self.lowRank(d, rows: rows, cols: cols), c).reduce(0) { $0 + $1.0 * Double($1.1) }
        #expect(abs(total - direct) < 1e-5 * max(1, abs(direct)))
        #expect(partial.last == total)
        // partial[0] is the inner product with the rank-1 approximation (strides are k's).
        var rank1 = 0.0
        for i in 0 ..< rows { for j in 0 ..< cols { rank1 += Double(d.s[0]) * Double(d.u[i * k]) * Double(d.v[j * k]) * Double(c[i * cols + j]) } }
        #expect(abs(partial[0] - rank1) < 1e-6 * max(1, abs(rank1)))
    }

    @Test("empty and degenerate inputs: zero sizes, a zero matrix")
    func degenerate() {
        let zero = [Float](repeating: 0, count: 20 * 10)
        let d = Self.decompose(zero, rows: 20, cols: 10, k: 3, randomized: true)
        #expect(d.found == 3)
        #expect(d.s.allSatisfy { $0 == 0 } && d.u.allSatisfy { $0 == 0 })
        #expect(pk_svd_top_exact(nil, 0, 10, 3, nil, nil, nil) == 0)
    }

    @Test("the width divisor is read from the shapes; ranks scale with it")
    func widthDivisor() {
        for divisor in [1, 16, 32] {
            let shapes = Dictionary(uniqueKeysWithValues: SDXLLayout.tensors.map { ($0.name, SDXLLayout.scaledShape($0.shape, widthDivisor: divisor)) })
            #expect(SpectralPass.widthDivisor(shapes: shapes) == divisor)
        }
        #expect(SpectralPass.widthDivisor(shapes: ["x": [3, 3]]) == 1)
        #expect(SpectralPass.scaledRank(64, divisor: 16, rows: 80, cols: 80) == 4)
        #expect(SpectralPass.scaledRank(256, divisor: 1, rows: 320, cols: 40) == 40)
        #expect(SpectralPass.scaledRank(64, divisor: 320, rows: 10, cols: 10) == 1)
    }

    /// Terms of blocks where the candidate carries `share` of the change beyond the top k and
    /// `top` within it (k = each probed rank; energy fractions of the top as given).
    static func terms(share: Double, top: [Double], topEnergy: [Double], blocks: Int = 8, jitter: Double = 0.01) -> [SpectralPass.Terms] {
        (0 ..< blocks).map { b in
            let dd = 1.0 + Double(b % 3)
            let wobble = 1 + jitter * Double(b % 5 - 2)
            let ll = topEnergy.map { $0 * dd }
            let cl = zip(top, ll).map { $0 * $1 * wobble }
            let cd = zip(cl, ll).map { $0 + share * wobble * (dd - $1) }.last!
            // cd must be one number: use the deepest rank's decomposition, and make the
            // others consistent by construction (same share beyond every k).
            return SpectralPass.Terms(block: "b\(b)", cd: cd, dd: dd, cl: cl, ll: ll)
        }
    }

    @Test("removal rule: a flat profile is not a removal; a subtracted top is, and the residual is used")
    func removalRule() throws {
        let flat = try #require(SpectralProfile(terms: Self.terms(share: 0.6, top: [0.6, 0.6, 0.6], topEnergy: [0.2, 0.35, 0.5])))
        #expect(flat.removedRank == nil)
        #expect(abs((flat.shares[0].share ?? 0) - 0.6) < 0.02)
        // An un-merged fine-tune: nothing left in the top 64, all of the change beyond.
        let unmerged = try #require(SpectralProfile(terms: Self.terms(share: 1.0, top: [0, 0.3, 0.6], topEnergy: [0.2, 0.35, 0.5])))
        #expect(unmerged.removedRank == 128)
        #expect(abs((unmerged.deepestResidual?.share ?? 0) - 1) < 0.02)
        #expect((unmerged.shares[0].share ?? 1) < 0.9)
        #expect(unmerged.shares.map(\.rank) == [0, 64, 128, 256])
        // A gap that the intervals do not resolve (two blocks: no interval) is no removal.
        let few = try #require(SpectralProfile(terms: Self.terms(share: 1.0, top: [0, 0, 0], topEnergy: [0.2, 0.35, 0.5], blocks: 2)))
        #expect(few.removedRank == nil)
        #expect(SpectralProfile(terms: []) == nil)
    }

    static func json(spectral: String, subtracted: String = "") -> Data {
        Data("""
            {"schema": "pedigree.compare/1", "candidate": {"path": "c.safetensors"},
             "references": [{"id": "noobai-xl-eps-1.0", "mean_cosine": 0.98}],
             "attribution": {"method": "affine-least-squares/1", "roots": ["illustrious-xl-v0.1"], "unexplained": 0.1,
               "interval_method": "x", "references": [{"id": "noobai-xl-eps-1.0", "ancestor": "illustrious-xl-v0.1",
               "share": 0.9, "estimator": "dense", "components": [], "blocks": [], "groups": [],
               "spectral": \(spectral)\(subtracted)}]}}
            """.utf8)
    }

    @Test("hostile spectral profiles in compare JSON are refused with CP005")
    func hostileProfiles() throws {
        let good = "[{\"rank\": 0, \"share\": 0.1, \"interval\": [0.05, 0.15]}, {\"rank\": 256, \"share\": 0.9}]"
        let read = try CompareResultFile.decode(Self.json(spectral: good, subtracted: ", \"subtracted_rank\": 256"), path: "c.json")
        #expect(read.attribution?.references.first?.subtractedRank == 256)
        #expect(read.attribution?.references.first?.spectral?.count == 2)
        let hostile = [
            (good, ", \"subtracted_rank\": 64"),                                   // not a rank of the profile
            (good, ", \"subtracted_rank\": 0"),                                    // rank 0 is the whole change
            ("[{\"rank\": -1, \"share\": 0.1}]", ""),                              // negative rank
            ("[{\"rank\": 64, \"share\": 0.1}, {\"rank\": 64, \"share\": 0.2}]", ""),  // a rank twice
            ("[{\"rank\": 64, \"share\": 0.1, \"interval\": [0.2, 0.1]}]", ""),     // low above high
            ("[{\"rank\": 64, \"share\": \"x\"}]", ""),                           // wrong type
            ("[{\"rank\": 99999999999, \"share\": 0.1}]", ""),                     // absurd rank
        ]
        for (spectral, subtracted) in hostile {
            #expect(throws: ComputeError.self, "\(spectral)\(subtracted)") {
                _ = try CompareResultFile.decode(Self.json(spectral: spectral, subtracted: subtracted), path: "c.json")
            }
        }
    }
}
