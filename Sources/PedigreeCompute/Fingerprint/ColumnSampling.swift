import PedigreeFormat
import PedigreeSupport

/// The deterministic column sample a fingerprint keeps of each tensor.
///
/// Columns are the unit of the seed article's metric, so a sample of columns gives an unbiased
/// (stratified) estimate of `mean_cosine`. The sample depends only on the sampling version,
/// seed and rate and on the compared tensors' names and shapes: every fingerprint of the
/// same architecture made with the same settings holds the same columns, which is what
/// lets fingerprints be compared with each other.
///
/// Allocation (`columns-v2`) weighs what a column costs (its rows) against what it buys:
/// a tensor gets `rate × boost` of its columns with boost = √(1280 / rows) clamped to
/// [¼, 16] (short columns are cheap, so small tensors like `conv_in` or `out` are sampled
/// densely), at least 8 columns, and every column of a tensor whose whole size is below the
/// average per-tensor budget. At the default rate a full-size SDXL fingerprint is 0.83% of
/// the checkpoint.
public enum ColumnSampling {
    /// Bumped whenever the selection algorithm changes; fingerprints record it.
    public static let version = "columns-v2"
    public static let defaultRate = 0.008
    public static let defaultSeed: UInt64 = 0x5EED_F1A6
    /// Every sampled tensor keeps at least this many columns (all of them if it has fewer).
    public static let minimumColumns = 8
    /// Rows at which a column gets exactly the base rate.
    static let referenceRows = 1280.0

    public struct TensorShape: Sendable {
        public let name: String
        public let rows: Int
        public let columns: Int
        /// The dimensions as given.
        public let shape: [Int]
        /// For shapes from a validated header, whose sizes are known to fit. A shape whose
        /// column count would overflow gets `Int.max` columns here rather than a trap;
        /// untrusted shapes go through `init?(name:checkedShape:)` instead.
        public init(name: String, shape: [Int]) {
            self.name = name
            self.shape = shape
            self.rows = shape.count <= 1 ? (shape.first ?? 1) : shape[0]
            self.columns = Self.columnCount(shape) ?? Int.max
        }

        /// Nil when a dimension is negative or the dimensions, zeros left out, multiply past
        /// `TensorInfo.maxExtent` (the bound a safetensors header's shapes are held to).
        public init?(name: String, checkedShape shape: [Int]) {
            guard shape.allSatisfy({ $0 >= 0 }), let columns = Self.columnCount(shape) else { return nil }
            let rows = shape.count <= 1 ? (shape.first ?? 1) : shape[0]
            var extent = 1
            for dim in shape {
                let (next, overflow) = extent.multipliedReportingOverflow(by: max(dim, 1))
                guard !overflow, next <= TensorInfo.maxExtent else { return nil }
                extent = next
            }
            self.name = name
            self.shape = shape
            self.rows = rows
            self.columns = columns
        }

        /// The product of the dimensions after the first, or nil on overflow.
        static func columnCount(_ shape: [Int]) -> Int? {
            guard shape.count > 1 else { return 1 }
            var product = 1
            for dim in shape.dropFirst() {
                let (next, overflow) = product.multipliedReportingOverflow(by: dim)
                if overflow { return nil }
                product = next
            }
            return product
        }
    }

    /// How many columns of each tensor to keep.
    public static func counts(for tensors: [TensorShape], rate: Double) -> [String: Int] {
        let totalBytes = tensors.reduce(0.0) { $0 + Double($1.rows) * Double($1.columns) * 2 }
        let cheap = tensors.isEmpty ? 0 : rate * totalBytes / Double(tensors.count)
        var counts: [String: Int] = [:]
        for tensor in tensors {
            // A tensor without elements keeps no columns: there is nothing to compare, and
            // a declared [0, 2^62] must not make anyone list 2^62 column indices.
            guard tensor.columns > 0, tensor.rows > 0 else { counts[tensor.name] = 0; continue }
            if Double(tensor.rows) * Double(tensor.columns) * 2 <= cheap {
                counts[tensor.name] = tensor.columns
                continue
            }
            let boost = min(16, max(0.25, (referenceRows / Double(max(tensor.rows, 1))).squareRoot()))
            // Compared in Double before converting: columns × rate × 16 can exceed Int.max.
            let wanted = (Double(tensor.columns) * rate * boost).rounded(.up)
            let k = wanted >= Double(tensor.columns) ? tensor.columns : Int(wanted)
            counts[tensor.name] = min(tensor.columns, max(minimumColumns, k))
        }
        return counts
    }

    /// The sampled columns of every tensor.
    public static func plan(for tensors: [TensorShape], rate: Double, seed: UInt64) -> [String: [Int]] {
        let counts = counts(for: tensors, rate: rate)
        var plan: [String: [Int]] = [:]
        for tensor in tensors { plan[tensor.name] = columns(name: tensor.name, columns: tensor.columns, count: counts[tensor.name] ?? 0, seed: seed) }
        return plan
    }

    /// `count` sorted distinct column indices for `name` (Floyd's algorithm on a SplitMix64 stream).
    public static func columns(name: String, columns: Int, count k: Int, seed: UInt64) -> [Int] {
        if k <= 0 { return [] }
        if k >= columns { return Array(0 ..< columns) }
        var rng = SplitMix64(seed: seed ^ FNV1a.hash(name) ^ UInt64(columns) &* SplitMix64.gamma)
        var chosen = Set<Int>()
        chosen.reserveCapacity(k)
        for j in (columns - k) ..< columns {
            let t = Int(rng.next() % UInt64(j + 1))
            if !chosen.insert(t).inserted { chosen.insert(j) }
        }
        return chosen.sorted()
    }

    /// The columns every fingerprint among `sources` holds for each tensor; empty when no
    /// source is a fingerprint (exact mode). Fingerprints sampled differently disagree and
    /// are refused rather than silently compared on different columns.
    static func agreedColumns(for tensors: [PlannedTensor], sources: [any TensorSource]) throws -> [String: [Int]] {
        let sampled = sources.compactMap { $0 as? Fingerprint }
        guard let first = sampled.first else { return [:] }
        for other in sampled.dropFirst() where !other.sampling.agrees(with: first.sampling) {
            throw FingerprintError.samplingMismatch(path: other.path, other: first.path)
        }
        var agreed: [String: [Int]] = [:]
        for tensor in tensors {
            guard let columns = first.heldColumns(of: tensor.name) else { continue }
            agreed[tensor.name] = columns
        }
        return agreed
    }
}
