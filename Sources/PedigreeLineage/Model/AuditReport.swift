import Foundation
import PedigreeCompute
import PedigreePolicy
import PedigreeSupport

/// Everything an audit found, in the form every renderer (text, Markdown, JSON, HTML,
/// model-card fragment) works from. Schema `pedigree.audit/1`, documented in the README.
/// Deterministic: no timestamps, sorted collections, so the same inputs give the same bytes.
public struct AuditReport: Sendable, Codable, Equatable {
    public static let currentSchema = "pedigree.audit/2"
    public static let disclaimer = "Weight similarity is evidence, not proof: it shows which published weights a checkpoint is close to, not how it was made. Read the figures with the model's own documentation, and ask the licensors when in doubt. This report is not legal advice."

    public var schema: String
    public var tool: ToolStamp
    public var candidate: CandidateIdentity
    public var release: ReleaseSummary?
    public var metric: MetricDescription
    public var mode: CompareResult.Mode
    public var thresholds: BandThresholds
    public var references: [ReferenceVerdict]
    public var baselines: [Baseline]
    /// Each reference's share of the candidate's change (audits from weights).
    public var attribution: AttributionFigures?
    /// How much of the model was compared (audits from weights), and the release's declared
    /// scope when the manifest narrows it.
    public var coverage: TensorCoverage?
    public var scope: [String]?
    /// What the candidate's own metadata declares, matched against the policies and the weights.
    public var declared: DeclaredLineageReport?
    /// For a LoRA candidate: what was applied, and to which reference.
    public var lora: LoRASummary?
    public var lineage: LineageVerdict
    /// Policy model ids whose licences reach the candidate: the references it inherits
    /// from and all their ancestors. The headline field scripts read.
    public var inheritsFrom: [String]
    /// The same, with the evidence and the path through the lineage graph for each.
    public var inheritance: [InheritedModel]
    public var obligations: [ObligationCheck]
    public var findings: [Finding]
    public var modelCard: ModelCardFragment
    public var outcome: Outcome
    public var disclaimer: String
    /// The policy set that judged the candidate: folder or embedded, and its digest.
    /// Absent for a set assembled in memory (tests).
    public var policySet: PolicySetIdentity?
    /// References outside the policies (`--other LABEL=PATH`, or a compare result's
    /// `not_in_policies` references read by `classify`): compared and reported under their
    /// labels, no part in the licence verdict. Absent when there are none.
    public var comparedOutsidePolicies: [ReferenceFigures]?

    public init(schema: String = AuditReport.currentSchema, tool: ToolStamp = .current, candidate: CandidateIdentity,
                release: ReleaseSummary?, metric: MetricDescription, mode: CompareResult.Mode, thresholds: BandThresholds,
                references: [ReferenceVerdict], baselines: [Baseline], attribution: AttributionFigures? = nil, lineage: LineageVerdict, inheritsFrom: [String],
                inheritance: [InheritedModel], obligations: [ObligationCheck], findings: [Finding],
                modelCard: ModelCardFragment, outcome: Outcome, disclaimer: String = AuditReport.disclaimer,
                policySet: PolicySetIdentity? = nil) {
        self.schema = schema
        self.tool = tool
        self.candidate = candidate
        self.release = release
        self.metric = metric
        self.mode = mode
        self.thresholds = thresholds
        self.references = references
        self.baselines = baselines
        self.attribution = attribution
        self.lineage = lineage
        self.inheritsFrom = inheritsFrom
        self.inheritance = inheritance
        self.obligations = obligations
        self.findings = findings
        self.modelCard = modelCard
        self.outcome = outcome
        self.disclaimer = disclaimer
        self.policySet = policySet
    }
}

extension AuditReport {
    public var minimumShare: Double? { thresholds.minimumShare }

    /// What every format says of the references outside the policies (nil when none).
    public var outsidePoliciesSentence: String? {
        guard let others = comparedOutsidePolicies, !others.isEmpty else { return nil }
        let names = others.map { "\($0.id) (mean cosine \($0.meanCosine.isNaN ? "n/a" : String(format: "%.4f", $0.meanCosine)))" }
        return "Also compared, not in the policies: \(names.joined(separator: ", ")). \(others.count == 1 ? "It carries" : "They carry") no licence and played no part in the licence verdict."
    }
}

