import CPedigreeKernels
import Foundation
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
    /// Block groups whose attribution is reported on its own (from the policy).
    public var blockGroups: [BlockGroup]
    public var perTensor: Bool
    /// Whether to report files' SHA-256 (cached between runs by `HashCache`).
    public var identifyFiles: Bool
    /// Whether to attribute the candidate's change to the references (and gather the
    /// support statistics that needs). Off: the seed article's metric, baselines and deltas only.
    public var attribution: Bool
    /// The most floating-point work spent on new spectral bases per reference pair (issue
    /// 12's un-merge check); nil: no limit. Pairs past it are reported as not measured.
    public var spectralBudget: Double?
    /// Past this much work for the exact spectral terms of a pair, the pair's spectral
    /// sample is read instead (`SpectralPass.exactProjectionLimit`; tests lower it).
    public var spectralExactLimit: Double = SpectralPass.exactProjectionLimit
    /// For a LoRA candidate: the reference id to apply it to (nil: the root reference).
    public var loraBase: String?

    public init(candidate: String, references: [Reference], filter: TensorFilter = TensorFilter(),
                edges: [(ancestor: String, descendant: String)] = [], blockGroups: [BlockGroup] = [],
                perTensor: Bool = false, identifyFiles: Bool = true, attribution: Bool = true,
                spectralBudget: Double? = SpectralPass.defaultBudget) {
        self.spectralBudget = spectralBudget
        self.candidate = candidate
        self.references = references
        self.filter = filter
        self.edges = edges
        self.blockGroups = blockGroups
        self.perTensor = perTensor
        self.identifyFiles = identifyFiles
        self.attribution = attribution
    }
}

/// The compute core's entry point.
public enum Comparison {
    /// Files one pass reads together (candidate + references): the kernels' fixed-size
    /// per-file arrays (`PK_MAX_FILES` in `pedigree_kernels.h`).
    public static let maxFiles = Int(PK_MAX_FILES)

    /// SHA-256 streams run at once when several new files are identified: one a core, and
    /// no more than four, so reads from one disk do not turn into seeks.
    /// (`PEDIGREE_HASH_STREAMS=N` overrides it, for the benchmark's one-stream-at-a-time run.)
    public static let hashStreamLimit: Int = {
        if let forced = ProcessInfo.processInfo.environment["PEDIGREE_HASH_STREAMS"].flatMap(Int.init), forced >= 1 { return min(forced, 16) }
        return min(4, System.availableCores)
    }()

    /// Identifies already-opened files (SHA-256 from the cache, else hashed), new ones
    /// concurrently under `hashStreamLimit`; `hashStreams` counts the streams in flight.
    public static func identify(_ opened: [SourceOpener.Opened], hashCache: HashCache?, hashStreams: StreamGauge? = nil) throws -> [String?] {
        try BoundedConcurrency.map(opened, limit: hashStreamLimit) { _, entry in
            try hashStreams.map { try $0.measure { try entry.sha256(hashCache) } } ?? entry.sha256(hashCache)
        }
    }

