import PedigreeCompute

/// The classifier's answer before obligations are attached: which references the
/// candidate inherits from, and why.
public struct LineageDecision: Sendable, Equatable {
    public struct Inherited: Sendable, Equatable {
        public var id: String
        public var evidence: [Evidence]
    }

    public var status: LineageVerdict.Status
    /// The closest reference judged to be the candidate's base.
    public var likelyBase: String?
    /// References the candidate descends from directly (not counting their ancestors).
    public var inherited: [Inherited]
    public var relation: LineageVerdict.Relation
    public var shares: [String: Double]
    public var borderline: Bool
    public var summary: String
}

/// Tunable reading of delta measures. A candidate that carries at least `carriesShare`
/// of a descendant's change (with that change pointing the same way, `minimumCosine`)
/// descends from the descendant; above `fullShare` it is a fine-tune of it, between the
/// two a merge.
public struct DeltaRule: Sendable, Equatable {
    public var carriesShare = 0.30
    public var minimumCosine = 0.30
    public var fullShare = 0.85
    public init() {}
}
