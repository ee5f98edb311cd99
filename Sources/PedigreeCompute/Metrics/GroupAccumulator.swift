/// Sums per-tensor statistics over a group (all tensors, a component, or a block) and
/// derives the group's figures. In sampled mode each tensor is a stratum: its sampled
/// columns stand for all of its columns, and a 95% interval follows from the spread of
/// the per-column values within each stratum.
struct GroupAccumulator {
    let pairs: PairIndex
    let sampled: Bool
    private(set) var tensors = 0
    private(set) var columns = 0
    private(set) var parameters = 0
    /// Gram entries, scaled to the full tensor in sampled mode.
    private(set) var gram: [Double]
    private var cosineSum: [Double]
    private var cosineCount: [Double]
    private var weightedSum: [Double]
    private var weightedCount: [Double]
    /// Stratified estimator pieces (sampled mode): Σ N·mean, Σ N, and the variance terms.
    private var strataMean: [Double]
    private var strataWeight: [Double]
    private var strataVariance: [StratifiedInterval]
    /// Sampled mode: each tensor's (all columns, sampled columns, Σ G_j, Σ G_j G_jᵀ).
    private var strata: [(full: Double, k: Double, sums: [Double], moments: [Double])] = []

    init(pairs: PairIndex, sampled: Bool) {
        self.pairs = pairs
        self.sampled = sampled
        let q = pairs.crossPairs.count
        gram = Array(repeating: 0, count: pairs.count)
        cosineSum = Array(repeating: 0, count: q)
        cosineCount = Array(repeating: 0, count: q)
        weightedSum = Array(repeating: 0, count: q)
        weightedCount = Array(repeating: 0, count: q)
        strataMean = Array(repeating: 0, count: q)
        strataWeight = Array(repeating: 0, count: q)
        strataVariance = Array(repeating: StratifiedInterval(), count: q)
    }

    mutating func add(_ stats: TensorStatistics) {
        let full = Double(stats.tensor.columns)
        let k = Double(max(stats.comparedColumns, 1))
        let scale = sampled ? full / k : 1
        tensors += 1
        columns += stats.tensor.columns
        parameters += stats.tensor.columns * stats.tensor.rows
        for p in 0 ..< gram.count { gram[p] += stats.gram[p] * scale }
        if sampled, let moments = stats.gramMoments { strata.append((full, k, stats.gram, moments)) }
        let rows = Double(max(stats.tensor.rows, 1))
        for q in 0 ..< cosineSum.count {
            let count = Double(stats.columnCount[q])
            cosineSum[q] += stats.columnCosineSum[q]
            cosineCount[q] += count
            weightedSum[q] += rows * stats.columnCosineSum[q] * scale
            weightedCount[q] += rows * count * scale
            guard count > 0 else { continue }
            let mean = stats.columnCosineSum[q] / count
            strataMean[q] += full * mean
            strataWeight[q] += full
            if count > 1, count < full {
                let variance = max(0, (stats.columnCosineSquares[q] - count * mean * mean) / (count - 1))
                strataVariance[q].add(term: full * full * variance / count * (1 - count / full), samples: count)
            }
        }
    }

    /// The seed article's mean over columns (NaN columns ignored), or its stratified estimate.
    func meanCosine(_ q: Int) -> Double {
        if sampled { return strataWeight[q] > 0 ? strataMean[q] / strataWeight[q] : .nan }
        return cosineCount[q] > 0 ? cosineSum[q] / cosineCount[q] : .nan
    }

    func parameterWeighted(_ q: Int) -> Double { weightedCount[q] > 0 ? weightedSum[q] / weightedCount[q] : .nan }

    func interval(_ q: Int) -> Interval? {
        guard sampled, strataWeight[q] > 0 else { return nil }
        let mean = meanCosine(q)
        let halfWidth = strataVariance[q].halfWidth / strataWeight[q]
        return Interval(low: mean - halfWidth, high: mean + halfWidth)
    }

    func g(_ a: Int, _ b: Int) -> Double { gram[pairs(a, b)] }