    /// Without caches (the default) the core writes nothing anywhere: hashes are computed
    /// and baselines measured afresh. The CLI passes caches under `CacheFolder.path()`;
    /// a cache changes only how fast a result comes, never the result.
    public static func run(
        _ request: ComparisonRequest, engine: OnePassEngine = OnePassEngine(),
        hashCache: HashCache? = nil, baselineCache: BaselineCache? = nil, spectralCache: SpectralBasisCache? = nil,
        progress: any ProgressSink = SilentProgress(), openedReferences: [SourceOpener.Opened]? = nil,
        hashStreams: StreamGauge? = nil
    ) throws -> CompareResult {
        guard !request.references.isEmpty else { throw ComputeError.noReferences }
        let fileCount = request.references.count + 1
        guard fileCount <= maxFiles else { throw ComputeError.tooManyFiles(count: fileCount, limit: maxFiles) }
        var seen = Set<String>()
        for reference in request.references where !seen.insert(reference.id).inserted {
            throw ComputeError.duplicateReference(id: reference.id)
        }

        // A scan opens its references once (`openedReferences`, in `request.references`'
        // order) and reuses them for every candidate; fingerprints are then parsed once.
        var opened = try [SourceOpener.open(label: "candidate", path: request.candidate)]
            + (openedReferences ?? request.references.map { try SourceOpener.open(label: $0.id, path: $0.path) })
        if let reference = opened.dropFirst().first(where: { $0.lora != nil }) {
            throw ComputeError.loraBase(candidate: reference.source.path, reason: "a LoRA cannot be a reference; compare it as the candidate")
        }
        // A LoRA is measured applied to a reference's weights.
        var loraSummary: LoRASummary?
        if let lora = opened[0].lora {
            let (applied, summary) = try LoRAApplication.apply(lora, candidate: opened[0], references: request.references, opened: Array(opened.dropFirst()),
                                                             requested: request.loraBase, edges: request.edges)
            opened[0] = applied
            loraSummary = summary
        }
        // A re-basined candidate (hidden units reordered, the function unchanged) is put
        // back in its references' order first; detection reads a few rows per group.
        var transform: TransformReport?
        if loraSummary == nil, opened[0].kind != .fingerprint,
           let (aligned, report) = try PermutationAlignment.align(candidate: opened[0].source, references: opened.dropFirst().map(\.source)) {
            opened[0] = opened[0].with(source: aligned)
            transform = report
        }
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

        // Files are identified (SHA-256, cached between runs) on threads of their own while
        // the pass runs, so hashing a new candidate overlaps the comparison; new files are
        // hashed concurrently, one SHA-256 stream each, at most `hashStreamLimit` at once.
        let identified = opened
        let identification = BackgroundTask { () throws -> [FileIdentity] in
            let hashes = request.identifyFiles ? try identify(identified, hashCache: hashCache, hashStreams: hashStreams) : identified.map { _ in nil }
            return zip(identified, hashes).map { entry, sha in FileIdentity(path: entry.source.path, sha256: sha, kind: entry.kind) }
        }
        var engine = engine
        engine.measuresSupport = engine.measuresSupport && request.attribution
        // Against fingerprints the pass is light and hashing a new candidate is the long
        // pole: the hash keeps a core to itself instead of sharing both with the pass.
        let fingerprintsOnly = sources.dropFirst().allSatisfy { $0 is Fingerprint }
        let hashingCandidate = request.identifyFiles && opened[0].kind == .checkpoint && opened[0].files.count == 1
            && hashCache?.cachedSHA256(of: opened[0].files[0]) == nil
        if fingerprintsOnly && hashingCandidate && engine.workers > 1 { engine.workers -= 1 }
        let stats = try engine.run(sources: sources, tensors: tensors, columnSamples: samples, progress: progress)
        // Against fingerprints alone every pair's ancestor is known by its fingerprint, so the
        // sampled spectral terms are read while the candidate may still be hashing.
        let spectralFromSamples = request.attribution && loraSummary == nil && !(sources[0] is Fingerprint)
            && sources.contains { $0 is Fingerprint }
        let early = spectralFromSamples && fingerprintsOnly
            ? try SpectralAttribution.sampledTerms(sources: sources, tensors: tensors, edges: request.edges, workers: engine.workers,
                                                   ancestorSHA: { (sources[$0] as? Fingerprint)?.sourceSHA256 })
            : nil
        let identities = try identification.wait()
        // Every byte has been read: a file changed meanwhile would give a verdict from mixed bytes.
        for entry in opened { try entry.checkUnchanged() }
        let assembler = ResultAssembler(labels: sources.map(\.label), sampled: !samples.isEmpty)
        var result = assembler.assemble(
            stats: stats, candidate: identities[0], references: Array(identities.dropFirst()),
            edges: request.edges, blockGroups: request.blockGroups, metric: .articleMeanCosine(filter: request.filter),
            skipped: skipped, perTensor: request.perTensor, attribution: request.attribution)
        if request.attribution, result.attribution != nil {
            if loraSummary != nil {
                result.attribution?.spectralNote = SpectralAttribution.loraNote
            } else if sources[0] is Fingerprint {
                result.attribution?.spectralNote = SpectralAttribution.fingerprintCandidateNote
            } else if !sources.contains(where: { $0 is Fingerprint }) {
                try SpectralAttribution.apply(to: &result, sources: sources, tensors: tensors, edges: request.edges,
                                              groups: request.blockGroups, workers: engine.workers, cache: spectralCache,
                                              budget: request.spectralBudget, exactLimit: request.spectralExactLimit,
                                              progress: progress)
            } else {
                let sampled = try early ?? SpectralAttribution.sampledTerms(
                    sources: sources, tensors: tensors, edges: request.edges, workers: engine.workers,
                    ancestorSHA: { (sources[$0] as? Fingerprint)?.sourceSHA256 ?? identities[$0].sha256 })
                SpectralAttribution.applySampled(sampled, to: &result, groups: request.blockGroups)
            }
        }
        // The expectation is the architecture of the references when the candidate's own
        // names do not tell (a file holding a handful of SDXL tensors is a partial SDXL).
        let architectures = [candidateArchitecture] + sources.dropFirst().map { source in
            (source as? Fingerprint)?.architecture ?? Architecture.detect(names: Set(source.shapes.keys)).rawValue
        }
        let expected = architectures.contains(Architecture.sdxl.rawValue) ? Architecture.sdxl : Architecture(rawValue: candidateArchitecture) ?? .unknown
        result.coverage = TensorCoverage.measure(
            compared: Set(tensors.map(\.name)), candidateShapes: sources[0].shapes, architecture: expected, filter: request.filter)
        baselineCache?.reconcile(&result, filter: request.filter)
        result.lora = loraSummary
        result.transform = transform
        // A checkpoint's claims about itself (a fingerprint's metadata is Pedigree's own).
        if !(sources[0] is Fingerprint) {
            let declared = DeclaredLineageReader.read(metadata: opened[0].metadata, tensorNames: opened[0].files.flatMap { $0.header.tensors.map(\.name) })
            result.declared = declared.isEmpty ? nil : declared
        }
        return result
    }
}

