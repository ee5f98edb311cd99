import PedigreeCompute

/// The classifier's answer before obligations are attached: which references the
/// candidate inherits from, and why.
public struct LineageDecision: Sendable, Equatable {
    public struct Inherited: Sendable, Equatable {
        public var id: String
        public var evidence: [Evidence]
    }

    /// What the report says of the lineage: status, likely base, relation, shares, summary.
    public var lineage: LineageVerdict
    /// References the candidate descends from directly (not counting their ancestors).
    public var inherited: [Inherited]
    /// Shares that reach the policy's minimum without their interval clearing it.
    public var inconclusive: [InconclusiveShare] = []
    /// What the compared references leave unverifiable (`CoverageRules`).
    public var coverage = CoverageGaps()

    init(status: LineageVerdict.Status, likelyBase: String?, inherited: [Inherited], relation: LineageVerdict.Relation,
         shares: [String: Double], borderline: Bool, summary: String, inconclusive: [InconclusiveShare] = []) {
        self.lineage = LineageVerdict(status: status, likelyBase: likelyBase, relation: relation, shares: shares,
                                      summary: summary, borderline: borderline)
        self.inherited = inherited
        self.inconclusive = inconclusive
    }
}

/// Models the policies say matter around the lineage found that were not compared.
public struct CoverageGaps: Sendable, Equatable {
    /// A compared reference with no compared ancestor, and the parent the candidate was
    /// placed under instead.
    public var unverifiable: [(reference: String, parent: String)] = []
    /// A model descending from the lineage found, with another licence than its nearest
    /// compared ancestor (`under`), and nothing compared to show whether it is inherited.
    public var notCompared: [(id: String, under: String)] = []

    public init() {}

    public var isEmpty: Bool { unverifiable.isEmpty && notCompared.isEmpty }

    public static func == (a: Self, b: Self) -> Bool {
        a.unverifiable.map { [$0.reference, $0.parent] } == b.unverifiable.map { [$0.reference, $0.parent] }
            && a.notCompared.map { [$0.id, $0.under] } == b.notCompared.map { [$0.id, $0.under] }
    }
}

/// A reference's share that reaches the minimum while its 95% interval does not clear it.
public struct InconclusiveShare: Sendable, Equatable {
    public var id: String
    public var scope: String
    public var share: Double
    public var interval: IntervalPair?
    /// Which measure could not decide.
    public var basis: InconclusiveBasis = .share
}

/// What an inconclusive share measured.
public enum InconclusiveBasis: Sendable, Equatable {
    /// The share of the whole change, against the minimum (no spectral profile).
    case share
    /// The share beyond the dominant directions, against the floor and the observed null.
    case copiedStructure
    /// The share of the dominant directions, where the exact axes were not measured: a LoRA
    /// of them and training on similar data cannot be told apart.
    case exactAxesUnmeasured
}
