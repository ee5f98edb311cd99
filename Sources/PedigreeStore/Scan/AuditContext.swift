import Foundation
import PedigreeCompute
import PedigreeFormat
import PedigreeLineage
import PedigreePolicy
import PedigreeReports
import PedigreeSupport

/// Everything that is the same for every candidate of a scan or a worker's run, prepared
/// once: the policies and their digest, the references opened (fingerprints parsed) and
/// identified, the tensor filter. `audit(_:)` then runs the library's one audit pipeline
/// (`Comparison.run` → `Auditor.audit` → `JSONReportRenderer`) on one candidate.
public struct AuditContext: Sendable {
    public let policies: PolicySet
    public let policyDigest: String
    public let references: [ComparisonRequest.Reference]
    public let referenceIdentities: [ReferenceIdentity]
    public let filter: TensorFilter
    public let toolVersion: String
    public let reportDir: String?
    public let engine: OnePassEngine
    private let opened: [SourceOpener.Opened]
    private let edges: [(ancestor: String, descendant: String)]
    private let hashCache: HashCache?
    private let baselineCache: BaselineCache?
    private let spectralCache: SpectralBasisCache?
    private let spectralBudget: Double?

    /// - Parameter workersPerAudit: engine threads per candidate; a scan running N
    ///   candidates at once gives each cores/N, so the machine is never oversubscribed and
    ///   the memory bound stays N × one audit's.
    /// - Parameter hashCache, baselineCache: as `Comparison.run` takes them (the CLI passes
    ///   its caches: reference pairs are then measured once for the whole scan, not per file).
    public init(policies: PolicySet, references: [ComparisonRequest.Reference], filter: TensorFilter,
                reportDir: String?, workersPerAudit: Int, toolVersion: String = ToolInfo.version,
                hashCache: HashCache? = nil, baselineCache: BaselineCache? = nil,
                spectralCache: SpectralBasisCache? = nil, spectralBudget: Double? = SpectralPass.defaultBudget) throws {
        guard !references.isEmpty else { throw ComputeError.noReferences }
        guard references.count + 1 <= Comparison.maxFiles else { throw ComputeError.tooManyFiles(count: references.count + 1, limit: Comparison.maxFiles) }
        self.policies = policies
        // The digest of the files the set was loaded from (folder or embedded copy alike).
        self.policyDigest = policies.identity?.digest.hex ?? "in-memory"
        self.hashCache = hashCache
        self.baselineCache = baselineCache
        self.spectralCache = spectralCache
        self.spectralBudget = spectralBudget
        self.references = references
        self.filter = filter
        self.reportDir = reportDir
        self.toolVersion = toolVersion
        self.engine = OnePassEngine(workers: max(1, workersPerAudit))
        self.edges = policies.lineageEdges(among: references.map(\.id))
        let opened = try references.map { try SourceOpener.open(label: $0.id, path: $0.path) }
        self.opened = opened
        // A reference's identity is the model it stands for: a fingerprint's source hash,
        // a checkpoint's own (cached) hash. Learned once, here.
        // New references are hashed concurrently (`Comparison.identify`).
        let hashes = try Comparison.identify(opened, hashCache: hashCache)
        self.referenceIdentities = zip(references, hashes).map { reference, sha in
            ReferenceIdentity(id: reference.id, sha256: sha ?? "unknown")
        }
    }

    /// The key a candidate with this SHA-256 is stored under.
    public func key(candidateSHA256: String) -> ResultKey {
        ResultKey(candidateSHA256: candidateSHA256, policyDigest: policyDigest, references: referenceIdentities, toolVersion: toolVersion)
    }

    /// Audits one candidate (no release manifest: a scan checks lineage and what it
    /// inherits; obligations that need a manifest come out unverifiable, as in `audit`).
    public func audit(candidate path: String, progress: any ProgressSink = SilentProgress()) throws -> StoredResult {
        let started = Date()
        var request = ComparisonRequest(candidate: path, references: references, filter: filter, edges: edges,
                                        blockGroups: policies.classification.attribution.comparisonGroups,
                                        spectralBudget: spectralBudget)
        request.loraBase = LoRABaseChoice.base(candidate: path, requested: nil, references: references.map(\.id), policies: policies)
        let compare = try Comparison.run(request, engine: engine, hashCache: hashCache, baselineCache: baselineCache,
                                         spectralCache: spectralCache, progress: progress, openedReferences: opened)
        let compared = Date()
        let report = Auditor.audit(.init(compare: compare, policies: policies))
        let json = JSONReportRenderer().render(report)
        guard let sha = compare.candidate.sha256 else { throw ComputeError.nothingToCompare(candidate: path, reason: "the candidate's SHA-256 is unknown") }
        if let reportDir {
            // Candidates in different folders may share a file name: the hash keeps stems apart.
            let stem = ReportFileStem.stem(for: report) + "-" + sha.prefix(12)
            _ = try ReportWriter(folder: reportDir).write(report, stem: stem)
        }
        return StoredResult(
            key: key(candidateSHA256: sha), candidatePath: path,
            verdict: report.outcome.verdict,
            likelyBase: report.lineage.likelyBase, inherited: report.inheritsFrom, auditJSON: Data(json.utf8),
            compareSeconds: compared.timeIntervalSince(started), totalSeconds: Date().timeIntervalSince(started), auditedAt: Date())
    }
}
