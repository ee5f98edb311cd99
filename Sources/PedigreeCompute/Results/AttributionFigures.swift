/// Each reference's share of the candidate's change, from the joint fit of
/// `AffineAttribution`, for the whole model, each component, each block and each block
/// group. JSON: the top-level `attribution` object (SCHEMA.md).
public struct AttributionFigures: Sendable, Codable, Equatable {
    public static let currentMethod = "affine-least-squares/1"

    /// How the shares were computed (versioned, so a later method is told apart).
    public var method: String
    /// The compared references no other compared reference is an ancestor of: the changes
    /// are measured from them.
    public var roots: [String]
    public var references: [ReferenceAttribution]
    /// Fraction of the candidate's change from its root that no reference explains.
    public var unexplained: Double
    public var unexplainedInterval: IntervalPair?
    /// Present when the candidate equals one reference bit for bit on a sizeable part of
    /// its weights, as a TIES or DARE merge onto that reference does.
    public var support: SupportFigures?
    /// How intervals were formed.
    public var intervalMethod: String
    /// Set when some reference pair's spectral profile was not measured, and why.
    public var spectralNote: String?

    public init(method: String = AttributionFigures.currentMethod, roots: [String], references: [ReferenceAttribution],
                unexplained: Double, unexplainedInterval: IntervalPair?, support: SupportFigures?, intervalMethod: String) {
        self.method = method
        self.roots = roots
        self.references = references
        self.unexplained = unexplained
        self.unexplainedInterval = unexplainedInterval
        self.support = support
        self.intervalMethod = intervalMethod
    }

    public func reference(_ id: String) -> ReferenceAttribution? { references.first { $0.id == id } }
}

/// Which estimate a share is: over all compared weights, or over the changed support only.
public enum ShareEstimator: String, Sendable, Codable, Equatable {
    /// Projection over every compared weight (weighted sums, SLERP, add-difference, DARE with
    /// rescaling, model stock, fine-tunes).
    case dense
    /// Over the weights that differ from the support base only: a magnitude-selecting
    /// sparsifier (TIES) keeps the change it keeps intact, so the whole-model projection
    /// understates it.
    case support
}

public struct ReferenceAttribution: Sendable, Codable, Equatable {
    public var id: String
    /// Whose change the share is measured from: the nearest compared ancestor; nil for a
    /// root, whose share is the weight of its line.
    public var ancestor: String?
    public var share: Double?
    public var interval: IntervalPair?
    public var estimator: ShareEstimator
    /// Both estimates, so a reader can see what the choice changed.
    public var denseShare: Double?
    public var supportShare: Double?
    public var components: [AttributionPart]
    public var blocks: [AttributionPart]
    public var groups: [AttributionPart]
    /// The share by part of the reference's own change's spectrum (rank 0: the whole change,
    /// rank k: beyond the top k singular directions, full-width ranks), when the candidate
    /// and the pair were compared as whole checkpoints. nil: not measured.
    public var spectral: [SpectralShare]?
    /// Set when the profile shows the top of the change removed (a LoRA of it merged at
    /// negative strength): the largest probed rank at which it does. `share` and `interval`
    /// are then the share beyond the deepest probed rank, the change the candidate still
    /// carries; `spectral`'s rank 0 keeps the whole-change share.
    public var subtractedRank: Int?
    /// Evidence of copied weights: the candidate's share of the reference's change beyond
    /// its dominant directions, by scope, and the null observed on an independent sibling
    /// (`CopiedStructure`). nil where the spectral profile was not measured.
    public var evidence: CopiedStructure?

    public init(id: String, ancestor: String?, share: Double?, interval: IntervalPair?, estimator: ShareEstimator,
                denseShare: Double?, supportShare: Double?, components: [AttributionPart], blocks: [AttributionPart], groups: [AttributionPart],
                spectral: [SpectralShare]? = nil, subtractedRank: Int? = nil, evidence: CopiedStructure? = nil) {
        self.evidence = evidence
        self.spectral = spectral
        self.subtractedRank = subtractedRank
        self.id = id
        self.ancestor = ancestor
        self.share = share
        self.interval = interval
        self.estimator = estimator
        self.denseShare = denseShare
        self.supportShare = supportShare
        self.components = components
        self.blocks = blocks
        self.groups = groups
    }
}

public struct AttributionPart: Sendable, Codable, Equatable {
    public var name: String
    /// nil where the reference's own change is too small in this part to be identified.
    public var share: Double?
    public var interval: IntervalPair?
    public var estimator: ShareEstimator

    public init(name: String, share: Double?, interval: IntervalPair?, estimator: ShareEstimator) {
        self.name = name
        self.share = share
        self.interval = interval
        self.estimator = estimator
    }
}

public struct SupportFigures: Sendable, Codable, Equatable {
    /// The reference the candidate equals on its unchanged weights.
    public var base: String
    /// Fraction of compared weights bit-for-bit equal to it.
    public var unchangedFraction: Double

    public init(base: String, unchangedFraction: Double) {
        self.base = base
        self.unchangedFraction = unchangedFraction
    }
}

/// A 95% interval written as `[low, high]`.
public struct IntervalPair: Sendable, Codable, Equatable {
    public var low: Double
    public var high: Double

    public init(low: Double, high: Double) {
        self.low = low
        self.high = high
    }

    public func contains(_ value: Double) -> Bool { low <= value && value <= high }

    public init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        low = try container.decode(Double.self)
        high = try container.decode(Double.self)
        guard container.isAtEnd, low <= high else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "an interval is [low, high] with low <= high"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        try container.encode(low)
        try container.encode(high)
    }
}

/// A named set of blocks whose attribution the verdict considers on its own (a block merge
/// may put all of a reference's change in a few blocks).
public struct BlockGroup: Sendable, Codable, Equatable {
    public var id: String
    /// Block names (`unet.input_blocks.7`) or prefixes ending at a dot boundary (`clip_l`).
    public var blocks: [String]

    public init(id: String, blocks: [String]) {
        self.id = id
        self.blocks = blocks
    }

    public func contains(block: String) -> Bool {
        blocks.contains { block == $0 || block.hasPrefix($0 + ".") }
    }
}
