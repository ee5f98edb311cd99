import PedigreeFormat
import PedigreeSupport

// Lenient decoding: `classify` must work from published headline numbers alone, e.g.
//
//   {"candidate": {"path": "wai14.safetensors"},
//    "references": [{"id": "noobai-xl-eps-1.0", "mean_cosine": 0.99348}, …],
//    "baselines": [{"a": "illustrious-xl-v0.1", "b": "noobai-xl-eps-1.0", "mean_cosine": 0.95641}]}
//
// so every figure beyond the headline is optional on input and defaults to "not measured".

extension CompareResult {
    enum CodingKeys: String, CodingKey {
        case schema, tool, metric, mode, candidate, keysCompared, columnsCompared, references, baselines, skipped, gram, tensors, attribution, coverage, declared, lora, transform
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schema = try c.decodeIfPresent(String.self, forKey: .schema) ?? CompareResult.currentSchema
        tool = try c.decodeIfPresent(ToolStamp.self, forKey: .tool) ?? ToolStamp(name: "unknown", version: "unknown")
        metric = try c.decodeIfPresent(MetricDescription.self, forKey: .metric) ?? .articleMeanCosine(filter: TensorFilter())
        candidate = try c.decode(FileIdentity.self, forKey: .candidate)
        keysCompared = try c.decodeIfPresent(Int.self, forKey: .keysCompared) ?? 0
        columnsCompared = try c.decodeIfPresent(Int.self, forKey: .columnsCompared) ?? 0
        references = try c.decode([ReferenceFigures].self, forKey: .references)
        baselines = try c.decodeIfPresent([Baseline].self, forKey: .baselines) ?? []
        skipped = try c.decodeIfPresent([SkippedTensor].self, forKey: .skipped) ?? []
        gram = try c.decodeIfPresent(GramSummary.self, forKey: .gram)
        tensors = try c.decodeIfPresent([TensorFigures].self, forKey: .tensors)
        attribution = try c.decodeIfPresent(AttributionFigures.self, forKey: .attribution)
        coverage = try c.decodeIfPresent(TensorCoverage.self, forKey: .coverage)
        declared = try c.decodeIfPresent(DeclaredLineage.self, forKey: .declared)
        lora = try c.decodeIfPresent(LoRASummary.self, forKey: .lora)
        transform = try c.decodeIfPresent(TransformReport.self, forKey: .transform)
        // A JSON that does not say how its figures were made, whose references carry no file
        // (the seed article's tables), holds published numbers: nothing was measured here.
        let measured = references.contains { $0.kind != .published }
        mode = try c.decodeIfPresent(Mode.self, forKey: .mode) ?? (measured ? .exact : .published)
    }
}

extension FileIdentity {
    enum CodingKeys: String, CodingKey { case path, sha256, kind }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        path = try c.decode(String.self, forKey: .path)
        sha256 = try c.decodeIfPresent(String.self, forKey: .sha256)
        kind = try c.decodeIfPresent(FileKind.self, forKey: .kind) ?? .checkpoint
    }
}

extension ReferenceFigures {
    enum CodingKeys: String, CodingKey {
        case id, path, sha256, kind, meanCosine, parameterWeightedCosine, flatCosine, relativeL2, interval, components, blocks, deltas, notInPolicies
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        path = try c.decodeIfPresent(String.self, forKey: .path) ?? ""
        sha256 = try c.decodeIfPresent(String.self, forKey: .sha256)
        kind = try c.decodeIfPresent(FileKind.self, forKey: .kind) ?? .published
        meanCosine = try c.decode(Double.self, forKey: .meanCosine)
        parameterWeightedCosine = try c.decodeIfPresent(Double.self, forKey: .parameterWeightedCosine) ?? .nan
        flatCosine = try c.decodeIfPresent(Double.self, forKey: .flatCosine) ?? .nan
        relativeL2 = try c.decodeIfPresent(Double.self, forKey: .relativeL2) ?? .nan
        interval = try c.decodeIfPresent(Interval.self, forKey: .interval)
        components = try c.decodeIfPresent([GroupFigures].self, forKey: .components) ?? []
        blocks = try c.decodeIfPresent([GroupFigures].self, forKey: .blocks) ?? []
        deltas = try c.decodeIfPresent([DeltaFigures].self, forKey: .deltas) ?? []
        notInPolicies = try c.decodeIfPresent(Bool.self, forKey: .notInPolicies)
    }

    /// A reference known only by its published headline figure.
    public init(id: String, meanCosine: Double) {
        self.init(id: id, path: "", sha256: nil, kind: .published, meanCosine: meanCosine, parameterWeightedCosine: .nan,
                  flatCosine: .nan, relativeL2: .nan, interval: nil, components: [], blocks: [], deltas: [])
    }
}

extension Baseline {
    enum CodingKeys: String, CodingKey { case a, b, meanCosine, parameterWeightedCosine, components, source }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        a = try c.decode(String.self, forKey: .a)
        b = try c.decode(String.self, forKey: .b)
        meanCosine = try c.decode(Double.self, forKey: .meanCosine)
        parameterWeightedCosine = try c.decodeIfPresent(Double.self, forKey: .parameterWeightedCosine) ?? .nan
        components = try c.decodeIfPresent([GroupFigures].self, forKey: .components) ?? []
        source = try c.decodeIfPresent(BaselineSource.self, forKey: .source)
    }

    /// A baseline known only by its published headline figure.
    public init(a: String, b: String, meanCosine: Double) {
        self.a = a
        self.b = b
        self.meanCosine = meanCosine
        self.parameterWeightedCosine = .nan
        self.components = []
        self.source = .published
    }
}

extension CompareResult {
    /// A result holding only published headline figures (the seed article's tables).
    public static func headline(candidate: String, references: [(id: String, meanCosine: Double)], baselines: [Baseline]) -> CompareResult {
        CompareResult(
            metric: .articleMeanCosine(filter: TensorFilter()), mode: .published,
            candidate: FileIdentity(path: candidate, sha256: nil, kind: .published), keysCompared: 0, columnsCompared: 0,
            references: references.map { ReferenceFigures(id: $0.id, meanCosine: $0.meanCosine) },
            baselines: baselines, skipped: [], gram: nil, tensors: nil)
    }
}
