import PedigreeFormat
import PedigreeSupport

/// The JSON `pedigree compare` writes and `classify` / `audit` read. Versioned by
/// `schema`; the README documents every field. Keys are snake_case on disk.
public struct CompareResult: Sendable, Codable, Equatable {
    public static let currentSchema = "pedigree.compare/1"

    public var schema: String
    public var tool: ToolStamp
    public var metric: MetricDescription
    public var mode: Mode
    public var candidate: FileIdentity
    /// Tensors compared (present in every file, same shape, real-valued, admitted by the filter).
    public var keysCompared: Int
    /// Columns behind each reference's `mean_cosine` (sampled columns in fingerprint mode).
    public var columnsCompared: Int
    public var references: [ReferenceFigures]
    /// Reference-versus-reference figures (the seed article hard-coded these).
    public var baselines: [Baseline]
    /// Tensors left out, and why.
    public var skipped: [SkippedTensor]
    /// Gram matrices of all files per block, for deriving delta measures later.
    public var gram: GramSummary?
    /// Per-tensor figures, present with `--by tensor`.
    public var tensors: [TensorFigures]?
    /// Each reference's share of the candidate's change (with two or more references).
    public var attribution: AttributionFigures?
    /// How much of the model was compared, per component (absent for published numbers).
    public var coverage: TensorCoverage?
    /// What the candidate's own metadata says about its lineage (absent when it says nothing).
    public var declared: DeclaredLineage?
    /// For a LoRA candidate: its modules and the reference it was applied to.
    public var lora: LoRASummary?
    /// A function-preserving transform (a re-basin) found in the candidate and undone before
    /// every figure above was computed; absent when the candidate is in its references' order.
    public var transform: TransformReport?

    /// `exact`: every column compared; `sampled`: fingerprint columns, with intervals;
    /// `published`: figures read from published numbers (no weights were compared here).
    public enum Mode: String, Sendable, Codable { case exact, sampled, published }

    public init(schema: String = CompareResult.currentSchema, tool: ToolStamp = .current, metric: MetricDescription, mode: Mode,
                candidate: FileIdentity, keysCompared: Int, columnsCompared: Int, references: [ReferenceFigures],
                baselines: [Baseline], skipped: [SkippedTensor], gram: GramSummary?, tensors: [TensorFigures]?,
                attribution: AttributionFigures? = nil, coverage: TensorCoverage? = nil) {
        self.schema = schema
        self.tool = tool
        self.metric = metric
        self.mode = mode
        self.candidate = candidate
        self.keysCompared = keysCompared
        self.columnsCompared = columnsCompared
        self.references = references
        self.baselines = baselines
        self.skipped = skipped
        self.gram = gram
        self.tensors = tensors
        self.attribution = attribution
        self.coverage = coverage
    }
}

public struct ToolStamp: Sendable, Codable, Equatable {
    public var name: String
    public var version: String
    public static var current: ToolStamp { ToolStamp(name: ToolInfo.name, version: ToolInfo.version) }
}

public struct MetricDescription: Sendable, Codable, Equatable {
    /// `mean_cosine`: the seed article's figure.
    public var id: String
    public var definition: String
    public var include: [String]
    public var exclude: [String]

    public static func articleMeanCosine(filter: TensorFilter) -> MetricDescription {
        MetricDescription(
            id: "mean_cosine",
            definition: "mean over all columns of all compared tensors (NaN ignored) of cosine_similarity(normalize(A, dim=0), normalize(C, dim=0), dim=0), in float32 semantics",
            include: filter.include, exclude: filter.exclude)
    }
}

public struct FileIdentity: Sendable, Codable, Equatable {
    public var path: String
    public var sha256: String?
    public var kind: FileKind
    public init(path: String, sha256: String?, kind: FileKind) {
        self.path = path
        self.sha256 = sha256
        self.kind = kind
    }
}

/// Two-sided 95% interval for a sampled figure.
public struct Interval: Sendable, Codable, Equatable {
    public var low: Double
    public var high: Double
    public init(low: Double, high: Double) {
        self.low = low
        self.high = high
    }
}

/// Similarity figures over a set of tensors (everything, a component, or a block).
public struct GroupFigures: Sendable, Codable, Equatable {
    public var name: String
    /// The seed article's metric: every column counts once.
    public var meanCosine: Double
    /// Each column weighted by its length (rows), so large tensors weigh as their size.
    public var parameterWeightedCosine: Double
    /// Cosine of the concatenated, flattened tensors.
    public var flatCosine: Double
    /// ‖candidate − reference‖ / ‖reference‖ over the flattened tensors.
    public var relativeL2: Double
    public var tensors: Int
    public var columns: Int
    public var parameters: Int
    public var interval: Interval?
}

public struct ReferenceFigures: Sendable, Codable, Equatable {
    public var id: String
    public var path: String
    public var sha256: String?
    public var kind: FileKind
    public var meanCosine: Double
    public var parameterWeightedCosine: Double
    public var flatCosine: Double
    public var relativeL2: Double
    public var interval: Interval?
    public var components: [GroupFigures]
    public var blocks: [GroupFigures]
    /// Present when this reference descends from another reference in the comparison.
    public var deltas: [DeltaFigures]
    /// True for a reference given with `--other LABEL=PATH`: a checkpoint that is no policy
    /// model, measured like any reference and labelled by the user; it carries no licence.
    /// Absent for policy models.
    public var notInPolicies: Bool? = nil
}

/// How much of a descendant D's change from its ancestor A the candidate C carries.
public struct DeltaFigures: Sendable, Codable, Equatable {
    public struct Part: Sendable, Codable, Equatable {
        public var name: String
        /// ⟨C−A, D−A⟩ / ‖D−A‖²: 0.6 for a merge holding 60% of D's change.
        public var share: Double
        /// cos(C−A, D−A): whether C's change points the way D's does.
        public var cosine: Double
        /// 95% interval of `share` (sampled mode).
        public var interval: Interval?
        /// 95% interval of `cosine` (sampled mode).
        public var cosineInterval: Interval?
    }

    public var ancestor: String
    public var descendant: String
    public var share: Double
    public var cosine: Double
    /// 95% interval of `share` (sampled mode).
    public var interval: Interval?
    /// 95% interval of `cosine` (sampled mode).
    public var cosineInterval: Interval?
    public var components: [Part]
    public var blocks: [Part]
}

public struct Baseline: Sendable, Codable, Equatable {
    public var a: String
    public var b: String
    public var meanCosine: Double
    public var parameterWeightedCosine: Double
    public var components: [GroupFigures]
    /// Where the figure comes from. Absent in older results.
    public var source: BaselineSource?
}

/// Gram matrices (all pairwise dot products of the files' flattened tensors) per block.
/// `files[0]` is the candidate.
public struct GramSummary: Sendable, Codable, Equatable {
    public var files: [String]
    public var overall: [[Double]]
    public var components: [String: [[Double]]]
    public var blocks: [String: [[Double]]]
}

public struct TensorFigures: Sendable, Codable, Equatable {
    public struct PerReference: Sendable, Codable, Equatable {
        public var id: String
        public var meanCosine: Double
        public var flatCosine: Double
        public var relativeL2: Double
    }

    public var name: String
    public var block: String
    public var shape: [Int]
    public var columns: Int
    public var references: [PerReference]
}
