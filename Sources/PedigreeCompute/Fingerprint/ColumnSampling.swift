import PedigreeFormat
import PedigreeSupport

/// The deterministic column sample a fingerprint keeps of each tensor.
///
/// Columns are the unit of the article's metric, so a sample of columns gives an unbiased
/// estimate of `mean_cosine`. The sample depends only on (sampling version, seed, rate,
/// tensor name, column count): every fingerprint made with the same settings holds the
/// same columns, which is what lets fingerprints be compared with each other.
public enum ColumnSampling {
    /// Bumped whenever the selection algorithm changes; fingerprints record it.
    public static let version = "columns-v1"
    public static let defaultRate = 0.008
    public static let defaultSeed: UInt64 = 0x5EED_F1A6
    /// Small tensors keep at least this many columns (all of them if they have fewer).
    public static let minimumColumns = 8

    public static func count(columns: Int, rate: Double) -> Int {
        guard columns > 0 else { return 0 }
        return min(columns, max(minimumColumns, Int((Double(columns) * rate).rounded(.up))))
    }

    /// Sorted distinct column indices for `name` (Floyd's algorithm on a SplitMix64 stream).
    public static func columns(name: String, columns: Int, rate: Double, seed: UInt64) -> [Int] {
        let k = count(columns: columns, rate: rate)
        if k == columns { return Array(0 ..< columns) }
        var rng = SplitMix64(state: seed ^ FNV1a.hash(name) ^ UInt64(columns) &* 0x9E37_79B9_7F4A_7C15)
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

/// A small, fast, well-mixed 64-bit generator (Steele, Lea & Flood's SplitMix64).
struct SplitMix64 {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
