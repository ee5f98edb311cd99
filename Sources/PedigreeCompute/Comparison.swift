import PedigreeFormat
import PedigreeSupport

/// What to compare: a candidate against references, in one pass.
public struct ComparisonRequest: Sendable {
    public struct Reference: Sendable {
        public let id: String
        public let path: String
        public init(id: String, path: String) {
            self.id = id
            self.path = path
        }
    }

    public var candidate: String
    public var references: [Reference]
    public var filter: TensorFilter
    /// Known lineage edges among the references (ancestor id, descendant id): delta
    /// measures are reported along these.
    public var edges: [(ancestor: String, descendant: String)]
    public var perTensor: Bool
    /// Whether to report files' SHA-256 (cached between runs by `HashCache`).
    public var identifyFiles: Bool

    public init(candidate: String, references: [Reference], filter: TensorFilter = TensorFilter(),
                edges: [(ancestor: String, descendant: String)] = [], perTensor: Bool = false, identifyFiles: Bool = true) {
        self.candidate = candidate
        self.references = references
        self.filter = filter
        self.edges = edges
        self.perTensor = perTensor
        self.identifyFiles = identifyFiles
    }
}

/// The compute core's entry point.
public enum Comparison {
    public static func run(
        _ request: ComparisonRequest, engine: OnePassEngine = OnePassEngine(),
        hashCache: HashCache? = HashCache(), baselineCache: BaselineCache? = BaselineCache(),
        progress: any ProgressSink = SilentProgress(), openedReferences: [SourceOpener.Opened]? = nil
    ) throws -> CompareResult {
        guard !request.references.isEmpty else { throw ComputeError.noReferences }
        let fileCount = request.references.count + 1
        guard fileCount <= 8 else { throw ComputeError.tooManyFiles(count: fileCount, limit: 8) }
        var seen = Set<String>()
        for reference in request.references where !seen.insert(reference.id).inserted {
            throw ComputeError.duplicateReference(id: reference.id)
        }

        // A scan opens its references once (`openedReferences`, in `request.references`'
        // order) and reuses them for every candidate; fingerprints are then parsed once.
        let opened = try [SourceOpener.open(label: "candidate", path: request.candidate)]
            + (openedReferences ?? request.references.map { try SourceOpener.open(label: $0.id, path: $0.path) })
        let sources = opened.map(\.source)
        // A fingerprint of another architecture shares no meaningful columns with the candidate.
        let candidateArchitecture = Architecture.detect(names: Set(sources[0].shapes.keys)).rawValue
        for case let fingerprint as Fingerprint in sources.dropFirst() where fingerprint.architecture != candidateArchitecture {
            throw FingerprintError.architectureMismatch(path: fingerprint.path, fingerprint: fingerprint.architecture, candidate: candidateArchitecture)
        }

        let (tensors, skipped) = ComparisonPlanner.plan(
            sources: sources.map { .init(label: $0.label, shapes: $0.shapes, dtypes: $0.dtypes) }, filter: request.filter)
        guard !tensors.isEmpty else {
            throw ComputeError.nothingToCompare(candidate: request.candidate, reason: "the files share no tensor admitted by the filter")
        }
        let samples = try ColumnSampling.agreedColumns(for: tensors, sources: sources)

        // Files are identified (SHA-256, cached between runs) on a thread of their own while
        // the pass runs, so hashing a new candidate overlaps the comparison.
        let identification = BackgroundTask { () throws -> [FileIdentity] in
            try opened.map { entry in
                FileIdentity(path: entry.source.path, sha256: request.identifyFiles ? try entry.sha256(hashCache) : nil, kind: entry.kind)
            }
        }
        let stats = try engine.run(sources: sources, tensors: tensors, columnSamples: samples, progress: progress)
        let identities = try identification.wait()
        let assembler = ResultAssembler(labels: sources.map(\.label), sampled: !samples.isEmpty)
        var result = assembler.assemble(
            stats: stats, candidate: identities[0], references: Array(identities.dropFirst()),
            edges: request.edges, metric: .articleMeanCosine(filter: request.filter),
            skipped: skipped, perTensor: request.perTensor)
        baselineCache?.reconcile(&result, filter: request.filter)
        return result
    }
}

/// Opens a path as a tensor source: a checkpoint, or a fingerprint recognised by content.
public enum SourceOpener {
    public struct Opened: Sendable {
        public let source: any TensorSource
        public let kind: String
        let identify: @Sendable (HashCache?) throws -> String?

        public func sha256(_ cache: HashCache?) throws -> String? { try identify(cache) }
    }

    public static func open(label: String, path: String) throws -> Opened {
        let file = try SafetensorsFile(path: path)
        if let fingerprint = try Fingerprint(file: file, label: label) {
            return Opened(source: fingerprint, kind: "fingerprint") { _ in fingerprint.sourceSHA256 }
        }
        return Opened(source: CheckpointSource(label: label, file: file), kind: "checkpoint") { cache in
            try (cache ?? HashCache()).hashes(of: file).sha256
        }
    }
}
