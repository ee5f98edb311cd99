/// The attribution of one group (the whole model, a component, a block or a block group):
/// every reference's share with its interval, by the estimator the group's weights call for.
struct GroupAttribution: Sendable {
    var shares: [Double?]
    var intervals: [IntervalPair?]
    var dense: [Double?]
    var support: [Double?]
    var estimator: ShareEstimator
    var unexplained: Double
    var unexplainedInterval: IntervalPair?

    /// Below this unchanged fraction a candidate is not treated as sparsified; above the
    /// upper bound too little of it changed to fit anything on the support.
    static let sparseRange = 0.05 ... 0.98
    /// Magnitude selection (TIES keeps the largest changes) shows as the reference's change
    /// holding more of its energy on the kept support than its share of elements; random
    /// dropping (DARE) does not, and DARE's rescaling keeps the whole-model projection right.
    static let magnitudeSelection = 1.25

    init?(units: [GramParts], forest: CompareForest, supportBase: Int?) {
        guard let first = units.first else { return nil }
        let total = units.total(pairs: first.pairs)
        func denseSolve(_ parts: GramParts) -> AffineAttribution.Solution? {
            AffineAttribution.solve(forest: forest, gram: parts.g)
        }
        func supportSolve(_ parts: GramParts, base: Int) -> AffineAttribution.Solution? {
            let equal = parts.equalGram[base]
            return AffineAttribution.solve(forest: forest, gram: parts.g, equal: (base, { equal[parts.pairs($0, $1)] }))
        }
        guard let whole = denseSolve(total) else { return nil }
        dense = whole.shares
        var chosen = whole
        var supportSolution: AffineAttribution.Solution?
        estimator = .dense
        if let base = supportBase, Self.sparseRange.contains(total.unchangedFraction(against: base)),
           let onSupport = supportSolve(total, base: base) {
            supportSolution = onSupport
            if Self.selectsByMagnitude(total, base: base, shares: onSupport.shares, forest: forest) {
                chosen = onSupport
                estimator = .support
            }
        }
        support = supportSolution?.shares ?? Array(repeating: nil, count: forest.labels.count)
        shares = chosen.shares
        unexplained = chosen.unexplained

        let useSupport = estimator == .support
        func solveChosen(_ parts: GramParts) -> AffineAttribution.Solution? {
            useSupport ? supportSolve(parts, base: supportBase!) : denseSolve(parts)
        }
        let leftOut = Jackknife.leaveOneOut(units: units, total: total)?.map(solveChosen)
        intervals = forest.labels.indices.map { x in
            guard let share = chosen.shares[x] else { return nil }
            return Jackknife.interval(estimate: share, leaveOneOut: leftOut?.map { $0?.shares[x] ?? nil })
        }
        unexplainedInterval = Jackknife.interval(estimate: chosen.unexplained, leaveOneOut: leftOut?.map { $0?.unexplained })
    }

    /// Whether the support was chosen by magnitude: the reference with the largest share on
    /// the support keeps a larger fraction of its own change's energy there than of its
    /// elements.
    static func selectsByMagnitude(_ parts: GramParts, base: Int, shares: [Double?], forest: CompareForest) -> Bool {
        let kept = 1 - parts.unchangedFraction(against: base)
        guard kept > 0 else { return false }
        let candidates = forest.references.filter { forest.parent[$0] != nil && $0 != base }
        guard let top = candidates.max(by: { (shares[$0] ?? -.infinity) < (shares[$1] ?? -.infinity) }),
              let parent = forest.parent[top], (shares[top] ?? 0) > 0 else { return false }
        let equal = parts.equalGram[base]
        func energy(_ g: (Int, Int) -> Double) -> Double { g(top, top) - 2 * g(top, parent) + g(parent, parent) }
        let whole = energy(parts.g)
        let onEqual = energy { equal[parts.pairs($0, $1)] }
        guard whole > 0 else { return false }
        let onSupport = max(0, whole - onEqual) / whole
        return onSupport / kept >= magnitudeSelection
    }
}
