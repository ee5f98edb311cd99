/// The seed article's per-column value (README, "Method"), exactly as PyTorch defines it:
///
///     a = F.normalize(A.float(), p=2, dim=0)         # divides by max(‖column‖, 1e-12)
///     c = F.normalize(C.float(), p=2, dim=0)
///     CosineSimilarity(dim=0)(a, c)                   # divides by max(‖â‖, 1e-8)·max(‖ĉ‖, 1e-8)
///
/// computed from a column's dot product and squared norms (accumulated in double).
/// Edge cases follow PyTorch: a zero column gives 0 (not NaN); a column holding NaN or
/// ±inf gives NaN, which the mean ignores (`np.nanmean`).
public enum ArticleCosine {
    static let normalizeEpsilon = 1e-12
    static let cosineEpsilon = 1e-8

    @inline(__always)
    public static func value(dot: Double, squaredNormA: Double, squaredNormB: Double) -> Double {
        // Infinite sums of squares only arise from ±inf elements (float16/bfloat16 weights
        // cannot overflow a double-accumulated sum), and PyTorch turns those into NaN.
        guard squaredNormA.isFinite, squaredNormB.isFinite, dot.isFinite else { return .nan }
        let normA = squaredNormA.squareRoot()
        let normB = squaredNormB.squareRoot()
        let clampedA = max(normA, normalizeEpsilon)
        let clampedB = max(normB, normalizeEpsilon)
        let unitNormA = max(normA / clampedA, cosineEpsilon)
        let unitNormB = max(normB / clampedB, cosineEpsilon)
        return dot / (clampedA * clampedB) / (unitNormA * unitNormB)
    }
}
