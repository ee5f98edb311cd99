/// Additive pieces of one group's statistics (a tensor, a block, or any union of them):
/// the Gram matrix of all files, and for each reference the Gram of differences from it
/// over the elements where the candidate equals it. Sums of parts are the group's parts,
/// which is what lets the jackknife leave one unit out by subtraction.
struct GramParts: Sendable {
    let pairs: PairIndex
    var gram: [Double]
    /// By file index: equal-element counts and difference Grams (empty: none equal).
    var equalCounts: [Double]
    var equalGram: [[Double]]
    var elements: Double

    init(pairs: PairIndex) {
        self.pairs = pairs
        gram = Array(repeating: 0, count: pairs.count)
        equalCounts = Array(repeating: 0, count: pairs.files)
        equalGram = Array(repeating: Array(repeating: 0, count: pairs.count), count: pairs.files)
        elements = 0
    }

    /// One tensor's statistics; in sampled mode each sampled column stands for full/k columns.
    init(_ stats: TensorStatistics, pairs: PairIndex, sampled: Bool) {
        self.init(pairs: pairs)
        let scale = sampled ? Double(stats.tensor.columns) / Double(max(stats.comparedColumns, 1)) : 1
        gram = stats.gram.map { $0 * scale }
        if let support = stats.support {
            elements = Double(support.elements) * scale
            for f in 0 ..< pairs.files where f < support.equalCounts.count {
                // A tensor equal to a file in every element was copied whole (a block or
                // component merge), not sparsified: the dense fit reads it right (the file's
                // share is 1 there), while dropping it as "unchanged" would hide exactly the
                // change that was copied. Only partly equal tensors make up the support.
                guard support.equalCounts[f] < support.elements else { continue }
                equalCounts[f] = Double(support.equalCounts[f]) * scale
                if f < support.equalGram.count, support.equalGram[f].count == pairs.count {
                    equalGram[f] = support.equalGram[f].map { $0 * scale }
                }
            }
        } else {
            elements = Double(stats.tensor.rows * stats.tensor.columns)
        }
    }

    static func + (a: GramParts, b: GramParts) -> GramParts { a.combined(with: b, sign: 1) }
    static func - (a: GramParts, b: GramParts) -> GramParts { a.combined(with: b, sign: -1) }

    private func combined(with other: GramParts, sign: Double) -> GramParts {
        var result = self
        for p in gram.indices { result.gram[p] += sign * other.gram[p] }
        for f in equalCounts.indices {
            result.equalCounts[f] += sign * other.equalCounts[f]
            for p in gram.indices { result.equalGram[f][p] += sign * other.equalGram[f][p] }
        }
        result.elements += sign * other.elements
        return result
    }

    func g(_ a: Int, _ b: Int) -> Double { gram[pairs(a, b)] }

    func unchangedFraction(against base: Int) -> Double { elements > 0 ? equalCounts[base] / elements : 0 }
}

extension Array where Element == GramParts {
    func total(pairs: PairIndex) -> GramParts { reduce(GramParts(pairs: pairs), +) }
}
