/// What one pass keeps per tensor: enough to derive every figure Pedigree reports
/// (article cosine, flattened cosine, relative L2, deltas, any aggregate) without reading
/// the tensor again.
public struct TensorStatistics: Sendable {
    public let tensor: PlannedTensor
    /// Columns actually compared (all of them, or a fingerprint's sample).
    public let comparedColumns: Int
    /// Flattened Gram matrix over the compared columns, indexed by `PairIndex`.
    public let gram: [Double]
    /// For each cross pair (in `PairIndex.crossPairs` order): the sum of the seed article's
    /// per-column values over non-NaN columns, and how many columns that is.
    public let columnCosineSum: [Double]
    public let columnCosineSquares: [Double]
    public let columnCount: [Int]
    /// Sampled mode only: Σ over compared columns of G_j G_jᵀ (pairs × pairs, row-major),
    /// the second moments from which intervals of delta measures follow.
    public let gramMoments: [Double]?
    /// Where the candidate equals each reference bit for bit (for sparsified merges).
    public var support: SupportStatistics?

    public init(tensor: PlannedTensor, comparedColumns: Int, gram: [Double], columnCosineSum: [Double], columnCosineSquares: [Double], columnCount: [Int], gramMoments: [Double]? = nil, support: SupportStatistics? = nil) {
        self.tensor = tensor
        self.comparedColumns = comparedColumns
        self.gram = gram
        self.columnCosineSum = columnCosineSum
        self.columnCosineSquares = columnCosineSquares
        self.columnCount = columnCount
        self.gramMoments = gramMoments
        self.support = support
    }

    /// What `reduce` gives for a tensor with no rows (all accumulators 0), in O(files²)
    /// rather than O(columns): each column's article cosine is the value of all-zero columns
    /// (PyTorch counts them), and every sum is 0.
    static func withoutRows(tensor: PlannedTensor, pairs: PairIndex, columns: Int, keepMoments: Bool) -> TensorStatistics {
        let cross = pairs.crossPairs
        let value = ArticleCosine.value(dot: 0, squaredNormA: 0, squaredNormB: 0)
        let counted = value.isNaN ? 0 : columns
        return TensorStatistics(
            tensor: tensor, comparedColumns: columns, gram: [Double](repeating: 0, count: pairs.count),
            columnCosineSum: [Double](repeating: Double(counted) * (value.isNaN ? 0 : value), count: cross.count),
            columnCosineSquares: [Double](repeating: Double(counted) * (value.isNaN ? 0 : value * value), count: cross.count),
            columnCount: [Int](repeating: counted, count: cross.count),
            gramMoments: keepMoments ? [Double](repeating: 0, count: pairs.count * pairs.count) : nil)
    }

    /// Reduces per-column Gram accumulators (layout `[pair][column]`) to the statistics.
    static func reduce(tensor: PlannedTensor, pairs: PairIndex, columns: Int, accumulators: UnsafeBufferPointer<Double>, keepMoments: Bool) -> TensorStatistics {
        precondition(accumulators.count >= pairs.count * columns, "reduce: \(pairs.count) × \(columns) accumulators in a buffer of \(accumulators.count)")
        // SAFETY: every index below is p * columns + j with p < pairs.count and j < columns,
        // inside the buffer (checked above).
        // Flattened sums skip columns holding NaN or ±inf in any file, as the column
        // mean does, so one corrupt value cannot turn every derived figure into NaN.
        var finite = [Bool](repeating: true, count: columns)
        for f in 0 ..< pairs.files {
            let diagonal = pairs(f, f) * columns
            for j in 0 ..< columns where !accumulators[diagonal + j].isFinite { finite[j] = false }
        }
        var gram = [Double](repeating: 0, count: pairs.count)
        for p in 0 ..< pairs.count {
            var sum = 0.0
            let row = p * columns
            for j in 0 ..< columns where finite[j] { sum += accumulators[row + j] }
            gram[p] = sum
        }
        let cross = pairs.crossPairs
        var sums = [Double](repeating: 0, count: cross.count)
        var squares = [Double](repeating: 0, count: cross.count)
        var counts = [Int](repeating: 0, count: cross.count)
        for (q, pair) in cross.enumerated() {
            let aa = pairs(pair.a, pair.a) * columns
            let bb = pairs(pair.b, pair.b) * columns
            let ab = pairs(pair.a, pair.b) * columns
            var sum = 0.0, square = 0.0, count = 0
            for j in 0 ..< columns {
                let value = ArticleCosine.value(dot: accumulators[ab + j], squaredNormA: accumulators[aa + j], squaredNormB: accumulators[bb + j])
                if !value.isNaN {
                    sum += value
                    square += value * value
                    count += 1
                }
            }
            sums[q] = sum
            squares[q] = square
            counts[q] = count
        }
        var moments: [Double]?
        if keepMoments {
            let n = pairs.count
            var m = [Double](repeating: 0, count: n * n)
            for j in 0 ..< columns where finite[j] {
                for p in 0 ..< n {
                    let gp = accumulators[p * columns + j]
                    for q in p ..< n { m[p * n + q] += gp * accumulators[q * columns + j] }
                }
            }
            for p in 0 ..< n { for q in 0 ..< p { m[p * n + q] = m[q * n + p] } }
            moments = m
        }
        return TensorStatistics(tensor: tensor, comparedColumns: columns, gram: gram, columnCosineSum: sums, columnCosineSquares: squares, columnCount: counts, gramMoments: moments)
    }
}
