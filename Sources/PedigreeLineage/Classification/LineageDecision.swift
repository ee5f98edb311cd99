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
    /// Shares that reach the policy's minimum without their interval clearing it.
    public var inconclusive: [InconclusiveShare] = []
}

/// A reference's share that reaches the minimum while its 95% interval does not clear it.
public struct InconclusiveShare: Sendable, Equatable {
    public var id: String
    public var scope: String
    public var share: Double
    public var interval: IntervalPair?
}
