/// The rules the lineage classifier applies, each with the stable id reports print.
public enum EvidenceRule: String, Sendable, Codable, CaseIterable {
    // From weights (attribution).
    /// A reference's share of the candidate's change clears the policy's minimum.
    case attributionShare = "attribution-share"
    /// A share of the reference's change beyond its dominant directions, above the noise
    /// floor and the observed null: a copy of weights (issue 26).
    case copiedStructure = "copied-structure"
    /// The candidate sits on a root reference's line and carries no descendant's change.
    case rootLine = "root-line"
    // From headline numbers (the seed article's reading).
    case closestReference = "closest-reference"
    case deltaShare = "delta-share"
    case withinMarginOfClosest = "within-margin-of-closest"
    case headlineShareEstimate = "headline-share-estimate"
    case tooCloseUnrelated = "too-close-unrelated"
    // From the file's identity.
    /// The candidate's SHA-256 is a file of the model's, as the policies record it: it is that model.
    case identicalFile = "identical-file"
    // Expansion through the policies' lineage graph.
    case ancestorOfInherited = "ancestor-of-inherited"
    /// Close to a reference compared without any of its ancestors: placed on its parent's
    /// line, the reference itself unverifiable (`CoverageRules`).
    case parentOfUncoveredReference = "parent-of-uncovered-reference"
}
