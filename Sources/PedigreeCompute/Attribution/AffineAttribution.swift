/// Joint attribution of a candidate's weights to every reference at once.
///
/// Model: C ≈ Σᵢ γᵢ Rᵢ + own, with Σᵢ γᵢ = 1 (an affine combination of the references, so
/// that no common root has to be given: with a single root A₀ it is exactly
/// C ≈ A₀ + Σᵢ γᵢ (Rᵢ − A₀)). The γ are the least-squares fit, solved from the Gram matrix
/// the one-pass engine accumulates, so no weights are read again.
///
/// A reference's *share* is the weight on its own change (from its nearest compared
/// ancestor): β_X = Σ γ over X's subtree. For a planted C = I + 0.6 (N − I), β_N = 0.6 and
/// β of Illustrious (over SDXL, if SDXL is compared) = 1. For a root of a multi-root forest
/// (two lines with no compared common ancestor) β is the weight of that line.
public enum AffineAttribution {
    public struct Solution: Sendable, Equatable {
        /// By file index (0 unused): the affine weight γ.
        public var weights: [Double]
        /// By file index: β, nil for the candidate and for references whose own change is
        /// too small in this group to be told apart from their ancestor's.
        public var shares: [Double?]
        /// ‖C − Σγ R‖² / ‖C − root‖²: what no reference explains.
        public var unexplained: Double
    }

    /// `gram(f, g)` = ⟨x_f, x_g⟩ over the group (file 0 the candidate). `equal`, when given,
    /// restricts the fit to the candidate's changed support against reference `equal.base`:
    /// it is the Gram of differences from that base over the elements where C equals it.
    public static func solve(
        forest: CompareForest, gram: (Int, Int) -> Double, equal: (base: Int, gram: (Int, Int) -> Double)? = nil
    ) -> Solution? {
        let n = forest.labels.count
        guard n >= 2 else { return nil }
        let pivot = equal?.base ?? forest.roots.first ?? 1
        // Differences from the pivot: D[f][g] = ⟨x_f − x_p, x_g − x_p⟩ (over the support).
        var d = Array(repeating: Array(repeating: 0.0, count: n), count: n)
        for f in 0 ..< n {
            for g in f ..< n {
                var value = gram(f, g) - gram(f, pivot) - gram(pivot, g) + gram(pivot, pivot)
                if let equal { value -= equal.gram(f, g) }
                d[f][g] = value
                d[g][f] = value
            }
        }
        guard d[0][0].isFinite, d[0][0] >= 0 else { return nil }

        // A reference whose own change is negligible here cannot be told from its ancestor:
        // leave it out of the fit (its weight folds into the ancestor's) and report no share.
        let scale = max(forest.references.map { d[$0][$0] }.max() ?? 0, d[0][0], .leastNonzeroMagnitude)
        /// ‖X − its nearest compared ancestor‖² here; for a root, its distance from the pivot.
        func ownEnergy(_ x: Int) -> Double {
            guard let p = forest.parent[x] else { return d[x][x] }
            return d[x][x] - 2 * d[x][p] + d[p][p]
        }
        let identifiable = forest.references.filter { $0 == pivot || ownEnergy($0) > 1e-9 * scale }
        let variables = identifiable.filter { $0 != pivot }

        var gamma = Array(repeating: 0.0, count: n)
        if !variables.isEmpty {
            let m = variables.map { i in variables.map { j in d[i][j] } }
            let rhs = variables.map { d[$0][0] }
            guard let solved = SmallLinearSolve.solve(m, rhs) else { return nil }
            for (k, v) in variables.enumerated() { gamma[v] = solved[k] }
        }
        gamma[pivot] = 1 - variables.reduce(0) { $0 + gamma[$1] }

        var shares = [Double?](repeating: nil, count: n)
        for x in identifiable {
            shares[x] = forest.subtree(of: x).reduce(0) { $0 + gamma[$1] }
        }
        // Residual at the optimum: ‖d₀‖² − Σ γ_i ⟨d_i, d₀⟩ (pivot-relative).
        let explained = variables.reduce(0) { $0 + gamma[$1] * d[$1][0] }
        let residual = max(0, d[0][0] - explained)
        // Relative to the candidate's change from its root (the line it sits on most).
        let root = forest.roots.max { (shares[$0] ?? 0) < (shares[$1] ?? 0) } ?? pivot
        let fromRoot = d[0][0] - 2 * d[0][root] + d[root][root]
        let unexplained = fromRoot > 0 ? min(1, residual / fromRoot) : 0
        return Solution(weights: gamma, shares: shares, unexplained: unexplained)
    }
}

/// Gaussian elimination with partial pivoting for the few-by-few normal equations, with a
/// ridge of 1e-12 × the trace so exactly collinear references give a finite answer.
enum SmallLinearSolve {
    static func solve(_ matrix: [[Double]], _ rhs: [Double]) -> [Double]? {
        let n = rhs.count
        guard n > 0, matrix.count == n else { return nil }
        let trace = (0 ..< n).reduce(0) { $0 + abs(matrix[$1][$1]) }
        guard trace.isFinite, trace > 0 else { return nil }
        var a = matrix
        var b = rhs
        for i in 0 ..< n { a[i][i] += 1e-12 * trace }
        for column in 0 ..< n {
            var best = column
            for row in column + 1 ..< n where abs(a[row][column]) > abs(a[best][column]) { best = row }
            guard abs(a[best][column]) > 0, a[best][column].isFinite else { return nil }
            if best != column { a.swapAt(best, column); b.swapAt(best, column) }
            for row in column + 1 ..< n {
                let factor = a[row][column] / a[column][column]
                guard factor != 0 else { continue }
                for k in column ..< n { a[row][k] -= factor * a[column][k] }
                b[row] -= factor * b[column]
            }
        }
        var x = Array(repeating: 0.0, count: n)
        for row in stride(from: n - 1, through: 0, by: -1) {
            var sum = b[row]
            for k in row + 1 ..< n { sum -= a[row][k] * x[k] }
            x[row] = sum / a[row][row]
        }
        return x.allSatisfy(\.isFinite) ? x : nil
    }
}