public struct CandidateIdentity: Sendable, Codable, Equatable {
    public var path: String
    public var sha256: String?
    /// Civitai AutoV2 (first 10 hex digits of sha256, upper-case).
    public var autov2: String?
    public init(path: String, sha256: String?) {
        self.path = path
        self.sha256 = sha256
        self.autov2 = sha256.map { String($0.prefix(10)).uppercased() }
    }
}

public struct ReleaseSummary: Sendable, Codable, Equatable {
    public var manifestPath: String
    public var name: String
    public var version: String?
    public var file: String?
    public var declaredBases: [String]
    public var licence: String?
    public var commercialUse: Bool?
    public init(manifestPath: String, name: String, version: String?, file: String?, declaredBases: [String], licence: String?, commercialUse: Bool?) {
        self.manifestPath = manifestPath
        self.name = name
        self.version = version
        self.file = file
        self.declaredBases = declaredBases
        self.licence = licence
        self.commercialUse = commercialUse
    }
}

/// Where the bands start, as the policy's classification settings set them, carried in
/// the report so it reads on its own.
public struct BandThresholds: Sendable, Codable, Equatable {
    public var metric: String
    public var tooClose: Double
    public var fair: Double
    public var largeDifference: Double
    /// Within this distance of a lower bound a verdict is flagged borderline.
    public var margin: Double
    /// Attribution: a share whose 95% interval clears this is inheritance (policy setting).
    public var minimumShare: Double?
    /// Attribution: the share an independent fine-tune may show without inheriting.
    public var nullShare: Double?
    public init(metric: String, tooClose: Double, fair: Double, largeDifference: Double, margin: Double,
                minimumShare: Double? = nil, nullShare: Double? = nil) {
        self.metric = metric
        self.tooClose = tooClose
        self.fair = fair
        self.largeDifference = largeDifference
        self.margin = margin
        self.minimumShare = minimumShare
        self.nullShare = nullShare
    }

    /// The bounds a policy's classification settings set: the one place bands are read from.
    public init(settings: ClassificationSettings) {
        self.init(metric: settings.metric.rawValue, tooClose: settings.lowerBound(of: .tooClose), fair: settings.lowerBound(of: .fair),
                  largeDifference: settings.lowerBound(of: .largeDifference), margin: settings.borderlineMargin)
    }

    public func lowerBound(of band: Band) -> Double {
        switch band {
        case .tooClose: tooClose
        case .fair: fair
        case .largeDifference: largeDifference
        case .distant: -Double.infinity
        }
    }
}

public struct ReferenceVerdict: Sendable, Codable, Equatable {
    public var id: String
    /// The policy model's name, when the id is a policy model.
    public var name: String?
    public var path: String?
    public var sha256: String?
    public var kind: FileKind?
    public var meanCosine: Double
    public var interval: Interval?
    public var band: Band
    public var borderline: Bool
    public var components: [GroupFigures]
    public var blocks: [GroupFigures]
    public var deltas: [DeltaFigures]
    public init(id: String, name: String?, path: String?, sha256: String?, kind: FileKind?, meanCosine: Double, interval: Interval?,
                band: Band, borderline: Bool, components: [GroupFigures], blocks: [GroupFigures], deltas: [DeltaFigures]) {
        self.id = id
        self.name = name
        self.path = path
        self.sha256 = sha256
        self.kind = kind
        self.meanCosine = meanCosine
        self.interval = interval
        self.band = band
        self.borderline = borderline
        self.components = components
        self.blocks = blocks
        self.deltas = deltas
    }
}

public struct LineageVerdict: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable { case identified, unknown }
    public enum Relation: String, Sendable, Codable { case finetune, merge, unknown }

    public var status: Status
    /// The closest reference the candidate is judged to descend from.
    public var likelyBase: String?
    public var relation: Relation
    /// For a merge: the share of each descendant's change the candidate carries.
    public var shares: [String: Double]
    /// One or two sentences a person reads first.
    public var summary: String
    public var borderline: Bool
    public init(status: Status, likelyBase: String?, relation: Relation, shares: [String: Double], summary: String, borderline: Bool) {
        self.status = status
        self.likelyBase = likelyBase
        self.relation = relation
        self.shares = shares
        self.summary = summary
        self.borderline = borderline
    }
}

