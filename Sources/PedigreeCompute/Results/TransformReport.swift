/// A function-preserving transform found in the candidate and undone before it was compared
/// (`compare` JSON `transform`): which kinds of units were found reordered, against which
/// reference, and how well the units matched before and after.
public struct TransformReport: Sendable, Codable, Equatable {
    public struct Axis: Sendable, Codable, Equatable {
        /// The kind of unit (`unet-feed-forward`, `clip-g-attention-qk`, …; Pedigree's
        /// SDXLPermutations table).
        public var kind: String
        /// Groups of this kind the candidate holds, and how many were found reordered.
        public var groups: Int
        public var permutedGroups: Int
        /// Units in the permuted groups, and how many of them had moved.
        public var units: Int
        public var unitsMoved: Int
    }

    /// `permutation`: hidden units reordered (a re-basin, such as sd-mecha's `randperm`).
    public var kind: String
    /// The reference the candidate's units were matched against.
    public var reference: String
    public var axes: [Axis]
    /// Median cosine, over the permuted groups' sketched units, of each unit with the
    /// reference's unit of the same index (before) and with its match (after).
    public var cosineBefore: Double
    public var cosineAfter: Double
    /// Groups neither in the reference's order nor matched to it (a candidate far from
    /// every reference there): compared as they are.
    public var unmatchedGroups: Int

    public var permutedGroups: Int { axes.reduce(0) { $0 + $1.permutedGroups } }
}
