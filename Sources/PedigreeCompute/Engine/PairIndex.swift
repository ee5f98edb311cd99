/// Indexing of the Gram entries of n files, matching the C kernel: pairs (a, b) with
/// a <= b in row-major upper-triangular order (0,0), (0,1), …, (0,n-1), (1,1), …
public struct PairIndex: Sendable {
    public let files: Int

    public init(files: Int) { self.files = files }

    public var count: Int { files * (files + 1) / 2 }

    public func callAsFunction(_ a: Int, _ b: Int) -> Int {
        let (i, j) = a <= b ? (a, b) : (b, a)
        return i * files - i * (i - 1) / 2 + (j - i)
    }

    /// The off-diagonal pairs a < b, whose similarities are reported.
    public var crossPairs: [(a: Int, b: Int)] {
        (0 ..< files).flatMap { a in (a + 1 ..< files).map { (a, $0) } }
    }
}