public struct Evidence: Sendable, Codable, Equatable {
    /// The rule applied (stable ids in JSON).
    public var rule: EvidenceRule
    public var detail: String
    public var figures: [String: Double]
    public var band: Band?
    public init(rule: EvidenceRule, detail: String, figures: [String: Double], band: Band?) {
        self.rule = rule
        self.detail = detail
        self.figures = figures
        self.band = band
    }
}

public struct InheritedModel: Sendable, Codable, Equatable {
    public var id: String
    public var name: String?
    public var licence: String?
    /// From the candidate to this model through the lineage graph, e.g.
    /// ["noobai-xl-eps-1.0", "illustrious-xl-v0.1"].
    public var via: [String]
    public var evidence: [Evidence]
    public init(id: String, name: String?, licence: String?, via: [String], evidence: [Evidence]) {
        self.id = id
        self.name = name
        self.licence = licence
        self.via = via
        self.evidence = evidence
    }
}

public struct ObligationCheck: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable {
        case met, unmet, unverifiable
        /// A duty on the model's use (say, the prohibited uses), which no release shows;
        /// listed so people see it, never counted against the release.
        case notCheckable = "not_checkable"
    }

    public var id: String
    public var licence: String
    public var licenceName: String?
    /// The inherited model whose licence carries the obligation.
    public var sourceModel: String
    /// When the obligation comes through `extends`, the chain of licence ids.
    public var via: [String]
    public var summary: String
    public var severity: Obligation.Severity
    public var status: Status
    public var reason: String
    /// The release-manifest field that meets it.
    public var manifestField: String?
    public init(id: String, licence: String, licenceName: String?, sourceModel: String, via: [String], summary: String,
                severity: Obligation.Severity, status: Status, reason: String, manifestField: String?) {
        self.id = id
        self.licence = licence
        self.licenceName = licenceName
        self.sourceModel = sourceModel
        self.via = via
        self.summary = summary
        self.severity = severity
        self.status = status
        self.reason = reason
        self.manifestField = manifestField
    }
}

/// Problems beyond single obligations: an undeclared detected base, a chosen licence the
/// inherited licences do not allow, commercial use where a licence forbids it.
public struct Finding: Sendable, Codable, Equatable {
    public var code: FindingCode
    public var severity: FindingSeverity
    /// A whole sentence: what was found and what to do about it.
    public var message: String
    public init(_ code: FindingCode, _ message: String) {
        self.code = code
        self.severity = code.severity
        self.message = message
    }
}

/// Hugging Face model-card front matter computed from the findings.
public struct ModelCardFragment: Sendable, Codable, Equatable {
    public var license: String?
    public var licenseName: String?
    public var licenseLink: String?
    public var baseModel: [String]
    public var baseModelRelation: String?
    public init(license: String?, licenseName: String?, licenseLink: String?, baseModel: [String], baseModelRelation: String?) {
        self.license = license
        self.licenseName = licenseName
        self.licenseLink = licenseLink
        self.baseModel = baseModel
        self.baseModelRelation = baseModelRelation
    }
}

/// The verdict with what it rests on, and the two sentences every renderer leads with, so
/// the banner and the summary below it can never disagree.
public struct Outcome: Sendable, Codable, Equatable {
    public var verdict: Verdict
    /// Required obligations unmet and unverifiable.
    public var unmet: Int
    public var unverifiable: Int
    /// Findings of severity error.
    public var errors: Int
    /// The banner: the verdict's word, then what decided it.
    public var headline: String
    /// One sentence under the banner: the counts, with the error findings' codes.
    public var summary: String
    public init(verdict: Verdict, unmet: Int, unverifiable: Int, errors: Int, headline: String, summary: String) {
        self.verdict = verdict
        self.unmet = unmet
        self.unverifiable = unverifiable
        self.errors = errors
        self.headline = headline
        self.summary = summary
    }
}