/// Opens a path as a tensor source: a checkpoint, a fingerprint recognised by content, or
/// a checkpoint in several files (a diffusers folder, a sharded checkpoint's index or shard).
public enum SourceOpener {
    public struct Opened: Sendable {
        public let source: any TensorSource
        public let kind: FileKind
        /// The open files the source reads (checked for changes once the pass is over).
        public let files: [SafetensorsFile]
        /// The metadata a file declares its lineage in (the first weights file's, for several).
        public let metadata: [String: String]
        /// Set for a LoRA, whose source is the base it is applied to plus its change.
        public var lora: LoRAFile? = nil
        let identify: @Sendable (HashCache?) throws -> String?

        public func sha256(_ cache: HashCache?) throws -> String? { try identify(cache) }

        /// The same files read through another source (the candidate realigned).
        func with(source: any TensorSource) -> Opened {
            Opened(source: source, kind: kind, files: files, metadata: metadata, lora: lora, identify: identify)
        }

        /// Throws `changedWhileReading` if any file changed since it was opened.
        public func checkUnchanged() throws { for file in files { try file.reader.checkUnchanged() } }
    }

    public static func open(label: String, path: String) throws -> Opened {
        if MappedCheckpoint.isMultiFile(path) {
            let checkpoint = try MappedCheckpoint.open(path)
            return Opened(source: MappedCheckpointSource(label: label, checkpoint: checkpoint), kind: checkpoint.kind == .diffusers ? .diffusers : .sharded,
                          files: checkpoint.files, metadata: checkpoint.metadata) { cache in
                try CompositeIdentity.sha256(names: checkpoint.relativeNames, files: checkpoint.files, cache: cache)
            }
        }
        let file = try SafetensorsFile(path: path)
        if LoRAFile.isLoRA(file.header) {
            let lora = try LoRAFile(file: file)
            return Opened(source: UnappliedLoRA(label: label, path: path), kind: .lora, files: [file], metadata: file.header.metadata, lora: lora) { cache in
                try cache?.sha256(of: file) ?? CheckpointHasher.sha256(reader: file.reader)
            }
        }
        if let fingerprint = try Fingerprint(file: file, label: label) {
            return Opened(source: fingerprint, kind: .fingerprint, files: [file], metadata: file.header.metadata) { _ in fingerprint.sourceSHA256 }
        }
        return Opened(source: CheckpointSource(label: label, file: file), kind: .checkpoint, files: [file], metadata: file.header.metadata) { cache in
            try cache?.sha256(of: file) ?? CheckpointHasher.sha256(reader: file.reader)
        }
    }
}
