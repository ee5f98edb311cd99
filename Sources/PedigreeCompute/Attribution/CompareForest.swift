/// The compared references as a forest: each reference's nearest ancestor among the
/// references actually compared (NoobAI's is Illustrious 0.1 when both are compared, SDXL
/// base when only SDXL is). File index 0 is the candidate and belongs to no tree.
///
/// Why a forest: a reference's *own* change is its difference from that nearest ancestor,
/// and its share of the candidate is the sum of the affine weights over its subtree (see
/// `AffineAttribution`).
public struct CompareForest: Sendable, Equatable {
    public let labels: [String]
    /// By file index: the nearest compared ancestor, nil for a root and for the candidate.
    public let parent: [Int?]

    /// `edges` are (ancestor, descendant) label pairs, transitive pairs included, as
    /// `PolicySet.lineageEdges(among:)` gives them. Pairs naming unknown labels are ignored.
    public init(labels: [String], edges: [(ancestor: String, descendant: String)]) {
        self.labels = labels
        var ancestors = Array(repeating: Set<Int>(), count: labels.count)
        for edge in edges {
            guard let a = labels.firstIndex(of: edge.ancestor), let d = labels.firstIndex(of: edge.descendant),
                  a != 0, d != 0, a != d else { continue }
            ancestors[d].insert(a)
        }
        // The nearest ancestor is the one with the most ancestors of its own among X's.
        parent = labels.indices.map { x in
            ancestors[x].max { a, b in
                let (ka, kb) = (ancestors[a].intersection(ancestors[x]).count, ancestors[b].intersection(ancestors[x]).count)
                return ka != kb ? ka < kb : a > b
            }
        }
    }

    public var references: Range<Int> { 1 ..< labels.count }

    public var roots: [Int] { references.filter { parent[$0] == nil } }

    /// `x` and every compared reference below it.
    public func subtree(of x: Int) -> [Int] {
        references.filter { isSameOrBelow($0, x) }
    }

    public func isSameOrBelow(_ node: Int, _ top: Int) -> Bool {
        var current: Int? = node
        var steps = 0
        while let c = current, steps <= labels.count {
            if c == top { return true }
            current = parent[c]
            steps += 1
        }
        return false
    }
}