    func flatCosine(_ a: Int, _ b: Int) -> Double { g(a, b) / (g(a, a) * g(b, b)).squareRoot() }

    /// ‖a − b‖ / ‖b‖.
    func relativeL2(_ a: Int, _ b: Int) -> Double { max(0, g(a, a) + g(b, b) - 2 * g(a, b)).squareRoot() / g(b, b).squareRoot() }

    /// Share and cosine of the candidate's (index 0) change from `ancestor` along the
    /// change from `ancestor` to `descendant`.
    func delta(ancestor a: Int, descendant d: Int) -> (share: Double, cosine: Double) {
        let c = 0
        let along = g(c, d) - g(c, a) - g(a, d) + g(a, a)
        let descendantChange = g(d, d) - 2 * g(a, d) + g(a, a)
        let candidateChange = g(c, c) - 2 * g(c, a) + g(a, a)
        let share = along / descendantChange
        let cosine = along / (max(descendantChange, 0) * max(candidateChange, 0)).squareRoot()
        return (share, cosine)
    }

    /// 95% interval of the candidate's delta share and cosine along A → D, by
    /// linearising each ratio in the per-column Gram entries and summing the stratified
    /// sampling variance of that linear statistic over tensors.
    func deltaIntervals(ancestor a: Int, descendant d: Int) -> (share: Interval, cosine: Interval)? {
        guard sampled, !strata.isEmpty else { return nil }
        let n = pairs.count
        var along = [Double](repeating: 0, count: n)       // ⟨C−A, D−A⟩
        var descendant = [Double](repeating: 0, count: n)  // ‖D−A‖²
        var candidate = [Double](repeating: 0, count: n)   // ‖C−A‖²
        along[pairs(0, d)] += 1; along[pairs(0, a)] -= 1; along[pairs(a, d)] -= 1; along[pairs(a, a)] += 1
        descendant[pairs(d, d)] += 1; descendant[pairs(a, d)] -= 2; descendant[pairs(a, a)] += 1
        candidate[pairs(0, 0)] += 1; candidate[pairs(0, a)] -= 2; candidate[pairs(a, a)] += 1
        func total(_ c: [Double]) -> Double { (0 ..< n).reduce(0) { $0 + c[$1] * gram[$1] } }
        let x = total(along), y = total(descendant), z = total(candidate)
        guard y > 0, z > 0 else { return nil }
        let share = x / y
        let cosine = x / (y * z).squareRoot()
        let shareLinear = (0 ..< n).map { (along[$0] - share * descendant[$0]) / y }
        let cosineLinear = (0 ..< n).map { along[$0] / (y * z).squareRoot() - cosine / 2 * (descendant[$0] / y + candidate[$0] / z) }
        func halfWidth(_ lambda: [Double]) -> Double {
            var interval = StratifiedInterval()
            for s in strata where s.k > 1 && s.k < s.full {
                var sum = 0.0, square = 0.0
                for p in 0 ..< n {
                    sum += lambda[p] * s.sums[p]
                    for q in 0 ..< n { square += lambda[p] * lambda[q] * s.moments[p * n + q] }
                }
                let spread = max(0, (square - sum * sum / s.k) / (s.k - 1))
                interval.add(term: s.full * s.full * spread / s.k * (1 - s.k / s.full), samples: s.k)
            }
            return interval.halfWidth
        }
        let hs = halfWidth(shareLinear), hc = halfWidth(cosineLinear)
        return (Interval(low: share - hs, high: share + hs), Interval(low: cosine - hc, high: cosine + hc))
    }

    func gramMatrix() -> [[Double]] { (0 ..< pairs.files).map { a in (0 ..< pairs.files).map { g(a, $0) } } }

    func figures(name: String, candidate: Int, reference: Int, crossIndex q: Int) -> GroupFigures {
        GroupFigures(
            name: name, meanCosine: meanCosine(q), parameterWeightedCosine: parameterWeighted(q),
            flatCosine: flatCosine(candidate, reference), relativeL2: relativeL2(candidate, reference),
            tensors: tensors, columns: columns, parameters: parameters, interval: interval(q))
    }
}
